//! Google Consent Mode v2: which of the seven consent types the visitor's categories grant.

use super::consent::Consent;
use super::json::{Field, JsonError};

/// The seven consent types, in Google's order.
pub const TYPES: [&str; 7] = [
    "ad_storage",
    "ad_user_data",
    "ad_personalization",
    "analytics_storage",
    "functionality_storage",
    "personalization_storage",
    "security_storage",
];

/// Always granted: storage for security (fraud prevention, authentication) needs no consent.
const ALWAYS_GRANTED: &str = "security_storage";

#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", deny_unknown_fields))]
pub struct ConsentModeSettings {
    #[cfg_attr(feature = "serde", serde(default, deserialize_with = "super::serde_codec::forms::or_default"))]
    pub enabled: bool,
    /// Category id → the consent types it grants; the default mapping when absent.
    #[cfg_attr(
        feature = "serde",
        serde(
            default,
            deserialize_with = "super::serde_codec::forms::optional_pairs",
            serialize_with = "super::serde_codec::forms::optional_pairs_as_object"
        )
    )]
    pub mapping: Option<Mapping>,
}

/// Category id → the consent types it grants, in the configuration's order.
pub type Mapping = Vec<(String, Vec<String>)>;

/// The mapping used when the site gives none.
pub fn default_mapping() -> Mapping {
    let pairs: [(&str, &[&str]); 5] = [
        ("analytics", &["analytics_storage"]),
        ("marketing", &["ad_storage", "ad_user_data", "ad_personalization"]),
        // Advertising split in two: measuring ads, and personalising them.
        ("ad-measurement", &["ad_storage", "ad_user_data"]),
        ("personalised-ads", &["ad_personalization"]),
        ("functional", &["functionality_storage", "personalization_storage"]),
    ];
    pairs
        .iter()
        .map(|(category, types)| (category.to_string(), types.iter().map(|t| t.to_string()).collect()))
        .collect()
}

impl ConsentModeSettings {
    pub const FIELDS: &[&str] = &["enabled", "mapping"];

    /// `{ "enabled": true, "mapping": { "analytics": ["analytics_storage"] } }`
    pub fn read(field: &Field) -> Result<ConsentModeSettings, JsonError> {
        let members = field.object(Self::FIELDS)?;
        let mapping = members.read("mapping", |field| {
            field
                .entries()?
                .into_iter()
                .map(|(category, types)| Ok((category.to_string(), types.list(Field::string)?)))
                .collect()
        })?;
        Ok(ConsentModeSettings { enabled: members.read("enabled", Field::bool)?.unwrap_or(false), mapping })
    }

    pub fn mapping(&self) -> Mapping {
        self.mapping.clone().unwrap_or_else(default_mapping)
    }

    /// The first consent type in the mapping that is not one of the six a category can grant.
    pub fn unknown_type(&self) -> Option<(String, String)> {
        self.mapping.as_ref()?.iter().find_map(|(category, types)| {
            types
                .iter()
                .find(|t| !TYPES.contains(&t.as_str()) || t.as_str() == ALWAYS_GRANTED)
                .map(|t| (category.clone(), t.clone()))
        })
    }
}

/// `granted` or `denied` for each of the seven types under `consent`, in Google's order (no
/// consent: all denied but security).
pub fn signals(mapping: &[(String, Vec<String>)], consent: Option<&Consent>) -> Vec<(&'static str, &'static str)> {
    TYPES
        .iter()
        .map(|kind| {
            let granted = *kind == ALWAYS_GRANTED
                || consent.is_some_and(|consent| {
                    mapping.iter().any(|(category, types)| consent.grants(category) && types.iter().any(|t| t == kind))
                });
            (*kind, if granted { "granted" } else { "denied" })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// The signals by type, to look them up by name.
    fn by_type(signals: Vec<(&'static str, &'static str)>) -> BTreeMap<&'static str, &'static str> {
        signals.into_iter().collect()
    }

    fn consent(categories: &[&str]) -> Consent {
        Consent::granting(categories, &[])
    }

    #[test]
    fn without_consent_everything_but_security_is_denied() {
        let all = signals(&default_mapping(), None);
        assert_eq!(all.iter().map(|(kind, _)| *kind).collect::<Vec<_>>(), TYPES, "all seven, in Google's order");
        for (kind, value) in &all {
            assert_eq!(*value, if *kind == "security_storage" { "granted" } else { "denied" }, "{kind}");
        }
    }

    #[test]
    fn categories_grant_their_mapped_types_only() {
        let analytics = by_type(signals(&default_mapping(), Some(&consent(&["necessary", "analytics"]))));
        assert_eq!(analytics["analytics_storage"], "granted");
        assert_eq!(analytics["ad_storage"], "denied");
        assert_eq!(analytics["ad_user_data"], "denied");
        let measurement = by_type(signals(&default_mapping(), Some(&consent(&["necessary", "ad-measurement"]))));
        assert_eq!((measurement["ad_storage"], measurement["ad_user_data"]), ("granted", "granted"));
        assert_eq!(measurement["ad_personalization"], "denied", "measuring ads is not personalising them");
        let personalised = by_type(signals(&default_mapping(), Some(&consent(&["necessary", "personalised-ads"]))));
        assert_eq!((personalised["ad_personalization"], personalised["ad_storage"]), ("granted", "denied"));
        let marketing = by_type(signals(&default_mapping(), Some(&consent(&["necessary", "marketing"]))));
        for kind in ["ad_storage", "ad_user_data", "ad_personalization"] {
            assert_eq!(marketing[kind], "granted", "{kind}");
        }
        assert_eq!(marketing["analytics_storage"], "denied");
    }

    #[test]
    fn a_site_mapping_replaces_the_default() {
        let settings = ConsentModeSettings {
            enabled: true,
            mapping: Some(vec![("statistics".to_string(), vec!["analytics_storage".to_string()])]),
        };
        let granted = by_type(signals(&settings.mapping(), Some(&consent(&["statistics", "analytics"]))));
        assert_eq!(granted["analytics_storage"], "granted");
        assert_eq!(settings.unknown_type(), None);
        let wrong = ConsentModeSettings {
            enabled: true,
            mapping: Some(vec![("x".to_string(), vec!["ads_storage".to_string()])]),
        };
        assert_eq!(wrong.unknown_type(), Some(("x".to_string(), "ads_storage".to_string())));
    }
}
