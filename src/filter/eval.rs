//! Evaluation of a [`Filter`] against a resource (RFC 7644 §3.4.2.2, RFC 7643 §2), straight
//! over `serde_json::Value`: no copy of the resource, no allocation per comparison.
//!
//! Every comparison is checked against the schema before the data is read, and branches that
//! `and`/`or` skip are still checked, so whether a filter is rejected never depends on the
//! resource it meets.

use std::cmp::Ordering;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};
use serde_json::{Map, Value};

use super::error::type_error;
use super::text;
use super::{CompValue, CompareOp, Filter};
use crate::error::ScimError;
use crate::path::AttrPath;
use crate::schema::{AttrType, Attribute, SchemaRegistry, compare_numbers, is_unassigned};

type Result<T> = std::result::Result<T, ScimError>;

impl Filter {
    /// Whether `resource` matches this filter, with attribute definitions from `schemas`.
    ///
    /// Names are case-insensitive; strings compare as the attribute's `caseExact` says;
    /// `gt`/`ge`/`lt`/`le` order strings lexically, numbers by exact value
    /// ([`crate::schema::compare_numbers`]) and dateTimes
    /// chronologically; a comparison on a multi-valued attribute holds when any value satisfies
    /// it (a complex one without sub-attribute compares its `value`s); an unassigned attribute
    /// (null, `""`, `[]`, `{}`: RFC 7643 §2.5) is `eq null`, not `pr`, and `ne` anything else.
    ///
    /// A comparison the attribute's type does not allow (`active gt true`,
    /// `userName gt 3`, `meta.created eq "yesterday"`) is `400 invalidFilter`, whatever the
    /// resource; of several, the leftmost is reported. `and`/`or` operands run left to right.
    ///
    /// To test one filter against many resources, [`bind`](Self::bind) it once.
    ///
    /// Names resolve in the resource type the resource's `schemas` names when `schemas` is
    /// not [scoped](SchemaRegistry::scoped): an attribute of another resource type is as
    /// unknown as any other (RFC 7643 §2.2 defaults, no type check).
    ///
    /// ```
    /// use scimkit::{Filter, SchemaRegistry};
    /// use serde_json::json;
    ///
    /// let schemas = SchemaRegistry::default();
    /// let user = json!({"userName": "bjensen", "active": true,
    ///                   "emails": [{"value": "bjensen@example.com", "type": "work"}]});
    /// let f: Filter = r#"USERNAME eq "BJensen" and emails[type eq "work" and value co "@example.com"]"#.parse()?;
    /// assert!(f.matches(&user, &schemas)?);
    /// let bad: Filter = "active gt true".parse()?;
    /// assert_eq!(bad.matches(&user, &schemas).unwrap_err().status, 400);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn matches(&self, resource: &Value, schemas: &SchemaRegistry) -> Result<bool> {
        // Names resolve in the resource's own type: a Group has no `userName`.
        Eval::Resource(&schemas.for_resource(resource)).eval(self, Some(resource))
    }

    /// Whether one element of a multi-valued attribute matches this filter, read as a
    /// valuePath's inner filter (`type eq "work" and primary eq true`): its names are
    /// sub-attributes of `parent`, whose definitions drive the comparisons (RFC 7643 defaults
    /// without one). The PATCH applier selects `emails[type eq "work"]` elements with it.
    ///
    /// ```
    /// use scimkit::{Filter, SchemaRegistry};
    /// use serde_json::json;
    ///
    /// let schemas = SchemaRegistry::default();
    /// let emails = schemas.attribute("emails");
    /// let f: Filter = r#"type eq "WORK""#.parse()?;
    /// assert!(f.matches_element(&json!({"type": "work", "value": "a@b.c"}), emails)?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn matches_element(&self, element: &Value, parent: Option<&Attribute>) -> Result<bool> {
        Eval::Element(parent).eval(self, Some(element))
    }
}

