use chrono::{TimeZone, Utc};
use serde_json::{Value, json};

use super::*;
use crate::model::{PatchOp, PatchOperation};
use crate::schema::{AttrType, Attribute, Mutability};
use crate::{ScimType, SearchRequest};

const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).unwrap()
}

fn provider() -> Provider {
    Provider::new("https://example.com/scim/v2/").with_uniqueness(
        "Group",
        "displayName",
        Uniqueness::Server,
    )
}

fn user(p: &Provider, id: &str, name: &str) -> Value {
    p.create(
        "User",
        &json!({"schemas": [USER], "userName": name}),
        id,
        now(),
        [],
    )
    .unwrap()
}

#[track_caller]
fn fails(r: Result<impl std::fmt::Debug, ScimError>, status: u16, t: Option<ScimType>) {
    let e = r.unwrap_err();
    assert_eq!((e.status, e.scim_type), (status, t), "{e}");
}

#[test]
fn create_reads_the_body_against_the_schemas() {
    let p = provider();
    let u = p
        .create(
            "User",
            &json!({
                "schemas": [USER, ENTERPRISE],
                "UserName": "bjensen", "id": "x", "groups": [{"value": "g"}],
                "meta": {"version": "W/\"1\""},
                "name": {"givenName": "Barbara"},
                ENTERPRISE: {"employeeNumber": "701984", "manager": {"value": "m", "displayName": "Boss"}}
            }),
            "1",
            now(),
            [],
        )
        .unwrap();
    assert_eq!(u["userName"], "bjensen");
    assert_eq!(u["id"], "1");
    assert!(u.get("groups").is_none());
    assert_eq!(u[ENTERPRISE]["employeeNumber"], "701984");
    assert_eq!(u["meta"]["location"], "https://example.com/scim/v2/Users/1");
    assert_eq!(u["meta"]["created"], "2024-05-01T12:00:00Z");
    assert_ne!(u["meta"]["version"], "W/\"1\"");
}

#[test]
fn create_errors() {
    let p = provider();
    let now = now();
    for (body, status, t) in [
        (json!([]), 400, Some(ScimType::InvalidSyntax)),
        (json!({"userName": "a"}), 400, Some(ScimType::InvalidSyntax)),
        (
            json!({"schemas": [USER]}),
            400,
            Some(ScimType::InvalidValue),
        ),
        (
            json!({"schemas": [USER], "userName": 3}),
            400,
            Some(ScimType::InvalidValue),
        ),
        // An empty string is no value (RFC 7643 §2.5, RFC 7644 `pr`): a required one is missing.
        (
            json!({"schemas": [USER], "userName": ""}),
            400,
            Some(ScimType::InvalidValue),
        ),
        (
            json!({"schemas": [USER], "userName": "a", "nope": 1}),
            400,
            Some(ScimType::InvalidValue),
        ),
    ] {
        fails(p.create("User", &body, "1", now, []), status, t);
    }
    fails(p.create("Thing", &json!({}), "1", now, []), 404, None);
}

