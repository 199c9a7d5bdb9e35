//! The identity of the values of a multi-valued attribute, for `add` (RFC 7644 §3.5.2.1: "If
//! the target location already contains the value specified, no changes SHOULD be made") and
//! for removing listed values.
//!
//! A value is identified by its `value` sub-attribute (complex) or by itself (simple), compared
//! ignoring case unless the schema says caseExact. The values of the request, usually few, are
//! indexed in a hash table; the stored values, possibly many, are scanned against it once. So a
//! request costs one hash per stored value and no table the size of the group.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, Hasher, RandomState};

use serde_json::Value;

use super::target::{Def, get_ci};
use crate::filter::text::{self, lower8};

/// Which of `items` are absent from `current` and from the items before them.
pub(super) fn fresh(attr: Def<'_>, current: &[Value], items: &[Value]) -> Vec<bool> {
    let (index, mut keep) = Index::new(attr, items);
    if !index.is_empty() {
        for v in current {
            if let Some(i) = index.find(v) {
                keep[i] = false;
            }
        }
    }
    keep
}

/// The positions in `current` of the values equal to one of `gone`.
pub(super) fn matching(attr: Def<'_>, gone: &[Value], current: &[Value]) -> Vec<usize> {
    let (index, _) = Index::new(attr, gone);
    if index.is_empty() {
        return Vec::new();
    }
    (0..current.len())
        .filter(|&i| index.find(&current[i]).is_some())
        .collect()
}

/// Which of `items` are absent from `current` (indexed in `members`) and from the items
/// before them: [`fresh`] without the scan of `current`.
pub(super) fn fresh_indexed(
    attr: Def<'_>,
    members: &Members,
    current: &[Value],
    items: &[Value],
) -> Vec<bool> {
    let (_, mut keep) = Index::new(attr, items);
    for (k, v) in keep.iter_mut().zip(items) {
        *k = *k && !members.contains(current, v);
    }
    keep
}

/// The stored values of one multi-valued attribute by identity, kept up to date across the
/// `add` operations of one request so that each costs its own values, not the group's size.
/// It holds positions only; identities are read from the array when compared.
#[derive(Debug)]
pub(super) struct Members {
    by: Option<IdentBy>,
    seed: u64,
    /// Identity hash → the last position with it; `next[p]` is the position before `p` with
    /// the same hash (`usize::MAX`: none).
    heads: HashMap<u64, usize, PreHashed>,
    next: Vec<usize>,
    /// Positions of values without an identity, compared whole.
    loose: Vec<usize>,
}

impl Members {
    pub(super) fn new(attr: Def<'_>, current: &[Value]) -> Self {
        let mut m = Self {
            by: IdentBy::of(attr),
            seed: RandomState::new().hash_one(0x3e3_u32),
            heads: HashMap::with_capacity_and_hasher(current.len(), PreHashed),
            next: Vec::with_capacity(current.len()),
            loose: Vec::new(),
        };
        m.extend(current);
        m
    }

    /// Indexes the values appended to `current` since the last call.
    pub(super) fn extend(&mut self, current: &[Value]) {
        let from = self.next.len();
        for (p, v) in current.iter().enumerate().skip(from) {
            match self.by.and_then(|by| by.ident(v)) {
                Some(id) => {
                    let prev = self.heads.insert(id.hash(self.seed), p);
                    self.next.push(prev.unwrap_or(usize::MAX));
                }
                None => {
                    self.loose.push(p);
                    self.next.push(usize::MAX);
                }
            }
        }
    }

    fn contains(&self, current: &[Value], v: &Value) -> bool {
        let Some(id) = self.by.and_then(|by| by.ident(v)) else {
            return self.loose.iter().any(|&p| current.get(p) == Some(v));
        };
        let mut p = self.heads.get(&id.hash(self.seed)).copied();
        while let Some(at) = p.filter(|&at| at != usize::MAX) {
            let stored = current
                .get(at)
                .and_then(|c| self.by.and_then(|by| by.ident(c)));
            if stored == Some(id) {
                return true;
            }
            p = self.next.get(at).copied();
        }
        false
    }
}

