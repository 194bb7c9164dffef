use super::*;
use crate::core::SUPPORTED_LANGUAGES;
use crate::core::markup::plain_text;

const DEMO: &str = include_str!("../../../www/consent-config.json");

/// A second site: Google Analytics and Google Ads, an EU representative, no DPO.
const SHOP: &str = r#"{
  "revision": 4,
  "company": {
    "name": "Bergsicht AG",
    "address": "Bahnhofstrasse 5, 8001 Zürich, Switzerland",
    "email": "datenschutz@bergsicht.example",
    "euRepresentative": { "name": "EU-Rep Services SRL", "address": "Via Roma 1, 20121 Milano, Italy" }
  },
  "records": { "endpoint": "https://records.bergsicht.example/api/v1/consents", "retentionDays": 730 },
  "policy": { "date": "2026-01-01", "version": "1.4" },
  "categories": [
    { "id": "necessary", "required": true },
    { "id": "analytics", "services": [
      { "id": "ga", "name": "Google Analytics", "provider": "Google Ireland Limited / Google LLC", "country": "US", "safeguard": "dpf" } ],
      "cookies": [ { "name": "_ga", "provider": "Google", "purpose": "Tells visitors apart.", "duration": "13 months" } ] },
    { "id": "marketing", "services": [
      { "id": "ads", "name": "Google Ads", "provider": "Google Ireland Limited / Google LLC", "country": "US", "safeguard": "scc" },
      { "id": "pixel", "name": "Partner pixel", "provider": "Pixel Ltd", "country": "GB" } ] }
  ]
}"#;

fn demo() -> Config {
    Config::from_json(DEMO).unwrap()
}

fn shop() -> Config {
    Config::from_json(SHOP).unwrap()
}

fn build(code: &str, config: &Config) -> PolicyDocument {
    PolicyDocument::build(&Locale::for_site(code, config), &builtin_policy(code), config)
}

fn all_text(document: &PolicyDocument) -> String {
    let mut text = String::new();
    for block in &document.blocks {
        match block {
            PolicyBlock::Heading { text: heading, .. } => text.push_str(heading),
            PolicyBlock::Paragraph(pieces) => text.push_str(&plain_text(pieces)),
            PolicyBlock::List(items) => items.iter().for_each(|item| {
                text.push_str(&plain_text(item));
                text.push('\n');
            }),
            PolicyBlock::Table { headers, rows } => {
                text.push_str(&headers.join(" | "));
                rows.iter().for_each(|row| {
                    text.push('\n');
                    text.push_str(&row.join(" | "));
                });
            }
        }
        text.push('\n');
    }
    text
}

/// The blocks between the heading `id` and the next heading of the same or a higher level.
fn section<'a>(document: &'a PolicyDocument, id: &str) -> &'a [PolicyBlock] {
    let start = document
        .blocks
        .iter()
        .position(|block| matches!(block, PolicyBlock::Heading { id: found, .. } if found == id))
        .unwrap_or_else(|| panic!("no section `{id}`"));
    let PolicyBlock::Heading { level, .. } = document.blocks[start] else { unreachable!() };
    let end = document.blocks[start + 1..]
        .iter()
        .position(|block| matches!(block, PolicyBlock::Heading { level: next, .. } if *next <= level))
        .map_or(document.blocks.len(), |offset| start + 1 + offset);
    &document.blocks[start..end]
}

fn section_text(document: &PolicyDocument, id: &str) -> String {
    all_text(&PolicyDocument { blocks: section(document, id).to_vec() })
}

/// The complaint authority as each language names the FDPIC.
fn authority(code: &str) -> &'static str {
    match code {
        "fr" | "es" => "PFPDT",
        "de" => "EDÖB",
        "it" => "IFPDT",
        _ => "FDPIC",
    }
}

#[test]
fn every_language_has_the_same_sections_in_the_same_order() {
    for code in SUPPORTED_LANGUAGES {
        let top: Vec<String> = build(code, &demo())
            .contents()
            .into_iter()
            .filter(|entry| entry.level == 2)
            .map(|entry| entry.id)
            .collect();
        assert_eq!(
            top,
            [
                "introduction",
                "controller",
                "data-we-process",
                "legal-bases",
                RECIPIENTS_SECTION_ID,
                "retention",
                "consent-records",
                "your-rights",
                "security",
                COOKIES_SECTION_ID,
                "changes",
                "hosting-customers"
            ],
            "{code}"
        );
    }
}

