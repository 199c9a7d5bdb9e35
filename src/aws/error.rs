//! Identity Center's error responses as data (reference rules 58–61, 63).
//!
//! Identity Center answers with bodies that are close to RFC 7644 §3.12 but not quite: the schema
//! list may sit under `schema`, `status` is a string, `scimType` is absent, and extra fields such
//! as `exceptionRequestId` and `timeStamp` appear. [`AwsError::from_response`] reads any of those
//! shapes (or a body that is not JSON at all) and classifies the failure by HTTP status first.

use std::fmt;

use serde_json::Value;

use super::chars::truncate_chars;
use crate::error::{ScimError, ScimType};

/// The exception names of Identity Center's per-operation error tables (rule 58).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AwsException {
    /// 400: unparsable, syntactically incorrect, violates the schema, or unsupported.
    Validation,
    /// 401: missing or wrong bearer token, or wrong tenant.
    Unauthorized,
    /// 403: the caller may not perform the operation.
    AccessDenied,
    /// 404: the resource (or a member named in a filter) does not exist.
    ResourceNotFound,
    /// 409: the user or group already exists.
    Conflict,
    /// 429: too many requests; back off and retry.
    Throttling,
    /// 500: a server-side failure.
    InternalServer,
    /// Any other name (from an `x-amzn-ErrorType` header, for instance).
    Other(String),
}

impl AwsException {
    /// The exception the error tables list for an HTTP status, if any.
    pub fn from_status(status: u16) -> Option<Self> {
        Some(match status {
            400 => Self::Validation,
            401 => Self::Unauthorized,
            403 => Self::AccessDenied,
            404 => Self::ResourceNotFound,
            409 => Self::Conflict,
            429 => Self::Throttling,
            500 => Self::InternalServer,
            _ => return None,
        })
    }

    /// Reads an exception name such as `ThrottlingException`, or the `x-amzn-ErrorType` header
    /// form `ThrottlingException:http://internal.amazon.com/…` (the part after `:` is ignored).
    pub fn from_name(name: &str) -> Self {
        let name = name.split(':').next().unwrap_or_default().trim();
        match name {
            "ValidationException" => Self::Validation,
            "UnauthorizedException" => Self::Unauthorized,
            "AccessDeniedException" => Self::AccessDenied,
            "ResourceNotFoundException" => Self::ResourceNotFound,
            "ConflictException" => Self::Conflict,
            "ThrottlingException" => Self::Throttling,
            "InternalServerException" => Self::InternalServer,
            other => Self::Other(other.to_owned()),
        }
    }

    /// The exception name (`"ValidationException"`).
    pub fn name(&self) -> &str {
        match self {
            Self::Validation => "ValidationException",
            Self::Unauthorized => "UnauthorizedException",
            Self::AccessDenied => "AccessDeniedException",
            Self::ResourceNotFound => "ResourceNotFoundException",
            Self::Conflict => "ConflictException",
            Self::Throttling => "ThrottlingException",
            Self::InternalServer => "InternalServerException",
            Self::Other(name) => name,
        }
    }
}

impl fmt::Display for AwsException {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An Identity Center error response, classified.
///
/// ```
/// use scimkit::aws::{AwsError, AwsException};
/// use scimkit::ScimType;
///
/// let body = br#"{"schema":["urn:ietf:params:scim:api:messages:2.0:Error"],
///   "schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],
///   "detail":"Refused to create a new, duplicate resource.","status":"409",
///   "exceptionRequestId":"7ad3a1d2-5d2b-4a0e-9a8e-6a1d0f1c2b3a","timeStamp":"2022-01-26 16:50:48.135"}"#;
/// let err = AwsError::from_response(409, body);
/// assert_eq!(err.error.scim_type, Some(ScimType::Uniqueness));
/// assert_eq!(err.exception, Some(AwsException::Conflict));
/// assert_eq!(err.request_id.as_deref(), Some("7ad3a1d2-5d2b-4a0e-9a8e-6a1d0f1c2b3a"));
/// assert!(!err.retryable);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AwsError {
    /// The error as a SCIM error: status, `scimType` (derived when the body has none), detail.
    pub error: ScimError,
    /// The AWS exception, from the status or from [`with_error_type`](Self::with_error_type).
    pub exception: Option<AwsException>,
    /// Whether the same request may succeed if sent again later: 429 and 5xx (rule 63).
    pub retryable: bool,
    /// `exceptionRequestId` from the body, or the `x-amzn-RequestId` header given to
    /// [`with_request_id`](Self::with_request_id).
    pub request_id: Option<String>,
    /// The body's `timeStamp`, verbatim.
    pub timestamp: Option<String>,
}