/// A valuePath filter of the form `name eq "…"` on a string sub-attribute, with the
/// sub-attribute's definition looked up once: the PATCH applier tests every element of
/// `members[value eq "…"]` with it. It answers exactly as [`Filter::matches_element`] does
/// (a test holds the two side by side), without the generic walk per element.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SimpleEq<'a> {
    canonical: &'a str,
    name: &'a str,
    value: &'a str,
    case_exact: bool,
}

impl Filter {
    /// The [`SimpleEq`] form of this filter under `parent`, when it has one.
    pub(crate) fn as_simple_eq<'a>(
        &'a self,
        parent: Option<&'a Attribute>,
    ) -> Option<SimpleEq<'a>> {
        let Self::Compare(path, CompareOp::Eq, CompValue::String(value)) = self else {
            return None;
        };
        if path.urn().is_some() || path.sub_attribute().is_some() {
            return None;
        }
        let def = parent?.sub_attribute(path.name())?;
        if !matches!(def.kind(), AttrType::String | AttrType::Reference) {
            return None;
        }
        Some(SimpleEq {
            canonical: def.name(),
            name: path.name(),
            value,
            case_exact: def.case_exact(),
        })
    }
}

impl<'a> SimpleEq<'a> {
    /// Whether one element of the multi-valued attribute matches.
    pub(crate) fn matches(&self, element: &Value) -> bool {
        self.matches_with(element, |s| text::eq(s, self.value, self.case_exact))
    }

    /// Whether the sub-attribute this test reads, in `element`, holds a non-empty string
    /// that `equal` accepts: [`matches`](Self::matches) with another equality (a set of
    /// literals, for an `or` of tests on the same sub-attribute).
    pub(crate) fn matches_with(&self, element: &Value, equal: impl Fn(&str) -> bool) -> bool {
        let v = match element {
            Value::Object(obj) => get_in(obj, self.canonical, self.name),
            // A scalar element of a simple multi-valued attribute is its own `value`.
            v => self.name.eq_ignore_ascii_case("value").then_some(v),
        };
        // Unassigned values (here: `""`) never match; values of another type do not either.
        let one = |v: &Value| matches!(v, Value::String(s) if !s.is_empty() && equal(s));
        match v {
            Some(Value::Array(items)) => items.iter().any(one),
            Some(v) => one(v),
            None => false,
        }
    }

    /// The literal compared with.
    pub(crate) fn literal(&self) -> &'a str {
        self.value
    }

    /// Whether `other` reads the same sub-attribute, compared the same way.
    pub(crate) fn same_operand(&self, other: &Self) -> bool {
        self.canonical == other.canonical
            && self.name.eq_ignore_ascii_case(other.name)
            && self.case_exact == other.case_exact
    }

    /// Whether the comparison is caseExact.
    pub(crate) fn case_exact(&self) -> bool {
        self.case_exact
    }
}

