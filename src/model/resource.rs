//! What every resource model shares: reading JSON with case-insensitive, schema-driven attribute
//! names (RFC 7643 §2.1), typed field extraction that keeps what the model does not know, and a
//! `schemas` list kept consistent with the extensions present (RFC 7643 §3).

use std::collections::HashSet;
use std::fmt;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor,
};
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::schema::{AttrType, Attribute, SchemaRegistry};

/// `TryFrom<Value>`, `TryFrom<&Value>` and `From<T> for Value` for a resource type with
/// `from_value` and `to_value`: the conversions read through the schema like `Deserialize`.
macro_rules! value_conversions {
    ($t:ty) => {
        impl TryFrom<Value> for $t {
            type Error = ScimError;

            fn try_from(value: Value) -> Result<Self, ScimError> {
                Self::from_value(value)
            }
        }

        impl TryFrom<&Value> for $t {
            type Error = ScimError;

            fn try_from(value: &Value) -> Result<Self, ScimError> {
                Ok(Self::deserialize(value)?)
            }
        }

        impl From<&$t> for Value {
            fn from(resource: &$t) -> Self {
                resource.to_value()
            }
        }

        impl From<$t> for Value {
            fn from(resource: $t) -> Self {
                resource.to_value()
            }
        }
    };
}
pub(crate) use value_conversions;

/// Longest key echoed in an error message, so hostile input is never reflected unbounded.
const ECHO_MAX: usize = 64;

/// Deepest nesting of arrays and objects read, as serde_json's own parser allows; it also
/// bounds the recursion when reading from an already built [`Value`], which has no limit.
const MAX_DEPTH: usize = 128;

/// A JSON value read with one extra rule: no object may hold two keys that are equal ignoring
/// ASCII case (exact duplicates included, which a plain [`Value`] would silently collapse).
pub(crate) struct StrictValue(pub(crate) Value);

impl<'de> Deserialize<'de> for StrictValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        StrictVisitor { depth: 0 }.deserialize(d).map(StrictValue)
    }
}

/// Reads one value at nesting level `depth`.
#[derive(Clone, Copy)]
struct StrictVisitor {
    depth: usize,
}

impl StrictVisitor {
    fn nested<E: de::Error>(self) -> Result<Self, E> {
        if self.depth >= MAX_DEPTH {
            return Err(E::custom(format!(
                "JSON nested deeper than {MAX_DEPTH} levels"
            )));
        }
        Ok(Self {
            depth: self.depth + 1,
        })
    }
}

impl<'de> DeserializeSeed<'de> for StrictVisitor {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let inner = self.nested()?;
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(v) = seq.next_element_seed(inner)? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let inner = self.nested()?;
        let mut map = Map::new();
        // Small objects (nearly all of them) are checked by a scan; large ones by a set, so a
        // hostile object with many keys stays linear.
        let mut folded: Option<HashSet<String>> = None;
        while let Some(key) = access.next_key::<String>()? {
            let lower = key.to_ascii_lowercase();
            let clash = match &mut folded {
                Some(set) => !set.insert(lower),
                None => {
                    let clash = map.keys().any(|k| k.eq_ignore_ascii_case(&key));
                    if map.len() >= 16 {
                        let mut set: HashSet<String> =
                            map.keys().map(|k| k.to_ascii_lowercase()).collect();
                        set.insert(lower);
                        folded = Some(set);
                    }
                    clash
                }
            };
            if clash {
                return Err(de::Error::custom(format!(
                    "duplicate attribute `{}`: attribute names are case-insensitive \
                     (RFC 7643 §2.1), so the object is ambiguous",
                    truncate(&key)
                )));
            }
            map.insert(key, access.next_value_seed(inner)?);
        }
        Ok(Value::Object(map))
    }
}

/// At most [`ECHO_MAX`] characters of `s`, marked when cut.
pub(crate) fn truncate(s: &str) -> String {
    match s.char_indices().nth(ECHO_MAX) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_owned(),
    }
}

/// Reads a resource object with duplicate detection and canonical attribute names, ready for
/// [`Fields`]. `core` is the resource's core schema URN.
pub(crate) fn read_resource<'de, D: Deserializer<'de>>(
    d: D,
    registry: &SchemaRegistry,
    core: &str,
) -> Result<Fields, D::Error> {
    let StrictValue(v) = StrictValue::deserialize(d)?;
    object(v, core)
        .map(|m| Fields(canonical_resource(m, registry, core)))
        .map_err(de::Error::custom)
}

/// Reads an extension object (such as the Enterprise User) with duplicate detection and the
/// attribute names of schema `urn`.
pub(crate) fn read_extension<'de, D: Deserializer<'de>>(
    d: D,
    registry: &SchemaRegistry,
    urn: &str,
) -> Result<Fields, D::Error> {
    let StrictValue(v) = StrictValue::deserialize(d)?;
    object(v, urn)
        .map(|m| Fields(canonical_extension(m, registry, urn)))
        .map_err(de::Error::custom)
}

