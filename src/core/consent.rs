//! The consent state machine: given the configuration, what is stored and what the visitor
//! does, [`decide`] returns the new state and the effects the browser must carry out.

use super::btree;
use super::config::Config;
use super::json::{Field, Json, JsonError};
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

/// How a consent came about; also the `method` of its proof-of-consent record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Method {
    AcceptAll,
    RejectAll,
    Custom,
    Withdraw,
    Gpc,
}

impl Method {
    pub const ALL: [Method; 5] = [Method::AcceptAll, Method::RejectAll, Method::Custom, Method::Withdraw, Method::Gpc];

    /// The name in the cookie, the record and the events: `reject_all`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::AcceptAll => "accept_all",
            Method::RejectAll => "reject_all",
            Method::Custom => "custom",
            Method::Withdraw => "withdraw",
            Method::Gpc => "gpc",
        }
    }

    pub fn read(field: &Field) -> Result<Method, JsonError> {
        let name = field.str()?;
        Method::ALL.into_iter().find(|method| method.as_str() == name).ok_or_else(|| {
            let names: Vec<String> = Method::ALL.iter().map(|method| format!("`{}`", method.as_str())).collect();
            field.error(format!("unknown method `{name}`, expected one of {}", names.join(", ")))
        })
    }
}

/// A visitor's stored decision.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", deny_unknown_fields))]
pub struct Consent {
    /// The visitor's own key for their consent history; kept across later changes.
    pub id: Uuid,
    /// Granted categories, required ones included.
    pub categories: BTreeSet<String>,
    /// Granted services, by category.
    #[cfg_attr(feature = "serde", serde(deserialize_with = "super::serde_codec::forms::unique_map"))]
    pub services: BTreeMap<String, BTreeSet<String>>,
    pub revision: u32,
    pub language: String,
    pub method: Method,
    /// Unix seconds of the first decision, the latest one, and when the consent lapses.
    pub first_consent: i64,
    pub last_consent: i64,
    pub expires: i64,
    /// Categories the visitor granted against Global Privacy Control after seeing the conflict:
    /// the signal does not withhold them (see [`Consent::gpc_withheld`]).
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "BTreeSet::is_empty"))]
    pub gpc_confirmed: BTreeSet<String>,
    /// The [`vendor_digest`] of the granted categories when the visitor decided: a new service or
    /// provider in one of them asks again, with no `revision` bump. None in cookies of earlier
    /// versions, which the revision alone governs.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub vendors: Option<String>,
}

/// The services and providers of `categories` (by id) in `config`, as a digest: what a consent
/// to those categories was given for.
pub fn vendor_digest(config: &Config, categories: &BTreeSet<String>) -> String {
    let mut text = String::new();
    for category in config.categories.iter().filter(|category| categories.contains(&category.id)) {
        for service in &category.services {
            text.push_str(&format!("{}|{}|{}\n", category.id, service.id, service.provider));
        }
    }
    super::cookie::config_digest(&text)
}

impl Consent {
    /// The cookie's JSON: `{"id":"...","categories":[...],"services":{...},"revision":1,...}`.
    pub fn to_json(&self) -> Json {
        let mut members = vec![
            ("id".to_string(), Json::from(self.id.to_string())),
            ("categories".to_string(), Json::strings(&self.categories)),
            ("services".to_string(), services_json(&self.services)),
            ("revision".to_string(), Json::from(self.revision)),
            ("language".to_string(), Json::from(self.language.as_str())),
            ("method".to_string(), Json::from(self.method.as_str())),
            ("firstConsent".to_string(), Json::from(self.first_consent)),
            ("lastConsent".to_string(), Json::from(self.last_consent)),
            ("expires".to_string(), Json::from(self.expires)),
        ];
        // Written only when there is one: most cookies stay as they were.
        if !self.gpc_confirmed.is_empty() {
            members.push(("gpcConfirmed".to_string(), Json::strings(&self.gpc_confirmed)));
        }
        if let Some(vendors) = &self.vendors {
            members.push(("vendors".to_string(), Json::from(vendors.as_str())));
        }
        Json::Object(members)
    }

