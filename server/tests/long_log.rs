//! A long log costs the same per row as a short one: `verify` and the export read it in
//! pages by key, so the last page takes no longer than the first (on SQLite, when `seq` was
//! not the row id, each page rescanned the table, and 600,000 rows took minutes).

mod common;

use common::TestServer;
use consent_server::log::verify;
use consent_server::store::verify::Verdict;
use std::time::{Duration, Instant};

/// The log is measured at this many rows, then at ten times as many.
const SHORT: usize = 10_000;
const LONG: usize = 100_000;

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// Whether work on the long log (`long`) costs about what the same work on the short one
/// (`short`) did: a page that rescans the table would take ten times longer.
fn flat(short: Duration, long: Duration) -> bool {
    long <= short * 3 + Duration::from_millis(20)
}

/// The median time of a 1,000-row page, at the log's start, middle and end.
async fn page_time(server: &TestServer, rows: usize) -> Duration {
    let mut times = Vec::new();
    for after in [0, rows / 2, rows - 1000].into_iter().cycle().take(15) {
        let start = Instant::now();
        let page = server.store.rows_after(after as i64, 1000).await.unwrap();
        times.push(start.elapsed());
        assert_eq!(page.len(), 1000);
    }
    median(times)
}

/// Streams the export; how many rows came, and how long each took on average.
async fn export(server: &TestServer, query: &str) -> (usize, Duration) {
    let start = Instant::now();
    let mut response = server.admin(&format!("/api/v1/export{query}"), "t0ken").await;
    assert_eq!(response.status(), 200);
    let mut lines = 0;
    while let Some(chunk) = response.chunk().await.unwrap() {
        lines += chunk.iter().filter(|byte| **byte == b'\n').count();
    }
    (lines, start.elapsed() / lines.max(1) as u32)
}

/// How long `verify` took for each row.
async fn verify_time(server: &TestServer, rows: usize) -> Duration {
    let start = Instant::now();
    assert_eq!(verify::verify_chain(&server.store, None).await.unwrap(), Verdict::Intact { rows: rows as u64 });
    start.elapsed() / rows as u32
}

on_both_databases! {
    verify_and_export_take_the_same_time_per_row_in_a_log_ten_times_longer(server, &["--admin-token", "t0ken"]) {
        common::fill(&server.store, SHORT).await;
        let short_page = page_time(&server, SHORT).await;
        let short_verify = verify_time(&server, SHORT).await;
        let (lines, short_export) = export(&server, "").await;
        assert_eq!(lines, SHORT);

        common::fill(&server.store, LONG - SHORT).await;
        let long_page = page_time(&server, LONG).await;
        assert!(flat(short_page, long_page), "a page took {long_page:?} at {LONG} rows, {short_page:?} at {SHORT}");
        let long_verify = verify_time(&server, LONG).await;
        assert!(flat(short_verify * 1000, long_verify * 1000), "verify: {long_verify:?} a row at {LONG} rows, {short_verify:?} at {SHORT}");
        let (lines, long_export) = export(&server, "").await;
        assert_eq!(lines, LONG);
        assert!(flat(short_export * 1000, long_export * 1000), "export: {long_export:?} a row at {LONG} rows, {short_export:?} at {SHORT}");

        // A time range. The two fills overlap in time, so rows of the range sit at both ends of
        // the chain: the export must still find every one, and nothing else.
        let newest = server.store.head(0).await.unwrap();
        let received = server.store.rows_after(newest.seq - 1, 1).await.unwrap()[0].received_at;
        let (from, to) = (received - 30_000 * 1000, received - 5_000 * 1000);
        let expected: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM consent_records WHERE received_at >= $1 AND received_at < $2")
            .bind(from)
            .bind(to)
            .fetch_one(&server.store.pool)
            .await
            .unwrap();
        let (first, last) = server.store.seq_ranges(from, to).await.unwrap()[0];
        assert!(first <= SHORT as i64 && last > SHORT as i64, "the range spans both fills: {first}..{last}");
        let query = format!("?from={}&to={}", consent_server::time::rfc3339(from), consent_server::time::rfc3339(to));
        let (lines, _) = export(&server, &query).await;
        assert_eq!(lines as i64, expected);
    }
}