/// A set of strings compared as [`text::eq`] compares them (ignoring case unless `exact`),
/// for a valuePath that is an `or` of `eq` tests on one sub-attribute: each element costs one
/// hash, not one comparison per term.
pub(crate) struct StrSet<'v> {
    fold: bool,
    seed: u64,
    table: HashMap<Key<'v>, (), PreHashed>,
}

impl<'v> StrSet<'v> {
    pub(crate) fn new(exact: bool, items: impl ExactSizeIterator<Item = &'v str>) -> Self {
        let mut set = Self {
            fold: !exact,
            seed: RandomState::new().hash_one(0x5e7_u32),
            table: HashMap::with_capacity_and_hasher(items.len(), PreHashed),
        };
        for s in items {
            let id = Ident { s, fold: set.fold };
            set.table.insert(
                Key {
                    hash: id.hash(set.seed),
                    id,
                },
                (),
            );
        }
        set
    }

    pub(crate) fn contains(&self, s: &str) -> bool {
        let id = Ident { s, fold: self.fold };
        self.table.contains_key(&Key {
            hash: id.hash(self.seed),
            id,
        })
    }
}

/// The request's values by identity.
struct Index<'v> {
    by: Option<IdentBy>,
    seed: u64,
    /// Hashed identity → the first of `values` with it.
    table: HashMap<Key<'v>, usize, PreHashed>,
    /// Values without an identity (not strings, or no `value`): compared whole.
    loose: Vec<(usize, &'v Value)>,
    /// A bit per [`tag`] of the indexed identities, so most stored values are ruled out
    /// before they are hashed; `None` when some identity has no tag (non-ASCII, folded).
    tags: Option<Box<[u64; TAG_WORDS]>>,
}

/// The size of [`Index::tags`]: 4,096 bits, so a request of 100 values lets through about
/// 2% of the stored values that are not among them.
const TAG_WORDS: usize = 64;

impl<'v> Index<'v> {
    /// The index of `values`, and for each whether it is the first with its identity.
    fn new(attr: Def<'_>, values: &'v [Value]) -> (Self, Vec<bool>) {
        let mut index = Self {
            by: IdentBy::of(attr),
            seed: RandomState::new().hash_one(0x5c1e_u32),
            table: HashMap::with_capacity_and_hasher(values.len(), PreHashed),
            loose: Vec::new(),
            tags: Some(Box::new([0; TAG_WORDS])),
        };
        let first = values
            .iter()
            .enumerate()
            .map(|(i, v)| match index.key(v) {
                Some(k) => {
                    let tag = tag(k.id);
                    if let (Some(bits), Some(t)) = (&mut index.tags, tag) {
                        bits[t / 64] |= 1 << (t % 64);
                    } else {
                        index.tags = None;
                    }
                    match index.table.entry(k) {
                        std::collections::hash_map::Entry::Occupied(_) => false,
                        std::collections::hash_map::Entry::Vacant(e) => {
                            e.insert(i);
                            true
                        }
                    }
                }
                None if index.loose.iter().any(|&(_, l)| l == v) => false,
                None => {
                    index.loose.push((i, v));
                    true
                }
            })
            .collect();
        (index, first)
    }

    fn is_empty(&self) -> bool {
        self.table.is_empty() && self.loose.is_empty()
    }

    fn key<'a>(&self, v: &'a Value) -> Option<Key<'a>> {
        let id = self.by?.ident(v)?;
        Some(Key {
            hash: id.hash(self.seed),
            id,
        })
    }

    /// Which indexed value `v` equals, if any.
    fn find(&self, v: &Value) -> Option<usize> {
        let ident = self.by.and_then(|by| by.ident(v));
        if let (Some(id), Some(bits)) = (ident, &self.tags) {
            match tag(id) {
                Some(t) if bits[t / 64] & (1 << (t % 64)) == 0 => return None,
                _ => {}
            }
        }
        match ident {
            Some(id) => {
                let k = Key {
                    hash: id.hash(self.seed),
                    id,
                };
                self.table.get(&k).copied()
            }
            None => {
                let &(at, _) = self.loose.iter().find(|&&(_, l)| l == v)?;
                Some(at)
            }
        }
    }
}

/// How values of `attr` are identified: by the `value` sub-attribute (complex) or by
/// themselves (simple), ignoring case unless caseExact.
#[derive(Debug, Clone, Copy)]
struct IdentBy {
    complex: bool,
    fold: bool,
}

