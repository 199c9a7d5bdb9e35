//! Session-tag keys and values as validated newtypes.
//!
//! AWS STS accepts a tag key of 1–128 and a value of 0–256 characters, each drawn from
//! `[\p{L}\p{Z}\p{N}_.:/=+\-@]` (letters, separators, numbers and `_ . : / = + - @`), and reserves
//! the `aws:` prefix (IAM Identity Center's access-control keys use the same alphabet). A
//! [`TagKey`] or [`TagValue`] can only hold text that passes those rules, so a tag that reached
//! an [`AttributeStatement`](crate::saml::AttributeStatement) is one AWS accepts.
//!
//! Text is put in Unicode normalization form C before it is checked: the STS alphabet has no
//! combining marks (`\p{M}`), so `e` followed by U+0301 would fail while its composed form `é`
//! passes. Lengths count Unicode scalar values of the normalized text.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};

use crate::error::Span;

/// Longest tag key, in characters (STS `Tag.Key`; IAM Identity Center `AccessControlAttribute.Key`).
pub const MAX_KEY_CHARS: usize = 128;
/// Longest tag value, in characters (STS `Tag.Value`; the empty value is allowed).
pub const MAX_VALUE_CHARS: usize = 256;
/// Most session tags in one assertion (STS `tagListType`; IAM Identity Center allows as many
/// access-control attributes).
pub const MAX_TAGS: usize = 50;
/// The prefix AWS reserves for its own tags, refused in any letter case.
pub const RESERVED_PREFIX: &str = "aws:";
/// The STS tag alphabet, as AWS writes it.
pub const TAG_ALPHABET: &str = r"[\p{L}\p{Z}\p{N}_.:/=+\-@]";

/// Which half of a tag an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TagPart {
    /// The tag key.
    Key,
    /// The tag value.
    Value,
}

impl fmt::Display for TagPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Key => "tag key",
            Self::Value => "tag value",
        })
    }
}

/// What is wrong with a tag key or value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TagErrorKind {
    /// `""` as a key: a key has at least one character.
    EmptyKey,
    /// A key of 129 characters, or a value of 257.
    TooLong {
        /// Length of the normalized text, in characters.
        len: usize,
        /// The limit that was passed.
        max: usize,
    },
    /// `blue\n`: a character outside `[\p{L}\p{Z}\p{N}_.:/=+\-@]` (here a line break).
    InvalidChar {
        /// The offending character.
        ch: char,
        /// Where it is, in bytes of the normalized text.
        span: Span,
    },
    /// `aws:team` or `AWS:Team`: the `aws:` prefix is reserved for AWS.
    ReservedPrefix,
}

impl fmt::Display for TagErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EmptyKey => f.write_str("is empty (at least 1 character)"),
            Self::TooLong { len, max } => {
                write!(f, "has {len} characters (at most {max})")
            }
            Self::InvalidChar { ch, span } => write!(
                f,
                "has {ch:?} (U+{:04X}) at byte {}, outside the STS tag alphabet {TAG_ALPHABET}",
                u32::from(*ch),
                span.start
            ),
            Self::ReservedPrefix => {
                write!(f, "starts with the reserved prefix `{RESERVED_PREFIX}`")
            }
        }
    }
}

/// A tag key or value that breaks the AWS session-tag rules.
///
/// ```
/// use scimkit::saml::{TagErrorKind, TagValue};
///
/// let err = TagValue::new("blue\n").unwrap_err();
/// assert!(matches!(err.kind(), TagErrorKind::InvalidChar { ch: '\n', .. }));
/// assert_eq!(
///     err.to_string(),
///     r#"tag value "blue\n" has '\n' (U+000A) at byte 4, outside the STS tag alphabet [\p{L}\p{Z}\p{N}_.:/=+\-@]"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, thiserror::Error)]
#[error("{part} {input:?} {kind}")]
pub struct TagError {
    kind: TagErrorKind,
    part: TagPart,
    input: Box<str>,
}

impl TagError {
    fn new(kind: TagErrorKind, part: TagPart, input: &str) -> Self {
        Self {
            kind,
            part,
            input: truncate(input).into(),
        }
    }

    /// What is wrong.
    pub fn kind(&self) -> &TagErrorKind {
        &self.kind
    }

