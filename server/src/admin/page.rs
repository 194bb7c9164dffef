//! The dashboard page, as HTML text: headings, a period form, charts each followed by a table of
//! the same numbers, the chain's verification and the export. No script at all, no inline
//! style; every value from the records is escaped (see [`super::html`]).

use super::chart::{Bar, daily_bars, horizontal_bars};
use super::html::{count, escape, percent};
use super::period::{Period, date};
use super::verification::Status;
use crate::store::daily::Summary;
use crate::store::verify::Verdict;
use crate::time::rfc3339;
use std::fmt::Write;

/// The methods a record can have, as the page names them, in the order it lists them.
pub const METHODS: [(&str, &str); 5] = [
    ("accept_all", "Accept all"),
    ("reject_all", "Reject all"),
    ("custom", "Custom choice"),
    ("withdraw", "Withdrawal"),
    ("gpc", "Global Privacy Control"),
];

/// A whole page around `body`. `refresh`: reload every few seconds (while a verification runs).
pub fn layout(title: &str, body: &str, refresh: bool) -> String {
    let refresh = if refresh { r#"<meta http-equiv="refresh" content="5">"# } else { "" };
    format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">{refresh}<title>{}</title><link rel="stylesheet" href="/admin/dashboard.css"></head><body>{body}</body></html>"#,
        escape(title)
    )
}

/// A short page that says what went wrong.
pub fn message(title: &str, text: &str) -> String {
    layout(title, &format!("<main><h1>{}</h1><p>{}</p></main>", escape(title), escape(text)), false)
}

/// What the dashboard shows for a period.
pub struct Dashboard<'a> {
    pub period: Period,
    pub summary: &'a Summary,
    pub verification: &'a Status,
    /// The last scheduled scans, newest first (none: no section).
    pub scans: &'a [crate::store::scans::ScanReport],
}

