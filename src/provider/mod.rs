//! Building blocks of a SCIM service provider: what a web service embedding scimkit needs
//! between its HTTP layer and its store.
//!
//! [`Provider`] holds the schemas, the service's base URL, the IdP [`Compat`] switches, a
//! [`Profile`] and the limits, and turns requests into answers, as pure functions over
//! `serde_json::Value`s that the service stores however it likes:
//!
//! | Request | Method |
//! |---|---|
//! | `GET /ServiceProviderConfig`, `/ResourceTypes[/{id}]`, `/Schemas[/{id}]` (RFC 7644 §4) | [`service_provider_config`](Provider::service_provider_config), [`resource_types_list`](Provider::resource_types_list), [`resource_type`](Provider::resource_type), [`schemas_list`](Provider::schemas_list), [`schema_document`](Provider::schema_document) |
//! | `GET /Users?filter=…` and `POST /Users/.search` (§3.4.2, §3.4.3) | [`list`](Provider::list) |
//! | `GET /Users/{id}` and the body of every other answer (§3.4.1, §3.9) | [`respond`](Provider::respond) |
//! | `POST /Users` (§3.3) | [`create`](Provider::create) |
//! | `PUT /Users/{id}` (§3.5.1) | [`replace`](Provider::replace) |
//! | `PATCH /Users/{id}` (§3.5.2) | [`patch`](Provider::patch), answered `200` with [`respond`](Provider::respond) or `204` as [`patch_answer`](Provider::patch_answer) says |
//! | a user's readOnly `groups` (RFC 7643 §4.1.2) in `GET`, lists and write answers | [`respond_with`](Provider::respond_with), [`list_with`](Provider::list_with) over a [`Memberships`] index |
//! | `If-Match`, `If-None-Match` (§3.14) | [`check_if_match`], [`is_not_modified`] |
//! | any failure (§3.12) | [`error_body`](Provider::error_body) and [`ScimError::status`] |
//!
//! The cleartext `password` a `POST`, `PUT` or `PATCH` sets never stays in the resource a write
//! returns: [`create_written`](Provider::create_written),
//! [`replace_written`](Provider::replace_written) and [`patch_written`](Provider::patch_written)
//! hand it over separately ([`Written::password`]) for the service to hash, and `create`,
//! `replace` and `patch` drop it.
//!
//! Writes keep `meta` up to date (`created`, `lastModified`, `location`, and a weak `version`
//! that changes on every modification) and enforce the schemas' `required`, `mutability` and
//! `uniqueness` characteristics. The service supplies ids and the clock, keeps the store
//! consistent (a lock around check-and-write), and checks the bearer token.
//!
//! ```
//! use scimkit::provider::Provider;
//! use scimkit::SearchRequest;
//! use serde_json::json;
//!
//! let p = Provider::new("https://example.com/scim/v2");
//! let now = chrono::Utc::now();
//! let mut users = Vec::new();
//! for (id, name) in [("1", "bjensen"), ("2", "jsmith")] {
//!     let body = json!({
//!         "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
//!         "userName": name, "password": "secret"
//!     });
//!     let user = p.create("User", &body, id, now, &users)?;
//!     users.push(user);
//! }
//! let request = SearchRequest::from_query_string("filter=userName+eq+%22BJENSEN%22")?;
//! let page = p.list("User", &request, &users)?;
//! assert_eq!(page.total_results, 1);
//! assert_eq!(page.resources[0]["id"], "1");
//! assert!(page.resources[0].get("password").is_none());
//! # Ok::<(), scimkit::ScimError>(())
//! ```

mod discovery;
mod groups;
mod identity_center;
mod secret;
mod stored;
mod version;
mod write;

use std::borrow::Borrow;

use serde_json::Value;

pub use groups::Memberships;
pub use secret::Written;
pub use version::{check_if_match, is_not_modified, version};

use crate::aws::IdentityCenter;
use crate::compat::Compat;
use crate::error::{ERROR_SCHEMA, ScimError};
use crate::model::{ListResponse, SearchRequest};
use crate::patch::DEFAULT_MAX_OPERATIONS;
use crate::query::{Projection, Query};
use crate::schema::{Schema, SchemaRegistry, Uniqueness};

