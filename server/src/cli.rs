//! Command-line flags, each also readable from the environment.

use axum::http::HeaderName;
use clap::{Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone, Parser)]
#[command(
    name = "consent-server",
    version,
    about = "Serves the Consent Widget demo and keeps its proof-of-consent log."
)]
pub struct Args {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub options: Options,
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Serve the demo site, the widget and the record API (the default).
    Serve,
    /// Check every chain of the log and its checkpoints, and name the first broken row.
    Verify {
        /// Also check the log against anchors kept outside the database: receipts visitors
        /// were given and --checkpoint-copy files (JSON, one a line). Repeatable.
        #[arg(long)]
        anchors: Vec<PathBuf>,
    },
}

#[derive(Debug, Clone, clap::Args)]
pub struct Options {
    /// Address to listen on.
    #[arg(long, env = "CONSENT_LISTEN", default_value = "127.0.0.1:8080", global = true)]
    pub listen: SocketAddr,
    /// Database: `sqlite:PATH` (created if missing) or `postgres://USER@HOST/DB`.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite:data/consents.db?mode=rwc", global = true)]
    pub database_url: String,
    /// Origins whose pages may send records from the browser (comma-separated), e.g. https://shop.example.
    #[arg(long, env = "CONSENT_ALLOWED_ORIGINS", value_delimiter = ',', global = true)]
    pub allowed_origins: Vec<String>,
    /// Bearer token for the export and stats endpoints, and the sign-in of the dashboard at
    /// /admin/; they are off without one.
    #[arg(long, env = "CONSENT_ADMIN_TOKEN", global = true, hide_env_values = true)]
    pub admin_token: Option<String>,
    /// Mark the dashboard's session cookie Secure on every response, not only when a proxy says
    /// (`X-Forwarded-Proto: https`) that the request came over HTTPS.
    #[arg(long, env = "CONSENT_SECURE_COOKIES", global = true)]
    pub secure_cookies: bool,
    /// Key that signs the checkpoints (each purge's, the periodic ones, each shutdown's). Keep
    /// it out of the database, and give every server on one database the same.
    #[arg(long, env = "CONSENT_CHECKPOINT_KEY", global = true, hide_env_values = true)]
    pub checkpoint_key: Option<String>,
    /// Seconds between checkpoints of every chain's last row (written when something was
    /// appended since the last).
    #[arg(long, env = "CONSENT_CHECKPOINT_INTERVAL", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..), global = true)]
    pub checkpoint_interval: u64,
    /// File that gets a copy of each checkpoint this server writes (JSON, one a line), to keep
    /// outside the database for `verify --anchors`.
    #[arg(long, env = "CONSENT_CHECKPOINT_COPY", global = true)]
    pub checkpoint_copy: Option<PathBuf>,
    /// Seconds a server's hold on its chain lasts unless renewed: after a crash, its chain is
    /// free for another server this much later.
    #[arg(long, env = "CONSENT_CHAIN_LEASE", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..), global = true)]
    pub chain_lease: u64,
    /// Days a record is kept before the retention task purges it.
    #[arg(long, env = "CONSENT_RETENTION_DAYS", default_value_t = 1095, global = true)]
    pub retention_days: u32,
    /// Requests a minute one client may send to the API (0: no limit).
    #[arg(long, env = "CONSENT_RATE_LIMIT", default_value_t = 120, global = true)]
    pub rate_limit: u32,
    /// Behind a reverse proxy: the header it writes the client's address into (`X-Forwarded-For`,
    /// `Forwarded`, ...). The rate limit then counts clients by the right-most address in it,
    /// the one the proxy added, instead of by connection (which all come from the proxy).
    /// Only when every request comes through that proxy: a client reaching the server directly
    /// could name any address in it.
    #[arg(long, env = "CONSENT_TRUSTED_PROXY_HEADER", global = true)]
    pub trusted_proxy_header: Option<HeaderName>,
    /// Connections held open at most; more are refused with 503 (capped below the open-file limit).
    #[arg(long, env = "CONSENT_MAX_CONNECTIONS", default_value_t = 4096, value_parser = clap::value_parser!(u32).range(1..), global = true)]
    pub max_connections: u32,
    /// Connections one client address (IPv6: one /64) may hold; more are refused with 429 (0: no cap).
    /// Behind a reverse proxy every connection comes from the proxy: raise it or set 0.
    #[arg(long, env = "CONSENT_MAX_CONNECTIONS_PER_CLIENT", default_value_t = 256, global = true)]
    pub max_connections_per_client: u32,
    /// Seconds a request's headers may take to arrive, and a kept-alive connection may wait idle
    /// for its next request.
    #[arg(long, env = "CONSENT_HEADER_TIMEOUT", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..), global = true)]
    pub header_timeout: u64,
    /// Seconds a request's body may take to arrive once its headers have (408 after).
    #[arg(long, env = "CONSENT_BODY_TIMEOUT", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..), global = true)]
    pub body_timeout: u64,
    /// Seconds the server may take to start its answer to a request (503 after).
    #[arg(long, env = "CONSENT_REQUEST_TIMEOUT", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..), global = true)]
    pub request_timeout: u64,
    /// Seconds a request waits for the database (a record's commit, a read) before 503 with Retry-After.
    #[arg(long, env = "CONSENT_DATABASE_TIMEOUT", default_value_t = 3, value_parser = clap::value_parser!(u64).range(1..), global = true)]
    pub database_timeout: u64,
    /// Seconds between the shutdown signal and closing the listener, while /readyz says
    /// "draining" and requests are still served: time for a load balancer to stop sending any.
    #[arg(long, env = "CONSENT_DRAIN_DELAY", default_value_t = 0, global = true)]
    pub drain_delay: u64,
    /// Seconds the requests under way get to finish once the listener is closed.
    #[arg(long, env = "CONSENT_SHUTDOWN_TIMEOUT", default_value_t = 30, global = true)]
    pub shutdown_timeout: u64,
    /// Scan this site with consent-scan on a schedule (see --scan-every): each report is kept,
    /// signed under the checkpoint key, checked by `verify` and shown on the dashboard.
    #[arg(long, env = "CONSENT_SCAN", global = true)]
    pub scan: Option<String>,
    /// How often the site is scanned: a number and a unit, e.g. 24h, 30m, 7d.
    #[arg(long, env = "CONSENT_SCAN_EVERY", default_value = "24h", value_parser = parse_every, global = true)]
    pub scan_every: Duration,
    /// Pages each scan visits at most.
    #[arg(long, env = "CONSENT_SCAN_PAGES", default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..), global = true)]
    pub scan_pages: u32,
    /// The consent-scan binary (default: the one beside this server, else on PATH).
    #[arg(long, env = "CONSENT_SCAN_COMMAND", global = true)]
    pub scan_command: Option<PathBuf>,
    /// Folder of the demo site, served at `/`.
    #[arg(long, env = "CONSENT_SITE_DIR", default_value = "www", global = true)]
    pub site_dir: PathBuf,
    /// Folder of the built widget (scripts/build-widget.sh), served at `/consent-widget/`.
    #[arg(long, env = "CONSENT_WIDGET_DIR", default_value = "dist/consent-widget", global = true)]
    pub widget_dir: PathBuf,
}

