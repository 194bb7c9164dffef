//! What one page showed in one state: the cookies, storage keys, requests, scripts and frames
//! a visitor's browser held or sent, as the report lists them.

use serde::{Deserialize, Serialize};

/// The states each page is visited in, each in a fresh browser profile of its own (withdrawal
/// follows Accept all in the same profile, as a visitor's would).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    /// The first visit: banner shown, nothing clicked.
    FirstVisit,
    /// Reject all, then the next page view.
    Reject,
    /// Accept all, then the next page view.
    Accept,
    /// After Accept all: the settings reopened, Reject all, then the next page view.
    Withdraw,
    /// A first visit with Global Privacy Control on.
    Gpc,
}

impl State {
    pub const ALL: [State; 5] = [State::FirstVisit, State::Reject, State::Accept, State::Withdraw, State::Gpc];

    /// How the terminal and the HTML report name it.
    pub fn label(self) -> &'static str {
        match self {
            State::FirstVisit => "first visit",
            State::Reject => "after Reject all",
            State::Accept => "after Accept all",
            State::Withdraw => "after withdrawal",
            State::Gpc => "first visit, GPC on",
        }
    }

    /// Whether what needs consent must be absent: in every state but after Accept all.
    pub fn without_consent(self) -> bool {
        self != State::Accept
    }
}

/// What a finding or a line of the report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum What {
    Cookie,
    Storage,
    Request,
    Script,
    Iframe,
}

impl What {
    pub fn label(self) -> &'static str {
        match self {
            What::Cookie => "cookie",
            What::Storage => "storage",
            What::Request => "request",
            What::Script => "script",
            What::Iframe => "iframe",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SeenCookie {
    pub name: String,
    pub domain: String,
    pub path: String,
    /// Unix seconds; none for a session cookie.
    pub expires: Option<i64>,
    /// From the moment it was read to its expiry, in seconds; none for a session cookie.
    pub lifetime_seconds: Option<i64>,
    pub http_only: bool,
    pub secure: bool,
    pub same_site: Option<String>,
    /// Set for another site than the page's.
    pub third_party: bool,
    /// The script that wrote it through `document.cookie`, where that could be told.
    pub set_by: Option<String>,
    /// That script's `data-category`, if it was held for one.
    pub set_by_category: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StorageArea {
    Local,
    Session,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SeenStorage {
    pub area: StorageArea,
    /// The origin of the frame that holds it.
    pub origin: String,
    pub key: String,
    pub third_party: bool,
}

/// A request to another site than the page's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SeenRequest {
    pub url: String,
    pub host: String,
    /// Script, iframe (a frame's document) or any other request.
    pub what: What,
    /// The browser's resource type (`Script`, `Image`, `XHR`, `Ping`, ...).
    pub resource_type: String,
    /// What started it: the script or document whose code or markup asked for it.
    pub initiator: Option<String>,
    /// Unix milliseconds.
    pub at: f64,
}

/// When Google Consent Mode's default was set, against the first request to a Google tag host.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConsentModeOrder {
    /// Unix milliseconds of the first `gtag('consent', 'default', ...)`, if any.
    pub default_at: Option<f64>,
    /// The first request to a Google tag host, if any.
    pub first_google_request: Option<String>,
    pub first_google_request_at: Option<f64>,
}

impl ConsentModeOrder {
    /// A Google tag went out before the default was set, while the page does set one.
    pub fn default_came_late(&self) -> bool {
        match (self.default_at, self.first_google_request_at) {
            (Some(default), Some(request)) => default > request,
            _ => false,
        }
    }
}

/// A page in a state, and everything seen in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Observation {
    pub page: String,
    pub state: State,
    pub cookies: Vec<SeenCookie>,
    pub storage: Vec<SeenStorage>,
    pub requests: Vec<SeenRequest>,
    /// Every script loaded, of any site.
    pub scripts: Vec<String>,
    /// Every frame's document loaded, of any site.
    pub iframes: Vec<String>,
    pub consent_mode: ConsentModeOrder,
    /// What could not be done or seen in this state (no Reject all button, a page that never
    /// went quiet, ...).
    pub notes: Vec<String>,
    /// A JPEG of the viewport at the end of the state (only for the HTML report).
    #[serde(skip)]
    pub screenshot: Option<Vec<u8>>,
}

impl Observation {
    pub fn new(page: &str, state: State) -> Observation {
        Observation {
            page: page.to_string(),
            state,
            cookies: Vec::new(),
            storage: Vec::new(),
            requests: Vec::new(),
            scripts: Vec::new(),
            iframes: Vec::new(),
            consent_mode: ConsentModeOrder::default(),
            notes: Vec::new(),
            screenshot: None,
        }
    }
}

/// The site a host belongs to (its registrable domain: `www.shop.example.co.uk` →
/// `example.co.uk`), or the host itself for an address or a single label.
pub fn site_of(host: &str) -> String {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if host.parse::<std::net::IpAddr>().is_ok() || host.starts_with('[') {
        return host;
    }
    addr::parse_domain_name(&host).ok().and_then(|name| name.root().map(str::to_string)).unwrap_or(host)
}

/// Whether `host` belongs to another site than `page_host`.
pub fn third_party(host: &str, page_host: &str) -> bool {
    site_of(host) != site_of(page_host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sites_are_registrable_domains() {
        assert_eq!(site_of("www.shop.example.co.uk"), "example.co.uk");
        assert_eq!(site_of("WWW.Google-Analytics.com"), "google-analytics.com");
        assert_eq!(site_of("127.0.0.1"), "127.0.0.1");
        assert!(!third_party("static.shop.example", "www.shop.example"));
        assert!(third_party("www.googletagmanager.com", "shop.example"));
    }

    #[test]
    fn a_default_set_after_the_first_google_request_came_late() {
        let order = |default_at: Option<f64>, request_at: Option<f64>| ConsentModeOrder {
            default_at,
            first_google_request: request_at.map(|_| "https://www.googletagmanager.com/gtag/js".to_string()),
            first_google_request_at: request_at,
        };
        assert!(order(Some(20.0), Some(10.0)).default_came_late());
        assert!(!order(Some(10.0), Some(20.0)).default_came_late());
        assert!(!order(None, Some(20.0)).default_came_late(), "no Consent Mode at all is judged by the request itself");
        assert!(!order(Some(10.0), None).default_came_late());
    }
}
