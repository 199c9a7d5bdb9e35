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
use smol_str::SmolStr;

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
    /// The whole path text: inline up to 23 bytes (most paths), else one shared allocation.
    text: SmolStr,
    /// Where the attribute name starts (0 without URN; else one past the URN's `:`).
    name_start: u32,
    /// Where the sub-attribute starts (one past the `.`); 0 when there is none.
    sub_start: u32,
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
    pub(crate) const PLACEHOLDER: Self = Self {
        text: SmolStr::new_inline(""),
        name_start: 0,
        sub_start: 0,
    };

    /// A bare attribute name, already checked.
    pub(crate) fn plain(name: &str) -> Self {
        Self {
            text: inline_or_shared(name),
            name_start: 0,
            sub_start: 0,
        }
    }

    /// A path from its text and the offsets [`parse::attr_path`] found; `None` for text past
    /// 4 GiB, whose offsets do not fit.
    pub(crate) fn from_raw(text: &str, name_start: usize, sub_start: usize) -> Option<Self> {
        let len = u32::try_from(text.len()).ok()?;
        let offset = |n: usize| u32::try_from(n).ok().filter(|&n| n <= len);
        Some(Self {
            name_start: offset(name_start)?,
            sub_start: offset(sub_start)?,
            text: inline_or_shared(text),
        })
    }

    /// The schema URN, if the path is qualified with one.
    #[inline]
    pub fn urn(&self) -> Option<&str> {
        let end = (self.name_start as usize).checked_sub(1)?;
        self.as_str().get(..end).filter(|s| !s.is_empty())
    }

    /// The attribute name.
    #[inline]
    pub fn name(&self) -> &str {
        let text = self.as_str();
        // A plain name (the common case) is the whole text: no slicing.
        match (self.name_start as usize, self.sub_start as usize) {
            (0, 0) => text,
            (start, 0) => text.get(start..).unwrap_or(""),
            (start, sub) => text.get(start..sub - 1).unwrap_or(""),
        }
    }

    /// The sub-attribute name, if any.
    #[inline]
    pub fn sub_attribute(&self) -> Option<&str> {
        match self.sub_start as usize {
            0 => None,
            s => self.as_str().get(s..),
        }
    }

    /// The path as text (its canonical form).
    #[inline]
    pub fn as_str(&self) -> &str {
        self.text.as_str()
    }

    /// No schema URN and no sub-attribute: a bare attribute name.
    pub(crate) fn is_plain(&self) -> bool {
        self.name_start == 0 && self.sub_start == 0
    }

    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.text.len()
    }

    /// Whether two paths name the same attribute, ignoring ASCII case (RFC 7643 §2.1).
    pub fn eq_ignore_case(&self, other: &Self) -> bool {
        self.as_str().eq_ignore_ascii_case(other.as_str())
    }

    /// The same path with `sub` as its sub-attribute (the path's own is replaced); `None` past
    /// 4 GiB.
    pub(crate) fn with_sub(self, sub: Option<&str>) -> Option<Self> {
        let Some(sub) = sub else { return Some(self) };
        let base = match self.sub_start as usize {
            0 => self.as_str(),
            s => &self.as_str()[..s - 1],
        };
        let text = format!("{base}.{sub}");
        Self::from_raw(&text, self.name_start as usize, base.len() + 1)
    }
}

/// `SmolStr::new`, with the inline case copied in place rather than through `memcpy`.
fn inline_or_shared(text: &str) -> SmolStr {
    // Not `new_inline`: its byte-at-a-time copy (a `const fn`) made every later move of the
    // path stall on store forwarding, which cost more time than the instructions it saved.
    SmolStr::new(text)
}

impl fmt::Debug for AttrPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AttrPath({:?})", self.as_str())
    }
}

impl fmt::Display for AttrPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
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
///
/// Parsing applies the filter's default limits: a path longer than
/// [`DEFAULT_MAX_LEN`](crate::filter::DEFAULT_MAX_LEN) bytes is a
/// [`TooLong`](ErrorKind::TooLong) error, and the filter in `[…]` has the default depth and
/// term bounds.
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
