//! Sends the consent signals vendors take: Google Consent Mode v2 updates through `gtag`, which
//! `consent-mode.js` defines (with the all-denied defaults) before any Google tag loads, and the
//! other vendors' (src/core/vendor_signals.rs), each through its own queue or function.

use super::page;
use crate::core::config::Config;
use crate::core::consent::Consent;
use crate::core::consent_mode::signals;
use crate::core::vendor_signals::{self, Signal};
use wasm_bindgen::{JsCast, JsValue};

/// Every vendor's signal for `consent`: on each decision, and replayed on each page view.
pub fn update(config: &Config, consent: Option<&Consent>) {
    google(config, consent);
    for (signal, granted) in vendor_signals::signals(config, consent) {
        vendor(signal, granted);
    }
}

/// One `gtag('consent', 'update', {...})` for `consent`, when Consent Mode is on.
fn google(config: &Config, consent: Option<&Consent>) {
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

/// One vendor's signal. UET's queue is made if its tag has not (the tag reads it when it loads);
/// the others are called only once their tag has defined them: a tag that never ran needs none.
fn vendor(signal: Signal, granted: bool) {
    let Some(window) = page::window() else { return };
    let get = |target: &JsValue, name: &str| js_sys::Reflect::get(target, &name.into()).unwrap_or(JsValue::UNDEFINED);
    let state = JsValue::from_str(if granted { "granted" } else { "denied" });
    let values = |names: &[&str]| {
        let values = js_sys::Object::new();
        for name in names {
            let _ = js_sys::Reflect::set(&values, &(*name).into(), &state);
        }
        values
    };
    match signal {
        Signal::GoogleConsentMode => {}
        Signal::MicrosoftUet => {
            let mut queue = get(&window, "uetq");
            if queue.is_undefined() {
                queue = js_sys::Array::new().into();
                let _ = js_sys::Reflect::set(&window, &"uetq".into(), &queue);
            }
            if let Ok(push) = get(&queue, "push").dyn_into::<js_sys::Function>() {
                let _ = push.call3(&queue, &"consent".into(), &"update".into(), &values(&["ad_storage"]));
            }
        }
        Signal::MicrosoftClarity => {
            if let Ok(clarity) = get(&window, "clarity").dyn_into::<js_sys::Function>() {
                let _ =
                    clarity.call2(&JsValue::NULL, &"consentv2".into(), &values(&["ad_Storage", "analytics_Storage"]));
            }
        }
        Signal::MetaPixel => {
            if let Ok(fbq) = get(&window, "fbq").dyn_into::<js_sys::Function>() {
                let _ =
                    fbq.call2(&JsValue::NULL, &"consent".into(), &(if granted { "grant" } else { "revoke" }).into());
            }
        }
        Signal::Tiktok => {
            let ttq = get(&window, "ttq");
            let method = if granted { "grantConsent" } else { "revokeConsent" };
            if let Ok(call) = get(&ttq, method).dyn_into::<js_sys::Function>() {
                let _ = call.call0(&ttq);
            }
        }
    }
}
