//! The site's scheduled scans on the dashboard: the latest scan's verdict and the trend of the
//! last ones, each with its HTML report one click away (see [`super::scan_report`]).

use super::html::{count, escape};
use crate::store::scans::ScanReport;
use crate::time::rfc3339;
use std::fmt::Write;

/// How many scans the trend shows.
pub const TREND: i64 = 10;

/// The section, newest scan first; nothing when there has been no scan.
pub fn section(scans: &[ScanReport]) -> String {
    let Some(latest) = scans.first() else { return String::new() };
    let verdict = match latest.exit_status {
        0 => r#"<strong data-scan="verdict">No violation</strong>"#.to_string(),
        1 => format!(r#"<strong data-scan="verdict">{} violations</strong>"#, count(latest.violations)),
        _ => r#"<strong data-scan="verdict">Not scanned</strong> (see the report)"#.to_string(),
    };
    let trend = match scans.get(1) {
        Some(before) if before.violations != latest.violations => {
            format!(" (the scan before: {})", count(before.violations))
        }
        Some(_) => " (as in the scan before)".to_string(),
        None => String::new(),
    };
    let mut rows = String::new();
    for scan in scans {
        let _ = write!(
            rows,
            r#"<tr><th scope="row">{}</th><td>{}</td><td data-count="scan-violations:{}">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><a href="/admin/scans/{}">Report</a></td></tr>"#,
            rfc3339(scan.started_at),
            count(scan.pages),
            scan.id,
            count(scan.violations),
            count(scan.undeclared),
            count(scan.lifetime),
            count(scan.category),
            count(scan.unseen),
            scan.id
        );
    }
    format!(
        r#"<section aria-labelledby="scans-heading"><h2 id="scans-heading">Site scans</h2><p>Last scan of {} at {}: {verdict}{trend}. <a href="/admin/scans/{}">Open its report</a>.</p><table><caption>The last scans, newest first</caption><thead><tr><th scope="col">Started</th><th scope="col">Pages</th><th scope="col">Violations</th><th scope="col">Undeclared</th><th scope="col">Lifetime</th><th scope="col">Category</th><th scope="col">Unseen</th><th scope="col">Report</th></tr></thead><tbody>{rows}</tbody></table></section>"#,
        escape(&latest.site),
        rfc3339(latest.started_at),
        latest.id
    )
}
