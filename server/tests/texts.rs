//! The text behind each record's hash: asked for by the receipt, kept once per hash, given back
//! to the admin, and written into the audit export, against a real server and database.

mod common;

use common::{TestServer, record};
use consent_widget::core::record::{SHOWN_TEXT_HEADER, hex};
use serde_json::Value;
use sha2::{Digest, Sha256};

const TOKEN: &str = "texts-token";

/// A shown text as the widget writes one, and its hash.
fn shown_text(retention_days: u32) -> (String, String) {
    let text = format!(
        "{SHOWN_TEXT_HEADER}banner.title\tWe use cookies\nconfig.revision\t1\nrecords.retentionDays\t{retention_days}\n"
    );
    let hash = hex(&Sha256::digest(text.as_bytes()));
    (text, hash)
}

async fn send_text(server: &TestServer, path: &str, text: &str) -> reqwest::Response {
    server
        .client
        .post(format!("{}{path}", server.base))
        .header("content-type", "text/plain;charset=UTF-8")
        .body(text.to_string())
        .send()
        .await
        .unwrap()
}

async fn detail(response: reqwest::Response, status: u16) -> String {
    assert_eq!(response.status(), status);
    let body: Value = response.json().await.unwrap();
    body["detail"].as_str().unwrap().to_string()
}

on_both_databases! {
    the_receipt_asks_for_the_text_once_it_is_kept_and_given_back(server, &["--admin-token", TOKEN]) {
        let (text, hash) = shown_text(1095);
        let mut sent = record();
        sent["textHash"] = hash.clone().into();
        let receipt: Value = server.post(&sent).await.json().await.unwrap();
        let path = receipt["sendText"].as_str().expect("the server asks for the text it lacks").to_string();
        assert_eq!(path, format!("/api/v1/texts/{hash}"));

        assert_eq!(send_text(&server, &path, &text).await.status(), 201);
        // Sent again (a second tab, a retry): kept once.
        assert_eq!(send_text(&server, &path, &text).await.status(), 200);
        let kept = server.admin(&path, TOKEN).await;
        assert_eq!(kept.status(), 200);
        assert_eq!(kept.text().await.unwrap(), text);
        assert_eq!(server.get(&path).await.status(), 401, "the text is the admin's to read");

        // The next record on the same text is not asked for it again.
        let mut next = record();
        next["textHash"] = hash.clone().into();
        let receipt: Value = server.post(&next).await.json().await.unwrap();
        assert!(receipt.get("sendText").is_none(), "{receipt}");
    }

    a_text_is_kept_only_when_it_is_one_and_a_record_rests_on_it(server, &["--admin-token", TOKEN]) {
        let (text, hash) = shown_text(1095);
        let path = format!("/api/v1/texts/{hash}");
        let no_record = detail(send_text(&server, &path, &text).await, 404).await;
        assert!(no_record.contains("no record names"), "{no_record}");

        let mut sent = record();
        sent["textHash"] = hash.clone().into();
        server.post(&sent).await;
        let other = detail(send_text(&server, &path, &format!("{text}extra\tline\n")).await, 400).await;
        assert!(other.contains("SHA-256") && other.contains(&hash), "{other}");
        let not_shown = detail(send_text(&server, &format!("/api/v1/texts/{}", hex(&Sha256::digest(b"hello"))), "hello").await, 400).await;
        assert!(not_shown.contains("starts with the line"), "{not_shown}");
        let bad_hash = detail(send_text(&server, "/api/v1/texts/ABC", &text).await, 400).await;
        assert!(bad_hash.contains("64 lower-case hex digits"), "{bad_hash}");
        let too_long = send_text(&server, &path, &format!("{SHOWN_TEXT_HEADER}{}", "x".repeat(600 * 1024))).await;
        assert_eq!(too_long.status(), 413);
        assert_eq!(server.admin(&path, TOKEN).await.status(), 404, "nothing was kept");
    }

    the_audit_export_gives_each_text_once_and_it_hashes_to_its_records(server, &["--admin-token", TOKEN]) {
        let (kept_text, kept_hash) = shown_text(1095);
        let (_, missing_hash) = shown_text(30);
        for hash in [&kept_hash, &kept_hash, &missing_hash] {
            let mut sent = record();
            sent["textHash"] = hash.clone().into();
            server.post(&sent).await;
        }
        assert_eq!(send_text(&server, &format!("/api/v1/texts/{kept_hash}"), &kept_text).await.status(), 201);
        let plain = server.admin("/api/v1/export", TOKEN).await.text().await.unwrap();
        let audit = server.admin("/api/v1/export?format=audit", TOKEN).await.text().await.unwrap();
        let lines: Vec<Value> = audit.lines().map(|line| serde_json::from_str(line).unwrap()).collect();
        assert_eq!(lines.len(), 5, "two texts and three records:\n{audit}");
        // Each record as in the plain export, the text behind it given before it.
        let records: Vec<&Value> = lines.iter().filter(|line| line.get("seq").is_some()).collect();
        let plain: Vec<Value> = plain.lines().map(|line| serde_json::from_str(line).unwrap()).collect();
        assert_eq!(records, plain.iter().collect::<Vec<_>>());
        let mut texts = std::collections::HashMap::new();
        for line in &lines {
            if let Some(shown) = line.get("shownText") {
                assert!(texts.insert(shown["hash"].as_str().unwrap().to_string(), shown["text"].clone()).is_none());
            } else {
                let hash = line["textHash"].as_str().unwrap();
                let text = texts.get(hash).expect("the text line comes before its first record");
                match text.as_str() {
                    Some(text) => assert_eq!(hex(&Sha256::digest(text.as_bytes())), hash),
                    None => assert_eq!(hash, missing_hash, "only the text never sent is missing"),
                }
            }
        }
    }
}

#[tokio::test]
async fn a_site_stating_another_retention_than_the_server_keeps_is_warned_about() {
    let logged = common::logs::problems_logged_during(async {
        let server = common::start(common::Backend::Sqlite, &["--retention-days", "365"]).await;
        for days in [365, 730] {
            let (text, hash) = shown_text(days);
            let mut sent = record();
            sent["textHash"] = hash.clone().into();
            server.post(&sent).await;
            assert_eq!(send_text(&server, &format!("/api/v1/texts/{hash}"), &text).await.status(), 201);
        }
    })
    .await;
    assert_eq!(logged.matches("make them agree").count(), 1, "{logged}");
    assert!(logged.contains("kept 730 days") && logged.contains("keeps them 365"), "{logged}");
}
