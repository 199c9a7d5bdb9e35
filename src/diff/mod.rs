//! Differences between resources as SCIM PATCH requests (RFC 7644 §3.5.2), and [`plan`]s that
//! shape them for a [`Target`]'s limits.
//!
//! [`diff`] gives the one request that turns `old` into `new`:
//!
//! - `null`, `""`, `[]` and `{}` are "unassigned" (RFC 7643 §2.5): going from any of them to
//!   another is no change, and a value becoming one of them is a `remove`;
//! - readOnly attributes and sub-attributes (`id`, `meta`, `groups`, `manager.displayName`) are
//!   never emitted, nor is `schemas`, which a service provider keeps from the attributes present;
//! - elements of a complex multi-valued attribute are told apart by their `value` (compared
//!   under its `caseExact`) and removed with a valuePath filter, `emails[value eq "…"]`; hash
//!   maps keep this linear, so two 100,000-member lists diff in one pass each;
//! - the number of operations is minimal for that addressing: one `remove` per removed
//!   attribute, sub-attribute or element, one `replace` per multi-valued attribute whose elements
//!   cannot be addressed (no `value`, duplicates) or of which nothing is kept, and one `add`
//!   carrying every other new or changed value (pathed when it holds a single attribute).
//!
//! Removes come first, so an element that changed is removed and then added again.
//!
//! ```
//! use scimkit::SchemaRegistry;
//! use scimkit::diff::diff;
//! use serde_json::json;
//!
//! let old = json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
//!     "displayName": "Ops", "members": [{"value": "a"}, {"value": "b"}]});
//! let new = json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
//!     "displayName": "Ops", "members": [{"value": "b"}, {"value": "c"}]});
//! let patch = diff(&old, &new, &SchemaRegistry::default())?;
//! assert_eq!(serde_json::to_value(&patch)?["Operations"], json!([
//!     {"op": "remove", "path": "members[value eq \"a\"]"},
//!     {"op": "add", "path": "members", "value": [{"value": "c"}]},
//! ]));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub(crate) mod compute;
mod plan;

use serde_json::{Map, Value};

use self::compute::{AttrChange, Change, Name};
use crate::error::ScimError;
use crate::filter::{CompValue, CompareOp, Filter};
use crate::model::{Group, PatchOp, PatchOperation, User};
use crate::path::{AttrPath, PatchPath};
use crate::schema::SchemaRegistry;

pub use plan::{Target, plan};

/// The PATCH request that turns `old` into `new` (see the [module docs](self)).
///
/// Both are resource representations; attribute names are matched ignoring case. The result is
/// empty (no operations) when the two are equivalent. An attribute name that cannot be written
/// as a PATCH path is `400 invalidPath`.
pub fn diff(old: &Value, new: &Value, schemas: &SchemaRegistry) -> Result<PatchOp, ScimError> {
    let changes = compute::compute(old, new, schemas, &|_| false);
    Ok(PatchOp::new(generic_ops(&changes)?))
}

/// [`diff`] of two typed users.
pub fn diff_users(old: &User, new: &User, schemas: &SchemaRegistry) -> Result<PatchOp, ScimError> {
    diff(&old.to_value(), &new.to_value(), schemas)
}

/// [`diff`] of two typed groups.
pub fn diff_groups(
    old: &Group,
    new: &Group,
    schemas: &SchemaRegistry,
) -> Result<PatchOp, ScimError> {
    diff(&old.to_value(), &new.to_value(), schemas)
}

/// The RFC 7644 rendering: removes, then whole replaces, then one add.
pub(crate) fn generic_ops(changes: &[AttrChange<'_>]) -> Result<Vec<PatchOperation>, ScimError> {
    let mut removes = Vec::new();
    let mut replaces = Vec::new();
    let mut adds: Vec<(Name<'_>, Value)> = Vec::new();
    for c in changes {
        match &c.change {
            Change::Set(v) => adds.push((c.name, v.clone())),
            Change::Unset => removes.push(PatchOperation::remove(path(c.name, None)?)),
            Change::Complex { set, unset, whole } => {
                // Two or more removed sub-attributes: removing the attribute and adding it
                // back whole takes fewer operations.
                if unset.len() >= 2 {
                    removes.push(PatchOperation::remove(path(c.name, None)?));
                    adds.push((c.name, whole.clone()));
                } else {
                    for sub in unset {
                        removes.push(PatchOperation::remove(path(c.name, Some(sub))?));
                    }
                    if !set.is_empty() {
                        adds.push((c.name, Value::Object(set.iter().cloned().collect())));
                    }
                }
            }
            Change::Elements {
                key,
                removed,
                added,
            } => {
                remove_elements(c.name, *key, removed, &mut removes)?;
                if !added.is_empty() {
                    adds.push((c.name, Value::Array(added.clone())));
                }
            }
            Change::Replace(v) => {
                replaces.push(PatchOperation::replace(path(c.name, None)?, v.clone()));
            }
        }
    }
    let mut ops = removes;
    ops.append(&mut replaces);
    match adds.len() {
        0 => {}
        1 => {
            let (name, v) = adds.swap_remove(0);
            ops.push(PatchOperation::add(path(name, None)?, v));
        }
        _ => ops.push(PatchOperation::add_value(Value::Object(merge(adds)))),
    }
    Ok(ops)
}

/// One `remove` with an `attr[key eq "…"]` filter per removed element.
pub(crate) fn remove_elements(
    name: Name<'_>,
    key: Option<&str>,
    removed: &[&str],
    out: &mut Vec<PatchOperation>,
) -> Result<(), ScimError> {
    if let Some(key) = key {
        for k in removed {
            out.push(PatchOperation::remove(value_path(name, key, k)?));
        }
    }
    Ok(())
}

/// The value of a no-path add: core attributes at the top, extension attributes under their URN.
fn merge(adds: Vec<(Name<'_>, Value)>) -> Map<String, Value> {
    let mut out = Map::new();
    for (name, v) in adds {
        match name.urn {
            None => {
                out.insert(name.name.to_owned(), v);
            }
            Some(urn) => {
                let ext = out
                    .entry(urn.to_owned())
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(ext) = ext {
                    ext.insert(name.name.to_owned(), v);
                }
            }
        }
    }
    out
}

/// `attr`, `attr.sub`, `urn:…:attr` or `urn:…:attr.sub`, checked by the path parser.
pub(crate) fn path(name: Name<'_>, sub: Option<&str>) -> Result<String, ScimError> {
    let p = AttrPath::from_parts(name.urn, name.name, sub).map_err(ScimError::from)?;
    Ok(p.to_string())
}

/// `attr[key eq "value"]`, the value quoted as a JSON string.
pub(crate) fn value_path(name: Name<'_>, key: &str, value: &str) -> Result<String, ScimError> {
    let attr = AttrPath::from_parts(name.urn, name.name, None).map_err(ScimError::from)?;
    let key = AttrPath::from_parts(None, key, None).map_err(ScimError::from)?;
    let filter = Filter::Compare(key, CompareOp::Eq, CompValue::String(value.to_owned()));
    Ok(PatchPath::new(attr, Some(filter)).to_string())
}

#[cfg(test)]
mod tests;
