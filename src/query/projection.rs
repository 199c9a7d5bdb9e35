//! `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5, §3.9) against each attribute's
//! `returned` characteristic (RFC 7643 §7).

use serde_json::{Map, Value};

use super::select::{Selector, core_schema, is_extension_key, top_level};
use crate::error::ScimError;
use crate::schema::{Attribute, Returned, SchemaRegistry};

/// Which attributes of a resource a response carries.
///
/// RFC 7644 §3.9: with `attributes`, a resource holds the attributes named there (whole, or only
/// the named sub-attributes) plus those whose `returned` is `always`; with `excludedAttributes`,
/// it holds the default set minus the named ones, and `always` attributes stay. An attribute
/// whose `returned` is `never` (`password`) is never returned; one whose `returned` is `request`
/// only when `attributes` names it. Names ignore case and may be URN-qualified; naming an
/// extension's URN selects (or excludes) the whole extension object.
///
/// [`Projection::default()`] (neither list) is what every response without those parameters
/// needs, including those to `POST`, `PUT` and `PATCH`: it leaves out `never` and `request`
/// attributes, so a stored `password` is not sent back.
///
/// ```
/// use scimkit::SchemaRegistry;
/// use scimkit::query::Projection;
/// use serde_json::json;
///
/// let schemas = SchemaRegistry::default();
/// let user = json!({
///     "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
///     "id": "2819c223",
///     "userName": "bjensen",
///     "password": "t1meMa$heen",
///     "name": {"givenName": "Barbara", "familyName": "Jensen"},
///     "emails": [{"value": "bjensen@example.com", "type": "work", "primary": true}],
/// });
///
/// let p = Projection::new(&["USERNAME", "name.givenName", "emails.value"], &[], &schemas)?;
/// assert_eq!(p.apply(&user, &schemas), json!({
///     "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
///     "id": "2819c223",
///     "userName": "bjensen",
///     "name": {"givenName": "Barbara"},
///     "emails": [{"value": "bjensen@example.com"}],
/// }));
///
/// let p = Projection::new(&[], &["emails", "id"], &schemas)?;
/// let out = p.apply(&user, &schemas);
/// assert!(out.get("emails").is_none() && out.get("password").is_none());
/// assert_eq!(out["id"], "2819c223"); // returned: always
/// # Ok::<(), scimkit::ScimError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Projection {
    attributes: Vec<Selector>,
    excluded: Vec<Selector>,
}

/// How the sub-attributes of a kept complex value are chosen.
#[derive(Debug, Clone, Copy)]
enum Subs {
    /// The attribute was named whole (or is `always`): every sub-attribute but `never` ones.
    All,
    /// Nothing named it: the sub-attributes returned by default.
    Default,
    /// Only sub-attributes were named: those, and `always` ones.
    Named,
}

impl Projection {
    /// A projection from the entries of `attributes` and `excludedAttributes`.
    ///
    /// An entry that is not an attribute path is `400 invalidPath`. Names the schemas do not
    /// know are kept: they select attributes a resource holds beyond its schema.
    pub fn new<S: AsRef<str>>(
        attributes: &[S],
        excluded_attributes: &[S],
        schemas: &SchemaRegistry,
    ) -> Result<Self, ScimError> {
        let parse = |list: &[S]| {
            list.iter()
                .map(|s| Selector::parse(s.as_ref().trim(), schemas))
                .collect::<Result<Vec<_>, _>>()
        };
        Ok(Self {
            attributes: parse(attributes)?,
            excluded: parse(excluded_attributes)?,
        })
    }

    /// Whether the projection keeps the default set: neither list was given.
    pub fn is_default(&self) -> bool {
        self.attributes.is_empty() && self.excluded.is_empty()
    }

    /// The projected copy of `resource`. Only what is kept is cloned; a value that is not a
    /// JSON object is returned unchanged.
    pub fn apply(&self, resource: &Value, schemas: &SchemaRegistry) -> Value {
        let Value::Object(object) = resource else {
            return resource.clone();
        };
        let core = core_schema(object, schemas);
        let mut out = Map::new();
        for (key, value) in object {
            if is_extension_key(key, value) {
                if let Some(ext) = self.extension(key, value, schemas) {
                    out.insert(key.clone(), ext);
                }
            } else if let Some(v) = self.attribute(None, key, value, top_level(schemas, core, key))
            {
                out.insert(key.clone(), v);
            }
        }
        Value::Object(out)
    }

