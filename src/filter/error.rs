//! Syntax errors of the filter and path grammars: what was expected, where, and what was found.

use std::fmt;

use crate::error::{ScimError, Span};

/// The longest excerpt of the input an error quotes back (in bytes, cut on a char boundary).
const MAX_FOUND: usize = 64;

/// What went wrong while parsing a filter or a path. Each variant names a triggering input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// `""` or `"   "`: nothing to parse.
    Empty,
    /// `eq "x"`, `userName pr and`: an attribute path was expected.
    ExpectedAttribute,
    /// `1name pr`, `user$name pr`, `urn:x pr`: not a valid attribute path.
    InvalidAttributePath,
    /// `userName is "x"`: one of `eq ne co sw ew gt ge lt le pr` was expected.
    ExpectedOperator,
    /// `userName eq`, `userName eq bjensen`: a comparison value was expected.
    ExpectedValue,
    /// `userName eq "bjensen`: the string is not terminated, or holds a raw control character.
    InvalidString,
    /// `userName eq "a\x"`, `"\ud800"`: an escape that JSON does not allow.
    InvalidEscape,
    /// `age gt 01`, `age gt 1.`, `age gt 1e999`: not a JSON number (or out of range).
    InvalidNumber,
    /// `not userName pr`: `not` must be followed by `(`.
    ExpectedOpenParen,
    /// `(userName pr`: a closing `)` was expected.
    ExpectedCloseParen,
    /// `emails[type pr`: a closing `]` was expected.
    ExpectedCloseBracket,
    /// `userName pr title pr`, `userName pr)`: `and`, `or` or the end was expected.
    ExpectedLogicalOperator,
    /// `emails[type eq "work"]x` (a PATCH path): the end, or `.` and a sub-attribute, was expected.
    ExpectedEnd,
    /// `emails[type eq "work"].`: a sub-attribute name was expected after `.`.
    ExpectedSubAttribute,
    /// `emails[addresses[type pr]]`: valuePaths do not nest (RFC 7644 erratum 5405).
    NestedValuePath,
    /// `emails.value[type pr]`, `emails[name.givenName pr]`: a valuePath's attribute and the
    /// attributes in its filter are plain names (no sub-attribute, no schema URN inside).
    UnexpectedSubAttribute,
    /// `emails[type eq "work"].value eq "x"` without the Entra compatibility switch.
    ValuePathSubAttribute,
    /// More nested `(`, `not (` or `[` than the parser's depth limit.
    TooDeep,
    /// More attribute expressions than the parser's term limit.
    TooManyTerms,
    /// An input longer than the parser's length limit.
    TooLong,
}

impl ErrorKind {
    /// A short lowercase phrase for this kind, as used in messages.
    pub const fn description(self) -> &'static str {
        match self {
            Self::Empty => "empty input",
            Self::ExpectedAttribute => "expected an attribute path",
            Self::InvalidAttributePath => "invalid attribute path",
            Self::ExpectedOperator => {
                "expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le or pr)"
            }
            Self::ExpectedValue => {
                "expected a comparison value (a quoted string, a number, true, false or null)"
            }
            Self::InvalidString => "unterminated string or unescaped control character",
            Self::InvalidEscape => "invalid escape sequence",
            Self::InvalidNumber => "invalid number",
            Self::ExpectedOpenParen => "expected `(` after `not`",
            Self::ExpectedCloseParen => "expected `)`",
            Self::ExpectedCloseBracket => "expected `]`",
            Self::ExpectedLogicalOperator => "expected `and`, `or` or the end of the filter",
            Self::ExpectedEnd => "expected the end of the path",
            Self::ExpectedSubAttribute => "expected a sub-attribute name after `.`",
            Self::NestedValuePath => "a value path cannot contain another value path",
            Self::UnexpectedSubAttribute => {
                "a value path's attribute and its filter's attributes must be plain names"
            }
            Self::ValuePathSubAttribute => {
                "a sub-attribute after a value path is not allowed in a filter"
            }
            Self::TooDeep => "too deeply nested",
            Self::TooManyTerms => "too many attribute expressions",
            Self::TooLong => "input too long",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.description())
    }
}

