//! [`SamlError`]: why a statement could not be built, written or read.

use std::fmt;
use std::io;

use super::tags::{TagError, truncate, truncate_to};
use crate::error::{ScimError, ScimType, Span};
use crate::path::PathError;

/// What went wrong, with an input that triggers it.
#[derive(Debug)]
#[non_exhaustive]
pub enum SamlErrorKind {
    /// `AccessControl:CostCenter` = `blue\n`: a tag key or value breaks the STS rules.
    Tag(TagError),
    /// 51 session tags: at most 50 (`PrincipalTag:` and `AccessControl:` together).
    TooManyTags {
        /// How many tags the statement has.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// `Dept` and `dept` both passed: keys are the same ignoring case.
    DuplicateTagKey {
        /// The second key (cut to 64 characters).
        key: Box<str>,
    },
    /// `TransitiveTagKeys` lists `Project` but no `PrincipalTag:Project` is passed, or lists a
    /// key twice.
    TransitiveKey {
        /// The key (cut to 64 characters).
        key: Box<str>,
        /// `true`: listed twice; `false`: not a passed tag.
        duplicate: bool,
    },
    /// A tag attribute with two `AttributeValue`s, or a `RoleSessionName` with none.
    ValueCount {
        /// How many values the attribute may have.
        expected: &'static str,
        /// How many it has.
        found: usize,
    },
    /// Two `RoleSessionName` (or `SessionDuration`, `SourceIdentity`, `TransitiveTagKeys`)
    /// attributes.
    DuplicateAttribute,
    /// `SessionDuration` of `899` or `43201`, or `1h`: an integer 900–43200 is required.
    SessionDuration {
        /// The value (cut to 64 characters).
        value: Box<str>,
    },
    /// `RoleSessionName` of `a` or `has space`: 2–64 of `[A-Za-z0-9_+=,.@-]`.
    SessionName {
        /// The value (cut to 64 characters).
        value: Box<str>,
    },
    /// `Role` of `arn:aws:iam::123:role/x`: not a role ARN and a SAML provider ARN joined by a
    /// comma.
    Role {
        /// What is wrong.
        reason: &'static str,
    },
    /// An attribute `Name` of `email`: names are written with the `uri` name format, so they must
    /// be absolute URIs.
    AttributeName,
    /// A value holding U+0000 or another character XML 1.0 cannot carry.
    XmlChar {
        /// The character.
        ch: char,
    },
    /// `build()` with nothing added: a `saml:AttributeStatement` holds at least one attribute.
    Empty,
    /// A namespace prefix of `1x` or `a:b` for the fragment writer.
    Prefix,
    /// The XML is not well-formed (`<a></b>`), or a reference is to an undeclared entity.
    Xml {
        /// The parser's message.
        message: String,
    },
    /// `<!DOCTYPE …>`: DTDs (and so entity declarations) are refused, never expanded.
    DocType,
    /// A document longer than the reader's size bound.
    TooLarge {
        /// Its length in bytes.
        len: usize,
        /// The bound.
        max: usize,
    },
    /// Elements nested deeper than the reader's depth bound.
    TooDeep {
        /// The bound.
        max: usize,
    },
    /// A root element other than `AttributeStatement`, `Assertion` or `Response` in the SAML
    /// namespaces, or an undeclared prefix such as `saml:` with no `xmlns:saml`.
    NotSaml {
        /// The element name as written (cut to 64 characters).
        found: Box<str>,
    },
    /// An element inside an AWS attribute's `AttributeValue`, or a `saml:Attribute` without
    /// `Name`.
    Structure {
        /// What is wrong.
        reason: &'static str,
    },
    /// An `AttributeStatement` that is not a child of the document's `Assertion` (the root, or
    /// the `Response`'s child): one inside `samlp:Extensions`, an `Advice` or a foreign element.
    /// Such a statement is outside what the assertion's signature covers: the shape of an XML
    /// signature wrapping attack.
    MisplacedStatement,
    /// A document holding more than one `Assertion` (at any depth), read without choosing one
    /// by [`read_assertion`](super::StatementReader::read_assertion).
    MultipleAssertions,
    /// [`read_assertion`](super::StatementReader::read_assertion) with an ID that no
    /// top-level `Assertion` carries, or that more than one element carries.
    AssertionId {
        /// The ID asked for (cut to 64 characters).
        id: Box<str>,
        /// How many elements carry it (0, or 2 and more; 1 when only a misplaced one does).
        found: usize,
    },
    /// An access-control mapping could not be evaluated for the user.
    Mapping(Box<MappingError>),
    /// The writer's sink failed.
    Io(io::Error),
}

impl fmt::Display for SamlErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Tag(e) => write!(f, "{e}"),
            Self::TooManyTags { count, max } => {
                write!(f, "{count} session tags, at most {max} are allowed")
            }
            Self::DuplicateTagKey { key } => write!(
                f,
                "tag key {key:?} is passed twice (tag keys are compared ignoring case)"
            ),
            Self::TransitiveKey {
                key,
                duplicate: true,
            } => write!(f, "transitive tag key {key:?} is listed twice"),
            Self::TransitiveKey { key, .. } => write!(
                f,
                "transitive tag key {key:?} does not name a PrincipalTag passed in the statement"
            ),
            Self::ValueCount { expected, found } => {
                write!(f, "expected {expected} AttributeValue, found {found}")
            }
            Self::DuplicateAttribute => f.write_str("the attribute appears twice"),
            Self::SessionDuration { value } => write!(
                f,
                "session duration {value:?} is not an integer number of seconds in 900..=43200"
            ),
            Self::SessionName { value } => {
                write!(f, "{value:?} does not match [A-Za-z0-9_+=,.@-]{{2,64}}")
            }
            Self::Role { reason } => write!(f, "invalid role value: {reason}"),
            Self::AttributeName => {
                f.write_str("attribute name is not an absolute URI (scheme:rest, no whitespace)")
            }
            Self::XmlChar { ch } => write!(
                f,
                "character U+{:04X} cannot appear in XML 1.0",
                u32::from(*ch)
            ),
            Self::Empty => f.write_str("an AttributeStatement needs at least one attribute"),
            Self::Prefix => f.write_str("namespace prefix is not an XML NCName"),
            Self::Xml { message } => write!(f, "malformed XML: {message}"),
            Self::DocType => {
                f.write_str("DOCTYPE declarations are not accepted (entities are never expanded)")
            }
            Self::TooLarge { len, max } => {
                write!(f, "document of {len} bytes exceeds the limit of {max}")
            }
            Self::TooDeep { max } => write!(f, "elements nested deeper than {max}"),
            Self::NotSaml { found } => write!(
                f,
                "element {found:?} is not a SAML 2.0 AttributeStatement, Assertion or Response"
            ),
            Self::Structure { reason } => f.write_str(reason),
            Self::MisplacedStatement => f.write_str(
                "saml:AttributeStatement outside the document's saml:Assertion (possible signature wrapping)",
            ),
            Self::MultipleAssertions => f.write_str(
                "more than one saml:Assertion: choose the signed one by its ID",
            ),
            Self::AssertionId { id, found: 0 } => {
                write!(f, "no element has ID {id:?}")
            }
            Self::AssertionId { id, found: 1 } => {
                write!(f, "ID {id:?} is not a top-level saml:Assertion's")
            }
            Self::AssertionId { id, found } => {
                write!(f, "{found} elements have ID {id:?} (possible signature wrapping)")
            }
            Self::Mapping(e) => write!(f, "{e}"),
            Self::Io(e) => write!(f, "write failed: {e}"),
        }
    }
}

