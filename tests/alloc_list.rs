//! Peak memory of `Provider::list_with` (issue 17, item 3): a user's `groups` is derived only
//! where the request reads it, so a one-user answer does not hold a copy of every user's
//! groups. dhat counts every thread, so this binary holds one test.
#![allow(clippy::unwrap_used, clippy::panic)]

use scimkit::SearchRequest;
use scimkit::provider::{Memberships, Provider};
use serde_json::{Value, json};

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

/// The most bytes held at once while `f` runs, beyond what was held before it.
fn peak<T>(f: impl FnOnce() -> T) -> (usize, T) {
    let before = dhat::HeapStats::get();
    let out = f();
    let after = dhat::HeapStats::get();
    (after.max_bytes.saturating_sub(before.curr_bytes), out)
}

#[test]
fn list_with_holds_the_answer_not_users_times_groups() {
    let _profiler = dhat::Profiler::builder().testing().build();
    const MIB: usize = 1 << 20;
    let p = Provider::new("https://example.com/scim/v2");
    let users: Vec<Value> = (0..200)
        .map(|i| {
            json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                   "id": format!("u{i}"), "userName": format!("user{i}")})
        })
        .collect();
    let members: Vec<Value> = (0..200)
        .map(|i| json!({"value": format!("u{i}")}))
        .collect();
    let group = json!({"id": "g1", "displayName": "x".repeat(MIB), "members": members});
    let index = Memberships::from_groups([&group]);
    drop(group);
    for (q, total) in [
        // Neither the filter, the order nor the projection reads `groups`: nothing derived.
        ("count=1&attributes=userName", 200),
        // The filter reads it: one user's `groups` at a time.
        (
            "filter=groups.value+eq+%22g1%22&count=1&attributes=userName",
            200,
        ),
        // The answer holds it: one copy of the name per returned user.
        ("count=1", 200),
    ] {
        let request = SearchRequest::from_query_string(q).unwrap();
        let (bytes, page) = peak(|| p.list_with("User", &request, &users, &index).unwrap());
        assert_eq!(page.total_results, total, "{q}");
        assert!(bytes < 3 * MIB, "{q}: {bytes} bytes at the peak");
    }
}
