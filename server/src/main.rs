//! The `consent-server` binary: reads the command line and runs what it names (serve, verify).

use clap::Parser;
use consent_server::log::anchors::Anchors;
use consent_server::log::maintenance::Maintenance;
use consent_server::log::verify;
use consent_server::serve::{self, open_files, shutdown};
use consent_server::store::verify::Verdict;
use consent_server::{Args, Command, Options, StartError, app};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;
use tracing_subscriber::EnvFilter;

// Every request allocates its body, record and receipt on whichever worker thread runs it;
// mimalloc's per-thread heaps make that markedly cheaper than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    match args.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(&args.options).await,
        Command::Verify { anchors } => verify(&args.options, &anchors).await,
    }
}

async fn serve(options: &Options) -> ExitCode {
    let app = match app(options).await {
        Ok(app) => app,
        Err(error @ StartError::InUse(_)) => {
            eprintln!("consent-server: {error}");
            return ExitCode::FAILURE;
        }
        Err(error) => {
            eprintln!("consent-server: {error} (`{}`)", redact(&options.database_url));
            return ExitCode::FAILURE;
        }
    };
    Maintenance {
        store: app.store.clone(),
        holder: app.writer.holder.clone(),
        checkpoints: options.checkpoints(),
        retention_days: options.retention_days,
        interval: Duration::from_secs(options.checkpoint_interval),
        scans: options.scan_schedule(),
    }
    .spawn();
    let listener = match tokio::net::TcpListener::bind(options.listen).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("consent-server: cannot listen on {}: {error}", options.listen);
            return ExitCode::FAILURE;
        }
    };
    let limits = limits_within_open_files(options);
    let signal = shutdown::requested();
    let address = listener.local_addr().map(|a| a.to_string()).unwrap_or_else(|_| options.listen.to_string());
    // The URL on stdout is what scripts and people look for.
    println!("consent-server: serving the demo on http://{address}/");
    tracing::info!(database = %redact(&options.database_url), "listening on {address}");
    let readiness = app.readiness.clone();
    let drain_delay = Duration::from_secs(options.drain_delay);
    let stop_accepting = async move {
        let signal = signal.await;
        readiness.start_draining();
        tracing::info!("{signal}: draining; no new connections after {} s", drain_delay.as_secs());
        tokio::time::sleep(drain_delay).await;
    };
    serve::serve(listener, app.router, &limits, stop_accepting, Duration::from_secs(options.shutdown_timeout)).await;
    match shutdown::finish(&app.writer, &app.store, &options.checkpoints()).await {
        Ok(checkpoint) => {
            match checkpoint {
                Some(set) => {
                    let heads: Vec<String> = set.iter().map(|row| row.through_seq.to_string()).collect();
                    tracing::info!(rows = heads.join(" "), "stopped; shutdown checkpoint written")
                }
                None => tracing::info!("stopped; nothing stored since the last checkpoint"),
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            tracing::error!(%error, "stopped without a shutdown checkpoint");
            ExitCode::FAILURE
        }
    }
}

/// The flags' limits, with the connection cap lowered where the open-file limit would be
/// reached first.
fn limits_within_open_files(options: &Options) -> serve::Limits {
    let mut limits = options.limits();
    let open_files = open_files::raise_to_hard_limit();
    let cap = open_files::connection_cap(limits.max_connections, open_files);
    if cap < limits.max_connections {
        tracing::warn!(
            open_files = open_files.unwrap_or_default(),
            "at most {cap} connections, not {}: the open-file limit leaves no room for more",
            limits.max_connections
        );
        limits.max_connections = cap;
    }
    limits
}

async fn verify(options: &Options, anchor_files: &[PathBuf]) -> ExitCode {
    let mut anchors = Anchors::default();
    for file in anchor_files {
        let read =
            std::fs::read_to_string(file).map_err(|error| error.to_string()).and_then(|text| anchors.read(&text));
        if let Err(error) = read {
            eprintln!("consent-server: cannot read the anchors in {}: {error}", file.display());
            return ExitCode::FAILURE;
        }
    }
    let store = match consent_server::store::Store::open(&options.database_url).await {
        Ok(store) => store,
        Err(error) => {
            eprintln!("consent-server: cannot open the database: {error}");
            return ExitCode::FAILURE;
        }
    };
    let key = options.checkpoint_key.as_deref();
    let verdict = match verify::verify_chain(&store, key).await {
        Ok(Verdict::Intact { rows }) if !anchor_files.is_empty() => match anchors.check(&store, key).await {
            Ok(None) => {
                println!("chain intact: {rows} rows verified");
                println!(
                    "anchors agree: {} receipts and {} checkpoint copies",
                    anchors.receipts.len(),
                    anchors.checkpoints.len()
                );
                return ExitCode::SUCCESS;
            }
            Ok(Some(broken)) => Ok(broken),
            Err(error) => Err(error),
        },
        verdict => verdict,
    };
    match verdict {
        Ok(verdict @ Verdict::Intact { .. }) => {
            println!("{verdict}");
            ExitCode::SUCCESS
        }
        Ok(verdict) => {
            println!("{verdict}");
            ExitCode::from(2)
        }
        Err(error) => {
            eprintln!("consent-server: cannot read the log: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The database URL without its password, for logs.
fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(scheme), Some(at)) if at > scheme => format!("{}://…{}", &url[..scheme], &url[at..]),
        _ => url.to_string(),
    }
}
