//! SQLite takes one server per database file: a second would contend with the first for the
//! file's single write lock and fail requests. While it runs, a server holds an exclusive lock
//! on a file beside the database (the kernel drops it when the process ends, however it ends),
//! and a second server on the same file is refused at start-up, saying why.

use std::fs::File;
use std::io::{Read, Seek, Write};
use std::os::fd::AsRawFd;

/// Held for as long as the server runs.
#[derive(Debug)]
pub struct Exclusive {
    _file: File,
}

/// Claims the SQLite file of `database_url` for this server; `None` for other databases and
/// for an in-memory SQLite database.
pub fn claim(database_url: &str) -> Result<Option<Exclusive>, String> {
    let Some(path) = sqlite_file(database_url) else { return Ok(None) };
    let lock_path = format!("{path}.server-lock");
    // The folder may not exist yet (`./data/` on a first start): the store creates it too, later.
    if let Some(folder) = std::path::Path::new(&path).parent().filter(|folder| !folder.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder).map_err(|error| format!("cannot create {}: {error}", folder.display()))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lock_path)
        .map_err(|error| format!("cannot open {lock_path}: {error}"))?;
    // SAFETY: flock only reads the descriptor, which `file` keeps open.
    if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
        let mut holder = String::new();
        let _ = file.read_to_string(&mut holder);
        let holder = holder.trim();
        let who = if holder.is_empty() { String::new() } else { format!(" (process {holder})") };
        return Err(format!(
            "another consent-server{who} is serving the SQLite database {path} already. SQLite takes one \
             server per database file: stop that one first, or run several servers on PostgreSQL"
        ));
    }
    let _ = file.set_len(0).and_then(|()| file.rewind()).and_then(|()| write!(file, "{}", std::process::id()));
    Ok(Some(Exclusive { _file: file }))
}

/// The file of an SQLite database URL (`sqlite:PATH?…`, `sqlite://PATH`).
fn sqlite_file(url: &str) -> Option<String> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let in_memory = path.is_empty() || path == ":memory:" || query.split('&').any(|pair| pair == "mode=memory");
    (!in_memory).then(|| path.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_first_start_creates_the_database_s_folder() {
        let folder = tempfile::tempdir().unwrap();
        let database = folder.path().join("data").join("consents.db");
        let claimed = claim(&format!("sqlite:{}?mode=rwc", database.display())).unwrap();
        assert!(claimed.is_some());
        assert!(database.parent().unwrap().is_dir());
    }

    #[test]
    fn a_second_claim_on_one_file_is_refused_with_the_reason_and_the_first_holder() {
        let folder = tempfile::tempdir().unwrap();
        let url = format!("sqlite:{}?mode=rwc", folder.path().join("log.db").display());
        let first = claim(&url).unwrap();
        assert!(first.is_some());
        let refused = claim(&url).unwrap_err();
        assert!(refused.contains("one server per database file"), "{refused}");
        assert!(refused.contains(&format!("process {}", std::process::id())), "{refused}");
        drop(first);
        assert!(claim(&url).unwrap().is_some(), "free again once the first lets go");
        assert!(claim("sqlite::memory:").unwrap().is_none());
        assert!(claim("postgres://db/log").unwrap().is_none());
    }
}