/// The media type of SCIM messages (RFC 7644 §8.1).
pub const SCIM_MEDIA_TYPE: &str = "application/scim+json";

/// The default for [`Provider::max_results`].
pub const DEFAULT_MAX_RESULTS: usize = 1000;

/// Whose behaviour a provider follows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Profile {
    /// RFC 7643/7644 as written.
    #[default]
    Rfc,
    /// AWS IAM Identity Center's documented SCIM implementation, so that an IdP-side connector
    /// can be tried locally: only the filters it answers (rules 50–52), at most 100 results a
    /// page (rule 54), its checks on users and groups (rules 19–28, 44), its PATCH limits
    /// (rules 38–41, 46–48), groups returned without members (rule 45), no sorting or entity
    /// tags advertised (rule 16), and its error bodies and content type (rules 10, 59).
    IdentityCenter(IdentityCenter),
}

/// What a successful `PATCH` answers. RFC 7644 §3.5.2 allows either: `200 OK` with the
/// resource "subject to the \"attributes\" query parameter", or `204 No Content`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PatchAnswer {
    /// `200 OK` with the resource, projected by the request's `attributes` /
    /// `excludedAttributes` ([`Provider::respond`]).
    Resource,
    /// `204 No Content`: Entra ID expects it for groups (an answer listing every member is
    /// work for nothing), and AWS IAM Identity Center answers PatchGroup so.
    NoContent,
}

/// A SCIM service provider's request logic over a store the embedding service keeps; see the
/// [module docs](self).
#[derive(Debug, Clone)]
pub struct Provider {
    schemas: SchemaRegistry,
    base_url: String,
    compat: Compat,
    profile: Profile,
    max_results: usize,
    max_operations: usize,
    /// [`PatchAnswer`]s set by [`Provider::with_patch_answer`], by resource type.
    patch_answers: Vec<(String, PatchAnswer)>,
    documentation_uri: Option<String>,
    /// The `pagination` block advertised, set by [`Provider::with_pagination`].
    pagination: Option<crate::model::PaginationConfig>,
}

impl Provider {
    /// A provider at `base_url` (`https://example.com/scim/v2`, a trailing `/` is dropped) with
    /// the RFC 7643 schemas and resource types, strict RFC behaviour and the default limits.
    pub fn new(base_url: impl Into<String>) -> Self {
        let mut base_url = base_url.into();
        while base_url.ends_with('/') {
            base_url.pop();
        }
        Self {
            schemas: SchemaRegistry::default(),
            base_url,
            compat: Compat::strict(),
            profile: Profile::Rfc,
            max_results: DEFAULT_MAX_RESULTS,
            max_operations: DEFAULT_MAX_OPERATIONS,
            patch_answers: Vec::new(),
            documentation_uri: None,
            pagination: None,
        }
    }

    /// Serves these schemas and resource types instead of the RFC ones.
    #[must_use]
    pub fn with_schemas(mut self, schemas: SchemaRegistry) -> Self {
        self.schemas = schemas;
        self
    }

    /// Tolerates the IdP deviations `compat` switches on, in filters, PATCH and the bodies of
    /// `POST` and `PUT` ([`Compat::normalize_body`]).
    #[must_use]
    pub fn with_compat(mut self, compat: Compat) -> Self {
        self.compat = compat;
        self
    }

    /// Follows `profile`. [`Profile::IdentityCenter`] also caps pages at 100 results.
    #[must_use]
    pub fn with_profile(mut self, profile: Profile) -> Self {
        if matches!(profile, Profile::IdentityCenter(_)) {
            self.max_results = self.max_results.min(100);
        }
        self.profile = profile;
        self
    }

    /// The most resources a list page returns (RFC 7644 §3.4.2.4), advertised as
    /// `filter.maxResults`.
    #[must_use]
    pub fn with_max_results(mut self, max: usize) -> Self {
        self.max_results = max;
        self
    }

