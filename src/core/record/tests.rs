use super::*;
use crate::core::consent::{Action, Moment, State, decide};

const DEMO: &str = include_str!("../../../www/consent-config.json");
const NOW_MS: i64 = 1_800_000_000_000;

fn config() -> Config {
    Config::from_json(DEMO).unwrap()
}

fn record(action: Action) -> ConsentRecord {
    let config = config();
    let state = State::start(&config, None, "fr".into(), NOW_MS / 1000);
    let moment = Moment { now: NOW_MS / 1000, fresh_id: Uuid::from_u128(0x6f1c2b9e_8d7a_4e3b_9c1d_2a3b4c5d6e7f) };
    let (state, _) = decide(&config, &state, action, moment);
    let locale = Locale::for_site("fr", &config);
    let record_id = Uuid::from_u128(0x0a1b2c3d_4e5f_4a6b_8c7d_8e9f0a1b2c3d);
    ConsentRecord::for_decision(
        &config,
        &locale,
        &state.consent.unwrap(),
        record_id,
        "https://shop.example",
        "/cart?x=1#top",
        NOW_MS,
    )
}

#[test]
fn a_refusal_records_granted_and_denied_categories() {
    let record = record(Action::RejectAll);
    assert_eq!(record.method, Method::RejectAll);
    assert_eq!(record.granted, BTreeSet::from(["necessary".to_string()]));
    assert_eq!(record.denied, BTreeSet::from(["analytics", "functional", "marketing"].map(String::from)));
    assert_eq!(record.path, "/cart", "no query string or fragment");
    assert_eq!(record.language, "fr");
    assert_eq!(record.validate(), Ok(()));
}

#[test]
fn the_record_round_trips_as_json_and_rejects_unknown_fields() {
    let record = record(Action::AcceptAll);
    let json = record.to_json().to_string();
    assert!(json.contains("\"recordId\"") && json.contains("\"method\":\"accept_all\""), "{json}");
    assert_eq!(ConsentRecord::from_json(&json).unwrap(), record);
    // What any JSON reader sees: camelCase names, whole numbers, arrays of ids.
    let plain: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(plain["clientTime"], NOW_MS);
    assert_eq!(plain["revision"], 2);
    assert_eq!(plain["granted"], serde_json::json!(["analytics", "functional", "marketing", "necessary"]));
    assert_eq!(plain.as_object().unwrap().len(), 13);
    let extra = json.replacen('{', "{\"ip\":\"1.2.3.4\",", 1);
    let error = ConsentRecord::from_json(&extra).unwrap_err();
    assert_eq!(error.path, "ip");
    assert!(error.message.contains("unknown field"), "{error}");
}

#[test]
fn a_malformed_record_names_its_field() {
    let json = record(Action::RejectAll).to_json().to_string();
    let bad_method = json.replace("reject_all", "maybe");
    let error = ConsentRecord::from_json(&bad_method).unwrap_err();
    assert_eq!((error.path.as_str(), error.message.starts_with("unknown method `maybe`")), ("method", true));
    let bad_id = json.replacen("0a1b2c3d", "zz", 1);
    assert_eq!(ConsentRecord::from_json(&bad_id).unwrap_err().path, "recordId");
    let no_services = serde_json::from_str::<serde_json::Value>(&json).map(|mut value| {
        value.as_object_mut().unwrap().remove("services");
        value.to_string()
    });
    assert!(ConsentRecord::from_json(&no_services.unwrap()).unwrap().services.is_empty(), "services may be left out");
    let error = ConsentRecord::from_json("[]").unwrap_err();
    assert_eq!(error.path, "", "not a record at all");
}

#[test]
fn the_text_hash_is_canonical_and_changes_with_what_was_shown() {
    let config = config();
    let french = Locale::for_site("fr", &config);
    let text = shown_text(&french, &config);
    assert!(text.starts_with("consent-widget shown-text v3\n"));
    assert!(text.contains(&format!("banner.acceptAll\t{}\n", french.text("banner.acceptAll"))));
    assert!(text.contains("config.revision\t2\n"));
    for line in [
        "service.marketing.google-ads.country\tUS\n",
        "service.marketing.google-ads.safeguard\tdpf\n",
        "service.analytics.matomo.safeguard\tnone\n",
        "cookie.analytics.1.duration\t30\u{a0}minutes\n",
        "cookie.necessary.1.name\tconsent_widget\n",
        "policy.version\t2\n",
        "policy.date\t2026-11-30\n",
    ] {
        assert!(text.contains(line), "{line:?} missing from\n{text}");
    }
    let lines: Vec<&str> = text.lines().skip(1).collect();
    let sorted = {
        let mut copy = lines.clone();
        copy.sort();
        copy
    };
    assert_eq!(lines, sorted, "keys are sorted");
    assert_eq!(text_hash(&french, &config), hex(&Sha256::digest(text.as_bytes())));
    assert_eq!(text_hash(&french, &config).len(), 64);
    assert_ne!(text_hash(&french, &config), text_hash(&Locale::for_site("de", &config), &config));
    let mut bumped = config.clone();
    bumped.revision += 1;
    assert_ne!(text_hash(&french, &config), text_hash(&french, &bumped));
    let mut reworded = config.clone();
    reworded.texts.push(("fr".into(), [("banner.title".to_string(), "Autre".to_string())].into()));
    assert_ne!(text_hash(&french, &config), text_hash(&Locale::for_site("fr", &reworded), &reworded));
    // The purposes the banner lists, and the company it names, are part of what was shown.
    let mut repurposed = config.clone();
    repurposed.texts.push(("fr".into(), [("categories.marketing.purpose".to_string(), "autre".to_string())].into()));
    assert_ne!(text_hash(&french, &config), text_hash(&Locale::for_site("fr", &repurposed), &repurposed));
    assert!(text.contains(&format!("category.marketing.purpose\t{}\n", french.text("categories.marketing.purpose"))));
    let mut renamed = config.clone();
    renamed.company.name = "Autre SA".into();
    assert_ne!(text_hash(&french, &config), text_hash(&Locale::for_site("fr", &renamed), &renamed));
}

