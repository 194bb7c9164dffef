//! The service catalogue (catalogue/services/) against the Open Cookie Database the scanner
//! carries: every cookie an entry names is either filed there under a category that fits the
//! entry's, or says in `ocdNote` why it differs or why the database lacks it.

use consent_scan::knowledge::{Knowledge, KnownCategory};
use serde_json::Value;
use std::path::Path;

/// The database's categories that fit each of the widget's.
fn fits(category: &str, known: KnownCategory) -> bool {
    use KnownCategory::*;
    match category {
        "necessary" => matches!(known, Necessary | Security | Functional),
        "functional" => matches!(known, Necessary | Security | Functional | Personalization),
        "analytics" => known == Analytics,
        "ad-measurement" | "personalised-ads" | "marketing" => known == Marketing,
        _ => false,
    }
}

#[test]
fn every_catalogue_cookie_agrees_with_the_open_cookie_database_or_says_why() {
    let knowledge = Knowledge::load();
    let directory = Path::new(env!("CARGO_MANIFEST_DIR")).join("../catalogue/services");
    let (mut cookies, mut found, mut problems) = (0, 0, Vec::new());
    for file in std::fs::read_dir(&directory).unwrap() {
        let path = file.unwrap().path();
        let entry: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let id = entry["id"].as_str().unwrap();
        let category = entry["category"].as_str().unwrap();
        for cookie in entry["cookies"].as_array().unwrap() {
            cookies += 1;
            let name = cookie["name"].as_str().unwrap();
            let explained = cookie["ocdNote"].as_str().is_some_and(|note| note.len() > 20);
            // A pattern is looked up as one name it matches.
            let known = knowledge.cookie(&name.replace('*', "x"));
            if known.is_some() {
                found += 1;
            }
            match known {
                Some(row) if !fits(category, row.category) && !explained => problems.push(format!(
                    "{id}: {name} is {} in the database, {category} here, and ocdNote does not say why",
                    row.category.label()
                )),
                None if !explained => {
                    problems.push(format!("{id}: {name} is not in the database and ocdNote does not say why"))
                }
                _ => {}
            }
        }
        for host in entry["hosts"].as_array().unwrap() {
            // A host, or a host and the path its part of a shared host starts with.
            let host = host.as_str().unwrap().split('/').next().unwrap_or_default();
            let url = url::Url::parse(&format!("https://{}/", host.trim_start_matches("*."))).ok();
            if url.as_ref().and_then(url::Url::host_str) != Some(host.trim_start_matches("*.")) {
                problems.push(format!("{id}: `{host}` is not a host name"));
            }
        }
    }
    println!("{found} of {cookies} catalogue cookies are in the Open Cookie Database");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(found * 2 > cookies, "{found} of {cookies} found: is the database there?");
}
