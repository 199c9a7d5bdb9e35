//! [`AccessControlMapping`]: IAM Identity Center's attributes for access control, evaluated
//! against a SCIM user.
//!
//! Identity Center maps each access-control key to one source, written
//! `${path:<SCIM path>}` for users provisioned from an external IdP (IAM Identity Center User
//! Guide, *Attribute mappings*). The path is a SCIM attribute path or valuePath (RFC 7644
//! §3.5.2), with `enterprise.` standing for the Enterprise User extension's URN, so it is read
//! by the crate's [`PatchPath`] grammar and resolved through a [`SchemaRegistry`].

use std::fmt;
use std::str::FromStr;

use serde_json::{Map, Value};

use super::error::{MappingError, MappingErrorKind};
use super::tags::{MAX_TAGS, SessionTag, TagKey, TagValue, is_tag_char, keys_equal_ignore_case};
use crate::error::Span;
use crate::filter::{Filter, get_in};
use crate::model::{EnterpriseUser, User};
use crate::path::PatchPath;
use crate::schema::{AttrType, Attribute, Resolved, SchemaRegistry, is_unassigned};

/// Most attributes one Identity Center instance maps (`AccessControlAttributes`, 0–50).
pub const MAX_ACCESS_CONTROL_ATTRIBUTES: usize = MAX_TAGS;
/// Longest source expression, in characters (`AccessControlAttributeValue.Source`).
pub const MAX_SOURCE_CHARS: usize = 256;
/// The alphabet of a source expression, as AWS writes it: the tag alphabet plus `[]{}$\"`.
pub const SOURCE_ALPHABET: &str = r#"[\p{L}\p{Z}\p{N}_.:\/=+\-@\[\]\{\}\$\\"]"#;

const OPEN: &str = "${path:";
const ENTERPRISE: &str = "enterprise.";

/// What [`AccessControlMapping::evaluate`] does with a key whose attribute the user lacks
/// (absent, `null`, `""`, `[]`, `{}`: unassigned per RFC 7643 §2.5, or a valuePath that selects
/// no element).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum MissingAttribute {
    /// Pass no tag for that key, as Identity Center does for a user without the attribute.
    #[default]
    Skip,
    /// Fail with [`MappingErrorKind::Missing`].
    Error,
}

/// What [`AccessControlMapping::evaluate`] does when a path selects several values
/// (`${path:emails.value}`, or a valuePath that several elements match). Session tags hold one
/// value each (STS has no multi-valued tags), and Identity Center stores a single value per
/// multi-valued attribute, so the documented paths select one value in the data it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum MultipleValues {
    /// Fail with [`MappingErrorKind::MultipleValues`].
    #[default]
    Error,
    /// Take the first value in document order.
    First,
    /// Join the values with this separator, in document order (`Engineering:QA`), the
    /// encoding AWS suggests for several values; the result must still be a valid tag value.
    Join(char),
}

/// Why [`AccessControlMapping::evaluate_with_report`] passed no tag for a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SkipReason {
    /// Nothing is at the path: the attribute, its extension object or the sub-attribute is
    /// absent, or the valuePath filter selects no element (`title` on a user without one).
    Missing,
    /// The path holds only unassigned values (RFC 7643 §2.5): `null`, `""`, `[]` or `{}`
    /// (`"title": ""`).
    Empty,
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Missing => "the user has no value at the path",
            Self::Empty => "the user's value at the path is empty",
        })
    }
}

/// A key that [`AccessControlMapping::evaluate_with_report`] passed no tag for, under
/// [`MissingAttribute::Skip`]. `Display` writes
/// `Title: the user has no value at the path (source ${path:title})`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct SkippedKey {
    /// The tag key that got no tag.
    pub key: TagKey,
    /// Its source expression.
    pub source: AttributeSource,
    /// Why.
    pub reason: SkipReason,
}

impl fmt::Display for SkippedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} (source {})", self.key, self.reason, self.source)
    }
}

/// What [`AccessControlMapping::evaluate_with_report`] found: the session tags, and the keys
/// it skipped.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct TagEvaluation {
    /// The session tags, in the mapping's order.
    pub tags: Vec<SessionTag>,
    /// The keys that got no tag, in the mapping's order.
    pub skipped: Vec<SkippedKey>,
}

