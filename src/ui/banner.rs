//! The first layer: a labelled region fixed to the bottom of the viewport with three
//! buttons of equal weight (same element, size, font and colours).

use super::language_select::LanguageSelect;
use super::store::use_store;
use crate::core::consent::Action;
use yew::prelude::*;

#[function_component(Banner)]
pub fn banner() -> Html {
    let store = use_store();
    let text = |key: &str| store.text(key).to_string();
    // Hidden, not removed, while a dialog is open: focus can return to its buttons.
    html! {
        <section class="cw-banner" aria-label={text("banner.label")} hidden={store.state.dialog.is_some()}>
            <div class="cw-banner-inner">
                <div class="cw-banner-head">
                    <h2 id="cw-banner-title" class="cw-banner-title">{ text("banner.title") }</h2>
                    <LanguageSelect id="cw-banner-language" />
                </div>
                <p id="cw-banner-text" class="cw-banner-text">
                    { text("banner.text") }
                    { " " }
                    <button type="button" class="cw-link" onclick={store.open(Action::OpenPolicy { section: None })}>{ text("banner.policyLink") }</button>
                </p>
                if store.state.gpc {
                    <p class="cw-gpc">{ text("gpc.notice") }</p>
                }
                <div class="cw-actions">
                    <button type="button" class="cw-button" onclick={store.send(Action::AcceptAll)}>{ text("banner.acceptAll") }</button>
                    <button type="button" class="cw-button" onclick={store.send(Action::RejectAll)}>{ text("banner.rejectAll") }</button>
                    <button type="button" class="cw-button" onclick={store.open(Action::OpenPreferences)}>{ text("banner.customize") }</button>
                </div>
            </div>
        </section>
    }
}
