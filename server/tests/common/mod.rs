//! Test harness: the real application on a loopback port, on a real database: a fresh
//! SQLite file, or a fresh PostgreSQL database on the server `CONSENT_TEST_POSTGRES` names.
//! The PostgreSQL tests are built ignored without that variable (see `build.rs`): skipped, and
//! counted as skipped. With it, a server that cannot be reached fails them.

#![allow(dead_code)]

pub mod admin;
pub mod load;
pub mod logs;
pub mod process;

use clap::Parser;
use consent_server::store::Store;
use consent_server::{Args, app};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;
use tempfile::TempDir;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestServer {
    pub base: String,
    pub client: reqwest::Client,
    pub store: Store,
    pub database_url: String,
    _folder: Arc<TempDir>,
}

/// The PostgreSQL server to test against, e.g. `postgres://postgres@127.0.0.1:5433/postgres`:
/// the variable as it is now, else as it was when the tests were built.
pub fn postgres_admin_url() -> String {
    std::env::var("CONSENT_TEST_POSTGRES")
        .ok()
        .or(option_env!("CONSENT_TEST_POSTGRES").map(String::from))
        .filter(|url| !url.is_empty())
        .expect("a PostgreSQL test needs CONSENT_TEST_POSTGRES (scripts/postgres.sh start prints one)")
}

/// A new, empty database on `backend`.
pub async fn database(backend: Backend, folder: &TempDir) -> String {
    match backend {
        Backend::Sqlite => format!("sqlite:{}?mode=rwc", folder.path().join("consents.db").display()),
        Backend::Postgres => {
            let admin = postgres_admin_url();
            use sqlx::Connection;
            let name = format!("consent_test_{}", uuid::Uuid::new_v4().simple());
            let mut connection =
                sqlx::PgConnection::connect(&admin).await.expect("connect to the PostgreSQL test server");
            sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut connection).await.unwrap();
            let base = admin.rsplit_once('/').map(|(server, _)| server.to_string()).unwrap_or(admin.clone());
            format!("{base}/{name}")
        }
    }
}

/// Starts the server with the given extra command-line flags.
pub async fn start(backend: Backend, flags: &[&str]) -> TestServer {
    start_many(backend, 1, flags).await.remove(0)
}

/// Starts `count` servers on one new database, as several instances behind a load balancer.
pub async fn start_many(backend: Backend, count: usize, flags: &[&str]) -> Vec<TestServer> {
    let folder = Arc::new(tempfile::tempdir().unwrap());
    let database_url = database(backend, &folder).await;
    let mut servers = Vec::new();
    for _ in 0..count {
        servers.push(start_on(&database_url, &folder, flags).await);
    }
    servers
}

/// Starts a server on the database `database_url`, which may be in use by others already.
pub async fn start_on(database_url: &str, folder: &Arc<TempDir>, flags: &[&str]) -> TestServer {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let mut argv = vec![
        "consent-server".to_string(),
        "--database-url".to_string(),
        database_url.to_string(),
        "--site-dir".to_string(),
        format!("{root}/www"),
        "--widget-dir".to_string(),
        folder.path().display().to_string(),
    ];
    argv.extend(flags.iter().map(|flag| flag.to_string()));
    let options = Args::try_parse_from(argv).expect("the flags parse").options;
    let app = app(&options).await.expect("the application starts");
    let store = app.store.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let limits = options.limits();
    tokio::spawn(async move {
        consent_server::serve::serve(listener, app.router, &limits, std::future::pending(), Duration::ZERO).await
    });
    TestServer {
        base: format!("http://{address}"),
        client: browser_on_the_shop(),
        store,
        database_url: database_url.to_string(),
        _folder: folder.clone(),
    }
}

/// A client that sends what a browser on the page of [`record`]'s origin sends with a POST.
fn browser_on_the_shop() -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("origin", reqwest::header::HeaderValue::from_static("https://shop.example"));
    reqwest::Client::builder().default_headers(headers).build().unwrap()
}

/// A valid record, as the widget sends it, with fresh ids.
pub fn record() -> Value {
    json!({
        "recordId": uuid::Uuid::new_v4(),
        "consentId": uuid::Uuid::new_v4(),
        "method": "reject_all",
        "granted": ["necessary"],
        "denied": ["analytics", "marketing"],
        "services": {},
        "revision": 1,
        "language": "en",
        "textHash": "ab".repeat(32),
        "origin": "https://shop.example",
        "path": "/checkout",
        "widgetVersion": "0.1.0",
        "clientTime": now_millis(),
    })
}

pub fn now_millis() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64
}

impl TestServer {
    pub async fn post(&self, body: &Value) -> reqwest::Response {
        self.client.post(format!("{}/api/v1/consents", self.base)).json(body).send().await.unwrap()
    }

    pub async fn post_raw(&self, content_type: &str, body: impl Into<reqwest::Body>) -> reqwest::Response {
        self.client
            .post(format!("{}/api/v1/consents", self.base))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(format!("{}{path}", self.base)).send().await.unwrap()
    }

    pub async fn admin(&self, path: &str, token: &str) -> reqwest::Response {
        self.client.get(format!("{}{path}", self.base)).bearer_auth(token).send().await.unwrap()
    }

    pub async fn count(&self) -> i64 {
        self.store.count().await.unwrap()
    }
}

/// Runs each test body once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident($server:ident, $flags:expr) $body:block)*) => {
        mod sqlite {
            use super::*;
            $(
                #[tokio::test]
                async fn $name() {
                    let $server = common::start(common::Backend::Sqlite, $flags).await;
                    $body
                }
            )*
        }
        mod postgres {
            use super::*;
            $(
                #[tokio::test]
                #[cfg_attr(not(postgres_tests), ignore = "needs PostgreSQL: set CONSENT_TEST_POSTGRES (scripts/postgres.sh start)")]
                async fn $name() {
                    let $server = common::start(common::Backend::Postgres, $flags).await;
                    $body
                }
            )*
        }
    };
}

/// Appends `count` chained rows straight to chain 0 (where a single server appends), as the
/// writer would, received one second apart and ending now: a long log in seconds instead of
/// minutes of requests.
pub async fn fill(store: &Store, count: usize) {
    fill_after(store, store.head(0).await.unwrap(), count).await;
}

/// [`fill`] after `tail`, without asking the store where its chain ends.
pub async fn fill_after(store: &Store, mut tail: consent_server::store::Tail, count: usize) {
    use consent_server::store::{Row, Tail};
    use consent_widget::core::record::ConsentRecord;
    let record: ConsentRecord = serde_json::from_value(record()).unwrap();
    let first_received = now_millis() - 1000 * count as i64;
    let mut connection = store.pool.acquire().await.unwrap();
    let mut done = 0;
    while done < count {
        let batch: Vec<Row> = (done..count.min(done + consent_server::store::MAX_ROWS_PER_INSERT))
            .map(|index| {
                let mut draft = record.clone();
                draft.record_id = uuid::Uuid::now_v7();
                let row =
                    Row::new(tail.seq + 1, &draft, first_received + 1000 * index as i64, "Firefox 128", &tail.hash);
                tail = Tail { seq: row.seq, hash: row.hash.clone() };
                row
            })
            .collect();
        done += batch.len();
        store.insert_all(&mut connection, &batch.iter().collect::<Vec<_>>()).await.unwrap();
    }
}
