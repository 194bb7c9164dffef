//! The machine's own Chromium, headless, in a process group of its own: dropping [`Chromium`]
//! (at the end of a scan, on an error, or on Ctrl-C) kills every process it started, so none
//! outlives the scan.

use crate::options::Options;
use chromiumoxide::browser::Browser;
use chromiumoxide::handler::HandlerConfig;
use chromiumoxide::handler::viewport::Viewport;
use futures_util::StreamExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// The width and height of every page view, and of the report's screenshots.
pub const VIEWPORT: (u32, u32) = (1280, 800);
/// How long Chromium may take to open its DevTools socket.
const START_TIMEOUT: Duration = Duration::from_secs(30);
/// How long one DevTools command may take before it counts as failed.
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(20);

/// A running Chromium and the DevTools connection to it.
pub struct Chromium {
    pub browser: Browser,
    handler: tokio::task::JoinHandle<()>,
    // Last: dropped after the connection's task has stopped.
    _process: Process,
}

/// Chromium's process group and profile: killed and removed when dropped, from the moment it
/// started (a launch given up half-way leaves nothing behind either).
struct Process {
    child: Child,
    profile: PathBuf,
}

impl Drop for Process {
    fn drop(&mut self) {
        if let Some(group) = self.child.id() {
            // SAFETY: killpg only sends a signal; a group that is already gone gives ESRCH.
            unsafe {
                libc::killpg(group as libc::pid_t, libc::SIGKILL);
            }
        }
        // Reaped by tokio once it has died.
        let _ = self.child.start_kill();
        // Chromium's crash handler starts a session of its own, out of the group's reach: it is
        // found by the profile folder on its command line.
        kill_named(&self.profile.to_string_lossy());
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// Sends SIGKILL to every process whose command line contains `marker`.
fn kill_named(marker: &str) {
    let Ok(entries) = std::fs::read_dir("/proc") else { return };
    for entry in entries.flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|name| name.parse::<libc::pid_t>().ok()) else { continue };
        let named = std::fs::read(entry.path().join("cmdline"))
            .is_ok_and(|line| String::from_utf8_lossy(&line).contains(marker));
        if named {
            // SAFETY: kill only sends a signal, to a process this scan's Chromium started.
            unsafe {
                libc::kill(pid, libc::SIGKILL);
            }
        }
    }
}

impl Chromium {
    /// Starts Chromium for `options` (its address rewrites and certificate rule) and connects.
    pub async fn launch(options: &Options) -> Result<Chromium, String> {
        let binary = find_binary(options.chromium.as_deref())?;
        let profile = std::env::temp_dir().join(format!(
            "consent-scan-{}-{}",
            std::process::id(),
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0)
        ));
        std::fs::create_dir_all(profile.join("Default"))
            .map_err(|error| format!("cannot create {}: {error}", profile.display()))?;
        // Third-party cookies as an ordinary window takes them: headless Chromium blocks them
        // by default, and they would go unseen.
        std::fs::write(profile.join("Default/Preferences"), r#"{"profile":{"cookie_controls_mode":0}}"#)
            .map_err(|error| format!("cannot write {}: {error}", profile.display()))?;
        let mut command = Command::new(&binary);
        command
            .args(arguments(options, &profile))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            // A group of its own: its renderers and helpers are killed with it.
            .process_group(0);
        let child = match command.spawn() {
            Ok(child) => child,
            Err(error) => {
                let _ = std::fs::remove_dir_all(&profile);
                return Err(format!("cannot start {}: {error}", binary.display()));
            }
        };
        let mut process = Process { child, profile };
        let address = devtools_address(&mut process.child).await?;
        let config = HandlerConfig {
            ignore_https_errors: options.insecure,
            viewport: Some(Viewport { width: VIEWPORT.0, height: VIEWPORT.1, ..Viewport::default() }),
            request_timeout: COMMAND_TIMEOUT,
            ..HandlerConfig::default()
        };
        let (browser, mut handler) = Browser::connect_with_config(address, config)
            .await
            .map_err(|error| format!("cannot connect to Chromium: {error}"))?;
        // The connection's events are driven here; a message it cannot read is skipped.
        let handler = tokio::spawn(async move { while handler.next().await.is_some() {} });
        Ok(Chromium { browser, handler, _process: process })
    }
}

