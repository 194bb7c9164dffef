//! Component tests in a real browser (`wasm-pack test --headless --chrome` / `--firefox`):
//! the widget mounted by `init`, driven through its shadow DOM like a visitor would.
#![cfg(target_arch = "wasm32")]

use consent_widget::core::consent::Consent;
use consent_widget::core::cookie;
use consent_widget::core::i18n::Locale;
use consent_widget::{destroy, init, set_policy_loader};
use std::collections::BTreeSet;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{Element, Event, EventInit, HtmlDocument, HtmlElement, HtmlInputElement, ShadowRoot};

wasm_bindgen_test_configure!(run_in_browser);

const DEMO_CONFIG: &str = include_str!("../www/consent-config.json");

fn document() -> HtmlDocument {
    web_sys::window().unwrap().document().unwrap().dyn_into().unwrap()
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms).unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}

/// Lets the widget render what the last event changed: Yew renders in a microtask after the
/// event, and a zero-delay timer runs after every microtask.
async fn rendered() {
    sleep(0).await;
}

/// Waits until `done` holds, for work that finishes in later tasks (a fetched policy); panics
/// once ten seconds have passed (a deadline for a busy machine, not a wait: it returns as soon
/// as `done` holds).
async fn eventually(what: &str, done: impl Fn() -> bool) {
    let deadline = js_sys::Date::now() + 10_000.0;
    while !done() {
        assert!(js_sys::Date::now() < deadline, "still not done after 10 s: {what}");
        sleep(20).await;
    }
}

fn widget_root() -> ShadowRoot {
    document().query_selector("consent-widget").unwrap().expect("the widget's host element").shadow_root().unwrap()
}

/// Serves each language's policy from the locale files, as the loader serves the build's
/// `policy-<lang>.json`; counts the fetches.
fn serve_policies() {
    let loader = Closure::<dyn Fn(String) -> js_sys::Promise>::new(|code: String| {
        POLICY_FETCHES.with(|fetches| fetches.borrow_mut().push(code.clone()));
        let source = match code.as_str() {
            "fr" => include_str!("../locales/fr.json"),
            "de" => include_str!("../locales/de.json"),
            "it" => include_str!("../locales/it.json"),
            "es" => include_str!("../locales/es.json"),
            _ => include_str!("../locales/en.json"),
        };
        let locale: serde_json::Value = serde_json::from_str(source).unwrap();
        let policy = serde_json::json!({
            "document": locale["policy"]["document"],
            "sections": locale["policy"]["sections"],
            "countries": locale["policy"]["countries"],
        });
        js_sys::Promise::resolve(&JsValue::from_str(&policy.to_string()))
    });
    set_policy_loader(loader.into_js_value().unchecked_into());
}

thread_local! {
    static POLICY_FETCHES: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Mounts a fresh widget with `config`, on a page in `language`, with no stored consent.
async fn start(config: &str, language: &str) -> ShadowRoot {
    serve_policies();
    destroy();
    document().set_cookie("consent_widget=; Max-Age=0; Path=/").unwrap();
    document().document_element().unwrap().set_attribute("lang", language).unwrap();
    init(JsValue::from_str(config));
    eventually("the widget renders", || {
        document()
            .query_selector("consent-widget")
            .ok()
            .flatten()
            .and_then(|host| host.shadow_root())
            .is_some_and(|root| root.query_selector(".cw-root").ok().flatten().is_some())
    })
    .await;
    widget_root()
}

fn all(root: &ShadowRoot, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length()).map(|i| list.item(i).unwrap().dyn_into().unwrap()).collect()
}

fn visible(element: &Element) -> bool {
    element.closest("[hidden]").unwrap().is_none()
}

/// The visible button whose text is `name`, as a visitor would find it.
fn button(root: &ShadowRoot, name: &str) -> HtmlElement {
    all(root, "button")
        .into_iter()
        .filter(visible)
        .find(|b| b.text_content().unwrap_or_default().trim() == name)
        .unwrap_or_else(|| panic!("no button named {name:?}"))
        .dyn_into()
        .unwrap()
}

