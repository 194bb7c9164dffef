//! DOM events on `window` that a site's own code can listen to:
//! `consentwidget:ready`, `consentwidget:consent`, `consentwidget:change`,
//! `consentwidget:show` and `consentwidget:hide`.

use super::page;
use crate::core::json::Json;
use wasm_bindgen::JsValue;
use web_sys::{CustomEvent, CustomEventInit};

/// Plain JavaScript data from JSON (`null` if it could not be made).
pub fn to_js(value: &Json) -> JsValue {
    js_sys::JSON::parse(&value.to_string()).unwrap_or(JsValue::NULL)
}

/// Dispatches `consentwidget:<name>` with `detail`.
pub fn emit(name: &str, detail: &Json) {
    let Some(window) = page::window() else { return };
    let detail = to_js(detail);
    let init = CustomEventInit::new();
    init.set_detail(&detail);
    if let Ok(event) = CustomEvent::new_with_event_init_dict(&format!("consentwidget:{name}"), &init) {
        let _ = window.dispatch_event(&event);
    }
}
