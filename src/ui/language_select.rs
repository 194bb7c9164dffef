//! The language switcher: each language named in itself, marked with its own `lang`.

use super::store::use_store;
use crate::core::consent::Action;
use crate::core::language_name;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LanguageSelectProps {
    /// Unique per place the switcher appears, for its label.
    pub id: String,
}

#[function_component(LanguageSelect)]
pub fn language_select(props: &LanguageSelectProps) -> Html {
    let store = use_store();
    let enabled = &store.config.languages.enabled;
    if enabled.len() < 2 {
        return html! {};
    }
    let onchange = {
        let store = store.clone();
        Callback::from(move |event: Event| {
            if let Some(select) = event.target_dyn_into::<HtmlSelectElement>() {
                store.dispatch(Action::SetLanguage(select.value()));
            }
        })
    };
    let current = store.state.language.clone();
    html! {
        <div class="cw-language">
            <label for={props.id.clone()}>{ store.text("language.label") }</label>
            <select id={props.id.clone()} {onchange}>
                { for enabled.iter().map(|code| html! {
                    <option value={code.clone()} lang={code.clone()} selected={*code == current}>
                        { language_name(code) }
                    </option>
                }) }
            </select>
        </div>
    }
}
