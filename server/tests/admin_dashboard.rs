//! What the dashboard shows: its numbers equal counts computed here, independently, from the
//! records sent (through the API, and on other days straight into another chain), for the
//! default period and a chosen one, before and after a retention purge; the export of a period;
//! the chain's verification started from the page.

mod common;

use common::admin::{TOKEN, browser, counts, get, sign_in};
use common::{TestServer, now_millis, record};
use consent_server::log::chains::origin;
use consent_server::store::{GENESIS_HASH, Row};
use consent_widget::core::record::ConsentRecord;
use serde_json::Value;
use std::collections::BTreeMap;
use std::time::Duration;

const DAY: i64 = 86_400_000;
const METHODS: [&str; 5] = ["accept_all", "reject_all", "custom", "withdraw", "gpc"];

/// The `n`th of a varied set of decisions.
fn decision(n: usize) -> Value {
    let method = METHODS[n % METHODS.len()];
    let (granted, denied): (&[&str], &[&str]) = match method {
        "accept_all" => (&["necessary", "analytics", "marketing"], &[]),
        "custom" if n.is_multiple_of(2) => (&["necessary", "analytics"], &["marketing"]),
        "custom" => (&["necessary", "marketing"], &["analytics"]),
        "gpc" => (&["necessary", "analytics"], &["marketing"]),
        _ => (&["necessary"], &["analytics", "marketing"]),
    };
    let mut record = record();
    record["method"] = method.into();
    record["granted"] = granted.into();
    record["denied"] = denied.into();
    record["language"] = ["en", "de", "fr", "it"][n % 4].into();
    record["revision"] = (1 + i64::from(n.is_multiple_of(3))).into();
    record
}

/// A record and the day (a day number) it was received on.
struct Sent {
    record: Value,
    day: i64,
}

/// What the page should show for the days `from..=to`, counted from `sent`.
fn expected(sent: &[Sent], from: i64, to: i64) -> BTreeMap<String, i64> {
    let mut counts = BTreeMap::new();
    counts.insert("total".to_string(), 0);
    for day in from..=to {
        counts.insert(format!("day:{}", date(day)), 0);
    }
    for method in METHODS {
        counts.insert(format!("method:{method}"), 0);
    }
    for Sent { record, day } in sent.iter().filter(|sent| (from..=to).contains(&sent.day)) {
        for key in [
            "total".to_string(),
            format!("day:{}", date(*day)),
            format!("method:{}", record["method"].as_str().unwrap()),
            format!("language:{}", record["language"].as_str().unwrap()),
            format!("revision:{}", record["revision"]),
        ] {
            *counts.entry(key).or_default() += 1;
        }
        for (field, other) in [("granted", "denied"), ("denied", "granted")] {
            for category in record[field].as_array().unwrap() {
                let category = category.as_str().unwrap();
                *counts.entry(format!("{field}:{category}")).or_default() += 1;
                counts.entry(format!("{other}:{category}")).or_default();
            }
        }
    }
    counts
}

fn date(day: i64) -> String {
    consent_server::time::rfc3339(day * DAY)[..10].to_string()
}

/// Stores `records`, received on `day`, straight into chain 7 after `tail` (a chain no server
/// holds here): the past, without waiting for it. Returns the new tail.
async fn store_in_chain_7(server: &TestServer, tail: (i64, String), records: &[Value], day: i64) -> (i64, String) {
    let (mut seq, mut hash) = tail;
    let mut rows = Vec::new();
    for (index, record) in records.iter().enumerate() {
        let record = ConsentRecord::from_json(&record.to_string()).unwrap();
        let row = Row::new(seq + 1, &record, day * DAY + 3_600_000 + index as i64, "Firefox 128", &hash);
        (seq, hash) = (row.seq, row.hash.clone());
        rows.push(row);
    }
    let mut connection = server.store.pool.acquire().await.unwrap();
    server.store.insert_all(&mut connection, &rows.iter().collect::<Vec<_>>()).await.unwrap();
    (seq, hash)
}

async fn page_counts(server: &TestServer, cookie: &str, query: &str) -> BTreeMap<String, i64> {
    let response = get(server, &format!("/admin/{query}"), cookie).await;
    assert_eq!(response.status(), 200);
    counts(&response.text().await.unwrap())
}

