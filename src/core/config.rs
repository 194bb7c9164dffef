//! The site owner's configuration: categories, cookie tables, languages, company identity.
//!
//! Parsing never panics: a broken configuration becomes one [`ConfigError`] that names the
//! field and its path, and the caller falls back to [`Config::safe_fallback`], which can
//! grant nothing but the necessary category.

use super::SUPPORTED_LANGUAGES;
use super::duration::CookieDuration;
use super::json::{self, Field, JsonError};
use super::markup::is_allowed_href;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// Categories whose title and description the locales already provide in every language.
pub const WELL_KNOWN_CATEGORIES: [&str; 4] = ["necessary", "functional", "analytics", "marketing"];

const DEFAULT_COOKIE_NAME: &str = "consent_widget";
const DEFAULT_LIFETIME_DAYS: u32 = 182;
/// Longest consent lifetime we accept: regulators expect a re-ask after about a year.
const MAX_LIFETIME_DAYS: u32 = 395;

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Bumped by the site owner when purposes or vendors change: older consents are asked again.
    pub revision: u32,
    pub cookie: CookieSettings,
    pub languages: LanguageSettings,
    pub company: Company,
    pub links: Links,
    pub categories: Vec<Category>,
    /// Per-language overrides of any locale string, keyed by its dotted path (`banner.title`).
    pub texts: Vec<(String, TextOverrides)>,
    /// Where each decision is recorded as proof of consent; nothing is sent without it.
    pub records: Option<RecordSettings>,
    /// Reload the page after a withdrawal: scripts already run cannot be un-run.
    pub reload_on_withdraw: bool,
    /// Google Consent Mode v2 signals, off unless enabled.
    pub consent_mode: Option<super::consent_mode::ConsentModeSettings>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RecordSettings {
    /// The record API's `consents` URL, e.g. `/api/v1/consents` (https or relative).
    pub endpoint: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CookieSettings {
    pub name: String,
    pub domain: Option<String>,
    pub lifetime_days: u32,
}

impl Default for CookieSettings {
    fn default() -> Self {
        Self { name: DEFAULT_COOKIE_NAME.to_string(), domain: None, lifetime_days: DEFAULT_LIFETIME_DAYS }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct LanguageSettings {
    pub enabled: Vec<String>,
    pub default: String,
    /// Always use this language, whatever the page or the browser says.
    pub force: Option<String>,
}

impl Default for LanguageSettings {
    fn default() -> Self {
        Self {
            enabled: SUPPORTED_LANGUAGES.iter().map(|code| code.to_string()).collect(),
            default: "en".to_string(),
            force: None,
        }
    }
}

/// Who runs the site: named in the privacy policy.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Company {
    pub name: String,
    pub address: Option<String>,
    pub email: Option<String>,
    pub contact_url: Option<String>,
    /// The data protection officer's name.
    pub dpo: Option<String>,
    /// The data-protection delegate's name, where the company has one besides the DPO.
    pub delegate: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Links {
    pub policy: Option<String>,
    pub imprint: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Category {
    pub id: String,
    /// Required categories are always granted and shown as a disabled, switched-on control.
    pub required: bool,
    pub title: Option<Text>,
    pub description: Option<Text>,
    pub services: Vec<Service>,
    pub cookies: Vec<CookieInfo>,
    /// localStorage / sessionStorage keys (or `*` patterns) removed when the category is withdrawn.
    pub storage: Vec<String>,
    /// Sale, sharing or cross-context advertising: kept off while the browser sends Global
    /// Privacy Control, unless the visitor confirms otherwise.
    pub gpc: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    pub id: String,
    pub name: String,
    pub description: Option<Text>,
}

/// One row of a category's cookie table.
#[derive(Debug, Clone, PartialEq)]
pub struct CookieInfo {
    /// An exact name, or a pattern with `*` wildcards (`_ga_*`).
    pub name: String,
    pub provider: String,
    pub purpose: Text,
    pub duration: CookieDuration,
}

/// A site's own wording for some locale strings of one language, by dotted key.
pub type TextOverrides = BTreeMap<String, String>;

/// Text a site owner gives either once for all languages or per language.
#[derive(Debug, Clone, PartialEq)]
pub enum Text {
    Same(String),
    PerLanguage(BTreeMap<String, String>),
}

impl Text {
    /// The text in `language`, else in `fallback`, else English, else any.
    pub fn get<'a>(&'a self, language: &str, fallback: &str) -> &'a str {
        match self {
            Text::Same(text) => text,
            Text::PerLanguage(texts) => [language, fallback, "en"]
                .iter()
                .find_map(|code| texts.get(*code))
                .or_else(|| texts.values().next())
                .map(String::as_str)
                .unwrap_or(""),
        }
    }

    fn is_blank(&self) -> bool {
        match self {
            Text::Same(text) => text.trim().is_empty(),
            Text::PerLanguage(texts) => texts.values().all(|text| text.trim().is_empty()),
        }
    }
}

/// What is wrong with a configuration, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The path of the offending field, e.g. `categories[1].cookies[0].duration`.
    pub path: String,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid configuration at `{}`: {}", self.path, self.message)
    }
}

