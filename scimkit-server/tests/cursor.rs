//! RFC 9865 cursor paging over loopback, on SQLite and on PostgreSQL: keyset walks (no
//! `sortBy`) and sorted walks, signed cursors bound to the query and the tenant, the
//! `identity-center` profile's paging, `expiredCursor`, and the `pagination` advertisement.
//!
//! PostgreSQL is found through `SCIMKIT_TEST_POSTGRES` (a database `scimkit_srvcursor` is
//! created beside the one it names); without it the PostgreSQL test fails under `CI=true` and
//! says plainly that it did not run otherwise.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stderr,
    clippy::panic
)]

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Client;
use scimkit_server::{ServeOptions, Service, SqlStore, Store, TenantRecord, issue_token, router};
use serde_json::{Value, json};

struct Server {
    url: String,
    client: Client,
    /// Tenant id → token.
    tokens: Vec<(String, String)>,
}

impl Server {
    async fn start(store: SqlStore, tenants: &[(&str, &str)], timeout: Option<Duration>) -> Self {
        let suffix = format!(
            "{}{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .subsec_nanos()
        );
        let mut tokens = Vec::new();
        for (name, profile) in tenants {
            let id = format!("{name}-{suffix}");
            store
                .create_tenant(&TenantRecord {
                    id: id.clone(),
                    name: id.clone(),
                    profile: (*profile).to_owned(),
                    compat: "strict".into(),
                    accept_passwords: false,
                })
                .await
                .unwrap();
            let (text, record) = issue_token(&id, "test").unwrap();
            store.add_token(&record).await.unwrap();
            tokens.push((id, text));
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let mut service = Service::new(store, url.clone());
        if let Some(t) = timeout {
            service = service.with_cursor_timeout(t);
        }
        let app = router(Arc::new(service));
        tokio::spawn(scimkit_server::serve(
            listener,
            app,
            std::future::pending(),
            ServeOptions::default(),
        ));
        Self {
            url,
            client: Client::new(),
            tokens,
        }
    }

    /// `GET {tenant base}{path}` with tenant `t`'s token (or `as_tenant`'s).
    async fn get(&self, t: usize, as_tenant: usize, path: &str) -> (u16, Value) {
        let (id, _) = &self.tokens[t];
        let (_, token) = &self.tokens[as_tenant];
        let r = self
            .client
            .get(format!("{}/{id}/scim/v2{path}", self.url))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    async fn post(&self, t: usize, path: &str, body: &Value) -> (u16, Value) {
        let (id, token) = &self.tokens[t];
        let r = self
            .client
            .post(format!("{}/{id}/scim/v2{path}", self.url))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    async fn delete(&self, t: usize, path: &str) -> u16 {
        let (id, token) = &self.tokens[t];
        self.client
            .delete(format!("{}/{id}/scim/v2{path}", self.url))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    }

    /// Creates `n` users named `{prefix}{i:04}` (in an order unrelated to their ids); their ids.
    async fn users(&self, t: usize, prefix: &str, n: usize) -> Vec<String> {
        let mut ids = Vec::new();
        for i in 0..n {
            // userName order differs from creation order and from id order.
            let k = (i * 37) % n;
            let (status, body) = self
                .post(
                    t,
                    "/Users",
                    &json!({
                        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                        "userName": format!("{prefix}{k:04}"),
                        "name": {"givenName": "G", "familyName": "F"},
                        "displayName": format!("{prefix} {k}"),
                        "active": k.is_multiple_of(2),
                    }),
                )
                .await;
            assert_eq!(status, 201, "{body}");
            ids.push(body["id"].as_str().unwrap().to_owned());
        }
        ids
    }
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Follows `nextCursor` from an empty cursor; every page's body.
async fn walk(s: &Server, t: usize, query: &str) -> Vec<Value> {
    let mut pages = Vec::new();
    let mut cursor = String::new();
    loop {
        let (status, body) = s
            .get(t, t, &format!("/Users?{query}&cursor={cursor}"))
            .await;
        assert_eq!(status, 200, "{body}");
        let next = body["nextCursor"].as_str().map(str::to_owned);
        pages.push(body);
        match next {
            Some(c) => {
                assert!(
                    c.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b)),
                    "cursor {c} is not RFC 3986 unreserved"
                );
                cursor = c;
            }
            None => return pages,
        }
        assert!(pages.len() < 100, "the walk does not end");
    }
}

fn ids_of(pages: &[Value]) -> Vec<String> {
    pages
        .iter()
        .flat_map(|p| p["Resources"].as_array().unwrap().iter())
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect()
}

fn scim_type(body: &Value) -> &str {
    body["scimType"].as_str().unwrap_or_default()
}

async fn cursor_paging(store: SqlStore) {
    let s = Server::start(
        store,
        &[("a", "rfc"), ("b", "rfc"), ("ic", "identity-center")],
        None,
    )
    .await;
    let mut all = s.users(0, "u", 250).await;
    s.users(1, "b", 3).await;

    // Keyset walk, count=40: 7 pages, every id once, in id order.
    let pages = walk(&s, 0, "count=40").await;
    assert_eq!(pages.len(), 7);
    for (i, p) in pages.iter().enumerate() {
        assert_eq!(p["totalResults"], 250);
        let n = if i < 6 { 40 } else { 10 };
        assert_eq!(p["itemsPerPage"], n);
        assert_eq!(p["Resources"].as_array().unwrap().len(), n);
        assert!(p.get("startIndex").is_none(), "{p}");
        assert_eq!(p.get("nextCursor").is_some(), i < 6);
    }
    let got = ids_of(&pages);
    all.sort();
    let mut db_order = got.clone();
    db_order.sort();
    assert_eq!(db_order, all, "every id exactly once");
    // The order is the database's id order, the same as index paging's.
    let (_, index) = s.get(0, 0, "/Users?count=1000").await;
    let index_ids: Vec<String> = index["Resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(got, index_ids);

    // A filter is kept between pages.
    let active = walk(&s, 0, "count=40&filter=active%20eq%20true").await;
    let active_ids = ids_of(&active);
    assert_eq!(active_ids.len(), 125);
    assert_eq!(active[0]["totalResults"], 125);
    assert_eq!(active_ids.iter().collect::<HashSet<_>>().len(), 125);

    // A sorted walk (offset cursors), with previousCursor.
    let sorted = walk(&s, 0, "count=40&sortBy=userName&sortOrder=descending").await;
    let names: Vec<String> = sorted
        .iter()
        .flat_map(|p| p["Resources"].as_array().unwrap().iter())
        .map(|r| r["userName"].as_str().unwrap().to_owned())
        .collect();
    let expected: Vec<String> = (0..250).rev().map(|k| format!("u{k:04}")).collect();
    assert_eq!(names, expected);
    assert!(sorted[0].get("previousCursor").is_none());
    let back = sorted[2]["previousCursor"].as_str().unwrap();
    let (status, prev) = s
        .get(
            0,
            0,
            &format!("/Users?count=40&sortBy=userName&sortOrder=descending&cursor={back}"),
        )
        .await;
    assert_eq!(status, 200, "{prev}");
    assert_eq!(prev["Resources"], sorted[1]["Resources"]);

    // POST /Users/.search carries cursor and count in its body.
    let mut cursor = Value::String(String::new());
    let mut searched = Vec::new();
    loop {
        let (status, body) = s
            .post(
                0,
                "/Users/.search",
                &json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
                        "count": 100, "cursor": cursor}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        searched.push(body.clone());
        match body.get("nextCursor") {
            Some(c) => cursor = c.clone(),
            None => break,
        }
    }
    assert_eq!(searched.len(), 3);
    assert_eq!(ids_of(&searched), got);

    // Keyset walks are exact under writes: a user deleted after it was seen and users
    // created meanwhile never make another user appear twice or go missing.
    let (_, first) = s.get(0, 0, "/Users?count=40&cursor").await;
    let seen0 = first["Resources"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(s.delete(0, &format!("/Users/{seen0}")).await, 204);
    let created = s.users(0, "late", 5).await;
    let mut cursor = first["nextCursor"].as_str().unwrap().to_owned();
    let mut rest = ids_of(std::slice::from_ref(&first));
    loop {
        let (status, body) = s
            .get(0, 0, &format!("/Users?count=40&cursor={cursor}"))
            .await;
        assert_eq!(status, 200, "{body}");
        rest.extend(ids_of(std::slice::from_ref(&body)));
        match body["nextCursor"].as_str() {
            Some(c) => cursor = c.to_owned(),
            None => break,
        }
    }
    assert_eq!(
        rest.iter().collect::<HashSet<_>>().len(),
        rest.len(),
        "no id twice"
    );
    let rest: HashSet<&String> = rest.iter().collect();
    for id in &all {
        assert!(
            rest.contains(id),
            "{id} present throughout but not returned"
        );
    }
    // Users created mid-walk are seen at most once (above) when their id sorts after the
    // position, and never before it.
    assert!(created.iter().all(|c| !rest.contains(c) || *c > seen0));

    // A tampered cursor, a made-up one, and one for another query: 400 invalidCursor.
    let c = pages[1]["nextCursor"].as_str().unwrap();
    let mut tampered = c.as_bytes().to_vec();
    let mid = tampered.len() / 2;
    tampered[mid] = if tampered[mid] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).unwrap();
    for (query, why) in [
        (format!("count=40&cursor={tampered}"), "tampered"),
        ("count=40&cursor=bm90LWEtY3Vyc29y".to_owned(), "made up"),
        (
            format!("count=40&cursor={}", enc("a+b/c=")),
            "not base64url",
        ),
        (
            format!("count=40&cursor={c}&filter=active%20eq%20true"),
            "other filter",
        ),
        (
            format!("count=40&cursor={c}&sortBy=userName"),
            "other sortBy",
        ),
    ] {
        let (status, body) = s.get(0, 0, &format!("/Users?{query}")).await;
        assert_eq!(
            (status, scim_type(&body)),
            (400, "invalidCursor"),
            "{why}: {body}"
        );
    }
    // Another page size is fine (count is not bound).
    let (status, body) = s.get(0, 0, &format!("/Users?count=7&cursor={c}")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["itemsPerPage"], 7);

    // Tenant A's cursor under tenant B's token, at B's base URL: invalid, none of A's data.
    let (status, body) = s.get(1, 1, &format!("/Users?count=40&cursor={c}")).await;
    assert_eq!((status, scim_type(&body)), (400, "invalidCursor"), "{body}");
    assert!(!body.to_string().contains(&all[0]));
    // B's token at A's base URL is 401 whatever the cursor.
    let (status, _) = s.get(0, 1, &format!("/Users?count=40&cursor={c}")).await;
    assert_eq!(status, 401);

    // count below 1 is invalidCount; past maxPageSize it is capped.
    for bad in ["0", "-3"] {
        let (status, body) = s.get(0, 0, &format!("/Users?cursor&count={bad}")).await;
        assert_eq!((status, scim_type(&body)), (400, "invalidCount"), "{body}");
    }
    let (status, body) = s.get(0, 0, "/Users?cursor&count=5000").await;
    assert_eq!(status, 200, "{body}");
    // startIndex past 1 and a cursor name two methods.
    let (status, _) = s.get(0, 0, "/Users?cursor&startIndex=41").await;
    assert_eq!(status, 400);
    // Not at the root /.search.
    let (status, body) = s
        .post(0, "/.search", &json!({"cursor": "", "count": 10}))
        .await;
    assert_eq!((status, scim_type(&body)), (400, "invalidCursor"), "{body}");

    // The advertisement.
    let (_, spc) = s.get(0, 0, "/ServiceProviderConfig").await;
    assert_eq!(
        spc["pagination"],
        json!({"cursor": true, "index": true, "defaultPaginationMethod": "index",
               "defaultPageSize": 1000, "maxPageSize": 1000, "cursorTimeout": 600})
    );

    // Identity Center: count 1-100, cursors, no startIndex, no totalResults with a cursor.
    let ic_ids = s.users(2, "ic", 250).await;
    let (status, body) = s.get(2, 2, "/Users?cursor&count=500").await;
    assert_eq!(status, 400, "{body}");
    let (status, _) = s.get(2, 2, "/Users?cursor&count=0").await;
    assert_eq!(status, 400);
    let ic_pages = walk(&s, 2, "count=100").await;
    assert_eq!(ic_pages.len(), 3);
    for p in &ic_pages {
        assert!(p.get("totalResults").is_none(), "{p}");
        assert!(p.get("startIndex").is_none(), "{p}");
        assert!(p.get("itemsPerPage").is_some(), "{p}");
    }
    let mut walked = ids_of(&ic_pages);
    walked.sort();
    let mut want = ic_ids.clone();
    want.sort();
    assert_eq!(walked, want);
    // Without a cursor: the first page (at most 100), startIndex ignored.
    let (_, first) = s.get(2, 2, "/Users").await;
    let (_, later) = s.get(2, 2, "/Users?startIndex=101").await;
    assert_eq!(first["totalResults"], 250);
    assert_eq!(first["Resources"].as_array().unwrap().len(), 100);
    assert_eq!(first["Resources"], later["Resources"]);
    let (_, spc) = s.get(2, 2, "/ServiceProviderConfig").await;
    assert_eq!(
        spc["pagination"],
        json!({"cursor": true, "index": false, "defaultPageSize": 100, "maxPageSize": 100,
               "cursorTimeout": 600})
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_cursor_paging() {
    cursor_paging(SqlStore::open("sqlite::memory:").await.unwrap()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_cursor_paging() {
    let Ok(url) = std::env::var("SCIMKIT_TEST_POSTGRES") else {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("SCIMKIT_TEST_POSTGRES is not set under CI=true: the PostgreSQL tests must run");
        }
        eprintln!("postgres_cursor_paging DID NOT RUN: SCIMKIT_TEST_POSTGRES is not set");
        return;
    };
    use sqlx::Connection as _;
    let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
    // Already there after a first run.
    let _ = sqlx::query("CREATE DATABASE scimkit_srvcursor")
        .execute(&mut conn)
        .await;
    let (base, _) = url.rsplit_once('/').unwrap();
    let store = SqlStore::open(&format!("{base}/scimkit_srvcursor"))
        .await
        .unwrap();
    cursor_paging(store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cursors_expire() {
    let store = SqlStore::open("sqlite::memory:").await.unwrap();
    let s = Server::start(store, &[("a", "rfc")], Some(Duration::from_secs(1))).await;
    s.users(0, "u", 5).await;
    let (_, first) = s.get(0, 0, "/Users?cursor&count=2").await;
    let c = first["nextCursor"].as_str().unwrap().to_owned();
    let (status, _) = s.get(0, 0, &format!("/Users?cursor={c}&count=2")).await;
    assert_eq!(status, 200, "fresh");
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let (status, body) = s.get(0, 0, &format!("/Users?cursor={c}&count=2")).await;
    assert_eq!((status, scim_type(&body)), (400, "expiredCursor"), "{body}");
    let (_, spc) = s.get(0, 0, "/ServiceProviderConfig").await;
    assert_eq!(spc["pagination"]["cursorTimeout"], 1);
}
