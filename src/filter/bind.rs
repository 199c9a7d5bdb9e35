//! Bind once, evaluate many: a [`Filter`] resolved against the schemas ahead of time.
//!
//! [`Filter::matches`] looks every path up in the registry and reads every literal on each
//! call. A query tests one filter against many resources, so [`Filter::bind`] does that work
//! once: paths resolved to their definitions and to where their values sit, `caseExact` and
//! types known, dateTime literals parsed, every comparison type-checked. What is left per
//! resource is reading the values and comparing, with no allocation.

use serde_json::Value;

use super::eval::{Eval, How, Site, elements_of, is_null_test, present};
use super::{CompValue, CompareOp, Filter};
use crate::error::ScimError;
use crate::schema::{Attribute, SchemaRegistry};

/// A filter bound to a [`SchemaRegistry`] (or to the parent attribute of a valuePath), ready to
/// be tested against many resources. Made by [`Filter::bind`] or [`Filter::bind_element`].
///
/// [`matches`](Self::matches) answers exactly as [`Filter::matches`] (or
/// [`Filter::matches_element`]) does. Binding reports the type errors those would report, so
/// a bound filter cannot fail.
///
/// ```
/// use scimkit::{Filter, SchemaRegistry};
/// use serde_json::json;
///
/// let schemas = SchemaRegistry::default();
/// let f: Filter = r#"meta.lastModified ge "2011-05-13T04:42:34Z" and emails[type eq "work"]"#.parse()?;
/// let bound = f.bind(&schemas)?;
/// let users = [
///     json!({"meta": {"lastModified": "2012-01-01T00:00:00Z"}, "emails": [{"type": "Work"}]}),
///     json!({"meta": {"lastModified": "2010-01-01T00:00:00Z"}, "emails": [{"type": "work"}]}),
/// ];
/// let hits: Vec<bool> = users.iter().map(|u| bound.matches(u)).collect();
/// assert_eq!(hits, [true, false]);
///
/// // A filter the schemas reject fails to bind, with the error `matches` would give.
/// let bad: Filter = "active gt true".parse()?;
/// assert_eq!(bad.bind(&schemas).unwrap_err().status, 400);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct BoundFilter<'a> {
    root: Node<'a>,
}

/// A bound filter node. `and`/`or` chains are flattened into one list of operands, so
/// evaluation recurses only as deep as the filter nests parentheses, `not` and `[…]`.
#[derive(Debug)]
enum Node<'a> {
    All(Box<[Self]>),
    Any(Box<[Self]>),
    Not(Box<Self>),
    Present(Site<'a>),
    /// `eq null` (`ne: false`) or `ne null`: unassigned, or not (RFC 7643 §2.5).
    Null {
        site: Site<'a>,
        ne: bool,
    },
    Compare {
        site: Site<'a>,
        how: How,
        op: CompareOp,
        comp: &'a CompValue,
    },
    ValuePath {
        site: Site<'a>,
        inner: Box<Self>,
    },
}

impl Filter {
    /// Binds this filter to `schemas` for evaluating many resources: the work
    /// [`matches`](Self::matches) repeats on every call (path lookups, literal parsing, type
    /// checks) is done here once. Fails with the `400 invalidFilter` that `matches` would
    /// return for any resource.
    ///
    /// ```
    /// use scimkit::{Filter, SchemaRegistry};
    /// use serde_json::json;
    ///
    /// let schemas = SchemaRegistry::default();
    /// let f: Filter = r#"userName sw "bj""#.parse()?;
    /// let bound = f.bind(&schemas)?;
    /// assert!(bound.matches(&json!({"userName": "BJensen"})));
    /// assert!(!bound.matches(&json!({"userName": "jsmith"})));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn bind<'a>(&'a self, schemas: &'a SchemaRegistry) -> Result<BoundFilter<'a>, ScimError> {
        Ok(BoundFilter {
            root: bind(Eval::Resource(schemas), self)?,
        })
    }

    /// Binds this filter as a valuePath's inner filter on elements of `parent` (see
    /// [`matches_element`](Self::matches_element)).
    ///
    /// ```
    /// use scimkit::{Filter, SchemaRegistry};
    /// use serde_json::json;
    ///
    /// let schemas = SchemaRegistry::default();
    /// let f: Filter = r#"type eq "work" and primary eq true"#.parse()?;
    /// let bound = f.bind_element(schemas.attribute("emails"))?;
    /// assert!(bound.matches(&json!({"type": "WORK", "primary": true})));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn bind_element<'a>(
        &'a self,
        parent: Option<&'a Attribute>,
    ) -> Result<BoundFilter<'a>, ScimError> {
        Ok(BoundFilter {
            root: bind(Eval::Element(parent), self)?,
        })
    }
}

impl BoundFilter<'_> {
    /// Whether `resource` (an element, for [`Filter::bind_element`]) matches the filter.
    pub fn matches(&self, resource: &Value) -> bool {
        self.root.eval(resource)
    }
}

/// Binds `f` in scope `at`. Operands are bound in the order [`Filter::matches`] checks them
/// (a chain from its right end), so the first error is the one it reports.
fn bind<'a>(at: Eval<'a>, f: &'a Filter) -> Result<Node<'a>, ScimError> {
    Ok(match f {
        Filter::And(..) | Filter::Or(..) => {
            let is_and = matches!(f, Filter::And(..));
            let mut operands = Vec::new();
            let mut node = f;
            loop {
                match (node, is_and) {
                    (Filter::And(l, r), true) | (Filter::Or(l, r), false) => {
                        operands.push(bind(at, r)?);
                        node = l;
                    }
                    _ => {
                        operands.push(bind(at, node)?);
                        break;
                    }
                }
            }
            operands.reverse();
            match is_and {
                true => Node::All(operands.into()),
                false => Node::Any(operands.into()),
            }
        }
        Filter::Not(inner) => Node::Not(Box::new(bind(at, inner)?)),
        Filter::Present(path) => Node::Present(at.site(path, false)?),
        Filter::Compare(path, op, comp) if is_null_test(*op, comp) => Node::Null {
            site: at.site(path, false)?,
            ne: *op == CompareOp::Ne,
        },
        Filter::Compare(path, op, comp) => {
            let site = at.site(path, true)?;
            Node::Compare {
                how: How::new(path, site.leaf, *op, comp)?,
                site,
                op: *op,
                comp,
            }
        }
        Filter::ValuePath(path, inner) => {
            let site = at.site(path, false)?;
            Node::ValuePath {
                inner: Box::new(bind(Eval::Element(site.attr), inner)?),
                site,
            }
        }
    })
}

impl Node<'_> {
    fn eval(&self, data: &Value) -> bool {
        match self {
            Self::All(operands) => operands.iter().all(|n| n.eval(data)),
            Self::Any(operands) => operands.iter().any(|n| n.eval(data)),
            Self::Not(inner) => !inner.eval(data),
            Self::Present(site) => present(site.value(data), site.sub()),
            Self::Null { site, ne } => {
                let (value, sub) = site.read(data);
                present(value, sub) == *ne
            }
            Self::Compare {
                site,
                how,
                op,
                comp,
            } => {
                let (value, sub) = site.read(data);
                how.holds(value, sub, *op, comp)
            }
            Self::ValuePath { site, inner } => elements_of(site.value(data))
                .iter()
                .any(|item| inner.eval(item)),
        }
    }
}
