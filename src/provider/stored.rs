//! What a service that keeps resources in a database needs beside the in-memory answers:
//! the list request resolved once (to translate it to SQL), and each row answered as
//! [`Provider::list`] answers it.

use serde_json::Value;

use super::Provider;
use crate::error::ScimError;
use crate::model::SearchRequest;
use crate::query::Query;

impl Provider {
    /// The [`Query`] a list request resolves to for `resource_type`: the filter, `sortBy` and
    /// projection read in the type's [scoped](crate::SchemaRegistry::scoped) schemas with the
    /// provider's [`Compat`](crate::Compat), the window capped at
    /// [`max_results`](Self::max_results), and the profile's limits checked (under
    /// [`Profile::IdentityCenter`](super::Profile::IdentityCenter) a filter Identity Center
    /// does not answer is `400 invalidFilter`).
    ///
    /// [`list`](Self::list) runs exactly this query in memory; a database-backed service
    /// translates it instead (feature `sql`) and answers each row with
    /// [`present`](Self::present).
    ///
    /// ```
    /// use scimkit::provider::Provider;
    /// use scimkit::SearchRequest;
    ///
    /// let p = Provider::new("https://example.com/scim/v2").with_max_results(100);
    /// let request = SearchRequest::from_query_string("filter=userName%20eq%20%22x%22&count=500")?;
    /// let query = p.query("User", &request)?;
    /// assert!(query.filter().is_some());
    /// assert_eq!(query.page().count(), Some(100));
    /// let wrong = SearchRequest::from_query_string("filter=displayName%20eq%20%22x%22%20and")?;
    /// assert_eq!(p.query("Group", &wrong).unwrap_err().status, 400);
    /// # Ok::<(), scimkit::ScimError>(())
    /// ```
    pub fn query(&self, resource_type: &str, request: &SearchRequest) -> Result<Query, ScimError> {
        let schemas = self.scoped(resource_type);
        let query = Query::from_search_request_with(request, &schemas, &self.compat)?
            .with_max_results(self.max_results);
        self.check_list_profile(resource_type, &query)?;
        Ok(query)
    }

    /// One resource of a list answer, as [`list`](Self::list) returns it: the query's
    /// projection applied, only the declared schema URNs kept, and the profile's shape (Identity
    /// Center's empty `members`).
    pub fn present(&self, resource_type: &str, query: &Query, resource: &Value) -> Value {
        let schemas = self.scoped(resource_type);
        let mut out = query.projection().apply(resource, &schemas);
        self.declared_schemas_only(resource_type, &mut out);
        self.shape(resource_type, &mut out);
        out
    }

    /// The `meta.location` of the resource `id` of `resource_type`: `{base}/{endpoint}/{id}`,
    /// also the `$ref` of a member or group pointing at it.
    ///
    /// ```
    /// use scimkit::provider::Provider;
    ///
    /// let p = Provider::new("https://example.com/scim/v2");
    /// assert_eq!(p.location_of("Group", "g1"), "https://example.com/scim/v2/Groups/g1");
    /// ```
    pub fn location_of(&self, resource_type: &str, id: &str) -> String {
        self.location(resource_type, id)
    }
}
