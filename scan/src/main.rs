//! `consent-scan URL`: visits a site as a visitor would, before and after each consent choice,
//! and says what breaks the banner's promise and what the configuration lacks.
//! Exit status: 0 no violation, 1 a violation, 2 the site could not be scanned.

use clap::Parser;
use consent_scan::options::{Cli, Options};
use consent_scan::report::{self, Outcome};
use std::process::ExitCode;
use tokio::signal::unix::{SignalKind, signal};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let options = match Options::from_cli(cli) {
        Ok(options) => options,
        Err(problem) => {
            eprintln!("consent-scan: {problem}");
            return ExitCode::from(Outcome::NotScanned.exit_status());
        }
    };
    // Listened for before anything starts, so that Ctrl-C at any moment ends the scan cleanly.
    let (Ok(mut interrupt), Ok(mut terminate)) = (signal(SignalKind::interrupt()), signal(SignalKind::terminate()))
    else {
        eprintln!("consent-scan: cannot listen for Ctrl-C");
        return ExitCode::from(Outcome::NotScanned.exit_status());
    };
    let scan = consent_scan::scan(&options);
    let report = tokio::select! {
        report = scan => report,
        _ = interrupt.recv() => return stopped(130),
        _ = terminate.recv() => return stopped(143),
    };
    let report = match report {
        Ok(report) => report,
        Err(problem) => {
            eprintln!("consent-scan: {problem}");
            return ExitCode::from(Outcome::NotScanned.exit_status());
        }
    };
    print!("{}", report::terminal::summary(&report));
    if let Err(problem) = report::write_outputs(&report, &options.outputs) {
        eprintln!("consent-scan: {problem}");
        return ExitCode::from(Outcome::NotScanned.exit_status());
    }
    ExitCode::from(report.outcome().exit_status())
}

/// Ended by a signal: dropping the scan has killed Chromium's process group, and no output file
/// is written (each is written whole at the end, or not at all).
fn stopped(status: u8) -> ExitCode {
    eprintln!("consent-scan: interrupted; no report written");
    ExitCode::from(status)
}
