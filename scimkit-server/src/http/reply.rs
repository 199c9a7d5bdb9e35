//! SCIM answers as axum responses: the SCIM content type, `ETag` from `meta.version`,
//! `Location` on `201`, `WWW-Authenticate` on `401`, and RFC 7644 §3.12 error bodies.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use scimkit::ScimError;
use scimkit::provider::{SCIM_MEDIA_TYPE, version};
use serde_json::Value;

/// A SCIM resource or message answer. Handlers of a service that embeds the router return it
/// too, so their answers look like the router's.
///
/// ```
/// use axum::response::IntoResponse;
/// use scimkit_server::Reply;
/// use serde_json::json;
///
/// let r = Reply::created(json!({"id": "1", "meta": {"version": "W/\"a\"",
///                                "location": "https://example.com/scim/v2/Users/1"}}))
///     .into_response();
/// assert_eq!(r.status(), 201);
/// assert_eq!(r.headers()["etag"], "W/\"a\"");
/// assert_eq!(r.headers()["location"], "https://example.com/scim/v2/Users/1");
/// assert_eq!(r.headers()["content-type"], "application/scim+json");
/// ```
#[derive(Debug, Clone)]
pub struct Reply {
    status: StatusCode,
    body: Option<Value>,
    etag: Option<String>,
    content_type: &'static str,
}

impl Reply {
    /// `200` with `body`.
    pub fn ok(body: Value) -> Self {
        Self::with_status(StatusCode::OK, body)
    }

    /// `201` with `body`; `Location` is its `meta.location`.
    pub fn created(body: Value) -> Self {
        Self::with_status(StatusCode::CREATED, body)
    }

    /// `204` with the new `ETag`, if any (a PATCH answered without a body).
    pub fn no_content(etag: Option<String>) -> Self {
        Self {
            status: StatusCode::NO_CONTENT,
            body: None,
            etag,
            content_type: SCIM_MEDIA_TYPE,
        }
    }

    /// Any status with `body`; `ETag` from its `meta.version`.
    pub fn with_status(status: StatusCode, body: Value) -> Self {
        Self {
            status,
            etag: version(&body).map(str::to_owned),
            body: Some(body),
            content_type: SCIM_MEDIA_TYPE,
        }
    }

    /// Answers with `content_type` (a profile's, such as Identity Center's
    /// `application/json`).
    #[must_use]
    pub fn content_type(mut self, content_type: &'static str) -> Self {
        self.content_type = content_type;
        self
    }
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        let mut headers = HeaderMap::new();
        if let Some(v) = self
            .etag
            .as_deref()
            .and_then(|v| HeaderValue::from_str(v).ok())
        {
            headers.insert(header::ETAG, v);
        }
        let Some(body) = self.body else {
            return (self.status, headers).into_response();
        };
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(self.content_type),
        );
        let location = body["meta"]["location"]
            .as_str()
            .and_then(|l| HeaderValue::from_str(l).ok());
        if let (StatusCode::CREATED, Some(v)) = (self.status, location) {
            headers.insert(header::LOCATION, v);
        }
        (self.status, headers, body.to_string()).into_response()
    }
}

/// A [`ScimError`] as a response: its status and the SCIM error body; `401` carries
/// `WWW-Authenticate: Bearer`. `?` in a handler turns a `ScimError` into it.
///
/// ```
/// use axum::response::IntoResponse;
/// use scimkit::ScimError;
/// use scimkit_server::Failure;
///
/// let r = Failure::from(ScimError::uniqueness("userName taken")).into_response();
/// assert_eq!(r.status(), 409);
/// ```
#[derive(Debug, Clone)]
pub struct Failure {
    error: ScimError,
    body: Option<Value>,
    content_type: &'static str,
}

impl Failure {
    /// The error answered with a body a profile shaped (Identity Center's) and its content
    /// type.
    pub fn shaped(error: ScimError, body: Value, content_type: &'static str) -> Self {
        Self {
            error,
            body: Some(body),
            content_type,
        }
    }

    /// The error.
    pub fn error(&self) -> &ScimError {
        &self.error
    }
}

impl From<ScimError> for Failure {
    fn from(error: ScimError) -> Self {
        Self {
            error,
            body: None,
            content_type: SCIM_MEDIA_TYPE,
        }
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.error.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = match self.body {
            Some(b) => b,
            None => serde_json::to_value(&self.error).unwrap_or(Value::Null),
        };
        let mut r = (
            status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static(self.content_type),
            )],
            body.to_string(),
        )
            .into_response();
        if status == StatusCode::UNAUTHORIZED {
            r.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        r
    }
}
