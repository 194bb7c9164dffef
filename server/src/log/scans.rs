//! Scheduled scans of the site (`--scan URL --scan-every 24h`): consent-scan visits it as a
//! visitor would and judges what it stores and sends. Each report is kept whole (JSON and
//! HTML), with the SHA-256 of both and an HMAC over that hash under the checkpoint key, so that
//! an audit can show what was checked and when, and `verify` can tell a report changed after
//! it was written. The server that maintains the log runs them (see [`crate::log::maintenance`]).

use crate::store::Store;
use crate::store::scans::ScanReport;
use crate::store::verify::Verdict;
use consent_widget::core::record::hex;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// The longest a scan may run before it is stopped and counted as failed.
const SCAN_LIMIT: Duration = Duration::from_secs(30 * 60);
/// Reports read per query by `verify`.
const PAGE: i64 = 20;

/// What to scan, how often, and with what.
#[derive(Debug, Clone)]
pub struct Schedule {
    pub site: String,
    pub every: Duration,
    pub pages: u32,
    pub command: PathBuf,
    pub key: Option<String>,
    /// A scan under way: the next waits for it.
    running: Arc<AtomicBool>,
}

impl Schedule {
    pub fn new(site: String, every: Duration, pages: u32, command: PathBuf, key: Option<String>) -> Schedule {
        Schedule { site, every, pages, command, key, running: Arc::default() }
    }

    /// Starts a scan if the last one began `every` ago or more (or there is none) and none is
    /// under way; it runs in the background and stores its report.
    pub async fn run_if_due(&self, store: &Store, now: i64) {
        let latest = match store.latest_scans(1).await {
            Ok(latest) => latest.first().map(|scan| scan.started_at),
            Err(error) => return crate::logs::error("cannot read the latest scan", &error),
        };
        let due = latest.is_none_or(|started| now - started >= self.every.as_millis() as i64);
        if !due || self.running.swap(true, Ordering::SeqCst) {
            return;
        }
        let (schedule, store) = (self.clone(), store.clone());
        tokio::spawn(async move {
            match schedule.scan(&store, now).await {
                Ok((id, report)) => tracing::info!(
                    scan = id,
                    site = %schedule.site,
                    exit_status = report.exit_status,
                    violations = report.violations,
                    "site scanned"
                ),
                Err(error) => crate::logs::error("the scheduled scan failed", &error),
            }
            schedule.running.store(false, Ordering::SeqCst);
        });
    }

    /// Runs consent-scan once and stores its report.
    async fn scan(&self, store: &Store, started_at: i64) -> Result<(i64, ScanReport), String> {
        let folder = tempfile_folder()?;
        let (json_path, html_path) = (folder.join("report.json"), folder.join("report.html"));
        let run = tokio::process::Command::new(&self.command)
            .arg(&self.site)
            .arg("--pages")
            .arg(self.pages.to_string())
            .arg("--quiet")
            .arg("--json")
            .arg(&json_path)
            .arg("--html")
            .arg(&html_path)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .kill_on_drop(true)
            .output();
        let outcome = tokio::time::timeout(SCAN_LIMIT, run).await;
        let read = || -> Result<(String, String), String> {
            let json = std::fs::read_to_string(&json_path).map_err(|error| format!("no JSON report: {error}"))?;
            let html = std::fs::read_to_string(&html_path).map_err(|error| format!("no HTML report: {error}"))?;
            Ok((json, html))
        };
        let result = match outcome {
            Err(_) => {
                Err(format!("{} did not finish within {} minutes", self.command.display(), SCAN_LIMIT.as_secs() / 60))
            }
            Ok(Err(error)) => Err(format!(
                "cannot run {}: {error} (install it, or name it with --scan-command)",
                self.command.display()
            )),
            Ok(Ok(output)) => read().map_err(|problem| {
                format!("{problem}; consent-scan said: {}", String::from_utf8_lossy(&output.stderr).trim())
            }),
        };
        let _ = std::fs::remove_dir_all(&folder);
        let (json, html) = result?;
        let mut report = from_json(&self.site, started_at, json, html)?;
        report.signature = sign(self.key.as_deref(), &report);
        let id = store.add_scan(&report).await.map_err(|error| format!("cannot store the report: {error}"))?;
        Ok((id, report))
    }
}

