//! `POST /api/v1/consents` stores a record; `GET /api/v1/consents/{consent_id}` lists the
//! receipts of one visitor's consent id.

use super::error::{ApiError, unreadable_body};
use super::{AppState, user_agent};
use crate::store::Row;
use crate::time::{now_millis, rfc3339};
use axum::Json;
use axum::body::{Body, to_bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use consent_widget::core::record::ConsentRecord;
use consent_widget::core::serde_codec;
use serde::Serialize;

/// Records are small; anything larger is not one.
pub const MAX_BODY_BYTES: usize = 4096;

/// What the server gives back for a stored record.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Receipt {
    pub record_id: String,
    pub consent_id: String,
    pub method: String,
    pub received_at: String,
    pub chain_hash: String,
    /// Where to send the text behind the record's hash, when the server has none yet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub send_text: Option<String>,
}

impl From<&crate::store::Row> for Receipt {
    fn from(row: &crate::store::Row) -> Receipt {
        Receipt {
            record_id: row.record_id.clone(),
            consent_id: row.consent_id.clone(),
            method: row.method.clone(),
            received_at: rfc3339(row.received_at),
            chain_hash: row.hash.clone(),
            send_text: None,
        }
    }
}

pub async fn create(State(state): State<AppState>, headers: HeaderMap, body: Body) -> Result<Response, ApiError> {
    state.allowed_origins.check_request(&headers)?;
    // JSON, or text/plain carrying JSON: what navigator.sendBeacon sends without a preflight.
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|value| value.to_str().ok()).unwrap_or("");
    let media_type = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if media_type != "application/json" && media_type != "text/plain" {
        return Err(ApiError::UnsupportedMediaType(content_type.to_string()));
    }
    let bytes =
        to_bytes(body, MAX_BODY_BYTES).await.map_err(|error| unreadable_body(error, "a record", MAX_BODY_BYTES))?;
    let record = parse(&bytes)?;
    record.validate()?;
    let now = now_millis();
    if !state.allowed_origins.is_empty() && !state.allowed_origins.contains(&record.origin) {
        return Err(ApiError::Forbidden(format!(
            "`origin`: `{}` is not an allowed origin, so no record is kept for its pages",
            record.origin
        )));
    }
    let agent = headers.get(header::USER_AGENT).and_then(|value| value.to_str().ok()).unwrap_or("");
    let browser = user_agent::family(agent);
    let draft = Row::draft(&record, now, &browser);
    // Acknowledged only once committed; a client answered 503 here retries with the same
    // record id, and gets the original receipt if the commit did happen after all.
    let appended = tokio::time::timeout(state.database_timeout, state.writer.append(draft))
        .await
        .map_err(|_| ApiError::DatabaseTimeout)??;
    let mut receipt = Receipt::from(appended.row.as_ref());
    receipt.send_text = super::texts::wanted(&state, &record.text_hash).await;
    if appended.created {
        return Ok((StatusCode::CREATED, Json(receipt)).into_response());
    }
    // A retry of a stored record gets its original receipt; the same id with other content
    // is not a retry, and saying so keeps the sender from believing it was stored.
    if let Some(field) = appended.row.record_difference(&Row::draft(&record, now, &browser)) {
        return Err(ApiError::Conflict(format!(
            "record `{}` is already stored with a different `{field}`: a record id names one decision, \
                 send a new id for a new one",
            record.record_id
        )));
    }
    Ok((StatusCode::OK, Json(receipt)).into_response())
}

fn parse(bytes: &[u8]) -> Result<ConsentRecord, ApiError> {
    let text =
        std::str::from_utf8(bytes).map_err(|_| ApiError::BadRequest("the body is not UTF-8 text".to_string()))?;
    // The record's serde derives, through serde_json: the server's one JSON reader.
    serde_codec::from_str::<ConsentRecord>(text).map_err(|error| {
        if error.path.is_empty() {
            ApiError::BadRequest(format!("the body is not a consent record: {}", error.message))
        } else {
            ApiError::BadRequest(error.to_string())
        }
    })
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct History {
    pub consent_id: String,
    pub records: Vec<HistoryEntry>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEntry {
    #[serde(flatten)]
    pub receipt: Receipt,
    pub granted: serde_json::Value,
    pub denied: serde_json::Value,
    pub revision: i64,
    pub language: String,
}

pub async fn history(State(state): State<AppState>, Path(consent_id): Path<String>) -> Result<Json<History>, ApiError> {
    let consent_id = uuid::Uuid::parse_str(&consent_id)
        .ok()
        .filter(|id| !id.is_nil() && !id.is_max())
        .ok_or_else(|| ApiError::BadRequest(format!("`{consent_id}` is not a consent id (a generated UUID)")))?
        .to_string();
    let rows = super::within(state.database_timeout, state.store.history(&consent_id)).await?;
    let records = rows
        .iter()
        .map(|row| HistoryEntry {
            receipt: Receipt::from(row),
            granted: serde_json::from_str(&row.granted).unwrap_or_default(),
            denied: serde_json::from_str(&row.denied).unwrap_or_default(),
            revision: row.revision,
            language: row.language.clone(),
        })
        .collect();
    Ok(Json(History { consent_id, records }))
}
