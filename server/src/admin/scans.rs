//! The site's scheduled scans on the dashboard: the latest scan's verdict and the trend of the
//! last ones, each with its HTML report one click away (served under a policy of its own: the
//! report is one self-contained file with inline styles and images, and no script).

use super::Admin;
use super::html::{count, escape};
use super::page::message;
use crate::api::rfc3339;
use crate::store::scans::ScanReport;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use std::fmt::Write;

/// How many scans the trend shows.
pub const TREND: i64 = 10;

/// The report's own policy: its inline styles and screenshots, nothing else.
const REPORT_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; \
    form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

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

/// The HTML report of scan `id`, as consent-scan wrote it.
pub async fn report(State(admin): State<Admin>, Path(id): Path<i64>) -> Response {
    match crate::api::within(admin.api.database_timeout, admin.api.store.scan(id)).await {
        Ok(Some(scan)) => {
            let mut response = Html(scan.report_html).into_response();
            response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(REPORT_POLICY));
            response
        }
        Ok(None) => (StatusCode::NOT_FOUND, Html(message("Not found", "No scan of that number."))).into_response(),
        Err(error) => {
            let problem = error.problem();
            (problem.status, Html(message("Consent log unavailable", &problem.detail))).into_response()
        }
    }
}
