//! `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5, §3.9) against each attribute's
//! `returned` characteristic (RFC 7643 §7).

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher, RandomState};

use serde_json::{Map, Value};

use super::select::{Selector, core_schema, is_extension_key, same, top_level};
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
    attributes: Index,
    excluded: Index,
}

/// One selector list, deduplicated and indexed by attribute name ignoring case, so that
/// applying it costs a hash lookup per member of the resource, whatever the list's length.
#[derive(Debug, Clone, Default)]
struct Index {
    /// The distinct selectors, in first-seen order (for `Eq` and `Debug`).
    selectors: Vec<Selector>,
    /// The URNs of extensions named whole.
    schemas: Vec<Box<str>>,
    /// The attributes named, by [`Index::key`] of (extension, name).
    attrs: HashMap<u64, Vec<Names>>,
    state: RandomState,
}

/// What one list says about one attribute.
#[derive(Debug, Clone)]
struct Names {
    extension: Option<Box<str>>,
    name: Box<str>,
    whole: bool,
    /// The sub-attributes named, by [`Index::key`] of the sub-attribute's name.
    subs: HashMap<u64, Vec<Box<str>>>,
}

impl PartialEq for Index {
    fn eq(&self, other: &Self) -> bool {
        self.selectors == other.selectors
    }
}

impl Eq for Index {}

impl Index {
    fn new(selectors: Vec<Selector>) -> Self {
        let mut index = Self::default();
        for s in selectors {
            if index.insert(&s) {
                index.selectors.push(s);
            }
        }
        index
    }

    /// Adds a selector; `false` when the list already had it.
    fn insert(&mut self, s: &Selector) -> bool {
        let (extension, name, sub) = match s {
            Selector::Schema(urn) => {
                if self.schemas.iter().any(|u| u.eq_ignore_ascii_case(urn)) {
                    return false;
                }
                self.schemas.push(urn.clone());
                return true;
            }
            Selector::Attr {
                extension,
                name,
                sub,
            } => (extension.as_deref(), &**name, sub.as_deref()),
        };
        let key = self.key(extension, name);
        let sub_key = sub.map(|sub| self.key(None, sub));
        let bucket = self.attrs.entry(key).or_default();
        let found = bucket.iter().position(|n| {
            same(n.extension.as_deref(), extension) && n.name.eq_ignore_ascii_case(name)
        });
        let i = found.unwrap_or_else(|| {
            bucket.push(Names {
                extension: extension.map(Into::into),
                name: name.into(),
                whole: false,
                subs: HashMap::new(),
            });
            bucket.len() - 1
        });
        let names = &mut bucket[i];
        match (sub, sub_key) {
            (Some(sub), Some(k)) => {
                let subs = names.subs.entry(k).or_default();
                if subs.iter().any(|x| x.eq_ignore_ascii_case(sub)) {
                    return false;
                }
                subs.push(sub.into());
                true
            }
            _ => !std::mem::replace(&mut names.whole, true),
        }
    }

    fn is_empty(&self) -> bool {
        self.selectors.is_empty()
    }

    /// A hash of (extension, name) ignoring ASCII case.
    fn key(&self, extension: Option<&str>, name: &str) -> u64 {
        let mut h = self.state.build_hasher();
        for part in [extension.unwrap_or(""), name] {
            for b in part.bytes() {
                h.write_u8(b.to_ascii_lowercase());
            }
            // Not a byte of UTF-8 text: separates the parts.
            h.write_u8(0xff);
        }
        h.finish()
    }

    /// What the list says about the attribute `name` of `extension`, when it names it.
    fn names(&self, extension: Option<&str>, name: &str) -> Option<&Names> {
        self.attrs
            .get(&self.key(extension, name))?
            .iter()
            .find(|n| same(n.extension.as_deref(), extension) && n.name.eq_ignore_ascii_case(name))
    }

    /// How the list names the attribute: whole, by sub-attributes, or not at all.
    fn named(&self, extension: Option<&str>, name: &str) -> Named {
        if extension.is_some_and(|e| self.schemas.iter().any(|u| u.eq_ignore_ascii_case(e))) {
            return Named::Whole;
        }
        match self.names(extension, name) {
            Some(n) if n.whole => Named::Whole,
            Some(n) if !n.subs.is_empty() => Named::Subs,
            _ => Named::No,
        }
    }
}

impl Names {
    fn has_sub(&self, index: &Index, sub: &str) -> bool {
        self.subs
            .get(&index.key(None, sub))
            .is_some_and(|b| b.iter().any(|x| x.eq_ignore_ascii_case(sub)))
    }
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
            attributes: Index::new(parse(attributes)?),
            excluded: Index::new(parse(excluded_attributes)?),
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
            Returned::Always => match self.attributes.named(extension, name) {
                Named::Whole => Subs::All,
                Named::Subs | Named::No => Subs::Default,
            },
            _ if self.attributes.is_empty() => {
                if returned == Returned::Request {
                    return None;
                }
                Subs::Default
            }
            _ => match self.attributes.named(extension, name) {
                Named::Whole => Subs::All,
                Named::Subs => Subs::Named,
                Named::No => return None,
            },
        };
        if returned != Returned::Always {
            match self.excluded.named(extension, name) {
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
        let lists = (
            self.attributes.names(extension, name),
            self.excluded.names(extension, name),
        );
        let pick = |element: &Map<String, Value>| -> Option<Value> {
            let out: Map<String, Value> = element
                .iter()
                .filter(|(k, _)| self.keeps_sub(lists, k, def, subs))
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

    /// Whether a sub-attribute is kept; `lists` is what `attributes` and `excludedAttributes`
    /// say about its attribute.
    fn keeps_sub(
        &self,
        lists: (Option<&Names>, Option<&Names>),
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
            _ if lists.0.is_some_and(|n| n.has_sub(&self.attributes, sub)) => true,
            _ if lists.1.is_some_and(|n| n.has_sub(&self.excluded, sub)) => false,
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
