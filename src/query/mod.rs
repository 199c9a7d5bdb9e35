//! Listing for service providers: filter, sort, paginate and project a set of resources as
//! RFC 7644 §3.4.2 says.
//!
//! A service hands over its resources (an iterator of `serde_json::Value`) and the request's
//! parameters, either the raw URL query string of a `GET /Users?…` or the body of a
//! `POST /Users/.search`; [`Query`] answers with what the response holds. The pieces are usable
//! alone: [`Projection`] for `attributes`/`excludedAttributes` on single-resource responses,
//! [`SortBy`] for an order.
//!
//! The steps run in the RFC's order: filter (§3.4.2.2), sort (§3.4.2.3), paginate (§3.4.2.4),
//! then project (§3.4.2.5), so only the returned page is copied.

mod decorate;
mod params;
mod projection;
mod select;
mod sort;

use std::borrow::Borrow;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::compat::Compat;
use crate::error::ScimError;
use crate::filter::Filter;
use crate::model::{ListResponse, SearchRequest};
use crate::schema::SchemaRegistry;

pub use crate::model::SortOrder;
pub(crate) use decorate::Reads;
pub use projection::Projection;
pub use sort::SortBy;

/// The 1-based window of RFC 7644 §3.4.2.4 over the sorted matches.
///
/// `startIndex` below 1 reads as 1; a negative `count` reads as 0, and `count = 0` returns no
/// resources, only `totalResults`. Without `count` the whole rest is returned, up to the
/// service's own limit when one is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Page {
    start_index: usize,
    count: Option<usize>,
}

impl Default for Page {
    fn default() -> Self {
        Self {
            start_index: 1,
            count: None,
        }
    }
}

impl Page {
    /// A window from request values, normalised as RFC 7644 §3.4.2.4 says.
    ///
    /// ```
    /// use scimkit::query::Page;
    ///
    /// let p = Page::new(Some(-3), Some(-1));
    /// assert_eq!((p.start_index(), p.count()), (1, Some(0)));
    /// assert_eq!(Page::new(Some(3), Some(2)).range(10), 2..4);
    /// assert_eq!(Page::new(Some(30), Some(2)).range(10), 10..10);
    /// ```
    pub fn new(start_index: Option<i64>, count: Option<i64>) -> Self {
        let clamp = |n: i64, min: i64| usize::try_from(n.max(min)).unwrap_or(usize::MAX);
        Self {
            start_index: start_index.map_or(1, |n| clamp(n, 1)),
            count: count.map(|n| clamp(n, 0)),
        }
    }

    /// The 1-based index of the first result (at least 1).
    pub fn start_index(&self) -> usize {
        self.start_index
    }

    /// The most results to return, if the request set one.
    pub fn count(&self) -> Option<usize> {
        self.count
    }

    /// The same window, returning at most `max` results: the service provider's limit, which
    /// RFC 7644 §3.4.2.4 lets it set when `count` is absent or larger.
    #[must_use]
    pub fn at_most(self, max: usize) -> Self {
        Self {
            count: Some(self.count.map_or(max, |c| c.min(max))),
            ..self
        }
    }

    /// The 0-based range of `total` sorted matches this window covers; empty when the start is
    /// past the end.
    pub fn range(&self, total: usize) -> std::ops::Range<usize> {
        let start = (self.start_index - 1).min(total);
        let end = match self.count {
            Some(c) => start.saturating_add(c).min(total),
            None => total,
        };
        start..end
    }
}

