//! The privacy policy's text is fetched when a visitor first opens it, not with the banner:
//! it is most of the widget's words, in five languages, and few visitors read it. The
//! script-tag loader or the npm module says how to fetch one language (`setPolicyLoader`,
//! with the file's integrity hash in releases); each language is fetched once per page.

use super::page;
use crate::core::policy::{PolicyText, parse_policy};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

thread_local! {
    /// `(language) => Promise<string>`: the policy file's text.
    static LOADER: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
    /// Each language fetched so far (five at most).
    static LOADED: RefCell<Vec<(String, Rc<PolicyText>)>> = const { RefCell::new(Vec::new()) };
}

/// Tells the widget how to fetch the policy of a language: `loader(code)` returns a
/// promise of the policy file's text.
#[wasm_bindgen(js_name = setPolicyLoader)]
pub fn set_policy_loader(loader: js_sys::Function) {
    LOADER.with(|slot| *slot.borrow_mut() = Some(loader));
}

/// The policy of `code` if it has been fetched already.
pub fn cached(code: &str) -> Option<Rc<PolicyText>> {
    LOADED
        .with(|loaded| loaded.borrow().iter().find(|(language, _)| language == code).map(|(_, blocks)| blocks.clone()))
}

/// The policy of `code`, fetched and parsed the first time. A failed fetch is logged for
/// the site owner (and tried again the next time the dialog opens); the visitor is told the
/// policy cannot be shown.
pub async fn load(code: &str) -> Option<Rc<PolicyText>> {
    if let Some(blocks) = cached(code) {
        return Some(blocks);
    }
    match fetch(code).await {
        Ok(policy) => {
            let blocks = Rc::new(policy);
            LOADED.with(|loaded| loaded.borrow_mut().push((code.to_string(), blocks.clone())));
            Some(blocks)
        }
        Err(reason) => {
            page::console_error(&format!("cannot load the privacy policy in `{code}`: {reason}"));
            None
        }
    }
}

async fn fetch(code: &str) -> Result<PolicyText, String> {
    let loader = LOADER.with(|slot| slot.borrow().clone()).ok_or("no policy loader was given")?;
    let promise = loader.call1(&JsValue::NULL, &JsValue::from_str(code)).map_err(describe)?;
    let promise: js_sys::Promise = promise.dyn_into().map_err(|_| "the policy loader returned no promise")?;
    let text = JsFuture::from(promise).await.map_err(describe)?;
    let text = text.as_string().ok_or("the policy loader gave no text")?;
    parse_policy(&text).map_err(|error| error.to_string())
}

/// A rejected promise's reason, as words.
pub(super) fn describe(error: JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|error| String::from(error.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unknown error".to_string())
}
