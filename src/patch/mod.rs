//! PATCH (RFC 7644 §3.5.2): an atomic, schema-aware applier.
//!
//! [`Patcher`] applies the operations of a PATCH request to a resource held as a
//! `serde_json::Value`, in order, with the semantics of RFC 7644 §3.5.2.1–3 driven by the
//! [`SchemaRegistry`]: attribute names are case-insensitive (RFC 7643 §2.1) — an attribute the
//! resource already holds is changed under the key it has (`Name.GivenName` stays spelled so,
//! never duplicated), and one the request creates gets the schema's spelling — values are
//! checked against the attribute's type, mutability is enforced, and at most one value of a
//! multi-valued attribute stays `primary`.
//!
//! # Atomicity
//!
//! A request either applies completely or leaves the resource byte-identical. The applier
//! edits in place and logs the inverse of every edit (the previous value of a key, the length
//! of an array before an append, the elements taken out of an array); on the first failing
//! operation it replays the log backwards. Removed keys go back at their position, so the
//! bytes are the same also when serde_json's `preserve_order` feature (which any crate of an
//! application may enable) makes objects keep insertion order. Nothing is copied up front, so renaming a group of
//! 100,000 members touches one string, and a failing request costs what it touched.
//!
//! # Policy for what the RFC leaves open
//!
//! | Case | Behaviour | Why |
//! |---|---|---|
//! | `add`/`replace` whose valuePath filter matches no value | `400 noTarget` (or a new value, under [`Compat::create_on_missing_value_path`]) | RFC 7644 §3.5.2.3 requires `noTarget` for `replace`; §3.12 Table 9 defines `noTarget` as a filter that "yields no match". §3.5.2.1 is silent for `add`; erratum 8097, which asks for creation, is held without corrected text. |
//! | `remove` whose target is absent or whose filter matches nothing | success, no change | §3.5.2.2 defines no failure for it, and the state the client asks for holds; IdPs retry removals and must not fail on the retry. |
//! | `replace` of an absent attribute | acts as `add` | §3.5.2.3: "the service provider SHALL treat the operation as an add". |
//! | `add` of a value already present | success, no change ([`PatchOutcome::changed`] stays false) | §3.5.2.1: "no changes SHOULD be made to the resource". Values of a multi-valued attribute are the same when their `value` sub-attribute is (compared as the schema's `caseExact` says), or, without one, when they are equal. |
//! | `replace` on a complex attribute or on valuePath-selected values | sub-attributes named in the value are replaced, the others kept | §3.5.2.3 "Sub-attributes that are not specified in the value parameter are left unchanged". |
//! | a single value sent for a multi-valued attribute | read as a one-element list | Clients send `{"value": …}` where `[{"value": …}]` is meant; nothing else could be meant. |
//! | `null` or `[]` for an attribute | unassigns it on `replace`, adds nothing on `add` | RFC 7643 §2.5: null and the empty array are "unassigned". |
//! | `replace` at a path with `"value": null` | unassigns the target as `remove` would, with its mutability and required checks; a value filter matching nothing is `noTarget` as for any `replace` | RFC 7643 §2.5. `add` with `null` stays `invalidValue`: §3.5.2.1 requires a value to add. |
//! | a URN in `schemas` that is neither the resource type's schema nor a declared extension | `400 invalidValue` naming it (dropped under [`Compat::drop_undeclared_schemas`]); an object under such a URN is refused in every mode | RFC 7643 §3, §6: `schemas` names the schemas of the attributes present, and a resource type declares its extensions. |
//! | readOnly sub-attributes inside a value (`manager.displayName`) | ignored | RFC 7644 §3.5.1 ignores readOnly input; clients echo what the server returned. A path naming a readOnly attribute is `mutability` unless the value is unchanged (Okta sends the group's own `id`). |
//! | `remove` with a `value` | `400 invalidValue` (or removes the listed values, under [`Compat::remove_with_value`]) | §3.5.2.2 defines no `value`; ignoring it would remove every member. |
//! | setting `primary: true` | the other values' `primary` becomes `false`; two primaries in one value is `invalidValue` | RFC 7643 §2.4: "MUST appear no more than once". |
//! | a path naming an attribute no schema of the resource defines | `400 invalidPath` | §3.12 Table 9. Names resolve in the resource type whose core schema the resource's `schemas` lists (its core schema and declared extensions: `userName` on a Group is unknown), or in the registry's [scope](SchemaRegistry::scoped); a resource whose `schemas` the registry does not know takes the RFC 7643 §2.2 defaults instead. |
//! | more than [`Patcher::max_operations`] operations | `400 invalidValue` | Table 9's `tooMany` is about filter results; an over-long request is a value the server will not accept. |
//!
//! # Errors
//!
//! | Condition | Status and `scimType` |
//! |---|---|
//! | malformed path, unknown attribute | 400 `invalidPath` |
//! | `remove` without `path` | 400 `noTarget` |
//! | `replace` (or `add`) filter matching nothing | 400 `noTarget` |
//! | `add` without `value`, `replace` without one (or with `null` and no `path`), a value of the wrong type, an undeclared URN in `schemas`, empty `Operations` | 400 `invalidValue` |
//! | changing a readOnly attribute, or an immutable one that is set; removing a required, readOnly or immutable one | 400 `mutability` |
//!
//! The `detail` names the failing operation's index, and, when a [`Compat`] switch would
//! accept the request, that switch (`… or enable Compat::string_booleans`).