/// One source expression, `${path:<path>}`, as Identity Center writes it.
///
/// Only the whole-value form is accepted: AWS documents no literal text around the
/// expression and no concatenation for external-IdP sources. `enterprise.` (any case) is
/// shorthand for `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:`; a full schema
/// URN is accepted too.
///
/// ```
/// use scimkit::saml::AttributeSource;
///
/// let s: AttributeSource = r#"${path:addresses[type eq "work"].locality}"#.parse()?;
/// assert_eq!(s.path().attr().as_str(), "addresses.locality");
/// let e: AttributeSource = "${path:enterprise.manager.value}".parse()?;
/// assert_eq!(
///     e.path().attr().urn(),
///     Some("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")
/// );
/// assert_eq!(e.to_string(), "${path:enterprise.manager.value}");
/// assert!("${user:email}".parse::<AttributeSource>().is_err());
/// # Ok::<(), scimkit::saml::MappingError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct AttributeSource {
    text: Box<str>,
    path: PatchPath,
}

impl AttributeSource {
    /// Checks `source` against Identity Center's rules (0–256 characters of
    /// [`SOURCE_ALPHABET`]) and parses its path.
    pub fn new(source: &str) -> Result<Self, MappingError> {
        let err = |kind, span| MappingError::new(kind).with_source(source, span);
        let len = source.chars().count();
        if len > MAX_SOURCE_CHARS {
            let kind = MappingErrorKind::SourceTooLong {
                len,
                max: MAX_SOURCE_CHARS,
            };
            return Err(err(kind, None));
        }
        if let Some((i, ch)) = source.char_indices().find(|&(_, c)| !is_source_char(c)) {
            let span = Span::new(i, i + ch.len_utf8());
            return Err(err(MappingErrorKind::SourceChar { ch }, Some(span)));
        }
        let inner = source
            .strip_prefix(OPEN)
            .and_then(|s| s.strip_suffix('}'))
            .filter(|s| !s.contains(['{', '}']))
            .ok_or_else(|| err(MappingErrorKind::NotPathExpression, None))?;
        let shorthand = inner
            .get(..ENTERPRISE.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(ENTERPRISE));
        let expanded;
        let path_text = if shorthand {
            expanded = format!("{}:{}", EnterpriseUser::SCHEMA, &inner[ENTERPRISE.len()..]);
            &expanded
        } else {
            inner
        };
        let path = path_text.parse::<PatchPath>().map_err(|e| {
            // Report the position in the source as written, not in the expanded path.
            let at = |p: usize| match shorthand {
                true => (p + ENTERPRISE.len()).saturating_sub(EnterpriseUser::SCHEMA.len() + 1),
                false => p,
            };
            let s = e.span();
            let span = Span::new(
                OPEN.len() + at(s.start),
                OPEN.len() + at(s.end).max(at(s.start)),
            );
            err(MappingErrorKind::Path(e), Some(span))
        })?;
        Ok(Self {
            text: source.into(),
            path,
        })
    }

    /// The source as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The path, with `enterprise.` expanded to the extension's URN.
    pub fn path(&self) -> &PatchPath {
        &self.path
    }

    /// Resolves the path: its definitions, and checks of the valuePath filter.
    fn bind<'s>(&self, schemas: &'s SchemaRegistry) -> Result<Resolved<'s>, MappingErrorKind> {
        let attr = self.path.attr();
        let resolved = schemas
            .resolve_parts(attr.urn(), attr.name(), attr.sub_attribute())
            .ok_or(MappingErrorKind::UnknownAttribute)?;
        if resolved.leaf().kind() == AttrType::Complex {
            return Err(MappingErrorKind::Complex);
        }
        if let Some(filter) = self.path.value_filter() {
            check_filter(filter, resolved.attribute)?;
        }
        Ok(resolved)
    }
}

/// `[\p{L}\p{Z}\p{N}_.:\/=+\-@\[\]\{\}\$\\"]`.
fn is_source_char(c: char) -> bool {
    is_tag_char(c) || matches!(c, '[' | ']' | '{' | '}' | '$' | '\\' | '"')
}

