//! The widget's own JSON reader (`core::json`, what the wasm runs) and the serde derives (what
//! the server and native code run) must accept and refuse the same documents, and read equal
//! values from those both accept: the configuration, the consent cookie, the record and the
//! outbox. Each valid document of the corpus is tried as is and in every variant `mutations`
//! makes of it; serde must also write what the widget writes.

mod corpus;
mod mutations;

use super::config::Config;
use super::consent::Consent;
use super::json::{self, Field, Json, JsonError};
use super::outbox::Outbox;
use super::record::ConsentRecord;
use super::serde_codec;
use serde::de::DeserializeOwned;
use std::fmt::Debug;

type HandReader<T> = fn(&Field) -> Result<T, JsonError>;

fn read_by_hand<T>(text: &str, read: HandReader<T>) -> Result<T, JsonError> {
    json::parse(text).and_then(|tree| read(&Field::root(&tree)))
}

/// How the two readers differ on `text`, if they do.
fn disagreement<T: DeserializeOwned + PartialEq + Debug>(text: &str, read: HandReader<T>) -> Option<String> {
    match (read_by_hand(text, read), serde_codec::from_str::<T>(text)) {
        (Ok(hand), Ok(serde)) if hand == serde => None,
        (Err(_), Err(_)) => None,
        (hand, serde) => Some(format!("hand-written reader: {}\n    serde: {}", brief(&hand), brief(&serde))),
    }
}

/// A result, cut short: a whole configuration says nothing a failure needs.
fn brief(result: &impl Debug) -> String {
    let text = format!("{result:?}");
    match text.char_indices().nth(200) {
        Some((end, _)) => format!("{}...", &text[..end]),
        None => text,
    }
}

/// Checks every document of `corpus` and every variant of it; returns how many variants the
/// readers both accepted and both refused, so a test can tell it tried both kinds.
fn check<T: DeserializeOwned + PartialEq + Debug>(corpus: &[String], read: HandReader<T>) -> (usize, usize) {
    let mut failures = Vec::new();
    let (mut accepted, mut refused) = (0, 0);
    for (number, text) in corpus.iter().enumerate() {
        let document = json::parse(text).expect("the corpus is JSON");
        if let Err(error) = serde_codec::from_str::<T>(text) {
            failures.push(format!("document {number} is valid, yet serde refuses it: {error}"));
        }
        for (change, variant) in mutations::of(&document) {
            let text = variant.to_string();
            match disagreement(&text, read) {
                Some(difference) => failures.push(format!("document {number}, {change}:\n    {difference}")),
                None if read_by_hand(&text, read).is_ok() => accepted += 1,
                None => refused += 1,
            }
        }
    }
    let shown: Vec<&String> = failures.iter().take(20).collect();
    assert!(failures.is_empty(), "{} disagreements, the first ones:\n{shown:#?}", failures.len());
    (accepted, refused)
}

#[test]
fn configurations_read_the_same() {
    let (accepted, refused) = check(&corpus::configurations(), Config::read);
    assert!(accepted > 100 && refused > 1000, "{accepted} accepted, {refused} refused");
}

#[test]
fn consent_cookies_read_the_same() {
    let (accepted, refused) = check(&corpus::consents(), Consent::read);
    assert!(accepted > 10 && refused > 100, "{accepted} accepted, {refused} refused");
}

#[test]
fn records_read_the_same() {
    let (accepted, refused) = check(&corpus::records(), ConsentRecord::read);
    assert!(accepted > 10 && refused > 100, "{accepted} accepted, {refused} refused");
}

#[test]
fn outboxes_read_the_same() {
    let (accepted, refused) = check(&corpus::outboxes(), Outbox::read);
    assert!(accepted > 10 && refused > 100, "{accepted} accepted, {refused} refused");
}

/// Documents no mutation of a valid one makes: broken JSON, numbers and strings the JSON
/// grammar refuses, keys given twice where a key is data, and the other forms serde_json
/// takes for a struct (an array of its members) and an enum (an object naming it).
#[test]
fn malformed_documents_are_refused_by_both() {
    let record = &corpus::records()[0];
    let members = match json::parse(record) {
        Ok(Json::Object(members)) => members,
        _ => unreachable!("a record is an object"),
    };
    let as_array = Json::Array(members.into_iter().map(|(_, value)| value).collect()).to_string();
    let services = r#"{"analytics":["matomo"],"marketing":["adnet","video"]}"#;
    let variants = [
        String::new(),
        " ".to_string(),
        format!("{record} x"),
        format!("[{record}]"),
        record[..record.len() - 1].to_string(),
        record.replace(services, r#"{"analytics":[],"analytics":[]}"#),
        record.replace("\"de\"", "\"\\ud800\""),
        record.replace("\"de\"", "\"\u{1}\""),
        record.replace("\"revision\":2", "\"revision\":02"),
        record.replace("\"revision\":2", "\"revision\":+2"),
        record.replace("\"revision\":2", "\"revision\":2."),
        format!("{}{}", "[".repeat(200), "]".repeat(200)),
        as_array,
        record.replace("\"accept_all\"", "{\"accept_all\":null}"),
    ];
    for text in &variants {
        assert!(read_by_hand(text, ConsentRecord::read).is_err(), "{text}");
        assert_eq!(disagreement(text, ConsentRecord::read), None, "{text}");
    }
}

/// serde writes the cookie, the record and the outbox as the widget does, to the byte.
#[test]
fn serde_writes_what_the_widget_writes() {
    for text in corpus::consents() {
        let consent = serde_codec::from_str::<Consent>(&text).unwrap();
        assert_eq!(serde_codec::to_string(&consent), consent.to_json().to_string());
    }
    for text in corpus::records() {
        let record = serde_codec::from_str::<ConsentRecord>(&text).unwrap();
        assert_eq!(serde_codec::to_string(&record), record.to_json().to_string());
    }
    for text in corpus::outboxes() {
        let outbox = serde_codec::from_str::<Outbox>(&text).unwrap();
        assert_eq!(serde_codec::to_string(&outbox), outbox.to_text());
    }
}

/// What serde writes of a configuration reads back as the same configuration, by both readers.
#[test]
fn configurations_written_by_serde_read_back() {
    for text in corpus::configurations() {
        let config = serde_codec::from_str::<Config>(&text).unwrap();
        let written = serde_codec::to_string(&config);
        assert_eq!(serde_codec::from_str::<Config>(&written).unwrap(), config);
        assert_eq!(read_by_hand(&written, Config::read).unwrap(), config);
        assert!(matches!(json::parse(&written), Ok(Json::Object(_))));
    }
}
