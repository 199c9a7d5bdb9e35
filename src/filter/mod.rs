//! SCIM filters (RFC 7644 §3.4.2.2): the [`Filter`] tree, its parser with limits, its canonical
//! printing, and its evaluation against resources through a [`crate::SchemaRegistry`].
//!
//! ```
//! use scimkit::{CompValue, CompareOp, Filter};
//!
//! let f: Filter = r#"userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")"#.parse()?;
//! let Filter::And(left, _) = &f else { unreachable!() };
//! let Filter::Compare(path, op, value) = &**left else { unreachable!() };
//! assert_eq!((path.name(), *op), ("userType", CompareOp::Eq));
//! assert_eq!(value, &CompValue::String("Employee".to_owned()));
//! // Display is canonical and parses back to the same tree.
//! assert_eq!(f.to_string().parse::<Filter>()?, f);
//! # Ok::<(), scimkit::FilterError>(())
//! ```
//!
//! # Limits
//!
//! [`FilterParser`] bounds the input length, the nesting of `(`, `not (` and `[`, and the number
//! of attribute expressions. `and`/`or` chains are folded to the left without recursion, and
//! dropping or printing a tree walks chains without recursion too; so any tree the parser
//! returns can be printed, evaluated and dropped safely. A tree built by hand with tens of
//! thousands of nested `not`/`[…]` levels is the caller's responsibility.

mod bind;
pub(crate) mod error;
mod eval;
mod lex;
pub(crate) mod parse;
pub(crate) mod text;

use std::fmt;
use std::str::FromStr;

pub use bind::BoundFilter;
pub use error::{ErrorKind, FilterError};
pub(crate) use eval::{SimpleEq, get_in};
#[cfg(feature = "sql")]
pub(crate) use {
    bind::Site,
    eval::{How, elements_of, holds_objects, is_null_test, parse_datetime},
};

use crate::Compat;
use crate::path::AttrPath;

/// The default limit on nested `(`, `not (` and `[`.
pub const DEFAULT_MAX_DEPTH: u32 = 64;
/// The default limit on attribute expressions (`attr op value`, `attr pr`, `attr[…]`).
pub const DEFAULT_MAX_TERMS: u32 = 1024;
/// The default limit on the input length, in bytes.
pub const DEFAULT_MAX_LEN: usize = 64 * 1024;

/// A SCIM filter expression (RFC 7644 §3.4.2.2).
///
/// `Display` prints the canonical form (lowercase keywords, minimal parentheses, JSON
/// literals), which parses back to an equal tree. Chains fold to the left:
/// `a or b or c` is `Or(Or(a, b), c)`.
///
/// `Filter` drops iteratively (long chains cannot overflow the stack), so a tree cannot be
/// destructured by value: match on a reference.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Filter {
    /// `a and b`.
    And(Box<Self>, Box<Self>),
    /// `a or b`.
    Or(Box<Self>, Box<Self>),
    /// `not (a)`.
    Not(Box<Self>),
    /// `attr pr`: the attribute has a non-empty value (RFC 7643 §2.5).
    Present(AttrPath),
    /// `attr op value`.
    Compare(AttrPath, CompareOp, CompValue),
    /// `attr[filter]`: some element of a multi-valued attribute matches the whole filter, whose
    /// attribute names are sub-attributes of `attr`.
    ValuePath(AttrPath, Box<Self>),
}

/// A comparison operator (RFC 7644 §3.4.2.2, Table 3); `pr` is [`Filter::Present`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompareOp {
    /// `eq`: equal.
    Eq,
    /// `ne`: not equal.
    Ne,
    /// `co`: contains.
    Co,
    /// `sw`: starts with.
    Sw,
    /// `ew`: ends with.
    Ew,
    /// `gt`: greater than.
    Gt,
    /// `ge`: greater than or equal to.
    Ge,
    /// `lt`: less than.
    Lt,
    /// `le`: less than or equal to.
    Le,
}

