//! [`AttributeStatementBuilder`] and the checks shared with the reader.

use std::borrow::Cow;
use std::collections::HashSet;

use serde_json::Value;

use super::error::{SamlError, SamlErrorKind};
use super::mapping::AccessControlMapping;
use super::tags::{MAX_TAGS, SessionTag, TagKey, TagValue, fold_key, truncate};
use super::{
    ACCESS_CONTROL_PREFIX, AWS_ATTRIBUTE_PREFIX, AttributeStatement, AwsRole, MAX_SESSION_DURATION,
    MIN_SESSION_DURATION, PRINCIPAL_TAG_PREFIX, ROLE, ROLE_SESSION_NAME, SESSION_DURATION,
    SOURCE_IDENTITY, SamlAttribute, TRANSITIVE_TAG_KEYS,
};
use crate::schema::SchemaRegistry;

/// Collects the attributes of an [`AttributeStatement`] and checks them on
/// [`build`](Self::build).
///
/// Methods take anything that converts into a [`TagKey`] or [`TagValue`] (`&str`, `String`, or
/// the checked types themselves); the first error is kept and returned by `build`, which then
/// checks the rules that span attributes: at most 50 tags, keys unique ignoring case, transitive
/// keys naming passed tags. Calling a single-valued setter (`role_session_name`,
/// `session_duration`, `source_identity`) twice is an error; `role` and `transitive_tag_key`
/// add one value each time.
///
/// ```
/// use scimkit::AttributeStatementBuilder;
///
/// let statement = AttributeStatementBuilder::new()
///     .role(
///         "arn:aws:iam::123456789012:role/Developer",
///         "arn:aws:iam::123456789012:saml-provider/JumpCloud",
///     )
///     .role_session_name("jdoe@example.com")
///     .session_duration(3600)
///     .principal_tag("Project", "Phoenix")
///     .principal_tag("CostCenter", "12345")
///     .transitive_tag_key("Project")
///     .build()?;
/// assert_eq!(statement.principal_tags().len(), 2);
///
/// // Keys are the same to AWS whatever their case.
/// let err = AttributeStatementBuilder::new()
///     .access_control("Dept", "a")
///     .access_control("dept", "b")
///     .build()
///     .unwrap_err();
/// assert!(matches!(err.kind(), scimkit::saml::SamlErrorKind::DuplicateTagKey { .. }));
/// # Ok::<(), scimkit::saml::SamlError>(())
/// ```
#[derive(Debug, Default)]
#[must_use]
pub struct AttributeStatementBuilder {
    parts: Assembler,
    error: Option<SamlError>,
}

