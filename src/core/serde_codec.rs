//! The shared types through serde, natively (feature `serde`): `serde_json` reads the text and
//! `serde_path_to_error` names the field at fault (`categories[1].cookies[0].duration`), in the
//! same [`JsonError`] the widget's own reader gives. The server reads records this way; the
//! wasm keeps `core::json`, which costs less to download (BENCHMARKS.md), and
//! `core::serde_parity` tests that the two accept, refuse and read the same documents.

pub mod forms;
mod strict;

use super::json::JsonError;
use serde::Serialize;
use serde::de::DeserializeOwned;
use strict::Strict;

/// Reads a `T` from JSON text; an error names the field at fault, or has an empty path when
/// the text is not JSON or not a `T` at all.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, JsonError> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let mut track = serde_path_to_error::Track::new();
    let value = T::deserialize(Strict(serde_path_to_error::Deserializer::new(&mut deserializer, &mut track)))
        .map_err(|error| JsonError { path: path_of(&track.path()), message: error.to_string() })?;
    // Trailing characters after the value.
    deserializer.end().map_err(|error| JsonError { path: String::new(), message: error.to_string() })?;
    Ok(value)
}

/// Compact JSON text. The shared types have string keys only, so writing cannot fail.
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).expect("the shared types always serialize")
}

/// `serde_path_to_error` names the document itself `.`, and a member it could not name `?`.
fn path_of(path: &serde_path_to_error::Path) -> String {
    match path.to_string() {
        path if path == "." || path == "?" => String::new(),
        path => path,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::record::ConsentRecord;

    #[test]
    fn errors_name_the_field_or_the_document() {
        let error = from_str::<ConsentRecord>("\"hello\"").unwrap_err();
        assert_eq!(error.path, "");
        assert!(error.message.contains("invalid type"), "{error}");
        let error = from_str::<ConsentRecord>("{\"recordId\": 3}").unwrap_err();
        assert_eq!(error.path, "recordId");
        let error = from_str::<ConsentRecord>("{\"ipAddress\": \"192.0.2.1\"}").unwrap_err();
        assert!(error.message.contains("unknown field `ipAddress`"), "{error}");
        let error = from_str::<ConsentRecord>("{\"services\": {\"analytics\": [\"matomo\", 7]}}").unwrap_err();
        assert_eq!(error.path, "services.analytics[1]");
        let error = from_str::<Vec<u32>>("[1, 2] x").unwrap_err();
        assert_eq!(error.path, "");
        assert!(error.message.contains("trailing characters"), "{error}");
    }
}
