//! The first layer rendered ahead of time, by the same Yew components the wasm runs, so that
//! the loader can show the banner before the wasm has arrived, and the wasm's first render,
//! the same markup, can take its place without a visible change.
//!
//! The banner depends on the site (its text overrides, its languages) and on the visitor
//! (language, Global Privacy Control), which only the loader knows. So it is rendered once,
//! with every text replaced by a slot naming its key, with every language in the switcher, the
//! GPC notice shown and one optional category whose purpose is the slot `@purpose`; the loader
//! fills the slots, repeats that purpose for each of the site's optional categories and drops
//! what does not apply. What it needs is written out as one JSON document (see [`first_layer`]):
//!
//! - `template`: the markup as a tree: a text is a string, an element is
//!   `[tag, {attributes}, ...children]`. Texts and attribute values may hold slots,
//!   `\u{E000}key\u{E001}`.
//! - `texts`: for each language, the built-in text of every key a slot names, and the purposes
//!   of the well-known categories (`categories.<id>.purpose`, where the locale has one).
//! - `styles`: the first layer's stylesheet (`ui/banner.css`; the wasm adds `ui/widget.css`).
//! - `catalogue`: for each catalogue entry, what the loader needs before the wasm to hold its
//!   elements (`category`, `hosts`) and, for an embed, to explain its placeholder (`name`,
//!   `provider`, `country`, `content` by language, `noCookieHost`): js/blocking.js, js/embeds.js.

use crate::core::SUPPORTED_LANGUAGES;
use crate::core::config::{Config, LanguageSettings, Text, WELL_KNOWN_CATEGORIES};
use crate::core::consent::State;
use crate::core::i18n::Locale;
use crate::ui::{App, AppProps};
use serde_json::{Map, Value, json};
use std::collections::BTreeSet;
use std::rc::Rc;

/// Opens and closes a slot in the rendered markup: characters from Unicode's private use area,
/// which no locale text contains.
pub const SLOT_OPEN: char = '\u{E000}';
pub const SLOT_CLOSE: char = '\u{E001}';
/// The slot that stands for the visitor's language code (the `lang` attributes).
pub const LANGUAGE_SLOT: &str = "@lang";
/// The slot that stands for one optional category's purpose, in the banner's list of purposes.
pub const PURPOSE_SLOT: &str = "@purpose";
const EACH_CATEGORY: &str = "@each";

pub fn slot(key: &str) -> String {
    format!("{SLOT_OPEN}{key}{SLOT_CLOSE}")
}

/// The first layer as the loader needs it: template, texts by language, styles.
pub fn first_layer() -> Value {
    let template = conditional_template();
    let mut keys = BTreeSet::new();
    collect_slots(&template, &mut keys);
    keys.remove(LANGUAGE_SLOT);
    keys.remove(PURPOSE_SLOT);
    // The purposes of the well-known categories, which the loader picks per site.
    keys.extend(WELL_KNOWN_CATEGORIES.iter().map(|id| format!("categories.{id}.purpose")));
    // The words of a held embed's placeholder (js/embeds.js), with the categories' titles.
    keys.extend(WELL_KNOWN_CATEGORIES.iter().map(|id| format!("categories.{id}.title")));
    keys.extend(PLACEHOLDER_KEYS.iter().map(|key| key.to_string()));
    let texts: Map<String, Value> = SUPPORTED_LANGUAGES
        .iter()
        .map(|code| {
            let locale = Locale::builtin(code);
            let strings = keys.iter().filter_map(|key| Some((key.clone(), Value::from(locale.get(key)?)))).collect();
            (code.to_string(), Value::Object(strings))
        })
        .collect();
    json!({
        "languages": SUPPORTED_LANGUAGES,
        "template": Value::Array(template),
        "texts": texts,
        "styles": include_str!(concat!(env!("OUT_DIR"), "/banner.min.css")),
        "catalogue": catalogue(),
    })
}

/// The locale texts of a held embed's placeholder.
pub const PLACEHOLDER_KEYS: [&str; 6] =
    ["placeholder.text", "placeholder.button", "embed.label", "embed.notice", "embed.loadOnce", "embed.alwaysAllow"];

