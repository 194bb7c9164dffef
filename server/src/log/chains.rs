//! The log is made of chains, one per server appending at the time, so that servers sharing a
//! database never wait for each other. A row's `seq` says which chain it belongs to and where:
//! `chain * CHAIN_SPAN + position`, positions counting from 1. Chain 0 is the log as a single
//! server (or an earlier version) writes it, so its rows are numbered 1, 2, 3… as before.

use std::time::Duration;

/// How many positions a chain has: a trillion rows, about 1.6 years at 20,000 records a
/// second without pause. A chain that fills up is retired and its writer moves to a new one.
pub const CHAIN_SPAN: i64 = 1_000_000_000_000;

/// The chain that `seq` belongs to.
pub fn chain_of(seq: i64) -> i64 {
    seq.div_euclid(CHAIN_SPAN)
}

/// The `seq` just before the first row of `chain`: where it starts when nothing was purged.
pub fn origin(chain: i64) -> i64 {
    chain * CHAIN_SPAN
}

/// The last `seq` that `chain` may hold.
pub fn last_seq(chain: i64) -> i64 {
    origin(chain) + CHAIN_SPAN - 1
}

/// How long a server's hold on its chain lasts unless renewed, and how often it renews it.
#[derive(Debug, Clone, Copy)]
pub struct Lease {
    pub length: Duration,
}

impl Lease {
    /// Four renewals a lease: one or two may fail (a slow database) before it lapses.
    pub fn renew_every(&self) -> Duration {
        self.length / 4
    }
}

/// A name for this server process in the `chains` table and in logs: host, process id and a
/// random part (two servers in one process, as in the tests, get different names).
pub fn holder_name() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|name| name.trim().to_string())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "host".to_string());
    let random = uuid::Uuid::new_v4().simple().to_string();
    format!("{host}/{}/{}", std::process::id(), &random[..6])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_0_numbers_its_rows_from_1_and_each_chain_has_a_range_of_its_own() {
        assert_eq!(chain_of(1), 0);
        assert_eq!(chain_of(last_seq(0)), 0);
        assert_eq!(chain_of(last_seq(0) + 1), 1);
        assert_eq!(origin(2) + 1, 2_000_000_000_001);
        assert_eq!(chain_of(origin(3)), 3, "a chain's origin is in its own range");
    }
}

/// The end of a chain: its last row's sequence number and hash (or where it starts, before
/// it has any).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tail {
    pub seq: i64,
    pub hash: String,
}