async fn click(root: &ShadowRoot, name: &str) {
    button(root, name).click();
    rendered().await;
}

/// The stored consent once the decision's effects have run (in a task after the click's).
async fn decided() -> Consent {
    eventually("the consent cookie", || stored().is_some()).await;
    stored().unwrap()
}

fn stored() -> Option<Consent> {
    let header = document().cookie().unwrap();
    cookie::find(&header, "consent_widget").map(|value| cookie::decode(value).expect("a well-formed cookie"))
}

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|id| id.to_string()).collect()
}

fn switch(root: &ShadowRoot, category: &str) -> HtmlInputElement {
    root.get_element_by_id(&format!("cw-switch-{category}")).expect("a switch").dyn_into().unwrap()
}

fn banner(root: &ShadowRoot) -> Option<Element> {
    root.query_selector("section.cw-banner").unwrap().filter(visible)
}

fn root_language(root: &ShadowRoot) -> Option<String> {
    root.query_selector(".cw-root").unwrap().unwrap().get_attribute("lang")
}

#[wasm_bindgen_test]
async fn the_banner_shows_its_texts_and_three_equal_buttons() {
    let root = start(DEMO_CONFIG, "en").await;
    let en = Locale::builtin("en");
    let banner = banner(&root).expect("the banner on a first visit");
    assert_eq!(banner.get_attribute("aria-label").as_deref(), Some(en.text("banner.label")));
    assert!(banner.text_content().unwrap().contains(en.text("banner.title")));
    let buttons: Vec<HtmlElement> = ["banner.acceptAll", "banner.rejectAll", "banner.customize"]
        .iter()
        .map(|key| button(&root, en.text(key)))
        .collect();
    for pair in buttons.windows(2) {
        assert_eq!(pair[0].class_name(), pair[1].class_name(), "same element, same style");
        assert_eq!(pair[0].tag_name(), pair[1].tag_name());
    }
    assert_eq!(root_language(&root).as_deref(), Some("en"));
    assert_eq!(stored(), None, "nothing is stored before a decision");
}

#[wasm_bindgen_test]
async fn the_page_language_picks_the_translation() {
    let root = start(DEMO_CONFIG, "fr-CH").await;
    let fr = Locale::builtin("fr");
    assert!(banner(&root).unwrap().text_content().unwrap().contains(fr.text("banner.title")));
    assert_eq!(root_language(&root).as_deref(), Some("fr"));
    button(&root, fr.text("banner.rejectAll"));
}

#[wasm_bindgen_test]
async fn reject_all_stores_only_the_necessary_category() {
    let root = start(DEMO_CONFIG, "en").await;
    click(&root, "Reject all").await;
    let consent = decided().await;
    assert_eq!(consent.categories, set(&["necessary"]));
    assert_eq!(consent.revision, 2);
    assert!(banner(&root).is_none(), "the banner is gone");
}

#[wasm_bindgen_test]
async fn accept_all_stores_every_category() {
    let root = start(DEMO_CONFIG, "en").await;
    click(&root, "Accept all").await;
    assert_eq!(decided().await.categories, set(&["necessary", "analytics", "marketing", "functional"]));
}

