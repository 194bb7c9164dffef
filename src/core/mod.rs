//! The browser-free heart of the widget, tested natively with `cargo test`.

pub mod btree;
pub mod catalogue;
pub mod config;
pub mod consent;
pub mod consent_mode;
pub mod contrast;
pub mod cookie;
pub mod country;
pub mod duration;
pub mod gating;
pub mod hex;
pub mod i18n;
pub mod json;
pub mod language;
pub mod markup;
pub mod outbox;
pub mod policy;
pub mod record;
#[cfg(feature = "serde")]
pub mod serde_codec;
#[cfg(all(test, feature = "serde"))]
mod serde_parity;
pub mod vendor_signals;

/// The five languages the widget ships, in the order the language switcher lists them.
pub const SUPPORTED_LANGUAGES: [&str; 5] = ["en", "fr", "de", "it", "es"];

/// The widget's version, as reported to site owners.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Each supported language named in itself, for the language switcher.
pub fn language_name(code: &str) -> &'static str {
    match code {
        "fr" => "Français",
        "de" => "Deutsch",
        "it" => "Italiano",
        "es" => "Español",
        _ => "English",
    }
}