impl std::error::Error for ConfigError {}

fn error(path: impl Into<String>, message: impl Into<String>) -> ConfigError {
    ConfigError { path: path.into(), message: message.into() }
}

impl Config {
    /// Parses and validates a configuration given as JSON text.
    pub fn from_json(text: &str) -> Result<Config, ConfigError> {
        let tree = json::parse(text).map_err(ConfigError::from)?;
        let config = Config::read(&Field::root(&tree)).map_err(ConfigError::from)?;
        config.validate()?;
        Ok(config)
    }

    /// The members a configuration may have (js/api.d.ts declares the same, a test checks).
    pub const FIELDS: &[&str] = &[
        "revision",
        "cookie",
        "languages",
        "company",
        "links",
        "categories",
        "texts",
        "records",
        "reloadOnWithdraw",
        "consentMode",
    ];

    fn read(field: &Field) -> Result<Config, JsonError> {
        let members = field.object(Config::FIELDS)?;
        Ok(Config {
            revision: members.read("revision", Field::integer)?.unwrap_or(0),
            cookie: members.read("cookie", CookieSettings::read)?.unwrap_or_default(),
            languages: members.read("languages", LanguageSettings::read)?.unwrap_or_default(),
            company: Company::read(&members.required("company")?)?,
            links: members.read("links", Links::read)?.unwrap_or_default(),
            categories: members.required("categories")?.list(Category::read)?,
            texts: members.read("texts", read_texts)?.unwrap_or_default(),
            records: members.read("records", RecordSettings::read)?,
            reload_on_withdraw: members.read("reloadOnWithdraw", Field::bool)?.unwrap_or(false),
            consent_mode: members.read("consentMode", super::consent_mode::ConsentModeSettings::read)?,
        })
    }

