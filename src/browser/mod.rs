//! Everything that touches the browser: start-up, the page's cookies and language,
//! the shadow root the widget lives in, and the hooks a host page can use.

pub mod api;
pub mod consent_mode;
pub mod events;
pub mod gating;
pub mod host;
pub mod page;
pub mod policy_text;
pub mod records;
pub mod start;
pub mod trusted_types;
