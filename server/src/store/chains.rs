//! The chains of the log and the leases servers hold on them (see [`crate::log::chains`]).
//! Lease times are the database's clock, so that servers on hosts whose clocks differ agree.

use super::{Backend, GENESIS_HASH, Store, Tail};
use crate::log::chains::{CHAIN_SPAN, last_seq, origin};
use crate::log::checkpoint;
use std::time::Duration;

/// `expires_at` of a chain that is full: never free again.
const RETIRED: i64 = i64::MAX;

/// The chain a server got, and where it continues.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acquired {
    pub chain: i64,
    pub tail: Tail,
}

impl Backend {
    /// The database's clock in Unix milliseconds, as SQL.
    fn now_millis(self) -> &'static str {
        match self {
            Backend::Sqlite => "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)",
            Backend::Postgres => "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)",
        }
    }
}

impl Store {
    /// Leases a chain to `holder` for `lease`: the lowest chain nobody holds (whose last
    /// holder stopped or whose lease lapsed), else a new one.
    pub async fn acquire_chain(&self, holder: &str, lease: Duration) -> Result<Acquired, sqlx::Error> {
        let now = self.backend.now_millis();
        let lease = lease.as_millis() as i64;
        // Another server may take the same chain, or create the same new one, at the same
        // moment: the loser's statement changes nothing (or hits the key) and it tries again.
        for _ in 0..20 {
            let free: Option<i64> = sqlx::query_scalar(&format!(
                "UPDATE chains SET holder = $1, expires_at = {now} + $2 \
                 WHERE expires_at < {now} AND chain = (SELECT MIN(chain) FROM chains WHERE expires_at < {now}) \
                 RETURNING chain"
            ))
            .bind(holder)
            .bind(lease)
            .fetch_optional(&self.pool)
            .await?;
            let chain = match free {
                Some(chain) => chain,
                None => {
                    let created = sqlx::query_scalar(&format!(
                        "INSERT INTO chains (chain, holder, expires_at) \
                         SELECT COALESCE(MAX(chain), -1) + 1, $1, {now} + $2 FROM chains RETURNING chain"
                    ))
                    .bind(holder)
                    .bind(lease)
                    .fetch_one(&self.pool)
                    .await;
                    match created {
                        Ok(chain) => chain,
                        Err(error) if super::is_unique_violation(&error) => continue,
                        Err(error) => return Err(error),
                    }
                }
            };
            return Ok(Acquired { chain, tail: self.head(chain).await? });
        }
        Err(sqlx::Error::Protocol("no chain could be leased: too many servers starting at once".into()))
    }

    /// Extends `holder`'s lease on `chain`; false when it no longer holds it.
    pub async fn renew_chain(&self, chain: i64, holder: &str, lease: Duration) -> Result<bool, sqlx::Error> {
        let now = self.backend.now_millis();
        let renewed = sqlx::query(&format!(
            "UPDATE chains SET expires_at = {now} + $1 WHERE chain = $2 AND holder = $3 AND expires_at <> $4"
        ))
        .bind(lease.as_millis() as i64)
        .bind(chain)
        .bind(holder)
        .bind(RETIRED)
        .execute(&self.pool)
        .await?;
        Ok(renewed.rows_affected() == 1)
    }

