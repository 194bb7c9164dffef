//! One browser tab in a profile of its own: it goes to pages, waits until their network is
//! quiet, and records every request, so that a state's [`Observation`] can be read off it.

use crate::observation::{
    ConsentModeOrder, Observation, SeenCookie, SeenRequest, SeenStorage, State, StorageArea, What, third_party,
};
use chromiumoxide::Page;
use chromiumoxide::browser::Browser;
use chromiumoxide::cdp::browser_protocol::browser::BrowserContextId;
use chromiumoxide::cdp::browser_protocol::network::{
    EventLoadingFailed, EventLoadingFinished, EventRequestWillBeSent, Headers, ResourceType, SetCookieControlsParams,
    SetExtraHttpHeadersParams,
};
use chromiumoxide::cdp::browser_protocol::page::{AddScriptToEvaluateOnNewDocumentParams, CaptureScreenshotFormat};
use chromiumoxide::cdp::browser_protocol::storage::GetCookiesParams;
use chromiumoxide::cdp::browser_protocol::target::CreateTargetParams;
use chromiumoxide::cdp::js_protocol::runtime::EvaluateParams;
use chromiumoxide::page::ScreenshotParams;
use futures_util::StreamExt;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use url::Url;

/// Run before the page's own scripts in every frame (see the file).
const PAGE_SCRIPT: &str = include_str!("page_script.js");
/// Global Privacy Control, as a browser that sends it shows it to scripts.
const GPC_SCRIPT: &str = "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', \
                          { configurable: true, enumerable: true, get: () => true });";
/// The network counts as quiet after this long with nothing started or finished.
const QUIET: Duration = Duration::from_millis(500);
/// A request still open after this long (a long poll, a stream) no longer holds quiet back.
const LONG_REQUEST: Duration = Duration::from_secs(5);
/// Hosts whose requests are Google tags, for Consent Mode's order.
const GOOGLE_TAG_HOSTS: [&str; 5] = [
    "googletagmanager.com",
    "google-analytics.com",
    "googleadservices.com",
    "doubleclick.net",
    "googlesyndication.com",
];

/// A request as the browser announced it.
#[derive(Debug, Clone)]
struct Sent {
    url: String,
    resource_type: Option<ResourceType>,
    frame: Option<String>,
    initiator: Option<String>,
    at: f64,
}

#[derive(Debug)]
struct Traffic {
    sent: Vec<Sent>,
    open: HashMap<String, Instant>,
    last_change: Instant,
}

impl Traffic {
    fn quiet(&self, now: Instant) -> bool {
        let busy = self.open.values().any(|started| now.duration_since(*started) < LONG_REQUEST);
        !busy && now.duration_since(self.last_change) >= QUIET
    }
}

/// Where a navigation ended.
#[derive(Debug, Clone, Deserialize)]
pub struct Arrival {
    pub url: String,
    /// The HTTP status of the document (0 when the browser does not say).
    pub status: u16,
    #[serde(rename = "type")]
    pub content_type: String,
    /// Whether the network went quiet in time.
    #[serde(skip)]
    pub quiet: bool,
}

/// What one frame holds, read from inside it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct FrameNotes {
    origin: String,
    keys: Vec<(String, String)>,
    writers: Vec<Writer>,
    consent_default_at: Option<f64>,
    /// What Consent Widget's blocking dry run says it would hold.
    #[serde(default)]
    would_hold: Vec<WouldHold>,
}

#[derive(Debug, Clone, Deserialize)]
struct WouldHold {
    element: String,
    url: String,
    service: String,
    category: String,
}

#[derive(Debug, Clone, Deserialize)]
struct Writer {
    name: String,
    script: Option<String>,
    category: Option<String>,
}