    /// Whether the key or the value is at fault.
    pub fn part(&self) -> TagPart {
        self.part
    }

    /// The offending text, cut to 64 characters.
    pub fn input(&self) -> &str {
        &self.input
    }
}

/// At most 64 characters of `s`, so that errors never echo unbounded input.
pub(crate) fn truncate(s: &str) -> Cow<'_, str> {
    truncate_to(s, 64)
}

/// At most `n` characters of `s`, with `…` marking a cut.
pub(crate) fn truncate_to(s: &str, n: usize) -> Cow<'_, str> {
    match s.char_indices().nth(n) {
        None => Cow::Borrowed(s),
        Some((i, _)) => Cow::Owned(format!("{}…", &s[..i])),
    }
}

/// Whether `c` belongs to the STS tag alphabet `[\p{L}\p{Z}\p{N}_.:/=+\-@]`.
pub fn is_tag_char(c: char) -> bool {
    // ASCII first: the only ASCII separator is the space; the category tables are a search.
    if c.is_ascii() {
        return c.is_ascii_alphanumeric()
            || matches!(c, ' ' | '_' | '.' | ':' | '/' | '=' | '+' | '-' | '@');
    }
    matches!(
        c.general_category_group(),
        GeneralCategoryGroup::Letter
            | GeneralCategoryGroup::Separator
            | GeneralCategoryGroup::Number
    )
}

fn nfc(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        return Cow::Borrowed(s);
    }
    match is_nfc_quick(s.chars()) {
        IsNormalized::Yes => Cow::Borrowed(s),
        _ => Cow::Owned(s.nfc().collect()),
    }
}

/// Normalizes and checks one half of a tag; returns the normalized text.
fn check(input: &str, part: TagPart) -> Result<String, TagError> {
    let text = nfc(input);
    let max = match part {
        TagPart::Key => MAX_KEY_CHARS,
        TagPart::Value => MAX_VALUE_CHARS,
    };
    let err = |kind| TagError::new(kind, part, &text);
    if part == TagPart::Key && text.is_empty() {
        return Err(err(TagErrorKind::EmptyKey));
    }
    let len = text.chars().count();
    if len > max {
        return Err(err(TagErrorKind::TooLong { len, max }));
    }
    if let Some((i, ch)) = text.char_indices().find(|&(_, c)| !is_tag_char(c)) {
        let span = Span::new(i, i + ch.len_utf8());
        return Err(err(TagErrorKind::InvalidChar { ch, span }));
    }
    if has_reserved_prefix(&text) {
        return Err(err(TagErrorKind::ReservedPrefix));
    }
    Ok(text.into_owned())
}

/// `aws:` in any letter case (`AWS:`, `Aws:`); AWS refuses them all.
pub(crate) fn has_reserved_prefix(s: &str) -> bool {
    s.get(..RESERVED_PREFIX.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(RESERVED_PREFIX))
}

/// A key with letter case folded away: two keys are the same to AWS when their folds are equal.
pub(crate) fn fold_key(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        if s.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(s.to_ascii_lowercase())
        } else {
            Cow::Borrowed(s)
        }
    } else {
        Cow::Owned(s.chars().flat_map(char::to_lowercase).collect())
    }
}

