//! The site owner's configuration: categories, cookie tables, languages, company identity.
//!
//! Parsing never panics: a broken configuration becomes one [`ConfigError`] that names the
//! field and its path, and the caller falls back to [`Config::safe_fallback`], which can
//! grant nothing but the necessary category.

use super::SUPPORTED_LANGUAGES;
use super::btree;
use super::country::{self, Safeguard};
use super::duration::CookieDuration;
use super::json::{self, Field, JsonError};
use super::markup::is_allowed_href;
use super::vendor_signals::Signal;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

#[cfg(feature = "serde")]
use super::serde_codec::forms;
mod appearance;
mod blocking;
mod privacy;
mod providers;
#[cfg(feature = "serde")]
mod serde_form;
pub use appearance::{BannerLayout, BoxCorner, Edge, Layout, PreferencesLayout, Theme, host_attributes};
pub use blocking::{Blocking, is_host_pattern};
pub use privacy::{Activity, ActivityKind, Jurisdiction, Recipient, RecipientPurpose, ServiceRole};
pub use providers::UndeclaredProvider;

/// Categories whose title and description the locales already provide in every language.
/// `marketing` covers all advertising; a site that asks for measuring its ads apart from
/// personalising them (a separate opt-in per purpose) uses `ad-measurement` and
/// `personalised-ads` instead, each with its own Consent Mode signals.
pub const WELL_KNOWN_CATEGORIES: [&str; 6] =
    ["necessary", "functional", "analytics", "marketing", "ad-measurement", "personalised-ads"];

const DEFAULT_COOKIE_NAME: &str = "consent_widget";
const DEFAULT_LIFETIME_DAYS: u32 = 182;
/// Longest consent lifetime we accept: regulators expect a re-ask after about a year.
const MAX_LIFETIME_DAYS: u32 = 395;
/// A hundred years: anything longer is a typing error.
const MAX_RETENTION_DAYS: u32 = 36_500;
/// What `consent-server --retention-days` keeps by default: three years.
pub const DEFAULT_RETENTION_DAYS: u32 = 1095;

#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", deny_unknown_fields))]
pub struct Config {
    /// Bumped by the site owner when purposes or vendors change: older consents are asked again.
    #[cfg_attr(feature = "serde", serde(default, deserialize_with = "forms::or_default"))]
    pub revision: u32,
    #[cfg_attr(feature = "serde", serde(default, deserialize_with = "forms::or_default"))]
    pub cookie: CookieSettings,
    #[cfg_attr(feature = "serde", serde(default, deserialize_with = "forms::or_default"))]
    pub languages: LanguageSettings,
    pub company: Company,
    #[cfg_attr(feature = "serde", serde(default, deserialize_with = "forms::or_default"))]
    pub links: Links,
    pub categories: Vec<Category>,
    /// Per-language overrides of any locale string, keyed by its dotted path (`banner.title`).
    #[cfg_attr(
        feature = "serde",
        serde(default, deserialize_with = "forms::texts", serialize_with = "forms::pairs_as_object")
    )]
    pub texts: Vec<(String, TextOverrides)>,
    /// Where each decision is recorded as proof of consent; nothing is sent without it.
    pub records: Option<RecordSettings>,
    /// Reload the page after a withdrawal (the default): scripts already run cannot be un-run,
    /// and a page that goes on running them goes on processing what was withdrawn.
    #[cfg_attr(
        feature = "serde",
        serde(default = "serde_form::reload_on_withdraw", deserialize_with = "serde_form::reload")
    )]
    pub reload_on_withdraw: bool,
    /// Google Consent Mode v2 signals, off unless enabled.
    pub consent_mode: Option<super::consent_mode::ConsentModeSettings>,
    /// The privacy policy's date and version, shown in it and covered by the text hash.
    pub policy: Option<PolicySettings>,
    /// What the company does with personal data beyond its website (contact, orders,
    /// newsletter...), each with its retention where the policy should state it: the policy
    /// describes exactly these.
    #[cfg_attr(feature = "serde", serde(default, deserialize_with = "forms::or_default"))]
    pub processing: Vec<Activity>,
    /// Processors and other recipients beyond the website's services (hosting, e-mail,
    /// accounting...), listed in the policy with their country and safeguard.
    #[cfg_attr(feature = "serde", serde(default, deserialize_with = "forms::or_default"))]
    pub recipients: Vec<Recipient>,
    /// The small "Cookie settings" button shown once the banner is gone.
    #[cfg_attr(feature = "serde", serde(default, deserialize_with = "forms::or_default"))]
    pub floating_button: FloatingButton,
    /// Where the banner shows and how the preferences open.
    #[cfg_attr(feature = "serde", serde(default, deserialize_with = "forms::or_default"))]
    pub layout: Layout,
    /// The colour theme the widget starts in.
    #[cfg_attr(feature = "serde", serde(default, deserialize_with = "forms::or_default"))]
    pub theme: Theme,
    /// What the loader holds back before consent beyond the elements the page marked.
    #[cfg_attr(feature = "serde", serde(default, deserialize_with = "forms::or_default"))]
    pub blocking: Blocking,
    /// The [`config_digest`](super::cookie::config_digest) of the text this configuration was
    /// read from, which the consent cookie is marked with; none for the safe fallback.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub digest: Option<String>,
    /// The JSON text this configuration was read from, as given: the text behind a record's
    /// hash includes it, so the proof holds every fact the policy and the banner were built from.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub source: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", deny_unknown_fields))]
