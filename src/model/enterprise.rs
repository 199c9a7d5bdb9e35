//! The Enterprise User extension (RFC 7643 §4.3).

use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use super::resource::{Fields, put, put_extra, read_extension};
use crate::schema::{ENTERPRISE_USER_SCHEMA, SchemaRegistry};

/// The Enterprise User extension (RFC 7643 §4.3): attributes common to users of a business.
///
/// On a [`User`](super::User) it lives in
/// [`enterprise`](super::User::enterprise), written under the key
/// `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`. Attribute names are read
/// case-insensitively, and attributes the model does not know are kept in
/// [`extra`](Self::extra).
///
/// ```
/// use scimkit::EnterpriseUser;
/// use scimkit::model::Manager;
///
/// let ext: EnterpriseUser = serde_json::from_value(serde_json::json!({
///     "EMPLOYEENUMBER": "701984",
///     "manager": {"value": "26118915-6090-4610-87e4-49d8ca9f808d", "displayName": "John Smith"},
/// }))?;
/// assert_eq!(ext.employee_number.as_deref(), Some("701984"));
/// assert_eq!(ext.manager, Some(Manager::new("26118915-6090-4610-87e4-49d8ca9f808d")
///     .with_display_name("John Smith")));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct EnterpriseUser {
    /// A numeric or alphanumeric identifier assigned by the organization (`employeeNumber`).
    pub employee_number: Option<String>,
    /// The cost center (`costCenter`).
    pub cost_center: Option<String>,
    /// The organization (`organization`).
    pub organization: Option<String>,
    /// The division (`division`).
    pub division: Option<String>,
    /// The department (`department`).
    pub department: Option<String>,
    /// The user's manager (`manager`).
    pub manager: Option<Manager>,
    /// Attributes the model does not know, kept as sent.
    pub extra: Map<String, Value>,
}

/// The manager of an enterprise user (RFC 7643 §4.3 `manager`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Manager {
    /// The `id` of the manager's User resource.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The URI of the manager's User resource (`$ref`).
    #[serde(rename = "$ref", default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// The manager's display name (read-only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Sub-attributes the model does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Manager {
    /// A manager given by the `id` of their User resource.
    pub fn new(value: impl Into<String>) -> Self {
        Self {
            value: Some(value.into()),
            ..Self::default()
        }
    }

    /// Sets `$ref`.
    #[must_use]
    pub fn with_ref(mut self, reference: impl Into<String>) -> Self {
        self.reference = Some(reference.into());
        self
    }

    /// Sets `displayName`.
    #[must_use]
    pub fn with_display_name(mut self, display_name: impl Into<String>) -> Self {
        self.display_name = Some(display_name.into());
        self
    }
}

impl EnterpriseUser {
    /// The schema URN of the extension, which is also its key in a User.
    pub const SCHEMA: &'static str = ENTERPRISE_USER_SCHEMA;

    /// An extension with no attribute set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether no attribute is set.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Reads an extension object, with attribute names as `registry` spells them.
    pub fn from_value_with(
        value: Value,
        registry: &SchemaRegistry,
    ) -> Result<Self, crate::ScimError> {
        let fields = read_extension(value, registry, Self::SCHEMA)?;
        Ok(Self::from_fields(fields)?)
    }

    pub(crate) fn from_fields(mut f: Fields) -> Result<Self, serde_json::Error> {
        Ok(Self {
            employee_number: f.take("employeeNumber")?,
            cost_center: f.take("costCenter")?,
            organization: f.take("organization")?,
            division: f.take("division")?,
            department: f.take("department")?,
            manager: f.take("manager")?,
            extra: f.rest(),
        })
    }
}

impl Serialize for EnterpriseUser {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        put(&mut m, "employeeNumber", self.employee_number.as_ref())?;
        put(&mut m, "costCenter", self.cost_center.as_ref())?;
        put(&mut m, "organization", self.organization.as_ref())?;
        put(&mut m, "division", self.division.as_ref())?;
        put(&mut m, "department", self.department.as_ref())?;
        put(&mut m, "manager", self.manager.as_ref())?;
        let schema = SchemaRegistry::standard().schema(Self::SCHEMA);
        put_extra(&mut m, &self.extra, |k| {
            schema.is_some_and(|s| s.attribute(k).is_some())
        })?;
        m.end()
    }
}

impl<'de> Deserialize<'de> for EnterpriseUser {
    /// Reads attribute names case-insensitively (RFC 7643 §2.1), by the standard schema.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let fields = read_extension(d, SchemaRegistry::standard(), Self::SCHEMA)?;
        Self::from_fields(fields).map_err(serde::de::Error::custom)
    }
}
