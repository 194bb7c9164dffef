//! What breaks the banner's promise and what the configuration lacks, judged from what each page
//! showed in each state, the site's configuration and the knowledge base. Pure: no browser here.

use crate::knowledge::Knowledge;
use crate::observation::{Observation, SeenCookie, SeenRequest, SeenStorage, State, What};
use consent_widget::core::config::{Config, CookieInfo};
use consent_widget::core::duration::CookieDuration;
use consent_widget::core::gating::matches;
use consent_widget::core::outbox;
use serde::Serialize;
use std::collections::BTreeSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Something that needs consent, seen without it (or Consent Mode's default too late).
    Violation,
    /// A cookie or storage key no category declares.
    Undeclared,
    /// A cookie that lives longer than its declared duration.
    Lifetime,
    /// Declared necessary, known as analytics or marketing.
    Category,
    /// Declared, never seen (information).
    Unseen,
}

impl Kind {
    pub const ALL: [Kind; 5] = [Kind::Violation, Kind::Undeclared, Kind::Lifetime, Kind::Category, Kind::Unseen];

    /// The heading of this kind's findings in the reports.
    pub fn heading(self) -> &'static str {
        match self {
            Kind::Violation => "Violations",
            Kind::Undeclared => "Undeclared",
            Kind::Lifetime => "Living longer than declared",
            Kind::Category => "Declared necessary, known as tracking",
            Kind::Unseen => "Declared, never seen",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Violation => "violation",
            Kind::Undeclared => "undeclared",
            Kind::Lifetime => "lifetime",
            Kind::Category => "category",
            Kind::Unseen => "unseen",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    pub kind: Kind,
    /// The state it was seen in; none for what concerns the configuration alone.
    pub state: Option<State>,
    pub page: Option<String>,
    pub what: What,
    /// The cookie's or key's name, or the request's address without its query.
    pub name: String,
    pub host: Option<String>,
    /// Why it is a finding, in a sentence.
    pub detail: String,
    /// What fixes it.
    pub fix: String,
    /// The configuration path the fix concerns (`categories[1].cookies`).
    pub path: Option<String>,
    /// The category it belongs to: declared, or the likeliest.
    pub category: Option<String>,
    /// What says so: `configuration`, `Open Cookie Database: <platform>` or `EasyPrivacy: <rule>`.
    pub source: String,
}

/// Judges every observation. `config` is the site's configuration, if it could be read.
pub fn judge(observations: &[Observation], config: Option<&Config>, knowledge: &Knowledge) -> Vec<Finding> {
    let declarations = Declarations { config };
    let mut findings = Findings::default();
    for observation in observations {
        for cookie in &observation.cookies {
            judge_cookie(&mut findings, &declarations, knowledge, observation, cookie);
        }
        for key in &observation.storage {
            judge_storage(&mut findings, &declarations, knowledge, observation, key);
        }
        for request in &observation.requests {
            judge_request(&mut findings, &declarations, knowledge, observation, request);
        }
        if observation.consent_mode.default_came_late() {
            let first = observation.consent_mode.first_google_request.clone().unwrap_or_default();
            findings.add(Finding {
                kind: Kind::Violation,
                state: Some(observation.state),
                page: Some(observation.page.clone()),
                what: What::Script,
                name: "Google Consent Mode default".into(),
                host: host_of(&first),
                detail: format!(
                    "Consent Mode's default was set after a Google tag went out ({})",
                    without_query(&first)
                ),
                fix:
                    "set the default before any Google tag: load consent-mode.js (or enable consentMode) before the tag"
                        .into(),
                path: Some("consentMode".into()),
                category: None,
                source: "Google Consent Mode".into(),
            });
        }
    }
    if let Some(config) = config {
        judge_declarations(&mut findings, config, knowledge, observations);
    }
    let mut findings = findings.list;
    findings
        .sort_by(|a, b| (a.kind, &a.page, a.state, a.what, &a.name).cmp(&(b.kind, &b.page, b.state, b.what, &b.name)));
    findings
}

/// Findings without repeats: one per kind, page, state, what and name (undeclared, lifetime
/// and unseen once per name, where first seen).
#[derive(Default)]
struct Findings {
    list: Vec<Finding>,
    keys: BTreeSet<FindingKey>,
}

/// Kind, page, state, what and name: what makes two findings the same.
type FindingKey = (Kind, Option<String>, Option<State>, What, String);

impl Findings {
    fn add(&mut self, finding: Finding) {
        let per_site = matches!(finding.kind, Kind::Undeclared | Kind::Lifetime | Kind::Unseen | Kind::Category);
        let key = if per_site {
            (finding.kind, None, None, finding.what, finding.name.clone())
        } else {
            (finding.kind, finding.page.clone(), finding.state, finding.what, finding.name.clone())
        };
        if self.keys.insert(key) {
            self.list.push(finding);
        }
    }
}

/// What the configuration declares, with the paths that name it.
struct Declarations<'a> {
    config: Option<&'a Config>,
}

