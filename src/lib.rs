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
//! ## Quick start
//!
//! A JumpCloud-style user arrives with attribute names in any case; a filter selects it, an
//! Entra-style PATCH changes it, and the change is all or nothing.
//!
//! ```
//! use scimkit::{Compat, Filter, PatchOp, SchemaRegistry, User};
//! use serde_json::json;
//!
//! let schemas = SchemaRegistry::default();
//! let mut user = json!({
//!     "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
//!     "UserName": "jane@example.com",
//!     "name": {"givenName": "Jane", "familyName": "Doe"},
//!     "emails": [{"value": "jane@example.com", "type": "work", "primary": true}],
//!     "active": true
//! });
//!
//! // Filters: names and operators ignore case; the schema says how values compare.
//! let filter: Filter = r#"userName EQ "JANE@example.com" and emails[type eq "work"]"#.parse()?;
//! assert!(filter.matches(&user, &schemas)?);
//!
//! // PATCH: Entra ID sends `"Replace"` and a string boolean; `Compat::entra()` accepts both.
//! let patch: PatchOp = serde_json::from_value(json!({
//!     "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
//!     "Operations": [{"op": "Replace", "path": "active", "value": "False"}]
//! }))?;
//! patch.apply_with(&mut user, &schemas, &Compat::entra())?;
//! assert_eq!(user["active"], json!(false));
//!
//! // The strict default refuses the string boolean and leaves the user untouched.
//! let before = user.clone();
//! let err = patch.apply(&mut user, &schemas).unwrap_err();
//! assert_eq!((err.status, err.scim_type.map(|t| t.as_str())), (400, Some("invalidValue")));
//! assert_eq!(user, before);
//!
//! // Typed models read the same JSON, names in any case.
//! let typed = User::from_value(user)?;
//! assert_eq!(typed.user_name, "jane@example.com");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## The parts
//!
//! - **Models and schemas** — [`model`]: [`User`], [`Group`], [`EnterpriseUser`] and the
//!   protocol messages ([`ListResponse`], [`SearchRequest`], [`PatchOp`], bulk, discovery);
//!   [`schema`]: attribute characteristics and the [`SchemaRegistry`] that drives
//!   case-insensitive names, comparisons and mutability everywhere else.
//! - **Filters** — [`filter`] and [`path`]: the RFC 7644 §3.4.2.2 grammar, PATCH paths,
//!   canonical printing, and [`Filter::matches`] over JSON resources.
//! - **PATCH** — [`patch`]: RFC 7644 §3.5.2 `add`/`remove`/`replace`, schema-aware and atomic
//!   ([`PatchOp::apply`], [`Patcher`]).
//! - **Listing** — [`query`]: filter, `sortBy`, paging and `attributes` projection for a
//!   service provider's list endpoints ([`Query`]).
//! - **Sync planning** — [`diff`] (the PATCH that turns one resource into another) and [`aws`]
//!   (what AWS IAM Identity Center accepts, and plans shaped for it).
//! - **SAML session tags** — [`saml`] (feature `saml`, on by default).
//! - **Service providers** — [`provider`]: the request handling of a SCIM server (discovery
//!   documents, create, PUT, PATCH, list, `meta` and ETags, uniqueness) for a web framework to
//!   wrap ([`Provider`]); the `scimkit-server` crate serves it over a database with axum.
//!
//! ## Errors
//!
//! Every failure converts into [`ScimError`], the RFC 7644 §3.12 error response, with the HTTP
//! status and `scimType` a service should answer with. Parse errors keep their position:
//!
//! ```
//! let err = "userName eq".parse::<scimkit::Filter>().unwrap_err();
//! assert_eq!(err.span().start, 11);
//! let scim: scimkit::ScimError = err.into();
//! assert_eq!(scim.scim_type, Some(scimkit::ScimType::InvalidFilter));
//! ```
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
//! ## Input safety
//!
//! Every input is hostile until checked. The crate does no I/O, so a service bounds the size
//! of request bodies at its HTTP layer; within a body, each parser and applier has explicit
//! bounds. Past one, the input gets a SCIM error, never a panic, a stack overflow, an abort
//! from a recursive drop, or memory out of proportion to the input. Errors quote at most a short
//! excerpt of what they refuse.
//!
//! | Input | Bound (default) | Past it | Cost bound (time; memory) |
//! |---|---|---|---|
//! | filter text | [`filter::DEFAULT_MAX_LEN`] bytes (64 KiB), [`FilterParser::max_len`] | `400 invalidFilter` | parse O(filter); the tree O(filter) |
//! | filter nesting of `(`, `not (`, `[` | [`filter::DEFAULT_MAX_DEPTH`] (64), [`FilterParser::max_depth`] | `400 invalidFilter` | evaluation O(terms × resource): each comparison linear in the values it reads (`co`/`sw`/`ew` included, any folding) plus its literal; O(literal) extra per comparison |
//! | filter attribute expressions | [`filter::DEFAULT_MAX_TERMS`] (1024), [`FilterParser::max_terms`] | `400 invalidFilter` | as above; binding O(filter) once per query |
//! | PATCH `path` | the filter length, depth and term bounds | `400 invalidPath` | as for filters, per element of the targeted attribute |
//! | PATCH operations per request | [`patch::DEFAULT_MAX_OPERATIONS`] (1000), [`Patcher::max_operations`] | `400 invalidValue` | per operation O(resource + operation); atomicity O(what was changed) |
//! | PATCH value nesting | 8 levels of complex values | `400 invalidValue` | O(value) |
//! | JSON nesting, as text or as a built `Value` read by the models | 128 levels | `400 invalidSyntax` | O(body); O(body) |
//! | `attributes` / `excludedAttributes` | the query string or body | `400 invalidPath` | built O(list) (deduplicated, indexed); applied O(resource), whatever the list's length; O(answer) |
//! | `sortBy` | one attribute path | `400 invalidPath` | O(n log n) comparisons, each O(value); O(n) keys (total order, never panics) |
//! | SAML document | [`StatementReader::DEFAULT_MAX_SIZE`] bytes (100,000), [`max_depth`](StatementReader::max_depth) 32, no DTD or entity | [`SamlError`], `400 invalidSyntax` | O(document); O(document) |
//! | session tags | [`saml::tags::MAX_TAGS`] (50), keys of 128 and values of 256 characters | [`SamlError`] | O(tags) |
//!
//! String values are bounded only by the body that carries them; evaluating and applying cost
//! time linear in the input (member lists are matched through hash sets) and trees drop
//! iteratively. The parsers, the PATCH applier, the models and the SAML reader and builder are
//! fuzzed (`fuzz/` in the repository), and every past finding is replayed by the test suite.
//!
//! ```
//! use scimkit::{Filter, FilterParser, ScimError, ScimType};
//!
//! let deep = format!("{}userName pr{}", "(".repeat(65), ")".repeat(65));
//! let err = ScimError::from(deep.parse::<Filter>().unwrap_err());
//! assert_eq!((err.status, err.scim_type), (400, Some(ScimType::InvalidFilter)));
//!
//! // The bounds are per parser: a service may tighten them.
//! let err = FilterParser::new().max_len(16).parse(r#"userName eq "bjensen""#).unwrap_err();
//! assert_eq!(err.scim_type(), ScimType::InvalidFilter);
//! # Ok::<(), ScimError>(())
//! ```
//!
//! ## IdP compatibility
//!
//! Strict RFC behaviour is the default. Known deviations of real identity providers (Microsoft
//! Entra ID, Okta, JumpCloud) are accepted only when a [`Compat`] switch says so, one named
//! switch per deviation, with a preset per provider ([`Compat::entra`], [`Compat::okta`],
//! [`Compat::jumpcloud`]). A strict refusal that a switch would accept names it in its
//! detail (`… or enable Compat::string_booleans`).
//!
//! ## Crate features
//!
//! - `saml` (default): the [`saml`] module, with `quick-xml` and `unicode-normalization`.
//! - `sql`: the `sql` module (no extra dependency): the storage layout, search-index rows and
//!   filter-to-SQL translation for PostgreSQL and SQLite.
//! - `fuzzing` (internal, not a stable API): the checks the fuzz targets and the replay test
//!   share.
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod aws;
pub mod compat;
pub mod diff;
pub mod error;
pub mod filter;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
pub mod model;
pub mod patch;
pub mod path;
pub mod provider;
pub mod query;
#[cfg(feature = "saml")]
#[cfg_attr(docsrs, doc(cfg(feature = "saml")))]
pub mod saml;
pub mod schema;
#[cfg(feature = "sql")]
#[cfg_attr(docsrs, doc(cfg(feature = "sql")))]
pub mod sql;

/// The date-time crate of scimkit's API (`now: chrono::DateTime<chrono::Utc>` in the
/// provider's writes, [`Meta`]'s instants), re-exported so that a service uses the same version.
pub use chrono;
pub use compat::Compat;
pub use error::{ScimError, ScimType, Span};
pub use filter::{BoundFilter, CompValue, CompareOp, Filter, FilterError, FilterParser};
pub use model::{
    EnterpriseUser, ErrorResponse, Group, ListResponse, Meta, Op, PatchOp, PatchOperation,
    SearchRequest, User,
};
pub use patch::{PatchOutcome, Patcher};
pub use path::{AttrPath, PatchPath, PathError};
pub use provider::Provider;
pub use query::{Projection, Query, SortBy, SortOrder};
#[cfg(feature = "saml")]
pub use saml::{
    AccessControlMapping, AttributeStatement, AttributeStatementBuilder, SamlError, SessionTag,
    StatementReader, TagError, TagKey, TagValue,
};
pub use schema::SchemaRegistry;

/// The README's examples, compiled and run as doctests (they use the default `saml` feature).
#[cfg(all(doctest, feature = "saml"))]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
