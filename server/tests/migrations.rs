//! A log written by an earlier version opens with this one: the migrations bring it up to
//! date and keep every row and the chain.

mod common;

use common::Backend;
use consent_server::log::verify;
use consent_server::store::verify::Verdict;
use consent_server::store::{Backend as StoreBackend, GENESIS_HASH, Store, Tail};
use sqlx::migrate::Migrator;

/// A database holding `rows` rows under the first version's schema only.
async fn first_version_log(backend: Backend, folder: &tempfile::TempDir, rows: usize) -> String {
    let url = common::database(backend, folder).await;
    let first_only = folder.path().join("first-migration-only");
    std::fs::create_dir_all(&first_only).unwrap();
    let first = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/0001_consent_records.sql");
    std::fs::copy(first, first_only.join("0001_consent_records.sql")).unwrap();
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&url).await.unwrap();
    Migrator::new(first_only.as_path()).await.unwrap().run(&pool).await.unwrap();
    let backend = if backend == Backend::Sqlite { StoreBackend::Sqlite } else { StoreBackend::Postgres };
    let genesis = Tail { seq: 0, hash: GENESIS_HASH.to_string() };
    common::fill_after(&Store { pool: pool.clone(), backend }, genesis, rows).await;
    pool.close().await;
    url
}

async fn migrates_and_keeps_the_chain(backend: Backend) {
    let folder = tempfile::tempdir().unwrap();
    let url = first_version_log(backend, &folder, 1500).await;
    let store = Store::open(&url).await.expect("the earlier log opens and migrates");
    assert_eq!(store.count().await.unwrap(), 1500);
    assert_eq!(verify::verify_chain(&store, None).await.unwrap(), Verdict::Intact { rows: 1500 });
    // The dashboard's daily counts start with the rows already there.
    let counted = store.daily_summary(0, 1_000_000).await.unwrap();
    assert_eq!(counted.total(), 1500);
    assert_eq!(counted.by_method, vec![("reject_all".to_string(), 1500)]);
    let analytics = counted.categories.iter().find(|c| c.category == "analytics").unwrap();
    assert_eq!((analytics.granted, analytics.denied), (0, 1500));
    if backend == Backend::Sqlite {
        let schema: String =
            sqlx::query_scalar("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'consent_records'")
                .fetch_one(&store.pool)
                .await
                .unwrap();
        assert!(schema.contains("seq INTEGER PRIMARY KEY"), "seq is the row id now: {schema}");
    }
    // The chain goes on from where the earlier version left it.
    common::fill(&store, 10).await;
    assert_eq!(verify::verify_chain(&store, None).await.unwrap(), Verdict::Intact { rows: 1510 });
    // And opening it again runs nothing twice.
    store.pool.close().await;
    let again = Store::open(&url).await.unwrap();
    assert_eq!(again.count().await.unwrap(), 1510);
    assert_eq!(again.daily_summary(0, 1_000_000).await.unwrap().total(), 1510);
}

#[tokio::test]
async fn an_sqlite_log_of_the_first_version_migrates_and_keeps_its_chain() {
    migrates_and_keeps_the_chain(Backend::Sqlite).await;
}

#[tokio::test]
#[cfg_attr(not(postgres_tests), ignore = "needs PostgreSQL: set CONSENT_TEST_POSTGRES (scripts/postgres.sh start)")]
async fn a_postgres_log_of_the_first_version_migrates_and_keeps_its_chain() {
    migrates_and_keeps_the_chain(Backend::Postgres).await;
}