/// The names in a valuePath filter must be sub-attributes of a complex `parent`, and each
/// comparison must suit its type, whatever data the filter later meets.
fn check_filter(filter: &Filter, parent: &Attribute) -> Result<(), MappingErrorKind> {
    if parent.kind() == AttrType::Complex {
        // The parser bounds the tree's depth; an explicit stack keeps this walk flat anyway.
        let mut stack = vec![filter];
        while let Some(f) = stack.pop() {
            match f {
                Filter::And(a, b) | Filter::Or(a, b) => stack.extend([&**a, &**b]),
                Filter::Not(a) | Filter::ValuePath(_, a) => stack.push(a),
                Filter::Present(p) | Filter::Compare(p, ..) => {
                    if parent.sub_attribute(p.name()).is_none() {
                        return Err(MappingErrorKind::UnknownAttribute);
                    }
                }
            }
        }
    }
    filter
        .matches_element(&Value::Object(Map::new()), Some(parent))
        .map(drop)
        .map_err(|e| MappingErrorKind::InvalidFilter {
            detail: e.detail().unwrap_or_default().into(),
        })
}

impl FromStr for AttributeSource {
    type Err = MappingError;

    fn from_str(s: &str) -> Result<Self, MappingError> {
        Self::new(s)
    }
}

impl fmt::Display for AttributeSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// One configured attribute: the tag key and where its value comes from. `Display` writes
/// `Key=${path:…}`, the form [`AccessControlMapping::push_entry`] reads.
#[derive(Debug, Clone, PartialEq)]
pub struct AccessControlAttribute {
    key: TagKey,
    source: AttributeSource,
}

impl AccessControlAttribute {
    /// The tag key (`CostCenter`), as policies reference it in `aws:PrincipalTag/CostCenter`.
    pub fn key(&self) -> &TagKey {
        &self.key
    }

    /// The source expression.
    pub fn source(&self) -> &AttributeSource {
        &self.source
    }
}

impl fmt::Display for AccessControlAttribute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.key, self.source)
    }
}

/// IAM Identity Center's *attributes for access control*: up to 50 tag keys, each mapped to
/// a `${path:…}` source, evaluated against a SCIM user into the [`SessionTag`]s Identity Center
/// passes as `AccessControl:{key}` attributes.
///
/// The configuration follows the `AccessControlAttribute` API rules: keys of 1–128 characters
/// of the tag alphabet, unique ignoring case; sources of 0–256 characters of
/// [`SOURCE_ALPHABET`]; at most [`MAX_ACCESS_CONTROL_ATTRIBUTES`] of them. Evaluation resolves
/// every path through the [`SchemaRegistry`] (names ignore case, the schema says where
/// extension attributes live and how valuePath filters compare) before reading the user, so
/// an unknown attribute is an error whatever the data. A missing attribute is skipped or an
/// error ([`MissingAttribute`]); several values are an error, the first, or joined
/// ([`MultipleValues`]). Numbers and booleans become their JSON text; every value must pass
/// the tag-value rules, or the error names the key.
///
/// ```
/// use scimkit::saml::{AccessControlMapping, MissingAttribute};
/// use scimkit::SchemaRegistry;
/// use serde_json::json;
///
/// let mapping = AccessControlMapping::from_entries([
///     "CostCenter=${path:enterprise.costCenter}",
///     "Email=${path:emails[primary eq true].value}",
///     "Title=${path:title}",
/// ])?;
/// let user = json!({
///     "userName": "bjensen",
///     "emails": [{"value": "bjensen@example.com", "primary": true}],
///     "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"costCenter": "4130"}
/// });
/// let schemas = SchemaRegistry::default();
/// let tags = mapping.evaluate(&user, &schemas)?;
/// let pairs: Vec<_> = tags.iter().map(|t| (t.key().as_str(), t.value().as_str())).collect();
/// assert_eq!(pairs, [("CostCenter", "4130"), ("Email", "bjensen@example.com")]);
///
/// // The user has no title: an error when asked for.
/// let strict = mapping.on_missing(MissingAttribute::Error);
/// assert_eq!(
///     strict.evaluate(&user, &schemas).unwrap_err().to_string(),
///     "the user has no value at the path (key Title, source ${path:title})"
/// );
/// # Ok::<(), scimkit::saml::MappingError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[must_use]
pub struct AccessControlMapping {
    attributes: Vec<AccessControlAttribute>,
    missing: MissingAttribute,
    multiple: MultipleValues,
}

