//! Contrast between a text colour and its background as WCAG 2 measures it, for the check
//! that warns a site whose theme makes the widget hard to read (`browser::contrast`).

/// What body text needs (WCAG 2.2, 1.4.3 Contrast (Minimum), level AA).
pub const MINIMUM_CONTRAST: f64 = 4.5;

/// A colour in sRGB, channels 0 to 255, alpha 0 to 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgba {
    pub r: f64,
    pub g: f64,
    pub b: f64,
    pub a: f64,
}

/// One pair of the theme's custom properties that the widget shows as text on a background,
/// and where to find an element whose text colour comes from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThemePair {
    pub text: &'static str,
    pub background: &'static str,
    /// Elements (in the widget's root) whose `color` is the text property; their background is
    /// the nearest one drawn behind them.
    pub selector: &'static str,
}

/// Every pair a theme sets, each with the elements that show it.
pub const THEME_PAIRS: [ThemePair; 5] = [
    ThemePair { text: "--cw-text", background: "--cw-bg", selector: ".cw-banner-title, .cw-dialog-title" },
    ThemePair { text: "--cw-accent-text", background: "--cw-accent", selector: ".cw-button, .cw-floating" },
    ThemePair {
        text: "--cw-link",
        background: "--cw-bg",
        selector: ".cw-banner-choice .cw-link, .cw-dialog-body .cw-link",
    },
    ThemePair { text: "--cw-muted", background: "--cw-bg", selector: ".cw-always-on" },
    ThemePair { text: "--cw-text", background: "--cw-surface", selector: ".cw-gpc" },
];

impl Rgba {
    pub const WHITE: Rgba = Rgba { r: 255.0, g: 255.0, b: 255.0, a: 1.0 };

    /// A computed colour as browsers write it: `rgb(r, g, b)`, `rgba(r, g, b, a)`, their
    /// space-separated forms with `/ a`, or `color(srgb r g b / a)` (channels 0 to 1).
    /// Other colour spaces are not read: `None`.
    pub fn parse(text: &str) -> Option<Rgba> {
        let text = text.trim();
        let (inside, scale) = if let Some(rest) = text.strip_prefix("color(srgb ") {
            (rest, 255.0)
        } else {
            let rest = text.strip_prefix("rgba(").or_else(|| text.strip_prefix("rgb("))?;
            (rest, 1.0)
        };
        let inside = inside.strip_suffix(')')?;
        // Alpha is 1 unless given.
        let mut numbers = [1.0; 4];
        let mut count = 0;
        for part in inside.split([',', ' ', '/']).filter(|part| !part.is_empty()) {
            *numbers.get_mut(count)? = match part.strip_suffix('%') {
                Some(percent) => decimal(percent)? / 100.0,
                None => decimal(part)?,
            };
            count += 1;
        }
        if count < 3 {
            return None;
        }
        let [r, g, b, a] = numbers;
        Some(Rgba { r: r * scale, g: g * scale, b: b * scale, a: a.clamp(0.0, 1.0) })
    }

    pub fn is_transparent(self) -> bool {
        self.a == 0.0
    }

    /// This colour painted over `below`.
    pub fn over(self, below: Rgba) -> Rgba {
        let a = self.a + below.a * (1.0 - self.a);
        if a == 0.0 {
            return Rgba { a: 0.0, ..below };
        }
        let mix = |top: f64, bottom: f64| (top * self.a + bottom * below.a * (1.0 - self.a)) / a;
        Rgba { r: mix(self.r, below.r), g: mix(self.g, below.g), b: mix(self.b, below.b), a }
    }

    /// Relative luminance (WCAG 2), of the colour as if opaque.
    fn luminance(self) -> f64 {
        let linear = |channel: f64| {
            let c = channel / 255.0;
            if c <= 0.04045 { c / 12.92 } else { power_2_4((c + 0.055) / 1.055) }
        };
        0.2126 * linear(self.r) + 0.7152 * linear(self.g) + 0.0722 * linear(self.b)
    }
}

