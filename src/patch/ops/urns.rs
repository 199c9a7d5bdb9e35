//! Schema URNs in a resource's `schemas` (RFC 7643 §3, §6): only the resource type's schema
//! and its declared extensions, and keys of a path-less value that name no attribute.

use serde_json::Value;

use super::Engine;
use crate::error::ScimError;
use crate::patch::target::{Target, clip};
use crate::schema::{Schema, SchemaRegistry};

/// At most this many characters of a URN are quoted in an error: enough for a whole URN
/// (Microsoft's are 72), bounded for hostile input.
const URN_ECHO: usize = 200;

fn urn_excerpt(s: &str) -> &str {
    match s.char_indices().nth(URN_ECHO) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// Whether a resource whose core schema is `core` may list `urn` in `schemas`: the core schema
/// itself, an extension a resource type with that core schema declares, or a registered
/// extension that no resource type declares (a registry built without resource types). A
/// resource whose core schema the registry does not know (`None`) takes the RFC 7643 §2.2
/// defaults: anything goes.
pub(crate) fn may_list(schemas: &SchemaRegistry, core: Option<&Schema>, urn: &str) -> bool {
    let Some(core) = core else {
        return true;
    };
    if core.id().eq_ignore_ascii_case(urn) {
        return true;
    }
    let mut declared = false;
    for name in schemas.resource_type_names() {
        let Some((schema, mut extensions)) = schemas.resource_type(name) else {
            continue;
        };
        if extensions.any(|e| e.eq_ignore_ascii_case(urn)) {
            if schema.eq_ignore_ascii_case(core.id()) {
                return true;
            }
            declared = true;
        }
    }
    !declared
        && schemas
            .schema(urn)
            .is_some_and(|s| schemas.is_extension(s.id()))
}

/// Whether `t` is the whole common `schemas` attribute (`"path": "schemas"`).
pub(super) fn is_schemas(t: &Target<'_>) -> bool {
    t.ext.is_none()
        && t.filter.is_none()
        && t.sub.is_none()
        && t.attr
            .is_some_and(|a| a.name().eq_ignore_ascii_case("schemas"))
}

/// Whether a key looks like a schema URN rather than an attribute name.
fn is_urn(key: &str) -> bool {
    key.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("urn:")) || key.contains("://")
}

impl Engine<'_, '_> {
    /// Whether [`Compat::dotted_keys_in_value`](crate::Compat::dotted_keys_in_value) applies:
    /// in PATCH only, never to a request body.
    pub(super) fn dotted_keys(&self) -> bool {
        self.compat.dotted_keys_in_value && !self.body
    }

    /// Whether `urn`, listed in `schemas` without attributes, goes into the resource: yes when
    /// the resource may carry it, no (dropped) under
    /// [`Compat::drop_undeclared_schemas`](crate::Compat::drop_undeclared_schemas), else
    /// `400 invalidValue` naming it.
    pub(super) fn admit_urn(&self, urn: &str) -> Result<bool, ScimError> {
        if may_list(self.resolver.schemas, self.resolver.core, urn) {
            return Ok(true);
        }
        if self.compat.drop_undeclared_schemas {
            return Ok(false);
        }
        Err(ScimError::invalid_value(format!(
            "`schemas` lists `{}`, which is neither the resource type's schema nor one of its \
             declared extensions (RFC 7643 §3, §6); remove it, or enable \
             Compat::drop_undeclared_schemas",
            urn_excerpt(urn)
        )))
    }

    /// A value for the whole `schemas` attribute, without the URNs [`admit_urn`](Self::admit_urn)
    /// drops; anything but an array of strings is left for the type check.
    pub(super) fn admit_urns(&self, value: &Value) -> Result<Value, ScimError> {
        let one = std::slice::from_ref(value);
        let urns = match value {
            Value::Array(a) => a.as_slice(),
            Value::String(_) => one,
            _ => return Ok(value.clone()),
        };
        let mut kept = Vec::with_capacity(urns.len());
        for u in urns {
            match u.as_str() {
                Some(s) if !self.admit_urn(s)? => {}
                _ => kept.push(u.clone()),
            }
        }
        Ok(Value::Array(kept))
    }

    /// An extension object goes into the resource only when the resource may carry it; its
    /// attributes would otherwise be stored under a schema the resource type does not declare.
    pub(super) fn check_extension(&self, ext: &Schema) -> Result<(), ScimError> {
        if may_list(self.resolver.schemas, self.resolver.core, ext.id()) {
            return Ok(());
        }
        Err(ScimError::invalid_path(format!(
            "`{}` is not an extension of this resource type (RFC 7643 §3, §6)",
            urn_excerpt(ext.id())
        )))
    }

    /// The error for a key of a path-less value (or a request body) that resolved to no
    /// attribute: a URN holding attributes names no schema of the resource (in every mode); a
    /// dotted or URN-qualified attribute key names the PATCH switch that would accept it, and
    /// in a request body says how a body spells it instead.
    pub(super) fn unknown_key(&self, key: &str, v: &Value, e: ScimError) -> ScimError {
        if is_urn(key) && v.is_object() {
            return ScimError::invalid_path(format!(
                "`{}` is not a schema of this resource type: the attributes under it cannot be \
                 stored (RFC 7643 §3)",
                urn_excerpt(key)
            ));
        }
        if !key.contains('.') && !key.contains(':') {
            return e;
        }
        if self.body {
            return ScimError::invalid_path(format!(
                "`{}` is not an attribute name: a request body holds sub-attributes inside \
                 their attribute's object and extension attributes under their schema's URN \
                 (RFC 7643 §3)",
                clip(key)
            ));
        }
        if !self.compat.dotted_keys_in_value && self.resolver.resolve_key(key, true).is_ok() {
            return ScimError::invalid_path(format!(
                "`{}` is not an attribute name; dotted or URN-qualified keys in a path-less \
                 value need Compat::dotted_keys_in_value",
                clip(key)
            ));
        }
        e
    }
}
