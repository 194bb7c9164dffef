use super::*;

const DEMO: &str = include_str!("../../../www/consent-config.json");
const NOW: i64 = 1_800_000_000;

fn config() -> Config {
    Config::from_json(DEMO).unwrap()
}

fn moment(now: i64) -> Moment {
    Moment { now, fresh_id: Uuid::from_u128(0x6f1c2b9e_8d7a_4e3b_9c1d_2a3b4c5d6e7f) }
}

fn first_visit(config: &Config) -> State {
    State::start(config, None, "en".to_string(), NOW)
}

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|id| id.to_string()).collect()
}

fn run(config: &Config, state: &State, actions: &[Action]) -> (State, Vec<Effect>) {
    let mut state = state.clone();
    let mut effects = Vec::new();
    for action in actions {
        let (next, mut new) = decide(config, &state, action.clone(), moment(NOW));
        state = next;
        effects.append(&mut new);
    }
    (state, effects)
}

fn stored(effects: &[Effect]) -> Vec<&Consent> {
    effects
        .iter()
        .filter_map(|effect| match effect {
            Effect::StoreConsent { consent, .. } => Some(consent),
            Effect::ForgetConsent { .. } => None,
        })
        .collect()
}

#[test]
fn a_first_visit_shows_the_banner_and_grants_nothing() {
    let config = config();
    let state = first_visit(&config);
    assert!(state.banner);
    assert_eq!(state.consent, None);
    assert_eq!(state.dialog, None);
    assert_eq!(state.draft, set(&["necessary"]));
}

#[test]
fn accept_all_grants_every_category_and_its_services() {
    let config = config();
    let (state, effects) = run(&config, &first_visit(&config), &[Action::AcceptAll]);
    let consent = state.consent.clone().unwrap();
    assert_eq!(consent.categories, set(&["necessary", "analytics", "marketing", "functional"]));
    assert_eq!(consent.services["analytics"], set(&["matomo"]));
    assert_eq!(consent.method, Method::AcceptAll);
    assert_eq!(consent.id.get_version_num(), 4);
    assert_eq!(consent.expires - consent.last_consent, 182 * 86_400);
    assert!(!state.banner);
    assert_eq!(stored(&effects), vec![&consent]);
}

#[test]
fn reject_all_keeps_only_the_required_category_and_is_stored_too() {
    let config = config();
    let (state, effects) = run(&config, &first_visit(&config), &[Action::RejectAll]);
    let consent = state.consent.unwrap();
    assert_eq!(consent.categories, set(&["necessary"]));
    assert!(consent.services.is_empty());
    assert_eq!(consent.method, Method::RejectAll);
    assert_eq!(consent.expires - consent.last_consent, 182 * 86_400, "a refusal lasts as long as a consent");
    assert_eq!(stored(&effects).len(), 1);
    assert!(!state.banner);
}

#[test]
fn customize_then_save_stores_exactly_the_switched_categories() {
    let config = config();
    let actions = [
        Action::OpenPreferences,
        Action::Toggle { category: "analytics".into(), on: true },
        Action::Toggle { category: "marketing".into(), on: true },
        Action::Toggle { category: "marketing".into(), on: false },
        Action::Toggle { category: "functional".into(), on: false },
        Action::SaveChoices,
    ];
    let (state, effects) = run(&config, &first_visit(&config), &actions);
    let consent = state.consent.unwrap();
    assert_eq!(consent.categories, set(&["necessary", "analytics"]));
    assert_eq!(consent.method, Method::Custom);
    assert_eq!(state.dialog, None);
    assert_eq!(stored(&effects).len(), 1);
}

#[test]
fn required_and_unknown_categories_cannot_be_toggled() {
    let config = config();
    let actions = [
        Action::OpenPreferences,
        Action::Toggle { category: "necessary".into(), on: false },
        Action::Toggle { category: "spying".into(), on: true },
        Action::SaveChoices,
    ];
    let (state, _) = run(&config, &first_visit(&config), &actions);
    assert_eq!(state.consent.unwrap().categories, set(&["necessary"]));
}