#[wasm_bindgen_test]
async fn switches_toggle_and_save_exactly_what_was_chosen() {
    let root = start(DEMO_CONFIG, "en").await;
    click(&root, "Customize").await;
    assert!(root.query_selector("dialog[open]").unwrap().is_some(), "the preferences dialog is open");
    let necessary = switch(&root, "necessary");
    assert!(necessary.checked() && necessary.disabled(), "necessary is on and cannot be changed");
    let analytics = switch(&root, "analytics");
    assert!(!analytics.checked(), "optional categories start off");
    assert_eq!(analytics.get_attribute("role").as_deref(), Some("switch"));
    analytics.click();
    rendered().await;
    assert!(switch(&root, "analytics").checked());
    click(&root, "Save choices").await;
    assert_eq!(decided().await.categories, set(&["necessary", "analytics"]));
    assert!(root.query_selector("dialog").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn escape_grants_nothing_and_keeps_the_banner() {
    let root = start(DEMO_CONFIG, "en").await;
    click(&root, "Customize").await;
    switch(&root, "analytics").click();
    rendered().await;
    // Escape reaches a modal dialog as a cancelable `cancel` event.
    let init = EventInit::new();
    init.set_cancelable(true);
    let cancel = Event::new_with_event_init_dict("cancel", &init).unwrap();
    root.query_selector("dialog").unwrap().unwrap().dispatch_event(&cancel).unwrap();
    rendered().await;
    assert!(root.query_selector("dialog").unwrap().is_none(), "the dialog closed");
    assert_eq!(stored(), None, "closing stored nothing");
    assert!(banner(&root).is_some(), "the banner is still there");
}

#[wasm_bindgen_test]
async fn the_policy_opens_with_contents_and_the_cookie_tables() {
    let root = start(DEMO_CONFIG, "de").await;
    let de = Locale::builtin("de");
    POLICY_FETCHES.with(|fetches| fetches.borrow_mut().clear());
    click(&root, de.text("banner.policyLink")).await;
    let dialog = root.query_selector("dialog[open]").unwrap().expect("the policy dialog");
    assert_eq!(POLICY_FETCHES.with(|fetches| fetches.borrow().clone()), ["de"], "fetched once it was opened");
    let title = root.get_element_by_id(&dialog.get_attribute("aria-labelledby").unwrap()).unwrap();
    assert_eq!(title.text_content().unwrap(), de.text("policy.title"));
    eventually("the contents", || all(&root, "nav.cw-toc a").len() >= 4).await;
    assert!(root.get_element_by_id("cw-policy-cookies-analytics").is_some());
    assert!(dialog.text_content().unwrap().contains("_pk_id.*"));
}

#[wasm_bindgen_test]
async fn a_policy_that_cannot_be_fetched_says_so_and_the_choices_still_work() {
    // Spanish: no other test opens its policy, so nothing is cached for it.
    let root = start(DEMO_CONFIG, "es").await;
    let es = Locale::builtin("es");
    let failing = Closure::<dyn Fn(String) -> js_sys::Promise>::new(|_: String| {
        js_sys::Promise::reject(&js_sys::Error::new("HTTP 503").into())
    });
    set_policy_loader(failing.into_js_value().unchecked_into());
    click(&root, es.text("banner.policyLink")).await;
    let dialog = root.query_selector("dialog[open]").unwrap().expect("the policy dialog");
    eventually("the notice", || dialog.text_content().unwrap().contains(es.text("policy.unavailable"))).await;
    click(&root, es.text("policy.manageCookies")).await;
    click(&root, es.text("preferences.rejectAll")).await;
    assert_eq!(decided().await.categories, set(&["necessary"]));
    serve_policies();
}

#[wasm_bindgen_test]
async fn a_broken_configuration_still_shows_a_banner_that_grants_only_the_necessary() {
    let broken = r#"{"company":{"name":"X"},"categories":[{"id":"analytics","required":"yes"}]}"#;
    let root = start(broken, "en").await;
    assert!(banner(&root).is_some());
    click(&root, "Accept all").await;
    assert_eq!(decided().await.categories, set(&["necessary"]));
}

#[wasm_bindgen_test]
async fn a_stored_consent_is_honoured_on_the_next_page_view() {
    let root = start(DEMO_CONFIG, "en").await;
    click(&root, "Reject all").await;
    decided().await;
    // A new page view: mount again, keeping the cookie.
    destroy();
    init(JsValue::from_str(DEMO_CONFIG));
    rendered().await;
    assert!(banner(&widget_root()).is_none(), "no banner while the refusal is valid");
}

#[wasm_bindgen_test]
async fn config_text_is_rendered_as_text_never_html() {
    let hostile = DEMO_CONFIG.replace("Lakeside Hosting SA", "<img src=x onerror=alert(1)>");
    let root = start(&hostile, "en").await;
    click(&root, "Privacy policy").await;
    let dialog = root.query_selector("dialog").unwrap().unwrap();
    eventually("the policy text", || dialog.text_content().unwrap().contains("<img src=x onerror=alert(1)>")).await;
    assert!(all(&root, "img").is_empty(), "no element was created from config text");
}

/// The demo configuration with `members` (JSON object members) added.
fn demo_with(members: &str) -> String {
    let mut config: serde_json::Value = serde_json::from_str(DEMO_CONFIG).unwrap();
    let extra: serde_json::Value = serde_json::from_str(members).unwrap();
    config.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    config.to_string()
}

fn host_attribute(name: &str) -> Option<String> {
    document().query_selector("consent-widget").unwrap().unwrap().get_attribute(name)
}

#[wasm_bindgen_test]
async fn init_sets_the_layout_and_theme_on_the_host_and_a_new_configuration_resets_them() {
    start(
        &demo_with(r#"{"layout": {"banner": "box", "position": "top-left", "preferences": "panel"}, "theme": "dark"}"#),
        "en",
    )
    .await;
    let attributes = ["data-layout", "data-position", "data-preferences", "data-theme"].map(host_attribute);
    assert_eq!(attributes, ["box", "top-left", "panel", "dark"].map(|value| Some(value.to_string())));
    start(DEMO_CONFIG, "en").await;
    let attributes = ["data-layout", "data-position", "data-preferences", "data-theme"].map(host_attribute);
    assert_eq!(attributes, [Some("bar".to_string()), Some("bottom".to_string()), Some("dialog".to_string()), None]);
}

#[wasm_bindgen_test]
async fn a_broken_layout_falls_back_to_the_default_one() {
    start(&demo_with(r#"{"layout": {"banner": "center", "position": "top"}}"#), "en").await;
    assert_eq!(host_attribute("data-layout").as_deref(), Some("bar"));
    assert_eq!(host_attribute("data-position").as_deref(), Some("bottom"));
}

/// A property of `window`, read as JSON text (`null` when missing).
fn window_json(name: &str) -> String {
    let value = js_sys::Reflect::get(&web_sys::window().unwrap(), &name.into()).unwrap();
    js_sys::JSON::stringify(&value).ok().and_then(|text| text.as_string()).unwrap_or_else(|| "null".into())
}

#[wasm_bindgen_test]
async fn each_vendor_is_told_every_decision_through_its_own_queue() {
    let window = web_sys::window().unwrap();
    // What consent-mode.js (data-signals="microsoft-uet") queues, and a pixel whose tag has run.
    let queue = js_sys::Array::of3(
        &"consent".into(),
        &"default".into(),
        &js_sys::JSON::parse(r#"{"ad_storage":"denied"}"#).unwrap(),
    );
    js_sys::Reflect::set(&window, &"uetq".into(), &queue).unwrap();
    let pixel = js_sys::Function::new_with_args("...call", "(window.fbqCalls = window.fbqCalls || []).push(call)");
    js_sys::Reflect::set(&window, &"fbq".into(), &pixel).unwrap();
    let root = start(
        r#"{"company":{"name":"Shop"},"categories":[{"id":"necessary","required":true},{"id":"marketing","services":[
            {"id":"uet","name":"UET","provider":"Microsoft Corporation","country":"US","safeguard":"dpf","signal":"microsoft-uet"},
            {"id":"pixel","name":"Meta Pixel","provider":"Meta Platforms Ireland Limited","country":"IE","signal":"meta-pixel"}]}]}"#,
        "en",
    )
    .await;
    click(&root, "Accept all").await;
    decided().await;
    eventually("UET's update", || window_json("uetq").contains("granted")).await;
    assert_eq!(
        window_json("uetq"),
        r#"["consent","default",{"ad_storage":"denied"},"consent","update",{"ad_storage":"granted"}]"#,
        "the default first, then one update"
    );
    assert_eq!(window_json("fbqCalls"), r#"[["consent","grant"]]"#);
    for name in ["uetq", "fbq", "fbqCalls"] {
        js_sys::Reflect::delete_property(&window.clone().into(), &name.into()).unwrap();
    }
    destroy();
}