/// Longest detail kept from a body that is not a SCIM error (such bodies may be HTML pages).
const MAX_RAW_DETAIL: usize = 256;

impl AwsError {
    /// Reads a response: the HTTP `status` and the raw `body` (JSON or not, possibly empty).
    ///
    /// The HTTP status wins over the body's `status` (rule 61): proxies and gateways answer
    /// with bodies of their own. A missing `scimType` is derived from the status and detail
    /// (409 is `uniqueness`, rule 177).
    pub fn from_response(status: u16, body: &[u8]) -> Self {
        let json: Option<Value> = serde_json::from_slice(body).ok();
        let object = json.as_ref().and_then(Value::as_object);
        let text = |key: &str| {
            object
                .and_then(|o| o.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)))
                .and_then(|(_, v)| v.as_str())
                .map(str::to_owned)
        };
        let detail = match object {
            Some(_) => text("detail"),
            None => {
                let raw = String::from_utf8_lossy(body);
                let raw = raw.trim();
                (!raw.is_empty()).then(|| truncate_chars(raw, MAX_RAW_DETAIL).to_owned())
            }
        };
        let scim_type = text("scimType")
            .and_then(|t| t.parse().ok())
            .or_else(|| derive_scim_type(status, detail.as_deref()));
        Self {
            error: ScimError {
                status,
                scim_type,
                detail,
            },
            exception: AwsException::from_status(status),
            retryable: status == 429 || (500..=599).contains(&status),
            request_id: text("exceptionRequestId"),
            timestamp: text("timeStamp"),
        }
    }

    /// Sets the exception from an `x-amzn-ErrorType` header value.
    #[must_use]
    pub fn with_error_type(mut self, header: &str) -> Self {
        self.exception = Some(AwsException::from_name(header));
        self.retryable |= self.exception == Some(AwsException::Throttling);
        self
    }

    /// Sets the request id from an `x-amzn-RequestId` header, unless the body carried one.
    #[must_use]
    pub fn with_request_id(mut self, id: &str) -> Self {
        self.request_id.get_or_insert_with(|| id.to_owned());
        self
    }

    /// Whether Identity Center throttled the request (429, rule 63).
    pub fn is_throttled(&self) -> bool {
        self.error.status == 429 || self.exception == Some(AwsException::Throttling)
    }
}

/// The `scimType` Identity Center left out, from the status and the detail texts it is known to
/// send (rules 41, 48, 60).
fn derive_scim_type(status: u16, detail: Option<&str>) -> Option<ScimType> {
    match status {
        409 => Some(ScimType::Uniqueness),
        400 => {
            let d = detail.unwrap_or_default().to_ascii_lowercase();
            Some(if d.contains("filter") {
                ScimType::InvalidFilter
            } else if d.contains("\"path\"") || d.contains(" path ") {
                ScimType::InvalidPath
            } else if d.contains("not supported") {
                ScimType::Mutability
            } else if d.contains("unparsable") || d.contains("syntactically") {
                ScimType::InvalidSyntax
            } else {
                ScimType::InvalidValue
            })
        }
        _ => None,
    }
}

impl fmt::Display for AwsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(e) = &self.exception {
            write!(f, "{e}: ")?;
        }
        write!(f, "{}", self.error)
    }
}

impl std::error::Error for AwsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

