//! consent-server scanning its own site on a schedule (`--scan`): the report is stored, shown,
//! and checked by `consent-server verify`, which names it once it has been changed.

mod common;

use common::{DemoServer, require_chromium, server_binary};
use std::path::Path;
use std::time::{Duration, Instant};

const KEY: &str = "scheduled-scan-key";

/// One query on the SQLite file, through Python's sqlite3 module (the end-to-end tests use it
/// too): the first column of each row.
fn sqlite(file: &Path, sql: &str) -> Vec<String> {
    // Autocommit: an UPDATE is written at once.
    let script = "import sqlite3, sys\nfor row in sqlite3.connect(sys.argv[1], isolation_level=None).execute(sys.argv[2]):\n    print(row[0])\n";
    let output = std::process::Command::new("python3").args(["-c", script]).arg(file).arg(sql).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).lines().map(str::to_string).collect()
}

fn verify(server: &DemoServer) -> (Option<i32>, String) {
    let output = std::process::Command::new(server_binary())
        .args(["verify", "--database-url", &server.database_url, "--checkpoint-key", KEY])
        .output()
        .unwrap();
    (output.status.code(), String::from_utf8_lossy(&output.stdout).into_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_scans_its_site_on_schedule_and_verify_guards_the_report() {
    require_chromium();
    common::built_widget();
    let mut server = DemoServer::start_with(|site| {
        [
            "--scan",
            site,
            "--scan-every",
            "1h",
            "--scan-pages",
            "2",
            "--scan-command",
            env!("CARGO_BIN_EXE_consent-scan"),
            "--checkpoint-key",
            KEY,
            "--checkpoint-interval",
            "1",
        ]
        .iter()
        .map(|flag| flag.to_string())
        .collect()
    })
    .await;
    // The first scan starts within a maintenance round of the start, and takes a few seconds.
    let deadline = Instant::now() + Duration::from_secs(150);
    let file = server.database_file();
    while sqlite(&file, "SELECT COUNT(*) FROM scan_reports") != ["1"] {
        assert!(Instant::now() < deadline, "no scan report within 150 s");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let stored =
        sqlite(&file, "SELECT site || ' ' || exit_status || ' ' || violations || ' ' || pages FROM scan_reports");
    assert_eq!(stored, [format!("{} 0 0 2", server.url())], "the demo keeps its promise");
    let html = sqlite(&file, "SELECT substr(report_html, 1, 15) FROM scan_reports");
    assert_eq!(html, ["<!DOCTYPE html>"]);
    server.stop().await;

    let (status, said) = verify(&server);
    assert_eq!(status, Some(0), "{said}");
    assert!(said.contains("chain intact"), "{said}");

    // The report changed after it was written: verify names it.
    sqlite(
        &file,
        "UPDATE scan_reports SET report_json = replace(report_json, '\"exitStatus\": 0', '\"exitStatus\": 1')",
    );
    let changed = sqlite(&file, "SELECT instr(report_json, '\"exitStatus\": 1') > 0 FROM scan_reports");
    assert_eq!(changed, ["1"], "the test changed the report");
    let (status, said) = verify(&server);
    assert_eq!(status, Some(2), "{said}");
    assert!(said.contains("(scan report 1)") && said.contains("changed after it was written"), "{said}");
}