#[test]
fn the_controller_and_its_contacts_come_from_the_configuration() {
    for config in [demo(), shop()] {
        for code in SUPPORTED_LANGUAGES {
            let controller = section_text(&build(code, &config), "controller");
            let company = &config.company;
            for expected in [&company.name, company.address.as_ref().unwrap(), company.email.as_ref().unwrap()] {
                assert!(controller.contains(expected.as_str()), "{code}: {expected} missing from\n{controller}");
            }
        }
    }
    let demo = demo();
    let text = all_text(&build("en", &demo));
    let dpo = demo.company.dpo.as_ref().unwrap();
    assert!(section_text(&build("en", &demo), "data-protection-officer").contains(dpo.email.as_ref().unwrap()));
    assert!(text.contains(&dpo.name));
    for source_name in ["Infomaniak", "Tiago", "Patti", "Bernasconi", "Cashout", "PayPal"] {
        assert!(!text.contains(source_name), "{source_name} is hard-coded");
    }
}

#[test]
fn the_dpo_and_the_eu_representative_appear_only_when_configured() {
    let shop = shop();
    for code in SUPPORTED_LANGUAGES {
        let document = build(code, &shop);
        let ids: Vec<String> = document.contents().into_iter().map(|entry| entry.id).collect();
        assert!(!ids.contains(&"data-protection-officer".to_string()), "{code}: no DPO is configured");
        let representative = section_text(&document, "eu-representative");
        assert!(representative.contains("EU-Rep Services SRL") && representative.contains("Via Roma 1"), "{code}");
    }
    let mut config = demo();
    config.company.eu_representative = None;
    let ids: Vec<String> = build("en", &config).contents().into_iter().map(|entry| entry.id).collect();
    assert!(ids.contains(&"data-protection-officer".to_string()));
    assert!(!ids.contains(&"eu-representative".to_string()));
}

#[test]
fn every_configured_service_is_listed_with_its_provider_country_and_safeguard() {
    for config in [demo(), shop()] {
        for code in SUPPORTED_LANGUAGES {
            let policy = builtin_policy(code);
            let document = build(code, &config);
            let recipients = section_text(&document, RECIPIENTS_SECTION_ID);
            for service in config.categories.iter().flat_map(|category| &category.services) {
                let row = recipients
                    .lines()
                    .find(|line| line.starts_with(&format!("{} |", service.name)))
                    .unwrap_or_else(|| panic!("{code}: {} is not listed:\n{recipients}", service.name));
                let safeguard = format!("safeguards.{}", service.transfer_safeguard().map_or("none", Safeguard::name));
                for expected in
                    [service.provider.as_str(), policy.country(&service.country), policy.section(&safeguard)]
                {
                    assert!(row.contains(expected), "{code}: `{expected}` missing from `{row}`");
                }
                if let Some(safeguard) = service.transfer_safeguard() {
                    let key = format!("safeguardNotes.{}", safeguard.name());
                    let note = policy.section(&key);
                    assert!(recipients.contains(note), "{code}: the {safeguard:?} note is missing");
                }
            }
            assert!(!recipients.contains(policy.section("recipients.noTransfer")), "{code}: data does leave");
        }
    }
    let policy = builtin_policy("de");
    let shop = section_text(&build("de", &shop()), RECIPIENTS_SECTION_ID);
    assert!(shop.contains("Vereinigte Staaten") && shop.contains("Vereinigtes Königreich"), "{shop}");
    assert!(shop.contains(policy.section("safeguards.adequacy")), "GB's adequacy is implied");
}

#[test]
fn a_site_whose_data_stays_home_says_so_and_one_without_services_too() {
    let mut config = demo();
    config.categories.retain(|category| category.id != "marketing");
    for code in SUPPORTED_LANGUAGES {
        let policy = builtin_policy(code);
        let recipients = section_text(&build(code, &config), RECIPIENTS_SECTION_ID);
        assert!(recipients.contains(policy.section("recipients.noTransfer")), "{code}");
        assert!(!recipients.contains("Google"), "{code}");
        let fallback = section_text(&build(code, &Config::safe_fallback("example.com")), RECIPIENTS_SECTION_ID);
        assert!(fallback.contains(policy.section("recipients.none")), "{code}");
    }
}

#[test]
fn no_section_speaks_of_a_service_that_is_not_configured() {
    for code in SUPPORTED_LANGUAGES {
        let shop = all_text(&build(code, &shop()));
        assert!(
            !shop.contains("Matomo") && !shop.contains("_pk_"),
            "{code}: the demo's analytics leak into another site"
        );
        let mut config = demo();
        config.categories.retain(|category| category.required);
        let necessary_only = all_text(&build(code, &config));
        for service in ["Matomo", "Google", "_gcl_au", "tour_player"] {
            assert!(!necessary_only.contains(service), "{code}: {service} is not configured");
        }
        let policy = builtin_policy(code);
        assert!(necessary_only.contains(policy.section("consent.none")), "{code}");
    }
}

