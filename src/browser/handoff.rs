//! What the loader hands over with the banner it showed before the wasm ran
//! (`takeOver()` in js/first-layer.js): where the banner is, in which language, and what the
//! visitor did meanwhile, so that the wasm honours it exactly as if it had been there; and the
//! Trusted Types policy it made if it released a stored consent's tags (js/stored-consent.js).

use crate::core::consent::Action;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Element;

#[derive(Debug, Default)]
pub struct Handoff {
    /// The element in the widget's shadow root that holds the banner's markup.
    pub container: Option<Element>,
    /// The language the banner speaks (the visitor may have switched it).
    pub language: Option<String>,
    /// Whether the banner is still showing, untouched: the wasm hydrates it.
    pub shown: bool,
    /// "Accept all" or "Reject all", clicked at this Unix time in milliseconds.
    pub decision: Option<(Action, f64)>,
    /// "Customize", the partners or the policy link, clicked: opened once the wasm is ready.
    pub open: Option<Action>,
}

impl Handoff {
    /// Reads the loader's plain object; anything missing or odd counts as not handed over.
    pub fn read(value: &JsValue) -> Handoff {
        let get =
            |target: &JsValue, name: &str| js_sys::Reflect::get(target, &name.into()).unwrap_or(JsValue::UNDEFINED);
        if !value.is_object() {
            return Handoff::default();
        }
        let decision = get(value, "decision");
        let decision = match get(&decision, "action").as_string().as_deref() {
            Some("acceptAll") => Some(Action::AcceptAll),
            Some("rejectAll") => Some(Action::RejectAll),
            _ => None,
        }
        .zip(get(&decision, "at").as_f64());
        let open = match get(value, "open").as_string().as_deref() {
            Some("preferences") => Some(Action::OpenPreferences),
            Some("policy") => Some(Action::OpenPolicy { section: get(value, "section").as_string() }),
            _ => None,
        };
        Handoff {
            container: get(value, "container").dyn_into::<Element>().ok(),
            language: get(value, "language").as_string(),
            shown: get(value, "shown").as_bool() == Some(true),
            decision,
            open,
        }
    }
}
