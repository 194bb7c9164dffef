//! One page, visited in every state as a visitor would: three fresh browser profiles side by
//! side (first visit then Reject all; Accept all then withdrawal; Global Privacy Control).

use crate::buttons::{self, Control};
use crate::observation::{Observation, State};
use crate::options::Options;
use crate::site_config::SiteConfig;
use crate::tab::{Arrival, Tab};
use chromiumoxide::browser::Browser;
use chromiumoxide::cdp::browser_protocol::dom::BackendNodeId;
use serde::Serialize;
use std::time::{Duration, Instant};
use url::Url;

/// How long a banner may take to show once the page is quiet.
const BANNER_WAIT: Duration = Duration::from_secs(10);

/// A state that could not be reached on a page, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NotReached {
    pub state: State,
    pub reason: String,
}

/// Everything one page gave.
#[derive(Debug, Default)]
pub struct PageVisit {
    pub observations: Vec<Observation>,
    pub not_reached: Vec<NotReached>,
    /// Why the page could not be scanned at all.
    pub problem: Option<String>,
    pub links: Vec<String>,
    /// The configuration the page carries, when asked for.
    pub config: Option<SiteConfig>,
}

/// The three browser profiles a page is visited in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Profile {
    FirstThenReject,
    AcceptThenWithdraw,
    GlobalPrivacyControl,
}

/// Visits `page` in every state; with `read_config`, also reads the configuration it carries.
pub async fn visit(browser: &Browser, page: &Url, options: &Options, read_config: bool) -> PageVisit {
    let (first, accepted, gpc) = tokio::join!(
        in_profile(browser, page, options, Profile::FirstThenReject, read_config),
        in_profile(browser, page, options, Profile::AcceptThenWithdraw, false),
        in_profile(browser, page, options, Profile::GlobalPrivacyControl, false),
    );
    let mut visit = PageVisit::default();
    for part in [first, accepted, gpc] {
        match part {
            Ok(part) => {
                visit.observations.extend(part.observations);
                visit.not_reached.extend(part.not_reached);
                visit.links.extend(part.links);
                visit.config = visit.config.or(part.config);
                // The first problem says it: they are the same page's.
                visit.problem = visit.problem.or(part.problem);
            }
            Err(problem) => visit.problem = visit.problem.or(Some(problem)),
        }
    }
    if visit.problem.is_some() {
        // A page that could not be reached in one profile is not judged on the others' halves.
        visit.observations.clear();
        visit.not_reached.clear();
    }
    visit.observations.sort_by_key(|observation| observation.state);
    visit
}

/// Runs a profile's steps in a tab of a fresh profile, closed afterwards whatever happened.
async fn in_profile(
    browser: &Browser,
    page: &Url,
    options: &Options,
    profile: Profile,
    read_config: bool,
) -> Result<PageVisit, String> {
    let tab = Tab::open(browser, profile == Profile::GlobalPrivacyControl, options.page_timeout).await?;
    let visit = match profile {
        Profile::FirstThenReject => first_then_reject(&tab, browser, page, options, read_config).await,
        Profile::AcceptThenWithdraw => accept_then_withdraw(&tab, browser, page, options).await,
        Profile::GlobalPrivacyControl => global_privacy_control(&tab, browser, page, options).await,
    };
    tab.close(browser).await;
    Ok(visit)
}

/// Goes to the page and checks that it is a page of the site that can be judged.
async fn arrive(tab: &Tab, page: &Url) -> Result<Arrival, String> {
    let arrival = tab.go(page.as_str()).await?;
    let landed = Url::parse(&arrival.url).map_err(|_| format!("landed on `{}`", arrival.url))?;
    if landed.origin() != page.origin() {
        return Err(format!("redirected off the site, to {}", landed));
    }
    if arrival.status >= 400 {
        return Err(format!("HTTP {}", arrival.status));
    }
    if !matches!(arrival.content_type.as_str(), "text/html" | "application/xhtml+xml") {
        return Err(format!("not an HTML page ({})", arrival.content_type));
    }
    Ok(arrival)
}

/// How long a consent manager may take to store a choice once its button is pressed.
const CHOICE_WAIT: Duration = Duration::from_secs(5);

