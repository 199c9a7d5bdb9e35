//! Attribute selectors: the entries of `attributes`, `excludedAttributes` and `sortBy`, resolved
//! once against the schemas so that applying them to many resources does no lookups by path.

use serde_json::{Map, Value};

use crate::error::ScimError;
pub(crate) use crate::model::truncate;
use crate::path::AttrPath;
use crate::schema::{Attribute, SchemaRegistry};

/// One entry of `attributes`, `excludedAttributes` or `sortBy`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Selector {
    /// A whole extension, named by its schema URN alone
    /// (`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`).
    Schema(Box<str>),
    /// An attribute, optionally one of its sub-attributes.
    Attr {
        /// The extension URN whose object holds the attribute; `None` for core and common
        /// attributes, whose values sit at the top of the resource.
        extension: Option<Box<str>>,
        /// The attribute's name (as the schema spells it when the schema knows it).
        name: Box<str>,
        /// The sub-attribute's name, if any.
        sub: Option<Box<str>>,
    },
}

impl Selector {
    /// Resolves one attribute path in standard attribute notation (RFC 7644 §3.10).
    ///
    /// A path the schemas do not know is kept as written: resources may hold attributes no
    /// schema describes, and those follow the RFC 7643 §2.2 defaults.
    pub(crate) fn parse(path: &str, schemas: &SchemaRegistry) -> Result<Self, ScimError> {
        if let Some(schema) = schemas.schema(path) {
            return Ok(Self::Schema(schema.id().into()));
        }
        let parsed: AttrPath = path.parse()?;
        let (urn, name, sub) = (parsed.urn(), parsed.name(), parsed.sub_attribute());
        Ok(match schemas.resolve_parts(urn, name, sub) {
            Some(r) => Self::Attr {
                extension: r
                    .extension
                    .then(|| r.schema.map(|s| s.id().into()))
                    .flatten(),
                name: r.attribute.name().into(),
                sub: r.sub_attribute.map(|s| s.name().into()),
            },
            None => Self::Attr {
                // An unknown URN qualifying a known core schema's attribute would have resolved,
                // so an unresolved URN is taken to name an extension object.
                extension: urn
                    .filter(|u| {
                        schemas
                            .schema(u)
                            .is_none_or(|s| schemas.is_extension(s.id()))
                    })
                    .map(Into::into),
                name: name.into(),
                sub: sub.map(Into::into),
            },
        })
    }
}

/// Whether two extension URNs (`None`: the top level) are the same, ignoring ASCII case.
pub(crate) fn same(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
        _ => false,
    }
}

/// The member of `object` named `name`, ignoring ASCII case (RFC 7643 §2.1): an exact lookup
/// first, since names usually arrive as the schema spells them.
pub(crate) fn get_ci<'v>(object: &'v Map<String, Value>, name: &str) -> Option<&'v Value> {
    object.get(name).or_else(|| {
        object
            .iter()
            .find_map(|(k, v)| k.eq_ignore_ascii_case(name).then_some(v))
    })
}

/// The core schema of a resource: the first URN in its `schemas` that the registry knows and
/// that is not an extension.
pub(crate) fn core_schema<'r>(
    resource: &Map<String, Value>,
    schemas: &'r SchemaRegistry,
) -> Option<&'r str> {
    let Some(Value::Array(urns)) = get_ci(resource, "schemas") else {
        return None;
    };
    urns.iter()
        .filter_map(Value::as_str)
        .filter_map(|u| schemas.schema(u))
        .find(|s| !schemas.is_extension(s.id()))
        .map(|s| s.id())
}

/// The definition of a top-level member of a resource: a core or common attribute, looked up in
/// the resource's core schema when it names one.
pub(crate) fn top_level<'r>(
    schemas: &'r SchemaRegistry,
    core: Option<&str>,
    name: &str,
) -> Option<&'r Attribute> {
    core.and_then(|c| schemas.resolve_parts(Some(c), name, None))
        .or_else(|| schemas.resolve_parts(None, name, None))
        .map(|r| r.attribute)
}

/// Whether a top-level member is an extension object: a URN key holding an object.
pub(crate) fn is_extension_key(key: &str, value: &Value) -> bool {
    value.is_object() && key.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("urn:"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENT: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    fn attr(extension: Option<&str>, name: &str, sub: Option<&str>) -> Selector {
        Selector::Attr {
            extension: extension.map(Into::into),
            name: name.into(),
            sub: sub.map(Into::into),
        }
    }

    #[test]
    fn selectors_resolve_to_canonical_names() {
        let r = SchemaRegistry::default();
        for (input, expected) in [
            ("userName", attr(None, "userName", None)),
            ("USERNAME", attr(None, "userName", None)),
            ("name.GivenName", attr(None, "name", Some("givenName"))),
            ("emails.value", attr(None, "emails", Some("value"))),
            ("members.$ref", attr(None, "members", Some("$ref"))),
            (
                "urn:ietf:params:scim:schemas:core:2.0:User:userName",
                attr(None, "userName", None),
            ),
            (
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value",
                attr(Some(ENT), "manager", Some("value")),
            ),
            (
                "URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER",
                Selector::Schema(ENT.into()),
            ),
            ("nickname2", attr(None, "nickname2", None)),
            ("custom.part", attr(None, "custom", Some("part"))),
            (
                "urn:acme:ext:badge",
                attr(Some("urn:acme:ext"), "badge", None),
            ),
        ] {
            assert_eq!(Selector::parse(input, &r), Ok(expected), "{input}");
        }
    }

    #[test]
    fn malformed_selectors_are_invalid_paths() {
        let r = SchemaRegistry::default();
        for input in [
            "",
            "1abc",
            "a b",
            "name.",
            ".name",
            "a.b.c",
            "emails[type eq \"work\"]",
            "x:y",
        ] {
            let err = Selector::parse(input, &r).unwrap_err();
            assert_eq!(err.scim_type, Some(crate::ScimType::InvalidPath), "{input}");
        }
        let long = "a".repeat(500) + " ";
        let err = Selector::parse(&long, &r).unwrap_err();
        assert!(err.detail.unwrap().len() < 100);
    }
}
