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
        "fr" => "PFPDT",
        "es" => "EFPDT",
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
                "about",
                "controller",
                "processing",
                "legal-bases",
                RECIPIENTS_SECTION_ID,
                "retention",
                "consent-records",
                "your-rights",
                "children",
                "security",
                COOKIES_SECTION_ID,
                "changes",
                "hosting-customers",
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
fn each_service_says_who_answers_for_its_data_and_links_its_providers_policy() {
    let config = demo();
    let google = config.categories.iter().flat_map(|category| &category.services).find(|s| s.id == "google-ads");
    let google = google.unwrap();
    for code in SUPPORTED_LANGUAGES {
        let policy = builtin_policy(code);
        let document = build(code, &config);
        let joint = shown(
            code,
            &config,
            &policy.section("recipients.roles.jointController").replace("{provider}", &google.provider),
        );
        let recipients = section_text(&document, RECIPIENTS_SECTION_ID);
        assert!(recipients.contains(&joint), "{code}: no joint responsibility for Google Ads:\n{recipients}");
        let links: Vec<&Inline> = section(&document, RECIPIENTS_SECTION_ID).iter().flat_map(inline_pieces).collect();
        assert!(
            links.iter().any(
                |piece| matches!(piece, Inline::Link { href, .. } if Some(href) == google.privacy_policy.as_ref())
            ),
            "{code}: Google's page is not linked"
        );
        // Matomo runs on the company's own servers: no role, no line.
        assert!(!recipients.contains(&format!("Matomo{}", Locale::for_site(code, &config).colon())), "{code}");
    }
    let broken = DEMO.replace("https://policies.google.com/technologies/partner-sites", "javascript:alert(1)");
    let error = Config::from_json(&broken).unwrap_err();
    assert_eq!(error.path, "categories[2].services[0].privacyPolicy", "{error}");
}

/// A policy text as a site of `config` shows it in `code`: Swiss German for a Swiss controller.
fn shown(code: &str, config: &Config, text: &str) -> String {
    if code == "de" && config.company.jurisdiction == crate::core::config::Jurisdiction::CH {
        swiss_german(text)
    } else {
        text.to_string()
    }
}

#[test]
fn a_site_whose_data_stays_home_says_so_and_one_without_services_too() {
    let mut config = demo();
    config.categories.retain(|category| category.id != "marketing");
    config.recipients.retain(|recipient| recipient.country == "CH");
    for code in SUPPORTED_LANGUAGES {
        let policy = builtin_policy(code);
        let recipients = section_text(&build(code, &config), RECIPIENTS_SECTION_ID);
        assert!(recipients.contains(&shown(code, &config, policy.section("recipients.noTransfer"))), "{code}");
        assert!(!recipients.contains("Google"), "{code}");
        let fallback_config = Config::safe_fallback("example.com");
        let fallback = section_text(&build(code, &fallback_config), RECIPIENTS_SECTION_ID);
        assert!(fallback.contains(&shown(code, &fallback_config, policy.section("recipients.none"))), "{code}");
    }
}