    /// Answers a successful `PATCH` of `resource_type` with `answer`, whatever the compat
    /// switches and profile would choose ([`patch_answer`](Self::patch_answer)).
    #[must_use]
    pub fn with_patch_answer(mut self, resource_type: &str, answer: PatchAnswer) -> Self {
        self.patch_answers
            .retain(|(rt, _)| !rt.eq_ignore_ascii_case(resource_type));
        self.patch_answers.push((resource_type.to_owned(), answer));
        self
    }

    /// What a successful `PATCH` of `resource_type` answers: the choice of
    /// [`with_patch_answer`](Self::with_patch_answer), else [`PatchAnswer::NoContent`] for
    /// groups under [`Profile::IdentityCenter`] or with exactly [`Compat::entra`]'s switches,
    /// else [`PatchAnswer::Resource`] (whose body is [`respond`](Self::respond)'s).
    ///
    /// ```
    /// use scimkit::Compat;
    /// use scimkit::provider::{PatchAnswer, Provider};
    ///
    /// let rfc = Provider::new("https://example.com/scim/v2");
    /// assert_eq!(rfc.patch_answer("Group"), PatchAnswer::Resource);
    /// let entra = rfc.clone().with_compat(Compat::entra());
    /// assert_eq!(entra.patch_answer("Group"), PatchAnswer::NoContent);
    /// assert_eq!(entra.patch_answer("User"), PatchAnswer::Resource);
    /// let mine = entra.with_patch_answer("Group", PatchAnswer::Resource);
    /// assert_eq!(mine.patch_answer("Group"), PatchAnswer::Resource);
    /// ```
    pub fn patch_answer(&self, resource_type: &str) -> PatchAnswer {
        if let Some((_, a)) = self
            .patch_answers
            .iter()
            .find(|(rt, _)| rt.eq_ignore_ascii_case(resource_type))
        {
            return *a;
        }
        let preset =
            matches!(self.profile, Profile::IdentityCenter(_)) || self.compat == Compat::entra();
        if preset && resource_type.eq_ignore_ascii_case("Group") {
            PatchAnswer::NoContent
        } else {
            PatchAnswer::Resource
        }
    }

    /// The service's own documentation, advertised as the `documentationUri` of
    /// `/ServiceProviderConfig` (RFC 7643 §5); without it the document has none.
    #[must_use]
    pub fn with_documentation_uri(mut self, uri: impl Into<String>) -> Self {
        self.documentation_uri = Some(uri.into());
        self
    }

    /// Advertises `pagination` (RFC 9865 §4) in `/ServiceProviderConfig`: a service that pages
    /// by cursor says so, and gives its limits. Without it the document has no such block.
    /// The provider itself pages by index only; cursors are the service's to issue.
    #[must_use]
    pub fn with_pagination(mut self, pagination: crate::model::PaginationConfig) -> Self {
        self.pagination = Some(pagination);
        self
    }

    /// The most operations a PATCH request may hold.
    #[must_use]
    pub fn with_max_operations(mut self, max: usize) -> Self {
        self.max_operations = max;
        self
    }

    /// Sets the `uniqueness` of a top-level attribute of a resource type's core schema, so that
    /// writes enforce it and `/Schemas` says so. A service that refuses two groups with one
    /// name (as Identity Center does, rule 44) sets `("Group", "displayName", Server)`. An
    /// unknown resource type or attribute leaves the schemas unchanged.
    ///
    /// ```
    /// use scimkit::provider::Provider;
    /// use scimkit::schema::Uniqueness;
    /// use serde_json::json;
    ///
    /// let p = Provider::new("https://example.com/scim/v2")
    ///     .with_uniqueness("Group", "displayName", Uniqueness::Server);
    /// let body = json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
    ///                   "displayName": "Admins"});
    /// let now = chrono::Utc::now();
    /// let admins = p.create("Group", &body, "g1", now, [])?;
    /// assert_eq!(p.create("Group", &body, "g2", now, [&admins]).unwrap_err().status, 409);
    /// # Ok::<(), scimkit::ScimError>(())
    /// ```
    #[must_use]
    pub fn with_uniqueness(mut self, resource_type: &str, attribute: &str, u: Uniqueness) -> Self {
        let Some((core, _)) = self.schemas.resource_type(resource_type) else {
            return self;
        };
        let Some(schema) = self.schemas.schema(core) else {
            return self;
        };
        if schema.attribute(attribute).is_none() {
            return self;
        }
        let attributes = schema
            .attributes()
            .iter()
            .map(|a| {
                if a.name().eq_ignore_ascii_case(attribute) {
                    a.clone().with_uniqueness(u)
                } else {
                    a.clone()
                }
            })
            .collect();
        let mut changed = Schema::new(schema.id(), attributes);
        if let Some(n) = schema.name() {
            changed = changed.with_name(n);
        }
        if let Some(d) = schema.description() {
            changed = changed.with_description(d);
        }
        self.schemas.register(changed);
        self
    }

