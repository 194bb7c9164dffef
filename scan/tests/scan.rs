//! consent-scan against real sites in real Chromium: test sites served on 127.0.0.1 under their
//! real host names, third parties over https, the demo site on the real consent-server, and a
//! site that uses vanilla-cookieconsent. Each assertion names the exact findings.

mod common;

use common::{Fixture, Scanned, require_chromium, scan};
use serde_json::Value;
use std::collections::BTreeSet;

/// (kind, state, what, name) of every finding, the name without a query.
fn findings(report: &Value) -> BTreeSet<(String, String, String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| {
            let text = |key: &str| finding[key].as_str().unwrap_or("").to_string();
            (text("kind"), text("state"), text("what"), text("name"))
        })
        .collect()
}

fn of_kind(report: &Value, kind: &str) -> BTreeSet<(String, String, String)> {
    findings(report)
        .into_iter()
        .filter(|finding| finding.0 == kind)
        .map(|(_, state, what, name)| (state, what, name))
        .collect()
}

fn set(items: &[(&str, &str, &str)]) -> BTreeSet<(String, String, String)> {
    items.iter().map(|(state, what, name)| (state.to_string(), what.to_string(), name.to_string())).collect()
}

fn arguments(fixture: &Fixture, path: &str, more: &[&str]) -> Vec<String> {
    let mut arguments = vec![fixture.url(path)];
    arguments.extend(fixture.resolving());
    arguments.extend(more.iter().map(|argument| argument.to_string()));
    arguments
}

/// The JSON report against its published schema.
fn assert_matches_schema(report: &Value) {
    let schema: Value =
        serde_json::from_str(include_str!("../report.schema.json")).expect("report.schema.json is JSON");
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let errors: Vec<String> =
        validator.iter_errors(report).map(|error| format!("{}: {error}", error.instance_path)).collect();
    assert!(errors.is_empty(), "the report does not match its schema:\n{}", errors.join("\n"));
}

