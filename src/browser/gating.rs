//! Carries out the consent on the page: marked scripts, iframes and images load only once
//! their category (or service) is granted, scripts one after another in document order;
//! withdrawn categories lose their listed cookies and storage keys. A held iframe's placeholder
//! is js/embeds.js's, from the first paint.
//!
//! Markup: `<script type="text/plain" data-category="analytics" [data-service="matomo"] [src=...]>`,
//! `<iframe data-src=... data-category=...>`, `<img data-src=... data-category=...>`.

use super::page;
use crate::core::btree;
use crate::core::config::Config;
use crate::core::consent::Consent;
use crate::core::gating::{allows, cookies_to_delete, deletion_assignments, matches, withdrawn};
use std::cell::RefCell;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::Element;

/// Set on an element once released (by js/stored-consent.js's releaseElement), so nothing ever
/// runs or loads twice.
const DONE: &str = "data-consent-widget-released";
const MARKED: &str =
    "script[type=\"text/plain\"][data-category], iframe[data-src][data-category], img[data-src][data-category]";

/// The release loop's state.
#[derive(Default)]
struct Gate {
    /// The configuration's categories, each with its services' ids: what a mark may name.
    known: Vec<(String, Vec<String>)>,
    /// The marks already reported as naming nothing the configuration has.
    warned: std::collections::BTreeSet<String>,
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

/// Takes the names marks may use from `config`, as the widget starts.
pub fn know(config: &Config) {
    let known = config
        .categories
        .iter()
        .map(|category| (category.id.clone(), category.services.iter().map(|service| service.id.clone()).collect()))
        .collect();
    GATE.with(|gate| gate.borrow_mut().known = known);
}

/// A mark naming a category, or a service of it, that the configuration does not have would
/// hold its element for ever, silently: said once per name in the console.
fn warn_if_unknown(element: &Element, category: &str, service: Option<&str>) {
    let problem = GATE.with(|gate| {
        let gate = gate.borrow();
        if gate.known.is_empty() {
            return None;
        }
        match (gate.known.iter().find(|(id, _)| id == category), service) {
            (None, _) => Some(format!("data-category=\"{category}\" names no category of the configuration")),
            (Some((_, services)), Some(service)) if !services.iter().any(|id| id == service) => Some(format!(
                "data-service=\"{service}\" names no service of the category `{category}` in the configuration"
            )),
            _ => None,
        }
    });
    let Some(problem) = problem else { return };
    let first = GATE.with(|gate| gate.borrow_mut().warned.insert(problem.clone()));
    if first {
        let tag = element.tag_name().to_ascii_lowercase();
        page::console_warn(&format!("<{tag}> {problem}: it is never released"));
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
                warn_if_unknown(&element, category.as_deref().unwrap_or(""), service.as_deref());
                let allowed = super::api::live(|live| {
                    allows(live.consent.as_ref(), category.as_deref().unwrap_or(""), service.as_deref())
                })
                .unwrap_or(false);
                if allowed {
                    release_one(&element).await;
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

thread_local! {
    /// `(element) => Promise | null`: js/stored-consent.js's `releaseElement`, the one way a held
    /// element is released (the loader and the npm module hand it in before the widget boots).
    static RELEASER: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
}

/// Tells the widget how to release a held element: `releaser(element)` makes it load or run and
/// returns a promise that resolves once an external script has loaded, or null.
#[wasm_bindgen(js_name = setReleaser)]
pub fn set_releaser(releaser: js_sys::Function) {
    RELEASER.with(|slot| *slot.borrow_mut() = Some(releaser));
}

/// Releases `element` through the releaser, waiting for an external script so that the next one
/// runs after it, in document order. Without a releaser nothing is released.
async fn release_one(element: &Element) {
    let Some(releaser) = RELEASER.with(|slot| slot.borrow().clone()) else { return };
    let Ok(result) = releaser.call1(&JsValue::NULL, element) else { return };
    if let Ok(loaded) = result.dyn_into::<js_sys::Promise>() {
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
