//! Errors as RFC 9457 problem documents: a status and a reason a developer can act on.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// When a client should retry after a 503: long enough for a stalled database or a restart
/// to recover, short enough that a visitor's record still goes out during their visit.
pub const RETRY_AFTER_SECONDS: u64 = 5;

#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    #[serde(skip)]
    pub status: StatusCode,
    pub title: String,
    pub detail: String,
    #[serde(skip)]
    pub retry_after: Option<u64>,
}

impl Problem {
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Problem {
        Problem {
            status,
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            detail: detail.into(),
            retry_after: None,
        }
    }

    pub fn bad_request(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::BAD_REQUEST, detail)
    }

    /// A 503 that says when to try again: the server, not the request, is at fault.
    pub fn unavailable(detail: impl Into<String>) -> Problem {
        Problem { retry_after: Some(RETRY_AFTER_SECONDS), ..Problem::new(StatusCode::SERVICE_UNAVAILABLE, detail) }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        #[derive(Serialize)]
        struct Body<'a> {
            status: u16,
            title: &'a str,
            detail: &'a str,
        }
        let body = Body { status: self.status.as_u16(), title: &self.title, detail: &self.detail };
        let mut response = (self.status, Json(body)).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if let Some(seconds) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}
