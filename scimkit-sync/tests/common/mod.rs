//! The sync tests' harness: an Identity Center emulator (`scimkit-server` with an
//! `identity-center` tenant on SQLite) on 127.0.0.1:0 in this process, optional faults, a
//! generated directory, and the target's state read straight from its database.
#![allow(
    dead_code,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stderr
)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

use scimkit::aws::IdentityCenter;
use scimkit_server::{
    FaultCounts, Faults, Service, SqlStore, Store, TenantRecord, issue_token, router,
};
use scimkit_sync::{Engine, Options, Source, Token};
use serde_json::{Value, json};
use sqlx::{Connection, Row};

/// A directory removed when dropped.
#[derive(Debug)]
pub struct TempDir(pub PathBuf);

impl TempDir {
    /// Under `/dev/shm` when there is one: the server's SQLite commits with
    /// `synchronous = FULL`, and these tests measure the sync, not the disk's fsync.
    pub fn new() -> Self {
        let shm = std::path::Path::new("/dev/shm");
        let root = if shm.is_dir() {
            shm.to_owned()
        } else {
            std::env::temp_dir()
        };
        let p = root.join(format!("scimkit-sync-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&p).unwrap();
        Self(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The emulator.
pub struct Emulator {
    pub base: String,
    pub token: String,
    pub tenant: String,
    pub dir: TempDir,
    db: PathBuf,
    store: SqlStore,
    service: Arc<Service<SqlStore>>,
    task: tokio::task::JoinHandle<()>,
}

impl Emulator {
    /// The emulator, with `faults` (`scimkit_server::Faults`'s text, as `--faults` takes it)
    /// when given.
    pub async fn start(faults: Option<&str>) -> Self {
        Self::start_with("identity-center", faults).await
    }

    /// The server with a tenant of `profile` (`rfc` or `identity-center`).
    pub async fn start_with(profile: &str, faults: Option<&str>) -> Self {
        let dir = TempDir::new();
        let db = dir.0.join("scim.db");
        let store = SqlStore::open(&db.display().to_string()).await.unwrap();
        let tenant = "ic".to_owned();
        store
            .create_tenant(&TenantRecord {
                id: tenant.clone(),
                name: tenant.clone(),
                profile: profile.into(),
                compat: "strict".into(),
                accept_passwords: false,
            })
            .await
            .unwrap();
        let (token, record) = issue_token(&tenant, "test").unwrap();
        store.add_token(&record).await.unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let root = format!("http://{}", listener.local_addr().unwrap());
        let mut service = Service::new(store.clone(), root.clone());
        if let Some(f) = faults {
            service = service.with_faults(f.parse::<Faults>().unwrap());
        }
        let service = Arc::new(service);
        let app = router(Arc::clone(&service));
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Self {
            base: format!("{root}/{tenant}/scim/v2"),
            token,
            tenant,
            dir,
            db,
            store,
            service,
            task,
        }
    }

    /// What the faults injected so far.
    pub fn injected(&self) -> FaultCounts {
        self.service.faults_injected().unwrap_or_default()
    }

    pub fn options(&self) -> Options {
        let mut o = Options::new(self.base.clone(), Token::new(self.token.clone()));
        o.state_file = Some(self.dir.0.join("state.json"));
        o.concurrency = 16;
        o
    }

    pub fn engine(&self) -> Engine {
        Engine::new(self.options()).unwrap()
    }

    async fn rows(&self, sql: &str) -> Vec<sqlx::sqlite::SqliteRow> {
        let mut c = sqlx::SqliteConnection::connect(&format!("sqlite://{}", self.db.display()))
            .await
            .unwrap();
        sqlx::query(sql)
            .bind(&self.tenant)
            .fetch_all(&mut c)
            .await
            .unwrap()
    }

    /// Every resource of `rtype`, by id.
    pub async fn resources(&self, rtype: &str) -> BTreeMap<String, Value> {
        let sql = format!(
            "SELECT id, resource FROM scim_resources WHERE tenant = ? AND rtype = '{rtype}'"
        );
        self.rows(&sql)
            .await
            .iter()
            .map(|r| {
                let id: String = r.get(0);
                let text: String = r.get(1);
                (id, serde_json::from_str(&text).unwrap())
            })
            .collect()
    }

    /// (group id, member id) rows.
    pub async fn member_rows(&self) -> Vec<(String, String)> {
        self.rows("SELECT group_id, member_id FROM scim_members WHERE tenant = ?")
            .await
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect()
    }

    /// Asserts the target holds exactly the source: users (as Identity Center stores them),
    /// groups, and memberships; nothing duplicated, lost or extra.
    pub async fn assert_matches(&self, users: &[Value], groups: &[Value]) {
        let ic = IdentityCenter::new();
        let target_users = self.resources("User").await;
        assert_eq!(target_users.len(), users.len(), "user count");
        let mut ext_of = BTreeMap::new();
        let mut by_ext = BTreeMap::new();
        for (id, u) in &target_users {
            let ext = u["externalId"].as_str().unwrap().to_owned();
            assert!(
                by_ext.insert(ext.clone(), u.clone()).is_none(),
                "duplicate {ext}"
            );
            ext_of.insert(id.clone(), ext);
        }
        for u in users {
            let ext = u["externalId"].as_str().unwrap();
            let t = by_ext
                .get(ext)
                .unwrap_or_else(|| panic!("user {ext} missing"));
            let want = ic.normalize_user(u).resource;
            for (k, v) in want.as_object().unwrap() {
                assert_eq!(t.get(k), Some(v), "user {ext}: `{k}`");
            }
        }
        let target_groups = self.resources("Group").await;
        assert_eq!(target_groups.len(), groups.len(), "group count");
        let mut name_of = BTreeMap::new();
        for (id, g) in &target_groups {
            name_of.insert(id.clone(), g["displayName"].as_str().unwrap().to_owned());
        }
        let names: BTreeSet<&String> = name_of.values().collect();
        assert_eq!(names.len(), groups.len(), "duplicate group names");
        let mut want = BTreeSet::new();
        for g in groups {
            let name = g["displayName"].as_str().unwrap().to_owned();
            assert!(names.contains(&name), "group {name} missing");
            for m in g["members"].as_array().into_iter().flatten() {
                want.insert((name.clone(), m["value"].as_str().unwrap().to_owned()));
            }
        }
        let rows = self.member_rows().await;
        let got: BTreeSet<(String, String)> = rows
            .iter()
            .map(|(g, u)| (name_of[g].clone(), ext_of[u].clone()))
            .collect();
        assert_eq!(got.len(), rows.len(), "duplicate membership rows");
        let missing: Vec<_> = want.difference(&got).take(5).collect();
        let extra: Vec<_> = got.difference(&want).take(5).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "missing {missing:?}, extra {extra:?}"
        );
    }

    pub async fn stop(self) {
        self.task.abort();
        let _ = self.task.await;
        self.store.close().await;
    }
}

/// A directory of `users` users and `groups` groups with about `per_user` groups each; small
/// group numbers are picked more often, so some groups pass 100 members.
pub fn directory(users: usize, groups: usize, per_user: usize) -> (Vec<Value>, Vec<Value>) {
    let us: Vec<Value> = (0..users)
        .map(|i| {
            json!({
                "externalId": format!("e{i}"),
                "userName": format!("user{i}@example.com"),
                "displayName": format!("User {i}"),
                "name": {"givenName": format!("Given{i}"), "familyName": "Family"},
                "emails": [{"value": format!("user{i}@example.com"), "type": "work", "primary": true}],
                "active": true,
                "title": if i % 3 == 0 { json!("Engineer") } else { Value::Null },
            })
        })
        .map(|mut u| {
            if u["title"].is_null() {
                u.as_object_mut().unwrap().remove("title");
            }
            u
        })
        .collect();
    let mut members: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); groups];
    let mut x: u64 = 12345;
    for i in 0..users {
        let mut picked = BTreeSet::new();
        while picked.len() < per_user.min(groups) {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let r = (x >> 11) as f64 / (1u64 << 53) as f64;
            picked.insert(((r * r) * groups as f64) as usize % groups);
        }
        for g in picked {
            members[g].insert(i);
        }
    }
    let gs = members
        .iter()
        .enumerate()
        .map(|(j, m)| {
            json!({
                "displayName": format!("Group {j}"),
                "externalId": format!("G{j}"),
                "members": m.iter().map(|i| json!({"value": format!("e{i}")})).collect::<Vec<_>>(),
            })
        })
        .collect();
    (us, gs)
}

pub fn source(users: &[Value], groups: &[Value]) -> Source {
    Source::from_values(users.to_vec(), groups.to_vec()).unwrap()
}
