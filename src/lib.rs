//! # scimkit
//!
//! A correct, fast and safe core for identity provisioning: SCIM 2.0 resources
//! ([RFC 7643](https://www.rfc-editor.org/rfc/rfc7643)), the SCIM protocol's messages, filters
//! and PATCH ([RFC 7644](https://www.rfc-editor.org/rfc/rfc7644)), and the SAML attributes that
//! carry session tags into AWS.
//!
//! Everything here is a pure function over plain data: no I/O, no global mutable state. A SCIM
//! service provider, an IdP-side connector or a SAML broker embeds the parts it needs.
//!
//! ## Errors
//!
//! Every failure converts into [`ScimError`], the RFC 7644 §3.12 error response, with the HTTP
//! status and `scimType` a service should answer with.
//!
//! ## SAML session tags
//!
//! With the `saml` feature (on by default), [`AttributeStatementBuilder`] writes the SAML
//! attributes that AWS turns into session tags, enforcing AWS's rules, and [`StatementReader`]
//! reads them back out of an IdP's XML; see the [`saml`] module.
//!
//! ```
//! # #[cfg(feature = "saml")] {
//! let statement = scimkit::AttributeStatementBuilder::new()
//!     .access_control("CostCenter", "blue")
//!     .build()?;
//! assert!(statement.to_xml_string().contains("AccessControl:CostCenter"));
//! # }
//! # Ok::<(), scimkit::ScimError>(())
//! ```
//!
//! ## IdP compatibility
//!
//! Strict RFC behaviour is the default. Known deviations of real identity providers (Microsoft
//! Entra ID, Okta, JumpCloud) are accepted only when a [`Compat`] switch says so.
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod compat;
pub mod error;
pub mod filter;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
pub mod model;
pub mod patch;
pub mod path;
pub mod query;
#[cfg(feature = "saml")]
#[cfg_attr(docsrs, doc(cfg(feature = "saml")))]
pub mod saml;
pub mod schema;

pub use compat::Compat;
pub use error::{ScimError, ScimType, Span};
pub use filter::{CompValue, CompareOp, Filter, FilterError, FilterParser};
pub use model::{
    EnterpriseUser, ErrorResponse, Group, ListResponse, Meta, Op, PatchOp, PatchOperation,
    SearchRequest, User,
};
pub use patch::{PatchOutcome, Patcher};
pub use path::{AttrPath, PatchPath, PathError};
pub use query::{Projection, Query, SortBy, SortOrder};
#[cfg(feature = "saml")]
pub use saml::{
    AttributeStatement, AttributeStatementBuilder, SamlError, SessionTag, StatementReader,
    TagError, TagKey, TagValue,
};
pub use schema::SchemaRegistry;

/// The README's examples, compiled and run as doctests (they use the default `saml` feature).
#[cfg(all(doctest, feature = "saml"))]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