impl AttributeStatementBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    fn apply(mut self, f: impl FnOnce(&mut Assembler) -> Result<(), SamlError>) -> Self {
        if self.error.is_none()
            && let Err(e) = f(&mut self.parts)
        {
            self.error = Some(e);
        }
        self
    }

    /// Adds `https://aws.amazon.com/SAML/Attributes/AccessControl:{key}` with value `value`, an
    /// IAM Identity Center attribute for access control.
    pub fn access_control<K, V>(self, key: K, value: V) -> Self
    where
        K: TryInto<TagKey>,
        V: TryInto<TagValue>,
        SamlError: From<K::Error> + From<V::Error>,
    {
        self.apply(|a| a.access_control(make_tag(key, value, ACCESS_CONTROL_PREFIX)?))
    }

    /// Adds `https://aws.amazon.com/SAML/Attributes/PrincipalTag:{key}` with value `value`, an STS
    /// session tag.
    pub fn principal_tag<K, V>(self, key: K, value: V) -> Self
    where
        K: TryInto<TagKey>,
        V: TryInto<TagValue>,
        SamlError: From<K::Error> + From<V::Error>,
    {
        self.apply(|a| a.principal_tag(make_tag(key, value, PRINCIPAL_TAG_PREFIX)?))
    }

    /// Adds checked tags as `AccessControl:` attributes.
    pub fn access_control_tags(self, tags: impl IntoIterator<Item = SessionTag>) -> Self {
        self.apply(|a| tags.into_iter().try_for_each(|t| a.access_control(t)))
    }

    /// Adds the `AccessControl:` attributes `mapping` gives for `user` (a SCIM User as JSON),
    /// as IAM Identity Center would pass them.
    ///
    /// ```
    /// use scimkit::saml::AccessControlMapping;
    /// use scimkit::{AttributeStatementBuilder, SchemaRegistry};
    /// use serde_json::json;
    ///
    /// let mapping = AccessControlMapping::from_entries(["CostCenter=${path:enterprise.costCenter}"])?;
    /// let user = json!({"userName": "bjensen",
    ///     "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"costCenter": "blue"}});
    /// let statement = AttributeStatementBuilder::new()
    ///     .access_control_from(&mapping, &user, &SchemaRegistry::default())
    ///     .build()?;
    /// assert_eq!(statement.access_control_value("costcenter").map(|v| v.as_str()), Some("blue"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn access_control_from(
        self,
        mapping: &AccessControlMapping,
        user: &Value,
        schemas: &SchemaRegistry,
    ) -> Self {
        self.apply(|a| {
            let tags = mapping.evaluate(user, schemas).map_err(|e| {
                let name = e.key().map(|k| format!("{ACCESS_CONTROL_PREFIX}{k}"));
                let e = SamlError::from(e);
                match name {
                    Some(n) => e.in_attribute(&n),
                    None => e,
                }
            })?;
            tags.into_iter().try_for_each(|t| a.access_control(t))
        })
    }

    /// Adds checked tags as `PrincipalTag:` attributes.
    pub fn principal_tags(self, tags: impl IntoIterator<Item = SessionTag>) -> Self {
        self.apply(|a| tags.into_iter().try_for_each(|t| a.principal_tag(t)))
    }

    /// Adds `key` to `TransitiveTagKeys`; it must name a `PrincipalTag` of the statement.
    pub fn transitive_tag_key<K>(self, key: K) -> Self
    where
        K: TryInto<TagKey>,
        SamlError: From<K::Error>,
    {
        self.apply(|a| {
            let key = key
                .try_into()
                .map_err(|e| SamlError::from(e).in_attribute(TRANSITIVE_TAG_KEYS))?;
            a.0.transitive_tag_keys.push(key);
            Ok(())
        })
    }

    /// Adds a `Role` value: the role the user may assume and the SAML provider it trusts.
    pub fn role(self, role_arn: &str, provider_arn: &str) -> Self {
        self.apply(|a| {
            a.0.roles.push(AwsRole::from_arns(role_arn, provider_arn)?);
            Ok(())
        })
    }

    /// Sets `RoleSessionName`: 2–64 characters of `[A-Za-z0-9_+=,.@-]`.
    pub fn role_session_name(self, name: &str) -> Self {
        self.apply(|a| a.role_session_name(name))
    }

    /// Sets `SessionDuration`, in seconds: 900–43200.
    pub fn session_duration(self, seconds: u32) -> Self {
        self.apply(|a| a.session_duration(&seconds.to_string()))
    }

    /// Sets `SourceIdentity`: 2–64 characters of `[A-Za-z0-9_+=,.@-]`.
    pub fn source_identity(self, identity: &str) -> Self {
        self.apply(|a| a.source_identity(identity))
    }

    /// Adds any attribute by name. A name AWS reads (`…/AccessControl:CostCenter`, `…/Role`…) is
    /// checked exactly as by the dedicated method; any other name must be an absolute URI and its
    /// values text that XML 1.0 can carry.
    pub fn attribute<I, S>(self, name: &str, values: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.apply(|a| a.add(name, values.into_iter().map(Into::into).collect()))
    }

    /// Checks the rules that span attributes and returns the statement.
    pub fn build(self) -> Result<AttributeStatement, SamlError> {
        if let Some(e) = self.error {
            return Err(e);
        }
        if self.parts.is_empty() {
            return Err(SamlErrorKind::Empty.into());
        }
        self.parts.finish()
    }
}