#[test]
fn changing_anything_the_visitor_sees_changes_the_hash() {
    use crate::core::config::Text;
    let config = config();
    let locale = Locale::for_site("en", &config);
    let original = text_hash(&locale, &config);
    type Change = fn(&mut Config);
    let changes: Vec<(&str, Change)> = vec![
        ("a category's description", |c| c.categories[1].description = Some(Text::Same("Counts visits.".into()))),
        ("a service's description", |c| c.categories[1].services[0].description = Some(Text::Same("Stats.".into()))),
        ("a service's provider", |c| c.categories[2].services[0].provider = "Google LLC".into()),
        ("a service's country", |c| c.categories[1].services[0].country = "DE".into()),
        ("a safeguard", |c| c.categories[2].services[0].safeguard = Some(crate::core::country::Safeguard::Scc)),
        ("a cookie's duration", |c| {
            c.categories[1].cookies[0].duration =
                crate::core::duration::CookieDuration::Span { amount: 6, unit: crate::core::duration::TimeUnit::Month }
        }),
        ("the consent cookie's lifetime", |c| c.cookie.lifetime_days = 90),
        ("the policy version", |c| c.policy.as_mut().unwrap().version = "3".into()),
        ("the policy date", |c| c.policy.as_mut().unwrap().date.day = 1),
        ("the records going off", |c| c.records = None),
    ];
    for (what, change) in changes {
        let mut changed = config.clone();
        change(&mut changed);
        assert_ne!(text_hash(&Locale::for_site("en", &changed), &changed), original, "{what}");
    }
    assert_eq!(text_hash(&Locale::for_site("en", &config), &config.clone()), original, "the same texts, the same hash");
}

#[test]
fn every_field_is_checked() {
    let good = record(Action::AcceptAll);
    type Breakage = fn(&mut ConsentRecord);
    let cases: Vec<(&str, Breakage)> = vec![
        ("recordId", |r| r.record_id = Uuid::nil()),
        ("recordId", |r| r.record_id = Uuid::max()),
        ("consentId", |r| r.consent_id = Uuid::nil()),
        ("consentId", |r| r.consent_id = Uuid::max()),
        ("granted", |r| {
            r.granted.insert("Not An Id".into());
        }),
        ("denied", |r| {
            r.denied.insert("analytics".into());
        }),
        ("services", |r| {
            r.services.insert("ghost".into(), BTreeSet::new());
        }),
        ("language", |r| r.language = "pt".into()),
        ("textHash", |r| r.text_hash = "abc".into()),
        ("textHash", |r| r.text_hash = "A".repeat(64)),
        ("origin", |r| r.origin = "https://shop.example/path".into()),
        ("origin", |r| r.origin = "javascript:alert(1)".into()),
        ("path", |r| r.path = "cart".into()),
        ("path", |r| r.path = "/cart?email=a@b.c".into()),
        ("widgetVersion", |r| r.widget_version = String::new()),
        ("clientTime", |r| r.client_time = 0),
        ("clientTime", |r| r.client_time = 4_102_444_800_000),
    ];
    for (field, break_it) in cases {
        let mut record = good.clone();
        break_it(&mut record);
        let error = record.validate().unwrap_err();
        assert_eq!(error.field, field, "{error}");
    }
}

#[test]
fn the_text_goes_to_the_record_servers_origin_and_nowhere_else() {
    assert_eq!(text_url("/api/v1/consents", "/api/v1/texts/ab").as_deref(), Some("/api/v1/texts/ab"));
    assert_eq!(
        text_url("https://records.example:8443/api/v1/consents", "/api/v1/texts/ab").as_deref(),
        Some("https://records.example:8443/api/v1/texts/ab")
    );
    for elsewhere in ["https://evil.example/x", "//evil.example/x", "texts/ab", "/a\\b", "/a?b"] {
        assert_eq!(text_url("https://records.example/api/v1/consents", elsewhere), None, "{elsewhere}");
    }
}

#[test]
fn the_text_pins_what_the_policy_is_built_from() {
    let source = r#"{ "company": { "name": "Shop" }, "categories": [{ "id": "necessary", "required": true }] }"#;
    let config = Config::from_json(source).unwrap();
    let locale = Locale::for_site("it", &config);
    let text = shown_text(&locale, &config);
    // The configuration as written, and the locale file by its hash.
    assert!(text.contains(&format!("config.source\t{}\n", source.replace('\n', "\\n"))), "{text}");
    let italian = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/locales/it.json")).unwrap();
    assert!(text.contains(&format!("locale.source\t{}\n", hex(&Sha256::digest(&italian)))), "{text}");
    // A change of the configuration no other line shows (here: the policy's processing) still
    // changes the hash.
    let with_newsletter =
        source.replace(r#""categories""#, r#""processing": [{ "activity": "newsletter" }], "categories""#);
    let changed = Config::from_json(&with_newsletter).unwrap();
    assert_ne!(text_hash(&locale, &config), text_hash(&Locale::for_site("it", &changed), &changed));
}
