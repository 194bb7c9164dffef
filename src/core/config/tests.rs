use super::*;
use serde_json::{Value, json};

const DEMO: &str = include_str!("../../../www/consent-config.json");

fn demo() -> Value {
    serde_json::from_str(DEMO).unwrap()
}

/// Applies `change` to the demo configuration and returns the error it causes.
fn error_after(change: impl FnOnce(&mut Value)) -> ConfigError {
    let mut config = demo();
    change(&mut config);
    Config::from_json(&config.to_string()).expect_err("the change should make the configuration invalid")
}

#[test]
fn the_demo_configuration_is_valid() {
    let config = Config::from_json(DEMO).unwrap();
    assert_eq!(config.revision, 2);
    assert_eq!(config.categories.len(), 4);
    assert_eq!(config.required_categories(), BTreeSet::from(["necessary".to_string()]));
    assert_eq!(config.cookie.lifetime_days, 182);
}

#[test]
fn a_configuration_knows_the_digest_of_its_text_and_the_fallback_has_none() {
    let config = Config::from_json(DEMO).unwrap();
    assert_eq!(config.digest, Some(crate::core::cookie::config_digest(DEMO)));
    // Any change to the text, even one that reads the same, is another configuration.
    let spaced = Config::from_json(&format!("{DEMO} ")).unwrap();
    assert_ne!(spaced.digest, config.digest);
    assert_eq!(Config::safe_fallback("example.org").digest, None);
}

