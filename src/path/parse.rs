//! The lexical grammar shared by filters and PATCH paths (RFC 7644 §3.4.2.2 Figure 1, §3.5.2):
//! attribute paths, names, whitespace, and the position-carrying error of both parsers.
//!
//! Every parser here takes a suffix of the whole input and returns the rest, so a position is
//! the whole length minus the remaining length: no offsets are threaded through the calls.

use nom::bytes::complete::take_while1;
use nom::character::complete::multispace0;
use nom::error::ParseError;
use nom::{IResult, Parser};

use super::{AttrPath, PathError};
use crate::filter::ErrorKind;
use crate::filter::parse::Grammar;

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

/// `nameChar` (RFC 7644 Figure 1) and the other characters a schema URN may hold.
fn is_path_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, ':' | '.' | '-' | '_' | '$')
}

/// `nameChar = "-" / "_" / DIGIT / ALPHA`.
pub(crate) fn is_name_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// Skips optional whitespace.
pub(crate) fn ws(i: &str) -> &str {
    let r: IResult<&str, &str, PErr> = multispace0(i);
    r.map_or(i, |(rest, _)| rest)
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
    let r: IResult<&str, &str, PErr> = take_while1(is_path_char).parse(i);
    let (rest, token) = r.map_err(|_| PErr::token(ErrorKind::ExpectedAttribute, i))?;
    let invalid = || PErr::at(ErrorKind::InvalidAttributePath, i, token.len());
    let name_start = match token.rfind(':') {
        Some(colon) if is_urn(&token[..colon]) => colon + 1,
        Some(_) => return Err(invalid()),
        None => 0,
    };
    let local = &token[name_start..];
    let (name, sub_start) = match local.split_once('.') {
        Some((name, sub)) if is_attr_name(sub) => (name, name_start + name.len() + 1),
        Some(_) => return Err(invalid()),
        None => (local, 0),
    };
    if !is_attr_name(name) {
        return Err(invalid());
    }
    Ok((rest, AttrPath::from_raw(token, name_start, sub_start)))
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

/// RFC 7644 §3.5.2: `PATH = attrPath / valuePath [subAttr]`.
pub(crate) fn parse_patch_path(input: &str) -> Result<super::PatchPath, PathError> {
    patch_path(input).map_err(|e| PathError::from_perr(e, input))
}

fn patch_path(input: &str) -> Result<super::PatchPath, PErr> {
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
    Ok(super::PatchPath::new(attr.with_sub(sub), Some(filter)))
}