pub struct Tab {
    pub page: Page,
    context: BrowserContextId,
    traffic: Arc<Mutex<Traffic>>,
    /// Which script wrote each cookie, gathered over the page views of this tab.
    writers: Mutex<BTreeMap<String, Writer>>,
    /// The storage keys seen over the page views of this state.
    storage: Mutex<BTreeSet<SeenStorage>>,
    /// When Consent Mode's default was set in the page now shown (unix ms), as last read.
    consent_default_at: Mutex<Option<f64>>,
    /// When the page now shown was asked for (unix ms): its Consent Mode order is its own.
    view_started: Mutex<f64>,
    /// What Consent Widget's blocking dry run said it would hold, as report lines.
    would_hold: Mutex<BTreeSet<String>>,
    listeners: Vec<tokio::task::JoinHandle<()>>,
    timeout: Duration,
}

impl Drop for Tab {
    fn drop(&mut self) {
        for listener in &self.listeners {
            listener.abort();
        }
    }
}

impl Tab {
    /// A blank tab in a new, empty browser profile; with `gpc`, one that sends Global Privacy
    /// Control. Call [`Tab::close`] when done, which removes the profile.
    pub async fn open(browser: &Browser, gpc: bool, timeout: Duration) -> Result<Tab, String> {
        let context = browser
            .create_browser_context(Default::default())
            .await
            .map_err(|error| format!("cannot make a browser profile: {error}"))?;
        let target = CreateTargetParams::builder()
            .url("about:blank")
            .browser_context_id(context.clone())
            .build()
            .map_err(|error| format!("cannot open a tab: {error}"))?;
        let page = match browser.new_page(target).await {
            Ok(page) => page,
            Err(error) => {
                let _ = browser.dispose_browser_context(context).await;
                return Err(format!("cannot open a tab: {error}"));
            }
        };
        let traffic =
            Arc::new(Mutex::new(Traffic { sent: Vec::new(), open: HashMap::new(), last_change: Instant::now() }));
        let mut tab = Tab {
            page,
            context,
            traffic,
            writers: Mutex::default(),
            storage: Mutex::default(),
            consent_default_at: Mutex::default(),
            would_hold: Mutex::default(),
            view_started: Mutex::new(0.0),
            listeners: Vec::new(),
            timeout,
        };
        if let Err(error) = tab.prepare(gpc).await {
            tab.close(browser).await;
            return Err(format!("cannot prepare a tab: {error}"));
        }
        Ok(tab)
    }

