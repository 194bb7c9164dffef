//! The privacy policy dialog: a table of contents and the whole document, with the
//! sections that must match the site generated from the configuration. The policy file is
//! fetched the first time the dialog opens in a language.

use super::category::table;
use super::dialog::ModalDialog;
use super::store::use_store;
use crate::browser::policy_text;
use crate::core::consent::Action;
use crate::core::markup::Inline;
use crate::core::policy::{PREFERENCES_HREF, PolicyBlock, PolicyDocument, PolicyText, TocEntry};
use std::rc::Rc;
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
    let fetched = use_policy_text(&store.locale.code);
    let document =
        use_memo((store.locale.clone(), store.config.clone(), fetched.clone()), |(locale, config, fetched)| {
            match fetched {
                Fetched::Ready(policy) => Some(PolicyDocument::build(locale, policy, config)),
                _ => None,
            }
        });
    let content_ref = use_node_ref();
    {
        // Once the text is in, go to the section the page asked for.
        let section = props.section.clone();
        let content_ref = content_ref.clone();
        use_effect_with(document.is_some(), move |ready| {
            if let (true, Some(section), Some(content)) = (*ready, section, content_ref.cast::<Element>()) {
                go_to(&content, &section, false);
            }
        });
    }
    let text = |key: &str| store.text(key).to_string();
    let open_preferences: Callback<MouseEvent> = store.open(Action::OpenPreferences);
    let footer = html! {
        <div class="cw-actions">
            <button type="button" class="cw-button" onclick={store.open(Action::OpenPreferences)}>{ text("policy.manageCookies") }</button>
        </div>
    };
    let body = match (&*document, &fetched) {
        (Some(document), _) => html! {
            <>
                <nav class="cw-toc" aria-labelledby="cw-toc-title">
                    <h3 id="cw-toc-title" class="cw-toc-title">{ text("policy.contents") }</h3>
                    { contents(&document.contents()) }
                </nav>
                <div class="cw-policy">
                    { for document.blocks.iter().map(|item| block(item, &open_preferences)) }
                </div>
            </>
        },
        (None, Fetched::Unavailable) => {
            html! { <p class="cw-policy-status" role="status">{ text("policy.unavailable") }</p> }
        }
        (None, _) => html! { <p class="cw-policy-status" role="status">{ text("policy.loading") }</p> },
    };
    html! {
        <ModalDialog id="cw-policy" title={text("policy.title")} footer={footer}>
            <div ref={content_ref} aria-busy={(fetched == Fetched::Loading).to_string()}>
                { body }
            </div>
            if let Some(imprint) = &store.config.links.imprint {
                <p class="cw-policy-imprint"><a href={imprint.clone()}>{ store.config.company.name.clone() }</a></p>
            }
        </ModalDialog>
    }
}

#[derive(Clone, PartialEq)]
enum Fetched {
    Loading,
    Ready(Rc<PolicyText>),
    Unavailable,
}

/// The policy file of `code`, fetched the first time it is needed.
#[hook]
fn use_policy_text(code: &str) -> Fetched {
    // The language of the last fetch that failed, so the dialog can say so.
    let failed = use_state(|| None::<String>);
    let fetched = use_force_update();
    {
        let failed = failed.clone();
        use_effect_with(code.to_string(), move |code| {
            if policy_text::cached(code).is_none() {
                let code = code.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    match policy_text::load(&code).await {
                        Some(_) => fetched.force_update(),
                        None => failed.set(Some(code)),
                    }
                });
            }
        });
    }
    match policy_text::cached(code) {
        Some(policy) => Fetched::Ready(policy),
        None if failed.as_deref() == Some(code) => Fetched::Unavailable,
        None => Fetched::Loading,
    }
}

/// A link to a section of the policy: a click scrolls within the dialog, moves focus to the
/// section's heading and never touches the page URL.
fn section_link(id: &str, label: &str) -> Html {
    let target = id.to_string();
    let onclick = Callback::from(move |event: MouseEvent| {
        event.prevent_default();
        let body =
            event.target_dyn_into::<Element>().and_then(|target| target.closest(".cw-dialog-body").ok().flatten());
        if let Some(body) = body {
            go_to(&body, &target, true);
        }
    });
    html! { <a href={format!("#{}", anchor(id))} {onclick}>{ label.to_string() }</a> }
}

/// A nested list of links to the sections.
fn contents(entries: &[TocEntry]) -> Html {
    let link = |entry: &TocEntry| section_link(&entry.id, &entry.text);
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

/// Text and links of a paragraph or list item. `#preferences` opens the cookie settings, so
/// withdrawing consent is one click from the policy; `#id` goes to that section.
fn inline(pieces: &[Inline], open_preferences: &Callback<MouseEvent>) -> Html {
    pieces
        .iter()
        .map(|piece| match piece {
            Inline::Text(text) => html! { { text.clone() } },
            Inline::Strong(text) => html! { <strong>{ text.clone() }</strong> },
            Inline::Link { label, href } if href == PREFERENCES_HREF => html! {
                <button type="button" class="cw-link" onclick={open_preferences.clone()}>{ label.clone() }</button>
            },
            Inline::Link { label, href } => match href.strip_prefix('#') {
                Some(id) => section_link(id, label),
                None => html! { <a href={href.clone()}>{ label.clone() }</a> },
            },
        })
        .collect()
}

fn block(block: &PolicyBlock, open_preferences: &Callback<MouseEvent>) -> Html {
    match block {
        // The dialog's title is the h2; the document's levels sit below it.
        PolicyBlock::Heading { level, id, text } => {
            let tag = format!("h{}", (level + 1).min(6));
            html! { <@{tag} id={anchor(id)} tabindex="-1">{ text.clone() }</@> }
        }
        PolicyBlock::Paragraph(pieces) => html! { <p>{ inline(pieces, open_preferences) }</p> },
        PolicyBlock::List(items) => html! {
            <ul>{ for items.iter().map(|item| html! { <li>{ inline(item, open_preferences) }</li> }) }</ul>
        },
        PolicyBlock::Table { .. } => table(block),
    }
}
