//! The Yew components: the banner, the preferences dialog and the privacy policy.
//! They read one store (the core's [`State`] plus configuration and locale) and send
//! [`Action`]s; the effects of each decision are carried out here, after rendering.

mod banner;
mod category;
mod dialog;
mod history;
mod inline;
mod language_select;
mod policy;
mod preferences;
mod store;

use crate::browser::{api, consent_mode, events, gating, host, page, records};
use crate::core::config::Config;
use crate::core::consent::{Action, Dialog, Effect, State};
use crate::core::json::Json;
use crate::core::record::ConsentRecord;
use banner::Banner;
use policy::PolicyDialog;
use preferences::PreferencesDialog;
use std::rc::Rc;
pub use store::{Pending, Store, StoreHandle, Taken};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AppProps {
    pub config: Rc<Config>,
    /// The state on page load.
    pub state: State,
    /// A decision the visitor made on the banner shown before the wasm ran.
    #[prop_or_default]
    pub decided: Option<Taken>,
    /// A dialog the visitor asked for before the wasm ran.
    #[prop_or_default]
    pub opening: Option<Action>,
    /// The banner the loader showed, whose place the first render takes.
    #[prop_or_default]
    pub replaces: Option<web_sys::Element>,
}

#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let root_ref = use_node_ref();
    let store = use_reducer(|| {
        let store = Store::new(props.config.clone(), props.state.clone());
        match props.decided.clone() {
            Some(decided) => store.after(decided),
            None => store,
        }
    });

    {
        // On mount: take orders from the page, and run what the consent stored on page load
        // allows (a decision made before the wasm ran is carried out like any other, below).
        let dispatcher = store.dispatcher();
        let config = store.config.clone();
        let loaded = props.state.consent.clone();
        let replaces = props.replaces.clone();
        let root = root_ref.clone();
        use_effect_with((), move |_| {
            if let (Some(shown), Some(rendered)) =
                (replaces, root.cast::<web_sys::Element>().and_then(|r| r.parent_element()))
            {
                host::take_place(&shown, &rendered);
            }
            api::register(Callback::from(move |action| dispatcher.dispatch(Taken::now(action))));
            gating::apply(&config, loaded.as_ref());
            gating::observe();
            // Replay the stored choice for Google's tags on every page view.
            if loaded.is_some() {
                consent_mode::update(&config, loaded.as_ref());
            }
            events::emit("ready", &Json::object([("version", Json::from(crate::core::VERSION))]));
            if let Some(consent) = &loaded {
                events::emit("consent", &consent.to_json());
            }
        });
    }
    {
        // Carry out each decision's effects once, after it has rendered: in a later task, so
        // the browser paints the banner's exit before the page's tags start to run.
        let store = store.clone();
        use_effect_with(store.generation, move |_| {
            let effects = store.take_effects();
            if !effects.is_empty() {
                wasm_bindgen_futures::spawn_local(async move {
                    page::next_task().await;
                    for pending in effects {
                        carry_out(&store.config, &pending);
                    }
                });
            }
        });
    }
    {
        // When the last dialog or the banner goes away, give focus back to what opened it.
        let open = store.state.dialog.is_some();
        let showing = open || store.state.banner;
        // The banner the loader showed was announced by the loader.
        let was_showing = use_mut_ref(|| props.replaces.as_ref().map(|_| true));
        use_effect_with((open, showing), move |(open, showing)| {
            api::set_dialog_open(*open);
            // Tell the page when the widget appears or goes, not merely that it rendered.
            let before = was_showing.borrow_mut().replace(*showing);
            if before.is_some_and(|before| before != *showing) || (before.is_none() && *showing) {
                events::emit(if *showing { "show" } else { "hide" }, &Json::object([("dialog", Json::from(*open))]));
            }
            if !*open {
                match api::take_opener() {
                    Some(opener) => {
                        if let Ok(opener) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(opener) {
                            let _ = opener.focus();
                        }
                    }
                    // Only when the widget closes: a page view with nothing to show keeps its focus.
                    None if !*showing && before == Some(true) => page::focus_page_start(),
                    None => {}
                }
            }
        });
    }

    {
        // A dialog asked for before the wasm ran opens now, after the effect above has seen the
        // first render, so that focus goes back to the button that asked for it.
        let opening = props.opening.clone();
        use_effect_with((), move |_| {
            if let Some(action) = opening {
                api::open(action);
            }
        });
    }
    {
        // Blocked iframes' placeholders speak the widget's language.
        let locale = store.locale.clone();
        let config = store.config.clone();
        use_effect_with(locale.code.clone(), move |_| {
            gating::set_placeholder_texts(gating::PlaceholderTexts {
                language: locale.code.clone(),
                text: locale.text("placeholder.text").to_string(),
                button: locale.text("placeholder.button").to_string(),
                titles: config.categories.iter().map(|c| (c.id.clone(), locale.category_title(c, &config))).collect(),
            });
        });
    }

    let state = &store.state;
    let dialog = match &state.dialog {
        Some(Dialog::Preferences) => html! { <PreferencesDialog /> },
        Some(Dialog::Policy { section, .. }) => html! { <PolicyDialog section={section.clone()} /> },
        None => html! {},
    };
    html! {
        <ContextProvider<StoreHandle> context={StoreHandle(store.clone())}>
            <div ref={root_ref} class="cw-root" lang={state.language.clone()} dir="ltr">
                if state.banner { <Banner /> }
                { dialog }
            </div>
        </ContextProvider<StoreHandle>>
    }
}

/// What a decision means for the page: the cookie, the tags, Google's signals, the events
/// and the proof-of-consent record.
fn carry_out(config: &Config, pending: &Pending) {
    let Pending { effect, locale, at } = pending;
    match effect {
        Effect::StoreConsent(consent) => {
            let cookie = &config.cookie;
            let before = gating::current();
            let first = before.is_none();
            page::write_consent(&cookie.name, cookie.domain.as_deref(), consent);
            let withdrawn = gating::apply(config, Some(consent));
            consent_mode::update(config, Some(consent));
            if first {
                events::emit("consent", &consent.to_json());
            }
            let changed = crate::core::gating::changed(before.as_ref(), consent);
            events::emit(
                "change",
                &Json::object([
                    ("consent", consent.to_json()),
                    ("changed", Json::strings(&changed)),
                    ("withdrawn", Json::strings(&withdrawn)),
                ]),
            );
            if !withdrawn.is_empty() && config.reload_on_withdraw {
                page::reload_soon();
            }
            if let Some(settings) = &config.records {
                let (origin, path) = records::page_origin_and_path();
                let record =
                    ConsentRecord::for_decision(config, locale, consent, page::new_id(), &origin, &path, *at as i64);
                records::deliver(settings.endpoint.clone(), record);
            }
        }
        Effect::ForgetConsent => {
            let cookie = &config.cookie;
            page::forget_consent(&cookie.name, cookie.domain.as_deref());
            gating::forget();
            consent_mode::update(config, None);
        }
    }
}
