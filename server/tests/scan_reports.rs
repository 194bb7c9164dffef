//! The scheduled scans' reports, as the server keeps them: on the dashboard (the latest
//! verdict, the trend, each report one click away under a policy of its own) and checked by
//! `verify`, which names a report changed after it was written or signed under another key.
//! (The scan itself, consent-scan run on a schedule, is tested with the scanner:
//! scan/tests/scheduled.rs.)

mod common;

use common::admin::{TOKEN, get, sign_in};
use common::now_millis;
use consent_server::log::scans::{report_hash, sign};
use consent_server::log::verify::verify_chain;
use consent_server::store::Store;
use consent_server::store::scans::ScanReport;
use consent_server::store::verify::Verdict;

const KEY: &str = "scan-test-key";

fn scan(started_at: i64, violations: i64) -> ScanReport {
    let json = format!(r#"{{"exitStatus": {}, "summary": {{"violation": {violations}}}}}"#, i64::from(violations > 0));
    let html = format!(
        "<!DOCTYPE html><title>Consent scan</title><style>p {{ color: red }}</style><p>{violations} violations</p>"
    );
    let mut report = ScanReport {
        id: 0,
        started_at,
        site: "https://shop.example/".into(),
        exit_status: i64::from(violations > 0),
        pages: 3,
        violations,
        undeclared: 2,
        lifetime: 0,
        category: 1,
        unseen: 4,
        report_hash: report_hash(&json, &html),
        report_json: json,
        report_html: html,
        signature: String::new(),
    };
    report.signature = sign(Some(KEY), &report);
    report
}

async fn two_scans(store: &Store) -> (i64, i64) {
    let day = 86_400_000;
    let first = store.add_scan(&scan(now_millis() - day, 5)).await.unwrap();
    let second = store.add_scan(&scan(now_millis(), 2)).await.unwrap();
    (first, second)
}

on_both_databases! {
    the_dashboard_shows_the_last_scans_and_opens_each_report(server, &["--admin-token", TOKEN, "--checkpoint-key", KEY]) {
        let cookie = sign_in(&server).await;
        let before = get(&server, "/admin/", &cookie).await.text().await.unwrap();
        assert!(!before.contains("Site scans"), "no section before any scan");

        let (first, second) = two_scans(&server.store).await;
        let page = get(&server, "/admin/", &cookie).await.text().await.unwrap();
        assert!(page.contains(r#"<h2 id="scans-heading">Site scans</h2>"#), "{page}");
        assert!(page.contains(r#"<strong data-scan="verdict">2 violations</strong> (the scan before: 5)"#), "{page}");
        assert!(page.contains(&format!(r#"<a href="/admin/scans/{second}">Open its report</a>"#)), "{page}");
        let counts = common::admin::counts(&page);
        assert_eq!(counts[&format!("scan-violations:{first}")], 5);
        assert_eq!(counts[&format!("scan-violations:{second}")], 2);

        let report = get(&server, &format!("/admin/scans/{second}"), &cookie).await;
        assert_eq!(report.status(), 200);
        let policy = report.headers()["content-security-policy"].to_str().unwrap().to_string();
        assert!(policy.contains("style-src 'unsafe-inline'") && policy.contains("img-src data:"), "{policy}");
        assert!(!policy.contains("script"), "{policy}");
        assert!(report.text().await.unwrap().contains("<p>2 violations</p>"));
        // The dashboard's own pages keep the dashboard's policy.
        let dashboard = get(&server, "/admin/", &cookie).await;
        assert_eq!(dashboard.headers()["content-security-policy"], consent_server::admin::CONTENT_SECURITY_POLICY);

        assert_eq!(get(&server, "/admin/scans/999999", &cookie).await.status(), 404);
        // Without a session, no report.
        let anonymous = common::admin::browser().get(format!("{}/admin/scans/{second}", server.base)).send().await.unwrap();
        assert_eq!(anonymous.status(), 303);
    }

    verify_names_a_report_changed_after_it_was_written(server, &["--admin-token", TOKEN]) {
        let (first, _) = two_scans(&server.store).await;
        assert!(matches!(verify_chain(&server.store, Some(KEY)).await.unwrap(), Verdict::Intact { .. }));
        // Signed under the key: another key does not accept them.
        let Verdict::Broken { record_id, reason, .. } = verify_chain(&server.store, Some("another key")).await.unwrap() else {
            panic!("a report signed under another key");
        };
        assert_eq!(record_id, format!("(scan report {first})"));
        assert!(reason.contains("signature"), "{reason}");

        // The HTML changed behind the server's back: the hash no longer matches.
        sqlx::query("UPDATE scan_reports SET report_html = REPLACE(report_html, '5 violations', '0 violations') WHERE id = $1")
            .bind(first)
            .execute(&server.store.pool)
            .await
            .unwrap();
        let Verdict::Broken { record_id, reason, .. } = verify_chain(&server.store, Some(KEY)).await.unwrap() else {
            panic!("a changed report passed");
        };
        assert_eq!(record_id, format!("(scan report {first})"));
        assert!(reason.contains("changed after it was written"), "{reason}");
    }
}
