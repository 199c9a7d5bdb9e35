//! `add`, `remove` and `replace` (RFC 7644 §3.5.2.1–3) over a `serde_json::Value` resource,
//! every edit recorded in the undo log.

use std::borrow::Cow;

use serde_json::{Map, Value};

mod remove;
mod unassign;
mod urns;

pub(crate) use urns::may_list;

use super::ident::{Members, fresh, fresh_indexed};
use super::target::{Def, Resolver, Selector, Target, clip, get_ci, key_ci};
use super::undo::{Place, Undo, UndoLog, remove_ordered};
use super::value::{
    check_remove, check_set, conform, conform_any, conform_multi_cow, get_ci_obj, is_primary,
    one_primary, strip_nulls,
};
use crate::compat::Compat;
use crate::error::ScimError;
use crate::schema::{Mutability, Schema, SchemaRegistry};

/// The three PATCH operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Add,
    Remove,
    Replace,
}

impl From<crate::model::Op> for Kind {
    fn from(op: crate::model::Op) -> Self {
        match op {
            crate::model::Op::Add => Self::Add,
            crate::model::Op::Remove => Self::Remove,
            crate::model::Op::Replace => Self::Replace,
        }
    }
}

/// Applies operations to one resource, logging each edit.
#[derive(Debug)]
pub(crate) struct Engine<'r, 'a> {
    root: &'r mut Value,
    pub(crate) resolver: Resolver<'a>,
    compat: Compat,
    pub(crate) log: UndoLog,
    /// Reading a `POST`/`PUT` body rather than a PATCH request: PATCH-only switches
    /// ([`Compat::dotted_keys_in_value`]) do not apply, and errors do not name them.
    pub(crate) body: bool,
    /// The attribute the last `add` appended to, with an index of its values once a second
    /// `add` targets it: repeated adds then cost their own values, not the group's size.
    members: Option<MemberCache>,
}

/// [`Engine::members`]: valid while the log since `log_len` leaves `place` untouched.
#[derive(Debug)]
struct MemberCache {
    place: Place,
    index: Option<Members>,
    log_len: usize,
}

fn internal() -> ScimError {
    ScimError::with_status(500, "the resource changed shape during the PATCH")
}

fn no_value(op: &str) -> ScimError {
    ScimError::invalid_value(format!(
        "`{op}` requires a `value` (RFC 7644 §3.5.2.1, §3.5.2.3)"
    ))
}

impl<'r, 'a> Engine<'r, 'a> {
    /// An engine over `root`, which must be a JSON object.
    pub(crate) fn new(
        root: &'r mut Value,
        schemas: &'a SchemaRegistry,
        compat: Compat,
    ) -> Result<Self, ScimError> {
        let Value::Object(map) = &*root else {
            return Err(ScimError::invalid_value(
                "the resource is not a JSON object",
            ));
        };
        let resolver = Resolver::for_resource(schemas, map);
        Ok(Self {
            root,
            resolver,
            compat,
            log: UndoLog::default(),
            body: false,
            members: None,
        })
    }

    /// Undoes every edit after the first `keep` log entries.
    pub(crate) fn rollback_to(&mut self, keep: usize) {
        self.log.rollback_to(self.root, keep);
    }

    /// Applies one operation. On error some edits may remain: the caller rolls back. An owned
    /// value moves into the resource where it can, instead of being copied.
    pub(crate) fn apply(
        &mut self,
        kind: Kind,
        target: Option<&Target<'_>>,
        value: Option<Cow<'_, Value>>,
    ) -> Result<(), ScimError> {
        if let (Kind::Replace, Some(t), Some(v)) = (kind, target, value.as_deref())
            && v.is_null()
        {
            return self.replace_null(t);
        }
        let value = value.filter(|v| !v.is_null());
        match (kind, target) {
            (Kind::Remove, None) => Err(ScimError::no_target(
                "`remove` requires a `path` (RFC 7644 §3.5.2.2)",
            )),
            (Kind::Remove, Some(t)) => self.remove(t, value.as_deref()),
            (_, t) => {
                let op = if kind == Kind::Add { "add" } else { "replace" };
                let value = value.ok_or_else(|| no_value(op))?;
                match t {
                    None => self.object(kind, None, &value, true),
                    Some(t) => self.write(kind, t, value),
                }
            }
        }
    }

