//! `sortBy` / `sortOrder` (RFC 7644 §3.4.2.3): a schema-aware order over resources.

use std::borrow::{Borrow, Cow};
use std::cmp::Ordering;

use chrono::{DateTime, FixedOffset};
use serde_json::{Map, Number, Value};

use super::select::{Selector, get_ci, truncate};
use crate::error::ScimError;
use crate::schema::{AttrType, Mutability, Returned, SchemaRegistry, compare_numbers};

use super::SortOrder;

/// The attribute resources are ordered by, resolved against the schemas once.
///
/// RFC 7644 §3.4.2.3: a multi-valued attribute sorts by its primary value, or else its first;
/// a complex attribute must be named by a sub-attribute (`name.familyName`), except that a
/// multi-valued complex one (`emails`) sorts by its `value`. Strings compare by Unicode code
/// point, ignoring case unless the attribute is `caseExact`; numbers (exactly, by
/// [`compare_numbers`](crate::schema::compare_numbers)), booleans and dateTimes
/// compare by value (dateTimes chronologically, whatever their offset). Resources without a
/// value come last ascending and first descending. The sort is stable.
///
/// ```
/// use scimkit::SchemaRegistry;
/// use scimkit::query::{SortBy, SortOrder};
/// use serde_json::json;
///
/// let schemas = SchemaRegistry::default();
/// let a = json!({"userName": "b", "emails": [{"value": "z@x"}, {"value": "a@x", "primary": true}]});
/// let b = json!({"userName": "A", "emails": [{"value": "m@x"}]});
/// let c = json!({"userName": "c"});
///
/// let mut list = vec![&a, &b, &c];
/// SortBy::new("userName", &schemas)?.sort(&mut list, SortOrder::Ascending);
/// assert_eq!(list, [&b, &a, &c]); // userName is not caseExact
///
/// SortBy::new("emails", &schemas)?.sort(&mut list, SortOrder::Descending);
/// assert_eq!(list, [&c, &b, &a]); // missing first, then "m@x", then the primary "a@x"
/// # Ok::<(), scimkit::ScimError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortBy {
    extension: Option<Box<str>>,
    name: Box<str>,
    /// The sub-attribute read from the (chosen element of the) attribute.
    sub: Option<Box<str>>,
    /// The leaf's type; `None` when no schema knows it, and the JSON value decides.
    kind: Option<AttrType>,
    case_exact: bool,
}

impl SortBy {
    /// Resolves a `sortBy` value.
    ///
    /// A malformed path is `400 invalidPath`. Naming a single-valued complex attribute without
    /// a sub-attribute is `400 invalidPath`, and an attribute that is never returned or is
    /// write-only (`password`) is `400 invalidValue`: an order over it would disclose it.
    pub fn new(path: &str, schemas: &SchemaRegistry) -> Result<Self, ScimError> {
        let path = path.trim();
        let Selector::Attr {
            extension,
            name,
            sub,
        } = Selector::parse(path, schemas)?
        else {
            return Err(ScimError::invalid_path(format!(
                "cannot sort by a whole schema `{}`",
                truncate(path)
            )));
        };
        let resolved = schemas.resolve_parts(extension.as_deref(), &name, sub.as_deref());
        let mut sub = sub;
        let (mut kind, mut case_exact) = (None, false);
        if let Some(r) = resolved {
            let attr = r.attribute;
            let mut leaf = r.leaf();
            if attr.kind() == AttrType::Complex && sub.is_none() {
                // RFC 7643 §2.4: a multi-valued complex attribute's significant value is `value`.
                match attr.sub_attribute("value") {
                    Some(v) if attr.multi_valued() => {
                        sub = Some(v.name().into());
                        leaf = v;
                    }
                    _ => {
                        return Err(ScimError::invalid_path(format!(
                            "`{}` is complex: sort by one of its sub-attributes",
                            truncate(path)
                        )));
                    }
                }
            }
            if [attr, leaf]
                .iter()
                .any(|a| a.returned() == Returned::Never || a.mutability() == Mutability::WriteOnly)
            {
                return Err(ScimError::invalid_value(format!(
                    "`{}` is never returned and cannot be sorted on",
                    truncate(path)
                )));
            }
            kind = Some(leaf.kind());
            case_exact = leaf.case_exact();
        }
        Ok(Self {
            extension,
            name,
            sub,
            kind,
            case_exact,
        })
    }

