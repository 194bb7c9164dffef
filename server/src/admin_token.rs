//! The admin token's one lock: every door that takes it (the admin endpoints' bearer header, the
//! dashboard's sign-in form) checks it here, by MACs compared in constant time (neither the
//! token's bytes nor its length show in how long the answer takes), behind one count of wrong
//! tokens per client, the client found as the rate limit finds it (`--trusted-proxy-header`).

mod failed_logins;

use crate::admin::session::Sessions;
use crate::api::client_address::ClientAddress;
use axum::extract::ConnectInfo;
use axum::http::{Extensions, HeaderMap};
use failed_logins::FailedLogins;
use std::net::SocketAddr;
use std::time::Instant;

/// Why a token was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not the admin token.
    Wrong,
    /// Too many wrong tokens from this client: it may try again in this many seconds, whatever
    /// token it sends.
    TooMany { retry_after: u64 },
}

#[derive(Clone)]
pub struct AdminToken {
    sessions: Sessions,
    failures: FailedLogins,
    clients: ClientAddress,
}

impl AdminToken {
    pub fn new(token: &str, clients: ClientAddress) -> AdminToken {
        AdminToken { sessions: Sessions::new(token), failures: FailedLogins::default(), clients }
    }

    /// The dashboard's sessions, signed under a key derived from the token.
    pub fn sessions(&self) -> &Sessions {
        &self.sessions
    }

    /// `Ok` when `given` is the admin token and its client may still try one. A request that
    /// sends no token is refused without counting: it guesses nothing.
    pub fn check(&self, given: &str, headers: &HeaderMap, extensions: &Extensions) -> Result<(), Refusal> {
        let peer = extensions.get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip());
        let client = self.clients.of(peer, headers);
        // A client that sent too many wrong tokens is refused before its token is looked at.
        if let Some(client) = client {
            self.failures.check(client, Instant::now()).map_err(|retry_after| Refusal::TooMany { retry_after })?;
        }
        if !self.sessions.token_matches(given) {
            if let Some(client) = client.filter(|_| !given.is_empty()) {
                self.failures.failed(client, Instant::now());
            }
            return Err(Refusal::Wrong);
        }
        if let Some(client) = client {
            self.failures.succeeded(client);
        }
        Ok(())
    }
}
