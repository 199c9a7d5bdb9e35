//! The search-index rows of a resource: a pure function of its JSON, so a service writes them
//! in the same transaction as the resource.

use serde_json::{Map, Value};

use super::keys::{Tag, fold, instant_key, int_key, path_key, sort_fold};
use crate::filter::{elements_of, holds_objects, parse_datetime};
use crate::schema::is_unassigned;

/// What an index row stands for (the `kind` column).
pub mod kind {
    /// A string value (`fold`, `exact` and, when it reads as a dateTime, `instant` are set).
    pub const STRING: i16 = 0;
    /// A number (`num`, and `num_int` when it is an integer).
    pub const NUMBER: i16 = 1;
    /// A boolean (`bool_value`).
    pub const BOOLEAN: i16 = 2;
    /// A non-empty array where a value was expected: present, never equal to anything.
    pub const ARRAY: i16 = 3;
    /// An object with an assigned member: present (RFC 7643 §2.5), never equal to anything.
    pub const OBJECT: i16 = 4;
    /// An object whose members are all unassigned: assigned (so not `ne`-vacuous) yet not
    /// present.
    pub const EMPTY_OBJECT: i16 = 5;
    /// A structural row: an element of a multi-valued attribute, or "holds objects".
    pub const MARKER: i16 = 6;
}

/// One row of the `scim_index` table (see [`crate::sql`] for the layout). The tenant, resource
/// type and resource id are the caller's; the rest is computed here.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexRow {
    /// The location and tag, e.g. `username`, `emails.value`, `emails[]`, `name.familyname^`.
    pub path: String,
    /// The element of the top-level attribute the value came from (0 for a single value).
    pub elem: i64,
    /// One of the [`kind`] constants.
    pub kind: i16,
    /// The string folded as the evaluator folds it for `caseExact: false`.
    pub fold: Option<String>,
    /// The string as stored.
    pub exact: Option<String>,
    /// The number as an IEEE double.
    pub num: Option<f64>,
    /// The number as order-preserving text when it is an integer (exact to 64 bits).
    pub num_int: Option<String>,
    /// The string read as a dateTime, as fixed-width UTC text ordered chronologically.
    pub instant: Option<String>,
    /// The boolean.
    pub bool_value: Option<bool>,
}

impl IndexRow {
    fn marker(path: String, elem: usize) -> Self {
        Self::new(path, elem, kind::MARKER)
    }

    fn new(path: String, elem: usize, kind: i16) -> Self {
        Self {
            path,
            elem: i64::try_from(elem).unwrap_or(i64::MAX),
            kind,
            fold: None,
            exact: None,
            num: None,
            num_int: None,
            instant: None,
            bool_value: None,
        }
    }
}

/// The search-index rows of a resource (user, group, or any resource type a schema describes).
///
/// The rows depend on the JSON alone, not on the schemas: every string gets both its exact and
/// its folded text, every number its double and exact integer, and the translator picks the
/// column the attribute's definition calls for. So registering a schema (from `/Schemas`
/// JSON) needs no new code and no re-indexing.
///
/// ```
/// use scimkit::sql::index_rows;
/// use serde_json::json;
///
/// let user = json!({"id": "1", "userName": "BJensen",
///                   "emails": [{"value": "b@example.com", "type": "work"}]});
/// let rows = index_rows(&user);
/// let user_name = rows.iter().find(|r| r.path == "username").unwrap();
/// assert_eq!(user_name.fold.as_deref(), Some("bjensen"));
/// assert!(rows.iter().any(|r| r.path == "emails.type" && r.elem == 0));
/// ```
pub fn index_rows(resource: &Value) -> Vec<IndexRow> {
    let mut out = Vec::new();
    let Some(root) = resource.as_object() else {
        return out;
    };
    for (key, value) in root {
        if key.contains(':') {
            // An extension object: its attributes are a scope of their own (RFC 7643 §3.3).
            // No attribute name holds a colon, so the key is not an attribute itself.
            if is_urn(key)
                && let Some(ext) = value.as_object()
            {
                scope(&mut out, Some(key), ext);
            }
            continue;
        }
        attribute(&mut out, None, key, value);
    }
    // Keys differing only in case would give a resource two sort values: keep the first.
    let mut sorts = std::collections::HashSet::new();
    out.retain(|r| !r.path.ends_with('^') || sorts.insert(r.path.clone()));
    out
}

fn is_urn(key: &str) -> bool {
    key.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("urn:"))
}

fn scope(out: &mut Vec<IndexRow>, member: Option<&str>, obj: &Map<String, Value>) {
    for (key, value) in obj {
        attribute(out, member, key, value);
    }
}