#[test]
fn closing_or_escape_never_grants_and_keeps_the_banner_on_a_first_visit() {
    let config = config();
    let actions =
        [Action::OpenPreferences, Action::Toggle { category: "analytics".into(), on: true }, Action::CloseDialog];
    let (state, effects) = run(&config, &first_visit(&config), &actions);
    assert!(effects.is_empty());
    assert_eq!(state.consent, None);
    assert!(state.banner);
    assert_eq!(state.dialog, None);
    // Reopening shows the stored state (nothing), not the unsaved switch.
    let (state, _) = run(&config, &state, &[Action::OpenPreferences]);
    assert_eq!(state.draft, set(&["necessary"]));
}

#[test]
fn preferences_show_the_stored_choice() {
    let config = config();
    let (state, _) = run(
        &config,
        &first_visit(&config),
        &[Action::OpenPreferences, Action::Toggle { category: "marketing".into(), on: true }, Action::SaveChoices],
    );
    let (state, _) = run(&config, &state, &[Action::OpenPreferences]);
    assert_eq!(state.draft, set(&["necessary", "marketing"]));
}

#[test]
fn a_later_change_keeps_the_consent_id_and_first_timestamp() {
    let config = config();
    let (state, _) = decide(&config, &first_visit(&config), Action::AcceptAll, moment(NOW));
    let first = state.consent.clone().unwrap();
    let later = Moment { now: NOW + 500, fresh_id: Uuid::from_u128(0x11111111_2222_4333_8444_555555555555) };
    let (state, _) = decide(&config, &state, Action::RejectAll, later);
    let second = state.consent.unwrap();
    assert_eq!(second.id, first.id);
    assert_eq!(second.first_consent, NOW);
    assert_eq!(second.last_consent, NOW + 500);
    assert_eq!(second.categories, set(&["necessary"]));
    assert_eq!(second.method, Method::Withdraw, "taking back a consent is a withdrawal");
}

#[test]
fn switching_everything_off_after_a_consent_is_a_withdrawal_too() {
    let config = config();
    let (state, _) = run(&config, &first_visit(&config), &[Action::AcceptAll]);
    let actions = [
        Action::OpenPreferences,
        Action::Toggle { category: "analytics".into(), on: false },
        Action::Toggle { category: "marketing".into(), on: false },
        Action::Toggle { category: "functional".into(), on: false },
        Action::SaveChoices,
    ];
    let (state, _) = run(&config, &state, &actions);
    assert_eq!(state.consent.unwrap().method, Method::Withdraw);
    // A refusal after a refusal is just a refusal.
    let (state, _) = run(&config, &first_visit(&config), &[Action::RejectAll, Action::RejectAll]);
    assert_eq!(state.consent.unwrap().method, Method::RejectAll);
}

#[test]
fn policy_closes_back_to_where_it_was_opened() {
    let config = config();
    let (state, _) = run(&config, &first_visit(&config), &[Action::OpenPolicy { section: None }, Action::CloseDialog]);
    assert_eq!(state.dialog, None);
    assert!(state.banner);
    let (state, _) = run(
        &config,
        &first_visit(&config),
        &[Action::OpenPreferences, Action::OpenPolicy { section: Some("cookies".into()) }],
    );
    assert_eq!(state.dialog, Some(Dialog::Policy { section: Some("cookies".into()), over_preferences: true }));
    let (state, _) = run(&config, &state, &[Action::CloseDialog]);
    assert_eq!(state.dialog, Some(Dialog::Preferences));
}

#[test]
fn a_stored_consent_is_honoured_only_while_current() {
    let config = config();
    let (decided, _) = run(&config, &first_visit(&config), &[Action::RejectAll]);
    let consent = decided.consent.unwrap();
    let later = State::start(&config, Some(consent.clone()), "en".into(), NOW + 86_400);
    assert!(!later.banner, "a refusal is not asked again the next day");
    assert_eq!(later.consent.as_ref(), Some(&consent));

    let expired = State::start(&config, Some(consent.clone()), "en".into(), consent.expires);
    assert!(expired.banner);
    assert_eq!(expired.consent, None);

    let mut bumped = config.clone();
    bumped.revision += 1;
    assert!(State::start(&bumped, Some(consent.clone()), "en".into(), NOW).banner);

    let mut foreign = consent.clone();
    foreign.categories.insert("retired-category".into());
    assert!(State::start(&config, Some(foreign), "en".into(), NOW).banner);

    let mut time_ordered = consent.clone();
    time_ordered.id = Uuid::from_u128(0x019ab3c4_d5e6_7f00_8123_456789abcdef);
    assert!(!State::start(&config, Some(time_ordered), "en".into(), NOW).banner, "v7 ids are the widget's own");
    let mut forged = consent.clone();
    forged.id = Uuid::nil();
    assert!(State::start(&config, Some(forged), "en".into(), NOW).banner);

    let mut missing_required = consent;
    missing_required.categories.clear();
    assert!(State::start(&config, Some(missing_required), "en".into(), NOW).banner);
}

