//! The rules of the widget's JSON that serde's defaults do not follow, for
//! `#[serde(deserialize_with = ...)]` on the shared types:
//! - `null` is read as the member left out (the widget's reader treats them alike);
//! - an object never names a key twice, maps included (serde keeps the last one silently);
//! - objects whose keys are data (texts, the Consent Mode mapping) keep their order.

use crate::core::config::{Text, TextOverrides};
use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::marker::PhantomData;

/// A member with a default: `null` or left out gives `T::default()`. Use with `#[serde(default)]`.
pub fn or_default<'de, D: Deserializer<'de>, T: Deserialize<'de> + Default>(deserializer: D) -> Result<T, D::Error> {
    or_else(deserializer, T::default)
}

/// A member whose default is not `T::default()`: `null` gives `default()`.
pub fn or_else<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
    default: impl FnOnce() -> T,
) -> Result<T, D::Error> {
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_else(default))
}

/// An object read as a map, no key given twice.
pub fn unique_map<'de, D: Deserializer<'de>, V: Deserialize<'de>>(
    deserializer: D,
) -> Result<BTreeMap<String, V>, D::Error> {
    Ok(Entries::deserialize(deserializer)?.0.into_iter().collect())
}

/// The same for a member that may be left out or `null`: an empty map then.
pub fn unique_map_or_empty<'de, D: Deserializer<'de>, V: Deserialize<'de>>(
    deserializer: D,
) -> Result<BTreeMap<String, V>, D::Error> {
    Ok(Option::<Entries<V>>::deserialize(deserializer)?
        .map(|entries| entries.0.into_iter().collect())
        .unwrap_or_default())
}

/// An optional object kept as `(key, value)` pairs in document order, no key given twice.
pub fn optional_pairs<'de, D: Deserializer<'de>, V: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<Vec<(String, V)>>, D::Error> {
    Ok(Option::<Entries<V>>::deserialize(deserializer)?.map(|entries| entries.0))
}

/// The configuration's `texts`: `{ "fr": { "banner.title": "..." } }`, languages in document
/// order; no key given twice at either level; `null` or left out is none.
pub fn texts<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<(String, TextOverrides)>, D::Error> {
    let texts = Option::<Entries<Entries<String>>>::deserialize(deserializer)?.unwrap_or_default();
    Ok(texts.0.into_iter().map(|(code, texts)| (code, texts.0.into_iter().collect())).collect())
}

/// `(key, value)` pairs written as one JSON object.
pub fn pairs_as_object<S: Serializer, V: Serialize>(pairs: &[(String, V)], serializer: S) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(pairs.len()))?;
    for (key, value) in pairs {
        map.serialize_entry(key, value)?;
    }
    map.end()
}

/// The same for an optional member: `null` when there are none.
pub fn optional_pairs_as_object<S: Serializer, V: Serialize>(
    pairs: &Option<Vec<(String, V)>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match pairs {
        Some(pairs) => pairs_as_object(pairs, serializer),
        None => serializer.serialize_none(),
    }
}

/// An object's members in document order, refused when a key comes twice.
struct Entries<V>(Vec<(String, V)>);

impl<V> Default for Entries<V> {
    fn default() -> Self {
        Entries(Vec::new())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Entries<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(EntriesVisitor(PhantomData))
    }
}

struct EntriesVisitor<V>(PhantomData<V>);

impl<'de, V: Deserialize<'de>> Visitor<'de> for EntriesVisitor<V> {
    type Value = Entries<V>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut seen = BTreeSet::new();
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if !seen.insert(key.clone()) {
                return Err(de::Error::custom(format_args!("key `{key}` given twice")));
            }
            entries.push((key, map.next_value()?));
        }
        Ok(Entries(entries))
    }
}

/// One string for every language, or an object of strings by language.
impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TextVisitor)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("text, or an object of texts by language")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Text, E> {
        Ok(Text::Same(text.to_string()))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Text, A::Error> {
        let entries = EntriesVisitor::<String>(PhantomData).visit_map(map)?;
        Ok(Text::PerLanguage(entries.0.into_iter().collect()))
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Text::Same(text) => serializer.serialize_str(text),
            Text::PerLanguage(texts) => texts.serialize(serializer),
        }
    }
}
