//! Values in PATCH requests: mutability rules, type checks against the schema, the schema's
//! spelling of names, and the identity of multi-valued values.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::target::{Def, clip, get_ci};
use crate::compat::{Compat, string_boolean};
use crate::error::ScimError;
use crate::schema::{AttrType, Mutability};

/// How deep complex values may nest inside a PATCH value (RFC 7643 allows one level; custom
/// schemas may define more). Deeper values are `invalidValue`.
pub(crate) const MAX_VALUE_DEPTH: u8 = 8;

// ---- mutability (RFC 7643 §2.2, RFC 7644 §3.5.2) ----

/// Setting `new` where `old` is: readOnly never changes; immutable may be set once.
pub(super) fn check_set(def: Def<'_>, old: Option<&Value>, new: &Value) -> Result<(), ScimError> {
    match def.mutability() {
        Mutability::ReadOnly if old != Some(new) => Err(ScimError::mutability(format!(
            "`{}` is readOnly",
            def.name()
        ))),
        Mutability::Immutable if old.is_some_and(|o| o != new) => Err(ScimError::mutability(
            format!("`{}` is immutable and already set", def.name()),
        )),
        _ => Ok(()),
    }
}

/// RFC 7644 §3.5.2.2: removing a required or readOnly attribute is `mutability`; so is
/// removing an immutable one (it may only be set once).
pub(super) fn check_remove(def: Def<'_>, present: bool) -> Result<(), ScimError> {
    if !present {
        return Ok(());
    }
    let why = if def.required() {
        "required"
    } else {
        match def.mutability() {
            Mutability::ReadOnly => "readOnly",
            Mutability::Immutable => "immutable",
            _ => return Ok(()),
        }
    };
    Err(ScimError::mutability(format!(
        "`{}` is {why} and cannot be removed",
        def.name()
    )))
}

// ---- values: type checks and schema spelling ----

/// A value for `def` that may be multi-valued (sub-attributes of custom schemas).
pub(super) fn conform_any(compat: &Compat, def: Def<'_>, v: &Value) -> Result<Value, ScimError> {
    if def.multi_valued(None, Some(v)) {
        conform_multi(compat, def, v, 0).map(Value::Array)
    } else {
        let mut c = conform(compat, def, v, false, 0)?;
        strip_nulls(&mut c);
        Ok(c)
    }
}

/// The values of a multi-valued attribute; a single value stands for a one-element list.
pub(super) fn conform_multi(
    compat: &Compat,
    def: Def<'_>,
    v: &Value,
    depth: u8,
) -> Result<Vec<Value>, ScimError> {
    let one = std::slice::from_ref(v);
    let items = match v {
        Value::Array(items) => items.as_slice(),
        _ => one,
    };
    let mut out = Vec::with_capacity(items.len());
    for v in items.iter().filter(|v| !v.is_null()) {
        out.push(conform_item(compat, def, v, depth)?);
    }
    Ok(out)
}

/// One value of a multi-valued attribute, without null sub-values.
fn conform_item(compat: &Compat, def: Def<'_>, v: &Value, depth: u8) -> Result<Value, ScimError> {
    let mut c = conform(compat, def, v, false, depth)?;
    // A known type's value comes back without null sub-values already.
    if def.kind().is_none() {
        strip_nulls(&mut c);
    }
    Ok(c)
}

/// [`conform_multi`] of a value that may be owned: owned values that need no change move
/// into the result instead of being copied (a hundred members added in one request).
pub(super) fn conform_multi_cow(
    compat: &Compat,
    def: Def<'_>,
    v: Cow<'_, Value>,
) -> Result<Vec<Value>, ScimError> {
    let items = match v {
        Cow::Borrowed(v) => return conform_multi(compat, def, v, 0),
        Cow::Owned(Value::Array(items)) => items,
        Cow::Owned(one) => vec![one],
    };
    let mut out = Vec::with_capacity(items.len());
    for v in items.into_iter().filter(|v| !v.is_null()) {
        if unchanged(compat, def, &v) {
            out.push(v);
        } else {
            out.push(conform_item(compat, def, &v, 0)?);
        }
    }
    Ok(out)
}

