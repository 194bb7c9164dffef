//! consent-server: serves the demo site and the built widget, and keeps the
//! proof-of-consent log behind a small HTTP API.

pub mod admin;
pub mod admin_token;
pub mod api;
pub mod cli;
pub mod log;
pub mod logs;
pub mod serve;
pub mod site;
pub mod store;
pub mod time;

pub use cli::{Args, Command, Options};

use api::error::ApiError;
use axum::Router;
use axum::error_handling::HandleErrorLayer;
use log::writer::Writer;
use std::time::Duration;
use store::Store;
use tower::ServiceBuilder;

/// The running application's parts.
pub struct App {
    /// The record API and the static site.
    pub router: Router,
    pub store: Store,
    pub writer: Writer,
    /// What `/readyz` says; set to draining at shutdown.
    pub readiness: serve::readiness::Readiness,
    /// On SQLite, this server's claim on the database file.
    pub exclusive: Option<serve::single_instance::Exclusive>,
}

/// Why the application could not start.
#[derive(Debug)]
pub enum StartError {
    /// Another server has the SQLite file.
    InUse(String),
    Database(sqlx::Error),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::InUse(why) => f.write_str(why),
            StartError::Database(error) => write!(f, "cannot open the database: {error}"),
        }
    }
}

impl From<sqlx::Error> for StartError {
    fn from(error: sqlx::Error) -> StartError {
        StartError::Database(error)
    }
}

/// The whole application for `options`: the record API and the static site, on one store.
pub async fn app(options: &Options) -> Result<App, StartError> {
    let exclusive = serve::single_instance::claim(&options.database_url).map_err(StartError::InUse)?;
    let store = Store::open(&options.database_url).await?;
    if exclusive.is_some() {
        // No other server can be running on this SQLite file: a lease left behind is a
        // crashed server's, and this one goes on with its chain at once.
        store.release_all_chains().await?;
    }
    let writer = Writer::start(store.clone(), log::chains::holder_name(), options.lease()).await?;
    let clients = api::client_address::ClientAddress::new(options.trusted_proxy_header.clone());
    let state = api::AppState {
        store: store.clone(),
        writer: writer.clone(),
        admin_token: options.admin_token.as_deref().map(|token| admin_token::AdminToken::new(token, clients.clone())),
        allowed_origins: api::origin::AllowedOrigins::new(&options.allowed_origins),
        database_timeout: Duration::from_secs(options.database_timeout),
        known_texts: api::texts::KnownTexts::default(),
        retention_days: options.retention_days,
    };
    let limiter = api::ratelimit::RateLimiter::new(options.rate_limit, clients);
    limiter.forget_idle_clients_every(Duration::from_secs(60));
    // A request whose answer has not started in time gets a 503: nothing the server does
    // should take that long, so something is stuck.
    let answer_in_time = ServiceBuilder::new()
        .layer(HandleErrorLayer::new(|_: tower::BoxError| async { ApiError::TooSlow }))
        .timeout(Duration::from_secs(options.request_timeout));
    let readiness = serve::readiness::Readiness::new(store.clone(), Duration::from_secs(options.database_timeout));
    let dashboard = admin::router(state.clone(), options.checkpoint_key.clone(), options.secure_cookies);
    let router = api::router(state, &options.allowed_origins, limiter)
        .merge(dashboard)
        .merge(site::privacy_page::router(site::privacy_page::Pages::read(&options.site_dir)))
        .merge(site::router(&options.site_dir, &options.widget_dir))
        .merge(readiness.clone().router())
        .layer(answer_in_time);
    Ok(App { router, store, writer, readiness, exclusive })
}
