//! The PATCH request body (RFC 7644 §3.5.2): the wire types only; applying them is the `patch`
//! module's work.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserializer};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The schema URN of a PATCH request body.
pub const PATCH_OP_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// A PATCH request body (RFC 7644 §3.5.2): an ordered list of operations.
///
/// It writes `schemas` (the PatchOp URN) and `Operations`. Reading accepts `operations` in any
/// case, and requires a `schemas` that lists the PatchOp URN (RFC 7644 §3.5.2: the body "MUST
/// contain" it): a body without it, or another message sent to the wrong endpoint, is
/// refused.
///
/// ```
/// use scimkit::{Op, PatchOp, PatchOperation};
///
/// let body: PatchOp = serde_json::from_str(r#"{
///     "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
///     "Operations": [{"op": "Replace", "path": "active", "value": false}]
/// }"#)?;
/// assert_eq!(body.operations, [PatchOperation::replace("active", false)]);
/// assert_eq!(body.operations[0].op, Op::Replace);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(try_from = "WirePatchOp")]
pub struct PatchOp {
    /// The operations, applied in order (`Operations`).
    pub operations: Vec<PatchOperation>,
}

/// A PATCH body as read, before its `schemas` is checked.
#[derive(Deserialize)]
struct WirePatchOp {
    #[serde(default, alias = "Schemas", alias = "SCHEMAS")]
    schemas: Option<Vec<String>>,
    #[serde(rename = "Operations", alias = "operations", alias = "OPERATIONS")]
    operations: Vec<PatchOperation>,
}

impl TryFrom<WirePatchOp> for PatchOp {
    type Error = String;

    fn try_from(w: WirePatchOp) -> Result<Self, String> {
        match w.schemas {
            Some(s) if s.iter().any(|u| u.eq_ignore_ascii_case(PATCH_OP_SCHEMA)) => {
                Ok(Self::new(w.operations))
            }
            _ => Err(format!(
                "`schemas` must list `{PATCH_OP_SCHEMA}` (RFC 7644 §3.5.2)"
            )),
        }
    }
}

impl PatchOp {
    /// A request body with these operations.
    pub fn new(operations: Vec<PatchOperation>) -> Self {
        Self { operations }
    }

    /// Appends an operation.
    #[must_use]
    pub fn with(mut self, operation: PatchOperation) -> Self {
        self.operations.push(operation);
        self
    }
}

impl Serialize for PatchOp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("schemas", &[PATCH_OP_SCHEMA])?;
        m.serialize_entry("Operations", &self.operations)?;
        m.end()
    }
}

impl FromIterator<PatchOperation> for PatchOp {
    fn from_iter<I: IntoIterator<Item = PatchOperation>>(iter: I) -> Self {
        Self::new(iter.into_iter().collect())
    }
}

/// One PATCH operation (RFC 7644 §3.5.2).
///
/// `path` stays the raw text the client sent: the PATCH applier parses it, so a malformed path
/// is reported as `invalidPath` rather than as a syntax error of the whole body. `value` is
/// `None` when absent and `Some(Value::Null)` when sent as `null`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatchOperation {
    /// `add`, `remove` or `replace`.
    #[serde(alias = "Op", alias = "OP")]
    pub op: Op,
    /// The attribute path (RFC 7644 §3.5.2, `PATH = attrPath / valuePath [subAttr]`), unparsed.
    #[serde(
        default,
        alias = "Path",
        alias = "PATH",
        skip_serializing_if = "Option::is_none"
    )]
    pub path: Option<String>,
    /// The value to add or replace with (or, for some clients' `remove`, the values to remove).
    #[serde(
        default,
        alias = "Value",
        alias = "VALUE",
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub value: Option<Value>,
}

/// Keeps an explicit `null` as `Some(Value::Null)`; absence is `None` (via `default`).
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

impl PatchOperation {
    /// `add` of `value` at `path`.
    pub fn add(path: impl Into<String>, value: impl Into<Value>) -> Self {
        Self::new(Op::Add, Some(path.into()), Some(value.into()))
    }

    /// `add` without a path: `value` is an object of attributes to add to the resource.
    pub fn add_value(value: impl Into<Value>) -> Self {
        Self::new(Op::Add, None, Some(value.into()))
    }

    /// `replace` of what `path` selects with `value`.
    pub fn replace(path: impl Into<String>, value: impl Into<Value>) -> Self {
        Self::new(Op::Replace, Some(path.into()), Some(value.into()))
    }

    /// `replace` without a path: `value` is an object of attributes to replace.
    pub fn replace_value(value: impl Into<Value>) -> Self {
        Self::new(Op::Replace, None, Some(value.into()))
    }

    /// `remove` of what `path` selects.
    pub fn remove(path: impl Into<String>) -> Self {
        Self::new(Op::Remove, Some(path.into()), None)
    }

    /// An operation from its parts.
    pub fn new(op: Op, path: Option<String>, value: Option<Value>) -> Self {
        Self { op, path, value }
    }
}

/// A PATCH operation kind (RFC 7644 §3.5.2). Read ignoring ASCII case, since Microsoft Entra
/// ID sends `"Replace"`; written in lowercase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    /// RFC 7644 §3.5.2.1: add values.
    Add,
    /// RFC 7644 §3.5.2.2: remove values.
    Remove,
    /// RFC 7644 §3.5.2.3: replace values.
    Replace,
}

impl Op {
    /// The keyword as written (`"add"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Add => "add",
            Self::Remove => "remove",
            Self::Replace => "replace",
        }
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text is not `add`, `remove` or `replace` (in any case).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown PATCH op `{0}`: expected `add`, `remove` or `replace`")]
pub struct UnknownOp(String);

impl From<UnknownOp> for crate::ScimError {
    /// An unknown op is `400 invalidSyntax`: the body does not follow RFC 7644 §3.5.2.
    fn from(e: UnknownOp) -> Self {
        Self::invalid_syntax(e.to_string())
    }
}

impl FromStr for Op {
    type Err = UnknownOp;

    fn from_str(s: &str) -> Result<Self, UnknownOp> {
        super::keyword(&[Self::Add, Self::Remove, Self::Replace], Self::as_str, s)
            .ok_or_else(|| UnknownOp(super::resource::truncate(s)))
    }
}

impl Serialize for Op {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Op {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(de::Error::custom)
    }
}
