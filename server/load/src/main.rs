//! Load generator for the record API: posts valid records from many concurrent clients to one
//! or more servers and reports records/s and latency percentiles, for each server and in all.
//! With `--crash-after`, it runs servers of its own, kills the first with SIGKILL mid-load and
//! counts whether every acknowledged record survived: with one server it restarts it; with
//! several the others go on taking the load, and `--join-after` starts a new one mid-load.
//!
//!   consent-load --url http://127.0.0.1:8080 --seconds 10
//!   consent-load --url http://127.0.0.1:8081,http://127.0.0.1:8082 --spread round-robin
//!   consent-load --crash-after 3 --database-url sqlite:/tmp/load.db?mode=rwc
//!   consent-load --crash-after 4 --instances 3 --join-after 7 --seconds 12 --database-url postgres://…

use clap::{Parser, ValueEnum};
use consent_server::log::verify;
use consent_server::store::Store;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

#[derive(Parser, Debug)]
#[command(about = "Posts consent records to consent-server and measures it.")]
struct Args {
    /// Servers to load (repeat the flag or separate with commas); ignored with --crash-after,
    /// which starts its own.
    #[arg(long, value_delimiter = ',', default_value = "http://127.0.0.1:8080")]
    url: Vec<String>,
    /// How the clients share the servers: each client sticks to one (split), or each request
    /// goes to the next server (round-robin).
    #[arg(long, value_enum, default_value_t = Spread::Split)]
    spread: Spread,
    /// Concurrent clients, in all.
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// How long to load (with --crash-after and one server: until the kill).
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Kill the first server with SIGKILL after this many seconds of load.
    #[arg(long)]
    crash_after: Option<u64>,
    /// Servers to start with --crash-after, on one database.
    #[arg(long, default_value_t = 1)]
    instances: usize,
    /// With --crash-after and several servers: start one more after this many seconds.
    #[arg(long)]
    join_after: Option<u64>,
    /// Database for the servers started with --crash-after.
    #[arg(long, default_value = "sqlite:/tmp/consent-load.db?mode=rwc")]
    database_url: String,
    /// The servers' --chain-lease with --crash-after: how soon a killed server's chain is free.
    #[arg(long, default_value_t = 2)]
    chain_lease: u64,
    /// The consent-server binary for --crash-after.
    #[arg(long, default_value = "target/server/consent-server")]
    server_bin: String,
    /// Send random (version 4) ids instead of the time-ordered (version 7) ids the widget
    /// sends, as a client of its own might.
    #[arg(long)]
    random_ids: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Spread {
    Split,
    RoundRobin,
}

// The load generator shares the two cores with the server it measures: the faster allocator
// leaves more of them to the server.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const CHECKPOINT_KEY: &str = "consent-load-checkpoint-key";
const CRASH_PORT: u16 = 18_480;

/// A record as the widget sends it after a first decision, with a new record id and consent
/// id: its JSON body, and its record id.
fn record(random_ids: bool) -> (String, String) {
    let now =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0);
    let id = || if random_ids { uuid::Uuid::new_v4() } else { uuid::Uuid::now_v7() };
    let record_id = id().to_string();
    // Written out rather than built as a JSON value: the load generator shares the cores with
    // the servers it measures, and every microsecond it spends is one they do not get.
    let body = format!(
        r#"{{"recordId":"{record_id}","consentId":"{}","method":"custom","granted":["necessary","analytics"],"denied":["marketing"],"services":{{"analytics":["matomo"]}},"revision":1,"language":"en","textHash":"{TEXT_HASH}","origin":"https://shop.example","path":"/","widgetVersion":"0.1.0","clientTime":{now}}}"#,
        id()
    );
    (body, record_id)
}

const TEXT_HASH: &str = "abababababababababababababababababababababababababababababababab";

/// Which server each client sends to, as a load balancer would decide: servers that died are
/// left out, servers that joined are given their share.
struct Balancer {
    urls: RwLock<Vec<String>>,
    /// Each server's record endpoint, parsed once.
    endpoints: RwLock<Vec<reqwest::Url>>,
    live: RwLock<Vec<bool>>,
    spread: Spread,
    next: AtomicUsize,
}

impl Balancer {
    fn new(urls: Vec<String>, spread: Spread) -> Balancer {
        let live = vec![true; urls.len()];
        let endpoints = RwLock::new(urls.iter().map(|url| endpoint(url)).collect());
        Balancer { urls: RwLock::new(urls), endpoints, live: RwLock::new(live), spread, next: AtomicUsize::new(0) }
    }

