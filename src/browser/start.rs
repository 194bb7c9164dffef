//! Start-up, up to the app: take the configuration the loader read (or `init(config)`), fall
//! back to a safe one when it is broken, read the stored consent, and find where the app renders:
//! beside the banner the loader showed, to take its place, or in a root of its own.

use super::handoff::Handoff;
use super::{api, host, page, records};
use crate::core::catalogue;
use crate::core::config::Config;
use crate::core::consent::{Action, Standing, State};
use crate::core::language;
use gloo_events::EventListener;
use std::rc::Rc;
use web_sys::Element;

/// The configuration: the site's, its presets written out from the catalogue entries fetched
/// for it, or the safe fallback when it is broken (with one console error naming the field);
/// `true` when it is the site's.
pub fn configuration(json: Result<String, String>) -> (Rc<Config>, bool) {
    let read = |text: String| catalogue::read_config(&text, super::catalogue::entry).map_err(|error| error.to_string());
    match json.and_then(read) {
        Ok(config) => {
            for warning in config.warnings() {
                page::console_warn(&format!("configuration `{}` {}", warning.path, warning.message));
            }
            (Rc::new(config), true)
        }
        Err(message) => {
            page::console_error(&format!("{message}. Showing a banner that can grant only the necessary category."));
            (Rc::new(Config::safe_fallback(&page::hostname())), false)
        }
    }
}

/// Runs `then` once the page has a body.
pub fn when_body(then: impl FnOnce() + 'static) {
    let Some(document) = page::document() else { return };
    if document.body().is_some() {
        then();
        return;
    }
    api::keep_listener(EventListener::once(&document, "DOMContentLoaded", move |_| then()));
}

/// What the app starts with.
pub struct Start {
    pub config: Rc<Config>,
    /// The state on page load.
    pub state: State,
    /// Where the app renders.
    pub root: Element,
    /// The banner the loader showed, whose place the app's first render takes.
    pub replaces: Option<Element>,
    /// "Accept all" or "Reject all" clicked on the loader's banner, and when.
    pub decision: Option<(Action, f64)>,
    /// A dialog asked for on the loader's banner.
    pub opening: Option<Action>,
}

/// Starts a new session on the page (the previous one's listeners gone) and says how the app
/// starts. The loader's banner is replaced when it is exactly what the app renders first: the
/// configuration it was built from is the one in force, and nothing was decided on it;
/// otherwise its element is emptied and the app renders into it.
pub fn prepare(config: Rc<Config>, handoff: Handoff, config_in_force: bool) -> Option<Start> {
    api::end();
    let chosen = handoff.language.filter(|code| config.languages.enabled.contains(code));
    let language = chosen.unwrap_or_else(|| {
        language::detect(&config.languages, page::page_language().as_deref(), &page::browser_languages())
    });
    let now = page::now();
    let stored = page::read_consent(&config.cookie.name).filter(|stored| match stored.consent.standing(&config, now) {
        Standing::Untrusted { field } => {
            page::console_warn(&format!("untrusted consent cookie (`{field}`); asking again"));
            false
        }
        Standing::Current | Standing::Outdated => true,
    });
    let confirmed_under = stored.as_ref().and_then(|stored| stored.confirmed_under.clone());
    let state = State::start(&config, stored.map(|stored| stored.consent), language, now)
        .with_gpc(page::global_privacy_control());
    if let Some(consent) = &state.consent {
        confirm(&config, consent, confirmed_under);
    }
    let takes_place = handoff.shown && config_in_force && handoff.decision.is_none() && state.banner;
    let loader_made_host = handoff.container.is_some();
    if let Some(container) = &handoff.container {
        host::complete_styles(container);
    }
    let (root, replaces) = match handoff.container {
        Some(shown) if takes_place => (page::document()?.create_element("div").ok()?, Some(shown)),
        Some(container) => {
            host::empty(&container);
            (container, None)
        }
        None => {
            host::remove_render_root();
            let Some(root) = host::create_render_root() else {
                page::console_error("cannot create the widget's root element");
                return None;
            };
            (root, None)
        }
    };
    host::apply_appearance(replaces.as_ref().unwrap_or(&root), &config, loader_made_host);
    if let Some(listener) = host::listen_for_page_hooks() {
        api::keep_listener(listener);
    }
    if let Some(listener) = config.records.as_ref().and_then(|settings| records::start(settings.endpoint.clone())) {
        api::keep_listener(listener);
    }
    // A consent given before the browser sent Global Privacy Control yields to the signal now,
    // for what it keeps off, unless the visitor confirmed against it (recorded as `gpc`).
    let honour_gpc =
        state.gpc && state.consent.as_ref().is_some_and(|consent| !consent.gpc_withheld(&config).is_empty());
    let decision = handoff.decision.or_else(|| honour_gpc.then(|| (Action::HonourGpc, js_sys::Date::now())));
    Some(Start { config, state, root, replaces, decision, opening: handoff.open })
}

/// Marks the stored consent, found current, with this configuration's digest, so that on the
/// next page view the loader runs what it allows as soon as it reads the same configuration.
/// `confirmed_under` is the digest the cookie carries now.
fn confirm(config: &Config, consent: &crate::core::consent::Consent, confirmed_under: Option<String>) {
    if config.digest.is_some() && confirmed_under != config.digest {
        // A consent still current under a text that differs: the same revision edited, or an
        // inline copy that differs from another page's, which costs the fast path on every
        // change of page. Only the site owner can tell which.
        if let (Some(before), Some(now)) = (&confirmed_under, &config.digest) {
            page::console_warn(&format!(
                "the configuration's text differs from the one the stored consent was confirmed under on an \
                 earlier page view (digest {before}, here {now}), under the same revision: if several pages \
                 carry it inline, make them byte-identical copies (or load one file with data-config), or each \
                 change of page waits for the wasm before its tags run"
            ));
        }
        page::write_consent(config, consent);
    }
}
