use super::*;
use crate::observation::{ConsentModeOrder, StorageArea};
use std::sync::LazyLock;

static KNOWLEDGE: LazyLock<Knowledge> = LazyLock::new(Knowledge::load);

const PAGE: &str = "http://shop.example/";

fn config() -> Config {
    Config::from_json(
        r#"{
          "company": { "name": "Shop" },
          "categories": [
            { "id": "necessary", "required": true, "cookies": [
              { "name": "cart", "provider": "Shop", "purpose": "Keeps the cart.", "duration": "session" },
              { "name": "_gid", "provider": "Google", "purpose": "Tells visitors apart.", "duration": "1 day" } ] },
            { "id": "analytics", "cookies": [
              { "name": "_ga", "provider": "Google", "purpose": "Counts visits.", "duration": "2 years" },
              { "name": "newsletter_seen", "provider": "Shop", "purpose": "Remembers the newsletter box.", "duration": "30 days" } ],
              "storage": ["stats_*"] },
            { "id": "marketing" }
          ]
        }"#,
    )
    .unwrap()
}

fn cookie(name: &str, lifetime_days: Option<i64>) -> SeenCookie {
    SeenCookie {
        name: name.into(),
        domain: "shop.example".into(),
        path: "/".into(),
        expires: lifetime_days.map(|days| 1_900_000_000 + days * 86_400),
        lifetime_seconds: lifetime_days.map(|days| days * 86_400),
        http_only: false,
        secure: false,
        same_site: None,
        third_party: false,
        set_by: Some("https://www.googletagmanager.com/gtag/js?id=G-1".into()),
        set_by_category: None,
    }
}

fn seen(state: State, cookies: Vec<SeenCookie>) -> Observation {
    let mut observation = Observation::new(PAGE, state);
    observation.cookies = cookies;
    observation
}

fn kinds(findings: &[Finding]) -> Vec<(Kind, Option<State>, &str)> {
    findings.iter().map(|finding| (finding.kind, finding.state, finding.name.as_str())).collect()
}

#[test]
fn a_declared_optional_cookie_before_consent_is_a_violation_and_after_accept_is_not() {
    let observations =
        [seen(State::FirstVisit, vec![cookie("_ga", Some(700))]), seen(State::Accept, vec![cookie("_ga", Some(700))])];
    let findings = judge(&observations, Some(&config()), &KNOWLEDGE);
    let violations: Vec<_> = findings.iter().filter(|finding| finding.kind == Kind::Violation).collect();
    assert_eq!(violations.len(), 1, "{findings:#?}");
    let violation = violations[0];
    assert_eq!(
        (violation.state, violation.what, violation.name.as_str()),
        (Some(State::FirstVisit), What::Cookie, "_ga")
    );
    assert_eq!(violation.path.as_deref(), Some("categories[1].cookies[0]"));
    assert!(
        violation.fix.contains("https://www.googletagmanager.com/gtag/js") && !violation.fix.contains("G-1"),
        "{}",
        violation.fix
    );
    assert_eq!(violation.category.as_deref(), Some("analytics"));
}

#[test]
fn the_widgets_own_cookie_and_outbox_are_never_findings() {
    let mut observation = seen(State::Reject, vec![cookie("consent_widget", Some(180))]);
    observation.storage.push(SeenStorage {
        area: StorageArea::Local,
        origin: "http://shop.example".into(),
        key: outbox::STORAGE_KEY.into(),
        third_party: false,
    });
    let findings = judge(&[observation], Some(&config()), &KNOWLEDGE);
    assert!(
        findings.iter().all(|finding| finding.kind == Kind::Unseen || finding.kind == Kind::Category),
        "{findings:#?}"
    );
}

#[test]
fn an_undeclared_known_cookie_is_a_violation_and_undeclared_once_per_site() {
    let observations = [
        seen(State::FirstVisit, vec![cookie("_fbp", Some(90))]),
        seen(State::Gpc, vec![cookie("_fbp", Some(90))]),
        seen(State::Accept, vec![cookie("_fbp", Some(90))]),
    ];
    let findings = judge(&observations, Some(&config()), &KNOWLEDGE);
    let found = kinds(&findings);
    assert!(found.contains(&(Kind::Violation, Some(State::FirstVisit), "_fbp")), "{found:?}");
    assert!(found.contains(&(Kind::Violation, Some(State::Gpc), "_fbp")), "{found:?}");
    assert!(!found.contains(&(Kind::Violation, Some(State::Accept), "_fbp")), "{found:?}");
    let undeclared: Vec<_> = findings.iter().filter(|finding| finding.kind == Kind::Undeclared).collect();
    assert_eq!(undeclared.len(), 1, "{undeclared:#?}");
    assert_eq!(undeclared[0].category.as_deref(), Some("marketing"));
    assert_eq!(undeclared[0].path.as_deref(), Some("categories[2].cookies"));
}