/// A statement that breaks an AWS rule, XML that cannot be read safely, or a failed write.
///
/// `Display` is one line: the problem, then the attribute concerned and the byte offset in the
/// XML when they are known. Converts into `400 invalidValue` (rule violations) or
/// `400 invalidSyntax` (unreadable XML) [`ScimError`]s.
///
/// ```
/// use scimkit::AttributeStatementBuilder;
///
/// let err = AttributeStatementBuilder::new()
///     .session_duration(899)
///     .build()
///     .unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "session duration \"899\" is not an integer number of seconds in 900..=43200 \
///      (attribute https://aws.amazon.com/SAML/Attributes/SessionDuration)"
/// );
/// ```
#[derive(Debug, thiserror::Error)]
pub struct SamlError {
    kind: SamlErrorKind,
    attribute: Option<Box<str>>,
    position: Option<usize>,
}

impl fmt::Display for SamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.kind)?;
        match (&self.attribute, self.position) {
            (Some(a), Some(p)) => write!(f, " (attribute {a}, at byte {p})"),
            (Some(a), None) => write!(f, " (attribute {a})"),
            (None, Some(p)) => write!(f, " (at byte {p})"),
            (None, None) => Ok(()),
        }
    }
}

impl SamlError {
    pub(crate) fn new(kind: SamlErrorKind) -> Self {
        Self {
            kind,
            attribute: None,
            position: None,
        }
    }

