//! The admin dashboard at `/admin/`: counts of decisions from the records (never a visitor's
//! data), the hash chain's verification and the export, behind the admin token entered once in
//! a form. Server-rendered HTML and SVG, no script; every response carries a strict CSP.

mod chart;
mod dashboard;
mod html;
mod login;
mod page;
pub mod period;
mod same_origin;
mod scan_report;
mod scans;
pub mod session;
mod verification;

use crate::api::AppState;
use crate::api::problem::Problem;
use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use session::Sessions;
use tower_http::set_header::SetResponseHeaderLayer;
use verification::Verification;

/// The policy of every response under `/admin`: the page's own stylesheet and nothing else; no
/// script, no frame, forms only to the dashboard.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self'; \
    form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const STYLESHEET: &str = include_str!("dashboard.css");

#[derive(Clone)]
pub struct Admin {
    api: AppState,
    /// `None` when the server has no admin token: the dashboard is off.
    sessions: Option<Sessions>,
    verification: Verification,
    checkpoint_key: Option<String>,
    /// Mark the cookie Secure even when no proxy says the request came over HTTPS.
    secure_cookies: bool,
}

impl Admin {
    fn signed_in(&self, headers: &HeaderMap) -> bool {
        self.sessions.as_ref().is_some_and(|sessions| sessions.signed_in(headers))
    }
}

/// The dashboard's routes, on the record API's state.
pub fn router(api: AppState, checkpoint_key: Option<String>, secure_cookies: bool) -> Router {
    let sessions = api.admin_token.as_ref().map(|door| door.sessions().clone());
    let admin = Admin { api, sessions, verification: Verification::default(), checkpoint_key, secure_cookies };
    let signed_in = Router::new()
        .route("/admin/", get(dashboard::page))
        .route("/admin/summary.json", get(dashboard::summary_json))
        .route("/admin/export", get(dashboard::export))
        .route("/admin/verify", post(dashboard::verify))
        .route("/admin/scans/{id}", get(scan_report::report))
        .route(
            "/admin/{*rest}",
            get(|| async { (StatusCode::NOT_FOUND, Html(page::message("Not found", "No such page."))) }),
        )
        .route_layer(from_fn_with_state(admin.clone(), require_session));
    let header = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))
    };
    Router::new()
        .merge(signed_in)
        .route("/admin", get(|| async { Redirect::permanent("/admin/") }))
        .route("/admin/login", get(login::form).post(login::submit))
        .route("/admin/logout", post(login::logout))
        .route(
            "/admin/dashboard.css",
            get(|| async { ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLESHEET) }),
        )
        .with_state(admin)
        // A scan's report brings a policy of its own (admin/scans.rs); every other response this.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(header::REFERRER_POLICY, "no-referrer"))
        .layer(header(header::X_FRAME_OPTIONS, "DENY"))
        .layer(header(header::CACHE_CONTROL, "no-store"))
}

/// Lets only signed-in requests through: pages send the others to the sign-in form, JSON and
/// downloads answer 401.
async fn require_session(State(admin): State<Admin>, request: Request, next: Next) -> Response {
    if admin.sessions.is_none() {
        return switched_off();
    }
    if admin.signed_in(request.headers()) {
        return next.run(request).await;
    }
    let path = request.uri().path();
    if path.ends_with(".json") || path == "/admin/export" {
        let mut problem = Problem::new(StatusCode::UNAUTHORIZED, "sign in at /admin/login first");
        problem.title = "Unauthorized".to_string();
        return problem.into_response();
    }
    Redirect::to("/admin/login").into_response()
}

fn switched_off() -> Response {
    let text = "The dashboard is off: start the server with --admin-token.";
    (StatusCode::NOT_FOUND, Html(page::message("Dashboard off", text))).into_response()
}

fn cross_site() -> Response {
    let text = "This form may only be sent from the dashboard's own pages.";
    (StatusCode::FORBIDDEN, Html(page::message("Refused", text))).into_response()
}
