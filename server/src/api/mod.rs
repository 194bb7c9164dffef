//! The record API under `/api/v1`: thin handlers over the store and the writer.

pub mod admin;
pub mod client_address;
pub mod consents;
pub mod error;
pub mod origin;
pub mod problem;
pub mod ratelimit;
pub mod texts;
pub mod user_agent;

use crate::log::writer::Writer;
use crate::store::Store;
use axum::Router;
use axum::http::{HeaderValue, Method, header};
use axum::routing::{get, post};
use error::ApiError;
use ratelimit::RateLimiter;
use std::future::Future;
use std::time::Duration;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use tower_http::cors::{AllowOrigin, CorsLayer};

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub writer: Writer,
    /// The one check of the admin token, for every door that takes it; none: admin is off.
    pub admin_token: Option<crate::admin_token::AdminToken>,
    /// Sites whose pages may write records; empty: any.
    pub allowed_origins: origin::AllowedOrigins,
    /// How long a request waits for the database before it is answered 503.
    pub database_timeout: Duration,
    /// The hashes whose shown text is stored.
    pub known_texts: texts::KnownTexts,
    /// Days records are kept (`--retention-days`), to compare with what a site tells visitors.
    pub retention_days: u32,
}

/// The OpenAPI description of this API, served as is and checked against it by the tests.
pub const OPENAPI: &str = include_str!("../../openapi.json");

/// The API, mounted at `/api/v1`.
pub fn router(state: AppState, allowed_origins: &[String], limiter: RateLimiter) -> Router {
    let api = Router::new()
        .route("/consents", post(consents::create))
        .route("/consents/{consent_id}", get(consents::history))
        .route("/texts/{hash}", post(texts::create).get(texts::show))
        .route("/export", get(admin::export))
        .route("/stats", get(admin::stats))
        .route("/openapi.json", get(|| async { ([(header::CONTENT_TYPE, "application/json")], OPENAPI) }))
        .fallback(|| async { ApiError::NotFound("no such endpoint: see /api/v1/openapi.json".to_string()) })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .with_state(state);
    // Pages of the listed sites may post records and read histories, without credentials;
    // the admin endpoints stay out of reach, since their Authorization header is not allowed.
    let api = if allowed_origins.is_empty() {
        api
    } else {
        let origins: Vec<HeaderValue> = allowed_origins.iter().filter_map(|origin| origin.parse().ok()).collect();
        api.layer(
            CorsLayer::new()
                .allow_origin(AllowOrigin::list(origins))
                .allow_methods([Method::GET, Method::POST])
                .allow_headers([header::CONTENT_TYPE]),
        )
    };
    let api = api.layer(axum::middleware::from_fn_with_state(limiter, ratelimit::limit));
    Router::new().nest("/api/v1", api)
}

/// `2026-11-22` or an RFC 3339 date-time, as Unix milliseconds.
pub fn parse_time(field: &str, text: &str) -> Result<i64, ApiError> {
    let full = if text.len() == 10 { format!("{text}T00:00:00Z") } else { text.to_string() };
    OffsetDateTime::parse(&full, &Rfc3339).map(|time| (time.unix_timestamp_nanos() / 1_000_000) as i64).map_err(|_| {
        ApiError::BadRequest(format!("`{field}` must be a date (2026-11-22) or an RFC 3339 time, not `{text}`"))
    })
}

/// The database's answer to `work`, waited for at most `wait`: past it, or when it fails, a
/// 503 that says when to retry.
pub async fn within<T>(wait: Duration, work: impl Future<Output = Result<T, sqlx::Error>>) -> Result<T, ApiError> {
    tokio::time::timeout(wait, work).await.map_err(|_| ApiError::DatabaseTimeout)?.map_err(ApiError::from)
}
