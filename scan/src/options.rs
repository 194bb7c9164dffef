//! What the command line asks for, checked once: every later step can trust it.

use clap::Parser;
use std::path::PathBuf;
use std::time::Duration;
use url::Url;

/// Visits a site as a visitor would (first visit, Reject all, Accept all, withdrawal, Global
/// Privacy Control) and reports what it stores and sends against what its configuration declares.
#[derive(Debug, Parser)]
#[command(name = "consent-scan", version)]
pub struct Cli {
    /// The first page to visit; same-origin links are followed from it.
    pub url: String,
    /// At most this many pages.
    #[arg(long, default_value_t = 20)]
    pub pages: usize,
    /// Take the pages from this sitemap (or sitemap index) instead of following links.
    #[arg(long)]
    pub sitemap: Option<String>,
    /// Judge against this configuration file instead of the one the page carries.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Write the report as JSON (schema: scan/report.schema.json).
    #[arg(long)]
    pub json: Option<PathBuf>,
    /// Write a self-contained HTML report, with a screenshot of each page in each state.
    #[arg(long)]
    pub html: Option<PathBuf>,
    /// Write the configuration with every undeclared cookie and storage key added.
    #[arg(long)]
    pub fix: Option<PathBuf>,
    /// Send HOST to ADDRESS (an IP address, optionally with :PORT), as curl's --resolve does:
    /// a staging server scanned under the production host names. Repeatable.
    #[arg(long, value_name = "HOST:ADDRESS")]
    pub resolve: Vec<String>,
    /// Accept any TLS certificate (a staging server's own).
    #[arg(long)]
    pub insecure: bool,
    /// Pages visited at the same time.
    #[arg(long, default_value_t = 2)]
    pub jobs: usize,
    /// The longest a page view may take to go quiet, in seconds.
    #[arg(long, default_value_t = 15)]
    pub page_timeout: u64,
    /// The Chromium to drive (default: `chromium` on PATH, then the usual places).
    #[arg(long, env = "CHROMIUM")]
    pub chromium: Option<PathBuf>,
    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
}

/// Where the reports go.
#[derive(Debug, Clone, Default)]
pub struct Outputs {
    pub json: Option<PathBuf>,
    pub html: Option<PathBuf>,
    pub fix: Option<PathBuf>,
}

/// A host name sent to another address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolve {
    pub host: String,
    pub address: String,
}

#[derive(Debug, Clone)]
pub struct Options {
    pub start: Url,
    pub pages: usize,
    pub sitemap: Option<Url>,
    pub config: Option<PathBuf>,
    pub outputs: Outputs,
    pub resolve: Vec<Resolve>,
    pub insecure: bool,
    pub jobs: usize,
    pub page_timeout: Duration,
    pub chromium: Option<PathBuf>,
    pub progress: bool,
}

impl Options {
    pub fn from_cli(cli: Cli) -> Result<Options, String> {
        let start = web_url(&cli.url, "URL")?;
        let sitemap = cli.sitemap.as_deref().map(|text| web_url(text, "--sitemap")).transpose()?;
        if cli.pages == 0 {
            return Err("--pages: at least 1".into());
        }
        if cli.jobs == 0 {
            return Err("--jobs: at least 1".into());
        }
        if cli.page_timeout == 0 {
            return Err("--page-timeout: at least 1 second".into());
        }
        let resolve = cli.resolve.iter().map(|text| parse_resolve(text)).collect::<Result<_, _>>()?;
        Ok(Options {
            start,
            pages: cli.pages,
            sitemap,
            config: cli.config,
            outputs: Outputs { json: cli.json, html: cli.html, fix: cli.fix },
            resolve,
            insecure: cli.insecure,
            jobs: cli.jobs,
            page_timeout: Duration::from_secs(cli.page_timeout),
            chromium: cli.chromium,
            progress: !cli.quiet,
        })
    }

    /// Whether screenshots are worth taking (only the HTML report shows them).
    pub fn screenshots(&self) -> bool {
        self.outputs.html.is_some()
    }
}

fn web_url(text: &str, what: &str) -> Result<Url, String> {
    let url = Url::parse(text).map_err(|error| format!("{what} `{text}`: {error}"))?;
    match url.scheme() {
        "http" | "https" if url.host_str().is_some() => Ok(url),
        _ => Err(format!("{what} `{text}`: not an http or https address")),
    }
}

/// `HOST:ADDRESS`, the address an IPv4 address, `[IPv6]`, or either with `:PORT`.
pub fn parse_resolve(text: &str) -> Result<Resolve, String> {
    let problem = || {
        format!(
            "--resolve `{text}`: write HOST:ADDRESS, e.g. www.example.com:127.0.0.1 or www.example.com:127.0.0.1:8443"
        )
    };
    let (host, address) = text.split_once(':').ok_or_else(problem)?;
    let host = host.trim().to_ascii_lowercase();
    let valid_host = !host.is_empty()
        && host
            .split('.')
            .all(|label| !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    let (ip, port) = match address.strip_prefix('[') {
        Some(rest) => {
            let (ip, after) = rest.split_once(']').ok_or_else(problem)?;
            (ip, after.strip_prefix(':'))
        }
        None => match address.split_once(':') {
            Some((ip, port)) => (ip, Some(port)),
            None => (address, None),
        },
    };
    let ip_ok = ip.parse::<std::net::IpAddr>().is_ok();
    let port_ok = port.is_none_or(|port| port.parse::<u16>().is_ok_and(|port| port > 0));
    if !valid_host || !ip_ok || !port_ok {
        return Err(problem());
    }
    Ok(Resolve { host, address: address.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_takes_an_address_with_or_without_a_port() {
        assert_eq!(
            parse_resolve("WWW.Example.com:127.0.0.1").unwrap(),
            Resolve { host: "www.example.com".into(), address: "127.0.0.1".into() }
        );
        assert_eq!(parse_resolve("a.example:127.0.0.1:8443").unwrap().address, "127.0.0.1:8443");
        assert_eq!(parse_resolve("a.example:[::1]:8443").unwrap().address, "[::1]:8443");
        for bad in
            ["a.example", "a.example:", "a.example:localhost", ":127.0.0.1", "a b:127.0.0.1", "a.example:127.0.0.1:0"]
        {
            assert!(parse_resolve(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn only_web_addresses_are_scanned() {
        let cli = |url: &str| Cli::parse_from(["consent-scan", url]);
        assert!(Options::from_cli(cli("https://example.com/")).is_ok());
        assert!(Options::from_cli(cli("file:///etc/passwd")).unwrap_err().contains("not an http"));
        assert!(Options::from_cli(cli("example.com")).is_err());
        let none = Cli::parse_from(["consent-scan", "https://example.com/", "--pages", "0"]);
        assert!(Options::from_cli(none).unwrap_err().contains("--pages"));
    }
}
