//! Which language the widget speaks: the configuration's forced language, then the
//! page's `<html lang>`, then the browser's preferred languages, then the default.

use super::config::LanguageSettings;

/// The primary subtag of a language tag, lower-cased: `fr-CH` → `fr`.
pub fn primary_subtag(tag: &str) -> String {
    tag.trim().split(['-', '_']).next().unwrap_or("").to_ascii_lowercase()
}

/// Picks the language to show. `page` is the `<html lang>` value, `browser` the
/// `navigator.languages` list in the visitor's order of preference.
pub fn detect(settings: &LanguageSettings, page: Option<&str>, browser: &[String]) -> String {
    let enabled = |tag: &str| {
        let code = primary_subtag(tag);
        settings.enabled.contains(&code).then_some(code)
    };
    settings
        .force
        .as_deref()
        .and_then(enabled)
        .or_else(|| page.and_then(enabled))
        .or_else(|| browser.iter().find_map(|tag| enabled(tag)))
        .or_else(|| enabled(&settings.default))
        .unwrap_or_else(|| "en".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(enabled: &[&str], default: &str, force: Option<&str>) -> LanguageSettings {
        LanguageSettings {
            enabled: enabled.iter().map(|code| code.to_string()).collect(),
            default: default.to_string(),
            force: force.map(str::to_string),
        }
    }

    fn browser(tags: &[&str]) -> Vec<String> {
        tags.iter().map(|tag| tag.to_string()).collect()
    }

    #[test]
    fn forced_language_wins_over_everything() {
        let all = settings(&["en", "fr", "de"], "en", Some("de"));
        assert_eq!(detect(&all, Some("fr"), &browser(&["fr-FR"])), "de");
    }

    #[test]
    fn page_language_comes_before_the_browser() {
        let all = settings(&["en", "fr", "de"], "en", None);
        assert_eq!(detect(&all, Some("fr-CH"), &browser(&["de-DE"])), "fr");
    }

    #[test]
    fn browser_languages_are_tried_in_order() {
        let some = settings(&["en", "it", "es"], "en", None);
        assert_eq!(detect(&some, Some("pt-BR"), &browser(&["pt", "ES-es", "it"])), "es");
    }

    #[test]
    fn default_then_english_close_the_chain() {
        let some = settings(&["it", "es"], "it", None);
        assert_eq!(detect(&some, None, &browser(&["ja"])), "it");
        let broken = settings(&["it"], "xx", None);
        assert_eq!(detect(&broken, None, &[]), "en");
    }

    #[test]
    fn subtags_are_reduced_to_the_language() {
        assert_eq!(primary_subtag(" DE_ch "), "de");
        assert_eq!(primary_subtag(""), "");
    }
}
