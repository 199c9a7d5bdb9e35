//! `replace` with `null` (RFC 7643 §2.5: null is unassigned), and Entra's bare-string
//! `manager`.

use serde_json::{Map, Value};

use super::{Engine, no_match};
use crate::error::ScimError;
use crate::patch::target::{Def, Target};
use crate::patch::undo::Place;
use crate::schema::ENTERPRISE_USER_SCHEMA;

impl Engine<'_, '_> {
    /// `replace` with `"value": null` at a path unassigns the target (RFC 7643 §2.5: "the
    /// null value" and unassigned are equivalent in state), as `remove` does, with the same
    /// mutability and required checks. A value filter that matches nothing is `noTarget`, as
    /// for any `replace` (RFC 7644 §3.5.2.3), or nothing to do under
    /// [`Compat::create_on_missing_value_path`](crate::Compat::create_on_missing_value_path).
    pub(super) fn replace_null(&mut self, t: &Target<'_>) -> Result<(), ScimError> {
        if let (Some(attr), Some(filter)) = (t.attr, t.filter) {
            let matched = match self.find_holder(t.ext)? {
                Some(h) => !self.select(h.as_deref(), attr, Some(filter))?.1.is_empty(),
                None => false,
            };
            if !matched {
                if self.compat.create_on_missing_value_path {
                    return Ok(());
                }
                return Err(no_match(attr, true));
            }
        }
        self.remove(t, None)
    }

    /// The manager id when `value` is Entra's bare string for the Enterprise User `manager`,
    /// accepted under [`Compat::manager_as_string`](crate::Compat::manager_as_string).
    pub(super) fn manager_id(
        &self,
        t: &Target<'_>,
        value: &Value,
    ) -> Result<Option<String>, ScimError> {
        let Value::String(id) = value else {
            return Ok(None);
        };
        let manager = t.filter.is_none()
            && t.sub.is_none()
            && t.ext
                .is_some_and(|e| e.id().eq_ignore_ascii_case(ENTERPRISE_USER_SCHEMA))
            && t.attr
                .is_some_and(|a| a.name().eq_ignore_ascii_case("manager") && a.is_complex());
        if !manager {
            return Ok(None);
        }
        if !self.compat.manager_as_string {
            return Err(ScimError::invalid_value(
                "`manager` expects an object of sub-attributes such as `{\"value\": id}` \
                 (RFC 7643 §4.3), or enable Compat::manager_as_string",
            ));
        }
        Ok(Some(id.clone()))
    }

    /// Sets the manager to `{"value": id}` as a whole (the old `$ref` and `displayName` named
    /// the old manager), or unassigns it for `""`.
    pub(super) fn write_manager(
        &mut self,
        t: &Target<'_>,
        attr: Def<'_>,
        id: String,
    ) -> Result<(), ScimError> {
        let mut m = Map::new();
        m.insert("value".to_owned(), Value::String(id));
        let new = Value::Object(m);
        if let Some(h) = self.find_holder(t.ext)?
            && let Some((key, _)) = self.attr_value(h.as_deref(), attr)?
            && self.get(&Place::holder(h.as_deref()), &key) == Some(&new)
        {
            return Ok(());
        }
        self.remove(t, None)?;
        if new["value"] == "" {
            return Ok(());
        }
        let holder = self.make_holder(t.ext)?;
        self.set(
            Place::holder(holder.as_deref()),
            attr.name().to_owned(),
            new,
        )
    }
}
