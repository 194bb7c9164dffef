//! Writing the checkpoints of the log's chain heads: at a regular interval and when a server
//! shuts down, into the database and, with `--checkpoint-copy`, to a file of their own.

use super::checkpoint::{Checkpoint, json};
use crate::log::chains::Tail;
use crate::store::Store;
use std::io::Write;
use std::path::PathBuf;

/// How a server writes checkpoints: the key that signs them, and a file outside the database
/// that gets a copy of each (see `verify --anchors`).
#[derive(Debug, Clone, Default)]
pub struct Checkpoints {
    pub key: Option<String>,
    pub copy_to: Option<PathBuf>,
}

impl Checkpoints {
    /// Checkpoints signed with `key`, copied nowhere.
    pub fn signed(key: &str) -> Checkpoints {
        Checkpoints { key: Some(key.to_string()), copy_to: None }
    }

    /// Records the last row of every chain as a checkpoint of `kind`. Nothing is written when
    /// the log is empty, or when the latest checkpoint already names those rows.
    pub async fn write(&self, store: &Store, kind: &str, now: i64) -> Result<Option<Vec<Checkpoint>>, sqlx::Error> {
        let heads = store.heads().await?;
        if heads.is_empty() {
            return Ok(None);
        }
        let latest = store.latest_checkpoint_set().await?;
        let same = |checkpoint: &Checkpoint, head: &Tail| {
            checkpoint.through_seq == head.seq && checkpoint.through_hash == head.hash
        };
        if latest.len() == heads.len() && latest.iter().zip(&heads).all(|(checkpoint, head)| same(checkpoint, head)) {
            return Ok(None);
        }
        let set = Checkpoint::set(kind, &heads, now, self.key.as_deref());
        store.add_checkpoints(&set).await?;
        self.copy(&set);
        Ok(Some(set))
    }

    /// Appends `set` to the copy file, one JSON line a row. A copy that cannot be written is
    /// an error to fix, but the checkpoint in the database stands.
    fn copy(&self, set: &[Checkpoint]) {
        let Some(path) = &self.copy_to else { return };
        let lines: String = set.iter().map(|checkpoint| format!("{}\n", json(checkpoint))).collect();
        let written = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .and_then(|mut file| file.write_all(lines.as_bytes()).and_then(|()| file.sync_data()));
        if let Err(error) = written {
            crate::logs::error("cannot copy a checkpoint to --checkpoint-copy", &error);
        }
    }
}