    pub fn read(field: &Field) -> Result<Consent, JsonError> {
        let members = field.object(&[
            "id",
            "categories",
            "services",
            "revision",
            "language",
            "method",
            "firstConsent",
            "lastConsent",
            "expires",
            "gpcConfirmed",
            "vendors",
        ])?;
        Ok(Consent {
            id: read_uuid(&members.required("id")?)?,
            categories: read_set(&members.required("categories")?)?,
            services: read_services(&members.required("services")?)?,
            revision: members.required("revision")?.integer()?,
            language: members.required("language")?.string()?,
            method: Method::read(&members.required("method")?)?,
            first_consent: members.required("firstConsent")?.integer()?,
            last_consent: members.required("lastConsent")?.integer()?,
            expires: members.required("expires")?.integer()?,
            gpc_confirmed: members.read("gpcConfirmed", read_set)?.unwrap_or_default(),
            vendors: members.read("vendors", Field::string)?,
        })
    }

    /// Whether this stored consent still answers the question the site asks now.
    pub fn is_current(&self, config: &Config, now: i64) -> bool {
        self.standing(config, now) == Standing::Current
    }

    /// How this stored consent stands against the configuration at `now` (Unix seconds).
    pub fn standing(&self, config: &Config, now: i64) -> Standing {
        if self.revision != config.revision || self.expires <= now {
            return Standing::Outdated;
        }
        if let Err(field) = self.check(config, now) {
            return Standing::Untrusted { field };
        }
        if !config.required_categories().is_subset(&self.categories) {
            return Standing::Outdated;
        }
        // A service or provider added or changed in a granted category: asked again.
        if self.vendors.as_ref().is_some_and(|vendors| *vendors != vendor_digest(config, &self.categories)) {
            return Standing::Outdated;
        }
        Standing::Current
    }

    /// The field breaking the first rule that every consent the widget writes under `config`
    /// keeps. The cookie is input like any other: a visitor or a script can write anything.
    fn check(&self, config: &Config, now: i64) -> Result<(), &'static str> {
        let fail = |field| Err(field);
        if !ISSUED_ID_VERSIONS.contains(&self.id.get_version_num()) {
            return fail("id");
        }
        if self.last_consent > now + MAX_CLOCK_SKEW_SECONDS {
            return fail("lastConsent");
        }
        if self.first_consent > self.last_consent {
            return fail("firstConsent");
        }
        if self.expires - self.last_consent > i64::from(config.cookie.lifetime_days) * 86_400 {
            return fail("expires");
        }
        if self.categories.iter().any(|id| config.category(id).is_none()) {
            return fail("categories");
        }
        // A category not granted may still hold services allowed one by one (AcceptService).
        for (category, services) in &self.services {
            let configured = config.category(category);
            let known = |id: &String| configured.is_some_and(|c| c.services.iter().any(|service| &service.id == id));
            if !services.iter().all(known) || configured.is_none() {
                return fail("services");
            }
        }
        if !config.languages.enabled.contains(&self.language) {
            return fail("language");
        }
        if !self.gpc_confirmed.is_subset(&self.categories) {
            return fail("gpcConfirmed");
        }
        Ok(())
    }

    pub fn grants(&self, category: &str) -> bool {
        self.categories.contains(category)
    }

    /// The categories this consent grants that Global Privacy Control keeps off (marked `gpc`)
    /// and the visitor did not grant against the signal: while the browser sends it, they count
    /// as withdrawn, whenever the consent was given. (js/stored-consent.js applies the same rule
    /// before the wasm runs.)
    pub fn gpc_withheld(&self, config: &Config) -> BTreeSet<String> {
        btree::set(
            self.categories
                .iter()
                .filter(|id| {
                    config.category(id).is_some_and(|category| category.gpc) && !self.gpc_confirmed.contains(*id)
                })
                .cloned(),
        )
    }
}

/// How a stored consent stands against the configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// It answers the question the site asks now.
    Current,
    /// It did once: it has expired, the site's revision has moved on, or a category became
    /// required. The visitor is asked again.
    Outdated,
    /// The widget could not have written it under this configuration: forged or corrupted,
    /// never trusted. `field` is the first one at fault, named as in the cookie.
    Untrusted { field: &'static str },
}

