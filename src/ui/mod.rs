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

use crate::browser::{api, consent_mode, events, gating, page, records};
use crate::core::config::Config;
use crate::core::consent::{Dialog, Effect, State};
use crate::core::i18n::Locale;
use crate::core::json::Json;
use crate::core::record::ConsentRecord;
use banner::Banner;
use policy::PolicyDialog;
use preferences::PreferencesDialog;
use std::rc::Rc;
pub use store::{Store, StoreHandle};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AppProps {
    pub config: Rc<Config>,
    pub state: State,
}

#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let store = use_reducer(|| Store::new(props.config.clone(), props.state.clone()));

    {
        // On mount: take orders from the page, and run what the stored consent allows.
        let dispatcher = store.dispatcher();
        let store = store.clone();
        use_effect_with((), move |_| {
            api::register(Callback::from(move |action| dispatcher.dispatch(action)));
            gating::apply(&store.config, store.state.consent.as_ref());
            gating::observe();
            // Replay the stored choice for Google's tags on every page view.
            if store.state.consent.is_some() {
                consent_mode::update(&store.config, store.state.consent.as_ref());
            }
            events::emit("ready", &Json::object([("version", Json::from(crate::core::VERSION))]));
            if let Some(consent) = &store.state.consent {
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
                    for (effect, locale) in effects {
                        carry_out(&store.config, &effect, &locale);
                    }
                });
            }
        });
    }
    {
        // When the last dialog or the banner goes away, give focus back to what opened it.
        let open = store.state.dialog.is_some();
        let showing = open || store.state.banner;
        let was_showing = use_mut_ref(|| None::<bool>);
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
                    None if !*showing => page::focus_page_start(),
                    None => {}
                }
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
            <div class="cw-root" lang={state.language.clone()} dir="ltr">
                if state.banner { <Banner /> }
                { dialog }
            </div>
        </ContextProvider<StoreHandle>>
    }
}

/// What a decision means for the page: the cookie, the tags, Google's signals, the events
/// and the proof-of-consent record.
fn carry_out(config: &Config, effect: &Effect, locale: &Locale) {
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
                let record = ConsentRecord::for_decision(
                    config,
                    locale,
                    consent,
                    page::new_id(),
                    &origin,
                    &path,
                    js_sys::Date::now() as i64,
                );
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
