//! Warns a site whose theme makes the widget hard to read: reads the colours the browser
//! computed for the rendered elements of each pair of the theme's custom properties, and for a
//! pair under 4.5:1 writes one console warning naming both properties. A developer's aid that
//! every visitor would pay for: each pair is read once per page, the first time it is shown.

use super::page;
use crate::core::contrast::{MINIMUM_CONTRAST, Rgba, THEME_PAIRS, ThemePair, contrast_ratio, low_contrast_warning};
use std::cell::Cell;
use wasm_bindgen::JsCast;
use web_sys::Element;

thread_local! {
    /// The pairs already read on this page: bit `i` for `THEME_PAIRS[i]`.
    static CHECKED: Cell<u32> = const { Cell::new(0) };
}

/// Checks each pair shown inside `root` (the app's root element) now that was not read before.
pub fn check(root: &Element) {
    for (index, pair) in THEME_PAIRS.iter().enumerate() {
        let bit = 1 << index;
        if CHECKED.get() & bit != 0 {
            continue;
        }
        let Some(((text, text_css), (background, background_css))) = first_shown_colours(root, pair) else { continue };
        CHECKED.set(CHECKED.get() | bit);
        let ratio = contrast_ratio(text, background);
        if ratio < MINIMUM_CONTRAST {
            page::console_warn(&low_contrast_warning(pair, &text_css, &background_css, ratio));
        }
    }
}

/// A colour, and the CSS the browser computed for it.
type Computed = (Rgba, String);

/// The text colour of the first element of `pair` in `root`, and the background drawn behind it.
fn first_shown_colours(root: &Element, pair: &ThemePair) -> Option<(Computed, Computed)> {
    let element = root.query_selector(pair.selector).ok().flatten()?;
    Some((colour(&element, "color")?, background_behind(&element)?))
}

fn colour(element: &Element, property: &str) -> Option<Computed> {
    let css = computed(element, property)?;
    Some((Rgba::parse(&css)?, css))
}

/// The nearest background drawn under `element`: its own or an ancestor's (the widget's surfaces
/// are opaque; a see-through one is measured as if over white).
fn background_behind(element: &Element) -> Option<Computed> {
    let mut current = Some(element.clone());
    while let Some(element) = current {
        let background = colour(&element, "background-color")?;
        if !background.0.is_transparent() {
            return Some(background);
        }
        current = element.parent_element();
    }
    None
}

fn computed(element: &Element, property: &str) -> Option<String> {
    let style = page::window()?.get_computed_style(element.unchecked_ref()).ok().flatten()?;
    style.get_property_value(property).ok()
}