pub struct RecordSettings {
    /// The record API's `consents` URL, e.g. `/api/v1/consents` (https or relative).
    pub endpoint: String,
    /// How long the server keeps a record (its `--retention-days`), as the policy states it.
    #[cfg_attr(
        feature = "serde",
        serde(default = "serde_form::default_retention_days", deserialize_with = "serde_form::retention_days")
    )]
    pub retention_days: u32,
}

#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", deny_unknown_fields))]
pub struct PolicySettings {
    pub date: PolicyDate,
    /// The site owner's name for this version, e.g. `3` or `2026-1`.
    pub version: String,
    /// Headings of the policy to leave out, by id, each with its section (what follows it up to
    /// the next heading of its level or above): the site's own facts differ.
    #[cfg_attr(feature = "serde", serde(default, deserialize_with = "forms::or_default"))]
    pub omit: Vec<String>,
    /// Sections of the site's own, in its words, e.g. a loyalty programme the policy has no
    /// block for.
    #[cfg_attr(feature = "serde", serde(default, deserialize_with = "forms::or_default"))]
    pub extra: Vec<PolicySection>,
}

/// A section of the site's own in its privacy policy: a heading and its paragraphs, each one
/// text for all languages or one per language (`[label](https://...)` links and `**stress**`
/// allowed, as in the built-in blocks).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", deny_unknown_fields))]
pub struct PolicySection {
    /// Its anchor, for links to `#<id>`.
    pub id: String,
    /// The id of the built-in heading it comes before, at that heading's level; at the end of
    /// the policy without one, or when the policy has no such heading.
    pub before: Option<String>,
    pub title: Text,
    pub paragraphs: Vec<Text>,
}