/// The rows of one attribute, mirroring how the evaluator visits its values: the elements of
/// an array (a single value is one element), each element's sub-attributes (an array there is
/// expanded once more), and, for valuePath inner filters, one level below that.
fn attribute(out: &mut Vec<IndexRow>, member: Option<&str>, key: &str, value: &Value) {
    let elements = elements_of(Some(value));
    let path = |parts: &[&str], tag| path_key(member, parts, tag);
    let elements_key = path(&[key], Tag::Elements);
    let values_key = path(&[key], Tag::Values);
    for (i, item) in elements.iter().enumerate() {
        out.push(IndexRow::marker(elements_key.clone(), i));
        value_row(out, &values_key, i, item);
    }
    if holds_objects(value) {
        out.push(IndexRow::marker(path(&[key], Tag::HoldsObjects), 0));
    }
    for (i, item) in elements.iter().enumerate() {
        let Value::Object(obj) = item else { continue };
        for (sub, sv) in obj {
            let sub_key = path(&[key, sub], Tag::Values);
            for w in elements_of(Some(sv)) {
                value_row(out, &sub_key, i, w);
            }
            if holds_objects(sv) {
                out.push(IndexRow::marker(path(&[key, sub], Tag::HoldsObjects), i));
            }
            for w in elements_of(Some(sv)) {
                let Value::Object(inner) = w else { continue };
                for (third, tv) in inner {
                    let third_key = path(&[key, sub, third], Tag::Values);
                    for x in elements_of(Some(tv)) {
                        value_row(out, &third_key, i, x);
                    }
                }
            }
        }
    }
    sort_rows(out, member, key, value);
}

/// A row for one visited value; none for an unassigned one (null, `""`, `[]`, `{}`), which no
/// comparison sees.
fn value_row(out: &mut Vec<IndexRow>, path: &str, elem: usize, v: &Value) {
    if is_unassigned(v) {
        return;
    }
    let mut row = IndexRow::new(path.to_owned(), elem, kind::STRING);
    match v {
        Value::String(s) => {
            row.fold = Some(fold(s));
            row.exact = Some(s.clone());
            row.instant = parse_datetime(s).map(|t| instant_key(&t));
        }
        Value::Number(_) | Value::Bool(_) => row.scalar(v),
        Value::Array(_) => row.kind = kind::ARRAY,
        Value::Object(o) => {
            row.kind = match o.values().any(|m| !is_unassigned(m)) {
                true => kind::OBJECT,
                false => kind::EMPTY_OBJECT,
            };
        }
        Value::Null => return,
    }
    out.push(row);
}

/// The values `SortBy` orders by: the primary element of a multi-valued attribute, else its
/// first; for the attribute itself, an object's `value`; for each sub-attribute, its first
/// value when it is an array.
fn sort_rows(out: &mut Vec<IndexRow>, member: Option<&str>, key: &str, value: &Value) {
    let chosen = match value {
        Value::Array(items) => primary_or_first(items),
        v => Some(v),
    };
    let Some(chosen) = chosen else { return };
    let bare = match chosen {
        Value::Object(o) => get_ci(o, "value"),
        v => Some(v),
    };
    if let Some(v) = bare {
        sort_row(out, path_key(member, &[key], Tag::Sort), v);
    }
    if let Value::Object(o) = chosen {
        for (sub, sv) in o {
            let v = match sv {
                Value::Array(items) => items.first(),
                v => Some(v),
            };
            if let Some(v) = v {
                sort_row(out, path_key(member, &[key, sub], Tag::Sort), v);
            }
        }
    }
}

impl IndexRow {
    /// The keys of a number or a boolean (the same for comparisons and for sorting).
    fn scalar(&mut self, v: &Value) {
        match v {
            Value::Number(n) => {
                self.kind = kind::NUMBER;
                self.num = n.as_f64();
                self.num_int = int_key(n);
            }
            Value::Bool(b) => {
                self.kind = kind::BOOLEAN;
                self.bool_value = Some(*b);
            }
            _ => {}
        }
    }
}

fn sort_row(out: &mut Vec<IndexRow>, path: String, v: &Value) {
    let mut row = IndexRow::new(path, 0, kind::STRING);
    match v {
        Value::String(s) if !s.is_empty() => {
            row.fold = Some(sort_fold(s));
            row.exact = Some(s.clone());
            row.instant = chrono::DateTime::parse_from_rfc3339(s)
                .ok()
                .map(|t| instant_key(&t));
        }
        Value::Number(_) | Value::Bool(_) => row.scalar(v),
        _ => return,
    }
    out.push(row);
}

fn primary_or_first(items: &[Value]) -> Option<&Value> {
    items
        .iter()
        .find(|v| {
            v.as_object()
                .and_then(|o| get_ci(o, "primary"))
                .is_some_and(|p| p == &Value::Bool(true))
        })
        .or_else(|| items.first())
}

/// `SortBy`'s lookup: the exact name first, then any ASCII case.
fn get_ci<'v>(o: &'v Map<String, Value>, name: &str) -> Option<&'v Value> {
    o.get(name).or_else(|| {
        o.iter()
            .find_map(|(k, v)| k.eq_ignore_ascii_case(name).then_some(v))
    })
}
