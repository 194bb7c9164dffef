//! Systematic variants of a valid document, each a step away from it: every member removed,
//! given twice, or given a value of the wrong type, out of range or empty; an unknown member
//! in every object; items added to, repeated in and removed from every array.

use crate::core::json::Json;

/// A way down a document: a member by its position in its object, or an array item.
#[derive(Debug, Clone, Copy)]
enum Step {
    Member(usize),
    Item(usize),
}

/// Values put in place of each value: every JSON type, numbers out of every range the formats
/// use (and in forms only some readers take), empty and unusual strings.
fn replacements() -> Vec<Json> {
    let number = |text: &str| Json::Number(text.to_string());
    let mut values = vec![Json::Null, Json::Bool(true), Json::Bool(false)];
    for text in ["0", "1", "-1", "-0", "1.5", "1.0", "1e2", "4294967295", "4294967296", "9223372036854775808"] {
        values.push(number(text));
    }
    for text in ["", " ", "x", "en", "session", "0 days", "2026-02-30", "bottom-right", "scc", "accept_all"] {
        values.push(Json::from(text));
    }
    values.push(Json::from("6f1c2b9e-8d7a-4e3b-9c1d-2a3b4c5d6e7f"));
    values.push(Json::Array(Vec::new()));
    values.push(Json::Array(vec![Json::from("x")]));
    values.push(Json::Object(Vec::new()));
    values.push(Json::object([("en", Json::from("x"))]));
    values
}

/// Every variant of `document`, each with a description of the change for failure messages.
pub fn of(document: &Json) -> Vec<(String, Json)> {
    let mut paths = Vec::new();
    collect_paths(document, &mut Vec::new(), &mut paths);
    let replacements = replacements();
    let mut variants = Vec::new();
    for path in &paths {
        let described = describe(document, path);
        let mut change = |what: String, edit: &dyn Fn(&mut Json)| {
            let mut variant = document.clone();
            edit(&mut variant);
            variants.push((format!("{described}: {what}"), variant));
        };
        if let Some((Step::Member(index), parent)) = path.split_last() {
            let index = *index;
            change("removed".into(), &|doc| {
                members(at(doc, parent)).remove(index);
            });
            change("given twice".into(), &|doc| {
                let members = members(at(doc, parent));
                let member = members[index].clone();
                members.insert(index + 1, member);
            });
        }
        for value in &replacements {
            change(format!("replaced by {value}"), &|doc| *at(doc, path) = value.clone());
        }
        match at(&mut document.clone(), path).clone() {
            Json::Object(_) => {
                let unknown = ("unknownMember".to_string(), Json::Number("1".into()));
                change("an unknown member".into(), &|doc| members(at(doc, path)).push(unknown.clone()));
            }
            Json::Array(items) => {
                let first = items.first().cloned();
                for value in
                    [Json::from("x"), Json::from(""), Json::Number("1".into()), Json::Null, Json::Object(Vec::new())]
                {
                    change(format!("{value} added"), &|doc| items_of(at(doc, path)).push(value.clone()));
                }
                if let Some(first) = first {
                    change("first item repeated".into(), &|doc| items_of(at(doc, path)).push(first.clone()));
                    change("first item removed".into(), &|doc| {
                        items_of(at(doc, path)).remove(0);
                    });
                }
            }
            _ => {}
        }
    }
    variants
}

fn collect_paths(value: &Json, path: &mut Vec<Step>, paths: &mut Vec<Vec<Step>>) {
    paths.push(path.clone());
    let children: Vec<(Step, &Json)> = match value {
        Json::Object(members) => {
            members.iter().enumerate().map(|(index, (_, value))| (Step::Member(index), value)).collect()
        }
        Json::Array(items) => items.iter().enumerate().map(|(index, value)| (Step::Item(index), value)).collect(),
        _ => Vec::new(),
    };
    for (step, child) in children {
        path.push(step);
        collect_paths(child, path, paths);
        path.pop();
    }
}

fn at<'a>(mut value: &'a mut Json, path: &[Step]) -> &'a mut Json {
    for step in path {
        value = match (value, step) {
            (Json::Object(members), Step::Member(index)) => &mut members[*index].1,
            (Json::Array(items), Step::Item(index)) => &mut items[*index],
            _ => unreachable!("paths come from the same document"),
        };
    }
    value
}

fn members(value: &mut Json) -> &mut Vec<(String, Json)> {
    match value {
        Json::Object(members) => members,
        _ => unreachable!("a member's parent is an object"),
    }
}

fn items_of(value: &mut Json) -> &mut Vec<Json> {
    match value {
        Json::Array(items) => items,
        _ => unreachable!("checked to be an array"),
    }
}

/// `categories[1].cookies[0].duration`, as both readers name fields.
fn describe(document: &Json, path: &[Step]) -> String {
    let mut value = document;
    let mut out = String::from("(root)");
    for step in path {
        match (value, step) {
            (Json::Object(members), Step::Member(index)) => {
                out.push('.');
                out.push_str(&members[*index].0);
                value = &members[*index].1;
            }
            (Json::Array(items), Step::Item(index)) => {
                out.push_str(&format!("[{index}]"));
                value = &items[*index];
            }
            _ => unreachable!("paths come from the same document"),
        }
    }
    out
}