impl Declarations<'_> {
    /// The category index and cookie index declaring `name`.
    fn cookie(&self, name: &str) -> Option<(usize, usize)> {
        let config = self.config?;
        config.categories.iter().enumerate().find_map(|(i, category)| {
            category.cookies.iter().position(|cookie| matches(&cookie.name, name)).map(|j| (i, j))
        })
    }

    fn storage(&self, key: &str) -> Option<usize> {
        let config = self.config?;
        config.categories.iter().position(|category| category.storage.iter().any(|pattern| matches(pattern, key)))
    }

    /// The widget's own cookie and outbox: necessary, and declared by the widget itself.
    fn own_cookie(&self, name: &str) -> bool {
        self.config.is_some_and(|config| config.cookie.name == name)
    }

    fn own_storage(&self, key: &str) -> bool {
        self.config.is_some() && key == outbox::STORAGE_KEY
    }

    fn required(&self, index: usize) -> bool {
        self.config.is_some_and(|config| config.categories[index].required)
    }

    fn id(&self, index: usize) -> String {
        self.config.map(|config| config.categories[index].id.clone()).unwrap_or_default()
    }

    /// The index of the category with this id, if the configuration has it.
    fn index_of(&self, id: &str) -> Option<usize> {
        self.config?.categories.iter().position(|category| category.id == id)
    }
}