/// Where attribute names are looked up: in a resource through the registry, or in one element
/// of a multi-valued attribute through the parent's sub-attributes.
#[derive(Debug, Clone, Copy)]
pub(super) enum Eval<'s> {
    Resource(&'s SchemaRegistry),
    Element(Option<&'s Attribute>),
}

/// An attribute path located: its definitions and the value it names in the data (if any).
#[derive(Clone, Copy)]
struct Located<'a, 'v> {
    /// The top-level attribute's definition.
    attr: Option<&'a Attribute>,
    /// The definition compared against: the sub-attribute's, or the attribute's own.
    leaf: Option<&'a Attribute>,
    /// The attribute's value in the data.
    value: Option<&'v Value>,
    /// The sub-attribute to read in each element: the path's, or `value` for a complex
    /// attribute named without one.
    sub: Option<&'a str>,
}

impl<'s> Eval<'s> {
    /// Evaluates `f` on `data`; with `data` = `None`, only checks every comparison's types.
    fn eval(self, f: &Filter, data: Option<&Value>) -> Result<bool> {
        match f {
            Filter::And(..) | Filter::Or(..) => self.chain(f, data),
            Filter::Not(inner) => Ok(!self.eval(inner, data)? && data.is_some()),
            Filter::Present(path) => {
                let loc = self.locate(path, data, false)?;
                Ok(present(loc.value, path.sub_attribute()))
            }
            Filter::Compare(path, op, value) => self.compare(path, *op, value, data),
            Filter::ValuePath(path, inner) => self.value_path(path, inner, data),
        }
    }

    /// An `and`/`or` chain, operands from left to right as written. Once the result is known
    /// the remaining operands are only checked.
    fn chain(self, f: &Filter, data: Option<&Value>) -> Result<bool> {
        let is_and = matches!(f, Filter::And(..));
        let mut decided = data.is_none();
        let mut result = is_and;
        // Chains often test one attribute many times (`userName eq "a" or userName eq "b"…`):
        // the last comparison's path is located once for all of them.
        let mut memo: Option<(&AttrPath, Located<'_, '_>)> = None;
        chain_operands(f, is_and, |operand| {
            let d = if decided { None } else { data };
            let v = match operand {
                Filter::Compare(path, op, comp) if !is_null_test(*op, comp) => {
                    let loc = match memo {
                        Some((p, loc)) if p.as_str() == path.as_str() => loc,
                        _ => self.locate(path, d, true)?,
                    };
                    memo = Some((path, loc));
                    self.compare_located(path, loc, *op, comp, d)?
                }
                _ => self.eval(operand, d)?,
            };
            if !decided && v != is_and {
                (decided, result) = (true, v);
            }
            Ok(())
        })?;
        Ok(result && data.is_some())
    }

    fn value_path(self, path: &AttrPath, inner: &Filter, data: Option<&Value>) -> Result<bool> {
        let loc = self.locate(path, data, false)?;
        let elements = Eval::Element(loc.attr);
        for item in elements_of(loc.value) {
            if elements.eval(inner, Some(item))? {
                return Ok(true);
            }
        }
        // Nothing matched: still check the inner filter, if no element did.
        if elements_of(loc.value).is_empty() {
            elements.eval(inner, None)?;
        }
        Ok(false)
    }

    fn compare(
        self,
        path: &AttrPath,
        op: CompareOp,
        comp: &CompValue,
        data: Option<&Value>,
    ) -> Result<bool> {
        if is_null_test(op, comp) {
            // RFC 7643 §2.5: `eq null` is "unassigned", for an attribute of any type.
            let loc = self.locate(path, data, false)?;
            return Ok(data.is_some() && present(loc.value, loc.sub) == (op == CompareOp::Ne));
        }
        let loc = self.locate(path, data, true)?;
        self.compare_located(path, loc, op, comp, data)
    }

    /// `path op comp` where `path` is already located; with `data` = `None`, only checks.
    fn compare_located(
        self,
        path: &AttrPath,
        loc: Located<'_, '_>,
        op: CompareOp,
        comp: &CompValue,
        data: Option<&Value>,
    ) -> Result<bool> {
        let how = How::new(path, loc.leaf, op, comp)?;
        Ok(data.is_some() && how.holds(loc.value, loc.sub, op, comp))
    }

    fn locate<'a, 'v>(
        self,
        path: &'a AttrPath,
        data: Option<&'v Value>,
        for_compare: bool,
    ) -> Result<Located<'a, 'v>>
    where
        's: 'a,
    {
        let site = self.site(path, for_compare)?;
        let (value, sub) = match data {
            Some(d) => site.read(d),
            None => (None, site.sub()),
        };
        Ok(Located {
            attr: site.attr,
            leaf: site.leaf,
            value,
            sub,
        })
    }
}

/// Calls `visit` on the operands of an `and` (`is_and`) or `or` chain from left to right,
/// stopping at its first error. Chains fold to the left, so the leftmost operand is the
/// deepest: the spine is walked down once per block of operands, collected into a small
/// buffer, which needs neither allocation nor recursion. Past one block the walks cost
/// (operands² / block) steps, a small part of evaluating that many operands.
pub(super) fn chain_operands<'f>(
    f: &'f Filter,
    is_and: bool,
    mut visit: impl FnMut(&'f Filter) -> Result<()>,
) -> Result<()> {
    const BLOCK: usize = 32;
    let split = |node: &'f Filter| match (node, is_and) {
        (Filter::And(l, r), true) | (Filter::Or(l, r), false) => Some((&**l, &**r)),
        _ => None,
    };
    let mut total = 1;
    let mut node = f;
    while let Some((l, _)) = split(node) {
        (total, node) = (total + 1, l);
    }
    let mut block: [Option<&'f Filter>; BLOCK] = [None; BLOCK];
    let mut done = 0;
    while done < total {
        let end = (done + BLOCK).min(total);
        // Operand `i` (from 0, left to right) is the right child of the spine node at depth
        // `total - 1 - i`; operand 0 is the node at depth `total - 1` itself.
        let mut node = f;
        for _ in 0..total - end {
            node = split(node).map_or(node, |(l, _)| l);
        }
        for i in (done..end).rev() {
            block[i - done] = Some(match split(node) {
                Some((l, r)) if i > 0 => {
                    node = l;
                    r
                }
                _ => node,
            });
        }
        for operand in block[..end - done].iter().flatten() {
            visit(operand)?;
        }
        done = end;
    }
    Ok(())
}

/// The elements of a multi-valued attribute's value (a single value is one element).
pub(crate) fn elements_of(v: Option<&Value>) -> &[Value] {
    match v {
        Some(Value::Array(items)) => items.as_slice(),
        Some(v) => std::slice::from_ref(v),
        None => &[],
    }
}

pub(crate) fn is_null_test(op: CompareOp, comp: &CompValue) -> bool {
    matches!(comp, CompValue::Null) && matches!(op, CompareOp::Eq | CompareOp::Ne)
}

pub(crate) fn holds_objects(v: &Value) -> bool {
    match v {
        Value::Object(_) => true,
        Value::Array(items) => items.iter().any(Value::is_object),
        _ => false,
    }
}

/// `obj[key]`: the exact (canonical) name first, then any case.
pub(super) fn get<'v>(v: Option<&'v Value>, canonical: &str, name: &str) -> Option<&'v Value> {
    get_in(v?.as_object()?, canonical, name)
}

