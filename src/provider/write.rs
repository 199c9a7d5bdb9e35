//! Writes: `POST` (RFC 7644 §3.3), `PUT` (§3.5.1) and `PATCH` (§3.5.2), with the checks the
//! schemas call for: `required`, `mutability` and `uniqueness`.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::Provider;
use super::discovery::clip;
use super::secret::{Written, take_password};
use super::version::stamp;
use crate::error::{ScimError, ScimType};
use crate::filter::{CompValue, CompareOp, Filter};
use crate::model::{Op, PatchOp, PatchOperation};
use crate::patch::{PatchOutcome, Patcher};
use crate::path::{AttrPath, PatchPath};
use crate::schema::{Attribute, Mutability, Schema, SchemaRegistry, Uniqueness, is_unassigned};

/// Where an attribute definition lives: the core schema (`None`) or an extension.
type Located<'s> = (Option<&'s Schema>, &'s Attribute);

impl Provider {
    /// The core schema and extensions of a resource type, or `404` for an unknown type.
    fn schemas_of(&self, resource_type: &str) -> Result<(&Schema, Vec<&Schema>), ScimError> {
        let unknown =
            || ScimError::not_found(format!("no resource type `{}`", clip(resource_type)));
        let (core, extensions) = self
            .schemas
            .resource_type(resource_type)
            .ok_or_else(unknown)?;
        let core = self.schemas.schema(core).ok_or_else(unknown)?;
        let extensions = extensions.filter_map(|e| self.schemas.schema(e)).collect();
        Ok((core, extensions))
    }

