//! One test per Identity Center reference rule, named after its number.

use serde_json::{Value, json};

use super::*;

fn user() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": "bjensen@example.com",
        "externalId": "5f1b2c3d4e5f6a7b8c9d0e1f",
        "name": {"givenName": "Barbara", "familyName": "Jensen"},
        "displayName": "Babs Jensen",
        "emails": [{"value": "bjensen@example.com", "type": "work", "primary": true}]
    })
}

#[track_caller]
fn finding<'a>(n: &'a Normalized, path: &str) -> &'a Finding {
    n.findings
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no finding for {path} in {:#?}", n.findings))
}

#[test]
fn a_clean_user_has_no_findings() {
    let n = IdentityCenter::new().normalize_user(&user());
    assert_eq!(n.findings, vec![]);
    assert_eq!(n.resource, user());
}

#[test]
fn rule_19_unsupported_attributes_are_dropped() {
    let mut u = user();
    u["password"] = json!("hunter2");
    u["photos"] = json!([{"value": "https://example.com/p.jpg"}]);
    u["ims"] = json!([{"value": "bjensen"}]);
    u["entitlements"] = json!([{"value": "x"}]);
    u["x509Certificates"] = json!([{"value": "MIIB"}]);
    u["favouriteColour"] = json!("blue");
    u["urn:example:params:scim:schemas:extension:custom:2.0:User"] = json!({"a": 1});
    let n = IdentityCenter::new().normalize_user(&u);
    for path in [
        "password",
        "photos",
        "ims",
        "entitlements",
        "x509Certificates",
        "favouriteColour",
    ] {
        let f = finding(&n, path);
        assert_eq!((f.rule, f.action), (19, Action::Dropped), "{path}");
        assert!(n.resource.get(path).is_none());
    }
    assert!(n.is_accepted());
    assert_eq!(n.resource, user());
}

