//! Clients posting records to a server until told to stop, counting what was acknowledged
//! and what failed.

use super::record;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The clients of one server.
pub struct Load {
    /// Record ids the server answered 2xx.
    pub acknowledged: Arc<Mutex<Vec<String>>>,
    /// Requests answered otherwise, or not answered.
    pub errors: Arc<AtomicUsize>,
    /// The first error, for the failure message.
    pub first_error: Arc<Mutex<Option<String>>>,
    stop: Arc<AtomicBool>,
    clients: Vec<tokio::task::JoinHandle<()>>,
}

impl Load {
    /// `clients` clients posting to `base` (`http://host:port`) one record after another.
    pub fn start(base: &str, clients: usize) -> Load {
        let acknowledged = Arc::new(Mutex::new(Vec::new()));
        let errors = Arc::new(AtomicUsize::new(0));
        let first_error = Arc::new(Mutex::new(None));
        let stop = Arc::new(AtomicBool::new(false));
        let clients = (0..clients)
            .map(|_| {
                let url = format!("{base}/api/v1/consents");
                let (acknowledged, errors, first_error, stop) =
                    (acknowledged.clone(), errors.clone(), first_error.clone(), stop.clone());
                tokio::spawn(async move {
                    let http = reqwest::Client::new();
                    while !stop.load(Ordering::Relaxed) {
                        let sent = record();
                        let answer = http.post(&url).header("origin", "https://shop.example").json(&sent).send().await;
                        match answer {
                            Ok(response) if response.status().is_success() => {
                                acknowledged.lock().unwrap().push(sent["recordId"].as_str().unwrap().to_string());
                            }
                            failed => {
                                errors.fetch_add(1, Ordering::Relaxed);
                                let what = match failed {
                                    Ok(response) => format!("answered {}", response.status()),
                                    Err(error) => format!("{error}"),
                                };
                                first_error.lock().unwrap().get_or_insert(what);
                                // A server that is gone refuses at once: no need to spin.
                                tokio::time::sleep(Duration::from_millis(20)).await;
                            }
                        }
                    }
                })
            })
            .collect();
        Load { acknowledged, errors, first_error, stop, clients }
    }

    pub fn acknowledged(&self) -> usize {
        self.acknowledged.lock().unwrap().len()
    }

    pub fn errors(&self) -> usize {
        self.errors.load(Ordering::Relaxed)
    }

    /// Waits until `count` more records than now are acknowledged (at most `limit`).
    pub async fn until_more(&self, count: usize, limit: Duration) {
        let target = self.acknowledged() + count;
        let deadline = Instant::now() + limit;
        while self.acknowledged() < target {
            assert!(Instant::now() < deadline, "the server acknowledged {} of {target} records", self.acknowledged());
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Stops the clients once their requests under way are answered; the acknowledged ids.
    pub async fn stop(self) -> Vec<String> {
        self.stop.store(true, Ordering::Relaxed);
        for client in self.clients {
            client.await.unwrap();
        }
        self.acknowledged.lock().unwrap().clone()
    }
}
