//! The `identity-center` profile as a sync tool meets it, on SQLite and PostgreSQL: groups
//! answered without members, membership learned through `members eq` filters (404 for a
//! member that does not exist), PatchGroup's limits and its 204, CreateGroup's 100 members,
//! the filter limits, and error bodies in Identity Center's shape.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stderr
)]

#[macro_use]
mod common;

use common::{Answer, Kind, Server, Tenant, filter, patch_op};
use serde_json::{Value, json};

const ERROR: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

async fn ic_user(t: &Tenant, user_name: &str) -> String {
    let a = t
        .post(
            "/Users",
            &json!({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                "userName": user_name,
                "displayName": user_name,
                "name": {"givenName": "G", "familyName": "F"},
                "emails": [{"value": format!("{user_name}@example.com"), "primary": true, "type": "work"}],
            }),
        )
        .await;
    assert_eq!(a.status, 201, "create {user_name}: {}", a.text);
    a.id()
}

/// An error in Identity Center's shape (rule 59): `schema` and `schemas`, `status` a string,
/// no `scimType`, `application/json`, a request id.
#[track_caller]
fn assert_ic_error(a: &Answer, status: u16) {
    assert_eq!(a.status.as_u16(), status, "{}", a.text);
    assert_eq!(a.body["schemas"], json!([ERROR]), "{}", a.text);
    assert_eq!(a.body["schema"], json!([ERROR]), "{}", a.text);
    assert_eq!(a.body["status"], status.to_string(), "{}", a.text);
    assert!(a.body.get("scimType").is_none(), "{}", a.text);
    assert!(a.body["detail"].as_str().is_some_and(|d| !d.is_empty()));
    assert!(
        a.body["exceptionRequestId"].as_str().is_some(),
        "{}",
        a.text
    );
    assert!(a.body["timeStamp"].as_str().is_some(), "{}", a.text);
    assert_eq!(a.headers["content-type"], "application/json");
    assert!(a.headers.contains_key("x-amzn-requestid"));
}

/// `GET /{endpoint}?filter=…`.
async fn find(t: &Tenant, endpoint: &str, f: &str) -> Answer {
    t.get(&format!("/{endpoint}{}", filter(f))).await
}