#[test]
fn defaults_fill_what_a_small_site_leaves_out() {
    let config =
        Config::from_json(r#"{"company":{"name":"Shop"},"categories":[{"id":"necessary","required":true}]}"#).unwrap();
    assert_eq!(config.cookie.name, "consent_widget");
    assert_eq!(config.cookie.lifetime_days, 182);
    assert_eq!(config.languages.enabled, ["en", "fr", "de", "it", "es"]);
    assert_eq!(config.languages.default, "en");
    assert_eq!(config.revision, 0);
}

#[test]
fn optional_categories_are_off_unless_required() {
    let config = Config::from_json(DEMO).unwrap();
    let analytics = config.category("analytics").unwrap();
    assert!(!analytics.required);
}

#[test]
fn broken_json_is_reported_at_the_root() {
    let error = Config::from_json("{not json").unwrap_err();
    assert_eq!(error.path, "(root)");
    let error = Config::from_json("").unwrap_err();
    assert_eq!(error.path, "(root)");
}

#[test]
fn missing_fields_name_their_parent() {
    let error = error_after(|c| {
        c.as_object_mut().unwrap().remove("categories");
    });
    assert!(error.message.contains("missing field `categories`"), "{error}");
    let error = error_after(|c| {
        c["company"].as_object_mut().unwrap().remove("name");
    });
    assert_eq!(error.path, "company");
    assert!(error.message.contains("`name`"), "{error}");
}

#[test]
fn wrong_types_and_unknown_fields_name_the_exact_path() {
    let error = error_after(|c| c["categories"][1]["required"] = json!("yes"));
    assert_eq!(error.path, "categories[1].required");
    let error = error_after(|c| c["categories"][1]["cookies"][1]["colour"] = json!("red"));
    assert_eq!(error.path, "categories[1].cookies[1].colour");
    assert!(error.message.contains("colour"), "{error}");
    let error = error_after(|c| c["categories"][1]["cookies"][0]["duration"] = json!("forever"));
    assert_eq!(error.path, "categories[1].cookies[0].duration");
    assert!(error.message.contains("not a duration"), "{error}");
}

#[test]
fn every_semantic_rule_names_its_field() {
    type Change = Box<dyn FnOnce(&mut Value)>;
    let cases: Vec<(&str, Change)> = vec![
        ("cookie.name", Box::new(|c| c["cookie"]["name"] = json!("bad name;"))),
        ("cookie.domain", Box::new(|c| c["cookie"]["domain"] = json!("evil.com; path=/"))),
        ("cookie.lifetimeDays", Box::new(|c| c["cookie"]["lifetimeDays"] = json!(0))),
        ("cookie.lifetimeDays", Box::new(|c| c["cookie"]["lifetimeDays"] = json!(4000))),
        ("languages.enabled", Box::new(|c| c["languages"]["enabled"] = json!([]))),
        ("languages.enabled[1]", Box::new(|c| c["languages"]["enabled"] = json!(["en", "pt"]))),
        (
            "languages.default",
            Box::new(|c| {
                c["languages"]["enabled"] = json!(["fr"]);
                c["languages"]["default"] = json!("en");
            }),
        ),
        ("languages.force", Box::new(|c| c["languages"]["force"] = json!("xx"))),
        ("company.name", Box::new(|c| c["company"]["name"] = json!("  "))),
        ("company.contactUrl", Box::new(|c| c["company"]["contactUrl"] = json!("javascript:alert(1)"))),
        ("links.policy", Box::new(|c| c["links"]["policy"] = json!("http://insecure.example/privacy"))),
        ("links.imprint", Box::new(|c| c["links"]["imprint"] = json!("data:text/html,hi"))),
        ("records.endpoint", Box::new(|c| c["records"] = json!({"endpoint": "http://plain.example/api"}))),
        (
            "consentMode.mapping.analytics",
            Box::new(|c| c["consentMode"] = json!({"enabled": true, "mapping": {"analytics": ["security_storage"]}})),
        ),
        ("categories", Box::new(|c| c["categories"] = json!([]))),
        ("categories[1].id", Box::new(|c| c["categories"][1]["id"] = json!("Ana lytics"))),
        ("categories[2].id", Box::new(|c| c["categories"][2]["id"] = json!("analytics"))),
        ("categories[1].title", Box::new(|c| c["categories"][1]["title"] = json!(""))),
        ("categories[1].title", Box::new(|c| c["categories"][1]["id"] = json!("statistics"))),
        ("categories[1].services[0].id", Box::new(|c| c["categories"][1]["services"][0]["id"] = json!("Mato mo"))),
        ("categories[1].services[0].name", Box::new(|c| c["categories"][1]["services"][0]["name"] = json!(""))),
        ("categories[1].cookies[0].name", Box::new(|c| c["categories"][1]["cookies"][0]["name"] = json!(" "))),
        (
            "categories[1].cookies[0].purpose",
            Box::new(|c| c["categories"][1]["cookies"][0]["purpose"] = json!({"en": ""})),
        ),
        ("texts.pt", Box::new(|c| c["texts"] = json!({"pt": {"banner.title": "Olá"}}))),
        ("texts.fr.banner.titel", Box::new(|c| c["texts"] = json!({"fr": {"banner.titel": "Bonjour"}}))),
        ("texts.fr.banner.title", Box::new(|c| c["texts"] = json!({"fr": {"banner.title": " "}}))),
        ("company.dpo", Box::new(|c| c["company"]["dpo"] = json!({"name": "Claire Morel"}))),
        ("company.dpo.name", Box::new(|c| c["company"]["dpo"]["name"] = json!(" "))),
        ("company.dpo.contactUrl", Box::new(|c| c["company"]["dpo"]["contactUrl"] = json!("javascript:x"))),
        ("company.euRepresentative.address", Box::new(|c| c["company"]["euRepresentative"]["address"] = json!(""))),
        ("company.email", Box::new(|c| c["company"]["email"] = json!(" "))),
        ("categories[1].services[0].provider", Box::new(|c| c["categories"][1]["services"][0]["provider"] = json!(""))),
        ("categories[1].services[0].country", Box::new(|c| c["categories"][1]["services"][0]["country"] = json!("UK"))),
        ("categories[1].services[0].country", Box::new(|c| c["categories"][1]["services"][0]["country"] = json!("ch"))),
        (
            "categories[1].services[0].safeguard",
            Box::new(|c| c["categories"][1]["services"][0]["safeguard"] = json!("scc")),
        ),
        (
            "categories[2].services[0].safeguard",
            Box::new(|c| {
                c["categories"][2]["services"][0].as_object_mut().unwrap().remove("safeguard");
            }),
        ),
        (
            "categories[2].services[0].safeguard",
            Box::new(|c| c["categories"][2]["services"][0]["safeguard"] = json!("adequacy")),
        ),
        (
            "categories[2].services[0].safeguard",
            Box::new(|c| {
                c["categories"][2]["services"][0]["country"] = json!("IN");
                c["categories"][2]["services"][0]["safeguard"] = json!("dpf");
            }),
        ),
        ("records.retentionDays", Box::new(|c| c["records"]["retentionDays"] = json!(0))),
        ("policy.version", Box::new(|c| c["policy"]["version"] = json!(" "))),
    ];
    for (path, change) in cases {
        let error = error_after(change);
        assert_eq!(error.path, path, "{error}");
        assert!(!error.message.is_empty());
        assert!(error.to_string().contains(path));
    }
}

#[test]
fn the_reader_names_what_it_cannot_read() {
    let error = error_after(|c| c["categories"][2]["services"][0]["safeguard"] = json!("hope"));
    assert_eq!(error.path, "categories[2].services[0].safeguard");
    assert!(error.message.contains("adequacy, dpf, scc"), "{error}");
    for date in ["2026-02-30", "30.11.2026", "2026-13-01", "26-11-30"] {
        let error = error_after(|c| c["policy"]["date"] = json!(date));
        assert_eq!(error.path, "policy.date", "{date}");
    }
    let error = error_after(|c| c["floatingButton"]["position"] = json!("top-left"));
    assert_eq!(error.path, "floatingButton.position");
    let error = error_after(|c| c["company"]["delegate"] = json!("Luca Bernasconi"));
    assert_eq!(error.path, "company.delegate", "the second role is gone");
    let error = error_after(|c| {
        c["categories"][1]["services"][0].as_object_mut().unwrap().remove("country");
    });
    assert!(error.message.contains("`country`"), "{error}");
}

#[test]
fn new_fields_have_their_defaults() {
    let config =
        Config::from_json(r#"{"company":{"name":"Shop"},"records":{"endpoint":"/api"},"categories":[{"id":"necessary","required":true}]}"#)
            .unwrap();
    assert_eq!(config.records.unwrap().retention_days, DEFAULT_RETENTION_DAYS);
    assert_eq!(config.floating_button, FloatingButton { enabled: true, position: Corner::BottomLeft });
    assert_eq!(config.policy, None);
    let demo = Config::from_json(DEMO).unwrap();
    assert_eq!(demo.policy.as_ref().unwrap().date.to_string(), "2026-11-30");
    assert_eq!(PolicyDate::parse("2024-02-29").map(|date| date.day), Some(29), "a leap day");
    assert_eq!(PolicyDate::parse("2023-02-29"), None);
}

#[test]
fn the_safe_fallback_can_only_grant_the_necessary_category() {
    let fallback = Config::safe_fallback("example.com");
    assert_eq!(fallback.all_categories(), fallback.required_categories());
    assert_eq!(fallback.all_categories(), BTreeSet::from(["necessary".to_string()]));
    assert_eq!(fallback.company.name, "example.com");
}

#[test]
fn per_language_text_falls_back_in_order() {
    let text =
        Text::PerLanguage([("de".to_string(), "Hallo".to_string()), ("en".to_string(), "Hello".to_string())].into());
    assert_eq!(text.get("de", "en"), "Hallo");
    assert_eq!(text.get("fr", "de"), "Hallo");
    assert_eq!(text.get("fr", "it"), "Hello");
    assert_eq!(Text::Same("Hi".into()).get("fr", "en"), "Hi");
}

/// The property names of `export interface <name> { ... }` in js/api.d.ts.
fn typescript_fields(name: &str) -> Vec<String> {
    let declarations = include_str!("../../../js/api.d.ts");
    let start = declarations
        .find(&format!("export interface {name} {{"))
        .unwrap_or_else(|| panic!("js/api.d.ts declares no interface {name}"));
    let body = &declarations[start..];
    let body = &body[..body.find("\n}").expect("the interface ends")];
    body.lines()
        .skip(1)
        .map(str::trim)
        .filter(|line| !line.starts_with('/') && !line.starts_with('*'))
        .filter_map(|line| line.split([':', '?']).next())
        .filter(|name| !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric()))
        .map(str::to_string)
        .collect()
}

#[test]
fn the_typescript_configuration_has_every_field_the_reader_takes_and_no_other() {
    use super::super::consent_mode::ConsentModeSettings;
    for (name, fields) in [
        ("Config", Config::FIELDS),
        ("CookieSettings", CookieSettings::FIELDS),
        ("LanguageSettings", LanguageSettings::FIELDS),
        ("Company", Company::FIELDS),
        ("Links", Links::FIELDS),
        ("Category", Category::FIELDS),
        ("Service", Service::FIELDS),
        ("CookieInfo", CookieInfo::FIELDS),
        ("RecordSettings", RecordSettings::FIELDS),
        ("Dpo", Dpo::FIELDS),
        ("EuRepresentative", EuRepresentative::FIELDS),
        ("PolicySettings", PolicySettings::FIELDS),
        ("PolicySection", PolicySection::FIELDS),
        ("Activity", Activity::FIELDS),
        ("Recipient", Recipient::FIELDS),
        ("FloatingButton", FloatingButton::FIELDS),
        ("Layout", Layout::FIELDS),
        ("ConsentModeSettings", ConsentModeSettings::FIELDS),
    ] {
        let mut declared = typescript_fields(name);
        declared.sort();
        let mut read: Vec<String> = fields.iter().map(|field| field.to_string()).collect();
        read.sort();
        assert_eq!(declared, read, "js/api.d.ts and the configuration reader disagree on `{name}`");
    }
}

#[test]
fn the_layout_and_theme_default_to_a_bottom_bar_a_dialog_and_the_system_theme() {
    let config = Config::from_json(DEMO).unwrap();
    assert_eq!(config.layout.banner, BannerLayout::Bar(Edge::Bottom));
    assert_eq!(config.layout.preferences, PreferencesLayout::Dialog);
    assert_eq!(config.theme, Theme::Auto);
    assert_eq!(
        host_attributes(config.layout, config.theme),
        [
            ("data-layout", Some("bar")),
            ("data-position", Some("bottom")),
            ("data-preferences", Some("dialog")),
            ("data-theme", None)
        ]
    );
}

#[test]
fn each_layout_reaches_the_host_as_attributes() {
    let read = |layout: Value, theme: &str| {
        let mut config = demo();
        config["layout"] = layout;
        config["theme"] = json!(theme);
        let config = Config::from_json(&config.to_string()).unwrap();
        host_attributes(config.layout, config.theme).map(|(_, value)| value)
    };
    assert_eq!(
        read(json!({"banner": "bar", "position": "top", "preferences": "panel"}), "dark"),
        [Some("bar"), Some("top"), Some("panel"), Some("dark")]
    );
    assert_eq!(
        read(json!({"banner": "box"}), "light"),
        [Some("box"), Some("bottom-right"), Some("dialog"), Some("light")]
    );
    assert_eq!(
        read(json!({"banner": "box", "position": "top-left"}), "auto"),
        [Some("box"), Some("top-left"), Some("dialog"), None]
    );
    assert_eq!(read(json!({"banner": "center"}), "auto"), [Some("center"), None, Some("dialog"), None]);
}

#[test]
fn a_wrong_layout_or_theme_is_named_by_its_field() {
    let cases = [
        (json!({"banner": "popup"}), "layout.banner", "bar"),
        (json!({"banner": "bar", "position": "bottom-left"}), "layout.position", "`top` or `bottom`"),
        (json!({"banner": "box", "position": "top"}), "layout.position", "top-left"),
        (json!({"position": "top-left"}), "layout.position", "`top` or `bottom`"),
        (json!({"banner": "center", "position": "top"}), "layout.position", "no position"),
        (json!({"preferences": "drawer"}), "layout.preferences", "`dialog` or `panel`"),
        (json!({"size": "large"}), "layout.size", ""),
    ];
    for (layout, path, hint) in cases {
        let error = error_after(|c| c["layout"] = layout.clone());
        assert_eq!(error.path, path, "{layout}");
        assert!(error.message.contains(hint), "{layout}: {error}");
    }
    let error = error_after(|c| c["theme"] = json!("sepia"));
    assert_eq!(error.path, "theme");
    assert!(error.message.contains("`light`, `dark` or `auto`"), "{error}");
}

#[test]
fn advertising_may_be_asked_for_in_two_parts_with_built_in_texts() {
    let config = Config::from_json(
        r#"{ "company": { "name": "Shop" }, "categories": [
            { "id": "necessary", "required": true }, { "id": "ad-measurement" }, { "id": "personalised-ads", "gpc": true } ] }"#,
    )
    .expect("the two advertising categories need no texts of their own");
    for code in crate::core::SUPPORTED_LANGUAGES {
        let locale = crate::core::i18n::Locale::builtin(code);
        for category in &config.categories[1..] {
            for part in ["title", "purpose", "description"] {
                let key = format!("categories.{}.{part}", category.id);
                assert!(locale.get(&key).is_some_and(|text| !text.is_empty()), "{code}: {key}");
            }
        }
    }
}

