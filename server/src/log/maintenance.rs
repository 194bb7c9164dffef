//! The work one server does for all the servers sharing a database: a signed checkpoint of
//! every chain's last row at a regular interval, closing the chains of servers that stopped
//! renewing their lease (a crash), the hourly retention purge, and the scheduled scans. The server holding the
//! lowest chain does it; when that one stops, the next takes over within a lease.

use crate::log::checkpoint::INTERVAL;
use crate::log::checkpoints::Checkpoints;
use crate::store::Store;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::time::MissedTickBehavior;

/// How often retention purges.
const PURGE_EVERY: Duration = Duration::from_secs(3600);

pub struct Maintenance {
    pub store: Store,
    /// This server's name in the `chains` table.
    pub holder: Arc<str>,
    pub checkpoints: Checkpoints,
    pub retention_days: u32,
    /// How often a checkpoint is written (when something was appended since the last).
    pub interval: Duration,
    /// The site's scheduled scans, if asked for.
    pub scans: Option<crate::log::scans::Schedule>,
}

impl Maintenance {
    /// Runs for as long as the server does.
    pub fn spawn(self) {
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(self.interval);
            tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
            let mut purged: Option<Instant> = None;
            loop {
                tick.tick().await;
                match self.store.first_holder().await {
                    Ok(Some(first)) if *first == *self.holder => self.round(&mut purged).await,
                    Ok(_) => {}
                    Err(error) => crate::logs::error("cannot tell which server maintains the log", &error),
                }
            }
        });
    }

    /// One round of the work, as the server that does it.
    async fn round(&self, purged: &mut Option<Instant>) {
        match self.store.close_lapsed_chains().await {
            Ok(closed) => {
                for (chain, holder) in closed {
                    let end = self.store.last_row(chain).await.ok().flatten().map(|tail| tail.seq).unwrap_or_default();
                    tracing::warn!(
                        chain,
                        "chain {chain}: its server ({holder}) stopped renewing its lease; closed after row {end}, \
                         for the next server that needs a chain to take over"
                    );
                }
            }
            Err(error) => crate::logs::error("cannot close the chains of stopped servers", &error),
        }
        match self.checkpoints.write(&self.store, INTERVAL, crate::time::now_millis()).await {
            Ok(Some(set)) => tracing::debug!(chains = set.len(), "periodic checkpoint written"),
            Ok(None) => {}
            Err(error) => crate::logs::error("cannot write the periodic checkpoint", &error),
        }
        if let Some(scans) = &self.scans {
            scans.run_if_due(&self.store, crate::time::now_millis()).await;
        }
        if purged.is_none_or(|at| at.elapsed() >= PURGE_EVERY) {
            *purged = Some(Instant::now());
            match crate::log::retention::purge(&self.store, self.retention_days, self.checkpoints.key.as_deref()).await
            {
                Ok(0) => {}
                Ok(count) => tracing::info!(
                    purged = count,
                    retention_days = self.retention_days,
                    "purged records past retention"
                ),
                Err(error) => crate::logs::error("retention purge failed", &error),
            }
        }
    }
}
