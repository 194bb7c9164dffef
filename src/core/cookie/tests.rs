use super::*;
use crate::core::consent::Method;
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

fn consent() -> Consent {
    Consent {
        id: Uuid::parse_str("6f1c2b9e-8d7a-4e3b-9c1d-2a3b4c5d6e7f").unwrap(),
        categories: BTreeSet::from(["necessary".to_string(), "analytics".to_string()]),
        services: BTreeMap::from([("analytics".to_string(), BTreeSet::from(["matomo".to_string()]))]),
        revision: 3,
        language: "fr".to_string(),
        method: Method::Custom,
        first_consent: 1_700_000_000,
        last_consent: 1_700_000_500,
        expires: 1_715_724_500,
        gpc_confirmed: BTreeSet::new(),
        vendors: Some("0a1b2c3d".to_string()),
    }
}

#[test]
fn a_confirmation_against_global_privacy_control_round_trips_and_is_written_only_when_there_is_one() {
    let plain = encode(&consent(), None);
    assert!(!plain.contains("gpcConfirmed"), "{plain}");
    let mut confirmed = consent();
    confirmed.gpc_confirmed = BTreeSet::from(["analytics".to_string()]);
    let value = encode(&confirmed, None);
    assert!(value.contains("gpcConfirmed"), "{value}");
    assert_eq!(decode(&value), Ok(confirmed));
}

#[test]
fn round_trips_every_field() {
    let original = consent();
    let value = encode(&original, None);
    assert_eq!(decode(&value), Ok(original));
}

#[test]
fn encoded_value_is_cookie_safe() {
    let value = encode(&consent(), None);
    assert!(value.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.~%".contains(&b)), "{value}");
    assert!(value.len() < 600, "{} bytes", value.len());
}

#[test]
fn finds_the_cookie_among_others() {
    let header = "theme=dark; consent_widget=abc%20d; consent_widget_old=zzz";
    assert_eq!(find(header, "consent_widget"), Some("abc%20d"));
    assert_eq!(find(header, "missing"), None);
    assert_eq!(find("", "consent_widget"), None);
}

#[test]
fn malformed_truncated_and_hostile_values_are_no_consent() {
    let good = encode(&consent(), None);
    let truncated = &good[..good.len() / 2];
    let hostile = [
        "".to_string(),
        "%".to_string(),
        "%G1".to_string(),
        "%+1abc".to_string(),
        "%FF%FE".to_string(),
        truncated.to_string(),
        good[..good.len() - 1].to_string(),
        "null".to_string(),
        "%7B%7D".to_string(),
        "<script>alert(1)</script>".to_string(),
        "a b".to_string(),
        "x".repeat(5000),
        good.replace("necessary", "%22%7D"),
        // A well-formed consent with an extra field is not ours.
        good.replace("%7B", "%7B%22admin%22%3Atrue%2C"),
        // A method we do not know.
        good.replace("custom", "sudo"),
    ];
    for value in hostile {
        assert!(decode(&value).is_err(), "accepted {value:?}");
    }
}

#[test]
fn write_string_carries_every_attribute() {
    let plain = CookieTarget { name: "consent_widget", domain: None, secure: false };
    assert_eq!(plain.write("v", 3600), "consent_widget=v; Max-Age=3600; Path=/; SameSite=Lax");
    let full = CookieTarget { name: "c", domain: Some("example.com"), secure: true };
    assert_eq!(full.write("v", 10), "c=v; Max-Age=10; Path=/; SameSite=Lax; Domain=example.com; Secure");
    assert_eq!(full.delete(), "c=; Max-Age=0; Path=/; SameSite=Lax; Domain=example.com; Secure");
}

#[test]
fn the_value_starts_the_way_the_loader_recognises_a_stored_consent() {
    // js/loader.js starts the wasm at once, beside the configuration, when a cookie starts so.
    assert!(encode(&consent(), None).starts_with("%7B%22id%22%3A"));
}

#[test]
fn a_confirmed_consent_carries_the_configuration_digest_after_the_consent() {
    let digest = config_digest("{}");
    let value = encode(&consent(), Some(&digest));
    assert!(value.ends_with(&format!("%7D!{digest}")), "{value}");
    assert_eq!(decode(&value), Ok(consent()));
    assert_eq!(confirmed_under(&value), Some(digest.as_str()));
    assert_eq!(confirmed_under(&encode(&consent(), None)), None);
}

#[test]
fn only_a_well_formed_digest_counts_as_a_confirmation() {
    let value = encode(&consent(), None);
    for suffix in ["!", "!1234567", "!123456789", "!ABCDEF01", "!1234567g", "!12345678!12345678"] {
        assert_eq!(confirmed_under(&format!("{value}{suffix}")), None, "{suffix}");
    }
}

#[test]
fn the_configuration_digest_is_fnv_1a_of_the_utf8_text() {
    // Published FNV-1a 32 test vectors, and a text beyond ASCII (js/stored-consent.js hashes
    // the same bytes; tests/e2e/stored-consent.spec.mjs checks the two agree in a browser).
    assert_eq!(config_digest(""), "811c9dc5");
    assert_eq!(config_digest("a"), "e40c292c");
    assert_eq!(config_digest("foobar"), "bf9cf968");
    assert_eq!(config_digest("{\"company\":{\"name\":\"Zoë ✓\"}}"), "c9f6a9b9");
}
