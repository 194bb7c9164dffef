use super::*;
use crate::core::SUPPORTED_LANGUAGES;
use crate::core::config::Config;
use crate::core::country::Safeguard;
use crate::core::duration::CookieDuration;
use std::path::PathBuf;

fn directory() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("catalogue/services")
}

fn entry_text(id: &str) -> Result<String, String> {
    std::fs::read_to_string(directory().join(format!("{id}.json"))).map_err(|error| error.to_string())
}

fn entries() -> Vec<(String, Json)> {
    IDS.iter().map(|id| (id.to_string(), json::parse(&entry_text(id).unwrap()).unwrap())).collect()
}

const CATEGORIES: [&str; 6] =
    ["necessary", "functional", "analytics", "ad-measurement", "personalised-ads", "marketing"];

fn in_every_language(value: Option<&Json>, what: &str) {
    for code in SUPPORTED_LANGUAGES {
        let text = value.and_then(|texts| texts.get(code)).and_then(Json::as_str).unwrap_or("");
        assert!(!text.trim().is_empty(), "{what}: no text in `{code}`");
    }
    if let Some(Json::Object(texts)) = value {
        assert_eq!(texts.len(), SUPPORTED_LANGUAGES.len(), "{what}: a language the widget does not ship");
    }
}

fn is_host(pattern: &str) -> bool {
    crate::core::config::is_host_pattern(pattern)
}

#[test]
fn the_ids_are_the_files() {
    let mut files: Vec<String> = std::fs::read_dir(directory())
        .unwrap()
        .map(|file| file.unwrap().file_name().into_string().unwrap())
        .filter_map(|name| name.strip_suffix(".json").map(str::to_string))
        .collect();
    files.sort();
    assert_eq!(files, IDS);
    assert!(IDS.iter().all(|id| is_entry(id, &entry_text(id).unwrap())));
    assert!(!is_entry("youtube", &entry_text("vimeo").unwrap()));
    assert!(IDS.iter().all(|id| built_in(id) == entry_text(id)));
    let listed = std::fs::read_to_string(directory().join("../README.md")).unwrap();
    for id in IDS {
        assert!(listed.contains(&format!("| `{id}` |")), "catalogue/README.md does not list `{id}`");
    }
    assert!(IDS.len() >= 40, "{} entries", IDS.len());
}

#[test]
fn every_entry_is_complete_in_the_five_languages() {
    for (id, entry) in entries() {
        let field = |name: &str| entry.get(name).and_then(Json::as_str).unwrap_or_default().to_string();
        assert_eq!(field("id"), id);
        for name in ["name", "provider", "providerAddress", "country", "category", "signal"] {
            assert!(!field(name).trim().is_empty(), "{id}: no {name}");
        }
        // A self-hosted tool's policy is the company's own.
        let self_hosted = field("provider") == THE_COMPANY;
        assert!(self_hosted || field("privacyPolicy").starts_with("https://"), "{id}: privacyPolicy");
        assert!(
            self_hosted || ["processor", "controller", "jointController"].contains(&field("role").as_str()),
            "{id}: role"
        );
        assert!(CATEGORIES.contains(&field("category").as_str()), "{id}: category {}", field("category"));
        let signal = field("signal");
        let known =
            signal == "none" || crate::core::vendor_signals::Signal::NAMES.iter().any(|(name, _)| *name == signal);
        assert!(known, "{id}: signal {signal}");
        let country = field("country");
        assert!(
            country == THE_COMPANY || (country.len() == 2 && country.bytes().all(|b| b.is_ascii_uppercase())),
            "{id}"
        );
        match entry.get("safeguard") {
            Some(Json::Null) | None => {}
            Some(value) => assert!(value.as_str().and_then(Safeguard::parse).is_some(), "{id}: safeguard {value}"),
        }
        in_every_language(entry.get("description"), &format!("{id}.description"));
        let Some(Json::Array(hosts)) = entry.get("hosts") else { panic!("{id}: no hosts list") };
        for host in hosts {
            assert!(host.as_str().is_some_and(is_host), "{id}: host {host}");
        }
        let Some(Json::Array(cookies)) = entry.get("cookies") else { panic!("{id}: no cookies list") };
        for cookie in cookies {
            let name = cookie.get("name").and_then(Json::as_str).unwrap_or_default();
            assert!(!name.is_empty(), "{id}: a cookie with no name");
            let duration = cookie.get("duration").and_then(Json::as_str).unwrap_or_default().to_string();
            assert!(CookieDuration::try_from(duration).is_ok(), "{id}.{name}: duration");
            in_every_language(cookie.get("purpose"), &format!("{id}.cookies.{name}"));
        }
        assert!(matches!(entry.get("storage"), Some(Json::Array(_))), "{id}: no storage list");
        if let Some(embed) = entry.get("embed") {
            in_every_language(embed.get("content"), &format!("{id}.embed.content"));
            if let Some(host) = embed.get("noCookieHost") {
                assert!(host.as_str().is_some_and(is_host), "{id}: noCookieHost");
            }
        }
    }
}

