//! `remove` (RFC 7644 §3.5.2.2), and removal of whole extension objects.

use serde_json::Value;

use super::{Engine, internal};
use crate::error::ScimError;
use crate::patch::ident::matching;
use crate::patch::target::{Def, Selector, Target, get_ci, key_ci};
use crate::patch::undo::Place;
use crate::patch::value::{check_remove, conform_multi};
use crate::schema::Schema;

impl Engine<'_, '_> {
    pub(super) fn remove(
        &mut self,
        t: &Target<'_>,
        value: Option<&Value>,
    ) -> Result<(), ScimError> {
        let Some(attr) = t.attr else {
            if value.is_some() {
                return Err(remove_value_error(false));
            }
            return match t.ext {
                Some(ext) => self.remove_extension(ext),
                None => Err(ScimError::invalid_path("empty path")),
            };
        };
        let Some(holder) = self.find_holder(t.ext)? else {
            return Ok(());
        };
        let h = holder.as_deref();
        let Some((key, current)) = self.attr_value(h, attr)? else {
            // RFC 7644 §3.5.2.2 defines no failure for an absent target; the end state the
            // client asked for holds, so the operation succeeds without change.
            return Ok(());
        };
        let multi = attr.multi_valued_peek(Some(&current), None);
        match (t.filter, t.sub, value) {
            (None, None, Some(v)) if self.compat.remove_with_value => {
                if multi {
                    self.remove_values(h, &key, attr, v)
                } else {
                    check_remove(attr, true)?;
                    self.unset(&Place::holder(h), &key)
                }
            }
            (filter, sub, Some(_)) => Err(remove_value_error(
                filter.is_none() && sub.is_none() && !self.compat.remove_with_value,
            )),
            (None, None, None) => {
                check_remove(attr, true)?;
                self.unset(&Place::holder(h), &key)
            }
            (None, Some(sub), None) if !multi => {
                let place = Place::attr(h, &key);
                let obj = place
                    .peek(self.root)
                    .and_then(Value::as_object)
                    .ok_or_else(|| {
                        ScimError::invalid_value(format!("`{}` is not complex", attr.name()))
                    })?;
                let Some(k) = key_ci(obj, sub.name()).map(str::to_owned) else {
                    return Ok(());
                };
                check_remove(sub, obj.get(&k).is_some_and(|v| !v.is_null()))?;
                let last = obj.len() == 1;
                self.unset(&place, &k)?;
                if last {
                    // An empty complex value is unassigned (RFC 7643 §2.5).
                    check_remove(attr, true)?;
                    self.unset(&Place::holder(h), &key)?;
                }
                Ok(())
            }
            (filter, sub, None) if multi => self.remove_selected(h, &key, attr, filter, sub),
            _ => Err(ScimError::invalid_path(format!(
                "`{}` is single-valued: a value filter needs a multi-valued attribute",
                attr.name()
            ))),
        }
    }

    /// RFC 7644 §3.5.2.2: removes the selected values (or a sub-attribute of each); an
    /// attribute left with no values is unassigned. A filter matching nothing is success.
    fn remove_selected(
        &mut self,
        h: Option<&str>,
        key: &str,
        attr: Def<'_>,
        filter: Option<&dyn Selector>,
        sub: Option<Def<'_>>,
    ) -> Result<(), ScimError> {
        let (_, matched) = self.select(h, attr, filter)?;
        if matched.is_empty() {
            return Ok(());
        }
        let place = Place::attr(h, key);
        match sub {
            None => self.remove_elements(h, key, attr, &matched),
            Some(sub) => {
                for i in matched {
                    let el = place.element(i);
                    let Some(obj) = el.peek(self.root).and_then(Value::as_object) else {
                        continue;
                    };
                    let Some(k) = key_ci(obj, sub.name()).map(str::to_owned) else {
                        continue;
                    };
                    check_remove(sub, obj.get(&k).is_some_and(|v| !v.is_null()))?;
                    self.unset(&el, &k)?;
                }
                Ok(())
            }
        }
    }

    /// [`Compat::remove_with_value`]: removes the listed values, identified like
    /// [`append_unique`](Self::append_unique) identifies duplicates.
    fn remove_values(
        &mut self,
        h: Option<&str>,
        key: &str,
        attr: Def<'_>,
        value: &Value,
    ) -> Result<(), ScimError> {
        let gone = conform_multi(&self.compat, attr, value, 0)?;
        let Some(Value::Array(current)) = self.get(&Place::holder(h), key) else {
            return Ok(());
        };
        let hits = matching(attr, &gone, current);
        if hits.is_empty() {
            return Ok(());
        }
        self.remove_elements(h, key, attr, &hits)
    }

    fn remove_elements(
        &mut self,
        h: Option<&str>,
        key: &str,
        attr: Def<'_>,
        hits: &[usize],
    ) -> Result<(), ScimError> {
        let hp = Place::holder(h);
        let len = match self.get(&hp, key) {
            Some(Value::Array(a)) => a.len(),
            _ => return Err(internal()),
        };
        if hits.len() == len {
            check_remove(attr, true)?;
            return self.unset(&hp, key);
        }
        self.take(Place::attr(h, key), hits)
    }

    /// Removes a whole extension object and its URN from `schemas`.
    pub(super) fn remove_extension(&mut self, ext: &Schema) -> Result<(), ScimError> {
        let Some(Some(key)) = self.find_holder(Some(ext))? else {
            return Ok(());
        };
        if let Some(Value::Object(obj)) = self.root_map()?.get(&key)
            && let Some(a) = ext
                .attributes()
                .iter()
                .find(|a| a.required() && get_ci(obj, a.name()).is_some_and(|v| !v.is_null()))
        {
            return Err(ScimError::mutability(format!(
                "`{}` is required and cannot be removed",
                a.name()
            )));
        }
        self.unset(&Place::root(), &key)?;
        let root = self.root_map()?;
        let Some(skey) = key_ci(root, "schemas").map(str::to_owned) else {
            return Ok(());
        };
        let hits: Vec<usize> = match root.get(&skey) {
            Some(Value::Array(list)) => list
                .iter()
                .enumerate()
                .filter(|(_, u)| u.as_str().is_some_and(|u| u.eq_ignore_ascii_case(ext.id())))
                .map(|(i, _)| i)
                .collect(),
            _ => Vec::new(),
        };
        if hits.is_empty() {
            return Ok(());
        }
        self.take(Place::attr(None, &skey), &hits)
    }
}

/// `remove` with a `value`; `switch` when [`Compat::remove_with_value`] would accept it.
///
/// [`Compat::remove_with_value`]: crate::Compat::remove_with_value
fn remove_value_error(switch: bool) -> ScimError {
    let d = "`remove` takes no `value`: select values with a filter such as \
             `members[value eq \"…\"]` (RFC 7644 §3.5.2.2)";
    ScimError::invalid_value(if switch {
        format!("{d}, or enable Compat::remove_with_value")
    } else {
        d.to_owned()
    })
}
