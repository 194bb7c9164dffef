//! The bridge between the page and the running widget: the functions exported to JavaScript,
//! and the one session that connects them to the app while it runs.

use crate::core::consent::{Action, Consent};
use gloo_events::EventListener;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::Element;
use yew::Callback;

/// What the store shows the page: the consent in force and whether a dialog is open. The store
/// owns it and updates it with each action; everything outside the app only reads it.
#[derive(Debug, Default, PartialEq)]
pub struct Live {
    pub consent: Option<Consent>,
    pub dialog_open: bool,
}

pub type LiveState = Rc<RefCell<Live>>;

/// The running app as the page reaches it.
pub struct Bridge {
    pub dispatch: Callback<Action>,
    pub live: LiveState,
}

/// Everything the widget holds on the page while it runs. `end()` drops it, and with it every
/// listener and observer it added.
#[derive(Default)]
struct Session {
    bridge: Option<Bridge>,
    /// Actions sent before the app was mounted, run once it is.
    waiting: Vec<Action>,
    /// What had focus before the first dialog opened, to give focus back on close.
    opener: Option<Element>,
    listeners: Vec<EventListener>,
    observers: Vec<super::gating::Observer>,
}

thread_local! {
    static SESSION: RefCell<Session> = RefCell::new(Session::default());
}

/// Called by the app once mounted, so that the page can drive it.
pub fn register(bridge: Bridge) {
    let waiting = SESSION.with(|session| std::mem::take(&mut session.borrow_mut().waiting));
    for action in waiting {
        bridge.dispatch.emit(action);
    }
    SESSION.with(|session| session.borrow_mut().bridge = Some(bridge));
}

/// Keeps `listener` until the widget is removed.
pub fn keep_listener(listener: EventListener) {
    SESSION.with(|session| session.borrow_mut().listeners.push(listener));
}

/// Keeps `observer` until the widget is removed.
pub fn keep_observer(observer: super::gating::Observer) {
    SESSION.with(|session| session.borrow_mut().observers.push(observer));
}

/// Ends the session: the app is gone, its listeners and observers with it; later actions wait
/// for the next app.
pub fn end() {
    let ended = SESSION.with(|session| {
        let mut session = session.borrow_mut();
        let waiting = std::mem::take(&mut session.waiting);
        std::mem::replace(&mut *session, Session { waiting, ..Session::default() })
    });
    drop(ended);
}

/// The live state of the running app, if there is one.
pub fn live<T>(read: impl FnOnce(&Live) -> T) -> Option<T> {
    let live = SESSION.with(|session| session.borrow().bridge.as_ref().map(|bridge| bridge.live.clone()))?;
    let live = live.borrow();
    Some(read(&live))
}

pub fn dispatch(action: Action) {
    let dispatch = SESSION.with(|session| session.borrow().bridge.as_ref().map(|bridge| bridge.dispatch.clone()));
    match dispatch {
        Some(dispatch) => dispatch.emit(action),
        None => SESSION.with(|session| session.borrow_mut().waiting.push(action)),
    }
}

/// Opens a dialog, remembering what had focus if no dialog is open yet.
pub fn open(action: Action) {
    if !live(|live| live.dialog_open).unwrap_or(false) {
        let focused = super::page::deep_active_element();
        SESSION.with(|session| session.borrow_mut().opener = focused);
    }
    dispatch(action);
}

/// The element that opened the dialogs, as recorded (it may have left the page since).
pub fn opener() -> Option<Element> {
    SESSION.with(|session| session.borrow().opener.clone())
}

/// Records `element` as what opened the dialogs, in the place of the one recorded.
pub fn set_opener(element: Element) {
    SESSION.with(|session| session.borrow_mut().opener = Some(element));
}

/// The element that opened the dialogs, if it is still in the page.
pub fn take_opener() -> Option<Element> {
    SESSION.with(|session| session.borrow_mut().opener.take()).filter(|element| element.is_connected())
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

/// Allows one service on its own (an embed's "Always allow"), beside what is granted.
#[wasm_bindgen(js_name = acceptService)]
pub fn accept_service(id: String) {
    dispatch(Action::AcceptService(id));
}

#[wasm_bindgen(js_name = acceptedCategory)]
pub fn accepted_category(id: &str) -> bool {
    live(|live| live.consent.as_ref().is_some_and(|consent| consent.grants(id))).unwrap_or(false)
}

#[wasm_bindgen(js_name = acceptedService)]
pub fn accepted_service(category: &str, service: &str) -> bool {
    live(|live| crate::core::gating::allows(live.consent.as_ref(), category, Some(service))).unwrap_or(false)
}

thread_local! {
    /// The consent last handed to the page, and the object it got.
    static SNAPSHOT: RefCell<Option<(Consent, JsValue)>> = const { RefCell::new(None) };
}

/// The current consent as plain, frozen data, or `null` before any decision: the same object
/// until the consent changes, as a store's snapshot must be (React's `useSyncExternalStore`).
#[wasm_bindgen(js_name = getConsent)]
pub fn get_consent() -> JsValue {
    let Some(consent) = live(|live| live.consent.clone()).flatten() else { return JsValue::NULL };
    SNAPSHOT.with(|snapshot| {
        let mut snapshot = snapshot.borrow_mut();
        if let Some((_, value)) = snapshot.as_ref().filter(|(held, _)| *held == consent) {
            return value.clone();
        }
        let value = super::events::to_js(&consent.to_json());
        js_sys::Object::freeze(value.unchecked_ref::<js_sys::Object>());
        *snapshot = Some((consent, value.clone()));
        value
    })
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
