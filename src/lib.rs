//! Consent Widget: a cookie-consent banner, preferences panel and privacy policy.
//!
//! `core` is plain Rust (no browser APIs) and holds every decision the widget makes;
//! `ui` (Yew components) and `browser` (DOM, cookies, start-up) only exist in the
//! WebAssembly build and carry those decisions out.

pub mod core;

#[cfg(target_arch = "wasm32")]
mod browser;
#[cfg(target_arch = "wasm32")]
mod ui;

#[cfg(target_arch = "wasm32")]
pub use browser::api::{show_policy, show_preferences, version};
#[cfg(target_arch = "wasm32")]
pub use browser::policy_text::set_policy_loader;
#[cfg(target_arch = "wasm32")]
pub use browser::start::{boot, destroy, init};
