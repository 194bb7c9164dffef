//! A per-client token bucket, keyed by the client's address (an IPv6 host by its /64) in memory
//! only (never stored or logged), answering 429 with Retry-After when a client sends too much.

use super::problem::Problem;
use crate::connection_gate::ClientKey;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Clone)]
pub struct RateLimiter {
    per_minute: u32,
    buckets: Arc<Mutex<Buckets>>,
}

#[derive(Default)]
struct Buckets {
    by_client: HashMap<ClientKey, Bucket>,
    /// When full buckets were last forgotten: at most once a second, so that a crowd of
    /// clients does not make every request walk the whole table.
    swept: Option<Instant>,
}

struct Bucket {
    tokens: f64,
    updated: Instant,
}

/// Past this many tracked clients, idle full buckets are forgotten.
const MAX_TRACKED: usize = 10_000;

impl RateLimiter {
    /// `per_minute` requests a minute per client, in bursts of up to that many; 0 disables.
    pub fn new(per_minute: u32) -> RateLimiter {
        RateLimiter { per_minute, buckets: Arc::default() }
    }

    /// `Ok` to go ahead, or the seconds to wait.
    pub fn check(&self, client: IpAddr, now: Instant) -> Result<(), u64> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let capacity = f64::from(self.per_minute);
        let per_second = capacity / 60.0;
        let mut buckets = self.buckets.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let sweep_due = buckets.swept.is_none_or(|swept| now.duration_since(swept) >= Duration::from_secs(1));
        if buckets.by_client.len() > MAX_TRACKED && sweep_due {
            // A full bucket holds nothing a fresh one would not.
            buckets.by_client.retain(|_, bucket| {
                now.duration_since(bucket.updated).as_secs_f64() * per_second + bucket.tokens < capacity
            });
            buckets.swept = Some(now);
        }
        let bucket =
            buckets.by_client.entry(ClientKey::from(client)).or_insert(Bucket { tokens: capacity, updated: now });
        bucket.tokens = (bucket.tokens + (now - bucket.updated).as_secs_f64() * per_second).min(capacity);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - bucket.tokens) / per_second).ceil().max(1.0) as u64)
        }
    }
}

pub async fn limit(State(limiter): State<RateLimiter>, request: Request, next: Next) -> Response {
    let client = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip());
    if let Some(client) = client
        && let Err(seconds) = limiter.check(client, Instant::now())
    {
        let mut problem =
            Problem::new(StatusCode::TOO_MANY_REQUESTS, format!("too many requests: retry in {seconds} s"));
        problem.retry_after = Some(seconds);
        return problem.into_response();
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_burst_is_allowed_then_the_client_waits() {
        let limiter = RateLimiter::new(60);
        let client: IpAddr = "127.0.0.1".parse().unwrap();
        let start = Instant::now();
        for _ in 0..60 {
            assert_eq!(limiter.check(client, start), Ok(()));
        }
        assert_eq!(limiter.check(client, start), Err(1));
        assert_eq!(limiter.check(client, start + Duration::from_secs(2)), Ok(()));
        let other: IpAddr = "::1".parse().unwrap();
        assert_eq!(limiter.check(other, start), Ok(()), "clients are counted apart");
    }

    #[test]
    fn an_ipv6_host_rotating_addresses_in_its_64_shares_one_bucket() {
        let limiter = RateLimiter::new(2);
        let now = Instant::now();
        assert_eq!(limiter.check("2001:db8::1".parse().unwrap(), now), Ok(()));
        assert_eq!(limiter.check("2001:db8::2".parse().unwrap(), now), Ok(()));
        assert!(limiter.check("2001:db8::3".parse().unwrap(), now).is_err());
        assert_eq!(limiter.check("2001:db8:0:1::1".parse().unwrap(), now), Ok(()), "another /64 is another client");
    }

    #[test]
    fn a_crowd_of_clients_is_forgotten_once_their_buckets_refill() {
        let limiter = RateLimiter::new(60);
        let start = Instant::now();
        for n in 0..(MAX_TRACKED as u32 + 10) {
            assert_eq!(limiter.check(IpAddr::from(n.to_be_bytes()), start), Ok(()));
        }
        let tracked = |limiter: &RateLimiter| limiter.buckets.lock().unwrap().by_client.len();
        assert_eq!(tracked(&limiter), MAX_TRACKED + 10);
        // A minute later every bucket is full again: the next request sweeps them away.
        assert_eq!(limiter.check("192.0.2.1".parse().unwrap(), start + Duration::from_secs(61)), Ok(()));
        assert_eq!(tracked(&limiter), 1);
    }

    #[test]
    fn zero_disables_the_limit() {
        let limiter = RateLimiter::new(0);
        let client: IpAddr = "127.0.0.1".parse().unwrap();
        for _ in 0..1000 {
            assert_eq!(limiter.check(client, Instant::now()), Ok(()));
        }
    }
}
