//! Signed checkpoints of the log, kept apart from its rows: where each chain starts after a
//! purge, and the last row of every chain at a moment (written at a regular interval and when
//! a server shuts down). Each is signed with HMAC-SHA256 under `--checkpoint-key`, which the
//! database never sees (left unsigned without one), over a text that names its kind, so that
//! one kind cannot pass for another. Whoever can write the database can delete rows and
//! recompute every hash after them, but cannot sign a checkpoint that agrees with the result.

use super::chains::Tail;
use consent_widget::core::record::hex;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// Where a chain starts: its last purged row.
pub const PURGE: &str = "purge";
/// The last row of every chain when a server shut down.
pub const SHUTDOWN: &str = "shutdown";
/// The last row of every chain, written at a regular interval.
pub const INTERVAL: &str = "interval";

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Checkpoint {
    /// Its place among the stored checkpoints; 0 until stored, and not part of a copy.
    #[serde(skip)]
    pub id: i64,
    pub kind: String,
    pub through_seq: i64,
    pub through_hash: String,
    /// Unix milliseconds.
    pub created_at: i64,
    pub signature: String,
    /// The rows of one checkpoint of chain heads share it; empty for a purge checkpoint and
    /// for the shutdown checkpoints of earlier versions, which named one row.
    #[serde(default)]
    pub set_id: String,
    /// How many rows (chains) that checkpoint names.
    #[serde(default = "one")]
    pub set_size: i64,
}

fn one() -> i64 {
    1
}

impl Checkpoint {
    /// A checkpoint of `kind` at the row `through_seq` whose hash is `through_hash`, signed
    /// with `key`: a purge checkpoint, which concerns one chain.
    pub fn new(kind: &str, through_seq: i64, through_hash: &str, created_at: i64, key: Option<&str>) -> Checkpoint {
        let mut checkpoint = Checkpoint {
            id: 0,
            kind: kind.to_string(),
            through_seq,
            through_hash: through_hash.to_string(),
            created_at,
            signature: String::new(),
            set_id: String::new(),
            set_size: 1,
        };
        checkpoint.signature = checkpoint.sign(key);
        checkpoint
    }

    /// A checkpoint of `kind` naming `heads`, the last row of every chain: one row each,
    /// sharing a new set id, each signed with `key`.
    pub fn set(kind: &str, heads: &[Tail], created_at: i64, key: Option<&str>) -> Vec<Checkpoint> {
        let set_id = uuid::Uuid::now_v7().to_string();
        heads
            .iter()
            .map(|head| {
                let mut checkpoint = Checkpoint {
                    id: 0,
                    kind: kind.to_string(),
                    through_seq: head.seq,
                    through_hash: head.hash.clone(),
                    created_at,
                    signature: String::new(),
                    set_id: set_id.clone(),
                    set_size: heads.len() as i64,
                };
                checkpoint.signature = checkpoint.sign(key);
                checkpoint
            })
            .collect()
    }

    /// The signature under `key`: empty without a key.
    fn sign(&self, key: Option<&str>) -> String {
        let Some(key) = key else { return String::new() };
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key.as_bytes()) else { return String::new() };
        mac.update(self.signed_text().as_bytes());
        hex(&mac.finalize().into_bytes())
    }

    /// What the signature covers. A purge checkpoint's is `seq:hash`, and a single-row
    /// shutdown checkpoint's `shutdown:seq:hash:time`, as in earlier versions, so that the
    /// checkpoints already written still verify.
    fn signed_text(&self) -> String {
        match self.kind.as_str() {
            PURGE => format!("{}:{}", self.through_seq, self.through_hash),
            kind if self.set_id.is_empty() => {
                format!("{kind}:{}:{}:{}", self.through_seq, self.through_hash, self.created_at)
            }
            kind => format!(
                "{kind}:{}:{}:{}:{}:{}",
                self.set_id, self.set_size, self.through_seq, self.through_hash, self.created_at
            ),
        }
    }

    /// Whether the signature is good; without a key there is nothing to check it with.
    pub fn is_authentic(&self, key: Option<&str>) -> bool {
        key.is_none() || self.sign(key) == self.signature
    }

    /// What this checkpoint is, for a reader: "the checkpoint written when a server shut down
    /// at 2026-11-30T10:00:00Z".
    pub fn describe(&self) -> String {
        let time = crate::time::rfc3339(self.created_at);
        match self.kind.as_str() {
            SHUTDOWN => format!("the checkpoint written when a server shut down at {time}"),
            INTERVAL => format!("the periodic checkpoint of {time}"),
            PURGE => format!("the purge checkpoint of {time}"),
            kind => format!("the {kind} checkpoint of {time}"),
        }
    }
}

/// One checkpoint as a line of JSON (the copy file's form).
pub fn json(checkpoint: &Checkpoint) -> String {
    serde_json::to_string(checkpoint).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_purge_signature_is_the_first_version_s_and_kinds_cannot_stand_in_for_each_other() {
        let purge = Checkpoint::new(PURGE, 7, "ab", 1_800_000_000_000, Some("key"));
        let mut first_version = Hmac::<Sha256>::new_from_slice(b"key").unwrap();
        first_version.update(b"7:ab");
        assert_eq!(purge.signature, hex(&first_version.finalize().into_bytes()));
        assert!(purge.is_authentic(Some("key")));
        assert!(!purge.is_authentic(Some("another key")));
        assert!(purge.is_authentic(None));

        let shutdown = Checkpoint::new(SHUTDOWN, 7, "ab", 1_800_000_000_000, Some("key"));
        assert_ne!(shutdown.signature, purge.signature);
        let disguised = Checkpoint { kind: PURGE.to_string(), ..shutdown.clone() };
        assert!(!disguised.is_authentic(Some("key")), "a shutdown checkpoint's signature does not sign a purge");
        let moved = Checkpoint { created_at: 1, ..shutdown };
        assert!(!moved.is_authentic(Some("key")));
        assert_eq!(Checkpoint::new(PURGE, 7, "ab", 0, None).signature, "");
    }

    #[test]
    fn each_row_of_a_set_is_signed_with_the_set_and_its_size() {
        let heads = [Tail { seq: 9, hash: "aa".into() }, Tail { seq: 1_000_000_000_004, hash: "bb".into() }];
        let set = Checkpoint::set(INTERVAL, &heads, 1_800_000_000_000, Some("key"));
        assert_eq!(set.len(), 2);
        assert!(set.iter().all(|checkpoint| checkpoint.is_authentic(Some("key")) && checkpoint.set_size == 2));
        assert_eq!(set[0].set_id, set[1].set_id);
        let smaller = Checkpoint { set_size: 1, ..set[0].clone() };
        assert!(!smaller.is_authentic(Some("key")), "the size of the set is signed");
        let elsewhere = Checkpoint { set_id: uuid::Uuid::now_v7().to_string(), ..set[0].clone() };
        assert!(!elsewhere.is_authentic(Some("key")), "so is the set it belongs to");
        let as_shutdown = Checkpoint { kind: SHUTDOWN.to_string(), ..set[0].clone() };
        assert!(!as_shutdown.is_authentic(Some("key")));
        let copied: Checkpoint = serde_json::from_str(&json(&set[1])).unwrap();
        assert_eq!(copied, set[1]);
    }
}
