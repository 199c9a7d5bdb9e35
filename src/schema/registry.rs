//! [`SchemaRegistry`]: the schemas a service knows, and case-insensitive, URN-aware lookup of
//! attribute definitions by path.

use std::borrow::Cow;
use std::sync::Arc;

use serde::Deserialize as _;
use serde_json::{Map, Value};

use super::builtin::{COMMON, STANDARD};
use super::{Attribute, Schema};
use crate::error::ScimError;

/// The schemas and resource types a service knows.
///
/// [`SchemaRegistry::default()`] holds the RFC 7643 §8.7.1 definitions of User, Group and the
/// Enterprise User extension, and the resource types `User` (with the extension) and `Group`.
/// Custom schemas and extensions are added with [`register`](Self::register) or from the JSON a
/// service provider's `/Schemas` endpoint returns ([`register_json`](Self::register_json)).
///
/// The common attributes of RFC 7643 §3.1 (`id`, `externalId`, `meta`, `schemas`) are always
/// known. Lookups ignore ASCII case (RFC 7643 §2.1) and allocate nothing.
///
/// ```
/// use scimkit::SchemaRegistry;
/// use scimkit::schema::AttrType;
///
/// let schemas = SchemaRegistry::default();
/// assert_eq!(schemas.attribute("name.givenName").unwrap().name(), "givenName");
/// assert!(schemas.attribute("emails.value").is_some());
///
/// let manager = schemas
///     .resolve("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value")
///     .unwrap();
/// assert!(manager.extension);
/// assert_eq!(manager.attribute.name(), "manager");
/// assert_eq!(manager.leaf().kind(), AttrType::String);
/// ```
///
/// # Resource-type scope
///
/// An unscoped registry resolves an unqualified name in the first core schema that defines
/// it, whatever the resource: `userName` resolves although a Group has no such attribute.
/// [`scoped`](Self::scoped) gives a view confined to one resource type, its core schema and
/// its declared extensions, which everything taking a `&SchemaRegistry` (PATCH, filters,
/// `sortBy`, projections) then honours: an attribute of another resource type is as unknown as
/// `foo`. A core URN of another resource type (`urn:…:core:2.0:Group:displayName` on a User)
/// names no attribute of the resource either (RFC 7644 §3.10: the URN says which schema the
/// attribute belongs to), so it does not resolve. The view shares the schemas (no copy).
///
/// Where the resource is at hand the scope is derived from its `schemas`
/// ([`for_resource`](Self::for_resource)): [`Patcher`](crate::Patcher) and
/// [`Filter::matches`](crate::Filter::matches) do so when given an unscoped registry.
/// [`Filter::bind`](crate::Filter::bind), [`SortBy::new`](crate::query::SortBy::new),
/// [`Projection::new`](crate::query::Projection::new) and [`Query`](crate::query::Query)
/// see no resource when they resolve: give them a scoped registry.
/// [`Provider`](crate::provider::Provider) scopes every request to its resource type.
///
/// ```
/// use scimkit::SchemaRegistry;
///
/// let schemas = SchemaRegistry::default();
/// assert!(schemas.attribute("userName").is_some());
/// let groups = schemas.scoped("Group").unwrap();
/// assert_eq!(groups.scope(), Some("Group"));
/// assert!(groups.attribute("userName").is_none());
/// assert!(groups.attribute("members.value").is_some());
/// assert!(groups.attribute("urn:ietf:params:scim:schemas:core:2.0:User:userName").is_none());
/// let users = schemas.scoped("User").unwrap();
/// assert!(users.attribute("members").is_none());
/// assert!(users
///     .attribute("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department")
///     .is_some());
/// ```
#[derive(Debug, Clone)]
pub struct SchemaRegistry {
    /// Shared, so that a scoped view costs a reference count; registration copies on write.
    data: Arc<Data>,
    /// The resource type (an index into `data.resource_types`) lookups are confined to.
    scope: Option<usize>,
}

#[derive(Debug, Clone)]
struct Data {
    schemas: Vec<Schema>,
    /// [`is_extension`](SchemaRegistry::is_extension) of each schema, kept up to date by the
    /// two registration methods: resolving a path then costs no URN comparison.
    extension: Vec<bool>,
    resource_types: Vec<ResourceTypeEntry>,
}

