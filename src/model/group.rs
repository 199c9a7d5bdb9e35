//! The Group resource (RFC 7643 §4.2).

use super::resource::value_conversions;
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use super::resource::{Fields, put, put_extra, read_resource, wire_schemas};
use super::user::extension_keys;
use super::{Member, Meta};
use crate::error::ScimError;
use crate::schema::{GROUP_SCHEMA, SchemaRegistry};

/// A SCIM Group (RFC 7643 §4.2): a display name and a list of members.
///
/// It reads and writes JSON by the same rules as [`User`](super::User): case-insensitive
/// attribute names, unknown attributes and extensions kept in [`extra`](Self::extra),
/// unassigned attributes left out, `schemas` kept consistent.
///
/// ```
/// use scimkit::Group;
/// use scimkit::model::Member;
///
/// let mut group = Group::new("Tour Guides");
/// group.add_member(Member::new("2819c223-7f76-453a-919d-413861904646").with_display("Babs Jensen"));
/// assert_eq!(group.to_value(), serde_json::json!({
///     "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
///     "displayName": "Tour Guides",
///     "members": [{"value": "2819c223-7f76-453a-919d-413861904646", "display": "Babs Jensen"}],
/// }));
///
/// let back: Group = serde_json::from_str(r#"{"DisplayName": "Tour Guides", "MEMBERS": [{"VALUE": "x"}]}"#)?;
/// assert_eq!(back.member_ids().collect::<Vec<_>>(), ["x"]);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Group {
    /// The schema URNs as declared. Writing adds the core URN and the URN of each extension
    /// present when missing.
    pub schemas: Vec<String>,
    /// The service provider's identifier (`id`, read-only).
    pub id: Option<String>,
    /// The provisioning client's identifier (`externalId`).
    pub external_id: Option<String>,
    /// Resource metadata (`meta`, read-only).
    pub meta: Option<Meta>,
    /// The name to display (`displayName`). Empty means unassigned and is not written.
    pub display_name: String,
    /// The members (`members`): users or groups, by `id`.
    pub members: Option<Vec<Member>>,
    /// Attributes and extension objects the model does not know, kept as sent.
    pub extra: Map<String, Value>,
}

impl Default for Group {
    /// A group with no attribute set but `schemas` (the core Group URN).
    fn default() -> Self {
        Self {
            schemas: vec![GROUP_SCHEMA.to_owned()],
            id: None,
            external_id: None,
            meta: None,
            display_name: String::new(),
            members: None,
            extra: Map::new(),
        }
    }
}

impl Group {
    /// A group with this `displayName` and the core schema URN.
    pub fn new(display_name: impl Into<String>) -> Self {
        Self {
            display_name: display_name.into(),
            ..Self::default()
        }
    }

    /// Reads a group from JSON, with attribute names as `registry` spells them. Errors are
    /// `400 invalidSyntax`.
    pub fn from_value_with(value: Value, registry: &SchemaRegistry) -> Result<Self, ScimError> {
        let fields = read_resource(value, registry, GROUP_SCHEMA)?;
        Ok(Self::from_fields(fields)?)
    }

    /// Reads a group from JSON with the standard schemas.
    pub fn from_value(value: Value) -> Result<Self, ScimError> {
        Self::from_value_with(value, SchemaRegistry::standard())
    }

    /// The JSON representation.
    pub fn to_value(&self) -> Value {
        // Infallible: every member is representable as JSON.
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// Adds a member.
    pub fn add_member(&mut self, member: Member) {
        self.members.get_or_insert_with(Vec::new).push(member);
    }

    /// The `value` (the `id`) of each member that has one.
    pub fn member_ids(&self) -> impl Iterator<Item = &str> {
        self.members
            .iter()
            .flatten()
            .filter_map(|m| m.value.as_deref())
    }

    /// The object of an extension the model does not know, by URN (ignoring ASCII case).
    pub fn extension(&self, urn: &str) -> Option<&Value> {
        self.extra
            .iter()
            .find_map(|(k, v)| k.eq_ignore_ascii_case(urn).then_some(v))
    }

    /// The schema URNs this group is written with: [`schemas`](Self::schemas) plus the core URN
    /// and the URN of each extension present, when missing.
    pub fn effective_schemas(&self) -> Vec<&str> {
        wire_schemas(&self.schemas, GROUP_SCHEMA, extension_keys(&self.extra))
    }

    fn from_fields(mut f: Fields) -> Result<Self, serde_json::Error> {
        Ok(Self {
            schemas: f.take_schemas()?,
            id: f.take("id")?,
            external_id: f.take("externalId")?,
            meta: f.take("meta")?,
            display_name: f.take("displayName")?.unwrap_or_default(),
            members: f.take_multi("members")?,
            extra: f.rest(),
        })
    }
}

impl Serialize for Group {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        let schemas = self.effective_schemas();
        put(&mut m, "schemas", (!schemas.is_empty()).then_some(&schemas))?;
        put(&mut m, "id", self.id.as_ref())?;
        put(&mut m, "externalId", self.external_id.as_ref())?;
        put(
            &mut m,
            "displayName",
            (!self.display_name.is_empty()).then_some(&self.display_name),
        )?;
        put(&mut m, "members", self.members.as_ref())?;
        let registry = SchemaRegistry::standard();
        put_extra(&mut m, &self.extra, |k| {
            registry
                .resolve_parts(Some(GROUP_SCHEMA), k, None)
                .is_some()
        })?;
        put(&mut m, "meta", self.meta.as_ref())?;
        m.end()
    }
}

impl<'de> Deserialize<'de> for Group {
    /// Reads names case-insensitively by the standard schemas (see [`Group`]).
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let fields = read_resource(d, SchemaRegistry::standard(), GROUP_SCHEMA)?;
        Self::from_fields(fields).map_err(serde::de::Error::custom)
    }
}

value_conversions!(Group);