impl AccessControlMapping {
    /// An empty mapping that skips missing attributes and refuses several values.
    pub fn new() -> Self {
        Self::default()
    }

    /// A mapping from `(key, source)` pairs.
    pub fn from_pairs<I, K, S>(pairs: I) -> Result<Self, MappingError>
    where
        I: IntoIterator<Item = (K, S)>,
        K: AsRef<str>,
        S: AsRef<str>,
    {
        let mut m = Self::new();
        for (k, s) in pairs {
            m.push(k.as_ref(), s.as_ref())?;
        }
        Ok(m)
    }

    /// A mapping from `Key=${path:…}` entries (see [`push_entry`](Self::push_entry)).
    pub fn from_entries<I, S>(entries: I) -> Result<Self, MappingError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut m = Self::new();
        for e in entries {
            m.push_entry(e.as_ref())?;
        }
        Ok(m)
    }

    /// Sets what to do with a missing attribute (default: [`MissingAttribute::Skip`]).
    pub fn on_missing(mut self, policy: MissingAttribute) -> Self {
        self.missing = policy;
        self
    }

    /// Sets what to do with several values (default: [`MultipleValues::Error`]).
    pub fn on_multiple(mut self, policy: MultipleValues) -> Self {
        self.multiple = policy;
        self
    }

    /// Adds `key` mapped to `source`. Nothing is added on error.
    pub fn push(&mut self, key: &str, source: &str) -> Result<&mut Self, MappingError> {
        let key = TagKey::new(key).map_err(|e| MappingError::new(MappingErrorKind::Key(e)))?;
        let source = AttributeSource::new(source).map_err(|e| e.with_key(key.as_str()))?;
        self.push_attribute(AccessControlAttribute { key, source })
    }

    /// Adds one `Key=${path:…}` entry. The key ends at the first `=${` (a key cannot hold
    /// `$`, so keys with `=` are read whole).
    pub fn push_entry(&mut self, entry: &str) -> Result<&mut Self, MappingError> {
        match entry.find("=${") {
            Some(i) => self.push(&entry[..i], &entry[i + 1..]),
            None => Err(MappingError::new(MappingErrorKind::Entry).with_source(entry, None)),
        }
    }

    fn push_attribute(
        &mut self,
        attribute: AccessControlAttribute,
    ) -> Result<&mut Self, MappingError> {
        let key = attribute.key.as_str();
        let err = |kind| MappingError::new(kind).with_key(key);
        if self.attributes.len() >= MAX_ACCESS_CONTROL_ATTRIBUTES {
            return Err(err(MappingErrorKind::TooManyAttributes {
                count: self.attributes.len() + 1,
                max: MAX_ACCESS_CONTROL_ATTRIBUTES,
            }));
        }
        if self.get(key).is_some() {
            return Err(err(MappingErrorKind::DuplicateKey));
        }
        self.attributes.push(attribute);
        Ok(self)
    }

    /// The configured attributes, in the order they were added.
    pub fn attributes(&self) -> &[AccessControlAttribute] {
        &self.attributes
    }

    /// The source mapped to `key`, compared ignoring case as AWS does.
    pub fn get(&self, key: &str) -> Option<&AttributeSource> {
        self.attributes
            .iter()
            .find(|a| keys_equal_ignore_case(a.key.as_str(), key))
            .map(|a| &a.source)
    }

    /// How many attributes are configured.
    pub fn len(&self) -> usize {
        self.attributes.len()
    }

    /// Whether none is configured.
    pub fn is_empty(&self) -> bool {
        self.attributes.is_empty()
    }

    /// Checks every source against `schemas`: known attributes, no complex leaf, valuePath
    /// filters on sub-attributes of their attribute with comparisons their types allow.
    pub fn check(&self, schemas: &SchemaRegistry) -> Result<(), MappingError> {
        self.bind(schemas).map(drop)
    }

    fn bind<'s>(&self, schemas: &'s SchemaRegistry) -> Result<Vec<Resolved<'s>>, MappingError> {
        self.attributes
            .iter()
            .map(|a| a.source.bind(schemas).map_err(|k| a.error(k)))
            .collect()
    }

    /// The session tags for `user` (a SCIM User as JSON), in the mapping's order. Keys
    /// skipped under [`MissingAttribute::Skip`] are left out silently;
    /// [`evaluate_with_report`](Self::evaluate_with_report) names them.
    pub fn evaluate(
        &self,
        user: &Value,
        schemas: &SchemaRegistry,
    ) -> Result<Vec<SessionTag>, MappingError> {
        self.evaluate_with_report(user, schemas).map(|e| e.tags)
    }

    /// [`evaluate`](Self::evaluate), also reporting each key that got no tag and why: the
    /// user has nothing at the path ([`SkipReason::Missing`]) or only an unassigned value
    /// ([`SkipReason::Empty`]). Under [`MissingAttribute::Error`] both are errors instead, so
    /// nothing is skipped.
    ///
    /// ```
    /// use scimkit::saml::{AccessControlMapping, SkipReason};
    /// use scimkit::SchemaRegistry;
    /// use serde_json::json;
    ///
    /// let mapping = AccessControlMapping::from_entries([
    ///     "Department=${path:enterprise.department}",
    ///     "Title=${path:title}",
    ///     "WorkPhone=${path:phoneNumbers[type eq \"work\"].value}",
    /// ])?;
    /// let user = json!({
    ///     "userName": "bjensen", "title": "",
    ///     "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Tours"}
    /// });
    /// let report = mapping.evaluate_with_report(&user, &SchemaRegistry::default())?;
    /// assert_eq!(report.tags.len(), 1);
    /// let skipped: Vec<_> = report.skipped.iter().map(|s| (s.key.as_str(), s.reason)).collect();
    /// assert_eq!(skipped, [("Title", SkipReason::Empty), ("WorkPhone", SkipReason::Missing)]);
    /// assert_eq!(
    ///     report.skipped[0].to_string(),
    ///     "Title: the user's value at the path is empty (source ${path:title})"
    /// );
    /// # Ok::<(), scimkit::saml::MappingError>(())
    /// ```
    pub fn evaluate_with_report(
        &self,
        user: &Value,
        schemas: &SchemaRegistry,
    ) -> Result<TagEvaluation, MappingError> {
        let bound = self.bind(schemas)?;
        let mut out = TagEvaluation {
            tags: Vec::with_capacity(self.attributes.len()),
            skipped: Vec::new(),
        };
        for (a, resolved) in self.attributes.iter().zip(bound) {
            let (values, found) =
                select(user, &a.source.path, &resolved).map_err(|k| a.error(k))?;
            let text = match (values.as_slice(), self.multiple) {
                ([], _) => match self.missing {
                    MissingAttribute::Skip => {
                        out.skipped.push(SkippedKey {
                            key: a.key.clone(),
                            source: a.source.clone(),
                            reason: if found {
                                SkipReason::Empty
                            } else {
                                SkipReason::Missing
                            },
                        });
                        continue;
                    }
                    MissingAttribute::Error => return Err(a.error(MappingErrorKind::Missing)),
                },
                ([one], _) | ([one, ..], MultipleValues::First) => scalar_text(one),
                (many, MultipleValues::Join(sep)) => {
                    let parts: Result<Vec<_>, _> = many.iter().map(|v| scalar_text(v)).collect();
                    parts.map(|p| p.join(sep.encode_utf8(&mut [0; 4])))
                }
                (many, _) => Err(MappingErrorKind::MultipleValues { count: many.len() }),
            }
            .map_err(|k| a.error(k))?;
            let value = TagValue::new(&text).map_err(|e| a.error(MappingErrorKind::Value(e)))?;
            out.tags.push(SessionTag::from_parts(a.key.clone(), value));
        }
        Ok(out)
    }

    /// [`evaluate`](Self::evaluate) for a typed [`User`].
    pub fn evaluate_user(
        &self,
        user: &User,
        schemas: &SchemaRegistry,
    ) -> Result<Vec<SessionTag>, MappingError> {
        self.evaluate(&user.to_value(), schemas)
    }
}

