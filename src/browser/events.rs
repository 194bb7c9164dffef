//! DOM events on `window` that a site's own code can listen to:
//! `consentwidget:ready`, `consentwidget:consent`, `consentwidget:change`,
//! `consentwidget:show` and `consentwidget:hide`.

use super::page;
use wasm_bindgen::JsValue;
use web_sys::{CustomEvent, CustomEventInit};

/// Dispatches `consentwidget:<name>` with `detail` (plain data, as JSON).
pub fn emit(name: &str, detail: &impl serde::Serialize) {
    let Some(window) = page::window() else { return };
    let detail =
        serde_json::to_string(detail).ok().and_then(|json| js_sys::JSON::parse(&json).ok()).unwrap_or(JsValue::NULL);
    let init = CustomEventInit::new();
    init.set_detail(&detail);
    if let Ok(event) = CustomEvent::new_with_event_init_dict(&format!("consentwidget:{name}"), &init) {
        let _ = window.dispatch_event(&event);
    }
}
