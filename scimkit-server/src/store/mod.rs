//! Where resources, tenants and tokens live: the [`Store`] trait the router runs on, and
//! [`SqlStore`], its implementation on SQLite and PostgreSQL through the core's layout
//! ([`scimkit::sql`]).
//!
//! A store keeps what the core computes: it never decides SCIM semantics. The router asks the
//! core's [`Provider`](scimkit::provider::Provider) for the resource to write, and the store
//! writes it, its search-index rows, its uniqueness claims and its member rows in one
//! transaction.

mod db;
mod keys;
mod members;
mod resources;
mod schema;
mod tenants;
mod writer;

use std::future::Future;

use scimkit::sql::ListRequest;
use scimkit::{SchemaRegistry, ScimError};
use serde_json::Value;

pub use resources::SqlStore;

/// At most 64 characters of a request value, for an error message.
pub(crate) fn clip(s: &str) -> &str {
    s.char_indices().nth(64).map_or(s, |(i, _)| &s[..i])
}

/// `404`: no resource `id` of `rtype`.
pub(crate) fn not_found(rtype: &str, id: &str) -> ScimError {
    ScimError::not_found(format!("{rtype} {} not found", clip(id)))
}

/// Which members of a group a modification reads: a PATCH that only adds members, or removes
/// members named by value, needs only those (so its cost follows the change, not the group);
/// anything else reads them all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Touch {
    /// Every member.
    All,
    /// The members whose `value` folds to one of these (`members.value` ignores case).
    Values(Vec<String>),
}

/// The result of a modification closure: whether it changed the resource, and a value for
/// the caller.
#[derive(Debug)]
pub struct Modified<T> {
    /// `false` leaves the stored resource and its version as they were.
    pub changed: bool,
    /// The password hash to keep, if the change sets one (never the cleartext).
    pub password_hash: Option<String>,
    /// Handed back to the caller.
    pub value: T,
}

/// A tenant as stored: one SCIM endpoint with its own base path, tokens and resources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantRecord {
    /// The tenant's id: its path segment (`/{id}/scim/v2`) and the `tenant` column.
    pub id: String,
    /// A name for people.
    pub name: String,
    /// `rfc` or `identity-center`.
    pub profile: String,
    /// The `Compat` preset (`strict`, `entra`, `okta`, `jumpcloud`, `lenient`).
    pub compat: String,
    /// Whether `password` is accepted (hashed with argon2) or refused.
    pub accept_passwords: bool,
}

/// A bearer token as stored: its id and the SHA-256 of its secret, never the secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRecord {
    /// The public part of the token, which finds the row.
    pub id: String,
    /// The tenant it opens.
    pub tenant: String,
    /// SHA-256 of the whole token, hex.
    pub hash: String,
    /// When it was issued (RFC 3339).
    pub created: String,
    /// A note for people (`"created at first start"`).
    pub label: String,
}

/// One page of a list: `totalResults` and the resources (a Group's `members` and a User's
/// `groups` filled from the member rows).
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    /// Every match.
    pub total: u64,
    /// The page, in order.
    pub resources: Vec<Value>,
}

/// What the router needs from a database. Every method is one transaction; an error leaves
/// the store as it was.
///
/// Resources are stored whole; a Group without `members` (they are rows) and a User without
/// `groups` (read from the same rows, in the other direction).
pub trait Store: Send + Sync + 'static {
    /// The resource `id` of `resource_type` in `tenant`, with `members`/`groups` filled.
    fn get(
        &self,
        tenant: &str,
        resource_type: &str,
        id: &str,
    ) -> impl Future<Output = Result<Option<Value>, ScimError>> + Send;

    /// The page a translated list request selects. `members` says whether a Group's members
    /// are needed in the answer (a projection may leave them out).
    fn list(
        &self,
        request: &ListRequest<'_>,
        schemas: &SchemaRegistry,
        members: bool,
    ) -> impl Future<Output = Result<Listed, ScimError>> + Send;

    /// Stores a new resource (with `id`, as the core created it). Its uniqueness claims are
    /// computed from `schemas`: one already held is `409 uniqueness`; a member that names no
    /// resource of the tenant is `400 invalidValue`.
    fn insert(
        &self,
        tenant: &str,
        resource_type: &str,
        resource: &Value,
        schemas: &SchemaRegistry,
        password_hash: Option<String>,
    ) -> impl Future<Output = Result<(), ScimError>> + Send;

    /// Reads the resource (with the members `touch` names), lets `change` modify it, and
    /// writes the result, member rows by difference, in one transaction that no other writer
    /// of the resource interleaves with (so concurrent PATCHes lose no update). `404` if it
    /// does not exist; `change`'s error aborts the transaction. The resource comes back as
    /// written, a Group with every member when `members` (else without them: a PATCH answered
    /// `204`, or projected without `members`, costs the change, not the group).
    #[allow(clippy::too_many_arguments)] // one transaction's inputs; a struct would only rename them
    fn modify<T, F>(
        &self,
        tenant: &str,
        resource_type: &str,
        id: &str,
        touch: Touch,
        schemas: &SchemaRegistry,
        members: bool,
        change: F,
    ) -> impl Future<Output = Result<(Value, T), ScimError>> + Send
    where
        T: Send,
        F: FnOnce(&mut Value) -> Result<Modified<T>, ScimError> + Send;

    /// Deletes the resource and every membership naming it; `check` sees it first (for
    /// `If-Match`). `404` if it does not exist. Each Group that listed it as a member is passed
    /// to `touch` (which gives it a new `meta.version`, as
    /// [`Provider::touch`](scimkit::provider::Provider::touch) does) and stored again: it
    /// changed, so an `If-Match` naming its old version must fail.
    fn remove<F, R>(
        &self,
        tenant: &str,
        resource_type: &str,
        id: &str,
        schemas: &SchemaRegistry,
        check: F,
        touch: R,
    ) -> impl Future<Output = Result<(), ScimError>> + Send
    where
        F: FnOnce(&Value) -> Result<(), ScimError> + Send,
        R: FnMut(&mut Value) + Send;

    /// Every tenant.
    fn tenants(&self) -> impl Future<Output = Result<Vec<TenantRecord>, ScimError>> + Send;

    /// Adds a tenant; an id in use is `409 uniqueness`.
    fn create_tenant(
        &self,
        tenant: &TenantRecord,
    ) -> impl Future<Output = Result<(), ScimError>> + Send;

    /// Stores a token record.
    fn add_token(&self, token: &TokenRecord) -> impl Future<Output = Result<(), ScimError>> + Send;

    /// The token record with this id.
    fn token(
        &self,
        id: &str,
    ) -> impl Future<Output = Result<Option<TokenRecord>, ScimError>> + Send;

    /// A tenant's tokens.
    fn tokens(
        &self,
        tenant: &str,
    ) -> impl Future<Output = Result<Vec<TokenRecord>, ScimError>> + Send;

    /// Revokes a token; `false` if there was none.
    fn revoke_token(&self, id: &str) -> impl Future<Output = Result<bool, ScimError>> + Send;
}
