//! Tenant isolation over HTTP, on SQLite and PostgreSQL: tenant A's token on every endpoint of
//! tenant B answers the same `401` as a tenant that does not exist, and changes nothing in B;
//! a revoked token stops working at the next request; `userName` is unique per tenant, and a
//! filter in A never sees B's users.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use common::{Answer, Kind, Server, Tenant, filter, patch_op};
use reqwest::Method;
use scimkit_server::Store;
use serde_json::{Value, json};

const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
const SEARCH: &str = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";

/// Every endpoint of a tenant, with a body for the writes: (method, path, body).
fn endpoints(user: &str, group: &str) -> Vec<(Method, String, Option<Value>)> {
    let new_user = json!({"schemas": [USER], "userName": "intruder"});
    let new_group = json!({"schemas": [GROUP], "displayName": "intruders"});
    let search = json!({"schemas": [SEARCH], "filter": "userName pr"});
    let patch = patch_op(json!([{"op": "replace", "path": "displayName", "value": "pwned"}]));
    let members = patch_op(json!([{"op": "remove", "path": "members"}]));
    vec![
        (Method::GET, "/Users".into(), None),
        (
            Method::GET,
            format!("/Users{}", filter("userName pr")),
            None,
        ),
        (Method::POST, "/Users".into(), Some(new_user.clone())),
        (Method::GET, format!("/Users/{user}"), None),
        (Method::PUT, format!("/Users/{user}"), Some(new_user)),
        (Method::PATCH, format!("/Users/{user}"), Some(patch.clone())),
        (Method::DELETE, format!("/Users/{user}"), None),
        (Method::GET, "/Groups".into(), None),
        (Method::POST, "/Groups".into(), Some(new_group.clone())),
        (Method::GET, format!("/Groups/{group}"), None),
        (Method::PUT, format!("/Groups/{group}"), Some(new_group)),
        (Method::PATCH, format!("/Groups/{group}"), Some(members)),
        (Method::PATCH, format!("/Groups/{group}"), Some(patch)),
        (Method::DELETE, format!("/Groups/{group}"), None),
        (Method::POST, "/.search".into(), Some(search.clone())),
        (Method::POST, "/Users/.search".into(), Some(search.clone())),
        (Method::POST, "/Groups/.search".into(), Some(search)),
        (Method::GET, "/ServiceProviderConfig".into(), None),
        (Method::GET, "/Schemas".into(), None),
        (Method::GET, format!("/Schemas/{USER}"), None),
        (Method::GET, "/ResourceTypes".into(), None),
        (Method::GET, "/ResourceTypes/User".into(), None),
    ]
}

/// `method base+path` with `token` (or none).
async fn call(
    http: &reqwest::Client,
    base: &str,
    token: Option<&str>,
    (method, path, body): &(Method, String, Option<Value>),
) -> Answer {
    let mut r = http.request(method.clone(), format!("{base}{path}"));
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    if let Some(b) = body {
        r = r
            .header("content-type", "application/scim+json")
            .body(b.to_string());
    }
    Answer::read(r.send().await.unwrap()).await
}

fn assert_denied(a: &Answer, what: &str, reference: &Answer) {
    assert_eq!(a.status, 401, "{what}: {}", a.text);
    assert_eq!(
        a.headers["www-authenticate"].to_str().unwrap(),
        "Bearer",
        "{what}"
    );
    assert_eq!(a.body["status"], "401", "{what}: a SCIM error body");
    assert_eq!(
        a.text, reference.text,
        "{what}: the same 401 for every case"
    );
}

/// What B holds, as B sees it (users and groups, whole, versions included).
async fn snapshot(b: &Tenant) -> (Value, Value) {
    let users = b.get("/Users?sortBy=id").await;
    let groups = b.get("/Groups?sortBy=id").await;
    assert_eq!(users.status, 200);
    assert_eq!(groups.status, 200);
    (users.body, groups.body)
}

