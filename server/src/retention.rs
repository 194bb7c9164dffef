//! Retention: records older than the retention period are purged, oldest first, and a
//! signed checkpoint keeps the rest of the chain verifiable.

use crate::api::now_millis;
use crate::store::Store;
use crate::store::verify::{Verdict, verify};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::time::Duration;

/// HMAC-SHA256 of the checkpoint (`seq:hash`) under `key`; empty without a key.
pub fn sign(key: Option<&str>, seq: i64, hash: &str) -> String {
    let Some(key) = key else { return String::new() };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key.as_bytes()) else { return String::new() };
    mac.update(format!("{seq}:{hash}").as_bytes());
    consent_widget::core::record::hex(&mac.finalize().into_bytes())
}

/// Purges what is older than `retention_days`; returns how many records went.
pub async fn purge(store: &Store, retention_days: u32, key: Option<&str>) -> Result<u64, sqlx::Error> {
    let now = now_millis();
    let cutoff = now - i64::from(retention_days) * 86_400_000;
    store.purge_before(cutoff, now, |seq, hash| sign(key, seq, hash)).await
}

/// Runs the purge now and then every hour, for as long as the server runs.
pub fn spawn(store: Store, retention_days: u32, key: Option<String>) {
    tokio::spawn(async move {
        let mut every_hour = tokio::time::interval(Duration::from_secs(3600));
        loop {
            every_hour.tick().await;
            match purge(&store, retention_days, key.as_deref()).await {
                Ok(0) => {}
                Ok(purged) => tracing::info!(purged, retention_days, "purged records past retention"),
                Err(error) => crate::logs::error("retention purge failed", &error),
            }
        }
    });
}

/// Verifies the chain; a checkpoint's signature is checked when a key is given.
pub async fn verify_chain(store: &Store, key: Option<&str>) -> Result<Verdict, sqlx::Error> {
    verify(store, |seq, hash, signature| key.is_none() || sign(key, seq, hash) == signature).await
}