    async fn prepare(&mut self, gpc: bool) -> Result<(), chromiumoxide::error::CdpError> {
        let mut sent = self.page.event_listener::<EventRequestWillBeSent>().await?;
        let mut finished = self.page.event_listener::<EventLoadingFinished>().await?;
        let mut failed = self.page.event_listener::<EventLoadingFailed>().await?;
        let traffic = self.traffic.clone();
        self.listeners.push(tokio::spawn(async move {
            while let Some(event) = sent.next().await {
                let streaming = matches!(event.r#type, Some(ResourceType::WebSocket | ResourceType::EventSource));
                let initiator = event.initiator.url.clone().filter(|url| !url.is_empty()).or_else(|| {
                    event.initiator.stack.as_ref().and_then(|stack| {
                        stack.call_frames.iter().map(|frame| frame.url.clone()).find(|url| !url.is_empty())
                    })
                });
                let mut traffic = traffic.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                traffic.sent.push(Sent {
                    url: event.request.url.clone(),
                    resource_type: event.r#type.clone(),
                    frame: event.frame_id.as_ref().map(|frame| frame.inner().clone()),
                    initiator,
                    at: event.wall_time.inner() * 1000.0,
                });
                if !streaming {
                    traffic.open.insert(event.request_id.inner().clone(), Instant::now());
                }
                traffic.last_change = Instant::now();
            }
        }));
        for ended in [
            {
                let traffic = self.traffic.clone();
                tokio::spawn(async move {
                    while let Some(event) = finished.next().await {
                        settle(&traffic, event.request_id.inner());
                    }
                })
            },
            {
                let traffic = self.traffic.clone();
                tokio::spawn(async move {
                    while let Some(event) = failed.next().await {
                        settle(&traffic, event.request_id.inner());
                    }
                })
            },
        ] {
            self.listeners.push(ended);
        }
        // A fresh profile is an incognito one, where Chromium blocks third-party cookies; a
        // visitor's ordinary window takes them, and so must the scan, to see what they set.
        self.page.execute(SetCookieControlsParams::new(false, false, false)).await?;
        self.page.execute(AddScriptToEvaluateOnNewDocumentParams::new(PAGE_SCRIPT)).await?;
        if gpc {
            self.page.execute(AddScriptToEvaluateOnNewDocumentParams::new(GPC_SCRIPT)).await?;
            let headers = Headers::new(serde_json::json!({ "Sec-GPC": "1" }));
            self.page.execute(SetExtraHttpHeadersParams::new(headers)).await?;
        }
        Ok(())
    }

    /// Closes the tab and removes its profile with everything it stored.
    pub async fn close(self, browser: &Browser) {
        let context = self.context.clone();
        let _ = tokio::time::timeout(crate::chromium::COMMAND_TIMEOUT, self.page.clone().close()).await;
        let _ = tokio::time::timeout(crate::chromium::COMMAND_TIMEOUT, browser.dispose_browser_context(context)).await;
    }

    /// Goes to `url` and waits until the network is quiet (at most the page time limit).
    pub async fn go(&self, url: &str) -> Result<Arrival, String> {
        self.gather().await;
        let started = Instant::now();
        *self.view_started.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = unix_millis();
        match tokio::time::timeout(self.timeout, self.page.goto(url)).await {
            Ok(Ok(_)) => {}
            Ok(Err(error)) => return Err(navigation_problem(&error.to_string())),
            // It did not finish loading: judge what is there, as a visitor would see it.
            Err(_) => {}
        }
        let mut arrival: Arrival = self
            .eval(
                "(() => { const n = performance.getEntriesByType('navigation')[0]; \
                 return { url: location.href, status: n && n.responseStatus || 0, type: document.contentType }; })()",
            )
            .await?;
        if arrival.url.starts_with("chrome-error:") {
            return Err("the browser could not load it".into());
        }
        arrival.quiet = self.quiet(self.timeout.saturating_sub(started.elapsed())).await;
        Ok(arrival)
    }

    /// Waits until nothing has started or finished for a while, at most `limit`; false if the
    /// network was still busy then.
    pub async fn quiet(&self, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        loop {
            let now = Instant::now();
            if self.traffic.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).quiet(now) {
                return true;
            }
            if now >= deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Counts as network activity now: a quiet wait after a click lasts from the click on.
    pub fn touch(&self) {
        self.traffic.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).last_change = Instant::now();
    }

    /// Waits until the network is quiet, within the page time limit.
    pub async fn settle(&self) -> bool {
        self.quiet(self.timeout).await
    }

    /// A bookmark in the request log: [`Tab::observe`] counts only the requests after it.
    pub fn mark(&self) -> usize {
        self.traffic.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).sent.len()
    }

    /// Evaluates `expression` in the page's main frame and reads its value.
    pub async fn eval<T: DeserializeOwned>(&self, expression: &str) -> Result<T, String> {
        let result = tokio::time::timeout(crate::chromium::COMMAND_TIMEOUT, self.page.evaluate(expression))
            .await
            .map_err(|_| "the page did not answer".to_string())?
            .map_err(|error| error.to_string())?;
        result.into_value().map_err(|error| error.to_string())
    }

    /// The same-origin-or-not addresses of every link on the page.
    pub async fn links(&self) -> Vec<String> {
        self.eval("Array.from(document.querySelectorAll('a[href]'), (link) => link.href)").await.unwrap_or_default()
    }

