//! Anchors kept outside the database: the receipts visitors' browsers were given (each with
//! the hash of its row, `chainHash`) and copies of the checkpoints (`--checkpoint-copy`).
//! `consent-server verify --anchors FILE` checks the log against them: a receipt's record must
//! still be stored with the hash on the receipt, and each copied checkpoint must still be in
//! the database with its row unchanged. Rows changed and rehashed, or taken off the end,
//! after the latest checkpoint the database holds still show here, as long as an anchor
//! outside names them.

use crate::log::chains::chain_of;
use crate::log::checkpoint::Checkpoint;
use crate::store::Store;
use crate::store::verify::Verdict;
use serde::Deserialize;
use std::collections::HashMap;

/// A receipt as the record API answers it (other fields are ignored).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Receipt {
    pub record_id: String,
    pub chain_hash: String,
}

/// The anchors of one or more files.
#[derive(Debug, Default)]
pub struct Anchors {
    pub receipts: Vec<Receipt>,
    pub checkpoints: Vec<Checkpoint>,
}

impl Anchors {
    /// Adds the anchors of `text`: JSON, one receipt or checkpoint a line (blank lines skipped).
    pub fn read(&mut self, text: &str) -> Result<(), String> {
        for (number, line) in text.lines().enumerate().filter(|(_, line)| !line.trim().is_empty()) {
            let value: serde_json::Value =
                serde_json::from_str(line).map_err(|error| format!("line {}: {error}", number + 1))?;
            let unknown = || format!("line {}: neither a receipt (recordId, chainHash) nor a checkpoint", number + 1);
            if value.get("chainHash").is_some() {
                self.receipts.push(serde_json::from_value(value).map_err(|_| unknown())?);
            } else if value.get("throughSeq").is_some() {
                self.checkpoints.push(serde_json::from_value(value).map_err(|_| unknown())?);
            } else {
                return Err(unknown());
            }
        }
        Ok(())
    }

    /// Checks the log against every anchor; the first that does not agree, as a broken chain.
    pub async fn check(&self, store: &Store, key: Option<&str>) -> Result<Option<Verdict>, sqlx::Error> {
        if let Some(broken) = self.check_receipts(store).await? {
            return Ok(Some(broken));
        }
        for copy in &self.checkpoints {
            if let Some(broken) = check_checkpoint(store, copy, key).await? {
                return Ok(Some(broken));
            }
        }
        Ok(None)
    }

    async fn check_receipts(&self, store: &Store) -> Result<Option<Verdict>, sqlx::Error> {
        for receipts in self.receipts.chunks(500) {
            let ids: Vec<String> = receipts.iter().map(|receipt| receipt.record_id.clone()).collect();
            let rows: HashMap<String, crate::store::Row> =
                store.find_all(&ids).await?.into_iter().map(|row| (row.record_id.clone(), row)).collect();
            for receipt in receipts {
                let Some(row) = rows.get(&receipt.record_id) else {
                    return Ok(Some(Verdict::Broken {
                        seq: 0,
                        record_id: receipt.record_id.clone(),
                        reason:
                            "a receipt was given for this record, but the log does not hold it: its row was deleted"
                                .to_string(),
                    }));
                };
                if row.hash != receipt.chain_hash {
                    return Ok(Some(Verdict::Broken {
                        seq: row.seq,
                        record_id: row.record_id.clone(),
                        reason: format!(
                            "its hash is not the one on its receipt ({}…): it or a row before it was changed and \
                             the hashes after it recomputed",
                            &receipt.chain_hash[..receipt.chain_hash.len().min(12)]
                        ),
                    }));
                }
            }
        }
        Ok(None)
    }
}

/// Checks one copied checkpoint: signed with the key, still in the database, and its row
/// still there unchanged (or purged).
async fn check_checkpoint(store: &Store, copy: &Checkpoint, key: Option<&str>) -> Result<Option<Verdict>, sqlx::Error> {
    let broken = |reason: String| {
        Some(Verdict::Broken { seq: copy.through_seq, record_id: format!("({} checkpoint)", copy.kind), reason })
    };
    if !copy.is_authentic(key) {
        return Ok(broken(format!("the copy of {} is not signed with this key", copy.describe())));
    }
    let purged_through = store.purge_checkpoint(chain_of(copy.through_seq)).await?.map(|purge| purge.through_seq);
    if purged_through.is_some_and(|through| copy.through_seq <= through) {
        return Ok(None);
    }
    let row = store.rows_after(copy.through_seq - 1, 1).await?.into_iter().find(|row| row.seq == copy.through_seq);
    let Some(row) = row else {
        return Ok(broken(format!(
            "{} names row {}, which the log no longer holds: rows are missing from the end of chain {}",
            copy.describe(),
            copy.through_seq,
            chain_of(copy.through_seq)
        )));
    };
    if row.hash != copy.through_hash {
        return Ok(broken(format!(
            "row {} is not the row {} names: it or a row before it was changed and the hashes after it recomputed",
            copy.through_seq,
            copy.describe()
        )));
    }
    if store.find_checkpoint(&copy.set_id, copy.through_seq).await?.is_none() {
        return Ok(broken(format!(
            "{} is not in the database any more, though the row it names is: checkpoints were deleted",
            copy.describe()
        )));
    }
    Ok(None)
}