fn say(scanned: &Scanned) -> String {
    format!("exit {:?}\n--- stdout\n{}\n--- stderr\n{}", scanned.status, scanned.stdout, scanned.stderr)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_leaky_site_shows_every_seeded_finding_and_no_other_violation() {
    require_chromium();
    let fixture = Fixture::start("leaky").await;
    let html = tempfile::tempdir().unwrap();
    let (report_html, fixed) = (html.path().join("report.html"), html.path().join("fixed.json"));
    let scanned =
        scan(&arguments(&fixture, "/", &["--html", report_html.to_str().unwrap(), "--fix", fixed.to_str().unwrap()]))
            .await;
    assert_eq!(scanned.status, Some(1), "a violation: {}", say(&scanned));
    let report = scanned.json();
    assert_matches_schema(&report);
    assert_eq!(report["summary"]["pages"], 2, "the start page and the page it links to: {}", say(&scanned));

    // Before any choice, after Reject all, after withdrawal and under GPC: the untagged analytics
    // tag's cookies, storage key, script and hit, and the untagged video; after any choice, the
    // ad tag that takes "any answer" for consent; in every view, Consent Mode's late default.
    let mut expected = Vec::new();
    for state in ["first-visit", "reject", "withdraw", "gpc"] {
        expected.extend([
            (state, "cookie", "_ga"),
            (state, "cookie", "_ga_LEAKY"),
            (state, "storage", "stats_session"),
            (state, "script", "https://www.googletagmanager.com/gtag/js"),
            (state, "request", "https://www.google-analytics.com/g/collect"),
            (state, "iframe", "https://www.youtube.com/embed/leaky"),
            (state, "cookie", "YSC"),
            (state, "script", "Google Consent Mode default"),
        ]);
    }
    for state in ["reject", "withdraw"] {
        expected.push((state, "script", "https://connect.facebook.net/en_US/fbevents.js"));
    }
    // The marketing tag's own cookie, undeclared, so the widget cannot know to delete it.
    expected.push(("withdraw", "cookie", "mkt_visitor"));
    expected.push(("accept", "script", "Google Consent Mode default"));
    let violations = of_kind(&report, "violation");
    assert_eq!(violations, set(&expected), "{}", say(&scanned));
    // The about page, linked from the start page, keeps every promise.
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|finding| finding["page"] != "http://shop.example/about.html"),
        "{}",
        say(&scanned)
    );

    let undeclared: BTreeSet<String> = of_kind(&report, "undeclared").into_iter().map(|(_, _, name)| name).collect();
    assert_eq!(undeclared, BTreeSet::from(["YSC".to_string(), "mkt_visitor".to_string()]), "{}", say(&scanned));
    assert_eq!(of_kind(&report, "lifetime"), set(&[("first-visit", "cookie", "cart")]), "{}", say(&scanned));
    assert_eq!(of_kind(&report, "category"), set(&[("", "cookie", "_gid")]), "{}", say(&scanned));
    assert_eq!(of_kind(&report, "unseen"), set(&[("", "cookie", "newsletter_seen")]), "{}", say(&scanned));
    // The marketing tag's own cookie is declared in the category of the tag that set it.
    let pixel = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|finding| finding["name"] == "mkt_visitor" && finding["kind"] == "undeclared")
        .unwrap();
    assert_eq!(pixel["category"], "marketing");
    assert_eq!(pixel["path"], "categories[2].cookies");

    // Each finding says how to fix it; the terminal says it too, and the exit status.
    for finding in report["findings"].as_array().unwrap() {
        assert!(!finding["fix"].as_str().unwrap().is_empty(), "{finding}");
    }
    assert!(
        scanned.stdout.contains("VIOLATIONS") && scanned.stdout.contains("exit 1: violations found"),
        "{}",
        say(&scanned)
    );

    // The HTML report: self-contained, findings first, a screenshot of each page in each state.
    let page = std::fs::read_to_string(&report_html).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"), "{}", &page[..100]);
    assert!(page.find("Findings").unwrap() < page.find("What each page showed").unwrap());
    assert_eq!(page.matches("src=\"data:image/jpeg;base64,").count(), 10, "2 pages × 5 states");
    assert!(!page.contains("<script"), "no script in the report");

    // --fix: the configuration the widget reads, with the undeclared cookies in their category,
    // and YouTube's (YSC) as the catalogue's preset of it.
    let text = std::fs::read_to_string(&fixed).unwrap();
    use consent_widget::core::catalogue;
    let config = catalogue::read_config(&text, catalogue::built_in).expect("the widget reads the fixed configuration");
    assert!(text.contains(r#""preset": "youtube""#), "{text}");
    assert!(!text.contains(r#""name": "YSC""#), "the preset brings YSC: {text}");
    let declared = |id: &str| -> Vec<String> {
        config
            .category(id)
            .map(|category| category.cookies.iter().map(|cookie| cookie.name.clone()).collect())
            .unwrap_or_default()
    };
    assert!(declared("marketing").contains(&"YSC".to_string()), "{text}");
    assert!(declared("marketing").contains(&"mkt_visitor".to_string()), "{text}");
    let ysc = config.category("marketing").unwrap().cookies.iter().find(|cookie| cookie.name == "YSC").unwrap();
    for language in ["en", "fr", "de", "it", "es"] {
        assert!(!ysc.purpose.get(language, "xx").is_empty(), "{language}: {text}");
    }
    assert_ne!(ysc.purpose.get("fr", "en"), ysc.purpose.get("en", "en"), "YouTube's purpose is written in French too");
    // The site's own order of keys is kept: revision first, as the site wrote it.
    assert!(text.trim_start().starts_with("{\n  \"revision\""), "{text}");
    assert!(scanned.stderr.contains("mkt_visitor") && scanned.stderr.contains("English only"), "{}", say(&scanned));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_site_keeps_every_promise() {
    require_chromium();
    common::built_widget();
    let server = common::DemoServer::start().await;
    let scanned = scan(&[server.url(), "--pages".into(), "4".into()]).await;
    let report = scanned.json();
    assert_matches_schema(&report);
    assert_eq!(report["summary"]["violation"], 0, "{}", say(&scanned));
    assert_eq!(report["summary"]["undeclared"], 0, "{}", say(&scanned));
    assert_eq!(scanned.status, Some(0), "{}", say(&scanned));
    assert!(report["summary"]["pages"].as_u64().unwrap() >= 2, "the demo's pages are crawled: {}", say(&scanned));
    // Every state was reached on the start page: the widget's own buttons were found and pressed.
    let start = &report["pages"][0];
    assert_eq!(start["notReached"], serde_json::json!([]), "{}", say(&scanned));
    assert_eq!(start["states"].as_array().unwrap().len(), 5, "{}", say(&scanned));
    assert_eq!(report["configuration"]["source"]["kind"], "dataConfig", "{}", say(&scanned));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_site_with_vanilla_cookieconsent_its_reject_all_is_pressed_and_the_leak_after_it_found() {
    require_chromium();
    let fixture = Fixture::start("vanilla").await;
    let scanned = scan(&arguments(&fixture, "/", &[])).await;
    assert_eq!(scanned.status, Some(1), "{}", say(&scanned));
    let report = scanned.json();
    let violations = of_kind(&report, "violation");
    let ad = ("reject", "script", "https://connect.facebook.net/en_US/fbevents.js");
    assert!(violations.contains(&(ad.0.into(), ad.1.into(), ad.2.into())), "{}", say(&scanned));
    assert!(
        !violations.iter().any(|(state, _, _)| state == "first-visit"),
        "nothing before the choice: {}",
        say(&scanned)
    );
    assert_eq!(report["configuration"]["source"]["kind"], "none");
    // Its settings reopen through its own API, so withdrawal is judged too.
    assert!(violations.contains(&("withdraw".into(), ad.1.into(), ad.2.into())), "{}", say(&scanned));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sitemap_gives_the_pages() {
    require_chromium();
    let fixture = Fixture::start("leaky").await;
    let sitemap = fixture.url("/sitemap.xml");
    let scanned = scan(&arguments(&fixture, "/", &["--sitemap", &sitemap, "--pages", "5"])).await;
    let report = scanned.json();
    let pages: Vec<&str> =
        report["pages"].as_array().unwrap().iter().map(|page| page["url"].as_str().unwrap()).collect();
    assert_eq!(pages, ["http://shop.example/", "http://shop.example/about.html"], "{}", say(&scanned));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_with_no_consent_manager_is_judged_before_any_choice() {
    require_chromium();
    let fixture = Fixture::start("no-manager").await;
    let scanned = scan(&arguments(&fixture, "/", &[])).await;
    assert_eq!(scanned.status, Some(1), "{}", say(&scanned));
    let report = scanned.json();
    let violations = of_kind(&report, "violation");
    for (what, name) in [("cookie", "_ga"), ("script", "https://www.googletagmanager.com/gtag/js")] {
        for state in ["first-visit", "gpc"] {
            assert!(
                violations.contains(&(state.into(), what.into(), name.into())),
                "{state} {name}: {}",
                say(&scanned)
            );
        }
    }
    let not_reached: Vec<&str> = report["pages"][0]["notReached"]
        .as_array()
        .unwrap()
        .iter()
        .map(|missed| missed["state"].as_str().unwrap())
        .collect();
    assert_eq!(not_reached, ["reject", "accept", "withdraw"], "{}", say(&scanned));
    assert!(scanned.stdout.contains("no Reject all button found"), "{}", say(&scanned));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_that_cannot_be_scanned_are_each_said_and_the_rest_is_scanned() {
    require_chromium();
    let fixture = Fixture::start("bad").await;
    let scanned = scan(&arguments(&fixture, "/", &["--page-timeout", "4"])).await;
    let report = scanned.json();
    let problems: BTreeSet<(String, String)> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|problem| (problem["page"].as_str().unwrap().to_string(), problem["reason"].as_str().unwrap().to_string()))
        .collect();
    let reason =
        |page: &str| problems.iter().find(|(url, _)| url == &fixture.url(page)).map(|(_, reason)| reason.clone());
    assert_eq!(reason("/missing.html").as_deref(), Some("HTTP 404"), "{}", say(&scanned));
    assert_eq!(reason("/broken.html").as_deref(), Some("HTTP 500"), "{}", say(&scanned));
    assert_eq!(reason("/prices.txt").as_deref(), Some("not an HTML page (text/plain)"), "{}", say(&scanned));
    assert!(
        reason("/away.html").is_some_and(|reason| reason.starts_with("redirected off the site")),
        "{}",
        say(&scanned)
    );
    // A page that never goes quiet is judged as it was when its time ran out, and says so.
    let busy =
        report["pages"].as_array().unwrap().iter().find(|page| page["url"] == fixture.url("/busy.html")).unwrap();
    assert!(busy["states"][0]["notes"][0].as_str().unwrap().contains("never went quiet"), "{busy}");
    // The start page was scanned: the problems are the site's, the exit status the findings'.
    assert_eq!(scanned.status, Some(0), "{}", say(&scanned));
    assert!(scanned.stdout.contains("NOT SCANNED"), "{}", say(&scanned));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn endless_links_stop_at_the_page_limit() {
    require_chromium();
    let fixture = Fixture::start("bad").await;
    let scanned = scan(&arguments(&fixture, "/endless/0", &["--pages", "3"])).await;
    assert_eq!(scanned.status, Some(0), "{}", say(&scanned));
    assert_eq!(scanned.json()["summary"]["pages"], 3, "{}", say(&scanned));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_configuration_is_one_line_naming_its_field_and_exit_2() {
    require_chromium();
    let fixture = Fixture::start("broken-config").await;
    let scanned = scan(&arguments(&fixture, "/", &[])).await;
    assert_eq!(scanned.status, Some(2), "{}", say(&scanned));
    let report = scanned.json();
    assert!(report["configuration"]["problem"].as_str().unwrap().contains("company.name"), "{}", say(&scanned));
    assert!(scanned.stdout.contains("company.name") && scanned.stdout.contains("exit 2"), "{}", say(&scanned));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_site_that_cannot_be_reached_is_one_clear_line_and_exit_2() {
    require_chromium();
    // Nothing listens on the port the host is sent to.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let scanned =
        scan(&["http://shop.example/".to_string(), "--resolve".into(), format!("shop.example:127.0.0.1:{closed}")])
            .await;
    assert_eq!(scanned.status, Some(2), "{}", say(&scanned));
    assert!(scanned.stdout.contains("connection was refused"), "{}", say(&scanned));
    assert!(scanned.stdout.contains("exit 2: the site could not be scanned"), "{}", say(&scanned));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_certificate_not_trusted_is_refused_unless_insecure() {
    require_chromium();
    let fixture = Fixture::start("leaky").await;
    // The video host, over https with the test certificate, scanned as a site of its own.
    let resolve = format!("www.youtube.com:127.0.0.1:{}", fixture.third_party_port);
    let strict = scan(&["https://www.youtube.com/embed/leaky".into(), "--resolve".into(), resolve.clone()]).await;
    assert_eq!(strict.status, Some(2), "{}", say(&strict));
    assert!(strict.stdout.contains("TLS error"), "{}", say(&strict));
    let insecure =
        scan(&["https://www.youtube.com/embed/leaky".into(), "--resolve".into(), resolve, "--insecure".into()]).await;
    assert_eq!(insecure.status, Some(0), "{}", say(&insecure));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_chromium_process_outlives_a_scan_even_when_interrupted() {
    require_chromium();
    let fixture = Fixture::start("bad").await;
    let scanned = scan(&arguments(&fixture, "/endless/0", &["--pages", "2"])).await;
    assert_eq!(scanned.status, Some(0), "{}", say(&scanned));
    assert_eq!(common::chromium_processes_of(&scanned), 0, "after a scan");

    // Interrupted while it crawls: it says so, writes no report, and leaves no browser behind.
    let folder = tempfile::tempdir().unwrap();
    let report = folder.path().join("report.json");
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_consent-scan"))
        .args(arguments(&fixture, "/endless/0", &["--pages", "50", "--quiet", "--json", report.to_str().unwrap()]))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let pid = child.id().unwrap();
    common::until_browser_runs_under(pid).await;
    // SAFETY: sends SIGINT to the child just started, as Ctrl-C in a terminal would.
    unsafe {
        libc::kill(pid as i32, libc::SIGINT);
    }
    let status = tokio::time::timeout(std::time::Duration::from_secs(30), child.wait()).await.unwrap().unwrap();
    assert_eq!(status.code(), Some(130));
    assert!(!report.exists(), "no partial report");
    common::until_no_browser_of(pid).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn untagged_blocking_holds_every_tag_a_script_adds_and_its_dry_run_lists_each() {
    require_chromium();
    common::built_widget();
    let fixture = Fixture::start("untagged").await;
    // Three preset lines and `"blocking": "untagged"`, no tag marked: nothing before consent.
    let scanned = scan(&arguments(&fixture, "/", &[])).await;
    let report = scanned.json();
    assert_matches_schema(&report);
    assert_eq!(report["summary"]["violation"], 0, "{}", say(&scanned));
    let states = report["pages"][0]["states"].as_array().unwrap();
    let Some(accepted) = states.iter().find(|state| state["state"] == "accept") else {
        panic!("the accept state was not reached: {}\n{}", report["pages"][0]["notReached"], say(&scanned))
    };
    let loaded = |list: &str, prefix: &str| {
        accepted[list].as_array().unwrap().iter().any(|url| url.as_str().unwrap().starts_with(prefix))
    };
    // And everything after Accept all.
    assert!(loaded("scripts", "https://www.googletagmanager.com/gtag/js"), "{}", say(&scanned));
    assert!(loaded("scripts", "https://connect.facebook.net/en_US/fbevents.js"), "{}", say(&scanned));
    assert!(loaded("iframes", "https://www.youtube.com/embed/quiet"), "{}", say(&scanned));

    // The dry run holds nothing, so the tags leak, and says what `untagged` would have held.
    let scanned = scan(&arguments(&fixture, "/report.html", &[])).await;
    assert_eq!(scanned.status, Some(1), "{}", say(&scanned));
    let report = scanned.json();
    assert!(
        of_kind(&report, "violation").contains(&(
            "first-visit".into(),
            "script".into(),
            "https://www.googletagmanager.com/gtag/js".into()
        )),
        "{}",
        say(&scanned)
    );
    let first = &report["pages"][0]["states"][0];
    let notes: Vec<&str> = first["notes"].as_array().unwrap().iter().map(|note| note.as_str().unwrap()).collect();
    for expected in [
        "blocking dry run: \"untagged\" would hold <script> https://www.googletagmanager.com/gtag/js?id=G-LEAKY \
         (service `google-analytics`) until consent to `analytics`",
        "blocking dry run: \"untagged\" would hold <iframe> https://www.youtube.com/embed/quiet (service `youtube`) \
         until consent to `marketing`",
    ] {
        assert!(notes.contains(&expected), "{expected}: {notes:?}");
    }
    assert!(
        scanned.stdout.contains("BLOCKING DRY RUN")
            && scanned.stdout.contains(
                "/report.html \"untagged\" would hold <script> https://www.googletagmanager.com/gtag/js?id=G-LEAKY"
            ),
        "{}",
        say(&scanned)
    );
}
