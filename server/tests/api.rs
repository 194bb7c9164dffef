//! The record API against a real server and a real database (SQLite and PostgreSQL).

mod common;

use common::{TestServer, record};
use consent_server::log::{retention, verify};
use consent_server::store::verify::Verdict;
use serde_json::{Value, json};

async fn problem(response: reqwest::Response, status: u16) -> String {
    assert_eq!(response.status().as_u16(), status);
    assert_eq!(response.headers()["content-type"], "application/problem+json");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], status);
    body["detail"].as_str().unwrap().to_string()
}

async fn tamper(server: &TestServer, seq: i64) {
    sqlx::query("UPDATE consent_records SET granted = '[\"necessary\",\"marketing\"]' WHERE seq = $1")
        .bind(seq)
        .execute(&server.store.pool)
        .await
        .unwrap();
}

on_both_databases! {
    a_record_is_stored_and_answered_with_a_receipt(server, &[]) {
        let sent = record();
        let response = server.post(&sent).await;
        assert_eq!(response.status(), 201);
        let receipt: Value = response.json().await.unwrap();
        assert_eq!(receipt["recordId"], sent["recordId"]);
        assert_eq!(receipt["consentId"], sent["consentId"]);
        assert_eq!(receipt["method"], "reject_all");
        assert_eq!(receipt["chainHash"].as_str().unwrap().len(), 64);
        assert!(receipt["receivedAt"].as_str().unwrap().ends_with('Z'));
        assert_eq!(server.count().await, 1);

        let history: Value = server.get(&format!("/api/v1/consents/{}", sent["consentId"].as_str().unwrap())).await.json().await.unwrap();
        assert_eq!(history["records"].as_array().unwrap().len(), 1);
        assert_eq!(history["records"][0]["chainHash"], receipt["chainHash"]);
        assert_eq!(history["records"][0]["granted"], json!(["necessary"]));
        assert_eq!(history["records"][0]["denied"], json!(["analytics", "marketing"]));
    }

    replaying_a_record_id_returns_the_original_receipt_and_stores_nothing(server, &[]) {
        let sent = record();
        let first: Value = server.post(&sent).await.json().await.unwrap();
        let response = server.post(&sent).await;
        assert_eq!(response.status(), 200);
        let second: Value = response.json().await.unwrap();
        assert_eq!(second, first);
        assert_eq!(server.count().await, 1);
        // Many concurrent replays still store one row.
        let replays = (0..20).map(|_| server.post(&sent));
        for response in futures_util::future::join_all(replays).await {
            assert_eq!(response.status(), 200);
        }
        assert_eq!(server.count().await, 1);
    }

    a_record_id_replayed_with_other_content_is_a_conflict(server, &[]) {
        let sent = record();
        assert_eq!(server.post(&sent).await.status(), 201);
        let mut forged = sent.clone();
        forged["method"] = json!("accept_all");
        forged["granted"] = json!(["necessary", "analytics", "marketing"]);
        forged["denied"] = json!([]);
        let detail = problem(server.post(&forged).await, 409).await;
        assert!(detail.contains(sent["recordId"].as_str().unwrap()) && detail.contains("`method`"), "{detail}");
        let mut later = sent.clone();
        later["clientTime"] = json!(sent["clientTime"].as_i64().unwrap() + 1);
        let detail = problem(server.post(&later).await, 409).await;
        assert!(detail.contains("`clientTime`"), "{detail}");
        // The same id twice in one batch, with different content: one is stored, one refused.
        let twin = record();
        let mut other_twin = twin.clone();
        other_twin["path"] = json!("/elsewhere");
        let statuses: Vec<u16> = futures_util::future::join_all([server.post(&twin), server.post(&other_twin)])
            .await
            .iter()
            .map(|response| response.status().as_u16())
            .collect();
        assert_eq!(statuses.iter().filter(|status| **status == 201).count(), 1, "{statuses:?}");
        assert_eq!(statuses.iter().filter(|status| **status == 409).count(), 1, "{statuses:?}");
        assert_eq!(server.count().await, 2);
        // The original is untouched, and a true retry still gets its receipt.
        assert_eq!(server.post(&sent).await.status(), 200);
        let stored = server.store.find(sent["recordId"].as_str().unwrap()).await.unwrap().unwrap();
        assert_eq!(stored.method, "reject_all");
    }

    placeholder_uuids_are_not_ids(server, &[]) {
        for placeholder in ["00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff"] {
            for field in ["recordId", "consentId"] {
                let mut sent = record();
                sent[field] = json!(placeholder);
                let detail = problem(server.post(&sent).await, 400).await;
                assert!(detail.contains(field), "{detail}");
            }
            let detail = problem(server.get(&format!("/api/v1/consents/{placeholder}")).await, 400).await;
            assert!(detail.contains("consent id"), "{detail}");
        }
        assert_eq!(server.count().await, 0);
    }

    new_records_that_share_a_batch_with_replays_are_all_stored_and_chained(server, &[]) {
        let old = record();
        assert_eq!(server.post(&old).await.status(), 201);
        let fresh: Vec<Value> = (0..30).map(|_| record()).collect();
        let posts = fresh.iter().chain(std::iter::repeat_n(&old, 30)).map(|body| server.post(body));
        let statuses: Vec<u16> =
            futures_util::future::join_all(posts).await.iter().map(|response| response.status().as_u16()).collect();
        assert_eq!(statuses.iter().filter(|status| **status == 201).count(), 30);
        assert_eq!(statuses.iter().filter(|status| **status == 200).count(), 30);
        assert_eq!(server.count().await, 31);
        assert_eq!(verify::verify_chain(&server.store, None).await.unwrap(), Verdict::Intact { rows: 31 });
    }

    a_beacon_body_in_text_plain_is_accepted(server, &[]) {
        let response = server.post_raw("text/plain;charset=UTF-8", record().to_string()).await;
        assert_eq!(response.status(), 201);
    }

    the_server_stores_a_coarse_browser_family_and_nothing_identifying(server, &[]) {
        let sent = record();
        let response = server
            .client
            .post(format!("{}/api/v1/consents", server.base))
            .header("user-agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.8078.73 Safari/537.36")
            .json(&sent)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
        let row = server.store.find(sent["recordId"].as_str().unwrap()).await.unwrap().unwrap();
        assert_eq!(row.user_agent, "Chrome 156");
        let everything = serde_json::to_string(&row).unwrap();
        assert!(!everything.contains("127.0.0.1"), "no IP address is stored");
        assert!(!everything.contains("X11"), "no full user agent is stored");
    }

    bad_requests_get_a_4xx_with_a_reason(server, &[]) {
        let detail = problem(server.post_raw("application/x-www-form-urlencoded", "a=b").await, 415).await;
        assert!(detail.contains("application/json"), "{detail}");
        let detail = problem(server.post_raw("application/json", "x".repeat(5000)).await, 413).await;
        assert!(detail.contains("4096"), "{detail}");
        let detail = problem(server.post_raw("application/json", "{\"recordId\":").await, 400).await;
        assert!(detail.contains("EOF"), "{detail}");
        let detail = problem(server.post_raw("application/json", "\"hello\"").await, 400).await;
        assert!(detail.contains("not a consent record"), "{detail}");
        let mut extra = record();
        extra["ipAddress"] = json!("192.0.2.1");
        let detail = problem(server.post(&extra).await, 400).await;
        assert!(detail.contains("ipAddress"), "{detail}");
        let mut bad_method = record();
        bad_method["method"] = json!("maybe");
        let detail = problem(server.post(&bad_method).await, 400).await;
        assert!(detail.contains("method"), "{detail}");
        let mut old = record();
        old["clientTime"] = json!(42);
        let detail = problem(server.post(&old).await, 400).await;
        assert!(detail.contains("clientTime"), "{detail}");
        let mut query = record();
        query["path"] = json!("/cart?email=someone@example.com");
        let detail = problem(server.post(&query).await, 400).await;
        assert!(detail.contains("path"), "{detail}");
        let detail = problem(server.get("/api/v1/consents/not-a-uuid").await, 400).await;
        assert!(detail.contains("UUID"), "{detail}");
        problem(server.get("/api/v1/nothing-here").await, 404).await;
        assert_eq!(server.count().await, 0, "nothing bad was stored");
    }

    the_chain_verifies_and_names_a_tampered_row(server, &[]) {
        for _ in 0..5 {
            assert_eq!(server.post(&record()).await.status(), 201);
        }
        assert_eq!(verify::verify_chain(&server.store, None).await.unwrap(), Verdict::Intact { rows: 5 });
        tamper(&server, 3).await;
        match verify::verify_chain(&server.store, None).await.unwrap() {
            Verdict::Broken { seq, reason, .. } => {
                assert_eq!(seq, 3);
                assert!(reason.contains("content"), "{reason}");
            }
            intact => panic!("tampering went unnoticed: {intact}"),
        }
    }

    a_deleted_row_breaks_the_chain(server, &[]) {
        for _ in 0..4 {
            server.post(&record()).await;
        }
        sqlx::query("DELETE FROM consent_records WHERE seq = 2").execute(&server.store.pool).await.unwrap();
        match verify::verify_chain(&server.store, None).await.unwrap() {
            Verdict::Broken { seq, reason, .. } => {
                assert_eq!(seq, 3);
                assert!(reason.contains("missing"), "{reason}");
            }
            intact => panic!("a deletion went unnoticed: {intact}"),
        }
    }

    admin_endpoints_need_the_token(server, &["--admin-token", "s3cret-token"]) {
        problem(server.get("/api/v1/export").await, 401).await;
        problem(server.admin("/api/v1/stats", "wrong-token!").await, 401).await;
        assert_eq!(server.admin("/api/v1/stats", "s3cret-token").await.status(), 200);
    }

    admin_endpoints_are_off_without_a_token(server, &[]) {
        problem(server.admin("/api/v1/export", "anything").await, 404).await;
    }

    export_streams_ndjson_and_csv_within_a_range(server, &["--admin-token", "t0ken"]) {
        for method in ["accept_all", "reject_all", "reject_all"] {
            let mut sent = record();
            sent["method"] = json!(method);
            if method == "accept_all" {
                sent["granted"] = json!(["necessary", "analytics", "marketing"]);
                sent["denied"] = json!([]);
            }
            server.post(&sent).await;
        }
        let response = server.admin("/api/v1/export", "t0ken").await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "application/x-ndjson");
        let text = response.text().await.unwrap();
        let lines: Vec<Value> = text.lines().map(|line| serde_json::from_str(line).unwrap()).collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0]["seq"], 1);
        assert_eq!(lines[0]["method"], "accept_all");
        assert_eq!(lines[2]["prevHash"], lines[1]["hash"]);

        let csv = server.admin("/api/v1/export?format=csv", "t0ken").await.text().await.unwrap();
        let rows: Vec<&str> = csv.lines().collect();
        assert_eq!(rows.len(), 4);
        assert!(rows[0].starts_with("seq,recordId,consentId,method"));

        let future = server.admin("/api/v1/export?from=2999-01-01", "t0ken").await.text().await.unwrap();
        assert_eq!(future, "");
        let past = server.admin("/api/v1/export?to=2000-01-01T00:00:00Z", "t0ken").await.text().await.unwrap();
        assert_eq!(past, "");
        problem(server.admin("/api/v1/export?from=yesterday", "t0ken").await, 400).await;
        problem(server.admin("/api/v1/export?format=xml", "t0ken").await, 400).await;

        let stats: Value = server.admin("/api/v1/stats", "t0ken").await.json().await.unwrap();
        assert_eq!(stats["total"], 3);
        assert_eq!(stats["byMethod"], json!({"accept_all": 1, "reject_all": 2}));
        assert_eq!(stats["byLanguage"], json!({"en": 3}));
        assert_eq!(stats["byCategory"]["analytics"], json!({"granted": 1, "denied": 2}));
        assert_eq!(stats["byCategory"]["necessary"], json!({"granted": 3, "denied": 0}));
        assert_eq!(stats["byDay"].as_object().unwrap().values().map(|v| v.as_i64().unwrap()).sum::<i64>(), 3);
    }

    cors_allows_only_the_listed_origins(server, &["--allowed-origins", "https://shop.example,https://www.shop.example"]) {
        let preflight = |origin: &'static str| {
            server
                .client
                .request(reqwest::Method::OPTIONS, format!("{}/api/v1/consents", server.base))
                .header("origin", origin)
                .header("access-control-request-method", "POST")
                .header("access-control-request-headers", "content-type")
                .send()
        };
        let allowed = preflight("https://shop.example").await.unwrap();
        assert_eq!(allowed.headers()["access-control-allow-origin"], "https://shop.example");
        let refused = preflight("https://evil.example").await.unwrap();
        assert!(refused.headers().get("access-control-allow-origin").is_none());
        assert!(refused.headers().get("access-control-allow-credentials").is_none());
    }

    writes_from_pages_of_other_origins_are_refused(server, &["--allowed-origins", "https://shop.example"]) {
        // A client of its own: the harness's sends the shop's Origin with everything.
        let client = reqwest::Client::new();
        let post = |headers: &[(&'static str, &'static str)], body: &Value| {
            let mut request = client
                .post(format!("{}/api/v1/consents", server.base))
                .header("content-type", "text/plain;charset=UTF-8")
                .body(body.to_string());
            for (name, value) in headers {
                request = request.header(*name, *value);
            }
            request.send()
        };
        // What a forged beacon from another site looks like: no preflight, so CORS never sees it.
        let detail = problem(post(&[("origin", "https://evil.example")], &record()).await.unwrap(), 403).await;
        assert!(detail.contains("https://evil.example") && detail.contains("Origin"), "{detail}");
        let detail = problem(post(&[("referer", "https://evil.example/page")], &record()).await.unwrap(), 403).await;
        assert!(detail.contains("https://evil.example") && detail.contains("Referer"), "{detail}");
        let detail = problem(post(&[("origin", "null")], &record()).await.unwrap(), 403).await;
        assert!(detail.contains("Referrer-Policy"), "{detail}");
        let detail = problem(post(&[], &record()).await.unwrap(), 403).await;
        assert!(detail.contains("no Origin or Referer"), "{detail}");
        // A listed page may not file records in another site's name.
        let mut elsewhere = record();
        elsewhere["origin"] = json!("https://evil.example");
        let detail = problem(post(&[("origin", "https://shop.example")], &elsewhere).await.unwrap(), 403).await;
        assert!(detail.contains("`origin`"), "{detail}");
        assert_eq!(server.count().await, 0, "nothing refused was stored");

        assert_eq!(post(&[("origin", "https://shop.example")], &record()).await.unwrap().status(), 201);
        assert_eq!(post(&[("referer", "https://shop.example/checkout")], &record()).await.unwrap().status(), 201);
        assert_eq!(server.count().await, 2);
    }

    without_allowed_origins_any_page_may_write(server, &[]) {
        let response = server
            .client
            .post(format!("{}/api/v1/consents", server.base))
            .header("origin", "https://elsewhere.example")
            .json(&record())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
    }

    a_client_sending_too_much_gets_429_with_retry_after(server, &["--rate-limit", "5"]) {
        for _ in 0..5 {
            assert_eq!(server.post(&record()).await.status(), 201);
        }
        let response = server.post(&record()).await;
        assert_eq!(response.status(), 429);
        let wait: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=60).contains(&wait));
        assert_eq!(server.count().await, 5);
    }

    retention_purges_old_records_and_the_chain_still_verifies(server, &[]) {
        for _ in 0..3 {
            server.post(&record()).await;
        }
        // Make the first two look old.
        sqlx::query("UPDATE consent_records SET received_at = received_at - 34560000000 WHERE seq <= 2")
            .execute(&server.store.pool)
            .await
            .unwrap();
        // That edit broke their hashes, as any edit must; the purge removes exactly those rows.
        let purged = retention::purge(&server.store, 365, Some("checkpoint-key")).await.unwrap();
        assert_eq!(purged, 2);
        assert_eq!(server.count().await, 1);
        let verdict = verify::verify_chain(&server.store, Some("checkpoint-key")).await.unwrap();
        assert_eq!(verdict, Verdict::Intact { rows: 1 });
        // New records continue the chain after the purge.
        server.post(&record()).await;
        assert_eq!(verify::verify_chain(&server.store, Some("checkpoint-key")).await.unwrap(), Verdict::Intact { rows: 2 });
        // A forged checkpoint is caught.
        let forged = verify::verify_chain(&server.store, Some("another-key")).await.unwrap();
        assert!(matches!(forged, Verdict::Broken { .. }), "{forged}");
    }

    the_history_of_an_unknown_consent_id_is_empty(server, &[]) {
        let id = uuid::Uuid::new_v4();
        let history: Value = server.get(&format!("/api/v1/consents/{id}")).await.json().await.unwrap();
        assert_eq!(history["records"], json!([]));
    }

    health_reports_the_version(server, &[]) {
        let health: Value = server.get("/healthz").await.json().await.unwrap();
        assert_eq!(health["status"], "ok");
        assert_eq!(health["version"], env!("CARGO_PKG_VERSION"));
    }
}