    /// Gives `chain` up, for the next server to take over at once.
    pub async fn release_chain(&self, chain: i64, holder: &str) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE chains SET holder = '', expires_at = 0 WHERE chain = $1 AND holder = $2 AND expires_at <> $3",
        )
        .bind(chain)
        .bind(holder)
        .bind(RETIRED)
        .execute(&self.pool)
        .await
        .map(|_| ())
    }

    /// Frees every chain (but the full ones): for a server that knows it is the only one.
    pub async fn release_all_chains(&self) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE chains SET holder = '', expires_at = 0 WHERE expires_at <> $1")
            .bind(RETIRED)
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

    /// Marks `chain` full: nobody leases it again.
    pub async fn retire_chain(&self, chain: i64, holder: &str) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE chains SET expires_at = $1 WHERE chain = $2 AND holder = $3")
            .bind(RETIRED)
            .bind(chain)
            .bind(holder)
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

    /// Frees the chains whose holder stopped renewing its lease (a server that crashed or lost
    /// the database); the chains and their former holders.
    pub async fn close_lapsed_chains(&self) -> Result<Vec<(i64, String)>, sqlx::Error> {
        let now = self.backend.now_millis();
        let lapsed: Vec<(i64, String)> =
            sqlx::query_as(&format!("SELECT chain, holder FROM chains WHERE holder <> '' AND expires_at < {now}"))
                .fetch_all(&self.pool)
                .await?;
        let mut closed = Vec::new();
        for (chain, holder) in lapsed {
            let freed = sqlx::query(&format!(
                "UPDATE chains SET holder = '' WHERE chain = $1 AND holder = $2 AND expires_at < {now}"
            ))
            .bind(chain)
            .bind(&holder)
            .execute(&self.pool)
            .await?;
            if freed.rows_affected() == 1 {
                closed.push((chain, holder));
            }
        }
        Ok(closed)
    }

    /// The holder of the lowest chain whose lease is current: the one server that does the
    /// work done once for all (periodic checkpoints, retention).
    pub async fn first_holder(&self) -> Result<Option<String>, sqlx::Error> {
        let now = self.backend.now_millis();
        sqlx::query_scalar(&format!(
            "SELECT holder FROM chains WHERE holder <> '' AND expires_at >= {now} AND expires_at <> $1 \
             ORDER BY chain LIMIT 1"
        ))
        .bind(RETIRED)
        .fetch_optional(&self.pool)
        .await
    }

    /// Every chain ever leased, in order.
    pub async fn chain_ids(&self) -> Result<Vec<i64>, sqlx::Error> {
        sqlx::query_scalar("SELECT chain FROM chains ORDER BY chain").fetch_all(&self.pool).await
    }

    /// The last row of `chain`, if it has any.
    pub async fn last_row(&self, chain: i64) -> Result<Option<Tail>, sqlx::Error> {
        let last: Option<(i64, String)> = sqlx::query_as(
            "SELECT seq, hash FROM consent_records WHERE seq > $1 AND seq <= $2 ORDER BY seq DESC LIMIT 1",
        )
        .bind(origin(chain))
        .bind(last_seq(chain))
        .fetch_optional(&self.pool)
        .await?;
        Ok(last.map(|(seq, hash)| Tail { seq, hash }))
    }

    /// Where the next row of `chain` attaches: its last row, else its latest purge checkpoint,
    /// else its origin.
    pub async fn head(&self, chain: i64) -> Result<Tail, sqlx::Error> {
        if let Some(last) = self.last_row(chain).await? {
            return Ok(last);
        }
        Ok(match self.purge_checkpoint(chain).await? {
            Some(purge) => Tail { seq: purge.through_seq, hash: purge.through_hash },
            None => Tail { seq: origin(chain), hash: GENESIS_HASH.to_string() },
        })
    }

    /// The last row of every chain that has one, in chain order: what a checkpoint names.
    pub async fn heads(&self) -> Result<Vec<Tail>, sqlx::Error> {
        let mut heads = Vec::new();
        for chain in self.chain_ids().await? {
            heads.extend(self.last_row(chain).await?);
        }
        Ok(heads)
    }

    /// The latest purge checkpoint of `chain`: where it starts now.
    pub async fn purge_checkpoint(&self, chain: i64) -> Result<Option<checkpoint::Checkpoint>, sqlx::Error> {
        sqlx::query_as(&format!(
            "SELECT {} FROM chain_checkpoints WHERE kind = $1 AND through_seq > $2 AND through_seq <= $3 \
             ORDER BY through_seq DESC LIMIT 1",
            super::CHECKPOINT_COLUMNS
        ))
        .bind(checkpoint::PURGE)
        .bind(origin(chain))
        .bind(last_seq(chain))
        .fetch_optional(&self.pool)
        .await
    }
}

/// The chain count fits the sequence numbers: `CHAIN_SPAN` leaves room for 9 million chains.
const _: () = assert!(i64::MAX / CHAIN_SPAN > 9_000_000);
