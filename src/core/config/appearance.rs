//! How the widget looks: where the banner shows, how the preferences open, and which colour
//! theme it starts in. The choice reaches the page as attributes of the widget's host element
//! (see [`host_attributes`]), which the loader sets before the first layer shows and the wasm
//! keeps, so the rendered markup is the same in every layout and CSS does the rest.

use super::super::json::{Field, JsonError};

/// The colour theme the widget starts in; a site may switch it later with the host's
/// `data-theme` attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Theme {
    /// The visitor's system setting (`prefers-color-scheme`).
    #[default]
    Auto,
    Light,
    Dark,
}

impl Theme {
    pub(super) fn read(field: &Field) -> Result<Theme, JsonError> {
        match field.str()? {
            "auto" => Ok(Theme::Auto),
            "light" => Ok(Theme::Light),
            "dark" => Ok(Theme::Dark),
            other => Err(field.error(format!("`{other}` is not a theme: use `light`, `dark` or `auto`"))),
        }
    }

    /// The host's `data-theme`: none for `auto`, which follows the system.
    pub fn attribute(self) -> Option<&'static str> {
        match self {
            Theme::Auto => None,
            Theme::Light => Some("light"),
            Theme::Dark => Some("dark"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "LayoutNames", into = "LayoutNames"))]
pub struct Layout {
    pub banner: BannerLayout,
    pub preferences: PreferencesLayout,
}

/// Where the banner shows. Each keeps the same markup and the three buttons of equal weight;
/// none blocks the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BannerLayout {
    /// Across the whole width, at the top or the bottom of the viewport.
    Bar(Edge),
    /// A box in a corner of the viewport.
    Box(BoxCorner),
    /// A box in the middle of the viewport.
    Center,
}

impl Default for BannerLayout {
    fn default() -> Self {
        BannerLayout::Bar(Edge::Bottom)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    Top,
    Bottom,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoxCorner {
    TopLeft,
    TopRight,
    BottomLeft,
    BottomRight,
}

/// How the preferences open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PreferencesLayout {
    /// A dialog in the middle of the viewport.
    #[default]
    Dialog,
    /// A panel along the right edge, as tall as the viewport (the full width on small screens).
    Panel,
}

impl BannerLayout {
    /// `data-layout` and `data-position` of the host.
    pub fn attributes(self) -> (&'static str, Option<&'static str>) {
        match self {
            BannerLayout::Bar(Edge::Top) => ("bar", Some("top")),
            BannerLayout::Bar(Edge::Bottom) => ("bar", Some("bottom")),
            BannerLayout::Box(BoxCorner::TopLeft) => ("box", Some("top-left")),
            BannerLayout::Box(BoxCorner::TopRight) => ("box", Some("top-right")),
            BannerLayout::Box(BoxCorner::BottomLeft) => ("box", Some("bottom-left")),
            BannerLayout::Box(BoxCorner::BottomRight) => ("box", Some("bottom-right")),
            BannerLayout::Center => ("center", None),
        }
    }
}

impl PreferencesLayout {
    pub fn attribute(self) -> &'static str {
        match self {
            PreferencesLayout::Dialog => "dialog",
            PreferencesLayout::Panel => "panel",
        }
    }
}

impl Layout {
    pub const FIELDS: &[&str] = &["banner", "position", "preferences"];

    pub(super) fn read(field: &Field) -> Result<Layout, JsonError> {
        let members = field.object(Self::FIELDS)?;
        let text =
            |name: &str| members.optional(name).as_ref().map(Field::str).transpose().map(|t| t.map(str::to_owned));
        let names =
            LayoutNames { banner: text("banner")?, position: text("position")?, preferences: text("preferences")? };
        names.layout().map_err(|(member, message)| members.optional(member).as_ref().unwrap_or(field).error(message))
    }
}

/// The layout as the configuration names it: three optional member texts. Both readers (the
/// widget's and, with the `serde` feature, serde's) go through [`LayoutNames::layout`], so they
/// accept the same names and give the same messages.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct LayoutNames {
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub banner: Option<String>,
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub position: Option<String>,
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub preferences: Option<String>,
}

impl LayoutNames {
    /// The layout these names give, or the member at fault and why.
    pub fn layout(&self) -> Result<Layout, (&'static str, String)> {
        let kind = self.banner.as_deref().unwrap_or("bar");
        let position = self.position.as_deref();
        let wrong_position = |expected: &str| {
            let given = position.unwrap_or_default();
            Err(("position", format!("`{given}` is not a position of the {kind}: use {expected}")))
        };
        let banner = match (kind, position) {
            ("bar", None | Some("bottom")) => BannerLayout::Bar(Edge::Bottom),
            ("bar", Some("top")) => BannerLayout::Bar(Edge::Top),
            ("bar", Some(_)) => return wrong_position("`top` or `bottom`"),
            ("box", None | Some("bottom-right")) => BannerLayout::Box(BoxCorner::BottomRight),
            ("box", Some("bottom-left")) => BannerLayout::Box(BoxCorner::BottomLeft),
            ("box", Some("top-right")) => BannerLayout::Box(BoxCorner::TopRight),
            ("box", Some("top-left")) => BannerLayout::Box(BoxCorner::TopLeft),
            ("box", Some(_)) => return wrong_position("`bottom-right`, `bottom-left`, `top-right` or `top-left`"),
            ("center", None) => BannerLayout::Center,
            ("center", Some(_)) => return wrong_position("none: the centred box has no position"),
            (other, _) => {
                return Err(("banner", format!("`{other}` is not a banner layout: use `bar`, `box` or `center`")));
            }
        };
        let preferences = match self.preferences.as_deref() {
            None | Some("dialog") => PreferencesLayout::Dialog,
            Some("panel") => PreferencesLayout::Panel,
            Some(other) => {
                return Err(("preferences", format!("`{other}` is not a preferences layout: use `dialog` or `panel`")));
            }
        };
        Ok(Layout { banner, preferences })
    }
}

impl From<Layout> for LayoutNames {
    fn from(layout: Layout) -> LayoutNames {
        let (banner, position) = layout.banner.attributes();
        LayoutNames {
            banner: Some(banner.to_owned()),
            position: position.map(str::to_owned),
            preferences: Some(layout.preferences.attribute().to_owned()),
        }
    }
}

impl TryFrom<LayoutNames> for Layout {
    type Error = String;

    fn try_from(names: LayoutNames) -> Result<Layout, String> {
        names.layout().map_err(|(member, message)| format!("{member}: {message}"))
    }
}

/// The attributes of the widget's host element, name and value (none: removed), as the loader
/// (js/first-layer.js) sets them from the same configuration.
pub fn host_attributes(layout: Layout, theme: Theme) -> [(&'static str, Option<&'static str>); 4] {
    let (banner, position) = layout.banner.attributes();
    [
        ("data-layout", Some(banner)),
        ("data-position", position),
        ("data-preferences", Some(layout.preferences.attribute())),
        ("data-theme", theme.attribute()),
    ]
}
