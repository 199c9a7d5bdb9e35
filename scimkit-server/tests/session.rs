//! A provisioning session over HTTP, as an identity provider drives it, against the server's
//! router on a loopback port, on SQLite and (when `SCIMKIT_TEST_POSTGRES` names a server) on
//! PostgreSQL.
#![allow(clippy::unwrap_used, clippy::print_stderr, clippy::panic)] // helpers outside #[test]

use std::sync::Arc;

use reqwest::{Client, Method, StatusCode};
use scimkit_server::{Limits, Service, SqlStore, Store, TenantRecord, issue_token, router};
use serde_json::{Value, json};

/// The body limit the sessions run with.
const BODY_LIMIT: usize = 64 * 1024;
const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/// A server on a free loopback port and a client bound to it.
struct Session {
    http: Client,
    base: String,
    token: String,
}

/// An answer: status, headers and the JSON body (`Null` when empty).
struct Answer {
    status: StatusCode,
    headers: reqwest::header::HeaderMap,
    body: Value,
}

impl Answer {
    #[track_caller]
    fn expect(self, status: u16) -> Value {
        assert_eq!(self.status.as_u16(), status, "{}", self.body);
        if status != 204 && status != 304 {
            assert_eq!(self.headers["content-type"], "application/scim+json");
        }
        self.body
    }

    #[track_caller]
    fn error(self, status: u16, scim_type: Option<&str>) -> Value {
        let body = self.expect(status);
        assert_eq!(
            body["schemas"],
            json!(["urn:ietf:params:scim:api:messages:2.0:Error"])
        );
        assert_eq!(body["status"], status.to_string());
        assert_eq!(body["scimType"].as_str(), scim_type, "{body}");
        body
    }
}

impl Session {
    /// Runs `run` on a session on SQLite, then on PostgreSQL (when configured).
    async fn each<F, Fut>(compat: &str, run: F)
    where
        F: Fn(Self) -> Fut,
        Fut: Future<Output = ()>,
    {
        run(Self::start("sqlite::memory:", compat).await).await;
        match std::env::var("SCIMKIT_TEST_POSTGRES") {
            Ok(url) if !url.is_empty() => run(Self::start(&url, compat).await).await,
            _ if std::env::var("CI").is_ok_and(|v| v == "true") => {
                panic!(
                    "SCIMKIT_TEST_POSTGRES is not set under CI=true: the PostgreSQL half must run"
                )
            }
            _ => eprintln!("session tests: SCIMKIT_TEST_POSTGRES not set; PostgreSQL NOT tested"),
        }
    }

    async fn start(database: &str, compat: &str) -> Self {
        let limits = Limits {
            max_body: BODY_LIMIT,
            ..Limits::default()
        };
        Self::start_with(database, compat, limits).await
    }

