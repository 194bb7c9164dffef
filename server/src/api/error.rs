//! What a request can fail with. Handlers return `Result<_, ApiError>` and use `?`; each error
//! is answered as a problem document ([`Problem`]) with its status and a reason a developer can
//! act on, and the server's own failures are logged, never shown.

use super::problem::Problem;
use crate::log::writer::WriterError;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use consent_widget::core::record::RecordError;
use http_body_util::LengthLimitError;
use tower_http::timeout::TimeoutError;

#[derive(Debug)]
pub enum ApiError {
    /// The request is malformed; the text says how.
    BadRequest(String),
    /// An admin endpoint without the admin token.
    Unauthorized,
    /// Refused for where it comes from (`--allowed-origins`); the text says why.
    Forbidden(String),
    NotFound(String),
    MethodNotAllowed,
    /// The body did not arrive within `--body-timeout`.
    BodyTimeout,
    /// A record id already stored with other content; the text names the field.
    Conflict(String),
    /// A body over its limit: what it should have been (`a record`), and the limit.
    PayloadTooLarge {
        what: &'static str,
        max_bytes: usize,
    },
    /// Neither JSON nor text/plain: the text is the content type sent.
    UnsupportedMediaType(String),
    /// Over the client's rate limit: it may send again in this many seconds.
    RateLimited {
        retry_after: u64,
    },
    /// The database failed.
    Database(sqlx::Error),
    /// The database did not answer within `--database-timeout`.
    DatabaseTimeout,
    /// The writer could not store the record.
    Writer(WriterError),
    /// The answer did not start within `--request-timeout`: something is stuck.
    TooSlow,
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> ApiError {
        ApiError::Database(error)
    }
}

impl From<WriterError> for ApiError {
    fn from(error: WriterError) -> ApiError {
        ApiError::Writer(error)
    }
}

impl From<RecordError> for ApiError {
    fn from(error: RecordError) -> ApiError {
        ApiError::BadRequest(error.to_string())
    }
}

impl ApiError {
    /// The problem document that answers this error.
    pub fn problem(&self) -> Problem {
        match self {
            ApiError::BadRequest(detail) => Problem::bad_request(detail.as_str()),
            ApiError::Unauthorized => {
                Problem::new(StatusCode::UNAUTHORIZED, "send `Authorization: Bearer <admin token>`")
            }
            ApiError::Forbidden(detail) => Problem::new(StatusCode::FORBIDDEN, detail.as_str()),
            ApiError::NotFound(detail) => Problem::new(StatusCode::NOT_FOUND, detail.as_str()),
            ApiError::MethodNotAllowed => Problem::new(StatusCode::METHOD_NOT_ALLOWED, "method not allowed here"),
            ApiError::BodyTimeout => {
                Problem::new(StatusCode::REQUEST_TIMEOUT, "the body did not arrive in time; send it again")
            }
            ApiError::Conflict(detail) => Problem::new(StatusCode::CONFLICT, detail.as_str()),
            ApiError::PayloadTooLarge { what, max_bytes } => {
                Problem::new(StatusCode::PAYLOAD_TOO_LARGE, format!("{what} is at most {max_bytes} bytes"))
            }
            ApiError::UnsupportedMediaType(content_type) => Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!("send the record as application/json (or text/plain for sendBeacon), not `{content_type}`"),
            ),
            ApiError::RateLimited { retry_after } => Problem {
                retry_after: Some(*retry_after),
                ..Problem::new(StatusCode::TOO_MANY_REQUESTS, format!("too many requests: retry in {retry_after} s"))
            },
            ApiError::Database(_) => Problem::unavailable("the consent log is unavailable right now; retry later"),
            ApiError::DatabaseTimeout => Problem::unavailable("the consent log did not answer in time; retry later"),
            ApiError::Writer(error) => Problem::unavailable(error.to_string()),
            ApiError::TooSlow => Problem::unavailable("the server took too long to answer this request"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        // Logged once however often it repeats (see `crate::logs`); the client only learns
        // when to retry.
        if let ApiError::Database(error) = &self {
            crate::logs::error("database error", error);
        }
        self.problem().into_response()
    }
}

/// Why the body could not be read: too long (`what` is at most `max_bytes`), too slow, or the
/// connection broke.
pub fn unreadable_body(error: axum::Error, what: &'static str, max_bytes: usize) -> ApiError {
    if caused_by::<LengthLimitError>(&error) {
        ApiError::PayloadTooLarge { what, max_bytes }
    } else if caused_by::<TimeoutError>(&error) {
        ApiError::BodyTimeout
    } else {
        ApiError::BadRequest("the body could not be read".to_string())
    }
}

fn caused_by<E: std::error::Error + 'static>(error: &(dyn std::error::Error + 'static)) -> bool {
    std::iter::successors(Some(error), |error| error.source()).any(|error| error.is::<E>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_server_s_failures_are_503_with_retry_after_and_say_nothing_of_the_database() {
        let failures = [
            ApiError::Database(sqlx::Error::Protocol("password authentication failed for user admin".into())),
            ApiError::DatabaseTimeout,
            ApiError::Writer(WriterError::Unavailable),
            ApiError::TooSlow,
        ];
        for failure in failures {
            let problem = failure.problem();
            assert_eq!(problem.status, StatusCode::SERVICE_UNAVAILABLE, "{failure:?}");
            assert_eq!(problem.retry_after, Some(super::super::problem::RETRY_AFTER_SECONDS));
            assert!(!problem.detail.contains("admin"), "{}", problem.detail);
        }
    }

    #[test]
    fn a_client_over_its_limit_is_told_when_to_come_back() {
        let problem = ApiError::RateLimited { retry_after: 7 }.problem();
        assert_eq!(problem.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(problem.retry_after, Some(7));
        assert_eq!(problem.detail, "too many requests: retry in 7 s");
    }
}
