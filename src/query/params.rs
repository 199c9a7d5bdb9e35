//! Reading the list parameters of RFC 7644 §3.4.2 from a URL query string into a
//! [`SearchRequest`], the form a `POST …/.search` body has.

use std::borrow::Cow;

use crate::error::ScimError;
use crate::model::{SearchRequest, SortOrder};

use super::select::truncate;

impl SearchRequest {
    /// Reads the RFC 7644 §3.4.2 parameters (`filter`, `sortBy`, `sortOrder`, `startIndex`,
    /// `count`, `attributes`, `excludedAttributes`) and RFC 9865's `cursor` from a URL query
    /// string, with or without the leading `?`, percent-decoding names and values (`+` is a
    /// space).
    ///
    /// Parameter names are matched ignoring ASCII case; other parameters are ignored, and an
    /// empty value counts as absent, except for `cursor`: `?cursor` or `?cursor=` asks for the
    /// first page of a cursor-paged answer (`Some("")`). `attributes` and `excludedAttributes`
    /// are comma-separated and may repeat. `startIndex` or `count` that are not integers, a
    /// `sortOrder` other than `ascending`/`descending`, and any other parameter given twice are
    /// `400 invalidValue`.
    /// Out-of-range integers are kept for [`Query`](crate::Query) to normalise.
    ///
    /// ```
    /// use scimkit::{SearchRequest, SortOrder};
    ///
    /// let r = SearchRequest::from_query_string(
    ///     "?filter=userName%20eq%20%22bjensen%22&sortOrder=descending&count=-1&attributes=userName,emails",
    /// )?;
    /// assert_eq!(r.filter.as_deref(), Some(r#"userName eq "bjensen""#));
    /// assert_eq!(r.sort_order, Some(SortOrder::Descending));
    /// assert_eq!(r.count, Some(-1));
    /// assert_eq!(r.attributes, Some(vec!["userName".to_owned(), "emails".to_owned()]));
    ///
    /// let first = SearchRequest::from_query_string("cursor&count=10")?;
    /// assert_eq!((first.cursor.as_deref(), first.count), (Some(""), Some(10)));
    ///
    /// let err = SearchRequest::from_query_string("count=ten").unwrap_err();
    /// assert_eq!(err.scim_type, Some(scimkit::ScimType::InvalidValue));
    /// # Ok::<(), scimkit::ScimError>(())
    /// ```
    pub fn from_query_string(query: &str) -> Result<Self, ScimError> {
        Self::from_query_pairs(pairs(query))
    }

    /// The same from `name`/`value` pairs a web framework has already decoded.
    pub fn from_query_pairs<I, K, V>(pairs: I) -> Result<Self, ScimError>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let mut r = Self::new();
        for (name, value) in pairs {
            set(&mut r, name.as_ref(), value.as_ref())?;
        }
        Ok(r)
    }
}

fn set(r: &mut SearchRequest, name: &str, value: &str) -> Result<(), ScimError> {
    fn once<T>(slot: &mut Option<T>, name: &str, value: T) -> Result<(), ScimError> {
        if slot.replace(value).is_some() {
            return Err(ScimError::invalid_value(format!(
                "`{name}` is given more than once"
            )));
        }
        Ok(())
    }
    fn names(slot: &mut Option<Vec<String>>, value: &str) {
        slot.get_or_insert_with(Vec::new)
            .extend(list(value).map(str::to_owned));
    }
    let is = |n: &str| name.eq_ignore_ascii_case(n);
    if is("cursor") {
        // Present but empty is meaningful (RFC 9865 §2: the first page).
        return once(&mut r.cursor, "cursor", value.trim().to_owned());
    }
    if value.trim().is_empty() {
        return Ok(());
    }
    if is("filter") {
        once(&mut r.filter, "filter", value.to_owned())
    } else if is("sortBy") {
        once(&mut r.sort_by, "sortBy", value.trim().to_owned())
    } else if is("sortOrder") {
        once(&mut r.sort_order, "sortOrder", sort_order(value)?)
    } else if is("startIndex") {
        once(
            &mut r.start_index,
            "startIndex",
            integer("startIndex", value)?,
        )
    } else if is("count") {
        once(&mut r.count, "count", integer("count", value)?)
    } else {
        if is("attributes") {
            names(&mut r.attributes, value);
        } else if is("excludedAttributes") {
            names(&mut r.excluded_attributes, value);
        }
        Ok(())
    }
}

/// The `name=value` pairs of a query string (`application/x-www-form-urlencoded`), decoded:
/// `+` is a space and `%XX` a byte; a `%` not followed by two hex digits stays as it is, and
/// bytes that do not form UTF-8 become U+FFFD (as the WHATWG URL standard reads forms).
fn pairs(query: &str) -> impl Iterator<Item = (Cow<'_, str>, Cow<'_, str>)> {
    let query = query.strip_prefix('?').unwrap_or(query);
    query.split('&').filter(|p| !p.is_empty()).map(|pair| {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        (decode(name), decode(value))
    })
}

/// Percent-decodes one component, borrowing when there is nothing to decode.
fn decode(s: &str) -> Cow<'_, str> {
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
fn integer(name: &str, value: &str) -> Result<i64, ScimError> {
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
fn sort_order(value: &str) -> Result<SortOrder, ScimError> {
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
fn list(value: &str) -> impl Iterator<Item = &str> {
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
