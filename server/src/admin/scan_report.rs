//! One scheduled scan's HTML report, as consent-scan wrote it, served under a policy of its own:
//! the report is one self-contained file with inline styles and images, and no script.

use super::Admin;
use super::page::message;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

/// The report's own policy: its inline styles and screenshots, nothing else.
const REPORT_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; \
    form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

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
