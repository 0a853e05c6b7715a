//! A map kept as a list sorted by key: what a [`Table`](crate::table::Table) reads as.
//!
//! Each kind's typed records were a `BTreeMap`. A B-tree's code (inserting, removing and
//! rebalancing, copying, dropping) is compiled afresh for every kind of record, and each
//! part of the browser app reads up to a dozen kinds. A sorted list needs only a binary
//! search and `Vec`'s own code. Records are read far more often than they change; a table's
//! records are parsed from fields already in id order, so building one only appends; and a
//! save lays one record, moving at most the records after it.

use std::fmt;
use std::ops::Index;

/// Entries sorted by key, each key once. Reads as a `BTreeMap` does: `get`,
/// `contains_key`, `iter` (in key order), `keys`, `values`, `len`.
#[derive(Clone, PartialEq)]
pub struct Rows<K, V> {
    rows: Vec<(K, V)>,
}

impl<K, V> Default for Rows<K, V> {
    fn default() -> Self {
        Self { rows: Vec::new() }
    }
}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for Rows<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<K, V> Rows<K, V> {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The entries in key order.
    pub fn iter(&self) -> Iter<'_, K, V> {
        Iter(self.rows.iter())
    }

    /// The keys in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> + ExactSizeIterator + Clone {
        self.rows.iter().map(|(k, _)| k)
    }

    /// The values in key order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator + Clone {
        self.rows.iter().map(|(_, v)| v)
    }

    /// The entries whose value `keep` accepts, in key order, each with its key.
    pub fn select(&self, keep: impl Fn(&V) -> bool) -> Vec<(K, &V)>
    where
        K: Copy,
    {
        self.iter()
            .filter(|(_, v)| keep(v))
            .map(|(k, v)| (*k, v))
            .collect()
    }

    /// Keeps the entries `keep` accepts, in order.
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        self.rows.retain_mut(|(k, v)| keep(k, v));
    }
}

impl<K: Ord, V> Rows<K, V> {
    /// Where `key` is, or where it would go.
    fn find(&self, key: &K) -> Result<usize, usize> {
        self.rows.binary_search_by(|(k, _)| k.cmp(key))
    }

    pub fn get(&self, key: &K) -> Option<&V> {
        let at = self.find(key).ok()?;
        self.rows.get(at).map(|(_, v)| v)
    }

    pub fn get_mut(&mut self, key: &K) -> Option<&mut V> {
        let at = self.find(key).ok()?;
        self.rows.get_mut(at).map(|(_, v)| v)
    }

    pub fn contains_key(&self, key: &K) -> bool {
        self.find(key).is_ok()
    }

    /// Stores `value` under `key`; returns the value it replaced. A key after every other
    /// (as when a table is built in id order) is added at the end, with no search.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        if self.rows.last().is_none_or(|(last, _)| *last < key) {
            self.rows.push((key, value));
            return None;
        }
        match self.find(&key) {
            Ok(at) => self
                .rows
                .get_mut(at)
                .map(|(_, v)| std::mem::replace(v, value)),
            Err(at) => {
                self.rows.insert(at, (key, value));
                None
            }
        }
    }

    /// Takes the entry with `key` out; returns its value.
    pub fn remove(&mut self, key: &K) -> Option<V> {
        let at = self.find(key).ok()?;
        Some(self.rows.remove(at).1)
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for Rows<K, V> {
    /// Entries in any order; a later entry replaces an earlier one with the same key.
    fn from_iter<I: IntoIterator<Item = (K, V)>>(entries: I) -> Self {
        let mut rows = Self::new();
        for (k, v) in entries {
            rows.insert(k, v);
        }
        rows
    }
}

/// `rows[&key]`: the value, or a panic when there is none (as with a `BTreeMap`), so only
/// for a key known to be there.
impl<K: Ord, V> Index<&K> for Rows<K, V> {
    type Output = V;
    fn index(&self, key: &K) -> &V {
        self.get(key).expect("no entry with this key")
    }
}

/// The entries of [`Rows`] in key order.
#[derive(Clone)]
pub struct Iter<'a, K, V>(std::slice::Iter<'a, (K, V)>);

impl<'a, K, V> Iterator for Iter<'a, K, V> {
    type Item = (&'a K, &'a V);
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (k, v))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl<K, V> DoubleEndedIterator for Iter<'_, K, V> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(k, v)| (k, v))
    }
}

impl<K, V> ExactSizeIterator for Iter<'_, K, V> {}

impl<'a, K, V> IntoIterator for &'a Rows<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = Iter<'a, K, V>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    /// A change to both maps.
    #[derive(Clone, Debug)]
    enum Change {
        Insert(u8, u16),
        Remove(u8),
        Retain(u8),
    }

    fn change() -> impl Strategy<Value = Change> {
        prop_oneof![
            (0_u8..40, any::<u16>()).prop_map(|(k, v)| Change::Insert(k, v)),
            (0_u8..40).prop_map(Change::Remove),
            (1_u8..5).prop_map(Change::Retain),
        ]
    }

    proptest! {
        #[test]
        fn reads_and_changes_as_a_btree_map_does(changes in prop::collection::vec(change(), 0..200)) {
            let mut rows = Rows::new();
            let mut map = BTreeMap::new();
            for c in changes {
                match c {
                    Change::Insert(k, v) => prop_assert_eq!(rows.insert(k, v), map.insert(k, v)),
                    Change::Remove(k) => prop_assert_eq!(rows.remove(&k), map.remove(&k)),
                    Change::Retain(m) => {
                        rows.retain(|k, _| k % m == 0);
                        map.retain(|k, _| k % m == 0);
                    }
                }
                prop_assert!(rows.iter().eq(map.iter()));
                prop_assert_eq!(rows.len(), map.len());
            }
            for k in 0..40 {
                prop_assert_eq!(rows.get(&k), map.get(&k));
                prop_assert_eq!(rows.contains_key(&k), map.contains_key(&k));
            }
            prop_assert!(rows.keys().rev().eq(map.keys().rev()));
            prop_assert!(rows.values().eq(map.values()));
        }

        #[test]
        fn collects_as_a_btree_map_does(entries in prop::collection::vec((0_u8..30, any::<u16>()), 0..100)) {
            let rows: Rows<_, _> = entries.iter().copied().collect();
            let map: BTreeMap<_, _> = entries.into_iter().collect();
            prop_assert!(rows.iter().eq(map.iter()));
        }
    }

    #[test]
    fn a_value_is_changed_in_place() {
        let mut rows: Rows<u8, &str> = [(1, "a"), (2, "b")].into_iter().collect();
        if let Some(v) = rows.get_mut(&2) {
            *v = "c";
        }
        assert_eq!(rows[&2], "c");
        assert_eq!(format!("{rows:?}"), r#"{1: "a", 2: "c"}"#);
    }
}