/// The contrast ratio (1 to 21) of `text` drawn on `background`, which is taken as opaque
/// (a see-through background is first painted over white).
pub fn contrast_ratio(text: Rgba, background: Rgba) -> f64 {
    let background = background.over(Rgba::WHITE);
    let text = text.over(background);
    let (lighter, darker) = {
        let (x, y) = (text.luminance(), background.luminance());
        if x > y { (x, y) } else { (y, x) }
    };
    (lighter + 0.05) / (darker + 0.05)
}

/// The console warning for a pair whose colours (as the browser computed them) are too close.
pub fn low_contrast_warning(pair: &ThemePair, text: &str, background: &str, ratio: f64) -> String {
    // Rounded down, so a ratio just under the minimum never reads as the minimum.
    let hundredths = (ratio * 100.0).floor() as u32;
    format!(
        "{} ({}) on {} ({}) has a contrast of {}.{:02}:1, under the 4.5:1 that text needs \
         (WCAG 1.4.3): set colours further apart on the consent-widget element",
        pair.text,
        text,
        pair.background,
        background,
        hundredths / 100,
        hundredths % 100,
    )
}

/// A plain decimal such as `255`, `0.5` or `.25`. Written out rather than `str::parse::<f64>`,
/// whose general algorithm would add kilobytes to the wasm for numbers this simple.
fn decimal(text: &str) -> Option<f64> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    let digits = |part: &str| {
        part.bytes().try_fold(0.0, |sum: f64, byte| byte.is_ascii_digit().then(|| sum * 10.0 + f64::from(byte - b'0')))
    };
    let scale = fraction.bytes().fold(1.0, |scale: f64, _| scale * 10.0);
    Some(digits(whole)? + digits(fraction)? / scale)
}