    /// The configuration used when the site's own is missing or broken: one required
    /// category, so that no choice, not even "Accept all", can grant anything else.
    pub fn safe_fallback(site_name: &str) -> Config {
        Config {
            revision: 0,
            cookie: CookieSettings::default(),
            languages: LanguageSettings::default(),
            company: Company { name: site_name.to_string(), ..Company::default() },
            links: Links::default(),
            categories: vec![Category {
                id: "necessary".to_string(),
                required: true,
                title: None,
                description: None,
                services: Vec::new(),
                cookies: Vec::new(),
                storage: Vec::new(),
                gpc: false,
            }],
            texts: Vec::new(),
            records: None,
            reload_on_withdraw: false,
            consent_mode: None,
        }
    }

    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|category| category.id == id)
    }

    /// Ids of the categories that are always granted.
    pub fn required_categories(&self) -> BTreeSet<String> {
        self.categories.iter().filter(|category| category.required).map(|category| category.id.clone()).collect()
    }

    pub fn all_categories(&self) -> BTreeSet<String> {
        self.categories.iter().map(|category| category.id.clone()).collect()
    }

    fn validate(&self) -> Result<(), ConfigError> {
        self.validate_cookie()?;
        self.validate_languages()?;
        self.validate_company()?;
        for (field, link) in [("links.policy", &self.links.policy), ("links.imprint", &self.links.imprint)] {
            if let Some(href) = link {
                check_href(field, href)?;
            }
        }
        if let Some(records) = &self.records {
            check_href("records.endpoint", &records.endpoint)?;
        }
        if let Some((category, kind)) = self.consent_mode.as_ref().and_then(|mode| mode.unknown_type()) {
            return Err(error(
                format!("consentMode.mapping.{category}"),
                format!("`{kind}` is not a consent type a category can grant"),
            ));
        }
        self.validate_categories()?;
        self.validate_texts()
    }

    fn validate_cookie(&self) -> Result<(), ConfigError> {
        let name = &self.cookie.name;
        let token = |c: char| c.is_ascii_alphanumeric() || "!#$&'*+-.^_`|~".contains(c);
        if name.is_empty() || !name.chars().all(token) {
            return Err(error(
                "cookie.name",
                format!("`{name}` is not a valid cookie name: use letters, digits, `_` or `-`"),
            ));
        }
        if let Some(domain) = &self.cookie.domain {
            let label = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '.';
            if domain.is_empty() || !domain.chars().all(label) {
                return Err(error("cookie.domain", format!("`{domain}` is not a domain name")));
            }
        }
        let days = self.cookie.lifetime_days;
        if days == 0 || days > MAX_LIFETIME_DAYS {
            return Err(error(
                "cookie.lifetimeDays",
                format!("{days} is out of range: a consent lasts from 1 to {MAX_LIFETIME_DAYS} days"),
            ));
        }
        Ok(())
    }

    fn validate_languages(&self) -> Result<(), ConfigError> {
        let languages = &self.languages;
        if languages.enabled.is_empty() {
            return Err(error("languages.enabled", "enable at least one language"));
        }
        for (index, code) in languages.enabled.iter().enumerate() {
            check_supported(&format!("languages.enabled[{index}]"), code)?;
        }
        for (field, code) in
            [("languages.default", Some(&languages.default)), ("languages.force", languages.force.as_ref())]
        {
            if let Some(code) = code {
                check_supported(field, code)?;
                if !languages.enabled.contains(code) {
                    return Err(error(field, format!("`{code}` is not in languages.enabled")));
                }
            }
        }
        Ok(())
    }

    fn validate_company(&self) -> Result<(), ConfigError> {
        if self.company.name.trim().is_empty() {
            return Err(error("company.name", "the company name is required: the privacy policy names it"));
        }
        if let Some(href) = &self.company.contact_url {
            check_href("company.contactUrl", href)?;
        }
        Ok(())
    }

    fn validate_categories(&self) -> Result<(), ConfigError> {
        if self.categories.is_empty() {
            return Err(error("categories", "list at least one category"));
        }
        let mut seen = BTreeSet::new();
        for (index, category) in self.categories.iter().enumerate() {
            let path = format!("categories[{index}]");
            if !is_identifier(&category.id) {
                return Err(error(
                    format!("{path}.id"),
                    format!("`{}` is not a valid id: use lower-case letters, digits, `-` or `_`", category.id),
                ));
            }
            if !seen.insert(category.id.as_str()) {
                return Err(error(format!("{path}.id"), format!("`{}` is used by two categories", category.id)));
            }
            let well_known = WELL_KNOWN_CATEGORIES.contains(&category.id.as_str());
            for (field, text) in [("title", &category.title), ("description", &category.description)] {
                match text {
                    Some(text) if text.is_blank() => {
                        return Err(error(format!("{path}.{field}"), "must not be empty"));
                    }
                    None if !well_known => {
                        return Err(error(
                            format!("{path}.{field}"),
                            format!(
                                "is required for category `{}` (only {WELL_KNOWN_CATEGORIES:?} have built-in texts)",
                                category.id
                            ),
                        ));
                    }
                    _ => {}
                }
            }
            let mut services = BTreeSet::new();
            for (service_index, service) in category.services.iter().enumerate() {
                let service_path = format!("{path}.services[{service_index}]");
                if !is_identifier(&service.id) {
                    return Err(error(format!("{service_path}.id"), format!("`{}` is not a valid id", service.id)));
                }
                if !services.insert(service.id.as_str()) {
                    return Err(error(
                        format!("{service_path}.id"),
                        format!("`{}` is used twice in this category", service.id),
                    ));
                }
                if service.name.trim().is_empty() {
                    return Err(error(format!("{service_path}.name"), "must not be empty"));
                }
            }
            for (cookie_index, cookie) in category.cookies.iter().enumerate() {
                let cookie_path = format!("{path}.cookies[{cookie_index}]");
                if cookie.name.trim().is_empty() {
                    return Err(error(format!("{cookie_path}.name"), "must not be empty"));
                }
                if cookie.purpose.is_blank() {
                    return Err(error(format!("{cookie_path}.purpose"), "must not be empty"));
                }
            }
        }
        Ok(())
    }

    fn validate_texts(&self) -> Result<(), ConfigError> {
        for (code, texts) in &self.texts {
            check_supported(&format!("texts.{code}"), code)?;
            for (key, text) in texts {
                if text.trim().is_empty() {
                    return Err(error(format!("texts.{code}.{key}"), "must not be empty"));
                }
                if !super::i18n::is_overridable_key(key) {
                    return Err(error(format!("texts.{code}.{key}"), format!("`{key}` is not a text of the widget")));
                }
            }
        }
        Ok(())
    }
}

