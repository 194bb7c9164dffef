use super::*;
use crate::core::SUPPORTED_LANGUAGES;
use crate::core::markup::plain_text;

const DEMO: &str = include_str!("../../../www/consent-config.json");

fn config() -> Config {
    Config::from_json(DEMO).unwrap()
}

fn all_text(document: &PolicyDocument) -> String {
    let mut text = String::new();
    for block in &document.blocks {
        match block {
            PolicyBlock::Heading { text: heading, .. } => text.push_str(heading),
            PolicyBlock::Paragraph(pieces) => text.push_str(&plain_text(pieces)),
            PolicyBlock::List(items) => items.iter().for_each(|item| text.push_str(&plain_text(item))),
            PolicyBlock::Table { headers, rows } => {
                text.push_str(&headers.join(" "));
                rows.iter().for_each(|row| text.push_str(&row.join(" ")));
            }
        }
        text.push('\n');
    }
    text
}

#[test]
fn every_language_has_the_three_source_sections_and_the_cookie_policy() {
    let config = config();
    for code in SUPPORTED_LANGUAGES {
        let document = PolicyDocument::build(&Locale::for_site(code, &config), &builtin_blocks(code), &config);
        let top: Vec<String> =
            document.contents().into_iter().filter(|entry| entry.level == 2).map(|entry| entry.id).collect();
        assert_eq!(top, ["confidentiality", "gdpr", "switzerland-europe", "cookies"], "{code}");
        assert!(document.contents().iter().any(|entry| entry.level == 3), "{code}: no subsections");
    }
}

#[test]
fn the_company_and_people_come_from_the_configuration() {
    let config = config();
    let text = all_text(&PolicyDocument::build(&Locale::builtin("en"), &builtin_blocks("en"), &config));
    assert!(text.contains("Lakeside Hosting SA"));
    assert!(text.contains("Claire Morel"), "the DPO is named");
    assert!(text.contains("Luca Bernasconi"), "the delegate is named");
    assert!(!text.contains('{'), "an unfilled placeholder: {}", text.lines().find(|l| l.contains('{')).unwrap_or(""));
    for source_name in ["Infomaniak", "Tiago", "Patti"] {
        assert!(!text.contains(source_name), "{source_name} is hard-coded");
    }
}

#[test]
fn blocks_about_people_the_site_lacks_are_left_out() {
    let mut config = config();
    let with_people = PolicyDocument::build(&Locale::builtin("en"), &builtin_blocks("en"), &config).blocks.len();
    config.company.dpo = None;
    config.company.delegate = None;
    let document = PolicyDocument::build(&Locale::builtin("en"), &builtin_blocks("en"), &config);
    assert!(document.blocks.len() < with_people);
    assert!(!all_text(&document).contains("Claire Morel"));
}

#[test]
fn the_cookie_section_lists_each_category_and_its_cookies() {
    let config = config();
    let document = PolicyDocument::build(&Locale::builtin("de"), &builtin_blocks("de"), &config);
    let ids: Vec<String> = document.contents().into_iter().map(|entry| entry.id).collect();
    for id in ["cookies-necessary", "cookies-analytics", "cookies-marketing"] {
        assert!(ids.contains(&id.to_string()), "{id} missing from {ids:?}");
    }
    let tables: Vec<&Vec<Vec<String>>> = document
        .blocks
        .iter()
        .filter_map(|block| match block {
            PolicyBlock::Table { rows, .. } => Some(rows),
            _ => None,
        })
        .collect();
    assert_eq!(tables.len(), 3);
    assert_eq!(tables[1][0][0], "_pk_id.*");
    assert_eq!(tables[1][0][2], "Unterscheidet Besuche, um eindeutige Besucher zu zählen.");
    assert!(tables[1][0][3].starts_with("13 "));
}

#[test]
fn links_in_the_policy_are_all_allowed() {
    let config = config();
    for code in SUPPORTED_LANGUAGES {
        let document = PolicyDocument::build(&Locale::builtin(code), &builtin_blocks(code), &config);
        for block in &document.blocks {
            let pieces: Vec<&Inline> = match block {
                PolicyBlock::Paragraph(pieces) => pieces.iter().collect(),
                PolicyBlock::List(items) => items.iter().flatten().collect(),
                _ => Vec::new(),
            };
            for piece in pieces {
                if let Inline::Link { href, .. } = piece {
                    assert!(crate::core::markup::is_allowed_href(href), "{code}: {href}");
                }
            }
        }
    }
}

#[test]
fn heading_ids_are_unique() {
    let config = config();
    let document = PolicyDocument::build(&Locale::builtin("en"), &builtin_blocks("en"), &config);
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
