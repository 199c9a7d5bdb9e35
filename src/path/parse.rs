//! The lexical grammar shared by filters and PATCH paths (RFC 7644 §3.4.2.2 Figure 1, §3.5.2):
//! attribute paths, names, whitespace, and the position-carrying error of both parsers. The
//! tokens are scanned by hand (byte loops): they run between every two tokens of a filter.
//!
//! Every parser here takes a suffix of the whole input and returns the rest, so a position is
//! the whole length minus the remaining length: no offsets are threaded through the calls.

use nom::error::ParseError;

use super::{AttrPath, PathError};
use crate::filter::parse::Grammar;
use crate::filter::{DEFAULT_MAX_LEN, ErrorKind};

/// A parse failure: its kind, and where, as the length of the input remaining at its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PErr {
    pub(crate) kind: ErrorKind,
    /// Remaining input length at the error's start.
    pub(crate) rest: usize,
    /// Length of the offending text.
    pub(crate) len: usize,
}

impl PErr {
    pub(crate) fn at(kind: ErrorKind, rest: &str, len: usize) -> Self {
        Self {
            kind,
            rest: rest.len(),
            len,
        }
    }

    /// An error pointing at the next token (or character) of `rest`.
    pub(crate) fn token(kind: ErrorKind, rest: &str) -> Self {
        Self::at(kind, rest, token_len(rest))
    }

    /// The error's span in the whole `input`.
    pub(crate) fn span(&self, input: &str) -> crate::Span {
        let start = input.len().saturating_sub(self.rest);
        crate::Span::new(start, (start + self.len).min(input.len()))
    }
}

impl ParseError<&str> for PErr {
    fn from_error_kind(input: &str, _: nom::error::ErrorKind) -> Self {
        Self::token(ErrorKind::ExpectedAttribute, input)
    }

    fn append(_: &str, _: nom::error::ErrorKind, other: Self) -> Self {
        other
    }
}

/// The grammar's result type: the rest of the input and the value, or an error.
pub(crate) type PResult<'a, T> = Result<(&'a str, T), PErr>;

/// The length of the word or character at the start of `s`, for error spans.
fn token_len(s: &str) -> usize {
    let word = s
        .bytes()
        .take_while(|b| !b.is_ascii_whitespace() && !b"()[]".contains(b))
        .count();
    if word > 0 {
        word
    } else {
        s.chars().next().map_or(0, char::len_utf8)
    }
}

/// Byte classes for the hand-written scanners: one table load per byte.
pub(crate) const NAME: u8 = 1;
pub(crate) const SPACE: u8 = 4;
/// Bytes that end the fast scan of a JSON string: `"`, `\` and control characters.
pub(crate) const STRING_STOP: u8 = 8;

/// The class bits of every byte.
pub(crate) static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() || c == b'-' || c == b'_' {
            t[b] = NAME;
        }
        if c == b' ' || c == b'\t' || c == b'\r' || c == b'\n' {
            t[b] = SPACE;
        }
        if c == b'"' || c == b'\\' || c < 0x20 {
            t[b] |= STRING_STOP;
        }
        b += 1;
    }
    t
};

/// `nameChar = "-" / "_" / DIGIT / ALPHA`.
#[inline]
pub(crate) fn is_name_char(b: u8) -> bool {
    CLASS[usize::from(b)] & NAME != 0
}

/// Skips optional whitespace: space, tab, CR, LF (nom's `multispace0` set). A byte loop:
/// this runs between every two tokens.
#[inline]
pub(crate) fn ws(i: &str) -> &str {
    let n = i
        .bytes()
        .take_while(|&b| CLASS[usize::from(b)] & SPACE != 0)
        .count();
    &i[n..]
}

/// `ATTRNAME = ALPHA *(nameChar)`, or `$ref` (RFC 7643 §2.1, any case).
pub(crate) fn is_attr_name(s: &str) -> bool {
    let b = s.as_bytes();
    s.eq_ignore_ascii_case("$ref")
        || (b.first().is_some_and(u8::is_ascii_alphabetic) && b.iter().all(|&c| is_name_char(c)))
}

/// `[URI ":"] ATTRNAME *1subAttr`. The URN is everything before the last `:` of the token
/// (schema URNs hold `:` and `.`, attribute names hold neither).
pub(crate) fn attr_path(i: &str) -> PResult<'_, AttrPath> {
    // Most paths are a bare ATTRNAME: one scan of name characters settles them.
    let bytes = i.as_bytes();
    let len = bytes.iter().take_while(|&&b| is_name_char(b)).count();
    if bytes.first().is_some_and(u8::is_ascii_alphabetic)
        && !matches!(bytes.get(len), Some(b':' | b'.' | b'$'))
    {
        let (name, rest) = i.split_at(len);
        return Ok((rest, AttrPath::plain(name)));
    }
    qualified_attr_path(i)
}