#[test]
fn rule_20_unsupported_sub_attributes_are_dropped() {
    let mut u = user();
    u["emails"][0]["display"] = json!("Work");
    u["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"] =
        json!({"manager": {"value": "m-1", "displayName": "Boss"}, "department": "Tour"});
    let n = IdentityCenter::new().normalize_user(&u);
    let f = finding(&n, "emails.display");
    assert_eq!((f.rule, f.action), (20, Action::Dropped));
    let f = finding(
        &n,
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.displayName",
    );
    assert_eq!((f.rule, f.action), (20, Action::Dropped));
    assert_eq!(
        n.resource["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
        json!({"manager": {"value": "m-1"}, "department": "Tour"})
    );
    let g = IdentityCenter::new().normalize_group(&json!({
        "displayName": "Tour Guides",
        "members": [{"value": "u-1", "display": "Babs"}]
    }));
    assert_eq!(finding(&g, "members.display").rule, 20);
    assert_eq!(g.resource["members"], json!([{"value": "u-1"}]));
}

#[test]
fn rule_21_active_must_be_a_boolean() {
    let mut u = user();
    u["active"] = json!("true");
    let n = IdentityCenter::new().normalize_user(&u);
    assert_eq!(finding(&n, "active").action, Action::Rejected);
    u["active"] = json!(false);
    assert!(IdentityCenter::new().normalize_user(&u).is_accepted());
}

#[test]
fn rule_22_multi_valued_attributes_keep_one_value() {
    let mut u = user();
    u["emails"] = json!([
        {"value": "home@example.com", "type": "home"},
        {"value": "work@example.com", "type": "work", "primary": true}
    ]);
    u["addresses"] = json!([{"locality": "A"}, {"locality": "B"}]);
    let n = IdentityCenter::new().normalize_user(&u);
    assert_eq!(
        n.resource["emails"],
        json!([{"value": "work@example.com", "type": "work", "primary": true}])
    );
    assert_eq!(n.resource["addresses"], json!([{"locality": "A"}]));
    let f = finding(&n, "emails");
    assert_eq!((f.rule, f.action), (22, Action::Dropped));
    assert_eq!(finding(&n, "addresses").rule, 22);
}

#[test]
fn rule_23_required_attributes() {
    for (remove, path) in [
        ("userName", "userName"),
        ("displayName", "displayName"),
        ("name", "name.givenName"),
    ] {
        let mut u = user();
        u.as_object_mut().unwrap().remove(remove);
        let n = IdentityCenter::new().normalize_user(&u);
        let f = finding(&n, path);
        assert_eq!((f.rule, f.action), (23, Action::Rejected), "{remove}");
        assert!(!n.is_accepted());
    }
}

#[test]
fn rule_24_user_without_last_name_is_not_provisioned() {
    let mut u = user();
    u["name"]["familyName"] = json!("");
    let n = IdentityCenter::new().normalize_user(&u);
    assert!(!n.is_accepted());
    assert_eq!(
        n.rejections().map(|f| f.path.as_str()).collect::<Vec<_>>(),
        ["name.familyName"]
    );
}

#[test]
fn rule_25_and_69_jumpcloud_keeps_the_work_phone() {
    let mut u = user();
    u["phoneNumbers"] = json!([
        {"value": "tel:+1-555-0100", "type": "mobile", "primary": true},
        {"value": "tel:+1-555-0101", "type": "work"}
    ]);
    let jc = IdentityCenter::jumpcloud().normalize_user(&u);
    assert_eq!(
        jc.resource["phoneNumbers"],
        json!([{"value": "tel:+1-555-0101", "type": "work"}])
    );
    // Without the JumpCloud preference the primary one is kept.
    let plain = IdentityCenter::new().normalize_user(&u);
    assert_eq!(plain.resource["phoneNumbers"][0]["type"], "mobile");
    // Rule 87: the tel: URI is kept verbatim.
    assert_eq!(finding(&jc, "phoneNumbers").rule, 22);
}

#[test]
fn rule_26_the_single_email_is_marked_primary() {
    let mut u = user();
    u["emails"] = json!([{"value": "b@example.com"}]);
    let n = IdentityCenter::new().normalize_user(&u);
    assert_eq!(
        n.resource["emails"],
        json!([{"value": "b@example.com", "primary": true}])
    );
    let f = finding(&n, "emails");
    assert_eq!((f.rule, f.action), (26, Action::Normalized));
}

#[test]
fn rule_27_groups_are_not_sent_with_a_user() {
    let mut u = user();
    u["groups"] = json!([{"value": "g-1"}]);
    let n = IdentityCenter::new().normalize_user(&u);
    assert_eq!(finding(&n, "groups").rule, 27);
    assert!(n.resource.get("groups").is_none());
}

#[test]
fn rule_29_user_name_alphabet_length_and_reserved_names() {
    for bad in [
        "b jensen",
        "Administrator",
        "awsadministrators",
        &"a".repeat(129),
    ] {
        let mut u = user();
        u["userName"] = json!(bad);
        let n = IdentityCenter::new().normalize_user(&u);
        let f = finding(&n, "userName");
        assert_eq!((f.rule, f.action), (29, Action::Rejected), "{bad}");
    }
}

#[test]
fn rule_30_strings_empty_too_long_or_with_bad_characters() {
    let mut u = user();
    u["nickName"] = json!("");
    u["title"] = json!("x".repeat(1100));
    u["userType"] = json!("Employee\u{200b}");
    u["displayName"] = json!("é".repeat(1030));
    let n = IdentityCenter::new().normalize_user(&u);
    assert!(n.is_accepted());
    assert_eq!(finding(&n, "nickName").action, Action::Dropped);
    assert_eq!(finding(&n, "title").action, Action::Truncated);
    assert_eq!(n.resource["title"].as_str().unwrap().len(), 1024);
    assert_eq!(finding(&n, "userType").action, Action::Dropped);
    assert_eq!(
        n.resource["displayName"].as_str().unwrap().chars().count(),
        1024
    );
    assert!(n.findings.iter().all(|f| f.rule == 30));

    // A required string with a bad character, or an identifying value, is refused.
    u["name"]["givenName"] = json!("Bar\u{0}bara");
    u["emails"][0]["value"] = json!("x".repeat(1025));
    let n = IdentityCenter::new().normalize_user(&u);
    assert_eq!(finding(&n, "name.givenName").action, Action::Rejected);
    assert_eq!(finding(&n, "emails.value").action, Action::Rejected);
    assert_eq!(
        IdentityCenter::new()
            .normalize_user(&json!(42))
            .rejections()
            .count(),
        5
    );
}

#[test]
fn rule_32_external_id_limits_and_presence() {
    let mut u = user();
    u["externalId"] = json!("has space");
    let n = IdentityCenter::new().normalize_user(&u);
    let f = finding(&n, "externalId");
    assert_eq!((f.rule, f.action), (32, Action::Rejected));
    u.as_object_mut().unwrap().remove("externalId");
    let n = IdentityCenter::new().normalize_user(&u);
    let f = finding(&n, "externalId");
    assert_eq!((f.rule, f.action), (32, Action::Warned));
    assert!(n.is_accepted());
}

#[test]
fn rule_44_group_display_name_required() {
    let g = IdentityCenter::new().normalize_group(&json!({"members": [{"value": "u-1"}]}));
    let f = finding(&g, "displayName");
    assert_eq!((f.rule, f.action), (44, Action::Rejected));
}

#[test]
fn rule_46_groups_hold_only_display_name_external_id_and_members() {
    let g = IdentityCenter::new().normalize_group(&json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "displayName": "Ops", "externalId": "e-1", "description": "x",
        "members": []
    }));
    assert_eq!(finding(&g, "description").rule, 46);
    assert_eq!(
        g.resource,
        json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "Ops", "externalId": "e-1"})
    );
}

