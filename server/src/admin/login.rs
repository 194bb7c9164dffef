//! Signing in with the admin token, once, in a form; and signing out.

use super::page::{layout, message};
use super::same_origin::is_same_origin;
use super::session::{came_over_https, clear_cookie, set_cookie};
use super::{Admin, cross_site};
use crate::admin_token::Refusal;
use crate::time::now_millis;
use axum::Form;
use axum::extract::State;
use axum::http::{Extensions, HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    token: String,
}

/// The sign-in form (or the dashboard, for someone signed in already).
pub async fn form(State(admin): State<Admin>, headers: HeaderMap) -> Response {
    if admin.sessions.is_none() {
        return super::switched_off();
    }
    if admin.signed_in(&headers) {
        return Redirect::to("/admin/").into_response();
    }
    Html(page(None)).into_response()
}

pub async fn submit(
    State(admin): State<Admin>,
    headers: HeaderMap,
    extensions: Extensions,
    Form(form): Form<LoginForm>,
) -> Response {
    if !is_same_origin(&headers) {
        return cross_site();
    }
    let (Some(sessions), Some(door)) = (&admin.sessions, &admin.api.admin_token) else { return super::switched_off() };
    match door.check(&form.token, &headers, &extensions) {
        Ok(()) => {}
        Err(Refusal::TooMany { retry_after }) => {
            let mut response = (
                StatusCode::TOO_MANY_REQUESTS,
                Html(message(
                    "Too many attempts",
                    &format!("Too many wrong tokens: try again in {retry_after} seconds."),
                )),
            )
                .into_response();
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
            return response;
        }
        Err(Refusal::Wrong) => {
            return (StatusCode::UNAUTHORIZED, Html(page(Some("That is not the admin token.")))).into_response();
        }
    }
    let secure = admin.secure_cookies || came_over_https(&headers);
    let mut response = Redirect::to("/admin/").into_response();
    response.headers_mut().insert(header::SET_COOKIE, set_cookie(&sessions.issue(now_millis()), secure));
    response
}

/// Signs out: the browser forgets its cookie. (The cookie itself stays valid until it expires,
/// as nothing is kept on the server; changing the admin token ends every session.)
pub async fn logout(State(admin): State<Admin>, headers: HeaderMap) -> Response {
    if !is_same_origin(&headers) {
        return cross_site();
    }
    let secure = admin.secure_cookies || came_over_https(&headers);
    let mut response = Redirect::to("/admin/login").into_response();
    response.headers_mut().insert(header::SET_COOKIE, clear_cookie(secure));
    response
}

fn page(error: Option<&str>) -> String {
    let (error, described) = match error {
        Some(text) => (
            format!(r#"<p class="broken" id="token-error">{}</p>"#, super::html::escape(text)),
            r#" aria-describedby="token-error""#,
        ),
        None => (String::new(), ""),
    };
    layout(
        "Sign in: consent dashboard",
        &format!(
            r#"<main class="login"><h1>Consent dashboard</h1>{error}<form method="post" action="/admin/login"><label for="token">Admin token</label> <input type="password" id="token" name="token" autocomplete="current-password" required{described}> <button type="submit">Sign in</button></form><p>The token the server was started with (<code>--admin-token</code>).</p></main>"#
        ),
        false,
    )
}