    // ---- path-less values and extension objects ----

    /// Applies each attribute of an object value: the whole resource (`scope` = `None`,
    /// RFC 7644 §3.5.2.1 "the value is a set of attributes") or one extension object.
    fn object(
        &mut self,
        kind: Kind,
        scope: Option<&Schema>,
        value: &Value,
        top: bool,
    ) -> Result<(), ScimError> {
        let Value::Object(obj) = value else {
            return Err(ScimError::invalid_value(
                "without a `path`, `value` must be an object of attributes",
            ));
        };
        let resolver = self.resolver;
        for (key, v) in obj {
            if scope.is_none() {
                if key.eq_ignore_ascii_case("schemas") {
                    self.add_schemas(v)?;
                    continue;
                }
                if let Some(ext) = resolver.extension(key) {
                    if v.is_null() {
                        if kind == Kind::Replace {
                            self.remove_extension(ext)?;
                        }
                    } else {
                        self.object(kind, Some(ext), v, false)?;
                    }
                    continue;
                }
                if top
                    && resolver
                        .core
                        .is_some_and(|c| c.id().eq_ignore_ascii_case(key))
                {
                    // `{"urn:…:core:2.0:User": {…}}`: core attributes, URN-wrapped.
                    self.object(kind, None, v, false)?;
                    continue;
                }
            }
            let target = match scope {
                Some(ext) => resolver.resolve(Some(ext.id()), key, None),
                None => resolver.resolve_key(key, self.dotted_keys()),
            }
            .map_err(|e| self.unknown_key(key, v, e))?;
            if v.is_null() {
                // RFC 7643 §2.5: null is "unassigned": replace unassigns, add has nothing to add.
                if kind == Kind::Replace {
                    self.remove(&target, None)?;
                }
                continue;
            }
            self.write(kind, &target, Cow::Borrowed(v))?;
        }
        Ok(())
    }

    /// Merges URNs into `schemas` (never removes: a path-less value lists what it sets).
    fn add_schemas(&mut self, v: &Value) -> Result<(), ScimError> {
        let urns = v
            .as_array()
            .ok_or_else(|| ScimError::invalid_value("`schemas` must be an array of URNs"))?;
        for urn in urns {
            let urn = urn
                .as_str()
                .ok_or_else(|| ScimError::invalid_value("`schemas` must be an array of URNs"))?;
            if self.admit_urn(urn)? {
                self.add_schema_urn(urn)?;
            }
        }
        Ok(())
    }

    fn add_schema_urn(&mut self, urn: &str) -> Result<(), ScimError> {
        let root = self.root_map()?;
        match key_ci(root, "schemas").map(str::to_owned) {
            Some(key) => {
                let list = match root.get(&key) {
                    Some(Value::Array(list)) => list,
                    Some(Value::Null) => {
                        return self.set(Place::root(), key, Value::Array(vec![urn.into()]));
                    }
                    _ => return Err(ScimError::invalid_value("`schemas` is not an array")),
                };
                let present = list
                    .iter()
                    .any(|u| u.as_str().is_some_and(|u| u.eq_ignore_ascii_case(urn)));
                if present {
                    return Ok(());
                }
                self.append(Place::attr(None, &key), vec![urn.into()])
            }
            None => self.set(
                Place::root(),
                "schemas".to_owned(),
                Value::Array(vec![urn.into()]),
            ),
        }
    }

    // ---- add / replace at a path ----

