//! The preferences dialog: every category with its switch, and the three ways to decide.

use super::category::CategoryRow;
use super::dialog::ModalDialog;
use super::history::ConsentHistory;
use super::store::use_store;
use crate::core::consent::Action;
use yew::prelude::*;

#[function_component(PreferencesDialog)]
pub fn preferences_dialog() -> Html {
    let store = use_store();
    let text = |key: &str| store.text(key).to_string();
    let footer = html! {
        <div class="cw-actions">
            <button type="button" class="cw-button" onclick={store.send(Action::RejectAll)}>{ text("preferences.rejectAll") }</button>
            <button type="button" class="cw-button" onclick={store.send(Action::AcceptAll)}>{ text("preferences.acceptAll") }</button>
            <button type="button" class="cw-button" onclick={store.send(Action::SaveChoices)}>{ text("preferences.save") }</button>
        </div>
    };
    html! {
        <ModalDialog id="cw-preferences" title={text("preferences.title")} footer={footer}>
            <p>{ text("preferences.intro") }</p>
            if store.state.gpc {
                <p class="cw-gpc">{ text("gpc.notice") }</p>
            }
            <p>{ super::banner::policy_link(&store, "preferences.policyLink") }</p>
            { for store.config.categories.iter().map(|category| html! {
                <CategoryRow key={category.id.clone()} category={category.clone()} />
            }) }
            <ConsentHistory />
        </ModalDialog>
    }
}
