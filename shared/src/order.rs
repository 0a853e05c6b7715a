//! Sorting for the whole app through one compiled sort.
//!
//! The standard library's `sort_by` is compiled afresh for every element type and every
//! comparison closure, about 3 KB of wasm each time: when every list sorted its own way, 791
//! compiled sorting functions made 439 KB (raw) of the release app, and 95 KB of what a first
//! visit to the map fetched. These functions sort a list of positions once, with the comparison behind a
//! `dyn` reference, then move the elements into that order; only the small moving step is
//! compiled per element type.
//!
//! They never panic, whatever the comparison answers: a comparison that is not a total order
//! (a `NaN`, a key that changes between calls) gives some order of the same elements, where
//! the standard sorts may panic, and a panic in the browser ends the app.
//!
//! `clippy.toml` forbids the standard sorts in this crate and the frontend so that new code
//! uses these. The native crates (the server, the build chores, the end-to-end tests) keep
//! them, and so does the map layout's inner loop, where they are twice as fast
//! (`structure/layout.rs` says so where it uses them).

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// Sorts `items` by `compare`, keeping equal items in the order they were (a stable sort).
pub fn sort_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let order = {
        let items: &[T] = items;
        sorted_positions(
            items.len(),
            &mut |a, b| match (items.get(a), items.get(b)) {
                (Some(a), Some(b)) => compare(a, b),
                _ => Ordering::Equal,
            },
        )
    };
    arrange(items, order);
}

/// Sorts `items` by the key `key` gives each, keeping items with equal keys in the order
/// they were. The key is computed for each comparison, as with the standard `sort_by_key`.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` in their natural order.
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, Ord::cmp);
}

/// A map of `entries`; an entry replaces an earlier one with the same key, as with `collect`.
///
/// `collect` into a `BTreeMap` first sorts the entries with the standard stable sort,
/// compiled afresh for every entry type, about 3.3 KB of wasm each time (the store's 31
/// tables alone made 100 KB of them). This inserts the entries one at a time, with the code
/// every map has anyway.
pub fn map_of<K: Ord, V>(entries: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    map.extend(entries);
    map
}

/// A set of `items`, as `collect` makes, without compiling a sort for them (see [`map_of`]).
pub fn set_of<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut set = BTreeSet::new();
    set.extend(items);
    set
}

/// Lists this long or shorter are sorted by insertion, with no buffer to merge into.
const SHORT: usize = 16;

/// The positions `0..len` in sorted order: insertion sort for short lists, else a bottom-up
/// merge sort, stable either way, `O(n log n)` comparisons. Compiled once for the whole app.
#[inline(never)]
fn sorted_positions(len: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut from: Vec<usize> = (0..len).collect();
    if len <= SHORT {
        for end in 1..len {
            // Move the item at `end` back past every greater one before it.
            let mut at = end;
            while at > 0 && compare(from[at - 1], from[at]) == Ordering::Greater {
                from.swap(at - 1, at);
                at -= 1;
            }
        }
        return from;
    }
    let mut into = vec![0; len];
    let mut width = 1;
    while width < len {
        let mut start = 0;
        while start < len {
            let middle = start.saturating_add(width).min(len);
            let end = start.saturating_add(width.saturating_mul(2)).min(len);
            if let (Some(left), Some(right), Some(out)) = (
                from.get(start..middle),
                from.get(middle..end),
                into.get_mut(start..end),
            ) {
                merge(left, right, out, compare);
            }
            start = end;
        }
        std::mem::swap(&mut from, &mut into);
        width = width.saturating_mul(2);
    }
    from
}

/// Merges two sorted runs into `out` (as long as both), taking from `left` on a tie.
fn merge(
    left: &[usize],
    right: &[usize],
    out: &mut [usize],
    compare: &mut dyn FnMut(usize, usize) -> Ordering,
) {
    let (mut left, mut right) = (left.iter().peekable(), right.iter().peekable());
    for slot in out {
        let take_left = match (left.peek(), right.peek()) {
            (Some(&&l), Some(&&r)) => compare(l, r) != Ordering::Greater,
            (Some(_), None) => true,
            _ => false,
        };
        let next = if take_left { left.next() } else { right.next() };
        if let Some(&position) = next {
            *slot = position;
        }
    }
}

/// Marks a position of `order` whose item is in place.
const PLACED: usize = usize::MAX;

/// Puts `items` in `order`: position `k` takes the item that was at `order[k]`. `order` is
/// a permutation of the positions; each cycle of it is followed with swaps, so nothing is
/// copied or dropped, and each position is marked in `order` once its item is in place.
fn arrange<T>(items: &mut [T], mut order: Vec<usize>) {
    let len = items.len().min(order.len());
    for start in 0..len {
        // `at` holds the item that was at `start`; every other place of the cycle still
        // holds its own.
        let mut at = start;
        loop {
            let wanted = std::mem::replace(&mut order[at], PLACED);
            if wanted == start || wanted >= len || order[wanted] == PLACED {
                break;
            }
            items.swap(at, wanted);
            at = wanted;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn sorts_as_the_standard_stable_sort_does(items in prop::collection::vec((0_u8..8, any::<u16>()), 0..200)) {
            let mut ours = items.clone();
            sort_by_key(&mut ours, |&(key, _)| key);
            let mut theirs = items;
            #[allow(clippy::disallowed_methods)]
            theirs.sort_by_key(|&(key, _)| key);
            prop_assert_eq!(ours, theirs);
        }

        #[test]
        fn sorts_in_natural_order(items in prop::collection::vec(any::<i32>(), 0..300)) {
            let mut ours = items.clone();
            sort(&mut ours);
            let mut theirs = items;
            #[allow(clippy::disallowed_methods)]
            theirs.sort();
            prop_assert_eq!(ours, theirs);
        }

        #[test]
        fn a_comparison_that_is_no_order_still_gives_the_same_items(
            items in prop::collection::vec(any::<u32>(), 0..200),
            answers in prop::collection::vec(0_u8..3, 1..50),
        ) {
            let mut ours = items.clone();
            let mut turn = 0;
            sort_by(&mut ours, |_, _| {
                turn += 1;
                match answers[turn % answers.len()] {
                    0 => Ordering::Less,
                    1 => Ordering::Equal,
                    _ => Ordering::Greater,
                }
            });
            let (mut ours_sorted, mut items_sorted) = (ours, items);
            sort(&mut ours_sorted);
            sort(&mut items_sorted);
            prop_assert_eq!(ours_sorted, items_sorted);
        }
    }

    proptest! {
        #[test]
        fn maps_and_sets_are_those_collect_makes(entries in prop::collection::vec((0_u8..20, any::<u16>()), 0..100)) {
            prop_assert_eq!(map_of(entries.clone()), entries.iter().copied().collect::<BTreeMap<_, _>>());
            prop_assert_eq!(set_of(entries.clone()), entries.into_iter().collect::<BTreeSet<_>>());
        }
    }

    #[test]
    fn floats_with_nan_do_not_panic() {
        let mut values = vec![3.0, f64::NAN, 1.0, 2.0, f64::NAN, 0.5];
        sort_by(&mut values, |a, b| {
            a.partial_cmp(b).unwrap_or(Ordering::Equal)
        });
        assert_eq!(values.len(), 6);
        assert_eq!(values.iter().filter(|v| v.is_nan()).count(), 2);
    }

    #[test]
    fn items_that_own_memory_are_moved_not_copied() {
        let mut names: Vec<String> = ["pear", "apple", "fig", "apple"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        sort(&mut names);
        assert_eq!(names, ["apple", "apple", "fig", "pear"]);
    }
}
