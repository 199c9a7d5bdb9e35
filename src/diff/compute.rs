//! The semantic difference between two resources, one entry per attribute, before it is rendered
//! as PATCH operations (generic RFC 7644 form, or shaped for a target).

use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

use serde_json::{Map, Value};

use crate::schema::{AttrType, Attribute, Mutability, SchemaRegistry};

/// An attribute's place in a resource: its name, and the extension URN it lives under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Name<'a> {
    /// The extension schema URN, for an attribute stored under `resource["urn:…"]`.
    pub(crate) urn: Option<&'a str>,
    /// The attribute name: the schema's spelling when the schema defines it.
    pub(crate) name: &'a str,
}

impl Name<'_> {
    /// The attribute path: `name` or `urn:…:name` (RFC 7644 §3.10).
    pub(crate) fn path(&self) -> String {
        match self.urn {
            Some(urn) => format!("{urn}:{}", self.name),
            None => self.name.to_owned(),
        }
    }
}

/// How one attribute differs.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Change<'a> {
    /// Newly assigned, or a single-valued simple value that changed: the new (cleaned) value.
    Set(Value),
    /// Assigned before, unassigned now (RFC 7643 §2.5).
    Unset,
    /// A complex single-valued attribute assigned on both sides: sub-attributes to set and to
    /// unset, and the whole new value.
    Complex {
        set: Vec<(String, Value)>,
        unset: Vec<String>,
        whole: Value,
    },
    /// A multi-valued attribute whose elements are told apart by the `key` sub-attribute (or,
    /// with no key, simple values that were only added): old elements to remove, by their key
    /// value, and new elements to add.
    Elements {
        key: Option<&'a str>,
        removed: Vec<&'a str>,
        added: Vec<Value>,
    },
    /// A multi-valued attribute replaced whole: no element key, or nothing of the old kept.
    Replace(Value),
}

/// One attribute's difference.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AttrChange<'a> {
    pub(crate) name: Name<'a>,
    pub(crate) attr: Option<&'a Attribute>,
    pub(crate) change: Change<'a>,
}

/// One top-level value of a resource, with its definition.
struct Entry_<'a> {
    name: Name<'a>,
    attr: Option<&'a Attribute>,
    value: &'a Value,
}

/// The differences between `old` and `new`, in the order of `new`'s attributes, then the
/// attributes only `old` has. readOnly attributes and `schemas` are left out.
///
/// Attributes for which `opaque` holds are not diffed element by element: when their raw values
/// differ they get a `Replace(Value::Null)` marker, for a caller that diffs them its own way.
pub(crate) fn compute<'a>(
    old: &'a Value,
    new: &'a Value,
    schemas: &'a SchemaRegistry,
    opaque: &dyn Fn(Name<'_>) -> bool,
) -> Vec<AttrChange<'a>> {
    let core = core_of(old, new, schemas);
    let old_entries = entries(old, core, schemas);
    let new_entries = entries(new, core, schemas);
    let mut old_index: HashMap<(Option<String>, String), usize> = old_entries
        .iter()
        .enumerate()
        .map(|(i, e)| (fold_name(e.name), i))
        .collect();
    let mut out = Vec::new();
    for n in &new_entries {
        let o = old_index
            .remove(&fold_name(n.name))
            .map(|i| old_entries[i].value);
        let change = if opaque(n.name) {
            (o != Some(n.value)).then_some(Change::Replace(Value::Null))
        } else {
            attribute(n.attr, o, Some(n.value))
        };
        if let Some(change) = change {
            out.push(AttrChange {
                name: n.name,
                attr: n.attr,
                change,
            });
        }
    }
    let mut gone: Vec<usize> = old_index.into_values().collect();
    gone.sort_unstable();
    for i in gone {
        let o = &old_entries[i];
        let change = if opaque(o.name) {
            Some(Change::Replace(Value::Null))
        } else {
            attribute(o.attr, Some(o.value), None)
        };
        if let Some(change) = change {
            out.push(AttrChange {
                name: o.name,
                attr: o.attr,
                change,
            });
        }
    }
    out
}