impl IdentBy {
    fn of(attr: Def<'_>) -> Option<Self> {
        if attr.is_complex() {
            let value = attr.sub("value")?;
            Some(Self {
                complex: true,
                fold: !value.case_exact(),
            })
        } else {
            Some(Self {
                complex: false,
                fold: !attr.case_exact(),
            })
        }
    }

    fn ident(self, v: &Value) -> Option<Ident<'_>> {
        let s = if self.complex {
            let obj = v.as_object()?;
            // Keys are sorted, and `value` sorts after the other sub-attributes of the RFC's
            // multi-valued attributes (`$ref`, `display`, `primary`, `type`): try the last.
            match obj.iter().next_back() {
                Some((k, v)) if k.as_bytes() == b"value" => v,
                _ => get_ci(obj, "value")?,
            }
            .as_str()?
        } else {
            v.as_str()?
        };
        Some(Ident { s, fold: self.fold })
    }
}

/// A value's identity string, and whether it compares ignoring case.
#[derive(Debug, Clone, Copy)]
struct Ident<'v> {
    s: &'v str,
    fold: bool,
}

impl PartialEq for Ident<'_> {
    fn eq(&self, other: &Self) -> bool {
        if self.fold {
            text::eq(self.s, other.s, false)
        } else {
            self.s == other.s
        }
    }
}

impl Ident<'_> {
    /// A word-at-a-time multiplicative hash, seeded per request from the process's random
    /// state so that colliding ids cannot be precomputed (SipHash cost more than the whole
    /// append on large groups). Strings equal under [`text::eq`] hash equally: what is
    /// hashed is the folded form, the ASCII lowercase in the common case.
    fn hash(self, seed: u64) -> u64 {
        let b = self.s.as_bytes();
        if !self.fold {
            return hash_words(b, seed, |w| w).0;
        }
        match hash_words(b, seed, lower8) {
            (h, high) if high & HIGH == 0 => h,
            // Non-ASCII: fold char by char (`K`, the Kelvin sign, is `k`). Rare, so the
            // folded copy is fine.
            _ => {
                let folded: String = self.s.chars().flat_map(char::to_lowercase).collect();
                hash_words(folded.as_bytes(), seed, lower8).0
            }
        }
    }
}

/// The high bit of every byte of a word.
const HIGH: u64 = 0x8080_8080_8080_8080;

/// Hashes `b` eight bytes a step, `f` applied to each word (the last word overlaps the one
/// before it; shorter inputs are read in overlapping halves). Also returns every word read,
/// or-ed together, so the caller can tell whether `b` was ASCII.
fn hash_words(b: &[u8], seed: u64, f: impl Fn(u64) -> u64) -> (u64, u64) {
    let n = b.len();
    let mut h = mix(seed, n as u64);
    let mut high = 0;
    let mut eat = |h: &mut u64, w: u64| {
        high |= w;
        *h = mix(*h, f(w));
    };
    if n >= 8 {
        let mut i = 0;
        while i + 8 < n {
            eat(&mut h, read8(b, i));
            i += 8;
        }
        eat(&mut h, read8(b, n - 8));
    } else if n >= 4 {
        eat(&mut h, (read4(b, 0) << 32) | read4(b, n - 4));
    } else if n > 0 {
        let byte = |i: usize| u64::from(b[i]);
        eat(&mut h, byte(0) | (byte(n / 2) << 8) | (byte(n - 1) << 16));
    }
    (finish(h), high)
}

