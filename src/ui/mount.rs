//! The widget's entry points: the app mounted for the script tag and the npm module (`boot`), for
//! `init(config)`, and removed by `destroy()`.

use super::{App, AppProps, Taken};
use crate::browser::handoff::Handoff;
use crate::browser::{api, catalogue, host, page, start};
use crate::core::json::{self, Json};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

thread_local! {
    /// The running app, so that it can be replaced or removed.
    static RUNNING: RefCell<Option<yew::AppHandle<App>>> = const { RefCell::new(None) };
    /// The configuration of the start under way or done, as JSON (none after `destroy()`), and
    /// which start it is: a start still fetching its catalogue entries or waiting for the page's
    /// body goes on only while it is the latest.
    static STARTED: RefCell<(u64, Option<Json>)> = const { RefCell::new((0, None)) };
}

/// Counts a new start (or a `destroy()`, with no configuration) and returns its number.
fn begin(config: Option<Json>) -> u64 {
    STARTED.with(|started| {
        let mut started = started.borrow_mut();
        started.0 += 1;
        started.1 = config;
        started.0
    })
}

fn is_latest(run: u64) -> bool {
    STARTED.with(|started| started.borrow().0 == run)
}

/// Entry point for the script tag and the npm module, once the loader has read the configuration
/// (`config`, or the `problem` that kept it from doing so) and maybe shown the banner (`handoff`).
#[wasm_bindgen]
pub fn boot(config: Option<String>, problem: Option<String>, handoff: JsValue) {
    let json = config.ok_or_else(|| problem.unwrap_or_else(|| "no configuration".to_string()));
    let parsed = parse(&json);
    mount(json, parsed, Handoff::read(&handoff));
}

/// Entry point for JavaScript: `init(config)` with an object or a JSON string. The configuration
/// already in force (or starting) changes nothing; another one restarts the widget with it, and
/// the console says so.
#[wasm_bindgen]
pub fn init(config: JsValue) {
    let json = match config.as_string() {
        Some(text) => Ok(text),
        None => js_sys::JSON::stringify(&config)
            .ok()
            .and_then(|text| text.as_string())
            .ok_or_else(|| "init(config) needs an object or a JSON string".to_string()),
    };
    let parsed = parse(&json);
    let running = STARTED.with(|started| started.borrow().1.clone());
    match (&running, &parsed) {
        (Some(running), Some(parsed)) if running == parsed => return,
        (Some(_), _) => page::console_warn("init(config) with another configuration: the widget restarts with it"),
        (None, _) => {}
    }
    mount(json, parsed, Handoff::default());
}

/// The configuration as JSON, to tell one start's from another's; none when it is not JSON.
fn parse(json: &Result<String, String>) -> Option<Json> {
    json.as_deref().ok().and_then(|text| json::parse(text).ok())
}

/// Removes the widget from the page, and every listener it added; the stored consent stays. A
/// start under way (fetching its catalogue entries, waiting for the body) stops too.
#[wasm_bindgen]
pub fn destroy() {
    begin(None);
    stop_app();
    api::end();
    host::remove_render_root();
}

fn mount(json: Result<String, String>, parsed: Option<Json>, handoff: Handoff) {
    // A start with a text that is not JSON is a start too (destroy() and init see one), kept as
    // `null`: an init(config) after it restarts, unless given `null`, no configuration either.
    let run = begin(Some(parsed.unwrap_or(Json::Null)));
    let named = json.as_deref().map(crate::core::catalogue::presets_named).unwrap_or_default();
    if named.is_empty() {
        return mount_read(json, handoff, run);
    }
    // The banner the loader showed stays, and keeps what the visitor does, meanwhile.
    wasm_bindgen_futures::spawn_local(async move {
        catalogue::fetch(&named).await;
        if is_latest(run) {
            mount_read(json, handoff, run);
        }
    });
}

fn mount_read(json: Result<String, String>, handoff: Handoff, run: u64) {
    let (config, in_force) = start::configuration(json);
    start::when_body(move || {
        if !is_latest(run) {
            return;
        }
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
