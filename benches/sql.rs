//! The database layer (`scimkit::sql`): translation of the workload filters, query time per
//! workload filter on generated users in SQLite and PostgreSQL beside `Query::list` in memory,
//! and the index's rows and bytes per user.
//!
//! `SCIMKIT_BENCH_USERS` sets the number of users (default 2,000, so `cargo bench -- --test`
//! stays quick); PostgreSQL runs when `SCIMKIT_TEST_POSTGRES` is set, in a schema of its own
//! that is dropped afterwards. `SCIMKIT_BENCH_DIALECTS=sqlite` (or `postgres`) loads only that
//! database, so the long loads at 1,000,000 users can run in two processes. Group filters run over `users / 100` groups of 100 members.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![allow(clippy::print_stderr)]

mod common;

use std::hint::black_box;
use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use scimkit::query::Page;
use scimkit::sql::{
    Dialect, IndexRow, ListRequest, MIGRATIONS, MemberRow, SqlValue, index_rows, take_members,
};
use scimkit::{Compat, Filter, FilterParser, Query, SchemaRegistry};
use serde_json::{Value, json};
use sqlx::{Connection, QueryBuilder};

#[macro_use]
#[path = "../tests/support/sql_driver.rs"]
mod sql_driver;

/// Users held in memory for `Query::list` (the issue compares it at 100,000).
const MEMORY_LIMIT: usize = 200_000;

fn users() -> usize {
    std::env::var("SCIMKIT_BENCH_USERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2_000)
}

fn user(i: usize) -> Value {
    let kind = if i.is_multiple_of(10) {
        "Intern"
    } else {
        "Employee"
    };
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "id": format!("{i:08}"),
        "userName": if i == 7 { "bjensen".to_owned() } else { format!("user{i}") },
        "externalId": if i == 7 { "00u1abcd2EFGH3ijk4l5".to_owned() } else { format!("ext{i}") },
        "name": {"familyName": format!("Family{}", i % 997), "givenName": format!("Given{i}")},
        "displayName": format!("User {i}"),
        "title": if i.is_multiple_of(3) { Value::Null } else { json!("Engineer") },
        "userType": kind,
        "active": !i.is_multiple_of(7),
        "emails": [
            {"value": format!("user{i}@example.com"), "type": "work", "primary": true},
            {"value": format!("user{i}@home.example.org"), "type": "home"},
        ],
        "meta": {"resourceType": "User",
                 "created": format!("20{:02}-01-01T00:00:00Z", 10 + i % 15),
                 "lastModified": format!("20{:02}-05-13T04:42:34Z", 10 + i % 15)},
    })
}

fn group(g: usize, n: usize) -> Value {
    let members: Vec<Value> = (g * 100..(g * 100 + 100).min(n))
        .map(|i| json!({"value": format!("{i:08}"), "type": "User"}))
        .collect();
    let name = if g == 0 {
        "Engineering".to_owned()
    } else {
        format!("Group {g}")
    };
    json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "id": format!("g{g:06}"),
           "displayName": name, "members": members})
}

enum Db {
    Sqlite(sqlx::SqliteConnection),
    Postgres(sqlx::PgConnection, String),
}

impl Db {
    fn dialect(&self) -> Dialect {
        match self {
            Self::Sqlite(_) => Dialect::Sqlite,
            Self::Postgres(..) => Dialect::Postgres,
        }
    }

