//! The scanner's test sites: a first-party site over http and its third parties over https, both
//! on 127.0.0.1, reached by the scan through `--resolve` under their real host names (some are
//! on the browsers' HSTS preload list, hence https), with `--insecure` for the test certificate.
//!
//! Files are served from `tests/fixtures/sites/<site>/` and `tests/fixtures/third-parties/<host>/`;
//! a file's `.headers` sidecar adds response headers (`Name: value` lines) and its `.status`
//! sidecar sets the status. `/consent-widget/` is the widget as built (dist/consent-widget).

#![allow(dead_code)]

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

/// The third parties the test sites use, all answered by the https fixture server.
pub const THIRD_PARTIES: [&str; 4] =
    ["www.googletagmanager.com", "www.google-analytics.com", "www.youtube.com", "connect.facebook.net"];
/// The first-party host name of every test site.
pub const SITE_HOST: &str = "shop.example";
/// The longest a scan of a test site may take before the test says it hung.
const SCAN_LIMIT: Duration = Duration::from_secs(180);

pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The widget as built: the test sites load it as a visitor's browser would.
pub fn built_widget() -> PathBuf {
    let folder = workspace().join("dist/consent-widget");
    assert!(
        folder.join("consent-widget.js").is_file(),
        "the widget is not built: run `bash scripts/build-widget.sh` first (scripts/test.sh does)"
    );
    folder
}

#[derive(Clone)]
struct Roots {
    site: PathBuf,
    third_parties: Option<PathBuf>,
    widget: PathBuf,
    vanilla: PathBuf,
}

/// A test site and its third parties, served until dropped.
pub struct Fixture {
    pub site_port: u16,
    pub third_party_port: u16,
    servers: Vec<tokio::task::JoinHandle<()>>,
}

impl Drop for Fixture {
    fn drop(&mut self) {
        for server in &self.servers {
            server.abort();
        }
    }
}

impl Fixture {
    pub async fn start(site: &str) -> Fixture {
        let roots = Roots {
            site: fixtures().join("sites").join(site),
            third_parties: None,
            widget: built_widget(),
            vanilla: workspace().join("bench/node_modules/vanilla-cookieconsent/dist"),
        };
        assert!(roots.site.is_dir(), "no test site {site}");
        let third_parties = Roots { third_parties: Some(fixtures().join("third-parties")), ..roots.clone() };
        let site_listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let site_port = site_listener.local_addr().unwrap().port();
        let tls_listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let third_party_port = tls_listener.local_addr().unwrap().port();
        let site_app = Router::new().fallback(serve).with_state(Arc::new(roots));
        let third_party_app = Router::new().fallback(serve).with_state(Arc::new(third_parties));
        let servers = vec![
            tokio::spawn(async move {
                let _ = axum::serve(site_listener, site_app).await;
            }),
            tokio::spawn(async move {
                let listener = TlsListener { tcp: tls_listener, acceptor: tls_acceptor() };
                let _ = axum::serve(listener, third_party_app).await;
            }),
        ];
        Fixture { site_port, third_party_port, servers }
    }

    /// The test site's start page, under its real host name.
    pub fn url(&self, path: &str) -> String {
        format!("http://{SITE_HOST}{path}")
    }

    /// The `--resolve` and `--insecure` arguments that send the site's host names here.
    pub fn resolving(&self) -> Vec<String> {
        let mut arguments = vec!["--resolve".to_string(), format!("{SITE_HOST}:127.0.0.1:{}", self.site_port)];
        for host in THIRD_PARTIES {
            arguments.push("--resolve".into());
            arguments.push(format!("{host}:127.0.0.1:{}", self.third_party_port));
        }
        arguments.push("--insecure".into());
        arguments
    }
}

/// What a scan printed and wrote.
pub struct Scanned {
    /// consent-scan's process id: its Chromium's profile is named after it.
    pub pid: u32,
    pub status: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub folder: tempfile::TempDir,
}

impl Scanned {
    pub fn json(&self) -> serde_json::Value {
        let text = std::fs::read_to_string(self.folder.path().join("report.json"))
            .unwrap_or_else(|error| panic!("no JSON report ({error}); stderr:\n{}", self.stderr));
        serde_json::from_str(&text).unwrap()
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.folder.path().join(name)
    }
}

