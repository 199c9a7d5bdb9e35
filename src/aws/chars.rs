//! The Identity Store's length limits and character classes (reference rules 29, 30, 32).
//!
//! The Identity Store API models give each string a length range and a regular expression over
//! Unicode general categories. SCIM writes land in that store, so the same limits apply to what a
//! connector sends over SCIM.

use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};

/// Which Identity Store string rule a value follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StringClass {
    /// `UserName`: 1–128 characters of `[\p{L}\p{M}\p{S}\p{N}\p{P}]` (no whitespace), rule 29.
    UserName,
    /// `ExternalId.Id`: 1–256 characters of `[\p{L}\p{M}\p{S}\p{N}\p{P}]`, rule 32.
    ExternalId,
    /// Every other user or group string (name parts, displayName, email value…): 1–1024
    /// characters of `[\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\r \u{a0}\u{3000}]`, rule 30.
    Text,
}

/// What is wrong with a string under a [`StringClass`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StringProblem {
    /// The string is empty.
    Empty,
    /// The string has more characters than the class allows.
    TooLong {
        /// The maximum number of characters.
        max: usize,
    },
    /// A character outside the class's alphabet, at this character index.
    Character {
        /// The character.
        found: char,
        /// Its index, counted in characters.
        index: usize,
    },
}

impl StringClass {
    /// The rule number in the reference that states this class.
    pub const fn rule(self) -> u16 {
        match self {
            Self::UserName => 29,
            Self::ExternalId => 32,
            Self::Text => 30,
        }
    }

    /// The maximum length in characters.
    pub const fn max_len(self) -> usize {
        match self {
            Self::UserName => 128,
            Self::ExternalId => 256,
            Self::Text => 1024,
        }
    }

    /// Whether `c` belongs to the class's alphabet.
    pub fn allows(self, c: char) -> bool {
        let base = matches!(
            c.general_category_group(),
            GeneralCategoryGroup::Letter
                | GeneralCategoryGroup::Mark
                | GeneralCategoryGroup::Symbol
                | GeneralCategoryGroup::Number
                | GeneralCategoryGroup::Punctuation
        );
        base || (self == Self::Text
            && matches!(c, '\t' | '\n' | '\r' | ' ' | '\u{a0}' | '\u{3000}'))
    }

    /// The first problem of `s` under this class, or `None` when the Identity Store accepts it.
    ///
    /// Lengths count Unicode scalar values.
    pub fn check(self, s: &str) -> Option<StringProblem> {
        if s.is_empty() {
            return Some(StringProblem::Empty);
        }
        let mut len = 0;
        for (index, c) in s.chars().enumerate() {
            if !self.allows(c) {
                return Some(StringProblem::Character { found: c, index });
            }
            len = index + 1;
        }
        (len > self.max_len()).then_some(StringProblem::TooLong {
            max: self.max_len(),
        })
    }
}

/// `s` cut to at most `max` characters (never inside a character).
pub(crate) fn truncate_chars(s: &str, max: usize) -> &str {
    s.char_indices().nth(max).map_or(s, |(i, _)| &s[..i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_29_user_name_alphabet_and_length() {
        assert_eq!(StringClass::UserName.check("jdoe@example.com"), None);
        assert_eq!(StringClass::UserName.check("Jürgen.Ølsen"), None);
        assert_eq!(
            StringClass::UserName.check("j doe"),
            Some(StringProblem::Character {
                found: ' ',
                index: 1
            })
        );
        assert_eq!(StringClass::UserName.check(""), Some(StringProblem::Empty));
        assert_eq!(StringClass::UserName.check(&"a".repeat(128)), None);
        assert_eq!(
            StringClass::UserName.check(&"a".repeat(129)),
            Some(StringProblem::TooLong { max: 128 })
        );
    }

    #[test]
    fn rule_30_text_allows_listed_whitespace_only() {
        assert_eq!(StringClass::Text.check("Ms. Barbara J Jensen, III"), None);
        assert_eq!(StringClass::Text.check("a\tb\nc\u{a0}d\u{3000}e"), None);
        // A zero-width space is a format character (Cf), outside the class.
        assert!(matches!(
            StringClass::Text.check("a\u{200b}b"),
            Some(StringProblem::Character { index: 1, .. })
        ));
        assert!(StringClass::Text.check("bell\u{7}").is_some());
        assert!(StringClass::Text.check("line\u{2028}sep").is_some());
        assert_eq!(
            StringClass::Text.check(&"é".repeat(1025)),
            Some(StringProblem::TooLong { max: 1024 })
        );
    }

    #[test]
    fn rule_32_external_id_limits() {
        assert_eq!(
            StringClass::ExternalId.check("5f1b2c3d4e5f6a7b8c9d0e1f"),
            None
        );
        assert_eq!(StringClass::ExternalId.check("a:b/c"), None);
        assert_eq!(
            StringClass::ExternalId.check(&"x".repeat(257)),
            Some(StringProblem::TooLong { max: 256 })
        );
    }

    #[test]
    fn truncation_respects_characters() {
        assert_eq!(truncate_chars("héllo", 2), "hé");
        assert_eq!(truncate_chars("abc", 5), "abc");
    }
}
