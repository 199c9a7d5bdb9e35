//! SAML 2.0 `AttributeStatement`s carrying the attributes AWS reads: session tags for IAM
//! (`PrincipalTag:{key}`, `TransitiveTagKeys`, `Role`, `RoleSessionName`, `SessionDuration`,
//! `SourceIdentity`) and IAM Identity Center's attributes for access control
//! (`AccessControl:{key}`).
//!
//! Four parts:
//! - [`AttributeStatementBuilder`] collects attributes and [`build`](AttributeStatementBuilder::build)s
//!   an [`AttributeStatement`], enforcing every rule AWS documents for them;
//! - [`AttributeStatement::write_xml`] writes it, as a standalone element or as a fragment for an
//!   assertion the caller signs, byte-for-byte deterministic, with no whitespace added to values;
//! - [`StatementReader`] reads the attributes back out of an `AttributeStatement`, an `Assertion`
//!   or a whole `Response`, validated by the same rules, refusing DTDs, oversized and over-nested
//!   documents, and statements outside the one `Assertion` read (signature wrapping: see
//!   [`StatementReader::read_assertion`] for pairing it with a verified signature);
//! - [`AccessControlMapping`] computes the `AccessControl:` attributes IAM Identity Center
//!   passes for a SCIM user, from `${path:…}` sources resolved through the
//!   [`SchemaRegistry`](crate::SchemaRegistry)
//!   ([`AttributeStatementBuilder::access_control_from`]).
//!
//! The rules (AWS IAM User Guide, *Passing session tags in AWS STS* and *Configuring SAML
//! assertions for the authentication response*; IAM Identity Center *Attributes for access
//! control*; the STS API reference):
//!
//! | attribute | values | rule |
//! |---|---|---|
//! | `PrincipalTag:{key}`, `AccessControl:{key}` | exactly 1 | key 1–128, value 0–256 characters of `[\p{L}\p{Z}\p{N}_.:/=+\-@]`, after NFC; no `aws:` prefix in any case; keys unique ignoring case; at most 50 tags |
//! | `TransitiveTagKeys` | 1–50 | each names a `PrincipalTag` of the statement (ignoring case), once |
//! | `Role` | 1 or more | `arn:aws:iam::<account>:role/<name>,arn:aws:iam::<account>:saml-provider/<name>`, either order |
//! | `RoleSessionName`, `SourceIdentity` | exactly 1 | `[A-Za-z0-9_+=,.@-]{2,64}` |
//! | `SessionDuration` | exactly 1 | integer seconds, 900–43200 |
//!
//! ```
//! use scimkit::{AttributeStatement, AttributeStatementBuilder};
//!
//! let statement = AttributeStatementBuilder::new()
//!     .access_control("CostCenter", "blue")
//!     .build()?;
//! let xml = statement.to_xml_string();
//! assert_eq!(
//!     xml,
//!     concat!(
//!         r#"<saml:AttributeStatement xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">"#,
//!         r#"<saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/AccessControl:CostCenter" "#,
//!         r#"NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">"#,
//!         r#"<saml:AttributeValue>blue</saml:AttributeValue></saml:Attribute>"#,
//!         r#"</saml:AttributeStatement>"#,
//!     )
//! );
//! let back: AttributeStatement = xml.parse()?;
//! assert_eq!(back, statement);
//! # Ok::<(), scimkit::saml::SamlError>(())
//! ```

mod builder;
mod error;
mod mapping;
mod read;
pub mod tags;
mod xml;

use std::str::FromStr;

pub use builder::AttributeStatementBuilder;
pub use error::{MappingError, MappingErrorKind, SamlError, SamlErrorKind};
pub use mapping::{
    AccessControlAttribute, AccessControlMapping, AttributeSource, MAX_ACCESS_CONTROL_ATTRIBUTES,
    MAX_SOURCE_CHARS, MissingAttribute, MultipleValues, SOURCE_ALPHABET, SkipReason, SkippedKey,
    TagEvaluation,
};
pub use read::StatementReader;
pub use tags::{SessionTag, TagError, TagErrorKind, TagKey, TagPart, TagValue};

