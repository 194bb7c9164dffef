//! The privacy policy dialog: a table of contents and the whole document, with the
//! cookie policy generated from the configuration.

use super::category::table;
use super::dialog::ModalDialog;
use super::inline;
use super::store::use_store;
use crate::core::consent::Action;
use crate::core::policy::{PolicyBlock, PolicyDocument, TocEntry};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PolicyProps {
    pub section: Option<String>,
}

/// Ids inside the shadow root are prefixed so they never collide with the widget's own.
fn anchor(id: &str) -> String {
    format!("cw-policy-{id}")
}

#[function_component(PolicyDialog)]
pub fn policy_dialog(props: &PolicyProps) -> Html {
    let store = use_store();
    let document = use_memo((store.locale.clone(), store.config.clone()), |(locale, config)| {
        PolicyDocument::build(locale, config)
    });
    let text = |key: &str| store.text(key).to_string();
    let on_open =
        props.section.clone().map(|section| Callback::from(move |body: Element| go_to(&body, &section, false)));
    let footer = html! {
        <div class="cw-actions">
            <button type="button" class="cw-button" onclick={store.open(Action::OpenPreferences)}>{ text("policy.manageCookies") }</button>
        </div>
    };
    html! {
        <ModalDialog id="cw-policy" title={text("policy.title")} footer={footer} on_open={on_open}>
            <nav class="cw-toc" aria-labelledby="cw-toc-title">
                <h3 id="cw-toc-title" class="cw-toc-title">{ text("policy.contents") }</h3>
                { contents(&document.contents()) }
            </nav>
            <div class="cw-policy">
                { for document.blocks.iter().map(block) }
            </div>
            if let Some(imprint) = &store.config.links.imprint {
                <p class="cw-policy-imprint"><a href={imprint.clone()}>{ store.config.company.name.clone() }</a></p>
            }
        </ModalDialog>
    }
}

/// A nested list of links; a click scrolls within the dialog and never touches the page URL.
fn contents(entries: &[TocEntry]) -> Html {
    let link = |entry: &TocEntry| {
        let id = entry.id.clone();
        let onclick = Callback::from(move |event: MouseEvent| {
            event.prevent_default();
            let body =
                event.target_dyn_into::<Element>().and_then(|target| target.closest(".cw-dialog-body").ok().flatten());
            if let Some(body) = body {
                go_to(&body, &id, true);
            }
        });
        html! { <a href={format!("#{}", anchor(&entry.id))} {onclick}>{ entry.text.clone() }</a> }
    };
    let mut items: Vec<Html> = Vec::new();
    let mut index = 0;
    while index < entries.len() {
        let entry = &entries[index];
        let children: Vec<&TocEntry> =
            entries[index + 1..].iter().take_while(|child| child.level > entry.level).collect();
        index += 1 + children.len();
        items.push(html! {
            <li>
                { link(entry) }
                if !children.is_empty() {
                    <ol>{ for children.iter().map(|child| html! { <li>{ link(child) }</li> }) }</ol>
                }
            </li>
        });
    }
    html! { <ol class="cw-toc-list">{ for items }</ol> }
}

/// Scrolls the section into view and, when asked, moves focus to its heading.
fn go_to(body: &Element, id: &str, focus: bool) {
    let Ok(Some(heading)) = body.query_selector(&format!("#{}", anchor(id))) else { return };
    heading.scroll_into_view();
    if focus && let Ok(heading) = heading.dyn_into::<HtmlElement>() {
        let _ = heading.focus();
    }
}

fn block(block: &PolicyBlock) -> Html {
    match block {
        // The dialog's title is the h2; the document's levels sit below it.
        PolicyBlock::Heading { level, id, text } => {
            let tag = format!("h{}", (level + 1).min(6));
            html! { <@{tag} id={anchor(id)} tabindex="-1">{ text.clone() }</@> }
        }
        PolicyBlock::Paragraph(pieces) => html! { <p>{ inline::render(pieces) }</p> },
        PolicyBlock::List(items) => html! {
            <ul>{ for items.iter().map(|item| html! { <li>{ inline::render(item) }</li> }) }</ul>
        },
        PolicyBlock::Table { .. } => table(block),
    }
}
