//! Renders the core's safe inline pieces: text stays text, links are already allow-listed.

use crate::core::markup::Inline;
use yew::prelude::*;

pub fn render(pieces: &[Inline]) -> Html {
    pieces
        .iter()
        .map(|piece| match piece {
            Inline::Text(text) => html! { { text.clone() } },
            Inline::Link { label, href } => html! { <a href={href.clone()}>{ label.clone() }</a> },
        })
        .collect()
}