fn make_tag<K, V>(key: K, value: V, prefix: &str) -> Result<SessionTag, SamlError>
where
    K: TryInto<TagKey>,
    V: TryInto<TagValue>,
    SamlError: From<K::Error> + From<V::Error>,
{
    let key = key.try_into().map_err(|e| {
        let e = SamlError::from(e);
        let shown = e.tag_error().map_or("", |t| t.input()).to_owned();
        e.in_attribute(&format!("{prefix}{shown}"))
    })?;
    let value = value
        .try_into()
        .map_err(|e| SamlError::from(e).in_attribute(&format!("{prefix}{key}")))?;
    Ok(SessionTag::from_parts(key, value))
}

/// The statement under construction, fed by the builder and the reader alike; `finish`
/// checks the rules that span attributes and hands it over.
#[derive(Debug, Default)]
pub(crate) struct Assembler(AttributeStatement);

impl Assembler {
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    // The tag count is checked as tags arrive, so that the quadratic duplicate check in
    // `finish` never sees more than `MAX_TAGS` of them.
    fn count_tag(&self) -> Result<(), SamlError> {
        let count = self.0.principal_tags.len() + self.0.access_control.len() + 1;
        if count > MAX_TAGS {
            return Err(SamlErrorKind::TooManyTags {
                count,
                max: MAX_TAGS,
            }
            .into());
        }
        Ok(())
    }

    fn access_control(&mut self, tag: SessionTag) -> Result<(), SamlError> {
        self.count_tag()?;
        self.0.access_control.push(tag);
        Ok(())
    }

    fn principal_tag(&mut self, tag: SessionTag) -> Result<(), SamlError> {
        self.count_tag()?;
        self.0.principal_tags.push(tag);
        Ok(())
    }

    fn role_session_name(&mut self, name: &str) -> Result<(), SamlError> {
        let name = check_session_name(name).map_err(|e| e.in_attribute(ROLE_SESSION_NAME))?;
        set_once(&mut self.0.role_session_name, name, ROLE_SESSION_NAME)
    }

    fn source_identity(&mut self, name: &str) -> Result<(), SamlError> {
        let name = check_session_name(name).map_err(|e| e.in_attribute(SOURCE_IDENTITY))?;
        set_once(&mut self.0.source_identity, name, SOURCE_IDENTITY)
    }

    fn session_duration(&mut self, text: &str) -> Result<(), SamlError> {
        let seconds = parse_duration(text).map_err(|e| e.in_attribute(SESSION_DURATION))?;
        set_once(&mut self.0.session_duration, seconds, SESSION_DURATION)
    }

    /// Adds an attribute by its SAML `Name`, routing the names AWS reads to their checks.
    pub(crate) fn add(&mut self, name: &str, values: Vec<String>) -> Result<(), SamlError> {
        self.add_inner(name, values)
            .map_err(|e| e.in_attribute(name))
    }

    fn add_inner(&mut self, name: &str, values: Vec<String>) -> Result<(), SamlError> {
        if let Some(key) = name.strip_prefix(ACCESS_CONTROL_PREFIX) {
            let tag = SessionTag::new(key, single(&values)?)?;
            return self.access_control(tag);
        }
        if let Some(key) = name.strip_prefix(PRINCIPAL_TAG_PREFIX) {
            let tag = SessionTag::new(key, single(&values)?)?;
            return self.principal_tag(tag);
        }
        match name {
            ROLE => {
                at_least_one(&values)?;
                for v in &values {
                    self.0.roles.push(parse_role(v)?);
                }
                Ok(())
            }
            TRANSITIVE_TAG_KEYS => {
                at_least_one(&values)?;
                for v in &values {
                    self.0.transitive_tag_keys.push(TagKey::new(v)?);
                }
                Ok(())
            }
            ROLE_SESSION_NAME => self.role_session_name(single(&values)?),
            SESSION_DURATION => self.session_duration(single(&values)?),
            SOURCE_IDENTITY => self.source_identity(single(&values)?),
            _ => {
                check_uri(name)?;
                for v in &values {
                    check_xml_text(v)?;
                }
                self.0.other.push(SamlAttribute {
                    name: name.to_owned(),
                    values,
                });
                Ok(())
            }
        }
    }