async fn isolation(kind: Kind) {
    let Some(s) = Server::start(kind).await else {
        return;
    };
    let a = s.tenant("strict", true).await;
    let b = s.tenant("strict", true).await;

    // The same userName in A and B: uniqueness is per tenant.
    let a_user = a.create_user("shared@example.com").await;
    let b_user = b.create_user("shared@example.com").await;
    let b_other = b.create_user("only-b@example.com").await;
    let a_group = a.create_group("Staff", &[&a_user]).await;
    let b_group = b.create_group("Staff", &[&b_user, &b_other]).await;
    assert_ne!(a_user, b_user);

    // A filter in A never returns B's users.
    let l = a
        .get(&format!(
            "/Users{}",
            filter(r#"userName eq "shared@example.com""#)
        ))
        .await;
    assert_eq!(l.body["totalResults"], 1);
    assert_eq!(l.body["Resources"][0]["id"], a_user.as_str());
    let l = a.get(&format!("/Users{}", filter("userName pr"))).await;
    assert_eq!(l.body["totalResults"], 1, "A sees only its own user");
    let all = a
        .post(
            "/.search",
            &json!({"schemas": [SEARCH], "filter": "userName pr or displayName pr"}),
        )
        .await;
    assert_eq!(all.status, 200, "{}", all.text);
    let found: Vec<&str> = all.body["Resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.contains(&a_user.as_str()) && found.contains(&a_group.as_str()));
    // B's ids are unknown to A, even with A's own token on A's endpoints.
    assert_eq!(a.get(&format!("/Users/{b_user}")).await.status, 404);
    let add = patch_op(json!([{"op": "add", "path": "members", "value": [{"value": b_user}]}]));
    let r = a.patch(&format!("/Groups/{a_group}"), &add).await;
    assert_eq!(r.status, 400, "B's user cannot join A's group: {}", r.text);

    let before = snapshot(&b).await;
    let http = reqwest::Client::new();
    let ghost = format!("{}/no-such-tenant/scim/v2", s.root);
    let reference = call(
        &http,
        &ghost,
        Some(&a.token),
        &endpoints(&b_user, &b_group)[0],
    )
    .await;
    assert_eq!(reference.status, 401);
    for e in endpoints(&b_user, &b_group) {
        let what = format!("{} {}", e.0, e.1);
        // A's token on B, on a tenant that does not exist, and no or a malformed token on B.
        assert_denied(
            &call(&http, &b.base, Some(&a.token), &e).await,
            &what,
            &reference,
        );
        assert_denied(
            &call(&http, &ghost, Some(&a.token), &e).await,
            &what,
            &reference,
        );
        assert_denied(&call(&http, &b.base, None, &e).await, &what, &reference);
        let forged = format!("{}0", &b.token[..b.token.len() - 1]);
        let forged = if forged == b.token {
            format!("{}1", &b.token[..b.token.len() - 1])
        } else {
            forged
        };
        assert_denied(
            &call(&http, &b.base, Some(&forged), &e).await,
            &what,
            &reference,
        );
        // A's token on A's own endpoint of the same shape is let in: the 401 is the tenant's.
        let own = (
            e.0.clone(),
            e.1.replace(&b_user, &a_user).replace(&b_group, &a_group),
            e.2.clone(),
        );
        if own.0 != Method::DELETE {
            let r = call(&http, &a.base, Some(&a.token), &own).await;
            assert_ne!(r.status, 401, "{what} with A's token on A: {}", r.text);
        }
    }
    assert_eq!(snapshot(&b).await, before, "B is unchanged");
    let intruders =
        s.db.count(
            "SELECT count(*) FROM scim_resources WHERE tenant = $1",
            &[&b.id],
        )
        .await;
    assert_eq!(intruders, 3, "nothing was written into B");

    // Revocation takes effect at the next request.
    let second = s.token(&b.id).await;
    let probe = (Method::GET, "/Users".to_owned(), None);
    assert_eq!(
        call(&http, &b.base, Some(&second), &probe).await.status,
        200
    );
    let id = second.split('_').nth(1).unwrap();
    assert!(s.store.revoke_token(id).await.unwrap());
    assert_denied(
        &call(&http, &b.base, Some(&second), &probe).await,
        "a revoked token",
        &reference,
    );
    let write = (
        Method::POST,
        "/Users".to_owned(),
        Some(json!({"schemas": [USER], "userName": "after-revoke"})),
    );
    assert_eq!(
        call(&http, &b.base, Some(&second), &write).await.status,
        401
    );
    // B's first token still works.
    assert_eq!(
        call(&http, &b.base, Some(&b.token), &probe).await.status,
        200
    );
    assert_eq!(snapshot(&b).await, before);
    s.finish().await;
}

both!(tenant_isolation, isolation);
