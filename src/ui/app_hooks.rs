//! The app's ties to the page, one hook each: the bridge the page drives it through, the effects
//! of each decision, focus given back when the widget closes, dialogs asked for before the wasm
//! ran, and the words of blocked iframes' placeholders.

use super::AppProps;
use super::store::{Store, Taken};
use crate::browser::api::{self, Bridge};
use crate::browser::{consent_mode, contrast, effects, events, gating, host, page};
use crate::core::consent::Action;
use crate::core::json::Json;
use yew::prelude::*;

/// On mount: take the banner's place if the loader showed one, take orders from the page, and
/// run what the consent stored on page load allows (a decision made before the wasm ran is
/// carried out like any other, by [`use_effect_runner`]).
#[hook]
pub fn use_page_bridge(store: &UseReducerHandle<Store>, props: &AppProps, root: &NodeRef) {
    let dispatcher = store.dispatcher();
    let live = store.live.clone();
    let config = store.config.clone();
    let loaded = props.state.consent.clone();
    let replaces = props.replaces.clone();
    let root = root.clone();
    use_effect_with((), move |_| {
        if let (Some(shown), Some(rendered)) =
            (replaces, root.cast::<web_sys::Element>().and_then(|root| root.parent_element()))
        {
            host::take_place(&shown, &rendered);
        }
        api::register(Bridge { dispatch: Callback::from(move |action| dispatcher.dispatch(Taken::now(action))), live });
        gating::know(&config);
        if let Some(consent) = &loaded {
            gating::apply(&config, None, consent);
            // Replay the stored choice for Google's tags on every page view.
            consent_mode::update(&config, Some(consent));
        } else {
            // A pass that releases nothing, and says so (`consent-widget:released`).
            gating::release();
        }
        if let Some(observer) = gating::observe() {
            api::keep_observer(observer);
        }
        events::emit("ready", &Json::object([("version", Json::from(crate::core::VERSION))]));
        if let Some(consent) = &loaded {
            events::emit("consent", &consent.to_json());
        }
    });
}

/// Carries out each decision's effects once, after it has rendered: in a later task, so the
/// browser paints the banner's exit before the page's tags start to run.
#[hook]
pub fn use_effect_runner(store: &UseReducerHandle<Store>) {
    let store = store.clone();
    use_effect_with(store.generation, move |_| {
        let decided = store.take_effects();
        if !decided.is_empty() {
            wasm_bindgen_futures::spawn_local(async move {
                page::next_task().await;
                for decided in decided {
                    effects::carry_out(&store.config, &decided);
                }
            });
        }
    });
}

/// When the widget shows another view (banner, dialog, floating button, nothing): tells the page
/// when the widget appears or goes, gives focus back when a dialog closes (to what opened it) or
/// the widget goes while it had the focus (to the page's start), and checks the contrast of the
/// site's theme in what is now shown (`browser::contrast`).
/// `announced`: the loader already announced the banner it showed.
#[hook]
pub fn use_view_change(store: &UseReducerHandle<Store>, announced: bool, root: &NodeRef) {
    let open = store.state.dialog.is_some();
    let showing = open || store.state.banner;
    let before = use_mut_ref(|| None::<(bool, bool)>);
    let root = root.clone();
    use_effect_with((open, showing), move |&(open, showing)| {
        if let Some(root) = root.cast::<web_sys::Element>() {
            contrast::check(&root);
        }
        let previous = before.borrow_mut().replace((open, showing));
        let (was_open, was_showing) = previous.unwrap_or((false, announced));
        // Tell the page when the widget appears or goes, not merely that it rendered.
        if was_showing != showing || (previous.is_none() && showing && !announced) {
            events::emit(if showing { "show" } else { "hide" }, &Json::object([("dialog", Json::from(open))]));
        }
        if was_open && !open {
            match api::take_opener() {
                Some(opener) => {
                    if let Ok(opener) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(opener) {
                        let _ = opener.focus();
                    }
                }
                None if !showing => page::focus_page_start_if_lost(),
                None => {}
            }
        } else if was_showing && !showing {
            page::focus_page_start_if_lost();
        }
    });
}

/// Opens a dialog the visitor asked for on the loader's banner, once the app runs.
#[hook]
pub fn use_opening(opening: Option<Action>) {
    use_effect_with((), move |_| {
        if let Some(action) = opening {
            api::open(action);
        }
    });
}

/// Says the widget's language to the page (`consentwidget:language`), as it starts and on each
/// change: the embeds' placeholders (js/embeds.js) follow it.
#[hook]
pub fn use_language_event(store: &UseReducerHandle<Store>) {
    let code = store.locale.code.clone();
    use_effect_with(code, move |code| {
        events::emit("language", &Json::object([("language", Json::from(code.as_str()))]));
    });
}