impl RecordSettings {
    pub const FIELDS: &[&str] = &["endpoint"];

    fn read(field: &Field) -> Result<RecordSettings, JsonError> {
        Ok(RecordSettings { endpoint: field.object(Self::FIELDS)?.required("endpoint")?.string()? })
    }
}

impl CookieSettings {
    pub const FIELDS: &[&str] = &["name", "domain", "lifetimeDays"];

    fn read(field: &Field) -> Result<CookieSettings, JsonError> {
        let members = field.object(Self::FIELDS)?;
        let defaults = CookieSettings::default();
        Ok(CookieSettings {
            name: members.read("name", Field::string)?.unwrap_or(defaults.name),
            domain: members.read("domain", Field::string)?,
            lifetime_days: members.read("lifetimeDays", Field::integer)?.unwrap_or(defaults.lifetime_days),
        })
    }
}

impl LanguageSettings {
    pub const FIELDS: &[&str] = &["enabled", "default", "force"];

    fn read(field: &Field) -> Result<LanguageSettings, JsonError> {
        let members = field.object(Self::FIELDS)?;
        let defaults = LanguageSettings::default();
        Ok(LanguageSettings {
            enabled: members.read("enabled", |field| field.list(Field::string))?.unwrap_or(defaults.enabled),
            default: members.read("default", Field::string)?.unwrap_or(defaults.default),
            force: members.read("force", Field::string)?,
        })
    }
}

impl Company {
    pub const FIELDS: &[&str] = &["name", "address", "email", "contactUrl", "dpo", "delegate"];

    fn read(field: &Field) -> Result<Company, JsonError> {
        let members = field.object(Self::FIELDS)?;
        Ok(Company {
            name: members.required("name")?.string()?,
            address: members.read("address", Field::string)?,
            email: members.read("email", Field::string)?,
            contact_url: members.read("contactUrl", Field::string)?,
            dpo: members.read("dpo", Field::string)?,
            delegate: members.read("delegate", Field::string)?,
        })
    }
}

impl Links {
    pub const FIELDS: &[&str] = &["policy", "imprint"];