    async fn start_with(database: &str, compat: &str, limits: Limits) -> Self {
        let store = SqlStore::open(database).await.unwrap();
        // A tenant of its own, so sessions on one PostgreSQL database never meet.
        let tenant = format!("t{}", uuid::Uuid::new_v4().simple());
        store
            .create_tenant(&TenantRecord {
                id: tenant.clone(),
                name: tenant.clone(),
                profile: "rfc".into(),
                compat: compat.into(),
                accept_passwords: true,
            })
            .await
            .unwrap();
        let (token, record) = issue_token(&tenant, "session test").unwrap();
        store.add_token(&record).await.unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let public = format!("http://{}", listener.local_addr().unwrap());
        let base = format!("{public}/{tenant}/scim/v2");
        let service = Arc::new(Service::new(store, public).with_limits(limits));
        tokio::spawn(async move { axum::serve(listener, router(service)).await });
        Self {
            http: Client::new(),
            base,
            token,
        }
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> Answer {
        let mut r = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token);
        for (k, v) in headers {
            r = r.header(*k, *v);
        }
        if let Some(b) = body {
            r = r
                .header("content-type", "application/scim+json")
                .body(b.to_string());
        }
        let resp = r.send().await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.bytes().await.unwrap();
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap()
        };
        Answer {
            status,
            headers,
            body,
        }
    }

    async fn get(&self, path: &str) -> Answer {
        self.send(Method::GET, path, None, &[]).await
    }

    async fn post(&self, path: &str, body: Value) -> Answer {
        self.send(Method::POST, path, Some(&body), &[]).await
    }

    async fn put(&self, path: &str, body: Value) -> Answer {
        self.send(Method::PUT, path, Some(&body), &[]).await
    }

    async fn patch(&self, path: &str, ops: Value) -> Answer {
        let body = json!({"schemas": [PATCH], "Operations": ops});
        self.send(Method::PATCH, path, Some(&body), &[]).await
    }

    async fn delete(&self, path: &str) -> Answer {
        self.send(Method::DELETE, path, None, &[]).await
    }

    /// The ids of `filter`'s matches on `/Users`.
    async fn find_users(&self, filter: &str) -> Vec<String> {
        let q: String = url_encode(filter);
        let page = self.get(&format!("/Users?filter={q}")).await.expect(200);
        assert_eq!(
            page["schemas"],
            json!(["urn:ietf:params:scim:api:messages:2.0:ListResponse"])
        );
        page["Resources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_owned())
            .collect()
    }
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn user(name: &str, external_id: &str) -> Value {
    json!({
        "schemas": [USER],
        "userName": name,
        "externalId": external_id,
        "name": {"givenName": "Test", "familyName": name},
        "displayName": name,
        "emails": [{"value": name, "type": "work", "primary": true}],
        "password": "t1meMa$heen",
        "active": true
    })
}

fn member_ids(group: &Value) -> Vec<&str> {
    let mut ids: Vec<&str> = group["members"]
        .as_array()
        .map(|m| m.iter().filter_map(|m| m["value"].as_str()).collect())
        .unwrap_or_default();
    ids.sort_unstable();
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn provisioning_session() {
    Session::each("entra", |s| async move {

        // Authentication: no token, a wrong token.
        let anon = s
            .http
            .get(format!("{}/Users", s.base))
            .send()
            .await
            .unwrap();
        assert_eq!(anon.status(), 401);
        assert_eq!(anon.headers()["www-authenticate"], "Bearer");
        let wrong = s
            .http
            .get(format!("{}/Users", s.base))
            .bearer_auth("nope")
            .send()
            .await
            .unwrap();
        assert_eq!(wrong.status(), 401);
        let body: Value = wrong.json().await.unwrap();
        assert_eq!(body["status"], "401");

        // Discovery.
        let spc = s.get("/ServiceProviderConfig").await.expect(200);
        assert_eq!(spc["patch"]["supported"], true);
        assert_eq!(spc["etag"]["supported"], true);
        let types = s.get("/ResourceTypes").await.expect(200);
        assert_eq!(types["totalResults"], 2);
        s.get("/Schemas/urn:ietf:params:scim:schemas:core:2.0:Group")
            .await
            .expect(200);
        s.get("/Nothing").await.error(404, None);

        // Create two users.
        let created = s.post("/Users", user("alice@example.com", "ext-a")).await;
        let location = created.headers["location"].to_str().unwrap().to_owned();
        let etag = created.headers["etag"].to_str().unwrap().to_owned();
        let alice = created.expect(201);
        let a = alice["id"].as_str().unwrap().to_owned();
        assert_eq!(location, format!("{}/Users/{a}", s.base));
        assert_eq!(alice["meta"]["location"], location);
        assert_eq!(alice["meta"]["version"], etag);
        assert_eq!(alice["meta"]["resourceType"], "User");
        assert!(alice.get("password").is_none());
        let bob = s
            .post("/Users", user("bob@example.com", "ext-b"))
            .await
            .expect(201);
        let b = bob["id"].as_str().unwrap().to_owned();
        assert_ne!(a, b);

        // userName is unique, ignoring case; a missing or malformed body is refused.
        let dup = s.post("/Users", user("ALICE@example.com", "ext-c")).await;
        let body = dup.error(409, Some("uniqueness"));
        assert!(
            body["detail"].as_str().unwrap().contains("`userName`"),
            "the 409 names the attribute: {body}"
        );
        s.post("/Users", json!({"schemas": [USER]}))
            .await
            .error(400, Some("invalidValue"));
        let garbage = s
            .send(
                Method::POST,
                "/Users",
                None,
                &[("content-type", "application/json")],
            )
            .await;
        garbage.error(400, Some("invalidSyntax"));

        // Look-ups an IdP does before it creates.
        assert_eq!(
            s.find_users(r#"userName eq "Alice@Example.com""#).await,
            [a.as_str()]
        );
        assert_eq!(s.find_users(r#"externalId eq "ext-b""#).await, [b.as_str()]);
        assert!(s.find_users(r#"externalId eq "EXT-B""#).await.is_empty()); // caseExact
        assert!(
            s.find_users(r#"userName eq "carol@example.com""#)
                .await
                .is_empty()
        );
        s.get("/Users?filter=userName+eq")
            .await
            .error(400, Some("invalidFilter"));
        s.get("/Users?filter=active+gt+true")
            .await
            .error(400, Some("invalidFilter"));

        // A group with alice; group names are unique on this server.
        let group = s
            .post(
                "/Groups",
                json!({"schemas": [GROUP], "displayName": "Engineers", "members": [{"value": a}]}),
            )
            .await
            .expect(201);
        let g = group["id"].as_str().unwrap().to_owned();
        let gpath = format!("/Groups/{g}");
        assert_eq!(member_ids(&group), [a.as_str()]);
        s.post(
            "/Groups",
            json!({"schemas": [GROUP], "displayName": "Engineers"}),
        )
        .await
        .error(409, Some("uniqueness"));

        // RFC 7644 §3.5.2.1 add, then §3.5.2.2 remove by filter. Under Entra's preset a group
        // PATCH answers 204 No Content, with the new version as its ETag.
        let v0 = group["meta"]["version"].clone();
        let patched = s
            .patch(
                &gpath,
                json!([{"op": "add", "path": "members", "value": [{"value": b}]}]),
            )
            .await;
        let etag = patched.headers["etag"].to_str().unwrap().to_owned();
        assert_eq!(patched.expect(204), Value::Null);
        let after = s.get(&gpath).await.expect(200);
        assert_eq!(after["meta"]["version"], etag.as_str());
        let mut both = [a.as_str(), b.as_str()];
        both.sort_unstable();
        assert_eq!(member_ids(&after), both);
        assert_ne!(after["meta"]["version"], v0);
        s.patch(
            &gpath,
            json!([{"op": "remove", "path": format!("members[value eq \"{a}\"]")}]),
        )
        .await
        .expect(204);
        let after = s.get(&gpath).await.expect(200);
        assert_eq!(member_ids(&after), [b.as_str()]);

        // Entra ID: capitalised ops, `remove` with a value list.
        s.patch(
            &gpath,
            json!([
                {"op": "Add", "path": "members", "value": [{"value": a}]},
                {"op": "Remove", "path": "members", "value": [{"value": b}]}
            ]),
        )
        .await
        .expect(204);
        let after = s.get(&gpath).await.expect(200);
        assert_eq!(member_ids(&after), [a.as_str()]);

        // Users show the groups listing them (RFC 7643 §4.1.2), derived and readOnly.
        let upath = format!("/Users/{a}");
        let in_group = json!([{"value": g, "$ref": format!("{}/Groups/{g}", s.base),
                               "display": "Engineers", "type": "direct"}]);
        assert_eq!(s.get(&upath).await.expect(200)["groups"], in_group);
        assert!(
            s.get(&format!("/Users/{b}"))
                .await
                .expect(200)
                .get("groups")
                .is_none()
        );
        assert_eq!(
            s.find_users(&format!("groups.value eq \"{g}\"")).await,
            std::slice::from_ref(&a)
        );
        s.patch(
            &upath,
            json!([{"op": "add", "path": "groups", "value": [{"value": g}]}]),
        )
        .await
        .error(400, Some("mutability"));

        // Disable: Okta sends a path-less replace, Entra a string boolean.
        let off = s
            .patch(
                &upath,
                json!([{"op": "replace", "value": {"active": false}}]),
            )
            .await
            .expect(200);
        assert_eq!(off["active"], false);
        assert_eq!(off["groups"], in_group);
        let on = s
            .patch(
                &upath,
                json!([{"op": "Replace", "path": "active", "value": "True"}]),
            )
            .await
            .expect(200);
        assert_eq!(on["active"], true);
        let off = s
            .patch(
                &upath,
                json!([{"op": "Replace", "path": "active", "value": "False"}]),
            )
            .await
            .expect(200);
        assert_eq!(s.get(&upath).await.expect(200)["active"], false);
        assert!(s.find_users("active eq false").await.contains(&a));

        // PATCH errors.
        s.patch(
            &upath,
            json!([{"op": "replace", "path": "emails[type eq", "value": "x"}]),
        )
        .await
        .error(400, Some("invalidPath"));
        s.patch(&upath, json!([{"op": "remove"}]))
            .await
            .error(400, Some("noTarget"));
        s.patch(
            &upath,
            json!([{"op": "replace", "path": "id", "value": "x"}]),
        )
        .await
        .error(400, Some("mutability"));
        s.patch(
            &upath,
            json!([{"op": "replace", "path": "userName", "value": "bob@example.com"}]),
        )
        .await
        .error(409, Some("uniqueness"));
        s.patch(
            "/Users/nobody",
            json!([{"op": "replace", "path": "active", "value": true}]),
        )
        .await
        .error(404, None);

        // Entity tags: a stale If-Match fails, the current one passes, If-None-Match gives 304.
        let current = off["meta"]["version"].as_str().unwrap().to_owned();
        let stale = etag.as_str();
        let body = json!({"schemas": [PATCH], "Operations": [{"op": "replace", "path": "title", "value": "CTO"}]});
        s.send(Method::PATCH, &upath, Some(&body), &[("if-match", stale)])
            .await
            .error(412, None);
        let titled = s
            .send(
                Method::PATCH,
                &upath,
                Some(&body),
                &[("if-match", &current)],
            )
            .await
            .expect(200);
        let current = titled["meta"]["version"].as_str().unwrap().to_owned();
        let not_modified = s
            .send(Method::GET, &upath, None, &[("if-none-match", &current)])
            .await;
        assert_eq!(not_modified.status, 304);

        // PUT as JumpCloud sends it: the full user, empty arrays for unassigned values.
        let mut jc: Value =
            serde_json::from_str(include_str!("../../tests/data/resources/jumpcloud-put-user-full.json")).unwrap();
        jc["userName"] = json!("alice@example.com");
        let put = s.put(&upath, jc).await.expect(200);
        assert_eq!(put["id"], a.as_str());
        assert_eq!(put["title"], "Analyst");
        assert_eq!(put["externalId"], "5f0c1a2b3c4d5e6f7a8b9c0d");
        assert_eq!(put[ENTERPRISE]["department"], "Engineering");
        assert!(put.get("active").is_some_and(|v| v == true));
        assert!(put.get("addresses").is_none() && put.get("phoneNumbers").is_none());
        assert_eq!(put["meta"]["created"], alice["meta"]["created"]);
        assert_ne!(put["meta"]["version"], current.as_str());
        let taken = user("bob@example.com", "ext-a");
        s.put(&upath, taken).await.error(409, Some("uniqueness"));
        s.put("/Users/nobody", user("x@example.com", "x"))
            .await
            .error(404, None);

        // Attribute selection on a single resource.
        let slim = s
            .get(&format!("{upath}?attributes=userName"))
            .await
            .expect(200);
        assert_eq!(slim["userName"], "alice@example.com");
        assert!(slim.get("title").is_none() && slim.get("id").is_some());

        assert_eq!(put["groups"], in_group);

        // Delete: the user is gone, and gone from the group.
        assert_eq!(s.delete(&upath).await.expect(204), Value::Null);
        s.get(&upath).await.error(404, None);
        s.delete(&upath).await.error(404, None);
        let group = s.get(&gpath).await.expect(200);
        assert!(member_ids(&group).is_empty());
        s.delete(&gpath).await.expect(204);
        assert_eq!(s.get("/Groups").await.expect(200)["totalResults"], json!(0));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn strict_server_refuses_idp_deviations() {
    Session::each("strict", |s| async move {
        let u = s
            .post("/Users", user("carol@example.com", "ext"))
            .await
            .expect(201);
        let upath = format!("/Users/{}", u["id"].as_str().unwrap());
        s.patch(
            &upath,
            json!([{"op": "replace", "path": "active", "value": "False"}]),
        )
        .await
        .error(400, Some("invalidValue"));
        s.patch(
            &upath,
            json!([{"op": "replace", "path": "emails[type eq \"home\"].value", "value": "x@y"}]),
        )
        .await
        .error(400, Some("noTarget"));
        // Members name stored resources: the server refuses a dangling one.
        let e = s
            .post(
                "/Groups",
                json!({"schemas": [GROUP], "displayName": "G", "members": [{"value": "nobody"}]}),
            )
            .await
            .error(400, Some("invalidValue"));
        assert!(e["detail"].as_str().unwrap().contains("nobody"), "{e}");
        let m = s.post("/Users", user("m", "ext-m")).await.expect(201);
        let m = m["id"].as_str().unwrap();
        let g = s
            .post(
                "/Groups",
                json!({"schemas": [GROUP], "displayName": "G", "members": [{"value": m}]}),
            )
            .await
            .expect(201);
        let gpath = format!("/Groups/{}", g["id"].as_str().unwrap());
        s.patch(
            &gpath,
            json!([{"op": "remove", "path": "members", "value": [{"value": m}]}]),
        )
        .await
        .error(400, Some("invalidValue"));
        assert_eq!(member_ids(&s.get(&gpath).await.expect(200)), [m]);
    })
    .await;
}

/// Microsoft Entra ID's validator and provisioning, as they meet the server (issue 15).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn entra_validator_session() {
    Session::each("entra", |s| async move {
        let adscim = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group";

        // Discovery: the core schemas publish `externalId`.
        for urn in [USER, GROUP] {
            let doc = s.get(&format!("/Schemas/{urn}")).await.expect(200);
            let attrs = doc["attributes"].as_array().unwrap();
            assert!(attrs.iter().any(|a| a["name"] == "externalId"), "{urn}");
        }

        // Entra's Create Group body: the Microsoft URN is not stored, so not echoed.
        let body = json!({
            "schemas": [GROUP, adscim],
            "externalId": "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
            "displayName": "displayName",
            "meta": {"resourceType": "Group"}
        });
        let group = s.post("/Groups", body).await.expect(201);
        assert_eq!(group["schemas"], json!([GROUP]));
        let gpath = format!("/Groups/{}", group["id"].as_str().unwrap());
        assert_eq!(s.get(&gpath).await.expect(200)["schemas"], json!([GROUP]));
        let list = s.get("/Groups").await.expect(200);
        assert_eq!(list["Resources"][0]["schemas"], json!([GROUP]));

        // Group PATCH: 204 No Content.
        let u = s
            .post("/Users", user("dave@example.com", "ext-d"))
            .await
            .expect(201);
        let id = u["id"].as_str().unwrap().to_owned();
        let upath = format!("/Users/{id}");
        let add = json!([{"op": "Add", "path": "members", "value": [{"value": id}]}]);
        assert_eq!(s.patch(&gpath, add).await.expect(204), Value::Null);
        assert_eq!(member_ids(&s.get(&gpath).await.expect(200)), [id.as_str()]);

        // The bare-string manager: set, replaced, cleared.
        let manager = format!("{ENTERPRISE}:manager");
        let set = json!([{"op": "Add", "path": manager, "value": "m-1"}]);
        let answer = s.patch(&upath, set).await.expect(200);
        assert_eq!(answer[ENTERPRISE]["manager"], json!({"value": "m-1"}));
        let replace = json!([{"op": "Replace", "path": manager, "value": "m-2"}]);
        let answer = s.patch(&upath, replace).await.expect(200);
        assert_eq!(answer[ENTERPRISE]["manager"], json!({"value": "m-2"}));
        let clear = json!([{"op": "Replace", "path": manager, "value": ""}]);
        s.patch(&upath, clear).await.expect(200);
        let after = s.get(&upath).await.expect(200);
        assert!(
            after.pointer(&format!("/{ENTERPRISE}/manager")).is_none(),
            "{after}"
        );

        // The validator's null update: `replace` with `null` unassigns.
        let null = json!([{"op": "Replace", "path": "displayName", "value": null}]);
        let answer = s.patch(&upath, null).await.expect(200);
        assert!(answer.get("displayName").is_none());
    })
    .await;
}

/// An RFC-mode server answers a group PATCH with 200 and the group, projected as asked
/// (RFC 7644 §3.5.2, §3.9); it refuses what Entra's preset would drop or accept.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rfc_group_patch_answers_the_projected_group() {
    Session::each("strict", |s| async move {
        let m1 = s.post("/Users", user("m1", "ext-m1")).await.expect(201);
        let m2 = s.post("/Users", user("m2", "ext-m2")).await.expect(201);
        let (m1, m2) = (m1["id"].as_str().unwrap(), m2["id"].as_str().unwrap());
        let group = s
            .post(
                "/Groups",
                json!({"schemas": [GROUP], "displayName": "Ops", "members": [{"value": m1}]}),
            )
            .await
            .expect(201);
        let gpath = format!("/Groups/{}", group["id"].as_str().unwrap());
        let add = json!([{"op": "add", "path": "members", "value": [{"value": m2}]}]);
        let full = s.patch(&gpath, add.clone()).await.expect(200);
        let mut got = member_ids(&full);
        got.sort_unstable();
        let mut want = vec![m1, m2];
        want.sort_unstable();
        assert_eq!(got, want);
        let slim = s
            .patch(&format!("{gpath}?attributes=displayName"), add.clone())
            .await
            .expect(200);
        assert_eq!(slim["displayName"], "Ops");
        assert!(
            slim.get("members").is_none() && slim.get("id").is_some(),
            "{slim}"
        );
        let without = s
            .patch(&format!("{gpath}?excludedAttributes=members"), add)
            .await
            .expect(200);
        assert!(without.get("members").is_none() && without["displayName"] == "Ops");

        let adscim = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group";
        let body = json!({"schemas": [GROUP, adscim], "displayName": "Entra"});
        let e = s
            .post("/Groups", body)
            .await
            .error(400, Some("invalidValue"));
        assert!(e["detail"].as_str().unwrap().contains(adscim), "{e}");
    })
    .await;
}

/// Issue 15 item 9: a body over the limit gets the SCIM error JSON, not axum's plain text.
#[tokio::test]
async fn an_over_long_body_gets_a_scim_error() {
    Session::each("strict", |s| async move {
        let big = "x".repeat(BODY_LIMIT + 1);
        let body = s
            .post(
                "/Users",
                json!({"schemas": [USER], "userName": "bjensen", "nickName": big}),
            )
            .await
            .error(413, None);
        assert_eq!(
            body["detail"],
            "the request body exceeds this server's limit"
        );
    })
    .await;
}

/// A member remove whose filter is not `value eq` (here one holding a `:`) reads every member:
/// names are read with the path grammar, not by splitting the text. And a `409` names the
/// unique attribute taken.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn member_removes_read_the_members_they_name() {
    Session::each("strict", |s| async move {
        let u = s
            .post("/Users", user("colon", "ext-colon"))
            .await
            .expect(201);
        let u = u["id"].as_str().unwrap().to_owned();
        let g = s
            .post(
                "/Groups",
                json!({"schemas": [GROUP], "displayName": "C",
                       "members": [{"value": u, "display": "a:b"}]}),
            )
            .await
            .expect(201);
        let gpath = format!("/Groups/{}", g["id"].as_str().unwrap());
        let remove = json!([{"op": "remove", "path": "members[display eq \"a:b\"]"}]);
        s.patch(&gpath, remove).await.expect(200);
        assert!(member_ids(&s.get(&gpath).await.expect(200)).is_empty());

        let e = s
            .post("/Users", user("COLON", "ext-other"))
            .await
            .error(409, Some("uniqueness"));
        assert!(e["detail"].as_str().unwrap().contains("`userName`"), "{e}");
    })
    .await;
}

/// A body that arrives slower than the request timeout is answered `408` with a SCIM error
/// body (the timeout's own answer goes through the SCIM error layer too).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_body_times_out_with_a_scim_error() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let limits = Limits {
        request_timeout: std::time::Duration::from_millis(300),
        ..Limits::default()
    };
    let s = Session::start_with("sqlite::memory:", "strict", limits).await;
    let url = reqwest::Url::parse(&s.base).unwrap();
    let addr = format!("{}:{}", url.host_str().unwrap(), url.port().unwrap());
    let mut tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST {}/Users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/scim+json\r\nContent-Length: 100\r\n\r\n{{\"sch",
        url.path(),
        s.token
    );
    tcp.write_all(head.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        let mut buf = [0_u8; 4096];
        loop {
            let n = tcp.read(&mut buf).await.unwrap_or(0);
            answer.extend_from_slice(&buf[..n]);
            if n == 0 || answer.windows(4).any(|w| w == b"}\r\n" as &[u8]) || answer.ends_with(b"}")
            {
                break;
            }
        }
    })
    .await;
    assert!(read.is_ok(), "the server answered within the timeout");
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains("application/scim+json"), "{text}");
    assert!(
        text.contains("urn:ietf:params:scim:api:messages:2.0:Error"),
        "{text}"
    );
}