mod ident;
mod ops;
mod select;
mod target;
mod undo;
mod value;

use serde::Serialize;
use serde::de::DeserializeOwned;
use std::borrow::Cow;

use serde_json::Value;

pub(crate) use self::ops::may_list;
use self::ops::{Engine, Kind};
use self::target::Selector;
use crate::compat::Compat;
use crate::error::ScimError;
use crate::model::{Group, PatchOp, User};
use crate::path::{AttrPath, PatchPath};
use crate::schema::SchemaRegistry;

/// The default for [`Patcher::max_operations`].
pub const DEFAULT_MAX_OPERATIONS: usize = 1000;

/// What a successful PATCH did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct PatchOutcome {
    /// Whether the resource changed. A service bumps `meta.version` and `meta.lastModified`
    /// only then (RFC 7644 §3.5.2.1: an `add` of a present value "SHALL NOT change the modify
    /// timestamp").
    pub changed: bool,
}

/// Applies PATCH requests: the schemas, the IdP compatibility switches and the limits.
#[derive(Debug, Clone, Copy)]
#[must_use]
pub struct Patcher<'s> {
    schemas: &'s SchemaRegistry,
    compat: Compat,
    max_operations: usize,
    body: bool,
}

impl<'s> Patcher<'s> {
    /// A patcher with strict RFC behaviour and the default limits.
    pub fn new(schemas: &'s SchemaRegistry) -> Self {
        Self {
            schemas,
            compat: Compat::strict(),
            max_operations: DEFAULT_MAX_OPERATIONS,
            body: false,
        }
    }

    /// Reads a `POST`/`PUT` body (as a path-less `add`) rather than a PATCH request: the
    /// PATCH-only switches do not apply and errors do not name them.
    pub(crate) fn for_body(mut self) -> Self {
        self.body = true;
        self
    }

    /// Tolerates the IdP deviations `compat` switches on.
    pub fn compat(mut self, compat: Compat) -> Self {
        self.compat = compat;
        self
    }

    /// The most operations one request may hold (default [`DEFAULT_MAX_OPERATIONS`]); more is
    /// `400 invalidValue`.
    pub fn max_operations(mut self, n: usize) -> Self {
        self.max_operations = n;
        self
    }

