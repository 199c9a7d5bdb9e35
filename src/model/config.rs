//! Discovery resources (RFC 7643 §5, §6): [`ServiceProviderConfig`] and [`ResourceType`].

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::Meta;

/// The schema URN of a service provider configuration.
pub const SERVICE_PROVIDER_CONFIG_SCHEMA: &str =
    "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
/// The schema URN of a resource type.
pub const RESOURCE_TYPE_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";

fn config_schemas() -> Vec<String> {
    vec![SERVICE_PROVIDER_CONFIG_SCHEMA.to_owned()]
}

fn resource_type_schemas() -> Vec<String> {
    vec![RESOURCE_TYPE_SCHEMA.to_owned()]
}

/// What a service provider supports (RFC 7643 §5), served at `/ServiceProviderConfig`.
///
/// A block a server leaves out reads as unsupported.
///
/// ```
/// use scimkit::model::ServiceProviderConfig;
///
/// let mut config = ServiceProviderConfig::default();
/// config.patch.supported = true;
/// config.filter.supported = true;
/// config.filter.max_results = 200;
/// let json = serde_json::to_value(&config)?;
/// assert_eq!(json["filter"], serde_json::json!({"supported": true, "maxResults": 200}));
/// assert_eq!(json["bulk"]["supported"], false);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ServiceProviderConfig {
    /// The resource's schema URNs.
    #[serde(default = "config_schemas")]
    pub schemas: Vec<String>,
    /// A URL of human-readable help.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub documentation_uri: Option<String>,
    /// PATCH support (RFC 7644 §3.5.2).
    #[serde(default)]
    pub patch: Supported,
    /// Bulk support and limits (RFC 7644 §3.7).
    #[serde(default)]
    pub bulk: BulkConfig,
    /// Filter support and limits (RFC 7644 §3.4.2.2).
    #[serde(default)]
    pub filter: FilterConfig,
    /// Password change support.
    #[serde(default)]
    pub change_password: Supported,
    /// Sorting support (RFC 7644 §3.4.2.3).
    #[serde(default)]
    pub sort: Supported,
    /// Entity tag support (RFC 7644 §3.14).
    #[serde(default)]
    pub etag: Supported,
    /// The authentication schemes accepted.
    #[serde(default)]
    pub authentication_schemes: Vec<AuthenticationScheme>,
    /// RFC 9865 §4: the paging methods offered and their limits; absent says nothing (a
    /// client must not read its absence as "no limits").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination: Option<PaginationConfig>,
    /// Resource metadata.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    /// Attributes the model does not know (vendor additions), kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Default for ServiceProviderConfig {
    /// Nothing supported, no authentication scheme.
    fn default() -> Self {
        Self {
            schemas: config_schemas(),
            documentation_uri: None,
            patch: Supported::default(),
            bulk: BulkConfig::default(),
            filter: FilterConfig::default(),
            change_password: Supported::default(),
            sort: Supported::default(),
            etag: Supported::default(),
            authentication_schemes: Vec::new(),
            pagination: None,
            meta: None,
            extra: Map::new(),
        }
    }
}

/// A feature block with only `supported` (patch, changePassword, sort, etag).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Supported {
    /// Whether the feature is supported.
    pub supported: bool,
}

impl Supported {
    /// A block saying whether the feature is supported.
    pub const fn new(supported: bool) -> Self {
        Self { supported }
    }
}

/// The `bulk` block: support and limits of bulk requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BulkConfig {
    /// Whether bulk requests are supported.
    pub supported: bool,
    /// The most operations a request may hold.
    #[serde(default)]
    pub max_operations: u64,
    /// The largest request body, in bytes.
    #[serde(default)]
    pub max_payload_size: u64,
}

/// The `filter` block: support of filters and the most results a query returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FilterConfig {
    /// Whether filters are supported.
    pub supported: bool,
    /// The most resources a response returns.
    #[serde(default)]
    pub max_results: u64,
}