    /// Every top-level attribute of a resource type: core ones (and the common `externalId`)
    /// with `None`, extension ones with their schema.
    fn attributes_of<'s>(
        core: &'s Schema,
        extensions: &[&'s Schema],
    ) -> impl Iterator<Item = Located<'s>> {
        core.attributes().iter().map(|a| (None, a)).chain(
            extensions
                .iter()
                .flat_map(|&e| e.attributes().iter().map(move |a| (Some(e), a))),
        )
    }

    /// The resource a `POST` creates: `body` read against the schemas (names in the schema's
    /// spelling, types checked, readOnly attributes such as `id`, `meta` and `groups`
    /// ignored), with `id` and `meta` assigned. `existing` are the stored resources of the same
    /// type, for the uniqueness check.
    ///
    /// Errors: a body that is not an object or lacks the core schema URN in `schemas` is
    /// `400 invalidSyntax`; a missing required attribute or a value of the wrong type
    /// `400 invalidValue`; a value another resource holds for an attribute whose `uniqueness`
    /// is `server` or `global` (`userName`) `409 uniqueness`.
    ///
    /// ```
    /// use scimkit::provider::Provider;
    /// use serde_json::json;
    ///
    /// let p = Provider::new("https://example.com/scim/v2");
    /// let body = json!({
    ///     "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
    ///     "USERNAME": "bjensen", "id": "ignored", "active": true
    /// });
    /// let now = chrono::Utc::now();
    /// let user = p.create("User", &body, "2819c223", now, [])?;
    /// assert_eq!(user["userName"], "bjensen");
    /// assert_eq!(user["id"], "2819c223");
    /// assert_eq!(user["meta"]["location"], "https://example.com/scim/v2/Users/2819c223");
    ///
    /// let again = p.create("User", &json!({
    ///     "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "BJensen"
    /// }), "other", now, [&user]);
    /// assert_eq!(again.unwrap_err().status, 409);
    /// # Ok::<(), scimkit::ScimError>(())
    /// ```
    ///
    /// The resource never holds the `password` the body sets: this method drops it. A service
    /// that accepts passwords calls [`create_written`](Self::create_written), which hands it
    /// over separately to hash.
    pub fn create<'a, I>(
        &self,
        resource_type: &str,
        body: &Value,
        id: &str,
        now: DateTime<Utc>,
        existing: I,
    ) -> Result<Value, ScimError>
    where
        I: IntoIterator<Item = &'a Value>,
    {
        self.create_written(resource_type, body, id, now, existing)
            .map(|w| w.value)
    }

    /// [`create`](Self::create), with the cleartext `password` the body sets taken out of the
    /// resource and returned beside it: store [`Written::value`], hash
    /// [`Written::password`].
    ///
    /// ```
    /// use scimkit::provider::Provider;
    /// use serde_json::json;
    ///
    /// let p = Provider::new("https://example.com/scim/v2");
    /// let body = json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
    ///                   "userName": "bjensen", "password": "t1meMa$heen"});
    /// let written = p.create_written("User", &body, "1", chrono::Utc::now(), [])?;
    /// assert!(written.value.get("password").is_none());
    /// assert_eq!(written.password.unwrap().expose(), "t1meMa$heen");
    /// # Ok::<(), scimkit::ScimError>(())
    /// ```
    pub fn create_written<'a, I>(
        &self,
        resource_type: &str,
        body: &Value,
        id: &str,
        now: DateTime<Utc>,
        existing: I,
    ) -> Result<Written<Value>, ScimError>
    where
        I: IntoIterator<Item = &'a Value>,
    {
        let (core, extensions) = self.schemas_of(resource_type)?;
        let schemas = self.scoped(resource_type);
        let body = self.admit(resource_type, body)?;
        let mut resource = self.build(&schemas, core, &extensions, &body)?;
        let password = take_password(&mut resource);
        if let Value::Object(obj) = &mut resource {
            obj.insert("id".to_owned(), Value::String(id.to_owned()));
        }
        self.check_unique(
            &schemas,
            core,
            &extensions,
            &resource,
            existing,
            &mut |_| true,
        )?;
        stamp(
            &mut resource,
            resource_type,
            self.location(resource_type, id),
            now,
        );
        Ok(Written::new(resource, password))
    }

    /// The resource a `PUT` leaves (RFC 7644 §3.5.1): `body` replaces every attribute of
    /// `current` except the readOnly ones (`id`, `meta`, `groups`), which are kept whatever the
    /// body says; an immutable attribute that is set must keep its value (else
    /// `400 mutability`). Other errors as for [`create`](Self::create); `others` may include
    /// `current` itself, which the uniqueness check skips by `id`.
    ///
    /// ```
    /// use scimkit::provider::Provider;
    /// use serde_json::json;
    ///
    /// let p = Provider::new("https://example.com/scim/v2");
    /// let now = chrono::Utc::now();
    /// let user = p.create("User", &json!({
    ///     "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
    ///     "userName": "bjensen", "nickName": "Babs"
    /// }), "1", now, [])?;
    /// let put = p.replace("User", &user, &json!({
    ///     "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
    ///     "id": "something else", "userName": "bjensen", "title": "Tour Guide"
    /// }), now, [&user])?;
    /// assert_eq!(put["id"], "1");
    /// assert_eq!(put["title"], "Tour Guide");
    /// assert!(put.get("nickName").is_none()); // not in the body: cleared
    /// assert_ne!(put["meta"]["version"], user["meta"]["version"]);
    /// # Ok::<(), scimkit::ScimError>(())
    /// ```
    ///
    /// The `password` the body sets is dropped, as by [`create`](Self::create);
    /// [`replace_written`](Self::replace_written) hands it over.
    pub fn replace<'a, I>(
        &self,
        resource_type: &str,
        current: &Value,
        body: &Value,
        now: DateTime<Utc>,
        others: I,
    ) -> Result<Value, ScimError>
    where
        I: IntoIterator<Item = &'a Value>,
    {
        self.replace_written(resource_type, current, body, now, others)
            .map(|w| w.value)
    }

    /// [`replace`](Self::replace), with the cleartext `password` the body sets taken out of
    /// the resource and returned beside it (see [`create_written`](Self::create_written)).
    pub fn replace_written<'a, I>(
        &self,
        resource_type: &str,
        current: &Value,
        body: &Value,
        now: DateTime<Utc>,
        others: I,
    ) -> Result<Written<Value>, ScimError>
    where
        I: IntoIterator<Item = &'a Value>,
    {
        let (core, extensions) = self.schemas_of(resource_type)?;
        let schemas = self.scoped(resource_type);
        let body = self.admit(resource_type, body)?;
        let mut resource = self.build(&schemas, core, &extensions, &body)?;
        let password = take_password(&mut resource);
        let (Value::Object(new), Value::Object(old)) = (&mut resource, current) else {
            return Err(ScimError::with_status(
                500,
                "stored resource is not an object",
            ));
        };
        for (ext, attr) in Self::attributes_of(core, &extensions) {
            let before = lookup(old, ext, attr.name());
            match attr.mutability() {
                Mutability::ReadOnly => {
                    if let Some(v) = before {
                        put(new, ext, attr.name(), v.clone());
                    }
                }
                Mutability::Immutable
                    if before.is_some_and(|b| {
                        !b.is_null() && lookup(new, ext, attr.name()) != Some(b)
                    }) =>
                {
                    return Err(ScimError::mutability(format!(
                        "`{}` is immutable: a PUT must repeat its value (RFC 7644 §3.5.1)",
                        whole_name(ext, attr)
                    )));
                }
                _ => {}
            }
        }
        for key in ["id", "meta"] {
            if let Some(v) = old.get(key) {
                new.insert(key.to_owned(), v.clone());
            }
        }
        let id = old
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        self.check_unique(&schemas, core, &extensions, &resource, others, &mut |_| {
            true
        })?;
        stamp(
            &mut resource,
            resource_type,
            self.location(resource_type, &id),
            now,
        );
        Ok(Written::new(resource, password))
    }

    /// Applies a `PATCH` request (RFC 7644 §3.5.2) to a stored resource, all or nothing, with
    /// the provider's [`Compat`](crate::Compat) switches and profile limits; when something
    /// changed, `meta.lastModified` and `meta.version` move. A change that would give a unique
    /// attribute a value another resource of `others` holds is `409 uniqueness`, and the
    /// resource is then unchanged.
    ///
    /// Only requests that may touch a unique attribute (a path naming one, or no path) are
    /// tried on a copy first, so adding a member to a large group edits it in place.
    ///
    /// ```
    /// use scimkit::provider::Provider;
    /// use scimkit::{PatchOp, PatchOperation};
    /// use serde_json::json;
    ///
    /// let p = Provider::new("https://example.com/scim/v2");
    /// let now = chrono::Utc::now();
    /// let mut group = p.create("Group", &json!({
    ///     "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "Admins"
    /// }), "g1", now, [])?;
    /// let before = group["meta"]["version"].clone();
    /// let op = PatchOp::new(vec![PatchOperation::add("members", json!([{"value": "u1"}]))]);
    /// assert!(p.patch("Group", &mut group, &op, now, [])?.changed);
    /// assert_eq!(group["members"], json!([{"value": "u1"}]));
    /// assert_ne!(group["meta"]["version"], before);
    /// # Ok::<(), scimkit::ScimError>(())
    /// ```
    ///
    /// The patched resource never holds a `password`: one the request sets is dropped (and
    /// one a store kept from before is removed); [`patch_written`](Self::patch_written)
    /// hands it over.
    pub fn patch<'a, I>(
        &self,
        resource_type: &str,
        resource: &mut Value,
        op: &PatchOp,
        now: DateTime<Utc>,
        others: I,
    ) -> Result<PatchOutcome, ScimError>
    where
        I: IntoIterator<Item = &'a Value>,
    {
        self.patch_written(resource_type, resource, op, now, others)
            .map(|w| w.value)
    }

    /// [`patch`](Self::patch), with the cleartext `password` the request sets taken out of
    /// the resource and returned beside the outcome (see
    /// [`create_written`](Self::create_written)).
    ///
    /// ```
    /// use scimkit::provider::Provider;
    /// use scimkit::{PatchOp, PatchOperation};
    /// use serde_json::json;
    ///
    /// let p = Provider::new("https://example.com/scim/v2");
    /// let now = chrono::Utc::now();
    /// let mut user = p.create("User", &json!({
    ///     "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "bjensen"
    /// }), "1", now, [])?;
    /// let op = PatchOp::new(vec![PatchOperation::replace("password", "n3w")]);
    /// let written = p.patch_written("User", &mut user, &op, now, [])?;
    /// assert!(written.value.changed);
    /// assert_eq!(written.password.unwrap().expose(), "n3w");
    /// assert!(user.get("password").is_none());
    /// # Ok::<(), scimkit::ScimError>(())
    /// ```
    pub fn patch_written<'a, I>(
        &self,
        resource_type: &str,
        resource: &mut Value,
        op: &PatchOp,
        now: DateTime<Utc>,
        others: I,
    ) -> Result<Written<PatchOutcome>, ScimError>
    where
        I: IntoIterator<Item = &'a Value>,
    {
        let before = take_password(resource);
        let outcome = self.patch_in_place(resource_type, resource, op, now, others);
        let after = take_password(resource);
        match outcome {
            Ok(outcome) => Ok(Written::new(outcome, after)),
            Err(e) => {
                // Atomic: a failed request leaves the resource as it came.
                if let (Some(p), Value::Object(obj)) = (before, &mut *resource) {
                    obj.insert("password".to_owned(), Value::String(p.expose().to_owned()));
                }
                Err(e)
            }
        }
    }

    fn patch_in_place<'a, I>(
        &self,
        resource_type: &str,
        resource: &mut Value,
        op: &PatchOp,
        now: DateTime<Utc>,
        others: I,
    ) -> Result<PatchOutcome, ScimError>
    where
        I: IntoIterator<Item = &'a Value>,
    {
        let (core, extensions) = self.schemas_of(resource_type)?;
        let schemas = self.scoped(resource_type);
        let op = &extension_paths(op, &extensions);
        self.check_patch_profile(resource_type, op)?;
        let patcher = Patcher::new(&schemas)
            .compat(self.compat)
            .max_operations(self.max_operations);
        let touches_unique = op.operations.iter().any(|o| match o.path.as_deref() {
            None => true,
            Some(p) => p.parse::<PatchPath>().ok().is_some_and(|p| {
                let a = p.attr();
                schemas
                    .resolve_parts(a.urn(), a.name(), None)
                    .is_some_and(|r| r.attribute.uniqueness() != Uniqueness::None)
            }),
        });
        let outcome = if touches_unique {
            let mut copy = resource.clone();
            let outcome = patcher.apply(op, &mut copy)?;
            if outcome.changed {
                let old = &*resource;
                let mut changed = |(ext, attr): Located<'_>| {
                    let (Value::Object(a), Value::Object(b)) = (old, &copy) else {
                        return true;
                    };
                    lookup(a, ext, attr.name()) != lookup(b, ext, attr.name())
                };
                self.check_unique(&schemas, core, &extensions, &copy, others, &mut changed)?;
                *resource = copy;
            }
            outcome
        } else {
            patcher.apply(op, resource)?
        };
        if outcome.changed {
            self.touch(resource_type, resource, now);
        }
        Ok(outcome)
    }

    /// A `POST`/`PUT` body: an object listing the resource type's core schema in `schemas`,
    /// with the deviations the provider's [`Compat`](crate::Compat) tolerates normalized
    /// ([`Compat::normalize_body`](crate::Compat::normalize_body)), passed through the
    /// profile's checks.
    fn admit(&self, resource_type: &str, body: &Value) -> Result<Value, ScimError> {
        let (core, _) = self.schemas_of(resource_type)?;
        let Value::Object(obj) = body else {
            return Err(ScimError::invalid_syntax("the body must be a JSON object"));
        };
        let lists_core = obj
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("schemas"))
            .and_then(|(_, v)| v.as_array())
            .is_some_and(|l| {
                l.iter().any(|u| {
                    u.as_str()
                        .is_some_and(|u| u.eq_ignore_ascii_case(core.id()))
                })
            });
        if !lists_core {
            return Err(ScimError::invalid_syntax(format!(
                "`schemas` must list `{}` (RFC 7643 §3)",
                core.id()
            )));
        }
        // Entra's string booleans become booleans first, so the profile's checks (which
        // email is primary) read what the IdP meant.
        let mut body = body.clone();
        self.compat
            .normalize_body(&mut body, &self.scoped(resource_type));
        self.check_body_profile(resource_type, body)
    }

    /// Reads `body` onto an empty resource through the PATCH applier (a path-less `add`), which
    /// checks types and writes names as the schemas spell them; top-level readOnly attributes
    /// are dropped first (RFC 7644 §3.3, §3.5.1: ignored), then required ones are checked.
    fn build(
        &self,
        schemas: &SchemaRegistry,
        core: &Schema,
        extensions: &[&Schema],
        body: &Value,
    ) -> Result<Value, ScimError> {
        let mut input = Map::new();
        if let Value::Object(obj) = body {
            for (key, v) in obj {
                let read_only = match extensions.iter().find(|e| e.id().eq_ignore_ascii_case(key)) {
                    Some(ext) => {
                        input.insert(key.clone(), strip_read_only(ext, v));
                        continue;
                    }
                    None => schemas
                        .resolve_parts(Some(core.id()), key, None)
                        .or_else(|| schemas.resolve_parts(None, key, None))
                        .is_some_and(|r| r.attribute.mutability() == Mutability::ReadOnly),
                };
                if !read_only {
                    input.insert(key.clone(), v.clone());
                }
            }
        }
        let mut resource = serde_json::json!({ "schemas": [core.id()] });
        Patcher::new(schemas)
            .compat(self.compat)
            .for_body()
            .apply_owned(
                PatchOp::new(vec![PatchOperation::add_value(input)]),
                &mut resource,
            )
            .map_err(as_body_error)?;
        let Value::Object(obj) = &resource else {
            return Err(ScimError::with_status(500, "resource is not an object"));
        };
        for (ext, attr) in Self::attributes_of(core, extensions) {
            // `"userName": ""` is no user name: a required value must be a present one in
            // the sense of RFC 7644's `pr` (non-empty).
            let present = lookup(obj, ext, attr.name()).is_some_and(|v| !is_unassigned(v));
            let ext_present = ext.is_none_or(|e| obj.contains_key(e.id()));
            if attr.required() && !present && ext_present {
                return Err(ScimError::invalid_value(format!(
                    "`{}` is required",
                    whole_name(ext, attr)
                )));
            }
        }
        Ok(resource)
    }

    /// `409 uniqueness` when a resource of `others` (other than `candidate` itself, by `id`)
    /// holds the value `candidate` has for an attribute with `uniqueness` `server` or `global`,
    /// compared as the schema says (`userName` ignores case). Only attributes `consider` accepts
    /// are checked.
    fn check_unique<'a, I>(
        &self,
        schemas: &SchemaRegistry,
        core: &Schema,
        extensions: &[&Schema],
        candidate: &Value,
        others: I,
        consider: &mut dyn FnMut(Located<'_>) -> bool,
    ) -> Result<(), ScimError>
    where
        I: IntoIterator<Item = &'a Value>,
    {
        let Value::Object(obj) = candidate else {
            return Ok(());
        };
        let mut filters = Vec::new();
        for (ext, attr) in Self::attributes_of(core, extensions) {
            if attr.uniqueness() == Uniqueness::None || attr.name().eq_ignore_ascii_case("id") {
                continue;
            }
            let value = match lookup(obj, ext, attr.name()) {
                Some(Value::String(s)) => CompValue::String(s.clone()),
                Some(Value::Number(n)) => CompValue::Number(n.clone()),
                Some(Value::Bool(b)) => CompValue::Bool(*b),
                _ => continue,
            };
            if !consider((ext, attr)) {
                continue;
            }
            let path = AttrPath::from_parts(ext.map(Schema::id), attr.name(), None)
                .map_err(ScimError::from)?;
            filters.push((attr.name(), Filter::Compare(path, CompareOp::Eq, value)));
        }
        if filters.is_empty() {
            return Ok(());
        }
        let id = obj.get("id");
        for other in others {
            if id.is_some() && other.get("id") == id {
                continue;
            }
            for (name, f) in &filters {
                if f.matches(other, schemas)? {
                    return Err(ScimError::uniqueness(format!(
                        "another resource already has this `{name}`"
                    )));
                }
            }
        }
        Ok(())
    }

    /// The schemas as `resource_type` sees them ([`SchemaRegistry::scoped`]): an attribute of
    /// another resource type is unknown. An undeclared type sees every schema.
    pub(super) fn scoped(&self, resource_type: &str) -> Cow<'_, SchemaRegistry> {
        self.schemas
            .scoped(resource_type)
            .map_or(Cow::Borrowed(&self.schemas), Cow::Owned)
    }

    /// `{base}/{endpoint}/{id}`.
    pub(super) fn location(&self, resource_type: &str, id: &str) -> String {
        format!("{}/{}/{id}", self.base_url, Self::endpoint(resource_type))
    }
}

