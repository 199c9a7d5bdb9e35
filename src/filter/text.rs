//! String comparisons for filters, case-exact or case-insensitive, without allocating.
//!
//! Case-insensitive comparison folds with `char::to_lowercase`, so it holds beyond ASCII
//! (`"ÉLODIE" eq "élodie"`); ASCII-only strings take a byte-wise fast path.

use std::cmp::Ordering;

use super::CompareOp;

/// `s op c` on strings: equality and order (lexical, by code point), or `co`/`sw`/`ew`.
pub(super) fn compare(s: &str, c: &str, op: CompareOp, case_exact: bool) -> bool {
    match op {
        CompareOp::Co => contains(s, c, case_exact),
        CompareOp::Sw => starts_with(s, c, case_exact),
        CompareOp::Ew => ends_with(s, c, case_exact),
        CompareOp::Eq => eq(s, c, case_exact),
        CompareOp::Ne => !eq(s, c, case_exact),
        _ => super::eval::ordered(cmp(s, c, case_exact), op),
    }
}

fn folded(s: &str) -> impl DoubleEndedIterator<Item = char> + '_ {
    s.chars().flat_map(char::to_lowercase)
}

fn ascii(a: &str, b: &str) -> bool {
    a.is_ascii() && b.is_ascii()
}

pub(super) fn eq(a: &str, b: &str, case_exact: bool) -> bool {
    match (case_exact, ascii(a, b)) {
        (true, _) => a == b,
        (false, true) => a.eq_ignore_ascii_case(b),
        (false, false) => folded(a).eq(folded(b)),
    }
}

fn cmp(a: &str, b: &str, case_exact: bool) -> Ordering {
    match (case_exact, ascii(a, b)) {
        (true, _) => a.cmp(b),
        (false, true) => {
            let lower = u8::to_ascii_lowercase;
            a.bytes()
                .map(|b| lower(&b))
                .cmp(b.bytes().map(|b| lower(&b)))
        }
        (false, false) => folded(a).cmp(folded(b)),
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
        (false, false) => is_prefix(folded(suffix).rev(), folded(s).rev()),
    }
}

fn contains(s: &str, needle: &str, case_exact: bool) -> bool {
    match (case_exact, ascii(s, needle)) {
        (true, _) => s.contains(needle),
        (false, true) => {
            needle.is_empty()
                || s.as_bytes()
                    .windows(needle.len())
                    .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
        }
        (false, false) => s
            .char_indices()
            .any(|(i, _)| is_prefix(folded(needle), folded(&s[i..]))),
    }
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
    use super::*;

    #[test]
    fn case_insensitive_beyond_ascii() {
        assert!(eq("ÉLODIE", "élodie", false));
        assert!(!eq("ÉLODIE", "élodie", true));
        assert!(starts_with("Élodie", "éL", false));
        assert!(ends_with("straße", "SSE", false) || ends_with("straße", "ße", false));
        assert!(contains("Ünïcödé", "ÏCÖ", false));
        assert!(contains("abc", "", false));
        assert!(!contains("ab", "abc", false));
        assert_eq!(cmp("Zebra", "apple", false), Ordering::Greater);
        assert_eq!(cmp("Zebra", "apple", true), Ordering::Less);
        assert!(ends_with("bjensen@EXAMPLE.com", "example.COM", false));
        assert!(!ends_with("m", "com", false));
    }
}