/// A list request resolved against the schemas: filter, order, window and projection.
///
/// Build it from the raw query string of a `GET` ([`Query::from_query_string`]), from the body
/// of a `POST …/.search` ([`Query::from_search_request`]), or piece by piece; then
/// [`list`](Query::list) the resources a service holds. Every parameter is checked when the
/// query is built, so a bad one fails before any resource is read.
///
/// ```
/// use scimkit::{Query, SchemaRegistry};
/// use serde_json::json;
///
/// let schemas = SchemaRegistry::default();
/// let users = [
///     json!({"id": "1", "userName": "carol", "password": "x", "active": true}),
///     json!({"id": "2", "userName": "Alice", "active": true}),
///     json!({"id": "3", "userName": "bob", "active": true}),
///     json!({"id": "4", "userName": "dave", "active": false}),
/// ];
/// let q = Query::from_query_string(
///     "filter=active+eq+true&sortBy=userName&sortOrder=descending\
///      &startIndex=2&count=5&attributes=userName",
///     &schemas,
/// )?;
/// let page = q.list(&users, &schemas)?;
/// assert_eq!(serde_json::to_value(&page).unwrap(), json!({
///     "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
///     "totalResults": 3,
///     "itemsPerPage": 2,
///     "startIndex": 2,
///     "Resources": [{"id": "3", "userName": "bob"}, {"id": "2", "userName": "Alice"}],
/// }));
/// # Ok::<(), scimkit::ScimError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Query {
    filter: Option<Filter>,
    sort_by: Option<SortBy>,
    sort_order: SortOrder,
    page: Page,
    max_results: Option<usize>,
    projection: Projection,
}

impl Query {
    /// A query returning every resource, unsorted, with the default attributes.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads the RFC 7644 §3.4.2 parameters from a URL query string; see
    /// [`SearchRequest::from_query_string`] for the reading rules and
    /// [`from_search_request`](Self::from_search_request) for the checks.
    pub fn from_query_string(query: &str, schemas: &SchemaRegistry) -> Result<Self, ScimError> {
        Self::from_search_request(&SearchRequest::from_query_string(query)?, schemas)
    }

    /// Resolves a search request (RFC 7644 §3.4.3), with strict filter syntax.
    ///
    /// A malformed `filter`, or one the schemas reject (`active gt true`), is
    /// `400 invalidFilter`; a malformed `sortBy`, `attributes` or
    /// `excludedAttributes` entry is `400 invalidPath`; see [`SortBy::new`] for the attributes
    /// that cannot be sorted on. Out-of-range `startIndex` and `count` are normalised
    /// ([`Page::new`]).
    pub fn from_search_request(
        request: &SearchRequest,
        schemas: &SchemaRegistry,
    ) -> Result<Self, ScimError> {
        Self::from_search_request_with(request, schemas, &Compat::strict())
    }

    /// The same, reading the filter with the IdP deviations `compat` allows.
    pub fn from_search_request_with(
        request: &SearchRequest,
        schemas: &SchemaRegistry,
        compat: &Compat,
    ) -> Result<Self, ScimError> {
        let filter = match request.filter.as_deref().map(str::trim) {
            Some(f) if !f.is_empty() => {
                let filter = Filter::parse_with(f, compat)?;
                // The evaluator checks every comparison against the schemas whatever the data,
                // so an empty resource surfaces type errors now rather than per resource (and
                // also when there is no resource at all).
                filter.matches(&Value::Object(Map::new()), schemas)?;
                Some(filter)
            }
            _ => None,
        };
        let sort_by = match request.sort_by.as_deref().map(str::trim) {
            Some(s) if !s.is_empty() => Some(SortBy::new(s, schemas)?),
            _ => None,
        };
        let none: &[String] = &[];
        Ok(Self {
            filter,
            sort_by,
            sort_order: request.sort_order.unwrap_or_default(),
            page: Page::new(request.start_index, request.count),
            max_results: None,
            projection: Projection::new(
                request.attributes.as_deref().unwrap_or(none),
                request.excluded_attributes.as_deref().unwrap_or(none),
                schemas,
            )?,
        })
    }

    /// Keeps only the resources that match `filter`.
    #[must_use]
    pub fn with_filter(mut self, filter: Filter) -> Self {
        self.filter = Some(filter);
        self
    }

    /// Orders the matches by `sort_by`.
    #[must_use]
    pub fn with_sort(mut self, sort_by: SortBy, order: SortOrder) -> Self {
        self.sort_by = Some(sort_by);
        self.sort_order = order;
        self
    }