#[test]
fn uniqueness_follows_the_schema() {
    let p = provider();
    let a = user(&p, "1", "bjensen");
    let dup = json!({"schemas": [USER], "userName": "BJENSEN"});
    fails(
        p.create("User", &dup, "2", now(), [&a]),
        409,
        Some(ScimType::Uniqueness),
    );
    // Group displayName is unique only because this provider said so.
    let g = json!({"schemas": [GROUP], "displayName": "Admins"});
    let g1 = p.create("Group", &g, "g1", now(), []).unwrap();
    fails(
        p.create("Group", &g, "g2", now(), [&g1]),
        409,
        Some(ScimType::Uniqueness),
    );
    assert!(
        Provider::new("http://x")
            .create("Group", &g, "g2", now(), [&g1])
            .is_ok()
    );
    let doc = p.schema_document(GROUP).unwrap();
    let dn = doc["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "displayName");
    assert_eq!(dn.unwrap()["uniqueness"], "server");
}

#[test]
fn put_keeps_read_only_and_checks_immutable() {
    let mut schemas = SchemaRegistry::default();
    schemas.register(Schema::new(
        "urn:example:Device",
        vec![
            Attribute::new("serial", AttrType::String).with_mutability(Mutability::Immutable),
            Attribute::new("label", AttrType::String),
        ],
    ));
    schemas.register_resource_type("Device", "urn:example:Device", &[]);
    let p = Provider::new("http://x").with_schemas(schemas);
    let d = p
        .create(
            "Device",
            &json!({"schemas": ["urn:example:Device"], "serial": "A1", "label": "x"}),
            "d",
            now(),
            [],
        )
        .unwrap();
    let same = json!({"schemas": ["urn:example:Device"], "serial": "A1"});
    let put = p.replace("Device", &d, &same, now(), [&d]).unwrap();
    assert!(put.get("label").is_none());
    assert_eq!(put["meta"]["created"], d["meta"]["created"]);
    let other = json!({"schemas": ["urn:example:Device"], "serial": "B2"});
    fails(
        p.replace("Device", &d, &other, now(), [&d]),
        400,
        Some(ScimType::Mutability),
    );
}

#[test]
fn put_to_a_taken_user_name_is_a_conflict() {
    let p = provider();
    let a = user(&p, "1", "a");
    let b = user(&p, "2", "b");
    let body = json!({"schemas": [USER], "userName": "A"});
    fails(
        p.replace("User", &b, &body, now(), [&a, &b]),
        409,
        Some(ScimType::Uniqueness),
    );
    assert!(p.replace("User", &a, &body, now(), [&a, &b]).is_ok());
}

#[test]
fn patch_rolls_back_on_a_uniqueness_conflict() {
    let p = provider();
    let a = user(&p, "1", "a");
    let mut b = user(&p, "2", "b");
    let before = b.clone();
    let op = PatchOp::new(vec![
        PatchOperation::replace("displayName", "B"),
        PatchOperation::replace("userName", "A"),
    ]);
    fails(
        p.patch("User", &mut b, &op, now(), [&a]),
        409,
        Some(ScimType::Uniqueness),
    );
    assert_eq!(b, before);
    // No change, no new version.
    let noop = PatchOp::new(vec![PatchOperation::replace("userName", "b")]);
    assert!(!p.patch("User", &mut b, &noop, now(), [&a]).unwrap().changed);
    assert_eq!(b, before);
}

/// A fuzz finding (fuzz/regressions/provider/dup-display-name): a PATCH naming a Group's
/// `displayName` by its short name was taken for the User's (not unique) and not checked.
#[test]
fn patch_checks_the_resource_types_own_unique_attribute() {
    let p = provider();
    let group = |id: &str, name: &str| {
        p.create(
            "Group",
            &json!({"schemas": [GROUP], "displayName": name}),
            id,
            now(),
            [],
        )
        .unwrap()
    };
    let a = group("g1", "BJensen");
    let mut b = group("g2", "kelvin");
    let before = b.clone();
    let op = PatchOp::new(vec![PatchOperation::replace("displayName", "bjensen")]);
    fails(
        p.patch("Group", &mut b, &op, now(), [&a]),
        409,
        Some(ScimType::Uniqueness),
    );
    assert_eq!(b, before);
}

#[test]
fn list_and_respond_project() {
    let p = provider();
    let users = [user(&p, "1", "a"), user(&p, "2", "b")];
    let r = SearchRequest::from_query_string(
        "sortBy=userName&sortOrder=descending&attributes=userName",
    )
    .unwrap();
    let page = p.list("User", &r, &users).unwrap();
    assert_eq!(
        page.resources[0],
        json!({"id": "2", "userName": "b", "schemas": [USER]})
    );
    let bad = SearchRequest::from_query_string("filter=userName+eq").unwrap();
    fails(
        p.list("User", &bad, &users),
        400,
        Some(ScimType::InvalidFilter),
    );
    let one = p.respond("User", &users[0], &SearchRequest::new()).unwrap();
    assert_eq!(one["meta"], users[0]["meta"]);
}

#[test]
fn identity_center_profile() {
    let p = Provider::new("http://x").with_profile(Profile::IdentityCenter(IdentityCenter::new()));
    assert_eq!(p.max_results(), 100);
    assert_eq!(p.content_type(), "application/json");
    let full = json!({
        "schemas": [USER], "userName": "bjensen", "displayName": "Babs",
        "name": {"givenName": "Barbara", "familyName": "Jensen"}, "photos": [{"value": "https://p"}]
    });
    let u = p.create("User", &full, "1", now(), []).unwrap();
    assert!(u.get("photos").is_none());
    fails(
        p.create(
            "User",
            &json!({"schemas": [USER], "userName": "x"}),
            "2",
            now(),
            [],
        ),
        400,
        Some(ScimType::InvalidValue),
    );
    let sw = SearchRequest::from_query_string("filter=userName+sw+%22b%22").unwrap();
    fails(
        p.list("User", &sw, [&u]),
        400,
        Some(ScimType::InvalidFilter),
    );

    let mut g = p
        .create(
            "Group",
            &json!({"schemas": [GROUP], "displayName": "G"}),
            "g",
            now(),
            [],
        )
        .unwrap();
    let add = PatchOp::new(vec![PatchOperation::add(
        "members",
        json!([{"value": "1"}]),
    )]);
    p.patch("Group", &mut g, &add, now(), []).unwrap();
    assert_eq!(
        p.respond("Group", &g, &SearchRequest::new()).unwrap()["members"],
        json!([])
    );
    for op in [
        PatchOperation::replace("members", json!([{"value": "1"}])),
        PatchOperation::remove("members"),
        PatchOperation::add(
            "members",
            Value::Array((0..101).map(|i| json!({"value": i.to_string()})).collect()),
        ),
        PatchOperation::replace("urn:ietf:params:scim:schemas:core:2.0:Group:id", "x"),
    ] {
        fails(
            p.patch("Group", &mut g, &PatchOp::new(vec![op]), now(), []),
            400,
            Some(ScimType::InvalidValue),
        );
    }
    let mut u = u;
    let two = PatchOp::new(vec![PatchOperation::replace_value(
        json!({"active": false, "title": "x"}),
    )]);
    fails(
        p.patch("User", &mut u, &two, now(), []),
        400,
        Some(ScimType::InvalidValue),
    );
    fails(
        p.patch(
            "User",
            &mut u,
            &PatchOp::new(vec![PatchOperation::remove("active")]),
            now(),
            [],
        ),
        400,
        Some(ScimType::InvalidValue),
    );
}

#[test]
fn a_path_naming_an_extension_sets_or_clears_it() {
    let p = provider();
    let mut u = user(&p, "1", "a");
    let set = PatchOp::new(vec![PatchOperation::add(
        ENTERPRISE,
        json!({"schemas": [ENTERPRISE], "employeeNumber": "7"}),
    )]);
    assert!(p.patch("User", &mut u, &set, now(), []).unwrap().changed);
    assert_eq!(u[ENTERPRISE], json!({"employeeNumber": "7"}));
    assert_eq!(u["schemas"], json!([USER, ENTERPRISE]));
    let clear = PatchOp::new(vec![PatchOperation::remove(ENTERPRISE)]);
    assert!(p.patch("User", &mut u, &clear, now(), []).unwrap().changed);
    assert!(u.get(ENTERPRISE).is_none());
    assert_eq!(u["schemas"], json!([USER]));
}

#[test]
fn create_and_put_honour_the_compat_string_booleans() {
    let body = json!({
        "schemas": [USER], "userName": "ryan", "displayName": "Ryan", "active": "True",
        "name": {"givenName": "Ryan", "familyName": "Leenay"},
        "emails": [{"value": "old@example.com", "primary": "False"},
                   {"value": "ryan@example.com", "primary": "True"}]
    });
    let strict = Provider::new("http://x");
    fails(
        strict.create("User", &body, "1", now(), []),
        400,
        Some(ScimType::InvalidValue),
    );
    let u = strict
        .clone()
        .with_compat(Compat::entra())
        .create("User", &body, "1", now(), [])
        .unwrap();
    assert_eq!(u["active"], true);
    assert_eq!(u["emails"][1]["primary"], true);

    // Identity Center keeps the primary email: with the strings read as booleans first, the
    // one Entra marked primary, not the first.
    let ic = Provider::new("http://x")
        .with_profile(Profile::IdentityCenter(IdentityCenter::new()))
        .with_compat(Compat::entra());
    let u = ic.create("User", &body, "1", now(), []).unwrap();
    assert_eq!(
        u["emails"],
        json!([{"value": "ryan@example.com", "primary": true}])
    );
    let mut put = body.clone();
    put["emails"] =
        json!([{"value": "a@example.com"}, {"value": "b@example.com", "primary": "true"}]);
    put["active"] = json!("false");
    let v = ic.replace("User", &u, &put, now(), [&u]).unwrap();
    assert_eq!(
        v["emails"],
        json!([{"value": "b@example.com", "primary": true}])
    );
    assert_eq!(v["active"], false);
}

#[test]
fn users_show_the_groups_that_list_them() {
    let p = provider();
    let (u1, u2) = (user(&p, "u1", "ada"), user(&p, "u2", "bob"));
    let group = |id: &str, name: &str, members: Value| {
        p.create(
            "Group",
            &json!({"schemas": [GROUP], "displayName": name, "members": members}),
            id,
            now(),
            [],
        )
        .unwrap()
    };
    let admins = group("g1", "Admins", json!([{"value": "u1"}, {"value": "u2"}]));
    let mut ops = group("g0", "Ops", json!([{"value": "u1", "type": "User"}]));
    // A nested group is not a direct membership of its members.
    let nested = group("g2", "All", json!([{"value": "g1", "type": "Group"}]));
    let mut index = Memberships::from_groups([&admins, &ops, &nested]);
    let all = SearchRequest::new();

    let a = p.respond_with("User", &u1, &all, &index).unwrap();
    assert_eq!(
        a["groups"],
        json!([
            {"value": "g0", "$ref": "https://example.com/scim/v2/Groups/g0",
             "display": "Ops", "type": "direct"},
            {"value": "g1", "$ref": "https://example.com/scim/v2/Groups/g1",
             "display": "Admins", "type": "direct"}
        ])
    );
    // Projection applies to it like to any attribute; groups are not users.
    let only = |q: &str| SearchRequest::from_query_string(q).unwrap();
    let a = p
        .respond_with("User", &u1, &only("attributes=userName"), &index)
        .unwrap();
    assert!(a.get("groups").is_none());
    let a = p
        .respond_with("User", &u1, &only("excludedAttributes=groups"), &index)
        .unwrap();
    assert!(a.get("groups").is_none() && a.get("userName").is_some());
    let a = p
        .respond_with("User", &u1, &only("attributes=groups.display"), &index)
        .unwrap();
    assert_eq!(
        a["groups"],
        json!([{"display": "Ops"}, {"display": "Admins"}])
    );
    let g = p.respond_with("Group", &admins, &all, &index).unwrap();
    assert!(g.get("groups").is_none());
    // Without the index, as before.
    assert!(
        p.respond("User", &u1, &all)
            .unwrap()
            .get("groups")
            .is_none()
    );

    // Lists: filled before the filter runs.
    let users = [&u1, &u2];
    let page = p
        .list_with(
            "User",
            &only("filter=groups.value+eq+%22g0%22"),
            users,
            &index,
        )
        .unwrap();
    assert_eq!(page.total_results, 1);
    assert_eq!(page.resources[0]["id"], "u1");
    let page = p
        .list_with(
            "User",
            &only("filter=groups%5Bdisplay+eq+%22admins%22%5D"),
            users,
            &index,
        )
        .unwrap();
    assert_eq!(page.total_results, 2);
    assert_eq!(page.resources[1]["groups"][0]["value"], "g1");

    // Decorating only where `groups` is read answers as decorating every user up front.
    let decorated: Vec<Value> = [&u1, &u2]
        .iter()
        .map(|u| p.respond_with("User", u, &all, &index).unwrap())
        .collect();
    for q in [
        "count=1&attributes=userName",
        "startIndex=2&count=1",
        "sortBy=groups.value&sortOrder=descending&attributes=userName",
        "sortBy=groups.display&count=1",
        "sortBy=userName&sortOrder=descending&attributes=groups.display",
        "filter=groups+pr&excludedAttributes=groups",
        "filter=not+(groups.value+eq+%22g0%22)&attributes=userName",
        "filter=urn:ietf:params:scim:schemas:core:2.0:User:groups.value+eq+%22g1%22&count=1",
        "filter=userName+pr&sortBy=groups.value",
        "filter=groups.display+eq+%22ops%22",
        "filter=groups%5Bvalue+eq+%22g0%22%5D&attributes=userName",
        "filter=groups.value+eq+%22g1%22+and+groups.display+co+%22dm%22",
        "filter=groups.value+eq+%22g1%22+and+not+(groups.display+co+%22dm%22)",
    ] {
        let lazy = p.list_with("User", &only(q), users, &index).unwrap();
        let eager = p.list("User", &only(q), &decorated).unwrap();
        assert_eq!(
            serde_json::to_string(&lazy).unwrap(),
            serde_json::to_string(&eager).unwrap(),
            "{q}"
        );
    }

    // The index follows group writes.
    let leave = PatchOp::new(vec![PatchOperation::remove(r#"members[value eq "u1"]"#)]);
    p.patch("Group", &mut ops, &leave, now(), []).unwrap();
    index.insert(&ops);
    let a = p.respond_with("User", &u1, &all, &index).unwrap();
    assert_eq!(a["groups"].as_array().map(Vec::len), Some(1));
    index.remove("g1");
    let a = p.respond_with("User", &u1, &all, &index).unwrap();
    assert!(a.get("groups").is_none());
    assert!(index.groups_of("g1").next().is_none() && index.len() == 2);
}

#[test]
fn groups_of_a_user_stay_read_only() {
    let p = provider();
    let mut u = user(&p, "u1", "ada");
    let before = u.clone();
    for op in [
        PatchOperation::add("groups", json!([{"value": "g1"}])),
        PatchOperation::replace("groups", json!([{"value": "g1"}])),
        PatchOperation::add_value(
            json!({"groups": [{"value": "g1"}]})
                .as_object()
                .unwrap()
                .clone(),
        ),
    ] {
        fails(
            p.patch("User", &mut u, &PatchOp::new(vec![op]), now(), []),
            400,
            Some(ScimType::Mutability),
        );
        assert_eq!(u, before);
    }
    // PUT ignores it (RFC 7644 §3.5.1); the answer shows the derived value.
    let put = p
        .replace(
            "User",
            &u,
            &json!({"schemas": [USER], "userName": "ada", "groups": [{"value": "g9"}]}),
            now(),
            [],
        )
        .unwrap();
    assert!(put.get("groups").is_none());
    let g = p
        .create(
            "Group",
            &json!({"schemas": [GROUP], "displayName": "G", "members": [{"value": "u1"}]}),
            "g1",
            now(),
            [],
        )
        .unwrap();
    let index = Memberships::from_groups([g]);
    let a = p
        .respond_with("User", &put, &SearchRequest::new(), &index)
        .unwrap();
    assert_eq!(a["groups"][0]["value"], "g1");

    // Identity Center filters on groups.value but does not return the attribute.
    let ic = Provider::new("http://x").with_profile(Profile::IdentityCenter(IdentityCenter::new()));
    let q = SearchRequest::from_query_string("filter=groups.value+eq+%22g1%22").unwrap();
    let page = ic.list_with("User", &q, [&put], &index).unwrap();
    assert_eq!(page.total_results, 1);
    assert!(page.resources[0].get("groups").is_none());
}