impl From<AwsError> for ScimError {
    fn from(e: AwsError) -> Self {
        e.error
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_59_schema_alias_string_status_no_scim_type() {
        let body = br#"{"schema":["urn:ietf:params:scim:api:messages:2.0:Error"],"detail":"Request is unparsable, syntactically incorrect, or violates schema.","status":"400","exceptionRequestId":"a1","timeStamp":"2022-01-26 16:50:48.135"}"#;
        let e = AwsError::from_response(400, body);
        assert_eq!(e.error.status, 400);
        assert_eq!(e.error.scim_type, Some(ScimType::InvalidSyntax));
        assert_eq!(e.exception, Some(AwsException::Validation));
        assert_eq!(e.request_id.as_deref(), Some("a1"));
        assert_eq!(e.timestamp.as_deref(), Some("2022-01-26 16:50:48.135"));
        assert_eq!(
            e.error.detail.as_deref(),
            Some("Request is unparsable, syntactically incorrect, or violates schema.")
        );
    }

    #[test]
    fn rule_60_conflict_is_uniqueness() {
        let body = br#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"detail":"Refused to create a new, duplicate resource.","status":"409"}"#;
        let e = AwsError::from_response(409, body);
        assert_eq!(e.error.scim_type, Some(ScimType::Uniqueness));
        assert_eq!(ScimError::from(e).status, 409);
    }

    #[test]
    fn rule_61_tolerates_numbers_extra_fields_and_non_json() {
        let e = AwsError::from_response(404, br#"{"status":404,"detail":"x","extra":{"a":1}}"#);
        assert_eq!((e.error.status, e.error.scim_type), (404, None));
        assert_eq!(e.exception, Some(AwsException::ResourceNotFound));

        // The HTTP status wins over the body's.
        let e = AwsError::from_response(500, br#"{"status":"400"}"#);
        assert_eq!(e.error.status, 500);
        assert!(e.retryable);

        let e = AwsError::from_response(502, b"<html>Bad Gateway</html>");
        assert_eq!(e.error.detail.as_deref(), Some("<html>Bad Gateway</html>"));
        assert_eq!(e.exception, None);
        let e = AwsError::from_response(401, b"");
        assert_eq!(
            (e.error.detail, e.exception),
            (None, Some(AwsException::Unauthorized))
        );

        let long = "x".repeat(10_000);
        let e = AwsError::from_response(503, long.as_bytes());
        assert_eq!(e.error.detail.map(|d| d.len()), Some(MAX_RAW_DETAIL));
    }

    #[test]
    fn rule_63_throttling_is_retryable() {
        let e = AwsError::from_response(429, br#"{"status":"429","detail":"Rate exceeded"}"#);
        assert!(e.retryable && e.is_throttled());
        assert_eq!(e.exception, Some(AwsException::Throttling));
        let e = AwsError::from_response(400, b"{}")
            .with_error_type("ThrottlingException:http://internal.amazon.com/coral/")
            .with_request_id("hdr");
        assert!(e.retryable && e.is_throttled());
        assert_eq!(e.request_id.as_deref(), Some("hdr"));
        assert!(!AwsError::from_response(400, b"{}").retryable);
    }

    #[test]
    fn rule_58_exception_names_round_trip() {
        for status in [400, 401, 403, 404, 409, 429, 500] {
            let ex = AwsException::from_status(status).unwrap();
            assert_eq!(AwsException::from_name(ex.name()), ex);
        }
        assert_eq!(
            AwsException::from_name("WeirdException"),
            AwsException::Other("WeirdException".to_owned())
        );
    }

    #[test]
    fn rule_41_and_48_details_classify() {
        let path = br#"{"status":"400","detail":"Current PATCH support allows omitting \"path\" attribute only for Add and Replace operations modifying a single attribute."}"#;
        assert_eq!(
            AwsError::from_response(400, path).error.scim_type,
            Some(ScimType::InvalidPath)
        );
        let members =
            br#"{"status":"400","detail":"Replacing group memberships is not supported."}"#;
        assert_eq!(
            AwsError::from_response(400, members).error.scim_type,
            Some(ScimType::Mutability)
        );
    }
}