#[test]
fn an_unknown_undeclared_cookie_is_undeclared_but_not_a_violation() {
    let findings = judge(&[seen(State::FirstVisit, vec![cookie("shop_theme", Some(30))])], Some(&config()), &KNOWLEDGE);
    assert_eq!(kinds(&findings).iter().filter(|(kind, _, _)| *kind != Kind::Category).count(), 1, "{findings:#?}");
    assert!(findings.iter().any(|finding| finding.kind == Kind::Undeclared && finding.name == "shop_theme"));
}

#[test]
fn a_cookie_set_by_a_script_held_for_a_category_belongs_to_it() {
    let mut set_by_marketing = cookie("mkt_visitor", Some(30));
    set_by_marketing.set_by_category = Some("marketing".into());
    let findings = judge(&[seen(State::Accept, vec![set_by_marketing])], Some(&config()), &KNOWLEDGE);
    let undeclared = findings.iter().find(|finding| finding.kind == Kind::Undeclared).unwrap();
    assert_eq!(undeclared.category.as_deref(), Some("marketing"));
}

#[test]
fn a_session_cookie_that_lives_a_year_outlives_its_declaration() {
    let findings = judge(&[seen(State::FirstVisit, vec![cookie("cart", Some(365))])], Some(&config()), &KNOWLEDGE);
    let lifetime = findings.iter().find(|finding| finding.kind == Kind::Lifetime).expect("a lifetime finding");
    assert_eq!(lifetime.path.as_deref(), Some("categories[0].cookies[0].duration"));
    assert!(lifetime.detail.contains("session"), "{}", lifetime.detail);
    // Within the declared duration (and its slack), no finding.
    let fine = judge(&[seen(State::Accept, vec![cookie("_ga", Some(730))])], Some(&config()), &KNOWLEDGE);
    assert!(fine.iter().all(|finding| finding.kind != Kind::Lifetime), "{fine:#?}");
}

#[test]
fn declared_but_never_seen_is_unseen_once_accept_all_was_reached() {
    let accepted = [seen(State::Accept, vec![cookie("_ga", Some(700))])];
    let findings = judge(&accepted, Some(&config()), &KNOWLEDGE);
    let unseen: Vec<&str> =
        findings.iter().filter(|finding| finding.kind == Kind::Unseen).map(|finding| finding.name.as_str()).collect();
    assert_eq!(unseen, ["_gid", "cart", "newsletter_seen"]);
    let never_accepted = judge(&[seen(State::FirstVisit, vec![])], Some(&config()), &KNOWLEDGE);
    assert!(never_accepted.iter().all(|finding| finding.kind != Kind::Unseen));
}

#[test]
fn a_known_analytics_cookie_declared_necessary_is_a_category_finding() {
    let findings = judge(&[], Some(&config()), &KNOWLEDGE);
    let category: Vec<_> = findings.iter().filter(|finding| finding.kind == Kind::Category).collect();
    assert_eq!(category.len(), 1, "{category:#?}");
    assert_eq!(category[0].name, "_gid");
    assert_eq!(category[0].path.as_deref(), Some("categories[0].cookies[1]"));
}

#[test]
fn a_withdrawn_categorys_cookie_still_there_is_a_violation_that_says_so() {
    let findings = judge(&[seen(State::Withdraw, vec![cookie("_ga", Some(700))])], Some(&config()), &KNOWLEDGE);
    let violation = findings.iter().find(|finding| finding.kind == Kind::Violation).unwrap();
    assert!(violation.detail.contains("withdrawn"), "{}", violation.detail);
}

