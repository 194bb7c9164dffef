//! What the page may run and keep: whether a marked script, iframe or image may load
//! under the current consent, and which cookies to delete when a category is withdrawn.

use super::btree;
use super::config::Config;
use super::consent::Consent;
use std::collections::BTreeSet;

/// Whether content marked `data-category` (and optionally `data-service`) may load.
pub fn allows(consent: Option<&Consent>, category: &str, service: Option<&str>) -> bool {
    let Some(consent) = consent else { return false };
    match service {
        None => consent.grants(category),
        // Listed under a granted category, or allowed on its own (Action::AcceptService).
        Some(service) => consent.services.get(category).is_some_and(|services| services.contains(service)),
    }
}

/// Categories granted before and not after: the ones whose cookies must go.
pub fn withdrawn(before: Option<&Consent>, after: &Consent) -> BTreeSet<String> {
    before.map(|before| btree::set(before.categories.difference(&after.categories).cloned())).unwrap_or_default()
}

/// Categories whose state differs between `before` (nothing granted if absent) and `after`.
pub fn changed(before: Option<&Consent>, after: &Consent) -> BTreeSet<String> {
    match before {
        Some(before) => btree::set(before.categories.symmetric_difference(&after.categories).cloned()),
        None => after.categories.clone(),
    }
}

/// `_ga_*` style patterns: `*` stands for any run of characters.
pub fn matches(pattern: &str, name: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == name;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !name.starts_with(first) || !name[first.len()..].ends_with(last) || name.len() < first.len() + last.len() {
        return false;
    }
    let mut rest = &name[first.len()..name.len() - last.len()];
    for middle in &parts[1..parts.len() - 1] {
        match rest.find(middle) {
            Some(at) => rest = &rest[at + middle.len()..],
            None => return false,
        }
    }
    true
}

/// The names among `present` (the page's cookies) listed for the `withdrawn` categories.
pub fn cookies_to_delete(config: &Config, withdrawn: &BTreeSet<String>, present: &[String]) -> Vec<String> {
    let patterns: Vec<&str> = config
        .categories
        .iter()
        .filter(|category| withdrawn.contains(&category.id))
        .flat_map(|category| category.cookies.iter().map(|cookie| cookie.name.as_str()))
        .collect();
    present.iter().filter(|name| patterns.iter().any(|pattern| matches(pattern, name))).cloned().collect()
}

/// Every `document.cookie` assignment that deletes `name` wherever a script may have set it:
/// with no domain, on the host and each parent domain, on `/` and on each prefix of `path`.
pub fn deletion_assignments(name: &str, host: &str, path: &str) -> Vec<String> {
    let mut domains = vec![None];
    let labels: Vec<&str> = host.split('.').collect();
    // IP addresses and single-label hosts have no parent domains.
    if labels.len() > 1 && !host.chars().all(|c| c.is_ascii_digit() || c == '.') {
        for start in 0..labels.len() - 1 {
            domains.push(Some(labels[start..].join(".")));
        }
    }
    let mut paths = vec!["/".to_string()];
    let mut prefix = String::new();
    for segment in path.split('/').filter(|segment| !segment.is_empty()) {
        prefix.push('/');
        prefix.push_str(segment);
        paths.push(prefix.clone());
    }
    let mut assignments = Vec::new();
    for domain in &domains {
        for path in &paths {
            let mut assignment = format!("{name}=; Max-Age=0; Path={path}");
            if let Some(domain) = domain {
                assignment.push_str("; Domain=");
                assignment.push_str(domain);
            }
            assignments.push(assignment);
        }
    }
    assignments
}

#[cfg(test)]
mod tests {
    use super::*;

    fn consent(categories: &[&str], services: &[(&str, &str)]) -> Consent {
        Consent::granting(categories, services)
    }

    #[test]
    fn nothing_loads_without_a_consent_and_only_what_was_granted_after() {
        assert!(!allows(None, "analytics", None));
        let given = consent(&["necessary", "analytics"], &[("analytics", "matomo")]);
        assert!(allows(Some(&given), "analytics", None));
        assert!(allows(Some(&given), "analytics", Some("matomo")));
        assert!(!allows(Some(&given), "analytics", Some("hotjar")));
        assert!(!allows(Some(&given), "marketing", None));
        // One service allowed on its own: that service, not its category's other tags.
        let one = consent(&["necessary"], &[("marketing", "youtube")]);
        assert!(allows(Some(&one), "marketing", Some("youtube")));
        assert!(!allows(Some(&one), "marketing", Some("meta-pixel")));
        assert!(!allows(Some(&one), "marketing", None));
    }

    #[test]
    fn withdrawn_categories_are_the_ones_lost() {
        let before = consent(&["necessary", "analytics", "marketing"], &[]);
        let after = consent(&["necessary", "marketing"], &[]);
        assert_eq!(withdrawn(Some(&before), &after), BTreeSet::from(["analytics".to_string()]));
        assert!(withdrawn(None, &after).is_empty());
        let granted_more = consent(&["necessary", "analytics", "marketing", "functional"], &[]);
        assert_eq!(changed(Some(&before), &after), BTreeSet::from(["analytics".to_string()]));
        assert_eq!(changed(Some(&before), &granted_more), BTreeSet::from(["functional".to_string()]));
        assert_eq!(changed(None, &after), after.categories);
    }

    #[test]
    fn patterns_match_like_a_site_owner_expects() {
        assert!(matches("_ga", "_ga"));
        assert!(!matches("_ga", "_gat"));
        assert!(matches("_ga_*", "_ga_ABC123"));
        assert!(!matches("_ga_*", "_ga"));
        assert!(matches("_pk_id.*", "_pk_id.1.abcd"));
        assert!(matches("*_session", "shop_session"));
        assert!(matches("a*b*c", "a123b456c"));
        assert!(!matches("a*b*c", "a123c"));
        assert!(matches("*", "anything"));
    }

    #[test]
    fn only_listed_cookies_of_withdrawn_categories_go() {
        let config = crate::core::config::Config::from_json(include_str!("../../www/consent-config.json")).unwrap();
        let present: Vec<String> = ["consent_widget", "_pk_id.1.ab", "_pk_ses.1.ab", "_gcl_au", "theme"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let gone = cookies_to_delete(&config, &BTreeSet::from(["analytics".to_string()]), &present);
        assert_eq!(gone, ["_pk_id.1.ab", "_pk_ses.1.ab"]);
    }

    #[test]
    fn deletion_covers_parent_domains_and_paths() {
        let all = deletion_assignments("_ga", "app.shop.example", "/en/cart");
        for expected in [
            "_ga=; Max-Age=0; Path=/",
            "_ga=; Max-Age=0; Path=/en/cart",
            "_ga=; Max-Age=0; Path=/; Domain=app.shop.example",
            "_ga=; Max-Age=0; Path=/; Domain=shop.example",
            "_ga=; Max-Age=0; Path=/en; Domain=shop.example",
        ] {
            assert!(all.contains(&expected.to_string()), "{expected} missing from {all:#?}");
        }
        assert!(!all.iter().any(|a| a.ends_with("Domain=example")), "never the top-level domain");
        assert_eq!(all.len(), 3 * 3, "no domain, the host, its parent; three paths");
        assert_eq!(deletion_assignments("x", "127.0.0.1", "/"), ["x=; Max-Age=0; Path=/"]);
        assert_eq!(deletion_assignments("x", "localhost", "/a"), ["x=; Max-Age=0; Path=/", "x=; Max-Age=0; Path=/a"]);
    }
}
