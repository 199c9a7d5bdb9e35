//! String comparisons for filters, case-exact or case-insensitive, without allocating.
//!
//! Case-insensitive comparison folds with `char::to_lowercase`, so it holds beyond ASCII
//! (`"ÉLODIE" eq "élodie"`); ASCII-only strings take a byte-wise fast path.

use std::cmp::Ordering;

use super::CompareOp;

/// `s op c` on strings: equality and order (lexical, by code point), or `co`/`sw`/`ew`.
pub(super) fn compare(s: &str, c: &str, op: CompareOp, case_exact: bool) -> bool {
    cost::allow(s.len() + 1);
    // The byte-wise loops (exact, ASCII) run at most over the shorter string.
    cost::charge(s.len().min(c.len()));
    if matches!(op, CompareOp::Co | CompareOp::Sw | CompareOp::Ew) && cannot_fit(s, c, case_exact) {
        // Without this, each value of a multi-valued attribute would cost the literal's length
        // (folding it, or checking it is ASCII): literal × values, not literal + values.
        return false;
    }
    match op {
        CompareOp::Co => contains(s, c, case_exact),
        CompareOp::Sw => starts_with(s, c, case_exact),
        CompareOp::Ew => ends_with(s, c, case_exact),
        CompareOp::Eq => eq(s, c, case_exact),
        CompareOp::Ne => !eq(s, c, case_exact),
        _ => super::eval::ordered(cmp(s, c, case_exact), op),
    }
}

/// Whether `part` is too long to occur in `s`, known from byte lengths alone. A char is 1 to
/// 4 bytes and folds to 1 to 3 chars, so when `part` has over 12 bytes per byte of `s`, its
/// folding has more chars than `s`'s. Past this check `part` is at most 12 × `s` long, and
/// the work per comparison is linear in `s`.
fn cannot_fit(s: &str, part: &str, case_exact: bool) -> bool {
    match case_exact {
        true => part.len() > s.len(),
        false => part.len() > s.len().saturating_mul(12),
    }
}

fn folded(s: &str) -> impl DoubleEndedIterator<Item = char> + '_ {
    s.chars()
        .flat_map(char::to_lowercase)
        .inspect(|_| cost::charge(1))
}

fn ascii(a: &str, b: &str) -> bool {
    cost::charge(a.len() + b.len());
    a.is_ascii() && b.is_ascii()
}

/// A deterministic measure of the work string comparisons do, for the `filter_cost` fuzz
/// target: each comparison of a value `s` allows [`cost::PER_BYTE`] × (`s` + 1) steps, and the
/// loops charge what they run. Nothing is counted without the `fuzzing` feature.
pub(crate) mod cost {
    /// Steps allowed per byte of the value compared: a literal up to 12 times longer,
    /// folded (3 chars per char), scanned a few times.
    #[cfg(feature = "fuzzing")]
    pub(crate) const PER_BYTE: usize = 128;

    #[cfg(feature = "fuzzing")]
    thread_local! {
        static COUNTS: std::cell::Cell<(usize, usize)> = const { std::cell::Cell::new((0, 0)) };
    }

    #[cfg(feature = "fuzzing")]
    pub(crate) fn charge(n: usize) {
        COUNTS.with(|c| {
            let (w, a) = c.get();
            c.set((w.saturating_add(n), a));
        });
    }

    #[cfg(feature = "fuzzing")]
    pub(crate) fn allow(bytes: usize) {
        COUNTS.with(|c| {
            let (w, a) = c.get();
            c.set((w, a.saturating_add(bytes.saturating_mul(PER_BYTE))));
        });
    }

    /// The (work, allowance) counted since the last call, which resets them.
    #[cfg(feature = "fuzzing")]
    pub(crate) fn take() -> (usize, usize) {
        COUNTS.with(|c| c.replace((0, 0)))
    }

    #[cfg(not(feature = "fuzzing"))]
    #[inline(always)]
    pub(crate) fn charge(_: usize) {}