/// Operations whose `path` is an extension's URN (`"path":
/// "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"`, which scim2-tester and some
/// IdPs send), rewritten as the equivalent path-less operation on `{urn: value}`; a `remove`
/// becomes a path-less `replace` with `null`, which unassigns the extension (RFC 7643 §2.5).
fn extension_paths<'o>(op: &'o PatchOp, extensions: &[&Schema]) -> Cow<'o, PatchOp> {
    let urn_of = |o: &PatchOperation| {
        let p = o.path.as_deref()?.trim();
        extensions
            .iter()
            .find(|e| e.id().eq_ignore_ascii_case(p))
            .map(|e| e.id())
    };
    if !op.operations.iter().any(|o| urn_of(o).is_some()) {
        return Cow::Borrowed(op);
    }
    let mut op = op.clone();
    for o in &mut op.operations {
        if let Some(urn) = urn_of(o) {
            let value = match (o.op, o.value.take()) {
                (Op::Remove, _) | (_, None) => Value::Null,
                // An extension object may carry its own `schemas` (scim2-tester's do); it is
                // not one of the extension's attributes.
                (_, Some(Value::Object(mut m))) => {
                    m.retain(|k, _| !k.eq_ignore_ascii_case("schemas"));
                    Value::Object(m)
                }
                (_, Some(v)) => v,
            };
            let kind = if o.op == Op::Remove {
                Op::Replace
            } else {
                o.op
            };
            let mut v = Map::new();
            v.insert(urn.to_owned(), value);
            *o = PatchOperation::new(kind, None, Some(Value::Object(v)));
        }
    }
    Cow::Owned(op)
}