    fn write(
        &mut self,
        kind: Kind,
        t: &Target<'_>,
        mut value: Cow<'_, Value>,
    ) -> Result<(), ScimError> {
        let Some(attr) = t.attr else {
            let ext = t.ext.ok_or_else(|| ScimError::invalid_path("empty path"))?;
            return self.object(kind, Some(ext), &value, false);
        };
        if urns::is_schemas(t) {
            value = Cow::Owned(self.admit_urns(&value)?);
        }
        if let Some(id) = self.manager_id(t, &value)? {
            return self.write_manager(t, attr, id);
        }
        let holder = self.make_holder(t.ext)?;
        let h = holder.as_deref();
        let existing = self.attr_value(h, attr)?;
        let multi = attr.multi_valued_peek(existing.as_ref().map(|(_, p)| p), Some(&value));
        match (t.filter, t.sub) {
            (None, None) => self.write_attr(kind, h, (attr, existing), multi, value),
            (None, Some(sub)) if !multi => self.write_sub(h, attr, sub, &value),
            (filter, sub) if multi => self.write_selected(h, attr, filter, sub, &value),
            _ => Err(ScimError::invalid_path(format!(
                "`{}` is single-valued: a value filter needs a multi-valued attribute",
                attr.name()
            ))),
        }
    }

