//! Shutting down without losing anything: on SIGTERM (what service managers and container
//! runtimes send) or SIGINT (Ctrl-C), readiness says "draining", the server stops accepting
//! and answers what is under way (see [`crate::serve`]), then the writer stores what is still
//! queued and gives its chain up, and a signed shutdown checkpoint records where every chain
//! stands.

use crate::log::checkpoint::{Checkpoint, SHUTDOWN};
use crate::log::checkpoints::Checkpoints;
use crate::log::writer::Writer;
use crate::store::Store;
use std::future::Future;

/// Listens for SIGTERM and SIGINT from now on (so that one coming early is not missed) and
/// resolves to the name of the first that comes.
pub fn requested() -> impl Future<Output = &'static str> {
    #[cfg(unix)]
    let signals = {
        use tokio::signal::unix::{SignalKind, signal};
        signal(SignalKind::terminate()).and_then(|terminate| Ok((terminate, signal(SignalKind::interrupt())?)))
    };
    async move {
        #[cfg(unix)]
        if let Ok((mut terminate, mut interrupt)) = signals {
            return tokio::select! {
                _ = terminate.recv() => "SIGTERM",
                _ = interrupt.recv() => "SIGINT",
            };
        }
        let _ = tokio::signal::ctrl_c().await;
        "SIGINT"
    }
}

/// Once no request is under way: stores what the writer still holds, gives its chain up, then
/// writes the shutdown checkpoint (none when nothing was stored since the last one).
pub async fn finish(
    writer: &Writer,
    store: &Store,
    checkpoints: &Checkpoints,
) -> Result<Option<Vec<Checkpoint>>, String> {
    writer.close().await.map_err(|error| error.to_string())?;
    checkpoints
        .write(store, SHUTDOWN, crate::time::now_millis())
        .await
        .map_err(|error| format!("cannot write the shutdown checkpoint: {error}"))
}