#[test]
fn language_changes_only_to_enabled_languages() {
    let mut config = config();
    config.languages.enabled = vec!["en".into(), "de".into()];
    let (state, _) = run(&config, &first_visit(&config), &[Action::SetLanguage("de".into())]);
    assert_eq!(state.language, "de");
    let (state, _) = run(&config, &state, &[Action::SetLanguage("fr".into())]);
    assert_eq!(state.language, "de");
    let (state, _) = run(&config, &state, &[Action::AcceptAll]);
    assert_eq!(state.consent.unwrap().language, "de");
}

#[test]
fn the_fallback_configuration_cannot_grant_anything_optional() {
    let config = Config::safe_fallback("example.com");
    for action in [Action::AcceptAll, Action::RejectAll, Action::SaveChoices] {
        let (state, _) = decide(&config, &first_visit(&config), action, moment(NOW));
        assert_eq!(state.consent.unwrap().categories, set(&["necessary"]));
    }
}

#[test]
fn the_api_can_grant_listed_categories_hide_and_reset() {
    let config = config();
    let (state, effects) =
        run(&config, &first_visit(&config), &[Action::AcceptCategories(vec!["analytics".into(), "bogus".into()])]);
    let consent = state.consent.clone().unwrap();
    assert_eq!(consent.categories, set(&["necessary", "analytics"]));
    assert_eq!(consent.method, Method::Custom);
    assert_eq!(stored(&effects).len(), 1);
    let (all, _) = run(
        &config,
        &first_visit(&config),
        &[Action::AcceptCategories(vec!["analytics".into(), "marketing".into(), "functional".into()])],
    );
    assert_eq!(all.consent.unwrap().method, Method::AcceptAll);

    let (hidden, effects) = run(&config, &first_visit(&config), &[Action::OpenPreferences, Action::Hide]);
    assert!(!hidden.banner && hidden.dialog.is_none() && hidden.consent.is_none());
    assert!(effects.is_empty(), "hiding decides nothing");

    let (reset, effects) = run(&config, &state, &[Action::Reset]);
    assert!(reset.banner);
    assert_eq!(reset.consent, None);
    assert_eq!(effects, vec![Effect::ForgetConsent { previous: state.consent.clone().map(Box::new) }]);
    assert!(state.consent.is_some(), "what is forgotten is what was stored: its categories' cookies go too");
}

#[test]
fn global_privacy_control_keeps_marked_categories_off_unless_confirmed() {
    let config = config();
    let gpc = first_visit(&config).with_gpc(true);
    let (state, _) = run(&config, &gpc, &[Action::AcceptAll]);
    let consent = state.consent.unwrap();
    assert_eq!(consent.categories, set(&["necessary", "analytics", "functional"]), "marketing is marked gpc");
    assert_eq!(consent.method, Method::Gpc);

    // Turning it on shows the conflict first, and grants nothing until confirmed.
    let (state, _) =
        run(&config, &gpc, &[Action::OpenPreferences, Action::Toggle { category: "marketing".into(), on: true }]);
    assert_eq!(state.gpc_conflict.as_deref(), Some("marketing"));
    assert!(!state.draft_grants("marketing"));
    let (cancelled, _) = run(&config, &state, &[Action::CancelGpcOverride, Action::SaveChoices]);
    assert_eq!(cancelled.consent.unwrap().categories, set(&["necessary"]));
    let (confirmed, _) = run(&config, &state, &[Action::ConfirmGpcOverride, Action::SaveChoices]);
    let consent = confirmed.consent.unwrap();
    assert_eq!(consent.categories, set(&["necessary", "marketing"]));
    assert_eq!(consent.method, Method::Custom);

    // The API cannot bypass the signal either.
    let (state, _) = run(&config, &gpc, &[Action::AcceptCategories(vec!["marketing".into()])]);
    assert_eq!(state.consent.unwrap().categories, set(&["necessary"]));
    // Without the signal nothing changes.
    let (state, _) = run(&config, &first_visit(&config), &[Action::AcceptAll]);
    assert_eq!(state.consent.unwrap().method, Method::AcceptAll);
}