/// Presses a consent button and waits until the choice is stored (the page's cookies or
/// storage change; a widget whose wasm is still loading applies the click once it runs), so
/// that the next page view starts from the choice made. Says so when it never was.
async fn choose(tab: &Tab, button: BackendNodeId, notes: &mut Vec<String>) -> Result<(), String> {
    let before: Option<String> = tab.eval(STORED).await.ok();
    buttons::press(tab, button).await?;
    tab.touch();
    let deadline = Instant::now() + CHOICE_WAIT;
    loop {
        // A page that navigates away as it stores the choice has changed too.
        let now: Option<String> = tab.eval(STORED).await.ok();
        if now.is_none() || now != before {
            return Ok(());
        }
        if Instant::now() >= deadline {
            notes.push(format!("the choice was not stored within {} s", CHOICE_WAIT.as_secs()));
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// What a consent manager stores a choice in, as the page sees it.
const STORED: &str = "(() => { let keys = ''; try { keys = Object.keys(localStorage).sort().join(','); } catch (ignored) {} \
                      return document.cookie + '|' + keys; })()";

fn not_quiet(options: &Options) -> String {
    format!("the network never went quiet within {} s: judged as it was then", options.page_timeout.as_secs())
}

/// The next page view after a choice; a page that reloads itself meanwhile is waited for.
async fn next_view(tab: &Tab, page: &Url, observation_notes: &mut Vec<String>, options: &Options) {
    tab.settle().await;
    let arrived = match tab.go(page.as_str()).await {
        Ok(arrival) => Ok(arrival),
        Err(_) => {
            tab.settle().await;
            tab.go(page.as_str()).await
        }
    };
    match arrived {
        Ok(arrival) if !arrival.quiet => observation_notes.push(not_quiet(options)),
        Ok(_) => {}
        Err(problem) => observation_notes.push(format!("the next page view failed: {problem}")),
    }
}

async fn first_then_reject(
    tab: &Tab,
    browser: &Browser,
    page: &Url,
    options: &Options,
    read_config: bool,
) -> PageVisit {
    let mut visit = PageVisit::default();
    let arrival = match arrive(tab, page).await {
        Ok(arrival) => arrival,
        Err(problem) => {
            visit.problem = Some(problem);
            return visit;
        }
    };
    if read_config {
        visit.config = Some(SiteConfig::from_page(tab, page.as_str()).await);
    }
    visit.links = tab.links().await;
    let mut first = tab.observe(browser, page.as_str(), State::FirstVisit, 0, options.screenshots()).await;
    if !arrival.quiet {
        first.notes.push(not_quiet(options));
    }
    visit.observations.push(first);

    let Some(reject) = buttons::find(tab, Control::RejectAll, BANNER_WAIT).await else {
        visit.not_reached.push(NotReached { state: State::Reject, reason: "no Reject all button found".into() });
        return visit;
    };
    tab.forget_storage();
    let since = tab.mark();
    let mut notes = Vec::new();
    if let Err(problem) = choose(tab, reject, &mut notes).await {
        visit.not_reached.push(NotReached { state: State::Reject, reason: problem });
        return visit;
    }
    next_view(tab, page, &mut notes, options).await;
    let mut rejected = tab.observe(browser, page.as_str(), State::Reject, since, options.screenshots()).await;
    rejected.notes.extend(notes);
    visit.observations.push(rejected);
    visit
}

async fn accept_then_withdraw(tab: &Tab, browser: &Browser, page: &Url, options: &Options) -> PageVisit {
    let mut visit = PageVisit::default();
    if let Err(problem) = arrive(tab, page).await {
        visit.problem = Some(problem);
        return visit;
    }
    let Some(accept) = buttons::find(tab, Control::AcceptAll, BANNER_WAIT).await else {
        for state in [State::Accept, State::Withdraw] {
            visit.not_reached.push(NotReached { state, reason: "no Accept all button found".into() });
        }
        return visit;
    };
    let since = tab.mark();
    let mut notes = Vec::new();
    if let Err(problem) = choose(tab, accept, &mut notes).await {
        for state in [State::Accept, State::Withdraw] {
            visit.not_reached.push(NotReached { state, reason: problem.clone() });
        }
        return visit;
    }
    next_view(tab, page, &mut notes, options).await;
    let mut accepted = tab.observe(browser, page.as_str(), State::Accept, since, options.screenshots()).await;
    accepted.notes.extend(notes);
    visit.observations.push(accepted);

    tab.forget_storage();
    let Some(how) = buttons::reopen_settings(tab, options.page_timeout).await else {
        visit
            .not_reached
            .push(NotReached { state: State::Withdraw, reason: "could not reopen the consent settings".into() });
        return visit;
    };
    let Some(reject) = buttons::find(tab, Control::RejectAll, BANNER_WAIT).await else {
        visit.not_reached.push(NotReached {
            state: State::Withdraw,
            reason: format!("no Reject all button in the settings opened by {how}"),
        });
        return visit;
    };
    let since = tab.mark();
    let mut notes = Vec::new();
    if let Err(problem) = choose(tab, reject, &mut notes).await {
        visit.not_reached.push(NotReached { state: State::Withdraw, reason: problem });
        return visit;
    }
    next_view(tab, page, &mut notes, options).await;
    let mut withdrawn = tab.observe(browser, page.as_str(), State::Withdraw, since, options.screenshots()).await;
    withdrawn.notes.extend(notes);
    visit.observations.push(withdrawn);
    visit
}

async fn global_privacy_control(tab: &Tab, browser: &Browser, page: &Url, options: &Options) -> PageVisit {
    let mut visit = PageVisit::default();
    let arrival = match arrive(tab, page).await {
        Ok(arrival) => arrival,
        Err(problem) => {
            visit.problem = Some(problem);
            return visit;
        }
    };
    let mut observation = tab.observe(browser, page.as_str(), State::Gpc, 0, options.screenshots()).await;
    if !arrival.quiet {
        observation.notes.push(not_quiet(options));
    }
    visit.observations.push(observation);
    visit
}
