//! The widget's entry points: the app mounted for the script tag and the npm module (`boot`), for
//! `init(config)`, and removed by `destroy()`.

use super::{App, AppProps, Taken};
use crate::browser::handoff::Handoff;
use crate::browser::{api, catalogue, host, start};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

thread_local! {
    /// The running app, so that it can be replaced or removed.
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

/// Removes the widget from the page, and every listener it added; the stored consent stays.
#[wasm_bindgen]
pub fn destroy() {
    stop_app();
    api::end();
    host::remove_render_root();
}

fn mount(json: Result<String, String>, handoff: Handoff) {
    let named = json.as_deref().map(crate::core::catalogue::presets_named).unwrap_or_default();
    if named.is_empty() {
        return mount_read(json, handoff);
    }
    // The banner the loader showed stays, and keeps what the visitor does, meanwhile.
    wasm_bindgen_futures::spawn_local(async move {
        catalogue::fetch(&named).await;
        mount_read(json, handoff);
    });
}

fn mount_read(json: Result<String, String>, handoff: Handoff) {
    let (config, in_force) = start::configuration(json);
    start::when_body(move || {
        stop_app();
        let Some(start) = start::prepare(config, handoff, in_force) else { return };
        let props = AppProps {
            config: start.config,
            state: start.state,
            decided: start.decision.map(|(action, at)| Taken { action, at }),
            opening: start.opening,
            replaces: start.replaces,
        };
        let app = yew::Renderer::<App>::with_root_and_props(start.root, props).render();
        RUNNING.with(|running| *running.borrow_mut() = Some(app));
    });
}

fn stop_app() {
    if let Some(app) = RUNNING.with(|running| running.borrow_mut().take()) {
        app.destroy();
    }
}
