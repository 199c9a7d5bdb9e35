//! Growth cases for the `patch` area.

use scimkit::{PatchOp, Patcher, SchemaRegistry};
use serde_json::{Value, json};

use crate::measured;

/// Cases of this area.
pub(crate) const CASES: &[crate::Case] = &[
    ("patch-many-adds", 50, many_adds),
    ("patch-or-valuepath", 128, or_value_path),
];

/// A group of `members` members `m0`, `m1`, ….
fn group(members: usize) -> Value {
    let members: Vec<Value> = (0..members)
        .map(|i| json!({"value": format!("m{i}"), "display": format!("Member {i}")}))
        .collect();
    json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
           "id": "g", "displayName": "G", "members": members})
}

fn apply(ops: Vec<Value>, mut group: Value) {
    let op: PatchOp = serde_json::from_value(json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": ops,
    }))
    .unwrap();
    let patcher = Patcher::new(SchemaRegistry::standard());
    measured(|| patcher.apply(&op, &mut group).unwrap());
}

/// Issue 17 item 4: `n` one-member adds on a group of `100 n` members.
fn many_adds(n: usize) {
    let ops = (0..n)
        .map(|i| json!({"op": "add", "path": "members", "value": [{"value": format!("new{i}")}]}))
        .collect();
    apply(ops, group(100 * n));
}

/// Issue 17 item 4: four removes, each an `n`-term `or` of `value eq` on `20 n` members.
fn or_value_path(n: usize) {
    let ops = (0..4)
        .map(|op| {
            let terms: Vec<String> = (0..n).map(|i| format!("value eq \"x{op}-{i}\"")).collect();
            json!({"op": "remove", "path": format!("members[{}]", terms.join(" or "))})
        })
        .collect();
    apply(ops, group(20 * n));
}
