//! "Your consent record" in the preferences: the visitor's consent id and the receipts
//! the record API holds for it, plus any record still waiting to be sent.

use super::store::use_store;
use crate::browser::records;
use yew::prelude::*;

#[derive(Clone, PartialEq)]
enum Loaded {
    NotYet,
    Receipts(Vec<records::Receipt>),
    Unavailable,
}

#[function_component(ConsentHistory)]
pub fn consent_history() -> Html {
    let store = use_store();
    let loaded = use_state(|| Loaded::NotYet);
    let (Some(consent), Some(settings)) = (store.state.consent.clone(), store.config.records.clone()) else {
        return html! {};
    };
    // Read the history the first time the section opens.
    let ontoggle = {
        let loaded = loaded.clone();
        let endpoint = settings.endpoint.clone();
        let consent_id = consent.id;
        Callback::from(move |_: Event| {
            if *loaded != Loaded::NotYet {
                return;
            }
            let loaded = loaded.clone();
            let endpoint = endpoint.clone();
            wasm_bindgen_futures::spawn_local(async move {
                loaded.set(match records::history(&endpoint, consent_id).await {
                    Some(receipts) => Loaded::Receipts(receipts),
                    None => Loaded::Unavailable,
                });
            });
        })
    };
    let pending = records::pending(consent.id);
    let language = store.state.language.clone();
    let method = |name: &str| store.text(&format!("methods.{name}")).to_string();
    let receipts = match &*loaded {
        Loaded::NotYet => html! {},
        Loaded::Unavailable => html! { <p>{ store.text("preferences.historyUnavailable") }</p> },
        Loaded::Receipts(receipts) if receipts.is_empty() && pending.is_empty() => {
            html! { <p>{ store.text("preferences.historyEmpty") }</p> }
        }
        Loaded::Receipts(receipts) => html! {
            <ol class="cw-history-list">
                { for receipts.iter().map(|receipt| html! {
                    <li>
                        <time datetime={receipt.received_at.clone()}>{ records::local_time(&receipt.received_at, &language) }</time>
                        { format!("{}{}", store.locale.colon(), method(&receipt.method)) }
                        <span class="cw-hash" title={receipt.chain_hash.clone()}>{ format!(" #{}", &receipt.chain_hash[..12.min(receipt.chain_hash.len())]) }</span>
                    </li>
                }) }
                { for pending.iter().map(|method_name| html! {
                    <li>{ method(method_name) }{ " (" }{ store.text("preferences.historyPending") }{ ")" }</li>
                }) }
            </ol>
        },
    };
    html! {
        <details class="cw-details cw-history" {ontoggle}>
            <summary>{ store.text("preferences.historyTitle") }</summary>
            <p>{ store.text("preferences.historyIntro") }</p>
            <p>{ format!("{}{}", store.text("preferences.consentId"), store.locale.colon()) }<code class="cw-consent-id">{ consent.id.to_string() }</code></p>
            { receipts }
        </details>
    }
}
