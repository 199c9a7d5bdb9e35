//! One PATCH request of many operations answers as the same operations sent one request each
//! (issue 17, item 4): the member index kept across a request's `add`s, and a valuePath `or`
//! of `value eq` answered through a set, agree with evaluating each operation afresh.
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use scimkit::{PatchOp, SchemaRegistry};
use serde_json::{Value, json};

fn request(ops: Vec<Value>) -> PatchOp {
    serde_json::from_value(json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": ops
    }))
    .unwrap()
}

/// Ids equal ignoring case in ways a byte comparison gets wrong (the Kelvin sign folds to `k`).
fn arb_id() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "a",
        "A",
        "kelvin",
        "\u{212A}elvin",
        "KELVIN",
        "école",
        "ÉCOLE",
        "m1",
        "M1",
        "m2",
    ])
    .prop_map(str::to_owned)
}

#[derive(Debug, Clone)]
enum Step {
    Add(Vec<String>),
    /// Removes the members equal to any of these ids.
    Remove(Vec<String>),
    Rename(String),
}

fn arb_step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => prop::collection::vec(arb_id(), 1..4).prop_map(Step::Add),
        2 => prop::collection::vec(arb_id(), 1..5).prop_map(Step::Remove),
        1 => arb_id().prop_map(Step::Rename),
    ]
}

fn eq(id: &str) -> String {
    format!("value eq {}", serde_json::to_string(id).unwrap())
}

/// The operations of `step`: as one operation, or (`split`) as the simplest equivalents.
fn ops(step: &Step, split: bool) -> Vec<Value> {
    match step {
        Step::Add(ids) => {
            let value: Vec<Value> = ids
                .iter()
                .map(|id| json!({"value": id, "display": id}))
                .collect();
            vec![json!({"op": "add", "path": "members", "value": value})]
        }
        Step::Remove(ids) if split => ids
            .iter()
            .map(|id| json!({"op": "remove", "path": format!("members[{}]", eq(id))}))
            .collect(),
        Step::Remove(ids) => {
            let terms: Vec<String> = ids.iter().map(|id| eq(id)).collect();
            vec![json!({"op": "remove", "path": format!("members[{}]", terms.join(" or "))})]
        }
        Step::Rename(id) => vec![json!({"op": "replace",
            "path": format!("members[{}].display", eq(id)), "value": "renamed"})],
    }
}

proptest! {
    #[test]
    fn one_request_answers_as_one_request_per_operation(
        start in prop::collection::vec(arb_id(), 0..6),
        steps in prop::collection::vec(arb_step(), 1..10),
    ) {
        let schemas = SchemaRegistry::standard();
        let members: Vec<Value> = start.iter().map(|id| json!({"value": id})).collect();
        let group = json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
                           "displayName": "g", "members": members});
        let before = serde_json::to_vec(&group).unwrap();

        let mut one = group.clone();
        let all: Vec<Value> = steps.iter().flat_map(|s| ops(s, false)).collect();
        let done = request(all).apply(&mut one, schemas);
        prop_assume!(!steps.iter().all(|s| matches!(s, Step::Rename(_))));

        let mut each = group.clone();
        let mut each_ok = true;
        for op in steps.iter().flat_map(|s| ops(s, true)) {
            if request(vec![op]).apply(&mut each, schemas).is_err() {
                each_ok = false;
                break;
            }
        }
        prop_assert_eq!(done.is_ok(), each_ok);
        if each_ok {
            prop_assert_eq!(serde_json::to_string(&one).unwrap(), serde_json::to_string(&each).unwrap());
        } else {
            prop_assert_eq!(serde_json::to_vec(&one).unwrap(), before);
        }
    }
}

/// Repeated adds of one member in one request add it once (the third `add` is answered by the
/// request's index of the members).
#[test]
fn repeated_adds_in_one_request_add_once() {
    let mut group = json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
                           "displayName": "g", "members": [{"value": "m0"}]});
    let add = |id: &str| json!({"op": "add", "path": "members", "value": [{"value": id}]});
    let op = request(vec![
        add("m1"),
        add("M1"),
        add("m1"),
        add("m0"),
        add("m2"),
        add("M2"),
    ]);
    op.apply(&mut group, SchemaRegistry::standard()).unwrap();
    assert_eq!(
        group["members"],
        json!([{"value": "m0"}, {"value": "m1"}, {"value": "m2"}])
    );
}

/// A failing request leaves the resource byte-identical whatever the map type (issue 17,
/// item 6): under serde_json's `preserve_order`, which any crate of an application may turn
/// on, keys keep their order through removal and rollback. `.ci/run` runs this file with the
/// feature on.
#[test]
fn rollback_restores_key_order() {
    let user = json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": "bjensen", "title": "Tour Guide", "nickName": "Babs",
        "emails": [{"value": "b@example.com", "type": "work", "display": "B"}],
        "displayName": "Babs Jensen", "active": true
    });
    let before = serde_json::to_string(&user).unwrap();
    for ops in [
        json!([{"op": "remove", "path": "title"}, {"op": "remove", "path": "userName"}]),
        json!([{"op": "remove", "path": "nickName"}, {"op": "remove", "path": "title"},
               {"op": "add", "path": "title", "value": "x"}, {"op": "remove", "path": "userName"}]),
        json!([{"op": "remove", "path": "emails[type eq \"work\"].type"},
               {"op": "replace", "path": "displayName", "value": null},
               {"op": "remove", "path": "userName"}]),
        json!([{"op": "replace", "value": {"nickName": null, "title": "y"}},
               {"op": "remove", "path": "userName"}]),
    ] {
        let mut r = user.clone();
        let ops = ops.as_array().unwrap().clone();
        assert!(
            request(ops)
                .apply(&mut r, SchemaRegistry::standard())
                .is_err()
        );
        assert_eq!(serde_json::to_string(&r).unwrap(), before);
    }
}
