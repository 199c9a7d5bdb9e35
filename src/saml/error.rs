//! [`SamlError`]: why a statement could not be built, written or read.

use std::fmt;
use std::io;

use super::tags::{TagError, truncate_to};
use crate::error::ScimError;

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
            | SamlErrorKind::Structure { .. } => Self::invalid_syntax(e.to_string()),
            SamlErrorKind::Io(_) => Self::with_status(500, e.to_string()),
            _ => Self::invalid_value(e.to_string()),
        }
    }
}
