//! Static files: the demo site and the widget, under a strict Content-Security-Policy
//! that allows nothing beyond `'self'` but `'wasm-unsafe-eval'`, to prove the widget
//! needs no more.

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use std::path::Path;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self'; img-src 'self' data:; frame-src 'self'; frame-ancestors 'self'; base-uri 'self'; form-action 'self'";

pub fn router(site_dir: &Path, widget_dir: &Path) -> Router {
    let header = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    Router::new()
        .nest_service("/consent-widget", ServeDir::new(widget_dir))
        .fallback_service(ServeDir::new(site_dir))
        .route("/healthz", axum::routing::get(health))
        .layer(header(header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
        .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(header::REFERRER_POLICY, "strict-origin-when-cross-origin"))
        .layer(header(header::CACHE_CONTROL, "no-cache"))
}

/// Liveness, and which version is running.
async fn health() -> axum::Json<serde_json::Value> {
    axum::Json(serde_json::json!({ "status": "ok", "version": env!("CARGO_PKG_VERSION") }))
}