/// Each catalogue entry's category and hosts, and for an embed its placeholder's facts.
fn catalogue() -> Value {
    let entries: Map<String, Value> = crate::core::catalogue::IDS
        .iter()
        .map(|id| {
            let text = crate::core::catalogue::built_in(id).expect("an id of the catalogue has its entry");
            let entry: Value = serde_json::from_str(&text).expect("a catalogue entry is JSON");
            let mut out = json!({ "category": entry["category"], "hosts": entry["hosts"] });
            if let Some(embed) = entry.get("embed") {
                out["embed"] = json!({
                    "name": entry["name"],
                    "provider": entry["provider"],
                    "country": entry["country"],
                    "content": embed["content"],
                    "noCookieHost": embed.get("noCookieHost").cloned().unwrap_or(Value::Null),
                });
            }
            (id.to_string(), out)
        })
        .collect();
    Value::Object(entries)
}

/// What the banner shows or leaves out by the visitor's case, which only the loader knows.
#[derive(Clone, Copy)]
struct Case {
    /// The browser sends Global Privacy Control: the notice.
    gpc: bool,
    /// The site enables two languages or more: the switcher.
    languages: bool,
    /// The site has optional categories: their purposes.
    purposes: bool,
}

const SUPERSET: Case = Case { gpc: true, languages: true, purposes: true };

/// The template, each element that a case leaves out marked with `"@if"` and the case's name
/// (`gpc`, `languages`, `purposes`; several separated by spaces), and the list whose one item is
/// repeated for each optional category marked `"@each": "purpose"`. Found by rendering each case
/// apart and comparing it with the superset, so that the loader never reads the components'
/// classes to decide.
fn conditional_template() -> Vec<Value> {
    let parse = |case: Case| {
        parse_html(&render_case(case))
            .unwrap_or_else(|error| panic!("the rendered banner is not what Yew writes: {error}"))
    };
    let mut template = parse(SUPERSET);
    let cases = [
        ("gpc", Case { gpc: false, ..SUPERSET }),
        ("languages", Case { languages: false, ..SUPERSET }),
        ("purposes", Case { purposes: false, ..SUPERSET }),
    ];
    // Each case against the superset as rendered, before any mark is added to it.
    let missing: Vec<(&str, Vec<Vec<usize>>)> = cases
        .into_iter()
        .map(|(name, case)| {
            let mut paths = Vec::new();
            find_missing(&template, &parse(case), &mut Vec::new(), &mut paths);
            assert!(!paths.is_empty(), "the case `{name}` changes nothing in the banner");
            (name, paths)
        })
        .collect();
    for (name, paths) in missing {
        for path in paths {
            mark(&mut template, &path, name);
        }
    }
    mark_repeated(&mut template);
    template
}

/// The paths (child indexes from the root) of the elements of `full` that `less` leaves out.
/// `less` differs from `full` only by elements left out, so the two are walked side by side.
fn find_missing(full: &[Value], less: &[Value], path: &mut Vec<usize>, missing: &mut Vec<Vec<usize>>) {
    let mut next = 0;
    for (index, node) in full.iter().enumerate() {
        path.push(index);
        match less.get(next) {
            Some(other) if other == node => next += 1,
            Some(Value::Array(other)) if matches!(node, Value::Array(parts) if parts[..2] == other[..2]) => {
                // The same element with less inside it.
                let Value::Array(parts) = node else { unreachable!() };
                find_missing(&parts[2..], &other[2..], path, missing);
                next += 1;
            }
            _ => missing.push(path.clone()),
        }
        path.pop();
    }
}

fn element_at<'a>(nodes: &'a mut [Value], path: &[usize]) -> &'a mut Vec<Value> {
    let Value::Array(parts) = &mut nodes[path[0]] else { panic!("a text is never left out alone") };
    if path.len() == 1 { parts } else { element_at(&mut parts[2..], &path[1..]) }
}

fn mark(template: &mut [Value], path: &[usize], case: &str) {
    let Value::Object(attributes) = &mut element_at(template, path)[1] else { unreachable!() };
    let marked = match attributes.get("@if").and_then(Value::as_str) {
        Some(before) => format!("{before} {case}"),
        None => case.to_string(),
    };
    attributes.insert("@if".into(), marked.into());
}

/// Marks the purposes' list: the element left out without optional categories that holds the
/// `@purpose` slot.
fn mark_repeated(nodes: &mut [Value]) {
    for node in nodes {
        let Value::Array(parts) = node else { continue };
        let holds_slot = {
            let mut keys = BTreeSet::new();
            collect_slots(&parts[2..], &mut keys);
            keys.contains(PURPOSE_SLOT)
        };
        let Value::Object(attributes) = &mut parts[1] else { continue };
        let purposes = attributes
            .get("@if")
            .and_then(Value::as_str)
            .is_some_and(|cases| cases.split(' ').any(|c| c == "purposes"));
        if purposes && holds_slot {
            attributes.insert("@each".into(), "purpose".into());
            return;
        }
        mark_repeated(&mut parts[2..]);
    }
}