/// The `pagination` block (RFC 9865 §4): which paging methods a service offers, the one it
/// uses when a request names none, and its page and cursor limits.
///
/// ```
/// use scimkit::model::PaginationConfig;
///
/// let p = PaginationConfig::new(true, true).with_page_sizes(100, 1000).with_cursor_timeout(600);
/// assert_eq!(serde_json::to_value(&p)?, serde_json::json!({
///     "cursor": true, "index": true, "defaultPaginationMethod": "index",
///     "defaultPageSize": 100, "maxPageSize": 1000, "cursorTimeout": 600,
/// }));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PaginationConfig {
    /// Whether cursor paging (`cursor`, `nextCursor`) is offered.
    pub cursor: bool,
    /// Whether index paging (`startIndex`) is offered.
    pub index: bool,
    /// `"index"` or `"cursor"`: the method used when a request names neither.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_pagination_method: Option<String>,
    /// The page size when a request gives no `count`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_page_size: Option<u64>,
    /// The largest page, whatever `count` says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_page_size: Option<u64>,
    /// Seconds a cursor is guaranteed to stay valid between page requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor_timeout: Option<u64>,
}

impl PaginationConfig {
    /// A block offering these methods; the default method is `index` when index paging is
    /// offered, else `cursor`.
    pub fn new(cursor: bool, index: bool) -> Self {
        Self {
            cursor,
            index,
            default_pagination_method: Some(if index { "index" } else { "cursor" }.to_owned()),
            ..Self::default()
        }
    }

    /// Sets `defaultPageSize` and `maxPageSize`.
    #[must_use]
    pub fn with_page_sizes(mut self, default: u64, max: u64) -> Self {
        self.default_page_size = Some(default);
        self.max_page_size = Some(max);
        self
    }

    /// Sets `cursorTimeout`, in seconds.
    #[must_use]
    pub fn with_cursor_timeout(mut self, seconds: u64) -> Self {
        self.cursor_timeout = Some(seconds);
        self
    }
}

/// An authentication scheme a service provider accepts (RFC 7643 §5).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AuthenticationScheme {
    /// The scheme's kind: `oauth`, `oauth2`, `oauthbearertoken`, `httpbasic`, `httpdigest`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The common name (`OAuth Bearer Token`).
    pub name: String,
    /// A description.
    #[serde(default)]
    pub description: String,
    /// A URL of the scheme's specification.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spec_uri: Option<String>,
    /// A URL of the scheme's documentation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub documentation_uri: Option<String>,
    /// Whether this is the preferred scheme.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary: Option<bool>,
}

impl AuthenticationScheme {
    /// A scheme of this kind, name and description.
    pub fn new(
        kind: impl Into<String>,
        name: impl Into<String>,
        description: impl Into<String>,
    ) -> Self {
        Self {
            kind: kind.into(),
            name: name.into(),
            description: description.into(),
            ..Self::default()
        }
    }
}

/// A resource type (RFC 7643 §6), served at `/ResourceTypes`: its endpoint, core schema and
/// schema extensions.
///
/// ```
/// use scimkit::model::ResourceType;
///
/// let user = ResourceType::new("User", "/Users", "urn:ietf:params:scim:schemas:core:2.0:User")
///     .with_extension("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", true);
/// let json = serde_json::to_value(&user)?;
/// assert_eq!(json["schemaExtensions"][0]["required"], true);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ResourceType {
    /// The resource's schema URNs.
    #[serde(default = "resource_type_schemas")]
    pub schemas: Vec<String>,
    /// The identifier (usually the name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The name (`User`), used in `meta.resourceType`.
    pub name: String,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The endpoint, relative to the base URL (`/Users`).
    pub endpoint: String,
    /// The core schema URN.
    pub schema: String,
    /// The schema extensions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schema_extensions: Vec<SchemaExtension>,
    /// Resource metadata.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    /// Attributes the model does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ResourceType {
    /// A resource type with this name (also its `id`), endpoint and core schema.
    pub fn new(
        name: impl Into<String>,
        endpoint: impl Into<String>,
        schema: impl Into<String>,
    ) -> Self {
        let name = name.into();
        Self {
            schemas: resource_type_schemas(),
            id: Some(name.clone()),
            name,
            description: None,
            endpoint: endpoint.into(),
            schema: schema.into(),
            schema_extensions: Vec::new(),
            meta: None,
            extra: Map::new(),
        }
    }

    /// Adds a schema extension.
    #[must_use]
    pub fn with_extension(mut self, schema: impl Into<String>, required: bool) -> Self {
        self.schema_extensions.push(SchemaExtension {
            schema: schema.into(),
            required,
        });
        self
    }
}

/// A schema extension of a [`ResourceType`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SchemaExtension {
    /// The extension's schema URN.
    pub schema: String,
    /// Whether resources of the type must include the extension.
    pub required: bool,
}
