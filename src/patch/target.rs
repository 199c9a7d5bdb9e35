//! What a PATCH operation points at, resolved against the schemas: the extension object the
//! attribute lives in, the attribute and sub-attribute definitions, and the value filter.

use serde_json::{Map, Value};

use super::select::Matcher;
use crate::error::ScimError;
use crate::filter::SimpleEq;
use crate::path::PatchPath;
use crate::schema::{AttrType, Attribute, Mutability, Schema, SchemaRegistry};

/// An attribute definition, or, for a resource whose schemas the registry does not know, the
/// RFC 7643 §2.2 defaults (string-or-anything, readWrite, not required, caseExact=false).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Def<'a> {
    Known(&'a Attribute),
    Loose(&'a str),
}

impl<'a> Def<'a> {
    pub(crate) fn name(self) -> &'a str {
        match self {
            Self::Known(a) => a.name(),
            Self::Loose(n) => n,
        }
    }

    /// The declared type; `None` when unknown (no type check).
    pub(crate) fn kind(self) -> Option<AttrType> {
        match self {
            Self::Known(a) => Some(a.kind()),
            Self::Loose(_) => None,
        }
    }

    pub(crate) fn is_complex(self) -> bool {
        self.kind() == Some(AttrType::Complex)
    }

    /// Multi-valued per the schema; an unknown attribute is multi-valued when its JSON is an
    /// array (RFC 7643 §2.2 defaults).
    pub(crate) fn multi_valued(self, existing: Option<&Value>, incoming: Option<&Value>) -> bool {
        match self {
            Self::Known(a) => a.multi_valued(),
            Self::Loose(_) => existing.or(incoming).is_some_and(Value::is_array),
        }
    }

    pub(crate) fn mutability(self) -> Mutability {
        match self {
            Self::Known(a) => a.mutability(),
            Self::Loose(_) => Mutability::ReadWrite,
        }
    }

    pub(crate) fn required(self) -> bool {
        matches!(self, Self::Known(a) if a.required())
    }

    pub(crate) fn case_exact(self) -> bool {
        matches!(self, Self::Known(a) if a.case_exact())
    }

    /// The sub-attribute called `name` (ASCII case ignored).
    pub(crate) fn sub(self, name: &'a str) -> Option<Self> {
        match self {
            Self::Known(a) => a.sub_attribute(name).map(Self::Known),
            Self::Loose(_) => Some(Self::Loose(name)),
        }
    }

    pub(crate) fn attribute(self) -> Option<&'a Attribute> {
        match self {
            Self::Known(a) => Some(a),
            Self::Loose(_) => None,
        }
    }

    /// The boolean `primary` sub-attribute, when the schema defines one (RFC 7643 §2.4).
    pub(crate) fn has_primary(self) -> bool {
        matches!(self, Self::Known(a)
            if a.sub_attribute("primary").is_some_and(|p| p.kind() == AttrType::Boolean))
    }
}

/// Selects elements of a multi-valued attribute: the filter of a `valuePath`.
pub(crate) trait Selector {
    /// Whether one element matches; `parent` is the multi-valued attribute's definition.
    fn select(&self, element: &Value, parent: Option<&Attribute>) -> Result<bool, ScimError>;

    /// The sub-attribute values an element must have to match, when the filter is a
    /// conjunction of `eq` comparisons (`type eq "work"`): the seed of an element created under
    /// [`Compat::create_on_missing_value_path`](crate::Compat::create_on_missing_value_path).
    fn template(&self) -> Option<Vec<(&str, Value)>>;

    /// The filter as a `name eq "…"` test bound to `parent` once, when it is one: the
    /// selection loop then skips the generic evaluation per element.
    fn simple_eq<'a>(&'a self, _parent: Option<&'a Attribute>) -> Option<SimpleEq<'a>> {
        None
    }

    /// The filter prepared once for every element of `parent` (bound, or a set of literals),
    /// when it can be; `Err` is what [`select`](Self::select) would fail with on any element.
    fn matcher<'a>(
        &'a self,
        _parent: Option<&'a Attribute>,
    ) -> Result<Option<Matcher<'a>>, ScimError> {
        Ok(None)
    }
}

/// A resolved PATCH path.
pub(crate) struct Target<'a> {
    /// The extension schema whose object holds the attribute (`None`: the resource root).
    pub(crate) ext: Option<&'a Schema>,
    /// The attribute; `None` when the path is exactly an extension URN (the whole object).
    pub(crate) attr: Option<Def<'a>>,
    /// The `valuePath` filter.
    pub(crate) filter: Option<&'a dyn Selector>,
    /// The sub-attribute (`name.givenName`, `emails[type eq "work"].value`).
    pub(crate) sub: Option<Def<'a>>,
}

impl std::fmt::Debug for Target<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Target")
            .field("ext", &self.ext.map(Schema::id))
            .field("attr", &self.attr.map(Def::name))
            .field("filter", &self.filter.is_some())
            .field("sub", &self.sub.map(Def::name))
            .finish()
    }
}

