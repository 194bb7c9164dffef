//! Failed sign-ins, counted per client address (an IPv6 host by its /64) in memory only: past
//! [`MAX_FAILURES`] in a minute, the address is refused for the rest of that minute, whatever
//! token it sends, so that the admin token cannot be guessed by trying.

use crate::serve::connection_gate::ClientKey;
use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Wrong tokens a client may send per [`WINDOW`].
pub const MAX_FAILURES: usize = 5;
pub const WINDOW: Duration = Duration::from_secs(60);

/// Past this many tracked clients, those with no recent failure are forgotten.
const MAX_TRACKED: usize = 10_000;

#[derive(Clone, Default)]
pub struct FailedLogins {
    by_client: Arc<Mutex<HashMap<ClientKey, VecDeque<Instant>>>>,
}

impl FailedLogins {
    /// `Ok` when `client` may try a token now, or the seconds it must wait.
    pub fn check(&self, client: IpAddr, now: Instant) -> Result<(), u64> {
        let mut by_client = self.by_client.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let Some(failures) = by_client.get_mut(&ClientKey::from(client)) else { return Ok(()) };
        while failures.front().is_some_and(|at| now.duration_since(*at) >= WINDOW) {
            failures.pop_front();
        }
        match failures.front() {
            Some(oldest) if failures.len() >= MAX_FAILURES => {
                Err((WINDOW - now.duration_since(*oldest)).as_secs().max(1))
            }
            _ => Ok(()),
        }
    }

    /// Counts a wrong token from `client`.
    pub fn failed(&self, client: IpAddr, now: Instant) {
        let mut by_client = self.by_client.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if by_client.len() > MAX_TRACKED {
            by_client.retain(|_, failures| failures.back().is_some_and(|at| now.duration_since(*at) < WINDOW));
        }
        by_client.entry(ClientKey::from(client)).or_default().push_back(now);
    }

    /// Forgets `client`'s failures once it signed in.
    pub fn succeeded(&self, client: IpAddr) {
        self.by_client.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).remove(&ClientKey::from(client));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_a_minute_then_the_client_waits_for_the_oldest_to_age() {
        let limiter = FailedLogins::default();
        let client: IpAddr = "192.0.2.1".parse().unwrap();
        let start = Instant::now();
        for n in 0..MAX_FAILURES as u64 {
            assert_eq!(limiter.check(client, start), Ok(()));
            limiter.failed(client, start + Duration::from_secs(n));
        }
        assert_eq!(limiter.check(client, start + Duration::from_secs(10)), Err(50));
        assert_eq!(limiter.check("192.0.2.2".parse().unwrap(), start), Ok(()), "clients are counted apart");
        assert_eq!(limiter.check(client, start + WINDOW), Ok(()), "the oldest failure aged out");
        limiter.succeeded(client);
        assert_eq!(limiter.check(client, start), Ok(()));
    }
}