    fn read(field: &Field) -> Result<Links, JsonError> {
        let members = field.object(Self::FIELDS)?;
        Ok(Links { policy: members.read("policy", Field::string)?, imprint: members.read("imprint", Field::string)? })
    }
}

impl Category {
    pub const FIELDS: &[&str] = &["id", "required", "title", "description", "services", "cookies", "storage", "gpc"];

    fn read(field: &Field) -> Result<Category, JsonError> {
        let members = field.object(Self::FIELDS)?;
        Ok(Category {
            id: members.required("id")?.string()?,
            required: members.read("required", Field::bool)?.unwrap_or(false),
            title: members.read("title", Text::read)?,
            description: members.read("description", Text::read)?,
            services: members.read("services", |field| field.list(Service::read))?.unwrap_or_default(),
            cookies: members.read("cookies", |field| field.list(CookieInfo::read))?.unwrap_or_default(),
            storage: members.read("storage", |field| field.list(Field::string))?.unwrap_or_default(),
            gpc: members.read("gpc", Field::bool)?.unwrap_or(false),
        })
    }
}

impl Service {
    pub const FIELDS: &[&str] = &["id", "name", "description"];

    fn read(field: &Field) -> Result<Service, JsonError> {
        let members = field.object(Self::FIELDS)?;
        Ok(Service {
            id: members.required("id")?.string()?,
            name: members.required("name")?.string()?,
            description: members.read("description", Text::read)?,
        })
    }
}

impl CookieInfo {
    pub const FIELDS: &[&str] = &["name", "provider", "purpose", "duration"];

    fn read(field: &Field) -> Result<CookieInfo, JsonError> {
        let members = field.object(Self::FIELDS)?;
        let duration = members.required("duration")?;
        Ok(CookieInfo {
            name: members.required("name")?.string()?,
            provider: members.required("provider")?.string()?,
            purpose: Text::read(&members.required("purpose")?)?,
            duration: CookieDuration::try_from(duration.string()?)
                .map_err(|error| duration.error(error.to_string()))?,
        })
    }
}

impl Text {
    /// One string, or an object of strings by language.
    fn read(field: &Field) -> Result<Text, JsonError> {
        if let Some(text) = field.value.as_str() {
            return Ok(Text::Same(text.to_string()));
        }
        let texts = field.entries().map_err(|_| field.error("expected text, or an object of texts by language"))?;
        texts
            .into_iter()
            .map(|(code, text)| Ok((code.to_string(), text.string()?)))
            .collect::<Result<_, _>>()
            .map(Text::PerLanguage)
    }
}

/// `{ "fr": { "banner.title": "..." } }`
fn read_texts(field: &Field) -> Result<Vec<(String, TextOverrides)>, JsonError> {
    field
        .entries()?
        .into_iter()
        .map(|(code, texts)| {
            let texts = texts.entries()?.into_iter().map(|(key, text)| Ok((key.to_string(), text.string()?)));
            Ok((code.to_string(), texts.collect::<Result<_, JsonError>>()?))
        })
        .collect()
}

impl From<JsonError> for ConfigError {
    fn from(error: JsonError) -> ConfigError {
        let path = if error.path.is_empty() { "(root)".to_string() } else { error.path };
        ConfigError { path, message: error.message }
    }
}

fn check_supported(path: &str, code: &str) -> Result<(), ConfigError> {
    if SUPPORTED_LANGUAGES.contains(&code) {
        Ok(())
    } else {
        Err(error(
            path,
            format!("`{code}` is not a supported language (supported: {})", SUPPORTED_LANGUAGES.join(", ")),
        ))
    }
}

fn check_href(path: &str, href: &str) -> Result<(), ConfigError> {
    if is_allowed_href(href) {
        Ok(())
    } else {
        Err(error(path, format!("`{href}` is not allowed: links must be https:// or relative")))
    }
}

/// Category and service ids: short, lower-case, safe in cookies, URLs and CSS selectors.
pub fn is_identifier(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests;