/// How far past the visitor's clock a stored time may lie: clocks get set right after the fact.
pub const MAX_CLOCK_SKEW_SECONDS: i64 = 300;

/// The UUID versions of consent ids the widget issues: time-ordered v7, and random v4 from its
/// first builds. Anything else in the cookie was not written by the widget.
const ISSUED_ID_VERSIONS: [usize; 2] = [4, 7];

pub(crate) fn read_uuid(field: &Field) -> Result<Uuid, JsonError> {
    let text = field.str()?;
    // try_parse, not parse_str: the same forms accepted, without the detailed error this drops.
    Uuid::try_parse(text).map_err(|_| field.error(format!("`{text}` is not a UUID")))
}

/// An array of strings, as a set.
pub(crate) fn read_set(field: &Field) -> Result<BTreeSet<String>, JsonError> {
    btree::try_set(field.array()?.iter().map(Field::string))
}

/// `{ "analytics": ["matomo"] }`: granted services by category.
pub(crate) fn read_services(field: &Field) -> Result<BTreeMap<String, BTreeSet<String>>, JsonError> {
    btree::try_map(
        field.entries()?.into_iter().map(|(category, services)| Ok((category.to_string(), read_set(&services)?))),
    )
}

pub(crate) fn services_json(services: &BTreeMap<String, BTreeSet<String>>) -> Json {
    Json::Object(services.iter().map(|(category, ids)| (category.clone(), Json::strings(ids))).collect())
}

/// The dialog shown over the page, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dialog {
    Preferences,
    /// The privacy policy, optionally scrolled to a section; `over_preferences` when it was
    /// opened from the preferences, to which closing it returns.
    Policy {
        section: Option<String>,
        over_preferences: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    pub consent: Option<Consent>,
    /// The first layer: shown until the visitor decides (or when a site asks for it).
    pub banner: bool,
    pub dialog: Option<Dialog>,
    /// The switches in the preferences panel, not yet saved.
    pub draft: BTreeSet<String>,
    pub language: String,
    /// The browser sends Global Privacy Control: categories marked `gpc` stay off unless the
    /// visitor, shown the conflict, confirms them one by one.
    pub gpc: bool,
    pub gpc_confirmed: BTreeSet<String>,
    /// A category the visitor tried to turn on against the signal, awaiting confirmation.
    pub gpc_conflict: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    AcceptAll,
    RejectAll,
    /// Save the preferences' switches as they stand.
    SaveChoices,
    Toggle {
        category: String,
        on: bool,
    },
    OpenPreferences,
    OpenPolicy {
        section: Option<String>,
    },
    /// The close button or Escape: never grants anything.
    CloseDialog,
    SetLanguage(String),
    ShowBanner,
    /// Grant exactly these categories (and the required ones), from the JavaScript API.
    AcceptCategories(Vec<String>),
    /// Allow one service beside what is granted ("Always allow YouTube" on an embed's
    /// placeholder): its category counts as granted only for it. Any later decision over
    /// categories replaces such allowances.
    AcceptService(String),
    /// Close the banner and any dialog without deciding anything.
    Hide,
    /// Forget the stored consent and ask again.
    Reset,
    /// Turn on a category against the browser's privacy signal, after seeing the conflict.
    ConfirmGpcOverride,
    CancelGpcOverride,
    /// On page load, under Global Privacy Control: withdraw what the stored consent grants that
    /// the signal keeps off and the visitor did not confirm against it (recorded as `gpc`).
    HonourGpc,
}

/// What the browser must do after a decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Store `consent`, which replaces `previous` (none on a first decision): what was
    /// withdrawn, what changed and whether it is the first are all read from the two.
    StoreConsent { consent: Consent, previous: Option<Box<Consent>> },
    /// Delete the consent cookie, and what the categories `previous` granted beyond the
    /// required ones stored, as a withdrawal does.
    ForgetConsent { previous: Option<Box<Consent>> },
}

/// What `decide` needs from the outside world, gathered by the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment {
    pub now: i64,
    /// A fresh id (a UUID v7 from the browser), used only if the visitor has no consent id yet.
    pub fresh_id: Uuid,
}