    /// Names the SAML attribute concerned, unless one is named already.
    pub(crate) fn in_attribute(mut self, name: &str) -> Self {
        if self.attribute.is_none() {
            // Room for the 54-character AWS prefix plus 64 characters of key.
            self.attribute = Some(truncate_to(name, 118).into());
        }
        self
    }

    /// Records the byte offset in the XML, unless one is recorded already.
    pub(crate) fn at(mut self, position: usize) -> Self {
        self.position.get_or_insert(position);
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> &SamlErrorKind {
        &self.kind
    }

    /// The `Name` of the SAML attribute concerned, cut to 118 characters.
    pub fn attribute(&self) -> Option<&str> {
        self.attribute.as_deref()
    }

    /// The byte offset in the XML being read, for errors of the reader.
    pub fn position(&self) -> Option<usize> {
        self.position
    }

    /// The tag error inside, if a key or value was at fault.
    pub fn tag_error(&self) -> Option<&TagError> {
        match &self.kind {
            SamlErrorKind::Tag(e) => Some(e),
            _ => None,
        }
    }
}

impl From<SamlErrorKind> for SamlError {
    fn from(kind: SamlErrorKind) -> Self {
        Self::new(kind)
    }
}

impl From<TagError> for SamlError {
    fn from(e: TagError) -> Self {
        Self::new(SamlErrorKind::Tag(e))
    }
}

impl From<io::Error> for SamlError {
    fn from(e: io::Error) -> Self {
        Self::new(SamlErrorKind::Io(e))
    }
}

impl From<std::convert::Infallible> for SamlError {
    fn from(e: std::convert::Infallible) -> Self {
        match e {}
    }
}

impl From<TagError> for ScimError {
    /// `400 invalidValue`: the value breaks the AWS tag rules.
    fn from(e: TagError) -> Self {
        Self::invalid_value(e.to_string())
    }
}

impl From<SamlError> for ScimError {
    fn from(e: SamlError) -> Self {
        Self::from(&e)
    }
}

impl From<&SamlError> for ScimError {
    /// `400 invalidSyntax` when the XML could not be read, `500` when a write failed, else
    /// `400 invalidValue`.
    fn from(e: &SamlError) -> Self {
        match e.kind {
            SamlErrorKind::Xml { .. }
            | SamlErrorKind::DocType
            | SamlErrorKind::TooLarge { .. }
            | SamlErrorKind::TooDeep { .. }
            | SamlErrorKind::NotSaml { .. }
            | SamlErrorKind::Structure { .. }
            | SamlErrorKind::MisplacedStatement
            | SamlErrorKind::MultipleAssertions
            | SamlErrorKind::AssertionId { .. } => Self::invalid_syntax(e.to_string()),
            SamlErrorKind::Io(_) => Self::with_status(500, e.to_string()),
            SamlErrorKind::Mapping(ref m) => Self::new(m.scim_type(), e.to_string()),
            _ => Self::invalid_value(e.to_string()),
        }
    }
}

/// What is wrong with an access-control mapping, or with evaluating it for a user.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MappingErrorKind {
    /// `userName`, `${user:email}`, `${path:name.givenName} ${path:name.familyName}`: a source
    /// is exactly one `${path:…}` expression.
    NotPathExpression,
    /// `CostCenter` with no `=${path:…}`: an entry is `Key=${path:…}`.
    Entry,
    /// `${path:emails[type eq]}`: the path does not parse (RFC 7644 §3.5.2).
    Path(PathError),
    /// A source of 257 characters: at most 256.
    SourceTooLong {
        /// Its length, in characters.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// `${path:emails[not (type pr)].value}`: `(` is outside the source alphabet
    /// `[\p{L}\p{Z}\p{N}_.:\/=+\-@\[\]\{\}\$\\"]`.
    SourceChar {
        /// The offending character.
        ch: char,
    },
    /// `aws:team` or `Cost\nCenter` as a key: the tag-key rules apply.
    Key(TagError),
    /// A 51st attribute: at most 50.
    TooManyAttributes {
        /// How many the mapping would hold.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// `Dept` and `dept` both mapped: keys are the same ignoring case.
    DuplicateKey,
    /// `${path:costCenter}` (an enterprise attribute needs `enterprise.`), `${path:nmae}`,
    /// `${path:emails[kind eq "work"].value}`: no schema in the registry defines the attribute.
    UnknownAttribute,
    /// `${path:name}`, `${path:enterprise.manager}`: a complex attribute has no single value;
    /// name one of its sub-attributes.
    Complex,
    /// `${path:emails[primary eq "yes"].value}`: a comparison the attribute's type does not
    /// allow.
    InvalidFilter {
        /// Why, as the filter evaluator words it.
        detail: String,
    },
    /// The user has no value at the path, with [`MissingAttribute::Error`](super::MissingAttribute::Error).
    Missing,
    /// `${path:emails.value}` on a user with two emails, with
    /// [`MultipleValues::Error`](super::MultipleValues::Error).
    MultipleValues {
        /// How many values the path selects.
        count: usize,
    },
    /// The user holds an object or array where a single value belongs.
    NotScalar,
    /// The user's value breaks the tag-value rules (`100 Universal City Plaza\nHollywood`).
    Value(TagError),
}

impl fmt::Display for MappingErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotPathExpression => {
                f.write_str("a source must be exactly one `${path:<attribute path>}` expression")
            }
            Self::Entry => f.write_str("expected an entry `Key=${path:<attribute path>}`"),
            Self::Path(e) => match e.found() {
                "" => write!(f, "{}", e.expected()),
                found => write!(f, "{}, found `{found}`", e.expected()),
            },
            Self::SourceTooLong { len, max } => {
                write!(f, "the source has {len} characters (at most {max})")
            }
            Self::SourceChar { ch } => write!(
                f,
                "the source has {ch:?} (U+{:04X}), outside the source alphabet",
                u32::from(*ch)
            ),
            Self::Key(e) => write!(f, "{e}"),
            Self::TooManyAttributes { count, max } => {
                write!(f, "{count} attributes for access control, at most {max}")
            }
            Self::DuplicateKey => f.write_str("the key is mapped twice (keys ignore case)"),
            Self::UnknownAttribute => f.write_str("no schema defines the attribute"),
            Self::Complex => f.write_str("the attribute is complex: map one of its sub-attributes"),
            Self::InvalidFilter { detail } => write!(f, "invalid value filter: {detail}"),
            Self::Missing => f.write_str("the user has no value at the path"),
            Self::MultipleValues { count } => write!(
                f,
                "the path selects {count} values and a session tag holds one"
            ),
            Self::NotScalar => f.write_str("the user's value at the path is not a single value"),
            Self::Value(e) => write!(f, "{e}"),
        }
    }
}

