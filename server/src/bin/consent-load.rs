//! Load generator for the record API: posts valid records from many concurrent clients
//! and reports records/s and latency percentiles. With `--crash-after`, it runs its own
//! consent-server, kills it with SIGKILL mid-load, restarts it, and counts whether every
//! acknowledged record survived.
//!
//!   consent-load --url http://127.0.0.1:8080 --seconds 10
//!   consent-load --crash-after 3 --database-url sqlite:/tmp/load.db?mode=rwc

use clap::Parser;
use serde_json::{Value, json};
use std::collections::HashSet;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

#[derive(Parser, Debug)]
#[command(about = "Posts consent records to consent-server and measures it.")]
struct Args {
    /// Server to load; ignored with --crash-after, which starts its own.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    url: String,
    /// Concurrent clients.
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// How long to load.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Kill the server with SIGKILL after this many seconds of load, then restart and count.
    #[arg(long)]
    crash_after: Option<u64>,
    /// Database for the server started with --crash-after.
    #[arg(long, default_value = "sqlite:/tmp/consent-load.db?mode=rwc")]
    database_url: String,
    /// The consent-server binary for --crash-after.
    #[arg(long, default_value = "target/server/consent-server")]
    server_bin: String,
    /// Send random (version 4) ids instead of the time-ordered (version 7) ids the widget
    /// sends, as a client of its own might.
    #[arg(long)]
    random_ids: bool,
}

// The load generator shares the two cores with the server it measures: the faster allocator
// leaves more of them to the server.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const ADMIN_TOKEN: &str = "consent-load-admin";
const CRASH_PORT: u16 = 18_480;

/// A record as the widget sends it after a first decision: a new record id and consent id.
fn record(random_ids: bool) -> Value {
    let now =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0);
    let id = || if random_ids { uuid::Uuid::new_v4() } else { uuid::Uuid::now_v7() };
    json!({
        "recordId": id(), "consentId": id(), "method": "custom",
        "granted": ["necessary", "analytics"], "denied": ["marketing"], "services": {"analytics": ["matomo"]},
        "revision": 1, "language": "en", "textHash": "ab".repeat(32), "origin": "https://shop.example",
        "path": "/", "widgetVersion": "0.1.0", "clientTime": now,
    })
}

struct Outcome {
    latencies_us: Vec<u64>,
    acknowledged: Vec<String>,
    errors: u64,
}

/// One client: posts until `stop`, noting each acknowledged record id and its latency.
async fn client(http: reqwest::Client, url: String, random_ids: bool, stop: Arc<AtomicBool>) -> Outcome {
    let mut outcome = Outcome { latencies_us: Vec::new(), acknowledged: Vec::new(), errors: 0 };
    while !stop.load(Ordering::Relaxed) {
        let body = record(random_ids);
        let started = Instant::now();
        match http.post(&url).json(&body).send().await {
            Ok(response) if response.status().as_u16() == 201 || response.status().as_u16() == 200 => {
                outcome.latencies_us.push(started.elapsed().as_micros() as u64);
                outcome.acknowledged.push(body["recordId"].as_str().unwrap_or_default().to_string());
            }
            Ok(_) | Err(_) => {
                outcome.errors += 1;
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    }
    outcome
}

async fn load(
    url: &str,
    concurrency: usize,
    random_ids: bool,
    duration: Duration,
    kill: Option<(Duration, &mut Child)>,
) -> (Outcome, Duration) {
    let http = reqwest::Client::builder().pool_max_idle_per_host(concurrency).build().expect("an HTTP client");
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let clients: Vec<_> = (0..concurrency)
        .map(|_| tokio::spawn(client(http.clone(), format!("{url}/api/v1/consents"), random_ids, stop.clone())))
        .collect();
    if let Some((after, child)) = kill {
        tokio::time::sleep(after).await;
        let _ = child.kill();
        let _ = child.wait();
        println!("server killed with SIGKILL after {:.1} s of load", after.as_secs_f64());
        tokio::time::sleep(Duration::from_millis(500)).await;
    } else {
        tokio::time::sleep(duration).await;
    }
    stop.store(true, Ordering::Relaxed);
    let elapsed = started.elapsed();
    let mut total = Outcome { latencies_us: Vec::new(), acknowledged: Vec::new(), errors: 0 };
    for handle in clients {
        if let Ok(outcome) = handle.await {
            total.latencies_us.extend(outcome.latencies_us);
            total.acknowledged.extend(outcome.acknowledged);
            total.errors += outcome.errors;
        }
    }
    (total, elapsed)
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index] as f64 / 1000.0
}

fn report(outcome: &mut Outcome, elapsed: Duration) {
    outcome.latencies_us.sort_unstable();
    let count = outcome.latencies_us.len();
    println!(
        "{count} records acknowledged in {:.2} s: {:.0} records/s, p50 {:.2} ms, p99 {:.2} ms, {} errors",
        elapsed.as_secs_f64(),
        count as f64 / elapsed.as_secs_f64(),
        percentile(&outcome.latencies_us, 0.50),
        percentile(&outcome.latencies_us, 0.99),
        outcome.errors
    );
}

fn start_server(args: &Args) -> Child {
    let child = Command::new(&args.server_bin)
        .args(["--listen", &format!("127.0.0.1:{CRASH_PORT}"), "--database-url", &args.database_url])
        .args(["--admin-token", ADMIN_TOKEN, "--rate-limit", "0"])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .unwrap_or_else(|error| panic!("cannot start {}: {error}", args.server_bin));
    std::thread::sleep(Duration::from_millis(700));
    child
}

async fn stored_ids(base: &str) -> HashSet<String> {
    let text = reqwest::Client::new()
        .get(format!("{base}/api/v1/export"))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .expect("the restarted server answers")
        .text()
        .await
        .unwrap_or_default();
    text.lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter_map(|row| row["recordId"].as_str().map(str::to_string))
        .collect()
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let Some(crash_after) = args.crash_after else {
        let (mut outcome, elapsed) =
            load(&args.url, args.concurrency, args.random_ids, Duration::from_secs(args.seconds), None).await;
        report(&mut outcome, elapsed);
        return;
    };
    let base = format!("http://127.0.0.1:{CRASH_PORT}");
    let mut server = start_server(&args);
    let (mut outcome, elapsed) = load(
        &base,
        args.concurrency,
        args.random_ids,
        Duration::ZERO,
        Some((Duration::from_secs(crash_after), &mut server)),
    )
    .await;
    report(&mut outcome, elapsed);
    let mut restarted = start_server(&args);
    let stored = stored_ids(&base).await;
    let lost = outcome.acknowledged.iter().filter(|id| !stored.contains(*id)).count();
    println!(
        "after restart: {} acknowledged, {} stored, {lost} acknowledged records lost",
        outcome.acknowledged.len(),
        stored.len()
    );
    let verdict = Command::new(&args.server_bin).args(["verify", "--database-url", &args.database_url]).output();
    if let Ok(output) = verdict {
        print!("verify: {}", String::from_utf8_lossy(&output.stdout));
    }
    let _ = restarted.kill();
    let _ = restarted.wait();
    if lost > 0 {
        std::process::exit(1);
    }
}