    /// Applies `op` to `resource`, all or nothing: on error the resource is unchanged.
    ///
    /// ```
    /// use scimkit::{PatchOp, Patcher, SchemaRegistry};
    /// use serde_json::json;
    ///
    /// let schemas = SchemaRegistry::default();
    /// let mut group = json!({
    ///     "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
    ///     "id": "e9e30dba", "displayName": "Tour Guides",
    ///     "members": [{"value": "2819c223", "display": "Babs Jensen"}]
    /// });
    /// let op: PatchOp = serde_json::from_value(json!({
    ///     "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    ///     "Operations": [
    ///         {"op": "Add", "path": "members", "value": [{"value": "2819c223"}]},
    ///         {"op": "remove", "path": "members[value eq \"2819c223\"]"}
    ///     ]
    /// }))?;
    /// let outcome = Patcher::new(&schemas).apply(&op, &mut group)?;
    /// assert!(outcome.changed);
    /// assert!(group.get("members").is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apply(&self, op: &PatchOp, resource: &mut Value) -> Result<PatchOutcome, ScimError> {
        self.run(
            resource,
            op.operations.iter().map(|o| {
                let (path, value) = (o.path.as_deref(), o.value.as_ref());
                (
                    o.op.into(),
                    path.map(Cow::Borrowed),
                    value.map(Cow::Borrowed),
                )
            }),
        )
    }

    /// [`apply`](Self::apply), taking the request by value: its values move into the resource
    /// instead of being copied. A server that has just read the request body has it to give;
    /// on a large `add` (a hundred members) the copies are most of the work.
    ///
    /// ```
    /// use scimkit::{PatchOp, Patcher, SchemaRegistry};
    /// use serde_json::json;
    ///
    /// let body = r#"{
    ///     "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    ///     "Operations": [{"op": "add", "path": "members", "value": [
    ///         {"value": "2819c223-7f76-453a-919d-413861904646"},
    ///         {"value": "902c246b-6245-4190-8e05-00816be7344a"}
    ///     ]}]
    /// }"#;
    /// let op: PatchOp = serde_json::from_str(body)?;
    /// let mut group = json!({"displayName": "Tour Guides", "members": [
    ///     {"value": "2819C223-7F76-453A-919D-413861904646"}
    /// ]});
    /// let schemas = SchemaRegistry::default();
    /// Patcher::new(&schemas).apply_owned(op, &mut group)?;
    /// // `members.value` is not caseExact: the first is already there.
    /// assert_eq!(group["members"].as_array().map(Vec::len), Some(2));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apply_owned(
        &self,
        op: PatchOp,
        resource: &mut Value,
    ) -> Result<PatchOutcome, ScimError> {
        self.run(
            resource,
            op.operations
                .into_iter()
                .map(|o| (o.op.into(), o.path.map(Cow::Owned), o.value.map(Cow::Owned))),
        )
    }

    /// [`apply`](Self::apply) to a typed [`User`]; a result that is no longer a valid User is
    /// `400 invalidValue`, and the user is then unchanged.
    pub fn apply_to_user(&self, op: &PatchOp, user: &mut User) -> Result<PatchOutcome, ScimError> {
        self.apply_typed(op, user)
    }

    /// [`apply`](Self::apply) to a typed [`Group`]; a result that is no longer a valid Group
    /// is `400 invalidValue`, and the group is then unchanged.
    pub fn apply_to_group(
        &self,
        op: &PatchOp,
        group: &mut Group,
    ) -> Result<PatchOutcome, ScimError> {
        self.apply_typed(op, group)
    }

    fn apply_typed<T: Serialize + DeserializeOwned>(
        &self,
        op: &PatchOp,
        typed: &mut T,
    ) -> Result<PatchOutcome, ScimError> {
        let mut v = serde_json::to_value(&*typed)?;
        let outcome = self.apply(op, &mut v)?;
        if outcome.changed {
            *typed = serde_json::from_value(v).map_err(|e| {
                ScimError::invalid_value(format!("the patched resource is not valid: {e}"))
            })?;
        }
        Ok(outcome)
    }

    /// Applies operations given as (kind, path, value), all or nothing.
    pub(crate) fn run<'o, I>(&self, resource: &mut Value, ops: I) -> Result<PatchOutcome, ScimError>
    where
        I: ExactSizeIterator<Item = (Kind, Option<Cow<'o, str>>, Option<Cow<'o, Value>>)>,
    {
        let n = ops.len();
        if n == 0 && !self.compat.empty_operations {
            return Err(ScimError::invalid_value(
                "`Operations` must hold at least one operation (RFC 7644 §3.5.2), or enable \
                 Compat::empty_operations",
            ));
        }
        if n > self.max_operations {
            return Err(ScimError::invalid_value(format!(
                "{n} operations exceed this server's limit of {}",
                self.max_operations
            )));
        }
        let mut engine = Engine::new(resource, self.schemas, self.compat)?;
        engine.body = self.body;
        for (i, (kind, path, value)) in ops.enumerate() {
            let done = match path {
                None => engine.apply(kind, None, value),
                Some(p) => p
                    .parse::<PatchPath>()
                    .map_err(ScimError::from)
                    .and_then(|p| {
                        let filter = p.value_filter().map(|f| f as &dyn Selector);
                        let t = engine.resolver.resolve_path(&p, filter)?;
                        engine
                            .apply(kind, Some(&t), value)
                            .map_err(|e| whole_path(e, p.attr()))
                    }),
            };
            if let Err(e) = done {
                engine.rollback_to(0);
                return Err(at_operation(e, i));
            }
        }
        Ok(PatchOutcome {
            changed: !engine.log.is_empty(),
        })
    }
}

