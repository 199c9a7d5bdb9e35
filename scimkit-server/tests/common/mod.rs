//! The harness the server's tests share: a real server on loopback per store (a SQLite file in
//! a temporary directory, or a fresh PostgreSQL database), tenants and tokens made through the
//! `Store` API, a client per tenant, and direct SQL on the database behind the server.
//!
//! PostgreSQL is found through `SCIMKIT_TEST_POSTGRES` (a URL whose role may `CREATE
//! DATABASE`); each test gets a database of its own, dropped when the test ends. Without the
//! variable a PostgreSQL test fails under `CI=true` and otherwise says plainly that it did not
//! run.
#![allow(
    dead_code,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stderr
)]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use reqwest::{Method, RequestBuilder, Response, StatusCode};
use scimkit_server::{Limits, Service, SqlStore, Store, TenantRecord, issue_token, router};
use serde_json::Value;
use sqlx::{Connection, Row};

/// Runs one test body on both stores: `both!(name, body_fn)` makes `name::sqlite` and
/// `name::postgres`.
macro_rules! both {
    ($name:ident, $body:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                super::$body(crate::common::Kind::Sqlite).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                super::$body(crate::common::Kind::Postgres).await;
            }
        }
    };
}

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A SQLite file in a temporary directory.
    Sqlite,
    /// A fresh database on `SCIMKIT_TEST_POSTGRES`.
    Postgres,
}

