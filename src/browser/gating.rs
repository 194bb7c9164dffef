//! Carries out the consent on the page: marked scripts, iframes and images load only once
//! their category (or service) is granted, scripts one after another in document order;
//! withdrawn categories lose their listed cookies and storage keys.
//!
//! Markup: `<script type="text/plain" data-category="analytics" [data-service="matomo"] [src=...]>`,
//! `<iframe data-src=... data-category=...>`, `<img data-src=... data-category=...>`.

use super::page;
use crate::core::config::Config;
use crate::core::consent::Consent;
use crate::core::gating::{allows, cookies_to_delete, deletion_assignments, matches, withdrawn};
use std::cell::{Cell, RefCell};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, HtmlScriptElement};

/// Set on an element once handled, so nothing ever runs or loads twice.
const DONE: &str = "data-consent-widget-released";
const MARKED: &str =
    "script[type=\"text/plain\"][data-category], iframe[data-src][data-category], img[data-src][data-category]";

thread_local! {
    static CURRENT: RefCell<Option<Consent>> = const { RefCell::new(None) };
    static RUNNING: Cell<bool> = const { Cell::new(false) };
    static AGAIN: Cell<bool> = const { Cell::new(false) };
}

/// Applies `consent` (on page load, or after a decision): releases what it allows, and
/// cleans up after categories it no longer grants. Returns the withdrawn categories.
pub fn apply(config: &Config, consent: Option<&Consent>) -> Vec<String> {
    let before = CURRENT.with(|current| current.replace(consent.cloned()));
    let gone: Vec<String> = match consent {
        Some(after) => withdrawn(before.as_ref(), after).into_iter().collect(),
        None => Vec::new(),
    };
    if !gone.is_empty() {
        clean_up(config, &gone);
    }
    release();
    gone
}

/// After a reset: nothing more is released until the next decision (what ran, ran).
pub fn forget() {
    CURRENT.with(|current| current.replace(None));
}

/// Releases, in document order, every marked element the current consent allows.
pub fn release() {
    if RUNNING.with(|running| running.replace(true)) {
        // A pass is under way (waiting for a script to load): it will look again.
        AGAIN.with(|again| again.set(true));
        return;
    }
    wasm_bindgen_futures::spawn_local(async {
        loop {
            AGAIN.with(|again| again.set(false));
            for element in pending() {
                let (category, service) =
                    (element.get_attribute("data-category"), element.get_attribute("data-service"));
                let allowed = CURRENT.with(|current| {
                    allows(current.borrow().as_ref(), category.as_deref().unwrap_or(""), service.as_deref())
                });
                if allowed {
                    let _ = element.set_attribute(DONE, "");
                    release_one(&element).await;
                }
            }
            if !AGAIN.with(Cell::get) {
                break;
            }
        }
        RUNNING.with(|running| running.set(false));
    });
}

fn pending() -> Vec<Element> {
    let Some(list) = page::document().and_then(|document| document.query_selector_all(MARKED).ok()) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|index| list.item(index))
        .filter_map(|node| node.dyn_into::<Element>().ok())
        .filter(|element| !element.has_attribute(DONE))
        .collect()
}

async fn release_one(element: &Element) {
    if element.tag_name() != "SCRIPT" {
        if let Some(source) = element.get_attribute("data-src") {
            let _ = element.set_attribute("src", &source);
        }
        return;
    }
    let Some(document) = page::document() else { return };
    let Ok(script) =
        document.create_element("script").and_then(|e| e.dyn_into::<HtmlScriptElement>().map_err(Into::into))
    else {
        return;
    };
    // Keep every attribute but the inert type and our own marker.
    let names = element.get_attribute_names();
    for name in names.iter().filter_map(|name| name.as_string()) {
        if name != "type"
            && name != DONE
            && let Some(value) = element.get_attribute(&name)
        {
            let _ = script.set_attribute(&name, &value);
        }
    }
    if let Some(kind) = element.get_attribute("data-type") {
        script.set_type(&kind);
    }
    if let Some(original) = element.dyn_ref::<HtmlScriptElement>() {
        // The browser hides a nonce from attributes after parsing; the property keeps it.
        let nonce =
            js_sys::Reflect::get(original, &"nonce".into()).ok().and_then(|n| n.as_string()).unwrap_or_default();
        if !nonce.is_empty() {
            let _ = js_sys::Reflect::set(&script, &"nonce".into(), &nonce.into());
        }
    }
    let external = element.has_attribute("src");
    if !external {
        script.set_text(&element.text_content().unwrap_or_default()).ok();
    } else {
        script.set_async(false);
    }
    let loaded = external.then(|| {
        // Wait for an external script before the next one, so they run in document order.
        let script = script.clone();
        js_sys::Promise::new(&mut move |resolve, _| {
            let _ = script.add_event_listener_with_callback("load", &resolve);
            let _ = script.add_event_listener_with_callback("error", &resolve);
        })
    });
    if let Some(parent) = element.parent_node() {
        let _ = parent.insert_before(&script, element.next_sibling().as_ref());
    }
    if let Some(loaded) = loaded {
        let _ = JsFuture::from(loaded).await;
    }
}

/// Deletes the listed cookies (on this host and its parent domains, on `/` and this path)
/// and storage keys of the withdrawn categories.
fn clean_up(config: &Config, gone: &[String]) {
    let Some(document) = page::document().and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok()) else { return };
    let header = document.cookie().unwrap_or_default();
    let present: Vec<String> =
        header.split(';').filter_map(|pair| pair.split_once('=').map(|(name, _)| name.trim().to_string())).collect();
    let gone_set = gone.iter().cloned().collect();
    let host = page::hostname();
    let path = page::window().and_then(|w| w.location().pathname().ok()).unwrap_or_else(|| "/".to_string());
    for name in cookies_to_delete(config, &gone_set, &present) {
        for assignment in deletion_assignments(&name, &host, &path) {
            let _ = document.set_cookie(&assignment);
        }
    }
    let patterns: Vec<&String> =
        config.categories.iter().filter(|c| gone.contains(&c.id)).flat_map(|c| c.storage.iter()).collect();
    if patterns.is_empty() {
        return;
    }
    for storage in [
        page::window().and_then(|w| w.local_storage().ok().flatten()),
        page::window().and_then(|w| w.session_storage().ok().flatten()),
    ]
    .into_iter()
    .flatten()
    {
        let keys: Vec<String> =
            (0..storage.length().unwrap_or(0)).filter_map(|i| storage.key(i).ok().flatten()).collect();
        for key in keys.iter().filter(|key| patterns.iter().any(|pattern| matches(pattern, key))) {
            let _ = storage.remove_item(key);
        }
    }
}

/// Watches for marked elements the page adds later.
pub fn observe() {
    let Some(root) = page::document().and_then(|d| d.document_element()) else { return };
    let callback = Closure::<dyn Fn()>::new(release);
    let Ok(observer) = web_sys::MutationObserver::new(callback.as_ref().unchecked_ref()) else { return };
    let options = web_sys::MutationObserverInit::new();
    options.set_child_list(true);
    options.set_subtree(true);
    let _ = observer.observe_with_options(&root, &options);
    // Both live as long as the page: the document keeps an observing observer alive.
    callback.forget();
}

/// The consent the page runs under now.
pub fn current() -> Option<Consent> {
    CURRENT.with(|current| current.borrow().clone())
}