/// A 12-bit digest of an identity's first and last eight bytes (folded), equal for equal
/// identities; `None` for a folded identity whose bytes read are not ASCII.
///
/// The length is left out on purpose: `K` (the Kelvin sign, three bytes) folds to `k`, so
/// equal identities may differ in length. Reads that are ASCII in both of two equal
/// identities are the same folded chars, whatever lies between them.
fn tag(id: Ident<'_>) -> Option<usize> {
    let b = id.s.as_bytes();
    let n = b.len();
    let (first, last) = match n {
        8.. => (read8(b, 0), read8(b, n - 8)),
        4.. => (read4(b, 0), read4(b, n - 4)),
        1.. => (
            u64::from(b[0]) | (u64::from(b[n / 2]) << 8),
            u64::from(b[n - 1]),
        ),
        0 => (0, 0),
    };
    let (first, last) = match id.fold {
        true if (first | last) & HIGH != 0 => return None,
        true => (lower8(first), lower8(last)),
        false => (first, last),
    };
    let h = (first ^ last.rotate_left(29)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    Some((h >> 52) as usize)
}

fn read8(b: &[u8], i: usize) -> u64 {
    b.get(i..i + 8)
        .and_then(|s| <[u8; 8]>::try_from(s).ok())
        .map_or(0, u64::from_le_bytes)
}

fn read4(b: &[u8], i: usize) -> u64 {
    b.get(i..i + 4)
        .and_then(|s| <[u8; 4]>::try_from(s).ok())
        .map_or(0, |w| u64::from(u32::from_le_bytes(w)))
}

fn mix(h: u64, w: u64) -> u64 {
    (h.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95)
}

/// A final avalanche, so that the table's top-7-bit tags are well spread.
fn finish(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^ (h >> 33)
}

/// An identity with its hash, computed once.
#[derive(Debug, Clone, Copy)]
struct Key<'v> {
    hash: u64,
    id: Ident<'v>,
}

impl PartialEq for Key<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.hash == other.hash && self.id == other.id
    }
}

impl Eq for Key<'_> {}

impl Hash for Key<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

/// The table's hasher: [`Key`] carries its hash already.
#[derive(Debug, Clone, Copy)]
struct PreHashed;

impl BuildHasher for PreHashed {
    type Hasher = Passed;
    fn build_hasher(&self) -> Passed {
        Passed(0)
    }
}

#[derive(Debug)]
struct Passed(u64);

impl Hasher for Passed {
    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is called, by `Key`; fold anything else in rather than drop it.
        for &b in bytes {
            self.0 = mix(self.0, u64::from(b));
        }
    }
    fn write_u64(&mut self, w: u64) {
        self.0 = w;
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::SchemaRegistry;

    /// Values without an identity (no `value` string) are compared whole, against the stored
    /// values and the request's earlier ones, and never match an identified value.
    #[test]
    fn values_without_identity_compare_whole() {
        let members = SchemaRegistry::standard()
            .attribute("urn:ietf:params:scim:schemas:core:2.0:Group:members")
            .map(Def::Known)
            .unwrap();
        let current = [json!({"display": "a"}), json!({"value": "x"})];
        let items = [
            json!({"display": "a"}),
            json!({"display": "b"}),
            json!({"display": "b"}),
            json!({"value": "X"}),
            json!({"display": "x"}),
        ];
        assert_eq!(
            fresh(members, &current, &items),
            [false, true, false, false, true]
        );
        let gone = [json!({"display": "a"}), json!({"value": "X"})];
        assert_eq!(matching(members, &gone, &current), [0, 1]);
        assert_eq!(
            matching(members, &[json!({"display": "x"})], &current),
            [0usize; 0]
        );
    }

    #[test]
    fn folded_hash_agrees_with_folded_eq() {
        let h = |s: &str| Ident { s, fold: true }.hash(7);
        for (x, y) in [
            ("2819C223-7F76-453A", "2819c223-7f76-453a"),
            ("Kelvin\u{212A}", "kelvink"),
            ("ÉCOLE", "école"),
            // A word whose top byte is 0xC3: lowering it must not overflow (a fuzz finding).
            ("aŸŸŸŸ", "aÿÿÿÿ"),
            (
                "2819C223-7F76-453A-919D-413861904646\u{212A}",
                "2819c223-7f76-453a-919d-413861904646k",
            ),
            ("", ""),
        ] {
            assert!(text::eq(x, y, false), "{x} {y}");
            assert_eq!(h(x), h(y), "{x} {y}");
        }
        assert_ne!(h("abc"), h("abd"));
        let exact = |s: &str| Ident { s, fold: false }.hash(7);
        assert_ne!(exact("ABC"), exact("abc"));
        for s in [
            "",
            "a",
            "ab",
            "abc",
            "abcd",
            "abcdefg",
            "abcdefgh",
            "abcdefghi",
        ] {
            let upper = s.to_ascii_uppercase();
            assert_eq!(h(s), h(&upper), "{s}");
            assert!(s.is_empty() || exact(s) != exact(&upper), "{s}");
            assert_ne!(h(s), h(&format!("{s}x")), "{s}");
        }
    }
}
