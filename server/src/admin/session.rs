//! The dashboard's session: a cookie that says "signed in until T", signed with HMAC-SHA256
//! under a key derived from the admin token. Nothing is kept on the server, so every server
//! behind a load balancer accepts the cookies of the others (they share the admin token), and
//! changing the token signs everybody out.

use crate::time::now_millis;
use axum::http::{HeaderMap, HeaderValue, header};
use consent_widget::core::record::hex;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The cookie's name.
pub const COOKIE: &str = "consent_admin";

/// How long a sign-in lasts.
pub const LIFETIME_SECONDS: i64 = 8 * 3600;

#[derive(Clone)]
pub struct Sessions {
    key: [u8; 32],
    /// The admin token's MAC under `key`, to compare a given token with in constant time.
    token_mac: [u8; 32],
}

impl Sessions {
    /// Sessions signed under a key derived from `admin_token`: the token itself never leaves
    /// the server, not even hashed.
    pub fn new(admin_token: &str) -> Sessions {
        let mut derive = Hmac::<Sha256>::new_from_slice(admin_token.as_bytes()).expect("HMAC takes any key");
        derive.update(b"consent-server admin session key v1");
        let mut sessions = Sessions { key: derive.finalize().into_bytes().into(), token_mac: [0; 32] };
        sessions.token_mac = sessions.mac(admin_token).finalize().into_bytes().into();
        sessions
    }

    /// Whether `given` is the admin token: their MACs are compared in constant time, so neither
    /// the token's bytes nor its length can be guessed from how long the answer takes.
    pub fn token_matches(&self, given: &str) -> bool {
        self.mac(given).verify_slice(&self.token_mac).is_ok()
    }

    /// A new session's cookie value, valid until `now + LIFETIME_SECONDS`.
    pub fn issue(&self, now: i64) -> String {
        let claims = format!("v1.{}.{}", now + LIFETIME_SECONDS * 1000, uuid::Uuid::new_v4().simple());
        let signature = hex(&self.mac(&claims).finalize().into_bytes());
        format!("{claims}.{signature}")
    }

    /// Whether `value` is a cookie this server (or one with the same token) issued and that
    /// has not expired at `now`.
    pub fn is_valid(&self, value: &str, now: i64) -> bool {
        let Some((claims, signature)) = value.rsplit_once('.') else { return false };
        let Some(signature) = unhex(signature) else { return false };
        // Checked in constant time by the HMAC crate.
        if self.mac(claims).verify_slice(&signature).is_err() {
            return false;
        }
        let mut parts = claims.split('.');
        let (Some("v1"), Some(expires), Some(_nonce), None) = (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return false;
        };
        expires.parse::<i64>().is_ok_and(|expires| now < expires)
    }

    /// Whether the request carries a valid session cookie.
    pub fn signed_in(&self, headers: &HeaderMap) -> bool {
        let now = now_millis();
        cookies(headers).any(|(name, value)| name == COOKIE && self.is_valid(value, now))
    }

    fn mac(&self, claims: &str) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes any key");
        mac.update(claims.as_bytes());
        mac
    }
}

/// The `Set-Cookie` value that stores `value`: out of reach of scripts, never sent by another
/// site's page, only to the dashboard, and only over HTTPS when the dashboard is served so.
pub fn set_cookie(value: &str, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{COOKIE}={value}; Path=/admin; Max-Age={LIFETIME_SECONDS}; HttpOnly; SameSite=Strict{secure}"
    ))
    .expect("the cookie is plain ASCII")
}

/// The `Set-Cookie` value that removes the cookie.
pub fn clear_cookie(secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!("{COOKIE}=; Path=/admin; Max-Age=0; HttpOnly; SameSite=Strict{secure}"))
        .expect("the cookie is plain ASCII")
}

/// Whether the request reached us over HTTPS: directly never (the server speaks HTTP), but a
/// TLS-terminating proxy says so in `X-Forwarded-Proto` or `Forwarded`.
pub fn came_over_https(headers: &HeaderMap) -> bool {
    let header = |name| headers.get_all(name).iter().filter_map(|value| value.to_str().ok()).collect::<Vec<_>>();
    header("x-forwarded-proto").iter().any(|value| value.trim().eq_ignore_ascii_case("https"))
        || header("forwarded").iter().any(|value| value.to_ascii_lowercase().contains("proto=https"))
}

fn cookies(headers: &HeaderMap) -> impl Iterator<Item = (&str, &str)> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|line| line.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len()).step_by(2).map(|at| u8::from_str_radix(text.get(at..at + 2)?, 16).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_holds_until_it_expires_and_only_under_the_same_token() {
        let sessions = Sessions::new("token");
        let cookie = sessions.issue(1_000);
        assert!(sessions.is_valid(&cookie, 1_000));
        assert!(!sessions.is_valid(&cookie, 1_000 + LIFETIME_SECONDS * 1000), "expired");
        assert!(!Sessions::new("another token").is_valid(&cookie, 1_000));
        assert!(sessions.token_matches("token"));
        assert!(!sessions.token_matches("token "));
        assert!(!sessions.token_matches(""));
        let (claims, signature) = cookie.rsplit_once('.').unwrap();
        let later = claims.replace(&(1_000 + LIFETIME_SECONDS * 1000).to_string(), "99999999999999");
        assert!(!sessions.is_valid(&format!("{later}.{signature}"), 1_000), "the expiry is signed");
        for forged in ["", "v1", "v1.9999999999999.x.", "v1.1.2.zz", &format!("{claims}.")] {
            assert!(!sessions.is_valid(forged, 1_000), "{forged}");
        }
    }

    #[test]
    fn the_cookie_is_http_only_strict_and_secure_over_https() {
        let plain = set_cookie("v", false);
        assert_eq!(plain, "consent_admin=v; Path=/admin; Max-Age=28800; HttpOnly; SameSite=Strict");
        assert!(set_cookie("v", true).to_str().unwrap().ends_with("; Secure"));
        let mut headers = HeaderMap::new();
        assert!(!came_over_https(&headers));
        headers.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        assert!(came_over_https(&headers));
    }
}
