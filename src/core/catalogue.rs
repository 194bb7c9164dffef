//! Known services (`catalogue/services/<id>.json`): a category names one with
//! `{ "preset": "youtube" }` in its services, and may override any field of it. The entries are
//! facts (the provider's legal entity, country and safeguard, cookies and storage keys with their
//! purposes in five languages), so a site declares a service in one line.
//!
//! The wasm does not carry the entries: it carries their ids, and the loader fetches the entries
//! a configuration names (each a file beside the wasm, like the policy texts). `expand` then
//! writes them into the configuration's JSON before it is read, so both readers (the hand-written
//! one and serde) see one plain configuration, and the text behind a record's hash holds them.

use super::config::{Config, ConfigError};
use super::json::{self, Json};

// `IDS`: every entry's id, sorted, and `HASHES`: the start of each file's SHA-256 (written by
// build.rs from catalogue/services/).
include!(concat!(env!("OUT_DIR"), "/catalogue_ids.rs"));

/// The fields of a catalogue entry that become the service's; the rest (cookies, storage) go
/// to its category, and embed is for the loader (the prerendered first layer carries it).
const SERVICE_FIELDS: [&str; 10] =
    ["id", "name", "description", "provider", "country", "safeguard", "role", "privacyPolicy", "signal", "hosts"];

/// In an entry of a self-hosted tool, stands for the company itself (its name, its country).
const THE_COMPANY: &str = "{company}";

/// The entries themselves, in native builds only: the wasm fetches those it needs.
#[cfg(not(target_arch = "wasm32"))]
mod texts {
    include!(concat!(env!("OUT_DIR"), "/catalogue_texts.rs"));
}

/// The entry `id` as this build carries it (the scanner's and the server's reader).
#[cfg(not(target_arch = "wasm32"))]
pub fn built_in(id: &str) -> Result<String, String> {
    IDS.binary_search(&id)
        .map(|index| texts::TEXTS[index].to_string())
        .map_err(|_| format!("`{id}` is not in the catalogue"))
}

/// Reads a configuration whose presets are written out from `entry`; its digest is the one of
/// `text`, as the site wrote it, which is what the loader knows and marks consents with.
pub fn read_config(text: &str, entry: impl Fn(&str) -> Result<String, String>) -> Result<Config, ConfigError> {
    let mut config = Config::from_json(&expand(text, entry)?)?;
    config.digest = Some(super::cookie::config_digest(text));
    Ok(config)
}

/// Whether `id` names a catalogue entry.
pub fn is_known(id: &str) -> bool {
    IDS.binary_search(&id).is_ok()
}

/// Whether `text` is the entry `id` this build was made with, byte for byte: a file changed
/// or swapped on its way is not used.
pub fn is_entry(id: &str, text: &str) -> bool {
    use sha2::{Digest, Sha256};
    IDS.binary_search(&id).is_ok_and(|index| Sha256::digest(text.as_bytes())[..16] == HASHES[index])
}

/// The known entries a configuration names, sorted and once each; none when it is not JSON (the
/// reader then says why).
pub fn presets_named(text: &str) -> Vec<String> {
    let Ok(root) = json::parse(text) else { return Vec::new() };
    let named: Vec<&str> = preset_items(&root).filter_map(|item| item.get("preset").and_then(Json::as_str)).collect();
    // In the order of `IDS`, which is sorted: no sort to carry in the wasm.
    IDS.iter().filter(|id| named.contains(id)).map(|id| id.to_string()).collect()
}

fn preset_items(root: &Json) -> impl Iterator<Item = &Json> {
    let categories = match root.get("categories") {
        Some(Json::Array(categories)) => categories.as_slice(),
        _ => &[],
    };
    categories.iter().flat_map(|category| match category.get("services") {
        Some(Json::Array(services)) => services.iter().filter(|item| item.get("preset").is_some()).collect(),
        _ => Vec::new(),
    })
}

/// The configuration with each `{ "preset": id, ...overrides }` written out from its entry:
/// `entry(id)` gives the entry's JSON text, or why it could not be loaded. A configuration that
/// names no preset comes back unchanged, byte for byte (its digest stays the loader's).
pub fn expand(text: &str, entry: impl Fn(&str) -> Result<String, String>) -> Result<String, ConfigError> {
    let Ok(mut root) = json::parse(text) else { return Ok(text.to_string()) };
    if preset_items(&root).next().is_none() {
        return Ok(text.to_string());
    }
    let company = Company::of(&root);
    let Some(Json::Array(categories)) = member_mut(&mut root, "categories") else { return Ok(text.to_string()) };
    for (category_index, category) in categories.iter_mut().enumerate() {
        let Some(Json::Array(services)) = member_mut(category, "services") else { continue };
        let mut cookies = Vec::new();
        let mut storage = Vec::new();
        for (service_index, item) in services.iter_mut().enumerate() {
            if item.get("preset").is_none() {
                continue;
            }
            let path = format!("categories[{category_index}].services[{service_index}]");
            let found = Entry::load(item, &path, &entry, &company)?;
            cookies.extend(found.cookies);
            storage.extend(found.storage);
            *item = found.service;
        }
        append_missing(category, "cookies", cookies, |cookie| cookie.get("name").and_then(Json::as_str));
        append_missing(category, "storage", storage, Json::as_str);
    }
    Ok(root.to_string())
}

