//! The consent manager's controls, found as a visitor finds them: by their role and accessible
//! name (inside shadow roots too), in the five languages, for this widget and for the others.

use crate::tab::Tab;
use chromiumoxide::cdp::browser_protocol::accessibility::{AxValue, GetFullAxTreeParams};
use chromiumoxide::cdp::browser_protocol::dom::{BackendNodeId, ResolveNodeParams};
use chromiumoxide::cdp::js_protocol::runtime::CallFunctionOnParams;
use chromiumoxide::layout::Point;
use std::sync::LazyLock;
use std::time::{Duration, Instant};

/// What the scanner presses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    AcceptAll,
    RejectAll,
    /// What reopens the consent settings (a floating button, a footer link).
    Settings,
}

/// This widget's own words, from its locale files (so the scanner never drifts from them).
const LOCALES: [&str; 5] = [
    include_str!("../../locales/en.json"),
    include_str!("../../locales/fr.json"),
    include_str!("../../locales/de.json"),
    include_str!("../../locales/it.json"),
    include_str!("../../locales/es.json"),
];

/// Other consent managers' usual words, most specific first.
const OTHER_ACCEPT: &[&str] = &[
    "Accept all",
    "Accept All",
    "Accept all cookies",
    "Accept All Cookies",
    "Allow all",
    "Allow all cookies",
    "Accept cookies",
    "Accept",
    "I accept",
    "I agree",
    "Agree",
    "Accepter tout",
    "Tout accepter et fermer",
    "Accepter et fermer",
    "Accepter",
    "J'accepte",
    "J’accepte",
    "Alle Cookies akzeptieren",
    "Alle annehmen",
    "Alle zulassen",
    "Akzeptieren",
    "Zustimmen",
    "Einverstanden",
    "Accetta tutto",
    "Accetta tutti i cookie",
    "Accetta",
    "Accetto",
    "Aceptar todas",
    "Aceptar todas las cookies",
    "Aceptar",
    "Acepto",
];
const OTHER_REJECT: &[&str] = &[
    "Reject all",
    "Reject All",
    "Reject all cookies",
    "Decline all",
    "Deny all",
    "Refuse all",
    "Reject",
    "Decline",
    "Deny",
    "Necessary only",
    "Only necessary",
    "Use necessary cookies only",
    "Reject non-essential",
    "Refuser tout",
    "Tout rejeter",
    "Refuser",
    "Continuer sans accepter",
    "Alle Cookies ablehnen",
    "Ablehnen",
    "Nur notwendige",
    "Nur notwendige Cookies",
    "Nur essenzielle Cookies",
    "Rifiuta tutto",
    "Rifiuta tutti i cookie",
    "Rifiuta",
    "Solo necessari",
    "Rechazar todas",
    "Rechazar todas las cookies",
    "Rechazar",
    "Solo necesarias",
];
const OTHER_SETTINGS: &[&str] = &[
    "Cookie settings",
    "Cookie Settings",
    "Cookie preferences",
    "Privacy settings",
    "Manage cookies",
    "Paramètres des cookies",
    "Gérer les cookies",
    "Cookie-Einstellungen",
    "Datenschutzeinstellungen",
    "Impostazioni cookie",
    "Preferenze cookie",
    "Configuración de cookies",
    "Preferencias de cookies",
];

/// The accessible names tried for each control, this widget's first.
fn names(control: Control) -> &'static [String] {
    static ACCEPT: LazyLock<Vec<String>> = LazyLock::new(|| own(&[&["banner", "acceptAll"]], OTHER_ACCEPT));
    static REJECT: LazyLock<Vec<String>> =
        LazyLock::new(|| own(&[&["banner", "rejectAll"], &["preferences", "rejectAll"]], OTHER_REJECT));
    static SETTINGS: LazyLock<Vec<String>> = LazyLock::new(|| own(&[&["preferences", "reopen"]], OTHER_SETTINGS));
    match control {
        Control::AcceptAll => &ACCEPT,
        Control::RejectAll => &REJECT,
        Control::Settings => &SETTINGS,
    }
}

fn own(keys: &[&[&str]], others: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for locale in LOCALES {
        let tree: serde_json::Value =
            serde_json::from_str(locale).expect("the locales are valid JSON (the widget's tests)");
        for path in keys {
            let text = path.iter().try_fold(&tree, |node, key| node.get(key)).and_then(|value| value.as_str());
            if let Some(text) = text {
                names.push(text.to_string());
            }
        }
    }
    for other in others {
        names.push(other.to_string());
    }
    let mut seen = std::collections::BTreeSet::new();
    names.retain(|name| seen.insert(normalize(name)));
    names
}