impl State {
    /// The state on page load: a stored consent that is still current hides the banner.
    pub fn start(config: &Config, stored: Option<Consent>, language: String, now: i64) -> State {
        let consent = stored.filter(|consent| consent.is_current(config, now));
        State {
            banner: consent.is_none(),
            dialog: None,
            draft: config.required_categories(),
            gpc_confirmed: consent.as_ref().map(|consent| consent.gpc_confirmed.clone()).unwrap_or_default(),
            consent,
            language,
            gpc: false,
            gpc_conflict: None,
        }
    }

    /// The same state, knowing whether the browser sends Global Privacy Control.
    pub fn with_gpc(mut self, gpc: bool) -> State {
        self.gpc = gpc;
        self
    }

    /// Whether the browser's signal keeps `category` off until the visitor overrides it.
    pub fn gpc_blocks(&self, config: &Config, category: &str) -> bool {
        self.gpc && config.category(category).is_some_and(|c| c.gpc) && !self.gpc_confirmed.contains(category)
    }

    /// Whether the category's switch is on in the preferences panel.
    pub fn draft_grants(&self, category: &str) -> bool {
        self.draft.contains(category)
    }
}

/// The pure transition function behind every visitor action.
pub fn decide(config: &Config, state: &State, action: Action, moment: Moment) -> (State, Vec<Effect>) {
    let mut next = state.clone();
    let mut effects = Vec::new();
    let mut record = |next: &mut State, categories: BTreeSet<String>, method: Method| {
        let consent = new_consent(config, state, categories, method, moment);
        next.consent = Some(consent.clone());
        next.banner = false;
        next.dialog = None;
        effects.push(Effect::StoreConsent { consent, previous: state.consent.clone().map(Box::new) });
    };
    match action {
        Action::AcceptAll => {
            // Under Global Privacy Control, "all" stops short of what the signal refuses.
            let allowed = btree::set(config.all_categories().into_iter().filter(|id| !state.gpc_blocks(config, id)));
            let method = if allowed == config.all_categories() { Method::AcceptAll } else { Method::Gpc };
            record(&mut next, allowed, method)
        }
        Action::RejectAll => {
            let method = if had_optional_consent(config, state) { Method::Withdraw } else { Method::RejectAll };
            record(&mut next, config.required_categories(), method)
        }
        Action::SaveChoices => {
            let mut chosen = btree::set(state.draft.iter().filter(|id| config.category(id).is_some()).cloned());
            chosen.extend(config.required_categories());
            let withdrawn = chosen == config.required_categories() && had_optional_consent(config, state);
            record(&mut next, chosen, if withdrawn { Method::Withdraw } else { Method::Custom })
        }
        Action::Toggle { category, on } => {
            let toggleable = config.category(&category).is_some_and(|c| !c.required);
            if on && state.gpc_blocks(config, &category) {
                next.gpc_conflict = Some(category);
            } else if toggleable {
                if on {
                    next.draft.insert(category);
                } else {
                    next.draft.remove(&category);
                }
            }
        }
        Action::OpenPreferences => {
            next.gpc_conflict = None;
            // The panel shows the stored state, never anything more.
            next.draft = match &state.consent {
                Some(consent) => consent.categories.clone(),
                None => config.required_categories(),
            };
            next.dialog = Some(Dialog::Preferences);
        }
        Action::OpenPolicy { section } => {
            let over_preferences =
                matches!(state.dialog, Some(Dialog::Preferences) | Some(Dialog::Policy { over_preferences: true, .. }));
            next.dialog = Some(Dialog::Policy { section, over_preferences });
        }
        Action::CloseDialog => {
            next.dialog = match &state.dialog {
                Some(Dialog::Policy { over_preferences: true, .. }) => Some(Dialog::Preferences),
                _ => None,
            };
        }
        Action::SetLanguage(code) => {
            if config.languages.enabled.contains(&code) {
                next.language = code;
            }
        }
        Action::ShowBanner => next.banner = true,
        Action::AcceptCategories(ids) => {
            let mut chosen =
                btree::set(ids.into_iter().filter(|id| config.category(id).is_some() && !state.gpc_blocks(config, id)));
            chosen.extend(config.required_categories());
            let method = if chosen == config.all_categories() { Method::AcceptAll } else { Method::Custom };
            record(&mut next, chosen, method)
        }
        Action::AcceptService(id) => {
            if let Some(category) = config.categories.iter().find(|c| c.services.iter().any(|s| s.id == id)) {
                let mut consent = state.consent.clone().unwrap_or_else(|| {
                    new_consent(config, state, config.required_categories(), Method::Custom, moment)
                });
                if !consent.categories.contains(&category.id) {
                    consent.services.entry(category.id.clone()).or_default().insert(id);
                    consent.method = Method::Custom;
                    consent.language = state.language.clone();
                    consent.last_consent = moment.now;
                    consent.expires = moment.now + i64::from(config.cookie.lifetime_days) * 86_400;
                    next.consent = Some(consent.clone());
                    next.banner = false;
                    next.dialog = None;
                    effects.push(Effect::StoreConsent { consent, previous: state.consent.clone().map(Box::new) });
                }
            }
        }
        Action::ConfirmGpcOverride => {
            if let Some(category) = next.gpc_conflict.take() {
                next.gpc_confirmed.insert(category.clone());
                next.draft.insert(category);
            }
        }
        Action::CancelGpcOverride => next.gpc_conflict = None,
        Action::HonourGpc => {
            if let Some(consent) = state.consent.as_ref().filter(|_| state.gpc) {
                let withheld = consent.gpc_withheld(config);
                if !withheld.is_empty() {
                    let kept = btree::set(consent.categories.difference(&withheld).cloned());
                    record(&mut next, kept, Method::Gpc);
                }
            }
        }
        Action::Hide => {
            next.banner = false;
            next.dialog = None;
        }
        Action::Reset => {
            let previous = next.consent.take().map(Box::new);
            effects.push(Effect::ForgetConsent { previous });
            next.banner = true;
            next.dialog = None;
            next.draft = config.required_categories();
        }
    }
    (next, effects)
}