/// The report's numbers, read from its JSON; its hash over both forms.
fn from_json(site: &str, started_at: i64, json: String, html: String) -> Result<ScanReport, String> {
    let value: serde_json::Value =
        serde_json::from_str(&json).map_err(|error| format!("unreadable JSON report: {error}"))?;
    let number =
        |path: &[&str]| path.iter().try_fold(&value, |node, key| node.get(key)).and_then(|n| n.as_i64()).unwrap_or(0);
    Ok(ScanReport {
        id: 0,
        started_at,
        site: site.to_string(),
        exit_status: number(&["exitStatus"]),
        pages: number(&["summary", "pages"]),
        violations: number(&["summary", "violation"]),
        undeclared: number(&["summary", "undeclared"]),
        lifetime: number(&["summary", "lifetime"]),
        category: number(&["summary", "category"]),
        unseen: number(&["summary", "unseen"]),
        report_hash: report_hash(&json, &html),
        report_json: json,
        report_html: html,
        signature: String::new(),
    })
}

/// SHA-256 of the JSON report, a zero byte and the HTML report, as hex.
pub fn report_hash(json: &str, html: &str) -> String {
    let mut digest = Sha256::new();
    digest.update(json.as_bytes());
    digest.update([0u8]);
    digest.update(html.as_bytes());
    hex(&digest.finalize())
}

/// The HMAC-SHA256 under `key` of `scan:<started_at>:<site>:<hash>`; empty without a key. The
/// prefix keeps it from passing for a checkpoint's signature.
pub fn sign(key: Option<&str>, report: &ScanReport) -> String {
    let Some(key) = key else { return String::new() };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key.as_bytes()) else { return String::new() };
    mac.update(format!("scan:{}:{}:{}", report.started_at, report.site, report.report_hash).as_bytes());
    hex(&mac.finalize().into_bytes())
}

/// Checks every stored report: its hash recomputed from its texts, and its signature when a
/// key is given. The first that does not check out, as a broken verdict.
pub async fn verify(store: &Store, key: Option<&str>) -> Result<Option<Verdict>, sqlx::Error> {
    let mut after = 0;
    loop {
        let page = store.scans_after(after, PAGE).await?;
        let Some(last) = page.last() else { return Ok(None) };
        after = last.id;
        for report in page {
            let reason = if report_hash(&report.report_json, &report.report_html) != report.report_hash {
                Some("its text was changed after it was written: the hash does not match")
            } else if key.is_some() && sign(key, &report) != report.signature {
                Some("its signature does not match (forged, or signed under another key)")
            } else {
                None
            };
            if let Some(reason) = reason {
                return Ok(Some(Verdict::Broken {
                    seq: 0,
                    record_id: format!("(scan report {})", report.id),
                    reason: format!(
                        "the report of the scan of {} at {}: {reason}",
                        report.site,
                        crate::time::rfc3339(report.started_at)
                    ),
                }));
            }
        }
    }
}

/// The consent-scan binary beside this server's, else the one on PATH.
pub fn default_command() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|folder| folder.join("consent-scan")))
        .filter(|candidate| candidate.is_file())
        .unwrap_or_else(|| PathBuf::from("consent-scan"))
}

fn tempfile_folder() -> Result<PathBuf, String> {
    let folder =
        std::env::temp_dir().join(format!("consent-server-scan-{}-{}", std::process::id(), uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&folder).map_err(|error| format!("cannot create {}: {error}", folder.display()))?;
    Ok(folder)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> ScanReport {
        from_json(
            "https://shop.example/",
            1_800_000_000_000,
            r#"{"exitStatus": 1, "summary": {"pages": 3, "violation": 2, "undeclared": 1, "lifetime": 0, "category": 0, "unseen": 4}}"#.into(),
            "<!DOCTYPE html><title>report</title>".into(),
        )
        .unwrap()
    }

    #[test]
    fn a_reports_numbers_come_from_its_json_and_its_hash_covers_both_forms() {
        let report = report();
        assert_eq!((report.exit_status, report.pages, report.violations, report.unseen), (1, 3, 2, 4));
        assert_eq!(report.report_hash, report_hash(&report.report_json, &report.report_html));
        assert_ne!(report.report_hash, report_hash(&report.report_json, "<!DOCTYPE html><title>other</title>"));
        // The zero byte keeps a moved boundary from giving the same hash.
        assert_ne!(report_hash("ab", "c"), report_hash("a", "bc"));
        assert!(from_json("x", 0, "not json".into(), String::new()).is_err());
    }

    #[test]
    fn a_signature_covers_time_site_and_hash_under_its_key() {
        let report = report();
        let signature = sign(Some("key"), &report);
        assert_eq!(signature.len(), 64);
        assert_ne!(signature, sign(Some("other key"), &report));
        assert_ne!(signature, sign(Some("key"), &ScanReport { started_at: 1, ..report.clone() }));
        assert_ne!(
            signature,
            sign(Some("key"), &ScanReport { site: "https://other.example/".into(), ..report.clone() })
        );
        assert_eq!(sign(None, &report), "");
    }
}