#[test]
fn tracking_requests_without_consent_are_violations_and_unknown_ones_are_not() {
    let request = |url: &str, what: What, resource_type: &str| SeenRequest {
        url: url.into(),
        host: url::Url::parse(url).unwrap().host_str().unwrap().into(),
        what,
        resource_type: resource_type.into(),
        initiator: Some("http://shop.example/js/app.js".into()),
        at: 0.0,
    };
    let mut rejected = Observation::new(PAGE, State::Reject);
    rejected.requests = vec![
        request("https://www.google-analytics.com/g/collect?v=2&tid=G-1", What::Request, "Ping"),
        request("https://www.youtube.com/embed/abc", What::Iframe, "Document"),
        request("https://cdn.example.org/fonts.css", What::Request, "Stylesheet"),
    ];
    let mut accepted = rejected.clone();
    accepted.state = State::Accept;
    let findings = judge(&[rejected, accepted], Some(&config()), &KNOWLEDGE);
    let violations: Vec<(&str, What)> = findings
        .iter()
        .filter(|finding| finding.kind == Kind::Violation)
        .map(|finding| (finding.name.as_str(), finding.what))
        .collect();
    assert_eq!(
        violations,
        [
            ("https://www.google-analytics.com/g/collect", What::Request),
            ("https://www.youtube.com/embed/abc", What::Iframe)
        ]
    );
}

#[test]
fn a_consent_mode_default_after_a_google_tag_is_a_violation_in_any_state() {
    let mut observation = Observation::new(PAGE, State::Accept);
    observation.consent_mode = ConsentModeOrder {
        default_at: Some(2_000.0),
        first_google_request: Some("https://www.googletagmanager.com/gtag/js?id=G-1".into()),
        first_google_request_at: Some(1_000.0),
    };
    let findings = judge(&[observation], Some(&config()), &KNOWLEDGE);
    let violation = findings.iter().find(|finding| finding.kind == Kind::Violation).expect("the late default");
    assert_eq!(violation.host.as_deref(), Some("www.googletagmanager.com"));
    assert_eq!(violation.path.as_deref(), Some("consentMode"));
}

#[test]
fn a_site_without_this_widget_is_judged_by_the_knowledge_base_alone() {
    let findings = judge(
        &[seen(State::FirstVisit, vec![cookie("_ga", Some(700)), cookie("consent_widget", None)])],
        None,
        &KNOWLEDGE,
    );
    let found = kinds(&findings);
    assert!(found.contains(&(Kind::Violation, Some(State::FirstVisit), "_ga")), "{found:?}");
    // Without a configuration, a cookie of that name is just another cookie.
    assert!(found.contains(&(Kind::Undeclared, Some(State::FirstVisit), "consent_widget")), "{found:?}");
}

#[test]
fn storage_keys_are_judged_like_cookies() {
    let key = |name: &str| SeenStorage {
        area: StorageArea::Local,
        origin: "http://shop.example".into(),
        key: name.into(),
        third_party: false,
    };
    let mut observation = Observation::new(PAGE, State::FirstVisit);
    observation.storage = vec![key("stats_visits"), key("shop_layout")];
    let findings = judge(&[observation], Some(&config()), &KNOWLEDGE);
    let found = kinds(&findings);
    assert!(found.contains(&(Kind::Violation, Some(State::FirstVisit), "stats_visits")), "{found:?}");
    assert!(found.contains(&(Kind::Undeclared, Some(State::FirstVisit), "shop_layout")), "{found:?}");
    assert!(!found.iter().any(|(kind, _, name)| *kind == Kind::Violation && *name == "shop_layout"), "{found:?}");
}

#[test]
fn another_sites_cookie_from_a_trackers_domain_needs_consent() {
    let mut youtube = cookie("YSC", None);
    youtube.domain = ".youtube.com".into();
    youtube.third_party = true;
    youtube.set_by = None;
    let findings = judge(&[seen(State::FirstVisit, vec![youtube.clone()])], Some(&config()), &KNOWLEDGE);
    let violation = findings.iter().find(|finding| finding.kind == Kind::Violation).expect("a tracker's cookie");
    assert_eq!(violation.category.as_deref(), Some("marketing"));
    // The same name set by the site itself is judged by the database's row alone.
    youtube.third_party = false;
    let findings = judge(&[seen(State::FirstVisit, vec![youtube])], Some(&config()), &KNOWLEDGE);
    assert!(findings.iter().all(|finding| finding.kind != Kind::Violation), "{findings:#?}");
}
