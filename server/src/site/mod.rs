//! Static files: the demo site and the widget, under a strict Content-Security-Policy
//! that allows nothing beyond `'self'` but `'wasm-unsafe-eval'`, to prove the widget
//! needs no more.

pub mod privacy_page;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use std::path::Path;
use tower::ServiceBuilder;
use tower_http::cors::{Any, CorsLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self'; img-src 'self' data:; frame-src 'self'; frame-ancestors 'self'; base-uri 'self'; form-action 'self'";

/// Release files carry the version in their names and never change, so a browser may keep them.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Everything else is revalidated on each use, so a new build shows at once.
const REVALIDATE: &str = "no-cache";

pub fn router(site_dir: &Path, widget_dir: &Path) -> Router {
    let header = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    // The widget's files may be loaded from other sites (with Subresource Integrity, which
    // needs CORS), and are served precompressed when a .br or .gz copy sits beside them.
    let widget = ServiceBuilder::new()
        .layer(CorsLayer::new().allow_origin(Any).allow_methods([Method::GET]))
        .service(ServeDir::new(widget_dir).precompressed_br().precompressed_gzip());
    Router::new()
        .nest_service("/consent-widget", widget)
        .fallback_service(ServeDir::new(site_dir))
        .route("/healthz", axum::routing::get(health))
        .layer(middleware::from_fn(cache_policy))
        .layer(middleware::from_fn(refuse_impossible_paths))
        .layer(header(header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
        .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(header::REFERRER_POLICY, "strict-origin-when-cross-origin"))
}

/// Longest request path (decoded) a static file can have here; anything longer is 414.
const MAX_PATH_BYTES: usize = 1024;
/// Longest file or folder name the file system can hold (`NAME_MAX`); anything longer is 404.
const MAX_NAME_BYTES: usize = 255;

/// Answers paths no file can have before they reach the file system, whose "name too long"
/// error the file server would report as a 500 (and log as an error).
async fn refuse_impossible_paths(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if decoded_len(path) > MAX_PATH_BYTES {
        return StatusCode::URI_TOO_LONG.into_response();
    }
    if path.split('/').any(|name| decoded_len(name) > MAX_NAME_BYTES) {
        return StatusCode::NOT_FOUND.into_response();
    }
    next.run(request).await
}

/// Bytes of `text` once percent-decoded: each `%XX` is one byte.
fn decoded_len(text: &str) -> usize {
    let bytes = text.as_bytes();
    let (mut length, mut at) = (0, 0);
    while at < bytes.len() {
        let escape =
            bytes[at] == b'%' && bytes.get(at + 1..at + 3).is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit));
        at += if escape { 3 } else { 1 };
        length += 1;
    }
    length
}

async fn cache_policy(request: Request, next: Next) -> Response {
    let versioned = is_versioned(request.uri().path());
    let mut response = next.run(request).await;
    let policy = if versioned && response.status().is_success() { IMMUTABLE } else { REVALIDATE };
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    response
}

/// `/consent-widget/consent-widget-0.1.0.wasm` and the like: a file of this version's release.
fn is_versioned(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    path.starts_with("/consent-widget/") && name.contains(&format!("-{}.", env!("CARGO_PKG_VERSION")))
}

/// Liveness, and which version is running.
async fn health() -> axum::Json<serde_json::Value> {
    axum::Json(serde_json::json!({ "status": "ok", "version": env!("CARGO_PKG_VERSION") }))
}

#[cfg(test)]
mod tests {
    use super::{decoded_len, is_versioned};

    #[test]
    fn an_escape_is_one_byte_and_anything_else_counts_as_written() {
        assert_eq!(decoded_len("/a%41b"), 4);
        assert_eq!(decoded_len("%zz%4"), 5);
        assert_eq!(decoded_len(&"%41".repeat(300)), 300);
    }

    #[test]
    fn only_release_files_of_this_version_are_immutable() {
        let version = env!("CARGO_PKG_VERSION");
        assert!(is_versioned(&format!("/consent-widget/consent-widget-{version}.wasm")));
        assert!(is_versioned(&format!("/consent-widget/policy-fr-{version}.json")));
        assert!(!is_versioned("/consent-widget/consent-widget.wasm"));
        assert!(!is_versioned(&format!("/consent-widget-{version}.js")), "outside the widget folder");
        assert!(!is_versioned("/consent-widget/consent-widget-0.0.0-old.wasm"));
    }
}
