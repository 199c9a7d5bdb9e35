//! Bind once, evaluate many: a [`Filter`] resolved against the schemas ahead of time.
//!
//! [`Filter::matches`] looks every path up in the registry and reads every literal on each
//! call. A query tests one filter against many resources, so [`Filter::bind`] does that work
//! once: paths resolved to their definitions and to where their values sit, `caseExact` and
//! types known, dateTime literals parsed, every comparison type-checked. What is left per
//! resource is reading the values and comparing, with no allocation.

use serde_json::Value;

use super::error::type_error;
use super::eval::{
    Eval, How, chain_operands, elements_of, get, get_in, holds_objects, is_null_test, present,
};
use super::{CompValue, CompareOp, Filter};
use crate::error::ScimError;
use crate::path::AttrPath;
use crate::schema::{AttrType, Attribute, Resolved, SchemaRegistry};

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

/// Everything about locating a path that does not depend on the data: its definitions and
/// where its value sits. [`Filter::matches`] works it out per evaluation; a bound filter once.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Site<'a> {
    /// The top-level attribute's definition.
    pub(super) attr: Option<&'a Attribute>,
    /// The definition compared against.
    pub(super) leaf: Option<&'a Attribute>,
    /// The object holding the attribute.
    scope: Scope<'a>,
    /// The attribute's name as defined (looked up first), and as written.
    key: &'a str,
    name: &'a str,
    /// The sub-attribute to read in each element.
    sub: Option<&'a str>,
    /// A comparison on an attribute without definition: when the data holds objects, their
    /// `value`s are compared.
    value_of_objects: bool,
}

#[derive(Debug, Clone, Copy)]
enum Scope<'a> {
    /// The resource itself.
    Root,
    /// The resource's member of this name: an extension's URN (or a URN no schema has).
    Member(&'a str),
    /// One element of a multi-valued attribute; a scalar element is its own `value`.
    Element,
}

impl<'a> Site<'a> {
    /// The attribute's value in `data` (a resource, or an element in element scope).
    pub(super) fn value<'v>(&self, data: &'v Value) -> Option<&'v Value> {
        let container = match self.scope {
            Scope::Root => data,
            Scope::Member(key) => get(Some(data), key, key)?,
            Scope::Element if !data.is_object() => {
                return self.name.eq_ignore_ascii_case("value").then_some(data);
            }
            Scope::Element => data,
        };
        get_in(container.as_object()?, self.key, self.name)
    }

    /// The sub-attribute the path names.
    pub(super) fn sub(&self) -> Option<&'a str> {
        self.sub
    }

    /// The value and the sub-attribute to read in it.
    pub(super) fn read<'v>(&self, data: &'v Value) -> (Option<&'v Value>, Option<&'a str>) {
        let value = self.value(data);
        let sub = match self.value_of_objects && value.is_some_and(holds_objects) {
            true => Some("value"),
            false => self.sub,
        };
        (value, sub)
    }
}

impl<'s> Eval<'s> {
    /// Finds the definitions of `path` and where its value sits. With `for_compare`, a complex
    /// attribute named without sub-attribute stands for its `value` sub-attribute.
    pub(super) fn site<'a>(
        self,
        path: &'a AttrPath,
        for_compare: bool,
    ) -> Result<Site<'a>, ScimError>
    where
        's: 'a,
    {
        let (name, sub) = (path.name(), path.sub_attribute());
        let (attr, leaf, scope) = match self {
            Eval::Element(parent) => {
                let attr = parent.and_then(|p| p.sub_attribute(name));
                (attr, attr, Scope::Element)
            }
            Eval::Resource(schemas) => {
                let resolved = schemas.resolve_parts(path.urn(), name, sub).or_else(|| {
                    schemas
                        .resolve_parts(path.urn(), name, None)
                        .filter(|_| sub.is_some())
                });
                let scope = match (resolved, path.urn()) {
                    // An extension always has its schema (`resolve_parts` finds it by URN).
                    (
                        Some(Resolved {
                            extension: true,
                            schema: Some(s),
                            ..
                        }),
                        _,
                    ) => Scope::Member(s.id()),
                    (Some(_), _) | (None, None) => Scope::Root,
                    // An extension's attributes live under its URN, known or not (RFC 7643 §3.3).
                    // A core URN of another resource type names nothing the resource holds
                    // at its top level (RFC 7644 §3.10): looked for under the URN, never found.
                    (None, Some(urn))
                        if schemas.schema(urn).is_some()
                            && !schemas.is_extension(urn)
                            && schemas.in_scope(urn) =>
                    {
                        Scope::Root
                    }
                    (None, Some(urn)) => Scope::Member(urn),
                };
                let attr = resolved.map(|r| r.attribute);
                let leaf = resolved.and_then(|r| match sub {
                    Some(_) => r.sub_attribute,
                    None => Some(r.attribute),
                });
                (attr, leaf, scope)
            }
        };
        let mut site = Site {
            attr,
            leaf,
            scope,
            key: attr.map_or(name, Attribute::name),
            name,
            sub,
            value_of_objects: false,
        };
        if for_compare && sub.is_none() && leaf.is_none_or(|a| a.kind() == AttrType::Complex) {
            let value_def = leaf.and_then(|a| a.sub_attribute("value"));
            match leaf {
                Some(_) if value_def.is_none() => {
                    return Err(type_error(format_args!(
                        "`{}` is complex: compare one of its sub-attributes",
                        crate::model::truncate(path.as_str())
                    )));
                }
                Some(_) => (site.leaf, site.sub) = (value_def, Some("value")),
                None => site.value_of_objects = true,
            }
        }
        Ok(site)
    }
}

