//! `--fix`: the site's configuration with every undeclared cookie and storage key the scan saw
//! added to its likely category: as the catalogue's preset of the service that sets it when the
//! catalogue knows one (catalogue/services/), else with provider, duration and purpose from the
//! knowledge base.
//! The site's own text keeps its order; the result is checked with the widget's own reader.

use crate::judge::{Finding, Kind};
use crate::knowledge::{Knowledge, KnownCookie, Retention};
use crate::observation::What;
use consent_widget::core::catalogue;
use consent_widget::core::gating::matches;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

/// The purposes of the cookies of the platforms most sites use, in the five languages.
const PURPOSES: &str = include_str!("../../data/purposes.json");
const LANGUAGES: [&str; 5] = ["en", "fr", "de", "it", "es"];

/// A JSON value that keeps the order of an object's members as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
enum Ordered {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    Text(String),
    List(Vec<Ordered>),
    Object(IndexMap<String, Ordered>),
}

impl Ordered {
    fn text(text: &str) -> Ordered {
        Ordered::Text(text.to_string())
    }

    fn member(&self, name: &str) -> Option<&Ordered> {
        match self {
            Ordered::Object(members) => members.get(name),
            _ => None,
        }
    }

    fn as_str(&self) -> Option<&str> {
        match self {
            Ordered::Text(text) => Some(text),
            _ => None,
        }
    }
}

/// The configuration written, and what a site owner should still do by hand.
#[derive(Debug, Clone)]
pub struct Fixed {
    pub text: String,
    pub notes: Vec<String>,
}

/// `text` (the site's configuration; none starts a new one for `site_name`) with the undeclared
/// cookies and storage keys of `findings` declared. `lifetimes` gives the longest lifetime seen
/// of each cookie, for those the knowledge base has no duration for.
pub fn fixed_configuration(
    text: Option<&str>,
    site_name: &str,
    findings: &[Finding],
    lifetimes: &dyn Fn(&str) -> Option<i64>,
    knowledge: &Knowledge,
) -> Result<Fixed, String> {
    let mut tree = match text {
        Some(text) => serde_json::from_str::<Ordered>(text)
            .map_err(|error| format!("cannot fix a configuration that is not JSON: {error}"))?,
        None => starter(site_name),
    };
    let mut notes = Vec::new();
    for finding in findings.iter().filter(|finding| finding.kind == Kind::Undeclared) {
        if let Some(preset) = Preset::setting(finding) {
            if !has_service(&tree, &preset.id) {
                let mut item = IndexMap::new();
                item.insert("preset".to_string(), Ordered::text(&preset.id));
                if let Some((i, j)) = add(&mut tree, &preset.category, "services", &preset.id, Ordered::Object(item)) {
                    notes.push(format!(
                        "categories[{i}].services[{j}] is the catalogue's `{}` ({}), with its cookies and storage keys: check that it is the category you want",
                        preset.id, preset.name
                    ));
                }
            }
            continue;
        }
        let Some(category) = finding.category.as_deref() else {
            notes.push(format!(
                "{} `{}`: the knowledge base does not know it; declare it by hand in the category of what sets it",
                finding.what.label(),
                finding.name
            ));
            continue;
        };
        let known = knowledge.cookie(&finding.name);
        match finding.what {
            What::Cookie => {
                let pattern =
                    known.filter(|row| row.prefix).map_or(finding.name.clone(), |row| format!("{}*", row.name));
                let (entry, english_only) = cookie_entry(&pattern, known, lifetimes(&finding.name), site_name);
                if let Some((i, j)) = add(&mut tree, category, "cookies", &pattern, entry)
                    && english_only
                {
                    notes.push(format!(
                        "categories[{i}].cookies[{j}].purpose ({pattern}) is in English only: translate it"
                    ));
                }
            }
            What::Storage => {
                let pattern =
                    known.filter(|row| row.prefix).map_or(finding.name.clone(), |row| format!("{}*", row.name));
                add(&mut tree, category, "storage", &pattern, Ordered::Text(pattern.clone()));
            }
            _ => {}
        }
    }
    let mut text = serde_json::to_string_pretty(&tree).map_err(|error| error.to_string())?;
    text.push('\n');
    // What the widget would refuse is not written (a site's own broken field stays its own).
    if let Err(error) = catalogue::read_config(&text, catalogue::built_in) {
        return Err(format!("the fixed configuration would not be read by the widget: {error}"));
    }
    Ok(Fixed { text, notes })
}

/// The catalogue entry of the service that sets a cookie or storage key, or loads from a host.
struct Preset {
    id: String,
    name: String,
    category: String,
}