    /// Reads every frame's storage keys and notes, keeping them for this tab's observation.
    async fn gather(&self) {
        let Ok(frames) = self.page.frames().await else { return };
        let main_frame = self.page.mainframe().await.ok().flatten();
        for frame in frames {
            let main = Some(&frame) == main_frame.as_ref();
            let Ok(Some(context)) = self.page.frame_execution_context(frame).await else { continue };
            let evaluation =
                EvaluateParams::builder().expression(FRAME_NOTES).context_id(context).return_by_value(true).build();
            let Ok(evaluation) = evaluation else { continue };
            let Ok(Ok(answer)) =
                tokio::time::timeout(crate::chromium::COMMAND_TIMEOUT, self.page.execute(evaluation)).await
            else {
                continue;
            };
            let Some(notes) =
                answer.result.result.value.and_then(|value| serde_json::from_value::<FrameNotes>(value).ok())
            else {
                continue;
            };
            if main {
                *self.consent_default_at.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) =
                    notes.consent_default_at;
            }
            self.keep(notes);
        }
    }

    fn keep(&self, notes: FrameNotes) {
        let mut would_hold = self.would_hold.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        for held in notes.would_hold {
            would_hold.insert(format!(
                "blocking dry run: \"untagged\" would hold <{}> {} (service `{}`) until consent to `{}`",
                held.element, held.url, held.service, held.category
            ));
        }
        drop(would_hold);
        let mut writers = self.writers.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        for writer in notes.writers {
            writers.entry(writer.name.clone()).or_insert(writer);
        }
        if notes.origin != "null" {
            let mut storage = self.storage.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            for (area, key) in notes.keys {
                let area = if area == "session" { StorageArea::Session } else { StorageArea::Local };
                storage.insert(SeenStorage { area, origin: notes.origin.clone(), key, third_party: false });
            }
        }
    }

    /// What `page` holds and has sent since `since` (a [`Tab::mark`]), as state `state`; the
    /// storage keys of every page view of this tab since [`Tab::forget_storage`].
    pub async fn observe(
        &self,
        browser: &Browser,
        page: &str,
        state: State,
        since: usize,
        screenshot: bool,
    ) -> Observation {
        self.gather().await;
        let mut observation = Observation::new(page, state);
        let page_host = Url::parse(page).ok().and_then(|url| url.host_str().map(str::to_string)).unwrap_or_default();
        let now =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
        let writers = self.writers.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone();
        let cookies = tokio::time::timeout(
            crate::chromium::COMMAND_TIMEOUT,
            browser.execute(GetCookiesParams::builder().browser_context_id(self.context.clone()).build()),
        )
        .await;
        match cookies {
            Ok(Ok(answer)) => {
                for cookie in &answer.result.cookies {
                    let expires = (!cookie.session && cookie.expires > 0.0).then_some(cookie.expires as i64);
                    let writer = writers.get(&cookie.name);
                    observation.cookies.push(SeenCookie {
                        name: cookie.name.clone(),
                        domain: cookie.domain.clone(),
                        path: cookie.path.clone(),
                        expires,
                        lifetime_seconds: expires.map(|expires| expires - now),
                        http_only: cookie.http_only,
                        secure: cookie.secure,
                        same_site: cookie.same_site.as_ref().map(|same_site| same_site.as_ref().to_string()),
                        third_party: third_party(cookie.domain.trim_start_matches('.'), &page_host),
                        set_by: writer.and_then(|writer| writer.script.clone()),
                        set_by_category: writer.and_then(|writer| writer.category.clone()),
                    });
                }
                observation.cookies.sort_by(|a, b| (&a.name, &a.domain).cmp(&(&b.name, &b.domain)));
            }
            _ => observation.notes.push("the browser did not give its cookies".into()),
        }
        for mut key in self.storage.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).iter().cloned() {
            let host =
                Url::parse(&key.origin).ok().and_then(|url| url.host_str().map(str::to_string)).unwrap_or_default();
            key.third_party = third_party(&host, &page_host);
            observation.storage.push(key);
        }
        let main_frame = self.page.mainframe().await.ok().flatten().map(|frame| frame.inner().clone());
        let all = self.traffic.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).sent.clone();
        // Consent Mode's order is the page's now shown: its default against its first Google tag.
        let view_started = *self.view_started.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(first) = all.iter().find(|request| request.at >= view_started && is_google_tag(&request.url)) {
            observation.consent_mode.first_google_request = Some(first.url.clone());
            observation.consent_mode.first_google_request_at = Some(first.at);
        }
        let sent = &all[since.min(all.len())..];
        let mut scripts = BTreeSet::new();
        let mut iframes = BTreeSet::new();
        for request in sent {
            let Ok(url) = Url::parse(&request.url) else { continue };
            let Some(host) = url.host_str() else { continue };
            let what = match request.resource_type {
                Some(ResourceType::Script) => What::Script,
                Some(ResourceType::Document) if request.frame != main_frame => What::Iframe,
                Some(ResourceType::Document) => continue,
                _ => What::Request,
            };
            match what {
                What::Script => scripts.insert(request.url.clone()),
                What::Iframe => iframes.insert(request.url.clone()),
                _ => false,
            };
            if third_party(host, &page_host) {
                observation.requests.push(SeenRequest {
                    url: request.url.clone(),
                    host: host.to_ascii_lowercase(),
                    what,
                    resource_type: request.resource_type.as_ref().map_or("Other", |kind| kind.as_ref()).to_string(),
                    initiator: request.initiator.clone(),
                    at: request.at,
                });
            }
        }
        observation.scripts = scripts.into_iter().collect();
        observation.iframes = iframes.into_iter().collect();
        observation
            .notes
            .extend(self.would_hold.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).iter().cloned());
        observation.consent_mode = ConsentModeOrder {
            default_at: *self.consent_default_at.lock().unwrap_or_else(|poisoned| poisoned.into_inner()),
            ..observation.consent_mode
        };
        if screenshot {
            let params = ScreenshotParams::builder().format(CaptureScreenshotFormat::Jpeg).quality(55).build();
            if let Ok(Ok(image)) =
                tokio::time::timeout(crate::chromium::COMMAND_TIMEOUT, self.page.screenshot(params)).await
            {
                observation.screenshot = Some(image);
            }
        }
        observation
    }

    /// Starts a new state's record of storage keys (cookies are always read whole, from the
    /// profile).
    pub fn forget_storage(&self) {
        self.storage.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clear();
    }
}

