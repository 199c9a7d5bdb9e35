//! A SCIM 2.0 service provider (RFC 7643/7644) on a real database, built on the
//! [`scimkit`] core: an axum [`router`] over a [`Store`], with [`SqlStore`] on SQLite
//! (embedded, the default) or PostgreSQL, many tenants, hashed bearer tokens, and the core's
//! exact filter, PATCH and uniqueness semantics pushed into SQL.
//!
//! ```no_run
//! use std::sync::Arc;
//! use scimkit_server::{
//!     ServeOptions, Service, SqlStore, Store, TenantRecord, issue_token, router, serve,
//! };
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let store = SqlStore::open("scim.db").await?;
//! store.create_tenant(&TenantRecord {
//!     id: "acme".into(), name: "Acme".into(), profile: "rfc".into(),
//!     compat: "strict".into(), accept_passwords: false,
//! }).await?;
//! let (token, record) = issue_token("acme", "provisioning")?;
//! store.add_token(&record).await?;
//! println!("Authorization: Bearer {token}");
//!
//! let service = Arc::new(Service::new(store, "http://127.0.0.1:8080"));
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! // Users at http://127.0.0.1:8080/acme/scim/v2/Users. `serve` closes connections that do
//! // not send their headers in time (`axum::serve` works too, without that timeout).
//! let stop = async { let _ = tokio::signal::ctrl_c().await; };
//! serve(listener, router(service), stop, ServeOptions::default()).await?;
//! # Ok(()) }
//! ```
//!
//! # What a request costs
//!
//! Every request runs in one transaction. A list or filter is one indexed query
//! ([`scimkit::sql`]); uniqueness is a primary key (`scim_unique`), so of 16 concurrent
//! creates of one `userName` in different cases exactly one commits; group members are rows,
//! and a PATCH that adds members, or removes them by `value`, reads and writes only those
//! rows. PATCH and PUT read the resource locked (PostgreSQL `FOR UPDATE`, SQLite's single
//! writer), so concurrent writers lose no update, and `If-Match` is checked inside the same
//! transaction.
//!
//! # Testing clients
//!
//! A tenant of the `identity-center` profile answers as AWS IAM Identity Center's SCIM
//! endpoint does (cursor pages of at most 100, groups without members, membership through
//! `members eq` filters, PatchGroup's limits and `204`, its error bodies), and
//! [`Service::with_faults`] injects [`Faults`]: throttling and a rate limit (`429` with
//! `Retry-After`), `5xx` answers and dropped connections, before or after a write committed.
//!
//! # Durability
//!
//! SQLite runs in WAL mode with `synchronous = FULL`: a write is acknowledged only after its
//! commit reached the disk. PostgreSQL commits with its defaults (`synchronous_commit = on`).
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

mod cursor;
mod faults;
mod http;
mod password;
mod serve;
mod store;
mod tenant;

pub use faults::{FaultCounts, Faults, FaultsError};
pub use http::{Failure, Limits, Reply, Service, router};
pub use serve::{ServeOptions, serve};
pub use store::{Listed, Modified, SqlStore, Store, TenantRecord, TokenRecord, Touch};
pub use tenant::{Tenant, Tenants, base_url, hash_token, issue_token, valid_tenant_id};