/// The core schema of the resource being diffed: from `new`'s `schemas`, else `old`'s.
pub(crate) fn core_of<'a>(
    old: &Value,
    new: &Value,
    schemas: &'a SchemaRegistry,
) -> Option<&'a str> {
    core_schema(new, schemas).or_else(|| core_schema(old, schemas))
}

fn fold_name(n: Name<'_>) -> (Option<String>, String) {
    (
        n.urn.map(str::to_ascii_lowercase),
        n.name.to_ascii_lowercase(),
    )
}

/// The resource's core schema: the first registered non-extension URN in its `schemas`.
fn core_schema<'a>(resource: &Value, schemas: &'a SchemaRegistry) -> Option<&'a str> {
    get_ci(resource, "schemas")?
        .as_array()?
        .iter()
        .filter_map(Value::as_str)
        .filter_map(|s| schemas.schema(s))
        .find(|s| !schemas.is_extension(s.id()))
        .map(|s| s.id())
}

/// A member of an object by name, exact spelling first, then ignoring ASCII case (RFC 7643 §2.1).
pub(crate) fn get_ci<'v>(v: &'v Value, name: &str) -> Option<&'v Value> {
    let o = v.as_object()?;
    o.get(name).or_else(|| {
        o.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

/// The top-level attributes of a resource, extension attributes flattened under their URN,
/// without readOnly attributes and `schemas`.
fn entries<'a>(
    resource: &'a Value,
    core: Option<&str>,
    schemas: &'a SchemaRegistry,
) -> Vec<Entry_<'a>> {
    let mut out = Vec::new();
    let Some(obj) = resource.as_object() else {
        return out;
    };
    for (key, value) in obj {
        let ext = schemas.schema(key).filter(|s| schemas.is_extension(s.id()));
        if let (Some(ext), Some(inner)) = (ext, value.as_object()) {
            for (k, v) in inner {
                let attr = ext.attribute(k);
                push(&mut out, Some(ext.id()), k, attr, v);
            }
        } else if key.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("urn:")) && value.is_object()
        {
            // An extension the registry does not know: its attributes follow the §2.2 defaults.
            for (k, v) in value.as_object().into_iter().flatten() {
                push(&mut out, Some(key), k, None, v);
            }
        } else if !key.eq_ignore_ascii_case("schemas") {
            let attr = schemas.resolve_parts(core, key, None).map(|r| r.attribute);
            push(&mut out, None, key, attr, value);
        }
    }
    out
}

fn push<'a>(
    out: &mut Vec<Entry_<'a>>,
    urn: Option<&'a str>,
    key: &'a str,
    attr: Option<&'a Attribute>,
    value: &'a Value,
) {
    if attr.is_some_and(|a| a.mutability() == Mutability::ReadOnly) {
        return;
    }
    let name = attr.map_or(key, Attribute::name);
    out.push(Entry_ {
        name: Name { urn, name },
        attr,
        value,
    });
}

/// A value without its unassigned parts and readOnly sub-attributes, with the schema's spelling
/// of sub-attribute names; `None` when nothing is left (RFC 7643 §2.5).
pub(crate) fn clean(v: &Value, attr: Option<&Attribute>) -> Option<Value> {
    match v {
        Value::Null => None,
        Value::String(s) if s.is_empty() => None,
        Value::Array(items) => {
            let kept: Vec<Value> = items.iter().filter_map(|i| clean_single(i, attr)).collect();
            (!kept.is_empty()).then_some(Value::Array(kept))
        }
        _ => clean_single(v, attr),
    }
}

fn clean_single(v: &Value, attr: Option<&Attribute>) -> Option<Value> {
    match (v, attr) {
        (Value::Null, _) => None,
        (Value::String(s), _) if s.is_empty() => None,
        (Value::Object(o), Some(a)) if a.kind() == AttrType::Complex => {
            let mut out = Map::new();
            for (k, sv) in o {
                let sub = a.sub_attribute(k);
                if sub.is_some_and(|s| s.mutability() == Mutability::ReadOnly) {
                    continue;
                }
                // Sub-attributes are simple (RFC 7643 §2.3.8): no deeper recursion.
                let kept = match sv {
                    Value::Null => None,
                    Value::String(s) if s.is_empty() => None,
                    Value::Array(a) if a.is_empty() => None,
                    other => Some(other.clone()),
                };
                if let Some(kept) = kept {
                    out.insert(sub.map_or(k.as_str(), Attribute::name).to_owned(), kept);
                }
            }
            (!out.is_empty()).then_some(Value::Object(out))
        }
        (Value::Object(o), _) if o.is_empty() => None,
        (Value::Array(a), _) if a.is_empty() => None,
        _ => Some(v.clone()),
    }
}