    /// `add`/`replace` of a whole attribute (RFC 7644 §3.5.2.1, §3.5.2.3); `found` is what
    /// [`attr_value`](Self::attr_value) returned for it, looked up once by the caller.
    fn write_attr(
        &mut self,
        kind: Kind,
        h: Option<&str>,
        (attr, found): (Def<'_>, Option<(String, Peek)>),
        multi: bool,
        value: Cow<'_, Value>,
    ) -> Result<(), ScimError> {
        let hp = Place::holder(h);
        let (key, existing) = match found {
            Some((k, p)) => (k, Some(p)),
            None => (attr.name().to_owned(), None),
        };
        if multi {
            let items = conform_multi_cow(&self.compat, attr, value)?;
            one_primary(attr, &items)?;
            if kind == Kind::Add {
                return self.append_unique(h, &key, attr, existing.is_some(), items);
            }
            let new = Value::Array(items);
            let old = self.get(&hp, &key);
            if old == Some(&new) {
                return Ok(());
            }
            if new.as_array().is_some_and(Vec::is_empty) {
                // RFC 7643 §2.5: an empty array is unassigned.
                check_remove(attr, old.is_some())?;
                return self.unset(&hp, &key);
            }
            check_set(attr, old, &new)?;
            return self.set(hp, key, new);
        }
        if attr.is_complex() && value.is_object() && existing.is_some() {
            // A readOnly attribute (`meta`) is refused as a whole, not merged with its readOnly
            // sub-attributes dropped into a silent no-op (RFC 7644 §3.5.2).
            if attr.mutability() == Mutability::ReadOnly {
                check_set(attr, self.get(&hp, &key), &value)?;
            }
            // RFC 7644 §3.5.2.3: sub-attributes not named in the value are left unchanged.
            let new = conform(&self.compat, attr, &value, true, 0)?;
            return self.merge(&Place::attr(h, &key), attr, new);
        }
        let mut new = conform(&self.compat, attr, &value, false, 0)?;
        strip_nulls(&mut new);
        let old = self.get(&hp, &key);
        if old == Some(&new) {
            return Ok(());
        }
        check_set(attr, old, &new)?;
        self.set(hp, key, new)
    }

    /// `add`/`replace` of `attr.sub` on a single-valued complex attribute (`name.givenName`).
    fn write_sub(
        &mut self,
        h: Option<&str>,
        attr: Def<'_>,
        sub: Def<'_>,
        value: &Value,
    ) -> Result<(), ScimError> {
        let new = conform_any(&self.compat, sub, value)?;
        match self.attr_value(h, attr)? {
            None => {
                let mut obj = Map::new();
                obj.insert(sub.name().to_owned(), new);
                let obj = Value::Object(obj);
                check_set(attr, None, &obj)?;
                self.set(Place::holder(h), attr.name().to_owned(), obj)
            }
            Some((key, Peek { object: true, .. })) => {
                let mut one = Map::new();
                one.insert(sub.name().to_owned(), new);
                self.merge_checked(&Place::attr(h, &key), attr, one, Some(sub))
            }
            Some(_) => Err(ScimError::invalid_value(format!(
                "`{}` holds a value that is not complex",
                attr.name()
            ))),
        }
    }

    /// `add`/`replace` of the elements a filter selects (or every element, for `attr.sub` on
    /// a multi-valued attribute), or of their sub-attribute.
    fn write_selected(
        &mut self,
        h: Option<&str>,
        attr: Def<'_>,
        filter: Option<&dyn Selector>,
        sub: Option<Def<'_>>,
        value: &Value,
    ) -> Result<(), ScimError> {
        let (key, matched) = self.select(h, attr, filter)?;
        if matched.is_empty() {
            return self.create_selected(h, attr, filter, sub, value);
        }
        let place = Place::attr(h, &key);
        let mut new_primary = None;
        for &i in &matched {
            let el = place.element(i);
            match sub {
                Some(sub) => {
                    let new = conform_any(&self.compat, sub, value)?;
                    if is_primary(sub, &new) {
                        new_primary = Some(i);
                    }
                    let mut one = Map::new();
                    one.insert(sub.name().to_owned(), new);
                    self.merge_checked(&el, attr, one, Some(sub))?;
                }
                None if attr.is_complex() => {
                    let Value::Object(new) = conform(&self.compat, attr, value, true, 0)? else {
                        return Err(internal());
                    };
                    if get_ci(&new, "primary") == Some(&Value::Bool(true)) && attr.has_primary() {
                        new_primary = Some(i);
                    }
                    self.merge_checked(&el, attr, new, None)?;
                }
                None => {
                    let new = conform(&self.compat, attr, value, false, 0)?;
                    let old = el.locate(self.root).ok_or_else(internal)?;
                    if *old != new {
                        check_set(attr, Some(old), &new)?;
                        let old = std::mem::replace(old, new);
                        self.log.push(Undo::Value { place: el, old });
                    }
                }
            }
        }
        if let Some(winner) = new_primary {
            if matched.len() > 1 {
                return Err(ScimError::invalid_value(format!(
                    "the path selects {} values of `{}` and at most one may be primary \
                     (RFC 7643 §2.4)",
                    matched.len(),
                    attr.name()
                )));
            }
            self.enforce_primary(&place, winner)?;
        }
        Ok(())
    }

    /// A filter that matched nothing on `add`/`replace`: `noTarget` (RFC 7644 §3.12, Table 9,
    /// and §3.5.2.3), or, under [`Compat::create_on_missing_value_path`], a new element built
    /// from the filter's `eq` comparisons.
    fn create_selected(
        &mut self,
        h: Option<&str>,
        attr: Def<'_>,
        filter: Option<&dyn Selector>,
        sub: Option<Def<'_>>,
        value: &Value,
    ) -> Result<(), ScimError> {
        let mut element = Map::new();
        if let Some(filter) = filter {
            let template = filter
                .template()
                .filter(|_| self.compat.create_on_missing_value_path && attr.is_complex());
            let Some(template) = template else {
                let switch = !self.compat.create_on_missing_value_path
                    && attr.is_complex()
                    && filter.template().is_some();
                return Err(no_match(attr, switch));
            };
            for (name, v) in template {
                let d = attr.sub(name).ok_or_else(|| {
                    ScimError::invalid_path(format!("no sub-attribute `{}`", clip(name)))
                })?;
                element.insert(d.name().to_owned(), conform(&self.compat, d, &v, false, 0)?);
            }
        }
        match sub {
            Some(sub) => {
                element.insert(
                    sub.name().to_owned(),
                    conform_any(&self.compat, sub, value)?,
                );
            }
            None => {
                let Value::Object(obj) = conform(&self.compat, attr, value, false, 0)? else {
                    return Err(ScimError::invalid_value(format!(
                        "`{}` values are complex: expected an object",
                        attr.name()
                    )));
                };
                element.extend(obj);
            }
        }
        let key = self
            .attr_value(h, attr)?
            .map_or_else(|| attr.name().to_owned(), |(k, _)| k);
        let exists = self.get(&Place::holder(h), &key).is_some();
        self.append_unique(h, &key, attr, exists, vec![Value::Object(element)])
    }

    /// Appends values not already present (RFC 7644 §3.5.2.1: "If the target location
    /// already contains the value specified, no changes SHOULD be made"). Values are
    /// identified by their `value` sub-attribute (or themselves, for simple types), compared
    /// as the schema says (caseExact), through one hash set per request: O(M + N).
    fn append_unique(
        &mut self,
        h: Option<&str>,
        key: &str,
        attr: Def<'_>,
        exists: bool,
        items: Vec<Value>,
    ) -> Result<(), ScimError> {
        if items.is_empty() {
            return Ok(());
        }
        let hp = Place::holder(h);
        let place = Place::attr(h, key);
        // Read through the field, not `self.get`, so `self.members` stays borrowable.
        let stored = hp.peek(self.root).and_then(|o| o.get(key));
        let current: &[Value] = match stored.filter(|v| !v.is_null()) {
            Some(Value::Array(a)) => a,
            None => &[],
            Some(_) => {
                return Err(ScimError::invalid_value(format!(
                    "`{}` holds a single value but is multi-valued",
                    attr.name()
                )));
            }
        };
        let cached = self
            .members
            .as_mut()
            .filter(|c| c.place == place && !self.log.touched_since(c.log_len, &place))
            .and_then(|c| c.index.as_mut());
        let keep = match cached {
            Some(index) => {
                index.extend(current);
                fresh_indexed(attr, index, current, &items)
            }
            None => fresh(attr, current, &items),
        };
        let items: Vec<Value> = items
            .into_iter()
            .zip(keep)
            .filter_map(|(v, k)| k.then_some(v))
            .collect();
        if items.is_empty() {
            return Ok(());
        }
        check_set(attr, None, &Value::Null).or_else(|e| {
            if attr.mutability() == Mutability::Immutable && current.is_empty() {
                Ok(())
            } else {
                Err(e)
            }
        })?;
        let base = current.len();
        let winner = items
            .iter()
            .rposition(|v| {
                attr.has_primary() && get_ci_obj(v, "primary") == Some(&Value::Bool(true))
            })
            .map(|i| base + i);
        if exists {
            self.append(place.clone(), items)?;
        } else {
            self.set(hp, key.to_owned(), Value::Array(items))?;
        }
        if let Some(w) = winner {
            self.enforce_primary(&place, w)?;
        }
        self.note_members(place, attr);
        Ok(())
    }

    /// Keeps [`members`](Self::members) for the array `add` just wrote at `place`: extended
    /// when still valid, built on the second `add` there, forgotten for another attribute.
    fn note_members(&mut self, place: Place, attr: Def<'_>) {
        let log_len = self.log.len();
        let Some(Value::Array(current)) = place.peek(self.root) else {
            self.members = None;
            return;
        };
        let index = match self.members.take() {
            Some(c) if c.place == place => match c.index {
                Some(mut index) if !self.log.touched_since(c.log_len, &place) => {
                    index.extend(current);
                    index
                }
                _ => Members::new(attr, current),
            },
            _ => {
                self.members = Some(MemberCache {
                    place,
                    index: None,
                    log_len,
                });
                return;
            }
        };
        self.members = Some(MemberCache {
            place,
            index: Some(index),
            log_len,
        });
    }

    /// Clears `primary` on every element but `winner` (RFC 7643 §2.4: at most one).
    fn enforce_primary(&mut self, place: &Place, winner: usize) -> Result<(), ScimError> {
        let arr = place.array(self.root).ok_or_else(internal)?;
        let losers: Vec<(usize, String)> = arr
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != winner)
            .filter_map(|(i, v)| {
                let obj = v.as_object()?;
                let k = key_ci(obj, "primary")?;
                (obj.get(k) == Some(&Value::Bool(true))).then(|| (i, k.to_owned()))
            })
            .collect();
        for (i, k) in losers {
            self.set(place.element(i), k, Value::Bool(false))?;
        }
        Ok(())
    }

