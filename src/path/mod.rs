//! Attribute paths and PATCH paths (RFC 7644 §3.4.2.2 `attrPath`, §3.5.2 `PATH`).
//!
//! ```
//! use scimkit::{AttrPath, PatchPath};
//!
//! let p: AttrPath =
//!     "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value".parse()?;
//! assert_eq!(p.urn(), Some("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"));
//! assert_eq!((p.name(), p.sub_attribute()), ("manager", Some("value")));
//!
//! let q: PatchPath = r#"emails[type eq "work"].value"#.parse()?;
//! assert_eq!(q.attr().name(), "emails");
//! assert_eq!(q.attr().sub_attribute(), Some("value"));
//! assert_eq!(q.value_filter().map(|f| f.to_string()).as_deref(), Some(r#"type eq "work""#));
//! assert_eq!(q.to_string(), r#"emails[type eq "work"].value"#);
//! # Ok::<(), scimkit::PathError>(())
//! ```

pub(crate) mod parse;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::filter::error::{SyntaxError, syntax_error_accessors};
use crate::filter::{ErrorKind, Filter};

/// An attribute path: an optional schema URN, an attribute name and an optional sub-attribute
/// (`userName`, `name.givenName`,
/// `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value`).
///
/// Names keep the case they were written in; SCIM compares them case-insensitively
/// (RFC 7643 §2.1), which [`AttrPath::eq_ignore_case`] does. `Display` prints the path as parsed.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct AttrPath {
    /// The whole path text, so a path costs one allocation.
    text: Box<str>,
    /// Where the attribute name starts (0 without URN; else one past the URN's `:`).
    name_start: usize,
    /// Where the sub-attribute starts (one past the `.`); 0 when there is none.
    sub_start: usize,
}

impl AttrPath {
    /// Builds a path from its parts, checking each (`urn` must be a `urn:` URN, the names
    /// ATTRNAMEs or `$ref`).
    ///
    /// ```
    /// let p = scimkit::AttrPath::from_parts(None, "name", Some("givenName"))?;
    /// assert_eq!(p.to_string(), "name.givenName");
    /// # Ok::<(), scimkit::PathError>(())
    /// ```
    pub fn from_parts(urn: Option<&str>, name: &str, sub: Option<&str>) -> Result<Self, PathError> {
        let mut text = String::new();
        if let Some(urn) = urn {
            text.push_str(urn);
            text.push(':');
        }
        text.push_str(name);
        if let Some(sub) = sub {
            text.push('.');
            text.push_str(sub);
        }
        let p: Self = text.parse()?;
        if p.urn() != urn || p.name() != name || p.sub_attribute() != sub {
            let e = parse::PErr::at(ErrorKind::InvalidAttributePath, &text, text.len());
            return Err(PathError::from_perr(e, &text));
        }
        Ok(p)
    }

    /// An empty path, only used to take subtrees out of a [`Filter`] being dropped.
    pub(crate) fn placeholder() -> Self {
        Self::from_raw("", 0, 0)
    }

    pub(crate) fn from_raw(text: &str, name_start: usize, sub_start: usize) -> Self {
        Self {
            text: text.into(),
            name_start,
            sub_start,
        }
    }

    /// The schema URN, if the path is qualified with one.
    pub fn urn(&self) -> Option<&str> {
        self.name_start
            .checked_sub(1)
            .and_then(|end| self.text.get(..end))
            .filter(|s| !s.is_empty())
    }

    /// The attribute name.
    pub fn name(&self) -> &str {
        let end = match self.sub_start {
            0 => self.text.len(),
            s => s - 1,
        };
        self.text.get(self.name_start..end).unwrap_or("")
    }

    /// The sub-attribute name, if any.
    pub fn sub_attribute(&self) -> Option<&str> {
        match self.sub_start {
            0 => None,
            s => self.text.get(s..),
        }
    }

