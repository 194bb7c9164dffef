//! The real `consent-server` binary in a process of its own, for what only a process shows:
//! signals, exit codes, its log, and limits on its open files.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

pub struct ServerProcess {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub base: String,
    pub address: std::net::SocketAddr,
    log: Arc<Mutex<String>>,
}

impl ServerProcess {
    /// Starts the server with `flags` (on a free loopback port), allowed `open_files` file
    /// handles if given, and waits until it listens.
    pub fn start(flags: &[&str], open_files: Option<u32>) -> ServerProcess {
        let binary = env!("CARGO_BIN_EXE_consent-server");
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
        let mut command = match open_files {
            Some(limit) => {
                let mut shell = Command::new("sh");
                shell.args(["-c", &format!("ulimit -n {limit} && exec \"$0\" \"$@\""), binary]);
                shell
            }
            None => Command::new(binary),
        };
        command
            .args(["--listen", "127.0.0.1:0", "--site-dir", &format!("{root}/www")])
            .args(flags)
            .env("RUST_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("the server starts");
        let log = Arc::new(Mutex::new(String::new()));
        let stderr = BufReader::new(child.stderr.take().unwrap());
        let lines = log.clone();
        std::thread::spawn(move || {
            for line in stderr.lines().map_while(Result::ok) {
                let mut log = lines.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        let (said, heard) = mpsc::channel();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        std::thread::spawn(move || {
            for line in stdout.lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("consent-server: serving the demo on ") {
                    let _ = said.send(url.trim_end_matches('/').to_string());
                }
            }
        });
        let base = heard
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|_| panic!("the server did not start listening; its log:\n{}", log.lock().unwrap()));
        let address = base.trim_start_matches("http://").parse().unwrap();
        ServerProcess { child, base, address, log }
    }

    pub fn pid(&self) -> i32 {
        self.child.id() as i32
    }

    /// Sends `signal` (`libc::SIGTERM`, …) to the server.
    pub fn signal(&self, signal: i32) {
        // SAFETY: kill only sends a signal to the child this value owns.
        assert_eq!(unsafe { libc::kill(self.pid(), signal) }, 0, "the signal was sent");
    }

    /// Waits for the server to exit, at most `limit`; its exit code.
    pub fn wait_for_exit(&mut self, limit: Duration) -> Option<i32> {
        let deadline = std::time::Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            if std::time::Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// What the server has written to stderr so far.
    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