/// The SAML 2.0 assertion namespace, bound to the `saml` prefix in standalone output.
pub const SAML_ASSERTION_NS: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
/// The SAML 2.0 protocol namespace (`samlp:Response`).
pub const SAML_PROTOCOL_NS: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
/// The `NameFormat` written on every attribute, as in AWS's examples.
pub const NAME_FORMAT_URI: &str = "urn:oasis:names:tc:SAML:2.0:attrname-format:uri";
/// The prefix of every attribute name AWS reads.
pub const AWS_ATTRIBUTE_PREFIX: &str = "https://aws.amazon.com/SAML/Attributes/";
/// `Name` of the IAM role attribute.
pub const ROLE: &str = "https://aws.amazon.com/SAML/Attributes/Role";
/// `Name` of the role session name attribute.
pub const ROLE_SESSION_NAME: &str = "https://aws.amazon.com/SAML/Attributes/RoleSessionName";
/// `Name` of the console session duration attribute.
pub const SESSION_DURATION: &str = "https://aws.amazon.com/SAML/Attributes/SessionDuration";
/// `Name` of the source identity attribute.
pub const SOURCE_IDENTITY: &str = "https://aws.amazon.com/SAML/Attributes/SourceIdentity";
/// `Name` of the transitive tag keys attribute.
pub const TRANSITIVE_TAG_KEYS: &str = "https://aws.amazon.com/SAML/Attributes/TransitiveTagKeys";
/// `Name` prefix of an STS session tag; the tag key follows.
pub const PRINCIPAL_TAG_PREFIX: &str = "https://aws.amazon.com/SAML/Attributes/PrincipalTag:";
/// `Name` prefix of an IAM Identity Center access-control attribute; the tag key follows.
pub const ACCESS_CONTROL_PREFIX: &str = "https://aws.amazon.com/SAML/Attributes/AccessControl:";
/// Shortest console session, in seconds.
pub const MIN_SESSION_DURATION: u32 = 900;
/// Longest console session, in seconds (12 hours).
pub const MAX_SESSION_DURATION: u32 = 43_200;

/// One value of the `Role` attribute: an IAM role ARN and the SAML provider ARN that may assume
/// it, joined by a comma in either order.
///
/// ```
/// use scimkit::saml::AwsRole;
///
/// let role = AwsRole::new(
///     "arn:aws:iam::123456789012:saml-provider/JumpCloud,arn:aws:iam::123456789012:role/Dev",
/// )?;
/// assert_eq!(role.role_arn(), "arn:aws:iam::123456789012:role/Dev");
/// assert_eq!(role.provider_arn(), "arn:aws:iam::123456789012:saml-provider/JumpCloud");
/// # Ok::<(), scimkit::saml::SamlError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AwsRole {
    value: Box<str>,
    comma: usize,
    role_first: bool,
}

impl AwsRole {
    /// Checks a `Role` value as written in the assertion.
    pub fn new(value: &str) -> Result<Self, SamlError> {
        builder::parse_role(value).map_err(|e| e.in_attribute(ROLE))
    }

    /// The role and provider ARNs, written role first.
    pub fn from_arns(role_arn: &str, provider_arn: &str) -> Result<Self, SamlError> {
        Self::new(&format!("{role_arn},{provider_arn}"))
    }

    /// `arn:aws:iam::<account>:role/<name>`.
    pub fn role_arn(&self) -> &str {
        let (a, b) = self.halves();
        if self.role_first { a } else { b }
    }

    /// `arn:aws:iam::<account>:saml-provider/<name>`.
    pub fn provider_arn(&self) -> &str {
        let (a, b) = self.halves();
        if self.role_first { b } else { a }
    }

    /// The value as written: both ARNs, comma-separated, in their original order.
    pub fn as_str(&self) -> &str {
        &self.value
    }

    fn halves(&self) -> (&str, &str) {
        let (a, b) = self.value.split_at(self.comma);
        (a, &b[1..])
    }
}

/// An attribute that is not one AWS reads, kept as its name and values.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SamlAttribute {
    name: String,
    values: Vec<String>,
}

impl SamlAttribute {
    /// The attribute's `Name` (an absolute URI).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its values, in document order.
    pub fn values(&self) -> &[String] {
        &self.values
    }
}

/// The AWS attributes of a SAML 2.0 `AttributeStatement`, checked against AWS's rules.
///
/// Built by [`AttributeStatementBuilder`] or read by [`StatementReader`] (also through
/// [`FromStr`]). Written by [`write_xml`](Self::write_xml) in a fixed order: `Role`,
/// `RoleSessionName`, `SessionDuration`, `SourceIdentity`, the `PrincipalTag:`s,
/// `TransitiveTagKeys`, the `AccessControl:`s, then other attributes; within each kind the
/// order they were added in. The same statement always gives the same bytes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AttributeStatement {
    roles: Vec<AwsRole>,
    role_session_name: Option<String>,
    session_duration: Option<u32>,
    source_identity: Option<String>,
    principal_tags: Vec<SessionTag>,
    transitive_tag_keys: Vec<TagKey>,
    access_control: Vec<SessionTag>,
    other: Vec<SamlAttribute>,
}

impl AttributeStatement {
    /// The `Role` values (role ARN, provider ARN pairs).
    pub fn roles(&self) -> &[AwsRole] {
        &self.roles
    }