    /// Merges sub-attribute values into the object at `place`, checking mutability.
    fn merge(&mut self, place: &Place, attr: Def<'_>, new: Value) -> Result<(), ScimError> {
        let Value::Object(new) = new else {
            return Err(internal());
        };
        self.merge_checked(place, attr, new, None)
    }

    fn merge_checked(
        &mut self,
        place: &Place,
        attr: Def<'_>,
        new: Map<String, Value>,
        only: Option<Def<'_>>,
    ) -> Result<(), ScimError> {
        for (name, v) in new {
            let sub = match only {
                Some(d) => d,
                None => attr.sub(&name).ok_or_else(internal)?,
            };
            let obj = place
                .peek(self.root)
                .and_then(Value::as_object)
                .ok_or_else(|| {
                    ScimError::invalid_value(format!(
                        "`{}` holds a value that is not complex",
                        attr.name()
                    ))
                })?;
            let key = key_ci(obj, &name).map(str::to_owned);
            let old = key
                .as_ref()
                .and_then(|k| obj.get(k))
                .filter(|v| !v.is_null());
            if v.is_null() {
                check_remove(sub, old.is_some())?;
                if let Some(k) = key {
                    self.unset(place, &k)?;
                }
                continue;
            }
            if old == Some(&v) {
                continue;
            }
            check_set(sub, old, &v)?;
            self.set(place.clone(), key.unwrap_or(name), v)?;
        }
        Ok(())
    }