fn attribute<'a>(
    attr: Option<&'a Attribute>,
    old: Option<&'a Value>,
    new: Option<&'a Value>,
) -> Option<Change<'a>> {
    if let Some((a, key)) = attr.and_then(|a| Some((a, keyed(a)?))) {
        let as_list = |v: Option<&'a Value>| match v {
            None | Some(Value::Null) => Some(&[][..]),
            Some(Value::Array(items)) => Some(items.as_slice()),
            Some(_) => None,
        };
        if let (Some(o), Some(n)) = (as_list(old), as_list(new)) {
            return elements(a, key, o, n);
        }
    }
    let old_c = old.and_then(|v| clean(v, attr));
    let new_c = new.and_then(|v| clean(v, attr));
    match (old_c, new_c) {
        (None, None) => None,
        (Some(_), None) => Some(Change::Unset),
        (None, Some(n)) => Some(Change::Set(n)),
        (Some(o), Some(n)) if o == n => None,
        (Some(o), Some(n)) => Some(both(attr, o, n)),
    }
}

/// Both sides assigned and different.
fn both<'a>(attr: Option<&'a Attribute>, old: Value, new: Value) -> Change<'a> {
    let multi = attr.map_or(new.is_array(), Attribute::multi_valued);
    match (multi, attr, old, new) {
        (true, Some(a), Value::Array(_), Value::Array(n)) if a.kind() == AttrType::Complex => {
            Change::Replace(Value::Array(n))
        }
        (true, Some(a), Value::Array(o), Value::Array(n)) => simple_values(a, &o, n),
        (false, _, Value::Object(o), Value::Object(n)) => complex(&o, n),
        (true, _, _, n) => Change::Replace(n),
        (false, _, _, n) => Change::Set(n),
    }
}

/// Two complex values, both assigned: keys are already in the schema's spelling (`clean`).
fn complex<'a>(old: &Map<String, Value>, new: Map<String, Value>) -> Change<'a> {
    let unset = old
        .keys()
        .filter(|k| !new.contains_key(*k))
        .cloned()
        .collect();
    let set = new
        .iter()
        .filter(|(k, v)| old.get(*k) != Some(*v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Change::Complex {
        set,
        unset,
        whole: Value::Object(new),
    }
}

/// Simple multi-valued values: additions only can be appended; any removal replaces the list.
fn simple_values<'a>(attr: &'a Attribute, old: &[Value], new: Vec<Value>) -> Change<'a> {
    let fold = !attr.case_exact();
    let old_keys: HashMap<Cow<'_, Value>, usize> =
        old.iter().map(|v| (fold_value(v, fold), 0)).collect();
    let new_keys: HashMap<Cow<'_, Value>, usize> =
        new.iter().map(|v| (fold_value(v, fold), 0)).collect();
    if old_keys.keys().any(|k| !new_keys.contains_key(k)) || old_keys.len() != old.len() {
        return Change::Replace(Value::Array(new));
    }
    let added = new
        .iter()
        .filter(|v| !old_keys.contains_key(&fold_value(v, fold)))
        .cloned()
        .collect();
    Change::Elements {
        key: None,
        removed: Vec::new(),
        added,
    }
}

fn fold_value(v: &Value, fold: bool) -> Cow<'_, Value> {
    match v {
        Value::String(s) if fold => match fold_str(s) {
            Cow::Borrowed(_) => Cow::Borrowed(v),
            Cow::Owned(s) => Cow::Owned(Value::String(s)),
        },
        _ => Cow::Borrowed(v),
    }
}

/// A string as compared under caseExact=false; borrowed when it is already in lower case.
pub(crate) fn fold_str(s: &str) -> Cow<'_, str> {
    if s.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.to_lowercase())
    }
}

