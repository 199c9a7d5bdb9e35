use serde_json::{Value, json};

use super::*;
use crate::model::Op;

const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

fn ops(old: &Value, new: &Value) -> Value {
    let patch = diff(old, new, &SchemaRegistry::default()).unwrap();
    serde_json::to_value(&patch).unwrap()["Operations"].clone()
}

fn user(extra: Value) -> Value {
    let mut u = json!({"schemas": [USER], "userName": "bjensen", "displayName": "Babs"});
    for (k, v) in extra.as_object().unwrap() {
        u[k] = v.clone();
    }
    u
}

fn group(members: impl IntoIterator<Item = String>) -> Value {
    let members: Vec<Value> = members.into_iter().map(|m| json!({"value": m})).collect();
    json!({"schemas": [GROUP], "displayName": "Ops", "members": members})
}

#[test]
fn identical_resources_have_an_empty_diff() {
    let u = user(json!({"name": {"givenName": "B"}, "emails": [{"value": "b@x"}]}));
    assert_eq!(ops(&u, &u), json!([]));
}

#[test]
fn read_only_attributes_are_never_emitted() {
    let old = user(json!({"id": "1", "meta": {"version": "W/\"1\""}, "groups": [{"value": "g"}]}));
    let new = user(
        json!({"id": "2", "meta": {"version": "W/\"2\""}, "groups": [],
        ENTERPRISE: {"manager": {"value": "m", "displayName": "x"}}}),
    );
    assert_eq!(
        ops(&old, &new),
        json!([{"op": "add", "path": format!("{ENTERPRISE}:manager"), "value": {"value": "m"}}])
    );
}

#[test]
fn null_empty_string_and_empty_array_are_unassigned() {
    let old = user(json!({"nickName": null, "emails": [], "title": "", "name": {}}));
    let new = user(json!({}));
    assert_eq!(ops(&old, &new), json!([]));
    assert_eq!(ops(&new, &old), json!([]));
    let had = user(json!({"nickName": "B", "emails": [{"value": "b@x"}]}));
    assert_eq!(
        ops(&had, &old),
        // serde_json objects iterate in key order.
        json!([{"op": "remove", "path": "emails"}, {"op": "remove", "path": "nickName"}])
    );
}

#[test]
fn new_and_changed_attributes_share_one_add() {
    let old = user(json!({"title": "Tour Guide"}));
    let new = user(
        json!({"title": "Lead", "nickName": "B", "name": {"givenName": "Barbara"},
        ENTERPRISE: {"department": "Tours"}}),
    );
    assert_eq!(
        ops(&old, &new),
        json!([{"op": "add", "value": {
            "title": "Lead", "nickName": "B", "name": {"givenName": "Barbara"},
            ENTERPRISE: {"department": "Tours"}
        }}])
    );
}

#[test]
fn complex_sub_attributes_are_merged_or_removed() {
    let old = user(json!({"name": {"givenName": "B", "familyName": "J", "middleName": "Q"}}));
    let one_gone = user(json!({"name": {"givenName": "Barbara", "familyName": "J"}}));
    assert_eq!(
        ops(&old, &one_gone),
        json!([
            {"op": "remove", "path": "name.middleName"},
            {"op": "add", "path": "name", "value": {"givenName": "Barbara"}}
        ])
    );
    // Two sub-attributes gone: remove the attribute and add it back whole.
    let two_gone = user(json!({"name": {"givenName": "Barbara"}}));
    assert_eq!(
        ops(&old, &two_gone),
        json!([
            {"op": "remove", "path": "name"},
            {"op": "add", "path": "name", "value": {"givenName": "Barbara"}}
        ])
    );
}