/// `x` to the power 2.4, for `x` in 0 to 1: `x² · (x²)^(1/5)`, the fifth root by Newton's method.
/// Written out rather than `f64::powf`, which the wasm would carry a general `pow` for.
fn power_2_4(x: f64) -> f64 {
    let square = x * x;
    if square <= 0.0 {
        return 0.0;
    }
    // From 1, above the root, the steps fall to it without overshooting.
    let mut root = 1.0_f64;
    for _ in 0..60 {
        root = (4.0 * root + square / (root * root * root * root)) / 5.0;
    }
    square * root
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rgb(r: f64, g: f64, b: f64) -> Rgba {
        Rgba { r, g, b, a: 1.0 }
    }

    #[test]
    fn computed_colours_are_read_in_each_form_browsers_write() {
        assert_eq!(Rgba::parse("rgb(255, 0, 10)"), Some(rgb(255.0, 0.0, 10.0)));
        assert_eq!(Rgba::parse("rgba(0, 0, 0, 0)").map(Rgba::is_transparent), Some(true));
        assert_eq!(Rgba::parse("rgb(1 2 3 / 0.5)"), Some(Rgba { r: 1.0, g: 2.0, b: 3.0, a: 0.5 }));
        assert_eq!(Rgba::parse("color(srgb 1 0 0.5)"), Some(rgb(255.0, 0.0, 127.5)));
        assert_eq!(Rgba::parse("oklch(0.5 0.1 120)"), None, "not read, so never warned about");
        assert_eq!(Rgba::parse("rgb(1, 2)"), None);
        assert_eq!(Rgba::parse("rgb(a, b, c)"), None);
    }

    #[test]
    fn the_power_and_the_decimals_written_out_agree_with_the_standard_library() {
        for step in 0..=1000 {
            let x = f64::from(step) / 1000.0;
            assert!((power_2_4(x) - x.powf(2.4)).abs() < 1e-12, "{x}");
        }
        for text in ["0", "255", "0.5", ".25", "12.75", "100"] {
            assert_eq!(decimal(text), text.parse::<f64>().ok(), "{text}");
        }
        for text in ["", ".", "1e3", "-1", "1.2.3", "x"] {
            assert_eq!(decimal(text), None, "{text}");
        }
    }

    #[test]
    fn the_ratio_is_wcag_s() {
        let black = rgb(0.0, 0.0, 0.0);
        assert!((contrast_ratio(black, Rgba::WHITE) - 21.0).abs() < 1e-9);
        assert!((contrast_ratio(Rgba::WHITE, black) - 21.0).abs() < 1e-9, "symmetric");
        assert!((contrast_ratio(Rgba::WHITE, Rgba::WHITE) - 1.0).abs() < 1e-9);
        // #767676 on white is the well-known lightest grey that passes: 4.54:1.
        let grey = rgb(118.0, 118.0, 118.0);
        assert!((contrast_ratio(grey, Rgba::WHITE) - 4.54).abs() < 0.01);
        // #777777 just fails.
        assert!(contrast_ratio(rgb(119.0, 119.0, 119.0), Rgba::WHITE) < MINIMUM_CONTRAST);
    }

    #[test]
    fn see_through_colours_are_painted_over_what_is_below() {
        let half_black = Rgba { r: 0.0, g: 0.0, b: 0.0, a: 0.5 };
        let painted = half_black.over(Rgba::WHITE);
        assert!((painted.r - 127.5).abs() < 1e-9 && painted.a == 1.0);
        assert!(contrast_ratio(half_black, Rgba::WHITE) < contrast_ratio(rgb(0.0, 0.0, 0.0), Rgba::WHITE));
        let clear = Rgba { a: 0.0, ..Rgba::WHITE };
        assert!((contrast_ratio(rgb(0.0, 0.0, 0.0), clear) - 21.0).abs() < 1e-9, "a clear background is white");
    }

    /// The custom properties set by the rule of banner.css that starts with `selector`.
    fn defaults(selector: &str) -> Vec<(String, Rgba)> {
        let css = include_str!("../ui/banner.css");
        let rule = &css[css.find(&format!("{selector} {{")).unwrap_or_else(|| panic!("banner.css has {selector}"))..];
        let rule = &rule[..rule.find('}').unwrap()];
        let hex = |text: &str| {
            let channel =
                |at: usize| text.get(at..at + 2).and_then(|pair| u8::from_str_radix(pair, 16).ok()).map(f64::from);
            Some(Rgba { r: channel(1)?, g: channel(3)?, b: channel(5)?, a: 1.0 })
        };
        rule.lines()
            .filter_map(|line| line.trim().strip_suffix(';')?.split_once(": "))
            .filter_map(|(name, value)| Some((name.to_string(), hex(value)?)))
            .collect()
    }

    #[test]
    fn the_default_light_and_dark_themes_pass() {
        let light = defaults(":host");
        for theme in [light.clone(), [defaults(":host([data-theme=\"dark\"])"), light].concat()] {
            let colour = |name: &str| theme.iter().find(|(property, _)| property == name).map(|(_, colour)| *colour);
            for pair in THEME_PAIRS {
                let (text, background) = (colour(pair.text).unwrap(), colour(pair.background).unwrap());
                let ratio = contrast_ratio(text, background);
                let (text, background) = (format!("{text:?}"), format!("{background:?}"));
                assert!(ratio >= MINIMUM_CONTRAST, "{}", low_contrast_warning(&pair, &text, &background, ratio));
            }
        }
    }

    #[test]
    fn the_warning_names_both_properties_and_never_rounds_up_to_the_minimum() {
        let grey = rgb(119.0, 119.0, 119.0);
        let ratio = contrast_ratio(grey, Rgba::WHITE);
        let warning = low_contrast_warning(&THEME_PAIRS[2], "rgb(119, 119, 119)", "rgb(255, 255, 255)", ratio);
        assert!(
            warning
                .starts_with("--cw-link (rgb(119, 119, 119)) on --cw-bg (rgb(255, 255, 255)) has a contrast of 4.47:1"),
            "{warning}"
        );
    }
}
