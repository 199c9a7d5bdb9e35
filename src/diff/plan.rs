//! [`Target`]: what a service provider accepts in PATCH requests, and [`plan`], the diff shaped
//! into requests within those limits.

use std::borrow::Cow;
use std::collections::HashSet;

use serde_json::{Value, json};

use super::compute::{self, AttrChange, Change, Name, fold_str, get_ci};
use super::{generic_ops, path, remove_elements};
use crate::error::ScimError;
use crate::model::{Op, PatchOp, PatchOperation};
use crate::schema::{Attribute, SchemaRegistry};

/// The PATCH limits of a SCIM service provider, which [`plan`] shapes a diff for.
///
/// [`Target::rfc7644`] accepts everything RFC 7644 allows; [`Target::identity_center`] holds AWS
/// IAM Identity Center's limits. Other targets start from a preset and set fields.
///
/// ```
/// use scimkit::diff::Target;
///
/// let aws = Target::identity_center();
/// assert_eq!(aws.max_values_per_request, Some(100));
/// assert!(!aws.multi_attribute_ops);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Target {
    /// Several attributes may share one no-path `add` (RFC 7644 §3.5.2.1). When `false`, every
    /// operation has a path and names one attribute.
    pub multi_attribute_ops: bool,
    /// Changes inside a complex single-valued attribute are addressed by sub-attribute path
    /// (`replace name.givenName`), one operation each.
    pub sub_attribute_paths: bool,
    /// Multi-valued attributes whose elements are added and removed with `path: "<attribute>"`
    /// and a `value` list of `{"value": …}` objects, never replaced and never removed whole
    /// (Identity Center's `members`, rules 46–49).
    pub value_list_attributes: Vec<String>,
    /// The most elements of those attributes added or removed in one request.
    pub max_values_per_request: Option<usize>,
    /// Attributes that may not be removed (Identity Center: `userName`, `active`, rule 39).
    pub unremovable: Vec<String>,
    /// Attributes a PATCH may change, per core schema URN (an extension URN in the list allows
    /// all of its attributes). A resource whose core schema is not listed may change anything;
    /// changes to other attributes are left out of the plan.
    pub modifiable: Vec<(String, Vec<String>)>,
}

impl Default for Target {
    fn default() -> Self {
        Self::rfc7644()
    }
}

impl Target {
    /// A service provider that implements RFC 7644 PATCH in full: the plan is the [`diff`]
    /// as one request.
    ///
    /// [`diff`]: super::diff
    pub fn rfc7644() -> Self {
        Self {
            multi_attribute_ops: true,
            sub_attribute_paths: false,
            value_list_attributes: Vec::new(),
            max_values_per_request: None,
            unremovable: Vec::new(),
            modifiable: Vec::new(),
        }
    }

    /// AWS IAM Identity Center (reference rules 38–41, 46–49): one pathed operation per
    /// attribute, sub-attribute paths, `members` changed by `add`/`remove` value lists of at most
    /// 100 per request, no `remove` of `userName` or `active`, and only the attributes PatchUser
    /// and PatchGroup may change.
    pub fn identity_center() -> Self {
        let strings = |names: &[&str]| names.iter().map(|s| (*s).to_owned()).collect();
        Self {
            multi_attribute_ops: false,
            sub_attribute_paths: true,
            value_list_attributes: strings(&["members"]),
            max_values_per_request: Some(100),
            unremovable: strings(&["userName", "active"]),
            modifiable: vec![
                (
                    crate::schema::USER_SCHEMA.to_owned(),
                    strings(&crate::aws::PATCH_USER_ATTRIBUTES),
                ),
                (
                    crate::schema::GROUP_SCHEMA.to_owned(),
                    strings(&crate::aws::PATCH_GROUP_ATTRIBUTES),
                ),
            ],
        }
    }

    fn may_modify(&self, core: Option<&str>, name: Name<'_>) -> bool {
        let Some((_, allowed)) = core.and_then(|core| {
            self.modifiable
                .iter()
                .find(|(s, _)| s.eq_ignore_ascii_case(core))
        }) else {
            return true;
        };
        allowed
            .iter()
            .any(|a| a.eq_ignore_ascii_case(name.urn.unwrap_or(name.name)))
    }

    fn listed(list: &[String], name: Name<'_>) -> bool {
        name.urn.is_none() && list.iter().any(|a| a.eq_ignore_ascii_case(name.name))
    }
}