/// `30m`, `24h`, `7d` (or seconds: `90s`), at least a minute.
fn parse_every(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: u64 = number.parse().map_err(|_| format!("`{text}`: write a number and a unit, e.g. 24h"))?;
    let seconds = match unit {
        "s" => number,
        "m" => number * 60,
        "h" => number * 3_600,
        "d" => number * 86_400,
        _ => return Err(format!("`{text}`: the unit is s, m, h or d, e.g. 24h")),
    };
    if seconds < 60 {
        return Err(format!("`{text}`: at least a minute between scans"));
    }
    Ok(Duration::from_secs(seconds))
}

impl Options {
    /// The scheduled scans, when asked for.
    pub fn scan_schedule(&self) -> Option<crate::log::scans::Schedule> {
        let site = self.scan.clone()?;
        let command = self.scan_command.clone().unwrap_or_else(crate::log::scans::default_command);
        Some(crate::log::scans::Schedule::new(
            site,
            self.scan_every,
            self.scan_pages,
            command,
            self.checkpoint_key.clone(),
        ))
    }

    /// How this server signs and copies checkpoints.
    pub fn checkpoints(&self) -> crate::log::checkpoints::Checkpoints {
        crate::log::checkpoints::Checkpoints { key: self.checkpoint_key.clone(), copy_to: self.checkpoint_copy.clone() }
    }

    /// How long this server's hold on its chain lasts.
    pub fn lease(&self) -> crate::log::chains::Lease {
        crate::log::chains::Lease { length: Duration::from_secs(self.chain_lease) }
    }

    /// What each connection and request is allowed, from the flags.
    pub fn limits(&self) -> crate::serve::Limits {
        crate::serve::Limits {
            max_connections: self.max_connections as usize,
            max_connections_per_client: self.max_connections_per_client as usize,
            header_timeout: Duration::from_secs(self.header_timeout),
            body_timeout: Duration::from_secs(self.body_timeout),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_every;
    use std::time::Duration;

    #[test]
    fn a_scan_interval_is_a_number_and_a_unit() {
        assert_eq!(parse_every("24h"), Ok(Duration::from_secs(86_400)));
        assert_eq!(parse_every("30m"), Ok(Duration::from_secs(1_800)));
        assert_eq!(parse_every("7d"), Ok(Duration::from_secs(7 * 86_400)));
        assert!(parse_every("10s").unwrap_err().contains("at least a minute"));
        assert!(parse_every("24").is_err());
        assert!(parse_every("h").is_err());
        assert!(parse_every("2w").is_err());
    }
}