    /// The server for `client`'s next request: its index and record endpoint.
    fn pick(&self, client: usize) -> Option<(usize, reqwest::Url)> {
        let live = self.live.read().unwrap();
        let serving: Vec<usize> = (0..live.len()).filter(|&index| live[index]).collect();
        if serving.is_empty() {
            return None;
        }
        let turn = match self.spread {
            Spread::Split => client,
            Spread::RoundRobin => self.next.fetch_add(1, Ordering::Relaxed),
        };
        let index = serving[turn % serving.len()];
        Some((index, self.endpoints.read().unwrap()[index].clone()))
    }

    fn remove(&self, index: usize) {
        self.live.write().unwrap()[index] = false;
    }

    fn add(&self, url: String) -> usize {
        let mut urls = self.urls.write().unwrap();
        self.endpoints.write().unwrap().push(endpoint(&url));
        urls.push(url);
        self.live.write().unwrap().push(true);
        urls.len() - 1
    }
}

/// The record endpoint of the server at `url`.
fn endpoint(url: &str) -> reqwest::Url {
    let endpoint = format!("{}/api/v1/consents", url.trim_end_matches('/'));
    reqwest::Url::parse(&endpoint).unwrap_or_else(|error| panic!("{url} is not a URL: {error}"))
}

/// What one server did for the clients.
#[derive(Default, Clone)]
struct Outcome {
    latencies_us: Vec<u64>,
    acknowledged: Vec<String>,
    errors: u64,
}

impl Outcome {
    fn add(&mut self, other: Outcome) {
        self.latencies_us.extend(other.latencies_us);
        self.acknowledged.extend(other.acknowledged);
        self.errors += other.errors;
    }
}

/// One client: posts until `stop`, noting for each server each acknowledged record id and its
/// latency, and each error.
async fn client(
    id: usize,
    http: reqwest::Client,
    balancer: Arc<Balancer>,
    random_ids: bool,
    stop: Arc<AtomicBool>,
) -> Vec<Outcome> {
    let mut outcomes: Vec<Outcome> = Vec::new();
    while !stop.load(Ordering::Relaxed) {
        let Some((server, url)) = balancer.pick(id) else {
            tokio::time::sleep(Duration::from_millis(20)).await;
            continue;
        };
        if outcomes.len() <= server {
            outcomes.resize_with(server + 1, Outcome::default);
        }
        let outcome = &mut outcomes[server];
        let (body, record_id) = record(random_ids);
        let started = Instant::now();
        let request = http.post(url).header(reqwest::header::CONTENT_TYPE, "application/json").body(body);
        match request.send().await {
            Ok(response) if response.status().as_u16() == 201 || response.status().as_u16() == 200 => {
                outcome.latencies_us.push(started.elapsed().as_micros() as u64);
                outcome.acknowledged.push(record_id);
            }
            Ok(_) | Err(_) => {
                outcome.errors += 1;
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    }
    outcomes
}

/// What happens to the servers during a run started with --crash-after.
struct Crash<'a> {
    after: Duration,
    servers: &'a mut Vec<Child>,
    args: &'a Args,
    /// When a new server joins (several servers only).
    join_after: Option<Duration>,
    /// With one server, the run ends shortly after the kill.
    end_at_kill: bool,
}

/// Loads the servers of `balancer` for `duration` (or as `crash` says); each server's outcome.
async fn load(
    args: &Args,
    balancer: Arc<Balancer>,
    duration: Duration,
    crash: Option<Crash<'_>>,
) -> (Vec<Outcome>, Duration) {
    let http = reqwest::Client::builder().pool_max_idle_per_host(args.concurrency).build().expect("an HTTP client");
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let clients: Vec<_> = (0..args.concurrency)
        .map(|id| tokio::spawn(client(id, http.clone(), balancer.clone(), args.random_ids, stop.clone())))
        .collect();
    match crash {
        Some(crash) => {
            let Crash { after, servers, args, join_after, end_at_kill } = crash;
            tokio::time::sleep(after).await;
            let killed = &mut servers[0];
            let _ = killed.kill();
            let _ = killed.wait();
            balancer.remove(0);
            println!("server 1 killed with SIGKILL after {:.1} s of load", started.elapsed().as_secs_f64());
            if end_at_kill {
                tokio::time::sleep(Duration::from_millis(500)).await;
            } else {
                if let Some(join_after) = join_after {
                    tokio::time::sleep(join_after.saturating_sub(started.elapsed())).await;
                    let port = CRASH_PORT + servers.len() as u16;
                    servers.push(start_server(args, port));
                    let index = balancer.add(format!("http://127.0.0.1:{port}"));
                    println!("server {} joined after {:.1} s of load", index + 1, started.elapsed().as_secs_f64());
                }
                tokio::time::sleep(duration.saturating_sub(started.elapsed())).await;
            }
        }
        None => tokio::time::sleep(duration).await,
    }
    stop.store(true, Ordering::Relaxed);
    let elapsed = started.elapsed();
    let mut outcomes: Vec<Outcome> = Vec::new();
    for handle in clients {
        if let Ok(client) = handle.await {
            for (server, outcome) in client.into_iter().enumerate() {
                if outcomes.len() <= server {
                    outcomes.resize_with(server + 1, Outcome::default);
                }
                outcomes[server].add(outcome);
            }
        }
    }
    outcomes.resize_with(balancer.urls.read().unwrap().len(), Outcome::default);
    (outcomes, elapsed)
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index] as f64 / 1000.0
}