impl PatchOp {
    /// Applies this request to `resource` with strict RFC 7644 semantics, all or nothing
    /// (see the [module docs](crate::patch) for the rules and errors).
    ///
    /// ```
    /// use scimkit::{PatchOp, PatchOperation, SchemaRegistry};
    /// use serde_json::json;
    ///
    /// let mut user = json!({
    ///     "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
    ///     "userName": "bjensen",
    ///     "emails": [{"value": "bjensen@example.com", "type": "work"}]
    /// });
    /// let op = PatchOp::new(vec![
    ///     PatchOperation::replace(r#"emails[type eq "work"].value"#, "babs@example.com"),
    ///     PatchOperation::replace("active", false),
    /// ]);
    /// op.apply(&mut user, &SchemaRegistry::default())?;
    /// assert_eq!(user["emails"][0]["value"], "babs@example.com");
    /// assert_eq!(user["active"], false);
    ///
    /// // A failing request changes nothing.
    /// let bad = PatchOp::new(vec![
    ///     PatchOperation::replace("displayName", "Babs"),
    ///     PatchOperation::remove("userName"), // required: 400 mutability
    /// ]);
    /// let err = bad.apply(&mut user, &SchemaRegistry::default()).unwrap_err();
    /// assert_eq!(err.status, 400);
    /// assert!(user.get("displayName").is_none());
    /// # Ok::<(), scimkit::ScimError>(())
    /// ```
    pub fn apply(&self, resource: &mut Value, schemas: &SchemaRegistry) -> Result<(), ScimError> {
        Patcher::new(schemas).apply(self, resource).map(drop)
    }

    /// [`apply`](Self::apply), tolerating the IdP deviations `compat` switches on.
    ///
    /// ```
    /// use scimkit::{Compat, PatchOp, SchemaRegistry};
    /// use serde_json::json;
    ///
    /// // Microsoft Entra ID: capitalised op, boolean as a string.
    /// let op: PatchOp = serde_json::from_str(r#"{
    ///     "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    ///     "Operations": [{"op": "Replace", "path": "active", "value": "False"}]
    /// }"#)?;
    /// let mut user = json!({"userName": "bjensen", "active": true});
    /// let schemas = SchemaRegistry::default();
    /// assert!(op.apply(&mut user, &schemas).is_err());
    /// op.apply_with(&mut user, &schemas, &Compat::entra())?;
    /// assert_eq!(user["active"], false);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apply_with(
        &self,
        resource: &mut Value,
        schemas: &SchemaRegistry,
        compat: &Compat,
    ) -> Result<(), ScimError> {
        Patcher::new(schemas)
            .compat(*compat)
            .apply(self, resource)
            .map(drop)
    }

    /// Applies this request to a typed [`User`] (see [`Patcher::apply_to_user`]).
    pub fn apply_to_user(
        &self,
        user: &mut User,
        schemas: &SchemaRegistry,
    ) -> Result<PatchOutcome, ScimError> {
        Patcher::new(schemas).apply_to_user(self, user)
    }

    /// Applies this request to a typed [`Group`] (see [`Patcher::apply_to_group`]).
    pub fn apply_to_group(
        &self,
        group: &mut Group,
        schemas: &SchemaRegistry,
    ) -> Result<PatchOutcome, ScimError> {
        Patcher::new(schemas).apply_to_group(self, group)
    }
}

/// Prefixes the detail with the index of the failing operation.
/// A detail naming the leaf of `path` (`` `created` `` for `meta.created`, `` `value` `` for
/// `emails[type eq "work"].value`) rewritten to name the whole attribute path.
fn whole_path(e: ScimError, path: &AttrPath) -> ScimError {
    let (urn, name, sub) = (path.urn(), path.name(), path.sub_attribute());
    if urn.is_none() && sub.is_none() {
        return e;
    }
    let mut whole = urn.map_or_else(String::new, |u| format!("{u}:"));
    whole.push_str(name);
    if let Some(sub) = sub {
        whole.push('.');
        whole.push_str(sub);
    }
    value::within(e, sub.unwrap_or(name), &whole)
}

fn at_operation(mut e: ScimError, i: usize) -> ScimError {
    e.detail = Some(match e.detail.take() {
        Some(d) => format!("Operations[{i}]: {d}"),
        None => format!("Operations[{i}] failed"),
    });
    e
}

#[cfg(test)]
mod tests;
