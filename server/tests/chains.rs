//! Chains and their leases: each server gets a chain nobody else holds, renews it, gives it
//! up when it stops, and a chain whose lease lapsed is taken over where it ends. A writer that
//! finds its chain moved on continues after the new end, or moves to another chain once its
//! lease is gone, and a full chain is retired.

mod common;

use common::{Backend, record};
use consent_server::log::chains::{last_seq, origin};
use consent_server::log::checkpoint::{Checkpoint, PURGE};
use consent_server::log::verify;
use consent_server::store::verify::Verdict;
use consent_server::store::{GENESIS_HASH, Store, Tail};
use std::sync::Arc;
use std::time::{Duration, Instant};

const LEASE: Duration = Duration::from_secs(30);

async fn leases_are_exclusive_renewed_given_up_and_taken_over(backend: Backend) {
    let folder = tempfile::tempdir().unwrap();
    let url = common::database(backend, &folder).await;
    let store = Store::open(&url).await.unwrap();
    let first = store.acquire_chain("first", LEASE).await.unwrap();
    assert_eq!((first.chain, first.tail.seq), (0, 0));
    let second = store.acquire_chain("second", LEASE).await.unwrap();
    assert_eq!((second.chain, second.tail.seq), (1, origin(1)), "a new chain, from its origin");
    assert!(store.renew_chain(0, "first", LEASE).await.unwrap());
    assert!(!store.renew_chain(0, "second", LEASE).await.unwrap(), "only the holder renews");
    assert_eq!(store.first_holder().await.unwrap().as_deref(), Some("first"));

    // Given up when its server stops: the next server takes it over where it ends.
    common::fill(&store, 3).await;
    store.release_chain(0, "first").await.unwrap();
    assert_eq!(store.first_holder().await.unwrap().as_deref(), Some("second"));
    let third = store.acquire_chain("third", LEASE).await.unwrap();
    assert_eq!(third.chain, 0);
    assert_eq!(third.tail, store.last_row(0).await.unwrap().unwrap());
    assert_eq!(third.tail.seq, 3);
    assert!(!store.renew_chain(0, "first", LEASE).await.unwrap(), "the first server's lease is gone");

    // A lease that lapses (its server died) is closed, then taken over.
    let short = Duration::from_millis(1);
    assert!(store.renew_chain(1, "second", short).await.unwrap());
    let deadline = Instant::now() + Duration::from_secs(5);
    let closed = loop {
        let closed = store.close_lapsed_chains().await.unwrap();
        if !closed.is_empty() || Instant::now() > deadline {
            break closed;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    assert_eq!(closed, [(1, "second".to_string())]);
    assert_eq!(store.acquire_chain("fourth", LEASE).await.unwrap().chain, 1);
    assert_eq!(store.acquire_chain("fifth", LEASE).await.unwrap().chain, 2, "none free: a new one");
    assert_eq!(store.chain_ids().await.unwrap(), [0, 1, 2]);
}

#[tokio::test]
async fn sqlite_leases_are_exclusive_renewed_given_up_and_taken_over() {
    leases_are_exclusive_renewed_given_up_and_taken_over(Backend::Sqlite).await;
}

#[tokio::test]
#[cfg_attr(not(postgres_tests), ignore = "needs PostgreSQL: set CONSENT_TEST_POSTGRES (scripts/postgres.sh start)")]
async fn postgres_leases_are_exclusive_renewed_given_up_and_taken_over() {
    leases_are_exclusive_renewed_given_up_and_taken_over(Backend::Postgres).await;
}

#[tokio::test]
#[cfg_attr(not(postgres_tests), ignore = "needs PostgreSQL: set CONSENT_TEST_POSTGRES (scripts/postgres.sh start)")]
async fn servers_starting_at_once_each_get_a_chain_of_their_own() {
    let folder = tempfile::tempdir().unwrap();
    let url = common::database(Backend::Postgres, &folder).await;
    let store = Store::open(&url).await.unwrap();
    let acquired = (0..8).map(|server| {
        let store = store.clone();
        async move { store.acquire_chain(&format!("server {server}"), LEASE).await.unwrap().chain }
    });
    let mut chains = futures_util::future::join_all(acquired).await;
    chains.sort();
    assert_eq!(chains, (0..8).collect::<Vec<_>>());
}

on_both_databases! {
    a_writer_goes_on_after_rows_appended_behind_its_back(server, &["--rate-limit", "0"]) {
        for _ in 0..3 {
            assert_eq!(server.post(&record()).await.status(), 201);
        }
        common::fill(&server.store, 5).await;
        for _ in 0..3 {
            assert_eq!(server.post(&record()).await.status(), 201);
        }
        assert_eq!(server.store.head(0).await.unwrap().seq, 11, "all in chain 0");
        assert_eq!(verify::verify_chain(&server.store, None).await.unwrap(), Verdict::Intact { rows: 11 });
    }

    a_writer_whose_chain_was_taken_over_moves_to_another(server, &["--rate-limit", "0", "--chain-lease", "600"]) {
        assert_eq!(server.post(&record()).await.status(), 201);
        // Its lease lapses (the server stalled, say) and another server takes chain 0 over
        // and appends to it.
        sqlx::query("UPDATE chains SET expires_at = 0 WHERE chain = 0").execute(&server.store.pool).await.unwrap();
        let intruder = server.store.acquire_chain("another server", LEASE).await.unwrap();
        assert_eq!(intruder.chain, 0);
        common::fill(&server.store, 2).await;
        let response = server.post(&record()).await;
        assert_eq!(response.status(), 201);
        let receipt: serde_json::Value = response.json().await.unwrap();
        let row = server.store.find(receipt["recordId"].as_str().unwrap()).await.unwrap().unwrap();
        assert_eq!(row.seq, origin(1) + 1, "appended to a chain of its own");
        assert_eq!(verify::verify_chain(&server.store, None).await.unwrap(), Verdict::Intact { rows: 4 });
    }
}

async fn a_full_chain_is_retired_and_the_writer_moves_on(backend: Backend) {
    let folder = Arc::new(tempfile::tempdir().unwrap());
    let url = common::database(backend, &folder).await;
    // A chain 0 with one place left: everything before it purged.
    let store = Store::open(&url).await.unwrap();
    let almost_full = Tail { seq: last_seq(0) - 1, hash: GENESIS_HASH.to_string() };
    let start = Checkpoint::new(PURGE, almost_full.seq, &almost_full.hash, common::now_millis(), None);
    store.add_checkpoints(&[start]).await.unwrap();
    let server = common::start_on(&url, &folder, &["--rate-limit", "0"]).await;
    let seqs = {
        let mut seqs = Vec::new();
        for _ in 0..3 {
            let receipt: serde_json::Value = server.post(&record()).await.json().await.unwrap();
            seqs.push(store.find(receipt["recordId"].as_str().unwrap()).await.unwrap().unwrap().seq);
        }
        seqs
    };
    assert_eq!(seqs, [last_seq(0), origin(1) + 1, origin(1) + 2]);
    assert_eq!(verify::verify_chain(&store, None).await.unwrap(), Verdict::Intact { rows: 3 });
    let retired = store.acquire_chain("another server", LEASE).await.unwrap();
    assert_eq!(retired.chain, 2, "chain 0 is never leased again, chain 1 is held");
}

#[tokio::test]
async fn sqlite_a_full_chain_is_retired_and_the_writer_moves_on() {
    a_full_chain_is_retired_and_the_writer_moves_on(Backend::Sqlite).await;
}

#[tokio::test]
#[cfg_attr(not(postgres_tests), ignore = "needs PostgreSQL: set CONSENT_TEST_POSTGRES (scripts/postgres.sh start)")]
async fn postgres_a_full_chain_is_retired_and_the_writer_moves_on() {
    a_full_chain_is_retired_and_the_writer_moves_on(Backend::Postgres).await;
}