pub(crate) fn get_in<'v>(
    obj: &'v Map<String, Value>,
    canonical: &str,
    name: &str,
) -> Option<&'v Value> {
    if obj.len() > LINEAR_MAX {
        return obj.get(canonical).or_else(|| {
            obj.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v)
        });
    }
    // One pass comparing lengths first (they sit in the tree node) reads no other key's bytes,
    // where the tree search compares bytes at each step: for elements of multi-valued
    // attributes (on a 10,000-member group, a cache miss per member saved) and for a
    // resource's top level alike.
    let (canonical, name) = (canonical.as_bytes(), name.as_bytes());
    let mut folded = None;
    for (k, v) in obj {
        let k = k.as_bytes();
        if k.len() == canonical.len() && k == canonical {
            return Some(v);
        }
        if folded.is_none() && k.len() == name.len() && k.eq_ignore_ascii_case(name) {
            folded = Some(v);
        }
    }
    folded
}

/// Objects up to this size are searched in one pass rather than through the tree.
const LINEAR_MAX: usize = 8;

/// Calls `f` on each value the path names (each element of an array, its `sub` when given)
/// until it returns true.
fn for_each_value(v: Option<&Value>, sub: Option<&str>, mut f: impl FnMut(&Value) -> bool) {
    let mut visit = |item: &Value| match sub {
        Some(sub) => match item.as_object().and_then(|o| get_in(o, sub, sub)) {
            Some(Value::Array(values)) => values.iter().any(&mut f),
            Some(v) => f(v),
            None => false,
        },
        None => f(item),
    };
    match v {
        Some(Value::Array(items)) => {
            items.iter().any(visit);
        }
        Some(v) => {
            visit(v);
        }
        None => {}
    }
}