impl Preset {
    fn setting(finding: &Finding) -> Option<Preset> {
        static ENTRIES: LazyLock<Vec<serde_json::Value>> = LazyLock::new(|| {
            catalogue::IDS.iter().filter_map(|id| serde_json::from_str(&catalogue::built_in(id).ok()?).ok()).collect()
        });
        let names = |entry: &serde_json::Value, list: &str, member: Option<&str>| -> Vec<String> {
            let items = entry[list].as_array().cloned().unwrap_or_default();
            items
                .iter()
                .filter_map(|item| member.map_or(item.as_str(), |member| item[member].as_str()).map(str::to_string))
                .collect()
        };
        let covers = |pattern: &str, name: &str| pattern == name || matches(pattern, name);
        let found = ENTRIES.iter().find(|entry| match finding.what {
            What::Cookie => names(entry, "cookies", Some("name")).iter().any(|pattern| covers(pattern, &finding.name)),
            What::Storage => names(entry, "storage", None).iter().any(|pattern| covers(pattern, &finding.name)),
            What::Request | What::Script | What::Iframe => finding.host.as_deref().is_some_and(|host| {
                names(entry, "hosts", None).iter().any(|pattern| match pattern.strip_prefix("*.") {
                    Some(domain) => host.ends_with(&format!(".{domain}")) || host == domain,
                    None => host == pattern,
                })
            }),
        })?;
        let text = |name: &str| found[name].as_str().unwrap_or_default().to_string();
        Some(Preset { id: text("id"), name: text("name"), category: text("category") })
    }
}

/// Whether a category already lists the service, as a preset or by its id.
fn has_service(tree: &Ordered, id: &str) -> bool {
    let Some(Ordered::List(categories)) = tree.member("categories") else { return false };
    categories.iter().any(|category| match category.member("services") {
        Some(Ordered::List(services)) => services.iter().any(|service| {
            ["preset", "id"].iter().any(|member| service.member(member).and_then(Ordered::as_str) == Some(id))
        }),
        _ => false,
    })
}

/// A new configuration for a site that has none of this widget's.
fn starter(site_name: &str) -> Ordered {
    serde_json::from_value(serde_json::json!({
        "revision": 1,
        "company": { "name": site_name },
        "categories": [ { "id": "necessary", "required": true } ]
    }))
    .expect("a literal")
}

/// Adds `entry` to `categories[<category>].<list>` unless a declaration already covers `name`;
/// adds the category if the configuration has none of that id. Returns where it went.
fn add(tree: &mut Ordered, category: &str, list: &str, name: &str, entry: Ordered) -> Option<(usize, usize)> {
    let Ordered::Object(root) = tree else { return None };
    let categories = root.entry("categories".to_string()).or_insert_with(|| Ordered::List(Vec::new()));
    let Ordered::List(categories) = categories else { return None };
    let index = match categories.iter().position(|c| c.member("id").and_then(Ordered::as_str) == Some(category)) {
        Some(index) => index,
        None => {
            let mut members = IndexMap::new();
            members.insert("id".to_string(), Ordered::text(category));
            if category == "necessary" {
                members.insert("required".to_string(), Ordered::Bool(true));
            }
            categories.push(Ordered::Object(members));
            categories.len() - 1
        }
    };
    let Ordered::Object(members) = &mut categories[index] else { return None };
    let items = members.entry(list.to_string()).or_insert_with(|| Ordered::List(Vec::new()));
    let Ordered::List(items) = items else { return None };
    let covered = items.iter().any(|item| {
        let declared = item.as_str().or_else(|| item.member("name").and_then(Ordered::as_str));
        declared.is_some_and(|declared| matches(declared, name) || declared == name)
    });
    if covered {
        return None;
    }
    items.push(entry);
    Some((index, items.len() - 1))
}

/// A cookie's declaration; true when its purpose is in English only.
fn cookie_entry(name: &str, known: Option<&KnownCookie>, lifetime: Option<i64>, site_name: &str) -> (Ordered, bool) {
    let provider = known
        .map(|row| if row.controller.is_empty() { row.platform.clone() } else { row.controller.clone() })
        .unwrap_or_else(|| site_name.to_string());
    let (purpose, english_only) = purpose(known);
    let duration = match known.map(|row| row.retention) {
        Some(Retention::Session) => "session".to_string(),
        Some(Retention::Seconds(seconds)) => say_duration(seconds as i64),
        _ => lifetime.map_or("session".to_string(), say_duration),
    };
    let mut members = IndexMap::new();
    members.insert("name".to_string(), Ordered::text(name));
    members.insert("provider".to_string(), Ordered::Text(provider));
    members.insert("purpose".to_string(), purpose);
    members.insert("duration".to_string(), Ordered::Text(duration));
    (Ordered::Object(members), english_only)
}

