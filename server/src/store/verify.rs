//! Checks the whole chain: every row's hash, every link to the previous row, no gaps, the
//! purge checkpoint it starts from, and that every row a shutdown checkpoint names is still
//! there, unchanged.

use super::{GENESIS_HASH, Store};
use crate::checkpoint::{self, Checkpoint};
use std::collections::BTreeMap;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The chain is whole: how many rows were checked.
    Intact { rows: u64 },
    /// The first row (by sequence number) that does not check out, and why.
    Broken { seq: i64, record_id: String, reason: String },
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Intact { rows } => write!(f, "chain intact: {rows} rows verified"),
            Verdict::Broken { seq, record_id, reason } => {
                write!(f, "chain broken at row {seq} (record {record_id}): {reason}")
            }
        }
    }
}

/// Rows read per query.
const PAGE_ROWS: i64 = 1000;

/// Walks the log in pages. `authentic` tells whether a checkpoint's signature is good.
pub async fn verify(store: &Store, authentic: impl Fn(&Checkpoint) -> bool) -> Result<Verdict, sqlx::Error> {
    let forged = |checkpoint: &Checkpoint| Verdict::Broken {
        seq: checkpoint.through_seq,
        record_id: format!("({} checkpoint)", checkpoint.kind),
        reason: "the checkpoint's signature does not match".to_string(),
    };
    let (mut expected_seq, mut prev_hash) = match store.purge_checkpoint().await? {
        Some(start) if !authentic(&start) => return Ok(forged(&start)),
        Some(start) => (start.through_seq + 1, start.through_hash),
        None => (1, GENESIS_HASH.to_string()),
    };
    // Rows that shutdown checkpoints name, past the purged ones, by sequence number.
    let mut named: BTreeMap<i64, Vec<Checkpoint>> = BTreeMap::new();
    for stop in store.checkpoints(checkpoint::SHUTDOWN).await? {
        if !authentic(&stop) {
            return Ok(forged(&stop));
        }
        if stop.through_seq >= expected_seq {
            named.entry(stop.through_seq).or_default().push(stop);
        }
    }
    let mut rows = 0;
    loop {
        // One page at a time, by key: time and memory stay flat however long the log is.
        let page = store.rows_after(expected_seq - 1, PAGE_ROWS).await?;
        if page.is_empty() {
            break;
        }
        for row in page {
            let broken = |reason: String| Verdict::Broken { seq: row.seq, record_id: row.record_id.clone(), reason };
            if row.seq != expected_seq {
                return Ok(broken(format!("expected row {expected_seq} next: rows are missing")));
            }
            if row.prev_hash != prev_hash {
                return Ok(broken("its link to the previous row does not match".to_string()));
            }
            if row.compute_hash() != row.hash {
                return Ok(broken("its content does not match its hash".to_string()));
            }
            if let Some(stops) = named.remove(&row.seq)
                && let Some(stop) = stops.iter().find(|stop| stop.through_hash != row.hash)
            {
                return Ok(broken(format!(
                    "it is not the row the server left here when it shut down at {}",
                    crate::api::rfc3339(stop.created_at)
                )));
            }
            prev_hash = row.hash;
            expected_seq += 1;
            rows += 1;
        }
    }
    // A shutdown checkpoint past the end: rows were taken off the end of the log.
    if let Some(stop) = named.values().flatten().next() {
        return Ok(Verdict::Broken {
            seq: stop.through_seq,
            record_id: "(shutdown checkpoint)".to_string(),
            reason: format!(
                "the log ends at row {}, but it held row {} when the server shut down at {}: rows are missing from its end",
                expected_seq - 1,
                stop.through_seq,
                crate::api::rfc3339(stop.created_at)
            ),
        });
    }
    Ok(Verdict::Intact { rows })
}