    // ---- lookups ----

    fn root_map(&self) -> Result<&Map<String, Value>, ScimError> {
        self.root.as_object().ok_or_else(internal)
    }

    fn get(&self, place: &Place, key: &str) -> Option<&Value> {
        place.peek(self.root)?.get(key).filter(|v| !v.is_null())
    }

    /// The extension object's key (`Some(None)`: the root), or `None` when it is absent.
    fn find_holder(&self, ext: Option<&Schema>) -> Result<Option<Option<String>>, ScimError> {
        let Some(ext) = ext else {
            return Ok(Some(None));
        };
        let root = self.root_map()?;
        let Some(key) = key_ci(root, ext.id()) else {
            return Ok(None);
        };
        match root.get(key) {
            Some(Value::Object(_)) => Ok(Some(Some(key.to_owned()))),
            Some(Value::Null) | None => Ok(None),
            Some(_) => Err(ScimError::invalid_value(format!(
                "the resource holds a non-object under `{}`",
                ext.id()
            ))),
        }
    }

    /// The holder, creating the extension object (and its `schemas` entry) when absent.
    fn make_holder(&mut self, ext: Option<&Schema>) -> Result<Option<String>, ScimError> {
        if let Some(h) = self.find_holder(ext)? {
            return Ok(h);
        }
        let Some(ext) = ext else {
            return Ok(None);
        };
        self.check_extension(ext)?;
        let key = key_ci(self.root_map()?, ext.id())
            .unwrap_or(ext.id())
            .to_owned();
        self.set(Place::root(), key.clone(), Value::Object(Map::new()))?;
        self.add_schema_urn(ext.id())?;
        Ok(Some(key))
    }

    /// The attribute's existing key and a clone-free view of whether it is set: returns the
    /// key and the value (moved out only as a shallow reference copy).
    fn attr_value(
        &self,
        h: Option<&str>,
        attr: Def<'_>,
    ) -> Result<Option<(String, Peek)>, ScimError> {
        let hp = Place::holder(h);
        let holder = match &hp.ext {
            Some(e) => self.root_map()?.get(e).and_then(Value::as_object),
            None => Some(self.root_map()?),
        };
        let Some(holder) = holder else {
            return Ok(None);
        };
        Ok(key_ci(holder, attr.name()).and_then(|k| {
            let v = holder.get(k)?;
            (!v.is_null()).then(|| (k.to_owned(), Peek::of(v)))
        }))
    }