/// The app's markup with the banner showing, every text a slot, every language in the
/// switcher and the GPC notice on: the superset the loader trims to the visitor's case.
pub fn render_template_html() -> String {
    render_case(SUPERSET)
}

fn render_case(case: Case) -> String {
    let language = slot(LANGUAGE_SLOT);
    let english = Locale::builtin("en");
    let slots = english.keys().map(|(key, _)| (key.clone(), slot(key))).collect();
    let mut config = Config {
        languages: LanguageSettings::default(),
        texts: vec![(language.clone(), slots)],
        ..Config::safe_fallback("")
    };
    // One optional category whose purpose is a slot: the loader repeats its item for each of
    // the site's optional categories.
    if case.purposes {
        let mut each = config.categories[0].clone();
        each.id = EACH_CATEGORY.to_string();
        each.required = false;
        each.title = Some(Text::Same(slot(PURPOSE_SLOT)));
        config.categories.push(each);
    }
    if !case.languages {
        config.languages.enabled = vec!["en".to_string()];
    }
    let state = State::start(&config, None, language, 0).with_gpc(case.gpc);
    let props = AppProps { config: Rc::new(config), state, decided: None, opening: None, replaces: None };
    futures::executor::block_on(yew::LocalServerRenderer::<App>::with_props(props).hydratable(false).render())
}

/// Elements Yew writes without an end tag.
const VOID_ELEMENTS: [&str; 6] = ["br", "hr", "img", "input", "link", "meta"];

/// Reads the markup Yew's server renderer writes (well-formed, attributes double-quoted,
/// `&amp; &lt; &gt; &quot;` escapes) into the template's tree.
pub fn parse_html(html: &str) -> Result<Vec<Value>, String> {
    let mut stack: Vec<(String, Vec<Value>)> = vec![(String::new(), Vec::new())];
    let mut rest = html;
    while !rest.is_empty() {
        let children = &mut stack.last_mut().ok_or("unbalanced markup")?.1;
        if rest.starts_with("<!--") {
            return Err("comments are not expected in rendered markup".to_string());
        } else if let Some(after) = rest.strip_prefix("</") {
            let end = after.find('>').ok_or("unterminated end tag")?;
            let (tag, children) = stack.pop().ok_or("unbalanced markup")?;
            if tag != after[..end] {
                return Err(format!("`</{}>` closes `<{tag}>`", &after[..end]));
            }
            let mut element = vec![Value::from(tag)];
            element.extend(children);
            stack.last_mut().ok_or("unbalanced markup")?.1.push(Value::Array(element));
            rest = &after[end + 1..];
        } else if let Some(after) = rest.strip_prefix('<') {
            let (tag, attributes, remaining) = start_tag(after)?;
            rest = remaining;
            if VOID_ELEMENTS.contains(&tag.as_str()) {
                children.push(json!([tag, attributes]));
            } else {
                stack.push((tag, vec![Value::Object(attributes)]));
            }
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            children.push(Value::from(unescape(&rest[..end])));
            rest = &rest[end..];
        }
    }
    match stack.pop() {
        Some((tag, children)) if tag.is_empty() && stack.is_empty() => Ok(children),
        Some((tag, _)) => Err(format!("`<{tag}>` is never closed")),
        None => Err("unbalanced markup".to_string()),
    }
}

/// `tag name="value" ...>` after the `<`: the tag, its attributes, and what follows.
fn start_tag(text: &str) -> Result<(String, Map<String, Value>, &str), String> {
    let end = text.find('>').ok_or("unterminated start tag")?;
    let (inside, rest) = (&text[..end], &text[end + 1..]);
    let (tag, mut attributes_text) = inside.split_once(' ').unwrap_or((inside, ""));
    let mut attributes = Map::new();
    while !attributes_text.trim().is_empty() {
        let trimmed = attributes_text.trim_start();
        let (name, after) = match trimmed.find(['=', ' ']) {
            Some(index) if trimmed.as_bytes()[index] == b'=' => (&trimmed[..index], &trimmed[index + 1..]),
            // A boolean attribute, written without a value.
            Some(index) => (&trimmed[..index], &trimmed[index..]),
            None => (trimmed, ""),
        };
        if let Some(quoted) = after.strip_prefix('"') {
            let close = quoted.find('"').ok_or_else(|| format!("unterminated value of `{name}`"))?;
            attributes.insert(name.to_string(), Value::from(unescape(&quoted[..close])));
            attributes_text = &quoted[close + 1..];
        } else {
            attributes.insert(name.to_string(), Value::from(""));
            attributes_text = after;
        }
    }
    Ok((tag.to_string(), attributes, rest))
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
}