#[test]
fn a_consent_given_before_global_privacy_control_yields_to_it_unless_confirmed_against_it() {
    let config = config();
    // Accepted on Monday without the signal; on Tuesday the browser sends it.
    let monday = accepted(&config);
    assert!(monday.grants("marketing"));
    let tuesday = State::start(&config, Some(monday.clone()), "en".into(), NOW).with_gpc(true);
    assert_eq!(monday.gpc_withheld(&config), set(&["marketing"]));
    let (state, effects) = run(&config, &tuesday, &[Action::HonourGpc]);
    let [Effect::StoreConsent { consent, previous }] = effects.as_slice() else { panic!("{effects:?}") };
    assert_eq!(consent.categories, set(&["necessary", "analytics", "functional"]));
    assert_eq!(consent.method, Method::Gpc);
    assert_eq!(consent.id, monday.id, "the same visitor's consent, changed");
    assert_eq!(previous.as_deref(), Some(&monday), "what it replaces, for the clean-up");
    assert!(!state.banner, "nothing to ask: the signal answered");

    // Without the signal, or once marketing was confirmed against it, nothing changes.
    let (_, effects) =
        run(&config, &State::start(&config, Some(monday.clone()), "en".into(), NOW), &[Action::HonourGpc]);
    assert_eq!(effects, []);
    let under_signal = first_visit(&config).with_gpc(true);
    let (confirmed, _) = run(
        &config,
        &under_signal,
        &[
            Action::OpenPreferences,
            Action::Toggle { category: "marketing".into(), on: true },
            Action::ConfirmGpcOverride,
            Action::SaveChoices,
        ],
    );
    let confirmed = confirmed.consent.unwrap();
    assert_eq!(confirmed.gpc_confirmed, set(&["marketing"]), "kept in the cookie");
    let next_view = State::start(&config, Some(confirmed.clone()), "en".into(), NOW).with_gpc(true);
    assert_eq!(next_view.gpc_confirmed, set(&["marketing"]));
    let (_, effects) = run(&config, &next_view, &[Action::HonourGpc]);
    assert_eq!(effects, [], "a confirmation against the signal stands");
    // A later decision keeps the confirmation for what it still grants, and only that.
    let (after, _) = run(&config, &next_view, &[Action::RejectAll]);
    assert!(after.consent.unwrap().gpc_confirmed.is_empty());
}

#[test]
fn a_new_service_or_provider_in_a_granted_category_asks_again_without_a_revision_bump() {
    let config = config();
    let (state, _) = run(&config, &first_visit(&config), &[Action::AcceptAll]);
    let consent = state.consent.unwrap();
    assert!(consent.vendors.is_some());
    assert_eq!(consent.standing(&config, NOW), Standing::Current);
    let mut changed = config.clone();
    let marketing = changed.categories.iter_mut().find(|category| category.id == "marketing").unwrap();
    marketing.services[0].provider = "Another Ads Ltd".into();
    assert_eq!(consent.standing(&changed, NOW), Standing::Outdated, "a new provider");
    let mut added = config.clone();
    let mut extra = added.categories[1].services[0].clone();
    extra.id = "second-tool".into();
    added.categories[1].services.push(extra);
    assert_eq!(consent.standing(&added, NOW), Standing::Outdated, "a new service");
    // A category the visitor did not grant may change without asking them again.
    let (rejected, _) = run(&config, &first_visit(&config), &[Action::RejectAll]);
    assert_eq!(rejected.consent.unwrap().standing(&changed, NOW), Standing::Current);
    // A cookie of an earlier version carries no digest: the revision alone governs it.
    let earlier = Consent { vendors: None, ..consent };
    assert_eq!(earlier.standing(&changed, NOW), Standing::Current);
}

#[test]
fn each_stored_consent_carries_the_one_it_replaces() {
    let config = config();
    let (accepted, effects) = run(&config, &first_visit(&config), &[Action::AcceptAll]);
    let [Effect::StoreConsent { consent, previous }] = effects.as_slice() else { panic!("one consent: {effects:?}") };
    assert_eq!(previous, &None, "a first decision replaces nothing");
    assert_eq!(Some(consent), accepted.consent.as_ref());

    let (_, effects) = run(&config, &accepted, &[Action::RejectAll]);
    let [Effect::StoreConsent { consent, previous }] = effects.as_slice() else { panic!("one consent: {effects:?}") };
    assert_eq!(previous.as_deref(), accepted.consent.as_ref());
    assert_eq!(consent.method, Method::Withdraw);
}