impl CompareOp {
    /// The operator as written in a canonical filter (`"eq"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Eq => "eq",
            Self::Ne => "ne",
            Self::Co => "co",
            Self::Sw => "sw",
            Self::Ew => "ew",
            Self::Gt => "gt",
            Self::Ge => "ge",
            Self::Lt => "lt",
            Self::Le => "le",
        }
    }
}

impl fmt::Display for CompareOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A comparison value: `compValue = false / null / true / number / string` (JSON literals).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CompValue {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A JSON number (exact when it is a 64-bit integer).
    Number(serde_json::Number),
    /// A JSON string, unescaped.
    String(String),
}

impl fmt::Display for CompValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Null => f.write_str("null"),
            Self::Bool(b) => write!(f, "{b}"),
            Self::Number(n) => write!(f, "{n}"),
            Self::String(s) => lex::write_string(f, s),
        }
    }
}

/// A filter parser with limits and compatibility switches.
///
/// ```
/// use scimkit::{Compat, FilterParser};
///
/// let mut p = FilterParser::new();
/// p.max_depth(8).compat(Compat::entra());
/// let f = p.parse(r#"emails[type eq "work"].value eq "bjensen@example.com""#)?;
/// assert_eq!(f.to_string(), r#"emails[type eq "work" and value eq "bjensen@example.com"]"#);
/// assert!(p.parse(&"(".repeat(9)).is_err());
/// # Ok::<(), scimkit::FilterError>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct FilterParser {
    max_depth: u32,
    max_terms: u32,
    max_len: usize,
    compat: Compat,
}

impl Default for FilterParser {
    fn default() -> Self {
        Self::new()
    }
}

impl FilterParser {
    /// A parser with the default limits ([`DEFAULT_MAX_DEPTH`], [`DEFAULT_MAX_TERMS`],
    /// [`DEFAULT_MAX_LEN`]) and strict RFC syntax.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            max_depth: DEFAULT_MAX_DEPTH,
            max_terms: DEFAULT_MAX_TERMS,
            max_len: DEFAULT_MAX_LEN,
            compat: Compat::strict(),
        }
    }

    /// The most nested `(`, `not (` and `[` accepted (default 64). Every level costs stack
    /// when parsing, evaluating and printing, so keep it in the hundreds at most.
    pub fn max_depth(&mut self, n: u32) -> &mut Self {
        self.max_depth = n;
        self
    }

    /// The most attribute expressions accepted (default 1024).
    pub fn max_terms(&mut self, n: u32) -> &mut Self {
        self.max_terms = n;
        self
    }

    /// The longest input accepted, in bytes (default 64 KiB).
    pub fn max_len(&mut self, n: usize) -> &mut Self {
        self.max_len = n;
        self
    }

    /// The compatibility switches (only `filter_value_path_sub_attribute` matters here).
    pub fn compat(&mut self, compat: Compat) -> &mut Self {
        self.compat = compat;
        self
    }

    /// Parses a filter.
    pub fn parse(&self, input: &str) -> Result<Filter, FilterError> {
        if input.len() > self.max_len {
            let past = crate::Span::new(self.max_len, input.len());
            return Err(FilterError::new(ErrorKind::TooLong, past, input));
        }
        if self.max_terms > 0
            && let Some(f) = parse::simple_comparison(input)
        {
            return Ok(f);
        }
        let entra = self.compat.filter_value_path_sub_attribute;
        parse::Grammar::new(self.max_depth, self.max_terms, entra)
            .filter(input)
            .map_err(|e| FilterError::new(e.kind, e.span(input), input))
    }
}

impl Filter {
    /// Parses `input` with the given compatibility switches and the default limits.
    ///
    /// ```
    /// use scimkit::{Compat, Filter};
    ///
    /// let entra = r#"emails[type eq "work"].value eq "x@example.com""#;
    /// assert!(entra.parse::<Filter>().is_err());
    /// assert!(Filter::parse_with(entra, &Compat::entra()).is_ok());
    /// ```
    pub fn parse_with(input: &str, compat: &Compat) -> Result<Self, FilterError> {
        FilterParser::new().compat(*compat).parse(input)
    }