fn judge_cookie(
    findings: &mut Findings,
    declarations: &Declarations,
    knowledge: &Knowledge,
    observation: &Observation,
    cookie: &SeenCookie,
) {
    if declarations.own_cookie(&cookie.name) {
        return;
    }
    let declared = declarations.cookie(&cookie.name);
    let known = knowledge.cookie_needs_consent(&cookie.name);
    let held_for = cookie
        .set_by_category
        .as_deref()
        .and_then(|id| declarations.index_of(id))
        .filter(|index| !declarations.required(*index));
    // Another site's cookie, from a host the knowledge base knows as a tracker's.
    let tracker_domain = cookie.third_party.then(|| knowledge.host(cookie.domain.trim_start_matches('.'))).flatten();
    let (needs_consent, category, source) = match declared {
        Some((i, _)) => (!declarations.required(i), Some(declarations.id(i)), "configuration".to_string()),
        None => match (known, held_for, tracker_domain) {
            (Some(row), _, _) => {
                (true, Some(row.category.usual_id().to_string()), format!("Open Cookie Database: {}", row.platform))
            }
            (None, Some(index), _) => {
                (true, Some(declarations.id(index)), "the category of the script that set it".into())
            }
            (None, None, Some(host)) => (
                true,
                Some(host.category.usual_id().to_string()),
                format!("Open Cookie Database: {}, whose domain set it", host.platform),
            ),
            // Known as something the site needs (or not known at all): no consent needed,
            // but it still has to be declared, in its likely category.
            (None, None, None) => match knowledge.cookie(&cookie.name) {
                Some(row) => (
                    false,
                    Some(row.category.usual_id().to_string()),
                    format!("Open Cookie Database: {}", row.platform),
                ),
                None => (false, None, String::new()),
            },
        },
    };
    let setter = cookie.set_by.as_deref().map(without_query);
    if needs_consent && observation.state.without_consent() {
        let category = category.clone().unwrap_or_default();
        let (detail, fix) = if observation.state == State::Withdraw {
            (
                format!("still there after the {category} consent was withdrawn"),
                match declared {
                    Some((i, j)) => format!(
                        "categories[{i}].cookies[{j}] lists it, so the widget deletes it on withdrawal: it was set again \
                         or could not be deleted (another site's, or HttpOnly); hold {} and keep reloadOnWithdraw on",
                        setter.as_deref().unwrap_or("what sets it")
                    ),
                    None => {
                        "declare it, so that the widget deletes it on withdrawal (consent-scan --fix writes it)".into()
                    }
                },
            )
        } else {
            let what_sets_it = match (&setter, cookie.third_party) {
                (Some(url), _) => format!("the script {url}"),
                (None, true) => format!("what loads {} (its script or iframe)", cookie.domain.trim_start_matches('.')),
                (None, false) => "the script that sets it".to_string(),
            };
            (
                format!("set {} without consent to {category}", state_phrase(observation.state)),
                format!("hold {what_sets_it} until consent: data-category=\"{category}\" on its tag"),
            )
        };
        findings.add(Finding {
            kind: Kind::Violation,
            state: Some(observation.state),
            page: Some(observation.page.clone()),
            what: What::Cookie,
            name: cookie.name.clone(),
            host: Some(cookie.domain.trim_start_matches('.').to_string()),
            detail,
            fix,
            path: declared.map(|(i, j)| format!("categories[{i}].cookies[{j}]")),
            category: Some(category),
            source: source.clone(),
        });
    }
    match declared {
        None => {
            let likely = category.as_deref().and_then(|id| declarations.index_of(id));
            findings.add(Finding {
                kind: Kind::Undeclared,
                state: Some(observation.state),
                page: Some(observation.page.clone()),
                what: What::Cookie,
                name: cookie.name.clone(),
                host: Some(cookie.domain.trim_start_matches('.').to_string()),
                detail: format!(
                    "no category declares it{}",
                    category.as_deref().map_or(String::new(), |id| format!(" (likely {id})"))
                ),
                fix: match likely {
                    Some(i) => format!("declare it in categories[{i}].cookies (consent-scan --fix writes it)"),
                    None => "declare it in the category of the script that sets it".into(),
                },
                path: likely.map(|i| format!("categories[{i}].cookies")),
                category,
                source: if source.is_empty() { "not in the knowledge base".into() } else { source },
            });
        }
        Some((i, j)) => {
            let info = &declarations.config.expect("declared").categories[i].cookies[j];
            if let Some(lifetime) = cookie.lifetime_seconds
                && outlives(info, lifetime)
            {
                findings.add(Finding {
                    kind: Kind::Lifetime,
                    state: Some(observation.state),
                    page: Some(observation.page.clone()),
                    what: What::Cookie,
                    name: cookie.name.clone(),
                    host: Some(cookie.domain.trim_start_matches('.').to_string()),
                    detail: format!("declared for {}, lives {}", String::from(info.duration), say_seconds(lifetime)),
                    fix: format!(
                        "make categories[{i}].cookies[{j}].duration say how long it lives, or shorten the cookie"
                    ),
                    path: Some(format!("categories[{i}].cookies[{j}].duration")),
                    category: Some(declarations.id(i)),
                    source: "configuration".into(),
                });
            }
        }
    }
}

