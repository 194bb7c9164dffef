use super::*;
use crate::core::duration::TimeUnit;
use crate::core::policy::{builtin_policy, document_problems, policy_of};
use serde_json::Value;

#[test]
fn every_builtin_locale_parses_and_names_itself() {
    for code in SUPPORTED_LANGUAGES {
        let whole = Locale::parse(full_source(code).unwrap()).unwrap_or_else(|error| panic!("{code}: {error}"));
        assert_eq!(whole.code, code);
        assert_eq!(Locale::builtin(code), whole, "{code}: the compiled-in strings are the file's");
        policy_of(full_source(code).unwrap()).unwrap_or_else(|error| panic!("{code}: {error}"));
    }
}

#[test]
fn the_compiled_in_strings_leave_the_policy_out() {
    for code in SUPPORTED_LANGUAGES {
        let ui = ui_source(code).unwrap();
        assert!(!ui.contains("\"document\""), "{code}: the policy document is compiled in");
        assert!(ui.len() * 4 < full_source(code).unwrap().len(), "{code}: the UI strings are most of the file");
    }
}

#[test]
fn all_five_languages_have_the_same_keys_none_empty() {
    let english = Locale::builtin("en");
    assert!(english.keys().count() > 40);
    let english_policy = builtin_policy("en");
    assert!(english_policy.blocks.len() > 20, "the English policy is missing");
    let mut problems: Vec<String> =
        builtin_locales().iter().flat_map(|locale| completeness_problems(&english, locale)).collect();
    for code in SUPPORTED_LANGUAGES {
        problems.extend(document_problems(code, &english_policy, &builtin_policy(code)));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn translations_are_not_copies_of_english() {
    let english = Locale::builtin("en");
    for locale in builtin_locales().iter().filter(|locale| locale.code != "en") {
        let same: Vec<&String> = locale
            .keys()
            .filter(|(key, text)| !key.starts_with("meta.") && english.text(key) == text.as_str())
            .map(|(key, _)| key)
            .collect();
        // A handful of words ("Cookie", "Matomo") may coincide; whole sentences may not.
        assert!(same.len() <= 3, "{}: untranslated {same:?}", locale.code);
        let english_blocks = builtin_policy("en").blocks;
        let english_policy: Vec<&str> = english_blocks.iter().flat_map(|block| block.texts()).collect();
        let copied = builtin_policy(&locale.code)
            .blocks
            .iter()
            .flat_map(|block| block.texts())
            .filter(|text| english_policy.contains(text) && text.len() > 30)
            .count();
        assert_eq!(copied, 0, "{}: policy sentences copied from English", locale.code);
    }
}

#[test]
fn the_completeness_check_catches_missing_extra_and_empty_keys() {
    let english = Locale::builtin("en");
    let mut broken: Value = serde_json::from_str(full_source("fr").unwrap()).unwrap();
    broken["banner"].as_object_mut().unwrap().remove("title");
    broken["banner"]["surprise"] = Value::String("!".into());
    broken["preferences"]["save"] = Value::String(" ".into());
    broken["policy"]["document"].as_array_mut().unwrap().pop();
    broken["policy"]["sections"]["recipients"].as_object_mut().unwrap().remove("intro");
    let broken_policy = policy_of(&broken.to_string()).unwrap();
    let broken = Locale::parse(&broken.to_string()).unwrap();
    let mut problems = completeness_problems(&english, &broken);
    problems.extend(document_problems("fr", &builtin_policy("en"), &broken_policy));
    let all = problems.join("\n");
    assert!(all.contains("missing key `banner.title`"), "{all}");
    assert!(all.contains("extra key `banner.surprise`"), "{all}");
    assert!(all.contains("empty text at `preferences.save`"), "{all}");
    assert!(all.contains("policy has"), "{all}");
    assert!(all.contains("policy sections lacks `recipients.intro`"), "{all}");
}

#[test]
fn a_broken_locale_names_the_field() {
    let error = Locale::parse(r#"{"meta":{"code":"en"},"banner":{"title":3},"policy":{"document":[]}}"#).unwrap_err();
    assert_eq!(error.path, "banner.title");
    let error = policy_of(r#"{"meta":{"code":"en"},"policy":{"document":[{"type":"poem"}]}}"#).unwrap_err();
    assert!(error.path.starts_with("policy.document[0]"), "{error}");
    let error =
        crate::core::policy::parse_policy(r#"{"document":[{"type":"heading","text":"No level"}]}"#).unwrap_err();
    assert!(error.path.starts_with("policy.document[0]"), "{error}");
    let error = policy_of(r#"{"meta":{"code":"en"}}"#).unwrap_err();
    assert_eq!(error.path, "policy.document");
}

#[test]
fn site_overrides_replace_strings_in_their_language_only() {
    let mut config = crate::core::config::Config::safe_fallback("x");
    config.texts.push(("fr".into(), [("banner.title".to_string(), "Vos cookies".to_string())].into()));
    assert_eq!(Locale::for_site("fr", &config).text("banner.title"), "Vos cookies");
    assert_ne!(Locale::for_site("de", &config).text("banner.title"), "Vos cookies");
    assert!(is_overridable_key("banner.title"));
    assert!(!is_overridable_key("policy.document"));
    assert!(!is_overridable_key("meta.code"));
    assert!(!is_overridable_key("banner"));
}

#[test]
fn unknown_keys_show_themselves() {
    assert_eq!(Locale::builtin("en").text("no.such.key"), "no.such.key");
}

#[test]
fn durations_use_each_language_plural_rules() {
    let span = |amount| CookieDuration::Span { amount, unit: TimeUnit::Month };
    let en = Locale::builtin("en");
    assert_eq!(en.duration(span(1)), "1 month");
    assert_eq!(en.duration(span(13)), "13 months");
    assert_eq!(plural_form("fr", 0), "one");
    assert_eq!(plural_form("en", 0), "other");
    let de = Locale::builtin("de");
    assert!(de.duration(span(13)).starts_with("13 "));
    assert!(!de.duration(CookieDuration::Session).is_empty());
}

#[test]
fn unknown_language_falls_back_to_english() {
    assert_eq!(Locale::builtin("pt").code, "en");
}

#[test]
fn labels_follow_each_language_typography() {
    assert_eq!(Locale::builtin("en").labelled("Consent id", "42"), "Consent id: 42");
    assert_eq!(Locale::builtin("fr").labelled("Identifiant", "42"), "Identifiant\u{202f}: 42");
}

#[test]
fn the_company_is_named_where_a_text_names_it_and_purposes_fall_back_to_titles() {
    let mut config = Config::safe_fallback("Example SA");
    let english = Locale::for_site("en", &config);
    assert!(english.text("banner.text").starts_with("Example SA "), "{}", english.text("banner.text"));
    assert!(english.keys().all(|(_, text)| !text.contains("{company}")));
    let mut video = config.categories[0].clone();
    video.id = "video".into();
    video.required = false;
    video.title = Some(crate::core::config::Text::Same("Embedded videos".into()));
    let mut marketing = video.clone();
    marketing.id = "marketing".into();
    config.categories.extend([video.clone(), marketing.clone()]);
    let english = Locale::for_site("en", &config);
    assert_eq!(english.category_purpose(&video, &config), "Embedded videos", "a site's own category: its title");
    assert_eq!(english.category_purpose(&marketing, &config), english.text("categories.marketing.purpose"));
}