/// The shared body of [`FilterError`] and [`crate::PathError`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct SyntaxError {
    pub(crate) kind: ErrorKind,
    pub(crate) span: Span,
    /// The excerpt of the input at the span, at most [`MAX_FOUND`] bytes.
    pub(crate) found: Box<str>,
    /// The span's start as a 1-based column in characters.
    pub(crate) column: usize,
}

impl SyntaxError {
    /// An error of `kind` at `span` of `input`; quotes a bounded excerpt of the input.
    pub(crate) fn new(kind: ErrorKind, span: Span, input: &str) -> Self {
        let start = floor_char_boundary(input, span.start.min(input.len()));
        let end = span.end.max(start).min(input.len()).min(start + MAX_FOUND);
        let found = input
            .get(start..floor_char_boundary(input, end))
            .unwrap_or("");
        Self {
            kind,
            span,
            found: found.into(),
            column: span.column(input),
        }
    }
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at column {}", self.kind, self.column)?;
        if !self.found.is_empty() {
            write!(f, ", found `{}`", self.found)?;
        }
        if self.kind == ErrorKind::ValuePathSubAttribute {
            f.write_str(" (enable Compat::filter_value_path_sub_attribute to read it as a condition on one element)")?;
        }
        Ok(())
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// An error from parsing a filter (RFC 7644 §3.4.2.2); it becomes `400 invalidFilter`.
///
/// ```
/// use scimkit::{Filter, ScimError, ScimType};
///
/// let err = "userName eq".parse::<Filter>().unwrap_err();
/// assert_eq!(err.kind(), scimkit::filter::ErrorKind::ExpectedValue);
/// assert_eq!((err.span().start, err.column()), (11, 12));
/// let scim: ScimError = err.into();
/// assert_eq!(scim.scim_type, Some(ScimType::InvalidFilter));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, thiserror::Error)]
#[error("{0}")]
pub struct FilterError(pub(crate) Box<SyntaxError>);

/// The accessors [`FilterError`] and [`crate::PathError`] share.
macro_rules! syntax_error_accessors {
    ($ty:ty, $scim_type:expr) => {
        impl $ty {
            /// What went wrong.
            pub fn kind(&self) -> $crate::filter::ErrorKind {
                self.0.kind
            }

            /// Where in the input (byte offsets).
            pub fn span(&self) -> $crate::Span {
                self.0.span
            }

            /// The 1-based column (in characters) where the error starts.
            pub fn column(&self) -> usize {
                self.0.column
            }

            /// What was expected there, as a short phrase.
            pub fn expected(&self) -> &'static str {
                self.0.kind.description()
            }

            /// The input at the error's position (at most 64 bytes).
            pub fn found(&self) -> &str {
                &self.0.found
            }

            /// The `scimType` a service answers with.
            pub fn scim_type(&self) -> $crate::ScimType {
                $scim_type
            }

            /// The HTTP status a service answers with (400).
            pub fn status(&self) -> u16 {
                400
            }
        }

        impl From<$ty> for $crate::ScimError {
            fn from(e: $ty) -> Self {
                Self::new(e.scim_type(), e.to_string())
            }
        }

        impl From<&$ty> for $crate::ScimError {
            fn from(e: &$ty) -> Self {
                Self::new(e.scim_type(), e.to_string())
            }
        }
    };
}
pub(crate) use syntax_error_accessors;

syntax_error_accessors!(FilterError, crate::ScimType::InvalidFilter);

impl FilterError {
    pub(crate) fn new(kind: ErrorKind, span: Span, input: &str) -> Self {
        Self(Box::new(SyntaxError::new(kind, span, input)))
    }
}

/// An evaluation error: the comparison is not valid for the attribute's type.
pub(crate) fn type_error(detail: fmt::Arguments<'_>) -> ScimError {
    ScimError::invalid_filter(detail.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn found_is_bounded_and_on_char_boundaries() {
        let input = "é".repeat(100);
        let e = SyntaxError::new(ErrorKind::TooLong, Span::new(1, 200), &input);
        assert!(e.found.len() <= MAX_FOUND);
        assert!(e.found.chars().all(|c| c == 'é'));
        let e = SyntaxError::new(ErrorKind::Empty, Span::at(0), "");
        assert_eq!(e.to_string(), "empty input at column 1");
    }
}
