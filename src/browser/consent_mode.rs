//! Sends Google Consent Mode v2 updates through `gtag`, which `consent-mode.js` defines
//! (with the all-denied defaults) before any Google tag loads.

use super::page;
use crate::core::config::Config;
use crate::core::consent::Consent;
use crate::core::consent_mode::signals;
use wasm_bindgen::{JsCast, JsValue};

/// One `gtag('consent', 'update', {...})` for `consent`, when Consent Mode is on.
pub fn update(config: &Config, consent: Option<&Consent>) {
    let Some(settings) = config.consent_mode.as_ref().filter(|settings| settings.enabled) else { return };
    let Some(window) = page::window() else { return };
    let gtag =
        js_sys::Reflect::get(&window, &"gtag".into()).ok().and_then(|gtag| gtag.dyn_into::<js_sys::Function>().ok());
    let Some(gtag) = gtag else {
        page::console_error("consentMode is enabled but gtag is missing: load consent-mode.js before any Google tag");
        return;
    };
    let values = js_sys::Object::new();
    for (kind, value) in signals(&settings.mapping(), consent) {
        let _ = js_sys::Reflect::set(&values, &kind.into(), &value.into());
    }
    let _ = gtag.call3(&JsValue::NULL, &"consent".into(), &"update".into(), &values);
}
