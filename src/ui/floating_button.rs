//! The small "Cookie settings" button that stays on the page once the banner is gone, so
//! that withdrawing consent takes one click on any site, with or without a footer link.
//! It opens the preferences showing the stored choice; focus comes back to it on close.

use super::store::use_store;
use crate::core::config::Corner;
use crate::core::consent::Action;
use yew::prelude::*;

#[function_component(FloatingButton)]
pub fn floating_button() -> Html {
    let store = use_store();
    let label = store.text("preferences.reopen").to_string();
    let corner = match store.config.floating_button.position {
        Corner::BottomLeft => "cw-floating-left",
        Corner::BottomRight => "cw-floating-right",
    };
    html! {
        <button type="button" class={classes!("cw-floating", corner)} aria-label={label.clone()} title={label}
                onclick={store.open(Action::OpenPreferences)}>
            // A cookie with a bite out of it; the name is the button's label, not the picture.
            <svg class="cw-floating-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                <path d="M21.6 11.1a3 3 0 0 1-3.7-3 3 3 0 0 1-3-3.7A9.7 9.7 0 1 0 21.6 11.1Z" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round" />
                <circle cx="8.5" cy="9.5" r="1.5" fill="currentColor" />
                <circle cx="15" cy="15.5" r="1.5" fill="currentColor" />
                <circle cx="9" cy="16" r="1.2" fill="currentColor" />
            </svg>
        </button>
    }
}