    /// Sets the window.
    #[must_use]
    pub fn with_page(mut self, page: Page) -> Self {
        self.page = page;
        self
    }

    /// Caps the number of resources per page: the service provider's limit, applied when
    /// `count` is absent or larger (RFC 7644 §3.4.2.4).
    #[must_use]
    pub fn with_max_results(mut self, max: usize) -> Self {
        self.max_results = Some(max);
        self
    }

    /// Sets the projection.
    #[must_use]
    pub fn with_projection(mut self, projection: Projection) -> Self {
        self.projection = projection;
        self
    }

    /// The filter, if any.
    pub fn filter(&self) -> Option<&Filter> {
        self.filter.as_ref()
    }

    /// The attribute resources are ordered by, if any.
    pub fn sort_by(&self) -> Option<&SortBy> {
        self.sort_by.as_ref()
    }

    /// The direction of the order.
    pub fn sort_order(&self) -> SortOrder {
        self.sort_order
    }

    /// The window, with the service provider's limit applied.
    pub fn page(&self) -> Page {
        match self.max_results {
            Some(max) => self.page.at_most(max),
            None => self.page,
        }
    }

    /// The projection applied to each returned resource; also what a single-resource `GET`
    /// with `attributes`/`excludedAttributes` applies.
    pub fn projection(&self) -> &Projection {
        &self.projection
    }

    /// Runs the query over `resources` (owned or borrowed JSON values): filter, sort, take the
    /// window, project. `totalResults` counts every match; only the returned page is copied.
    ///
    /// A filter that the schemas reject (`active gt true`) is `400 invalidFilter`.
    ///
    /// The filter and sort key resolve in `schemas` as given, and so does the projection's
    /// lookup of names: for one resource type's endpoint pass a view
    /// [scoped](SchemaRegistry::scoped) to it, so that `userName` on `/Groups` is unknown.
    pub fn list<I>(
        &self,
        resources: I,
        schemas: &SchemaRegistry,
    ) -> Result<ListResponse<Value>, ScimError>
    where
        I: IntoIterator,
        I::Item: Borrow<Value>,
    {
        let mut matches = self.matching(resources, schemas, |f, r| f.matches(r))?;
        let total = matches.len();
        let page = self.page();
        let range = page.range(total);
        if let Some(sort_by) = &self.sort_by {
            // `count=0` and a start past the end need only `totalResults`.
            if !range.is_empty() {
                sort_by.sort(&mut matches, self.sort_order);
            }
        }
        let resources: Vec<Value> = matches
            .get(range)
            .unwrap_or_default()
            .iter()
            .map(|r| self.projection.apply(r.borrow(), schemas))
            .collect();
        Ok(ListResponse::page(
            resources,
            u64::try_from(total).unwrap_or(u64::MAX),
            u64::try_from(page.start_index()).unwrap_or(u64::MAX),
        ))
    }

    /// [`list`](Self::list) for typed resources ([`User`](crate::User),
    /// [`Group`](crate::Group)…), each serialized to JSON first. A resource that does not
    /// serialize is a `500`.
    pub fn list_serialized<'a, T, I>(
        &self,
        resources: I,
        schemas: &SchemaRegistry,
    ) -> Result<ListResponse<Value>, ScimError>
    where
        T: Serialize + 'a,
        I: IntoIterator<Item = &'a T>,
    {
        let values = resources
            .into_iter()
            .map(|r| {
                serde_json::to_value(r).map_err(|e| {
                    ScimError::with_status(500, format!("resource does not serialize: {e}"))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        self.list(values, schemas)
    }

    /// Whether `resource` passes the filter (always, without one).
    pub fn matches(&self, resource: &Value, schemas: &SchemaRegistry) -> Result<bool, ScimError> {
        self.filter
            .as_ref()
            .map_or(Ok(true), |f| f.matches(resource, schemas))
    }
}

#[cfg(test)]
mod tests;