/// `pr`: some value the path names is assigned. A complex value whose members are all
/// unassigned is an empty node (RFC 7644 §3.4.2.2 `pr`, RFC 7643 §2.5).
pub(super) fn present(v: Option<&Value>, sub: Option<&str>) -> bool {
    let mut found = false;
    for_each_value(v, sub, |v| {
        found = match v {
            Value::Object(o) => o.values().any(|m| !is_unassigned(m)),
            v => !is_unassigned(v),
        };
        found
    });
    found
}

/// How a comparison is carried out, decided from the definition and the literal alone.
#[derive(Debug)]
pub(crate) enum How {
    Bool,
    Number,
    Str {
        case_exact: bool,
    },
    DateTime(DateTime<FixedOffset>),
    /// No definition: by the JSON type of each value (strings case-insensitive, RFC 7643 §2.2).
    Untyped,
}

impl How {
    pub(crate) fn new(
        path: &AttrPath,
        def: Option<&Attribute>,
        op: CompareOp,
        comp: &CompValue,
    ) -> Result<Self> {
        use CompareOp::{Co, Eq, Ew, Ne, Sw};
        let ordering = !matches!(op, Eq | Ne | Co | Sw | Ew);
        let substring = matches!(op, Co | Sw | Ew);
        // The literal may be as long as the filter: quote a bounded excerpt of the expression.
        let invalid = |why: &str| {
            let expr = crate::model::truncate(&format!("{path} {op} {comp}"));
            Err(type_error(format_args!("`{expr}`: {why}")))
        };
        match comp {
            CompValue::Null => return invalid("null only compares with eq or ne"),
            CompValue::Bool(_) if matches!(op, Eq | Ne) => {}
            CompValue::Bool(_) => return invalid("booleans only compare with eq or ne"),
            CompValue::Number(_) if substring => return invalid("co, sw and ew need a string"),
            _ => {}
        }
        let Some(def) = def else {
            return Ok(Self::Untyped);
        };
        let want = |ok: bool, how: Self, what: &str| if ok { Ok(how) } else { invalid(what) };
        let is_str = matches!(comp, CompValue::String(_));
        match def.kind() {
            AttrType::Boolean => want(
                matches!(comp, CompValue::Bool(_)) && !ordering,
                Self::Bool,
                "the attribute is a boolean (eq, ne with true or false)",
            ),
            AttrType::Integer | AttrType::Decimal => want(
                matches!(comp, CompValue::Number(_)),
                Self::Number,
                "the attribute is a number",
            ),
            AttrType::Binary => want(
                is_str && !ordering,
                Self::Str { case_exact: true },
                "the attribute is binary (eq, ne, co, sw, ew with a string)",
            ),
            AttrType::DateTime => match comp {
                CompValue::String(_) if substring => Ok(Self::Str {
                    case_exact: def.case_exact(),
                }),
                CompValue::String(s) => match parse_datetime(s) {
                    Some(t) => Ok(Self::DateTime(t)),
                    None => invalid("the attribute is a dateTime and the value is not one"),
                },
                _ => invalid("the attribute is a dateTime (compare with a quoted dateTime)"),
            },
            AttrType::String | AttrType::Reference | AttrType::Complex => want(
                is_str,
                Self::Str {
                    case_exact: def.case_exact(),
                },
                "the attribute is a string",
            ),
        }
    }

    /// Whether some value the located path names satisfies `op comp`. An unassigned attribute
    /// is null, which is `ne` any non-null value (RFC 7643 §2.5).
    pub(super) fn holds(
        &self,
        value: Option<&Value>,
        sub: Option<&str>,
        op: CompareOp,
        comp: &CompValue,
    ) -> bool {
        let mut any = false;
        let mut seen = false;
        for_each_value(value, sub, |v| {
            if is_unassigned(v) {
                return false;
            }
            seen = true;
            any = self.test(v, op, comp);
            any
        });
        any || (!seen && op == CompareOp::Ne)
    }