/// Runs consent-scan with `arguments` (and `--json report.json` in a folder of its own), at
/// most [`SCAN_LIMIT`]: a scan that hangs fails the test.
pub async fn scan(arguments: &[String]) -> Scanned {
    let folder = tempfile::tempdir().unwrap();
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_consent-scan"));
    command
        .args(arguments)
        .arg("--json")
        .arg(folder.path().join("report.json"))
        .arg("--quiet")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let child = command.spawn().expect("consent-scan runs");
    let pid = child.id().unwrap_or(0);
    let output = tokio::time::timeout(SCAN_LIMIT, child.wait_with_output())
        .await
        .unwrap_or_else(|_| panic!("consent-scan did not finish within {SCAN_LIMIT:?}: {arguments:?}"))
        .unwrap();
    Scanned {
        pid,
        status: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        folder,
    }
}

/// Fails the test with a clear line when the machine has no Chromium (scripts/setup.sh test
/// installs it): the scanner's tests never pass without a browser.
pub fn require_chromium() {
    let found = std::env::var_os("CHROMIUM").is_some()
        || std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
            .any(|folder| folder.join("chromium").is_file());
    assert!(found, "no Chromium: install it (`bash scripts/setup.sh test` does) to run the scanner's tests");
}

async fn serve(State(roots): State<Arc<Roots>>, request: Request) -> Response {
    let path = request.uri().path().to_string();
    if let Some(rest) = path.strip_prefix("/endless/") {
        // A page linking to the next one, for ever.
        let next = rest.parse::<u64>().unwrap_or(0) + 1;
        let body = format!(
            "<!doctype html><html lang=\"en\"><head><title>Page {rest}</title></head>\
             <body><a href=\"/endless/{next}\">next</a></body></html>"
        );
        return ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response();
    }
    let file = if let Some(rest) = path.strip_prefix("/consent-widget/").filter(|_| roots.third_parties.is_none()) {
        roots.widget.join(rest)
    } else if let Some(rest) = path.strip_prefix("/vendor/vanilla-cookieconsent/") {
        roots.vanilla.join(rest)
    } else if let Some(third_parties) = &roots.third_parties {
        let host = request
            .headers()
            .get(header::HOST)
            .and_then(|host| host.to_str().ok())
            .map(|host| host.split(':').next().unwrap_or(host).to_string())
            .unwrap_or_default();
        third_parties.join(host).join(path.trim_start_matches('/'))
    } else {
        roots.site.join(path.trim_start_matches('/'))
    };
    if path.contains("..") {
        return StatusCode::BAD_REQUEST.into_response();
    }
    let file = if file.is_dir() { file.join("index.html") } else { file };
    let Ok(bytes) = tokio::fs::read(&file).await else {
        return (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/html")],
            "<!doctype html><title>Not found</title>",
        )
            .into_response();
    };
    let status = std::fs::read_to_string(sidecar(&file, "status"))
        .ok()
        .and_then(|text| text.trim().parse::<u16>().ok())
        .and_then(|code| StatusCode::from_u16(code).ok())
        .unwrap_or(StatusCode::OK);
    let mut response = Response::builder().status(status);
    let content_type = match file.extension().and_then(|extension| extension.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript",
        Some("css") => "text/css",
        Some("json") => "application/json",
        Some("wasm") => "application/wasm",
        Some("xml") => "application/xml",
        Some("txt") => "text/plain",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    };
    let mut extra = Vec::new();
    if let Ok(lines) = std::fs::read_to_string(sidecar(&file, "headers")) {
        for line in lines.lines() {
            if let Some((name, value)) = line.split_once(':') {
                extra.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
            }
        }
    }
    if !extra.iter().any(|(name, _)| name == "content-type") {
        response = response.header(header::CONTENT_TYPE, content_type);
    }
    for (name, value) in extra {
        if let (Ok(name), Ok(value)) = (HeaderName::try_from(name), HeaderValue::try_from(value)) {
            response = response.header(name, value);
        }
    }
    response.body(Body::from(bytes)).unwrap()
}