/// An access-control mapping that breaks Identity Center's configuration rules, or that
/// cannot be evaluated for a user.
///
/// `Display` is one line: the problem, then the key, the source (cut to 64 characters) and a
/// byte offset in it when known. Converts into a `400` [`ScimError`]: `invalidPath` for a
/// source that does not parse or resolve, `invalidFilter` for a bad valuePath filter,
/// `invalidValue` otherwise.
///
/// ```
/// use scimkit::saml::{AccessControlMapping, MappingErrorKind};
///
/// let err = AccessControlMapping::from_entries(["Dept=${path:enterprise.department"]).unwrap_err();
/// assert_eq!(err.kind(), &MappingErrorKind::NotPathExpression);
/// assert_eq!(err.key(), Some("Dept"));
/// assert_eq!(
///     err.to_string(),
///     "a source must be exactly one `${path:<attribute path>}` expression \
///      (key Dept, source ${path:enterprise.department)"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct MappingError {
    kind: MappingErrorKind,
    key: Option<Box<str>>,
    expression: Option<Box<str>>,
    span: Option<Span>,
}

impl fmt::Display for MappingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.kind)?;
        let mut sep = " (";
        if let Some(k) = &self.key {
            write!(f, "{sep}key {k}")?;
            sep = ", ";
        }
        if let Some(s) = &self.expression {
            write!(f, "{sep}source {s}")?;
            if let Some(span) = self.span {
                write!(f, " at byte {}", span.start)?;
            }
            sep = ", ";
        }
        if sep == ", " {
            f.write_str(")")
        } else {
            Ok(())
        }
    }
}

