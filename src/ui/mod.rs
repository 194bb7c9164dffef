//! The Yew components: the banner, the preferences dialog, the privacy policy and the
//! floating button that reopens the preferences. They read one
//! store (the core's [`State`] plus configuration and locale) and send [`Action`]s; the app's
//! hooks connect it to the page (`app_hooks.rs`), and `browser::effects` carries out what each
//! decision means.

mod app_hooks;
mod banner;
mod category;
mod dialog;
mod floating_button;
mod history;
mod language_select;
#[cfg(target_arch = "wasm32")]
pub mod mount;
mod policy;
mod preferences;
mod store;

use crate::core::config::Config;
use crate::core::consent::{Action, Dialog, State};
use app_hooks::{use_effect_runner, use_language_event, use_opening, use_page_bridge, use_view_change};
use banner::Banner;
use floating_button::FloatingButton;
use policy::PolicyDialog;
use preferences::PreferencesDialog;
use std::rc::Rc;
pub use store::{Store, StoreHandle, Taken};
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
    use_page_bridge(&store, props, &root_ref);
    use_effect_runner(&store);
    // After the page bridge, which puts the first render in the page.
    use_view_change(&store, props.replaces.is_some(), &root_ref);
    // After the hooks above have seen the first render, so that focus returns to the asker.
    use_opening(props.opening.clone());
    use_language_event(&store);

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
                // Never over the banner: it shows once the banner has gone.
                if !state.banner && props.config.floating_button.enabled { <FloatingButton /> }
                { dialog }
            </div>
        </ContextProvider<StoreHandle>>
    }
}
