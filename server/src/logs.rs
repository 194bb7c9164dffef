//! Repeated identical errors are logged once, then once an interval with how many more there
//! were: a database that stays unwritable would otherwise write hundreds of lines a second.

use std::collections::HashMap;
use std::fmt::Display;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Duration;

/// How often an error that keeps happening is reported again.
pub const INTERVAL: Duration = Duration::from_secs(10);

static ERRORS: LazyLock<RepeatedErrors> = LazyLock::new(|| RepeatedErrors::new(INTERVAL));

/// Logs `error` at ERROR level, as `what` went wrong, unless the same error was just logged.
pub fn error(what: &'static str, error: &dyn Display) {
    ERRORS.log(what, error);
}

/// Errors seen in the current interval, by their text, with how many repeats it held.
#[derive(Clone)]
pub struct RepeatedErrors {
    interval: Duration,
    repeats: Arc<Mutex<HashMap<String, u64>>>,
}

impl RepeatedErrors {
    pub fn new(interval: Duration) -> RepeatedErrors {
        RepeatedErrors { interval, repeats: Arc::default() }
    }

    /// The first occurrence is logged now; repeats are counted and reported at the end of
    /// each interval in which there were any.
    pub fn log(&self, what: &'static str, error: &dyn Display) {
        let text = error.to_string();
        let key = format!("{what}: {text}");
        {
            let mut repeats = self.repeats.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            if let Some(count) = repeats.get_mut(&key) {
                *count += 1;
                return;
            }
            repeats.insert(key.clone(), 0);
        }
        tracing::error!(error = %text, "{what}");
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            self.take(&key);
            return;
        };
        let errors = self.clone();
        runtime.spawn(async move {
            loop {
                tokio::time::sleep(errors.interval).await;
                let repeated = errors.take(&key);
                if repeated == 0 {
                    break;
                }
                let seconds = errors.interval.as_secs_f64();
                tracing::error!(error = %text, repeated, "{what} (the same error {repeated} more times in {seconds} s)");
            }
        });
    }

    /// The repeats counted for `key` since the last call; a key with none is forgotten, so
    /// its next occurrence is logged at once.
    fn take(&self, key: &str) -> u64 {
        let mut repeats = self.repeats.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let count = repeats.get_mut(key).map(std::mem::take).unwrap_or(0);
        if count == 0 {
            repeats.remove(key);
        }
        count
    }
}