impl Filter {
    /// Binds this filter to `schemas` for evaluating many resources: the work
    /// [`matches`](Self::matches) repeats on every call (path lookups, literal parsing, type
    /// checks) is done here once. Fails with the `400 invalidFilter` that `matches` would
    /// return for any resource.
    ///
    /// Binding sees no resource, so names resolve in `schemas` as given: pass a view
    /// [scoped](SchemaRegistry::scoped) to the resource type being searched, or an attribute of
    /// another type (`userName` for Groups) is read with that type's definition.
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

    /// Reports the error [`bind`](Self::bind) would, without building the bound filter: for a
    /// caller that walks the filter itself (the SQL translator).
    #[cfg(feature = "sql")]
    pub(crate) fn check(&self, schemas: &SchemaRegistry) -> Result<(), ScimError> {
        check(Eval::Resource(schemas), self)
    }
}

impl BoundFilter<'_> {
    /// Whether `resource` (an element, for [`Filter::bind_element`]) matches the filter.
    pub fn matches(&self, resource: &Value) -> bool {
        self.root.eval(resource)
    }
}

/// Binds `f` in scope `at`. Operands are bound in the order [`Filter::matches`] checks them
/// (left to right), so the first error is the one it reports.
fn bind<'a>(at: Eval<'a>, f: &'a Filter) -> Result<Node<'a>, ScimError> {
    Ok(match f {
        Filter::And(..) | Filter::Or(..) => {
            let is_and = matches!(f, Filter::And(..));
            let mut operands = Vec::new();
            chain_operands(f, is_and, |operand| {
                operands.push(bind(at, operand)?);
                Ok(())
            })?;
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

/// What [`bind`] checks, in its order, with nothing built.
#[cfg(feature = "sql")]
fn check(at: Eval<'_>, f: &Filter) -> Result<(), ScimError> {
    match f {
        Filter::And(..) | Filter::Or(..) => {
            chain_operands(f, matches!(f, Filter::And(..)), |operand| {
                check(at, operand)
            })
        }
        Filter::Not(inner) => check(at, inner),
        Filter::Present(path) => at.site(path, false).map(drop),
        Filter::Compare(path, op, comp) if is_null_test(*op, comp) => {
            at.site(path, false).map(drop)
        }
        Filter::Compare(path, op, comp) => {
            let site = at.site(path, true)?;
            How::new(path, site.leaf, *op, comp).map(drop)
        }
        Filter::ValuePath(path, inner) => check(Eval::Element(at.site(path, false)?.attr), inner),
    }
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

impl Filter {
    /// Whether some comparison, `pr` or valuePath of this filter satisfies `leaf` (the inner
    /// filter of a valuePath is not visited: its names are sub-attributes).
    pub(crate) fn any_leaf(&self, mut leaf: impl FnMut(&Self) -> bool) -> bool {
        let mut stack = vec![self];
        while let Some(f) = stack.pop() {
            match f {
                Self::And(a, b) | Self::Or(a, b) => {
                    stack.push(a);
                    stack.push(b);
                }
                Self::Not(inner) => stack.push(inner),
                _ if leaf(f) => return true,
                _ => {}
            }
        }
        false
    }

    /// The attribute path of a comparison, `pr` or valuePath.
    pub(crate) fn leaf_path(&self) -> Option<&AttrPath> {
        match self {
            Self::Present(p) | Self::Compare(p, ..) | Self::ValuePath(p, _) => Some(p),
            _ => None,
        }
    }
}

/// What the SQL translator (`crate::sql`) reads of a [`Site`]: the same resolution the
/// evaluator uses, so SQL and [`Filter::matches`] look at the same data.
#[cfg(feature = "sql")]
impl<'a> Site<'a> {
    /// The site of `path` in a resource, as [`Filter::bind`] resolves it.
    pub(crate) fn in_resource(
        schemas: &'a SchemaRegistry,
        path: &'a AttrPath,
        for_compare: bool,
    ) -> Result<Self, ScimError> {
        Eval::Resource(schemas).site(path, for_compare)
    }

    /// The site of `path` in an element of `parent` (a valuePath's inner filter).
    pub(crate) fn in_element(
        parent: Option<&'a Attribute>,
        path: &'a AttrPath,
        for_compare: bool,
    ) -> Result<Self, ScimError> {
        Eval::Element(parent).site(path, for_compare)
    }

    /// The extension object (its key) holding the attribute, when not the resource itself.
    pub(crate) fn member(&self) -> Option<&'a str> {
        match self.scope {
            Scope::Member(key) => Some(key),
            Scope::Root | Scope::Element => None,
        }
    }

    /// The attribute's name, as written (data keys match it ignoring ASCII case).
    pub(crate) fn name(&self) -> &'a str {
        self.name
    }

    /// The top-level attribute's definition.
    pub(crate) fn attr(&self) -> Option<&'a Attribute> {
        self.attr
    }

    /// The definition compared against.
    pub(crate) fn leaf(&self) -> Option<&'a Attribute> {
        self.leaf
    }

    /// The sub-attribute read in each element.
    pub(crate) fn sub_attribute(&self) -> Option<&'a str> {
        self.sub
    }

    /// Whether a comparison reads the `value` of objects when the data holds objects.
    pub(crate) fn value_of_objects(&self) -> bool {
        self.value_of_objects
    }
}