/// Whether [`conform`] returns the (non-null) value `v` as it is.
fn unchanged(compat: &Compat, def: Def<'_>, v: &Value) -> bool {
    match (def.kind(), v) {
        (None, _) => false,
        (Some(AttrType::Complex), Value::Object(obj)) => as_is(compat, def, obj),
        (Some(AttrType::Complex), _) => false,
        (Some(kind), v) => matches!(simple(compat, kind, v), Checked::AsIs),
    }
}

/// Checks one (single) value against `def` and returns it with the schema's spelling of
/// sub-attribute names. readOnly sub-attributes are dropped (RFC 7644 §3.5.1: ignored);
/// `keep_nulls` keeps `null` sub-values, which a merge reads as "unassign".
pub(super) fn conform(
    compat: &Compat,
    def: Def<'_>,
    v: &Value,
    keep_nulls: bool,
    depth: u8,
) -> Result<Value, ScimError> {
    let Some(kind) = def.kind() else {
        return Ok(v.clone());
    };
    if kind != AttrType::Complex {
        return match simple(compat, kind, v) {
            Checked::AsIs => Ok(v.clone()),
            Checked::Coerced(c) => Ok(c),
            Checked::Bad => Err(refused(compat, def, kind, v)),
        };
    }
    let Value::Object(obj) = v else {
        return Err(expects(def, kind));
    };
    if depth >= MAX_VALUE_DEPTH {
        return Err(ScimError::invalid_value("the value nests too deeply"));
    }
    // Most values arrive as the schema spells them (a member is `{"value", "display"}`):
    // one clone, without rebuilding the object key by key.
    if as_is(compat, def, obj) {
        return Ok(v.clone());
    }
    let mut out = Map::new();
    for (k, sv) in obj {
        let sub = def.sub(k).ok_or_else(|| {
            ScimError::invalid_value(format!(
                "`{}` has no sub-attribute `{}`",
                def.name(),
                clip(k)
            ))
        })?;
        if sub.mutability() == Mutability::ReadOnly || (sv.is_null() && !keep_nulls) {
            continue;
        }
        let c =
            if sv.is_null() {
                Value::Null
            } else if sub.multi_valued(None, Some(sv)) {
                Value::Array(conform_multi(compat, sub, sv, depth + 1).map_err(|e| {
                    within(e, sub.name(), &format!("{}.{}", def.name(), sub.name()))
                })?)
            } else {
                conform(compat, sub, sv, false, depth + 1)
                    .map_err(|e| within(e, sub.name(), &format!("{}.{}", def.name(), sub.name())))?
            };
        if out.insert(sub.name().to_owned(), c).is_some() {
            return Err(ScimError::invalid_value(format!(
                "`{}` is given twice in one value",
                sub.name()
            )));
        }
    }
    Ok(Value::Object(out))
}

/// Whether [`conform`] would return the complex value `obj` unchanged: every key spelled as
/// the schema spells it, single-valued, of simple type and kept as it is, and none dropped.
fn as_is(compat: &Compat, def: Def<'_>, obj: &Map<String, Value>) -> bool {
    let Some(attr) = def.attribute() else {
        return false;
    };
    obj.iter().all(|(k, sv)| {
        // Spelled as the schema spells it, or the slow path renames it.
        let Some(sub) = attr.sub_attributes().iter().find(|s| s.name() == k) else {
            return false;
        };
        let kind = sub.kind();
        kind != AttrType::Complex
            && !sub.multi_valued()
            && sub.mutability() != Mutability::ReadOnly
            && matches!(simple(compat, kind, sv), Checked::AsIs)
    })
}

/// The outcome of checking a value against a simple (non-complex) type.
enum Checked {
    AsIs,
    /// `Compat::string_booleans`: `"True"` read as `true`.
    Coerced(Value),
    Bad,
}

