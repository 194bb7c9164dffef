//! What the server logs while a test runs.

use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
struct Lines(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Lines {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Everything logged at WARN or above on this thread while `body` runs; with the
/// current-thread runtime of `#[tokio::test]`, that includes the in-process server's tasks.
pub async fn problems_logged_during<F: std::future::Future<Output = ()>>(body: F) -> String {
    let lines = Lines::default();
    let writer = lines.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::WARN)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    body.await;
    String::from_utf8_lossy(&lines.0.lock().unwrap()).into_owned()
}
