//! The bridge between the page and the running widget: the store's dispatcher, the
//! element focus returns to, and the functions exported to JavaScript.

use crate::core::consent::Action;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use web_sys::Element;
use yew::Callback;

thread_local! {
    static DISPATCH: RefCell<Option<Callback<Action>>> = const { RefCell::new(None) };
    /// What had focus before the first dialog opened, to give focus back on close.
    static OPENER: RefCell<Option<Element>> = const { RefCell::new(None) };
    static DIALOG_OPEN: RefCell<bool> = const { RefCell::new(false) };
    /// Actions sent before the app was mounted, run once it is.
    static WAITING: RefCell<Vec<Action>> = const { RefCell::new(Vec::new()) };
}

/// Called by the app once mounted, so that the page can drive it.
pub fn register(dispatch: Callback<Action>) {
    for action in WAITING.with(|waiting| waiting.take()) {
        dispatch.emit(action);
    }
    DISPATCH.with(|slot| *slot.borrow_mut() = Some(dispatch));
}

/// Forgets the app on unmount; later actions wait for the next one.
pub fn unregister() {
    DISPATCH.with(|slot| *slot.borrow_mut() = None);
}

pub fn dispatch(action: Action) {
    let dispatch = DISPATCH.with(|slot| slot.borrow().clone());
    match dispatch {
        Some(dispatch) => dispatch.emit(action),
        None => WAITING.with(|waiting| waiting.borrow_mut().push(action)),
    }
}

/// Opens a dialog, remembering what had focus if no dialog is open yet.
pub fn open(action: Action) {
    if !DIALOG_OPEN.with(|open| *open.borrow()) {
        OPENER.with(|opener| *opener.borrow_mut() = super::page::deep_active_element());
    }
    dispatch(action);
}

/// Kept in step by the app, so `open` knows whether a dialog is already showing.
pub fn set_dialog_open(open: bool) {
    DIALOG_OPEN.with(|slot| *slot.borrow_mut() = open);
}

/// The element that opened the dialogs, if it is still in the page.
pub fn take_opener() -> Option<Element> {
    OPENER.with(|opener| opener.borrow_mut().take()).filter(|element| element.is_connected())
}

#[wasm_bindgen(js_name = showPreferences)]
pub fn show_preferences() {
    open(Action::OpenPreferences);
}

#[wasm_bindgen(js_name = showPolicy)]
pub fn show_policy(section: Option<String>) {
    open(Action::OpenPolicy { section });
}

#[wasm_bindgen]
pub fn version() -> String {
    crate::core::VERSION.to_string()
}

#[wasm_bindgen(js_name = acceptAll)]
pub fn accept_all() {
    dispatch(Action::AcceptAll);
}

#[wasm_bindgen(js_name = rejectAll)]
pub fn reject_all() {
    dispatch(Action::RejectAll);
}

/// Grants exactly these categories (required ones always included).
#[wasm_bindgen(js_name = acceptCategories)]
pub fn accept_categories(ids: Vec<String>) {
    dispatch(Action::AcceptCategories(ids));
}

#[wasm_bindgen(js_name = acceptedCategory)]
pub fn accepted_category(id: &str) -> bool {
    super::gating::current().is_some_and(|consent| consent.grants(id))
}

#[wasm_bindgen(js_name = acceptedService)]
pub fn accepted_service(category: &str, service: &str) -> bool {
    crate::core::gating::allows(super::gating::current().as_ref(), category, Some(service))
}

/// The current consent as plain data, or `null` before any decision.
#[wasm_bindgen(js_name = getConsent)]
pub fn get_consent() -> JsValue {
    super::gating::current().map(|consent| super::events::to_js(&consent.to_json())).unwrap_or(JsValue::NULL)
}

#[wasm_bindgen(js_name = setLanguage)]
pub fn set_language(code: String) {
    dispatch(Action::SetLanguage(code));
}

/// Shows the banner again (it closes by itself once the visitor decides).
#[wasm_bindgen]
pub fn show() {
    dispatch(Action::ShowBanner);
}

/// Closes the banner and any dialog without deciding anything.
#[wasm_bindgen]
pub fn hide() {
    dispatch(Action::Hide);
}

/// Forgets the stored consent and shows the banner again.
#[wasm_bindgen]
pub fn reset() {
    dispatch(Action::Reset);
}
