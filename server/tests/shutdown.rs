//! Stopping under load: SIGTERM (what service managers and container runtimes send on every
//! deploy) and SIGINT drain the server. Readiness says "draining", the listener closes, the
//! requests under way are answered and their records stored, a signed shutdown checkpoint
//! names the last row, and the process exits 0.

mod common;

use common::process::ServerProcess;
use common::record;
use consent_server::log::checkpoint::SHUTDOWN;
use consent_server::log::checkpoints::Checkpoints;
use consent_server::log::verify;
use consent_server::store::Store;
use consent_server::store::verify::Verdict;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const KEY: &str = "checkpoint-key";

/// Posts records from `clients` connections until the server stops taking connections;
/// the ids of the records it acknowledged.
fn load(base: &str, clients: usize, acknowledged: &Arc<Mutex<Vec<String>>>) -> Vec<tokio::task::JoinHandle<()>> {
    (0..clients)
        .map(|_| {
            let (url, acknowledged) = (format!("{base}/api/v1/consents"), acknowledged.clone());
            tokio::spawn(async move {
                let client = reqwest::Client::new();
                let deadline = Instant::now() + Duration::from_secs(60);
                while Instant::now() < deadline {
                    let sent = record();
                    match client.post(&url).header("origin", "https://shop.example").json(&sent).send().await {
                        Ok(response) if response.status().is_success() => {
                            acknowledged.lock().unwrap().push(sent["recordId"].as_str().unwrap().to_string());
                        }
                        Ok(response) => panic!("a record was answered {} while the server drained", response.status()),
                        // The listener is closed: the server takes no more.
                        Err(error) if error.is_connect() => return,
                        // A kept-alive connection closed as the request went out: not acknowledged.
                        Err(_) => {}
                    }
                }
            })
        })
        .collect()
}

async fn drains_on(signal: i32, name: &str) {
    let folder = tempfile::tempdir().unwrap();
    let database = format!("sqlite:{}?mode=rwc", folder.path().join("log.db").display());
    let widget = folder.path().display().to_string();
    let flags = ["--database-url", &database, "--widget-dir", &widget, "--checkpoint-key", KEY, "--rate-limit", "0"];
    let mut server = ServerProcess::start(&[&flags[..], &["--drain-delay", "3"]].concat(), None);
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let clients = load(&server.base, 16, &acknowledged);
    let loaded = Instant::now();
    while acknowledged.lock().unwrap().len() < 500 {
        assert!(loaded.elapsed() < Duration::from_secs(30), "the load did not get going");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }

    server.signal(signal);
    // While it drains, readiness says so: the listener stays open for --drain-delay, so asking
    // until it answers "draining" ends either with that answer or with the listener closed
    // before it came (the failure), however slow the machine is.
    let readiness = reqwest::Client::new();
    loop {
        match readiness.get(format!("{}/readyz", server.base)).send().await {
            Ok(response) if response.status() == 503 => {
                let body: serde_json::Value = response.json().await.unwrap();
                assert_eq!(body["status"], "draining");
                break;
            }
            Ok(response) => assert_eq!(response.status(), 200, "readiness before the drain began"),
            Err(error) => panic!("the listener closed before readiness said draining: {error}"),
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    for client in clients {
        client.await.unwrap();
    }
    let code = tokio::task::spawn_blocking(move || {
        let code = server.wait_for_exit(Duration::from_secs(30));
        (code, server.log())
    })
    .await
    .unwrap();
    let (code, log) = code;
    assert_eq!(code, Some(0), "exit code after {name}; log:\n{log}");
    assert!(log.contains(&format!("{name}: draining")), "{log}");
    assert!(!log.contains("ERROR"), "{log}");

    let acknowledged = acknowledged.lock().unwrap().clone();
    let store = Store::open(&database).await.unwrap();
    let mut lost = 0;
    for id in &acknowledged {
        if store.find(id).await.unwrap().is_none() {
            lost += 1;
        }
    }
    assert_eq!(lost, 0, "{lost} of {} acknowledged records are not stored", acknowledged.len());
    let rows = store.count().await.unwrap();
    assert!(rows >= acknowledged.len() as i64);
    assert_eq!(verify::verify_chain(&store, Some(KEY)).await.unwrap(), Verdict::Intact { rows: rows as u64 });
    let checkpoints = store.checkpoints(SHUTDOWN).await.unwrap();
    let tail = store.head(0).await.unwrap();
    assert_eq!(checkpoints.len(), 1, "{checkpoints:?}");
    assert_eq!((checkpoints[0].through_seq, &checkpoints[0].through_hash), (tail.seq, &tail.hash));
    assert!(checkpoints[0].is_authentic(Some(KEY)));
    eprintln!("{name}: {} records acknowledged, {rows} stored, 0 lost, exit code 0", acknowledged.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_under_load_loses_nothing_writes_a_checkpoint_and_exits_0() {
    drains_on(libc::SIGTERM, "SIGTERM").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigint_drains_the_same_way() {
    drains_on(libc::SIGINT, "SIGINT").await;
}

on_both_databases! {
    rows_taken_off_the_end_after_a_shutdown_checkpoint_break_the_chain(server, &[]) {
        for _ in 0..5 {
            assert_eq!(server.post(&record()).await.status(), 201);
        }
        let checkpoints = Checkpoints::signed(KEY);
        let written = checkpoints.write(&server.store, SHUTDOWN, common::now_millis()).await.unwrap().unwrap();
        assert_eq!(written.iter().map(|checkpoint| checkpoint.through_seq).collect::<Vec<_>>(), [5]);
        assert_eq!(checkpoints.write(&server.store, SHUTDOWN, common::now_millis()).await.unwrap(), None, "nothing new, no new checkpoint");
        assert_eq!(server.post(&record()).await.status(), 201);
        assert_eq!(verify::verify_chain(&server.store, Some(KEY)).await.unwrap(), Verdict::Intact { rows: 6 });
        // The newest rows go: the chain left is whole, but the checkpoint remembers row 5.
        sqlx::query("DELETE FROM consent_records WHERE seq >= 5").execute(&server.store.pool).await.unwrap();
        match verify::verify_chain(&server.store, Some(KEY)).await.unwrap() {
            Verdict::Broken { seq, reason, .. } => {
                assert_eq!(seq, 5);
                assert!(reason.contains("missing from its end"), "{reason}");
            }
            intact => panic!("the truncation went unnoticed: {intact}"),
        }
        // A forged checkpoint is caught too.
        let forged = verify::verify_chain(&server.store, Some("another key")).await.unwrap();
        assert!(matches!(forged, Verdict::Broken { ref record_id, .. } if record_id == "(shutdown checkpoint)"), "{forged}");
    }
}