fn line(outcome: &mut Outcome, elapsed: Duration) -> String {
    outcome.latencies_us.sort_unstable();
    let count = outcome.latencies_us.len();
    format!(
        "{count} records acknowledged in {:.2} s: {:.0} records/s, p50 {:.2} ms, p99 {:.2} ms, {} errors",
        elapsed.as_secs_f64(),
        count as f64 / elapsed.as_secs_f64(),
        percentile(&outcome.latencies_us, 0.50),
        percentile(&outcome.latencies_us, 0.99),
        outcome.errors
    )
}

/// Prints each server's figures (when there are several) and the total; the total outcome.
fn report(outcomes: Vec<Outcome>, urls: &[String], elapsed: Duration) -> Outcome {
    let mut total = Outcome::default();
    let several = outcomes.len() > 1;
    for (index, mut outcome) in outcomes.into_iter().enumerate() {
        if several {
            println!("server {} ({}): {}", index + 1, urls[index], line(&mut outcome, elapsed));
        }
        total.add(outcome);
    }
    println!("{}{}", if several { "total: " } else { "" }, line(&mut total, elapsed));
    total
}

fn start_server(args: &Args, port: u16) -> Child {
    let child = Command::new(&args.server_bin)
        .args(["--listen", &format!("127.0.0.1:{port}"), "--database-url", &args.database_url])
        .args(["--rate-limit", "0", "--checkpoint-key", CHECKPOINT_KEY])
        .args(["--chain-lease", &args.chain_lease.to_string()])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .unwrap_or_else(|error| panic!("cannot start {}: {error}", args.server_bin));
    wait_until_listening(port);
    child
}

/// Waits for the server on `port` to accept connections (at most 30 s).
fn wait_until_listening(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "the server on port {port} did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Stops `server` with SIGTERM, as a deploy does, and waits for it.
fn terminate(server: &mut Child) {
    // SAFETY: kill only sends a signal to the child this value owns.
    unsafe { libc::kill(server.id() as i32, libc::SIGTERM) };
    let _ = server.wait();
}

/// How many of `acknowledged` the database does not hold, and what `verify` says of it.
async fn count_lost(database_url: &str, acknowledged: &[String]) -> (usize, String) {
    let store = Store::open(database_url).await.expect("the database opens");
    let mut lost = 0;
    for ids in acknowledged.chunks(500) {
        lost += ids.len() - store.find_all(ids).await.expect("the log reads").len();
    }
    let verdict = verify::verify_chain(&store, Some(CHECKPOINT_KEY)).await.expect("the log reads");
    (lost, verdict.to_string())
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let Some(crash_after) = args.crash_after else {
        let balancer = Arc::new(Balancer::new(args.url.clone(), args.spread));
        let (outcomes, elapsed) = load(&args, balancer, Duration::from_secs(args.seconds), None).await;
        report(outcomes, &args.url, elapsed);
        return;
    };
    let urls: Vec<String> =
        (0..args.instances).map(|index| format!("http://127.0.0.1:{}", CRASH_PORT + index as u16)).collect();
    let mut servers: Vec<Child> =
        (0..args.instances).map(|index| start_server(&args, CRASH_PORT + index as u16)).collect();
    let balancer = Arc::new(Balancer::new(urls, args.spread));
    let crash = Crash {
        after: Duration::from_secs(crash_after),
        servers: &mut servers,
        args: &args,
        join_after: args.join_after.map(Duration::from_secs),
        end_at_kill: args.instances == 1,
    };
    let (outcomes, elapsed) = load(&args, balancer.clone(), Duration::from_secs(args.seconds), Some(crash)).await;
    let urls = balancer.urls.read().unwrap().clone();
    let survivors_errors: u64 = outcomes.iter().skip(1).map(|outcome| outcome.errors).sum();
    let total = report(outcomes, &urls, elapsed);
    if args.instances == 1 {
        // The one server restarts, goes on with its chain, and drains.
        servers.push(start_server(&args, CRASH_PORT));
    } else {
        println!("servers that lived: {survivors_errors} errors");
    }
    for server in servers.iter_mut().skip(1) {
        terminate(server);
    }
    let (lost, verdict) = count_lost(&args.database_url, &total.acknowledged).await;
    println!("{} acknowledged, {lost} acknowledged records lost", total.acknowledged.len());
    println!("verify: {verdict}");
    if lost > 0 || !verdict.starts_with("chain intact") || survivors_errors > 0 {
        std::process::exit(1);
    }
}
