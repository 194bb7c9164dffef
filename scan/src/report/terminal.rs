//! The summary printed at the end of a scan: counts first, then each finding with its fix.

use super::{Outcome, Report};
use crate::judge::Kind;
use crate::site_config::Source;
use std::fmt::Write;

pub fn summary(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "consent-scan {}: {} page{} in {:.1} s",
        report.site,
        report.summary.pages,
        if report.summary.pages == 1 { "" } else { "s" },
        report.seconds
    );
    let configuration = &report.configuration;
    let source = match &configuration.source {
        Source::Inline { page } => format!("inline in {page}"),
        Source::DataConfig { url } => format!("data-config {url}"),
        Source::File { path } => format!("file {path}"),
        Source::None => "none of Consent Widget's found: judged by the knowledge base alone".to_string(),
    };
    match &configuration.problem {
        Some(problem) => {
            let _ = writeln!(out, "configuration: {source}: {problem}");
        }
        None if configuration.categories.is_empty() => {
            let _ = writeln!(out, "configuration: {source}");
        }
        None => {
            let _ = writeln!(
                out,
                "configuration: {source} (revision {}: {})",
                configuration.revision.unwrap_or(0),
                configuration.categories.join(", ")
            );
        }
    }
    let counts: Vec<String> =
        Kind::ALL.iter().map(|kind| format!("{} {}", report.summary.count(*kind), kind.label())).collect();
    let _ = writeln!(out, "{}", counts.join(" · "));
    for kind in Kind::ALL {
        let findings: Vec<_> = report.findings.iter().filter(|finding| finding.kind == kind).collect();
        if findings.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{}", kind.heading().to_uppercase());
        for finding in findings {
            let page = finding.page.as_deref().map(|page| relative(&report.site, page)).unwrap_or_default();
            let state = finding.state.map(|state| state.label()).unwrap_or("");
            let _ = writeln!(
                out,
                "  {page:<16} {state:<20} {:<8} {}: {}",
                finding.what.label(),
                finding.name,
                finding.detail
            );
            let _ = writeln!(out, "  {:<16} {:<20} fix: {}", "", "", finding.fix);
        }
    }
    if !report.problems.is_empty() {
        let _ = writeln!(out, "\nNOT SCANNED");
        for problem in &report.problems {
            let _ = writeln!(out, "  {}: {}", relative(&report.site, &problem.page), problem.reason);
        }
    }
    let unreached: Vec<String> = report
        .pages
        .iter()
        .flat_map(|page| {
            page.not_reached.iter().map(|missed| {
                format!("  {} {}: {}", relative(&report.site, &page.url), missed.state.label(), missed.reason)
            })
        })
        .collect();
    if !unreached.is_empty() {
        let _ = writeln!(out, "\nSTATES NOT REACHED");
        for line in unreached {
            let _ = writeln!(out, "{line}");
        }
    }
    // Blocking's dry run (`"blocking": "report"`): what switching it on would hold, once per page.
    let mut dry_run = std::collections::BTreeSet::new();
    for page in &report.pages {
        for note in page.states.iter().flat_map(|state| &state.notes) {
            if let Some(held) = note.strip_prefix("blocking dry run: ") {
                dry_run.insert(format!("  {} {held}", relative(&report.site, &page.url)));
            }
        }
    }
    if !dry_run.is_empty() {
        let _ = writeln!(out, "\nBLOCKING DRY RUN (\"blocking\": \"report\")");
        for line in dry_run {
            let _ = writeln!(out, "{line}");
        }
    }
    let verdict = match report.outcome() {
        Outcome::Clean => "no violation",
        Outcome::Violations => "violations found",
        Outcome::NotScanned if report.configuration.problem.is_some() => "the configuration could not be read",
        Outcome::NotScanned => "the site could not be scanned",
    };
    let _ = writeln!(out, "\nexit {}: {verdict}", report.exit_status);
    out
}

/// A page's address without the site's origin (`/about`), or whole when elsewhere.
pub fn relative(site: &str, page: &str) -> String {
    match (url::Url::parse(site), url::Url::parse(page)) {
        (Ok(site), Ok(url)) if site.origin() == url.origin() => {
            let mut path = url.path().to_string();
            if let Some(query) = url.query() {
                path.push('?');
                path.push_str(query);
            }
            path
        }
        _ => page.to_string(),
    }
}
