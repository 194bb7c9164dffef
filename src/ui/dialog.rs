//! A modal dialog shell: native `<dialog>` opened with `showModal()` (the page behind
//! becomes inert), labelled by its heading, focus moved to that heading on open and kept
//! inside while open. Escape and the close button only ever close: they grant nothing.

use super::language_select::LanguageSelect;
use super::store::use_store;
use crate::core::consent::Action;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlDialogElement, HtmlElement, KeyboardEvent};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ModalProps {
    /// Id prefix for the heading, unique per kind of dialog.
    pub id: AttrValue,
    pub title: AttrValue,
    pub children: Children,
    #[prop_or_default]
    pub footer: Option<Html>,
}

/// What can take keyboard focus inside the dialog.
const FOCUSABLE: &str = "a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), summary, [tabindex]:not([tabindex='-1'])";

#[function_component(ModalDialog)]
pub fn modal_dialog(props: &ModalProps) -> Html {
    let store = use_store();
    let dialog_ref = use_node_ref();
    let heading_id = format!("{}-title", props.id);

    {
        let dialog_ref = dialog_ref.clone();
        let heading_id = heading_id.clone();
        use_effect_with((), move |_| {
            if let Some(dialog) = dialog_ref.cast::<HtmlDialogElement>() {
                let _ = dialog.show_modal();
                focus_heading(&dialog, &heading_id);
            }
            move || {
                if let Some(dialog) = dialog_ref.cast::<HtmlDialogElement>() {
                    dialog.close();
                }
            }
        });
    }

    let close = store.send::<MouseEvent>(Action::CloseDialog);
    // Escape fires `cancel`: we close through the store instead, so state and view agree.
    let on_cancel = {
        let store = store.clone();
        Callback::from(move |event: Event| {
            event.prevent_default();
            store.dispatch(Action::CloseDialog);
        })
    };
    // If the browser closed the dialog anyway, bring the store in line.
    let on_close = {
        let store = store.clone();
        Callback::from(move |_: Event| {
            if store.state.dialog.is_some() {
                store.dispatch(Action::CloseDialog);
            }
        })
    };
    let on_keydown = {
        let dialog_ref = dialog_ref.clone();
        let heading_id = heading_id.clone();
        Callback::from(move |event: KeyboardEvent| {
            if event.key() == "Tab"
                && let Some(dialog) = dialog_ref.cast::<Element>()
            {
                keep_focus_inside(&dialog, &heading_id, &event);
            }
        })
    };

    html! {
        <dialog ref={dialog_ref} class="cw-dialog" aria-labelledby={heading_id.clone()}
                oncancel={on_cancel} onclose={on_close} onkeydown={on_keydown}>
            <div class="cw-dialog-header">
                <h2 id={heading_id} class="cw-dialog-title" tabindex="-1">{ props.title.clone() }</h2>
                <LanguageSelect id={format!("{}-language", props.id)} />
                <button type="button" class="cw-close" aria-label={store.text("preferences.close").to_string()} onclick={close}>
                    <span aria-hidden="true">{ "\u{2715}" }</span>
                </button>
            </div>
            <div class="cw-dialog-body">
                { for props.children.iter() }
            </div>
            if let Some(footer) = &props.footer {
                <div class="cw-dialog-footer">{ footer.clone() }</div>
            }
        </dialog>
    }
}

fn focus_heading(dialog: &HtmlDialogElement, heading_id: &str) {
    let heading = dialog.query_selector(&format!("#{heading_id}")).ok().flatten();
    if let Some(heading) = heading.and_then(|heading| heading.dyn_into::<HtmlElement>().ok()) {
        let _ = heading.focus();
    }
}

/// Tab from the last control goes to the first, Shift+Tab from the first to the last.
fn keep_focus_inside(dialog: &Element, heading_id: &str, event: &KeyboardEvent) {
    let Ok(candidates) = dialog.query_selector_all(FOCUSABLE) else { return };
    let visible: Vec<HtmlElement> = (0..candidates.length())
        .filter_map(|index| candidates.item(index))
        .filter_map(|node| node.dyn_into::<HtmlElement>().ok())
        .filter(|element| element.get_client_rects().length() > 0)
        .collect();
    let (Some(first), Some(last)) = (visible.first(), visible.last()) else { return };
    let active = crate::browser::page::deep_active_element();
    let is = |element: &HtmlElement| active.as_ref().is_some_and(|active| active == element.as_ref() as &Element);
    let inside = active.as_ref().is_some_and(|active| dialog.contains(Some(active.as_ref())));
    let on_title = active.as_ref().is_some_and(|active| active.id() == heading_id);
    if event.shift_key() && (is(first) || on_title || !inside) {
        event.prevent_default();
        let _ = last.focus();
    } else if !event.shift_key() && (is(last) || !inside) {
        event.prevent_default();
        let _ = first.focus();
    }
}