#[derive(Debug, Clone)]
struct ResourceTypeEntry {
    name: String,
    schema: String,
    extensions: Vec<String>,
    /// Indices into `schemas` of the core schema and the declared extensions registered, kept
    /// up to date with `extension`.
    members: Vec<usize>,
}

/// What an attribute path resolved to: the schema and the attribute definitions along it.
#[derive(Debug, Clone, Copy)]
pub struct Resolved<'a> {
    /// The schema defining the attribute; `None` for the common attributes (`id`, `externalId`,
    /// `meta`, `schemas`).
    pub schema: Option<&'a Schema>,
    /// Whether the schema is an extension: the value then lives in the resource under the
    /// extension's URN (`resource["urn:…:enterprise:2.0:User"]["manager"]`).
    pub extension: bool,
    /// The top-level attribute.
    pub attribute: &'a Attribute,
    /// The sub-attribute, when the path names one.
    pub sub_attribute: Option<&'a Attribute>,
}

impl<'a> Resolved<'a> {
    /// The definition the path ends at: the sub-attribute if there is one, else the attribute.
    pub fn leaf(&self) -> &'a Attribute {
        self.sub_attribute.unwrap_or(self.attribute)
    }
}

impl Default for SchemaRegistry {
    /// The RFC 7643 User, Group and Enterprise User schemas.
    fn default() -> Self {
        Self::standard().clone()
    }
}

impl SchemaRegistry {
    /// A registry with no schemas (the common attributes are still known).
    pub fn new() -> Self {
        Self {
            data: Arc::new(Data {
                schemas: Vec::new(),
                extension: Vec::new(),
                resource_types: Vec::new(),
            }),
            scope: None,
        }
    }

