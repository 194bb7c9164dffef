//! Delivery of proof-of-consent records: queued in localStorage first, then sent with
//! `fetch(..., { keepalive })`; what fails is retried on later page loads with backoff,
//! and anything still queued when the page is hidden goes out by `sendBeacon`. When a receipt
//! says the server lacks the text behind the record's hash, the text this page computed for
//! it follows, so the proof can show what the visitor was shown.

use super::page;
use crate::core::json::{self, Field, Json, JsonError};
use crate::core::outbox::{Delivery, Outbox, STORAGE_KEY};
use crate::core::record::{ConsentRecord, text_url};
use gloo_events::EventListener;
use std::cell::{Cell, RefCell};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{RequestCredentials, RequestInit, Response};

thread_local! {
    static FLUSHING: Cell<bool> = const { Cell::new(false) };
    /// The shown texts of this page's decisions, by hash, for a receipt that asks for one.
    static SHOWN_TEXTS: RefCell<Vec<(String, String)>> = const { RefCell::new(Vec::new()) };
}

fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

fn storage() -> Option<web_sys::Storage> {
    page::window()?.local_storage().ok()?
}

fn load() -> Outbox {
    storage()
        .and_then(|storage| storage.get_item(STORAGE_KEY).ok().flatten())
        .map(|json| Outbox::from_text(&json))
        .unwrap_or_default()
}

fn save(outbox: &Outbox) {
    if let Some(storage) = storage() {
        // An empty outbox leaves nothing behind.
        let _ = if outbox.is_empty() {
            storage.remove_item(STORAGE_KEY)
        } else {
            storage.set_item(STORAGE_KEY, &outbox.to_text())
        };
    }
}

/// Queues `record` and sends everything due; `shown_text` is the text behind its hash.
pub fn deliver(endpoint: String, record: ConsentRecord, shown_text: String) {
    SHOWN_TEXTS.with(|texts| {
        let mut texts = texts.borrow_mut();
        if !texts.iter().any(|(hash, _)| *hash == record.text_hash) {
            texts.push((record.text_hash.clone(), shown_text));
        }
    });
    let mut outbox = load();
    outbox.push(record, now_ms());
    save(&outbox);
    wasm_bindgen_futures::spawn_local(flush(endpoint));
}

/// Sends every due record, one at a time, in order, those queued while it runs included: a
/// second decision made while the first is on its way is not left for the next page load.
pub async fn flush(endpoint: String) {
    if FLUSHING.with(|flushing| flushing.replace(true)) {
        return;
    }
    let mut attempted = Vec::new();
    loop {
        let due = load().due(now_ms());
        let Some(record) = due.into_iter().find(|record| !attempted.contains(&record.record_id)) else { break };
        attempted.push(record.record_id);
        let (status, send_text) = post(&endpoint, &record).await;
        let delivery = Delivery::from_status(status);
        if let Some(url) = send_text.and_then(|path| text_url(&endpoint, &path)) {
            send_shown_text(&url, &record.text_hash).await;
        }
        if delivery == Delivery::Refused {
            page::console_warn(&format!("the server refused record {}; it is dropped", record.record_id));
        }
        let mut outbox = load();
        outbox.settle(record.record_id, delivery, now_ms());
        save(&outbox);
    }
    FLUSHING.with(|flushing| flushing.set(false));
}

/// The HTTP status (0 when the request did not complete), and the receipt's `sendText`.
async fn post(endpoint: &str, record: &ConsentRecord) -> (u16, Option<String>) {
    let Some(window) = page::window() else { return (0, None) };
    let body = record.to_json().to_string();
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_body(&JsValue::from_str(&body));
    // `keepalive` lets the request finish even if the visitor leaves the page meanwhile.
    let _ = js_sys::Reflect::set(&init, &"keepalive".into(), &JsValue::TRUE);
    init.set_credentials(RequestCredentials::Omit);
    let headers = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&headers, &"content-type".into(), &"application/json".into());
    init.set_headers(&headers);
    let Ok(response) = JsFuture::from(window.fetch_with_str_and_init(endpoint, &init)).await else { return (0, None) };
    let Ok(response) = response.dyn_into::<Response>() else { return (0, None) };
    let status = response.status();
    let send_text = match response.text() {
        Ok(body) if response.ok() => JsFuture::from(body)
            .await
            .ok()
            .and_then(|text| text.as_string())
            .and_then(|text| json::parse(&text).ok())
            .and_then(|receipt| receipt.get("sendText").and_then(Json::as_str).map(str::to_string)),
        _ => None,
    };
    (status, send_text)
}

