//! consent-server: serves the demo site and the built widget, and keeps the
//! proof-of-consent log behind a small HTTP API.

pub mod api;
pub mod cli;
pub mod retention;
pub mod site;
pub mod store;
pub mod writer;

pub use cli::{Args, Command, Options};

use axum::Router;
use store::Store;
use writer::Writer;

/// The whole application for `options`: the record API and the static site, on one store.
pub async fn app(options: &Options) -> Result<(Router, Store), sqlx::Error> {
    let store = Store::open(&options.database_url).await?;
    let writer = Writer::start(store.clone()).await?;
    let state = api::AppState {
        store: store.clone(),
        writer,
        admin_token: options.admin_token.clone(),
        allowed_origins: api::origin::AllowedOrigins::new(&options.allowed_origins),
    };
    let limiter = api::ratelimit::RateLimiter::new(options.rate_limit);
    let router = api::router(state, &options.allowed_origins, limiter)
        .merge(site::router(&options.site_dir, &options.widget_dir));
    Ok((router, store))
}