#[test]
fn rule_86_null_and_empty_arrays_are_sent_as_absent() {
    let mut u = user();
    u["addresses"] = json!([]);
    u["phoneNumbers"] = json!(null);
    u["nickName"] = json!(null);
    let n = IdentityCenter::new().normalize_user(&u);
    assert_eq!(n.resource, user());
    assert_eq!(finding(&n, "addresses").rule, 86);
    assert!(n.findings.iter().all(|f| f.path == "addresses"));
}

#[test]
fn attribute_names_are_case_insensitive_on_input() {
    let u = json!({
        "USERNAME": "b@example.com",
        "Name": {"GIVENNAME": "B", "familyname": "J"},
        "displayname": "B J",
        "externalID": "x"
    });
    let n = IdentityCenter::new().normalize_user(&u);
    assert!(n.is_accepted(), "{:?}", n.findings);
    assert_eq!(
        n.resource,
        json!({"userName": "b@example.com", "name": {"givenName": "B", "familyName": "J"}, "displayName": "B J", "externalId": "x"})
    );
}

const FIXTURE_PUT: &str = include_str!("../../tests/data/aws/jumpcloud_put_user_full.json");
const FIXTURE_BEFORE: &str = include_str!("../../tests/data/aws/identity_center_user_before.json");

#[test]
fn rule_82_and_86_jumpcloud_full_put_plans_only_what_aws_accepts() {
    let put: Value = serde_json::from_str(FIXTURE_PUT).unwrap();
    let before: Value = serde_json::from_str(FIXTURE_BEFORE).unwrap();
    let plan = IdentityCenter::jumpcloud()
        .plan_user(&before, &put)
        .unwrap();
    assert_eq!(plan.requests.len(), 1);
    let ops = serde_json::to_value(&plan.requests[0]).unwrap()["Operations"].clone();
    assert_eq!(
        ops,
        json!([
            {"op": "replace", "path": "displayName", "value": "Jane Doe"},
            {"op": "remove", "path": "name.middleName"},
            {"op": "replace", "path": "name.formatted", "value": "Jane Q Doe"},
            {"op": "replace", "path": "name.givenName", "value": "Jane"},
            {"op": "replace", "path": "preferredLanguage", "value": "en-US"},
            {"op": "replace", "path": "timezone", "value": "America/Denver"},
            {"op": "replace", "path": "title", "value": "Staff Engineer"},
            {"op": "replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "value": "Platform"},
            // Attributes only the old user has come last.
            {"op": "remove", "path": "nickName"},
            {"op": "remove", "path": "phoneNumbers"}
        ])
    );
    // Nothing AWS refuses: no photos, groups, display, null or empty values, no path-less op.
    let text = ops.to_string();
    for refused in ["photos", "groups", "display\"", "null", "\"\"", "[]"] {
        assert!(!text.contains(refused), "{refused} in {text}");
    }
    let dropped: Vec<&str> = plan.findings.iter().map(|f| f.path.as_str()).collect();
    for path in [
        "photos",
        "groups",
        "emails.display",
        "phoneNumbers",
        "addresses",
    ] {
        assert!(dropped.contains(&path), "{path} not reported: {dropped:?}");
    }
}

#[test]
fn rule_39_plan_refuses_to_remove_active() {
    let put: Value = serde_json::from_str(FIXTURE_PUT).unwrap();
    let before: Value = serde_json::from_str(FIXTURE_BEFORE).unwrap();
    let mut no_active = put.clone();
    no_active["active"] = Value::Null;
    let err = IdentityCenter::new()
        .plan_user(&before, &no_active)
        .unwrap_err();
    assert_eq!(err.scim_type, Some(crate::ScimType::Mutability));
    let mut invalid = put;
    invalid["name"] = json!({});
    let err = IdentityCenter::new()
        .plan_user(&before, &invalid)
        .unwrap_err();
    assert_eq!(err.scim_type, Some(crate::ScimType::InvalidValue));
    assert!(err.detail.unwrap().contains("rule 23"));
}

#[test]
fn rule_39_plan_sends_user_name_and_active_apart() {
    let current = json!({"id": "u-1", "userName": "a@example.com", "displayName": "A",
        "name": {"givenName": "A", "familyName": "B"}, "active": true});
    let desired = json!({"userName": "b@example.com", "displayName": "B",
        "name": {"givenName": "A", "familyName": "B"}, "active": false});
    let plan = IdentityCenter::new().plan_user(&current, &desired).unwrap();
    let paths: Vec<Vec<&str>> = plan
        .requests
        .iter()
        .map(|r| {
            r.operations
                .iter()
                .filter_map(|o| o.path.as_deref())
                .collect()
        })
        .collect();
    assert_eq!(paths, [vec!["active", "displayName"], vec!["userName"]]);
}

#[test]
fn rule_45_group_plan_takes_membership_from_the_caller() {
    let current = json!({"id": "g-1", "displayName": "Ops", "members": [{"value": "a"}]});
    let desired = json!({"displayName": "Operations", "members": [{"value": "a"}, {"value": "b", "display": "B"}]});
    let plan = IdentityCenter::new()
        .plan_group(&current, &desired)
        .unwrap();
    assert_eq!(
        serde_json::to_value(&plan.requests).unwrap()[0]["Operations"],
        json!([
            {"op": "replace", "path": "displayName", "value": "Operations"},
            {"op": "add", "path": "members", "value": [{"value": "b"}]}
        ])
    );
}

#[test]
fn rule_62_and_73_upsert_creates_overwrites_or_conflicts() {
    let ic = IdentityCenter::new();
    let desired = user();
    match ic.upsert_user(&desired, &[]).unwrap() {
        Upsert::Create { body, findings } => {
            assert_eq!(body, desired);
            assert!(findings.is_empty());
        }
        other => panic!("{other:?}"),
    }
    // Same userName and email, ignoring case: overwrite with a plan.
    let mut existing = user();
    existing["id"] = json!("u-1");
    existing["userName"] = json!("BJensen@Example.com");
    existing["emails"][0]["value"] = json!("BJENSEN@example.com");
    existing["title"] = json!("Old");
    match ic
        .upsert_user(&desired, std::slice::from_ref(&existing))
        .unwrap()
    {
        Upsert::Overwrite { id, plan } => {
            assert_eq!(id, "u-1");
            let ops = serde_json::to_value(&plan.requests).unwrap()[0]["Operations"].clone();
            assert_eq!(
                ops,
                json!([
                    {"op": "replace", "path": "emails", "value": [{"value": "bjensen@example.com", "type": "work", "primary": true}]},
                    {"op": "replace", "path": "userName", "value": "bjensen@example.com"},
                    {"op": "remove", "path": "title"}
                ])
            );
        }
        other => panic!("{other:?}"),
    }
    // Same userName, another email: conflict.
    existing["emails"][0]["value"] = json!("someone.else@example.com");
    assert!(matches!(
        ic.upsert_user(&desired, std::slice::from_ref(&existing))
            .unwrap(),
        Upsert::Conflict { id: Some(_), .. }
    ));
    // Two matches: ambiguous.
    assert!(matches!(
        ic.upsert_user(&desired, &[existing.clone(), existing])
            .unwrap(),
        Upsert::Conflict { id: None, .. }
    ));
    // A desired user AWS would refuse is an error, not a decision.
    assert!(ic.upsert_user(&json!({"userName": "x"}), &[]).is_err());
}
