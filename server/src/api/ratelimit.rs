//! A per-client limit on API requests: GCRA from the governor crate (lock-free, a sharded map
//! of clients), keyed by the client's address (an IPv6 host by its /64, see [`ClientKey`]) in
//! memory only, never stored or logged. A client over it is answered 429 with Retry-After.

use super::client_address::ClientAddress;
use super::error::ApiError;
use crate::serve::connection_gate::ClientKey;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use governor::clock::{Clock, DefaultClock};
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter as Gcra};
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

type Limits<C> = Gcra<ClientKey, DefaultKeyedStateStore<ClientKey>, C, NoOpMiddleware<<C as Clock>::Instant>>;

#[derive(Clone)]
pub struct RateLimiter<C: Clock = DefaultClock> {
    /// `None`: no limit.
    limits: Option<Arc<Limits<C>>>,
    clients: ClientAddress,
}

impl RateLimiter {
    /// `per_minute` requests a minute per client, in bursts of up to that many; 0 disables.
    pub fn new(per_minute: u32, clients: ClientAddress) -> RateLimiter {
        RateLimiter::with_clock(per_minute, clients, DefaultClock::default())
    }

    /// Forgets, every `period`, the clients that could send a full burst again: their state
    /// holds nothing a fresh one would not. Stops once the limiter is dropped.
    pub fn forget_idle_clients_every(&self, period: Duration) {
        let Some(limits) = self.limits.as_ref().map(Arc::downgrade) else { return };
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(period);
            tick.tick().await;
            loop {
                tick.tick().await;
                let Some(limits) = limits.upgrade() else { return };
                forget_idle(&limits);
            }
        });
    }
}

fn forget_idle<C: Clock>(limits: &Limits<C>) {
    limits.retain_recent();
    limits.shrink_to_fit();
}

impl<C: Clock> RateLimiter<C> {
    fn with_clock(per_minute: u32, clients: ClientAddress, clock: C) -> RateLimiter<C> {
        let limits = NonZeroU32::new(per_minute)
            .map(|burst| Arc::new(Gcra::dashmap_with_clock(Quota::per_minute(burst), clock)));
        RateLimiter { limits, clients }
    }

    /// `Ok` to go ahead, or the whole seconds to wait.
    pub fn check(&self, client: IpAddr) -> Result<(), u64> {
        let Some(limits) = &self.limits else { return Ok(()) };
        limits.check_key(&ClientKey::from(client)).map_err(|not_until| {
            let wait = not_until.wait_time_from(limits.clock().now());
            wait.as_secs_f64().ceil().max(1.0) as u64
        })
    }
}

pub async fn limit(State(limiter): State<RateLimiter>, request: Request, next: Next) -> Result<Response, ApiError> {
    if limiter.limits.is_some() {
        let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip());
        if let Some(client) = limiter.clients.of(peer, request.headers()) {
            limiter.check(client).map_err(|retry_after| ApiError::RateLimited { retry_after })?;
        }
    }
    Ok(next.run(request).await)
}

#[cfg(test)]
mod tests {
    use super::*;
    use governor::clock::FakeRelativeClock;

    fn limiter(per_minute: u32) -> (RateLimiter<FakeRelativeClock>, FakeRelativeClock) {
        let clock = FakeRelativeClock::default();
        (RateLimiter::with_clock(per_minute, ClientAddress::default(), clock.clone()), clock)
    }

    #[test]
    fn a_burst_is_allowed_then_the_client_waits() {
        let (limiter, clock) = limiter(60);
        let client: IpAddr = "127.0.0.1".parse().unwrap();
        for _ in 0..60 {
            assert_eq!(limiter.check(client), Ok(()));
        }
        assert_eq!(limiter.check(client), Err(1));
        clock.advance(Duration::from_secs(2));
        assert_eq!(limiter.check(client), Ok(()));
        let other: IpAddr = "::1".parse().unwrap();
        assert_eq!(limiter.check(other), Ok(()), "clients are counted apart");
    }

    #[test]
    fn the_wait_is_rounded_up_to_whole_seconds() {
        let (limiter, clock) = limiter(2);
        let client: IpAddr = "192.0.2.1".parse().unwrap();
        assert_eq!(limiter.check(client), Ok(()));
        assert_eq!(limiter.check(client), Ok(()));
        assert_eq!(limiter.check(client), Err(30), "one request every 30 s");
        clock.advance(Duration::from_millis(500));
        assert_eq!(limiter.check(client), Err(30), "29.5 s, rounded up");
    }

    #[test]
    fn an_ipv6_host_rotating_addresses_in_its_64_shares_one_bucket() {
        let (limiter, _) = limiter(2);
        assert_eq!(limiter.check("2001:db8::1".parse().unwrap()), Ok(()));
        assert_eq!(limiter.check("2001:db8::2".parse().unwrap()), Ok(()));
        assert!(limiter.check("2001:db8::3".parse().unwrap()).is_err());
        assert_eq!(limiter.check("2001:db8:0:1::1".parse().unwrap()), Ok(()), "another /64 is another client");
    }

    #[test]
    fn a_crowd_of_clients_is_forgotten_once_they_could_send_a_full_burst_again() {
        let (limiter, clock) = limiter(60);
        for n in 0..10_000u32 {
            assert_eq!(limiter.check(IpAddr::from(n.to_be_bytes())), Ok(()));
        }
        let limits = limiter.limits.as_ref().unwrap();
        forget_idle(limits);
        assert_eq!(limits.len(), 10_000, "each has used a request of its burst");
        clock.advance(Duration::from_secs(61));
        forget_idle(limits);
        assert_eq!(limits.len(), 0);
    }

    #[test]
    fn zero_disables_the_limit() {
        let (limiter, _) = limiter(0);
        let client: IpAddr = "127.0.0.1".parse().unwrap();
        for _ in 0..1000 {
            assert_eq!(limiter.check(client), Ok(()));
        }
    }
}
