//! What the scanner knows without the site's word for it: the Open Cookie Database (cookies
//! and storage keys of 354 platforms, with category, duration and controller; Apache-2.0) and
//! the EasyPrivacy lists (tracking requests, matched by Brave's filter engine; GPL-3.0-or-later
//! or CC-BY-SA-3.0). Both are vendored in scan/data/ with their licences
//! (scripts/refresh-knowledge.sh refreshes them) and built into the binary.

use adblock::Engine;
use adblock::lists::{FilterSet, ParseOptions};
use adblock::request::Request;
use std::collections::HashMap;

const OPEN_COOKIE_DATABASE: &str = include_str!("../data/open-cookie-database/open-cookie-database.csv");
const EASYPRIVACY: [&str; 4] = [
    include_str!("../data/easyprivacy/easyprivacy_general.txt"),
    include_str!("../data/easyprivacy/easyprivacy_specific.txt"),
    include_str!("../data/easyprivacy/easyprivacy_thirdparty.txt"),
    include_str!("../data/easyprivacy/easyprivacy_allowlist.txt"),
];

/// A category as the Open Cookie Database gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KnownCategory {
    Necessary,
    Security,
    Functional,
    Personalization,
    Analytics,
    Marketing,
}

impl KnownCategory {
    fn parse(text: &str) -> Option<KnownCategory> {
        Some(match text.trim() {
            "Necessary" => KnownCategory::Necessary,
            "Security" => KnownCategory::Security,
            "Functional" => KnownCategory::Functional,
            "Personalization" => KnownCategory::Personalization,
            "Analytics" => KnownCategory::Analytics,
            "Marketing" => KnownCategory::Marketing,
            _ => return None,
        })
    }

    /// Whether storing it needs the visitor's consent (ePrivacy art. 5(3)): not for what the
    /// site needs to work or to keep safe, and what the visitor asked for.
    pub fn needs_consent(self) -> bool {
        matches!(self, KnownCategory::Personalization | KnownCategory::Analytics | KnownCategory::Marketing)
    }

    pub fn label(self) -> &'static str {
        match self {
            KnownCategory::Necessary => "Necessary",
            KnownCategory::Security => "Security",
            KnownCategory::Functional => "Functional",
            KnownCategory::Personalization => "Personalization",
            KnownCategory::Analytics => "Analytics",
            KnownCategory::Marketing => "Marketing",
        }
    }

    /// The widget's usual category id for it.
    pub fn usual_id(self) -> &'static str {
        match self {
            KnownCategory::Necessary | KnownCategory::Security | KnownCategory::Functional => "necessary",
            KnownCategory::Personalization => "functional",
            KnownCategory::Analytics => "analytics",
            KnownCategory::Marketing => "marketing",
        }
    }
}

/// How long a known cookie lives, as the database says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retention {
    Session,
    Seconds(u64),
    Unknown,
}

impl Retention {
    pub fn parse(text: &str) -> Retention {
        let text = text.trim().to_ascii_lowercase();
        if text.contains("session") {
            return Retention::Session;
        }
        let mut words = text.split_whitespace();
        let (Some(amount), Some(unit), None) = (words.next(), words.next(), words.next()) else {
            return Retention::Unknown;
        };
        let Ok(amount) = amount.parse::<u64>() else { return Retention::Unknown };
        let unit = match unit.trim_end_matches('s') {
            "second" | "sec" => 1,
            "minute" | "min" => 60,
            "hour" => 3_600,
            "day" => 86_400,
            "week" => 7 * 86_400,
            "month" => 31 * 86_400,
            "year" => 366 * 86_400,
            _ => return Retention::Unknown,
        };
        Retention::Seconds(amount * unit)
    }
}

/// One row of the Open Cookie Database.
#[derive(Debug, Clone, PartialEq)]
pub struct KnownCookie {
    pub platform: String,
    pub category: KnownCategory,
    /// The name, or its beginning when `prefix`.
    pub name: String,
    pub prefix: bool,
    pub description: String,
    pub retention: Retention,
    pub retention_text: String,
    pub controller: String,
    pub privacy_url: String,
}

/// A request the lists know as tracking, with the rule that says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tracking {
    pub rule: String,
}

/// A host a known platform sets its cookies from, with what the platform does there.
#[derive(Debug, Clone, PartialEq)]
pub struct KnownHost {
    pub platform: String,
    pub category: KnownCategory,
}