#[test]
fn every_right_is_stated_with_the_complaint_authority_and_a_working_withdrawal() {
    for config in [demo(), shop(), Config::safe_fallback("example.com")] {
        for code in SUPPORTED_LANGUAGES {
            let document = build(code, &config);
            let rights = section(&document, "your-rights");
            let items = rights
                .iter()
                .find_map(|block| match block {
                    PolicyBlock::List(items) => Some(items),
                    _ => None,
                })
                .expect("the rights are a list");
            assert_eq!(
                items.len(),
                8,
                "{code}: access, rectification, erasure, restriction, portability, objection, withdrawal, complaint"
            );
            assert!(plain_text(&items[7]).contains(authority(code)), "{code}");
            let withdrawal =
                items[6].iter().any(|piece| matches!(piece, Inline::Link { href, .. } if href == PREFERENCES_HREF));
            assert!(withdrawal, "{code}: withdrawing consent links to the cookie settings");
        }
    }
}

#[test]
fn the_consent_records_section_states_the_configured_retention() {
    for config in [demo(), shop()] {
        let retention = config.records.as_ref().unwrap().retention_days;
        for code in SUPPORTED_LANGUAGES {
            let locale = Locale::for_site(code, &config);
            let records = section_text(&build(code, &config), "consent-records");
            assert!(records.contains(&days(&locale, retention)), "{code}: {retention} days missing from\n{records}");
            assert!(records.contains(OUTBOX_KEY), "{code}: the outbox is named");
            assert!(records.contains("SHA-256"), "{code}");
        }
    }
    assert_eq!(days(&Locale::builtin("en"), 1095), "3 years");
    assert_eq!(days(&Locale::builtin("fr"), 730), "2\u{a0}ans");
    assert_eq!(days(&Locale::builtin("en"), 400), "400 days");
    let mut config = demo();
    config.records = None;
    let records = section_text(&build("en", &config), "consent-records");
    assert!(records.contains("No record of your choice is sent"), "{records}");
    assert!(!records.contains(OUTBOX_KEY));
}

#[test]
fn the_policy_shows_the_configured_date_and_version() {
    let expected = [
        ("en", "version 1.4", "1 January 2026"),
        ("fr", "version 1.4", "1er janvier 2026"),
        ("de", "Version 1.4", "1. Januar 2026"),
        ("it", "versione 1.4", "1º gennaio 2026"),
        ("es", "versión 1.4", "1 de enero de 2026"),
    ];
    for (code, version, date) in expected {
        let changes = section_text(&build(code, &shop()), "changes");
        assert!(changes.contains(version) && changes.contains(date), "{code}: {changes}");
        let dated = section_text(&build(code, &demo()), "changes");
        assert!(dated.contains("2026"), "{code}: the demo's date");
    }
    let demo = all_text(&build("en", &demo()));
    assert!(demo.contains("30 November 2026"), "the demo's date");
    assert!(!demo.contains("1 May 2018"), "no fixed 2018 date");
    let undated = section_text(&build("en", &Config::safe_fallback("example.com")), "changes");
    assert!(!undated.contains("This is version"), "{undated}");
}

#[test]
fn no_placeholder_is_ever_left_unfilled() {
    let mut no_contact = demo();
    no_contact.company.contact_url = None;
    no_contact.company.address = None;
    for config in [demo(), shop(), no_contact, Config::safe_fallback("example.com")] {
        for code in SUPPORTED_LANGUAGES {
            let document = build(code, &config);
            let text = all_text(&document);
            assert!(!text.contains('{'), "{code}: {}", text.lines().find(|line| line.contains('{')).unwrap_or(""));
            for block in &document.blocks {
                let pieces = inline_pieces(block);
                for piece in pieces {
                    if let Inline::Link { href, .. } = piece {
                        assert!(!href.contains('{'), "{code}: a link to {href}");
                        assert!(crate::core::markup::is_allowed_href(href), "{code}: {href}");
                    }
                }
            }
        }
    }
}

