//! Records waiting for delivery. A decision's record is queued before it is sent and
//! leaves the queue only once the server has acknowledged it, so a network or server
//! failure delays a record but never loses it; the record id makes a resend harmless.

use super::json::{self, Field, Json, JsonError};
use super::record::ConsentRecord;

/// The localStorage key the queue is kept under: the widget's own, necessary storage (it says so
/// in the preferences; the scanner knows it as the widget's).
pub const STORAGE_KEY: &str = "consent_widget_outbox";

/// More than this many undelivered records means something is badly wrong; the oldest go.
const MAX_ENTRIES: usize = 100;
const FIRST_RETRY_MS: i64 = 5_000;
const MAX_RETRY_MS: i64 = 3_600_000;

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", deny_unknown_fields))]
pub struct Entry {
    pub record: ConsentRecord,
    pub attempts: u32,
    /// Unix milliseconds before which no new attempt is made.
    pub not_before: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", deny_unknown_fields))]
pub struct Outbox {
    pub entries: Vec<Entry>,
}

/// What the server said to one delivery attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// 200 or 201: stored (now or before).
    Acknowledged,
    /// A 4xx other than 408 and 429: this record will never be accepted.
    Refused,
    /// Network error, timeout, 408, 429 or 5xx: try again later.
    Failed,
}

impl Delivery {
    pub fn from_status(status: u16) -> Delivery {
        match status {
            200..=299 => Delivery::Acknowledged,
            408 | 429 => Delivery::Failed,
            400..=499 => Delivery::Refused,
            _ => Delivery::Failed,
        }
    }
}

impl Outbox {
    /// Reads a stored outbox (JSON text); anything unreadable counts as empty rather than breaking the page.
    pub fn from_text(text: &str) -> Outbox {
        json::parse(text).and_then(|tree| Outbox::read(&Field::root(&tree))).unwrap_or_default()
    }

    pub(crate) fn read(field: &Field) -> Result<Outbox, JsonError> {
        let entries = field.object(&["entries"])?.required("entries")?.list(|entry| {
            let members = entry.object(&["record", "attempts", "notBefore"])?;
            Ok(Entry {
                record: ConsentRecord::read(&members.required("record")?)?,
                attempts: members.required("attempts")?.integer()?,
                not_before: members.required("notBefore")?.integer()?,
            })
        })?;
        Ok(Outbox { entries })
    }

    /// The outbox as stored: `{"entries":[{"record":{...},"attempts":0,"notBefore":...}]}`
    pub fn to_text(&self) -> String {
        let entries = self.entries.iter().map(|entry| {
            Json::object([
                ("record", entry.record.to_json()),
                ("attempts", Json::from(entry.attempts)),
                ("notBefore", Json::from(entry.not_before)),
            ])
        });
        Json::object([("entries", Json::Array(entries.collect()))]).to_string()
    }

    pub fn push(&mut self, record: ConsentRecord, now: i64) {
        if self.entries.iter().any(|entry| entry.record.record_id == record.record_id) {
            return;
        }
        self.entries.push(Entry { record, attempts: 0, not_before: now });
        if self.entries.len() > MAX_ENTRIES {
            self.entries.remove(0);
        }
    }

    /// Records whose turn has come, oldest first.
    pub fn due(&self, now: i64) -> Vec<ConsentRecord> {
        self.entries.iter().filter(|entry| entry.not_before <= now).map(|entry| entry.record.clone()).collect()
    }

    pub fn settle(&mut self, record_id: uuid::Uuid, delivery: Delivery, now: i64) {
        let Some(index) = self.entries.iter().position(|entry| entry.record.record_id == record_id) else { return };
        match delivery {
            Delivery::Acknowledged | Delivery::Refused => {
                self.entries.remove(index);
            }
            Delivery::Failed => {
                let entry = &mut self.entries[index];
                entry.attempts += 1;
                // 5 s, 10 s, 20 s ... up to an hour between attempts.
                let wait =
                    FIRST_RETRY_MS.saturating_mul(1 << entry.attempts.min(20).saturating_sub(1)).min(MAX_RETRY_MS);
                entry.not_before = now + wait;
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(n: u128) -> ConsentRecord {
        ConsentRecord::from_json(&json!({
            "recordId": uuid::Uuid::from_u128(n).to_string(), "consentId": uuid::Uuid::from_u128(1).to_string(), "method": "reject_all",
            "granted": ["necessary"], "denied": ["analytics"], "revision": 1, "language": "en",
            "textHash": "0".repeat(64), "origin": "https://a.example", "path": "/", "widgetVersion": "0.1.0",
            "clientTime": 1_800_000_000_000_i64
        }).to_string())
        .unwrap()
    }

    #[test]
    fn a_record_stays_until_acknowledged() {
        let mut outbox = Outbox::default();
        outbox.push(record(7), 1000);
        outbox.push(record(7), 1000);
        assert_eq!(outbox.due(1000).len(), 1, "a record is queued once");
        outbox.settle(record(7).record_id, Delivery::Failed, 1000);
        assert!(outbox.due(1000).is_empty(), "it waits before the next attempt");
        assert_eq!(outbox.due(6000).len(), 1);
        outbox.settle(record(7).record_id, Delivery::Failed, 6000);
        assert!(outbox.due(15_999).is_empty());
        assert_eq!(outbox.due(16_000).len(), 1, "the wait doubles");
        outbox.settle(record(7).record_id, Delivery::Acknowledged, 16_000);
        assert!(outbox.is_empty());
    }

    #[test]
    fn backoff_is_capped_at_an_hour() {
        let mut outbox = Outbox::default();
        outbox.push(record(1), 0);
        for _ in 0..40 {
            outbox.settle(record(1).record_id, Delivery::Failed, 0);
        }
        assert_eq!(outbox.entries[0].not_before, MAX_RETRY_MS);
    }

    #[test]
    fn statuses_map_to_what_to_do() {
        assert_eq!(Delivery::from_status(201), Delivery::Acknowledged);
        assert_eq!(Delivery::from_status(200), Delivery::Acknowledged);
        assert_eq!(Delivery::from_status(400), Delivery::Refused);
        assert_eq!(Delivery::from_status(413), Delivery::Refused);
        assert_eq!(Delivery::from_status(429), Delivery::Failed);
        assert_eq!(Delivery::from_status(503), Delivery::Failed);
        assert_eq!(Delivery::from_status(0), Delivery::Failed, "a network error");
    }

    #[test]
    fn survives_storage_round_trips_and_garbage() {
        let mut outbox = Outbox::default();
        outbox.push(record(3), 5);
        assert_eq!(Outbox::from_text(&outbox.to_text()), outbox);
        assert!(Outbox::from_text("{not json").is_empty());
        assert!(Outbox::from_text("").is_empty());
    }

    #[test]
    fn the_queue_is_bounded() {
        let mut outbox = Outbox::default();
        for n in 0..150 {
            outbox.push(record(n), 0);
        }
        assert_eq!(outbox.entries.len(), MAX_ENTRIES);
        assert_eq!(outbox.entries[0].record.record_id, uuid::Uuid::from_u128(50));
    }
}