/// The purpose in the five languages for a common platform; else an English sentence from its
/// category, flagged for translation.
fn purpose(known: Option<&KnownCookie>) -> (Ordered, bool) {
    static TEXTS: LazyLock<IndexMap<String, IndexMap<String, String>>> = LazyLock::new(|| {
        let all: IndexMap<String, serde_json::Value> =
            serde_json::from_str(PURPOSES).expect("purposes.json is JSON (a test reads it)");
        all.into_iter()
            .filter(|(platform, _)| !platform.starts_with('_'))
            .filter_map(|(platform, texts)| Some((platform, serde_json::from_value(texts).ok()?)))
            .collect()
    });
    if let Some(texts) = known.and_then(|row| TEXTS.get(&row.platform)) {
        let members =
            LANGUAGES.iter().filter_map(|code| Some((code.to_string(), Ordered::text(texts.get(*code)?)))).collect();
        return (Ordered::Object(members), false);
    }
    let sentence = match known {
        Some(row) => {
            let platform = &row.platform;
            match row.category.usual_id() {
                "analytics" => format!("Used by {platform} to measure how the site is used."),
                "marketing" => format!("Used by {platform} for advertising and to measure its effect."),
                "functional" => format!("Used by {platform} to remember the visitor's choices."),
                _ => format!("Used by {platform} to make the site work."),
            }
        }
        None => "Set by the site: say what it is for.".to_string(),
    };
    let mut members = IndexMap::new();
    members.insert("en".to_string(), Ordered::Text(sentence));
    (Ordered::Object(members), true)
}

/// Seconds as the configuration writes a duration: in the largest unit the lifetime fills
/// twice over (or exactly), rounded up, so that the declaration covers the cookie.
fn say_duration(seconds: i64) -> String {
    const UNITS: [(&str, i64); 5] =
        [("year", 366 * 86_400), ("month", 31 * 86_400), ("day", 86_400), ("hour", 3_600), ("minute", 60)];
    let seconds = seconds.max(1);
    let (unit, size) =
        UNITS.iter().copied().find(|(_, size)| seconds >= 2 * size || seconds % size == 0).unwrap_or(("minute", 60));
    let amount = (seconds + size - 1) / size;
    format!("{amount} {unit}{}", if amount == 1 { "" } else { "s" })
}

/// Whether a stated duration covers `seconds`.
#[cfg(test)]
fn covers(duration: &str, seconds: i64) -> bool {
    let parsed = consent_widget::core::duration::CookieDuration::try_from(duration.to_string()).unwrap();
    crate::judge::duration_seconds(parsed).is_some_and(|declared| declared >= seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_round_up_to_a_whole_unit() {
        assert_eq!(say_duration(2 * 366 * 86_400), "2 years");
        assert_eq!(say_duration(366 * 86_400), "1 year");
        assert_eq!(say_duration(400 * 86_400), "13 months");
        assert_eq!(say_duration(86_400), "1 day");
        assert_eq!(say_duration(1_800), "30 minutes");
        assert_eq!(say_duration(10), "1 minute");
        for seconds in [10, 1_800, 86_400, 90 * 86_400, 400 * 86_400, 800 * 86_400] {
            assert!(covers(&say_duration(seconds), seconds), "{seconds}");
        }
    }

    #[test]
    fn the_purposes_are_complete_in_five_languages() {
        let all: IndexMap<String, IndexMap<String, String>> = serde_json::from_str(PURPOSES).unwrap();
        let platforms: Vec<_> = all.keys().filter(|key| !key.starts_with('_')).collect();
        assert!(platforms.len() >= 30, "{}", platforms.len());
        let knowledge = Knowledge::load();
        for platform in platforms {
            let texts = &all[platform];
            for code in LANGUAGES {
                let text = texts.get(code).unwrap_or_else(|| panic!("{platform}: no {code}"));
                assert!(text.ends_with('.') && text.split_whitespace().count() >= 4, "{platform} {code}: {text}");
            }
            assert!(knowledge.has_platform(platform), "{platform} is a platform of the Open Cookie Database");
        }
    }

    #[test]
    fn a_site_s_order_of_keys_is_kept() {
        let text =
            r#"{"revision": 3, "company": {"name": "Shop"}, "categories": [{"id": "necessary", "required": true}]}"#;
        let tree: Ordered = serde_json::from_str(text).unwrap();
        let again = serde_json::to_string(&tree).unwrap();
        assert_eq!(
            again,
            r#"{"revision":3,"company":{"name":"Shop"},"categories":[{"id":"necessary","required":true}]}"#
        );
    }
}