/// Case-insensitive equality of tag keys: `Department` and `department` are one key to AWS.
pub(crate) fn keys_equal_ignore_case(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

macro_rules! text_newtype {
    ($name:ident) => {
        impl $name {
            /// The text, in Unicode normalization form C.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The text, by value.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl FromStr for $name {
            type Err = TagError;

            fn from_str(s: &str) -> Result<Self, TagError> {
                Self::new(s)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = TagError;

            fn try_from(s: &str) -> Result<Self, TagError> {
                Self::new(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = TagError;

            fn try_from(s: String) -> Result<Self, TagError> {
                Self::new(&s)
            }
        }

        impl TryFrom<&String> for $name {
            type Error = TagError;

            fn try_from(s: &String) -> Result<Self, TagError> {
                Self::new(s)
            }
        }

        impl From<$name> for String {
            fn from(t: $name) -> Self {
                t.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    };
}

/// A session-tag key: 1–128 characters of `[\p{L}\p{Z}\p{N}_.:/=+\-@]`, not starting with `aws:`
/// in any case.
///
/// Equality is exact; AWS compares keys ignoring case, which
/// [`eq_ignore_case`](Self::eq_ignore_case) does and the statement builder enforces.
///
/// ```
/// use scimkit::TagKey;
///
/// let key: TagKey = "CostCenter".parse()?;
/// assert_eq!(key, "CostCenter");
/// assert!(key.eq_ignore_case(&"costcenter".parse()?));
/// assert!("aws:team".parse::<TagKey>().is_err());
/// assert!("".parse::<TagKey>().is_err());
/// # Ok::<(), scimkit::saml::TagError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TagKey(String);

impl TagKey {
    /// Normalizes `key` to NFC and checks it against the STS key rules.
    pub fn new(key: &str) -> Result<Self, TagError> {
        check(key, TagPart::Key).map(Self)
    }

    /// Whether two keys are the same to AWS, which ignores letter case.
    pub fn eq_ignore_case(&self, other: &Self) -> bool {
        keys_equal_ignore_case(&self.0, &other.0)
    }
}

text_newtype!(TagKey);

/// A session-tag value: 0–256 characters of `[\p{L}\p{Z}\p{N}_.:/=+\-@]`, not starting with `aws:`
/// in any case. The empty value is allowed.
///
/// ```
/// use scimkit::TagValue;
///
/// assert_eq!(TagValue::new("blue")?, "blue");
/// assert_eq!(TagValue::new("")?, "");
/// assert!(TagValue::new("blue\n").is_err());
/// # Ok::<(), scimkit::saml::TagError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TagValue(String);

impl TagValue {
    /// Normalizes `value` to NFC and checks it against the STS value rules.
    pub fn new(value: &str) -> Result<Self, TagError> {
        check(value, TagPart::Value).map(Self)
    }
}

text_newtype!(TagValue);

/// One session tag: a key and its single value (STS has no multi-valued tags).
///
/// ```
/// use scimkit::SessionTag;
///
/// let tag = SessionTag::new("CostCenter", "blue")?;
/// assert_eq!((tag.key().as_str(), tag.value().as_str()), ("CostCenter", "blue"));
/// # Ok::<(), scimkit::saml::TagError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SessionTag {
    key: TagKey,
    value: TagValue,
}

impl SessionTag {
    /// Checks both halves; the key's error comes first.
    pub fn new(key: &str, value: &str) -> Result<Self, TagError> {
        Ok(Self {
            key: TagKey::new(key)?,
            value: TagValue::new(value)?,
        })
    }

    /// A tag from halves already checked.
    pub fn from_parts(key: TagKey, value: TagValue) -> Self {
        Self { key, value }
    }

    /// The key.
    pub fn key(&self) -> &TagKey {
        &self.key
    }

    /// The value.
    pub fn value(&self) -> &TagValue {
        &self.value
    }

    /// The key and the value, by value.
    pub fn into_parts(self) -> (TagKey, TagValue) {
        (self.key, self.value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn kind(r: Result<impl fmt::Debug, TagError>) -> TagErrorKind {
        r.unwrap_err().kind().clone()
    }

    // Rule 104: key 1–128 characters, value 0–256, counted in characters (not bytes).
    #[test]
    fn lengths_at_and_past_the_limit() {
        assert!(TagKey::new(&"k".repeat(128)).is_ok());
        assert!(TagKey::new(&"é".repeat(128)).is_ok());
        assert_eq!(
            kind(TagKey::new(&"k".repeat(129))),
            TagErrorKind::TooLong { len: 129, max: 128 }
        );
        assert_eq!(kind(TagKey::new("")), TagErrorKind::EmptyKey);
        assert!(TagKey::new("k").is_ok());
        assert!(TagValue::new("").is_ok());
        assert!(TagValue::new(&"v".repeat(256)).is_ok());
        assert!(TagValue::new(&"日".repeat(256)).is_ok());
        assert_eq!(
            kind(TagValue::new(&"v".repeat(257))),
            TagErrorKind::TooLong { len: 257, max: 256 }
        );
    }

    // Rule 104: the alphabet [\p{L}\p{Z}\p{N}_.:/=+\-@].
    #[test]
    fn alphabet() {
        for ok in [
            "CostCenter",
            "a_b.c:d/e=f+g-h@i",
            "with space",
            "nbsp\u{a0}ideo\u{3000}",
            "Ünïcødé",
            "日本語",
            "٣٤",
            "Ⅻ½",
            "line\u{2028}sep",
        ] {
            assert!(TagKey::new(ok).is_ok(), "{ok:?}");
            assert!(TagValue::new(ok).is_ok(), "{ok:?}");
        }
        for (bad, ch) in [
            ("blue\n", '\n'),
            ("tab\t", '\t'),
            ("a<b", '<'),
            ("a&b", '&'),
            ("q\"", '"'),
            ("q'", '\''),
            ("a>b", '>'),
            ("a,b", ','),
            ("a*b", '*'),
            ("dollar$", '$'),
            ("emoji😀", '😀'),
            ("nul\0", '\0'),
        ] {
            assert!(
                matches!(kind(TagValue::new(bad)), TagErrorKind::InvalidChar { ch: c, .. } if c == ch),
                "{bad:?}"
            );
        }
        let err = TagValue::new("blue\n").unwrap_err();
        assert_eq!(
            err.kind(),
            &TagErrorKind::InvalidChar {
                ch: '\n',
                span: Span::new(4, 5)
            }
        );
    }

    #[test]
    fn ascii_fast_path_agrees_with_the_category_tables() {
        for c in (0u8..128).map(char::from) {
            let by_table = matches!(c, '_' | '.' | ':' | '/' | '=' | '+' | '-' | '@')
                || matches!(
                    c.general_category_group(),
                    GeneralCategoryGroup::Letter
                        | GeneralCategoryGroup::Separator
                        | GeneralCategoryGroup::Number
                );
            assert_eq!(is_tag_char(c), by_table, "{c:?}");
        }
    }

    // Rule 105: text is normalized to NFC before the check, so a decomposed accent passes.
    #[test]
    fn nfc_normalization() {
        let v = TagValue::new("e\u{301}te\u{301}").unwrap();
        assert_eq!(v, "été");
        // A combining mark with no composed form stays a mark and is refused.
        assert!(matches!(
            kind(TagValue::new("x\u{301}")),
            TagErrorKind::InvalidChar { ch: '\u{301}', .. }
        ));
        // 128 decomposed characters become 128 composed ones.
        assert!(TagKey::new(&"e\u{301}".repeat(128)).is_ok());
    }

    // Rule 107: `aws:` is reserved in keys and values, in any letter case.
    #[test]
    fn reserved_prefix() {
        for bad in ["aws:x", "AWS:x", "Aws:", "aWs:team"] {
            assert_eq!(kind(TagKey::new(bad)), TagErrorKind::ReservedPrefix);
            assert_eq!(kind(TagValue::new(bad)), TagErrorKind::ReservedPrefix);
        }
        for ok in ["aws", "awsx:y", "x:aws:", "aws_x"] {
            assert!(TagKey::new(ok).is_ok(), "{ok}");
        }
    }

    // Rule 108: keys are compared ignoring case.
    #[test]
    fn case_insensitive_key_comparison() {
        let a = TagKey::new("Department").unwrap();
        assert!(a.eq_ignore_case(&TagKey::new("DEPARTMENT").unwrap()));
        assert!(
            TagKey::new("Straße")
                .unwrap()
                .eq_ignore_case(&TagKey::new("STRAßE").unwrap())
        );
        assert!(
            TagKey::new("Ärger")
                .unwrap()
                .eq_ignore_case(&TagKey::new("ärger").unwrap())
        );
        assert!(!a.eq_ignore_case(&TagKey::new("Departments").unwrap()));
        assert_ne!(a, TagKey::new("department").unwrap());
    }

    #[test]
    fn errors_truncate_input() {
        let long = "x".repeat(1000);
        let err = TagKey::new(&long).unwrap_err();
        assert_eq!(err.input().chars().count(), 65);
        assert!(err.to_string().len() < 200);
    }

    #[test]
    fn serde_validates() {
        let t: SessionTag = serde_json::from_str(r#"{"key":"CostCenter","value":"blue"}"#).unwrap();
        assert_eq!(t, SessionTag::new("CostCenter", "blue").unwrap());
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            r#"{"key":"CostCenter","value":"blue"}"#
        );
        assert!(serde_json::from_str::<TagKey>(r#""aws:x""#).is_err());
        assert!(serde_json::from_str::<TagValue>(r#""a\nb""#).is_err());
    }
}