fn is_google_tag(url: &str) -> bool {
    Url::parse(url).ok().and_then(|url| url.host_str().map(str::to_ascii_lowercase)).is_some_and(|host| {
        GOOGLE_TAG_HOSTS.iter().any(|google| host == *google || host.ends_with(&format!(".{google}")))
    })
}

fn unix_millis() -> f64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs_f64() * 1000.0).unwrap_or(0.0)
}

fn settle(traffic: &Mutex<Traffic>, request: &str) {
    let mut traffic = traffic.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if traffic.open.remove(request).is_some() {
        traffic.last_change = Instant::now();
    }
}

/// Chromium's network error, said for a site owner.
fn navigation_problem(error: &str) -> String {
    let code = error.split_whitespace().find(|word| word.starts_with("net::ERR_")).unwrap_or(error);
    let meaning = if code.contains("NAME_NOT_RESOLVED") {
        "the host name does not resolve"
    } else if code.contains("CONNECTION_REFUSED") {
        "the connection was refused"
    } else if code.contains("CERT") || code.contains("SSL") {
        "TLS error (for a staging server's own certificate, add --insecure)"
    } else if code.contains("TIMED_OUT") {
        "the connection timed out"
    } else {
        "the browser could not load it"
    };
    format!("{meaning} ({code})")
}

/// Read in each frame: its storage keys (none where the frame may not use storage), which
/// script wrote each cookie and when Consent Mode's default came (page_script.js).
const FRAME_NOTES: &str = "(() => {
  const keys = [];
  for (const [area, open] of [['local', () => window.localStorage], ['session', () => window.sessionStorage]]) {
    try { const store = open(); for (let i = 0; i < store.length; i++) keys.push([area, store.key(i)]); } catch (ignored) {}
  }
  const notes = window.__consentScan || { cookieWriters: [], consentDefaultAt: null, wouldHold: [] };
  return { origin: location.origin, keys, writers: notes.cookieWriters, consentDefaultAt: notes.consentDefaultAt, wouldHold: notes.wouldHold };
})()";
