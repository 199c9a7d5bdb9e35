//! Values in PATCH requests: mutability rules, type checks against the schema, the schema's
//! spelling of names, and the identity of multi-valued values.

use std::collections::HashSet;
use std::hash::{BuildHasher, Hash, Hasher, RandomState};

use serde_json::{Map, Value};

use super::target::{Def, clip, get_ci};
use crate::compat::{Compat, string_boolean};
use crate::error::ScimError;
use crate::filter::text::{self, lower8, word};
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
    items
        .iter()
        .filter(|v| !v.is_null())
        .map(|v| {
            let mut c = conform(compat, def, v, false, depth)?;
            strip_nulls(&mut c);
            Ok(c)
        })
        .collect()
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
    let bad = || {
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
    };
    let ok = match kind {
        AttrType::String | AttrType::Reference | AttrType::Binary => v.is_string(),
        AttrType::DateTime => v.as_str().is_some_and(is_date_time),
        AttrType::Integer => v.is_i64() || v.is_u64(),
        AttrType::Decimal => v.is_number(),
        AttrType::Boolean => match v {
            Value::Bool(_) => true,
            Value::String(s) if compat.string_booleans => {
                return string_boolean(s).map(Value::Bool).ok_or_else(bad);
            }
            _ => false,
        },
        AttrType::Complex => {
            let Value::Object(obj) = v else {
                return Err(bad());
            };
            if depth >= MAX_VALUE_DEPTH {
                return Err(ScimError::invalid_value("the value nests too deeply"));
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
                let c = if sv.is_null() {
                    Value::Null
                } else if sub.multi_valued(None, Some(sv)) {
                    Value::Array(conform_multi(compat, sub, sv, depth + 1)?)
                } else {
                    conform(compat, sub, sv, false, depth + 1)?
                };
                if out.insert(sub.name().to_owned(), c).is_some() {
                    return Err(ScimError::invalid_value(format!(
                        "`{}` is given twice in one value",
                        sub.name()
                    )));
                }
            }
            return Ok(Value::Object(out));
        }
    };
    if ok { Ok(v.clone()) } else { Err(bad()) }
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

// ---- identity of multi-valued values ----

/// The identity of a value: its `value` sub-attribute (complex) or itself (simple string),
/// compared ignoring case unless the schema says caseExact.
#[derive(Debug, Clone, Copy)]
struct Ident<'v> {
    s: &'v str,
    fold: bool,
}

impl PartialEq for Ident<'_> {
    fn eq(&self, other: &Self) -> bool {
        if self.fold {
            text::eq(self.s, other.s, false)
        } else {
            self.s == other.s
        }
    }
}

impl Eq for Ident<'_> {}

impl Hash for Ident<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let b = self.s.as_bytes();
        if !self.fold {
            state.write(b);
        } else if self.s.is_ascii() {
            let mut words = b.chunks_exact(8);
            for w in &mut words {
                state.write_u64(lower8(word(w)));
            }
            state.write_u64(lower8(word(words.remainder())));
        } else {
            // The lowercase UTF-8 bytes in the same 8-byte words as the ASCII path, so that
            // strings equal under `text::eq` hash equally (`K`, the Kelvin sign, is `k`).
            let mut buf = [0u8; 8];
            let mut n = 0;
            let mut utf8 = [0u8; 4];
            for l in self.s.chars().flat_map(char::to_lowercase) {
                for &byte in l.encode_utf8(&mut utf8).as_bytes() {
                    buf[n] = byte;
                    n += 1;
                    if n == 8 {
                        state.write_u64(u64::from_le_bytes(buf));
                        n = 0;
                    }
                }
            }
            state.write_u64(word(&buf[..n]));
        }
        state.write_u8(0xff);
    }
}

/// A word-at-a-time multiplicative hash, seeded per request from the process's random state
/// so that colliding member ids cannot be precomputed; SipHash cost more than the whole
/// append on large groups.
#[derive(Debug, Clone, Copy)]
struct Seeded(u64);

impl BuildHasher for Seeded {
    type Hasher = Fast;
    fn build_hasher(&self) -> Fast {
        Fast(self.0)
    }
}

#[derive(Debug)]
struct Fast(u64);

impl Fast {
    fn mix(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for Fast {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.mix(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.mix(u64::from_le_bytes(w) ^ ((rest.len() as u64) << 59));
        }
    }
    fn write_u8(&mut self, b: u8) {
        self.mix(u64::from(b));
    }
    fn write_u64(&mut self, w: u64) {
        self.mix(w);
    }
    fn finish(&self) -> u64 {
        // A final avalanche so that hashbrown's top-7-bit tags are well spread.
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^ (h >> 33)
    }
}

/// How values of `attr` are identified: by the `value` sub-attribute (complex) or by
/// themselves (simple), ignoring case unless caseExact.
#[derive(Clone, Copy)]
struct IdentBy {
    complex: bool,
    fold: bool,
}

impl IdentBy {
    fn of(attr: Def<'_>) -> Option<Self> {
        if attr.is_complex() {
            let value = attr.sub("value")?;
            Some(Self {
                complex: true,
                fold: !value.case_exact(),
            })
        } else {
            Some(Self {
                complex: false,
                fold: !attr.case_exact(),
            })
        }
    }

    fn ident<'v>(self, v: &'v Value) -> Option<Ident<'v>> {
        let s = if self.complex {
            get_ci_obj(v, "value")?.as_str()?
        } else {
            v.as_str()?
        };
        Some(Ident { s, fold: self.fold })
    }
}

/// For each of `items`, whether it is absent from `current` and from the items before it.
pub(super) fn fresh(attr: Def<'_>, current: &[Value], items: &[Value]) -> Vec<bool> {
    let by = IdentBy::of(attr);
    let ident = |v| by.and_then(|b| b.ident(v));
    let seed = Seeded(RandomState::new().hash_one(0x5c1e_u32));
    let mut seen: HashSet<Ident<'_>, Seeded> =
        HashSet::with_capacity_and_hasher(current.len() + items.len(), seed);
    let mut others: Vec<&Value> = Vec::new();
    for v in current {
        match ident(v) {
            Some(id) => {
                seen.insert(id);
            }
            None => others.push(v),
        }
    }
    items
        .iter()
        .map(|v| match ident(v) {
            Some(id) => seen.insert(id),
            None if others.contains(&v) => false,
            None => {
                others.push(v);
                true
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    #[test]
    fn folded_hash_agrees_with_folded_eq() {
        let b = Seeded(7);
        let h = |s| b.hash_one(Ident { s, fold: true });
        for (x, y) in [
            ("2819C223-7F76-453A", "2819c223-7f76-453a"),
            ("Kelvin\u{212A}", "kelvink"),
            ("ÉCOLE", "école"),
            ("", ""),
        ] {
            assert!(text::eq(x, y, false), "{x} {y}");
            assert_eq!(h(x), h(y), "{x} {y}");
        }
        assert_ne!(h("abc"), h("abd"));
        assert_eq!(lower8(word(b"AZ@[az`{")), word(b"az@[az`{"));
    }
}