    /// Whether the data value `v` satisfies `v op comp`. A value of another JSON type than the
    /// attribute's does not match.
    fn test(&self, v: &Value, op: CompareOp, comp: &CompValue) -> bool {
        match (self, v, comp) {
            (Self::Str { case_exact }, Value::String(s), CompValue::String(c)) => {
                text::compare(s, c, op, *case_exact)
            }
            (Self::DateTime(t), Value::String(s), _) => {
                parse_datetime(s).is_some_and(|d| ordered(d.cmp(t), op))
            }
            (Self::Bool | Self::Untyped, Value::Bool(b), CompValue::Bool(c)) => {
                (b == c) == (op == CompareOp::Eq)
            }
            (Self::Number | Self::Untyped, Value::Number(n), CompValue::Number(c)) => {
                ordered(compare_numbers(n, c), op)
            }
            (Self::Untyped, Value::String(s), CompValue::String(c)) => {
                text::compare(s, c, op, false)
            }
            _ => false,
        }
    }
}

/// Whether an ordering satisfies an ordering or equality operator.
pub(super) fn ordered(o: Ordering, op: CompareOp) -> bool {
    match op {
        CompareOp::Eq => o.is_eq(),
        CompareOp::Ne => o.is_ne(),
        CompareOp::Gt => o.is_gt(),
        CompareOp::Ge => o.is_ge(),
        CompareOp::Lt => o.is_lt(),
        CompareOp::Le => o.is_le(),
        CompareOp::Co | CompareOp::Sw | CompareOp::Ew => false,
    }
}

/// An `xsd:dateTime` (RFC 7643 §2.3.5): RFC 3339 with any offset, or without one (read as UTC).
pub(crate) fn parse_datetime(s: &str) -> Option<DateTime<FixedOffset>> {
    if let Some(t) = parse_utc_seconds(s.as_bytes()) {
        return Some(t);
    }
    DateTime::parse_from_rfc3339(s).ok().or_else(|| {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
            .ok()
            .map(|n| n.and_utc().fixed_offset())
    })
}

