//! The CSV export read back by a CSV reader: fields with commas, quotes and line breaks come
//! back whole, and a field that a spreadsheet would run as a formula comes back defused.

mod common;

use common::{Backend, record};
use consent_server::store::{Row, Tail};
use consent_widget::core::record::ConsentRecord;
use serde_json::json;

#[tokio::test]
async fn every_field_comes_back_whole_and_formulas_come_back_defused() {
    let server = common::start(Backend::Sqlite, &["--admin-token", "t0ken"]).await;
    // Through the API: a path with a comma and quotes, a version a spreadsheet reads as a sum.
    let mut sent = record();
    sent["path"] = json!("/cart,\"gift\"");
    sent["widgetVersion"] = json!("-2+3");
    sent["granted"] = json!(["necessary", "analytics"]);
    sent["denied"] = json!(["marketing"]);
    assert_eq!(server.post(&sent).await.status(), 201);
    // Straight into the log, since no request can carry it: a user agent with a line break
    // and a formula.
    let tail: Tail = server.store.head(0).await.unwrap();
    let stored = ConsentRecord::from_json(&record().to_string()).unwrap();
    let agent = "=HYPERLINK(\"https://evil.example\",\"a\")\r\nsecond line";
    let row = Row::new(tail.seq + 1, &stored, common::now_millis(), agent, &tail.hash);
    let mut connection = server.store.pool.acquire().await.unwrap();
    server.store.insert_all(&mut connection, &[&row]).await.unwrap();

    let response = server.admin("/api/v1/export?format=csv", "t0ken").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
    let text = response.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header.len(), 18);
    assert_eq!(header[..4], ["seq", "recordId", "consentId", "method"]);
    let column = |name: &str| header.iter().position(|column| column == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(&rows[0][column("path")], "/cart,\"gift\"");
    assert_eq!(&rows[0][column("widgetVersion")], "'-2+3");
    assert_eq!(&rows[0][column("granted")], r#"["analytics","necessary"]"#);
    assert_eq!(&rows[0][column("recordId")], sent["recordId"].as_str().unwrap());
    assert_eq!(&rows[1][column("userAgent")], format!("'{agent}"));
    assert_eq!(&rows[1][column("prevHash")], &rows[0][column("hash")]);
    // One line per record outside quoted fields: the header, two rows, and the break inside
    // the quoted user agent.
    assert_eq!(text.matches('\n').count(), 4);
}
