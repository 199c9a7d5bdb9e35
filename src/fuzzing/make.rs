//! Structure-aware inputs: filter trees, paths and JSON values built from the fuzzer's bytes,
//! biased towards the names the sample resources hold so evaluation and PATCH reach deep.

use arbitrary::{Result, Unstructured};
use serde_json::{Map, Number, Value};

use crate::filter::{CompValue, CompareOp, Filter};
use crate::path::AttrPath;

const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/// Top-level attributes of the samples (and a few that are absent).
const NAMES: &[&str] = &[
    "userName",
    "name",
    "displayName",
    "emails",
    "phoneNumbers",
    "addresses",
    "ims",
    "photos",
    "groups",
    "members",
    "active",
    "title",
    "userType",
    "meta",
    "id",
    "externalId",
    "schemas",
    "x509Certificates",
    "entitlements",
    "roles",
    "nickName",
    "password",
    "timezone",
];

/// Sub-attributes of the samples' complex attributes.
const SUBS: &[&str] = &[
    "value",
    "type",
    "primary",
    "display",
    "$ref",
    "givenName",
    "familyName",
    "formatted",
    "streetAddress",
    "locality",
    "postalCode",
    "country",
    "created",
    "lastModified",
    "version",
    "resourceType",
    "location",
];

/// Multi-valued attributes, the ones a valuePath selects in.
const MULTI: &[&str] = &[
    "emails",
    "phoneNumbers",
    "addresses",
    "ims",
    "photos",
    "groups",
    "members",
    "roles",
    "x509Certificates",
    "entitlements",
];

/// Enterprise extension attributes.
const ENTERPRISE_NAMES: &[&str] = &[
    "employeeNumber",
    "costCenter",
    "organization",
    "division",
    "department",
    "manager",
];

const STRINGS: &[&str] = &[
    "",
    "bjensen@example.com",
    "work",
    "home",
    "Babs Jensen",
    "2011-05-13T04:42:34Z",
    "2819c223-7f76-453a-919d-413861904646",
    "Employee",
    "True",
    "false",
    "W/\"3694e05e9dff591\"",
    "urn:ietf:params:scim:schemas:core:2.0:User",
    ENTERPRISE,
];

/// Nesting and size budgets keep generated trees inside the parser's limits, so a refused
/// round trip is a bug and not a limit.
pub(super) const MAX_DEPTH: u32 = 24;
const MAX_NODES: u32 = 200;