/// Looks for `control` until `limit` has passed (a banner may come late); its node, if found.
pub async fn find(tab: &Tab, control: Control, limit: Duration) -> Option<BackendNodeId> {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(node) = find_now(tab, control).await {
            return Some(node);
        }
        if Instant::now() >= deadline {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn find_now(tab: &Tab, control: Control) -> Option<BackendNodeId> {
    // One read of the page's whole accessibility tree (shadow roots included), matched here.
    let tree = tab.page.execute(GetFullAxTreeParams::default()).await.ok()?;
    let text = |value: &Option<AxValue>| {
        value.as_ref().and_then(|value| value.value.as_ref()).and_then(|value| value.as_str()).map(normalize)
    };
    let candidates: Vec<(String, BackendNodeId)> = tree
        .result
        .nodes
        .iter()
        .filter(|node| !node.ignored)
        .filter(|node| matches!(text(&node.role).as_deref(), Some("button" | "link")))
        .filter_map(|node| Some((text(&node.name)?, node.backend_dom_node_id?)))
        .collect();
    for name in names(control) {
        let wanted = normalize(name);
        for (seen, node) in &candidates {
            if *seen == wanted && visible(tab, *node).await.is_some() {
                return Some(*node);
            }
        }
    }
    None
}

/// Names compared as a visitor reads them: case and runs of spaces do not matter.
fn normalize(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// The centre of the node's box once scrolled into view; none if it has no size (hidden).
async fn visible(tab: &Tab, node: BackendNodeId) -> Option<Point> {
    let object = tab.page.execute(ResolveNodeParams::builder().backend_node_id(node).build()).await.ok()?;
    let object_id = object.result.object.object_id?;
    let call = CallFunctionOnParams::builder()
        .function_declaration(
            "function () { this.scrollIntoView({ block: 'center', inline: 'center' }); \
             const box = this.getBoundingClientRect(); \
             return box.width > 0 && box.height > 0 ? [box.left + box.width / 2, box.top + box.height / 2] : null; }",
        )
        .object_id(object_id)
        .return_by_value(true)
        .build()
        .ok()?;
    let answer = tab.page.execute(call).await.ok()?;
    let centre: Option<(f64, f64)> = answer.result.result.value.and_then(|value| serde_json::from_value(value).ok());
    centre.map(|(x, y)| Point { x, y })
}

/// Presses the control with the mouse, at the centre of its box.
pub async fn press(tab: &Tab, node: BackendNodeId) -> Result<(), String> {
    let point = visible(tab, node).await.ok_or("the control is no longer shown")?;
    tab.page.click(point).await.map(|_| ()).map_err(|error| format!("cannot click: {error}"))
}

/// Reopens the consent settings after a choice: this widget's API, another consent manager's
/// usual API, or a control named for it. Says which, or none.
pub async fn reopen_settings(tab: &Tab, limit: Duration) -> Option<&'static str> {
    // The widget's API exists once its wasm runs; wait for it a little.
    let deadline = Instant::now() + limit.min(Duration::from_secs(5));
    loop {
        let opened: Option<String> = tab.eval(REOPEN).await.ok().flatten();
        if let Some(how) = opened {
            return Some(match how.as_str() {
                "ConsentWidget" => "ConsentWidget.showPreferences()",
                "CookieConsent" => "CookieConsent.showPreferences()",
                "Cookiebot" => "Cookiebot.renew()",
                "OneTrust" => "OneTrust.ToggleInfoDisplay()",
                "klaro" => "klaro.show()",
                _ => "tarteaucitron.userInterface.openPanel()",
            });
        }
        if Instant::now() >= deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let node = find(tab, Control::Settings, Duration::ZERO).await?;
    press(tab, node).await.ok()?;
    Some("its settings control")
}

/// Opens the settings with the first consent manager API the page has; its name, or null.
const REOPEN: &str = "(() => {
  const widget = window.ConsentWidget;
  if (widget && typeof widget.version === 'string' && typeof widget.showPreferences === 'function') { widget.showPreferences(); return 'ConsentWidget'; }
  if (window.CookieConsent && typeof CookieConsent.showPreferences === 'function') { CookieConsent.showPreferences(); return 'CookieConsent'; }
  if (window.Cookiebot && typeof Cookiebot.renew === 'function') { Cookiebot.renew(); return 'Cookiebot'; }
  if (window.OneTrust && typeof OneTrust.ToggleInfoDisplay === 'function') { OneTrust.ToggleInfoDisplay(); return 'OneTrust'; }
  if (window.klaro && typeof klaro.show === 'function') { klaro.show(); return 'klaro'; }
  if (window.tarteaucitron && tarteaucitron.userInterface && typeof tarteaucitron.userInterface.openPanel === 'function') { tarteaucitron.userInterface.openPanel(); return 'tarteaucitron'; }
  return null;
})()";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_widgets_own_words_come_first_in_each_language() {
        let reject = names(Control::RejectAll);
        for own in ["Reject all", "Tout refuser", "Alle ablehnen", "Rifiuta tutti", "Rechazar todo"] {
            assert!(reject.iter().take(10).any(|name| name == own), "{own} in {reject:?}");
        }
        let accept = names(Control::AcceptAll);
        assert_eq!(accept[0], "Accept all");
        assert!(accept.iter().any(|name| name == "Alle akzeptieren"));
        assert!(!names(Control::Settings).is_empty());
        let unique: std::collections::BTreeSet<_> = reject.iter().map(|name| normalize(name)).collect();
        assert_eq!(unique.len(), reject.len(), "no name twice");
        assert_eq!(normalize("  Reject\n  ALL "), "reject all");
    }
}
