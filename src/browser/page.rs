//! Small, infallible wrappers over the page's globals: time, randomness, cookies,
//! language and console. None of them panics when an API is missing.

use crate::core::config::Config;
use crate::core::consent::Consent;
use crate::core::cookie::{self, CookieTarget};
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlDocument, Window};

pub fn window() -> Option<Window> {
    web_sys::window()
}

pub fn document() -> Option<Document> {
    window().and_then(|window| window.document())
}

/// Unix time in whole seconds.
pub fn now() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// A new id for a consent or a record: a UUID v7, the time in milliseconds followed by 74
/// bits from the browser's cryptographic generator. Still unguessable, and ids that grow with
/// time keep the server's record log appending at the end of its indexes.
pub fn new_id() -> uuid::Uuid {
    let mut random = [0u8; 10];
    if let Some(crypto) = window().and_then(|window| window.crypto().ok()) {
        let _ = crypto.get_random_values_with_u8_array(&mut random);
    }
    uuid::Builder::from_unix_timestamp_millis(js_sys::Date::now() as u64, &random).into_uuid()
}

/// Marks `consent-widget:<name>` on the page's performance timeline, as the loader marks its
/// steps: for whoever measures where the time goes, and for tests that wait for a step to end.
pub fn mark(name: &str) {
    if let Some(performance) = window().and_then(|window| window.performance()) {
        let _ = performance.mark(&format!("consent-widget:{name}"));
    }
}

pub fn console_error(message: &str) {
    web_sys::console::error_1(&format!("consent-widget: {message}").into());
}

pub fn console_warn(message: &str) {
    web_sys::console::warn_1(&format!("consent-widget: {message}").into());
}

/// `<html lang>` of the host page, if set.
pub fn page_language() -> Option<String> {
    document()
        .and_then(|document| document.document_element())
        .and_then(|html| html.get_attribute("lang"))
        .filter(|lang| !lang.trim().is_empty())
}

/// `navigator.languages`, in the visitor's order of preference.
pub fn browser_languages() -> Vec<String> {
    window()
        .map(|window| window.navigator().languages().iter().filter_map(|tag| tag.as_string()).collect())
        .unwrap_or_default()
}

/// Resolves in a later task, once the browser has had the chance to paint.
pub async fn next_task() {
    gloo_timers::future::TimeoutFuture::new(0).await;
}

/// Reloads the page once the current task (cookie written, record queued) is done.
pub fn reload_soon() {
    // The page goes away with the timer: nothing is left to cancel.
    gloo_timers::callback::Timeout::new(50, || {
        if let Some(current) = window() {
            let _ = current.location().reload();
        }
    })
    .forget();
}

/// Whether the browser sends Global Privacy Control (`navigator.globalPrivacyControl === true`).
pub fn global_privacy_control() -> bool {
    window()
        .and_then(|window| js_sys::Reflect::get(&window.navigator(), &"globalPrivacyControl".into()).ok())
        .is_some_and(|value| value.as_bool() == Some(true))
}

pub fn hostname() -> String {
    window().and_then(|window| window.location().hostname().ok()).unwrap_or_default()
}

fn is_https() -> bool {
    window().and_then(|window| window.location().protocol().ok()).is_some_and(|protocol| protocol == "https:")
}

fn html_document() -> Option<HtmlDocument> {
    document().and_then(|document| document.dyn_into::<HtmlDocument>().ok())
}

/// A consent read from its cookie, and the digest of the configuration it was last confirmed
/// under (see `core::cookie`), if any.
pub struct StoredConsent {
    pub consent: Consent,
    pub confirmed_under: Option<String>,
}

/// The stored consent, or `None` when there is none or it cannot be read.
pub fn read_consent(cookie_name: &str) -> Option<StoredConsent> {
    let header = html_document()?.cookie().ok()?;
    let value = cookie::find(&header, cookie_name)?;
    match cookie::decode(value) {
        Ok(consent) => {
            Some(StoredConsent { consent, confirmed_under: cookie::confirmed_under(value).map(str::to_string) })
        }
        Err(reason) => {
            console_warn(&format!("{reason}; asking again"));
            None
        }
    }
}

/// Stores `consent` until it expires, marked as current under the configuration `config`.
pub fn write_consent(config: &Config, consent: &Consent) {
    let settings = &config.cookie;
    let target = CookieTarget { name: &settings.name, domain: settings.domain.as_deref(), secure: is_https() };
    let max_age = consent.expires - now();
    if let Some(document) = html_document() {
        let _ = document.set_cookie(&target.write(&cookie::encode(consent, config.digest.as_deref()), max_age));
    }
}

pub fn forget_consent(cookie_name: &str, domain: Option<&str>) {
    let target = CookieTarget { name: cookie_name, domain, secure: is_https() };
    if let Some(document) = html_document() {
        let _ = document.set_cookie(&target.delete());
    }
}

/// The focused element, looking through open shadow roots (ours included).
pub fn deep_active_element() -> Option<Element> {
    let mut active = document()?.active_element()?;
    while let Some(inner) = active.shadow_root().and_then(|root| root.active_element()) {
        active = inner;
    }
    Some(active)
}

/// Where focus goes when the widget closes with the focus in it: the page's `<main>` (made
/// focusable by script only, never by tab order), else the body. Focus the visitor has since
/// put elsewhere in the page stays there.
pub fn focus_page_start_if_lost() {
    let Some(document) = document() else { return };
    let active = document.active_element();
    let lost = active.as_ref().is_none_or(|active| {
        document.body().is_some_and(|body| body.is_same_node(Some(active)))
            || active.tag_name().eq_ignore_ascii_case(super::host::HOST_TAG)
    });
    if !lost {
        return;
    }
    let target = document.query_selector("main").ok().flatten().or_else(|| document.body().map(Into::into));
    if let Some(target) = target.and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok()) {
        if !target.has_attribute("tabindex") {
            let _ = target.set_attribute("tabindex", "-1");
        }
        let _ = target.focus();
    }
}
