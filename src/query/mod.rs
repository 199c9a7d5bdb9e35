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

mod params;
mod projection;
mod select;
mod sort;

use serde_json::Value;
use std::borrow::Borrow;

use crate::error::ScimError;
use crate::schema::SchemaRegistry;

pub use crate::model::SortOrder;
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
/// ```
/// use scimkit::SchemaRegistry;
/// use scimkit::query::Query;
/// use serde_json::json;
///
/// let schemas = SchemaRegistry::default();
/// let users = [
///     json!({"id": "1", "userName": "carol", "password": "x"}),
///     json!({"id": "2", "userName": "Alice"}),
///     json!({"id": "3", "userName": "bob"}),
/// ];
/// let q = Query::from_query_string(
///     "sortBy=userName&sortOrder=descending&startIndex=2&count=5&attributes=userName",
///     &schemas,
/// )?;
/// let (total, page) = q.select(&users, &schemas)?;
/// assert_eq!(total, 3);
/// assert_eq!(page, [json!({"id": "3", "userName": "bob"}), json!({"id": "2", "userName": "Alice"})]);
/// # Ok::<(), scimkit::ScimError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Query {
    sort_by: Option<SortBy>,
    sort_order: SortOrder,
    page: Page,
    projection: Projection,
}

impl Query {
    /// A query returning every resource, unsorted, with the default attributes.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads the RFC 7644 §3.4.2 parameters from a URL query string (with or without the
    /// leading `?`), percent-decoding names and values (`+` is a space).
    ///
    /// Parameter names are matched ignoring ASCII case; unknown parameters are ignored, and an
    /// empty value counts as absent. `startIndex` or `count` that are not integers, a
    /// `sortOrder` other than `ascending`/`descending` and a repeated parameter are
    /// `400 invalidValue`; a malformed attribute path is `400 invalidPath`.
    pub fn from_query_string(query: &str, schemas: &SchemaRegistry) -> Result<Self, ScimError> {
        Self::from_pairs(params::pairs(query), schemas)
    }

    /// Reads the parameters from pairs a web framework has already decoded.
    pub fn from_pairs<I, K, V>(pairs: I, schemas: &SchemaRegistry) -> Result<Self, ScimError>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let mut raw = RawParams::default();
        for (name, value) in pairs {
            raw.set(name.as_ref(), value.as_ref())?;
        }
        raw.resolve(schemas)
    }

    /// Orders the matches by `sort_by`.
    #[must_use]
    pub fn sort(mut self, sort_by: SortBy, order: SortOrder) -> Self {
        self.sort_by = Some(sort_by);
        self.sort_order = order;
        self
    }

    /// Sets the window.
    #[must_use]
    pub fn page(mut self, page: Page) -> Self {
        self.page = page;
        self
    }

    /// Caps the number of resources returned per page (the service provider's `maxResults`).
    #[must_use]
    pub fn max_results(mut self, max: usize) -> Self {
        self.page = self.page.at_most(max);
        self
    }

    /// Sets the projection.
    #[must_use]
    pub fn projection(mut self, projection: Projection) -> Self {
        self.projection = projection;
        self
    }

    /// The attribute resources are ordered by, if any.
    pub fn sort_by(&self) -> Option<&SortBy> {
        self.sort_by.as_ref()
    }

    /// The direction of the order.
    pub fn sort_order(&self) -> SortOrder {
        self.sort_order
    }

    /// The window.
    pub fn window(&self) -> Page {
        self.page
    }

    /// The projection applied to each returned resource.
    pub fn attributes(&self) -> &Projection {
        &self.projection
    }

    /// Runs the query: returns `totalResults` (the number of matches) and the projected page.
    pub fn select<I>(
        &self,
        resources: I,
        schemas: &SchemaRegistry,
    ) -> Result<(usize, Vec<Value>), ScimError>
    where
        I: IntoIterator,
        I::Item: Borrow<Value>,
    {
        let mut matches: Vec<I::Item> = resources.into_iter().collect();
        if let Some(sort_by) = &self.sort_by {
            sort_by.sort(&mut matches, self.sort_order);
        }
        let total = matches.len();
        let page = matches
            .get(self.page.range(total))
            .unwrap_or_default()
            .iter()
            .map(|r| self.projection.apply(r.borrow(), schemas))
            .collect();
        Ok((total, page))
    }
}

/// The parameters as they arrive, before resolution.
#[derive(Debug, Default)]
struct RawParams {
    sort_by: Option<String>,
    sort_order: Option<SortOrder>,
    start_index: Option<i64>,
    count: Option<i64>,
    attributes: Vec<String>,
    excluded_attributes: Vec<String>,
}

impl RawParams {
    fn set(&mut self, name: &str, value: &str) -> Result<(), ScimError> {
        fn once<T>(slot: &mut Option<T>, name: &str, value: T) -> Result<(), ScimError> {
            if slot.replace(value).is_some() {
                return Err(ScimError::invalid_value(format!(
                    "`{name}` is given more than once"
                )));
            }
            Ok(())
        }
        if value.trim().is_empty() {
            return Ok(());
        }
        let is = |n: &str| name.eq_ignore_ascii_case(n);
        if is("sortBy") {
            once(&mut self.sort_by, "sortBy", value.to_owned())
        } else if is("sortOrder") {
            once(
                &mut self.sort_order,
                "sortOrder",
                params::sort_order(value)?,
            )
        } else if is("startIndex") {
            once(
                &mut self.start_index,
                "startIndex",
                params::integer("startIndex", value)?,
            )
        } else if is("count") {
            once(&mut self.count, "count", params::integer("count", value)?)
        } else if is("attributes") {
            self.attributes
                .extend(params::list(value).map(str::to_owned));
            Ok(())
        } else if is("excludedAttributes") {
            self.excluded_attributes
                .extend(params::list(value).map(str::to_owned));
            Ok(())
        } else {
            Ok(())
        }
    }

    fn resolve(self, schemas: &SchemaRegistry) -> Result<Query, ScimError> {
        Ok(Query {
            sort_by: self.sort_by.map(|s| SortBy::new(&s, schemas)).transpose()?,
            sort_order: self.sort_order.unwrap_or_default(),
            page: Page::new(self.start_index, self.count),
            projection: Projection::new(&self.attributes, &self.excluded_attributes, schemas)?,
        })
    }
}

#[cfg(test)]
mod tests;