/// What the configuration says of the company, for the entries of self-hosted tools.
struct Company {
    name: Option<String>,
    country: Option<String>,
}

impl Company {
    fn of(root: &Json) -> Company {
        let company = root.get("company");
        let field = |name: &str| company.and_then(|company| company.get(name)).and_then(Json::as_str);
        // The national jurisdictions are countries; `EU` is not one.
        let country = field("jurisdiction").map_or(Some("CH"), |code| Some(code).filter(|code| *code != "EU"));
        Company { name: field("name").map(str::to_string), country: country.map(str::to_string) }
    }
}

/// One preset written out: the service, and the cookies and storage keys its category gains.
struct Entry {
    service: Json,
    cookies: Vec<Json>,
    storage: Vec<Json>,
}

impl Entry {
    fn load(
        item: &Json,
        path: &str,
        entry: &impl Fn(&str) -> Result<String, String>,
        company: &Company,
    ) -> Result<Entry, ConfigError> {
        let error = |field: &str, message: String| ConfigError { path: format!("{path}.{field}"), message };
        let id = item
            .get("preset")
            .and_then(Json::as_str)
            .ok_or_else(|| error("preset", "a preset is the id of a catalogue entry, e.g. \"youtube\"".into()))?;
        if !is_known(id) {
            return Err(error("preset", format!("`{id}` is not in the catalogue (catalogue/README.md lists its ids)")));
        }
        let text = entry(id)
            .map_err(|reason| error("preset", format!("the catalogue entry `{id}` did not load: {reason}")))?;
        let known = json::parse(&text)
            .map_err(|problem| error("preset", format!("the catalogue entry `{id}` is not JSON: {problem}")))?;
        let mut service = Json::Object(Vec::new());
        for field in SERVICE_FIELDS {
            match known.get(field) {
                // The catalogue says `"none"` of a service that takes no signal.
                Some(Json::Null) | None => {}
                Some(Json::String(none)) if field == "signal" && none == "none" => {}
                Some(value) => set(&mut service, field, value.clone()),
            }
        }
        for (field, known_as) in [("provider", &company.name), ("country", &company.country)] {
            if service.get(field).and_then(Json::as_str) == Some(THE_COMPANY) {
                match known_as {
                    Some(value) => set(&mut service, field, Json::from(value.as_str())),
                    None => remove(&mut service, field),
                }
            }
        }
        if let Json::Object(overrides) = item {
            for (field, value) in overrides.iter().filter(|(field, _)| field != "preset") {
                set(&mut service, field, value.clone());
            }
        }
        if service.get("country").is_none() {
            return Err(error("country", format!("`{id}` runs where the company hosts it: give its country")));
        }
        let provider = service.get("provider").cloned().unwrap_or(Json::Null);
        let cookies = match known.get("cookies") {
            Some(Json::Array(cookies)) => cookies
                .iter()
                .map(|cookie| {
                    let field = |name: &str| cookie.get(name).cloned().unwrap_or(Json::Null);
                    Json::object([
                        ("name", field("name")),
                        ("provider", provider.clone()),
                        ("purpose", field("purpose")),
                        ("duration", field("duration")),
                    ])
                })
                .collect(),
            _ => Vec::new(),
        };
        let storage = match known.get("storage") {
            Some(Json::Array(keys)) => keys.clone(),
            _ => Vec::new(),
        };
        Ok(Entry { service, cookies, storage })
    }
}

/// Adds to the category's list `name` what it does not hold yet (by `key`): what a site
/// declares itself stays as it wrote it.
fn append_missing(category: &mut Json, name: &str, items: Vec<Json>, key: fn(&Json) -> Option<&str>) {
    if items.is_empty() {
        return;
    }
    if category.get(name).is_none() {
        set(category, name, Json::Array(Vec::new()));
    }
    let Some(Json::Array(list)) = member_mut(category, name) else { return };
    for item in items {
        let seen = key(&item);
        if !list.iter().any(|held| key(held) == seen) {
            list.push(item);
        }
    }
}

fn member_mut<'a>(object: &'a mut Json, name: &str) -> Option<&'a mut Json> {
    match object {
        Json::Object(members) => members.iter_mut().find(|(key, _)| key == name).map(|(_, value)| value),
        _ => None,
    }
}

fn set(object: &mut Json, name: &str, value: Json) {
    if let Some(slot) = member_mut(object, name) {
        *slot = value;
    } else if let Json::Object(members) = object {
        members.push((name.to_string(), value));
    }
}

fn remove(object: &mut Json, name: &str) {
    if let Json::Object(members) = object {
        members.retain(|(key, _)| key != name);
    }
}

// Native: they read the entries from the repository.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