/// A calendar date, `YYYY-MM-DD` in the configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "String", into = "String"))]
pub struct PolicyDate {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl PolicyDate {
    pub fn parse(text: &str) -> Option<PolicyDate> {
        let bytes = text.as_bytes();
        let digits = |range: std::ops::Range<usize>| {
            let part = text.get(range)?;
            part.bytes().all(|b| b.is_ascii_digit()).then(|| part.parse::<u16>().ok()).flatten()
        };
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (year >= 1900 && (1..=days).contains(&day)).then_some(PolicyDate { year, month: month as u8, day: day as u8 })
    }
}

impl fmt::Display for PolicyDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", deny_unknown_fields, default))]
pub struct FloatingButton {
    #[cfg_attr(feature = "serde", serde(deserialize_with = "serde_form::button_enabled"))]
    pub enabled: bool,
    #[cfg_attr(feature = "serde", serde(deserialize_with = "serde_form::button_position"))]
    pub position: Corner,
}

impl Default for FloatingButton {
    fn default() -> Self {
        Self { enabled: true, position: Corner::BottomLeft }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum Corner {
    BottomLeft,
    BottomRight,
}

#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", deny_unknown_fields, default))]
pub struct CookieSettings {
    #[cfg_attr(feature = "serde", serde(deserialize_with = "serde_form::cookie_name"))]
    pub name: String,
    pub domain: Option<String>,
    #[cfg_attr(feature = "serde", serde(deserialize_with = "serde_form::lifetime_days"))]
    pub lifetime_days: u32,
}

impl Default for CookieSettings {
    fn default() -> Self {
        Self { name: DEFAULT_COOKIE_NAME.to_string(), domain: None, lifetime_days: DEFAULT_LIFETIME_DAYS }
    }
}

#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", deny_unknown_fields, default))]
pub struct LanguageSettings {
    #[cfg_attr(feature = "serde", serde(deserialize_with = "serde_form::enabled_languages"))]
    pub enabled: Vec<String>,
    #[cfg_attr(feature = "serde", serde(deserialize_with = "serde_form::default_language"))]
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

/// Who runs the site: the controller, named with its contacts in the privacy policy.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", deny_unknown_fields))]
pub struct Company {
    pub name: String,
    pub address: Option<String>,
    pub email: Option<String>,
    pub contact_url: Option<String>,
    /// The data protection officer, where the company has appointed one.
    pub dpo: Option<Dpo>,
    /// The representative in the EU (GDPR art. 27) of a company established outside it.
    pub eu_representative: Option<EuRepresentative>,
    /// The representative in Switzerland (nFADP art. 14) of a company established outside it.
    pub swiss_representative: Option<EuRepresentative>,
    /// The law the company answers to first: `CH` (the default), or `EU` and its national
    /// variants `FR`, `DE`, `AT`, `IT`, `ES`. The policy names that law, its cookie rule, its
    /// accounting period and its authority.
    #[cfg_attr(feature = "serde", serde(default, deserialize_with = "forms::or_default"))]
    pub jurisdiction: Jurisdiction,
}

/// The data protection officer and how to reach them (at least one way).
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", deny_unknown_fields))]
pub struct Dpo {
    pub name: String,
    pub email: Option<String>,
    pub address: Option<String>,
    pub contact_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", deny_unknown_fields))]
pub struct EuRepresentative {
    pub name: String,
    pub address: String,
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", deny_unknown_fields))]
pub struct Links {
    pub policy: Option<String>,
    pub imprint: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", deny_unknown_fields))]
pub struct Category {
    pub id: String,
    /// Required categories are always granted and shown as a disabled, switched-on control.
    #[cfg_attr(feature = "serde", serde(default, deserialize_with = "forms::or_default"))]
    pub required: bool,
    pub title: Option<Text>,
    pub description: Option<Text>,
    #[cfg_attr(feature = "serde", serde(default, deserialize_with = "forms::or_default"))]
    pub services: Vec<Service>,
    #[cfg_attr(feature = "serde", serde(default, deserialize_with = "forms::or_default"))]
    pub cookies: Vec<CookieInfo>,
    /// localStorage / sessionStorage keys (or `*` patterns) removed when the category is withdrawn.
    #[cfg_attr(feature = "serde", serde(default, deserialize_with = "forms::or_default"))]
    pub storage: Vec<String>,
    /// Sale, sharing or cross-context advertising: kept off while the browser sends Global
    /// Privacy Control, unless the visitor confirms otherwise.
    #[cfg_attr(feature = "serde", serde(default, deserialize_with = "forms::or_default"))]
    pub gpc: bool,
}

#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", deny_unknown_fields))]
pub struct Service {
    pub id: String,
    pub name: String,
    pub description: Option<Text>,
    /// The legal entity that receives the data (the company itself for a self-hosted tool).
    pub provider: String,
    /// Where the provider processes the data: ISO 3166-1 alpha-2, e.g. `CH`, `US`.
    pub country: String,
    /// What makes a transfer outside Switzerland and the EEA lawful.
    pub safeguard: Option<Safeguard>,
    /// Who answers for what the provider does with the data; the policy says it.
    pub role: Option<ServiceRole>,
    /// The provider's privacy policy (https or relative), linked from the policy.
    pub privacy_policy: Option<String>,
    /// The consent signal it takes beside its tag's blocking (src/core/vendor_signals.rs).
    pub signal: Option<Signal>,
    /// The hosts it loads from and sends to (`www.example.com`, `*.example.com`): with
    /// `blocking: "untagged"` the loader holds what the page loads from them until consent.
    #[cfg_attr(feature = "serde", serde(default, deserialize_with = "forms::or_default"))]
    pub hosts: Vec<String>,
    /// An embed loads from its provider's privacy-friendlier host (the catalogue's
    /// `embed.noCookieHost`, e.g. youtube-nocookie.com) once the visitor allows it.
    #[cfg_attr(feature = "serde", serde(default, deserialize_with = "forms::or_default"))]
    pub no_cookie: bool,
}

impl Service {
    /// The safeguard the transfer rests on; `None` when the data stays in Switzerland or the EEA.
    pub fn transfer_safeguard(&self) -> Option<Safeguard> {
        country::effective_safeguard(&self.country, self.safeguard)
    }
}

/// One row of a category's cookie table.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", deny_unknown_fields))]
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
        let mut config = Config::read(&Field::root(&tree)).map_err(ConfigError::from)?;
        config.validate()?;
        config.digest = Some(super::cookie::config_digest(text));
        config.source = Some(text.to_string());
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
        "policy",
        "processing",
        "recipients",
        "floatingButton",
        "layout",
        "theme",
        "blocking",
    ];

    pub(crate) fn read(field: &Field) -> Result<Config, JsonError> {
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
            reload_on_withdraw: members.read("reloadOnWithdraw", Field::bool)?.unwrap_or(true),
            consent_mode: members.read("consentMode", super::consent_mode::ConsentModeSettings::read)?,
            policy: members.read("policy", PolicySettings::read)?,
            processing: members.read("processing", |field| field.list(Activity::read))?.unwrap_or_default(),
            recipients: members.read("recipients", |field| field.list(Recipient::read))?.unwrap_or_default(),
            floating_button: members.read("floatingButton", FloatingButton::read)?.unwrap_or_default(),
            layout: members.read("layout", Layout::read)?.unwrap_or_default(),
            theme: members.read("theme", Theme::read)?.unwrap_or_default(),
            blocking: members.read("blocking", Blocking::read)?.unwrap_or_default(),
            digest: None,
            source: None,
        })
    }

    /// What a valid configuration still lacks for a policy one can publish: said once in the
    /// console (and by the scanner), never in the visitor's way.
    pub fn warnings(&self) -> Vec<ConfigError> {
        let mut warnings = Vec::new();
        let google = self
            .categories
            .iter()
            .flat_map(|category| &category.services)
            .find(|service| service.signal == Some(Signal::GoogleConsentMode));
        if let Some(service) = google.filter(|_| !self.consent_mode.as_ref().is_some_and(|mode| mode.enabled)) {
            warnings.push(error(
                "consentMode.enabled",
                format!(
                    "is off, while `{}` takes Google Consent Mode: Google's tags get no consent signal",
                    service.id
                ),
            ));
        }
        if self.policy.is_none() {
            warnings.push(error(
                "policy.date",
                "is not given, so the privacy policy shows no date: give the date this version took effect \
                 (`\"policy\": { \"date\": \"YYYY-MM-DD\", \"version\": \"1\" }`)",
            ));
        }
        for undeclared in self.undeclared_cookie_providers() {
            let category = &self.categories[undeclared.category];
            let index = category.cookies.iter().position(|cookie| std::ptr::eq(cookie, undeclared.cookie)).unwrap_or(0);
            warnings.push(error(
                format!("categories[{}].cookies[{index}].provider", undeclared.category),
                format!(
                    "`{}` (cookie `{}`) is neither `company.name` nor a service or recipient of the configuration: \
                     declare it in the category's `services` (a preset, or its provider and country), so that the \
                     policy says where it processes the data",
                    undeclared.cookie.provider, undeclared.cookie.name
                ),
            ));
        }
        warnings
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
            reload_on_withdraw: true,
            consent_mode: None,
            policy: None,
            processing: Vec::new(),
            recipients: Vec::new(),
            floating_button: FloatingButton::default(),
            layout: Layout::default(),
            theme: Theme::default(),
            blocking: Blocking::default(),
            digest: None,
            source: None,
        }
    }

    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|category| category.id == id)
    }