/// A consent as the widget writes it after "Accept all", for forging.
fn accepted(config: &Config) -> Consent {
    let (state, _) = run(config, &first_visit(config), &[Action::AcceptAll]);
    state.consent.unwrap()
}

#[test]
fn forged_cookies_are_no_consent_and_name_the_field_that_gives_them_away() {
    let config = config();
    const YEAR: i64 = 365 * 86_400;
    type Forgery = fn(&mut Consent);
    let forgeries: Vec<(&str, Forgery)> = vec![
        ("lastConsent", |c| c.last_consent += 10 * YEAR),
        ("lastConsent", |c| {
            c.first_consent += 10 * YEAR;
            c.last_consent += 10 * YEAR;
            c.expires += 10 * YEAR;
        }),
        ("firstConsent", |c| c.first_consent = c.last_consent + 1),
        ("expires", |c| c.expires = c.last_consent + 100 * YEAR),
        ("expires", |c| c.expires = c.last_consent + 183 * 86_400),
        ("categories", |c| {
            c.categories.insert("retired-category".into());
        }),
        ("services", |c| {
            c.services.get_mut("analytics").unwrap().insert("tracker-we-never-listed".into());
        }),
        ("services", |c| {
            c.services.insert("ghost".into(), set(&["matomo"]));
        }),
        // A service of another category (a category not granted may hold services allowed one by one).
        ("services", |c| {
            c.categories.remove("analytics");
            c.services.insert("analytics".into(), set(&["google-ads"]));
        }),
        ("language", |c| c.language = "xx".into()),
        ("language", |c| c.language = "<script>".into()),
        ("id", |c| c.id = Uuid::nil()),
        ("id", |c| c.id = Uuid::max()),
    ];
    for (field, forge) in forgeries {
        let mut consent = accepted(&config);
        forge(&mut consent);
        assert_eq!(consent.standing(&config, NOW), Standing::Untrusted { field }, "{consent:?}");
        let state = State::start(&config, Some(consent), "en".into(), NOW);
        assert!(state.banner, "the banner shows for a forged `{field}`");
        assert_eq!(state.consent, None, "a forged `{field}` grants nothing");
    }
}

#[test]
fn a_language_of_the_cookie_no_longer_offered_is_no_consent() {
    let mut config = config();
    let consent = accepted(&config);
    assert_eq!(consent.language, "en");
    config.languages.enabled = vec!["de".into(), "fr".into()];
    assert_eq!(consent.standing(&config, NOW), Standing::Untrusted { field: "language" });
}

#[test]
fn a_visitor_clock_set_back_a_little_keeps_the_consent() {
    let config = config();
    let consent = accepted(&config);
    assert_eq!(consent.standing(&config, NOW - MAX_CLOCK_SKEW_SECONDS), Standing::Current);
    assert_eq!(
        consent.standing(&config, NOW - MAX_CLOCK_SKEW_SECONDS - 1),
        Standing::Untrusted { field: "lastConsent" }
    );
}

#[test]
fn expiry_and_revision_make_a_consent_outdated_not_untrusted() {
    let config = config();
    let consent = accepted(&config);
    assert_eq!(consent.standing(&config, consent.expires), Standing::Outdated);
    let mut bumped = config.clone();
    bumped.revision += 1;
    assert_eq!(consent.standing(&bumped, NOW), Standing::Outdated);
    // A shorter lifetime configured later does make the longer-lived cookies untrusted.
    let mut shorter = config;
    shorter.cookie.lifetime_days = 30;
    assert_eq!(consent.standing(&shorter, NOW), Standing::Untrusted { field: "expires" });
}

#[test]
fn a_forged_cookie_read_from_the_page_shows_the_banner() {
    let config = config();
    let mut forged = accepted(&config);
    forged.expires = forged.last_consent + 100 * 365 * 86_400;
    let value = crate::core::cookie::encode(&forged, None);
    let read = crate::core::cookie::decode(&value).expect("it is well-formed, only its content lies");
    let state = State::start(&config, Some(read), "en".into(), NOW);
    assert!(state.banner);
    assert_eq!(state.consent, None);
}