/// A cookie whose provider no service declares: the policy lists that provider, says its country
/// is not stated, and claims neither that no one receives data nor that none of it leaves.
#[test]
fn a_cookie_provider_no_service_declares_is_listed_and_nothing_is_claimed_for_it() {
    let config = Config::from_json(
        r#"{"company":{"name":"Shop"},"categories":[{"id":"necessary","required":true},
           {"id":"analytics","cookies":[{"name":"_hjSessionUser_*","provider":"Hotjar Ltd","purpose":"p","duration":"1 year"},
                                        {"name":"_hjSession_*","provider":"Hotjar Ltd","purpose":"p","duration":"30 minutes"}]}]}"#,
    )
    .unwrap();
    for code in SUPPORTED_LANGUAGES {
        let policy = builtin_policy(code);
        let recipients = section_text(&build(code, &config), RECIPIENTS_SECTION_ID);
        assert_eq!(
            recipients.matches("Hotjar Ltd").count(),
            2,
            "{code}: once as the service, once as its provider: {recipients}"
        );
        assert!(recipients.contains(policy.section("recipients.notStated")), "{code}");
        assert!(!recipients.contains(policy.section("recipients.none")), "{code}");
        assert!(!recipients.contains(policy.section("recipients.noTransfer")), "{code}");
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
        config.consent_mode = None;
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
            // The right to object stands apart, first and stressed (GDPR art. 21(4)).
            let object = rights
                .iter()
                .find_map(|block| match block {
                    PolicyBlock::Paragraph(pieces) => Some(pieces),
                    _ => None,
                })
                .expect("a paragraph first");
            assert!(matches!(object.first(), Some(Inline::Strong(_))), "{code}: the right to object first, stressed");
            let items = rights
                .iter()
                .find_map(|block| match block {
                    PolicyBlock::List(items) => Some(items),
                    _ => None,
                })
                .expect("the rights are a list");
            assert_eq!(items.len(), 6, "{code}: access, rectification, erasure, restriction, portability, withdrawal");
            let withdrawal =
                items[5].iter().any(|piece| matches!(piece, Inline::Link { href, .. } if href == PREFERENCES_HREF));
            assert!(withdrawal, "{code}: withdrawing consent links to the cookie settings");
            let text = section_text(&document, "your-rights");
            assert!(text.contains(authority(code)), "{code}: the authority to report to\n{text}");
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
    assert!(records.contains("Your choice is not sent to us"), "{records}");
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
            Block::Paragraph { text: "Kept for {company}.".into(), requires: Vec::new() },
            Block::Paragraph { text: "Write to [us]({contactUrl}).".into(), requires: Vec::new() },
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
    broken.blocks.push(Block::Paragraph { text: "Kept {recordsRetention}.".into(), requires: Vec::new() });
    broken.blocks.push(Block::Paragraph { text: "Ask {nobody}.".into(), requires: Vec::new() });
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

/// The example configurations of `examples/`: each company's policy as it would publish it.
const FRENCH_SHOP: &str = include_str!("../../../examples/fr-shop.json");
const GERMAN_CONSULTANCY: &str = include_str!("../../../examples/de-consultancy.json");

fn headings(document: &PolicyDocument) -> Vec<String> {
    document
        .blocks
        .iter()
        .filter_map(|block| match block {
            PolicyBlock::Heading { id, .. } => Some(id.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn each_example_has_the_sections_its_activities_need_and_none_it_does_not() {
    let cases: [(&str, Config, &[&str], &[&str]); 3] = [
        (
            "Swiss hosting company",
            demo(),
            &[
                "website-visits",
                "contacting-us",
                "customer-accounts",
                "orders-and-payments",
                "customer-support",
                "hosting-customers",
                "data-protection-officer",
                "eu-representative",
            ],
            &["newsletter", "job-applications", "swiss-representative"],
        ),
        (
            "French shop",
            Config::from_json(FRENCH_SHOP).unwrap(),
            &["website-visits", "contacting-us", "customer-accounts", "orders-and-payments", "newsletter"],
            &[
                "hosting-customers",
                "hosting-security",
                "job-applications",
                "customer-support",
                "data-protection-officer",
            ],
        ),
        (
            "German consultancy",
            Config::from_json(GERMAN_CONSULTANCY).unwrap(),
            &["website-visits", "contacting-us"],
            &["orders-and-payments", "newsletter", "customer-accounts", "hosting-customers", "managing-your-account"],
        ),
    ];
    for (name, config, present, absent) in cases {
        for code in &config.languages.enabled {
            let document = build(code, &config);
            let ids = headings(&document);
            for id in present {
                assert!(ids.iter().any(|heading| heading == id), "{name} ({code}): no section `{id}` in {ids:?}");
            }
            for id in absent {
                assert!(!ids.iter().any(|heading| heading == id), "{name} ({code}): a section `{id}` it does not need");
            }
            let text = all_text(&document);
            assert!(!text.contains('{'), "{name} ({code}): an unfilled placeholder in {text}");
        }
    }
}

#[test]
fn each_jurisdiction_names_its_own_law_authority_and_accounting_period() {
    let shop = Config::from_json(FRENCH_SHOP).unwrap();
    let french = all_text(&build("fr", &shop));
    for term in ["Informatique et Libertés", "CNIL", "L.\u{a0}123-22"] {
        assert!(french.contains(term), "the French shop's policy lacks {term}");
    }
    for swiss in ["PFPDT", "958f"] {
        assert!(!french.contains(swiss), "the French shop's policy speaks of Swiss law ({swiss})");
    }
    let consultancy = Config::from_json(GERMAN_CONSULTANCY).unwrap();
    let german = all_text(&build("de", &consultancy));
    for term in ["TDDDG", "BDSG", "personenbezogene"] {
        assert!(german.contains(term), "the German consultancy's policy lacks {term}");
    }
    assert!(!german.contains("EDÖB"), "the German consultancy's policy speaks of the Swiss authority");
    let english = all_text(&build("en", &demo()));
    assert!(english.contains("FDPIC") && english.contains("958f"), "the Swiss company's policy names its law");
    assert!(!english.contains("CNIL") && !english.contains("TDDDG"));
}

#[test]
fn a_swiss_companys_german_policy_is_written_in_swiss_usage() {
    let german = all_text(&build("de", &demo()));
    assert!(!german.contains('ß'), "no ß in Swiss German");
    assert!(!german.contains("personenbezogen") && german.contains("Personendaten"), "{german}");
    let lower = german.to_lowercase();
    assert!(!lower.contains("verarbeitung") && lower.contains("bearbeitung"), "{german}");
    // Every block of the German document reads through the replacements without a leftover.
    for block in builtin_policy("de").blocks {
        for text in block.texts() {
            let swiss = swiss_german(text);
            assert!(!swiss.contains('ß') && !swiss.contains("personenbezogen"), "{swiss}");
            assert!(!swiss.contains("Personendaten Daten"), "{swiss}");
        }
    }
}

#[test]
fn recipients_beyond_the_website_are_listed_with_their_country_and_safeguard() {
    let shop = Config::from_json(FRENCH_SHOP).unwrap();
    let policy = builtin_policy("en");
    let recipients = section_text(&build("en", &shop), RECIPIENTS_SECTION_ID);
    assert!(recipients.contains("Stripe Payments Europe Ltd") && recipients.contains("Ireland"), "{recipients}");
    assert!(recipients.contains(policy.section("recipients.purposes.payment")), "{recipients}");
    assert!(recipients.contains(policy.section("recipients.processor")), "{recipients}");
    let mut abroad = shop.clone();
    abroad.recipients[1].country = "US".into();
    abroad.recipients[1].safeguard = Some(Safeguard::Dpf);
    let recipients = section_text(&build("en", &abroad), RECIPIENTS_SECTION_ID);
    assert!(recipients.contains(policy.section("safeguardNotes.dpf")), "{recipients}");
}

#[test]
fn a_site_may_leave_out_a_section() {
    let mut config = demo();
    let before = headings(&build("en", &config));
    assert!(before.contains(&"hosting-customers".to_string()) && before.contains(&"customer-role".to_string()));
    config.policy.as_mut().unwrap().omit = vec!["hosting-customers".into()];
    let after = headings(&build("en", &config));
    assert!(!after.contains(&"hosting-customers".to_string()), "{after:?}");
    assert!(!after.contains(&"customer-role".to_string()), "its subsections go with it: {after:?}");
    assert_eq!(after.len() + 5, before.len(), "{before:?} {after:?}");
}

#[test]
fn a_site_adds_sections_of_its_own_where_it_wants_them() {
    let text = DEMO.replace(
        r#""policy": {"#,
        r#""policy": { "extra": [
            { "id": "loyalty-card", "before": "recipients",
              "title": { "en": "Our loyalty card", "fr": "Notre carte de fidélité" },
              "paragraphs": [{ "en": "We count your points. See [the rules](https://example.com/rules).", "fr": "Nous comptons vos points." }] },
            { "id": "at-the-end", "title": "Last words", "paragraphs": ["Thank you."] } ],"#,
    );
    let config = Config::from_json(&text).unwrap();
    for (code, title, words) in [
        ("en", "Our loyalty card", "We count your points."),
        ("fr", "Notre carte de fidélité", "Nous comptons vos points."),
        ("de", "Our loyalty card", "We count"),
    ] {
        let document = build(code, &config);
        let ids = headings(&document);
        let own = ids.iter().position(|id| id == "loyalty-card").unwrap_or_else(|| panic!("{code}: {ids:?}"));
        assert_eq!(ids[own + 1], RECIPIENTS_SECTION_ID, "{code}: right before the recipients");
        assert_eq!(ids.last().map(String::as_str), Some("at-the-end"), "{code}");
        let text = all_text(&document);
        assert!(text.contains(title) && text.contains(words), "{code}: {text}");
        let level = |id: &str| {
            document.blocks.iter().find_map(|block| match block {
                PolicyBlock::Heading { id: found, level, .. } if found == id => Some(*level),
                _ => None,
            })
        };
        assert_eq!(level("loyalty-card"), level(RECIPIENTS_SECTION_ID));
    }
    let link = section(&build("en", &config), "loyalty-card")
        .iter()
        .flat_map(inline_pieces)
        .any(|piece| matches!(piece, Inline::Link { href, .. } if href == "https://example.com/rules"));
    assert!(link, "its links work as the built-in blocks'");
    let empty = text.replace(r#""paragraphs": ["Thank you."]"#, r#""paragraphs": []"#);
    assert_eq!(Config::from_json(&empty).unwrap_err().path, "policy.extra[1].paragraphs");
}
