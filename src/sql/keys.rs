//! The comparison keys of the search index, computed in Rust exactly as the evaluator compares,
//! so the database only ever compares bytes and IEEE doubles.

use std::fmt::Write as _;

use chrono::{DateTime, FixedOffset};
use serde_json::Number;

/// The text the evaluator compares for `caseExact: false`: every char lowercased with
/// `char::to_lowercase` (the fold of `filter::text`, which is private to the evaluator), so
/// `"\u{212A}"` (Kelvin) is `k` and `İ` is `i̇`. Ordering two folds by bytes is ordering them
/// by code point, as the evaluator does.
pub fn fold(s: &str) -> String {
    // `char::to_lowercase` of an ASCII char is its ASCII lowercase.
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    s.chars().flat_map(char::to_lowercase).collect()
}

/// The fold `SortBy` orders by (`str::to_lowercase`, whose final sigma differs from
/// [`fold`]).
pub(crate) fn sort_fold(s: &str) -> String {
    s.to_lowercase()
}

/// The exact integer of a JSON number, when it is one (`i64` or `u64`), as order-preserving
/// text: `2^64` is added and the result printed with 20 digits, so byte order is numeric order
/// over the whole `i64 ∪ u64` range.
pub(crate) fn int_key(n: &Number) -> Option<String> {
    let v = n
        .as_i64()
        .map(i128::from)
        .or_else(|| n.as_u64().map(i128::from))?;
    Some(int_key_of(v))
}

pub(crate) fn int_key_of(v: i128) -> String {
    format!("{:020}", v + (1_i128 << 64))
}

/// An instant as fixed-width text whose byte order is chronological whatever the offset or
/// fraction: seconds since the epoch shifted by 10^15 (16 digits), then nanoseconds (10 digits:
/// chrono writes a leap second as 1,000,000,000 ns or more into the second before).
pub(crate) fn instant_key(t: &DateTime<FixedOffset>) -> String {
    let secs = i128::from(t.timestamp()) + 1_000_000_000_000_000;
    format!("{secs:016}{:010}", t.timestamp_subsec_nanos())
}

/// The smallest string greater than every string starting with `p`, in code point order:
/// `p` with its last char incremented (chars that cannot be incremented dropped first).
/// `None` when every char is `U+10FFFF`.
pub(crate) fn prefix_successor(p: &str) -> Option<String> {
    let mut chars: Vec<char> = p.chars().collect();
    while let Some(last) = chars.pop() {
        let mut next = u32::from(last) + 1;
        if (0xD800..=0xDFFF).contains(&next) {
            next = 0xE000;
        }
        if let Some(c) = char::from_u32(next) {
            chars.push(c);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

/// The search-index path of a location: lowercase components (data keys match ignoring ASCII
/// case), an extension's URN first and `|` after it, sub-attributes after `.`, then a tag.
/// The characters that structure a key are percent-escaped inside components, so two
/// different locations never share a key.
pub(crate) fn path_key(member: Option<&str>, parts: &[&str], tag: Tag) -> String {
    let mut out = String::new();
    path_key_into(&mut out, member, parts, tag);
    out
}

/// [`path_key`], written into `out` (cleared first), so a caller can reuse one buffer.
pub(crate) fn path_key_into(out: &mut String, member: Option<&str>, parts: &[&str], tag: Tag) {
    /// The characters the key's syntax uses, escaped inside names (all ASCII).
    const ESCAPED: [u8; 6] = *b"%.|[{^";
    fn push(out: &mut String, s: &str) {
        if !s.bytes().any(|b| ESCAPED.contains(&b)) {
            // The common case: nothing to escape, so lower-case in place.
            let start = out.len();
            out.push_str(s);
            out[start..].make_ascii_lowercase();
            return;
        }
        for c in s.chars() {
            match u8::try_from(c) {
                Ok(b) if ESCAPED.contains(&b) => {
                    let _ = write!(out, "%{b:02X}");
                }
                _ => out.push(c.to_ascii_lowercase()),
            }
        }
    }
    out.clear();
    if let Some(m) = member {
        push(out, m);
        out.push('|');
    }
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        push(out, p);
    }
    out.push_str(tag.as_str());
}

/// What the rows under a path hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tag {
    /// The values a comparison or `pr` visits.
    Values,
    /// One row per element of the attribute (valuePath).
    Elements,
    /// One row when the value holds objects (an undefined attribute then compares `value`s).
    HoldsObjects,
    /// The one value `sortBy` orders by.
    Sort,
}

impl Tag {
    fn as_str(self) -> &'static str {
        match self {
            Self::Values => "",
            Self::Elements => "[]",
            Self::HoldsObjects => "{}",
            Self::Sort => "^",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_order_as_the_evaluator() {
        let n = |s: &str| int_key(&s.parse().unwrap()).unwrap();
        assert!(n("-9223372036854775808") < n("-1") && n("-1") < n("0"));
        assert!(n("9") < n("10") && n("9223372036854775807") < n("18446744073709551615"));
        let t = |s: &str| instant_key(&DateTime::parse_from_rfc3339(s).unwrap());
        assert_eq!(t("2011-05-13T06:42:34+02:00"), t("2011-05-13T04:42:34Z"));
        assert!(t("2011-05-13T04:42:34.5Z") < t("2011-05-13T04:42:35Z"));
        assert!(t("0001-01-01T00:00:00+01:00") < t("0001-01-01T00:00:00Z"));
        assert!(t("2016-12-31T23:59:60Z") < t("2017-01-01T00:00:00Z"));
        assert!(t("2016-12-31T23:59:59.9Z") < t("2016-12-31T23:59:60Z"));
        assert_eq!(fold("\u{212A}İß"), "ki\u{307}ß");
        assert_eq!(fold("AbC-9_Z"), "abc-9_z");
        assert_eq!(prefix_successor("ab"), Some("ac".to_owned()));
        assert_eq!(prefix_successor("a\u{10FFFF}"), Some("b".to_owned()));
        assert_eq!(prefix_successor("\u{D7FF}"), Some("\u{E000}".to_owned()));
        assert_eq!(prefix_successor("\u{10FFFF}"), None);
        assert_eq!(
            path_key(Some("urn:x:2.0:User"), &["a.b", "C"], Tag::Elements),
            "urn:x:2%2E0:user|a%2Eb.c[]"
        );
    }
}
