//! Checks the whole chain: every row's hash, every link to the previous row, no gaps,
//! and the purge checkpoint's signature.

use super::{GENESIS_HASH, Store};
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

/// Walks the log in pages. `check_signature` tells whether a checkpoint's signature is good.
pub async fn verify(store: &Store, check_signature: impl Fn(i64, &str, &str) -> bool) -> Result<Verdict, sqlx::Error> {
    let (mut expected_seq, mut prev_hash) = match store.checkpoint().await? {
        Some(checkpoint) => {
            if !check_signature(checkpoint.through_seq, &checkpoint.through_hash, &checkpoint.signature) {
                return Ok(Verdict::Broken {
                    seq: checkpoint.through_seq,
                    record_id: "(purge checkpoint)".to_string(),
                    reason: "the checkpoint's signature does not match".to_string(),
                });
            }
            (checkpoint.through_seq + 1, checkpoint.through_hash)
        }
        None => (1, GENESIS_HASH.to_string()),
    };
    let mut rows = 0;
    loop {
        // One page at a time, by key: time and memory stay flat however long the log is.
        let page = store.rows_after(expected_seq - 1, PAGE_ROWS).await?;
        if page.is_empty() {
            return Ok(Verdict::Intact { rows });
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
            prev_hash = row.hash;
            expected_seq += 1;
            rows += 1;
        }
    }
}
