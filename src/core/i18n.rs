//! Translation lookup: the five built-in locale files, flattened to dotted keys
//! (`banner.title`), with the site owner's per-language overrides on top.

use super::SUPPORTED_LANGUAGES;
use super::config::{Category, Config};
use super::duration::CookieDuration;
use super::json::{self, Json};
use super::markup::fill_placeholders;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

/// The UI strings of each language, compiled in so the banner never waits for a second
/// download. The policy document is not among them: see [`super::policy::parse_policy`].
pub fn ui_source(code: &str) -> Option<&'static str> {
    Some(match code {
        "en" => include_str!(concat!(env!("OUT_DIR"), "/ui-en.json")),
        "fr" => include_str!(concat!(env!("OUT_DIR"), "/ui-fr.json")),
        "de" => include_str!(concat!(env!("OUT_DIR"), "/ui-de.json")),
        "it" => include_str!(concat!(env!("OUT_DIR"), "/ui-it.json")),
        "es" => include_str!(concat!(env!("OUT_DIR"), "/ui-es.json")),
        _ => return None,
    })
}

/// The whole locale files, policy included, for native tests and tools; never in the wasm.
#[cfg(any(test, not(target_arch = "wasm32")))]
pub fn full_source(code: &str) -> Option<&'static str> {
    Some(match code {
        "en" => include_str!("../../locales/en.json"),
        "fr" => include_str!("../../locales/fr.json"),
        "de" => include_str!("../../locales/de.json"),
        "it" => include_str!("../../locales/it.json"),
        "es" => include_str!("../../locales/es.json"),
        _ => return None,
    })
}

/// The key that holds the policy document rather than a UI string.
pub(crate) const DOCUMENT_KEY: &str = "policy.document";

/// Whether `path` is policy-only (the document, its generated sections' words, the
/// countries' names): fetched with the policy, never compiled in as a UI string.
fn is_policy_only(path: &str) -> bool {
    path.strip_prefix("policy.").is_some_and(|member| super::policy::POLICY_MEMBERS.contains(&member))
}

#[derive(Debug, Clone, PartialEq)]
pub struct Locale {
    pub code: String,
    strings: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocaleError {
    pub path: String,
    pub message: String,
}

impl fmt::Display for LocaleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid locale at `{}`: {}", self.path, self.message)
    }
}

impl Locale {
    /// A locale's UI strings; a policy document in the same file is left to
    /// [`super::policy::policy_of`].
    pub fn parse(text: &str) -> Result<Locale, LocaleError> {
        let fail = |path: &str, message: String| LocaleError { path: path.to_string(), message };
        let tree = json::parse(text).map_err(|e| fail("(root)", e.message))?;
        let mut strings = BTreeMap::new();
        flatten("", &tree, &mut strings).map_err(|(path, message)| fail(&path, message))?;
        let code = strings.get("meta.code").cloned().ok_or_else(|| fail("meta.code", "is missing".to_string()))?;
        Ok(Locale { code, strings })
    }

    /// A built-in locale; English when `code` is not one of the five.
    pub fn builtin(code: &str) -> Locale {
        let source = ui_source(code).unwrap_or(include_str!(concat!(env!("OUT_DIR"), "/ui-en.json")));
        // The built-in files are checked by the test suite, so this cannot fail at run time.
        Locale::parse(source).unwrap_or_else(|_| Locale { code: "en".to_string(), strings: BTreeMap::new() })
    }

    /// The built-in locale for `code` with the configuration's overrides for it applied, and
    /// `{company}` filled with the company's name wherever a text names it.
    pub fn for_site(code: &str, config: &Config) -> Locale {
        let mut locale = Locale::builtin(code);
        if let Some((_, overrides)) = config.texts.iter().find(|(language, _)| language == code) {
            for (key, text) in overrides {
                if locale.strings.contains_key(key) {
                    locale.strings.insert(key.clone(), text.clone());
                }
            }
        }
        let company = |name: &str| (name == "company").then(|| config.company.name.clone());
        for text in locale.strings.values_mut() {
            if text.contains("{company}") {
                *text = fill_placeholders(text, &company);
            }
        }
        locale
    }

