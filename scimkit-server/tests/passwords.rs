//! Passwords and the body limit over HTTP, on SQLite and PostgreSQL: a password is stored only
//! as an argon2id PHC string (no row of the database holds the cleartext), never returned,
//! and refused with `400` by a tenant that does not accept passwords; a body over the limit
//! is `413` with a SCIM error body.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use common::{Kind, Server, patch_op};
use scimkit_server::Limits;
use serde_json::json;

const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";

async fn no_cleartext(s: &Server, tenant: &str, secrets: &[&str]) {
    let resources =
        s.db.texts(
            "SELECT CAST(resource AS TEXT) FROM scim_resources WHERE tenant = $1",
            &[tenant],
        )
        .await;
    let index =
        s.db.texts(
            "SELECT COALESCE(fold, '') || '|' || COALESCE(exact, '') FROM scim_index \
             WHERE tenant = $1",
            &[tenant],
        )
        .await;
    let hashes =
        s.db.texts(
            "SELECT password_hash FROM scimkit_secrets WHERE tenant = $1",
            &[tenant],
        )
        .await;
    assert!(!resources.is_empty() && !index.is_empty());
    for secret in secrets {
        for row in resources.iter().chain(&index).chain(&hashes) {
            assert!(
                !row.to_lowercase().contains(&secret.to_lowercase()),
                "cleartext in {row}"
            );
        }
    }
    assert_eq!(hashes.len(), 1);
    assert!(hashes[0].starts_with("$argon2id$"), "{}", hashes[0]);
}

async fn passwords(kind: Kind) {
    let Some(s) = Server::start(kind).await else {
        return;
    };
    let t = s.tenant("strict", true).await;
    let first = "Cleartext-Secret-4711";
    let a = t
        .post(
            "/Users",
            &json!({"schemas": [USER], "userName": "pw@example.com", "password": first}),
        )
        .await;
    assert_eq!(a.status, 201, "{}", a.text);
    assert!(!a.text.contains(first) && a.body.get("password").is_none());
    let id = a.id();
    for q in ["", "?attributes=password", "?attributes=userName,password"] {
        let g = t.get(&format!("/Users/{id}{q}")).await;
        assert_eq!(g.status, 200);
        assert!(!g.text.contains(first) && g.body.get("password").is_none());
    }
    let l = t.get("/Users?attributes=password").await;
    assert!(!l.text.contains(first));
    no_cleartext(&s, &t.id, &[first]).await;
    let hash1 =
        s.db.texts(
            "SELECT password_hash FROM scimkit_secrets WHERE id = $1",
            &[&id],
        )
        .await;

    // PATCH and PUT set new ones, hashed too.
    let second = "Second-Secret-0815";
    let p = patch_op(json!([{"op": "replace", "path": "password", "value": second}]));
    let a = t.patch(&format!("/Users/{id}"), &p).await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert!(!a.text.contains(second));
    let hash2 =
        s.db.texts(
            "SELECT password_hash FROM scimkit_secrets WHERE id = $1",
            &[&id],
        )
        .await;
    assert_ne!(hash1, hash2, "a new password, a new hash");
    let third = "Third-Secret-2024";
    let put = json!({"schemas": [USER], "userName": "pw@example.com", "password": third});
    let a = t.put(&format!("/Users/{id}"), &put).await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert!(!a.text.contains(third));
    no_cleartext(&s, &t.id, &[first, second, third]).await;

    // A tenant that refuses passwords: 400 for create, PATCH and PUT; nothing stored.
    let r = s.tenant("strict", false).await;
    let a = r
        .post(
            "/Users",
            &json!({"schemas": [USER], "userName": "nopw@example.com", "password": first}),
        )
        .await;
    assert_eq!(a.status, 400, "{}", a.text);
    assert_eq!(a.body["status"], "400");
    let rid = r.create_user("nopw@example.com").await;
    let a = r.patch(&format!("/Users/{rid}"), &p).await;
    assert_eq!(a.status, 400, "{}", a.text);
    let put = json!({"schemas": [USER], "userName": "nopw@example.com", "password": third});
    assert_eq!(r.put(&format!("/Users/{rid}"), &put).await.status, 400);
    let n =
        s.db.count(
            "SELECT count(*) FROM scimkit_secrets WHERE tenant = $1",
            &[&r.id],
        )
        .await;
    assert_eq!(n, 0);
    s.finish().await;
}

async fn body_limit(kind: Kind) {
    let limits = Limits {
        max_body: 1024,
        ..Limits::default()
    };
    let Some(s) = Server::start_with(kind, limits).await else {
        return;
    };
    let t = s.tenant("strict", true).await;
    let big = json!({"schemas": [USER], "userName": "big@example.com",
                     "displayName": "x".repeat(4096)});
    let a = t.post("/Users", &big).await;
    assert_eq!(a.status, 413, "{}", a.text);
    assert!(
        a.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/scim+json")
    );
    assert_eq!(
        a.body["schemas"][0],
        "urn:ietf:params:scim:api:messages:2.0:Error"
    );
    assert_eq!(a.body["status"], "413");
    let id = t.create_user("small@example.com").await;
    let p = patch_op(json!([{"op": "replace", "path": "displayName", "value": "y".repeat(4096)}]));
    assert_eq!(t.patch(&format!("/Users/{id}"), &p).await.status, 413);
    assert_eq!(t.put(&format!("/Users/{id}"), &big).await.status, 413);
    let n =
        s.db.count(
            "SELECT count(*) FROM scim_resources WHERE tenant = $1",
            &[&t.id],
        )
        .await;
    assert_eq!(n, 1, "only the small user");
    assert!(
        t.get(&format!("/Users/{id}"))
            .await
            .body
            .get("displayName")
            .is_none()
    );
    s.finish().await;
}

both!(stored_hashed, passwords);
both!(over_the_limit, body_limit);
