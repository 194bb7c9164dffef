//! How many connections the server holds open: a cap on all of them, so that slow or idle
//! clients cannot use up the process's file handles, and a cap per client address, so that
//! one host cannot take every place and keep health checks and visitors out.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

#[derive(Clone)]
pub struct ConnectionGate {
    total: usize,
    places: Arc<Semaphore>,
    per_client: usize,
    open_by_client: Arc<Mutex<HashMap<ClientKey, usize>>>,
}

/// Why a connection was turned away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The server holds as many connections as it may.
    Full,
    /// This client address holds as many as one address may.
    ClientFull,
}

/// A client address as per-client limits count it: IPv4 addresses one by one, IPv6 by their
/// /64 prefix, which one host usually holds whole (and can rotate through at will).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClientKey {
    V4(u32),
    V6Prefix(u64),
}

impl From<IpAddr> for ClientKey {
    fn from(address: IpAddr) -> ClientKey {
        match address {
            IpAddr::V4(v4) => ClientKey::V4(v4.to_bits()),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => ClientKey::V4(v4.to_bits()),
                None => ClientKey::V6Prefix((v6.to_bits() >> 64) as u64),
            },
        }
    }
}

impl ConnectionGate {
    /// At most `total` connections, and `per_client` from one client (0: no per-client cap).
    pub fn new(total: usize, per_client: usize) -> ConnectionGate {
        ConnectionGate { total, places: Arc::new(Semaphore::new(total)), per_client, open_by_client: Arc::default() }
    }

    /// A place for a connection from `client`, held until the returned value is dropped.
    pub fn admit(&self, client: IpAddr) -> Result<Admission, Refusal> {
        let place = self.places.clone().try_acquire_owned().map_err(|_| Refusal::Full)?;
        let key = ClientKey::from(client);
        if self.per_client > 0 {
            let mut open = self.open_by_client.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let count = open.entry(key).or_insert(0);
            if *count >= self.per_client {
                return Err(Refusal::ClientFull);
            }
            *count += 1;
        }
        Ok(Admission { _place: place, key, gate: self.clone() })
    }

    /// Connections held now.
    pub fn open(&self) -> usize {
        self.total - self.places.available_permits()
    }
}

/// One admitted connection's place.
pub struct Admission {
    _place: OwnedSemaphorePermit,
    key: ClientKey,
    gate: ConnectionGate,
}

impl Drop for Admission {
    fn drop(&mut self) {
        if self.gate.per_client == 0 {
            return;
        }
        let mut open = self.gate.open_by_client.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(count) = open.get_mut(&self.key) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn each_client_gets_its_share_and_all_of_them_the_total() {
        let gate = ConnectionGate::new(5, 2);
        let first = gate.admit(ip("192.0.2.1")).unwrap();
        let _second = gate.admit(ip("192.0.2.1")).unwrap();
        assert_eq!(gate.admit(ip("192.0.2.1")).err(), Some(Refusal::ClientFull));
        let _others = [gate.admit(ip("192.0.2.2")).unwrap(), gate.admit(ip("192.0.2.3")).unwrap()];
        let _fifth = gate.admit(ip("192.0.2.4")).unwrap();
        assert_eq!(gate.admit(ip("192.0.2.5")).err(), Some(Refusal::Full));
        assert_eq!(gate.open(), 5);
        drop(first);
        assert_eq!(gate.open(), 4);
        assert!(gate.admit(ip("192.0.2.1")).is_ok(), "a closed connection frees its client's place");
    }

    #[test]
    fn an_ipv6_host_is_counted_by_its_64_bit_prefix() {
        let gate = ConnectionGate::new(100, 1);
        let _held = gate.admit(ip("2001:db8:1:2::1")).unwrap();
        assert_eq!(gate.admit(ip("2001:db8:1:2:ffff::9")).err(), Some(Refusal::ClientFull));
        assert!(gate.admit(ip("2001:db8:1:3::1")).is_ok());
        let _v4 = gate.admit(ip("192.0.2.7")).unwrap();
        assert_eq!(gate.admit(ip("::ffff:192.0.2.7")).err(), Some(Refusal::ClientFull), "a mapped IPv4 is that IPv4");
    }

    #[test]
    fn zero_per_client_means_only_the_total_counts() {
        let gate = ConnectionGate::new(3, 0);
        let _held: Vec<Admission> = (0..3).map(|_| gate.admit(ip("192.0.2.1")).unwrap()).collect();
        assert_eq!(gate.admit(ip("192.0.2.1")).err(), Some(Refusal::Full));
    }
}
