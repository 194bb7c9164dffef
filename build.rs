//! Splits each locale file in two: the UI strings are compiled into the widget, while the
//! policy (its document, the words of its generated sections and the countries' names) is
//! left out, to be fetched only when a visitor opens the policy
//! (scripts/package-widget.mjs writes it as `policy-<lang>.json` beside the wasm).
//! And writes the stylesheets without their comments and spare white space: they ship in the
//! wasm and, for the first layer, in the loader. And the SHA-256 of each locale file, which the
//! text behind a record's hash names (src/core/record.rs): every built-in word, the policy's
//! included, is pinned by it.

use sha2::{Digest, Sha256};
use std::fmt::Write;
use std::path::Path;
use std::{env, fs};

const LANGUAGES: [&str; 5] = ["en", "fr", "de", "it", "es"];

fn main() {
    let out = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let mut hashes = String::from(
        "/// SHA-256 of each `locales/<code>.json`, as lower-case hex.\npub const LOCALE_SOURCES: [(&str, &str); 5] = [\n",
    );
    for code in LANGUAGES {
        let source = format!("locales/{code}.json");
        println!("cargo:rerun-if-changed={source}");
        let text = fs::read_to_string(&source).unwrap_or_else(|error| panic!("{source}: {error}"));
        let digest: String = Sha256::digest(text.as_bytes()).iter().map(|byte| format!("{byte:02x}")).collect();
        writeln!(hashes, "    (\"{code}\", \"{digest}\"),").expect("a String takes writes");
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
    hashes.push_str("];\n");
    fs::write(Path::new(&out).join("locale_sources.rs"), hashes).expect("OUT_DIR is writable");
    catalogue_ids(&out);
    for name in ["banner", "widget"] {
        let source = format!("src/ui/{name}.css");
        println!("cargo:rerun-if-changed={source}");
        let css = fs::read_to_string(&source).unwrap_or_else(|error| panic!("{source}: {error}"));
        fs::write(Path::new(&out).join(format!("{name}.min.css")), minify_css(&css)).expect("OUT_DIR is writable");
    }
}

/// The catalogue's entries (catalogue/services/<id>.json), sorted by id, each with the first 16
/// bytes of its SHA-256: the wasm knows which presets exist, and checks the file it is given,
/// without carrying them (src/core/catalogue.rs).
fn catalogue_ids(out: &str) {
    println!("cargo:rerun-if-changed=catalogue/services");
    let mut files: Vec<_> = fs::read_dir("catalogue/services")
        .expect("catalogue/services")
        .filter_map(|file| file.ok().map(|file| file.path()))
        .filter(|path| path.extension().is_some_and(|extension| extension == "json"))
        .collect();
    // By id (`matomo` before `matomo-cloud`), as `binary_search` on the ids expects.
    files.sort_by_key(|path| path.file_stem().map(|stem| stem.to_owned()));
    let mut ids = Vec::new();
    let mut hashes = Vec::new();
    let mut texts = Vec::new();
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let bytes = fs::read(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        ids.push(format!("{:?}", path.file_stem().and_then(|stem| stem.to_str()).expect("a UTF-8 file name")));
        hashes.push(format!("{:?}", &Sha256::digest(&bytes)[..16]));
        let absolute = fs::canonicalize(path).expect("the file was just read");
        texts.push(format!("include_str!({:?})", absolute.display().to_string()));
    }
    // The entries themselves, for native readers (the scanner, the server's policy page).
    let code =
        format!("/// Each entry's text, in the order of `IDS`.\npub const TEXTS: &[&str] = &[{}];\n", texts.join(", "));
    fs::write(Path::new(out).join("catalogue_texts.rs"), code).expect("OUT_DIR is writable");
    let code = format!(
        "/// Every catalogue entry's id, sorted.\npub const IDS: &[&str] = &[{}];\n\
         /// The first 16 bytes of each entry's SHA-256, in the order of `IDS`.\npub const HASHES: &[[u8; 16]] = &[{}];\n",
        ids.join(", "),
        hashes.join(", ")
    );
    fs::write(Path::new(out).join("catalogue_ids.rs"), code).expect("OUT_DIR is writable");
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
