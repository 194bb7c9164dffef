//! The text behind each record's hash: `POST /api/v1/texts/{hash}` takes the canonical text a
//! visitor was shown (the widget sends it when a receipt asks, see [`wanted`]), once per hash;
//! `GET /api/v1/texts/{hash}` gives it back to the admin.

use super::admin::authorize;
use super::error::{ApiError, unreadable_body};
use super::{AppState, within};
use crate::time::now_millis;
use axum::body::{Body, to_bytes};
use axum::extract::{Path, State};
use axum::http::{Extensions, HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use consent_widget::core::record::{SHOWN_TEXT_HEADER, hex};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::sync::{Arc, Mutex};

/// A shown text is a few thousand lines at most; a whole policy fits many times over.
pub const MAX_TEXT_BYTES: usize = 512 * 1024;

/// The hashes whose text is stored, as far as this server has seen: once stored, a text stays,
/// so most receipts need no query to know the server has it.
#[derive(Clone, Default)]
pub struct KnownTexts(Arc<Mutex<HashSet<String>>>);

impl KnownTexts {
    fn contains(&self, hash: &str) -> bool {
        self.0.lock().expect("known texts").contains(hash)
    }

    fn insert(&self, hash: &str) {
        self.0.lock().expect("known texts").insert(hash.to_string());
    }
}

/// The path a receipt names for the text behind `hash`, when the server has no text for it yet.
/// A database that cannot say asks for the text: sending it twice does no harm.
pub async fn wanted(state: &AppState, hash: &str) -> Option<String> {
    if state.known_texts.contains(hash) {
        return None;
    }
    match within(state.database_timeout, state.store.has_shown_text(hash)).await {
        Ok(true) => {
            state.known_texts.insert(hash);
            None
        }
        _ => Some(format!("/api/v1/texts/{hash}")),
    }
}

pub async fn create(
    State(state): State<AppState>,
    Path(hash): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    state.allowed_origins.check_request(&headers)?;
    check_hash(&hash)?;
    let bytes =
        to_bytes(body, MAX_TEXT_BYTES).await.map_err(|error| unreadable_body(error, "a shown text", MAX_TEXT_BYTES))?;
    let text = std::str::from_utf8(&bytes).map_err(|_| ApiError::BadRequest("the body is not UTF-8 text".into()))?;
    if !text.starts_with(SHOWN_TEXT_HEADER) {
        return Err(ApiError::BadRequest(format!("a shown text starts with the line `{}`", SHOWN_TEXT_HEADER.trim())));
    }
    let actual = hex(&Sha256::digest(text.as_bytes()));
    if actual != hash {
        return Err(ApiError::BadRequest(format!("the text's SHA-256 is {actual}, not the {hash} of the path")));
    }
    if state.known_texts.contains(&hash) || within(state.database_timeout, state.store.has_shown_text(&hash)).await? {
        state.known_texts.insert(&hash);
        return Ok(StatusCode::OK.into_response());
    }
    // Only a text some record rests on: the archive holds proof, not whatever anyone sends.
    if !within(state.database_timeout, state.store.a_record_names_text(&hash)).await? {
        return Err(ApiError::NotFound(format!("no record names the text hash {hash}: send the record first")));
    }
    let created = within(state.database_timeout, state.store.add_shown_text(&hash, text, now_millis())).await?;
    state.known_texts.insert(&hash);
    if created {
        warn_on_other_retention(text, state.retention_days);
    }
    Ok(if created { StatusCode::CREATED } else { StatusCode::OK }.into_response())
}

pub async fn show(
    State(state): State<AppState>,
    Path(hash): Path<String>,
    headers: HeaderMap,
    extensions: Extensions,
) -> Result<Response, ApiError> {
    authorize(&state, &headers, &extensions)?;
    check_hash(&hash)?;
    let text = within(state.database_timeout, state.store.shown_text(&hash))
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no text is stored for hash {hash}")))?;
    let mut response = text.into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    Ok(response)
}

fn check_hash(hash: &str) -> Result<(), ApiError> {
    if hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        Ok(())
    } else {
        Err(ApiError::BadRequest("a text hash is 64 lower-case hex digits (SHA-256)".into()))
    }
}

/// The retention the shown text states (its `records.retentionDays` line), if it does.
pub fn stated_retention(text: &str) -> Option<u32> {
    text.lines().find_map(|line| line.strip_prefix("records.retentionDays\t")).and_then(|days| days.parse().ok())
}

/// Logs a warning when the site tells its visitors records are kept for another time than this
/// server keeps them: one of the two is wrong, and the visitors were told the other.
fn warn_on_other_retention(text: &str, retention_days: u32) {
    if let Some(stated) = stated_retention(text).filter(|stated| *stated != retention_days) {
        tracing::warn!(
            stated_days = stated,
            retention_days,
            "the site tells its visitors that consent records are kept {stated} days, and this server keeps them \
             {retention_days} (--retention-days): make them agree"
        );
    }
}
