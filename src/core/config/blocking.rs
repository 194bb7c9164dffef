//! What the loader holds back before consent: elements the page marked, or also those loaded
//! from a configured service's hosts that it did not (js/blocking.js carries it out).

use crate::core::json::{Field, JsonError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Blocking {
    /// Only what the page marked (`type="text/plain" data-category`, `data-src`).
    #[default]
    Tagged,
    /// Also unmarked scripts, iframes, images and beacons of the services' hosts.
    Untagged,
    /// As `tagged`, and each unmarked element `untagged` would hold is reported, not held.
    Report,
}

impl Blocking {
    pub const NAMES: [(&str, Blocking); 3] =
        [("tagged", Blocking::Tagged), ("untagged", Blocking::Untagged), ("report", Blocking::Report)];

    pub(super) fn read(field: &Field) -> Result<Blocking, JsonError> {
        field.one_of(&Self::NAMES, "a blocking mode")
    }
}

/// Whether `pattern` is a host a service loads from: `www.example.com`, `*.example.com` for
/// every host under it, either followed by a path it starts with (`www.google.com/maps`).
/// Lower case, as the loader compares them.
pub fn is_host_pattern(pattern: &str) -> bool {
    let (host, path) = pattern.split_once('/').map_or((pattern, ""), |(host, path)| (host, path));
    let host = host.strip_prefix("*.").unwrap_or(host);
    host.contains('.')
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.bytes().all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-')
        })
        && path.bytes().all(|byte| byte.is_ascii_graphic() && !matches!(byte, b'?' | b'#' | b'*'))
}

#[cfg(test)]
mod tests {
    use super::is_host_pattern;

    #[test]
    fn hosts_are_names_or_wildcards_with_an_optional_path() {
        for good in ["www.youtube.com", "*.ytimg.com", "www.google.com/maps", "a-b.example.org/x/y"] {
            assert!(is_host_pattern(good), "{good}");
        }
        for bad in ["localhost", "WWW.Example.com", "*.", "https://x.com", "x.com/a?b", "-x.com", "x..com", "x.com/a b"]
        {
            assert!(!is_host_pattern(bad), "{bad}");
        }
    }
}