    /// The projection of an extension object, `None` when nothing of it is kept.
    fn extension(&self, urn: &str, value: &Value, schemas: &SchemaRegistry) -> Option<Value> {
        let Value::Object(members) = value else {
            return None;
        };
        let schema = schemas.schema(urn);
        let out: Map<String, Value> = members
            .iter()
            .filter_map(|(k, v)| {
                let def = schema.and_then(|s| s.attribute(k));
                Some((k.clone(), self.attribute(Some(urn), k, v, def)?))
            })
            .collect();
        (!out.is_empty()).then_some(Value::Object(out))
    }

    /// The projection of one attribute's value, `None` when it is left out.
    fn attribute(
        &self,
        extension: Option<&str>,
        name: &str,
        value: &Value,
        def: Option<&Attribute>,
    ) -> Option<Value> {
        let returned = def.map_or(Returned::Default, Attribute::returned);
        let mut subs = match returned {
            Returned::Never => return None,
            // Kept whatever the lists say; its sub-attributes follow the default set unless
            // `attributes` names it whole.
            Returned::Always => match named(&self.attributes, extension, name) {
                Named::Whole => Subs::All,
                Named::Subs | Named::No => Subs::Default,
            },
            _ if self.attributes.is_empty() => {
                if returned == Returned::Request {
                    return None;
                }
                Subs::Default
            }
            _ => match named(&self.attributes, extension, name) {
                Named::Whole => Subs::All,
                Named::Subs => Subs::Named,
                Named::No => return None,
            },
        };
        if returned != Returned::Always {
            match named(&self.excluded, extension, name) {
                Named::Whole => return None,
                // Excluding some sub-attributes of an attribute named whole (or by default)
                // keeps the others; the exclusion list is consulted per sub-attribute below.
                Named::Subs | Named::No => {}
            }
        }
        if def.is_some_and(|d| d.sub_attributes().is_empty()) && !value_is_complex(value) {
            if matches!(subs, Subs::Named) {
                return None;
            }
            subs = Subs::All;
        }
        self.complex(extension, name, value, def, subs)
    }

    /// Applies the sub-attribute choice to a complex value, or to each element of a
    /// multi-valued one. Simple values pass through.
    fn complex(
        &self,
        extension: Option<&str>,
        name: &str,
        value: &Value,
        def: Option<&Attribute>,
        subs: Subs,
    ) -> Option<Value> {
        let pick = |element: &Map<String, Value>| -> Option<Value> {
            let out: Map<String, Value> = element
                .iter()
                .filter(|(k, _)| self.keeps_sub(extension, name, k, def, subs))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            // An element that had members and lost them all is left out rather than sent empty.
            (element.is_empty() || !out.is_empty()).then_some(Value::Object(out))
        };
        match value {
            Value::Object(element) => pick(element),
            Value::Array(items) if items.iter().any(Value::is_object) => {
                let out: Vec<Value> = items
                    .iter()
                    .filter_map(|v| match v {
                        Value::Object(element) => pick(element),
                        other => (!matches!(subs, Subs::Named)).then(|| other.clone()),
                    })
                    .collect();
                (items.is_empty() || !out.is_empty()).then_some(Value::Array(out))
            }
            _ if matches!(subs, Subs::Named) => None,
            other => Some(other.clone()),
        }
    }

    fn keeps_sub(
        &self,
        extension: Option<&str>,
        name: &str,
        sub: &str,
        def: Option<&Attribute>,
        subs: Subs,
    ) -> bool {
        let returned = def
            .and_then(|d| d.sub_attribute(sub))
            .map_or(Returned::Default, Attribute::returned);
        match returned {
            Returned::Never => false,
            Returned::Always => true,
            _ if names_sub(&self.attributes, extension, name, sub) => true,
            _ if names_sub(&self.excluded, extension, name, sub) => false,
            Returned::Request => matches!(subs, Subs::All) && !self.attributes.is_empty(),
            Returned::Default => !matches!(subs, Subs::Named),
        }
    }
}

fn value_is_complex(value: &Value) -> bool {
    match value {
        Value::Object(_) => true,
        Value::Array(items) => items.iter().any(Value::is_object),
        _ => false,
    }
}

/// How a selector list names an attribute.
enum Named {
    /// Some selector names it whole.
    Whole,
    /// Selectors name only sub-attributes of it.
    Subs,
    /// No selector names it.
    No,
}

fn named(list: &[Selector], extension: Option<&str>, name: &str) -> Named {
    let mut found = Named::No;
    for s in list {
        match s.names(extension, name) {
            Some(None) => return Named::Whole,
            Some(Some(_)) => found = Named::Subs,
            None => {}
        }
    }
    found
}

fn names_sub(list: &[Selector], extension: Option<&str>, name: &str, sub: &str) -> bool {
    list.iter().any(|s| {
        s.names(extension, name)
            .flatten()
            .is_some_and(|n| n.eq_ignore_ascii_case(sub))
    })
}
