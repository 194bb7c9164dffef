//! Everything that touches the browser, below the components: start-up and the loader's
//! hand-over, the bridge the page drives the app through, what a decision does to the page
//! (cookie, tags, Consent Mode, events, records), the shadow root the widget lives in.

pub mod api;
pub mod catalogue;
pub mod consent_mode;
pub mod contrast;
pub mod effects;
pub mod events;
pub mod gating;
pub mod handoff;
pub mod host;
pub mod page;
pub mod policy_text;
pub mod records;
pub mod start;
