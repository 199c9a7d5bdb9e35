//! SCIM errors as data: [`ScimError`] is the RFC 7644 §3.12 error response, and [`ScimType`]
//! its `scimType` keyword.
//!
//! Every error type of this crate (filter, path, PATCH, schema, SAML) converts into
//! [`ScimError`], so a service can answer any failure with the right HTTP status and `scimType`.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

/// The schema URN of an RFC 7644 §3.12 error response.
pub const ERROR_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

/// A byte range in an input text (a filter, a path), used to point at what went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    /// Offset of the first byte.
    pub start: usize,
    /// Offset one past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (byte offsets).
    pub const fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    /// A span of length zero at `offset`.
    pub const fn at(offset: usize) -> Self {
        Self {
            start: offset,
            end: offset,
        }
    }

    /// The 1-based column of the start in `input`, counted in characters.
    pub fn column(&self, input: &str) -> usize {
        input
            .get(..self.start.min(input.len()))
            .map_or(self.start, |s| s.chars().count())
            + 1
    }
}

/// The `scimType` keyword of an error response (RFC 7644 §3.12, Table 9; RFC 9865 §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ScimType {
    /// The filter syntax is invalid or the attribute and operator combination is not supported.
    InvalidFilter,
    /// The filter would return more results than the server is willing to process.
    TooMany,
    /// A value is already in use or reserved (status 409).
    Uniqueness,
    /// The change is incompatible with an attribute's mutability or current state.
    Mutability,
    /// The request body is not valid JSON or does not follow the request schema.
    InvalidSyntax,
    /// A PATCH `path` is invalid or malformed.
    InvalidPath,
    /// A PATCH `path` did not yield an attribute or value that could be operated on.
    NoTarget,
    /// A required value is missing, or a value is not compatible with the operation or schema.
    InvalidValue,
    /// The SCIM protocol version is not supported.
    InvalidVers,
    /// The request carries sensitive data in its URI (status 403).
    Sensitive,
    /// RFC 9865: the cursor is not valid.
    InvalidCursor,
    /// RFC 9865: the cursor has expired.
    ExpiredCursor,
    /// RFC 9865: the `count` is not valid for cursor pagination.
    InvalidCount,
}

impl ScimType {
    /// Every keyword, in the order of RFC 7644 Table 9 then RFC 9865.
    pub const ALL: [Self; 13] = [
        Self::InvalidFilter,
        Self::TooMany,
        Self::Uniqueness,
        Self::Mutability,
        Self::InvalidSyntax,
        Self::InvalidPath,
        Self::NoTarget,
        Self::InvalidValue,
        Self::InvalidVers,
        Self::Sensitive,
        Self::InvalidCursor,
        Self::ExpiredCursor,
        Self::InvalidCount,
    ];

    /// The keyword as it appears on the wire (`"invalidFilter"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::InvalidFilter => "invalidFilter",
            Self::TooMany => "tooMany",
            Self::Uniqueness => "uniqueness",
            Self::Mutability => "mutability",
            Self::InvalidSyntax => "invalidSyntax",
            Self::InvalidPath => "invalidPath",
            Self::NoTarget => "noTarget",
            Self::InvalidValue => "invalidValue",
            Self::InvalidVers => "invalidVers",
            Self::Sensitive => "sensitive",
            Self::InvalidCursor => "invalidCursor",
            Self::ExpiredCursor => "expiredCursor",
            Self::InvalidCount => "invalidCount",
        }
    }

    /// The HTTP status that goes with this keyword: 409 for `uniqueness`, 403 for `sensitive`
    /// (RFC 7644 erratum 6893), 400 for the others.
    pub const fn status(self) -> u16 {
        match self {
            Self::Uniqueness => 409,
            Self::Sensitive => 403,
            _ => 400,
        }
    }
}

impl fmt::Display for ScimType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text was not one of the `scimType` keywords.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown scimType `{0}`")]
pub struct UnknownScimType(pub String);

impl FromStr for ScimType {
    type Err = UnknownScimType;

    /// Parses a keyword. The match ignores ASCII case, since servers differ in spelling.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownScimType(s.to_owned()))
    }
}

impl Serialize for ScimType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ScimType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(de::Error::custom)
    }
}

/// A SCIM error response (RFC 7644 §3.12): an HTTP status, an optional `scimType` and an
/// optional human-readable `detail`.
///
/// It serializes to exactly the SCIM Error JSON, with `status` as a string, and parses that JSON
/// back, tolerating what real servers send: `status` as a number, the `schema` alias that AWS IAM
/// Identity Center uses for `schemas`, a missing or unknown `scimType`, and extra fields.
///
/// ```
/// use scimkit::{ScimError, ScimType};
///
/// let err = ScimError::new(ScimType::InvalidFilter, "expected an operator at column 10");
/// let json = serde_json::to_value(&err)?;
/// assert_eq!(json, serde_json::json!({
///     "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
///     "status": "400",
///     "scimType": "invalidFilter",
///     "detail": "expected an operator at column 10",
/// }));
/// let back: ScimError = serde_json::from_value(json)?;
/// assert_eq!(back, err);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ScimError {
    /// The HTTP status code (400, 404, 409…).
    pub status: u16,
    /// The RFC 7644 §3.12 `scimType`, when the status is 400 (or 409, 403) and one applies.
    pub scim_type: Option<ScimType>,
    /// A human-readable explanation.
    pub detail: Option<String>,
}