    /// The key of the multi-valued attribute and the indices of the elements `filter`
    /// selects (all of them without a filter).
    fn select(
        &self,
        h: Option<&str>,
        attr: Def<'_>,
        filter: Option<&dyn Selector>,
    ) -> Result<(String, Vec<usize>), ScimError> {
        let Some((key, _)) = self.attr_value(h, attr)? else {
            return Ok((attr.name().to_owned(), Vec::new()));
        };
        let Some(Value::Array(arr)) = self.get(&Place::holder(h), &key) else {
            return Err(ScimError::invalid_value(format!(
                "`{}` holds a single value but is multi-valued",
                attr.name()
            )));
        };
        let mut hits = Vec::new();
        if let Some(eq) = filter.and_then(|f| f.simple_eq(attr.attribute())) {
            // `members[value eq "…"]`: the definitions are looked up once, not per element.
            hits.extend((0..arr.len()).filter(|&i| eq.matches(&arr[i])));
            return Ok((key, hits));
        }
        // Bound once per operation; a filter that does not bind fails only if there is an
        // element to test, as the per-element evaluation does.
        let matcher = match filter {
            Some(f) if !arr.is_empty() => f.matcher(attr.attribute())?,
            _ => None,
        };
        if let Some(m) = matcher {
            hits.extend((0..arr.len()).filter(|&i| m.matches(&arr[i])));
            return Ok((key, hits));
        }
        for (i, el) in arr.iter().enumerate() {
            if filter.map_or(Ok(true), |f| f.select(el, attr.attribute()))? {
                hits.push(i);
            }
        }
        Ok((key, hits))
    }

    // ---- primitive, logged edits ----

    fn set(&mut self, place: Place, key: String, v: Value) -> Result<(), ScimError> {
        let obj = place.object(self.root).ok_or_else(internal)?;
        let old = obj.insert(key.clone(), v);
        self.log.push(Undo::Key { place, key, old });
        Ok(())
    }

    fn unset(&mut self, place: &Place, key: &str) -> Result<(), ScimError> {
        let obj = place.object(self.root).ok_or_else(internal)?;
        if let Some((index, old)) = remove_ordered(obj, key) {
            self.log.push(Undo::Restore {
                place: place.clone(),
                key: key.to_owned(),
                index,
                old,
            });
        }
        Ok(())
    }

    fn append(&mut self, place: Place, items: Vec<Value>) -> Result<(), ScimError> {
        let arr = place.array(self.root).ok_or_else(internal)?;
        let len = arr.len();
        arr.extend(items);
        self.log.push(Undo::Truncate { place, len });
        Ok(())
    }

    /// Takes the elements at `hits` (ascending) out of the array at `place`.
    fn take(&mut self, place: Place, hits: &[usize]) -> Result<(), ScimError> {
        let arr = place.array(self.root).ok_or_else(internal)?;
        let removed = if hits.len() <= 8 {
            let mut r: Vec<(usize, Value)> =
                hits.iter().rev().map(|&i| (i, arr.remove(i))).collect();
            r.reverse();
            r
        } else {
            let old = std::mem::take(arr);
            let mut kept = Vec::with_capacity(old.len() - hits.len());
            let mut removed = Vec::with_capacity(hits.len());
            let mut next = hits.iter().copied().peekable();
            for (i, v) in old.into_iter().enumerate() {
                if next.peek() == Some(&i) {
                    next.next();
                    removed.push((i, v));
                } else {
                    kept.push(v);
                }
            }
            *arr = kept;
            removed
        };
        self.log.push(Undo::Reinsert { place, removed });
        Ok(())
    }
}

/// `noTarget`: a value filter matched nothing; `switch` when
/// [`Compat::create_on_missing_value_path`] would accept the operation.
fn no_match(attr: Def<'_>, switch: bool) -> ScimError {
    let d = format!("the filter on `{}` matches no value", attr.name());
    ScimError::no_target(if switch {
        format!("{d}, or enable Compat::create_on_missing_value_path")
    } else {
        d
    })
}

/// Whether an attribute was set, without holding a borrow of the resource.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Peek {
    array: bool,
    object: bool,
}

impl Peek {
    fn of(v: &Value) -> Self {
        Self {
            array: v.is_array(),
            object: v.is_object(),
        }
    }
}

impl Def<'_> {
    /// [`Def::multi_valued`] from a [`Peek`] of the stored value.
    fn multi_valued_peek(self, existing: Option<&Peek>, incoming: Option<&Value>) -> bool {
        match self {
            Def::Known(a) => a.multi_valued(),
            Def::Loose(_) => {
                existing.map_or_else(|| incoming.is_some_and(Value::is_array), |p| p.array)
            }
        }
    }
}
