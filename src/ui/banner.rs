//! The first layer: a labelled region fixed to the viewport (where the layout puts it) that names the
//! company and each purpose it asks consent for, leads to the partners and the policy in one
//! click, and offers three buttons of equal weight (same element, size, font and colours).

use super::language_select::LanguageSelect;
use super::store::use_store;
use crate::core::consent::Action;
use crate::core::policy::RECIPIENTS_SECTION_ID;
use yew::prelude::*;

/// The link to the privacy policy: the site's own page when `links.policy` names one (checked
/// when the configuration was read), else the policy in the widget's dialog.
pub fn policy_link(store: &super::store::StoreHandle, key: &str) -> Html {
    let label = store.text(key).to_string();
    match &store.config.links.policy {
        Some(href) => html! { <a class="cw-link" href={href.clone()}>{ label }</a> },
        None => html! {
            <button type="button" class="cw-link" onclick={store.open(Action::OpenPolicy { section: None })}>{ label }</button>
        },
    }
}

#[function_component(Banner)]
pub fn banner() -> Html {
    let store = use_store();
    let text = |key: &str| store.text(key).to_string();
    let config = &store.config;
    let purposes: Vec<String> = config
        .categories
        .iter()
        .filter(|category| !category.required)
        .map(|category| store.locale.category_purpose(category, config))
        .collect();
    let partners = Action::OpenPolicy { section: Some(RECIPIENTS_SECTION_ID.to_string()) };
    // Hidden, not removed, while a dialog is open: focus can return to its buttons.
    html! {
        <section class="cw-banner" aria-label={text("banner.label")} hidden={store.state.dialog.is_some()}>
            <div class="cw-banner-inner">
                // Only the texts scroll when the banner is taller than the space it has: the
                // buttons below stay in view, none of them covered.
                <div class="cw-banner-body">
                    <div class="cw-banner-head">
                        <h2 id="cw-banner-title" class="cw-banner-title">{ text("banner.title") }</h2>
                        <LanguageSelect id="cw-banner-language" />
                    </div>
                    <p id="cw-banner-text" class="cw-banner-text">{ text("banner.text") }</p>
                    if !purposes.is_empty() {
                        <p class="cw-purposes-intro">{ text("banner.purposesIntro") }</p>
                        <ul class="cw-purposes">
                            { for purposes.into_iter().map(|purpose| html! { <li>{ purpose }</li> }) }
                        </ul>
                    }
                    <p class="cw-banner-choice">
                        { text("banner.choice") }
                        { " " }
                        <button type="button" class="cw-link" onclick={store.open(partners)}>{ text("banner.partnersLink") }</button>
                        { " " }
                        { policy_link(&store, "banner.policyLink") }
                    </p>
                    if store.state.gpc {
                        <p class="cw-gpc">{ text("gpc.notice") }</p>
                    }
                </div>
                <div class="cw-actions">
                    <button type="button" class="cw-button" onclick={store.decide_closing_banner(Action::AcceptAll)}>{ text("banner.acceptAll") }</button>
                    <button type="button" class="cw-button" onclick={store.decide_closing_banner(Action::RejectAll)}>{ text("banner.rejectAll") }</button>
                    <button type="button" class="cw-button" onclick={store.open(Action::OpenPreferences)}>{ text("banner.customize") }</button>
                </div>
            </div>
        </section>
    }
}
