//! The consent signals services take beside Google's Consent Mode (src/core/consent_mode.rs):
//! Microsoft UET consent mode, Microsoft Clarity's consent API, Meta Pixel's and TikTok's
//! consent calls. A service says which one it takes (`signal`, from its catalogue entry), and
//! each vendor's signal follows whether the visitor's consent allows its service.

use super::config::Config;
use super::consent::Consent;
use super::gating::allows;
use super::json::{Field, JsonError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum Signal {
    /// Google Consent Mode, sent with `consentMode.enabled` (src/core/consent_mode.rs).
    GoogleConsentMode,
    /// `uetq.push('consent', 'update', { ad_storage })`, after a default before `bat.js`.
    MicrosoftUet,
    /// `clarity('consentv2', { ad_Storage, analytics_Storage })`, after a default before the tag.
    MicrosoftClarity,
    /// `fbq('consent', 'grant' | 'revoke')`.
    MetaPixel,
    /// `ttq.grantConsent()` / `ttq.revokeConsent()`.
    Tiktok,
}

impl Signal {
    pub const NAMES: [(&str, Signal); 5] = [
        ("google-consent-mode", Signal::GoogleConsentMode),
        ("microsoft-uet", Signal::MicrosoftUet),
        ("microsoft-clarity", Signal::MicrosoftClarity),
        ("meta-pixel", Signal::MetaPixel),
        ("tiktok", Signal::Tiktok),
    ];

    pub fn name(self) -> &'static str {
        Self::NAMES.iter().find(|(_, signal)| *signal == self).map_or("none", |(name, _)| name)
    }

    /// Whether its default must be set before the vendor's tag loads, by consent-mode.js
    /// (`data-signals`): the vendors whose queue takes a default.
    pub fn needs_default(self) -> bool {
        matches!(self, Signal::MicrosoftUet | Signal::MicrosoftClarity)
    }

    pub(super) fn read(field: &Field) -> Result<Signal, JsonError> {
        field.one_of(&Self::NAMES, "a signal")
    }
}

/// Each signal the configuration's services take, beside Google's, once, in the order of
/// `Signal::NAMES`, granted when the consent allows one of its services.
pub fn signals(config: &Config, consent: Option<&Consent>) -> Vec<(Signal, bool)> {
    Signal::NAMES
        .iter()
        .map(|(_, signal)| *signal)
        .filter(|signal| *signal != Signal::GoogleConsentMode)
        .filter_map(|signal| {
            let mut takers = config.categories.iter().flat_map(|category| {
                category
                    .services
                    .iter()
                    .filter(move |service| service.signal == Some(signal))
                    .map(move |service| (category, service))
            });
            let first = takers.next()?;
            let granted = std::iter::once(first)
                .chain(takers)
                .any(|(category, service)| allows(consent, &category.id, Some(&service.id)));
            Some((signal, granted))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::consent::Consent;

    const CONFIG: &str = r#"{"company":{"name":"Shop"},"categories":[
        {"id":"necessary","required":true},
        {"id":"analytics","services":[{"id":"clarity","name":"Clarity","provider":"Microsoft Corporation","country":"US","safeguard":"dpf","signal":"microsoft-clarity"}]},
        {"id":"marketing","services":[
            {"id":"uet","name":"UET","provider":"Microsoft Corporation","country":"US","safeguard":"dpf","signal":"microsoft-uet"},
            {"id":"pixel","name":"Meta Pixel","provider":"Meta Platforms Ireland Limited","country":"IE","signal":"meta-pixel"}]}]}"#;

    fn consent(categories: &[&str], services: &[(&str, &[&str])]) -> Consent {
        let services: Vec<String> = services
            .iter()
            .map(|(category, ids)| {
                format!("\"{category}\":[{}]", ids.iter().map(|id| format!("\"{id}\"")).collect::<Vec<_>>().join(","))
            })
            .collect();
        let text = format!(
            r#"{{"id":"0190f0a8-5b2c-7def-8123-456789abcdef","categories":[{}],"services":{{{}}},"revision":0,"language":"en","method":"custom","firstConsent":1780000000,"lastConsent":1780000000,"expires":1795000000}}"#,
            categories.iter().map(|id| format!("\"{id}\"")).collect::<Vec<_>>().join(","),
            services.join(",")
        );
        Consent::read(&Field::root(&crate::core::json::parse(&text).unwrap())).unwrap()
    }

    #[test]
    fn each_vendor_follows_whether_its_service_is_allowed() {
        let config = Config::from_json(CONFIG).unwrap();
        let none = signals(&config, None);
        assert_eq!(
            none,
            [(Signal::MicrosoftUet, false), (Signal::MicrosoftClarity, false), (Signal::MetaPixel, false)]
        );
        let marketing = consent(&["necessary", "marketing"], &[("marketing", &["uet"])]);
        assert_eq!(
            signals(&config, Some(&marketing)),
            [(Signal::MicrosoftUet, true), (Signal::MicrosoftClarity, false), (Signal::MetaPixel, false)],
            "the pixel was not chosen, the category was"
        );
    }

    #[test]
    fn the_defaults_before_the_tags_are_set_by_consent_mode_js() {
        let script = include_str!("../../js/consent-mode.js");
        for (name, signal) in Signal::NAMES {
            assert_eq!(
                script.contains(&format!("'{name}'")),
                signal.needs_default(),
                "js/consent-mode.js and `{name}`"
            );
        }
    }
}