/// [`attr_path`] for a path with a URN, a sub-attribute or `$ref`.
fn qualified_attr_path(i: &str) -> PResult<'_, AttrPath> {
    // One pass over the token, noting the last `:` and the first `.` after it.
    let bytes = i.as_bytes();
    let (mut end, mut colon, mut dot) = (0, None, None);
    while let Some(&b) = bytes.get(end) {
        match b {
            _ if CLASS[usize::from(b)] & NAME != 0 => {}
            b':' => (colon, dot) = (Some(end), None),
            b'.' if dot.is_none() => dot = Some(end),
            b'.' | b'$' => {}
            _ => break,
        }
        end += 1;
    }
    if end == 0 {
        return Err(PErr::token(ErrorKind::ExpectedAttribute, i));
    }
    let (token, rest) = i.split_at(end);
    let invalid = || PErr::at(ErrorKind::InvalidAttributePath, i, token.len());
    let name_start = match colon {
        Some(colon) if is_urn(&token[..colon]) => colon + 1,
        Some(_) => return Err(invalid()),
        None => 0,
    };
    let local = &token[name_start..];
    let (name, sub_start) = match dot {
        Some(d) if is_attr_name(&token[d + 1..]) => (&token[name_start..d], d + 1),
        Some(_) => return Err(invalid()),
        None => (local, 0),
    };
    if !is_attr_name(name) {
        return Err(invalid());
    }
    let path = AttrPath::from_raw(token, name_start, sub_start)
        .ok_or_else(|| PErr::at(ErrorKind::TooLong, i, token.len()))?;
    Ok((rest, path))
}

/// `urn:` NID `:` NSS, with neither empty (RFC 8141, as far as a path can tell).
pub(crate) fn is_urn(s: &str) -> bool {
    s.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("urn:"))
        && s[4..]
            .split_once(':')
            .is_some_and(|(nid, nss)| !nid.is_empty() && !nss.is_empty())
}

/// An attribute path that must make up the whole input.
pub(crate) fn parse_attr_path(input: &str) -> Result<AttrPath, PathError> {
    let (rest, path) = attr_path(input).map_err(|e| PathError::from_perr(e, input))?;
    if !rest.is_empty() {
        let e = PErr::token(ErrorKind::ExpectedEnd, rest);
        return Err(PathError::from_perr(e, input));
    }
    Ok(path)
}

/// RFC 7644 §3.5.2: `PATH = attrPath / valuePath [subAttr]`, within the filter's default
/// limits ([`DEFAULT_MAX_LEN`] bytes, and the depth and term bounds inside `[…]`).
pub(crate) fn parse_patch_path(input: &str) -> Result<super::PatchPath, PathError> {
    patch_path(input).map_err(|e| PathError::from_perr(e, input))
}

fn patch_path(input: &str) -> Result<super::PatchPath, PErr> {
    // The filter's bounds: its length here, its depth and term count in `Grammar::default()`.
    if let Some(past) = input.len().checked_sub(DEFAULT_MAX_LEN).filter(|&n| n > 0) {
        return Err(PErr {
            kind: ErrorKind::TooLong,
            rest: past,
            len: past,
        });
    }
    if input.trim().is_empty() {
        return Err(PErr::at(ErrorKind::Empty, input, input.len()));
    }
    let (rest, attr) = attr_path(input)?;
    if !rest.starts_with('[') {
        return match rest.is_empty() {
            true => Ok(super::PatchPath::new(attr, None)),
            false => Err(PErr::token(ErrorKind::ExpectedEnd, rest)),
        };
    }
    if attr.sub_attribute().is_some() {
        return Err(PErr::at(
            ErrorKind::UnexpectedSubAttribute,
            input,
            attr.len(),
        ));
    }
    let (rest, filter) = Grammar::default().bracketed(rest, 0)?;
    let sub = match rest.strip_prefix('.') {
        Some(s) if is_attr_name(s) => Some(s),
        Some(s) => return Err(PErr::token(ErrorKind::ExpectedSubAttribute, s)),
        None if rest.is_empty() => None,
        None => return Err(PErr::token(ErrorKind::ExpectedEnd, rest)),
    };
    let attr = attr
        .with_sub(sub)
        .ok_or_else(|| PErr::at(ErrorKind::TooLong, input, input.len()))?;
    Ok(super::PatchPath::new(attr, Some(filter)))
}