/// Sends the text behind `hash` to `url`, if this page computed it; a text not delivered is
/// asked for again by the next record's receipt.
async fn send_shown_text(url: &str, hash: &str) {
    let Some(text) =
        SHOWN_TEXTS.with(|texts| texts.borrow().iter().find(|(known, _)| known == hash).map(|(_, text)| text.clone()))
    else {
        return;
    };
    let Some(window) = page::window() else { return };
    let init = RequestInit::new();
    init.set_method("POST");
    // A string body goes as text/plain: a simple request, no preflight.
    init.set_body(&JsValue::from_str(&text));
    let _ = js_sys::Reflect::set(&init, &"keepalive".into(), &JsValue::from_bool(text.len() < 60_000));
    init.set_credentials(RequestCredentials::Omit);
    if let Ok(response) = JsFuture::from(window.fetch_with_str_and_init(url, &init)).await {
        let status = response.dyn_into::<Response>().map(|response| response.status()).unwrap_or(0);
        if status >= 400 {
            page::console_warn(&format!("the record server refused the text behind hash {hash} ({status})"));
        }
    }
}

/// Sends what is due now, and, for as long as the returned listener is kept, what is still
/// queued when the visitor leaves.
pub fn start(endpoint: String) -> Option<EventListener> {
    wasm_bindgen_futures::spawn_local(flush(endpoint.clone()));
    let window = page::window()?;
    Some(EventListener::new(&window, "pagehide", move |_| {
        let Some(navigator) = page::window().map(|window| window.navigator()) else { return };
        for entry in load().entries {
            // A string body goes as text/plain: no preflight, and the server accepts it.
            let _ = navigator.send_beacon_with_opt_str(&endpoint, Some(&entry.record.to_json().to_string()));
        }
    }))
}

/// The page's origin and path (no query, no fragment), for the record.
pub fn page_origin_and_path() -> (String, String) {
    let location = page::window().map(|window| window.location());
    let origin = location.as_ref().and_then(|location| location.origin().ok()).unwrap_or_default();
    let path = location.and_then(|location| location.pathname().ok()).unwrap_or_else(|| "/".to_string());
    (origin, path)
}

/// One receipt from the record API's history of a consent id.
#[derive(Debug, Clone, PartialEq)]
pub struct Receipt {
    pub method: String,
    pub received_at: String,
    pub chain_hash: String,
}

/// `{"records": [{"method": ..., "receivedAt": ..., "chainHash": ...}, ...]}`; other
/// fields the server adds are left alone.
fn read_history(text: &str) -> Option<Vec<Receipt>> {
    let tree = json::parse(text).ok()?;
    let records = tree.get("records")?;
    let receipt = |field: &Field| -> Result<Receipt, JsonError> {
        let text = |name: &str| field.value.get(name).and_then(Json::as_str).map(str::to_string);
        match (text("method"), text("receivedAt"), text("chainHash")) {
            (Some(method), Some(received_at), Some(chain_hash)) => Ok(Receipt { method, received_at, chain_hash }),
            _ => Err(field.error("not a receipt")),
        }
    };
    Field::root(records).list(receipt).ok()
}

/// The receipts stored for `consent_id`, or `None` when the server cannot be asked.
pub async fn history(endpoint: &str, consent_id: uuid::Uuid) -> Option<Vec<Receipt>> {
    let window = page::window()?;
    let url = format!("{}/{consent_id}", endpoint.trim_end_matches('/'));
    let init = RequestInit::new();
    init.set_credentials(RequestCredentials::Omit);
    let response: Response = JsFuture::from(window.fetch_with_str_and_init(&url, &init)).await.ok()?.dyn_into().ok()?;
    if !response.ok() {
        return None;
    }
    let text = JsFuture::from(response.text().ok()?).await.ok()?.as_string()?;
    read_history(&text)
}

/// Methods of this consent's records still waiting in the outbox.
pub fn pending(consent_id: uuid::Uuid) -> Vec<String> {
    load()
        .entries
        .iter()
        .filter(|entry| entry.record.consent_id == consent_id)
        .map(|entry| entry.record.method.as_str().to_string())
        .collect()
}

/// An RFC 3339 time as the visitor's language writes dates.
pub fn local_time(rfc3339: &str, language: &str) -> String {
    let date = js_sys::Date::new(&JsValue::from_str(rfc3339));
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
    date.to_locale_string(language, &options).as_string().unwrap_or_else(|| rfc3339.to_string())
}
