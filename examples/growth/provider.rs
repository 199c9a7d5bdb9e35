//! Growth cases for the `provider` area.

use scimkit::SearchRequest;
use scimkit::provider::{Memberships, Provider};
use serde_json::{Value, json};

use crate::measured;

/// Cases of this area.
pub(crate) const CASES: &[crate::Case] = &[
    ("list-with-groups-page", 200, list_with_page),
    ("list-with-groups-filter", 200, list_with_filter),
];

/// `n` users in one group whose `displayName` is `n` × 1 KB long.
fn store(n: usize) -> (Provider, Vec<Value>, Memberships) {
    let users: Vec<Value> = (0..n)
        .map(|i| {
            json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                   "id": format!("u{i}"), "userName": format!("user{i}")})
        })
        .collect();
    let members: Vec<Value> = (0..n).map(|i| json!({"value": format!("u{i}")})).collect();
    let group = json!({"id": "g1", "displayName": "x".repeat(n * 1024), "members": members});
    let index = Memberships::from_groups([&group]);
    (Provider::new("https://example.com/scim/v2"), users, index)
}

fn run(n: usize, query: &str) {
    let (p, users, index) = store(n);
    let request = SearchRequest::from_query_string(query).unwrap();
    let page = measured(|| p.list_with("User", &request, &users, &index).unwrap());
    assert_eq!(page.total_results as usize, n);
}

/// Issue 17 item 3: a one-user page that does not return `groups`.
fn list_with_page(n: usize) {
    run(n, "count=1&attributes=userName");
}

/// The filter reads `groups.value`: each user's groups are derived to test it, without the
/// long `display` the filter does not read.
fn list_with_filter(n: usize) {
    run(
        n,
        "filter=groups.value+eq+%22g1%22&count=1&attributes=userName",
    );
}