pub struct Knowledge {
    cookies: Vec<KnownCookie>,
    exact: HashMap<String, Vec<usize>>,
    /// Indexes of prefix rows, longest prefix first.
    prefixes: Vec<usize>,
    hosts: HashMap<String, KnownHost>,
    engine: Engine,
}

impl Knowledge {
    /// Reads both sources; they are part of the binary, so this cannot fail at run time
    /// (the unit tests below read them).
    pub fn load() -> Knowledge {
        let cookies = read_cookie_database(OPEN_COOKIE_DATABASE);
        let mut exact: HashMap<String, Vec<usize>> = HashMap::new();
        let mut prefixes = Vec::new();
        for (index, cookie) in cookies.iter().enumerate() {
            if cookie.prefix {
                prefixes.push(index);
            } else {
                exact.entry(cookie.name.clone()).or_default().push(index);
            }
        }
        prefixes.sort_by_key(|index| std::cmp::Reverse(cookies[*index].name.len()));
        let hosts = known_hosts(OPEN_COOKIE_DATABASE);
        // Debug mode keeps each rule's text, which a finding cites.
        let mut filters = FilterSet::new(true);
        for list in EASYPRIVACY {
            filters.add_filter_list(list.to_string(), ParseOptions::default());
        }
        Knowledge { cookies, exact, prefixes, hosts, engine: Engine::new_with_filter_set(filters) }
    }

    /// What the database says of a cookie or storage key of this name: an exact row, else the
    /// longest prefix row. Rows of one name that disagree give the first.
    pub fn cookie(&self, name: &str) -> Option<&KnownCookie> {
        self.rows(name).first().copied()
    }

    /// Whether every row that names it says it needs consent (a name some platform uses for
    /// something necessary is not judged a violation on the database's word alone).
    pub fn cookie_needs_consent(&self, name: &str) -> Option<&KnownCookie> {
        let rows = self.rows(name);
        (!rows.is_empty() && rows.iter().all(|row| row.category.needs_consent())).then(|| rows[0])
    }

    fn rows(&self, name: &str) -> Vec<&KnownCookie> {
        if let Some(rows) = self.exact.get(name) {
            return rows.iter().map(|index| &self.cookies[*index]).collect();
        }
        self.prefixes
            .iter()
            .map(|index| &self.cookies[*index])
            .find(|row| name.starts_with(&row.name) && name.len() > row.name.len())
            .into_iter()
            .collect()
    }

    /// Whether the database has rows of this platform.
    pub fn has_platform(&self, platform: &str) -> bool {
        self.cookies.iter().any(|row| row.platform == platform)
    }

    /// The tracking rule a request from `page` matches, if any. `resource_type` is the
    /// browser's (`Script`, `Image`, `XHR`, ...).
    pub fn tracking(&self, url: &str, page: &str, resource_type: &str) -> Option<Tracking> {
        let request = Request::new(url, page, filter_type(resource_type), "GET").ok()?;
        let result = self.engine.check_network_request(&request);
        if result.exception.is_some() && !result.important {
            return None;
        }
        result.filter.map(|filter| Tracking { rule: filter.to_string() })
    }

    /// The platform whose cookies come from `host` (or a domain above it), if the database
    /// says it tracks there.
    pub fn host(&self, host: &str) -> Option<&KnownHost> {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        let mut rest = host.as_str();
        loop {
            if let Some(known) = self.hosts.get(rest) {
                return Some(known);
            }
            rest = rest.split_once('.')?.1;
            if !rest.contains('.') {
                return None;
            }
        }
    }
}

fn read_cookie_database(text: &str) -> Vec<KnownCookie> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records().flatten() {
        let field = |index: usize| record.get(index).unwrap_or("").trim().to_string();
        let Some(category) = KnownCategory::parse(&field(2)) else { continue };
        let name = field(3);
        if name.is_empty() {
            continue;
        }
        rows.push(KnownCookie {
            platform: field(1),
            category,
            name,
            prefix: field(9) == "1",
            description: field(5),
            retention: Retention::parse(&field(6)),
            retention_text: field(6),
            controller: field(7),
            privacy_url: field(8),
        });
    }
    rows
}