    /// Checks the rules that span attributes. Keys are compared through their case folds in
    /// hash sets, so a full statement costs linear time.
    pub(crate) fn finish(self) -> Result<AttributeStatement, SamlError> {
        let principal = unique_folds(&self.0.principal_tags, PRINCIPAL_TAG_PREFIX)?;
        unique_folds(&self.0.access_control, ACCESS_CONTROL_PREFIX)?;
        let mut transitive = HashSet::with_capacity(self.0.transitive_tag_keys.len());
        for key in &self.0.transitive_tag_keys {
            let fold = fold_key(key.as_str());
            let problem = if !principal.contains(&fold) {
                Some(false)
            } else if !transitive.insert(fold) {
                Some(true)
            } else {
                None
            };
            if let Some(duplicate) = problem {
                return Err(SamlError::from(SamlErrorKind::TransitiveKey {
                    key: truncate(key.as_str()).into(),
                    duplicate,
                })
                .in_attribute(TRANSITIVE_TAG_KEYS));
            }
        }
        Ok(self.0)
    }
}

fn set_once<T>(slot: &mut Option<T>, value: T, name: &str) -> Result<(), SamlError> {
    if slot.is_some() {
        return Err(SamlError::from(SamlErrorKind::DuplicateAttribute).in_attribute(name));
    }
    *slot = Some(value);
    Ok(())
}

/// The case folds of the tags' keys; an error on the first key seen twice.
fn unique_folds<'a>(
    tags: &'a [SessionTag],
    prefix: &str,
) -> Result<HashSet<Cow<'a, str>>, SamlError> {
    let mut folds = HashSet::with_capacity(tags.len());
    for tag in tags {
        if !folds.insert(fold_key(tag.key().as_str())) {
            return Err(SamlError::from(SamlErrorKind::DuplicateTagKey {
                key: truncate(tag.key().as_str()).into(),
            })
            .in_attribute(&format!("{prefix}{}", tag.key())));
        }
    }
    Ok(folds)
}

fn single(values: &[String]) -> Result<&str, SamlError> {
    match values {
        [v] => Ok(v),
        _ => Err(SamlErrorKind::ValueCount {
            expected: "exactly one",
            found: values.len(),
        }
        .into()),
    }
}

fn at_least_one(values: &[String]) -> Result<(), SamlError> {
    if values.is_empty() {
        return Err(SamlErrorKind::ValueCount {
            expected: "at least one",
            found: 0,
        }
        .into());
    }
    Ok(())
}

/// `RoleSessionName` and `SourceIdentity`: `[\w+=,.@-]{2,64}` with ASCII `\w`. The `aws:`
/// prefix that `SourceIdentity` may not have is already outside this alphabet.
fn check_session_name(name: &str) -> Result<String, SamlError> {
    let ok = (2..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_+=,.@-".contains(&b));
    if ok {
        Ok(name.to_owned())
    } else {
        Err(SamlErrorKind::SessionName {
            value: truncate(name).into(),
        }
        .into())
    }
}

/// Digits only (no sign, no spaces), 900–43200.
fn parse_duration(text: &str) -> Result<u32, SamlError> {
    let err = || {
        SamlError::from(SamlErrorKind::SessionDuration {
            value: truncate(text).into(),
        })
    };
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(err());
    }
    let digits = text.trim_start_matches('0');
    match digits.parse::<u32>() {
        Ok(n) if (MIN_SESSION_DURATION..=MAX_SESSION_DURATION).contains(&n) => Ok(n),
        _ => Err(err()),
    }
}

fn role_err(reason: &'static str) -> SamlError {
    SamlErrorKind::Role { reason }.into()
}

