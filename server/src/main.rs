use clap::Parser;
use consent_server::{Args, Command, Options, app, checkpoint, open_files, retention, serve, shutdown};
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
        Command::Verify => verify(&args.options).await,
    }
}

async fn serve(options: &Options) -> ExitCode {
    let app = match app(options).await {
        Ok(app) => app,
        Err(error) => {
            eprintln!("consent-server: cannot open the database `{}`: {error}", options.database_url);
            return ExitCode::FAILURE;
        }
    };
    retention::spawn(app.store.clone(), options.retention_days, options.checkpoint_key.clone());
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
    match shutdown::finish(&app.writer, &app.store, options.checkpoint_key.as_deref()).await {
        Ok(checkpoint) => {
            match checkpoint {
                Some(checkpoint) => {
                    tracing::info!(seq = checkpoint.through_seq, "stopped; shutdown checkpoint written")
                }
                None => tracing::info!("stopped; nothing stored since the last shutdown checkpoint"),
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

async fn verify(options: &Options) -> ExitCode {
    let store = match consent_server::store::Store::open(&options.database_url).await {
        Ok(store) => store,
        Err(error) => {
            eprintln!("consent-server: cannot open the database: {error}");
            return ExitCode::FAILURE;
        }
    };
    match checkpoint::verify_chain(&store, options.checkpoint_key.as_deref()).await {
        Ok(verdict @ consent_server::store::verify::Verdict::Intact { .. }) => {
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
