//! The proof-of-consent record: what the widget sends after each decision and the server
//! keeps. Defined once, here, for both sides.

use super::btree;
use super::config::{Config, is_identifier};
use super::consent::{Consent, Method, read_services, read_set, read_uuid, services_json};
pub use super::hex::hex;
use super::i18n::Locale;
use super::json::{self, Field, Json, JsonError};
use super::policy::cookie_rows;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use uuid::Uuid;

/// One decision by one visitor.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", deny_unknown_fields))]
pub struct ConsentRecord {
    /// Unique per decision: the idempotency key, so a retried delivery is stored once.
    pub record_id: Uuid,
    /// The visitor's consent id (from the cookie), shared by all their decisions.
    pub consent_id: Uuid,
    pub method: Method,
    pub granted: BTreeSet<String>,
    pub denied: BTreeSet<String>,
    /// Granted services, by category (may be left out).
    #[cfg_attr(feature = "serde", serde(default, deserialize_with = "super::serde_codec::forms::unique_map_or_empty"))]
    pub services: BTreeMap<String, BTreeSet<String>>,
    pub revision: u32,
    pub language: String,
    /// SHA-256 (hex) of the texts the visitor was shown, see [`shown_text`].
    pub text_hash: String,
    /// `https://example.com` (scheme, host, port): never a path or query.
    pub origin: String,
    /// The page path, without query string or fragment.
    pub path: String,
    pub widget_version: String,
    /// The visitor's clock, Unix milliseconds.
    pub client_time: i64,
}

/// Earliest plausible client time (2024-01-01), to catch clocks and payloads gone wrong.
pub const EARLIEST_CLIENT_TIME: i64 = 1_704_067_200_000;
/// Latest plausible client time (2100-01-01). A fixed bound rather than one relative to the
/// server's clock: a visitor whose clock runs ahead still has their decision recorded (the
/// record's time of reference is the server's), and the API document can state the range.
pub const LATEST_CLIENT_TIME: i64 = 4_102_444_800_000;

/// The record's JSON fields, in the order they are written.
const FIELDS: [&str; 13] = [
    "recordId",
    "consentId",
    "method",
    "granted",
    "denied",
    "services",
    "revision",
    "language",
    "textHash",
    "origin",
    "path",
    "widgetVersion",
    "clientTime",
];

impl ConsentRecord {
    /// The JSON the widget sends: every field, names in camelCase.
    pub fn to_json(&self) -> Json {
        let values = [
            Json::from(self.record_id.to_string()),
            Json::from(self.consent_id.to_string()),
            Json::from(self.method.as_str()),
            Json::strings(&self.granted),
            Json::strings(&self.denied),
            services_json(&self.services),
            Json::from(self.revision),
            Json::from(self.language.as_str()),
            Json::from(self.text_hash.as_str()),
            Json::from(self.origin.as_str()),
            Json::from(self.path.as_str()),
            Json::from(self.widget_version.as_str()),
            Json::from(self.client_time),
        ];
        Json::object(FIELDS.into_iter().zip(values))
    }

    /// Reads a record with the widget's own reader: unknown fields are refused, and an error
    /// names the field (its `path` is empty when the body is not a record at all). The server
    /// reads records through the serde derives instead (`core::serde_codec`, feature `serde`);
    /// `core::serde_parity` tests that both read the same.
    pub fn from_json(text: &str) -> Result<ConsentRecord, JsonError> {
        ConsentRecord::read(&Field::root(&json::parse(text)?))
    }

    pub fn read(field: &Field) -> Result<ConsentRecord, JsonError> {
        let members = field.object(&FIELDS)?;
        Ok(ConsentRecord {
            record_id: read_uuid(&members.required("recordId")?)?,
            consent_id: read_uuid(&members.required("consentId")?)?,
            method: Method::read(&members.required("method")?)?,
            granted: read_set(&members.required("granted")?)?,
            denied: read_set(&members.required("denied")?)?,
            services: members.read("services", read_services)?.unwrap_or_default(),
            revision: members.required("revision")?.integer()?,
            language: members.required("language")?.string()?,
            text_hash: members.required("textHash")?.string()?,
            origin: members.required("origin")?.string()?,
            path: members.required("path")?.string()?,
            widget_version: members.required("widgetVersion")?.string()?,
            client_time: members.required("clientTime")?.integer()?,
        })
    }