    /// Sorts `resources` in place, stably.
    pub fn sort<R: Borrow<Value>>(&self, resources: &mut [R], order: SortOrder) {
        // Each key is computed once (and case-folded once), not once per comparison.
        let mut keyed: Vec<(Key<'_>, usize)> = resources
            .iter()
            .enumerate()
            .map(|(i, r)| (self.key(r.borrow()), i))
            .collect();
        keyed.sort_by(|(a, _), (b, _)| match order {
            SortOrder::Ascending => a.cmp(b),
            SortOrder::Descending => b.cmp(a),
        });
        let order: Vec<usize> = keyed.into_iter().map(|(_, i)| i).collect();
        apply_permutation(resources, order);
    }

    /// Compares two resources by this attribute, ascending.
    pub fn compare(&self, a: &Value, b: &Value) -> Ordering {
        self.key(a).cmp(&self.key(b))
    }

    fn key<'v>(&self, resource: &'v Value) -> Key<'v> {
        self.value(resource)
            .map_or(Key::Missing, |v| self.key_of(v))
    }

    /// The one value a resource is ordered by.
    fn value<'v>(&self, resource: &'v Value) -> Option<&'v Value> {
        let mut holder: &Map<String, Value> = resource.as_object()?;
        if let Some(urn) = &self.extension {
            holder = get_ci(holder, urn)?.as_object()?;
        }
        let mut value = get_ci(holder, &self.name)?;
        if let Value::Array(items) = value {
            value = primary_or_first(items)?;
        }
        match (&self.sub, value) {
            (Some(sub), _) => {
                value = get_ci(value.as_object()?, sub)?;
                if let Value::Array(items) = value {
                    value = items.first()?;
                }
            }
            // An element of a multi-valued attribute no schema describes: RFC 7643 §2.4's
            // `value`, as for the attributes the schemas define.
            (None, Value::Object(element)) => value = get_ci(element, "value")?,
            (None, _) => {}
        }
        Some(value)
    }

    fn key_of<'v>(&self, value: &'v Value) -> Key<'v> {
        match value {
            Value::Null => Key::Missing,
            Value::Bool(b) => Key::Bool(*b),
            Value::Number(n) => Key::Number(n),
            Value::String(s) if s.is_empty() => Key::Missing,
            Value::String(s) => {
                if self.kind == Some(AttrType::DateTime)
                    && let Ok(t) = DateTime::parse_from_rfc3339(s)
                {
                    return Key::Time(t);
                }
                // Binary values are base64 text: their case is significant (RFC 7643 §2.3.6).
                if self.case_exact || self.kind == Some(AttrType::Binary) {
                    Key::Text(Cow::Borrowed(s))
                } else {
                    Key::Text(fold(s))
                }
            }
            // An object or array where a simple value belongs has no order.
            Value::Object(_) | Value::Array(_) => Key::Missing,
        }
    }
}

/// The element whose `primary` is true, else the first (RFC 7644 §3.4.2.3).
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

/// Lowercases only when needed, so already-lowercase values are not copied.
fn fold(s: &str) -> Cow<'_, str> {
    if s.chars().any(char::is_uppercase) {
        Cow::Owned(s.to_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// Reorders `items` so that position `i` holds what was at `order[i]`.
fn apply_permutation<R>(items: &mut [R], mut order: Vec<usize>) {
    for i in 0..order.len() {
        // Follow the cycle through `i`, swapping each element into place once.
        let mut current = i;
        while order[current] != i {
            let next = order[current];
            items.swap(current, next);
            order[current] = current;
            current = next;
        }
        order[current] = current;
    }
}

/// A sort key. Values of different JSON kinds (which a schema-conforming resource does not
/// mix) order by kind so that the order stays total; missing values order last.
#[derive(Debug)]
enum Key<'v> {
    Bool(bool),
    Number(&'v Number),
    Time(DateTime<FixedOffset>),
    Text(Cow<'v, str>),
    Missing,
}

impl Key<'_> {
    fn rank(&self) -> u8 {
        match self {
            Self::Bool(_) => 0,
            Self::Number(_) => 1,
            Self::Time(_) => 2,
            Self::Text(_) => 3,
            Self::Missing => 4,
        }
    }
}

impl PartialEq for Key<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Key<'_> {}

impl PartialOrd for Key<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Key<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Self::Bool(a), Self::Bool(b)) => a.cmp(b),
            (Self::Number(a), Self::Number(b)) => compare_numbers(a, b),
            (Self::Time(a), Self::Time(b)) => a.cmp(b),
            (Self::Text(a), Self::Text(b)) => a.cmp(b),
            _ => self.rank().cmp(&other.rank()),
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::{Value, json};

    use super::*;

    /// Values of every kind an attribute may hold: numbers that collide as `f64`, strings in
    /// both cases and beyond ASCII, dateTimes, booleans, null, objects and arrays.
    fn value() -> impl Strategy<Value = Value> {
        let base = 1i64 << 53;
        prop_oneof![
            6 => (-3i64..=3).prop_map(move |d| json!(base + d)),
            6 => (-3i64..=3).prop_map(move |d| json!((base + d) as f64)),
            1 => any::<i64>().prop_map(|i| json!(i)),
            1 => any::<u64>().prop_map(|u| json!(u)),
            1 => any::<f64>().prop_map(|f| json!(f)),
            1 => prop::sample::select(vec!["", "a", "A", "é", "É", "ß", "SS", "\u{212A}", "k", "Σ"])
                .prop_map(|s| json!(s)),
            1 => prop::sample::select(vec!["2011-05-13T04:42:34Z", "2011-05-13T06:42:34+02:00"])
                .prop_map(|s| json!(s)),
            1 => any::<bool>().prop_map(|b| json!(b)),
            1 => Just(Value::Null),
            1 => Just(json!({"value": 1})),
            1 => Just(json!([2, 1])),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]
        /// The comparator is a total order, for every attribute type, whatever the values.
        #[test]
        fn compare_is_a_total_order(
            a in value(), b in value(), c in value(),
            path in prop::sample::select(vec!["x-any", "userName", "meta.created", "active"]),
        ) {
            let schemas = SchemaRegistry::default();
            let by = SortBy::new(path, &schemas).unwrap();
            let [a, b, c] = [a, b, c].map(|v| json!({ "x-any": v.clone(), "userName": v.clone(),
                "meta": {"created": v.clone()}, "active": v }));
            let (ab, bc, ac) = (by.compare(&a, &b), by.compare(&b, &c), by.compare(&a, &c));
            prop_assert_eq!(ab, by.compare(&b, &a).reverse());
            prop_assert_eq!(by.compare(&a, &a), Ordering::Equal);
            if ab == bc {
                prop_assert_eq!(ac, ab);
            }
            if ab == Ordering::Equal {
                prop_assert_eq!(ac, bc);
            }
            if bc == Ordering::Equal {
                prop_assert_eq!(ac, ab);
            }
        }
    }
}
