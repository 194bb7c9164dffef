//! Carries out the consent on the page: marked scripts, iframes and images load only once
//! their category (or service) is granted, scripts one after another in document order;
//! withdrawn categories lose their listed cookies and storage keys.
//!
//! Markup: `<script type="text/plain" data-category="analytics" [data-service="matomo"] [src=...]>`,
//! `<iframe data-src=... data-category=...>`, `<img data-src=... data-category=...>`.

use super::{page, trusted_types};
use crate::core::btree;
use crate::core::config::Config;
use crate::core::consent::Consent;
use crate::core::gating::{allows, cookies_to_delete, deletion_assignments, matches, withdrawn};
use gloo_events::EventListener;
use std::cell::RefCell;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, HtmlScriptElement};

/// Set on an element once handled, so nothing ever runs or loads twice.
const DONE: &str = "data-consent-widget-released";
const MARKED: &str =
    "script[type=\"text/plain\"][data-category], iframe[data-src][data-category], img[data-src][data-category]";

/// The words of a blocked iframe's placeholder, in the widget's current language.
#[derive(Debug, Clone, Default)]
pub struct PlaceholderTexts {
    pub language: String,
    /// With `{category}` for the category's title.
    pub text: String,
    pub button: String,
    /// Category id → title in that language.
    pub titles: Vec<(String, String)>,
}

const PLACEHOLDER_TAG: &str = "consent-widget-placeholder";
const PLACEHOLDER_STYLES: &str = ":host{display:block;all:initial}\
div{box-sizing:border-box;padding:1rem;border:1px dashed #6b6b6b;border-radius:.375rem;background:#f3f5f8;color:#1b1b1b;\
font:1rem/1.5 system-ui,sans-serif}p{margin:0 0 .5rem}button{min-height:2.75rem;padding:.5rem 1rem;font:inherit;\
font-weight:600;color:#fff;background:#1f3a5f;border:0;border-radius:.375rem;cursor:pointer}\
button:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}";

/// The release loop's state, and the placeholders' words.
#[derive(Default)]
struct Gate {
    placeholder: PlaceholderTexts,
    /// A release pass is under way (waiting for a script to load, say).
    running: bool,
    /// Something changed during that pass: it looks again before it ends.
    again: bool,
}

thread_local! {
    static GATE: RefCell<Gate> = RefCell::new(Gate::default());
}

/// Applies `consent`, which replaces `previous` (on page load, or after a decision): cleans up
/// after the categories it no longer grants, and releases what it allows. Returns the withdrawn
/// categories.
pub fn apply(config: &Config, previous: Option<&Consent>, consent: &Consent) -> Vec<String> {
    let gone: Vec<String> = withdrawn(previous, consent).into_iter().collect();
    if !gone.is_empty() {
        clean_up(config, &gone);
    }
    release();
    gone
}

/// After `reset()`: deletes the cookies and storage keys of what `previous` granted beyond the
/// required categories, as a withdrawal of them would.
pub fn forget(config: &Config, previous: &Consent) {
    let gone: Vec<String> = previous
        .categories
        .iter()
        .filter(|id| !config.category(id).is_some_and(|category| category.required))
        .cloned()
        .collect();
    if !gone.is_empty() {
        clean_up(config, &gone);
    }
}

/// Releases, in document order, every marked element the consent in force allows.
pub fn release() {
    let busy = GATE.with(|gate| {
        let mut gate = gate.borrow_mut();
        gate.again = gate.running;
        std::mem::replace(&mut gate.running, true)
    });
    if busy {
        // The pass under way will look again.
        return;
    }
    wasm_bindgen_futures::spawn_local(async {
        loop {
            GATE.with(|gate| gate.borrow_mut().again = false);
            for element in pending() {
                let (category, service) =
                    (element.get_attribute("data-category"), element.get_attribute("data-service"));
                let allowed = super::api::live(|live| {
                    allows(live.consent.as_ref(), category.as_deref().unwrap_or(""), service.as_deref())
                })
                .unwrap_or(false);
                if allowed {
                    let _ = element.set_attribute(DONE, "");
                    release_one(&element).await;
                } else if element.tag_name() == "IFRAME" {
                    show_placeholder(&element, category.as_deref().unwrap_or(""));
                }
            }
            if !GATE.with(|gate| gate.borrow().again) {
                break;
            }
        }
        GATE.with(|gate| gate.borrow_mut().running = false);
        // Every allowed element of this pass has run (an external script once it has loaded).
        page::mark("released");
    });
}