/// A top-level attribute's name as a client writes it: URN-qualified for an extension's.
fn whole_name(ext: Option<&Schema>, attr: &Attribute) -> String {
    match ext {
        Some(e) => format!("{}:{}", e.id(), attr.name()),
        None => attr.name().to_owned(),
    }
}

/// The value of a top-level attribute, core (`ext` = `None`) or under its extension's object.
fn lookup<'v>(obj: &'v Map<String, Value>, ext: Option<&Schema>, name: &str) -> Option<&'v Value> {
    let holder = match ext {
        None => obj,
        Some(e) => obj.get(e.id())?.as_object()?,
    };
    holder.get(name)
}

/// Sets a top-level attribute, creating the extension object when needed.
fn put(obj: &mut Map<String, Value>, ext: Option<&Schema>, name: &str, v: Value) {
    let holder = match ext {
        None => obj,
        Some(e) => match obj
            .entry(e.id().to_owned())
            .or_insert_with(|| Value::Object(Map::new()))
        {
            Value::Object(m) => m,
            _ => return,
        },
    };
    holder.insert(name.to_owned(), v);
}

/// An extension object without its readOnly attributes.
fn strip_read_only(ext: &Schema, v: &Value) -> Value {
    match v {
        Value::Object(obj) => Value::Object(
            obj.iter()
                .filter(|(k, _)| {
                    ext.attribute(k)
                        .is_none_or(|a| a.mutability() != Mutability::ReadOnly)
                })
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A PATCH applier's error, reworded for a request body: no `Operations[0]` prefix, and an
/// unknown attribute is an invalid value rather than an invalid path.
fn as_body_error(mut e: ScimError) -> ScimError {
    if let Some(d) = e.detail.take() {
        let d = d
            .strip_prefix("Operations[0]: ")
            .map_or(d.clone(), str::to_owned);
        e.detail = Some(d);
    }
    if e.scim_type == Some(ScimType::InvalidPath) || e.scim_type == Some(ScimType::NoTarget) {
        e.scim_type = Some(ScimType::InvalidValue);
    }
    e
}
