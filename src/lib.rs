//! Consent Widget: a cookie-consent banner, preferences panel and privacy policy.
//!
//! `core` is plain Rust (no browser APIs) and holds every decision the widget makes;
//! `ui` (Yew components) and `browser` (DOM, cookies, start-up) only exist in the
//! WebAssembly build and carry those decisions out. With the `ssr` feature they also
//! compile natively, so that `prerender` renders the first layer ahead of time from the
//! very components the wasm runs.

pub mod core;

#[cfg(any(target_arch = "wasm32", feature = "ssr"))]
// Natively (for `prerender`) only what the components call is reachable.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod browser;
#[cfg(feature = "ssr")]
pub mod prerender;
#[cfg(any(target_arch = "wasm32", feature = "ssr"))]
mod ui;

#[cfg(target_arch = "wasm32")]
pub use browser::api::{show_policy, show_preferences, version};
#[cfg(target_arch = "wasm32")]
pub use browser::catalogue::set_catalogue_loader;
#[cfg(target_arch = "wasm32")]
pub use browser::gating::set_releaser;
#[cfg(target_arch = "wasm32")]
pub use browser::policy_text::set_policy_loader;
#[cfg(target_arch = "wasm32")]
pub use ui::mount::{boot, destroy, init};