    /// The `RoleSessionName`.
    pub fn role_session_name(&self) -> Option<&str> {
        self.role_session_name.as_deref()
    }

    /// The `SessionDuration`, in seconds.
    pub fn session_duration(&self) -> Option<u32> {
        self.session_duration
    }

    /// The `SourceIdentity`.
    pub fn source_identity(&self) -> Option<&str> {
        self.source_identity.as_deref()
    }

    /// The STS session tags (`PrincipalTag:{key}`), in order.
    pub fn principal_tags(&self) -> &[SessionTag] {
        &self.principal_tags
    }

    /// The `TransitiveTagKeys`.
    pub fn transitive_tag_keys(&self) -> &[TagKey] {
        &self.transitive_tag_keys
    }

    /// The IAM Identity Center attributes for access control (`AccessControl:{key}`), in order.
    pub fn access_control(&self) -> &[SessionTag] {
        &self.access_control
    }

    /// The value of the access-control attribute `key`, compared ignoring case as AWS does.
    pub fn access_control_value(&self, key: &str) -> Option<&TagValue> {
        find_tag(&self.access_control, key)
    }

    /// The value of the session tag `key`, compared ignoring case as AWS does.
    pub fn principal_tag_value(&self, key: &str) -> Option<&TagValue> {
        find_tag(&self.principal_tags, key)
    }

    /// Attributes AWS does not read, in order.
    pub fn other_attributes(&self) -> &[SamlAttribute] {
        &self.other
    }

    /// Whether the statement has no attribute at all (a read `Assertion` may have none).
    pub fn is_empty(&self) -> bool {
        self.roles.is_empty()
            && self.role_session_name.is_none()
            && self.session_duration.is_none()
            && self.source_identity.is_none()
            && self.principal_tags.is_empty()
            && self.transitive_tag_keys.is_empty()
            && self.access_control.is_empty()
            && self.other.is_empty()
    }

    /// Writes the statement as a standalone `<saml:AttributeStatement>` that declares
    /// `xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"` itself.
    ///
    /// The output is one line of UTF-8 with no XML declaration. An empty statement (possible
    /// only from a reader) is written as an empty element, which the SAML schema does not allow.
    pub fn write_xml<W: std::io::Write>(&self, mut w: W) -> Result<(), SamlError> {
        w.write_all(self.to_xml_string().as_bytes())?;
        Ok(())
    }

    /// The statement as written by [`write_xml`](Self::write_xml).
    pub fn to_xml_string(&self) -> String {
        let mut out = String::with_capacity(self.xml_capacity());
        xml::write_statement(self, &mut out, "saml", true);
        out
    }

    /// Writes the statement as a fragment to embed in an `Assertion` that already binds `prefix`
    /// to the SAML assertion namespace: no `xmlns` declaration is written. An empty `prefix`
    /// writes unprefixed elements, for an assertion that makes the SAML namespace the default.
    ///
    /// ```
    /// use scimkit::AttributeStatementBuilder;
    ///
    /// let statement = AttributeStatementBuilder::new().role_session_name("jdoe").build()?;
    /// let mut xml = Vec::new();
    /// statement.write_xml_fragment(&mut xml, "saml2")?;
    /// assert!(xml.starts_with(b"<saml2:AttributeStatement><saml2:Attribute Name="));
    /// # Ok::<(), scimkit::saml::SamlError>(())
    /// ```
    pub fn write_xml_fragment<W: std::io::Write>(
        &self,
        mut w: W,
        prefix: &str,
    ) -> Result<(), SamlError> {
        w.write_all(self.to_xml_fragment_string(prefix)?.as_bytes())?;
        Ok(())
    }

    /// The fragment written by [`write_xml_fragment`](Self::write_xml_fragment).
    pub fn to_xml_fragment_string(&self, prefix: &str) -> Result<String, SamlError> {
        if !prefix.is_empty() && !xml::is_ncname(prefix) {
            return Err(SamlErrorKind::Prefix.into());
        }
        let mut out = String::with_capacity(self.xml_capacity());
        xml::write_statement(self, &mut out, prefix, false);
        Ok(out)
    }

    fn xml_capacity(&self) -> usize {
        200 + 180 * (self.principal_tags.len() + self.access_control.len() + self.roles.len())
    }
}

fn find_tag<'a>(tags: &'a [SessionTag], key: &str) -> Option<&'a TagValue> {
    tags.iter()
        .find(|t| tags::keys_equal_ignore_case(t.key().as_str(), key))
        .map(SessionTag::value)
}

impl FromStr for AttributeStatement {
    type Err = SamlError;

    /// Reads SAML XML with the default [`StatementReader`].
    fn from_str(xml: &str) -> Result<Self, SamlError> {
        StatementReader::new().read(xml)
    }
}
