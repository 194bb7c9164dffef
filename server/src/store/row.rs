//! A stored record as its database columns, and the hash that chains it to the previous one.

use consent_widget::core::record::{ConsentRecord, hex};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The `prev_hash` of the very first row.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Row {
    pub seq: i64,
    pub record_id: String,
    pub consent_id: String,
    pub method: String,
    /// JSON arrays and object, as stored.
    pub granted: String,
    pub denied: String,
    pub services: String,
    pub revision: i64,
    pub language: String,
    pub text_hash: String,
    pub origin: String,
    pub path: String,
    pub widget_version: String,
    pub client_time: i64,
    /// Server time, Unix milliseconds.
    pub received_at: i64,
    /// Browser family and major version at most, e.g. `Firefox 128`.
    pub user_agent: String,
    pub prev_hash: String,
    pub hash: String,
}

impl Row {
    /// The row that appends `record` after a row whose hash is `prev_hash`.
    pub fn new(seq: i64, record: &ConsentRecord, received_at: i64, user_agent: &str, prev_hash: &str) -> Row {
        let mut row = Row::draft(record, received_at, user_agent);
        row.link(seq, prev_hash);
        row
    }

    /// The row's own columns, not yet placed in the chain: built in the request handler, so
    /// that the single writer only has to number, link and hash it.
    pub fn draft(record: &ConsentRecord, received_at: i64, user_agent: &str) -> Row {
        Row {
            seq: 0,
            record_id: record.record_id.to_string(),
            consent_id: record.consent_id.to_string(),
            method: record.method.as_str().to_string(),
            granted: json(&record.granted),
            denied: json(&record.denied),
            services: json(&record.services),
            revision: i64::from(record.revision),
            language: record.language.clone(),
            text_hash: record.text_hash.clone(),
            origin: record.origin.clone(),
            path: record.path.clone(),
            widget_version: record.widget_version.clone(),
            client_time: record.client_time,
            received_at,
            user_agent: user_agent.to_string(),
            prev_hash: String::new(),
            hash: String::new(),
        }
    }

    /// Places the row at `seq`, after the row whose hash is `prev_hash`, and hashes it.
    pub fn link(&mut self, seq: i64, prev_hash: &str) {
        self.seq = seq;
        self.prev_hash.clear();
        self.prev_hash.push_str(prev_hash);
        self.hash = self.compute_hash();
    }

    /// The first field of the visitor's record (named as in the JSON) in which `other` differs
    /// from this row, or `None` when both carry the same record. Server-side columns (receive
    /// time, browser family, chain position) are not part of what the visitor sent.
    pub fn record_difference(&self, other: &Row) -> Option<&'static str> {
        let fields: [(&'static str, bool); 13] = [
            ("recordId", self.record_id == other.record_id),
            ("consentId", self.consent_id == other.consent_id),
            ("method", self.method == other.method),
            ("granted", self.granted == other.granted),
            ("denied", self.denied == other.denied),
            ("services", self.services == other.services),
            ("revision", self.revision == other.revision),
            ("language", self.language == other.language),
            ("textHash", self.text_hash == other.text_hash),
            ("origin", self.origin == other.origin),
            ("path", self.path == other.path),
            ("widgetVersion", self.widget_version == other.widget_version),
            ("clientTime", self.client_time == other.client_time),
        ];
        fields.into_iter().find(|(_, same)| !same).map(|(name, _)| name)
    }

    /// SHA-256 over every column but `hash` itself, the previous row's hash included, as a
    /// JSON array: unambiguous, and easy for an auditor to recompute in any language.
    pub fn compute_hash(&self) -> String {
        let canonical = Canonical(
            self.seq,
            &self.record_id,
            &self.consent_id,
            &self.method,
            &self.granted,
            &self.denied,
            &self.services,
            self.revision,
            &self.language,
            &self.text_hash,
            &self.origin,
            &self.path,
            &self.widget_version,
            self.client_time,
            self.received_at,
            &self.user_agent,
            &self.prev_hash,
        );
        hex(&Sha256::digest(json(&canonical).as_bytes()))
    }
}

/// What a row's hash covers, serialised as a JSON array in column order.
#[derive(Serialize)]
struct Canonical<'a>(
    i64,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    i64,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    i64,
    i64,
    &'a str,
    &'a str,
);

/// Compact JSON of plain data (sets and maps of strings), which cannot fail to serialise.
fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use consent_widget::core::record::ConsentRecord;

    fn record() -> ConsentRecord {
        serde_json::from_value(serde_json::json!({
                "recordId": "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d",
                "consentId": "6f1c2b9e-8d7a-4e3b-9c1d-2a3b4c5d6e7f",
                "method": "custom",
                "granted": ["necessary", "analytics"],
                "denied": ["marketing"],
                "services": {"analytics": ["matomo"]},
                "revision": 1,
                "language": "de",
                "textHash": "a".repeat(64),
                "origin": "https://shop.example",
                "path": "/",
                "widgetVersion": "0.1.0",
                "clientTime": 1_800_000_000_000_i64
        }))
        .unwrap()
    }

    #[test]
    fn the_hash_covers_every_column_and_the_previous_hash() {
        let row = Row::new(1, &record(), 1_800_000_000_500, "Firefox 128", GENESIS_HASH);
        assert_eq!(row.hash, row.compute_hash());
        assert_eq!(row.method, "custom");
        assert_eq!(row.granted, r#"["analytics","necessary"]"#);
        let mut tampered = row.clone();
        tampered.granted = r#"["analytics","marketing","necessary"]"#.into();
        assert_ne!(tampered.compute_hash(), row.hash);
        let other_parent = Row::new(1, &record(), 1_800_000_000_500, "Firefox 128", &"1".repeat(64));
        assert_ne!(other_parent.hash, row.hash);
    }

    #[test]
    fn a_replay_differs_only_in_what_the_visitor_sent() {
        let stored = Row::new(3, &record(), 1_800_000_000_500, "Firefox 128", GENESIS_HASH);
        let retry = Row::draft(&record(), 1_800_000_009_000, "Firefox 129");
        assert_eq!(stored.record_difference(&retry), None, "receive time and browser are the server's");
        let mut other = record();
        other.method = consent_widget::core::consent::Method::AcceptAll;
        assert_eq!(stored.record_difference(&Row::draft(&other, 0, "")), Some("method"));
        other = record();
        other.client_time += 1;
        assert_eq!(stored.record_difference(&Row::draft(&other, 0, "")), Some("clientTime"));
    }

    #[test]
    fn the_hashed_form_is_the_documented_json_array_of_the_columns() {
        let row = Row::new(7, &record(), 1_800_000_000_500, "Firefox 128", GENESIS_HASH);
        let documented = serde_json::json!([
            7,
            row.record_id,
            row.consent_id,
            "custom",
            r#"["analytics","necessary"]"#,
            r#"["marketing"]"#,
            r#"{"analytics":["matomo"]}"#,
            1,
            "de",
            "a".repeat(64),
            "https://shop.example",
            "/",
            "0.1.0",
            1_800_000_000_000_i64,
            1_800_000_000_500_i64,
            "Firefox 128",
            GENESIS_HASH,
        ]);
        assert_eq!(row.hash, hex(&Sha256::digest(documented.to_string().as_bytes())));
    }
}