impl Dashboard<'_> {
    pub fn render(&self) -> String {
        let (from, to) = (date(self.period.from_day), date(self.period.to_day));
        let mut body = String::new();
        body.push_str(
            r#"<header class="top"><h1>Consent dashboard</h1><form method="post" action="/admin/logout"><button type="submit">Sign out</button></form></header><main>"#,
        );
        let _ = write!(
            body,
            r#"<form class="period" method="get" action="/admin/"><fieldset><legend>Period (UTC days, both included)</legend><label for="from">From</label> <input type="date" id="from" name="from" value="{from}"> <label for="to">To</label> <input type="date" id="to" name="to" value="{to}"> <button type="submit">Show</button></fieldset></form>"#
        );
        let _ = write!(
            body,
            r#"<p class="total"><strong data-count="total">{}</strong> decisions recorded from {from} to {to}.</p>"#,
            count(self.summary.total())
        );
        body.push_str(&self.per_day(&from, &to));
        body.push_str(&self.categories());
        body.push_str(&self.split("method", "By method", "Method", &self.methods()));
        let languages: Vec<(String, String, i64)> =
            self.summary.by_language.iter().map(|(code, n)| (code.clone(), code.clone(), *n)).collect();
        body.push_str(&self.split("language", "By language", "Language", &languages));
        let revisions: Vec<(String, String, i64)> = self
            .summary
            .by_revision
            .iter()
            .map(|(revision, n)| (revision.to_string(), format!("Revision {revision}"), *n))
            .collect();
        body.push_str(&self.split("revision", "By configuration revision", "Revision", &revisions));
        body.push_str(&chain_status(self.verification, &from, &to));
        body.push_str(&super::scans::section(self.scans));
        let _ = write!(
            body,
            r#"<section aria-labelledby="export-heading"><h2 id="export-heading">Export</h2><p>Every record received from {from} to {to}, with its hashes.</p><form method="get" action="/admin/export"><input type="hidden" name="from" value="{from}"><input type="hidden" name="to" value="{to}"><button type="submit" name="format" value="csv">Export CSV</button> <button type="submit" name="format" value="ndjson">Export JSON lines</button></form></section>"#
        );
        body.push_str("</main>");
        layout("Consent dashboard", &body, self.verification.running_since.is_some())
    }

    fn per_day(&self, from: &str, to: &str) -> String {
        let counts: std::collections::HashMap<i64, i64> = self.summary.per_day.iter().copied().collect();
        let days: Vec<(i64, i64)> =
            self.period.days().map(|day| (day, counts.get(&day).copied().unwrap_or(0))).collect();
        let title = format!("Decisions per day from {from} to {to}: {} in total", count(self.summary.total()));
        let mut rows = String::new();
        for (day, n) in &days {
            let day = date(*day);
            let _ = write!(rows, r#"<tr><th scope="row">{day}</th><td data-count="day:{day}">{}</td></tr>"#, count(*n));
        }
        format!(
            r#"<section aria-labelledby="days-heading"><h2 id="days-heading">Decisions per day</h2><figure>{}<figcaption>Decisions recorded each day (UTC).</figcaption></figure><details><summary>Decisions per day as a table</summary><table><thead><tr><th scope="col">Day</th><th scope="col">Decisions</th></tr></thead><tbody>{rows}</tbody></table></details></section>"#,
            daily_bars("days-chart", &title, &days)
        )
    }

    fn categories(&self) -> String {
        let categories = &self.summary.categories;
        let bars: Vec<Bar> = categories
            .iter()
            .map(|c| Bar {
                label: c.category.clone(),
                share: if c.granted + c.denied == 0 { 0.0 } else { c.granted as f64 / (c.granted + c.denied) as f64 },
                text: percent(c.granted, c.granted + c.denied),
            })
            .collect();
        let mut rows = String::new();
        for c in categories {
            let name = escape(&c.category);
            let _ = write!(
                rows,
                r#"<tr><th scope="row">{name}</th><td data-count="granted:{name}">{}</td><td data-count="denied:{name}">{}</td><td>{}</td></tr>"#,
                count(c.granted),
                count(c.denied),
                percent(c.granted, c.granted + c.denied)
            );
        }
        if categories.is_empty() {
            rows.push_str(r#"<tr><td colspan="4">No decisions in this period.</td></tr>"#);
        }
        format!(
            r#"<section aria-labelledby="categories-heading"><h2 id="categories-heading">Opt-in rate per category</h2><p>The share of decisions that granted a category, among those that granted or denied it.</p><figure>{}<figcaption>Opt-in rate per category over the period.</figcaption></figure><table><caption>Decisions per category</caption><thead><tr><th scope="col">Category</th><th scope="col">Granted</th><th scope="col">Denied</th><th scope="col">Opt-in rate</th></tr></thead><tbody>{rows}</tbody></table></section>"#,
            horizontal_bars("categories-chart", "Opt-in rate per category", &bars)
        )
    }

    /// Every method, with those never used counted as 0.
    fn methods(&self) -> Vec<(String, String, i64)> {
        let mut methods: Vec<(String, String, i64)> = METHODS
            .iter()
            .map(|(key, label)| {
                let n = self.summary.by_method.iter().find(|(method, _)| method == key).map_or(0, |(_, n)| *n);
                (key.to_string(), label.to_string(), n)
            })
            .collect();
        // A method this version does not know still counts.
        for (method, n) in &self.summary.by_method {
            if !METHODS.iter().any(|(key, _)| key == method) {
                methods.push((method.clone(), method.clone(), *n));
            }
        }
        methods
    }

    /// A split of the period's decisions: `(key, label, decisions)` rows as a chart and a table.
    fn split(&self, id: &str, heading: &str, column: &str, rows: &[(String, String, i64)]) -> String {
        let total = self.summary.total();
        let max = rows.iter().map(|(_, _, n)| *n).max().unwrap_or(0).max(1);
        let bars: Vec<Bar> = rows
            .iter()
            .map(|(_, label, n)| Bar {
                label: label.clone(),
                share: *n as f64 / max as f64,
                text: format!("{} ({})", count(*n), percent(*n, total)),
            })
            .collect();
        let mut table = String::new();
        for (key, label, n) in rows {
            let _ = write!(
                table,
                r#"<tr><th scope="row">{}</th><td data-count="{id}:{}">{}</td><td>{}</td></tr>"#,
                escape(label),
                escape(key),
                count(*n),
                percent(*n, total)
            );
        }
        if rows.is_empty() {
            table.push_str(r#"<tr><td colspan="3">No decisions in this period.</td></tr>"#);
        }
        format!(
            r#"<section aria-labelledby="{id}-heading"><h2 id="{id}-heading">{heading}</h2><figure>{}</figure><table><caption>Decisions {}</caption><thead><tr><th scope="col">{column}</th><th scope="col">Decisions</th><th scope="col">Share</th></tr></thead><tbody>{table}</tbody></table></section>"#,
            horizontal_bars(&format!("{id}-chart"), &format!("Decisions {}", heading.to_lowercase()), &bars),
            heading.to_lowercase()
        )
    }
}

/// The hash chain's last verification, and the button that starts one.
fn chain_status(status: &Status, from: &str, to: &str) -> String {
    let mut text = String::new();
    if let Some(since) = status.running_since {
        let _ = write!(text, r#"<p class="running">Verification under way since {}.</p>"#, rfc3339(since));
    }
    match &status.last {
        None => text.push_str("<p>Not verified since this server started.</p>"),
        Some(outcome) => {
            let finished = rfc3339(outcome.finished_at);
            match &outcome.verdict {
                Ok(Verdict::Intact { rows }) => {
                    let _ = write!(
                        text,
                        r#"<p class="ok" data-verdict="intact"><strong>Intact</strong>: {} records verified, finished at {finished}.</p>"#,
                        count(*rows as i64)
                    );
                    if let Some(newest) = outcome.newest {
                        let _ = write!(
                            text,
                            r#"<p>Last verified record: number <span data-seq="last-verified">{}</span>, received at {}.</p>"#,
                            newest.seq,
                            rfc3339(newest.received_at)
                        );
                    }
                }
                Ok(Verdict::Broken { seq, reason, .. }) => {
                    let _ = write!(
                        text,
                        r#"<p class="broken" data-verdict="broken"><strong>Broken</strong> at record number {seq}: {}. Checked at {finished}; run <code>consent-server verify</code> for details.</p>"#,
                        escape(reason)
                    );
                }
                Err(_) => {
                    let _ = write!(
                        text,
                        r#"<p class="broken" data-verdict="error">The log could not be read at {finished}; see the server's log.</p>"#
                    );
                }
            }
        }
    }
    format!(
        r#"<section aria-labelledby="chain-heading"><h2 id="chain-heading">Hash chain</h2>{text}<form method="post" action="/admin/verify"><input type="hidden" name="from" value="{from}"><input type="hidden" name="to" value="{to}"><button type="submit">Verify now</button></form></section>"#
    )
}