/// Hosts named in the database's Domain column (`.youtube.com (3rd party)`), each with the
/// platform and category most of its rows give; kept only where that category needs consent.
fn known_hosts(text: &str) -> HashMap<String, KnownHost> {
    let mut counts: HashMap<String, HashMap<(String, KnownCategory), usize>> = HashMap::new();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    for record in reader.records().flatten() {
        let Some(category) = KnownCategory::parse(record.get(2).unwrap_or("")) else { continue };
        let platform = record.get(1).unwrap_or("").trim().to_string();
        for part in record.get(4).unwrap_or("").split([',', ' ']).filter(|part| part.contains('.')) {
            let domain = part.trim().trim_start_matches('.').trim_start_matches("www.").to_ascii_lowercase();
            if domain.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-') && !domain.ends_with('.') {
                *counts.entry(domain).or_default().entry((platform.clone(), category)).or_default() += 1;
            }
        }
    }
    counts
        .into_iter()
        .filter_map(|(domain, votes)| {
            let consent: usize =
                votes.iter().filter(|((_, category), _)| category.needs_consent()).map(|(_, n)| n).sum();
            let total: usize = votes.values().sum();
            if consent * 2 < total {
                return None;
            }
            let ((platform, category), _) = votes
                .into_iter()
                .filter(|((_, category), _)| category.needs_consent())
                .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))?;
            Some((domain, KnownHost { platform, category }))
        })
        .collect()
}

/// The filter lists' name for a browser resource type.
fn filter_type(resource_type: &str) -> &'static str {
    match resource_type {
        "Script" => "script",
        "Image" => "image",
        "Stylesheet" => "stylesheet",
        "Font" => "font",
        "Media" => "media",
        "Document" => "sub_frame",
        "XHR" | "Fetch" | "EventSource" => "xmlhttprequest",
        "Ping" | "CSPViolationReport" => "ping",
        "WebSocket" => "websocket",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::LazyLock;

    static KNOWLEDGE: LazyLock<Knowledge> = LazyLock::new(Knowledge::load);

    #[test]
    fn the_cookie_database_is_read_whole() {
        // 2,264 rows in the vendored copy; a few have no category the widget knows.
        assert!(KNOWLEDGE.cookies.len() > 2_200, "{}", KNOWLEDGE.cookies.len());
        let ga = KNOWLEDGE.cookie("_ga").unwrap();
        assert_eq!((ga.platform.as_str(), ga.category), ("Google Analytics", KnownCategory::Analytics));
        assert_eq!(ga.retention, Retention::Seconds(2 * 366 * 86_400));
        // A prefix row: `_ga_` followed by the property id.
        assert_eq!(KNOWLEDGE.cookie("_ga_ABC123").unwrap().platform, "Google Analytics");
        assert!(KNOWLEDGE.cookie_needs_consent("_ga").is_some());
        assert!(KNOWLEDGE.cookie("certainly_not_a_known_cookie").is_none());
    }

    #[test]
    fn a_name_some_platform_uses_for_something_necessary_is_not_judged_on_the_database_alone() {
        // `token` has rows of several platforms, not all of them needing consent.
        let rows = KNOWLEDGE.rows("token");
        if rows.iter().any(|row| !row.category.needs_consent()) {
            assert!(KNOWLEDGE.cookie_needs_consent("token").is_none());
        }
    }

    #[test]
    fn retention_reads_the_databases_wordings() {
        assert_eq!(Retention::parse("Session"), Retention::Session);
        assert_eq!(Retention::parse("End of session (browser)"), Retention::Session);
        assert_eq!(Retention::parse("13 months"), Retention::Seconds(13 * 31 * 86_400));
        assert_eq!(Retention::parse("30 mins"), Retention::Seconds(1_800));
        assert_eq!(Retention::parse("2 Weeks"), Retention::Seconds(14 * 86_400));
        assert_eq!(Retention::parse("Varies"), Retention::Unknown);
    }

    #[test]
    fn tracking_requests_are_known_by_the_lists() {
        let page = "https://shop.example/";
        let collect = KNOWLEDGE.tracking("https://www.google-analytics.com/g/collect?v=2&tid=G-TEST", page, "Ping");
        assert!(collect.is_some(), "GA4's collect endpoint");
        assert!(KNOWLEDGE.tracking("https://shop.example/app.js", page, "Script").is_none());
        assert!(KNOWLEDGE.tracking("https://cdn.example.org/jquery.min.js", page, "Script").is_none());
    }

    #[test]
    fn hosts_carry_their_platforms_category() {
        let youtube = KNOWLEDGE.host("www.youtube.com").expect("YouTube's cookie domain");
        assert_eq!(youtube.category, KnownCategory::Marketing);
        assert!(KNOWLEDGE.host("example.org").is_none());
        assert!(KNOWLEDGE.host("com").is_none());
    }
}