/// The shape servers write (`2011-05-13T04:42:34Z`) read without the general parser. Anything
/// else, including an invalid date or a leap second in that shape, is left to chrono; what this
/// accepts, chrono reads to the same instant (a test holds the two side by side).
fn parse_utc_seconds(b: &[u8]) -> Option<DateTime<FixedOffset>> {
    let shape = b"dddd-dd-ddTdd:dd:ddZ";
    if b.len() != shape.len() {
        return None;
    }
    let mut ok = true;
    for (&c, &want) in b.iter().zip(shape) {
        ok &= if want == b'd' {
            c.is_ascii_digit()
        } else {
            c == want
        };
    }
    if !ok {
        return None;
    }
    let num = |i: usize, n: usize| {
        b[i..i + n]
            .iter()
            .fold(0u32, |acc, &c| acc * 10 + u32::from(c - b'0'))
    };
    let date = NaiveDate::from_ymd_opt(i32::try_from(num(0, 4)).ok()?, num(5, 2), num(8, 2))?;
    let time = NaiveTime::from_hms_opt(num(11, 2), num(14, 2), num(17, 2))?;
    Some(date.and_time(time).and_utc().fixed_offset())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::{Value, json};

    use crate::filter::Filter;
    use crate::schema::{Attribute, SchemaRegistry};

    /// Strings that stress case folding: ASCII in both cases, non-ASCII, the Kelvin sign.
    fn text() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "", "a", "A", "abc", "ABC", "aBc", "é", "É", "k", "K", "\u{212A}", "ß", "SS",
        ])
        .prop_flat_map(|a| {
            prop::sample::select(vec!["", "x", "X", "é", "\u{212A}"])
                .prop_map(move |b| format!("{a}{b}"))
        })
    }

    fn leaf() -> impl Strategy<Value = Value> {
        prop_oneof![
            text().prop_map(Value::String),
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            (0u8..3).prop_map(|n| json!(n)),
        ]
    }

    /// Elements of a multi-valued attribute: objects keyed in any case, arrays, scalars.
    fn element() -> impl Strategy<Value = Value> {
        let key = prop::sample::select(vec!["value", "Value", "VALUE", "display", "type"]);
        let field = prop_oneof![
            leaf(),
            prop::collection::vec(leaf(), 0..3).prop_map(Value::Array)
        ];
        prop_oneof![
            prop::collection::btree_map(key.prop_map(str::to_owned), field, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
            leaf(),
            prop::collection::vec(leaf(), 0..2).prop_map(Value::Array),
        ]
    }

    fn parents(schemas: &SchemaRegistry) -> Vec<&Attribute> {
        ["members", "emails", "groups", "x509Certificates"]
            .iter()
            .filter_map(|p| schemas.attribute(p))
            .collect()
    }

    proptest! {
        /// The PATCH fast path for `name eq "…"` agrees with the generic evaluator.
        #[test]
        fn simple_eq_agrees_with_matches_element(
            els in prop::collection::vec(element(), 1..6),
            name in prop::sample::select(vec!["value", "VALUE", "display", "type", "$ref"]),
            lit in text(),
        ) {
            let schemas = SchemaRegistry::default();
            let f: Filter = format!("{name} eq {}", Value::String(lit)).parse().unwrap();
            for parent in parents(&schemas) {
                let Some(fast) = f.as_simple_eq(Some(parent)) else { continue };
                for el in &els {
                    let slow = f.matches_element(el, Some(parent)).unwrap();
                    prop_assert_eq!(fast.matches(el), slow, "{} {} on {}", parent.name(), f, el);
                }
            }
        }
    }

    proptest! {
        /// The fast reading of `YYYY-MM-DDTHH:MM:SSZ` agrees with chrono, valid or not.
        #[test]
        fn utc_seconds_agree_with_chrono(
            y in 0u32..10_000, mo in 0u32..14, d in 0u32..33,
            h in 0u32..26, mi in 0u32..62, s in 0u32..62,
        ) {
            let text = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z");
            if let Some(fast) = super::parse_utc_seconds(text.as_bytes()) {
                let slow = chrono::DateTime::parse_from_rfc3339(&text).ok();
                prop_assert_eq!(Some(fast), slow, "{}", text);
                prop_assert_eq!(slow.map(|t| t.offset().local_minus_utc()), Some(0));
            }
        }
    }

    #[test]
    fn datetimes_in_other_shapes_still_parse() {
        let at = |s: &str| super::parse_datetime(s).map(|t| t.timestamp());
        assert_eq!(at("2011-05-13T04:42:34Z"), Some(1_305_261_754));
        assert_eq!(at("2011-05-13t04:42:34z"), Some(1_305_261_754));
        assert_eq!(at("2011-05-13T06:42:34+02:00"), Some(1_305_261_754));
        assert_eq!(at("2011-05-13T04:42:34"), Some(1_305_261_754));
        assert_eq!(at("2016-12-31T23:59:60Z"), Some(1_483_228_799));
        assert_eq!(at("2011-02-30T04:42:34Z"), None);
        assert_eq!(at("2011-05-13T04:42:3Z"), None);
    }

    #[test]
    fn simple_eq_only_for_plain_string_eq() {
        let schemas = SchemaRegistry::default();
        let members = schemas.attribute("members");
        let emails = schemas.attribute("emails");
        let yes = |s: &str, p| s.parse::<Filter>().unwrap().as_simple_eq(p).is_some();
        assert!(yes(r#"value eq "x""#, members));
        assert!(yes(r#"TYPE eq "work""#, emails));
        assert!(!yes(r#"value ne "x""#, members));
        assert!(!yes(r#"primary eq true"#, emails));
        assert!(!yes(r#"value eq "x" and type eq "User""#, members));
        assert!(!yes(r#"nosuch eq "x""#, members));
        assert!(!yes(r#"value eq "x""#, None));
    }
}