    /// The record of the decision that produced `consent`.
    pub fn for_decision(
        config: &Config,
        locale: &Locale,
        consent: &Consent,
        record_id: Uuid,
        origin: &str,
        path: &str,
        client_time: i64,
    ) -> ConsentRecord {
        ConsentRecord {
            record_id,
            consent_id: consent.id,
            method: consent.method,
            granted: consent.categories.clone(),
            denied: btree::set(config.all_categories().difference(&consent.categories).cloned()),
            services: consent.services.clone(),
            revision: consent.revision,
            language: consent.language.clone(),
            text_hash: text_hash(locale, config),
            origin: origin.to_string(),
            path: path.split(['?', '#']).next().unwrap_or("/").to_string(),
            widget_version: super::VERSION.to_string(),
            client_time,
        }
    }

    /// Checks every field, so the server can answer a bad record with a reason.
    pub fn validate(&self) -> Result<(), RecordError> {
        let fail = |field: &'static str, message: String| Err(RecordError { field, message });
        for (field, id) in [("recordId", self.record_id), ("consentId", self.consent_id)] {
            // The nil and max UUIDs are placeholders, not ids anyone generated: two visitors
            // sending one would collide.
            if id.is_nil() || id.is_max() {
                return fail(field, format!("`{id}` is a placeholder UUID, not a generated id"));
            }
        }
        let categories = self.granted.iter().chain(&self.denied).chain(self.services.keys());
        if let Some(bad) = categories.clone().find(|id| !is_identifier(id)) {
            return fail("granted", format!("`{bad}` is not a category id"));
        }
        if self.granted.len() + self.denied.len() > 64 {
            return fail("granted", "more than 64 categories".to_string());
        }
        if let Some(both) = self.granted.intersection(&self.denied).next() {
            return fail("denied", format!("`{both}` is both granted and denied"));
        }
        for (category, services) in &self.services {
            // Granted whole, or denied with services allowed one by one.
            if !self.granted.contains(category) && !self.denied.contains(category) {
                return fail("services", format!("services of `{category}`, which is neither granted nor denied"));
            }
            if let Some(bad) = services.iter().find(|id| !is_identifier(id)) {
                return fail("services", format!("`{bad}` is not a service id"));
            }
        }
        if !super::SUPPORTED_LANGUAGES.contains(&self.language.as_str()) {
            return fail("language", format!("`{}` is not a supported language", self.language));
        }
        if self.text_hash.len() != 64
            || !self.text_hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return fail("textHash", "expected 64 lower-case hex digits (SHA-256)".to_string());
        }
        if !is_origin(&self.origin) {
            return fail("origin", format!("`{}` is not an origin like https://example.com", self.origin));
        }
        if !self.path.starts_with('/')
            || self.path.chars().count() > 512
            || self.path.contains(['?', '#'])
            || self.path.chars().any(char::is_control)
        {
            return fail(
                "path",
                "expected a path starting with `/`, without query or fragment, at most 512 characters".to_string(),
            );
        }
        if self.widget_version.is_empty()
            || self.widget_version.len() > 32
            || !self.widget_version.chars().all(|c| c.is_ascii_alphanumeric() || ".-+".contains(c))
        {
            return fail("widgetVersion", "expected a version like 1.2.3".to_string());
        }
        if !(EARLIEST_CLIENT_TIME..LATEST_CLIENT_TIME).contains(&self.client_time) {
            return fail("clientTime", format!("{} is not a plausible time in Unix milliseconds", self.client_time));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordError {
    /// The JSON field at fault.
    pub field: &'static str,
    pub message: String,
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}`: {}", self.field, self.message)
    }
}

/// The canonical form of what a visitor saw before deciding, in their language: the
/// banner's and the preferences' texts; each category's title and description; each
/// service's name, description, provider, country and transfer safeguard; each row of the
/// cookie tables, the widget's own storage included; the policy's version, date and link; the
/// records' retention; the configuration revision; and what the privacy policy is built from:
/// the configuration's text as the widget read it and the SHA-256 of the locale file (with the
/// record's widget version, they give the policy's body word for word). One `key<TAB>value`
/// line each, keys sorted, tabs, newlines and backslashes escaped. An auditor can rebuild it
/// from the locale file and the configuration and compare its SHA-256 with the record's
/// `textHash`; the record server keeps it too (`/api/v1/texts/{hash}`).
pub fn shown_text(locale: &Locale, config: &Config) -> String {
    let mut lines: BTreeMap<String, String> = btree::map(
        locale
            .keys()
            .filter(|(key, _)| key.starts_with("banner.") || key.starts_with("preferences."))
            .map(|(key, value)| (key.clone(), value.clone())),
    );
    let language = (&locale.code, &config.languages.default);
    for category in &config.categories {
        let id = &category.id;
        lines.insert(format!("category.{id}.title"), locale.category_title(category, config));
        lines.insert(format!("category.{id}.description"), locale.category_description(category, config));
        if !category.required {
            // As the banner lists it.
            lines.insert(format!("category.{id}.purpose"), locale.category_purpose(category, config));
        }
        for service in &category.services {
            let key = |field: &str| format!("service.{id}.{}.{field}", service.id);
            lines.insert(key("name"), service.name.clone());
            if let Some(description) = &service.description {
                lines.insert(key("description"), description.get(language.0, language.1).to_string());
            }
            lines.insert(key("provider"), service.provider.clone());
            lines.insert(key("country"), service.country.clone());
            lines.insert(
                key("safeguard"),
                service.transfer_safeguard().map_or("none", |safeguard| safeguard.name()).into(),
            );
        }
        for (index, row) in cookie_rows(locale, config, category).into_iter().enumerate() {
            let key = |field: &str| format!("cookie.{id}.{index}.{field}");
            lines.insert(key("name"), row.name);
            lines.insert(key("provider"), row.provider);
            lines.insert(key("purpose"), row.purpose);
            lines.insert(key("duration"), row.duration);
        }
    }
    if let Some(records) = &config.records {
        // What the policy tells visitors about this very record; the server compares it with its own.
        lines.insert("records.retentionDays".to_string(), records.retention_days.to_string());
    }
    if let Some(url) = &config.links.policy {
        lines.insert("links.policy".to_string(), url.clone());
    }
    if let Some(policy) = &config.policy {
        lines.insert("policy.date".to_string(), policy.date.to_string());
        lines.insert("policy.version".to_string(), policy.version.clone());
    }
    lines.insert("config.revision".to_string(), config.revision.to_string());
    if let Some(source) = &config.source {
        lines.insert("config.source".to_string(), source.clone());
    }
    if let Some((_, digest)) = LOCALE_SOURCES.iter().find(|(code, _)| *code == locale.code) {
        lines.insert("locale.source".to_string(), (*digest).to_string());
    }
    lines.insert("meta.language".to_string(), locale.code.clone());
    let escape = |text: &str| text.replace('\\', "\\\\").replace('\t', "\\t").replace('\n', "\\n");
    let mut canonical = String::from(SHOWN_TEXT_HEADER);
    for (key, value) in lines {
        canonical.push_str(&escape(&key));
        canonical.push('\t');
        canonical.push_str(&escape(&value));
        canonical.push('\n');
    }
    canonical
}

/// Where to send the text a receipt asks for (`sendText`, a path on the record server), from
/// the endpoint the record went to: the path on the endpoint's origin. `None` for anything
/// but a path, so a receipt cannot send the text elsewhere.
pub fn text_url(endpoint: &str, send_text: &str) -> Option<String> {
    if !send_text.starts_with('/') || send_text.starts_with("//") || send_text.contains(['\\', '?', '#']) {
        return None;
    }
    let origin = ["https://", "http://"]
        .iter()
        .find_map(|scheme| endpoint.strip_prefix(scheme).map(|rest| (scheme, rest)))
        .map(|(scheme, rest)| format!("{scheme}{}", rest.split('/').next().unwrap_or("")));
    Some(format!("{}{send_text}", origin.unwrap_or_default()))
}

include!(concat!(env!("OUT_DIR"), "/locale_sources.rs"));

/// The first line of every [`shown_text`], naming its form.
pub const SHOWN_TEXT_HEADER: &str = "consent-widget shown-text v3\n";

/// SHA-256 of [`shown_text`], as lower-case hex.
pub fn text_hash(locale: &Locale, config: &Config) -> String {
    hex(&Sha256::digest(shown_text(locale, config).as_bytes()))
}

fn is_origin(origin: &str) -> bool {
    let Some(rest) = origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://")) else {
        return false;
    };
    !rest.is_empty() && origin.len() <= 255 && rest.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
}

#[cfg(test)]
mod tests;
