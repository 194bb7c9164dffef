//! What the configuration's serde derives need beyond attributes: the defaults of members
//! that may be left out or `null` (as the widget's reader allows), and the policy date's text.

use super::{CookieSettings, Corner, DEFAULT_RETENTION_DAYS, FloatingButton, LanguageSettings, PolicyDate};
use crate::core::serde_codec::forms::or_else;
use serde::Deserializer;

pub fn default_retention_days() -> u32 {
    DEFAULT_RETENTION_DAYS
}

pub fn retention_days<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
    or_else(deserializer, default_retention_days)
}

pub fn reload_on_withdraw() -> bool {
    true
}

pub fn reload<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    or_else(deserializer, reload_on_withdraw)
}

pub fn cookie_name<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    or_else(deserializer, || CookieSettings::default().name)
}

pub fn lifetime_days<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
    or_else(deserializer, || CookieSettings::default().lifetime_days)
}

pub fn enabled_languages<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    or_else(deserializer, || LanguageSettings::default().enabled)
}

pub fn default_language<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    or_else(deserializer, || LanguageSettings::default().default)
}

pub fn button_enabled<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    or_else(deserializer, || FloatingButton::default().enabled)
}

pub fn button_position<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Corner, D::Error> {
    or_else(deserializer, || FloatingButton::default().position)
}

impl TryFrom<String> for PolicyDate {
    type Error = &'static str;

    fn try_from(text: String) -> Result<PolicyDate, Self::Error> {
        PolicyDate::parse(&text).ok_or("expected the date the policy took effect, as YYYY-MM-DD")
    }
}

/// `2026-03-01`.
impl From<PolicyDate> for String {
    fn from(date: PolicyDate) -> String {
        date.to_string()
    }
}
