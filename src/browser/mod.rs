//! Everything that touches the browser: start-up, the page's cookies and language,
//! the shadow root the widget lives in, and the hooks a host page can use.

pub mod api;
pub mod consent_mode;
pub mod events;
pub mod gating;
#[cfg(target_arch = "wasm32")]
pub mod handoff;
pub mod host;
pub mod page;
pub mod policy_text;
pub mod records;
// Mounting needs Yew's client renderer, which only the wasm has.
#[cfg(target_arch = "wasm32")]
pub mod start;
