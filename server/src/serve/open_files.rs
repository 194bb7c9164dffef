//! The process's open-file limit, which bounds how many connections it can hold: past it,
//! accepting fails and the server stops answering anyone, health checks included.

/// File handles kept for everything but client connections: the listener, database files and
/// connections, static files being sent, logs.
pub const RESERVED: u64 = 128;

/// Raises the soft open-file limit to the hard one (what a service manager allows; many start
/// services at 1,024) and returns the limit now in force, or `None` where it cannot be read.
#[cfg(unix)]
pub fn raise_to_hard_limit() -> Option<u64> {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit only writes the struct it is given, which lives on this stack frame.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
        return None;
    }
    if limit.rlim_cur < limit.rlim_max {
        let raised = libc::rlimit { rlim_cur: limit.rlim_max, rlim_max: limit.rlim_max };
        // SAFETY: setrlimit only reads the struct it is given.
        if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) } == 0 {
            limit = raised;
        }
    }
    #[allow(clippy::unnecessary_cast)] // rlim_t is u64 on Linux, not on every Unix
    Some(limit.rlim_cur as u64)
}

#[cfg(not(unix))]
pub fn raise_to_hard_limit() -> Option<u64> {
    None
}

/// How many connections the server may hold under an open-file limit of `limit`, at most
/// `wanted`.
pub fn connection_cap(wanted: usize, limit: Option<u64>) -> usize {
    match limit {
        Some(limit) => wanted.min(limit.saturating_sub(RESERVED).max(1) as usize),
        None => wanted,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_leaves_room_for_the_server_s_own_files() {
        assert_eq!(connection_cap(4096, Some(1024)), 1024 - RESERVED as usize);
        assert_eq!(connection_cap(100, Some(1024)), 100);
        assert_eq!(connection_cap(100, Some(10)), 1);
        assert_eq!(connection_cap(100, None), 100);
    }

    #[test]
    fn the_limit_in_force_is_read() {
        let limit = raise_to_hard_limit();
        #[cfg(unix)]
        assert!(limit.is_some_and(|limit| limit > 0));
        let _ = limit;
    }
}
