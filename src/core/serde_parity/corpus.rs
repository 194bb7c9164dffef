//! Valid documents of each shared format: the demo site's configuration, one that uses every
//! member a configuration may have, the smallest one, and cookies, records and outboxes as the
//! widget writes them.

use serde_json::{Value, json};

const DEMO_CONFIG: &str = include_str!("../../../www/consent-config.json");

pub fn configurations() -> Vec<String> {
    let smallest = json!({
        "company": { "name": "Shop" },
        "categories": [{ "id": "necessary", "required": true }]
    });
    let every_member = json!({
        "revision": 7,
        "cookie": { "name": "consent", "domain": "example.com", "lifetimeDays": 30 },
        "languages": { "enabled": ["en", "fr"], "default": "fr", "force": "en" },
        "company": {
            "name": "Shop SA", "address": "Rue 1, Geneva", "email": "privacy@shop.example", "contactUrl": "/contact",
            "dpo": { "name": "D. P. O.", "email": "dpo@shop.example", "address": "Rue 2", "contactUrl": "https://shop.example/dpo" },
            "euRepresentative": { "name": "Rep GmbH", "address": "Strasse 3, Berlin", "email": "rep@shop.example" }
        },
        "links": { "policy": "/privacy", "imprint": "https://shop.example/imprint" },
        "categories": [
            { "id": "necessary", "required": true, "title": "Needed", "description": { "en": "Always on", "fr": "Toujours" } },
            {
                "id": "ads", "required": false, "gpc": true, "title": { "en": "Ads" }, "description": "Advertising",
                "services": [
                    { "id": "adnet", "name": "AdNet", "description": "Ads", "provider": "AdNet Inc.", "country": "US", "safeguard": "dpf", "role": "jointController", "privacyPolicy": "https://adnet.example/privacy", "hosts": ["cdn.adnet.example", "*.adnet.example/embed"], "noCookie": true },
                    { "id": "local", "name": "Local", "provider": "Shop SA", "country": "CH" }
                ],
                "cookies": [
                    { "name": "_ad_*", "provider": "AdNet Inc.", "purpose": { "en": "Ads", "de": "Werbung" }, "duration": "13 months" },
                    { "name": "ad_session", "provider": "Shop SA", "purpose": "Session", "duration": "session" }
                ],
                "storage": ["ad_*", "adnet.state"]
            }
        ],
        "texts": { "fr": { "banner.title": "Vos choix", "banner.acceptAll": "Tout accepter" }, "en": { "banner.title": "Choices" } },
        "records": { "endpoint": "/api/v1/consents", "retentionDays": 365 },
        "reloadOnWithdraw": true,
        "blocking": "untagged",
        "consentMode": { "enabled": true, "mapping": { "ads": ["ad_storage", "ad_user_data"], "necessary": [] } },
        "policy": {
            "date": "2026-02-28", "version": "2026-1", "omit": ["hosting-customers"],
            "extra": [{ "id": "loyalty", "before": "recipients", "title": { "en": "Loyalty card" }, "paragraphs": ["Points.", { "en": "Kept." }] }]
        },
        "floatingButton": { "enabled": false, "position": "bottom-right" },
        "layout": { "banner": "box", "position": "top-left", "preferences": "panel" },
        "theme": "dark"
    });
    vec![DEMO_CONFIG.to_string(), smallest.to_string(), every_member.to_string()]
}

pub fn consents() -> Vec<String> {
    let with_services = json!({
        "id": "0190f0a8-5b2c-7def-8123-456789abcdef",
        "categories": ["analytics", "necessary"],
        "services": { "analytics": ["matomo", "plausible"], "marketing": [] },
        "revision": 2, "language": "fr", "method": "custom",
        "firstConsent": 1_780_000_000, "lastConsent": 1_780_000_100, "expires": 1_795_000_100
    });
    let mut rejected = with_services.clone();
    rejected["categories"] = json!(["necessary"]);
    rejected["services"] = json!({});
    rejected["method"] = json!("reject_all");
    vec![with_services.to_string(), rejected.to_string()]
}

pub fn records() -> Vec<String> {
    let full = record(
        "0190f0a8-5b2c-7def-8123-456789abcd01",
        json!({ "analytics": ["matomo"], "marketing": ["adnet", "video"] }),
    );
    let mut without_services = record("0190f0a8-5b2c-7def-8123-456789abcd02", json!({}));
    without_services.as_object_mut().unwrap().remove("services");
    vec![full.to_string(), without_services.to_string()]
}

pub fn outboxes() -> Vec<String> {
    let entries = json!([
        { "record": record("0190f0a8-5b2c-7def-8123-456789abcd03", json!({ "analytics": ["matomo"] })), "attempts": 0, "notBefore": 0 },
        { "record": record("0190f0a8-5b2c-7def-8123-456789abcd04", json!({})), "attempts": 3, "notBefore": 1_800_000_020_000_i64 }
    ]);
    vec![json!({ "entries": entries }).to_string(), json!({ "entries": [] }).to_string()]
}

fn record(record_id: &str, services: Value) -> Value {
    json!({
        "recordId": record_id, "consentId": "0190f0a8-5b2c-7def-8123-456789abcdef", "method": "accept_all",
        "granted": ["analytics", "marketing", "necessary"], "denied": ["functional"], "services": services,
        "revision": 2, "language": "de", "textHash": "ab".repeat(32), "origin": "https://shop.example:8443",
        "path": "/cart", "widgetVersion": "0.1.0", "clientTime": 1_800_000_000_000_i64
    })
}