/// Resolves attribute names for one resource: unqualified names are looked up in the
/// resource's own core schema (a Group's `displayName` is the Group's, not the User's).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Resolver<'a> {
    pub(crate) schemas: &'a SchemaRegistry,
    /// The resource's core schema, from its `schemas` attribute.
    pub(crate) core: Option<&'a Schema>,
    /// Whether the resource declares a core schema the registry knows; when it does not,
    /// unknown attributes take the RFC 7643 §2.2 defaults instead of being `invalidPath`.
    pub(crate) strict: bool,
    /// The resource type names resolve in: the registry's scope, else the one the resource's
    /// `schemas` derives, so a Group never takes a User's `userName`.
    scope: Option<usize>,
}

impl<'a> Resolver<'a> {
    pub(crate) fn for_resource(schemas: &'a SchemaRegistry, resource: &Map<String, Value>) -> Self {
        let core = get_ci(resource, "schemas")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .filter_map(|id| schemas.schema(id))
            .find(|s| !schemas.is_extension(s.id()));
        Self {
            schemas,
            core,
            strict: core.is_some(),
            scope: schemas.scope_of(resource),
        }
    }

    /// Resolves an optional URN, an attribute name and an optional sub-attribute name.
    pub(crate) fn resolve(
        &self,
        urn: Option<&'a str>,
        name: &'a str,
        sub: Option<&'a str>,
    ) -> Result<Target<'a>, ScimError> {
        let unknown = || {
            ScimError::invalid_path(format!(
                "no attribute `{}` in the resource's schemas",
                clip(name)
            ))
        };
        let core = self.core.map(Schema::id);
        let resolved = match urn {
            Some(u) => self.schemas.resolve_in(self.scope, Some(u), name, sub),
            None => self
                .schemas
                .resolve_in(self.scope, core, name, sub)
                .or_else(|| self.schemas.resolve_in(self.scope, None, name, sub)),
        };
        let Some(r) = resolved else {
            if self.strict || urn.is_some() {
                return Err(unknown());
            }
            let attr = Def::Loose(name);
            return Ok(Target {
                ext: None,
                attr: Some(attr),
                filter: None,
                sub: sub.map(Def::Loose),
            });
        };
        Ok(Target {
            ext: if r.extension { r.schema } else { None },
            attr: Some(Def::Known(r.attribute)),
            filter: None,
            sub: r.sub_attribute.map(Def::Known),
        })
    }

    /// Resolves a key of a path-less value object, or a path-less dotted key
    /// (`name.givenName`, `urn:…:User:department`) when `dotted` is allowed.
    pub(crate) fn resolve_key(&self, key: &'a str, dotted: bool) -> Result<Target<'a>, ScimError> {
        if dotted {
            if key.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("urn:")) {
                return match self.schemas.resolve_str_in(self.scope, key) {
                    Some(r) => Ok(Target {
                        ext: if r.extension { r.schema } else { None },
                        attr: Some(Def::Known(r.attribute)),
                        filter: None,
                        sub: r.sub_attribute.map(Def::Known),
                    }),
                    None => Err(ScimError::invalid_path(format!(
                        "no attribute `{}` in the registered schemas",
                        clip(key)
                    ))),
                };
            }
            if let Some((name, sub)) = key.split_once('.') {
                return self.resolve(None, name, Some(sub));
            }
        }
        self.resolve(None, key, None)
    }

    /// Resolves a parsed PATCH path. A path that is exactly an extension URN addresses the
    /// whole extension object.
    pub(crate) fn resolve_path(
        &self,
        path: &'a PatchPath,
        filter: Option<&'a dyn Selector>,
    ) -> Result<Target<'a>, ScimError> {
        let a = path.attr();
        if a.sub_attribute().is_none()
            && path.value_filter().is_none()
            && a.urn().is_some()
            && let Some(ext) = self.extension(a.as_str())
        {
            return Ok(Target {
                ext: Some(ext),
                attr: None,
                filter: None,
                sub: None,
            });
        }
        let mut t = self.resolve(a.urn(), a.name(), a.sub_attribute())?;
        t.filter = filter;
        Ok(t)
    }

    /// The target of a path that is exactly a schema URN: an extension object, or `None`.
    pub(crate) fn extension(&self, urn: &str) -> Option<&'a Schema> {
        self.schemas
            .schema(urn)
            .filter(|s| self.schemas.is_extension(s.id()))
            .filter(|s| self.schemas.scope_holds(self.scope, s.id()))
    }
}

/// The value of `key` in `map`: the exact key first, then ignoring ASCII case (RFC 7643 §2.1).
pub(crate) fn get_ci<'m>(map: &'m Map<String, Value>, key: &str) -> Option<&'m Value> {
    crate::filter::get_in(map, key, key)
}

/// The key of `map` that spells `key`, ignoring ASCII case, exact spelling preferred.
pub(crate) fn key_ci<'m>(map: &'m Map<String, Value>, key: &str) -> Option<&'m str> {
    match map.get_key_value(key) {
        Some((k, _)) => Some(k.as_str()),
        None => map
            .keys()
            .find(|k| k.eq_ignore_ascii_case(key))
            .map(String::as_str),
    }
}

/// At most 64 characters of untrusted input, for error details.
pub(crate) fn clip(s: &str) -> &str {
    match s.char_indices().nth(64) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}
