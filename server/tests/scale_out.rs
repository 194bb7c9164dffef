//! Several servers on one PostgreSQL database, as behind a load balancer without sticky
//! sessions: each appends to a chain of its own, a record sent to any of them (or to all at
//! once) is stored once, replays get the original receipt wherever they land, a server killed
//! under load loses nothing it acknowledged while the others go on answering, a new server
//! takes the dead one's chain over, and the log verifies. Visibly skipped without PostgreSQL.

mod common;

use common::load::Load;
use common::process::ServerProcess;
use common::{Backend, record};
use consent_server::log::chains::{chain_of, origin};
use consent_server::log::verify;
use consent_server::store::Store;
use consent_server::store::verify::Verdict;
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, Instant};

const KEY: &str = "checkpoint-key";

/// The chains that hold rows, and how many each.
async fn rows_by_chain(store: &Store) -> HashMap<i64, i64> {
    let seqs: Vec<i64> = sqlx::query_scalar("SELECT seq FROM consent_records").fetch_all(&store.pool).await.unwrap();
    let mut chains = HashMap::new();
    for seq in seqs {
        *chains.entry(chain_of(seq)).or_default() += 1;
    }
    chains
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(postgres_tests), ignore = "needs PostgreSQL: set CONSENT_TEST_POSTGRES (scripts/postgres.sh start)")]
async fn three_servers_take_records_and_replays_at_once_and_store_each_once() {
    let servers = common::start_many(Backend::Postgres, 3, &["--rate-limit", "0"]).await;
    let servers = &servers;
    // New records to every server at once: 3 servers x 8 clients x 25 records.
    let fresh = (0..24).map(|client| {
        let server = &servers[client % 3];
        async move {
            let mut receipts = Vec::new();
            for _ in 0..25 {
                let sent = record();
                let response = server.post(&sent).await;
                assert_eq!(response.status(), 201, "a new record is stored");
                receipts.push(response.json::<Value>().await.unwrap());
            }
            receipts
        }
    });
    // And 40 records each sent to all three servers at the same moment, twice: the
    // outbox's retries landing wherever the load balancer sends them.
    let replayed: Vec<Value> = (0..40).map(|_| record()).collect();
    let replays = replayed.iter().flat_map(|sent| (0..6).map(move |copy| (sent, &servers[copy % 3]))).map(
        |(sent, server)| async move {
            let response = server.post(sent).await;
            let status = response.status().as_u16();
            (sent["recordId"].as_str().unwrap().to_string(), status, response.json::<Value>().await.unwrap())
        },
    );
    let (fresh, replays) = tokio::join!(futures_util::future::join_all(fresh), futures_util::future::join_all(replays));
    let fresh: Vec<Value> = fresh.into_iter().flatten().collect();
    assert_eq!(fresh.len(), 600);

    let mut answers: HashMap<String, Vec<(u16, Value)>> = HashMap::new();
    for (record_id, status, receipt) in replays {
        answers.entry(record_id).or_default().push((status, receipt));
    }
    for (record_id, answers) in &answers {
        let created = answers.iter().filter(|(status, _)| *status == 201).count();
        assert_eq!(created, 1, "record {record_id} was stored once: {answers:?}");
        assert!(answers.iter().all(|(status, _)| *status == 200 || *status == 201), "{answers:?}");
        let receipts: BTreeSet<String> = answers.iter().map(|(_, receipt)| receipt.to_string()).collect();
        assert_eq!(receipts.len(), 1, "every replay got the original receipt: {receipts:?}");
    }

    let store = &servers[0].store;
    assert_eq!(store.count().await.unwrap(), 640, "one row per record id");
    for receipt in &fresh {
        let row = store.find(receipt["recordId"].as_str().unwrap()).await.unwrap().unwrap();
        assert_eq!(receipt["chainHash"], row.hash.as_str());
    }
    let chains = rows_by_chain(store).await;
    assert_eq!(chains.len(), 3, "each server appended to a chain of its own: {chains:?}");
    assert_eq!(verify::verify_chain(store, None).await.unwrap(), Verdict::Intact { rows: 640 });
}

