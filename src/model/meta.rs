//! The `meta` common attribute (RFC 7643 §3.1).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Resource metadata (RFC 7643 §3.1). Every sub-attribute is assigned by the service provider
/// (`readOnly`); clients that send `meta` have it ignored.
///
/// `created` and `lastModified` are UTC instants: a timestamp with any offset notation is read
/// and normalised to UTC.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Meta {
    /// The name of the resource type (`"User"`, `"Group"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    /// When the resource was added to the service provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<DateTime<Utc>>,
    /// When the resource was last changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<DateTime<Utc>>,
    /// The URI of the resource.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// The version (an entity tag, `W/"…"`) of the resource.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

impl Meta {
    /// Metadata naming only the resource type.
    pub fn for_resource_type(resource_type: impl Into<String>) -> Self {
        Self {
            resource_type: Some(resource_type.into()),
            ..Self::default()
        }
    }
}
