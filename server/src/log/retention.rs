//! Retention: records older than the retention period are purged, oldest first in each chain,
//! and a signed checkpoint keeps the rest of each chain verifiable. The server that maintains
//! the log runs it hourly (see [`crate::log::maintenance`]).

use crate::store::Store;
use crate::time::now_millis;

/// Purges what is older than `retention_days`; returns how many records went. The reports of
/// scans older than that go too (they hold no visitor's data, but screenshots add up).
pub async fn purge(store: &Store, retention_days: u32, key: Option<&str>) -> Result<u64, sqlx::Error> {
    let now = now_millis();
    let cutoff = now - i64::from(retention_days) * 86_400_000;
    store.purge_scans_before(cutoff).await?;
    store.purge_before(cutoff, now, key).await
}
