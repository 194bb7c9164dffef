//! The HTML report: one self-contained file a site owner can send their data-protection officer.
//! Findings first, then each page in each state with a screenshot and the tables of what was
//! seen. maud escapes every text by construction; screenshots are inline JPEG data.

use super::Report;
use super::terminal::relative;
use crate::judge::{Finding, Kind};
use crate::observation::Observation;
use base64::Engine;
use maud::{DOCTYPE, Markup, html};

const STYLES: &str = "
body { font: 15px/1.5 system-ui, sans-serif; color: #1b1f24; margin: 0 auto; max-width: 72rem; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin-bottom: .25rem; } h2 { margin-top: 2.5rem; border-bottom: 2px solid #d0d7de; }
h3 { margin-top: 2rem; } table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .9rem; }
th, td { text-align: left; vertical-align: top; padding: .3rem .5rem; border-bottom: 1px solid #d0d7de; overflow-wrap: anywhere; }
th { background: #f6f8fa; } .counts { display: flex; flex-wrap: wrap; gap: .5rem; padding: 0; list-style: none; }
.counts li { border: 1px solid #d0d7de; border-radius: .4rem; padding: .3rem .7rem; }
.violation { color: #a40e26; font-weight: 600; } .muted { color: #57606a; }
img { max-width: 100%; border: 1px solid #d0d7de; } code { font-size: .85em; }
";

pub fn render(report: &Report) -> String {
    let document = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "Consent scan of " (report.site) }
                style { (STYLES) }
            }
            body {
                h1 { "Consent scan of " (report.site) }
                p.muted {
                    (report.started_at) " · " (report.summary.pages) " pages · " (format!("{:.1}", report.seconds)) " s · "
                    (report.tool) " · exit status " (report.exit_status)
                }
                ul.counts {
                    @for kind in Kind::ALL {
                        li class=(if kind == Kind::Violation { "violation" } else { "" }) {
                            (report.summary.count(kind)) " " (kind.label())
                        }
                    }
                }
                (configuration(report))
                h2 { "Findings" }
                @if report.findings.is_empty() {
                    p { "None: every cookie, storage key and request matches the configuration." }
                } @else {
                    (findings_table(report, &report.findings))
                }
                @if !report.problems.is_empty() {
                    h2 { "Pages not scanned" }
                    table {
                        tr { th { "Page" } th { "Why" } }
                        @for problem in &report.problems {
                            tr { td { (relative(&report.site, &problem.page)) } td { (problem.reason) } }
                        }
                    }
                }
                h2 { "What each page showed" }
                @for page in &report.pages {
                    h3 { (relative(&report.site, &page.url)) }
                    @for missed in &page.not_reached {
                        p.muted { "Not reached: " (missed.state.label()) ": " (missed.reason) }
                    }
                    @for observation in &page.states {
                        (state(report, observation))
                    }
                }
            }
        }
    };
    document.into_string()
}

fn configuration(report: &Report) -> Markup {
    let configuration = &report.configuration;
    html! {
        p {
            "Configuration: "
            @match &configuration.source {
                crate::site_config::Source::Inline { page } => { "inline in " (page) }
                crate::site_config::Source::DataConfig { url } => { "data-config " (url) }
                crate::site_config::Source::File { path } => { "file " (path) }
                crate::site_config::Source::None => { "none of Consent Widget's: judged by the knowledge base alone" }
            }
            @if let Some(problem) = &configuration.problem {
                ". " span.violation { (problem) }
            } @else if !configuration.categories.is_empty() {
                " (revision " (configuration.revision.unwrap_or(0)) ": " (configuration.categories.join(", ")) ")"
            }
        }
    }
}

fn findings_table(report: &Report, findings: &[Finding]) -> Markup {
    html! {
        table {
            tr { th { "Kind" } th { "Page" } th { "State" } th { "What" } th { "Why" } th { "Fix" } }
            @for finding in findings {
                tr {
                    td class=(if finding.kind == Kind::Violation { "violation" } else { "" }) { (finding.kind.label()) }
                    td { (finding.page.as_deref().map(|page| relative(&report.site, page)).unwrap_or_default()) }
                    td { (finding.state.map(|state| state.label()).unwrap_or("")) }
                    td { (finding.what.label()) " " code { (finding.name) } }
                    td { (finding.detail) br; span.muted { (finding.source) } }
                    td {
                        (finding.fix)
                        @if let Some(path) = &finding.path { br; code { (path) } }
                    }
                }
            }
        }
    }
}

fn state(report: &Report, observation: &Observation) -> Markup {
    let findings: Vec<Finding> = report
        .findings
        .iter()
        .filter(|finding| {
            finding.page.as_deref() == Some(&observation.page) && finding.state == Some(observation.state)
        })
        .cloned()
        .collect();
    html! {
        h4 { (observation.state.label()) }
        @for note in &observation.notes { p.muted { (note) } }
        @if !findings.is_empty() { (findings_table(report, &findings)) }
        @if let Some(image) = &observation.screenshot {
            img alt=(format!("{} {}", relative(&report.site, &observation.page), observation.state.label()))
                src=(format!("data:image/jpeg;base64,{}", base64::engine::general_purpose::STANDARD.encode(image)));
        }
        table {
            tr { th { "Cookie" } th { "Domain" } th { "Expires in" } th { "Flags" } th { "Set by" } }
            @for cookie in &observation.cookies {
                tr {
                    td { code { (cookie.name) } }
                    td { (cookie.domain) @if cookie.third_party { " (another site)" } }
                    td { (cookie.lifetime_seconds.map_or("session".to_string(), |seconds| format!("{} days", seconds / 86_400))) }
                    td {
                        (if cookie.secure { "Secure " } else { "" }) (if cookie.http_only { "HttpOnly " } else { "" })
                        (cookie.same_site.as_deref().unwrap_or(""))
                    }
                    td { (cookie.set_by.as_deref().unwrap_or("")) }
                }
            }
        }
        @if !observation.storage.is_empty() {
            table {
                tr { th { "Storage key" } th { "Area" } th { "Origin" } }
                @for key in &observation.storage {
                    tr { td { code { (key.key) } } td { (format!("{:?}", key.area).to_lowercase()) } td { (key.origin) } }
                }
            }
        }
        @if !observation.requests.is_empty() {
            table {
                tr { th { "Request to another site" } th { "Type" } th { "Started by" } }
                @for request in &observation.requests {
                    tr {
                        td { (crate::judge::without_query(&request.url)) }
                        td { (request.resource_type) }
                        td { (request.initiator.as_deref().map(crate::judge::without_query).unwrap_or_default()) }
                    }
                }
            }
        }
    }
}