impl MappingError {
    pub(crate) fn new(kind: MappingErrorKind) -> Self {
        Self {
            kind,
            key: None,
            expression: None,
            span: None,
        }
    }

    /// Names the key concerned, unless one is named already.
    pub(crate) fn with_key(mut self, key: &str) -> Self {
        self.key.get_or_insert_with(|| truncate(key).into());
        self
    }

    /// Quotes the source (or entry) concerned and the span in it, unless one is quoted already.
    pub(crate) fn with_source(mut self, source: &str, span: Option<Span>) -> Self {
        if self.expression.is_none() {
            self.expression = Some(truncate(source).into());
            self.span = span;
        }
        self
    }

    /// What is wrong.
    pub fn kind(&self) -> &MappingErrorKind {
        &self.kind
    }

    /// The tag key concerned, cut to 64 characters.
    pub fn key(&self) -> Option<&str> {
        self.key.as_deref()
    }

    /// The source expression (or entry) concerned, cut to 64 characters.
    pub fn source_text(&self) -> Option<&str> {
        self.expression.as_deref()
    }

    /// Where in the source the problem is (byte offsets), for syntax errors.
    pub fn span(&self) -> Option<Span> {
        self.span
    }

    /// The `scimType` a service answers with.
    pub fn scim_type(&self) -> ScimType {
        match self.kind {
            MappingErrorKind::NotPathExpression
            | MappingErrorKind::Entry
            | MappingErrorKind::Path(_)
            | MappingErrorKind::UnknownAttribute
            | MappingErrorKind::Complex => ScimType::InvalidPath,
            MappingErrorKind::InvalidFilter { .. } => ScimType::InvalidFilter,
            _ => ScimType::InvalidValue,
        }
    }
}

impl From<MappingError> for SamlError {
    fn from(e: MappingError) -> Self {
        Self::new(SamlErrorKind::Mapping(Box::new(e)))
    }
}

impl From<MappingError> for ScimError {
    fn from(e: MappingError) -> Self {
        Self::new(e.scim_type(), e.to_string())
    }
}
