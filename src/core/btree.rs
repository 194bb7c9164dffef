//! B-tree maps and sets built one insertion at a time. `collect()` into a `BTreeMap` or
//! `BTreeSet` sorts a buffer first, and that sort is compiled anew for every iterator it is
//! called with (some 20 KB of the wasm); `insert` is compiled once per key and value type.

use std::collections::{BTreeMap, BTreeSet};

pub fn set<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut set = BTreeSet::new();
    set.extend(items);
    set
}

pub fn map<K: Ord, V>(entries: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    map.extend(entries);
    map
}

/// The set of the items, or the first error.
pub fn try_set<T: Ord, E>(items: impl IntoIterator<Item = Result<T, E>>) -> Result<BTreeSet<T>, E> {
    let mut set = BTreeSet::new();
    for item in items {
        set.insert(item?);
    }
    Ok(set)
}

/// The map of the entries, or the first error.
pub fn try_map<K: Ord, V, E>(entries: impl IntoIterator<Item = Result<(K, V), E>>) -> Result<BTreeMap<K, V>, E> {
    let mut map = BTreeMap::new();
    for entry in entries {
        let (key, value) = entry?;
        map.insert(key, value);
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_later_entry_replaces_an_earlier_one_as_collect_does() {
        let entries = [("b", 1), ("a", 2), ("b", 3)];
        assert_eq!(map(entries), entries.into_iter().collect::<BTreeMap<_, _>>());
        assert_eq!(set([3, 1, 3]), BTreeSet::from([1, 3]));
    }

    #[test]
    fn the_first_error_stops_the_build() {
        assert_eq!(try_set([Ok(1), Err("one"), Err("two")]), Err("one"));
        assert_eq!(try_map::<_, _, ()>([Ok(("a", 1)), Ok(("a", 2))]), Ok(BTreeMap::from([("a", 2)])));
    }
}
