//! The valuePath filter as a [`Selector`] of multi-valued attribute elements.

use serde_json::Value;

use super::ident::StrSet;
use super::target::Selector;
use crate::error::ScimError;
use crate::filter::{BoundFilter, CompValue, CompareOp, Filter, SimpleEq};
use crate::schema::Attribute;

/// A valuePath filter prepared once for testing every element of one attribute.
pub(crate) enum Matcher<'a> {
    /// The filter bound to the attribute's sub-attributes.
    Bound(BoundFilter<'a>),
    /// An `or` of `name eq "…"` tests on one sub-attribute: a set lookup per element.
    AnyOf(SimpleEq<'a>, StrSet<'a>),
}

impl Matcher<'_> {
    pub(crate) fn matches(&self, element: &Value) -> bool {
        match self {
            Self::Bound(f) => f.matches(element),
            Self::AnyOf(eq, set) => eq.matches_with(element, |s| set.contains(s)),
        }
    }
}

/// The terms of `f` when it is an `or` of at least two `name eq "…"` tests on one
/// sub-attribute of `parent`, compared the same way.
fn any_of_eq<'a>(f: &'a Filter, parent: Option<&'a Attribute>) -> Option<Matcher<'a>> {
    if !matches!(f, Filter::Or(..)) {
        return None;
    }
    let mut terms: Vec<SimpleEq<'a>> = Vec::new();
    let mut stack = vec![f];
    while let Some(f) = stack.pop() {
        if let Filter::Or(a, b) = f {
            stack.push(a);
            stack.push(b);
            continue;
        }
        let eq = f.as_simple_eq(parent)?;
        if terms.first().is_some_and(|t| !t.same_operand(&eq)) {
            return None;
        }
        terms.push(eq);
    }
    let first = *terms.first()?;
    let set = StrSet::new(first.case_exact(), terms.iter().map(SimpleEq::literal));
    Some(Matcher::AnyOf(first, set))
}

impl Selector for Filter {
    fn select(&self, element: &Value, parent: Option<&Attribute>) -> Result<bool, ScimError> {
        self.matches_element(element, parent)
    }

    fn simple_eq<'a>(&'a self, parent: Option<&'a Attribute>) -> Option<SimpleEq<'a>> {
        self.as_simple_eq(parent)
    }

    fn matcher<'a>(
        &'a self,
        parent: Option<&'a Attribute>,
    ) -> Result<Option<Matcher<'a>>, ScimError> {
        if let Some(m) = any_of_eq(self, parent) {
            return Ok(Some(m));
        }
        self.bind_element(parent).map(|b| Some(Matcher::Bound(b)))
    }

    fn template(&self) -> Option<Vec<(&str, Value)>> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(f) = stack.pop() {
            match f {
                Self::And(a, b) => {
                    stack.push(b);
                    stack.push(a);
                }
                Self::Compare(path, CompareOp::Eq, v)
                    if path.urn().is_none() && path.sub_attribute().is_none() =>
                {
                    let v = match v {
                        CompValue::Null => return None,
                        CompValue::Bool(b) => Value::Bool(*b),
                        CompValue::Number(n) => Value::Number(n.clone()),
                        CompValue::String(s) => Value::String(s.clone()),
                    };
                    out.push((path.name(), v));
                }
                _ => return None,
            }
        }
        Some(out)
    }
}