    /// The schemas and resource types.
    pub fn schemas(&self) -> &SchemaRegistry {
        &self.schemas
    }

    /// The base URL, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The IdP compatibility switches.
    pub fn compat(&self) -> &Compat {
        &self.compat
    }

    /// The profile.
    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    /// The most resources a list page returns.
    pub fn max_results(&self) -> usize {
        self.max_results
    }

    /// The endpoint path segment of a resource type: its name plus `s` (`User` → `Users`), as
    /// RFC 7644 §3.2 names the standard ones.
    pub fn endpoint(resource_type: &str) -> String {
        format!("{resource_type}s")
    }

    /// The resource type served at an endpoint path segment (`Users` → `User`), if any.
    ///
    /// ```
    /// let p = scimkit::provider::Provider::new("http://localhost/scim/v2");
    /// assert_eq!(p.resource_type_at("Groups"), Some("Group"));
    /// assert_eq!(p.resource_type_at("Things"), None);
    /// ```
    pub fn resource_type_at(&self, segment: &str) -> Option<&str> {
        self.schemas
            .resource_type_names()
            .find(|n| segment.strip_suffix('s') == Some(n))
    }

    /// The `Content-Type` of answers: `application/scim+json` (RFC 7644 §8.1), or
    /// `application/json` under [`Profile::IdentityCenter`] (rule 10).
    pub fn content_type(&self) -> &'static str {
        match self.profile {
            Profile::Rfc => SCIM_MEDIA_TYPE,
            Profile::IdentityCenter(_) => "application/json",
        }
    }

    /// The body of an error answer, whose HTTP status is `err.status`: the RFC 7644 §3.12 error
    /// JSON, or under [`Profile::IdentityCenter`] Identity Center's shape, with the schema list
    /// under both `schema` and `schemas` and no `scimType` (rule 59).
    ///
    /// ```
    /// use scimkit::ScimError;
    /// use scimkit::aws::IdentityCenter;
    /// use scimkit::provider::{Profile, Provider};
    ///
    /// let err = ScimError::uniqueness("userName is taken");
    /// let rfc = Provider::new("http://localhost").error_body(&err);
    /// assert_eq!(rfc["scimType"], "uniqueness");
    /// let ic = Provider::new("http://localhost")
    ///     .with_profile(Profile::IdentityCenter(IdentityCenter::new()))
    ///     .error_body(&err);
    /// assert_eq!(ic["status"], "409");
    /// assert!(ic.get("scimType").is_none() && ic.get("schema").is_some());
    /// ```
    pub fn error_body(&self, err: &ScimError) -> Value {
        match self.profile {
            Profile::Rfc => serde_json::to_value(err).unwrap_or(Value::Null),
            Profile::IdentityCenter(_) => serde_json::json!({
                "schema": [ERROR_SCHEMA],
                "schemas": [ERROR_SCHEMA],
                "detail": err.detail().unwrap_or("Request is unparsable, syntactically incorrect, or violates schema."),
                "status": err.status.to_string(),
            }),
        }
    }

    /// Answers a list request (`GET` with the query string read by
    /// [`SearchRequest::from_query_string`], or the body of `POST …/.search`) over the stored
    /// resources of one type: filter, sort, window and projection (RFC 7644 §3.4.2), at most
    /// [`max_results`](Self::max_results) a page.
    ///
    /// A bad filter is `400 invalidFilter`, a bad `sortBy` or attribute list `400 invalidPath`;
    /// under [`Profile::IdentityCenter`] a filter Identity Center does not answer is
    /// `400 invalidFilter` too.
    ///
    /// `resources` is what the write methods take as `existing`/`others`: the stored resources,
    /// borrowed (`&store`, `map.values()`, `[&a, &b]`, `[]`).
    pub fn list<'a, I>(
        &self,
        resource_type: &str,
        request: &SearchRequest,
        resources: I,
    ) -> Result<ListResponse<Value>, ScimError>
    where
        I: IntoIterator<Item = &'a Value>,
    {
        self.list_items(resource_type, request, resources)
    }

    /// [`list`](Self::list) over owned or borrowed values.
    fn list_items<I>(
        &self,
        resource_type: &str,
        request: &SearchRequest,
        resources: I,
    ) -> Result<ListResponse<Value>, ScimError>
    where
        I: IntoIterator,
        I::Item: Borrow<Value>,
    {
        let query = self.query(resource_type, request)?;
        let mut page = query.list(resources, &self.scoped(resource_type))?;
        for r in &mut page.resources {
            self.declared_schemas_only(resource_type, r);
            self.shape(resource_type, r);
        }
        Ok(page)
    }

    /// Answers `POST /.search` at the root (RFC 7644 §3.4.3): one query over the resources of
    /// every type, each answered as its `meta.resourceType` says. Identity Center does not
    /// offer it (rule 14): `501` under that profile.
    ///
    /// ```
    /// use scimkit::provider::Provider;
    /// use scimkit::SearchRequest;
    /// use serde_json::json;
    ///
    /// let p = Provider::new("https://example.com/scim/v2");
    /// let now = chrono::Utc::now();
    /// let u = p.create("User", &json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
    ///                                  "userName": "ops"}), "1", now, [])?;
    /// let g = p.create("Group", &json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
    ///                                   "displayName": "ops"}), "2", now, [])?;
    /// let all = p.search_all(&SearchRequest::new(), [&u, &g])?;
    /// assert_eq!(all.total_results, 2);
    /// # Ok::<(), scimkit::ScimError>(())
    /// ```
    pub fn search_all<'a, I>(
        &self,
        request: &SearchRequest,
        resources: I,
    ) -> Result<ListResponse<Value>, ScimError>
    where
        I: IntoIterator<Item = &'a Value>,
    {
        if matches!(self.profile, Profile::IdentityCenter(_)) {
            return Err(ScimError::with_status(
                501,
                "searching several resource types at once is not supported",
            ));
        }
        let query = Query::from_search_request_with(request, &self.schemas, &self.compat)?
            .with_max_results(self.max_results);
        query.list(resources, &self.schemas)
    }

    /// The representation of one resource in an answer (`GET /Users/{id}`, and the body
    /// answering `POST`, `PUT` and `PATCH`): the `attributes` / `excludedAttributes` of
    /// `request` applied (RFC 7644 §3.9), so `returned: never` attributes such as `password`
    /// never leave.
    pub fn respond(
        &self,
        resource_type: &str,
        resource: &Value,
        request: &SearchRequest,
    ) -> Result<Value, ScimError> {
        let none: &[String] = &[];
        let schemas = self.scoped(resource_type);
        let projection = Projection::new(
            request.attributes.as_deref().unwrap_or(none),
            request.excluded_attributes.as_deref().unwrap_or(none),
            &schemas,
        )?;
        let mut out = projection.apply(resource, &schemas);
        self.declared_schemas_only(resource_type, &mut out);
        self.shape(resource_type, &mut out);
        Ok(out)
    }

    /// Keeps in `schemas` only the URNs a resource of this type may list (RFC 7643 §3, §6), so
    /// a resource stored before writes checked them answers as the writes now store it.
    fn declared_schemas_only(&self, resource_type: &str, resource: &mut Value) {
        let Some(core) = self
            .schemas
            .resource_type(resource_type)
            .and_then(|(c, _)| self.schemas.schema(c))
        else {
            return;
        };
        if let Some(Value::Array(urns)) = resource.get_mut("schemas") {
            urns.retain(|u| {
                u.as_str()
                    .is_none_or(|u| crate::patch::may_list(&self.schemas, Some(core), u))
            });
        }
    }
}

#[cfg(test)]
mod tests;