#[tokio::test]
async fn malformed_and_mistyped_bodies_never_get_a_5xx() {
    let server = common::start(common::Backend::Sqlite, &["--rate-limit", "0"]).await;
    let valid = record().to_string();
    // A fixed-seed xorshift, so any failure reproduces.
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let pieces = [
        "{",
        "}",
        "[",
        "]",
        "\"",
        ":",
        ",",
        "null",
        "true",
        "-1",
        "1e999",
        "\\u0000",
        "\u{1F600}",
        "\"method\"",
        "9999999999999999999999",
    ];
    for round in 0..300 {
        let mut bytes = valid.clone().into_bytes();
        match round % 4 {
            0 => {
                let at = next() as usize % bytes.len();
                bytes.truncate(at);
            }
            1 => {
                for _ in 0..(1 + next() % 8) {
                    let at = next() as usize % bytes.len();
                    bytes[at] = (next() % 256) as u8;
                }
            }
            2 => {
                let at = next() as usize % bytes.len();
                let piece = pieces[next() as usize % pieces.len()];
                bytes.splice(at..at, piece.bytes());
            }
            _ => {
                bytes = (0..(next() % 600)).map(|_| (next() % 256) as u8).collect();
            }
        }
        let content_type = if round % 3 == 0 { "text/plain" } else { "application/json" };
        let response = server.post_raw(content_type, bytes.clone()).await;
        let status = response.status().as_u16();
        assert!(status < 500, "round {round}: {status} for {:?}", String::from_utf8_lossy(&bytes));
    }
    // Valid but mistyped values in every field.
    let template: Value = serde_json::from_str(&valid).unwrap();
    for field in template.as_object().unwrap().keys() {
        for value in [json!(null), json!(-1), json!("x"), json!([]), json!({}), json!(1e300), json!("\u{0}")] {
            let mut body = template.clone();
            body[field] = value;
            body["recordId"] = json!(uuid::Uuid::new_v4());
            let status = server.post(&body).await.status().as_u16();
            assert!(status < 500, "{field}: {status}");
        }
    }
}

#[tokio::test]
async fn dismiss_is_not_a_method_since_closing_the_banner_records_nothing() {
    let server = common::start(common::Backend::Sqlite, &[]).await;
    let mut dismissed = record();
    dismissed["method"] = json!("dismiss");
    let detail = problem(server.post(&dismissed).await, 400).await;
    assert!(detail.starts_with("`method`") && detail.contains("`dismiss`") && detail.contains("`gpc`"), "{detail}");
    assert_eq!(server.count().await, 0);
}