/// The chains table's row for `chain`: its holder and whether its lease is current.
async fn lease_of(store: &Store, chain: i64) -> (String, bool) {
    sqlx::query_as(
        "SELECT holder, expires_at > CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT) \
         FROM chains WHERE chain = $1",
    )
    .bind(chain)
    .fetch_one(&store.pool)
    .await
    .unwrap()
}

/// Waits for `done` to hold, at most `limit`.
async fn until<F: std::future::Future<Output = bool>>(what: &str, limit: Duration, mut done: impl FnMut() -> F) {
    let deadline = Instant::now() + limit;
    while !done().await {
        assert!(Instant::now() < deadline, "{what}: not within {limit:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(postgres_tests), ignore = "needs PostgreSQL: set CONSENT_TEST_POSTGRES (scripts/postgres.sh start)")]
async fn a_server_killed_under_load_loses_nothing_and_a_new_one_takes_its_chain_over() {
    let folder = tempfile::tempdir().unwrap();
    let database = common::database(Backend::Postgres, &folder).await;
    let widget = folder.path().display().to_string();
    let flags = [
        "--database-url",
        &database,
        "--widget-dir",
        &widget,
        "--rate-limit",
        "0",
        "--checkpoint-key",
        KEY,
        "--chain-lease",
        "1",
        "--checkpoint-interval",
        "1",
    ];
    let start = || ServerProcess::start(&flags, None);
    // Started one after the other, so that the first holds chain 0: it is the one that
    // maintains the log, and its death hands that over too.
    let mut first = start();
    let store = Store::open(&database).await.unwrap();
    assert!(lease_of(&store, 0).await.1, "the first server holds chain 0");
    let (mut second, mut third) = (start(), start());
    let loads: Vec<Load> = [&first, &second, &third].iter().map(|server| Load::start(&server.base, 8)).collect();
    for load in &loads {
        load.until_more(300, Duration::from_secs(30)).await;
    }

    first.signal(libc::SIGKILL);
    let code = tokio::task::spawn_blocking(move || first.wait_for_exit(Duration::from_secs(10))).await.unwrap();
    assert_eq!(code, None, "killed, no exit code");
    // The others go on answering, with no error.
    for load in &loads[1..] {
        load.until_more(300, Duration::from_secs(30)).await;
    }
    // The dead server's lease lapses and the server now holding the lowest chain closes it.
    until("chain 0 closed", Duration::from_secs(20), || async { lease_of(&store, 0).await.0.is_empty() }).await;
    // The server that closed it says so in its log, which it writes after its commit: wait for
    // the line rather than expect it the moment the database shows the chain closed.
    until("a server logged that chain 0 was closed", Duration::from_secs(10), || async {
        second.log().contains("chain 0: its server") || third.log().contains("chain 0: its server")
    })
    .await;

    // A new server joins under load and takes chain 0 over where the dead one left it.
    let rows_in_chain_0 = store.last_row(0).await.unwrap().unwrap().seq;
    let mut fourth = start();
    let took_over = format!("appending to chain 0, after its row {rows_in_chain_0}");
    until("the new server took chain 0 over", Duration::from_secs(10), || async { fourth.log().contains(&took_over) })
        .await;
    let joined = Load::start(&fourth.base, 8);
    joined.until_more(300, Duration::from_secs(30)).await;
    for load in &loads[1..] {
        load.until_more(100, Duration::from_secs(30)).await;
    }

    let mut loads = loads.into_iter();
    // The dead server's clients have got nothing but errors since it died; what it
    // acknowledged before must be stored all the same.
    let mut acknowledged = loads.next().unwrap().stop().await;
    let killed = acknowledged.len();
    let mut errors = Vec::new();
    for (name, load) in ["second", "third", "fourth"].iter().zip(loads.chain([joined])) {
        errors.push((*name, load.errors(), load.first_error.lock().unwrap().clone()));
        acknowledged.extend(load.stop().await);
    }
    assert!(errors.iter().all(|(_, count, _)| *count == 0), "the servers left answered every request: {errors:?}");
    for server in [&second, &third, &fourth] {
        server.signal(libc::SIGTERM);
    }
    for server in [&mut second, &mut third, &mut fourth] {
        let code = server.wait_for_exit(Duration::from_secs(30));
        assert_eq!(code, Some(0), "{}", server.log());
        assert!(!server.log().contains("ERROR"), "{}", server.log());
    }

    let mut lost = 0;
    for ids in acknowledged.chunks(500) {
        let found = store.find_all(ids).await.unwrap().len();
        lost += ids.len() - found;
    }
    assert_eq!(lost, 0, "{lost} of {} acknowledged records are not stored", acknowledged.len());
    let rows = store.count().await.unwrap();
    assert_eq!(verify::verify_chain(&store, Some(KEY)).await.unwrap(), Verdict::Intact { rows: rows as u64 });
    let chains = rows_by_chain(&store).await;
    assert_eq!(chains.keys().copied().collect::<BTreeSet<_>>(), BTreeSet::from([0, 1, 2]), "{chains:?}");
    let tail = store.head(0).await.unwrap();
    assert!(tail.seq > rows_in_chain_0 && tail.seq < origin(1), "chain 0 went on after the takeover");
    eprintln!("{} records acknowledged ({killed} by the killed server), {rows} stored, 0 lost", acknowledged.len());
}

#[tokio::test]
async fn a_second_server_on_one_sqlite_file_is_refused_at_start_up_and_says_why() {
    let folder = tempfile::tempdir().unwrap();
    let database = format!("sqlite:{}?mode=rwc", folder.path().join("log.db").display());
    let widget = folder.path().display().to_string();
    let flags = ["--database-url", &database, "--widget-dir", &widget];
    let first = ServerProcess::start(&flags, None);
    let binary = env!("CARGO_BIN_EXE_consent-server");
    let second = std::process::Command::new(binary)
        .args(["--listen", "127.0.0.1:0"])
        .args(flags)
        .output()
        .expect("the second server runs");
    let said = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(1), "{said}");
    assert!(said.contains("SQLite takes one server per database file"), "{said}");
    assert!(said.contains(&format!("process {}", first.pid())), "{said}");
    assert!(said.contains("PostgreSQL"), "{said}");
    // The first goes on serving.
    post_new_record(first.base.clone()).await;
}

/// Posts a new record to the server at `base`, which must store it (201).
async fn post_new_record(base: String) {
    let response = reqwest::Client::new()
        .post(format!("{base}/api/v1/consents"))
        .header("origin", "https://shop.example")
        .json(&record())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_sqlite_server_restarted_after_a_crash_goes_on_with_chain_0() {
    let folder = tempfile::tempdir().unwrap();
    let database = format!("sqlite:{}?mode=rwc", folder.path().join("log.db").display());
    let widget = folder.path().display().to_string();
    let flags = ["--database-url", &database, "--widget-dir", &widget, "--rate-limit", "0"];
    let mut crashed = ServerProcess::start(&flags, None);
    for _ in 0..5 {
        post_new_record(crashed.base.clone()).await;
    }
    crashed.signal(libc::SIGKILL);
    assert_eq!(crashed.wait_for_exit(Duration::from_secs(10)), None);
    // Its lease has not lapsed, but the file's lock says no other server runs.
    let restarted = ServerProcess::start(&flags, None);
    for _ in 0..5 {
        post_new_record(restarted.base.clone()).await;
    }
    let store = Store::open(&database).await.unwrap();
    assert_eq!(store.chain_ids().await.unwrap(), [0]);
    assert_eq!(store.head(0).await.unwrap().seq, 10);
    assert_eq!(verify::verify_chain(&store, None).await.unwrap(), Verdict::Intact { rows: 10 });
}