    /// A shared, read-only copy of the default registry, built once.
    pub fn standard() -> &'static Self {
        &STANDARD
    }

    /// Adds a schema, replacing one with the same URN.
    pub fn register(&mut self, schema: Schema) {
        let data = Arc::make_mut(&mut self.data);
        match data
            .schemas
            .iter_mut()
            .find(|s| s.id.eq_ignore_ascii_case(&schema.id))
        {
            Some(existing) => *existing = schema,
            None => data.schemas.push(schema),
        }
        self.refresh_extensions();
    }

    fn refresh_extensions(&mut self) {
        let flags = self
            .data
            .schemas
            .iter()
            .map(|s| self.is_extension(s.id()))
            .collect();
        let data = Arc::make_mut(&mut self.data);
        data.extension = flags;
        let schemas = &data.schemas;
        let index = |urn: &str| schemas.iter().position(|s| s.id.eq_ignore_ascii_case(urn));
        for r in &mut data.resource_types {
            r.members = std::iter::once(r.schema.as_str())
                .chain(r.extensions.iter().map(String::as_str))
                .filter_map(index)
                .collect();
        }
    }

    /// Adds the schemas in a `/Schemas` response: one schema representation, an array of them,
    /// or a `ListResponse` whose `Resources` are schemas. Returns how many were added.
    ///
    /// A representation that is not a schema is `400 invalidSyntax`; nothing is added then.
    pub fn register_json(&mut self, json: &Value) -> Result<usize, ScimError> {
        let items: &[Value] = match json {
            Value::Array(items) => items,
            Value::Object(o) => match o.get("Resources") {
                Some(Value::Array(items)) => items,
                Some(_) => {
                    return Err(ScimError::invalid_syntax("`Resources` is not an array"));
                }
                None => std::slice::from_ref(json),
            },
            _ => {
                return Err(ScimError::invalid_syntax(
                    "expected a schema representation",
                ));
            }
        };
        let parsed = items
            .iter()
            .map(Schema::deserialize_checked)
            .collect::<Result<Vec<_>, _>>()?;
        let n = parsed.len();
        for s in parsed {
            self.register(s);
        }
        Ok(n)
    }

    /// Declares a resource type: its name (`"User"`), its core schema URN and its extensions'
    /// URNs. Extensions decide where attribute values live (under the extension's URN).
    pub fn register_resource_type(&mut self, name: &str, schema: &str, extensions: &[&str]) {
        let entry = ResourceTypeEntry {
            name: name.to_owned(),
            schema: schema.to_owned(),
            extensions: extensions.iter().map(|&e| e.to_owned()).collect(),
            members: Vec::new(),
        };
        let data = Arc::make_mut(&mut self.data);
        match data
            .resource_types
            .iter_mut()
            .find(|r| r.name.eq_ignore_ascii_case(name))
        {
            Some(existing) => *existing = entry,
            None => data.resource_types.push(entry),
        }
        self.refresh_extensions();
    }

    /// The schema with this URN, ignoring ASCII case.
    pub fn schema(&self, id: &str) -> Option<&Schema> {
        self.data
            .schemas
            .iter()
            .find(|s| s.id.eq_ignore_ascii_case(id))
    }

    /// Every registered schema, in registration order.
    pub fn schemas(&self) -> impl Iterator<Item = &Schema> {
        self.data.schemas.iter()
    }

    /// The core schema URN and extension URNs of a resource type (`"User"`), ignoring case.
    pub fn resource_type(&self, name: &str) -> Option<(&str, impl Iterator<Item = &str>)> {
        self.data
            .resource_types
            .iter()
            .find(|r| r.name.eq_ignore_ascii_case(name))
            .map(|r| (r.schema.as_str(), r.extensions.iter().map(String::as_str)))
    }

    /// The names of the declared resource types (`"User"`, `"Group"`), in declaration order.
    pub fn resource_type_names(&self) -> impl Iterator<Item = &str> {
        self.data.resource_types.iter().map(|r| r.name.as_str())
    }

    /// A view of this registry confined to the resource type `name` (ignoring case): its core
    /// schema, its declared extensions and the common attributes; `None` for an undeclared
    /// resource type. See [Resource-type scope](Self#resource-type-scope).
    pub fn scoped(&self, name: &str) -> Option<Self> {
        let i = self
            .data
            .resource_types
            .iter()
            .position(|r| r.name.eq_ignore_ascii_case(name))?;
        Some(Self {
            data: Arc::clone(&self.data),
            scope: Some(i),
        })
    }

    /// This registry without its scope: every schema resolves again.
    pub fn unscoped(&self) -> Self {
        Self {
            data: Arc::clone(&self.data),
            scope: None,
        }
    }

    /// The resource type this view is confined to, if any.
    pub fn scope(&self) -> Option<&str> {
        Some(self.data.resource_types.get(self.scope?)?.name.as_str())
    }

    /// This registry scoped to the resource type of `resource`: the one whose core schema the
    /// resource's `schemas` lists. A scoped registry, or a resource whose `schemas` names no
    /// declared resource type's core schema, is returned as it is.
    pub fn for_resource(&self, resource: &Value) -> Cow<'_, Self> {
        match resource.as_object().and_then(|o| self.scope_of(o)) {
            Some(i) if self.scope.is_none() => Cow::Owned(Self {
                data: Arc::clone(&self.data),
                scope: Some(i),
            }),
            _ => Cow::Borrowed(self),
        }
    }

    /// The scope lookups for `resource` use: this registry's, else the one its `schemas`
    /// derives (see [`for_resource`](Self::for_resource)).
    pub(crate) fn scope_of(&self, obj: &Map<String, Value>) -> Option<usize> {
        if self.scope.is_some() {
            return self.scope;
        }
        let list = obj.get("schemas").or_else(|| {
            obj.iter()
                .find_map(|(k, v)| k.eq_ignore_ascii_case("schemas").then_some(v))
        })?;
        list.as_array()?
            .iter()
            .filter_map(Value::as_str)
            .find_map(|urn| {
                self.data
                    .resource_types
                    .iter()
                    .position(|r| r.schema.eq_ignore_ascii_case(urn))
            })
    }

    /// Whether schema `urn` belongs to this registry's scope (always, unscoped).
    pub fn in_scope(&self, urn: &str) -> bool {
        self.scope_holds(self.scope, urn)
    }

    /// Whether schema `urn` belongs to `scope` (always, for `None`).
    pub(crate) fn scope_holds(&self, scope: Option<usize>, urn: &str) -> bool {
        self.scope_members(scope).is_none_or(|m| {
            m.iter()
                .any(|&i| self.data.schemas[i].id.eq_ignore_ascii_case(urn))
        })
    }

    fn scope_members(&self, scope: Option<usize>) -> Option<&[usize]> {
        Some(&self.data.resource_types.get(scope?)?.members)
    }

    /// Whether the schema is an extension: declared as one by a resource type, or, for a schema
    /// no resource type mentions, a URN with an `extension` segment.
    pub fn is_extension(&self, schema_id: &str) -> bool {
        let mut mentioned = false;
        for r in &self.data.resource_types {
            if r.extensions
                .iter()
                .any(|e| e.eq_ignore_ascii_case(schema_id))
            {
                return true;
            }
            mentioned |= r.schema.eq_ignore_ascii_case(schema_id);
        }
        !mentioned
            && schema_id
                .split(':')
                .any(|seg| seg.eq_ignore_ascii_case("extension"))
    }

    /// Resolves `attr`, `attr.sub`, `urn:…:attr` or `urn:…:attr.sub`, ignoring ASCII case.
    ///
    /// An unqualified name is looked up among the common attributes, then in each core
    /// (non-extension) schema in registration order, or only in the scope's core schema for a
    /// [scoped](Self::scoped) view; extension attributes need their URN (RFC 7644 §3.10), and a
    /// scoped view knows only the scope's schemas. Returns `None` for an attribute no schema
    /// (of the scope) defines.
    pub fn resolve(&self, path: &str) -> Option<Resolved<'_>> {
        self.resolve_str_in(self.scope, path)
    }

    /// [`resolve`](Self::resolve) confined to `scope` (see [`resolve_in`](Self::resolve_in)).
    pub(crate) fn resolve_str_in(&self, scope: Option<usize>, path: &str) -> Option<Resolved<'_>> {
        let (urn, rest) = match self.urn_prefix(path) {
            Some(urn) => (Some(urn), &path[urn.len() + 1..]),
            None => (None, path),
        };
        let (name, sub) = match rest.split_once('.') {
            Some((name, sub)) => (name, Some(sub)),
            None => (rest, None),
        };
        self.resolve_in(scope, urn, name, sub)
    }

    /// Resolves a path already split by a parser into an optional schema URN, an attribute name
    /// and an optional sub-attribute name.
    pub fn resolve_parts(
        &self,
        urn: Option<&str>,
        name: &str,
        sub: Option<&str>,
    ) -> Option<Resolved<'_>> {
        self.resolve_in(self.scope, urn, name, sub)
    }

    /// [`resolve_parts`](Self::resolve_parts) confined to `scope` (a resource type's index;
    /// `None`: every schema), whatever this registry's own scope.
    pub(crate) fn resolve_in(
        &self,
        scope: Option<usize>,
        urn: Option<&str>,
        name: &str,
        sub: Option<&str>,
    ) -> Option<Resolved<'_>> {
        let data = &*self.data;
        let members = self.scope_members(scope);
        let visible = |i: usize| members.is_none_or(|m| m.contains(&i));
        let (schema, extension, attribute) = match urn {
            Some(urn) => {
                let i = data
                    .schemas
                    .iter()
                    .position(|s| s.id.eq_ignore_ascii_case(urn))
                    .filter(|&i| visible(i))?;
                let (schema, extension) = (&data.schemas[i], data.extension[i]);
                match schema.attribute(name) {
                    Some(a) => (Some(schema), extension, a),
                    None if !extension => (None, false, COMMON.attribute(name)?),
                    None => return None,
                }
            }
            None => match COMMON.attribute(name) {
                Some(a) => (None, false, a),
                // Extension attributes need their URN (RFC 7644 §3.10).
                None => data
                    .schemas
                    .iter()
                    .zip(&data.extension)
                    .enumerate()
                    .find_map(|(i, (s, &ext))| {
                        let core = !ext && visible(i);
                        Some((Some(s), false, core.then_some(s)?.attribute(name)?))
                    })?,
            },
        };
        let sub_attribute = match sub {
            Some(sub) => Some(attribute.sub_attribute(sub)?),
            None => None,
        };
        Some(Resolved {
            schema,
            extension,
            attribute,
            sub_attribute,
        })
    }

    /// The definition a path ends at (see [`resolve`](Self::resolve)).
    pub fn attribute(&self, path: &str) -> Option<&Attribute> {
        self.resolve(path).map(|r| r.leaf())
    }

    /// The longest registered schema URN that prefixes `path` and is followed by `:`.
    fn urn_prefix<'p>(&self, path: &'p str) -> Option<&'p str> {
        if !path.get(..4)?.eq_ignore_ascii_case("urn:") {
            return None;
        }
        let schemas = &self.data.schemas;
        schemas
            .iter()
            .map(|s| s.id.len())
            .filter(|&n| {
                path.as_bytes().get(n) == Some(&b':')
                    && path
                        .get(..n)
                        .is_some_and(|p| schemas.iter().any(|s| s.id.eq_ignore_ascii_case(p)))
            })
            .max()
            .map(|n| &path[..n])
    }
}