/// Whether the stored consent grants anything beyond the required categories: turning all
/// of that off is a withdrawal, recorded as such.
fn had_optional_consent(config: &Config, state: &State) -> bool {
    state.consent.as_ref().is_some_and(|consent| {
        !consent.categories.is_subset(&config.required_categories())
            || consent.services.iter().any(|(category, services)| !consent.grants(category) && !services.is_empty())
    })
}

fn new_consent(
    config: &Config,
    state: &State,
    categories: BTreeSet<String>,
    method: Method,
    moment: Moment,
) -> Consent {
    let previous = state.consent.as_ref();
    let services = btree::map(
        config
            .categories
            .iter()
            .filter(|category| categories.contains(&category.id) && !category.services.is_empty())
            .map(|category| {
                (category.id.clone(), btree::set(category.services.iter().map(|service| service.id.clone())))
            }),
    );
    Consent {
        id: previous.map(|consent| consent.id).unwrap_or(moment.fresh_id),
        services,
        revision: config.revision,
        language: state.language.clone(),
        method,
        first_consent: previous.map(|consent| consent.first_consent).unwrap_or(moment.now),
        last_consent: moment.now,
        expires: moment.now + i64::from(config.cookie.lifetime_days) * 86_400,
        gpc_confirmed: btree::set(state.gpc_confirmed.intersection(&categories).cloned()),
        vendors: Some(vendor_digest(config, &categories)),
        categories,
    }
}

/// A custom consent to `categories` and, per category, the `services` named, for tests.
#[cfg(test)]
impl Consent {
    pub(crate) fn granting(categories: &[&str], services: &[(&str, &str)]) -> Consent {
        let mut by_category: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (category, service) in services {
            by_category.entry(category.to_string()).or_default().insert(service.to_string());
        }
        Consent {
            id: Uuid::from_u128(0x6f1c2b9e_8d7a_4e3b_9c1d_2a3b4c5d6e7f),
            categories: categories.iter().map(|c| c.to_string()).collect(),
            services: by_category,
            revision: 1,
            language: "en".into(),
            method: Method::Custom,
            first_consent: 0,
            last_consent: 0,
            expires: 1,
            gpc_confirmed: BTreeSet::new(),
            vendors: None,
        }
    }
}

#[cfg(test)]
mod tests;
