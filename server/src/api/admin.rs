//! Admin endpoints, behind a bearer token: export of the log (NDJSON or CSV, streamed)
//! and counts by day, method, category and language.

use super::error::ApiError;
use super::{AppState, parse_time};
use crate::admin_token::Refusal;
use crate::store::{Row, Store};
use crate::time::rfc3339;
use axum::Json;
use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{Extensions, HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

/// `Ok` when the request carries the admin token; the admin endpoints are off without one.
pub fn authorize(state: &AppState, headers: &HeaderMap, extensions: &Extensions) -> Result<(), ApiError> {
    let Some(door) = state.admin_token.as_ref() else {
        return Err(ApiError::NotFound("admin endpoints are off: start the server with --admin-token".to_string()));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .unwrap_or("");
    door.check(given, headers, extensions).map_err(|refusal| match refusal {
        Refusal::Wrong => ApiError::Unauthorized,
        Refusal::TooMany { retry_after } => ApiError::RateLimited { retry_after },
    })
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    pub format: Option<String>,
}

#[derive(Clone, Copy, PartialEq)]
enum Format {
    Ndjson,
    Csv,
    /// The NDJSON lines, each text behind their hashes written once, on a line of its own
    /// (`{"shownText": {"hash": ..., "text": ...}}`, `text` null when none is stored) before the
    /// first record that names it: an auditor reads what each visitor was shown and checks
    /// that its SHA-256 is the record's `textHash`.
    Audit,
}

pub async fn export(
    State(state): State<AppState>,
    headers: HeaderMap,
    extensions: Extensions,
    query: Result<Query<ExportQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    authorize(&state, &headers, &extensions)?;
    // An unknown or malformed parameter is answered as every other error, as problem JSON.
    let Query(query) = query.map_err(|rejection| ApiError::BadRequest(rejection.body_text()))?;
    export_authorized(state, query).await
}

/// The export, for a caller already authorized: by the bearer token, or by the dashboard's session.
pub async fn export_authorized(state: AppState, query: ExportQuery) -> Result<Response, ApiError> {
    let from = query.from.as_deref().map(|text| parse_time("from", text)).transpose()?.unwrap_or(i64::MIN);
    let to = query.to.as_deref().map(|text| parse_time("to", text)).transpose()?.unwrap_or(i64::MAX);
    let format = match query.format.as_deref() {
        None | Some("ndjson") => Format::Ndjson,
        Some("csv") => Format::Csv,
        Some("audit") => Format::Audit,
        Some(other) => {
            return Err(ApiError::BadRequest(format!("format `{other}` is not known: use ndjson, csv or audit")));
        }
    };
    let store = state.store.clone();
    // A time range becomes ranges of sequence numbers first, one for each chain, so that every
    // page below is one range of the table's key: the export takes time in proportion to the
    // rows it sends. Rows come chain after chain, each chain in order.
    let ranges: Vec<(i64, i64)> = if from == i64::MIN && to == i64::MAX {
        vec![(0, i64::MAX)]
    } else {
        let ranges = super::within(state.database_timeout, store.seq_ranges(from, to)).await?;
        ranges.into_iter().map(|(first, last)| (first - 1, last)).collect()
    };
    // Pages of rows, each turned into a chunk of the body as it is read.
    let stream = futures_util::stream::unfold(Some((ranges, 0, HashSet::new())), move |state| {
        let store = store.clone();
        async move {
            let (mut ranges, mut index, mut texts_written) = state?;
            loop {
                let (after, through) = *ranges.get(index)?;
                match store.rows_between(after, through, from, to, EXPORT_PAGE_ROWS).await {
                    Ok(rows) if rows.is_empty() => index += 1,
                    Ok(rows) => {
                        if let Some(last) = rows.last() {
                            ranges[index].0 = last.seq;
                        }
                        let chunk = match format {
                            Format::Ndjson => Ok(rows.iter().map(ndjson_line).collect()),
                            Format::Csv => Ok(csv_lines(&rows)),
                            Format::Audit => audit_lines(&store, &rows, &mut texts_written).await,
                        };
                        return Some((chunk, Some((ranges, index, texts_written))));
                    }
                    Err(error) => return Some((Err(std::io::Error::other(error.to_string())), None)),
                }
            }
        }
    });
    let header_line = futures_util::stream::iter((format == Format::Csv).then(|| Ok(csv_header())));
    let body = Body::from_stream(futures_util::StreamExt::chain(header_line, stream));
    let content_type = if format == Format::Csv { "text/csv; charset=utf-8" } else { "application/x-ndjson" };
    let mut response = body.into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    Ok(response)
}

/// Rows read per query, and sent as one chunk of the body.
const EXPORT_PAGE_ROWS: i64 = 1000;

/// The CSV export's columns, in order; the NDJSON export uses the same names.
const CSV_COLUMNS: [&str; 18] = [
    "seq",
    "recordId",
    "consentId",
    "method",
    "granted",
    "denied",
    "services",
    "revision",
    "language",
    "textHash",
    "origin",
    "path",
    "widgetVersion",
    "clientTime",
    "receivedAt",
    "userAgent",
    "prevHash",
    "hash",
];

fn ndjson_line(row: &Row) -> String {
    let value = serde_json::json!({
        "seq": row.seq, "recordId": row.record_id, "consentId": row.consent_id, "method": row.method,
        "granted": raw_json(&row.granted), "denied": raw_json(&row.denied), "services": raw_json(&row.services),
        "revision": row.revision, "language": row.language, "textHash": row.text_hash, "origin": row.origin,
        "path": row.path, "widgetVersion": row.widget_version, "clientTime": row.client_time,
        "receivedAt": rfc3339(row.received_at), "userAgent": row.user_agent,
        "prevHash": row.prev_hash, "hash": row.hash,
    });
    format!("{value}\n")
}

/// The audit export's lines for `rows`: each record's NDJSON line, after the line of the text
/// behind its hash when no earlier line gave it.
async fn audit_lines(store: &Store, rows: &[Row], written: &mut HashSet<String>) -> Result<String, std::io::Error> {
    let mut chunk = String::new();
    for row in rows {
        if written.insert(row.text_hash.clone()) {
            let text =
                store.shown_text(&row.text_hash).await.map_err(|error| std::io::Error::other(error.to_string()))?;
            let line = serde_json::json!({ "shownText": { "hash": row.text_hash, "text": text } });
            chunk.push_str(&format!("{line}\n"));
        }
        chunk.push_str(&ndjson_line(row));
    }
    Ok(chunk)
}

fn raw_json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or(serde_json::Value::Null)
}

fn csv_header() -> String {
    csv_text(std::iter::once(CSV_COLUMNS.map(String::from)))
}

fn csv_lines(rows: &[Row]) -> String {
    csv_text(rows.iter().map(|row| {
        [
            row.seq.to_string(),
            row.record_id.clone(),
            row.consent_id.clone(),
            row.method.clone(),
            row.granted.clone(),
            row.denied.clone(),
            row.services.clone(),
            row.revision.to_string(),
            row.language.clone(),
            row.text_hash.clone(),
            row.origin.clone(),
            row.path.clone(),
            row.widget_version.clone(),
            row.client_time.to_string(),
            rfc3339(row.received_at),
            row.user_agent.clone(),
            row.prev_hash.clone(),
            row.hash.clone(),
        ]
    }))
}

/// CSV lines (`\n`-terminated, quoted where needed), each field defused first: a spreadsheet
/// opening the export must not run a cell that starts like a formula.
fn csv_text(records: impl Iterator<Item = [String; 18]>) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for record in records {
        let defused =
            record.map(|field| if field.starts_with(['=', '+', '-', '@']) { format!("'{field}") } else { field });
        // Writing to memory cannot fail.
        writer.write_record(&defused).expect("a CSV record written to memory");
    }
    let bytes = writer.into_inner().expect("CSV flushed to memory");
    String::from_utf8(bytes).expect("CSV of UTF-8 fields is UTF-8")
}

