//! [`SchemaRegistry`]: the schemas a service knows, and case-insensitive, URN-aware lookup of
//! attribute definitions by path.

use serde::Deserialize as _;
use serde_json::Value;

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
#[derive(Debug, Clone)]
pub struct SchemaRegistry {
    schemas: Vec<Schema>,
    /// [`is_extension`](Self::is_extension) of each schema, kept up to date by the two
    /// registration methods: resolving a path then costs no URN comparison.
    extension: Vec<bool>,
    resource_types: Vec<ResourceTypeEntry>,
}

#[derive(Debug, Clone)]
struct ResourceTypeEntry {
    name: String,
    schema: String,
    extensions: Vec<String>,
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
            schemas: Vec::new(),
            extension: Vec::new(),
            resource_types: Vec::new(),
        }
    }

    /// A shared, read-only copy of the default registry, built once.
    pub fn standard() -> &'static Self {
        &STANDARD
    }

    /// Adds a schema, replacing one with the same URN.
    pub fn register(&mut self, schema: Schema) {
        match self
            .schemas
            .iter_mut()
            .find(|s| s.id.eq_ignore_ascii_case(&schema.id))
        {
            Some(existing) => *existing = schema,
            None => self.schemas.push(schema),
        }
        self.refresh_extensions();
    }

    fn refresh_extensions(&mut self) {
        let flags = self
            .schemas
            .iter()
            .map(|s| self.is_extension(s.id()))
            .collect();
        self.extension = flags;
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
        };
        match self
            .resource_types
            .iter_mut()
            .find(|r| r.name.eq_ignore_ascii_case(name))
        {
            Some(existing) => *existing = entry,
            None => self.resource_types.push(entry),
        }
        self.refresh_extensions();
    }

    /// The schema with this URN, ignoring ASCII case.
    pub fn schema(&self, id: &str) -> Option<&Schema> {
        self.schemas.iter().find(|s| s.id.eq_ignore_ascii_case(id))
    }

    /// Every registered schema, in registration order.
    pub fn schemas(&self) -> impl Iterator<Item = &Schema> {
        self.schemas.iter()
    }

    /// The core schema URN and extension URNs of a resource type (`"User"`), ignoring case.
    pub fn resource_type(&self, name: &str) -> Option<(&str, impl Iterator<Item = &str>)> {
        self.resource_types
            .iter()
            .find(|r| r.name.eq_ignore_ascii_case(name))
            .map(|r| (r.schema.as_str(), r.extensions.iter().map(String::as_str)))
    }

    /// The names of the declared resource types (`"User"`, `"Group"`), in declaration order.
    pub fn resource_type_names(&self) -> impl Iterator<Item = &str> {
        self.resource_types.iter().map(|r| r.name.as_str())
    }

    /// Whether the schema is an extension: declared as one by a resource type, or, for a schema
    /// no resource type mentions, a URN with an `extension` segment.
    pub fn is_extension(&self, schema_id: &str) -> bool {
        let mut mentioned = false;
        for r in &self.resource_types {
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
    /// (non-extension) schema in registration order; extension attributes need their URN
    /// (RFC 7644 §3.10). Returns `None` for an attribute no schema defines.
    pub fn resolve(&self, path: &str) -> Option<Resolved<'_>> {
        let (urn, rest) = match self.urn_prefix(path) {
            Some(urn) => (Some(urn), &path[urn.len() + 1..]),
            None => (None, path),
        };
        let (name, sub) = match rest.split_once('.') {
            Some((name, sub)) => (name, Some(sub)),
            None => (rest, None),
        };
        self.resolve_parts(urn, name, sub)
    }

    /// Resolves a path already split by a parser into an optional schema URN, an attribute name
    /// and an optional sub-attribute name.
    pub fn resolve_parts(
        &self,
        urn: Option<&str>,
        name: &str,
        sub: Option<&str>,
    ) -> Option<Resolved<'_>> {
        let (schema, extension, attribute) = match urn {
            Some(urn) => {
                let (schema, &extension) = self
                    .schemas
                    .iter()
                    .zip(&self.extension)
                    .find(|(s, _)| s.id.eq_ignore_ascii_case(urn))?;
                match schema.attribute(name) {
                    Some(a) => (Some(schema), extension, a),
                    None if !extension => (None, false, COMMON.attribute(name)?),
                    None => return None,
                }
            }
            None => match COMMON.attribute(name) {
                Some(a) => (None, false, a),
                // Extension attributes need their URN (RFC 7644 §3.10).
                None => self
                    .schemas
                    .iter()
                    .zip(&self.extension)
                    .find_map(|(s, &ext)| {
                        Some((Some(s), false, (!ext).then_some(s)?.attribute(name)?))
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
        self.schemas
            .iter()
            .map(|s| s.id.len())
            .filter(|&n| {
                path.as_bytes().get(n) == Some(&b':')
                    && path
                        .get(..n)
                        .is_some_and(|p| self.schemas.iter().any(|s| s.id.eq_ignore_ascii_case(p)))
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