impl Drop for Chromium {
    fn drop(&mut self) {
        self.handler.abort();
    }
}

/// The flags of a scan: headless, no background traffic of Chromium's own (this machine's
/// network refuses it, and it is not the site's), every frame in one renderer so that each
/// frame's storage can be read, and the page's host names rewritten as asked.
fn arguments(options: &Options, profile: &Path) -> Vec<String> {
    let mut arguments: Vec<String> = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--disable-extensions",
        "--mute-audio",
        // No crash reporter: it would leave the process group, and outlive the scan.
        "--disable-breakpad",
        "--disable-crash-reporter",
        "--hide-scrollbars",
        "--disable-dev-shm-usage",
        "--disable-site-isolation-trials",
        "--disable-features=IsolateOrigins,site-per-process,Translate,OptimizationHints,MediaRouter",
        "--remote-debugging-port=0",
    ]
    .iter()
    .map(|flag| flag.to_string())
    .collect();
    arguments.push(format!("--user-data-dir={}", profile.display()));
    arguments.push(format!("--window-size={},{}", VIEWPORT.0, VIEWPORT.1));
    if !options.resolve.is_empty() {
        let rules: Vec<String> =
            options.resolve.iter().map(|rule| format!("MAP {} {}", rule.host, rule.address)).collect();
        arguments.push(format!("--host-resolver-rules={}", rules.join(", ")));
    }
    if options.insecure {
        arguments.push("--ignore-certificate-errors".into());
    }
    arguments.push("about:blank".into());
    arguments
}

/// The Chromium named, else the first of the usual names on PATH, else the usual places.
fn find_binary(named: Option<&Path>) -> Result<PathBuf, String> {
    if let Some(path) = named {
        return if path.is_file() {
            Ok(path.to_path_buf())
        } else {
            Err(format!(
                "no Chromium at {}: install it (`apt-get install chromium` on Debian) or name another with --chromium PATH",
                path.display()
            ))
        };
    }
    let names = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];
    let path = std::env::var_os("PATH").unwrap_or_default();
    for name in names {
        for folder in std::env::split_paths(&path) {
            let candidate = folder.join(name);
            if candidate.is_file() {
                return Ok(candidate);
            }
        }
    }
    ["/usr/bin/chromium", "/snap/bin/chromium"]
        .iter()
        .map(PathBuf::from)
        .find(|candidate| candidate.is_file())
        .ok_or_else(|| {
            "no Chromium found: install it (`apt-get install chromium` on Debian) or name it with --chromium PATH"
                .to_string()
        })
}

/// Reads Chromium's error output up to the line with its DevTools address; the rest of its
/// output is read and dropped, so that Chromium never waits on a full pipe.
async fn devtools_address(child: &mut Child) -> Result<String, String> {
    let stderr = child.stderr.take().ok_or("Chromium's output is not readable")?;
    let mut lines = BufReader::new(stderr).lines();
    let mut last = String::new();
    let found = tokio::time::timeout(START_TIMEOUT, async {
        while let Ok(Some(line)) = lines.next_line().await {
            if let Some(at) = line.find("ws://") {
                return Some(line[at..].trim().to_string());
            }
            if !line.trim().is_empty() {
                last = line;
            }
        }
        None
    })
    .await;
    match found {
        Ok(Some(address)) => {
            tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
            Ok(address)
        }
        Ok(None) => Err(format!("Chromium exited before it could be driven: {last}")),
        Err(_) => Err(format!("Chromium did not open its DevTools socket within {} s", START_TIMEOUT.as_secs())),
    }
}