#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Stats {
    pub total: i64,
    pub by_day: BTreeMap<String, i64>,
    pub by_method: BTreeMap<String, i64>,
    pub by_language: BTreeMap<String, i64>,
    pub by_category: BTreeMap<String, CategoryCounts>,
}

#[derive(Debug, Default, Serialize)]
pub struct CategoryCounts {
    pub granted: i64,
    pub denied: i64,
}

/// The counts of every record present, read from the daily counts (one small table scan each,
/// however many records there are), not from the records themselves.
pub async fn stats(
    State(state): State<AppState>,
    headers: HeaderMap,
    extensions: Extensions,
) -> Result<Json<Stats>, ApiError> {
    authorize(&state, &headers, &extensions)?;
    let summary = state.store.daily_summary(i64::MIN, i64::MAX).await?;
    let by_day = summary
        .per_day
        .iter()
        .map(|&(day, count)| (rfc3339(day * crate::store::daily::DAY_MILLIS)[..10].to_string(), count))
        .collect();
    let by_category = summary
        .categories
        .iter()
        .map(|c| (c.category.clone(), CategoryCounts { granted: c.granted, denied: c.denied }))
        .collect();
    Ok(Json(Stats {
        total: summary.total(),
        by_day,
        by_method: summary.by_method.into_iter().collect(),
        by_language: summary.by_language.into_iter().collect(),
        by_category,
    }))
}