fn judge_storage(
    findings: &mut Findings,
    declarations: &Declarations,
    knowledge: &Knowledge,
    observation: &Observation,
    key: &SeenStorage,
) {
    if declarations.own_storage(&key.key) {
        return;
    }
    let declared = declarations.storage(&key.key);
    let known = knowledge.cookie_needs_consent(&key.key);
    let (needs_consent, category, source) = match (declared, known) {
        (Some(i), _) => (!declarations.required(i), Some(declarations.id(i)), "configuration".to_string()),
        (None, Some(row)) => {
            (true, Some(row.category.usual_id().to_string()), format!("Open Cookie Database: {}", row.platform))
        }
        (None, None) => (false, None, String::new()),
    };
    let host = host_of(&key.origin);
    if needs_consent && observation.state.without_consent() {
        let category = category.clone().unwrap_or_default();
        findings.add(Finding {
            kind: Kind::Violation,
            state: Some(observation.state),
            page: Some(observation.page.clone()),
            what: What::Storage,
            name: key.key.clone(),
            host: host.clone(),
            detail: format!("stored {} without consent to {category}", state_phrase(observation.state)),
            fix: format!("hold the script that stores it until consent: data-category=\"{category}\" on its tag"),
            path: declared.map(|i| format!("categories[{i}].storage")),
            category: Some(category),
            source: source.clone(),
        });
    }
    if declared.is_none() {
        let likely = category.as_deref().and_then(|id| declarations.index_of(id));
        findings.add(Finding {
            kind: Kind::Undeclared,
            state: Some(observation.state),
            page: Some(observation.page.clone()),
            what: What::Storage,
            name: key.key.clone(),
            host,
            detail: "no category declares this storage key".into(),
            fix: match likely {
                Some(i) => format!("add it (or a * pattern) to categories[{i}].storage"),
                None => "add it (or a * pattern) to the storage of the category of the script that stores it".into(),
            },
            path: likely.map(|i| format!("categories[{i}].storage")),
            category,
            source: if source.is_empty() { "not in the knowledge base".into() } else { source },
        });
    }
}

fn judge_request(
    findings: &mut Findings,
    declarations: &Declarations,
    knowledge: &Knowledge,
    observation: &Observation,
    request: &SeenRequest,
) {
    if !observation.state.without_consent() {
        return;
    }
    let tracking = knowledge.tracking(&request.url, &observation.page, &request.resource_type);
    let known_host =
        matches!(request.what, What::Script | What::Iframe).then(|| knowledge.host(&request.host)).flatten();
    let (category, source) = match (&tracking, known_host) {
        (Some(tracking), _) => ("analytics".to_string(), format!("EasyPrivacy: {}", tracking.rule)),
        (None, Some(host)) => {
            (host.category.usual_id().to_string(), format!("Open Cookie Database: {}", host.platform))
        }
        (None, None) => return,
    };
    let category = declarations.index_of(&category).map(|i| declarations.id(i)).unwrap_or(category);
    let address = without_query(&request.url);
    let fix = match request.what {
        What::Script => format!(
            "hold it until consent: <script type=\"text/plain\" data-category=\"{category}\" src=\"{address}\">"
        ),
        What::Iframe => format!("hold it until consent: <iframe data-src=\"{address}\" data-category=\"{category}\">"),
        _ => format!(
            "hold {} until consent (data-category=\"{category}\")",
            request
                .initiator
                .as_deref()
                .map_or("the script that sends it".to_string(), |url| format!("the script {}", without_query(url)))
        ),
    };
    findings.add(Finding {
        kind: Kind::Violation,
        state: Some(observation.state),
        page: Some(observation.page.clone()),
        what: request.what,
        name: address,
        host: Some(request.host.clone()),
        detail: format!("{} to a tracker {}", request.what.label(), state_phrase(observation.state)),
        fix,
        path: None,
        category: Some(category),
        source,
    });
}

