//! JSON string and number literals (RFC 8259 §6–7), as RFC 7644 Figure 1 requires for
//! `compValue`, and their canonical printing.

use std::fmt;

use serde_json::Number;

use super::CompValue;
use crate::filter::ErrorKind;
use crate::path::parse::{CLASS, PErr, PResult, STRING_STOP};

/// A JSON string starting at the `"` of `i`. Escape-free strings are one copy of the slice.
pub(crate) fn string(i: &str) -> PResult<'_, CompValue> {
    let body = &i[1..];
    let bytes = body.as_bytes();
    let stop = bytes
        .iter()
        .position(|&b| CLASS[usize::from(b)] & STRING_STOP != 0);
    match stop.map(|p| bytes[p]) {
        Some(b'"') => {
            let end = stop.unwrap_or(0);
            Ok((&body[end + 1..], CompValue::String(body[..end].to_owned())))
        }
        Some(b'\\') => unescape(i),
        Some(_) => Err(PErr::at(
            ErrorKind::InvalidString,
            &body[stop.unwrap_or(0)..],
            1,
        )),
        None => Err(PErr::at(ErrorKind::InvalidString, i, i.len())),
    }
}

/// The slow path of [`string`]: a string with escapes.
fn unescape(i: &str) -> PResult<'_, CompValue> {
    let mut out = String::new();
    let mut rest = &i[1..];
    loop {
        let run = rest
            .bytes()
            .position(|b| b == b'"' || b == b'\\' || b < 0x20)
            .ok_or_else(|| PErr::at(ErrorKind::InvalidString, i, i.len()))?;
        out.push_str(&rest[..run]);
        rest = &rest[run..];
        match rest.as_bytes()[0] {
            b'"' => return Ok((&rest[1..], CompValue::String(out))),
            b'\\' => {
                let (after, c) = escape(rest)?;
                out.push(c);
                rest = after;
            }
            _ => return Err(PErr::at(ErrorKind::InvalidString, rest, 1)),
        }
    }
}

/// One escape at the `\` of `i`: `\" \\ \/ \b \f \n \r \t \uXXXX`, with UTF-16 surrogate pairs.
fn escape(i: &str) -> PResult<'_, char> {
    let bad = |len: usize| PErr::at(ErrorKind::InvalidEscape, i, len.min(i.len()));
    let c = match i.as_bytes().get(1) {
        Some(b'"') => '"',
        Some(b'\\') => '\\',
        Some(b'/') => '/',
        Some(b'b') => '\u{8}',
        Some(b'f') => '\u{c}',
        Some(b'n') => '\n',
        Some(b'r') => '\r',
        Some(b't') => '\t',
        Some(b'u') => {
            let hi = hex4(&i[2..]).ok_or_else(|| bad(6))?;
            if !(0xD800..0xDC00).contains(&hi) {
                return char::from_u32(hi)
                    .map(|c| (&i[6..], c))
                    .ok_or_else(|| bad(6));
            }
            if i.get(6..8) != Some("\\u") {
                return Err(bad(6));
            }
            let lo = hex4(&i[8..])
                .filter(|lo| (0xDC00..0xE000).contains(lo))
                .ok_or_else(|| bad(12))?;
            let c = char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00));
            return c.map(|c| (&i[12..], c)).ok_or_else(|| bad(12));
        }
        _ => return Err(bad(2)),
    };
    Ok((&i[2..], c))
}

fn hex4(s: &str) -> Option<u32> {
    let h = s.get(..4)?;
    if !h.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(h, 16).ok()
}

/// The value of a number lexeme already checked against the JSON grammar. Integers stay exact
/// when they fit 64 bits; the rest are `f64`, and must be finite.
pub(crate) fn number(text: &str) -> Option<Number> {
    if !text.contains(['.', 'e', 'E']) {
        if let Ok(n) = text.parse::<u64>() {
            return Some(n.into());
        }
        if let Ok(n) = text.parse::<i64>() {
            return Some(n.into());
        }
    }
    text.parse::<f64>().ok().and_then(Number::from_f64)
}

/// Writes `s` as a JSON string: quotes, `\"`, `\\` and control characters escaped.
pub(crate) fn write_string(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    f.write_str("\"")?;
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let esc = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..0x20 => "",
            _ => continue,
        };
        f.write_str(&s[start..i])?;
        match esc {
            "" => write!(f, "\\u{b:04x}")?,
            esc => f.write_str(esc)?,
        }
        start = i + 1;
    }
    f.write_str(&s[start..])?;
    f.write_str("\"")
}
