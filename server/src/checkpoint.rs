//! Signed checkpoints of the chain: where it starts after a purge, and where it stood when a
//! server shut down. Each is signed with HMAC-SHA256 under `--checkpoint-key` (left unsigned
//! without one) over a text that names its kind, so that one kind cannot pass for another.

use crate::store::Store;
use crate::store::verify::{Verdict, verify};
use consent_widget::core::record::hex;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Where the chain starts: the last purged row.
pub const PURGE: &str = "purge";
/// The last row when a server shut down: rows up to it must still be there.
pub const SHUTDOWN: &str = "shutdown";

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Checkpoint {
    pub kind: String,
    pub through_seq: i64,
    pub through_hash: String,
    /// Unix milliseconds.
    pub created_at: i64,
    pub signature: String,
}

impl Checkpoint {
    /// A checkpoint of `kind` at the row `through_seq` whose hash is `through_hash`, signed
    /// with `key`.
    pub fn new(kind: &str, through_seq: i64, through_hash: &str, created_at: i64, key: Option<&str>) -> Checkpoint {
        let mut checkpoint = Checkpoint {
            kind: kind.to_string(),
            through_seq,
            through_hash: through_hash.to_string(),
            created_at,
            signature: String::new(),
        };
        checkpoint.signature = checkpoint.sign(key);
        checkpoint
    }

    /// The signature under `key`: empty without a key.
    fn sign(&self, key: Option<&str>) -> String {
        let Some(key) = key else { return String::new() };
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key.as_bytes()) else { return String::new() };
        mac.update(self.signed_text().as_bytes());
        hex(&mac.finalize().into_bytes())
    }

    /// What the signature covers. A purge checkpoint's is `seq:hash`, as it has been from the
    /// first version, so the checkpoints already written still verify.
    fn signed_text(&self) -> String {
        match self.kind.as_str() {
            PURGE => format!("{}:{}", self.through_seq, self.through_hash),
            kind => format!("{kind}:{}:{}:{}", self.through_seq, self.through_hash, self.created_at),
        }
    }

    /// Whether the signature is good; without a key there is nothing to check it with.
    pub fn is_authentic(&self, key: Option<&str>) -> bool {
        key.is_none() || self.sign(key) == self.signature
    }
}

/// Records where the chain stands, as a server leaves it when it shuts down. Nothing is written
/// when the log is empty, or when the latest shutdown checkpoint already names its last row.
pub async fn write_shutdown(store: &Store, key: Option<&str>, now: i64) -> Result<Option<Checkpoint>, sqlx::Error> {
    let tail = store.tail().await?;
    if tail.seq == 0 {
        return Ok(None);
    }
    let latest = store.checkpoints(SHUTDOWN).await?.pop();
    if latest.is_some_and(|latest| latest.through_seq == tail.seq && latest.through_hash == tail.hash) {
        return Ok(None);
    }
    let checkpoint = Checkpoint::new(SHUTDOWN, tail.seq, &tail.hash, now, key);
    store.add_checkpoint(&checkpoint).await?;
    Ok(Some(checkpoint))
}

/// Verifies the chain and its checkpoints; signatures are checked when a key is given.
pub async fn verify_chain(store: &Store, key: Option<&str>) -> Result<Verdict, sqlx::Error> {
    verify(store, |checkpoint| checkpoint.is_authentic(key)).await
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
}
