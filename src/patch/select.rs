//! The valuePath filter as a [`Selector`] of multi-valued attribute elements.

use serde_json::Value;

use super::target::Selector;
use crate::error::ScimError;
use crate::filter::{CompValue, CompareOp, Filter};
use crate::schema::Attribute;

impl Selector for Filter {
    fn select(&self, element: &Value, parent: Option<&Attribute>) -> Result<bool, ScimError> {
        self.matches_element(element, parent)
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