fn ids(a: &Answer) -> Vec<String> {
    let mut v: Vec<String> = a.body["Resources"]
        .as_array()
        .unwrap_or_else(|| panic!("no Resources: {}", a.text))
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect();
    v.sort();
    v
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

fn members(ids: &[String]) -> Value {
    Value::Array(ids.iter().map(|m| json!({"value": m})).collect())
}

async fn group_members(s: &Server, t: &Tenant, group: &str) -> Vec<String> {
    s.db.texts(
        "SELECT member_id FROM scim_members WHERE tenant = $1 AND group_id = $2",
        &[&t.id, group],
    )
    .await
}

async fn members_hidden_and_filtered(kind: Kind) {
    let Some(s) = Server::start(kind).await else {
        return;
    };
    let t = s.tenant_of("identity-center", "strict", false).await;
    let u1 = ic_user(&t, "u1").await;
    let u2 = ic_user(&t, "u2").await;
    let loner = ic_user(&t, "loner").await;
    let g1 = t.create_group("g1", &[&u1, &u2]).await;
    let g2 = t.create_group("g2", &[&u1]).await;

    // GetGroup and ListGroups: an empty member list (rule 45), though the rows are there.
    let a = t.get(&format!("/Groups/{g1}")).await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(a.body["members"], json!([]), "{}", a.text);
    assert_eq!(group_members(&s, &t, &g1).await.len(), 2);
    let a = t.get("/Groups").await;
    assert_eq!(ids(&a), sorted(vec![g1.clone(), g2.clone()]));
    for g in a.body["Resources"].as_array().unwrap() {
        assert_eq!(g["members"], json!([]), "{g}");
    }
    let a = t.get("/Groups?cursor&count=1").await;
    assert_eq!(a.body["Resources"][0]["members"], json!([]), "{}", a.text);
    // `count` 1 to 100, with a cursor or without.
    for q in ["count=101", "count=0", "cursor&count=101", "cursor&count=0"] {
        assert_ic_error(&t.get(&format!("/Groups?{q}")).await, 400);
    }
    assert_eq!(t.get("/Groups?count=100").await.status, 200);

    // Membership through filters: `members eq`, `members.value eq`.
    for f in [
        format!(r#"members eq "{u1}""#),
        format!(r#"members.value eq "{u1}""#),
    ] {
        let a = find(&t, "Groups", &f).await;
        assert_eq!(a.status, 200, "{f}: {}", a.text);
        assert_eq!(ids(&a), sorted(vec![g1.clone(), g2.clone()]), "{f}");
        assert_eq!(a.body["Resources"][0]["members"], json!([]));
    }
    let a = find(&t, "Groups", &format!(r#"members eq "{u2}""#)).await;
    assert_eq!(ids(&a), vec![g1.clone()]);
    // An existing user in no group: no group, not 404.
    let a = find(&t, "Groups", &format!(r#"members eq "{loner}""#)).await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(ids(&a), Vec::<String>::new());
    // `id eq G and members eq U`: G, or nothing.
    for (f, want) in [
        (
            format!(r#"id eq "{g1}" and members eq "{u2}""#),
            vec![g1.clone()],
        ),
        (format!(r#"id eq "{g2}" and members eq "{u2}""#), vec![]),
        (
            format!(r#"members eq "{u1}" and id eq "{g2}""#),
            vec![g2.clone()],
        ),
        (
            format!(r#"id eq "{g2}" and member eq "{u1}""#),
            vec![g2.clone()],
        ),
    ] {
        let a = find(&t, "Groups", &f).await;
        assert_eq!(a.status, 200, "{f}: {}", a.text);
        assert_eq!(ids(&a), want, "{f}");
    }
    // A member that does not exist: 404 ResourceNotFoundException (rule 51), also with a
    // cursor and in `id eq … and members eq …`.
    let missing = "9067729b3d-a2cfc8a5-0000-4000-8000-000000000000";
    for q in [
        filter(&format!(r#"members eq "{missing}""#)),
        filter(&format!(r#"members.value eq "{missing}""#)),
        filter(&format!(r#"id eq "{g1}" and members eq "{missing}""#)),
        format!("{}&cursor", filter(&format!(r#"members eq "{missing}""#))),
    ] {
        let a = t.get(&format!("/Groups{q}")).await;
        assert_ic_error(&a, 404);
    }
    // A group id is not a user: 404 too (only users are members in Identity Center).
    let a = find(&t, "Groups", &format!(r#"members eq "{g2}""#)).await;
    assert_ic_error(&a, 404);
    // Users by group.
    let a = find(&t, "Users", &format!(r#"groups.value eq "{g1}""#)).await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(ids(&a), sorted(vec![u1.clone(), u2.clone()]));

    // The RFC profile answers a filter on a missing member with an empty list.
    let rfc = s.tenant("strict", false).await;
    let a = find(&rfc, "Groups", &format!(r#"members.value eq "{missing}""#)).await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(a.body["totalResults"], 0);
    s.finish().await;
}
both!(members_hidden_and_filtered, members_hidden_and_filtered);

async fn patch_group_limits(kind: Kind) {
    let Some(s) = Server::start(kind).await else {
        return;
    };
    let t = s.tenant_of("identity-center", "strict", false).await;
    let mut users = Vec::new();
    for i in 0..102 {
        users.push(ic_user(&t, &format!("p{i:03}")).await);
    }
    // CreateGroup carries at most 100 members (rule 44).
    let body = |n: &str, m: &[String]| {
        json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
               "displayName": n, "members": members(m)})
    };
    let a = t.post("/Groups", &body("big", &users[..101])).await;
    assert_ic_error(&a, 400);
    let a = t.post("/Groups", &body("hundred", &users[..100])).await;
    assert_eq!(a.status, 201, "{}", a.text);
    let hundred = a.id();
    assert_eq!(group_members(&s, &t, &hundred).await.len(), 100);
    let g = t.create_group("g", &[]).await;
    let path = format!("/Groups/{g}");

    // 100 changes: 204, no body; they are there.
    let add =
        |m: &[String]| patch_op(json!([{"op": "add", "path": "members", "value": members(m)}]));
    let a = t.patch(&path, &add(&users[..100])).await;
    assert_eq!(a.status, 204, "{}", a.text);
    assert!(a.text.is_empty());
    assert_eq!(group_members(&s, &t, &g).await.len(), 100);
    // 101 changes in one request (over two operations): 400, nothing written.
    let a = t
        .patch(
            &path,
            &patch_op(json!([
                {"op": "remove", "path": "members", "value": members(&users[..50])},
                {"op": "add", "path": "members", "value": members(&users[50..101])},
            ])),
        )
        .await;
    assert_ic_error(&a, 400);
    let a = t.patch(&path, &add(&users[..101])).await;
    assert_ic_error(&a, 400);
    assert_eq!(group_members(&s, &t, &g).await.len(), 100);
    // Replacing or removing all memberships: 400 (rule 47).
    for ops in [
        json!([{"op": "replace", "path": "members", "value": members(&users[..1])}]),
        json!([{"op": "remove", "path": "members"}]),
        json!([{"op": "remove", "path": "members", "value": []}]),
        json!([{"op": "replace", "value": {"members": members(&users[..1])}}]),
    ] {
        let a = t.patch(&path, &patch_op(ops.clone())).await;
        assert_ic_error(&a, 400);
        assert_eq!(group_members(&s, &t, &g).await.len(), 100, "{ops}");
    }
    // Removing some, by value list and by filter, and renaming: 204.
    let a = t
        .patch(
            &path,
            &patch_op(json!([
                {"op": "remove", "path": "members", "value": members(&users[..10])},
                {"op": "remove", "path": format!("members[value eq \"{}\"]", users[10])},
                {"op": "replace", "path": "displayName", "value": "g renamed"},
            ])),
        )
        .await;
    assert_eq!(a.status, 204, "{}", a.text);
    assert_eq!(group_members(&s, &t, &g).await.len(), 89);
    let a = t.get(&path).await;
    assert_eq!(a.body["displayName"], "g renamed");
    // Another attribute: 400.
    let a = t
        .patch(
            &path,
            &patch_op(json!([{"op": "replace", "path": "meta.resourceType", "value": "x"}])),
        )
        .await;
    assert_ic_error(&a, 400);
    s.finish().await;
}
both!(patch_group_limits, patch_group_limits);

async fn filter_limits(kind: Kind) {
    let Some(s) = Server::start(kind).await else {
        return;
    };
    let t = s.tenant_of("identity-center", "strict", false).await;
    let u = ic_user(&t, "only").await;
    for (endpoint, f) in [
        ("Users", r#"userName sw "o""#),
        ("Users", r#"userName eq "a" or userName eq "only""#),
        ("Users", "userName pr"),
        ("Users", r#"not (userName eq "x")"#),
        ("Users", r#"displayName eq "only""#),
        ("Users", r#"emails[value eq "only@example.com"]"#),
        ("Users", r#"userName eq "only" and externalId eq "x""#),
        ("Groups", r#"displayName co "x""#),
        ("Groups", r#"userName eq "only""#),
        ("Users", "this is not a filter"),
    ] {
        let a = t.get(&format!("/{endpoint}{}", filter(f))).await;
        assert_ic_error(&a, 400);
        assert!(a.body.get("Resources").is_none(), "{f}");
    }
    for f in [
        r#"userName eq "only""#,
        r#"USERNAME eq "ONLY""#,
        r#"externalId eq "nope""#,
    ] {
        let a = t.get(&format!("/Users{}", filter(f))).await;
        assert_eq!(a.status, 200, "{f}: {}", a.text);
    }
    let a = t
        .get(&format!("/Users{}", filter(r#"userName eq "only""#)))
        .await;
    assert_eq!(ids(&a), vec![u.clone()]);
    // Other errors carry the same shape: a missing user, a duplicate, a bad token.
    assert_ic_error(&t.get("/Users/nope").await, 404);
    let a = t
        .post(
            "/Users",
            &json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                    "userName": "ONLY", "displayName": "x",
                    "name": {"givenName": "G", "familyName": "F"}}),
        )
        .await;
    assert_ic_error(&a, 409);
    s.finish().await;
}
both!(filter_limits, filter_limits);
