//! Reading the list parameters of RFC 7644 §3.4.2 from a URL query string.

use std::borrow::Cow;

use crate::error::ScimError;
use crate::model::SortOrder;

use super::select::truncate;

/// The `name=value` pairs of a query string (`application/x-www-form-urlencoded`), decoded:
/// `+` is a space and `%XX` a byte; a `%` not followed by two hex digits stays as it is, and
/// bytes that do not form UTF-8 become U+FFFD (as the WHATWG URL standard reads forms).
pub(crate) fn pairs(query: &str) -> impl Iterator<Item = (Cow<'_, str>, Cow<'_, str>)> {
    let query = query.strip_prefix('?').unwrap_or(query);
    query.split('&').filter(|p| !p.is_empty()).map(|pair| {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        (decode(name), decode(value))
    })
}

/// Percent-decodes one component, borrowing when there is nothing to decode.
pub(crate) fn decode(s: &str) -> Cow<'_, str> {
    if !s.bytes().any(|b| b == b'%' || b == b'+') {
        return Cow::Borrowed(s);
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'+' => out.push(b' '),
            b'%' => match (
                bytes.get(i + 1).and_then(|&h| hex(h)),
                bytes.get(i + 2).and_then(|&l| hex(l)),
            ) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            _ => out.push(b),
        }
        i += 1;
    }
    match String::from_utf8(out) {
        Ok(s) => Cow::Owned(s),
        Err(e) => Cow::Owned(String::from_utf8_lossy(e.as_bytes()).into_owned()),
    }
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// An RFC 7644 §3.4.2.4 integer parameter (`startIndex`, `count`). Out-of-range values saturate,
/// since what matters is only that they are below 1 or past the end; anything but an optionally
/// signed run of digits is `400 invalidValue`.
pub(crate) fn integer(name: &str, value: &str) -> Result<i64, ScimError> {
    let v = value.trim();
    let (negative, digits) = match v.as_bytes().first() {
        Some(b'-') => (true, &v[1..]),
        Some(b'+') => (false, &v[1..]),
        _ => (false, v),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ScimError::invalid_value(format!(
            "`{name}` must be an integer, got `{}`",
            truncate(value)
        )));
    }
    let magnitude = digits.bytes().fold(0i64, |n, d| {
        n.saturating_mul(10).saturating_add(i64::from(d - b'0'))
    });
    Ok(if negative { -magnitude } else { magnitude })
}

/// `sortOrder`: `ascending` or `descending`, ignoring ASCII case; else `400 invalidValue`.
pub(crate) fn sort_order(value: &str) -> Result<SortOrder, ScimError> {
    [SortOrder::Ascending, SortOrder::Descending]
        .into_iter()
        .find(|o| o.as_str().eq_ignore_ascii_case(value.trim()))
        .ok_or_else(|| {
            ScimError::invalid_value(format!(
                "`sortOrder` must be `ascending` or `descending`, got `{}`",
                truncate(value)
            ))
        })
}

/// A comma-separated attribute list (`attributes`, `excludedAttributes`), blank entries skipped.
pub(crate) fn list(value: &str) -> impl Iterator<Item = &str> {
    value.split(',').map(str::trim).filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding() {
        for (input, expected) in [
            ("plain", "plain"),
            ("a+b", "a b"),
            ("userName%20eq%20%22bjensen%22", "userName eq \"bjensen\""),
            ("%7e%7E", "~~"),
            ("100%", "100%"),
            ("%zz%4", "%zz%4"),
            ("%C3%A9", "é"),
            ("%FF", "\u{fffd}"),
            ("%2B", "+"),
        ] {
            assert_eq!(decode(input), expected, "{input}");
        }
    }

    #[test]
    fn query_string_pairs() {
        let got: Vec<(String, String)> =
            pairs("?filter=userName+eq+%22a%26b%22&&count=&flag&a=b=c")
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
        let expected = [
            ("filter", "userName eq \"a&b\""),
            ("count", ""),
            ("flag", ""),
            ("a", "b=c"),
        ];
        assert_eq!(got.len(), expected.len());
        for ((k, v), (ek, ev)) in got.iter().zip(expected) {
            assert_eq!((k.as_str(), v.as_str()), (ek, ev));
        }
    }

    #[test]
    fn integers() {
        for (input, expected) in [
            ("1", Ok(1)),
            (" 10 ", Ok(10)),
            ("+3", Ok(3)),
            ("-5", Ok(-5)),
            ("0", Ok(0)),
            ("99999999999999999999999", Ok(i64::MAX)),
            ("-99999999999999999999999", Ok(-i64::MAX)),
            ("", Err(())),
            ("-", Err(())),
            ("1.5", Err(())),
            ("1e3", Err(())),
            ("ten", Err(())),
            ("0x10", Err(())),
        ] {
            let got = integer("count", input);
            match expected {
                Ok(n) => assert_eq!(got, Ok(n), "{input}"),
                Err(()) => {
                    let e = got.unwrap_err();
                    assert_eq!(
                        (e.status, e.scim_type),
                        (400, Some(crate::ScimType::InvalidValue))
                    );
                }
            }
        }
    }

    #[test]
    fn attribute_lists() {
        let got: Vec<&str> = list(" userName, name.givenName ,,emails ").collect();
        assert_eq!(got, ["userName", "name.givenName", "emails"]);
        assert_eq!(list("").count(), 0);
    }
}