    #[cfg(not(feature = "fuzzing"))]
    #[inline(always)]
    pub(crate) fn allow(_: usize) {}
}

pub(crate) fn eq(a: &str, b: &str, case_exact: bool) -> bool {
    if case_exact {
        return a == b;
    }
    // Walk the common prefix that is equal ignoring ASCII case. If it covers both strings
    // they are equal; if it stops at two ASCII bytes they are not (the folded prefixes are the
    // same chars, and the next folded chars differ). Only a non-ASCII byte at the first
    // difference needs Unicode folding (`K`, the Kelvin sign, is `k`).
    let (x, y) = (a.as_bytes(), b.as_bytes());
    if let Some(same) = short_ascii_eq(x, y) {
        return same;
    }
    let i = ascii_fold_prefix(x, y);
    match (x.get(i), y.get(i)) {
        (None, None) => true,
        (Some(p), Some(q)) if p.is_ascii() && q.is_ascii() => false,
        // One string is a prefix of the other, ending on a char boundary: the other has more
        // chars, and every char folds to at least one char.
        (None, Some(_)) | (Some(_), None) => false,
        _ => folded(a).eq(folded(b)),
    }
}

/// Equality ignoring ASCII case of two ASCII strings of the same length, 4 to 16 bytes, as two
/// overlapping words each (most attribute values compared with `eq` are that short). `None`
/// when the fast case does not apply.
fn short_ascii_eq(x: &[u8], y: &[u8]) -> Option<bool> {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let n = x.len();
    if n != y.len() || !(4..=16).contains(&n) {
        return None;
    }
    let (w, k) = if n >= 8 { (8, n - 8) } else { (4, n - 4) };
    let load = |s: &[u8], i: usize| match w {
        8 => word8(s, i),
        _ => s
            .get(i..i + 4)
            .and_then(|q| <[u8; 4]>::try_from(q).ok())
            .map_or(0, |q| u64::from(u32::from_le_bytes(q))),
    };
    let (p0, q0, p1, q1) = (load(x, 0), load(y, 0), load(x, k), load(y, k));
    if (p0 | q0 | p1 | q1) & HIGH != 0 {
        return None;
    }
    Some(lower8(p0) == lower8(q0) && lower8(p1) == lower8(q1))
}