fn object(v: Value, what: &str) -> Result<Map<String, Value>, String> {
    match v {
        Value::Object(m) => Ok(m),
        other => Err(format!(
            "expected a JSON object for {what}, found {}",
            kind_name(&other)
        )),
    }
}

fn kind_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Renames the keys of a resource to the schema's spelling: the core schema's attributes and the
/// common attributes (RFC 7643 §3.1) at the top level, sub-attributes inside complex values, and
/// extension URNs with their contents. Keys no schema knows keep their spelling.
pub(crate) fn canonical_resource(
    map: Map<String, Value>,
    registry: &SchemaRegistry,
    core: &str,
) -> Map<String, Value> {
    map.into_iter()
        .map(|(key, mut value)| {
            let attr = registry
                .resolve_parts(Some(core), &key, None)
                .or_else(|| {
                    // A registry without the core schema still knows the common attributes.
                    registry
                        .resolve_parts(None, &key, None)
                        .filter(|r| r.schema.is_none())
                })
                .map(|r| r.attribute);
            if let Some(attr) = attr {
                canonical_value(&mut value, attr);
                return (attr.name().to_owned(), value);
            }
            match registry
                .schema(&key)
                .filter(|s| registry.is_extension(s.id()))
            {
                Some(schema) => {
                    if let Value::Object(m) = value {
                        value = Value::Object(canonical_extension(m, registry, schema.id()));
                    }
                    (schema.id().to_owned(), value)
                }
                None => (key, value),
            }
        })
        .collect()
}

/// Renames the keys of an extension object to the spelling of the extension schema `urn`.
pub(crate) fn canonical_extension(
    map: Map<String, Value>,
    registry: &SchemaRegistry,
    urn: &str,
) -> Map<String, Value> {
    match registry.schema(urn) {
        Some(schema) => canonical_members(map, |k| schema.attribute(k)),
        None => map,
    }
}

fn canonical_members<'s>(
    map: Map<String, Value>,
    lookup: impl Fn(&str) -> Option<&'s Attribute>,
) -> Map<String, Value> {
    map.into_iter()
        .map(|(key, mut value)| match lookup(&key) {
            Some(attr) => {
                canonical_value(&mut value, attr);
                (attr.name().to_owned(), value)
            }
            None => (key, value),
        })
        .collect()
}

/// Canonicalizes the sub-attribute names of a complex value, single or multi-valued. The
/// recursion follows the schema's nesting, not the input's, so its depth is the schema's.
fn canonical_value(value: &mut Value, attr: &Attribute) {
    if attr.kind() != AttrType::Complex || attr.sub_attributes().is_empty() {
        return;
    }
    let fix = |v: &mut Value| {
        if let Value::Object(m) = v {
            *m = canonical_members(std::mem::take(m), |k| attr.sub_attribute(k));
        }
    };
    match value {
        Value::Array(items) => items.iter_mut().for_each(fix),
        other => fix(other),
    }
}

/// The members of an object being turned into a model: typed fields are taken out one by one,
/// and what is left over is what the model does not know.
#[derive(Debug)]
pub(crate) struct Fields(pub(crate) Map<String, Value>);

impl Fields {
    /// Takes a single-valued attribute. `null` is unassigned (RFC 7643 §2.5), like absence.
    pub(crate) fn take<T: DeserializeOwned>(
        &mut self,
        key: &str,
    ) -> Result<Option<T>, serde_json::Error> {
        match self.0.remove(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => T::deserialize(v).map(Some).map_err(|e| context(key, &e)),
        }
    }

    /// Takes a multi-valued attribute. `null` and `[]` both read as `Some(vec![])`: the sender
    /// asserted "no values", which a PUT must honour (RFC 7644 §3.5.1), unlike absence.
    pub(crate) fn take_multi<T: DeserializeOwned>(
        &mut self,
        key: &str,
    ) -> Result<Option<Vec<T>>, serde_json::Error> {
        match self.0.remove(key) {
            None => Ok(None),
            Some(Value::Null) => Ok(Some(Vec::new())),
            Some(v) => Vec::<T>::deserialize(v)
                .map(Some)
                .map_err(|e| context(key, &e)),
        }
    }

    /// Takes the `schemas` list (absent: empty).
    pub(crate) fn take_schemas(&mut self) -> Result<Vec<String>, serde_json::Error> {
        Ok(self.take_multi("schemas")?.unwrap_or_default())
    }

    /// What no typed field took.
    pub(crate) fn rest(self) -> Map<String, Value> {
        self.0
    }
}

