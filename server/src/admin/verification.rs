//! The hash chain's verification for the dashboard: run on request in a background task (on a
//! long log it takes minutes), one at a time, its result kept in memory for the page. It reads
//! in one read transaction, which never blocks the writer.

use crate::log::verify::verify_chain;
use crate::store::Store;
use crate::store::daily::Newest;
use crate::store::verify::Verdict;
use crate::time::now_millis;
use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
pub struct Verification {
    status: Arc<Mutex<Status>>,
}

/// What the page shows.
#[derive(Debug, Clone, Default)]
pub struct Status {
    /// When the verification under way started (Unix milliseconds).
    pub running_since: Option<i64>,
    pub last: Option<Outcome>,
}

#[derive(Debug, Clone)]
pub struct Outcome {
    /// When it finished (Unix milliseconds).
    pub finished_at: i64,
    /// The verdict, or why the log could not be read.
    pub verdict: Result<Verdict, String>,
    /// The newest record when it started: verified with everything before it when intact.
    pub newest: Option<Newest>,
}

impl Verification {
    pub fn status(&self) -> Status {
        self.status.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    /// Starts a verification of `store` with the checkpoint key `key`, unless one is under way.
    pub fn start(&self, store: Store, key: Option<String>) {
        {
            let mut status = self.status.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            if status.running_since.is_some() {
                return;
            }
            status.running_since = Some(now_millis());
        }
        let status = self.status.clone();
        tokio::spawn(async move {
            // Read before the walk starts, so the walk's snapshot holds it: the newest record
            // it can vouch for.
            let newest = store.newest_record().await.ok().flatten();
            let verdict = verify_chain(&store, key.as_deref()).await.map_err(|error| error.to_string());
            let mut status = status.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            status.running_since = None;
            status.last = Some(Outcome { finished_at: now_millis(), verdict, newest });
        });
    }
}
