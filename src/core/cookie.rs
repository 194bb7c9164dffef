//! The consent cookie: its value format and the `document.cookie` strings that write it.
//!
//! The value is the consent as JSON, percent-encoded so that it only holds cookie-safe
//! characters. Anything that does not decode to a well-formed consent is treated as no
//! consent at all: the banner shows again, the page never breaks.

use super::consent::Consent;
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

pub fn encode(consent: &Consent) -> String {
    percent_encode(&consent.to_json().to_string())
}

pub fn decode(value: &str) -> Result<Consent, CookieError> {
    if value.len() > MAX_VALUE_LENGTH {
        return Err(CookieError::TooLong);
    }
    let text = percent_decode(value).ok_or(CookieError::BadEncoding)?;
    let tree = json::parse(&text).map_err(|error| CookieError::BadContent(error.to_string()))?;
    Consent::read(&Field::root(&tree)).map_err(|error| CookieError::BadContent(error.to_string()))
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
