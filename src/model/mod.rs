//! Typed SCIM resources and protocol messages (RFC 7643, RFC 7644).
//!
//! Resources: [`User`] (with [`EnterpriseUser`]), [`Group`], [`ServiceProviderConfig`],
//! [`ResourceType`] and [`Schema`]. Messages: [`ListResponse`], [`SearchRequest`], [`PatchOp`],
//! [`BulkRequest`], [`BulkResponse`] and [`ErrorResponse`]. [`ResourceKind::of`] tells which
//! of them a JSON document is, from its `schemas`.
//!
//! Every type reads and writes the JSON that real peers exchange: camelCase names, `$ref`,
//! unassigned attributes left out. [`User`], [`Group`] and [`EnterpriseUser`] also read
//! attribute names case-insensitively as the schema spells them (RFC 7643 §2.1), reject objects
//! whose names collide once case is ignored, keep the attributes and extensions they do not
//! model, never write a password, and keep `schemas` consistent with the extensions present.
//!
//! ```
//! use scimkit::{Group, User};
//! use scimkit::model::{Email, Member};
//!
//! let mut user = User::new("bjensen@example.com");
//! user.add_email(Email::new("bjensen@example.com").with_type("work").with_primary(true));
//! user.enterprise_mut().department = Some("Tour Operations".into());
//! user.password = Some("t1meMa$heen".into());
//!
//! let json = user.to_value();
//! assert_eq!(json["schemas"], serde_json::json!([
//!     "urn:ietf:params:scim:schemas:core:2.0:User",
//!     "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
//! ]));
//! assert!(json.get("password").is_none());
//! assert_eq!(User::from_value(json)?.primary_email(), Some("bjensen@example.com"));
//!
//! let mut group = Group::new("Tour Guides");
//! group.add_member(Member::new("2819c223-7f76-453a-919d-413861904646"));
//! assert_eq!(group.member_ids().count(), 1);
//! # Ok::<(), scimkit::ScimError>(())
//! ```

mod bulk;
mod config;
mod enterprise;
mod group;
mod kind;
mod list;
mod meta;
mod multi;
mod patch_op;
mod resource;
mod user;

pub use bulk::{
    BULK_REQUEST_SCHEMA, BULK_RESPONSE_SCHEMA, BulkMethod, BulkOperation, BulkOperationResponse,
    BulkRequest, BulkResponse,
};
pub use config::{
    AuthenticationScheme, BulkConfig, FilterConfig, PaginationConfig, RESOURCE_TYPE_SCHEMA,
    ResourceType, SERVICE_PROVIDER_CONFIG_SCHEMA, SchemaExtension, ServiceProviderConfig,
    Supported,
};
pub use enterprise::{EnterpriseUser, Manager};
pub use group::Group;
pub use kind::ResourceKind;
pub use list::{
    LIST_RESPONSE_SCHEMA, ListResponse, SEARCH_REQUEST_SCHEMA, SearchRequest, SortOrder,
};
pub use meta::Meta;
pub use multi::{
    Email, Entitlement, GroupRef, Im, Member, MultiValue, PhoneNumber, Photo, Role, X509Certificate,
};
pub use patch_op::{Op, PATCH_OP_SCHEMA, PatchOp, PatchOperation, UnknownOp};
pub use user::{Address, Name, Password, User};

pub(crate) use resource::truncate;

pub use crate::error::ERROR_SCHEMA;
pub use crate::schema::Schema;

/// An error response (RFC 7644 §3.12): [`ScimError`](crate::ScimError) already serializes to
/// exactly the SCIM Error JSON and reads it back.
pub type ErrorResponse = crate::ScimError;

/// The keyword among `all` whose text equals `s`, ignoring ASCII case.
fn keyword<T: Copy>(all: &[T], text: impl Fn(T) -> &'static str, s: &str) -> Option<T> {
    all.iter()
        .copied()
        .find(|&k| text(k).eq_ignore_ascii_case(s))
}