fn sidecar(file: &Path, kind: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(format!(".{kind}"));
    PathBuf::from(name)
}

fn tls_acceptor() -> TlsAcceptor {
    let folder = fixtures().join("tls");
    let certificates: Vec<CertificateDer<'static>> =
        CertificateDer::pem_file_iter(folder.join("cert.pem")).unwrap().map(Result::unwrap).collect();
    let key = PrivateKeyDer::from_pem_file(folder.join("key.pem")).unwrap();
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certificates, key)
        .unwrap();
    TlsAcceptor::from(Arc::new(config))
}

/// Accepts TLS connections; one whose handshake fails is dropped, and the next awaited.
struct TlsListener {
    tcp: TcpListener,
    acceptor: TlsAcceptor,
}

impl axum::serve::Listener for TlsListener {
    type Io = tokio_rustls::server::TlsStream<tokio::net::TcpStream>;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let Ok((stream, address)) = self.tcp.accept().await else { continue };
            if let Ok(Ok(stream)) = tokio::time::timeout(Duration::from_secs(10), self.acceptor.accept(stream)).await {
                return (stream, address);
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.tcp.local_addr()
    }
}

/// The live processes of the Chromium that consent-scan `pid` started (its profile folder is
/// `consent-scan-<pid>-...`); a zombie has no command line and does not count.
pub fn browser_processes_of(pid: u32) -> usize {
    let marker = format!("consent-scan-{pid}-");
    std::fs::read_dir("/proc")
        .map(|entries| {
            entries
                .flatten()
                .filter(|entry| entry.file_name().to_string_lossy().chars().all(|c| c.is_ascii_digit()))
                .filter(|entry| {
                    std::fs::read(entry.path().join("cmdline"))
                        .is_ok_and(|line| String::from_utf8_lossy(&line).contains(&marker))
                })
                .count()
        })
        .unwrap_or(0)
}

pub fn chromium_processes_of(scanned: &Scanned) -> usize {
    browser_processes_of(scanned.pid)
}

pub async fn until_browser_runs_under(pid: u32) {
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while browser_processes_of(pid) == 0 {
        assert!(std::time::Instant::now() < deadline, "consent-scan {pid} started no Chromium");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub async fn until_no_browser_of(pid: u32) {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let left = browser_processes_of(pid);
        if left == 0 {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "{left} Chromium processes of consent-scan {pid} outlived it");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The demo site on the real consent-server (as `bash scripts/run.sh` serves it), with a
/// database of its own; stopped when dropped.
pub struct DemoServer {
    child: tokio::process::Child,
    port: u16,
    pub database_url: String,
    database: tempfile::TempDir,
}

/// The consent-server binary as scripts/test.sh builds it.
pub fn server_binary() -> PathBuf {
    let binary = workspace().join("target/server/consent-server");
    assert!(
        binary.is_file(),
        "no {}: build it with `cargo build --profile server -p consent-server` (scripts/test.sh does)",
        binary.display()
    );
    binary
}

impl DemoServer {
    pub async fn start() -> DemoServer {
        DemoServer::start_with(|_| Vec::new()).await
    }

    /// With more flags, made from the server's own address (`http://127.0.0.1:PORT/`).
    pub async fn start_with(flags: impl FnOnce(&str) -> Vec<String>) -> DemoServer {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let database = tempfile::tempdir().unwrap();
        let database_url = format!("sqlite:{}?mode=rwc", database.path().join("consents.db").display());
        let child = tokio::process::Command::new(server_binary())
            .current_dir(workspace())
            .args(["--listen", &format!("127.0.0.1:{port}"), "--database-url", &database_url, "--rate-limit", "0"])
            .args(flags(&format!("http://127.0.0.1:{port}/")))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
            assert!(std::time::Instant::now() < deadline, "consent-server did not listen on {port}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        DemoServer { child, port, database_url, database }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// The SQLite file of its log.
    pub fn database_file(&self) -> PathBuf {
        self.database.path().join("consents.db")
    }

    /// Stops it, and waits until it has.
    pub async fn stop(&mut self) {
        let _ = self.child.start_kill();
        let _ = self.child.wait().await;
    }
}

impl Drop for DemoServer {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}