#[test]
fn elements_are_addressed_by_value_with_json_escaping() {
    let old = group(["a\"b".to_owned(), "keep".to_owned(), "c\\d".to_owned()]);
    let new = group(["keep".to_owned(), "e".to_owned()]);
    assert_eq!(
        ops(&old, &new),
        json!([
            {"op": "remove", "path": r#"members[value eq "a\"b"]"#},
            {"op": "remove", "path": r#"members[value eq "c\\d"]"#},
            {"op": "add", "path": "members", "value": [{"value": "e"}]}
        ])
    );
    // The paths parse back to the same filter.
    for op in ops(&old, &new).as_array().unwrap() {
        let p: PatchPath = op["path"].as_str().unwrap().parse().unwrap();
        assert_eq!(p.to_string(), op["path"].as_str().unwrap());
    }
}

#[test]
fn a_changed_element_is_removed_and_added_again() {
    let old = user(json!({"emails": [{"value": "a@x", "type": "work"}, {"value": "b@x"}]}));
    let new = user(json!({"emails": [{"value": "a@x", "type": "home"}, {"value": "b@x"}]}));
    assert_eq!(
        ops(&old, &new),
        json!([
            {"op": "remove", "path": r#"emails[value eq "a@x"]"#},
            {"op": "add", "path": "emails", "value": [{"value": "a@x", "type": "home"}]}
        ])
    );
}

#[test]
fn lists_that_cannot_be_addressed_or_keep_nothing_are_replaced() {
    // addresses have no `value` sub-attribute.
    let old = user(json!({"addresses": [{"locality": "A"}]}));
    let new = user(json!({"addresses": [{"locality": "A"}, {"locality": "B"}]}));
    assert_eq!(
        ops(&old, &new),
        json!([{"op": "replace", "path": "addresses", "value": [{"locality": "A"}, {"locality": "B"}]}])
    );
    // emails.value is caseExact=false: two values equal ignoring case cannot be told apart.
    let old = user(json!({"emails": [{"value": "A@x"}, {"value": "a@x"}]}));
    let new = user(json!({"emails": [{"value": "a@x"}]}));
    assert_eq!(
        ops(&old, &new),
        json!([{"op": "replace", "path": "emails", "value": [{"value": "a@x"}]}])
    );
    // Nothing of the old list kept: one replace.
    let old = user(json!({"emails": [{"value": "a@x"}]}));
    let new = user(json!({"emails": [{"value": "b@x"}]}));
    assert_eq!(
        ops(&old, &new),
        json!([{"op": "replace", "path": "emails", "value": [{"value": "b@x"}]}])
    );
}

#[test]
fn attribute_names_and_keys_are_matched_ignoring_case() {
    let old = json!({"schemas": [USER], "USERNAME": "b", "Emails": [{"Value": "a@x"}]});
    let new = json!({"schemas": [USER], "userName": "b", "emails": [{"value": "a@x"}]});
    assert_eq!(ops(&old, &new), json!([]));
}

#[test]
fn unpathable_names_are_invalid_path() {
    let old = json!({"schemas": [USER], "bad name": "x", "other": "y"});
    let err = diff(
        &old,
        &json!({"schemas": [USER]}),
        &SchemaRegistry::default(),
    )
    .unwrap_err();
    assert_eq!(err.scim_type, Some(crate::ScimType::InvalidPath));
}

#[test]
fn hundred_thousand_members_diff_in_one_pass() {
    let old = group((0..100_000).map(|i| format!("user-{i}")));
    let new = group((50..100_050).map(|i| format!("user-{i}")));
    let patch = diff(&old, &new, &SchemaRegistry::default()).unwrap();
    assert_eq!(patch.operations.len(), 51);
    let requests = plan(
        &old,
        &new,
        &SchemaRegistry::default(),
        &Target::identity_center(),
    )
    .unwrap();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].operations.len(), 2);
}

fn ic_plan(old: &Value, new: &Value) -> Result<Vec<PatchOp>, ScimError> {
    plan(
        old,
        new,
        &SchemaRegistry::default(),
        &Target::identity_center(),
    )
}

fn all_ops(requests: &[PatchOp]) -> Vec<&PatchOperation> {
    requests.iter().flat_map(|r| &r.operations).collect()
}

#[test]
fn rule_38_only_modifiable_attributes_are_planned() {
    let old = user(json!({"roles": [{"value": "a"}]}));
    let new = user(
        json!({"roles": [{"value": "b"}], "photos": [{"value": "https://x/p"}],
        "title": "T", ENTERPRISE: {"department": "D"}}),
    );
    let requests = ic_plan(&old, &new).unwrap();
    let paths: Vec<_> = all_ops(&requests)
        .iter()
        .map(|o| o.path.clone().unwrap())
        .collect();
    assert_eq!(
        paths,
        ["title".to_owned(), format!("{ENTERPRISE}:department")]
    );
}

#[test]
fn rule_39_user_name_and_active_are_never_removed() {
    for attr in ["userName", "active"] {
        let mut old = user(json!({"active": true}));
        let mut new = old.clone();
        new.as_object_mut().unwrap().remove(attr);
        let err = ic_plan(&old, &new).unwrap_err();
        assert_eq!(err.scim_type, Some(crate::ScimType::Mutability), "{attr}");
        // A change is one replace, the only operation on that attribute.
        old[attr] = json!(if attr == "active" {
            json!(false)
        } else {
            json!("old")
        });
        new[attr] = json!(if attr == "active" {
            json!(true)
        } else {
            json!("new")
        });
        let requests = ic_plan(&old, &new).unwrap();
        let on_attr: Vec<_> = all_ops(&requests)
            .into_iter()
            .filter(|o| o.path.as_deref() == Some(attr))
            .collect();
        assert_eq!(on_attr.len(), 1);
        assert_eq!(on_attr[0].op, Op::Replace);
    }
}

#[test]
fn rule_40_path_filters_use_only_eq() {
    let old = user(json!({"emails": [{"value": "a@x"}, {"value": "b@x"}]}));
    let new = user(json!({"emails": [{"value": "a@x"}]}));
    let requests = ic_plan(&old, &new).unwrap();
    for op in all_ops(&requests) {
        let p: PatchPath = op.path.as_deref().unwrap().parse().unwrap();
        if let Some(f) = p.value_filter() {
            assert!(matches!(
                f,
                Filter::Compare(_, CompareOp::Eq, CompValue::String(_))
            ));
        }
    }
    assert_eq!(
        all_ops(&requests)[0].path.as_deref(),
        Some(r#"emails[value eq "b@x"]"#)
    );
}

#[test]
fn rule_41_and_43_every_operation_has_a_path_and_one_attribute() {
    let old = user(json!({"name": {"givenName": "B", "familyName": "J", "middleName": "Q"}}));
    let new = user(
        json!({"displayName": "Barbara", "nickName": "B", "title": "T",
        "name": {"givenName": "Barbara", "familyName": "Jensen"}}),
    );
    let requests = ic_plan(&old, &new).unwrap();
    assert_eq!(requests.len(), 1);
    let got = serde_json::to_value(&requests[0]).unwrap()["Operations"].clone();
    assert_eq!(
        got,
        json!([
            {"op": "replace", "path": "displayName", "value": "Barbara"},
            {"op": "remove", "path": "name.middleName"},
            {"op": "replace", "path": "name.familyName", "value": "Jensen"},
            {"op": "replace", "path": "name.givenName", "value": "Barbara"},
            {"op": "replace", "path": "nickName", "value": "B"},
            {"op": "replace", "path": "title", "value": "T"}
        ])
    );
}

#[test]
fn rule_46_and_49_members_in_value_lists_of_at_most_100() {
    let old = group((0..150).map(|i| format!("u{i}")));
    let new = group((100..300).map(|i| format!("u{i}")));
    let requests = ic_plan(&old, &new).unwrap();
    // 100 removed + 150 added = 250 membership changes: 3 requests.
    assert_eq!(requests.len(), 3);
    for r in &requests {
        let changes: usize = r
            .operations
            .iter()
            .map(|o| {
                o.value
                    .as_ref()
                    .and_then(Value::as_array)
                    .map_or(0, Vec::len)
            })
            .sum();
        assert!(changes <= 100);
        for o in &r.operations {
            assert_eq!(o.path.as_deref(), Some("members"));
            assert!(matches!(o.op, Op::Add | Op::Remove));
            let values = o.value.as_ref().and_then(Value::as_array).unwrap();
            assert!(!values.is_empty());
            assert!(
                values
                    .iter()
                    .all(|v| v.as_object().unwrap().keys().eq(["value"]))
            );
        }
    }
}

#[test]
fn two_hundred_fifty_new_members_become_three_requests() {
    let old = group(Vec::new());
    let new = group((0..250).map(|i| format!("u{i}")));
    let requests = ic_plan(&old, &new).unwrap();
    let sizes: Vec<usize> = requests
        .iter()
        .map(|r| {
            r.operations[0]
                .value
                .as_ref()
                .unwrap()
                .as_array()
                .unwrap()
                .len()
        })
        .collect();
    assert_eq!(sizes, [100, 100, 50]);
}

#[test]
fn rule_47_and_48_members_are_never_replaced_or_removed_all_at_once() {
    let old = group(["a".to_owned(), "b".to_owned()]);
    for new in [
        group(["c".to_owned()]),
        group(Vec::new()),
        json!({"schemas": [GROUP], "displayName": "Ops"}),
    ] {
        let requests = ic_plan(&old, &new).unwrap();
        for op in all_ops(&requests) {
            assert_ne!(op.op, Op::Replace);
            assert!(
                op.value
                    .as_ref()
                    .and_then(Value::as_array)
                    .is_some_and(|v| !v.is_empty())
            );
        }
        let removed: Vec<&Value> = all_ops(&requests)
            .into_iter()
            .filter(|o| o.op == Op::Remove)
            .flat_map(|o| o.value.as_ref().unwrap().as_array().unwrap())
            .collect();
        assert_eq!(removed, [&json!({"value": "a"}), &json!({"value": "b"})]);
    }
    // A member without a value cannot be sent.
    let bad = json!({"schemas": [GROUP], "members": [{"display": "x"}]});
    assert!(ic_plan(&old, &bad).is_err());
}

#[test]
fn plan_for_rfc7644_is_the_diff() {
    let old = user(json!({"title": "A"}));
    let new = user(json!({"title": "B", "nickName": "N"}));
    let requests = plan(&old, &new, &SchemaRegistry::default(), &Target::rfc7644()).unwrap();
    assert_eq!(
        requests,
        vec![diff(&old, &new, &SchemaRegistry::default()).unwrap()]
    );
    assert_eq!(
        plan(&old, &old, &SchemaRegistry::default(), &Target::default()).unwrap(),
        vec![]
    );
}

#[test]
fn typed_users_diff_like_their_json() {
    let old = User::from_value(user(json!({"title": "A"}))).unwrap();
    let new = User::from_value(user(json!({"title": "B"}))).unwrap();
    let patch = diff_users(&old, &new, &SchemaRegistry::default()).unwrap();
    assert_eq!(patch.operations, [PatchOperation::add("title", "B")]);
    let g = Group::from_value(group(["a".to_owned()])).unwrap();
    assert!(
        diff_groups(&g, &g, &SchemaRegistry::default())
            .unwrap()
            .operations
            .is_empty()
    );
}