fn context(key: &str, e: &serde_json::Error) -> serde_json::Error {
    de::Error::custom(format!("attribute `{key}`: {e}"))
}

/// Writes `key` when the value is present.
pub(crate) fn put<M: SerializeMap, T: Serialize + ?Sized>(
    m: &mut M,
    key: &str,
    value: Option<&T>,
) -> Result<(), M::Error> {
    match value {
        Some(v) => m.serialize_entry(key, v),
        None => Ok(()),
    }
}

/// Writes the `extra` members a model kept, except those that would clash with a member the
/// model itself writes (`known` says which): the typed field wins.
pub(crate) fn put_extra<M: SerializeMap>(
    m: &mut M,
    extra: &Map<String, Value>,
    known: impl Fn(&str) -> bool,
) -> Result<(), M::Error> {
    extra
        .iter()
        .filter(|(k, _)| !known(k))
        .try_for_each(|(k, v)| m.serialize_entry(k, v))
}

/// Whether a top-level key names an extension object (RFC 7643 §3: keyed by its schema URN).
pub(crate) fn is_urn(key: &str) -> bool {
    key.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("urn:"))
}

/// The `schemas` to write: the declared list, plus the core URN and the URN of every extension
/// present that it lacks. A resource read without `schemas` and carrying no extension (an RFC
/// 7644 §3.4.2 partial representation) writes none, so it round-trips unchanged.
pub(crate) fn wire_schemas<'a>(
    declared: &'a [String],
    core: &'a str,
    present: impl IntoIterator<Item = &'a str>,
) -> Vec<&'a str> {
    let mut out: Vec<&str> = declared.iter().map(String::as_str).collect();
    let mut missing = present
        .into_iter()
        .filter(|urn| !declared.iter().any(|d| d.eq_ignore_ascii_case(urn)))
        .peekable();
    if out.is_empty() && missing.peek().is_none() {
        return out;
    }
    if !out.iter().any(|d| d.eq_ignore_ascii_case(core)) {
        out.insert(0, core);
    }
    out.extend(missing);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strict_values_reject_folded_and_exact_duplicates() {
        for text in [
            r#"{"userName": "a", "USERNAME": "b"}"#,
            r#"{"userName": "a", "userName": "b"}"#,
            r#"{"name": {"givenName": "a", "GivenName": "b"}}"#,
            r#"[{"x": 1, "X": 2}]"#,
        ] {
            let err = serde_json::from_str::<StrictValue>(text)
                .err()
                .unwrap_or_else(|| panic!("{text} should fail"));
            assert!(err.to_string().contains("duplicate attribute"), "{err}");
        }
        let many: Map<String, Value> = (0..40).map(|i| (format!("k{i}"), json!(i))).collect();
        let mut text = serde_json::to_string(&many).unwrap();
        text.insert_str(text.len() - 1, r#","K39":0"#);
        assert!(serde_json::from_str::<StrictValue>(&text).is_err());
        let ok = serde_json::from_str::<StrictValue>(r#"{"a": [1, null, true, 2.5, "s"]}"#);
        assert_eq!(ok.unwrap().0, json!({"a": [1, null, true, 2.5, "s"]}));
    }

    #[test]
    fn nesting_is_bounded_even_for_built_values() {
        let mut deep = json!(1);
        for _ in 0..1000 {
            deep = json!([deep]);
        }
        let err = StrictValue::deserialize(&deep).err().unwrap();
        assert!(err.to_string().contains("deeper than 128"), "{err}");
        let mut ok = json!(1);
        for _ in 0..100 {
            ok = json!({"a": ok});
        }
        assert_eq!(StrictValue::deserialize(&ok).unwrap().0, ok);
    }

    #[test]
    fn long_keys_are_truncated_in_messages() {
        let key = "k".repeat(500);
        let text = format!(r#"{{"{key}": 1, "{}": 2}}"#, key.to_uppercase());
        let msg = serde_json::from_str::<StrictValue>(&text)
            .err()
            .unwrap()
            .to_string();
        assert!(msg.len() < 300, "{msg}");
    }

    #[test]
    fn schemas_follow_the_extensions_present() {
        let core = "urn:core";
        let declared = vec!["urn:ext".to_owned()];
        assert_eq!(
            wire_schemas(&declared, core, ["urn:ext"]),
            ["urn:core", "urn:ext"]
        );
        assert_eq!(wire_schemas(&[], core, []), Vec::<&str>::new());
        assert_eq!(wire_schemas(&[], core, ["urn:x"]), ["urn:core", "urn:x"]);
        let both = vec!["URN:CORE".to_owned()];
        assert_eq!(wire_schemas(&both, core, ["urn:x"]), ["URN:CORE", "urn:x"]);
    }
}
