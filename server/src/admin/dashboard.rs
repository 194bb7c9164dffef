//! The dashboard's handlers, behind the session: the page, the same numbers as JSON, the export
//! for the period, and starting a verification.

use super::page::{Dashboard, message};
use super::period::{Period, PeriodQuery, date};
use super::same_origin::is_same_origin;
use super::{Admin, cross_site};
use crate::api::admin::{ExportQuery, export_authorized};
use crate::api::error::ApiError;
use crate::store::daily::Summary;
use axum::extract::rejection::FormRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Form, Json};
use serde::Deserialize;
use serde_json::{Value, json};

pub async fn page(State(admin): State<Admin>, Query(query): Query<PeriodQuery>) -> Response {
    let period = match Period::from_query(&query, Period::today()) {
        Ok(period) => period,
        Err(why) => {
            return (StatusCode::BAD_REQUEST, Html(message("Period not understood", &format!("{why}."))))
                .into_response();
        }
    };
    let summary = match summary(&admin, period).await {
        Ok(summary) => summary,
        Err(error) => {
            if let ApiError::Database(cause) = &error {
                crate::logs::error("database error", cause);
            }
            let problem = error.problem();
            return (problem.status, Html(message("Consent log unavailable", &problem.detail))).into_response();
        }
    };
    let verification = admin.verification.status();
    // A failure to read the scans leaves their section out, not the page.
    let latest = admin.api.store.latest_scans(super::scans::TREND);
    let scans = match crate::api::within(admin.api.database_timeout, latest).await {
        Ok(scans) => scans,
        Err(error) => {
            crate::logs::error("cannot read the scan reports", &error.problem().detail);
            Vec::new()
        }
    };
    Html(Dashboard { period, summary: &summary, verification: &verification, scans: &scans }.render()).into_response()
}

/// The page's numbers as JSON, for scripts.
pub async fn summary_json(
    State(admin): State<Admin>,
    Query(query): Query<PeriodQuery>,
) -> Result<Json<Value>, ApiError> {
    let period = Period::from_query(&query, Period::today()).map_err(ApiError::BadRequest)?;
    let summary = summary(&admin, period).await?;
    let pairs = |pairs: &[(String, i64)]| -> Value { pairs.iter().map(|(key, n)| (key.clone(), json!(n))).collect() };
    Ok(Json(json!({
        "from": date(period.from_day),
        "to": date(period.to_day),
        "total": summary.total(),
        "perDay": summary.per_day.iter().map(|(day, n)| (date(*day), json!(n))).collect::<serde_json::Map<_, _>>(),
        "byMethod": pairs(&summary.by_method),
        "byLanguage": pairs(&summary.by_language),
        "byRevision": summary.by_revision.iter().map(|(revision, n)| (revision.to_string(), json!(n))).collect::<serde_json::Map<_, _>>(),
        "categories": summary.categories.iter().map(|c| (c.category.clone(), json!({"granted": c.granted, "denied": c.denied}))).collect::<serde_json::Map<_, _>>(),
    })))
}

async fn summary(admin: &Admin, period: Period) -> Result<Summary, ApiError> {
    let store = &admin.api.store;
    crate::api::within(admin.api.database_timeout, store.daily_summary(period.from_day, period.to_day)).await
}

#[derive(Deserialize)]
pub struct ExportForm {
    from: Option<String>,
    to: Option<String>,
    format: Option<String>,
}

/// The records of the period, from the export of `/api/v1/export`, as a download.
pub async fn export(State(admin): State<Admin>, Query(form): Query<ExportForm>) -> Result<Response, ApiError> {
    let period = Period::from_query(&PeriodQuery { from: form.from, to: form.to }, Period::today())
        .map_err(ApiError::BadRequest)?;
    let extension = match form.format.as_deref() {
        Some("csv") => "csv",
        _ => "ndjson",
    };
    // The export's `to` is the first moment left out: the day after the period's last.
    let query =
        ExportQuery { from: Some(date(period.from_day)), to: Some(date(period.to_day + 1)), format: form.format };
    let mut response = export_authorized(admin.api.clone(), query).await?;
    let name = format!("consents-{}-{}.{extension}", date(period.from_day), date(period.to_day));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        response.headers_mut().insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// Starts a verification of the hash chain, then back to the page (and its period), which shows
/// its progress.
pub async fn verify(
    State(admin): State<Admin>,
    headers: HeaderMap,
    form: Result<Form<PeriodQuery>, FormRejection>,
) -> Response {
    if !is_same_origin(&headers) {
        return cross_site();
    }
    admin.verification.start(admin.api.store.clone(), admin.checkpoint_key.clone());
    let period = form.ok().and_then(|Form(query)| Period::from_query(&query, Period::today()).ok());
    let back = match period {
        Some(period) => format!("/admin/?from={}&to={}#chain-heading", date(period.from_day), date(period.to_day)),
        None => "/admin/#chain-heading".to_string(),
    };
    Redirect::to(&back).into_response()
}
