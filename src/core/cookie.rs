//! The consent cookie: its value format and the `document.cookie` strings that write it.
//!
//! The value is the consent as JSON, percent-encoded so that it only holds cookie-safe
//! characters. Anything that does not decode to a well-formed consent is treated as no
//! consent at all: the banner shows again, the page never breaks.
//!
//! After the JSON, `!` and a [`config_digest`] may follow: the configuration under which the
//! wasm last found this consent current. On the next page view the loader (js/stored-consent.js)
//! runs the tags the consent allows as soon as it reads the same configuration text, without
//! waiting for the wasm and without a second copy of the consent's rules: any change to the
//! configuration changes the digest, and then the wasm decides, as always.

use super::config::Config;
use super::consent::{Consent, Standing};
use super::json::{self, Field};
use std::fmt;

/// Longer values are refused before any parsing: browsers cap a cookie at about 4 KB.
const MAX_VALUE_LENGTH: usize = 4096;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CookieError {
    TooLong,
    BadEncoding,
    BadContent(String),
}

impl std::error::Error for CookieError {}

impl fmt::Display for CookieError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CookieError::TooLong => write!(f, "the consent cookie is too long"),
            CookieError::BadEncoding => write!(f, "the consent cookie is not percent-encoded text"),
            CookieError::BadContent(reason) => write!(f, "the consent cookie does not hold a consent: {reason}"),
        }
    }
}

/// Separates the consent from the digest of the configuration it was confirmed under: `!` is
/// always percent-encoded in the consent's part.
const CONFIRMATION: char = '!';

/// The cookie's value for `consent`, marked as current under the configuration whose
/// [`config_digest`] is `confirmed_under`.
pub fn encode(consent: &Consent, confirmed_under: Option<&str>) -> String {
    let mut value = percent_encode(&consent.to_json().to_string());
    if let Some(digest) = confirmed_under {
        value.push(CONFIRMATION);
        value.push_str(digest);
    }
    value
}

pub fn decode(value: &str) -> Result<Consent, CookieError> {
    if value.len() > MAX_VALUE_LENGTH {
        return Err(CookieError::TooLong);
    }
    let consent = value.split_once(CONFIRMATION).map_or(value, |(consent, _)| consent);
    let text = percent_decode(consent).ok_or(CookieError::BadEncoding)?;
    let tree = json::parse(&text).map_err(|error| CookieError::BadContent(error.to_string()))?;
    Consent::read(&Field::root(&tree)).map_err(|error| CookieError::BadContent(error.to_string()))
}

/// The digest of the configuration the cookie `value` was last confirmed under, if any.
pub fn confirmed_under(value: &str) -> Option<&str> {
    value.split_once(CONFIRMATION).map(|(_, digest)| digest).filter(|digest| is_digest(digest))
}

/// A configuration's digest: FNV-1a (32 bits) of its JSON text's UTF-8 bytes, in 8 hex digits.
/// It only tells one text from another (a site changing its configuration), so a small fast
/// hash that the loader computes the same way in JavaScript is enough.
pub fn config_digest(text: &str) -> String {
    let hash = text.bytes().fold(0x811c_9dc5_u32, |hash, byte| (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193));
    format!("{hash:08x}")
}

fn is_digest(text: &str) -> bool {
    text.len() == 8 && text.bytes().all(|byte| matches!(byte, b'0'..=b'9' | b'a'..=b'f'))
}

/// The consent a request's `Cookie` header carries, if the widget confirmed it under `config`
/// (read from its text, so that it has a digest) and it is current at `now` (unix seconds): what a
/// server renders so that the page hydrates to what the widget shows, for axum or any Rust server
/// (the npm module's `readConsent` is the same rule in JavaScript). Global Privacy Control (a
/// request's `Sec-GPC: 1`) withholds what it keeps off, as in the browser.
pub fn current_consent(cookie_header: &str, config: &Config, now: i64, gpc: bool) -> Option<Consent> {
    let value = find(cookie_header, &config.cookie.name)?;
    if config.digest.is_none() || confirmed_under(value) != config.digest.as_deref() {
        return None;
    }
    let mut consent = decode(value).ok()?;
    if consent.standing(config, now) != Standing::Current {
        return None;
    }
    if gpc {
        let withheld = consent.gpc_withheld(config);
        consent.categories.retain(|id| !withheld.contains(id));
        consent.services.retain(|category, _| !withheld.contains(category));
    }
    Some(consent)
}

/// Finds the value of cookie `name` in a `document.cookie` string.
pub fn find<'a>(cookie_header: &'a str, name: &str) -> Option<&'a str> {
    cookie_header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// Where and how the consent cookie is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CookieTarget<'a> {
    pub name: &'a str,
    pub domain: Option<&'a str>,
    /// `Secure` is only possible, and always wanted, on https pages.
    pub secure: bool,
}

impl CookieTarget<'_> {
    /// The `document.cookie` assignment that stores `value` for `max_age` seconds.
    pub fn write(&self, value: &str, max_age: i64) -> String {
        let mut cookie = format!("{}={value}; Max-Age={max_age}; Path=/; SameSite=Lax", self.name);
        if let Some(domain) = self.domain {
            cookie.push_str("; Domain=");
            cookie.push_str(domain);
        }
        if self.secure {
            cookie.push_str("; Secure");
        }
        cookie
    }

    /// The assignment that deletes the cookie.
    pub fn delete(&self) -> String {
        self.write("", 0)
    }
}

fn percent_encode(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len() * 3 / 2);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push('%');
            super::hex::push_upper(&mut encoded, byte);
        }
    }
    encoded
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'%' => {
                let hex = bytes.get(index + 1..index + 3)?;
                if !hex.iter().all(u8::is_ascii_hexdigit) {
                    return None;
                }
                let hex = std::str::from_utf8(hex).ok()?;
                decoded.push(u8::from_str_radix(hex, 16).ok()?);
                index += 3;
            }
            byte if byte.is_ascii_graphic() && !b"\",;\\".contains(&byte) => {
                decoded.push(byte);
                index += 1;
            }
            _ => return None,
        }
    }
    String::from_utf8(decoded).ok()
}

#[cfg(test)]
mod tests;