fn simple(compat: &Compat, kind: AttrType, v: &Value) -> Checked {
    let ok = match kind {
        AttrType::String | AttrType::Reference | AttrType::Binary => v.is_string(),
        AttrType::DateTime => v.as_str().is_some_and(is_date_time),
        AttrType::Integer => v.is_i64() || v.is_u64(),
        AttrType::Decimal => v.is_number(),
        AttrType::Boolean => match v {
            Value::Bool(_) => true,
            Value::String(s) if compat.string_booleans => {
                return match string_boolean(s) {
                    Some(b) => Checked::Coerced(Value::Bool(b)),
                    None => Checked::Bad,
                };
            }
            _ => false,
        },
        AttrType::Complex => v.is_object(),
    };
    if ok { Checked::AsIs } else { Checked::Bad }
}

/// [`expects`], naming [`Compat::string_booleans`] when the value is a string boolean it
/// would accept.
fn refused(compat: &Compat, def: Def<'_>, kind: AttrType, v: &Value) -> ScimError {
    let mut e = expects(def, kind);
    let string_boolean = v.as_str().and_then(string_boolean).is_some();
    if kind == AttrType::Boolean
        && string_boolean
        && !compat.string_booleans
        && let Some(d) = e.detail.as_mut()
    {
        d.push_str(", or enable Compat::string_booleans");
    }
    e
}

/// `e` with the attribute its detail names first (`` `givenName` ``, or a path below it such as
/// `` `givenName.x` ``) written as the whole path `whole` (`` `name.givenName` ``), so a client
/// can tell `meta.created` from `created`. Other details are kept.
pub(crate) fn within(mut e: ScimError, leaf: &str, whole: &str) -> ScimError {
    if let Some(d) = &e.detail
        && let Some(rest) = d.strip_prefix('`').and_then(|r| r.strip_prefix(leaf))
        && (rest.starts_with('`') || rest.starts_with('.'))
    {
        e.detail = Some(format!("`{whole}{rest}"));
    }
    e
}

/// `invalidValue`: `def` expects another type.
fn expects(def: Def<'_>, kind: AttrType) -> ScimError {
    ScimError::invalid_value(format!(
        "`{}` expects {}",
        def.name(),
        match kind {
            AttrType::String => "a string",
            AttrType::Boolean => "a boolean",
            AttrType::Decimal => "a number",
            AttrType::Integer => "an integer",
            AttrType::DateTime => "an xsd:dateTime string",
            AttrType::Reference => "a reference string",
            AttrType::Binary => "a base64 string",
            AttrType::Complex => "an object of sub-attributes",
        }
    ))
}

pub(super) fn strip_nulls(v: &mut Value) {
    if let Value::Object(o) = v {
        o.retain(|_, v| !v.is_null());
    }
}

/// RFC 7643 §2.3.5: an xsd:dateTime, with or without a zone offset.
pub(super) fn is_date_time(s: &str) -> bool {
    chrono::DateTime::parse_from_rfc3339(s).is_ok()
        || chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f").is_ok()
}

pub(super) fn get_ci_obj<'v>(v: &'v Value, key: &str) -> Option<&'v Value> {
    v.as_object().and_then(|o| get_ci(o, key))
}

pub(super) fn is_primary(sub: Def<'_>, v: &Value) -> bool {
    sub.name().eq_ignore_ascii_case("primary") && *v == Value::Bool(true)
}

/// At most one value in a request may be primary (RFC 7643 §2.4).
pub(super) fn one_primary(attr: Def<'_>, items: &[Value]) -> Result<(), ScimError> {
    if !attr.has_primary() {
        return Ok(());
    }
    let n = items
        .iter()
        .filter(|v| get_ci_obj(v, "primary") == Some(&Value::Bool(true)))
        .count();
    if n > 1 {
        return Err(ScimError::invalid_value(format!(
            "{n} values of `{}` are primary; at most one may be (RFC 7643 §2.4)",
            attr.name()
        )));
    }
    Ok(())
}