/// The requests that turn `old` into `new` on `target`, in order; empty when nothing changes.
///
/// Changes to attributes the target does not let a PATCH modify are left out (validate first to
/// report them). Removing an attribute the target cannot remove is `400 mutability`; an element
/// of a value-list attribute without a string `value` is `400 invalidValue`.
///
/// ```
/// use scimkit::SchemaRegistry;
/// use scimkit::diff::{Target, plan};
/// use serde_json::json;
///
/// let group = |members: std::ops::Range<u32>| json!({
///     "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
///     "displayName": "Ops",
///     "members": members.map(|i| json!({"value": format!("u-{i}")})).collect::<Vec<_>>(),
/// });
/// let requests = plan(&group(0..10), &group(0..260), &SchemaRegistry::default(), &Target::identity_center())?;
/// assert_eq!(requests.len(), 3); // 250 new members: 100 + 100 + 50
/// let first = serde_json::to_value(&requests[0])?;
/// assert_eq!(first["Operations"][0]["op"], "add");
/// assert_eq!(first["Operations"][0]["path"], "members");
/// assert_eq!(first["Operations"][0]["value"].as_array().map(Vec::len), Some(100));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn plan(
    old: &Value,
    new: &Value,
    schemas: &SchemaRegistry,
    target: &Target,
) -> Result<Vec<PatchOp>, ScimError> {
    let core = compute::core_of(old, new, schemas);
    let listed = |n: Name<'_>| Target::listed(&target.value_list_attributes, n);
    let changes: Vec<AttrChange<'_>> = compute::compute(old, new, schemas, &listed)
        .into_iter()
        .filter(|c| target.may_modify(core, c.name))
        .collect();
    let (lists, others): (Vec<_>, Vec<_>) = changes.into_iter().partition(|c| listed(c.name));
    for c in &others {
        if c.change == Change::Unset && Target::listed(&target.unremovable, c.name) {
            return Err(ScimError::mutability(format!(
                "the target does not allow removing `{}`",
                c.name.name
            )));
        }
    }
    let attribute_ops = if target.multi_attribute_ops {
        generic_ops(&others)?
    } else {
        pathed_ops(&others, target)?
    };
    let mut batches = Vec::new();
    for c in &lists {
        let key = c
            .attr
            .and_then(|a| a.sub_attribute("value"))
            .map_or("value", Attribute::name);
        let fold = !c
            .attr
            .and_then(|a| a.sub_attribute("value"))
            .is_some_and(Attribute::case_exact);
        let (removed, added) = value_delta(
            get_ci(old, c.name.name),
            get_ci(new, c.name.name),
            key,
            fold,
        )?;
        batches.push((c.name, key, Op::Remove, removed));
        batches.push((c.name, key, Op::Add, added));
    }
    Ok(pack(attribute_ops, batches, target.max_values_per_request))
}

/// One pathed operation per attribute or sub-attribute.
fn pathed_ops(
    changes: &[AttrChange<'_>],
    target: &Target,
) -> Result<Vec<PatchOperation>, ScimError> {
    let mut ops = Vec::new();
    for c in changes {
        let whole = || path(c.name, None);
        match &c.change {
            Change::Set(v) | Change::Replace(v) => {
                ops.push(PatchOperation::replace(whole()?, v.clone()));
            }
            Change::Unset => ops.push(PatchOperation::remove(whole()?)),
            Change::Complex {
                set,
                unset,
                whole: all,
            } => {
                if target.sub_attribute_paths {
                    for sub in unset {
                        ops.push(PatchOperation::remove(path(c.name, Some(sub))?));
                    }
                    for (sub, v) in set {
                        ops.push(PatchOperation::replace(path(c.name, Some(sub))?, v.clone()));
                    }
                } else if unset.is_empty() {
                    let set: serde_json::Map<String, Value> = set.iter().cloned().collect();
                    ops.push(PatchOperation::replace(whole()?, Value::Object(set)));
                } else {
                    ops.push(PatchOperation::remove(whole()?));
                    ops.push(PatchOperation::add(whole()?, all.clone()));
                }
            }
            Change::Elements {
                key,
                removed,
                added,
            } => {
                remove_elements(c.name, *key, removed, &mut ops)?;
                if !added.is_empty() {
                    ops.push(PatchOperation::add(whole()?, Value::Array(added.clone())));
                }
            }
        }
    }
    Ok(ops)
}

/// The keys of elements only `old` has and only `new` has, with hash sets (linear).
fn value_delta<'v>(
    old: Option<&'v Value>,
    new: Option<&'v Value>,
    key: &str,
    fold: bool,
) -> Result<(Vec<&'v str>, Vec<&'v str>), ScimError> {
    let old = keys(old, key)?;
    let new = keys(new, key)?;
    let folded = |k: &'v str| if fold { fold_str(k) } else { Cow::Borrowed(k) };
    let old_set: HashSet<Cow<'v, str>> = old.iter().map(|k| folded(k)).collect();
    let new_set: HashSet<Cow<'v, str>> = new.iter().map(|k| folded(k)).collect();
    let mut seen = HashSet::with_capacity(new.len());
    let removed = old
        .into_iter()
        .filter(|k| !new_set.contains(&folded(k)))
        .collect();
    let added = new
        .into_iter()
        .filter(|k| !old_set.contains(&folded(k)) && seen.insert(folded(k)))
        .collect();
    Ok((removed, added))
}

fn keys<'v>(list: Option<&'v Value>, key: &str) -> Result<Vec<&'v str>, ScimError> {
    let items = match list {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(_) => return Err(ScimError::invalid_value("expected a list of members")),
    };
    items
        .iter()
        .filter(|v| !v.is_null())
        .map(|v| {
            get_ci(v, key)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .ok_or_else(|| ScimError::invalid_value(format!("an element has no `{key}`")))
        })
        .collect()
}

/// Requests: the attribute operations first, then value-list changes, at most `max` values per
/// request; never an empty request or an empty value list.
fn pack(
    attribute_ops: Vec<PatchOperation>,
    batches: Vec<(Name<'_>, &str, Op, Vec<&str>)>,
    max: Option<usize>,
) -> Vec<PatchOp> {
    let max = max.unwrap_or(usize::MAX).max(1);
    let mut requests = Vec::new();
    let mut current = attribute_ops;
    let mut budget = max;
    for (name, key, op, values) in batches {
        let mut rest = values.as_slice();
        while !rest.is_empty() {
            if budget == 0 {
                requests.push(PatchOp::new(std::mem::take(&mut current)));
                budget = max;
            }
            let (now, later) = rest.split_at(rest.len().min(budget));
            let value: Vec<Value> = now.iter().map(|v| json!({ key: v })).collect();
            current.push(PatchOperation::new(
                op,
                Some(name.path()),
                Some(Value::Array(value)),
            ));
            budget -= now.len();
            rest = later;
        }
    }
    if !current.is_empty() {
        requests.push(PatchOp::new(current));
    }
    requests
}
