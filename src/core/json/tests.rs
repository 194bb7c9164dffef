use super::*;

fn reference(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap()
}

/// Our reading of `text`, written back and read by serde_json.
fn through_us(text: &str) -> serde_json::Value {
    serde_json::from_str(&parse(text).unwrap().to_string()).unwrap()
}

#[test]
fn every_shipped_document_reads_and_writes_back_unchanged() {
    for code in crate::core::SUPPORTED_LANGUAGES {
        let locale = crate::core::i18n::full_source(code).unwrap();
        assert_eq!(through_us(locale), reference(locale), "{code}");
    }
    let demo = include_str!("../../../www/consent-config.json");
    assert_eq!(through_us(demo), reference(demo));
}

#[test]
fn escapes_and_unicode_round_trip() {
    let text = r#"{"a":"quote \" backslash \\ slash \/ tab \t nl \n cr \r bs \b ff \f","b":"\u00e9\u20ac\ud83d\ude00 é €","c":"\u0001"}"#;
    assert_eq!(through_us(text), reference(text));
    let value = parse(text).unwrap();
    assert_eq!(value.get("b").and_then(Json::as_str), Some("é€😀 é €"));
    assert_eq!(value.get("c").unwrap().to_string(), r#""\u0001""#);
}

#[test]
fn numbers_keep_their_text_and_read_as_whole_numbers() {
    let value = parse(r#"[0, -1, 42, 1.5, 2e3, -0.25E-2, 9007199254740993]"#).unwrap();
    let items = Field::root(&value).array().unwrap();
    assert_eq!(items[2].integer::<u32>(), Ok(42));
    assert_eq!(items[1].integer::<i64>(), Ok(-1));
    assert!(items[1].integer::<u32>().is_err(), "-1 is out of range for u32");
    assert!(items[3].integer::<i64>().is_err(), "1.5 is not whole");
    assert_eq!(items[6].integer::<i64>(), Ok(9_007_199_254_740_993));
    assert_eq!(value.to_string(), "[0,-1,42,1.5,2e3,-0.25E-2,9007199254740993]");
}

#[test]
fn malformed_text_is_refused_with_its_place() {
    for (text, message) in [
        ("", "EOF while parsing a value at line 1 column 1"),
        ("{not json", "expected a key in quotes at line 1 column 2"),
        ("{\"a\":1,\n\"b\" 2}", "expected `:` at line 2 column 5"),
        ("[1,]", "expected a value at line 1 column 4"),
        ("[1] x", "trailing characters at line 1 column 5"),
        ("01", "invalid number at line 1 column 3"),
        ("-", "invalid number at line 1 column 2"),
        ("1.", "invalid number at line 1 column 3"),
        ("\"a\nb\"", "control character in a string at line 2 column 1"),
        ("\"\\x\"", "invalid escape at line 1 column 4"),
        ("\"\\ud83d\"", "lone surrogate in a string at line 1 column 8"),
        ("{\"a\":1,\"a\":2}", "key `a` given twice at line 1 column 11"),
        ("tru", "expected a value at line 1 column 1"),
    ] {
        let error = parse(text).unwrap_err();
        assert_eq!(error.message, message, "{text:?}");
        assert_eq!(error.path, "");
    }
    let deep = "[".repeat(100) + &"]".repeat(100);
    assert!(parse(&deep).unwrap_err().message.starts_with("nested too deeply"));
}

#[test]
fn fields_name_their_path_in_every_error() {
    let value = parse(r#"{"categories":[{"id":"a","cookies":[{"name":3}]}],"flag":"yes"}"#).unwrap();
    let root = Field::root(&value).object(&["categories", "flag"]).unwrap();
    let categories = root.required("categories").unwrap().array().unwrap();
    let category = categories[0].object(&["id", "cookies"]).unwrap();
    let cookie = category.required("cookies").unwrap().array().unwrap()[0].clone();
    let name = cookie.object(&["name", "purpose"]).unwrap().required("name").unwrap();
    assert_eq!(
        name.str().unwrap_err().to_string(),
        "`categories[0].cookies[0].name`: invalid type: number 3, expected a string"
    );
    let missing = cookie.object(&["name", "purpose"]).unwrap().required("purpose").unwrap_err();
    assert_eq!(
        (missing.path.as_str(), missing.message.as_str()),
        ("categories[0].cookies[0]", "missing field `purpose`")
    );
    let unknown = cookie.object(&["purpose"]).unwrap_err();
    assert_eq!(unknown.path, "categories[0].cookies[0].name");
    assert_eq!(unknown.message, "unknown field `name`, expected one of `purpose`");
    assert_eq!(
        root.required("flag").unwrap().bool().unwrap_err().message,
        "invalid type: string \"yes\", expected a boolean"
    );
    assert!(root.optional("nothing").is_none());
}

#[test]
fn null_members_count_as_missing() {
    let value = parse(r#"{"a":null}"#).unwrap();
    let members = Field::root(&value).object(&["a"]).unwrap();
    assert!(members.optional("a").is_none());
    assert_eq!(members.required("a").unwrap_err().message, "missing field `a`");
}

#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn any_json() -> impl Strategy<Value = Json> {
        let leaf = prop_oneof![
            Just(Json::Null),
            any::<bool>().prop_map(Json::Bool),
            any::<i64>().prop_map(Json::from),
            "\\PC{0,12}".prop_map(Json::String),
            any::<String>().prop_map(Json::String),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Json::Array),
                prop::collection::btree_map("\\PC{0,8}", inner, 0..6)
                    .prop_map(|members| Json::Object(members.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn what_is_written_reads_back_the_same(value in any_json()) {
            prop_assert_eq!(parse(&value.to_string()).unwrap(), value);
        }

        #[test]
        fn we_agree_with_serde_json_on_what_is_json(text in "[\\[\\]{}\":,0-9a-z\\\\ .eE+-]{0,24}") {
            let ours = parse(&text);
            let theirs = serde_json::from_str::<serde_json::Value>(&text);
            // serde_json keeps the last of a repeated key; we refuse it.
            if !text.contains('{') || ours.is_ok() {
                prop_assert_eq!(ours.is_ok(), theirs.is_ok(), "{:?}: {:?}", text, ours);
            }
            if let (Ok(ours), Ok(theirs)) = (ours, theirs) {
                prop_assert_eq!(serde_json::from_str::<serde_json::Value>(&ours.to_string()).unwrap(), theirs);
            }
        }

        #[test]
        fn no_input_makes_it_panic(text in any::<String>()) {
            let _ = parse(&text);
        }
    }
}