    /// What [`Drop`] leaves where it detached a subtree.
    const PLACEHOLDER: Self = Self::Present(AttrPath::PLACEHOLDER);

    /// This node's children that have children of their own: the subtrees a drop detaches.
    #[inline]
    fn inner_children(&mut self) -> [Option<&mut Self>; 2] {
        fn inner(c: &mut Filter) -> Option<&mut Filter> {
            (!c.is_leaf()).then_some(c)
        }
        match self {
            Self::And(a, b) | Self::Or(a, b) => [inner(a), inner(b)],
            Self::Not(a) | Self::ValuePath(_, a) => [inner(a), None],
            Self::Present(_) | Self::Compare(..) => [None, None],
        }
    }

    /// The drop of a node with grandchildren, without recursion: subtrees are moved out one at
    /// a time and dropped once their own children are leaves. A chain (one inner child per
    /// node) needs no stack; a second inner child waits on a heap stack.
    #[cold]
    fn drop_deep(&mut self) {
        let mut stack = Vec::new();
        let mut node = std::mem::replace(self, Self::PLACEHOLDER);
        loop {
            let next = match node.inner_children() {
                [Some(a), Some(b)] => {
                    stack.push(std::mem::replace(b, Self::PLACEHOLDER));
                    Some(std::mem::replace(a, Self::PLACEHOLDER))
                }
                [Some(a), None] | [None, Some(a)] => Some(std::mem::replace(a, Self::PLACEHOLDER)),
                [None, None] => stack.pop(),
            };
            // Assigning drops the previous node, whose children are leaves by now.
            match next {
                Some(next) => node = next,
                None => return,
            }
        }
    }

    fn is_leaf(&self) -> bool {
        matches!(self, Self::Present(_) | Self::Compare(..))
    }
}

impl FromStr for Filter {
    type Err = FilterError;

    fn from_str(s: &str) -> Result<Self, FilterError> {
        FilterParser::new().parse(s)
    }
}

impl Drop for Filter {
    /// Leaves, and nodes whose children are leaves, drop as usual; deeper nodes go through
    /// `Filter::drop_deep`, which does not recurse.
    #[inline]
    fn drop(&mut self) {
        if self.inner_children().iter().any(Option::is_some) {
            self.drop_deep();
        }
    }
}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::And(..) | Self::Or(..) => fmt_chain(f, self),
            Self::Not(inner) => write!(f, "not ({inner})"),
            Self::Present(p) => write!(f, "{p} pr"),
            Self::Compare(p, op, v) => write!(f, "{p} {op} {v}"),
            Self::ValuePath(p, inner) => write!(f, "{p}[{inner}]"),
        }
    }
}

/// Prints an `and`/`or` chain left to right without recursing along it. Operands are
/// parenthesized where re-parsing would otherwise build another tree: an `or` under an `and`,
/// and a right operand of the chain's own kind.
fn fmt_chain(f: &mut fmt::Formatter<'_>, node: &Filter) -> fmt::Result {
    let (word, is_or) = match node {
        Filter::Or(..) => (" or ", true),
        _ => (" and ", false),
    };
    let mut rights = Vec::new();
    let mut left = node;
    while let (Filter::And(l, r), false) | (Filter::Or(l, r), true) = (left, is_or) {
        rights.push(&**r);
        left = l;
    }
    let needs_parens = |x: &Filter, right: bool| match x {
        Filter::Or(..) => !is_or || right,
        Filter::And(..) => !is_or && right,
        _ => false,
    };
    let operand = |f: &mut fmt::Formatter<'_>, x: &Filter, right: bool| match needs_parens(x, right)
    {
        true => write!(f, "({x})"),
        false => write!(f, "{x}"),
    };
    operand(f, left, false)?;
    for r in rights.iter().rev() {
        f.write_str(word)?;
        operand(f, r, true)?;
    }
    Ok(())
}
