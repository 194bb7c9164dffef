//! `GET /readyz`: whether this server should be sent traffic. From the shutdown signal on it
//! says "draining" (503), so that a load balancer stops sending new visitors while the requests
//! under way are answered; it also says "unavailable" (503) when the database does not answer.

use crate::store::Store;
use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

#[derive(Clone)]
pub struct Readiness {
    draining: Arc<AtomicBool>,
    store: Store,
    database_timeout: Duration,
}

impl Readiness {
    pub fn new(store: Store, database_timeout: Duration) -> Readiness {
        Readiness { draining: Arc::default(), store, database_timeout }
    }

    /// From now on the server is shutting down.
    pub fn start_draining(&self) {
        self.draining.store(true, Ordering::SeqCst);
    }

    pub fn is_draining(&self) -> bool {
        self.draining.load(Ordering::SeqCst)
    }

    pub fn router(self) -> Router {
        Router::new().route("/readyz", get(answer)).with_state(self)
    }
}

async fn answer(State(readiness): State<Readiness>) -> (StatusCode, Json<Value>) {
    if readiness.is_draining() {
        let detail = "shutting down: answering the requests under way, taking no new connections";
        return (StatusCode::SERVICE_UNAVAILABLE, Json(json!({ "status": "draining", "detail": detail })));
    }
    match tokio::time::timeout(readiness.database_timeout, readiness.store.ping()).await {
        Ok(Ok(_)) => (StatusCode::OK, Json(json!({ "status": "ready" }))),
        _ => {
            let detail = "the database does not answer";
            (StatusCode::SERVICE_UNAVAILABLE, Json(json!({ "status": "unavailable", "detail": detail })))
        }
    }
}