    async fn exec(&mut self, sql: &str) {
        match self {
            Self::Sqlite(c) => sqlx::query(sql).execute(&mut *c).await.map(drop),
            Self::Postgres(c, _) => sqlx::query(sql).execute(&mut *c).await.map(drop),
        }
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// Loads resources in batches of multi-row inserts, in one transaction; the rows of
    /// 10,000 resources at a time are held in memory (all of a million would not fit).
    async fn load(&mut self, rtype: &str, docs: &[Value]) {
        macro_rules! load {
            ($c:expr, $doc:expr) => {{
                let mut tx = $c.begin().await.unwrap();
                for part in docs.chunks(10_000) {
                    let mut stored = Vec::new();
                    let mut rows: Vec<(String, IndexRow)> = Vec::new();
                    let mut members: Vec<MemberRow> = Vec::new();
                    for d in part {
                        let mut d = d.clone();
                        members.extend(take_members(&mut d));
                        let id = d["id"].as_str().unwrap().to_owned();
                        rows.extend(index_rows(&d).into_iter().map(|r| (id.clone(), r)));
                        stored.push((id, d));
                    }
                    for chunk in stored.chunks(1000) {
                        let mut q = QueryBuilder::new(
                            "INSERT INTO scim_resources (tenant, rtype, id, resource) ",
                        );
                        q.push_values(chunk, |mut b, (id, d)| {
                            b.push_bind("t")
                                .push_bind(rtype)
                                .push_bind(id)
                                .push_bind($doc(d));
                        });
                        q.build().execute(&mut *tx).await.unwrap();
                    }
                    for chunk in rows.chunks(2000) {
                        let mut q = QueryBuilder::new("INSERT INTO scim_index ");
                        q.push_values(chunk, |mut b, (id, r)| {
                            b.push_bind("t")
                                .push_bind(rtype)
                                .push_bind(id)
                                .push_bind(&r.path)
                                .push_bind(r.elem)
                                .push_bind(r.kind)
                                .push_bind(&r.fold)
                                .push_bind(&r.exact)
                                .push_bind(r.num)
                                .push_bind(&r.num_int)
                                .push_bind(&r.instant)
                                .push_bind(r.bool_value);
                        });
                        q.build().execute(&mut *tx).await.unwrap();
                    }
                    for chunk in members.chunks(2000) {
                        let mut q = QueryBuilder::new("INSERT INTO scim_members ");
                        q.push_values(chunk, |mut b, m| {
                            b.push_bind("t")
                                .push_bind(&m.group_id)
                                .push_bind(&m.group_fold)
                                .push_bind(&m.member_id)
                                .push_bind(&m.member_fold)
                                .push_bind(&m.member_type)
                                .push_bind(&m.type_fold)
                                .push_bind(&m.display)
                                .push_bind(&m.display_fold);
                        });
                        q.build().execute(&mut *tx).await.unwrap();
                    }
                }
                tx.commit().await.unwrap();
            }};
        }
        match self {
            Self::Sqlite(c) => load!(c, |d: &Value| d.to_string()),
            Self::Postgres(c, _) => load!(c, |d: &Value| sqlx::types::Json(d.clone())),
        }
    }

    /// Runs the page query (first 100) and the count query.
    async fn run(&mut self, req: &ListRequest<'_>, schemas: &SchemaRegistry) -> (Vec<String>, i64) {
        let sql = req.to_sql(schemas, self.dialect()).unwrap();
        use sqlx::Row;
        match self {
            Self::Sqlite(c) => fetch!(c, sql),
            Self::Postgres(c, _) => fetch!(c, sql),
        }
    }

    async fn index_bytes(&mut self) -> Option<i64> {
        use sqlx::Row;
        match self {
            Self::Sqlite(c) => Some(
                sqlx::query(
                    "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
                )
                .fetch_one(&mut *c)
                .await
                .unwrap()
                .get(0),
            ),
            Self::Postgres(c, _) => Some(
                sqlx::query("SELECT pg_total_relation_size('scim_index')::bigint")
                    .fetch_one(&mut *c)
                    .await
                    .unwrap()
                    .get(0),
            ),
        }
    }
}

/// Filters this bench adds to the workload's: `x01`, the `emails.value eq` lookup the issue
/// times (one user's work address; the workload has none), over the generated users.
const EXTRA: [(&str, &str); 1] = [("x01", r#"emails.value eq "user4242@example.com""#)];

/// The workload's filters, parsed as the filter benches parse them (Entra's `].value` form on),
/// then [`EXTRA`].
fn workload_filters() -> Vec<(String, Filter)> {
    let mut parser = FilterParser::new();
    parser.compat(Compat::entra());
    common::filters()
        .into_iter()
        .map(|(id, text, _)| (id, text))
        .chain(EXTRA.map(|(id, text)| (id.to_owned(), text.to_owned())))
        .map(|(id, text)| (id, parser.parse(&text).unwrap()))
        .collect()
}

/// Whether to load and measure `dialect` (`SCIMKIT_BENCH_DIALECTS`, e.g. `sqlite` or
/// `postgres`; both by default), so a long load can run for each in a process of its own.
fn measures(dialect: &str) -> bool {
    std::env::var("SCIMKIT_BENCH_DIALECTS").map_or(true, |d| d.split(',').any(|x| x == dialect))
}

/// The resource type a workload filter is for (f19 and f20 look groups up).
fn rtype_of(id: &str) -> &'static str {
    if matches!(id, "f19" | "f20") {
        "Group"
    } else {
        "User"
    }
}

fn translate(c: &mut Criterion) {
    let schemas = SchemaRegistry::default();
    let mut filters = workload_filters();
    filters.retain(|(id, _)| EXTRA.iter().all(|(x, _)| x != id));
    let n = u32::try_from(filters.len()).unwrap();
    c.bench_function(&format!("sql/translate/mean of all {n}"), |b| {
        b.iter_custom(|iters| {
            let t = Instant::now();
            for _ in 0..iters {
                for (id, f) in &filters {
                    let rtype = rtype_of(id);
                    let mut req = ListRequest::new("t", rtype);
                    req.filter = Some(f);
                    black_box(req.to_sql(&schemas, Dialect::Postgres).unwrap());
                }
            }
            t.elapsed() / n
        });
    });
}

fn queries(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let schemas = SchemaRegistry::default();
    let n = users();
    // Held in memory (for `Query::list`) only up to MEMORY_LIMIT users; beyond, generated
    // batch by batch for the databases.
    let users: Vec<Value> = match n <= MEMORY_LIMIT {
        true => (0..n).map(user).collect(),
        false => Vec::new(),
    };
    let groups: Vec<Value> = (0..n.div_ceil(100)).map(|g| group(g, n)).collect();
    let rows: usize = (0..n).map(|i| index_rows(&user(i)).len()).sum();
    let bytes: usize = (0..n)
        .flat_map(|i| index_rows(&user(i)))
        .map(|r| {
            r.path.len()
                + r.fold.map_or(0, |s| s.len())
                + r.exact.map_or(0, |s| s.len())
                + r.num_int.map_or(0, |s| s.len())
                + r.instant.map_or(0, |s| s.len())
                + 8
                + 2
                + 8
        })
        .sum();
    eprintln!(
        "sql/index: {n} users, {:.1} index rows and {:.0} key bytes per user",
        rows as f64 / n as f64,
        bytes as f64 / n as f64
    );
    // Past MEMORY_LIMIT users the SQLite database is a file (about 11 KB a user). With
    // SCIMKIT_BENCH_KEEP set, always, and it (and the PostgreSQL schema) outlive the run, to
    // read query plans on.
    let keep = std::env::var_os("SCIMKIT_BENCH_KEEP").is_some();
    let sqlite_file = (n > MEMORY_LIMIT || keep)
        .then(|| std::env::temp_dir().join(format!("scimkit_bench_{}.db", std::process::id())));
    let mut dbs = Vec::new();
    if measures("sqlite") {
        let db = rt.block_on(async {
            let url = match &sqlite_file {
                Some(path) => format!("sqlite://{}?mode=rwc", path.display()),
                None => "sqlite::memory:".to_owned(),
            };
            let mut c = sqlx::SqliteConnection::connect(&url).await.unwrap();
            if sqlite_file.is_some() {
                // Read through a map of the file (the OS's cache), as from memory; a 4 GiB
                // page cache for the load, whose inserts land all over five B-trees.
                for p in [
                    "journal_mode = OFF",
                    "synchronous = OFF",
                    "mmap_size = 68719476736",
                    "cache_size = -4194304",
                ] {
                    sqlx::query(&format!("PRAGMA {p}"))
                        .execute(&mut c)
                        .await
                        .unwrap();
                }
            }
            Db::Sqlite(c)
        });
        dbs.push(("sqlite", db));
    }
    let postgres = std::env::var("SCIMKIT_TEST_POSTGRES").ok();
    if let Some(url) = postgres.filter(|_| measures("postgres")) {
        let db = rt.block_on(async {
            let mut c = sqlx::PgConnection::connect(&url).await.unwrap();
            let schema = format!("scimkit_bench_{}", std::process::id());
            // As scimkit-server runs it: a plan per execution (see `crate::sql`, "PostgreSQL").
            for s in [
                format!("CREATE SCHEMA {schema}"),
                format!("SET search_path TO {schema}"),
                "SET plan_cache_mode = force_custom_plan".to_owned(),
            ] {
                sqlx::query(&s).execute(&mut c).await.unwrap();
            }
            Db::Postgres(c, schema)
        });
        dbs.push(("postgres", db));
    } else {
        eprintln!(
            "sql benches: PostgreSQL not measured (SCIMKIT_TEST_POSTGRES unset or not chosen)"
        );
    }
    let filters = workload_filters();
    for (label, db) in &mut dbs {
        rt.block_on(async {
            for m in MIGRATIONS {
                for s in m.statements(db.dialect()) {
                    db.exec(s).await;
                }
            }
            let t = Instant::now();
            for part in (0..n).collect::<Vec<_>>().chunks(10_000) {
                let part: Vec<Value> = part.iter().map(|&i| user(i)).collect();
                db.load("User", &part).await;
            }
            db.load("Group", &groups).await;
            // PostgreSQL: VACUUM too, so the visibility map is set and index-only scans stay
            // index-only, as in a database autovacuum has visited (a fresh load is not).
            db.exec(match db.dialect() {
                Dialect::Sqlite => "ANALYZE",
                Dialect::Postgres => "VACUUM ANALYZE",
            })
            .await;
            eprintln!("sql/{label}: loaded {n} users in {:.1} s", t.elapsed().as_secs_f64());
            if let Some(b) = db.index_bytes().await {
                eprintln!("sql/{label}: {} bytes per user (SQLite: the whole database; PostgreSQL: scim_index and its indexes)", b / n as i64);
            }
        });
        for (id, f) in &filters {
            let rtype = rtype_of(id);
            let mut req = ListRequest::new("t", rtype);
            req.filter = Some(f);
            req.page = Page::new(Some(1), Some(100));
            c.bench_function(&format!("sql/{label}/{n}/{id}"), |b| {
                b.iter(|| black_box(rt.block_on(db.run(&req, &schemas))));
            });
        }
    }
    let query = |f: &Filter| {
        Query::new()
            .with_filter(f.clone())
            .with_page(Page::new(Some(1), Some(100)))
    };
    if n > MEMORY_LIMIT {
        eprintln!("sql/memory: not measured above {MEMORY_LIMIT} users");
    }
    for (id, f) in filters.iter().filter(|_| n <= MEMORY_LIMIT) {
        let data = if rtype_of(id) == "Group" {
            &groups
        } else {
            &users
        };
        let q = query(f);
        c.bench_function(&format!("sql/memory/{n}/{id}"), |b| {
            b.iter(|| black_box(q.list(data, &schemas).map(|l| l.total_results).ok()));
        });
    }
    if keep {
        eprintln!(
            "sql benches: kept {sqlite_file:?} and the PostgreSQL schema (SCIMKIT_BENCH_KEEP)"
        );
        return;
    }
    if let Some(path) = sqlite_file {
        dbs.retain(|(label, _)| *label != "sqlite");
        let _ = std::fs::remove_file(path);
    }
    for (_, db) in dbs {
        if let Db::Postgres(mut c, schema) = db {
            rt.block_on(async {
                sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
                    .execute(&mut c)
                    .await
                    .unwrap();
            });
        }
    }
}

criterion_group!(benches, translate, queries);
criterion_main!(benches);
