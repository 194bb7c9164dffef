//! The HTTP server: hyper's HTTP/1.1 connections, each with a header-read timeout (which also
//! closes a kept-alive connection left idle) and a body-read timeout, no more of them at once
//! than the [`ConnectionGate`] allows, and a graceful drain at shutdown: no new connections,
//! the requests under way answered.

pub mod connection_gate;
pub mod open_files;
pub mod readiness;
pub mod shutdown;
pub mod single_instance;

use crate::serve::connection_gate::{ConnectionGate, Refusal};
use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::io::ErrorKind;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tower::ServiceBuilder;
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutBody};

/// What each connection is allowed.
#[derive(Debug, Clone)]
pub struct Limits {
    pub max_connections: usize,
    /// 0: no cap per client.
    pub max_connections_per_client: usize,
    pub header_timeout: Duration,
    pub body_timeout: Duration,
}

/// How long a refused connection stays open for its answer to be read, and how many may be
/// refused at once (past that, a connection is simply closed).
const REFUSAL_LINGER: Duration = Duration::from_secs(1);
const MAX_REFUSING: usize = 64;
/// When a refused client may try again.
const REFUSAL_RETRY_AFTER_SECONDS: u64 = 2;

/// Serves `router` on `listener` until `shutdown` completes; then stops accepting, lets the
/// open connections finish the requests under way, and returns once they have, or after
/// `drain` at most.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: &Limits,
    shutdown: impl Future<Output = ()>,
    drain: Duration,
) {
    let gate = ConnectionGate::new(limits.max_connections, limits.max_connections_per_client);
    let refusing = Arc::new(Semaphore::new(MAX_REFUSING));
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(limits.header_timeout);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // The client gave up before it was accepted: nothing wrong here.
                Err(error) if matches!(error.kind(), ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset) => continue,
                Err(error) => {
                    // Out of file handles, say: give the open connections a moment to close.
                    crate::logs::error("cannot accept a connection", &error);
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let admission = match gate.admit(peer.ip()) {
            Ok(admission) => admission,
            Err(refusal) => {
                refuse(stream, refusal, &refusing);
                continue;
            }
        };
        let service = TowerToHyperService::new(
            ServiceBuilder::new()
                .layer(RequestBodyTimeoutLayer::new(limits.body_timeout))
                .map_request(move |request: Request<TimeoutBody<Incoming>>| {
                    let mut request = request.map(Body::new);
                    request.extensions_mut().insert(ConnectInfo(peer));
                    request
                })
                .service(router.clone()),
        );
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            // A client gone or too slow ends its connection; there is nothing to report.
            let _ = connection.await;
            drop(admission);
        });
    }
    drop(listener);
    let open = gate.open();
    if open > 0 {
        tracing::info!(connections = open, "finishing the requests under way");
    }
    if tokio::time::timeout(drain, graceful.shutdown()).await.is_err() {
        tracing::warn!(
            connections = gate.open(),
            "connections still open after {} s: stopping without them",
            drain.as_secs()
        );
    }
}

/// Answers a connection the gate turned away, then closes it.
fn refuse(mut stream: TcpStream, refusal: Refusal, refusing: &Arc<Semaphore>) {
    let Ok(slot) = refusing.clone().try_acquire_owned() else { return };
    tokio::spawn(async move {
        let _ = tokio::time::timeout(REFUSAL_LINGER, async {
            stream.write_all(refusal_response(refusal).as_bytes()).await?;
            stream.shutdown().await?;
            // Read what the client sent: closing with it unread would reset the connection
            // before the client had read the answer.
            let mut unread = [0u8; 2048];
            while stream.read(&mut unread).await? > 0 {}
            Ok::<_, std::io::Error>(())
        })
        .await;
        drop(slot);
    });
}

/// The whole HTTP/1.1 response for a refused connection: a problem document, as the API's.
fn refusal_response(refusal: Refusal) -> String {
    let (status, detail) = match refusal {
        Refusal::Full => {
            (StatusCode::SERVICE_UNAVAILABLE, "the server holds as many connections as it may; retry shortly")
        }
        Refusal::ClientFull => (
            StatusCode::TOO_MANY_REQUESTS,
            "this address holds as many connections as one client may; close some or retry shortly",
        ),
    };
    let title = status.canonical_reason().unwrap_or("Error");
    let body = serde_json::json!({ "status": status.as_u16(), "title": title, "detail": detail }).to_string();
    format!(
        "HTTP/1.1 {} {title}\r\ncontent-type: application/problem+json\r\nretry-after: {REFUSAL_RETRY_AFTER_SECONDS}\r\n\
         connection: close\r\ncontent-length: {}\r\n\r\n{body}",
        status.as_u16(),
        body.len()
    )
}