    /// The text for `key`, if the locale has one.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.strings.get(key).map(String::as_str)
    }

    /// The text for `key`; the key itself if the locale lacks it, so a gap is visible, not fatal.
    pub fn text<'a>(&'a self, key: &'a str) -> &'a str {
        self.strings.get(key).map(String::as_str).unwrap_or(key)
    }

    pub fn keys(&self) -> impl Iterator<Item = (&String, &String)> {
        self.strings.iter()
    }

    /// `label: value` with the language's own spacing around the colon.
    pub fn labelled(&self, label: &str, value: &str) -> String {
        format!("{label}{}{value}", self.colon())
    }

    /// The colon between a label and its value, with the language's own spacing (`: `, or a
    /// narrow no-break space before it in French): for a label and a value in separate markup.
    pub fn colon(&self) -> &str {
        self.text("meta.colon")
    }

    pub fn category_title(&self, category: &Category, config: &Config) -> String {
        match &category.title {
            Some(text) => text.get(&self.code, &config.languages.default).to_string(),
            None => self.text(&format!("categories.{}.title", category.id)).to_string(),
        }
    }

    /// What the first layer says a category is for: the locale's words for a well-known
    /// category, else the site's own title for it.
    pub fn category_purpose(&self, category: &Category, config: &Config) -> String {
        match self.get(&format!("categories.{}.purpose", category.id)) {
            Some(purpose) => purpose.to_string(),
            None => self.category_title(category, config),
        }
    }

    pub fn category_description(&self, category: &Category, config: &Config) -> String {
        match &category.description {
            Some(text) => text.get(&self.code, &config.languages.default).to_string(),
            None => self.text(&format!("categories.{}.description", category.id)).to_string(),
        }
    }

    /// "13 months", "1 Tag", "Sessione"... in this locale's words.
    pub fn duration(&self, duration: CookieDuration) -> String {
        match duration {
            CookieDuration::Session => self.text("duration.session").to_string(),
            CookieDuration::Span { amount, unit } => {
                let form = plural_form(&self.code, amount);
                self.text(&format!("duration.{}.{form}", unit.key())).replace("{n}", &amount.to_string())
            }
        }
    }
}

/// CLDR plural category for the five languages: French treats 0 and 1 alike.
pub fn plural_form(code: &str, amount: u32) -> &'static str {
    let one = if code == "fr" { amount <= 1 } else { amount == 1 };
    if one { "one" } else { "other" }
}

/// Whether a site owner may override `key` (it is a UI string of the English locale).
pub fn is_overridable_key(key: &str) -> bool {
    static ENGLISH: OnceLock<Locale> = OnceLock::new();
    let english = ENGLISH.get_or_init(|| Locale::builtin("en"));
    key != "meta.code" && english.strings.contains_key(key)
}

/// Dotted keys for every string of the tree; the policy's own members are not UI strings.
fn flatten(prefix: &str, value: &Json, out: &mut BTreeMap<String, String>) -> Result<(), (String, String)> {
    match value {
        Json::Object(members) => {
            for (name, member) in members {
                let path = if prefix.is_empty() { name.clone() } else { format!("{prefix}.{name}") };
                if !is_policy_only(&path) {
                    flatten(&path, member, out)?;
                }
            }
            Ok(())
        }
        Json::String(text) => {
            out.insert(prefix.to_string(), text.clone());
            Ok(())
        }
        _ => Err((prefix.to_string(), "expected text or an object".to_string())),
    }
}

/// Every difference between `locale` and the English reference: missing, extra or empty keys.
pub fn completeness_problems(reference: &Locale, locale: &Locale) -> Vec<String> {
    let mut problems = Vec::new();
    for key in reference.strings.keys() {
        if !locale.strings.contains_key(key) {
            problems.push(format!("{}: missing key `{key}`", locale.code));
        }
    }
    for (key, text) in &locale.strings {
        if !reference.strings.contains_key(key) {
            problems.push(format!("{}: extra key `{key}`", locale.code));
        }
        if text.trim().is_empty() {
            problems.push(format!("{}: empty text at `{key}`", locale.code));
        }
    }
    problems
}

/// All five built-in locales, in switcher order.
pub fn builtin_locales() -> Vec<Locale> {
    SUPPORTED_LANGUAGES.iter().map(|code| Locale::builtin(code)).collect()
}

#[cfg(test)]
mod tests;
