//! Static files: the demo site and the widget, under a strict Content-Security-Policy
//! that allows nothing beyond `'self'` but `'wasm-unsafe-eval'`, to prove the widget
//! needs no more.

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::middleware::{self, Next};
use axum::response::Response;
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
        .layer(header(header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
        .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(header::REFERRER_POLICY, "strict-origin-when-cross-origin"))
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
    use super::is_versioned;

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
