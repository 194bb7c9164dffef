//! Start-up: take the configuration the loader read (or `init(config)`), fall back to a safe one
//! when it is broken, read the stored consent, and mount the app, in the place of the banner
//! the loader showed.

use super::handoff::Handoff;
use super::{host, page};
use crate::core::config::Config;
use crate::core::consent::State;
use crate::core::language;
use crate::ui::{App, AppProps, Taken};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

thread_local! {
    /// The running widget, so that it can be replaced or removed.
    static RUNNING: RefCell<Option<yew::AppHandle<App>>> = const { RefCell::new(None) };
}

/// Entry point for the script tag and the npm module, once the loader has read the configuration
/// (`config`, or the `problem` that kept it from doing so) and maybe shown the banner (`handoff`).
#[wasm_bindgen]
pub fn boot(config: Option<String>, problem: Option<String>, handoff: JsValue) {
    let json = config.ok_or_else(|| problem.unwrap_or_else(|| "no configuration".to_string()));
    mount(json, Handoff::read(&handoff));
}

/// Entry point for JavaScript: `init(config)` with an object or a JSON string.
/// Calling it again replaces the running widget.
#[wasm_bindgen]
pub fn init(config: JsValue) {
    let json = match config.as_string() {
        Some(text) => Ok(text),
        None => js_sys::JSON::stringify(&config)
            .ok()
            .and_then(|text| text.as_string())
            .ok_or_else(|| "init(config) needs an object or a JSON string".to_string()),
    };
    mount(json, Handoff::default());
}

/// Parses the configuration (one console error and the safe fallback when it is broken)
/// and renders the widget once the page has a body.
fn mount(json: Result<String, String>, handoff: Handoff) {
    let parsed = json.and_then(|json| Config::from_json(&json).map_err(|error| error.to_string()));
    let (config, trusted) = match parsed {
        Ok(config) => (config, true),
        Err(message) => {
            page::console_error(&format!("{message}. Showing a banner that can grant only the necessary category."));
            (Config::safe_fallback(&page::hostname()), false)
        }
    };
    let config = Rc::new(config);
    let Some(document) = page::document() else { return };
    if document.body().is_some() {
        render(config, handoff, trusted);
    } else {
        let once = Closure::once(move || render(config, handoff, trusted));
        let _ = document.add_event_listener_with_callback("DOMContentLoaded", once.as_ref().unchecked_ref());
        once.forget();
    }
}

/// Removes the widget from the page; the stored consent stays.
#[wasm_bindgen]
pub fn destroy() {
    stop_running();
    host::remove_render_root();
}

fn stop_running() {
    if let Some(app) = RUNNING.with(|running| running.borrow_mut().take()) {
        app.destroy();
    }
    super::api::unregister();
}

/// Renders the app. When the banner the loader showed is exactly what the app renders first
/// (the configuration it was built from is the one in force, and nothing was decided on it), the
/// app renders beside it and takes its place in the same frame, focus kept; otherwise the
/// loader's element is emptied and the app renders into it.
fn render(config: Rc<Config>, handoff: Handoff, config_in_force: bool) {
    stop_running();
    let chosen = handoff.language.filter(|code| config.languages.enabled.contains(code));
    let language = chosen.unwrap_or_else(|| {
        language::detect(&config.languages, page::page_language().as_deref(), &page::browser_languages())
    });
    let stored = page::read_consent(&config.cookie.name);
    let state = State::start(&config, stored, language, page::now()).with_gpc(page::global_privacy_control());
    let takes_place = handoff.shown && config_in_force && handoff.decision.is_none() && state.banner;
    let (root, replaces) = match handoff.container {
        Some(shown) if takes_place => {
            (page::document().and_then(|document| document.create_element("div").ok()), Some(shown))
        }
        Some(container) => {
            host::empty(&container);
            (Some(container), None)
        }
        None => {
            host::remove_render_root();
            (host::create_render_root(), None)
        }
    };
    let Some(root) = root else {
        page::console_error("cannot create the widget's root element");
        return;
    };
    host::listen_for_page_hooks();
    if let Some(settings) = &config.records {
        super::records::start(settings.endpoint.clone());
    }
    let decided = handoff.decision.map(|(action, at)| Taken { action, at });
    let props = AppProps { config, state, decided, opening: handoff.open, replaces };
    let app = yew::Renderer::<App>::with_root_and_props(root, props).render();
    RUNNING.with(|running| *running.borrow_mut() = Some(app));
}