/// How many elements of these categories have been released on this page.
pub fn ran(categories: &[String]) -> usize {
    let Some(list) = page::document().and_then(|document| document.query_selector_all(&format!("[{DONE}]")).ok())
    else {
        return 0;
    };
    (0..list.length())
        .filter_map(|index| list.item(index))
        .filter_map(|node| node.dyn_into::<Element>().ok())
        .filter(|element| element.get_attribute("data-category").is_some_and(|category| categories.contains(&category)))
        .count()
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
        remove_placeholder(element);
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
            trusted_types::set_script_attribute(&script, &name, &value);
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
        trusted_types::set_script_text(&script, &element.text_content().unwrap_or_default());
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
    let gone_set = btree::set(gone.iter().cloned());
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

/// Watches the page for marked elements it adds later; disconnected when dropped.
pub struct Observer {
    observer: web_sys::MutationObserver,
    _callback: Closure<dyn Fn()>,
}

impl Drop for Observer {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}

/// Starts watching for marked elements the page adds later.
pub fn observe() -> Option<Observer> {
    let root = page::document()?.document_element()?;
    let callback = Closure::<dyn Fn()>::new(release);
    let observer = web_sys::MutationObserver::new(callback.as_ref().unchecked_ref()).ok()?;
    let options = web_sys::MutationObserverInit::new();
    options.set_child_list(true);
    options.set_subtree(true);
    observer.observe_with_options(&root, &options).ok()?;
    Some(Observer { observer, _callback: callback })
}

/// Updates the placeholders' words (after a language change, say).
pub fn set_placeholder_texts(texts: PlaceholderTexts) {
    let changed = GATE.with(|gate| {
        let mut gate = gate.borrow_mut();
        let changed = gate.placeholder.language != texts.language;
        gate.placeholder = texts;
        changed
    });
    if changed {
        // Rebuild the ones on the page in the new language.
        if let Some(list) = page::document().and_then(|d| d.query_selector_all(PLACEHOLDER_TAG).ok()) {
            for index in 0..list.length() {
                if let Some(node) = list.item(index).and_then(|n| n.dyn_into::<Element>().ok()) {
                    node.remove();
                }
            }
        }
        release();
    }
}

/// Hides a blocked iframe behind a small placeholder that explains why and offers the settings.
fn show_placeholder(frame: &Element, category: &str) {
    let _ = frame.set_attribute("hidden", "");
    let already = frame
        .previous_element_sibling()
        .is_some_and(|sibling| sibling.tag_name().eq_ignore_ascii_case(PLACEHOLDER_TAG));
    let Some(document) = page::document() else { return };
    if already {
        return;
    }
    let Ok(host) = document.create_element(PLACEHOLDER_TAG) else { return };
    let Ok(shadow) = host.attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open)) else { return };
    if let Ok(sheet) = web_sys::CssStyleSheet::new()
        && sheet.replace_sync(PLACEHOLDER_STYLES).is_ok()
    {
        let _ = js_sys::Reflect::set(&shadow, &"adoptedStyleSheets".into(), &js_sys::Array::of1(&sheet));
    }
    let texts = GATE.with(|gate| gate.borrow().placeholder.clone());
    let title = texts.titles.iter().find(|(id, _)| id == category).map(|(_, title)| title.clone()).unwrap_or_default();
    let (Ok(panel), Ok(text), Ok(button)) =
        (document.create_element("div"), document.create_element("p"), document.create_element("button"))
    else {
        return;
    };
    let _ = panel.set_attribute("lang", &texts.language);
    // Text nodes only: nothing here is ever parsed as HTML.
    text.set_text_content(Some(&texts.text.replace("{category}", &title)));
    button.set_text_content(Some(&texts.button));
    let _ = button.set_attribute("type", "button");
    super::api::keep_listener(EventListener::new(&button, "click", |_| {
        super::api::open(crate::core::consent::Action::OpenPreferences)
    }));
    let _ = panel.append_child(&text);
    let _ = panel.append_child(&button);
    let _ = shadow.append_child(&panel);
    if let Some(parent) = frame.parent_node() {
        let _ = parent.insert_before(&host, Some(frame));
    }
}

fn remove_placeholder(frame: &Element) {
    if let Some(sibling) = frame.previous_element_sibling()
        && sibling.tag_name().eq_ignore_ascii_case(PLACEHOLDER_TAG)
    {
        sibling.remove();
    }
    let _ = frame.remove_attribute("hidden");
}
