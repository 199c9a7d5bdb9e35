//! [`Query::list`] over resources an answer adds derived attributes to (a user's `groups`,
//! RFC 7643 §4.1.2): each resource is decorated only when some step reads what it adds, and
//! otherwise only on the returned page, so the cost of the additions follows the answer.

use std::borrow::{Borrow, Cow};

use serde_json::Value;

use super::Query;
use crate::error::ScimError;
use crate::filter::BoundFilter;
use crate::model::ListResponse;
use crate::schema::SchemaRegistry;

/// Which steps of a list read the attributes a decoration adds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reads {
    /// The filter names them: each resource is decorated (one at a time) to be tested.
    pub(crate) filter: bool,
    /// `sortBy` names them: the matches are decorated to be ordered.
    pub(crate) sort: bool,
    /// The projection returns them: the page is decorated before it is projected.
    pub(crate) page: bool,
}

impl Query {
    /// The resources the filter keeps (all, without one), `test` asking the bound filter.
    pub(super) fn matching<I>(
        &self,
        resources: I,
        schemas: &SchemaRegistry,
        test: impl Fn(&BoundFilter<'_>, &Value) -> bool,
    ) -> Result<Vec<I::Item>, ScimError>
    where
        I: IntoIterator,
        I::Item: Borrow<Value>,
    {
        // The filter is bound once for all resources. A filter that does not bind fails on
        // the first resource, as `matches` would; with no resource there is nothing to fail.
        let bound = self.filter.as_ref().map(|f| f.bind(schemas)).transpose();
        let mut matches = Vec::new();
        for r in resources {
            let keep = match &bound {
                Ok(Some(f)) => test(f, r.borrow()),
                Ok(None) => true,
                Err(e) => return Err(e.clone()),
            };
            if keep {
                matches.push(r);
            }
        }
        Ok(matches)
    }

    /// [`list`](Self::list), with `decorate` applied where `reads` says the added attributes
    /// are looked at, and nowhere else; its flag says the decoration is only for the filter
    /// to test (it may leave out what the filter does not read). Memory holds the matches' references, the page, and at
    /// most one decorated resource at a time unless `sortBy` reads the additions (then the
    /// decorated matches).
    pub(crate) fn list_decorated<I, D>(
        &self,
        resources: I,
        schemas: &SchemaRegistry,
        reads: Reads,
        decorate: D,
    ) -> Result<ListResponse<Value>, ScimError>
    where
        I: IntoIterator,
        I::Item: Borrow<Value>,
        D: for<'r> Fn(&'r Value, bool) -> Cow<'r, Value>,
    {
        let mut matches = self.matching(resources, schemas, |f, r| match reads.filter {
            true => f.matches(&decorate(r, true)),
            false => f.matches(r),
        })?;
        let total = matches.len();
        let page = self.page();
        let range = page.range(total);
        let project = |r: &Value| self.projection.apply(r, schemas);
        let resources: Vec<Value> = match &self.sort_by {
            Some(sort_by) if reads.sort && !range.is_empty() => {
                let mut decorated: Vec<Cow<'_, Value>> = matches
                    .iter()
                    .map(|r| decorate(r.borrow(), false))
                    .collect();
                sort_by.sort(&mut decorated, self.sort_order);
                let window = decorated.get(range).unwrap_or_default();
                window.iter().map(|r| project(r)).collect()
            }
            sort_by => {
                if let Some(sort_by) = sort_by.as_ref().filter(|_| !range.is_empty()) {
                    sort_by.sort(&mut matches, self.sort_order);
                }
                let window = matches.get(range).unwrap_or_default();
                window
                    .iter()
                    .map(|r| match reads.page {
                        true => project(&decorate(r.borrow(), false)),
                        false => project(r.borrow()),
                    })
                    .collect()
            }
        };
        Ok(ListResponse::page(
            resources,
            u64::try_from(total).unwrap_or(u64::MAX),
            u64::try_from(page.start_index()).unwrap_or(u64::MAX),
        ))
    }
}
