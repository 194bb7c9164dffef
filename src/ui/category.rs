//! One category in the preferences: its switch (a real checkbox with the switch role),
//! its description, and its services and cookie table behind a disclosure.

use super::store::use_store;
use crate::core::config::Category;
use crate::core::consent::Action;
use crate::core::policy::{PolicyBlock, cookie_rows, cookie_table};
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CategoryProps {
    pub category: Category,
}

#[function_component(CategoryRow)]
pub fn category_row(props: &CategoryProps) -> Html {
    let store = use_store();
    let category = &props.category;
    let locale = &store.locale;
    let config = &store.config;
    let switch_id = format!("cw-switch-{}", category.id);
    let description_id = format!("cw-description-{}", category.id);
    let on = category.required || store.state.draft_grants(&category.id);
    let rows = cookie_rows(locale, config, category);
    let onchange = {
        let store = store.clone();
        let id = category.id.clone();
        Callback::from(move |event: Event| {
            if let Some(input) = event.target_dyn_into::<HtmlInputElement>() {
                store.dispatch(Action::Toggle { category: id.clone(), on: input.checked() });
            }
        })
    };
    html! {
        <div class="cw-category">
            <div class="cw-category-head">
                <label for={switch_id.clone()} class="cw-category-title">{ locale.category_title(category, config) }</label>
                if category.required {
                    <span class="cw-always-on">{ store.text("preferences.alwaysOn") }</span>
                }
                <input type="checkbox" role="switch" class="cw-switch" id={switch_id}
                    checked={on} disabled={category.required}
                    aria-describedby={description_id.clone()} {onchange} />
            </div>
            <p id={description_id} class="cw-category-description">{ locale.category_description(category, config) }</p>
            if store.state.gpc_conflict.as_deref() == Some(category.id.as_str()) {
                // Shown, and announced, before anything is granted against the browser's signal.
                <div class="cw-gpc-conflict" role="alert">
                    <p>{ store.text("gpc.conflict") }</p>
                    <div class="cw-actions">
                        <button type="button" class="cw-button" onclick={store.send(Action::ConfirmGpcOverride)}>{ store.text("gpc.confirm") }</button>
                        <button type="button" class="cw-button" onclick={store.send(Action::CancelGpcOverride)}>{ store.text("gpc.cancel") }</button>
                    </div>
                </div>
            }
            <details class="cw-details">
                <summary>{ store.text("preferences.details") }</summary>
                if !category.services.is_empty() {
                    <h4 class="cw-subheading">{ store.text("preferences.services") }</h4>
                    <ul class="cw-services">
                        { for category.services.iter().map(|service| html! {
                            <li>
                                <strong>{ service.name.clone() }</strong>
                                if let Some(description) = &service.description {
                                    { format!("{}{}", locale.colon(), description.get(&locale.code, &config.languages.default)) }
                                }
                            </li>
                        }) }
                    </ul>
                }
                if rows.is_empty() {
                    <p>{ store.text("preferences.noCookies") }</p>
                } else {
                    { table(&cookie_table(locale, &rows)) }
                }
            </details>
        </div>
    }
}

/// A cookie table: a real `<table>` with column headers, scrollable on narrow screens.
pub fn table(block: &PolicyBlock) -> Html {
    let PolicyBlock::Table { headers, rows } = block else { return html! {} };
    html! {
        <div class="cw-table-wrap">
            <table class="cw-table">
                <thead><tr>{ for headers.iter().map(|header| html! { <th scope="col">{ header.clone() }</th> }) }</tr></thead>
                <tbody>
                    { for rows.iter().map(|row| html! {
                        <tr>{ for row.iter().zip(headers).map(|(cell, header)| html! {
                            // The label shows above each cell when narrow screens stack the table.
                            <td data-label={header.clone()}>{ cell.clone() }</td>
                        }) }</tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}
