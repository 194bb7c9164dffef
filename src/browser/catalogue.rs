//! The catalogue entries a configuration names (`{ "preset": "youtube" }`, src/core/catalogue.rs),
//! fetched before it is read: each is a file beside the wasm, and the script-tag loader or the
//! npm module says how to fetch one (`setCatalogueLoader`, with its integrity hash in releases).

use crate::core::catalogue;
use std::cell::RefCell;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

thread_local! {
    /// `(id) => Promise<string>`: the entry's JSON text.
    static LOADER: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
    /// Each entry fetched so far on this page, or why it could not be.
    static LOADED: RefCell<Vec<(String, Result<String, String>)>> = const { RefCell::new(Vec::new()) };
}

/// Tells the widget how to fetch a catalogue entry: `loader(id)` returns a promise of its text.
#[wasm_bindgen(js_name = setCatalogueLoader)]
pub fn set_catalogue_loader(loader: js_sys::Function) {
    LOADER.with(|slot| *slot.borrow_mut() = Some(loader));
}

/// The entry `id`'s text if it was fetched, or why not.
pub fn entry(id: &str) -> Result<String, String> {
    LOADED
        .with(|loaded| loaded.borrow().iter().find(|(known, _)| known == id).map(|(_, text)| text.clone()))
        .unwrap_or_else(|| Err("no catalogue loader was given".to_string()))
}

/// Fetches, all at once, those of `ids` not fetched yet; a failure is left for `entry` to
/// report (the configuration then names the preset that did not load).
pub async fn fetch(ids: &[String]) {
    let Some(loader) = LOADER.with(|slot| slot.borrow().clone()) else { return };
    let asked: Vec<(String, Option<js_sys::Promise>)> = ids
        .iter()
        .filter(|id| entry(id).is_err() && catalogue::is_known(id))
        .map(|id| {
            let promise =
                loader.call1(&JsValue::NULL, &JsValue::from_str(id)).ok().and_then(|value| value.dyn_into().ok());
            (id.clone(), promise)
        })
        .collect();
    for (id, promise) in asked {
        let text = match promise {
            Some(promise) => JsFuture::from(promise).await.map_err(super::policy_text::describe),
            None => Err("the catalogue loader returned no promise".to_string()),
        };
        let text =
            text.and_then(|text| text.as_string().ok_or_else(|| "the catalogue loader gave no text".to_string()));
        let text = text.and_then(|text| {
            if catalogue::is_entry(&id, &text) {
                Ok(text)
            } else {
                Err("it is not the file this widget was built with".to_string())
            }
        });
        LOADED.with(|loaded| loaded.borrow_mut().retain(|(known, _)| *known != id));
        LOADED.with(|loaded| loaded.borrow_mut().push((id, text)));
    }
}
