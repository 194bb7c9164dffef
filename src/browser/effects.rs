//! What a decision means for the page, carried out after the app has rendered it: the cookie,
//! the tags, Google's signals, the events and the proof-of-consent record.

use super::{consent_mode, events, gating, page, records};
use crate::core::config::Config;
use crate::core::consent::Effect;
use crate::core::i18n::Locale;
use crate::core::json::Json;
use crate::core::record::{ConsentRecord, shown_text};
use std::rc::Rc;

/// An effect of a visitor's decision, with the locale they saw when deciding and when they
/// decided (Unix milliseconds).
#[derive(Debug, Clone, PartialEq)]
pub struct Decided {
    pub effect: Effect,
    pub locale: Rc<Locale>,
    pub at: f64,
}

pub fn carry_out(config: &Config, decided: &Decided) {
    let Decided { effect, locale, at } = decided;
    let cookie = &config.cookie;
    match effect {
        Effect::StoreConsent { consent, previous } => {
            page::write_consent(config, consent);
            let withdrawn = gating::apply(config, previous.as_deref(), consent);
            consent_mode::update(config, Some(consent));
            if previous.is_none() {
                events::emit("consent", &consent.to_json());
            }
            let changed = crate::core::gating::changed(previous.as_deref(), consent);
            events::emit(
                "change",
                &Json::object([
                    ("consent", consent.to_json()),
                    ("changed", Json::strings(&changed)),
                    ("withdrawn", Json::strings(&withdrawn)),
                ]),
            );
            if !withdrawn.is_empty() {
                let ran = gating::ran(&withdrawn);
                if config.reload_on_withdraw {
                    page::reload_soon();
                } else if ran > 0 {
                    // What cannot be stopped is said, for the site owner to see.
                    page::console_warn(&format!(
                        "consent withdrawn for {}; the tags of these categories that already ran on this page \
                         ({ran}) keep running until it is reloaded (reloadOnWithdraw is off)",
                        withdrawn.join(", ")
                    ));
                }
            }
            if let Some(settings) = &config.records {
                let (origin, path) = records::page_origin_and_path();
                let record =
                    ConsentRecord::for_decision(config, locale, consent, page::new_id(), &origin, &path, *at as i64);
                records::deliver(settings.endpoint.clone(), record, shown_text(locale, config));
            }
        }
        Effect::ForgetConsent { previous } => {
            page::forget_consent(&cookie.name, cookie.domain.as_deref());
            if let Some(previous) = previous {
                gating::forget(config, previous);
            }
            consent_mode::update(config, None);
            events::emit("reset", &Json::object([]));
        }
    }
}