#[test]
fn a_configuration_without_a_policy_date_is_warned_of_not_refused() {
    let config =
        Config::from_json(r#"{"company":{"name":"Shop"},"categories":[{"id":"necessary","required":true}]}"#).unwrap();
    let warnings = config.warnings();
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].path, "policy.date");
    let dated = r#"{"company":{"name":"Shop"},"policy":{"date":"2026-01-01","version":"1"},"categories":[{"id":"necessary","required":true}]}"#;
    assert!(Config::from_json(dated).unwrap().warnings().is_empty());
}

#[test]
fn a_cookie_provider_no_service_declares_is_warned_of_by_its_field() {
    let config = Config::from_json(
        r#"{"company":{"name":"Shop"},"policy":{"date":"2026-01-01","version":"1"},"categories":[{"id":"necessary","required":true,
           "cookies":[{"name":"session","provider":"Shop","purpose":"p","duration":"session"}]},
           {"id":"analytics","cookies":[{"name":"_hjSession_*","provider":"Hotjar Ltd","purpose":"p","duration":"30 minutes"}]}]}"#,
    )
    .unwrap();
    let warnings = config.warnings();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].path, "categories[1].cookies[0].provider");
    assert!(
        warnings[0].message.contains("`Hotjar Ltd`") && warnings[0].message.contains("`_hjSession_*`"),
        "{}",
        warnings[0].message
    );
}

