//! Retention: records older than the retention period are purged, oldest first, and a
//! signed checkpoint keeps the rest of the chain verifiable.

use crate::api::now_millis;
use crate::store::Store;
use std::time::Duration;

/// Purges what is older than `retention_days`; returns how many records went.
pub async fn purge(store: &Store, retention_days: u32, key: Option<&str>) -> Result<u64, sqlx::Error> {
    let now = now_millis();
    let cutoff = now - i64::from(retention_days) * 86_400_000;
    store.purge_before(cutoff, now, key).await
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
