//! consent-server: serves the demo site and the built widget (and, later, records consents).

pub mod cli;
pub mod site;

pub use cli::Args;
pub use site::router;
