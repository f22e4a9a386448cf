//! Sorting shared by the whole crate: natively std's sorts (fast), in the page one sort
//! routine for every element type, since each std `sort_by` instantiation adds several KB of
//! wasm (a copy of driftsort per element type and comparator; see BENCHMARKS.md, "Page").

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// Stable sort of `items` by `compare`, like `slice::sort_by`.
#[inline]
pub fn sort_by<T>(items: &mut [T], compare: impl FnMut(&T, &T) -> Ordering) {
    #[cfg(not(target_arch = "wasm32"))]
    items.sort_by(compare);
    #[cfg(target_arch = "wasm32")]
    sort_by_order(items, compare);
}

/// Stable sort of `items` by the key `key` gives each, like `slice::sort_by_key`.
#[inline]
pub fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Stable sort of `items` in their natural order, like `slice::sort`.
#[inline]
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// The map of `pairs`, like `collect::<BTreeMap<_, _>>()` (the last value of a key wins) but
/// built by insertion: `collect` sorts the pairs first, one more sort copy per key and value type.
pub fn btree_map<K: Ord, V>(pairs: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    for (key, value) in pairs {
        map.insert(key, value);
    }
    map
}

/// The set of `items`, like `collect::<BTreeSet<_>>()` but built by insertion, for the same
/// reason as `btree_map`.
pub fn btree_set<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut set = BTreeSet::new();
    for item in items {
        set.insert(item);
    }
    set
}

/// The page's stable sort: the sorted order of the positions, through one non-generic sort,
/// then the items moved into it. Built natively too, so the native tests cover it.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
#[inline]
fn sort_by_order<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    // Most of the engine's lists are short: nothing to order, no positions to allocate.
    if items.len() < 2 {
        return;
    }
    let order = sorted_order(items.len(), &mut |a, b| compare(&items[a], &items[b]));
    permute(items, order);
}

/// The positions `0..len` in the order `compare` puts them (ties keep their order): the one
/// std sort instantiation the page carries.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
#[inline(never)]
fn sorted_order(len: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| compare(a, b));
    order
}

/// Moves the item at `order[i]` to position `i`, following each cycle of the permutation
/// with swaps (no clone, no second buffer of `T`).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    for start in 0..items.len() {
        let mut at = start;
        loop {
            let from = order[at];
            // Marks the position as filled, so a later start skips this cycle.
            order[at] = at;
            if from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_sort_is_stable_and_agrees_with_std() {
        for len in [0usize, 1, 2, 3, 17, 200, 1000] {
            let items: Vec<(u16, usize)> = (0..len).map(|i| ((i * 7919 % 31) as u16, i)).collect();
            let mut ours = items.clone();
            let mut std_sorted = items.clone();
            sort_by_order(&mut ours, |a, b| a.0.cmp(&b.0));
            std_sorted.sort_by_key(|a| a.0);
            assert_eq!(ours, std_sorted, "length {len}");
            let mut reversed = items;
            sort_by_order(&mut reversed, |a, b| b.cmp(a));
            assert!(reversed.windows(2).all(|w| w[0] > w[1]), "length {len}");
        }
    }

    #[test]
    fn a_map_keeps_the_last_value_of_a_key_like_collect() {
        let pairs = [(2, "b"), (1, "a"), (2, "c")];
        assert_eq!(btree_map(pairs), pairs.into_iter().collect::<BTreeMap<_, _>>());
        let names = ["vnet-b", "vnet-a", "vnet-b"];
        assert_eq!(btree_set(names), names.into_iter().collect::<BTreeSet<_>>());
    }

    #[test]
    fn sorts_stably_like_std() {
        let mut ours: Vec<(u8, usize)> = (0..200).map(|i| ((i * 7919 % 13) as u8, i)).collect();
        let mut std_sorted = ours.clone();
        sort_by_key(&mut ours, |it| it.0);
        std_sorted.sort_by_key(|it| it.0);
        assert_eq!(ours, std_sorted);
        let mut words = vec!["vnet-b", "vnet-a", "vnet-c", "vnet-a"];
        sort(&mut words);
        assert_eq!(words, ["vnet-a", "vnet-a", "vnet-b", "vnet-c"]);
        sort_by(&mut words, |a, b| b.cmp(a));
        assert_eq!(words, ["vnet-c", "vnet-b", "vnet-a", "vnet-a"]);
    }
}