impl ScimError {
    /// An error with the given `scimType`, its usual status and a detail message.
    pub fn new(scim_type: ScimType, detail: impl Into<String>) -> Self {
        Self {
            status: scim_type.status(),
            scim_type: Some(scim_type),
            detail: Some(detail.into()),
        }
    }

    /// An error with only a status and a detail message (404, 412, 500…).
    pub fn with_status(status: u16, detail: impl Into<String>) -> Self {
        Self {
            status,
            scim_type: None,
            detail: Some(detail.into()),
        }
    }

    /// `400 invalidFilter`.
    pub fn invalid_filter(detail: impl Into<String>) -> Self {
        Self::new(ScimType::InvalidFilter, detail)
    }

    /// `400 invalidPath`.
    pub fn invalid_path(detail: impl Into<String>) -> Self {
        Self::new(ScimType::InvalidPath, detail)
    }

    /// `400 invalidSyntax`.
    pub fn invalid_syntax(detail: impl Into<String>) -> Self {
        Self::new(ScimType::InvalidSyntax, detail)
    }

    /// `400 invalidValue`.
    pub fn invalid_value(detail: impl Into<String>) -> Self {
        Self::new(ScimType::InvalidValue, detail)
    }

    /// `400 noTarget`.
    pub fn no_target(detail: impl Into<String>) -> Self {
        Self::new(ScimType::NoTarget, detail)
    }

    /// `400 mutability`.
    pub fn mutability(detail: impl Into<String>) -> Self {
        Self::new(ScimType::Mutability, detail)
    }

    /// `400 tooMany`.
    pub fn too_many(detail: impl Into<String>) -> Self {
        Self::new(ScimType::TooMany, detail)
    }

    /// `409 uniqueness`.
    pub fn uniqueness(detail: impl Into<String>) -> Self {
        Self::new(ScimType::Uniqueness, detail)
    }

    /// `404`, no `scimType`.
    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::with_status(404, detail)
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The `scimType`, if any.
    pub fn scim_type(&self) -> Option<ScimType> {
        self.scim_type
    }

    /// The detail message, if any.
    pub fn detail(&self) -> Option<&str> {
        self.detail.as_deref()
    }
}