impl Schema {
    /// Deserializes a schema representation, mapping failure to `400 invalidSyntax`.
    fn deserialize_checked(v: &Value) -> Result<Self, ScimError> {
        Self::deserialize(v).map_err(|e| ScimError::invalid_syntax(format!("not a schema: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{
        AttrType, ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, Mutability, Returned, USER_SCHEMA,
        Uniqueness,
    };
    use serde_json::json;

    #[track_caller]
    fn leaf<'a>(r: &'a SchemaRegistry, path: &str) -> &'a Attribute {
        r.attribute(path)
            .unwrap_or_else(|| panic!("{path} should resolve"))
    }

    #[test]
    fn core_sub_and_urn_paths_resolve() {
        let r = SchemaRegistry::default();
        for (path, name) in [
            ("userName", "userName"),
            ("USERNAME", "userName"),
            ("name.givenName", "givenName"),
            ("Name.GIVENNAME", "givenName"),
            ("emails.value", "value"),
            ("members.$ref", "$ref"),
            (
                "urn:ietf:params:scim:schemas:core:2.0:User:userName",
                "userName",
            ),
            (
                "URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER:name.familyName",
                "familyName",
            ),
            (
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
                "employeeNumber",
            ),
            (
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value",
                "value",
            ),
            ("meta.lastModified", "lastModified"),
            ("urn:ietf:params:scim:schemas:core:2.0:User:id", "id"),
        ] {
            assert_eq!(leaf(&r, path).name(), name, "{path}");
        }
    }

    #[test]
    fn unknown_and_misplaced_paths_do_not_resolve() {
        let r = SchemaRegistry::default();
        for path in [
            "nope",
            "name.nope",
            "employeeNumber", // extension attributes need their URN
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:userName",
            "urn:unknown:schema:attr",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
            "",
            "urn:",
        ] {
            assert!(r.resolve(path).is_none(), "{path}");
        }
    }

    #[test]
    fn resolution_reports_where_values_live() {
        let r = SchemaRegistry::default();
        let id = r.resolve("id").unwrap();
        assert!(id.schema.is_none() && !id.extension);
        let dept = r
            .resolve("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department")
            .unwrap();
        assert!(dept.extension);
        assert_eq!(dept.schema.unwrap().id(), ENTERPRISE_USER_SCHEMA);
        let members = r.resolve("members.value").unwrap();
        assert_eq!(members.schema.unwrap().id(), GROUP_SCHEMA);
        assert_eq!(members.attribute.name(), "members");
        assert!(r.is_extension(ENTERPRISE_USER_SCHEMA));
        assert!(!r.is_extension(USER_SCHEMA));
    }

    #[test]
    fn rfc7643_characteristics() {
        let r = SchemaRegistry::default();
        let user_name = leaf(&r, "userName");
        assert!(user_name.required() && !user_name.case_exact());
        assert_eq!(user_name.uniqueness(), Uniqueness::Server);
        assert!(leaf(&r, "id").case_exact());
        assert!(leaf(&r, "externalId").case_exact());
        assert_eq!(leaf(&r, "id").returned(), Returned::Always);
        assert_eq!(leaf(&r, "password").returned(), Returned::Never);
        assert_eq!(leaf(&r, "password").mutability(), Mutability::WriteOnly);
        assert_eq!(leaf(&r, "groups").mutability(), Mutability::ReadOnly);
        assert_eq!(leaf(&r, "meta.created").kind(), AttrType::DateTime);
        assert_eq!(leaf(&r, "active").kind(), AttrType::Boolean);
        assert!(leaf(&r, "emails").multi_valued());
        assert_eq!(leaf(&r, "emails").kind(), AttrType::Complex);
        assert_eq!(
            leaf(&r, "emails.type").canonical_values(),
            ["work", "home", "other"]
        );
        assert_eq!(
            leaf(&r, "members.value").mutability(),
            Mutability::Immutable
        );
        assert_eq!(leaf(&r, "x509Certificates.value").kind(), AttrType::Binary);
        assert_eq!(leaf(&r, "profileUrl").reference_types(), ["external"]);
        assert!(leaf(&r, "schemas").multi_valued());
    }

    #[test]
    fn custom_schemas_from_a_schemas_endpoint() {
        let mut r = SchemaRegistry::default();
        let body = json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
            "totalResults": 1,
            "Resources": [{
                "id": "urn:example:params:scim:schemas:extension:acme:2.0:User",
                "name": "AcmeUser",
                "attributes": [
                    {"name": "badge", "type": "string", "caseExact": true},
                    {"name": "level", "type": "integer"}
                ]
            }]
        });
        assert_eq!(r.register_json(&body), Ok(1));
        let badge = r
            .resolve("urn:example:params:scim:schemas:extension:acme:2.0:User:BADGE")
            .unwrap();
        assert!(badge.extension && badge.leaf().case_exact());
        assert_eq!(
            leaf(
                &r,
                "urn:example:params:scim:schemas:extension:acme:2.0:User:level"
            )
            .kind(),
            AttrType::Integer
        );
        // Registering again replaces rather than duplicates.
        assert_eq!(r.register_json(&body["Resources"]), Ok(1));
        assert_eq!(r.schemas().count(), 4);
        let err = r.register_json(&json!([{"attributes": []}])).unwrap_err();
        assert_eq!(err.scim_type, Some(crate::ScimType::InvalidSyntax));
        assert!(r.register_json(&json!("x")).is_err());
    }

    #[test]
    fn a_scope_holds_the_type_and_its_declared_extensions_whatever_the_order() {
        let mut r = SchemaRegistry::new();
        // The resource type before its schemas: the scope follows later registrations.
        r.register_resource_type("Device", "urn:example:Device", &["urn:example:ext:Tag"]);
        let before = r.scoped("Device").unwrap();
        r.register(Schema::new(
            "urn:example:Device",
            vec![Attribute::new("serial", AttrType::String)],
        ));
        r.register(Schema::new(
            "urn:example:ext:Tag",
            vec![Attribute::new("label", AttrType::String)],
        ));
        r.register(Schema::new(
            "urn:example:Other",
            vec![Attribute::new("color", AttrType::String)],
        ));
        r.register_resource_type("Other", "urn:example:Other", &[]);
        let device = r.scoped("DEVICE").unwrap();
        assert!(device.attribute("serial").is_some());
        assert!(device.attribute("urn:example:ext:Tag:label").is_some());
        assert!(device.attribute("color").is_none());
        assert!(device.attribute("urn:example:Other:color").is_none());
        assert!(device.in_scope("urn:example:ext:tag") && !device.in_scope("urn:example:Other"));
        assert!(r.attribute("color").is_some());
        // A view is a snapshot: what was registered after it is not in it.
        assert!(before.attribute("serial").is_none());
        let other = r.scoped("Other").unwrap();
        assert!(other.attribute("urn:example:ext:Tag:label").is_none());
        let of = |schemas: &str| {
            r.for_resource(&json!({ "schemas": [schemas] }))
                .scope()
                .map(str::to_owned)
        };
        assert_eq!(of("urn:example:device").as_deref(), Some("Device"));
        assert_eq!(of("urn:example:ext:Tag"), None);
    }

    #[test]
    fn a_custom_core_schema_and_resource_type() {
        let mut r = SchemaRegistry::new();
        r.register(Schema::new(
            "urn:example:Device",
            vec![Attribute::new("serial", AttrType::String).with_case_exact(true)],
        ));
        r.register_resource_type("Device", "urn:example:Device", &[]);
        assert!(r.attribute("serial").unwrap().case_exact());
        assert!(r.attribute("userName").is_none());
        assert_eq!(
            r.resource_type("device").map(|(s, _)| s),
            Some("urn:example:Device")
        );
        assert!(r.attribute("id").is_some());
    }
}
