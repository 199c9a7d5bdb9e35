//! Bulk messages (RFC 7644 §3.7): [`BulkRequest`] and [`BulkResponse`].

use std::fmt;

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

/// The schema URN of a bulk request.
pub const BULK_REQUEST_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
/// The schema URN of a bulk response.
pub const BULK_RESPONSE_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";

fn request_schemas() -> Vec<String> {
    vec![BULK_REQUEST_SCHEMA.to_owned()]
}

fn response_schemas() -> Vec<String> {
    vec![BULK_RESPONSE_SCHEMA.to_owned()]
}

/// A bulk request (RFC 7644 §3.7): operations on several resources in one HTTP request.
///
/// ```
/// use scimkit::model::{BulkMethod, BulkRequest};
///
/// let req: BulkRequest = serde_json::from_str(r#"{
///     "schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
///     "failOnErrors": 1,
///     "Operations": [{"method": "DELETE", "path": "/Users/b7c14771", "version": "W/\"0ee8add0a938e1a\""}]
/// }"#)?;
/// assert_eq!(req.fail_on_errors, Some(1));
/// assert_eq!(req.operations[0].method, BulkMethod::Delete);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BulkRequest {
    /// The message's schema URNs (the BulkRequest URN).
    #[serde(default = "request_schemas")]
    pub schemas: Vec<String>,
    /// How many errors the service provider accepts before it stops processing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_on_errors: Option<u64>,
    /// The operations, in order.
    #[serde(rename = "Operations", alias = "operations", alias = "OPERATIONS")]
    pub operations: Vec<BulkOperation>,
}

impl BulkRequest {
    /// A request with these operations.
    pub fn new(operations: Vec<BulkOperation>) -> Self {
        Self {
            schemas: request_schemas(),
            fail_on_errors: None,
            operations,
        }
    }
}

/// One operation of a [`BulkRequest`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BulkOperation {
    /// The HTTP method.
    pub method: BulkMethod,
    /// A client-chosen identifier for a `POST`, which later operations can refer to as
    /// `bulkId:<id>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bulk_id: Option<String>,
    /// The entity tag the resource must still have (`If-Match`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The resource's relative path (`/Users`, `/Groups/<id>`).
    pub path: String,
    /// The request body: a resource for `POST`/`PUT`, a PatchOp for `PATCH`, none for `DELETE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Value>,
}

impl BulkOperation {
    /// An operation with this method and path.
    pub fn new(method: BulkMethod, path: impl Into<String>) -> Self {
        Self {
            method,
            bulk_id: None,
            version: None,
            path: path.into(),
            data: None,
        }
    }

    /// Sets the request body.
    #[must_use]
    pub fn with_data(mut self, data: impl Into<Value>) -> Self {
        self.data = Some(data.into());
        self
    }

    /// Sets `bulkId`.
    #[must_use]
    pub fn with_bulk_id(mut self, bulk_id: impl Into<String>) -> Self {
        self.bulk_id = Some(bulk_id.into());
        self
    }
}

/// A bulk response (RFC 7644 §3.7): the outcome of each operation processed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BulkResponse {
    /// The message's schema URNs (the BulkResponse URN).
    #[serde(default = "response_schemas")]
    pub schemas: Vec<String>,
    /// The outcomes, in the order processed.
    #[serde(rename = "Operations", alias = "operations", alias = "OPERATIONS")]
    pub operations: Vec<BulkOperationResponse>,
}

impl BulkResponse {
    /// A response with these outcomes.
    pub fn new(operations: Vec<BulkOperationResponse>) -> Self {
        Self {
            schemas: response_schemas(),
            operations,
        }
    }
}

/// The outcome of one bulk operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BulkOperationResponse {
    /// The resource's URI, when it exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// The HTTP method of the operation.
    pub method: BulkMethod,
    /// The `bulkId` of the operation, if it had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bulk_id: Option<String>,
    /// The resource's entity tag after the operation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The HTTP status; written as a string like `"201"`, read from a string or a number.
    #[serde(with = "status_text")]
    pub status: u16,
    /// The response body: an error (see [`ErrorResponse`](super::ErrorResponse)) or a resource.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<Value>,
}

impl BulkOperationResponse {
    /// An outcome with this method and status.
    pub fn new(method: BulkMethod, status: u16) -> Self {
        Self {
            location: None,
            method,
            bulk_id: None,
            version: None,
            status,
            response: None,
        }
    }

    /// The error, when `response` is a SCIM error body.
    pub fn error(&self) -> Option<super::ErrorResponse> {
        self.response
            .as_ref()
            .and_then(|r| super::ErrorResponse::deserialize(r).ok())
    }
}

/// The HTTP status of a bulk outcome: a string on the wire (RFC 7644 §3.7.3), tolerated as a
/// number.
mod status_text {
    use super::{Deserialize, Deserializer, Serializer, Value, de};

    pub(super) fn serialize<S: Serializer>(status: &u16, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(status)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u16, D::Error> {
        let v = Value::deserialize(d)?;
        crate::error::parse_status(&v)
            .ok_or_else(|| de::Error::custom(format!("`status` is not an HTTP status: {v}")))
    }
}

/// The HTTP method of a bulk operation. Read ignoring ASCII case, written in uppercase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BulkMethod {
    /// Create a resource.
    Post,
    /// Replace a resource.
    Put,
    /// Modify a resource.
    Patch,
    /// Delete a resource.
    Delete,
}

impl BulkMethod {
    /// The method as written (`"POST"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
        }
    }
}

impl fmt::Display for BulkMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for BulkMethod {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for BulkMethod {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let all = [Self::Post, Self::Put, Self::Patch, Self::Delete];
        super::keyword(&all, Self::as_str, &s).ok_or_else(|| {
            de::Error::custom(format!(
                "unknown bulk method `{}`: expected POST, PUT, PATCH or DELETE",
                super::resource::truncate(&s)
            ))
        })
    }
}