/// The configuration chapter of the book (docs/src/configuration.md): its table names every
/// field the reader takes, and none it does not.
#[test]
fn the_configuration_reference_names_every_field_and_no_other() {
    use super::super::consent_mode::ConsentModeSettings;
    let reference = include_str!("../../../docs/src/configuration.md");
    let structs: [(&str, &[&str]); 19] = [
        ("", Config::FIELDS),
        ("cookie", CookieSettings::FIELDS),
        ("languages", LanguageSettings::FIELDS),
        ("company", Company::FIELDS),
        ("company.dpo", Dpo::FIELDS),
        ("company.euRepresentative", EuRepresentative::FIELDS),
        ("company.swissRepresentative", EuRepresentative::FIELDS),
        ("links", Links::FIELDS),
        ("categories[]", Category::FIELDS),
        ("categories[].services[]", Service::FIELDS),
        ("categories[].cookies[]", CookieInfo::FIELDS),
        ("records", RecordSettings::FIELDS),
        ("policy", PolicySettings::FIELDS),
        ("policy.extra[]", PolicySection::FIELDS),
        ("processing[]", Activity::FIELDS),
        ("recipients[]", Recipient::FIELDS),
        ("floatingButton", FloatingButton::FIELDS),
        ("layout", Layout::FIELDS),
        ("consentMode", ConsentModeSettings::FIELDS),
    ];
    let backticked = |text: &str| -> Vec<String> { text.split('`').skip(1).step_by(2).map(str::to_string).collect() };
    // Each row: the names in its first cell, and its whole text.
    let rows: Vec<(Vec<String>, &str)> = reference
        .lines()
        .filter(|line| line.starts_with("| `"))
        .map(|line| (backticked(line.split(" | ").next().unwrap_or_default()), line))
        .collect();
    for (prefix, fields) in structs {
        for field in fields {
            let documented = rows.iter().any(|(names, row)| {
                if prefix.is_empty() {
                    return names.iter().any(|name| {
                        name == field
                            || name.starts_with(&format!("{field}."))
                            || name.starts_with(&format!("{field}[]"))
                    });
                }
                let about = names.iter().any(|name| name.starts_with(prefix) || prefix.starts_with(name.as_str()));
                about
                    && (names.iter().any(|name| {
                        [format!("{prefix}.{field}"), format!("{prefix}.{field}[]"), format!(".{field}")].contains(name)
                    }) || row.contains(&format!("`{field}`"))
                        || row.contains(&format!("`{field}[]`"))
                        || row.contains(&format!("\"{field}\"")))
            });
            assert!(
                documented,
                "docs/src/configuration.md does not describe `{prefix}{}{field}`",
                if prefix.is_empty() { "" } else { "." }
            );
        }
    }
    // No name in a first cell that the reader would refuse.
    for (names, _) in &rows {
        for name in names.iter().filter(|name| !name.starts_with('.') && !name.contains('<')) {
            let known = structs.iter().filter(|(prefix, _)| !prefix.is_empty()).filter_map(|(prefix, fields)| {
                let rest = name.strip_prefix(&format!("{prefix}."))?;
                Some((prefix.len(), fields.contains(&rest.trim_end_matches("[]"))))
            });
            let longest = known.max_by_key(|(length, _)| *length);
            let root = name.split(['.', '[']).next().unwrap_or_default();
            let fine = match longest {
                Some((_, known)) => known,
                None => Config::FIELDS.contains(&root),
            };
            assert!(fine, "docs/src/configuration.md names `{name}`, which the reader does not take");
        }
    }
}
