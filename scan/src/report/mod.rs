//! The scan's result: what each page showed in each state, the findings judged from it, and the
//! pages that could not be scanned; written as JSON (schema: scan/report.schema.json), as one
//! self-contained HTML file, as a fixed configuration, and summed up on the terminal.

pub mod fix;
pub mod html;
pub mod terminal;

use crate::judge::{Finding, Kind};
use crate::observation::Observation;
use crate::options::Outputs;
use crate::site_config::Source;
use crate::visit::NotReached;
use serde::Serialize;
use std::path::Path;

/// The version of the JSON report's shape; raised on any change a reader could notice.
pub const SCHEMA_VERSION: u32 = 1;

/// How the scan ended, and the exit status that says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Clean,
    Violations,
    /// The start page could not be scanned, or the configuration could not be read.
    NotScanned,
}

impl Outcome {
    pub fn exit_status(self) -> u8 {
        match self {
            Outcome::Clean => 0,
            Outcome::Violations => 1,
            Outcome::NotScanned => 2,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub version: u32,
    pub tool: String,
    /// The start page.
    pub site: String,
    /// RFC 3339, UTC.
    pub started_at: String,
    pub seconds: f64,
    pub configuration: ConfigurationSummary,
    pub summary: Summary,
    pub exit_status: u8,
    /// Violations first, then undeclared, lifetime, category and unseen.
    pub findings: Vec<Finding>,
    /// Pages that could not be scanned, and why.
    pub problems: Vec<Problem>,
    pub pages: Vec<PageReport>,
    /// The `--fix` configuration, when asked for (not in the JSON report).
    #[serde(skip)]
    pub fixed: Option<Result<fix::Fixed, String>>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigurationSummary {
    pub source: Source,
    pub revision: Option<u32>,
    pub categories: Vec<String>,
    /// Why it could not be read, naming the field at fault.
    pub problem: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub pages: usize,
    pub pages_not_scanned: usize,
    pub violation: usize,
    pub undeclared: usize,
    pub lifetime: usize,
    pub category: usize,
    pub unseen: usize,
}

impl Summary {
    pub fn count(&self, kind: Kind) -> usize {
        match kind {
            Kind::Violation => self.violation,
            Kind::Undeclared => self.undeclared,
            Kind::Lifetime => self.lifetime,
            Kind::Category => self.category,
            Kind::Unseen => self.unseen,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    pub page: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PageReport {
    pub url: String,
    pub states: Vec<Observation>,
    pub not_reached: Vec<NotReached>,
}

impl Report {
    /// Counts the findings and sets the exit status; call once the report is complete.
    pub fn finish(mut self, start_page_failed: bool) -> Report {
        let count = |kind: Kind| self.findings.iter().filter(|finding| finding.kind == kind).count();
        self.summary = Summary {
            pages: self.pages.len(),
            pages_not_scanned: self.problems.len(),
            violation: count(Kind::Violation),
            undeclared: count(Kind::Undeclared),
            lifetime: count(Kind::Lifetime),
            category: count(Kind::Category),
            unseen: count(Kind::Unseen),
        };
        let outcome = if start_page_failed || self.configuration.problem.is_some() {
            Outcome::NotScanned
        } else if self.summary.violation > 0 {
            Outcome::Violations
        } else {
            Outcome::Clean
        };
        self.exit_status = outcome.exit_status();
        self
    }

    pub fn outcome(&self) -> Outcome {
        match self.exit_status {
            0 => Outcome::Clean,
            1 => Outcome::Violations,
            _ => Outcome::NotScanned,
        }
    }
}

/// Writes each report asked for, each whole or not at all (a file is written beside its
/// destination, then renamed over it).
pub fn write_outputs(report: &Report, outputs: &Outputs) -> Result<(), String> {
    if let Some(path) = &outputs.json {
        let json = serde_json::to_string_pretty(report).map_err(|error| error.to_string())?;
        write_whole(path, json.as_bytes())?;
    }
    if let Some(path) = &outputs.html {
        write_whole(path, html::render(report).as_bytes())?;
    }
    if let (Some(path), Some(fixed)) = (&outputs.fix, &report.fixed) {
        let fixed = fixed.as_ref().map_err(|problem| format!("--fix: {problem}"))?;
        write_whole(path, fixed.text.as_bytes())?;
        for line in &fixed.notes {
            eprintln!("consent-scan: --fix: {line}");
        }
    }
    Ok(())
}

fn write_whole(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let name = path.file_name().ok_or_else(|| format!("{}: not a file name", path.display()))?;
    let temporary = path.with_file_name(format!(".{}.partial", name.to_string_lossy()));
    std::fs::write(&temporary, bytes).map_err(|error| format!("cannot write {}: {error}", path.display()))?;
    std::fs::rename(&temporary, path).map_err(|error| {
        let _ = std::fs::remove_file(&temporary);
        format!("cannot write {}: {error}", path.display())
    })
}
