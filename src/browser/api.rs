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
}

/// Called by the app once mounted, so that the page can drive it.
pub fn register(dispatch: Callback<Action>) {
    DISPATCH.with(|slot| *slot.borrow_mut() = Some(dispatch));
}

pub fn dispatch(action: Action) {
    DISPATCH.with(|slot| {
        if let Some(dispatch) = slot.borrow().as_ref() {
            dispatch.emit(action);
        }
    });
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
