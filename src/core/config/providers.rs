//! Who a cookie row's `provider` is: the company itself, or one of the services and recipients
//! the configuration declares. A provider that is neither receives visitors' data without the
//! policy saying where it processes them, so it is warned of and listed as not stated.

use super::{Config, CookieInfo};

/// A cookie row whose provider the configuration does not declare.
pub struct UndeclaredProvider<'a> {
    pub category: usize,
    pub cookie: &'a CookieInfo,
}

impl Config {
    /// Every cookie row whose provider is neither the company nor a declared service or
    /// recipient, in the order of the configuration.
    pub fn undeclared_cookie_providers(&self) -> Vec<UndeclaredProvider<'_>> {
        let mut declared = vec![words(&self.company.name)];
        for service in self.categories.iter().flat_map(|category| &category.services) {
            declared.extend([words(&service.id), words(&service.name), words(&service.provider)]);
        }
        declared.extend(self.recipients.iter().map(|recipient| words(&recipient.name)));
        declared.retain(|name| !name.is_empty());
        let mut undeclared = Vec::new();
        for (category, cookies) in self.categories.iter().map(|category| &category.cookies).enumerate() {
            for cookie in cookies {
                let provider = words(&cookie.provider);
                if !declared.iter().any(|name| same_entity(name, &provider)) {
                    undeclared.push(UndeclaredProvider { category, cookie });
                }
            }
        }
        undeclared
    }
}

/// A name in lower case, its words separated by single spaces, punctuation dropped. ASCII rules
/// only: Unicode's case and letter tables would cost the wasm about 10 KB brotli, and both sides
/// of a comparison are read the same way.
fn words(name: &str) -> String {
    let mut words = String::new();
    for word in
        name.split(|c: char| c.is_ascii_punctuation() || c.is_ascii_whitespace()).filter(|word| !word.is_empty())
    {
        if !words.is_empty() {
            words.push(' ');
        }
        words.push_str(word);
    }
    words.make_ascii_lowercase();
    words
}

/// `Google` and `Google Ireland Limited` name the same entity: one is the other's first words.
fn same_entity(a: &str, b: &str) -> bool {
    let (long, short) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    long.strip_prefix(short).is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(services: &str, cookies: &str) -> Config {
        Config::from_json(&format!(
            r#"{{"company":{{"name":"Lakeside Hosting SA"}},"recipients":[{{"name":"Mailer GmbH","purpose":"email","country":"DE"}}],
               "categories":[{{"id":"necessary","required":true}},
                 {{"id":"marketing","services":[{services}],"cookies":[{cookies}]}}]}}"#
        ))
        .unwrap()
    }

    fn undeclared(config: &Config) -> Vec<&str> {
        config.undeclared_cookie_providers().iter().map(|row| row.cookie.provider.as_str()).collect()
    }

    const ADS: &str = r#"{"id":"google-ads","name":"Google Ads","provider":"Google Ireland Limited, with Google LLC (USA)","country":"IE"}"#;

    fn cookie(provider: &str) -> String {
        format!(r#"{{"name":"_x","provider":"{provider}","purpose":"p","duration":"1 day"}}"#)
    }

    #[test]
    fn the_company_a_service_or_a_recipient_is_declared() {
        for provider in
            ["Lakeside Hosting SA", "lakeside hosting", "Google", "Google Ireland Limited", "google-ads", "Mailer GmbH"]
        {
            assert!(undeclared(&config(ADS, &cookie(provider))).is_empty(), "{provider}");
        }
    }

    #[test]
    fn a_provider_no_service_declares_is_undeclared() {
        let config = config(ADS, &[cookie("Meta Platforms Ireland"), cookie("Goo")].join(","));
        assert_eq!(undeclared(&config), ["Meta Platforms Ireland", "Goo"]);
        assert_eq!(config.undeclared_cookie_providers()[0].category, 1);
    }

    #[test]
    fn with_no_service_a_third_party_cookie_is_undeclared() {
        assert_eq!(undeclared(&config("", &cookie("Hotjar Ltd"))), ["Hotjar Ltd"]);
    }
}