impl fmt::Display for ScimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.status)?;
        if let Some(t) = self.scim_type {
            write!(f, " {t}")?;
        }
        if let Some(d) = &self.detail {
            write!(f, ": {d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ScimError {}

impl From<serde_json::Error> for ScimError {
    /// A body that is not JSON, or not the JSON a model expects, is `400 invalidSyntax`.
    ///
    /// serde quotes the offending value whole (`invalid type: string "…", expected a
    /// sequence`), so a long message keeps only its start and its end, where serde_json puts
    /// what was expected and the position: a hostile body never comes back in the response.
    fn from(e: serde_json::Error) -> Self {
        Self::invalid_syntax(clip_middle(&e.to_string(), 160, 96))
    }
}

/// `s` with all but its first `head` and last `tail` bytes (on character boundaries) replaced
/// by `…`.
fn clip_middle(s: &str, head: usize, tail: usize) -> String {
    if s.len() <= head + tail {
        return s.to_owned();
    }
    let start = (0..=head)
        .rev()
        .find(|&i| s.is_char_boundary(i))
        .unwrap_or(0);
    let end = (s.len() - tail..s.len())
        .find(|&i| s.is_char_boundary(i))
        .unwrap_or(s.len());
    format!("{}…{}", &s[..start], &s[end..])
}

impl Serialize for ScimError {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let len = 2 + usize::from(self.scim_type.is_some()) + usize::from(self.detail.is_some());
        let mut m = s.serialize_map(Some(len))?;
        m.serialize_entry("schemas", &[ERROR_SCHEMA])?;
        m.serialize_entry("status", &self.status.to_string())?;
        if let Some(t) = self.scim_type {
            m.serialize_entry("scimType", t.as_str())?;
        }
        if let Some(d) = &self.detail {
            m.serialize_entry("detail", d)?;
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for ScimError {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(ErrorVisitor)
    }
}

struct ErrorVisitor;

impl<'de> Visitor<'de> for ErrorVisitor {
    type Value = ScimError;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a SCIM error response object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ScimError, A::Error> {
        let mut status = None;
        let mut scim_type = None;
        let mut detail = None;
        while let Some(key) = map.next_key::<String>()? {
            if key.eq_ignore_ascii_case("status") {
                let v: serde_json::Value = map.next_value()?;
                status = Some(parse_status(&v).ok_or_else(|| {
                    de::Error::custom(format!("`status` is not an HTTP status: {v}"))
                })?);
            } else if key.eq_ignore_ascii_case("scimType") {
                // An unknown keyword (a newer RFC, a vendor's own) is not a reason to lose the
                // whole error: keep the status and the detail.
                let v: Option<String> = map.next_value()?;
                scim_type = v.and_then(|s| s.parse().ok());
            } else if key.eq_ignore_ascii_case("detail") {
                detail = map.next_value()?;
            } else {
                map.next_value::<de::IgnoredAny>()?;
            }
        }
        let status = status.ok_or_else(|| de::Error::missing_field("status"))?;
        Ok(ScimError {
            status,
            scim_type,
            detail,
        })
    }
}

/// An HTTP status from a JSON string or number (`"404"`, `404`), if in 100..=599.
pub(crate) fn parse_status(v: &serde_json::Value) -> Option<u16> {
    let n = match v {
        serde_json::Value::String(s) => s.trim().parse().ok()?,
        serde_json::Value::Number(n) => u16::try_from(n.as_u64()?).ok()?,
        _ => return None,
    };
    (100..=599).contains(&n).then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_scim_type_round_trips_through_its_keyword() {
        for t in ScimType::ALL {
            assert_eq!(t.as_str().parse::<ScimType>(), Ok(t));
            assert_eq!(serde_json::to_value(t).unwrap(), json!(t.as_str()));
        }
        assert_eq!(
            "INVALIDFILTER".parse::<ScimType>(),
            Ok(ScimType::InvalidFilter)
        );
        assert!("nope".parse::<ScimType>().is_err());
    }

    #[test]
    fn statuses_follow_table_9() {
        assert_eq!(ScimType::Uniqueness.status(), 409);
        assert_eq!(ScimType::Sensitive.status(), 403);
        assert_eq!(ScimType::InvalidPath.status(), 400);
    }

    #[test]
    fn rfc7644_error_examples_round_trip() {
        // RFC 7644 §3.12 (with erratum 7898 applied) and §3.5.2 examples.
        for body in [
            json!({"schemas": [ERROR_SCHEMA], "detail": "Resource 2819c223-7f76-453a-919d-413861904646 not found", "status": "404"}),
            json!({"schemas": [ERROR_SCHEMA], "scimType": "mutability", "detail": "Attribute 'id' is readOnly", "status": "400"}),
            json!({"schemas": [ERROR_SCHEMA], "detail": "Failed to update. Resource changed on the server.", "status": "412"}),
        ] {
            let e: ScimError = serde_json::from_value(body.clone()).unwrap();
            assert_eq!(serde_json::to_value(&e).unwrap(), body);
        }
    }

    #[test]
    fn tolerant_parse_of_what_servers_send() {
        // AWS IAM Identity Center: `schema` alias, string status, no scimType, extra fields.
        let aws = json!({
            "schema": [ERROR_SCHEMA], "schemas": [ERROR_SCHEMA],
            "detail": "Request is unparsable, syntactically incorrect, or violates schema.",
            "status": "400", "exceptionRequestId": "abc", "timeStamp": "2022-01-26 16:50:48.135"
        });
        let e: ScimError = serde_json::from_value(aws).unwrap();
        assert_eq!((e.status, e.scim_type), (400, None));

        let numeric: ScimError =
            serde_json::from_value(json!({"status": 409, "scimType": "uniqueness"})).unwrap();
        assert_eq!(
            numeric,
            ScimError {
                status: 409,
                scim_type: Some(ScimType::Uniqueness),
                detail: None
            }
        );

        let unknown: ScimError =
            serde_json::from_value(json!({"status": "400", "scimType": "vendorThing"})).unwrap();
        assert_eq!(unknown.scim_type, None);

        assert!(serde_json::from_value::<ScimError>(json!({"detail": "x"})).is_err());
        assert!(serde_json::from_value::<ScimError>(json!({"status": "abc"})).is_err());
        assert!(serde_json::from_value::<ScimError>(json!({"status": 99999})).is_err());
    }

    #[test]
    fn display_is_one_line() {
        let e = ScimError::no_target("no email matches");
        assert_eq!(e.to_string(), "400 noTarget: no email matches");
        assert_eq!(ScimError::not_found("gone").to_string(), "404: gone");
    }

    #[test]
    fn json_errors_are_invalid_syntax() {
        let e: ScimError = serde_json::from_str::<serde_json::Value>("{")
            .unwrap_err()
            .into();
        assert_eq!(e.scim_type, Some(ScimType::InvalidSyntax));
        assert_eq!(e.status, 400);
    }

    #[test]
    fn span_column_counts_characters() {
        assert_eq!(Span::at(0).column("abc"), 1);
        assert_eq!(Span::at(3).column("é b"), 3);
        assert_eq!(Span::at(99).column("ab"), 3);
    }
}
