//! Splits each locale file in two: the UI strings are compiled into the widget, while the
//! policy (its document, the words of its generated sections and the countries' names) is
//! left out, to be fetched only when a visitor opens the policy
//! (scripts/package-widget.mjs writes it as `policy-<lang>.json` beside the wasm).
//! And writes the stylesheets without their comments and spare white space: they ship in the
//! wasm and, for the first layer, in the loader.

use std::path::Path;
use std::{env, fs};

const LANGUAGES: [&str; 5] = ["en", "fr", "de", "it", "es"];

fn main() {
    let out = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    for code in LANGUAGES {
        let source = format!("locales/{code}.json");
        println!("cargo:rerun-if-changed={source}");
        let text = fs::read_to_string(&source).unwrap_or_else(|error| panic!("{source}: {error}"));
        let mut locale: serde_json::Value =
            serde_json::from_str(&text).unwrap_or_else(|error| panic!("{source}: {error}"));
        // The policy file's members (src/core/policy.rs POLICY_MEMBERS) stay out of the wasm.
        if let Some(policy) = locale.get_mut("policy").and_then(serde_json::Value::as_object_mut) {
            for member in ["document", "sections", "countries"] {
                policy.remove(member);
            }
        }
        fs::write(Path::new(&out).join(format!("ui-{code}.json")), locale.to_string()).expect("OUT_DIR is writable");
    }
    for name in ["banner", "widget"] {
        let source = format!("src/ui/{name}.css");
        println!("cargo:rerun-if-changed={source}");
        let css = fs::read_to_string(&source).unwrap_or_else(|error| panic!("{source}: {error}"));
        fs::write(Path::new(&out).join(format!("{name}.min.css")), minify_css(&css)).expect("OUT_DIR is writable");
    }
}

/// Drops comments and the white space CSS does not need. Conservative: a space before `:` is
/// kept (`.cw-root :focus-visible` is a descendant selector), and no string holds `{};,:`.
fn minify_css(css: &str) -> String {
    let mut text = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        text.push_str(&rest[..start]);
        let end = rest[start..].find("*/").map_or(rest.len(), |end| start + end + 2);
        rest = &rest[end..];
    }
    text.push_str(rest);
    let mut text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for (spaced, tight) in
        [(" {", "{"), ("{ ", "{"), (" }", "}"), ("} ", "}"), ("; ", ";"), (", ", ","), (": ", ":"), (";}", "}")]
    {
        text = text.replace(spaced, tight);
    }
    text
}