#[test]
fn one_service_allowed_on_its_own_leaves_its_category_off_until_a_decision_replaces_it() {
    let config = config();
    let (state, effects) = run(&config, &first_visit(&config), &[Action::AcceptService("tour-video".into())]);
    let consent = stored(&effects)[0];
    assert_eq!(consent.categories, set(&["necessary"]));
    assert_eq!(consent.services.get("functional"), Some(&set(&["tour-video"])));
    assert!(!state.banner, "the visitor has chosen");
    // The stored cookie reads back as valid under the same configuration.
    assert!(consent.check(&config, NOW).is_ok());
    // Rejecting everything afterwards withdraws it, and says so.
    let (_, effects) = run(&config, &state, &[Action::RejectAll]);
    let rejected = stored(&effects)[0];
    assert!(rejected.services.is_empty());
    assert_eq!(rejected.method, Method::Withdraw);
    // An unknown service changes nothing.
    let (_, effects) = run(&config, &first_visit(&config), &[Action::AcceptService("nobody".into())]);
    assert!(stored(&effects).is_empty());
}

/// Writes the stored-consent test vectors for the loader (js/stored-consent.js): the demo
/// configuration, and cookies marked with its digest, valid and forged every way, each with
/// whether this core finds it current. `node --test tests/js/` checks the loader gives the same
/// answer to each (the one rule it leaves to the wasm, the providers' digest, is not among them).
#[test]
fn writes_the_loaders_stored_consent_vectors() {
    use crate::core::cookie::{config_digest, encode};
    const YEAR: i64 = 365 * 86_400;
    let config = config();
    let digest = config_digest(DEMO);
    type Change = fn(&mut Consent);
    let cases: Vec<(&str, Change)> = vec![
        ("accepted", |_| {}),
        ("rejected", |c| {
            c.categories = set(&["necessary"]);
            c.services.clear();
        }),
        ("one service allowed on its own", |c| {
            c.categories = set(&["necessary"]);
            c.services = [("functional".to_string(), set(&["tour-video"]))].into();
        }),
        ("expired", |c| c.expires = NOW - 1),
        ("dated in the future", |c| c.last_consent = NOW + 10 * YEAR),
        ("first after last", |c| c.first_consent = c.last_consent + 1),
        ("outlives the lifetime", |c| c.expires = c.last_consent + 400 * 86_400),
        ("an unknown category", |c| {
            c.categories.insert("retired".into());
        }),
        ("an unknown service", |c| {
            c.services.get_mut("analytics").unwrap().insert("tracker-we-never-listed".into());
        }),
        ("a service under another category", |c| {
            c.services.insert("analytics".into(), set(&["google-ads"]));
        }),
        ("services of an unknown category", |c| {
            c.services.insert("ghost".into(), set(&["matomo"]));
        }),
        ("an unknown language", |c| c.language = "xx".into()),
        ("a nil id", |c| c.id = Uuid::nil()),
        ("another revision", |c| c.revision += 1),
        ("the required category missing", |c| {
            c.categories.remove("necessary");
        }),
        ("GPC confirmed for a category not granted", |c| {
            c.categories.remove("marketing");
            c.services.remove("marketing");
            c.gpc_confirmed.insert("marketing".into());
        }),
    ];
    let vectors: Vec<Json> = cases
        .into_iter()
        .map(|(name, change)| {
            let mut consent = accepted(&config);
            change(&mut consent);
            // The providers' digest follows the categories: the one rule left to the wasm.
            consent.vendors = Some(vendor_digest(&config, &consent.categories));
            let current = consent.standing(&config, NOW) == Standing::Current;
            let value = encode(&consent, Some(&digest));
            // A server's reading (cookie::current_consent) answers as the widget does.
            let served =
                crate::core::cookie::current_consent(&format!("a=1; consent_widget={value}"), &config, NOW, false);
            assert_eq!(served.is_some(), current, "{name}");
            Json::object([
                ("name", Json::from(name)),
                ("cookie", Json::from(encode(&consent, Some(&digest)).as_str())),
                ("current", Json::Bool(current)),
            ])
        })
        .collect();
    let document = Json::object([
        ("configText", Json::from(DEMO)),
        ("now", Json::from(NOW)),
        ("cookieName", Json::from(config.cookie.name.as_str())),
        ("cases", Json::Array(vectors)),
    ]);
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/contract");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("stored-consent.json"), document.to_string()).unwrap();
}