impl AccessControlAttribute {
    fn error(&self, kind: MappingErrorKind) -> MappingError {
        MappingError::new(kind)
            .with_key(self.key.as_str())
            .with_source(self.source.as_str(), None)
    }
}

/// The assigned values `path` names in `user`: the attribute (in its extension object when
/// it is an extension's), the elements the valuePath filter selects, their sub-attribute; and
/// whether anything, assigned or not, was at the path.
fn select<'v>(
    user: &'v Value,
    path: &PatchPath,
    resolved: &Resolved<'_>,
) -> Result<(Vec<&'v Value>, bool), MappingErrorKind> {
    let obj = |v: Option<&'v Value>| v.and_then(Value::as_object);
    let attr = path.attr();
    let container = match (resolved.extension, resolved.schema) {
        (true, Some(s)) => obj(obj(Some(user)).and_then(|u| get_in(u, s.id(), s.id()))),
        _ => obj(Some(user)),
    };
    let value = container.and_then(|c| get_in(c, resolved.attribute.name(), attr.name()));
    // `[]` is there but empty; narrowing a non-empty list to nothing means nothing is there.
    let mut found = value.is_some();
    let mut items: Vec<&Value> = match value {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(v) => vec![v],
        None => Vec::new(),
    };
    let mut narrow = |before: usize, after: usize| found &= before == 0 || after > 0;
    if let Some(filter) = path.value_filter() {
        let before = items.len();
        let mut kept = Vec::with_capacity(items.len());
        for item in items {
            let matched = filter
                .matches_element(item, Some(resolved.attribute))
                .map_err(|e| MappingErrorKind::InvalidFilter {
                    detail: e.detail().unwrap_or_default().into(),
                })?;
            if matched {
                kept.push(item);
            }
        }
        items = kept;
        narrow(before, items.len());
    }
    if let (Some(sub), Some(def)) = (attr.sub_attribute(), resolved.sub_attribute) {
        let before = items.len();
        items = items
            .into_iter()
            .filter_map(|item| get_in(item.as_object()?, def.name(), sub))
            .flat_map(|v| match v {
                Value::Array(vs) => vs.iter().collect(),
                v => vec![v],
            })
            .collect();
        narrow(before, items.len());
    }
    items.retain(|v| !is_unassigned(v));
    Ok((items, found))
}

