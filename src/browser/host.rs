//! The widget's home in the page: a `<consent-widget>` element with an open shadow root,
//! so the page's CSS cannot reach the widget and the widget's CSS cannot leak out.
//! Styles are a constructed stylesheet: no `<style>` element, no `style=""` attribute,
//! nothing a strict Content-Security-Policy would block.

use super::api;
use super::page;
use crate::core::config::{Config, host_attributes};
use crate::core::consent::Action;
use gloo_events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use web_sys::{CssStyleSheet, Element, ShadowRootInit, ShadowRootMode};

/// The first layer's styles (the loader ships the same with its banner) and the rest.
const BANNER_STYLES: &str = include_str!(concat!(env!("OUT_DIR"), "/banner.min.css"));
const WIDGET_STYLES: &str = include_str!(concat!(env!("OUT_DIR"), "/widget.min.css"));
pub const HOST_TAG: &str = "consent-widget";

/// Creates the host element at the end of `<body>` and returns the element Yew renders into.
pub fn create_render_root() -> Option<Element> {
    let document = page::document()?;
    let body = document.body()?;
    let host = document.create_element(HOST_TAG).ok()?;
    let init = ShadowRootInit::new(ShadowRootMode::Open);
    let shadow = host.attach_shadow(&init).ok()?;
    adopt(&shadow, &[BANNER_STYLES, WIDGET_STYLES]);
    let container = document.create_element("div").ok()?;
    shadow.append_child(&container).ok()?;
    body.append_child(&host).ok()?;
    Some(container)
}

/// Completes the styles of a host the loader made, which has the first layer's only.
pub fn complete_styles(container: &Element) {
    if let Ok(shadow) = container.get_root_node().dyn_into::<web_sys::ShadowRoot>() {
        adopt(&shadow, &[WIDGET_STYLES]);
    }
}

/// Sets the layout and theme attributes of the host that holds `inside`, from `config`, as the
/// loader sets them on its own host. A host the loader made keeps its `data-theme`: the loader
/// set it from the same configuration, and the site may have switched it since.
pub fn apply_appearance(inside: &Element, config: &Config, keep_theme: bool) {
    let Ok(shadow) = inside.get_root_node().dyn_into::<web_sys::ShadowRoot>() else { return };
    let host = shadow.host();
    for (name, value) in host_attributes(config.layout, config.theme) {
        if keep_theme && name == "data-theme" {
            continue;
        }
        let _ = match value {
            Some(value) => host.set_attribute(name, value),
            None => host.remove_attribute(name),
        };
    }
}

/// Adds constructed stylesheets to `shadow`'s adopted ones.
fn adopt(shadow: &web_sys::ShadowRoot, styles: &[&str]) {
    let adopted = js_sys::Reflect::get(shadow, &"adoptedStyleSheets".into())
        .ok()
        .map(|sheets| js_sys::Array::from(&sheets))
        .unwrap_or_default();
    for styles in styles {
        if let Ok(sheet) = CssStyleSheet::new()
            && sheet.replace_sync(styles).is_ok()
        {
            adopted.push(&sheet);
        }
    }
    let _ = js_sys::Reflect::set(shadow, &"adoptedStyleSheets".into(), &adopted);
}

/// Removes everything inside `element`.
pub fn empty(element: &Element) {
    while let Some(child) = element.first_child() {
        let _ = element.remove_child(&child);
    }
}

/// Puts `rendered` (the app's root, rendered beside the page) in the place of `shown` (the
/// banner the loader showed, with the same markup), in the same task, so that no frame shows
/// the swap; the focused element's twin gets the focus, and a dialog's opener recorded on the
/// loader's banner (a click there while the wasm was starting) becomes its twin, so that focus
/// returns to it when the dialog closes.
pub fn take_place(shown: &Element, rendered: &Element) {
    let focused = page::deep_active_element().and_then(|active| path_to(shown, &active));
    let opener = super::api::opener().and_then(|opener| path_to(shown, &opener));
    if shown.replace_with_with_node_1(rendered).is_err() {
        return;
    }
    let twin = |path: Vec<u32>| {
        path.iter().try_fold(web_sys::Node::from(rendered.clone()), |node, index| node.child_nodes().item(*index))
    };
    if let Some(twin) = focused.and_then(twin).and_then(|node| node.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = twin.focus();
    }
    if let Some(twin) = opener.and_then(twin).and_then(|node| node.dyn_into::<Element>().ok()) {
        super::api::set_opener(twin);
    }
}

/// The child indexes that lead from `ancestor` down to `node`, if it is inside.
fn path_to(ancestor: &Element, node: &Element) -> Option<Vec<u32>> {
    let mut path = Vec::new();
    let mut current: web_sys::Node = node.clone().into();
    while &current != ancestor.as_ref() as &web_sys::Node {
        let parent = current.parent_node()?;
        let siblings = parent.child_nodes();
        path.push((0..siblings.length()).find(|index| siblings.item(*index).as_ref() == Some(&current))?);
        current = parent;
    }
    path.reverse();
    Some(path)
}

pub fn remove_render_root() {
    let hosts = page::document().and_then(|document| document.query_selector_all(HOST_TAG).ok());
    if let Some(hosts) = hosts {
        for index in 0..hosts.length() {
            if let Some(host) = hosts.item(index).and_then(|node| node.dyn_into::<Element>().ok()) {
                host.remove();
            }
        }
    }
}

/// Makes every host-page element marked `data-consent-widget="show-preferences"`,
/// `"show-policy"`, `"accept-all"` or `"reject-all"` do that, including elements added later,
/// for as long as the returned listener is kept.
pub fn listen_for_page_hooks() -> Option<EventListener> {
    let document = page::document()?;
    // Not passive: a hook's own default (following a link, say) is prevented.
    let options = EventListenerOptions::enable_prevent_default();
    Some(EventListener::new_with_options(&document, "click", options, |event| {
        let Some(target) = event.target().and_then(|target| target.dyn_into::<Element>().ok()) else {
            return;
        };
        let Ok(Some(marked)) = target.closest("[data-consent-widget]") else { return };
        let action = match marked.get_attribute("data-consent-widget").as_deref() {
            Some("show-preferences") => Action::OpenPreferences,
            Some("show-policy") => Action::OpenPolicy { section: marked.get_attribute("data-section") },
            Some("accept-all") => Action::AcceptAll,
            Some("reject-all") => Action::RejectAll,
            _ => return,
        };
        event.prevent_default();
        api::open(action);
    }))
}