    /// The path as text (its canonical form).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub(crate) fn len(&self) -> usize {
        self.text.len()
    }

    /// Whether two paths name the same attribute, ignoring ASCII case (RFC 7643 §2.1).
    pub fn eq_ignore_case(&self, other: &Self) -> bool {
        self.text.eq_ignore_ascii_case(&other.text)
    }

    /// The same path with `sub` as its sub-attribute (the path's own is replaced).
    pub(crate) fn with_sub(self, sub: Option<&str>) -> Self {
        let Some(sub) = sub else { return self };
        let base = match self.sub_start {
            0 => &self.text[..],
            s => &self.text[..s - 1],
        };
        let text = format!("{base}.{sub}");
        let sub_start = base.len() + 1;
        Self {
            text: text.into(),
            name_start: self.name_start,
            sub_start,
        }
    }
}

impl fmt::Debug for AttrPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AttrPath({:?})", self.text)
    }
}

impl fmt::Display for AttrPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FromStr for AttrPath {
    type Err = PathError;

    fn from_str(s: &str) -> Result<Self, PathError> {
        parse::parse_attr_path(s)
    }
}

/// A PATCH operation's `path` (RFC 7644 §3.5.2): `PATH = attrPath / valuePath [subAttr]`.
///
/// [`PatchPath::attr`] is the attribute path: for `emails[type eq "work"].value` it is
/// `emails.value`, with [`PatchPath::value_filter`] the filter `type eq "work"` that selects
/// the elements of `emails`.
#[derive(Debug, Clone, PartialEq)]
pub struct PatchPath {
    attr: AttrPath,
    filter: Option<Filter>,
}

impl PatchPath {
    /// A path from its attribute path and, for a valuePath, the filter selecting the elements
    /// of the attribute (`attr`'s sub-attribute then follows the `]`).
    pub fn new(attr: AttrPath, filter: Option<Filter>) -> Self {
        Self { attr, filter }
    }

    /// The attribute path, with the sub-attribute after the valuePath's `]` if any.
    pub fn attr(&self) -> &AttrPath {
        &self.attr
    }

    /// The valuePath filter (`type eq "work"` in `emails[type eq "work"].value`), if any.
    pub fn value_filter(&self) -> Option<&Filter> {
        self.filter.as_ref()
    }
}

impl fmt::Display for PatchPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(filter) = &self.filter else {
            return f.write_str(self.attr.as_str());
        };
        if let Some(urn) = self.attr.urn() {
            write!(f, "{urn}:")?;
        }
        write!(f, "{}[{filter}]", self.attr.name())?;
        match self.attr.sub_attribute() {
            Some(sub) => write!(f, ".{sub}"),
            None => Ok(()),
        }
    }
}

impl FromStr for PatchPath {
    type Err = PathError;

    fn from_str(s: &str) -> Result<Self, PathError> {
        parse::parse_patch_path(s)
    }
}

/// Serde as strings, through `Display` and `FromStr`.
macro_rules! serde_as_string {
    ($ty:ty, $what:literal) => {
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl serde::de::Visitor<'_> for V {
                    type Value = $ty;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str($what)
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$ty, E> {
                        v.parse().map_err(E::custom)
                    }
                }
                d.deserialize_str(V)
            }
        }
    };
}

serde_as_string!(AttrPath, "a SCIM attribute path");
serde_as_string!(PatchPath, "a SCIM PATCH path");

/// An error from parsing an attribute path or PATCH path; it becomes `400 invalidPath`.
///
/// ```
/// use scimkit::{PatchPath, ScimType};
///
/// let err = "emails[type eq]".parse::<PatchPath>().unwrap_err();
/// assert_eq!(err.scim_type(), ScimType::InvalidPath);
/// assert_eq!(err.span().start, 14);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, thiserror::Error)]
#[error("{0}")]
pub struct PathError(Box<SyntaxError>);

syntax_error_accessors!(PathError, crate::ScimType::InvalidPath);

impl PathError {
    pub(crate) fn from_perr(e: parse::PErr, input: &str) -> Self {
        Self(Box::new(SyntaxError::new(e.kind, e.span(input), input)))
    }
}