/// A directory removed when dropped.
#[derive(Debug)]
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new() -> Self {
        let p = std::env::temp_dir().join(format!(
            "scimkit-srvtests-{}",
            uuid::Uuid::new_v4().simple()
        ));
        std::fs::create_dir_all(&p).unwrap();
        Self(p)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A database for one test: its URL, and (for PostgreSQL) its name, dropped at the end.
#[derive(Debug)]
pub struct Database {
    pub kind: Kind,
    /// What `SqlStore::open` and `--database` take.
    pub url: String,
    dir: Option<TempDir>,
    pg: Option<(String, String)>,
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// `SCIMKIT_TEST_POSTGRES`, or `None` (after saying so) when it is unset outside CI.
pub fn postgres_url(test: &str) -> Option<String> {
    match std::env::var("SCIMKIT_TEST_POSTGRES") {
        Ok(u) if !u.is_empty() => Some(u),
        _ => {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("SCIMKIT_TEST_POSTGRES is not set under CI=true: {test} must run");
            }
            eprintln!("{test} on PostgreSQL DID NOT RUN: SCIMKIT_TEST_POSTGRES is not set");
            None
        }
    }
}

/// The URL `admin` with its database replaced by `name`.
fn with_database(admin: &str, name: &str) -> String {
    let (base, query) = admin
        .split_once('?')
        .map_or((admin, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let base = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

impl Database {
    /// A new, empty database of `kind`; `None` if PostgreSQL is not configured (outside CI).
    pub async fn new(kind: Kind) -> Option<Self> {
        match kind {
            Kind::Sqlite => {
                let dir = TempDir::new();
                let url = dir.path().join("scim.db").display().to_string();
                Some(Self {
                    kind,
                    url,
                    dir: Some(dir),
                    pg: None,
                })
            }
            Kind::Postgres => {
                let admin = postgres_url("this test")?;
                let mut c = sqlx::PgConnection::connect(&admin).await.unwrap();
                // Databases of runs that died before dropping theirs (older than an hour).
                let stale: Vec<String> = sqlx::query_scalar(
                    "SELECT datname FROM pg_database WHERE datname LIKE 'srvtests\\_%'",
                )
                .fetch_all(&mut c)
                .await
                .unwrap();
                for name in stale {
                    let born = name.split('_').nth(1).and_then(|s| s.parse::<u64>().ok());
                    if born.is_some_and(|b| b + 3600 < unix_now()) {
                        let _ =
                            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                                .execute(&mut c)
                                .await;
                    }
                }
                // A name of digits and hex only: nothing from outside the test goes in.
                let name = format!("srvtests_{}_{}", unix_now(), uuid::Uuid::new_v4().simple());
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut c)
                    .await
                    .unwrap();
                c.close().await.unwrap();
                Some(Self {
                    kind,
                    url: with_database(&admin, &name),
                    dir: None,
                    pg: Some((admin, name)),
                })
            }
        }
    }

    /// The temporary directory of a SQLite database.
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_ref().map(TempDir::path)
    }

    /// Runs `sql` (with `$1`… bound to `params`, as text) and returns the first column of
    /// every row as text (`NULL` as the empty string). A connection of its own, outside the
    /// server.
    pub async fn texts(&self, sql: &str, params: &[&str]) -> Vec<String> {
        match self.kind {
            Kind::Sqlite => {
                let mut c = sqlx::SqliteConnection::connect(&format!("sqlite://{}", self.url))
                    .await
                    .unwrap();
                let sql = sql.replace('$', "?");
                let mut q = sqlx::query(&sql);
                for p in params {
                    q = q.bind(*p);
                }
                let rows = q.fetch_all(&mut c).await.unwrap();
                rows.iter()
                    .map(|r| {
                        r.try_get::<Option<String>, _>(0)
                            .ok()
                            .flatten()
                            .or_else(|| r.try_get::<i64, _>(0).ok().map(|n| n.to_string()))
                            .unwrap_or_default()
                    })
                    .collect()
            }
            Kind::Postgres => {
                let mut c = sqlx::PgConnection::connect(&self.url).await.unwrap();
                let mut q = sqlx::query(sql);
                for p in params {
                    q = q.bind(*p);
                }
                let rows = q.fetch_all(&mut c).await.unwrap();
                c.close().await.unwrap();
                rows.iter()
                    .map(|r| {
                        r.try_get::<Option<String>, _>(0)
                            .ok()
                            .flatten()
                            .or_else(|| r.try_get::<i64, _>(0).ok().map(|n| n.to_string()))
                            .unwrap_or_default()
                    })
                    .collect()
            }
        }
    }

    /// A `count(*)` (or any integer) query's answer.
    pub async fn count(&self, sql: &str, params: &[&str]) -> i64 {
        let t = self.texts(sql, params).await;
        t.first().expect("a row").parse().expect("an integer")
    }

    /// Drops a PostgreSQL database (a SQLite directory goes with the value).
    pub async fn drop_db(self) {
        if let Some((admin, name)) = &self.pg {
            let mut c = sqlx::PgConnection::connect(admin).await.unwrap();
            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut c)
                .await
                .unwrap();
            c.close().await.unwrap();
        }
    }
}

/// A server on loopback over a fresh database.
#[derive(Debug)]
pub struct Server {
    /// `http://127.0.0.1:PORT`.
    pub root: String,
    pub store: SqlStore,
    pub db: Database,
    pub service: Arc<Service<SqlStore>>,
    task: tokio::task::JoinHandle<()>,
}

impl Server {
    /// A server with default limits; `None` if PostgreSQL is not configured (outside CI).
    pub async fn start(kind: Kind) -> Option<Self> {
        Self::start_with(kind, Limits::default()).await
    }

    /// A server with `limits`.
    pub async fn start_with(kind: Kind, limits: Limits) -> Option<Self> {
        Self::start_service(kind, |s| s.with_limits(limits)).await
    }

    /// A server whose service `build` finishes (limits, faults).
    pub async fn start_service(
        kind: Kind,
        build: impl FnOnce(Service<SqlStore>) -> Service<SqlStore>,
    ) -> Option<Self> {
        let db = Database::new(kind).await?;
        let store = SqlStore::open(&db.url).await.unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let root = format!("http://{}", listener.local_addr().unwrap());
        let service = Arc::new(build(Service::new(store.clone(), root.clone())));
        let app = router(service.clone());
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Some(Self {
            root,
            store,
            db,
            service,
            task,
        })
    }

    /// A new tenant (id `prefix-<random>`) with the `compat` preset, and a client with its
    /// first token.
    pub async fn tenant(&self, compat: &str, accept_passwords: bool) -> Tenant {
        self.tenant_of("rfc", compat, accept_passwords).await
    }

    /// A new tenant of `profile` (`rfc`, `identity-center`) with the `compat` preset.
    pub async fn tenant_of(&self, profile: &str, compat: &str, accept_passwords: bool) -> Tenant {
        let id = format!("t-{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
        self.store
            .create_tenant(&TenantRecord {
                id: id.clone(),
                name: id.clone(),
                profile: profile.into(),
                compat: compat.into(),
                accept_passwords,
            })
            .await
            .unwrap();
        let token = self.token(&id).await;
        Tenant {
            base: format!("{}/{id}/scim/v2", self.root),
            id,
            token,
            http: reqwest::Client::new(),
        }
    }

    /// A new token for `tenant`.
    pub async fn token(&self, tenant: &str) -> String {
        let (text, record) = issue_token(tenant, "test").unwrap();
        self.store.add_token(&record).await.unwrap();
        text
    }

    /// Stops the server and drops its database.
    pub async fn finish(self) {
        self.task.abort();
        let _ = self.task.await;
        self.store.close().await;
        self.db.drop_db().await;
    }
}

/// A tenant as a client sees it: its base URL and a token.
#[derive(Debug, Clone)]
pub struct Tenant {
    pub id: String,
    /// `{root}/{id}/scim/v2`.
    pub base: String,
    pub token: String,
    pub http: reqwest::Client,
}

/// A response read whole.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    /// The body as JSON (`Null` when empty or not JSON).
    pub body: Value,
    pub text: String,
}

impl Answer {
    pub async fn read(r: Response) -> Self {
        let status = r.status();
        let headers = r.headers().clone();
        let text = r.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Self {
            status,
            headers,
            body,
            text,
        }
    }

    /// The `ETag` header.
    pub fn etag(&self) -> String {
        self.headers
            .get("etag")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    }

    /// `body.id`.
    pub fn id(&self) -> String {
        self.body["id"].as_str().unwrap_or_default().to_owned()
    }
}

impl Tenant {
    /// A request to `{base}{path}` with this tenant's token.
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token)
    }

    /// Sends `method path` with an optional JSON body.
    pub async fn send(&self, method: Method, path: &str, body: Option<&Value>) -> Answer {
        let mut r = self.request(method, path);
        if let Some(b) = body {
            r = r
                .header("content-type", "application/scim+json")
                .body(b.to_string());
        }
        Answer::read(r.send().await.unwrap()).await
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.send(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Answer {
        self.send(Method::POST, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: &Value) -> Answer {
        self.send(Method::PUT, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: &Value) -> Answer {
        self.send(Method::PATCH, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> Answer {
        self.send(Method::DELETE, path, None).await
    }

    /// Creates a user named `user_name`; panics unless `201`.
    pub async fn create_user(&self, user_name: &str) -> String {
        let a = self
            .post(
                "/Users",
                &serde_json::json!({
                    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                    "userName": user_name,
                }),
            )
            .await;
        assert_eq!(a.status, 201, "create {user_name}: {}", a.text);
        a.id()
    }

    /// Creates a group named `name` with `members` (ids); panics unless `201`.
    pub async fn create_group(&self, name: &str, members: &[&str]) -> String {
        let members: Vec<Value> = members
            .iter()
            .map(|m| serde_json::json!({"value": m}))
            .collect();
        let a = self
            .post(
                "/Groups",
                &serde_json::json!({
                    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
                    "displayName": name,
                    "members": members,
                }),
            )
            .await;
        assert_eq!(a.status, 201, "create group {name}: {}", a.text);
        a.id()
    }

    /// The member ids of a group, sorted.
    pub async fn members(&self, group: &str) -> Vec<String> {
        let a = self.get(&format!("/Groups/{group}")).await;
        assert_eq!(a.status, 200, "{}", a.text);
        let mut ids: Vec<String> = a.body["members"]
            .as_array()
            .map(|m| {
                m.iter()
                    .filter_map(|x| x["value"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        ids.sort();
        ids
    }
}

/// A PATCH body.
pub fn patch_op(operations: Value) -> Value {
    serde_json::json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": operations,
    })
}

/// A URL-encoded filter query: `?filter=…`.
pub fn filter(f: &str) -> String {
    let mut out = String::from("?filter=");
    for b in f.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
