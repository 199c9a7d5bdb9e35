//! The shared bench workload (`filters.json`, `patches.json`) and the filter subsets the
//! issue's comparison table averages over. Used by the benches and `examples/hot_paths.rs`.
#![allow(dead_code)]

use std::path::Path;

use serde_json::{Value, json};

/// Reads `../shared/bench-workload/<file>` beside the crate when present, else
/// `benches/data/<file>`.
pub(crate) fn workload(file: &str) -> Value {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = root.join("../shared/bench-workload").join(file);
    let path = if shared.exists() {
        shared
    } else {
        root.join("benches/data").join(file)
    };
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// "The 26 common filters" of the comparison table: the workload less what the fastest peer
/// parser (scim_proto) rejects (URN-qualified paths f04, f25, f26; the upper-case operator
/// f24; Entra's `].value` form f23; a value with spaces, f27), less f33 (its own row), and
/// less the two case probes (f34, f35) on which the peers disagree.
pub(crate) const COMMON_PARSE: [&str; 26] = [
    "f01", "f02", "f03", "f05", "f06", "f07", "f08", "f09", "f10", "f11", "f12", "f13", "f14",
    "f15", "f16", "f17", "f18", "f19", "f20", "f21", "f22", "f28", "f29", "f30", "f31", "f32",
];

/// "24 filters on the User": the 26 common filters less the two group lookups (f19
/// `displayName eq "Engineering"`, f20 `members[value eq …]`).
pub(crate) const USER_EVAL: [&str; 24] = [
    "f01", "f02", "f03", "f05", "f06", "f07", "f08", "f09", "f10", "f11", "f12", "f13", "f14",
    "f15", "f16", "f17", "f18", "f21", "f22", "f28", "f29", "f30", "f31", "f32",
];

/// `(id, filter text, expected result on the User)` for every filter of the workload.
pub(crate) fn filters() -> Vec<(String, String, bool)> {
    workload("filters.json")
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["id"].as_str().unwrap().to_owned(),
                f["filter"].as_str().unwrap().to_owned(),
                f["expect_user"].as_bool().unwrap_or(false),
            )
        })
        .collect()
}

/// A PATCH request from its operations.
pub(crate) fn patch_op(ops: Value) -> scimkit::PatchOp {
    serde_json::from_value(json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": ops
    }))
    .unwrap()
}

/// The value of member `i` of [`group`].
pub(crate) fn member_id(i: usize) -> String {
    format!("{i:08x}-a97d-473f-b2cd-f43c3e1a9995")
}

/// A group of `n` members.
pub(crate) fn group(n: usize) -> Value {
    let members: Vec<Value> = (0..n)
        .map(|i| json!({"value": member_id(i), "display": format!("User {i:04}")}))
        .collect();
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "id": "e9e30dba-f08f-4109-8486-d5c6a331660a",
        "displayName": "Engineering",
        "members": members
    })
}

/// 100 members none of [`group`]'s holds.
pub(crate) fn new_members() -> Value {
    (0..100)
        .map(|i| json!({"value": format!("{i:08x}-0000-4000-8000-000000000000"), "display": format!("New {i}")}))
        .collect()
}