/// The tag text of a single value: a string as it is, a number or boolean as JSON writes it.
fn scalar_text(v: &Value) -> Result<String, MappingErrorKind> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Bool(_) | Value::Number(_) => Ok(v.to_string()),
        _ => Err(MappingErrorKind::NotScalar),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn kind(source: &str) -> MappingErrorKind {
        AttributeSource::new(source).unwrap_err().kind().clone()
    }

    #[test]
    fn whole_value_expressions_only() {
        for bad in [
            "userName",
            "${path:userName",
            "$path:userName}",
            "${user:email}",
            "${dir:email}",
            "x${path:userName}",
            "${path:userName}x",
            "${path:name.givenName} ${path:name.familyName}",
            "${PATH:userName}",
            "",
        ] {
            assert_eq!(kind(bad), MappingErrorKind::NotPathExpression, "{bad}");
        }
    }

    #[test]
    fn path_errors_point_into_the_source() {
        let e = AttributeSource::new("${path:emails[type eq]}").unwrap_err();
        assert!(matches!(e.kind(), MappingErrorKind::Path(_)));
        assert_eq!(e.span().map(|s| s.start), Some(21));
        let e = AttributeSource::new("${path:enterprise.1x}").unwrap_err();
        assert_eq!(e.span().map(|s| s.start), Some(7));
        let e = AttributeSource::new("${path:}").unwrap_err();
        assert!(matches!(e.kind(), MappingErrorKind::Path(_)));
    }

    #[test]
    fn source_rules() {
        let long = format!("${{path:{}}}", "a".repeat(248));
        assert_eq!(long.chars().count(), 256);
        assert!(AttributeSource::new(&long).is_ok());
        let long = format!("${{path:{}}}", "a".repeat(249));
        assert_eq!(
            kind(&long),
            MappingErrorKind::SourceTooLong { len: 257, max: 256 }
        );
        assert_eq!(
            kind("${path:emails[not (type pr)].value}"),
            MappingErrorKind::SourceChar { ch: '(' }
        );
    }
}