/// A `Role` value: a role ARN and a SAML provider ARN, comma-separated, in either order.
/// Role names may themselves hold commas, so the split is at the comma that starts an ARN.
pub(super) fn parse_role(value: &str) -> Result<AwsRole, SamlError> {
    let mut splits = value.match_indices(",arn:").map(|(i, _)| i);
    let (Some(comma), None) = (splits.next(), splits.next()) else {
        return Err(role_err(
            "expected a role ARN and a saml-provider ARN separated by one comma",
        ));
    };
    let first = parse_iam_arn(&value[..comma])?;
    let second = parse_iam_arn(&value[comma + 1..])?;
    let role_first = match (first.1, second.1) {
        (IamKind::Role, IamKind::Provider) => true,
        (IamKind::Provider, IamKind::Role) => false,
        _ => return Err(role_err("expected one role ARN and one saml-provider ARN")),
    };
    if first.0 != second.0 {
        return Err(role_err("the two ARNs are in different partitions"));
    }
    Ok(AwsRole {
        value: value.into(),
        comma,
        role_first,
    })
}

#[derive(Clone, Copy)]
enum IamKind {
    Role,
    Provider,
}

/// `arn:<partition>:iam::<12 digits>:role/<path/><name>` or `…:saml-provider/<name>`;
/// returns the partition and the kind.
fn parse_iam_arn(arn: &str) -> Result<(&str, IamKind), SamlError> {
    let rest = arn
        .strip_prefix("arn:")
        .ok_or_else(|| role_err("an ARN must start with `arn:`"))?;
    let (partition, rest) = rest
        .split_once(":iam::")
        .ok_or_else(|| role_err("expected an IAM ARN (`arn:aws:iam::<account>:…`)"))?;
    let mut labels = partition.split('-');
    let partition_ok = labels.next() == Some("aws")
        && labels.all(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase()));
    if !partition_ok {
        return Err(role_err(
            "unknown ARN partition (expected `aws`, `aws-cn`, …)",
        ));
    }
    let (account, resource) = rest
        .split_once(':')
        .ok_or_else(|| role_err("expected `:` after the account id"))?;
    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
        return Err(role_err("the account id must be 12 digits"));
    }
    if let Some(path_and_name) = resource.strip_prefix("role/") {
        let (path, name) = path_and_name
            .rsplit_once('/')
            .unwrap_or(("", path_and_name));
        let name_ok = (1..=64).contains(&name.len())
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"_+=,.@-".contains(&b));
        let path_ok = path.len() + 2 <= 512 && path.bytes().all(|b| (0x21..=0x7e).contains(&b));
        if name_ok && path_ok {
            return Ok((partition, IamKind::Role));
        }
        return Err(role_err(
            "role name must be 1-64 characters of [A-Za-z0-9_+=,.@-]",
        ));
    }
    if let Some(name) = resource.strip_prefix("saml-provider/") {
        let ok = (1..=128).contains(&name.len())
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b));
        if ok {
            return Ok((partition, IamKind::Provider));
        }
        return Err(role_err(
            "saml-provider name must be 1-128 characters of [A-Za-z0-9_.-]",
        ));
    }
    Err(role_err(
        "expected `role/…` or `saml-provider/…` after the account id",
    ))
}

/// An absolute URI as the `uri` name format requires: `scheme:rest`, nothing XML or URIs
/// cannot carry.
fn check_uri(name: &str) -> Result<(), SamlError> {
    let err = || SamlError::from(SamlErrorKind::AttributeName);
    let (scheme, rest) = name.split_once(':').ok_or_else(err)?;
    let scheme_ok = scheme
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic())
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b));
    if !scheme_ok || rest.is_empty() || name.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(err());
    }
    if name.starts_with(AWS_ATTRIBUTE_PREFIX) && name.len() == AWS_ATTRIBUTE_PREFIX.len() {
        return Err(err());
    }
    check_xml_text(name)
}

/// XML 1.0 `Char`: everything but C0 controls other than tab, LF, CR, and U+FFFE/U+FFFF
/// (Rust's `char` already excludes surrogates).
pub(crate) fn check_xml_text(s: &str) -> Result<(), SamlError> {
    match s.chars().find(|&c| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{fffe}' | '\u{ffff}')
    }) {
        Some(ch) => Err(SamlErrorKind::XmlChar { ch }.into()),
        None => Ok(()),
    }
}
