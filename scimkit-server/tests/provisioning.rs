//! Provisioning as identity providers send it, over HTTP against the real router, on SQLite
//! and PostgreSQL: create, look up by `userName`/`externalId`, group membership by Entra's
//! PATCH form and RFC 7644's, `active` off, PUT, DELETE, a user's readOnly `groups`,
//! memberships gone with their user (in any letter case), and entity tags (`304`, `412`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use common::{Kind, Server, Tenant, filter, patch_op};
use serde_json::{Value, json};

const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";

fn ids(list: &Value) -> Vec<String> {
    let mut v: Vec<String> = list["Resources"]
        .as_array()
        .map(|r| {
            r.iter()
                .filter_map(|x| x["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn group_ids(user: &Value) -> Vec<String> {
    let mut v: Vec<String> = user["groups"]
        .as_array()
        .map(|g| {
            g.iter()
                .filter_map(|x| x["value"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

async fn lookups(t: &Tenant) -> String {
    let a = t
        .post(
            "/Users",
            &json!({"schemas": [USER], "userName": "bjensen@example.com", "externalId": "ext-B1",
                    "name": {"givenName": "Barbara", "familyName": "Jensen"},
                    "emails": [{"value": "bjensen@example.com", "type": "work", "primary": true}],
                    "active": true}),
        )
        .await;
    assert_eq!(a.status, 201, "{}", a.text);
    let id = a.id();
    let location = a.body["meta"]["location"].as_str().unwrap().to_owned();
    assert_eq!(location, format!("{}/Users/{id}", t.base));
    assert_eq!(a.headers["location"].to_str().unwrap(), location);
    assert_eq!(a.etag(), a.body["meta"]["version"].as_str().unwrap());
    t.create_user("other@example.com").await;

    // userName is caseExact false: any case finds it; externalId is caseExact.
    for (f, want) in [
        (r#"userName eq "bjensen@example.com""#, vec![id.clone()]),
        (r#"userName eq "BJENSEN@Example.COM""#, vec![id.clone()]),
        (r#"externalId eq "ext-B1""#, vec![id.clone()]),
        (r#"externalId eq "EXT-b1""#, vec![]),
        (r#"userName eq "nobody@example.com""#, vec![]),
    ] {
        let l = t.get(&format!("/Users{}", filter(f))).await;
        assert_eq!(l.status, 200, "{f}: {}", l.text);
        assert_eq!(ids(&l.body), want, "{f}");
        assert_eq!(l.body["totalResults"], want.len(), "{f}");
    }
    id
}

async fn flows(kind: Kind) {
    let Some(s) = Server::start(kind).await else {
        return;
    };
    let t = s.tenant("strict", true).await;
    let u1 = lookups(&t).await;
    let u2 = t.create_user("u2@example.com").await;
    let u3 = t.create_user("u3@example.com").await;

    // RFC 7644 membership: add, then remove by `members[value eq "…"]`.
    let g = t.create_group("Engineering", &[]).await;
    let add = patch_op(json!([{"op": "add", "path": "members",
                               "value": [{"value": u1}, {"value": u2}, {"value": u3}]}]));
    let a = t.patch(&format!("/Groups/{g}"), &add).await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(a.body["members"].as_array().unwrap().len(), 3);
    let remove = patch_op(json!([{"op": "remove", "path": format!("members[value eq \"{u2}\"]")}]));
    let a = t.patch(&format!("/Groups/{g}"), &remove).await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(t.members(&g).await, sorted(vec![u1.clone(), u3.clone()]));

    // A user's readOnly `groups` comes from the member rows.
    let user = t.get(&format!("/Users/{u1}")).await;
    assert_eq!(group_ids(&user.body), vec![g.clone()]);
    assert_eq!(user.body["groups"][0]["display"], "Engineering");
    assert_eq!(
        user.body["groups"][0]["$ref"],
        format!("{}/Groups/{g}", t.base)
    );
    assert!(
        group_ids(&t.get(&format!("/Users/{u2}")).await.body).is_empty(),
        "u2 was removed"
    );

    // `replace active false`, then PUT.
    let off = patch_op(json!([{"op": "replace", "path": "active", "value": false}]));
    let a = t.patch(&format!("/Users/{u1}"), &off).await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(a.body["active"], false);
    assert_eq!(t.get(&format!("/Users/{u1}")).await.body["active"], false);
    let l = t.get(&format!("/Users{}", filter("active eq false"))).await;
    assert_eq!(ids(&l.body), vec![u1.clone()]);
    let before = t.get(&format!("/Users/{u1}")).await;
    let put = json!({"schemas": [USER], "userName": "bjensen@example.com", "externalId": "ext-B1",
                     "displayName": "Babs Jensen", "active": true});
    let a = t.put(&format!("/Users/{u1}"), &put).await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(a.body["displayName"], "Babs Jensen");
    assert!(a.body.get("emails").is_none(), "PUT replaces: emails gone");
    assert_ne!(a.etag(), before.etag());
    assert_eq!(
        a.body["meta"]["created"], before.body["meta"]["created"],
        "created is kept"
    );
    assert_eq!(group_ids(&a.body), vec![g.clone()], "groups survive a PUT");
    let l = t
        .get(&format!(
            "/Users{}",
            filter(r#"displayName eq "babs jensen""#)
        ))
        .await;
    assert_eq!(ids(&l.body), vec![u1.clone()], "the index follows the PUT");

    // Deleting a user removes its memberships, also one written in another letter case.
    let g2 = t.create_group("Upper", &[&u1.to_uppercase(), &u3]).await;
    let user = t.get(&format!("/Users/{u1}")).await;
    assert_eq!(group_ids(&user.body), sorted(vec![g.clone(), g2.clone()]));
    let (tag, tag2) = (
        t.get(&format!("/Groups/{g}")).await.etag(),
        t.get(&format!("/Groups/{g2}")).await.etag(),
    );
    assert_eq!(t.delete(&format!("/Users/{u1}")).await.status, 204);
    // The groups lost a member: new versions, so a write holding an old one is refused.
    let after = t.get(&format!("/Groups/{g}")).await;
    assert_ne!(
        after.etag(),
        tag,
        "a group whose member was deleted has a new version"
    );
    assert_ne!(after.body["meta"]["lastModified"], Value::Null);
    assert_ne!(t.get(&format!("/Groups/{g2}")).await.etag(), tag2);
    let stale = t
        .request(reqwest::Method::PATCH, &format!("/Groups/{g}"))
        .header("if-match", &tag)
        .header("content-type", "application/scim+json")
        .body(
            patch_op(json!([{"op": "replace", "path": "displayName", "value": "Stale"}]))
                .to_string(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 412);
    let l = t
        .get(&format!(
            "/Groups{}",
            filter(&format!(
                r#"meta.lastModified ge "{}""#,
                after.body["meta"]["lastModified"].as_str().unwrap()
            ))
        ))
        .await;
    assert!(
        ids(&l.body).contains(&g),
        "the index follows the new lastModified"
    );
    assert_eq!(t.get(&format!("/Users/{u1}")).await.status, 404);
    assert_eq!(t.delete(&format!("/Users/{u1}")).await.status, 404);
    assert_eq!(t.members(&g).await, vec![u3.clone()]);
    assert_eq!(t.members(&g2).await, vec![u3.clone()]);
    let rows =
        s.db.count(
            "SELECT count(*) FROM scim_members WHERE tenant = $1 AND member_fold = $2",
            &[&t.id, &u1],
        )
        .await;
    assert_eq!(rows, 0, "no member row names the deleted user");
    let l = t
        .get(&format!(
            "/Users{}",
            filter(r#"userName eq "bjensen@example.com""#)
        ))
        .await;
    assert_eq!(l.body["totalResults"], 0);
    // Its userName is free again.
    t.create_user("bjensen@example.com").await;

    // Deleting a group empties its users' `groups`.
    assert_eq!(t.delete(&format!("/Groups/{g2}")).await.status, 204);
    let user = t.get(&format!("/Users/{u3}")).await;
    assert_eq!(group_ids(&user.body), vec![g.clone()]);

    entity_tags(&t, &u3).await;
    entra(&s).await;
    s.finish().await;
}

/// `If-None-Match` gives `304`; a stale `If-Match` gives `412` and changes nothing.
async fn entity_tags(t: &Tenant, id: &str) {
    let path = format!("/Users/{id}");
    let a = t.get(&path).await;
    let etag = a.etag();
    assert!(etag.starts_with("W/\""), "{etag}");
    let r = t
        .request(reqwest::Method::GET, &path)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 304);
    assert!(r.text().await.unwrap().is_empty());
    let r = t
        .request(reqwest::Method::GET, &path)
        .header("if-none-match", "W/\"0000000000000000\"")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    let nick = |n: &str| patch_op(json!([{"op": "replace", "path": "nickName", "value": n}]));
    let stale = "W/\"0123456789abcdef\"";
    let send = |method: reqwest::Method, if_match: &str, body: Option<Value>| {
        let mut r = t.request(method, &path).header("if-match", if_match);
        if let Some(b) = body {
            r = r
                .header("content-type", "application/scim+json")
                .body(b.to_string());
        }
        async move { common::Answer::read(r.send().await.unwrap()).await }
    };
    let a = send(reqwest::Method::PATCH, stale, Some(nick("stale"))).await;
    assert_eq!(a.status, 412, "{}", a.text);
    assert_eq!(a.body["status"], "412");
    let put = json!({"schemas": [USER], "userName": "u3@example.com", "nickName": "stale"});
    assert_eq!(
        send(reqwest::Method::PUT, stale, Some(put.clone()))
            .await
            .status,
        412
    );
    assert_eq!(send(reqwest::Method::DELETE, stale, None).await.status, 412);
    let now = t.get(&path).await;
    assert_eq!(now.etag(), etag, "a refused write changes nothing");
    assert!(now.body.get("nickName").is_none());

    let a = send(reqwest::Method::PATCH, &etag, Some(nick("fresh"))).await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(a.body["nickName"], "fresh");
    let next = a.etag();
    assert_ne!(next, etag);
    // The old tag is stale now; the new one works for PUT and DELETE.
    assert_eq!(
        send(reqwest::Method::PUT, &etag, Some(put.clone()))
            .await
            .status,
        412
    );
    let a = send(reqwest::Method::PUT, &next, Some(put)).await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(send(reqwest::Method::DELETE, &next, None).await.status, 412);
    assert_eq!(
        send(reqwest::Method::DELETE, &a.etag(), None).await.status,
        204
    );
}

/// Entra ID's forms under the `entra` preset: `Add`/`Remove` with a `value` list (answered
/// `204`), string booleans.
async fn entra(s: &Server) {
    let t = s.tenant("entra", true).await;
    let a = t
        .post(
            "/Users",
            &json!({"schemas": [USER], "userName": "alice@contoso.com", "active": "True",
                    "externalId": "8c2f-entra"}),
        )
        .await;
    assert_eq!(a.status, 201, "{}", a.text);
    let alice = a.id();
    let bob = t.create_user("bob@contoso.com").await;
    let carol = t.create_user("carol@contoso.com").await;
    let l = t
        .get(&format!(
            "/Users{}",
            filter(r#"externalId eq "8c2f-entra""#)
        ))
        .await;
    assert_eq!(ids(&l.body), vec![alice.clone()]);
    let g = t.create_group("Sales", &[&carol]).await;

    let add = patch_op(json!([{"op": "Add", "path": "members",
                               "value": [{"value": alice}, {"value": bob}]}]));
    let a = t.patch(&format!("/Groups/{g}"), &add).await;
    assert_eq!(a.status, 204, "{}", a.text);
    assert!(!a.etag().is_empty(), "a 204 carries the new ETag");
    assert_eq!(
        t.members(&g).await,
        sorted(vec![alice.clone(), bob.clone(), carol.clone()])
    );
    let remove = patch_op(json!([{"op": "Remove", "path": "members", "value": [{"value": bob}]}]));
    let a = t.patch(&format!("/Groups/{g}"), &remove).await;
    assert_eq!(a.status, 204, "{}", a.text);
    assert_eq!(
        t.members(&g).await,
        sorted(vec![alice.clone(), carol.clone()])
    );

    let off = patch_op(json!([{"op": "Replace", "path": "active", "value": "False"}]));
    let a = t.patch(&format!("/Users/{alice}"), &off).await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(
        t.get(&format!("/Users/{alice}")).await.body["active"],
        false
    );
    assert_eq!(t.delete(&format!("/Users/{alice}")).await.status, 204);
    assert_eq!(t.members(&g).await, vec![carol]);
}

both!(idp_flows, flows);