/// Declared cookies never seen, and necessary ones the knowledge base knows as tracking.
fn judge_declarations(findings: &mut Findings, config: &Config, knowledge: &Knowledge, observations: &[Observation]) {
    let seen: BTreeSet<&str> = observations
        .iter()
        .flat_map(|observation| observation.cookies.iter().map(|cookie| cookie.name.as_str()))
        .collect();
    // Only a scan that reached Accept all could have seen every declared cookie.
    let accepted = observations.iter().any(|observation| observation.state == State::Accept);
    for (i, category) in config.categories.iter().enumerate() {
        for (j, cookie) in category.cookies.iter().enumerate() {
            let path = format!("categories[{i}].cookies[{j}]");
            if accepted && !seen.iter().any(|name| matches(&cookie.name, name)) {
                findings.add(Finding {
                    kind: Kind::Unseen,
                    state: None,
                    page: None,
                    what: What::Cookie,
                    name: cookie.name.clone(),
                    host: None,
                    detail: "declared, but set on no page in any state".into(),
                    fix: format!("remove {path} if the site no longer sets it"),
                    path: Some(path.clone()),
                    category: Some(category.id.clone()),
                    source: "configuration".into(),
                });
            }
            let literal = cookie.name.split('*').next().unwrap_or("");
            if category.required
                && let Some(row) =
                    knowledge.cookie_needs_consent(literal).or_else(|| knowledge.cookie_needs_consent(&cookie.name))
            {
                findings.add(Finding {
                    kind: Kind::Category,
                    state: None,
                    page: None,
                    what: What::Cookie,
                    name: cookie.name.clone(),
                    host: None,
                    detail: format!(
                        "declared necessary, known as {} ({})",
                        row.category.label().to_lowercase(),
                        row.platform
                    ),
                    fix: format!("move {path} to an optional category ({})", row.category.usual_id()),
                    path: Some(path),
                    category: Some(category.id.clone()),
                    source: format!("Open Cookie Database: {}", row.platform),
                });
            }
        }
    }
}

/// Whether a cookie read with `lifetime` seconds left outlives its declared duration (a day's
/// slack for clocks and rounding).
fn outlives(info: &CookieInfo, lifetime: i64) -> bool {
    const SLACK: i64 = 86_400;
    match duration_seconds(info.duration) {
        None => lifetime > 0,
        Some(declared) => lifetime > declared + SLACK,
    }
}

/// A declared duration in seconds, a month as 31 days and a year as 366; none for a session.
pub fn duration_seconds(duration: CookieDuration) -> Option<i64> {
    use consent_widget::core::duration::TimeUnit;
    match duration {
        CookieDuration::Session => None,
        CookieDuration::Span { amount, unit } => Some(
            amount as i64
                * match unit {
                    TimeUnit::Minute => 60,
                    TimeUnit::Hour => 3_600,
                    TimeUnit::Day => 86_400,
                    TimeUnit::Month => 31 * 86_400,
                    TimeUnit::Year => 366 * 86_400,
                },
        ),
    }
}

fn say_seconds(seconds: i64) -> String {
    match seconds {
        s if s >= 2 * 365 * 86_400 => format!("{} years", s / (365 * 86_400)),
        s if s >= 60 * 86_400 => format!("{} months", s / (30 * 86_400)),
        s if s >= 2 * 86_400 => format!("{} days", s / 86_400),
        s if s >= 2 * 3_600 => format!("{} hours", s / 3_600),
        s => format!("{} minutes", (s / 60).max(1)),
    }
}

fn state_phrase(state: State) -> &'static str {
    match state {
        State::FirstVisit => "before any choice",
        State::Reject => "after Reject all",
        State::Accept => "after Accept all",
        State::Withdraw => "after withdrawal",
        State::Gpc => "under Global Privacy Control, before any choice",
    }
}

/// An address without its query and fragment (which carry ids, and make every hit differ).
pub fn without_query(url: &str) -> String {
    url.split(['?', '#']).next().unwrap_or(url).to_string()
}

fn host_of(url: &str) -> Option<String> {
    url::Url::parse(url).ok().and_then(|url| url.host_str().map(str::to_string))
}

#[cfg(test)]
mod tests;