/// A configuration with one category holding `services`, as JSON.
fn config_with(category: &str, services: &str, company: &str) -> String {
    let company = if company == "{}" { r#"{"name":"Example SA"}"# } else { company };
    let other = if category == "necessary" { "functional" } else { "necessary" };
    format!(
        r#"{{"company":{company},"languages":{{"default":"en"}},
            "categories":[{{"id":"{other}","required":true}},{{"id":"{category}","required":{},"services":{services}}}]}}"#,
        category == "necessary"
    )
}

#[test]
fn every_entry_makes_a_valid_configuration() {
    for (id, entry) in entries() {
        let category = entry.get("category").and_then(Json::as_str).unwrap();
        let text = config_with(category, &format!(r#"[{{"preset":"{id}"}}]"#), r#"{"name":"Example SA"}"#);
        let expanded = expand(&text, entry_text).unwrap_or_else(|error| panic!("{id}: {error}"));
        let config = Config::from_json(&expanded).unwrap_or_else(|error| panic!("{id}: {error}\n{expanded}"));
        let service = &config.categories[1].services[0];
        assert_eq!(service.id, id);
        assert!(!service.provider.contains(THE_COMPANY), "{id}");
    }
}

#[test]
fn a_configuration_without_presets_is_left_as_it_is() {
    let text = config_with("analytics", r#"[{"id":"stats","name":"Stats","provider":"Us","country":"CH"}]"#, "{}");
    assert_eq!(expand(&text, |_| panic!("nothing to load")).unwrap(), text);
    assert!(presets_named(&text).is_empty());
    assert_eq!(expand("not json", |_| panic!("nothing to load")).unwrap(), "not json");
}

#[test]
fn a_preset_brings_its_facts_and_cookies_and_yields_to_the_site() {
    let text = config_with(
        "marketing",
        r#"[{"preset":"youtube","name":"Our videos"},{"preset":"vimeo"},{"preset":"youtube-typo"}]"#,
        r#"{"name":"Example SA"}"#,
    );
    assert_eq!(presets_named(&text), ["vimeo", "youtube"]);
    let text = config_with("marketing", r#"[{"preset":"youtube","name":"Our videos"},{"preset":"vimeo"}]"#, "{}")
        .replace(
            r#""services""#,
            r#""cookies":[{"name":"YSC","provider":"Ours","purpose":"Ours","duration":"1 day"}],"services""#,
        );
    let config = read_config(&text, entry_text).unwrap();
    assert_eq!(config.digest, Some(crate::core::cookie::config_digest(&text)), "the digest is the site's text's");
    let marketing = &config.categories[1];
    let youtube = &marketing.services[0];
    assert_eq!((youtube.id.as_str(), youtube.name.as_str()), ("youtube", "Our videos"));
    assert_eq!(youtube.provider, "Google Ireland Limited");
    assert_eq!(youtube.safeguard, Some(Safeguard::Dpf));
    assert_eq!(marketing.services[1].id, "vimeo");
    let ysc: Vec<_> = marketing.cookies.iter().filter(|cookie| cookie.name == "YSC").collect();
    assert_eq!(ysc.len(), 1, "the site's own row stays, once");
    assert_eq!(ysc[0].provider, "Ours");
    let visitor = marketing.cookies.iter().find(|cookie| cookie.name == "VISITOR_INFO1_LIVE").unwrap();
    assert_eq!(visitor.provider, "Google Ireland Limited");
    assert!(visitor.purpose.get("de", "en").contains("Browser"));
    assert!(marketing.storage.iter().any(|key| key == "yt-remote-*"));
}

#[test]
fn a_self_hosted_tool_is_the_companys_own() {
    let text = config_with("analytics", r#"[{"preset":"matomo"}]"#, r#"{"name":"Example SA","jurisdiction":"FR"}"#);
    let config = Config::from_json(&expand(&text, entry_text).unwrap()).unwrap();
    let matomo = &config.categories[1].services[0];
    assert_eq!((matomo.provider.as_str(), matomo.country.as_str()), ("Example SA", "FR"));

    let text = config_with("analytics", r#"[{"preset":"matomo"}]"#, r#"{"name":"Example SA","jurisdiction":"EU"}"#);
    let error = expand(&text, entry_text).unwrap_err();
    assert_eq!(error.path, "categories[1].services[0].country");
    let given = text.replace(r#""preset":"matomo""#, r#""preset":"matomo","country":"NL""#);
    assert_eq!(
        Config::from_json(&expand(&given, entry_text).unwrap()).unwrap().categories[1].services[0].country,
        "NL"
    );
}

#[test]
fn a_wrong_preset_is_one_error_naming_it() {
    let unknown = config_with("marketing", r#"[{"preset":"youtub"}]"#, "{}");
    let error = expand(&unknown, entry_text).unwrap_err();
    assert_eq!(error.path, "categories[1].services[0].preset");
    assert!(error.message.contains("`youtub` is not in the catalogue"), "{error}");

    let not_loaded = config_with("marketing", r#"[{"preset":"youtube"}]"#, "{}");
    let error = expand(&not_loaded, |_| Err("HTTP 404".to_string())).unwrap_err();
    assert!(error.message.contains("did not load: HTTP 404"), "{error}");

    let not_a_field = config_with("marketing", r#"[{"preset":"youtube","colour":"red"}]"#, "{}");
    let error = Config::from_json(&expand(&not_a_field, entry_text).unwrap()).unwrap_err();
    assert!(error.path.starts_with("categories[1].services[0]") && error.message.contains("colour"), "{error}");
}
