//! Start-up: find the configuration (inline JSON, a `data-config` URL, or `init(config)`),
//! fall back to a safe one when it is broken, read the stored consent, and mount the app.

use super::{host, page};
use crate::core::config::Config;
use crate::core::consent::{Standing, State};
use crate::core::language;
use crate::ui::{App, AppProps};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

thread_local! {
    /// The running widget, so that it can be replaced or removed.
    static RUNNING: RefCell<Option<yew::AppHandle<App>>> = const { RefCell::new(None) };
}

/// The id of the inline `<script type="application/json">` holding the configuration.
const INLINE_CONFIG_ID: &str = "consent-widget-config";

/// Entry point for the script tag: `config_url` is its `data-config`, already resolved, and
/// `config_response` the fetch of it that the loader started while the wasm was loading.
#[wasm_bindgen]
pub async fn boot(config_url: Option<String>, config_response: Option<js_sys::Promise>) {
    let config = match config_url {
        Some(url) => {
            let response = config_response.unwrap_or_else(|| page::fetch(&url));
            response_text(response).await.map_err(|reason| format!("cannot load data-config `{url}`: {reason}"))
        }
        None => inline_config().ok_or_else(|| {
            format!("no configuration: add <script type=\"application/json\" id=\"{INLINE_CONFIG_ID}\">, data-config, or call init(config)")
        }),
    };
    mount(config);
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
    mount(json);
}

fn inline_config() -> Option<String> {
    page::document()?.get_element_by_id(INLINE_CONFIG_ID)?.text_content()
}

async fn response_text(response: js_sys::Promise) -> Result<String, String> {
    let response = JsFuture::from(response).await.map_err(|_| "network error".to_string())?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| "not a response".to_string())?;
    if !response.ok() {
        return Err(format!("HTTP {}", response.status()));
    }
    let text = JsFuture::from(response.text().map_err(|_| "unreadable body")?).await.map_err(|_| "unreadable body")?;
    text.as_string().ok_or_else(|| "unreadable body".to_string())
}

/// Parses the configuration (one console error and the safe fallback when it is broken)
/// and renders the widget once the page has a body.
fn mount(json: Result<String, String>) {
    let config = match json.and_then(|json| Config::from_json(&json).map_err(|error| error.to_string())) {
        Ok(config) => config,
        Err(message) => {
            page::console_error(&format!("{message}. Showing a banner that can grant only the necessary category."));
            Config::safe_fallback(&page::hostname())
        }
    };
    let config = Rc::new(config);
    let Some(document) = page::document() else { return };
    if document.body().is_some() {
        render(config);
    } else {
        let once = Closure::once(move || render(config));
        let _ = document.add_event_listener_with_callback("DOMContentLoaded", once.as_ref().unchecked_ref());
        once.forget();
    }
}

/// Removes the widget from the page; the stored consent stays.
#[wasm_bindgen]
pub fn destroy() {
    if let Some(app) = RUNNING.with(|running| running.borrow_mut().take()) {
        app.destroy();
    }
    super::api::unregister();
    host::remove_render_root();
}

fn render(config: Rc<Config>) {
    destroy();
    let Some(root) = host::create_render_root() else {
        page::console_error("cannot create the widget's root element");
        return;
    };
    let language = language::detect(&config.languages, page::page_language().as_deref(), &page::browser_languages());
    let now = page::now();
    let stored = page::read_consent(&config.cookie.name).filter(|consent| match consent.standing(&config, now) {
        Standing::Untrusted { field } => {
            page::console_warn(&format!("untrusted consent cookie (`{field}`); asking again"));
            false
        }
        Standing::Current | Standing::Outdated => true,
    });
    let state = State::start(&config, stored, language, now).with_gpc(page::global_privacy_control());
    host::listen_for_page_hooks();
    if let Some(settings) = &config.records {
        super::records::start(settings.endpoint.clone());
    }
    let app = yew::Renderer::<App>::with_root_and_props(root, AppProps { config, state }).render();
    RUNNING.with(|running| *running.borrow_mut() = Some(app));
}