/// The sub-attribute that tells the elements of a complex multi-valued attribute apart: `value`.
fn keyed(attr: &Attribute) -> Option<&Attribute> {
    (attr.multi_valued() && attr.kind() == AttrType::Complex)
        .then(|| attr.sub_attribute("value"))
        .flatten()
}

/// Whether an element holds anything once unassigned and readOnly parts are left out, without
/// copying it.
fn is_assigned(v: &Value, attr: &Attribute) -> bool {
    match v {
        Value::Object(o) => o.iter().any(|(k, sv)| {
            !attr
                .sub_attribute(k)
                .is_some_and(|s| s.mutability() == Mutability::ReadOnly)
                && !matches!(sv, Value::Null)
                && sv.as_str() != Some("")
                && sv.as_array().is_none_or(|a| !a.is_empty())
        }),
        other => clean_single(other, Some(attr)).is_some(),
    }
}

fn same_element(a: &Value, b: &Value, attr: &Attribute) -> bool {
    a == b || clean_single(a, Some(attr)) == clean_single(b, Some(attr))
}

fn cleaned(items: &[&Value], attr: &Attribute) -> Value {
    Value::Array(
        items
            .iter()
            .filter_map(|v| clean_single(v, Some(attr)))
            .collect(),
    )
}

/// Complex multi-valued elements told apart by `key` (their `value`), with hash maps: linear in
/// the number of elements. Falls back to a whole replace when an element has no key, two
/// elements share one (under the key's caseExact), or no old element is kept unchanged.
fn elements<'a>(
    attr: &'a Attribute,
    key: &'a Attribute,
    old: &'a [Value],
    new: &'a [Value],
) -> Option<Change<'a>> {
    let old: Vec<&'a Value> = old.iter().filter(|v| is_assigned(v, attr)).collect();
    let new: Vec<&'a Value> = new.iter().filter(|v| is_assigned(v, attr)).collect();
    match (old.is_empty(), new.is_empty()) {
        (true, true) => return None,
        (false, true) => return Some(Change::Unset),
        (true, false) => return Some(Change::Set(cleaned(&new, attr))),
        (false, false) => {}
    }
    let k = key.name();
    let fold = !key.case_exact();
    let key_of = |v: &'a Value| -> Option<(&'a str, Cow<'a, str>)> {
        let s = get_ci(v, k)?.as_str()?;
        Some((s, if fold { fold_str(s) } else { Cow::Borrowed(s) }))
    };
    let replace = || Some(Change::Replace(cleaned(&new, attr)));
    // One map for both sides: key → (index in `old`, seen in `new`), one hash lookup per element.
    let mut map: HashMap<Cow<'a, str>, (Option<usize>, bool)> =
        HashMap::with_capacity(old.len() + new.len() / 8);
    let mut old_keys: Vec<&'a str> = Vec::with_capacity(old.len());
    for (i, v) in old.iter().enumerate() {
        let Some((raw, folded)) = key_of(v) else {
            return replace();
        };
        if map.insert(folded, (Some(i), false)).is_some() {
            return replace();
        }
        old_keys.push(raw);
    }
    let mut kept = vec![false; old.len()];
    let mut added = Vec::new();
    for v in &new {
        let Some((_, folded)) = key_of(v) else {
            return replace();
        };
        match map.entry(folded) {
            Entry::Occupied(mut slot) => {
                let (old_index, seen) = slot.get_mut();
                if std::mem::replace(seen, true) {
                    return replace();
                }
                match *old_index {
                    Some(i) if same_element(old[i], v, attr) => kept[i] = true,
                    _ => added.extend(clean_single(v, Some(attr))),
                }
            }
            Entry::Vacant(slot) => {
                slot.insert((None, true));
                added.extend(clean_single(v, Some(attr)));
            }
        }
    }
    let removed: Vec<&'a str> = old_keys
        .iter()
        .zip(&kept)
        .filter(|(_, kept)| !**kept)
        .map(|(k, _)| *k)
        .collect();
    if removed.is_empty() && added.is_empty() {
        return None;
    }
    if removed.len() == old.len() {
        return replace();
    }
    Some(Change::Elements {
        key: Some(k),
        removed,
        added,
    })
}