pub(super) fn pick<'a>(u: &mut Unstructured<'_>, from: &[&'a str]) -> Result<&'a str> {
    u.choose(from).copied()
}

/// `ALPHA *(nameChar)`, from the fuzzer's bytes.
pub(super) fn ident(u: &mut Unstructured<'_>) -> Result<String> {
    const ALPHA: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    const CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";
    let mut s = String::from(char::from(*u.choose(ALPHA)?));
    for _ in 0..u.int_in_range(0..=8)? {
        s.push(char::from(*u.choose(CHARS)?));
    }
    Ok(s)
}

/// Any string, or one the samples hold.
pub(super) fn string(u: &mut Unstructured<'_>) -> Result<String> {
    match u.ratio(1, 2)? {
        true => Ok(pick(u, STRINGS)?.to_owned()),
        false => u.arbitrary(),
    }
}

fn name(u: &mut Unstructured<'_>, from: &[&str]) -> Result<String> {
    match u.ratio(1, 8)? {
        true => ident(u),
        false => Ok(pick(u, from)?.to_owned()),
    }
}

fn path_err(_: crate::PathError) -> arbitrary::Error {
    arbitrary::Error::IncorrectFormat
}

/// An attribute path: `attr`, `attr.sub`, `urn:…:attr[.sub]`; only plain names inside `[…]`.
pub(super) fn attr_path(u: &mut Unstructured<'_>, in_value_path: bool) -> Result<AttrPath> {
    if in_value_path {
        return AttrPath::from_parts(None, &name(u, SUBS)?, None).map_err(path_err);
    }
    let (urn, attr) = match u.int_in_range(0..=7)? {
        0 => (Some(ENTERPRISE), name(u, ENTERPRISE_NAMES)?),
        1 => (
            Some("urn:ietf:params:scim:schemas:core:2.0:User"),
            name(u, NAMES)?,
        ),
        _ => (None, name(u, NAMES)?),
    };
    let sub = match u.ratio(1, 3)? {
        true => Some(name(u, SUBS)?),
        false => None,
    };
    AttrPath::from_parts(urn, &attr, sub.as_deref()).map_err(path_err)
}

/// The path of a valuePath: a multi-valued attribute, possibly URN-qualified.
pub(super) fn multi_path(u: &mut Unstructured<'_>) -> Result<AttrPath> {
    let attr = name(u, MULTI)?;
    let urn = match u.ratio(1, 8)? {
        true => Some("urn:ietf:params:scim:schemas:core:2.0:User"),
        false => None,
    };
    AttrPath::from_parts(urn, &attr, None).map_err(path_err)
}

fn number(u: &mut Unstructured<'_>) -> Result<Number> {
    Ok(match u.int_in_range(0..=2)? {
        0 => Number::from(u.arbitrary::<i64>()?),
        1 => Number::from(u.arbitrary::<u64>()?),
        _ => Number::from_f64(u.arbitrary()?).unwrap_or_else(|| Number::from(0)),
    })
}

fn comp_value(u: &mut Unstructured<'_>) -> Result<CompValue> {
    Ok(match u.int_in_range(0..=5)? {
        0 => CompValue::Null,
        1 => CompValue::Bool(u.arbitrary()?),
        2 => CompValue::Number(number(u)?),
        _ => CompValue::String(string(u)?),
    })
}

const OPS: &[CompareOp] = &[
    CompareOp::Eq,
    CompareOp::Ne,
    CompareOp::Co,
    CompareOp::Sw,
    CompareOp::Ew,
    CompareOp::Gt,
    CompareOp::Ge,
    CompareOp::Lt,
    CompareOp::Le,
];

/// A filter tree the grammar can express (RFC 7644 §3.4.2.2 with erratum 5405: no valuePath
/// inside a valuePath, plain names inside one).
pub(super) fn filter(u: &mut Unstructured<'_>, in_value_path: bool) -> Result<Filter> {
    let mut nodes = 0;
    node(u, 0, in_value_path, &mut nodes)
}

fn node(u: &mut Unstructured<'_>, depth: u32, in_vp: bool, nodes: &mut u32) -> Result<Filter> {
    *nodes += 1;
    let leaf = depth >= MAX_DEPTH || *nodes >= MAX_NODES || u.is_empty();
    let kind = match leaf {
        true => u.int_in_range(0..=1)?,
        false => u.int_in_range(0..=5)?,
    };
    let mut sub = |u: &mut Unstructured<'_>, in_vp| node(u, depth + 1, in_vp, nodes).map(Box::new);
    Ok(match kind {
        0 => Filter::Present(attr_path(u, in_vp)?),
        1 => Filter::Compare(attr_path(u, in_vp)?, *u.choose(OPS)?, comp_value(u)?),
        2 => Filter::And(sub(u, in_vp)?, sub(u, in_vp)?),
        3 => Filter::Or(sub(u, in_vp)?, sub(u, in_vp)?),
        4 => Filter::Not(sub(u, in_vp)?),
        _ if in_vp => Filter::Not(sub(u, in_vp)?),
        _ => Filter::ValuePath(multi_path(u)?, sub(u, true)?),
    })
}

/// A JSON value shaped like SCIM attributes: objects with the samples' sub-attribute names,
/// arrays of them, scalars.
pub(super) fn json(u: &mut Unstructured<'_>, depth: u32) -> Result<Value> {
    let scalar = depth >= 4 || u.is_empty();
    let kind = match scalar {
        true => u.int_in_range(0..=4)?,
        false => u.int_in_range(0..=7)?,
    };
    Ok(match kind {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        2 => Value::Number(number(u)?),
        3 | 4 => Value::String(string(u)?),
        5 => Value::Array(
            (0..u.int_in_range(0..=4)?)
                .map(|_| json(u, depth + 1))
                .collect::<Result<_>>()?,
        ),
        _ => {
            let mut m = Map::new();
            for _ in 0..u.int_in_range(0..=4)? {
                let key = match u.int_in_range(0..=5)? {
                    0 => name(u, NAMES)?,
                    1 => ENTERPRISE.to_owned(),
                    2 => format!("{}.{}", pick(u, NAMES)?, pick(u, SUBS)?),
                    _ => name(u, SUBS)?,
                };
                m.insert(key, json(u, depth + 1)?);
            }
            Value::Object(m)
        }
    })
}