#[test]
fn a_block_whose_placeholder_has_no_value_is_left_out() {
    let policy = PolicyText {
        blocks: vec![
            Block::Paragraph { text: "Kept for {company}.".into(), requires: None },
            Block::Paragraph { text: "Write to [us]({contactUrl}).".into(), requires: None },
        ],
        ..PolicyText::default()
    };
    let document = PolicyDocument::build(&Locale::builtin("en"), &policy, &demo());
    assert_eq!(all_text(&document), "Kept for Lakeside Hosting SA.\n");
}

#[test]
fn in_document_links_lead_to_sections_that_exist() {
    for code in SUPPORTED_LANGUAGES {
        let document = build(code, &demo());
        let ids: Vec<String> = document.contents().into_iter().map(|entry| entry.id).collect();
        for block in &document.blocks {
            let pieces = inline_pieces(block);
            for piece in pieces {
                if let Inline::Link { href, .. } = piece
                    && let Some(id) = href.strip_prefix('#')
                    && href != PREFERENCES_HREF
                {
                    assert!(ids.contains(&id.to_string()), "{code}: #{id} leads nowhere");
                }
            }
        }
    }
}

#[test]
fn the_cookie_section_lists_each_category_and_the_widgets_own_storage() {
    let config = demo();
    let document = build("de", &config);
    let ids: Vec<String> = document.contents().into_iter().map(|entry| entry.id).collect();
    for id in ["cookies-necessary", "cookies-analytics", "cookies-marketing", "cookies-functional"] {
        assert!(ids.contains(&id.to_string()), "{id} missing from {ids:?}");
    }
    let tables: Vec<&Vec<Vec<String>>> = section(&document, COOKIES_SECTION_ID)
        .iter()
        .filter_map(|block| match block {
            PolicyBlock::Table { rows, .. } => Some(rows),
            _ => None,
        })
        .collect();
    assert_eq!(tables.len(), 4);
    let necessary: Vec<&str> = tables[0].iter().map(|row| row[0].as_str()).collect();
    assert_eq!(necessary, ["session_id", "consent_widget", "consent_widget_outbox (localStorage)"]);
    assert_eq!(tables[0][1][3], "182 Tage");
    assert_eq!(tables[1][0][0], "_pk_id.*");
    assert_eq!(tables[1][1][3], "30 Minuten", "Matomo's session cookie lasts 30 minutes");
}

#[test]
fn the_widgets_own_storage_is_listed_once_and_the_outbox_only_with_records() {
    let mut config = demo();
    let locale = Locale::builtin("en");
    let rows = |config: &Config| own_storage_rows(&locale, config).into_iter().map(|row| row.name).collect::<Vec<_>>();
    assert_eq!(rows(&config), ["consent_widget", "consent_widget_outbox (localStorage)"]);
    config.records = None;
    assert_eq!(rows(&config), ["consent_widget"]);
    let mut listed = demo();
    let own = CookieInfo {
        name: "consent_widget".into(),
        provider: "Lakeside Hosting SA".into(),
        purpose: crate::core::config::Text::Same("Our own words.".into()),
        duration: CookieDuration::Span { amount: 6, unit: TimeUnit::Month },
    };
    listed.categories[0].cookies.push(own);
    assert_eq!(rows(&listed), ["consent_widget_outbox (localStorage)"], "not listed twice");
    let mut no_required = shop();
    no_required.categories.retain(|category| !category.required);
    let text = all_text(&build("en", &no_required));
    assert!(text.contains("consent_widget"), "listed even without a required category");
}

#[test]
fn heading_ids_are_unique() {
    let document = build("en", &demo());
    let mut ids: Vec<&String> = document
        .blocks
        .iter()
        .filter_map(|block| match block {
            PolicyBlock::Heading { id, .. } => Some(id),
            _ => None,
        })
        .collect();
    let count = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), count);
}

#[test]
fn the_structure_check_catches_placeholders_outside_their_requirement() {
    let english = builtin_policy("en");
    let mut broken = english.clone();
    broken.blocks.push(Block::Paragraph { text: "Kept {recordsRetention}.".into(), requires: None });
    broken.blocks.push(Block::Paragraph { text: "Ask {nobody}.".into(), requires: None });
    let problems = document_problems("xx", &english, &broken).join("\n");
    assert!(problems.contains("{recordsRetention}"), "{problems}");
    assert!(problems.contains("unknown placeholder {nobody}"), "{problems}");
}

/// The inline pieces of a paragraph or of a list's items; none for other blocks.
fn inline_pieces(block: &PolicyBlock) -> Vec<&Inline> {
    match block {
        PolicyBlock::Paragraph(pieces) => pieces.iter().collect(),
        PolicyBlock::List(items) => items.iter().flatten().collect(),
        _ => Vec::new(),
    }
}