    /// Ids of the categories that are always granted.
    pub fn required_categories(&self) -> BTreeSet<String> {
        btree::set(self.categories.iter().filter(|category| category.required).map(|category| category.id.clone()))
    }

    pub fn all_categories(&self) -> BTreeSet<String> {
        btree::set(self.categories.iter().map(|category| category.id.clone()))
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
            if !(1..=MAX_RETENTION_DAYS).contains(&records.retention_days) {
                return Err(error(
                    "records.retentionDays",
                    format!(
                        "{} is out of range: give the server's --retention-days, 1 to {MAX_RETENTION_DAYS}",
                        records.retention_days
                    ),
                ));
            }
        }
        if let Some(policy) = &self.policy {
            let version = policy.version.trim();
            if version.is_empty() || version.chars().count() > 40 || version.chars().any(char::is_control) {
                return Err(error("policy.version", "give the policy's version, 1 to 40 characters"));
            }
            let mut ids = BTreeSet::new();
            for (index, section) in policy.extra.iter().enumerate() {
                let path = format!("policy.extra[{index}]");
                if !is_identifier(&section.id) || !ids.insert(section.id.as_str()) {
                    return Err(error(
                        format!("{path}.id"),
                        format!("`{}` is not a valid id, or is used twice", section.id),
                    ));
                }
                if section.title.is_blank() {
                    return Err(error(format!("{path}.title"), "must not be empty"));
                }
                if section.paragraphs.is_empty() || section.paragraphs.iter().any(Text::is_blank) {
                    return Err(error(format!("{path}.paragraphs"), "give at least one paragraph, none empty"));
                }
            }
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
                format!("`{name}` is not a valid cookie name: use letters, digits and ! # $ & ' * + - . ^ _ ` | ~"),
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
        if let Some(dpo) = &self.company.dpo {
            if dpo.name.trim().is_empty() {
                return Err(error("company.dpo.name", "the data protection officer's name is required"));
            }
            if dpo.email.is_none() && dpo.address.is_none() && dpo.contact_url.is_none() {
                return Err(error(
                    "company.dpo",
                    "give at least one way to reach the data protection officer: `email`, `address` or `contactUrl`",
                ));
            }
            if let Some(href) = &dpo.contact_url {
                check_href("company.dpo.contactUrl", href)?;
            }
        }
        if let Some(representative) = &self.company.eu_representative {
            for (field, text) in [("name", &representative.name), ("address", &representative.address)] {
                if text.trim().is_empty() {
                    return Err(error(format!("company.euRepresentative.{field}"), "must not be empty"));
                }
            }
        }
        let texts = [
            ("company.address", &self.company.address),
            ("company.email", &self.company.email),
            ("company.dpo.email", &self.company.dpo.as_ref().and_then(|dpo| dpo.email.clone())),
            ("company.dpo.address", &self.company.dpo.as_ref().and_then(|dpo| dpo.address.clone())),
            ("company.euRepresentative.email", &self.company.eu_representative.as_ref().and_then(|r| r.email.clone())),
        ];
        for (field, text) in texts {
            if text.as_deref().is_some_and(|text| text.trim().is_empty()) {
                return Err(error(field, "must not be empty: leave the field out instead"));
            }
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
                if service.provider.trim().is_empty() {
                    return Err(error(
                        format!("{service_path}.provider"),
                        "name the legal entity that receives the data (your company for a self-hosted tool)",
                    ));
                }
                if !country::is_assigned(&service.country) {
                    return Err(error(
                        format!("{service_path}.country"),
                        format!("`{}` is not an ISO 3166-1 alpha-2 country code such as `CH` or `US`", service.country),
                    ));
                }
                if let Some(problem) = country::safeguard_problem(&service.country, service.safeguard) {
                    return Err(error(format!("{service_path}.safeguard"), problem));
                }
                if let Some(host) = service.hosts.iter().find(|host| !is_host_pattern(host)) {
                    return Err(error(
                        format!("{service_path}.hosts"),
                        format!(
                            "`{host}` is not a host: write `www.example.com`, or `*.example.com` for every host under it"
                        ),
                    ));
                }
                if let Some(href) = service.privacy_policy.as_deref().filter(|href| !is_allowed_href(href)) {
                    return Err(error(
                        format!("{service_path}.privacyPolicy"),
                        format!("`{href}` is not an https:// or relative link"),
                    ));
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
    pub const FIELDS: &[&str] = &["endpoint", "retentionDays"];

    fn read(field: &Field) -> Result<RecordSettings, JsonError> {
        let members = field.object(Self::FIELDS)?;
        Ok(RecordSettings {
            endpoint: members.required("endpoint")?.string()?,
            retention_days: members.read("retentionDays", Field::integer)?.unwrap_or(DEFAULT_RETENTION_DAYS),
        })
    }
}

impl PolicySettings {
    pub const FIELDS: &[&str] = &["date", "version", "omit", "extra"];

    fn read(field: &Field) -> Result<PolicySettings, JsonError> {
        let members = field.object(Self::FIELDS)?;
        let date = members.required("date")?;
        Ok(PolicySettings {
            date: PolicyDate::parse(date.str()?)
                .ok_or_else(|| date.error("expected the date the policy took effect, as YYYY-MM-DD"))?,
            version: members.required("version")?.string()?,
            omit: members.read("omit", |field| field.list(Field::string))?.unwrap_or_default(),
            extra: members.read("extra", |field| field.list(PolicySection::read))?.unwrap_or_default(),
        })
    }
}

impl PolicySection {
    pub const FIELDS: &[&str] = &["id", "before", "title", "paragraphs"];

    fn read(field: &Field) -> Result<PolicySection, JsonError> {
        let members = field.object(Self::FIELDS)?;
        Ok(PolicySection {
            id: members.required("id")?.string()?,
            before: members.read("before", Field::string)?,
            title: Text::read(&members.required("title")?)?,
            paragraphs: members.required("paragraphs")?.list(Text::read)?,
        })
    }
}

impl FloatingButton {
    pub const FIELDS: &[&str] = &["enabled", "position"];

    fn read(field: &Field) -> Result<FloatingButton, JsonError> {
        let members = field.object(Self::FIELDS)?;
        let defaults = FloatingButton::default();
        let position = match members.optional("position") {
            None => defaults.position,
            Some(position) => match position.str()? {
                "bottom-left" => Corner::BottomLeft,
                "bottom-right" => Corner::BottomRight,
                other => {
                    return Err(
                        position.error(format!("`{other}` is not a position: use `bottom-left` or `bottom-right`"))
                    );
                }
            },
        };
        Ok(FloatingButton { enabled: members.read("enabled", Field::bool)?.unwrap_or(defaults.enabled), position })
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
    pub const FIELDS: &[&str] =
        &["name", "address", "email", "contactUrl", "dpo", "euRepresentative", "swissRepresentative", "jurisdiction"];

    fn read(field: &Field) -> Result<Company, JsonError> {
        let members = field.object(Self::FIELDS)?;
        Ok(Company {
            name: members.required("name")?.string()?,
            address: members.read("address", Field::string)?,
            email: members.read("email", Field::string)?,
            contact_url: members.read("contactUrl", Field::string)?,
            dpo: members.read("dpo", Dpo::read)?,
            eu_representative: members.read("euRepresentative", EuRepresentative::read)?,
            swiss_representative: members.read("swissRepresentative", EuRepresentative::read)?,
            jurisdiction: members.read("jurisdiction", Jurisdiction::read)?.unwrap_or_default(),
        })
    }
}

impl Dpo {
    pub const FIELDS: &[&str] = &["name", "email", "address", "contactUrl"];

    fn read(field: &Field) -> Result<Dpo, JsonError> {
        let members = field.object(Self::FIELDS)?;
        Ok(Dpo {
            name: members.required("name")?.string()?,
            email: members.read("email", Field::string)?,
            address: members.read("address", Field::string)?,
            contact_url: members.read("contactUrl", Field::string)?,
        })
    }
}

impl EuRepresentative {
    pub const FIELDS: &[&str] = &["name", "address", "email"];

    fn read(field: &Field) -> Result<EuRepresentative, JsonError> {
        let members = field.object(Self::FIELDS)?;
        Ok(EuRepresentative {
            name: members.required("name")?.string()?,
            address: members.required("address")?.string()?,
            email: members.read("email", Field::string)?,
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
    pub const FIELDS: &[&str] = &[
        "id",
        "name",
        "description",
        "provider",
        "country",
        "safeguard",
        "role",
        "privacyPolicy",
        "signal",
        "hosts",
        "noCookie",
    ];

    fn read(field: &Field) -> Result<Service, JsonError> {
        let members = field.object(Self::FIELDS)?;
        Ok(Service {
            id: members.required("id")?.string()?,
            name: members.required("name")?.string()?,
            description: members.read("description", Text::read)?,
            provider: members.required("provider")?.string()?,
            country: members.required("country")?.string()?,
            safeguard: members.read("safeguard", read_safeguard)?,
            role: members.read("role", ServiceRole::read)?,
            privacy_policy: members.read("privacyPolicy", Field::string)?,
            signal: members.read("signal", Signal::read)?,
            hosts: members.read("hosts", |field| field.list(Field::string))?.unwrap_or_default(),
            no_cookie: members.read("noCookie", Field::bool)?.unwrap_or(false),
        })
    }
}

fn read_safeguard(field: &Field) -> Result<Safeguard, JsonError> {
    let name = field.str()?;
    Safeguard::parse(name)
        .ok_or_else(|| field.error(format!("`{name}` is not a safeguard: use one of {}", Safeguard::NAMES.join(", "))))
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
        btree::try_map(texts.into_iter().map(|(code, text)| Ok((code.to_string(), text.string()?))))
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
            Ok((code.to_string(), btree::try_map(texts)?))
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