fn collect_slots(nodes: &[Value], keys: &mut BTreeSet<String>) {
    for node in nodes {
        match node {
            Value::String(text) => slots_in(text, keys),
            Value::Array(parts) => {
                if let Some(Value::Object(attributes)) = parts.get(1) {
                    attributes.values().filter_map(Value::as_str).for_each(|value| slots_in(value, keys));
                }
                collect_slots(parts.get(2..).unwrap_or_default(), keys);
            }
            _ => {}
        }
    }
}

fn slots_in(text: &str, keys: &mut BTreeSet<String>) {
    for piece in text.split(SLOT_OPEN).skip(1) {
        if let Some((key, _)) = piece.split_once(SLOT_CLOSE) {
            keys.insert(key.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yew_markup_becomes_a_tree_of_elements_and_texts() {
        let html = r#"<div lang="fr" class="x"><p>a &amp; b <button type="button" aria-label="say &quot;hi&quot;">go</button></p><input type="checkbox" checked><br></div>"#;
        let tree = parse_html(html).unwrap();
        assert_eq!(
            Value::Array(tree),
            json!([
                ["div", {"lang": "fr", "class": "x"},
                    ["p", {}, "a & b ", ["button", {"type": "button", "aria-label": "say \"hi\""}, "go"]],
                    ["input", {"type": "checkbox", "checked": ""}],
                    ["br", {}]]
            ])
        );
    }

    /// What each case leaves out, found by rendering it: the loader trims by these marks only.
    #[test]
    fn the_template_marks_what_each_visitors_case_leaves_out() {
        fn marked(nodes: &[Value], found: &mut Vec<(String, String, String)>) {
            for node in nodes {
                let Value::Array(parts) = node else { continue };
                let attributes = parts[1].as_object().unwrap();
                let get = |key: &str| attributes.get(key).and_then(Value::as_str).unwrap_or_default().to_string();
                if attributes.contains_key("@if") {
                    found.push((get("class"), get("@if"), get("@each")));
                }
                marked(&parts[2..], found);
            }
        }
        let layer = first_layer();
        let mut found = Vec::new();
        marked(layer["template"].as_array().unwrap(), &mut found);
        let found: Vec<(&str, &str, &str)> =
            found.iter().map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str())).collect();
        assert_eq!(
            found,
            [
                ("cw-language", "languages", ""),
                ("cw-purposes-intro", "purposes", ""),
                ("cw-purposes", "purposes", "purpose"),
                ("cw-gpc", "gpc", ""),
            ]
        );
        assert_eq!(layer["languages"], json!(SUPPORTED_LANGUAGES));
    }

    #[test]
    fn broken_markup_is_refused() {
        assert!(parse_html("<div><p></div>").is_err());
        assert!(parse_html("<div>").is_err());
        assert!(parse_html("<!--<[App]>-->").is_err());
    }

    #[test]
    fn the_first_layer_names_every_text_by_its_key_and_has_it_in_each_language() {
        let layer = first_layer();
        let html = render_template_html();
        assert!(!html.contains("Accept all"), "no English text is rendered into the template");
        for key in
            ["banner.title", "banner.acceptAll", "banner.rejectAll", "banner.customize", "gpc.notice", "language.label"]
        {
            assert!(html.contains(&slot(key)), "{key} is a slot");
            for code in SUPPORTED_LANGUAGES {
                let text = layer["texts"][code][key].as_str().unwrap();
                assert_eq!(text, Locale::builtin(code).text(key));
            }
        }
        assert_eq!(layer["texts"]["fr"]["banner.acceptAll"], "Tout accepter");
        for code in SUPPORTED_LANGUAGES {
            assert!(html.contains(&format!("<option lang=\"{code}\" value=\"{code}\">")), "{code} can be chosen");
        }
        assert!(layer["styles"].as_str().unwrap().contains(".cw-banner"));
    }
}