/// The length of the longest common prefix of `x` and `y` ignoring ASCII case, compared
/// eight bytes at a time while the bytes are ASCII.
fn ascii_fold_prefix(x: &[u8], y: &[u8]) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let n = x.len().min(y.len());
    let mut i = 0;
    while i + 8 <= n {
        let (p, q) = (word8(x, i), word8(y, i));
        if (p | q) & HIGH != 0 {
            break;
        }
        let diff = lower8(p) ^ lower8(q);
        if diff != 0 {
            // Little-endian: the lowest differing byte comes first.
            return i + (diff.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    i + x[i..n]
        .iter()
        .zip(&y[i..n])
        .position(|(p, q)| !p.eq_ignore_ascii_case(q))
        .unwrap_or(n - i)
}

/// The 8 bytes of `b` at `i` as a little-endian word (0 past the end).
fn word8(b: &[u8], i: usize) -> u64 {
    b.get(i..i + 8)
        .and_then(|s| <[u8; 8]>::try_from(s).ok())
        .map_or(0, u64::from_le_bytes)
}

/// ASCII lowercase of eight ASCII bytes at once (each byte below 0x80, so nothing carries).
/// Other words give some word, without panicking: callers hash a word before they know
/// whether it was ASCII, and discard the result when it was not.
pub(crate) fn lower8(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let ge_a = w.wrapping_add(ONES * (0x80 - u64::from(b'A')));
    let gt_z = w.wrapping_add(ONES * (0x80 - u64::from(b'Z') - 1));
    w | (((ge_a & !gt_z) & (ONES * 0x80)) >> 2)
}

fn cmp(a: &str, b: &str, case_exact: bool) -> Ordering {
    if case_exact {
        return a.cmp(b);
    }
    // Only the common length decides whether the ASCII order applies: past it the shorter
    // string has ended, in both orders. Checking whole strings would cost a long literal's
    // length for each short value.
    let n = a.len().min(b.len());
    if a.as_bytes()[..n].is_ascii() && b.as_bytes()[..n].is_ascii() {
        let lower = u8::to_ascii_lowercase;
        a.bytes()
            .map(|b| lower(&b))
            .cmp(b.bytes().map(|b| lower(&b)))
    } else {
        folded(a).cmp(folded(b))
    }
}

fn starts_with(s: &str, prefix: &str, case_exact: bool) -> bool {
    match (case_exact, ascii(s, prefix)) {
        (true, _) => s.starts_with(prefix),
        (false, true) => s
            .as_bytes()
            .get(..prefix.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(prefix.as_bytes())),
        (false, false) => is_prefix(folded(prefix), folded(s)),
    }
}

fn ends_with(s: &str, suffix: &str, case_exact: bool) -> bool {
    match (case_exact, ascii(s, suffix)) {
        (true, _) => s.ends_with(suffix),
        (false, true) => s
            .len()
            .checked_sub(suffix.len())
            .is_some_and(|start| s.as_bytes()[start..].eq_ignore_ascii_case(suffix.as_bytes())),
        (false, false) => is_folded_suffix(s, suffix),
    }
}

/// Needles up to this many bytes are compared window by window (cost haystack × this
/// constant, without allocating); longer ones go through [`find_folded`], linear in both.
const SHORT_NEEDLE: usize = 16;

fn contains(s: &str, needle: &str, case_exact: bool) -> bool {
    match (case_exact, ascii(s, needle)) {
        // std's two-way searcher: linear in both lengths.
        (true, _) => s.contains(needle),
        (false, true) if needle.len() <= SHORT_NEEDLE => {
            // Only windows starting with the needle's first byte (either case) are compared.
            let Some((&first, rest)) = needle.as_bytes().split_first() else {
                return true;
            };
            let first = first.to_ascii_lowercase();
            cost::charge(s.len() * needle.len());
            s.as_bytes()
                .windows(needle.len())
                .any(|w| w[0].to_ascii_lowercase() == first && w[1..].eq_ignore_ascii_case(rest))
        }
        (false, true) => {
            cost::charge(needle.len() + s.len());
            let needle: Vec<u8> = needle.bytes().map(|b| b.to_ascii_lowercase()).collect();
            find_folded(&needle, s.bytes().map(|b| (b.to_ascii_lowercase(), true)))
        }
        (false, false) => {
            let needle: Vec<char> = folded(needle).collect();
            // A match must start where one of `s`'s chars starts: `İ` folds to two chars
            // (`i` and U+0307), and a needle may not begin inside that pair.
            let hay = s
                .chars()
                .flat_map(|c| c.to_lowercase().enumerate().map(|(i, f)| (f, i == 0)));
            find_folded(&needle, hay)
        }
    }
}

/// Whether `needle` occurs in `hay` at an item flagged as a start, by Knuth–Morris–Pratt:
/// every occurrence, overlapping ones included, is found in O(needle + hay) steps, so the
/// start check never forces a rescan.
fn find_folded<T: Copy + Eq>(needle: &[T], hay: impl Iterator<Item = (T, bool)>) -> bool {
    let m = needle.len();
    if m == 0 {
        return true;
    }
    // fail[i]: the length of the longest proper border of needle[..=i].
    let mut fail = vec![0usize; m];
    let mut k = 0;
    cost::charge(m);
    for i in 1..m {
        while k > 0 && needle[i] != needle[k] {
            cost::charge(1);
            k = fail[k - 1];
        }
        if needle[i] == needle[k] {
            k += 1;
        }
        fail[i] = k;
    }
    // The start flags of the last `m` items, as a ring.
    let mut starts = vec![false; m];
    let mut matched = 0;
    for (j, (c, start)) in hay.enumerate() {
        starts[j % m] = start;
        cost::charge(1);
        while matched > 0 && needle[matched] != c {
            cost::charge(1);
            matched = fail[matched - 1];
        }
        if needle[matched] == c {
            matched += 1;
        }
        if matched == m {
            // The match began at item j + 1 - m, whose flag the ring still holds.
            if starts[(j + 1) % m] {
                return true;
            }
            matched = fail[m - 1];
        }
    }
    false
}

/// Whether `suffix` folded is the folding of `s` from one of its chars on: as for `co`, a
/// match may not begin inside the chars one char folds to (`İ` is `i` and U+0307).
fn is_folded_suffix(s: &str, suffix: &str) -> bool {
    let mut want = folded(suffix).rev().peekable();
    for c in s.chars().rev() {
        if want.peek().is_none() {
            return true;
        }
        for f in c.to_lowercase().rev() {
            match want.next() {
                Some(w) if w == f => {}
                // A different char, or the suffix ran out inside this char's folding.
                _ => return false,
            }
        }
    }
    want.peek().is_none()
}

/// Whether `prefix` is a prefix of `s`, both as char sequences.
fn is_prefix(mut prefix: impl Iterator<Item = char>, mut s: impl Iterator<Item = char>) -> bool {
    loop {
        match (prefix.next(), s.next()) {
            (None, _) => return true,
            (Some(p), Some(c)) if p == c => {}
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// The definition `contains` must agree with: the folded needle is a prefix of the folded
    /// text from some char of `s` on (quadratic, so only for tests).
    fn contains_by_definition(s: &str, needle: &str) -> bool {
        s.char_indices()
            .map(|(i, _)| i)
            .chain([s.len()])
            .any(|i| is_prefix(folded(needle), folded(&s[i..])))
    }

    proptest! {
        #[test]
        fn contains_agrees_with_its_definition(
            s in "[abAB\u{130}\u{307}iI\u{212A}kKß]{0,24}",
            needle in "[abAB\u{130}\u{307}iI\u{212A}kKß]{0,20}",
        ) {
            prop_assert_eq!(contains(&s, &needle, false), contains_by_definition(&s, &needle));
        }

        #[test]
        fn cmp_is_the_order_of_the_foldings(
            a in "[aAbB\u{e9}\u{c9}\u{212A}kß]{0,6}",
            b in "[aAbB\u{e9}\u{c9}\u{212A}kß]{0,6}",
        ) {
            prop_assert_eq!(cmp(&a, &b, false), folded(&a).cmp(folded(&b)));
        }

        #[test]
        fn ends_with_agrees_with_its_definition(
            s in "[abAB\u{130}\u{307}iI\u{212A}kKß]{0,12}",
            suffix in "[abAB\u{130}\u{307}iI\u{212A}kKß]{0,8}",
        ) {
            // Some char of `s` starts a tail whose folding is the suffix's.
            let by_definition = s.char_indices().map(|(i, _)| i).chain([s.len()])
                .any(|i| folded(&s[i..]).eq(folded(&suffix)));
            prop_assert_eq!(ends_with(&s, &suffix, false), by_definition);
            prop_assert_eq!(contains(&s, &suffix, false) || !by_definition, true);
        }

        #[test]
        fn long_ascii_needles_agree_with_their_definition(
            s in "[abAB]{0,64}",
            needle in "[abAB]{17,24}",
        ) {
            prop_assert_eq!(contains(&s, &needle, false), contains_by_definition(&s, &needle));
        }

        /// Short ASCII strings, with the bytes around the letters (`@[`{`) and both cases.
        #[test]
        fn short_ascii_eq_is_ascii_case_folding(
            a in "[@-\\`-|aAzZ]{4,16}",
            flips in prop::collection::vec(any::<bool>(), 16),
            change in prop::option::of((0usize..16, "[@-\\`-|]")),
        ) {
            let mut b: String = a.chars().zip(&flips).map(|(c, &f)| match f {
                true => c.to_ascii_uppercase(),
                false => c.to_ascii_lowercase(),
            }).collect();
            if let Some((i, c)) = change.filter(|(i, _)| *i < b.len()) {
                b.replace_range(i..=i, &c);
            }
            prop_assert_eq!(eq(&a, &b, false), a.eq_ignore_ascii_case(&b), "{} {}", a, b);
        }
    }

    #[test]
    fn case_insensitive_beyond_ascii() {
        assert!(eq("ÉLODIE", "élodie", false));
        assert!(!eq("ÉLODIE", "élodie", true));
        assert!(starts_with("Élodie", "éL", false));
        assert!(ends_with("straße", "SSE", false) || ends_with("straße", "ße", false));
        assert!(contains("Ünïcödé", "ÏCÖ", false));
        assert!(contains("abc", "", false) && contains("", "", false));
        assert!(contains("bjensen@EXAMPLE.com", "example.COM", false));
        assert!(contains("Bj", "b", false) && !contains("bj", "jb", false));
        assert!(!contains("bjensen@example.org", "example.com", false));
        assert!(!contains("ab", "abc", false));
        assert_eq!(cmp("Zebra", "apple", false), Ordering::Greater);
        assert_eq!(cmp("Zebra", "apple", true), Ordering::Less);
        assert!(ends_with("bjensen@EXAMPLE.com", "example.COM", false));
        assert!(!ends_with("m", "com", false));
        assert!(eq("k", "\u{212A}", false) && eq("K\u{212A}", "kk", false));
        assert!(eq("\u{130}", "i\u{307}", false));
        assert!(eq("ABC-é", "abc-É", false) && !eq("abc", "abd", false));
        assert!(!eq("abc", "abcd", false) && !eq("", "a", false) && eq("", "", false));
        let id = "2819C223-7F76-453A-919D-413861904646";
        assert!(eq(id, &id.to_lowercase(), false) && !eq(id, &id.replace('6', "7"), false));
        assert!(eq("ABCDEFGH\u{212A}", "abcdefghk", false));
        assert!(eq("bjensen", "BJensen", false) && !eq("bjensen", "bjensem", false));
        assert!(eq("Employee", "employee", false) && !eq("Employee", "Employer", false));
        assert!(eq("x@example.com", "X@EXAMPLE.COM", false));
        assert!(!eq("x@example.con", "X@EXAMPLE.COM", false) && !eq("a@b[", "a`b{", false));
        assert!(eq("wörk", "WÖRK", false) && !eq("abcd", "abce", false));
        let long = "x".repeat(40);
        assert!(contains(
            &format!("aa{}Z", long.to_uppercase()),
            &format!("{long}z"),
            false
        ));
        assert!(!contains(&long, &format!("{long}x"), false));
        assert!(contains(
            &format!("é{long}"),
            &format!("É{}", long.to_uppercase()),
            false
        ));
        // A match may not begin inside the two chars `İ` folds to.
        assert!(
            !contains("\u{130}x", "\u{307}X", false) && contains("\u{130}x", "I\u{307}x", false)
        );
        assert!(contains("a\u{307}x", "\u{307}X", false));
        // Nor may a suffix: `ew` implies `co`.
        assert!(
            !ends_with("\u{130}", "\u{307}", false) && ends_with("x\u{130}", "I\u{307}", false)
        );
        assert!(ends_with("a\u{307}", "\u{307}", false) && ends_with("é", "", false));
        // A literal longer than any folding of the text is refused from the lengths.
        assert!(!compare("k", &"K".repeat(13), CompareOp::Co, false));
        assert!(compare("\u{212A}", "k", CompareOp::Ew, false));
        assert!(contains("ababaababc", "ABABC", false) && !contains("abababab", "ababc", false));
        assert_eq!(ascii_fold_prefix(b"abcdefghijkl", b"ABCDEFGHIJKx"), 11);
        assert_eq!(ascii_fold_prefix(b"@[`{abcd", b"@[`{ABCD"), 8);
        assert_eq!(ascii_fold_prefix(b"@", b"`"), 0);
    }
}