on_both_databases! {
    the_page_shows_the_counts_of_the_records_present(server, &["--admin-token", TOKEN]) {
        let today = now_millis().div_euclid(DAY);
        let mut sent = Vec::new();
        for n in 0..30 {
            let record = decision(n);
            assert_eq!(server.post(&record).await.status(), 201);
            sent.push(Sent { record, day: today });
        }
        // Today's records again: a replay is one decision, counted once.
        assert_eq!(server.post(&sent[0].record).await.status(), 200);
        let mut tail = (origin(7), GENESIS_HASH.to_string());
        for (days_ago, how_many) in [(40, 3), (5, 5), (2, 4)] {
            let records: Vec<Value> = (0..how_many).map(|n| decision(n + days_ago as usize)).collect();
            tail = store_in_chain_7(&server, tail, &records, today - days_ago).await;
            sent.extend(records.into_iter().map(|record| Sent { record, day: today - days_ago }));
        }
        let cookie = sign_in(&server).await;

        // The last 30 days by default; a period chosen in the form.
        assert_eq!(page_counts(&server, &cookie, "").await, expected(&sent, today - 29, today));
        let (from, to) = (today - 40, today - 5);
        let chosen = format!("?from={}&to={}", date(from), date(to));
        assert_eq!(page_counts(&server, &cookie, &chosen).await, expected(&sent, from, to));
        assert_eq!(expected(&sent, from, to)["total"], 8, "the test's own arithmetic");

        // The same numbers as JSON.
        let json: Value = get(&server, &format!("/admin/summary.json{chosen}"), &cookie).await.json().await.unwrap();
        let want = expected(&sent, from, to);
        assert_eq!(json["total"], want["total"]);
        for method in METHODS {
            assert_eq!(json["byMethod"][method].as_i64().unwrap_or(0), want[&format!("method:{method}")], "{method}");
        }
        assert_eq!(json["categories"]["analytics"]["granted"], want["granted:analytics"]);
        assert_eq!(json["perDay"][date(to)], want[&format!("day:{}", date(to))]);

        // A retention purge takes its records out of the counts.
        let cutoff = (today - 3) * DAY;
        server.store.purge_before(cutoff, now_millis(), None).await.unwrap();
        let kept: Vec<Sent> = sent.into_iter().filter(|sent| sent.day >= today - 3).collect();
        let all = format!("?from={}&to={}", date(today - 40), date(today));
        assert_eq!(page_counts(&server, &cookie, &all).await, expected(&kept, today - 40, today));
        assert_eq!(expected(&kept, today - 40, today)["total"], 34);
    }

    the_export_button_downloads_the_period(server, &["--admin-token", TOKEN]) {
        let today = now_millis().div_euclid(DAY);
        for n in 0..6 {
            assert_eq!(server.post(&decision(n)).await.status(), 201);
        }
        let older: Vec<Value> = (0..4).map(decision).collect();
        store_in_chain_7(&server, (origin(7), GENESIS_HASH.to_string()), &older, today - 3).await;
        let cookie = sign_in(&server).await;
        let page = get(&server, "/admin/", &cookie).await.text().await.unwrap();
        assert!(page.contains(r#"<button type="submit" name="format" value="csv">Export CSV</button>"#));
        for (from, lines) in [(today, 6), (today - 3, 10)] {
            let period = format!("from={}&to={}", date(from), date(today));
            let csv = get(&server, &format!("/admin/export?{period}&format=csv"), &cookie).await;
            assert_eq!(csv.status(), 200);
            assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
            let disposition = csv.headers()["content-disposition"].to_str().unwrap().to_string();
            assert_eq!(disposition, format!("attachment; filename=\"consents-{}-{}.csv\"", date(from), date(today)));
            let text = csv.text().await.unwrap();
            assert_eq!(text.lines().count(), lines + 1, "a header and one line per record: {text}");
            let ndjson = get(&server, &format!("/admin/export?{period}&format=ndjson"), &cookie).await.text().await.unwrap();
            assert_eq!(ndjson.lines().count(), lines);
        }
    }

    the_chain_is_verified_from_the_page(server, &["--admin-token", TOKEN]) {
        for n in 0..5 {
            assert_eq!(server.post(&decision(n)).await.status(), 201);
        }
        let cookie = sign_in(&server).await;
        let page = get(&server, "/admin/", &cookie).await.text().await.unwrap();
        assert!(page.contains("Not verified since this server started."));
        let started = browser().post(format!("{}/admin/verify", server.base)).header("cookie", &cookie).send().await.unwrap();
        assert_eq!(started.status(), 303);
        let mut page = String::new();
        for _ in 0..100 {
            page = get(&server, "/admin/", &cookie).await.text().await.unwrap();
            if page.contains("data-verdict") {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(page.contains(r#"data-verdict="intact"><strong>Intact</strong>: 5 records verified"#), "{page}");
        let newest = server.store.head(0).await.unwrap().seq;
        assert!(page.contains(&format!(r#"<span data-seq="last-verified">{newest}</span>"#)), "{page}");

        // A row changed behind the log's back: the next verification says where.
        sqlx::query("UPDATE consent_records SET method = 'accept_all' WHERE seq = 3").execute(&server.store.pool).await.unwrap();
        browser().post(format!("{}/admin/verify", server.base)).header("cookie", &cookie).send().await.unwrap();
        for _ in 0..100 {
            page = get(&server, "/admin/", &cookie).await.text().await.unwrap();
            if page.contains(r#"data-verdict="broken""#) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(page.contains(r#"<strong>Broken</strong> at record number 3"#), "{page}");
    }
}
