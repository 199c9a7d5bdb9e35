//! `load`: the load check of issue 18, an IdP-shaped load on any SCIM 2.0 service on loopback.
//!
//! Three subcommands:
//!
//! - `seed --database URL --state FILE`: stores users, groups and memberships straight through
//!   [`SqlStore`] (the resources the tenant's [`Provider`](scimkit::provider::Provider) creates,
//!   as a POST would), creates the tenant `load` with a token, and writes what the load needs
//!   (token, ids) to FILE. Then serve the database with `scimkit-server --database URL`.
//! - `run --url BASE --token T [--state FILE]`: the timed mix of 16 clients (the shape of
//!   `../shared/tools/scimload.py`): 50% `userName eq` lookups, 20% `externalId eq` lookups, 10%
//!   creates, 10% member PATCH (add or remove one member), 5% PUT of a user, 5% group reads
//!   without members. Without `--state` it seeds through the HTTP API first (for peers). It
//!   prints requests/s and p50/p90/p99 per kind, then checks that no membership was lost.
//! - `bigpatch --url BASE --token T --state FILE`: PATCH-adds 100 new users to the
//!   100,000-member group and to the 1,000-member group (then removes them again), with and
//!   without `?excludedAttributes=members`, and prints the median and spread of each.
//!
//! Traffic goes only to loopback; every loop is bounded by count and by time.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::collections::{HashMap, HashSet};
use std::error::Error;
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use scimkit_server::{SqlStore, Store, Tenant, TenantRecord, issue_token};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// A list the seeding and reading tasks fill together.
type Shared<T> = Arc<Mutex<Vec<T>>>;

type Res<T> = Result<T, Box<dyn Error + Send + Sync>>;

const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const MEDIA: &str = "application/scim+json";

const MIX: [(Kind, u32); 6] = [
    (Kind::FilterUserName, 50),
    (Kind::FilterExternalId, 20),
    (Kind::PostUser, 10),
    (Kind::PatchGroup, 10),
    (Kind::PutUser, 5),
    (Kind::GetGroup, 5),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    FilterUserName,
    FilterExternalId,
    PostUser,
    PatchGroup,
    PutUser,
    GetGroup,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Self::FilterUserName => "filter_userName",
            Self::FilterExternalId => "filter_externalId",
            Self::PostUser => "post_user",
            Self::PatchGroup => "patch_group",
            Self::PutUser => "put_user",
            Self::GetGroup => "get_group",
        }
    }
}

/// What the load knows of the service: written by `seed` (or an HTTP seed) and read by `run`.
#[derive(Debug, Default, Serialize, Deserialize)]
struct State {
    tag: String,
    token: Option<String>,
    /// `(id, index)`: userName and externalId follow from the index.
    users: Vec<(String, usize)>,
    /// The groups the mix PATCHes and reads.
    groups: Vec<String>,
    /// The big group (100,000 members) and the 1,000-member group, for `bigpatch`; the mix
    /// leaves them alone.
    big: Option<String>,
    mid: Option<String>,
}

fn user_body(tag: &str, i: usize, rev: usize) -> Value {
    let un = format!("{tag}.u{i:07}@load.example");
    let (given, family) = (format!("Given{i}"), format!("Family{}", i % 977));
    let mut body = json!({
        "schemas": [USER],
        "userName": un,
        "externalId": format!("{tag}-ext-{i:07}"),
        "name": {"givenName": given, "familyName": family, "formatted": format!("{given} {family}")},
        "displayName": format!("{given} {family}"),
        "emails": [{"value": un, "type": "work", "primary": true}],
        "active": true,
    });
    if rev > 0 {
        body["title"] = json!(format!("rev {rev}"));
        body["name"]["middleName"] = json!(format!("M{rev}"));
    }
    body
}

fn user_name(tag: &str, i: usize) -> String {
    format!("{tag}.u{i:07}@load.example")
}

fn external_id(tag: &str, i: usize) -> String {
    format!("{tag}-ext-{i:07}")
}

fn group_body(tag: &str, name: &str, j: usize, members: &[String]) -> Value {
    let mut body = json!({
        "schemas": [GROUP],
        "displayName": format!("{tag}-{name}-{j:05}"),
        "externalId": format!("{tag}-gext-{name}-{j:05}"),
    });
    if !members.is_empty() {
        body["members"] = members.iter().map(|m| json!({"value": m})).collect();
    }
    body
}

/// SplitMix64: enough randomness for a load, without a dependency.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n.max(1) as u64)).unwrap_or(0)
    }

    fn kind(&mut self) -> Kind {
        let total: u32 = MIX.iter().map(|(_, w)| w).sum();
        let mut x = u32::try_from(self.next() % u64::from(total)).unwrap_or(0);
        for (k, w) in MIX {
            if x < w {
                return k;
            }
            x -= w;
        }
        Kind::FilterUserName
    }
}

fn now_seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_nanos() as u64)
}

/// Flags as `--name value` pairs.
#[derive(Debug)]
struct Flags(HashMap<String, String>);

impl Flags {
    fn parse(args: &[String]) -> Res<Self> {
        let mut m = HashMap::new();
        let mut it = args.iter();
        while let Some(a) = it.next() {
            let name = a
                .strip_prefix("--")
                .ok_or_else(|| format!("unexpected argument {a}"))?;
            let value = it.next().ok_or_else(|| format!("--{name} needs a value"))?;
            m.insert(name.to_owned(), value.clone());
        }
        Ok(Self(m))
    }

    fn str(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    fn need(&self, name: &str) -> Res<&str> {
        Ok(self
            .str(name)
            .ok_or_else(|| format!("--{name} is required"))?)
    }

    fn num(&self, name: &str, default: usize) -> Res<usize> {
        match self.str(name) {
            Some(v) => Ok(v.replace('_', "").parse()?),
            None => Ok(default),
        }
    }
}

#[tokio::main]
async fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        return Err("usage: load seed|run|bigpatch --flag value …".into());
    };
    let flags = Flags::parse(rest)?;
    match command.as_str() {
        "seed" => seed_store(&flags).await,
        "run" => run(&flags).await,
        "bigpatch" => bigpatch(&flags).await,
        other => Err(format!("unknown command {other}").into()),
    }
}

// ------------------------------------------------------------------------------ seed (store)

/// Runs `f(i)` for `i` in `0..n` on `workers` tasks.
async fn pool<F, Fut>(n: usize, workers: usize, f: F) -> Res<()>
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Res<()>> + Send,
{
    let next = Arc::new(AtomicUsize::new(0));
    let f = Arc::new(f);
    let mut tasks = Vec::new();
    for _ in 0..workers {
        let (next, f) = (next.clone(), f.clone());
        tasks.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    return Ok::<(), Box<dyn Error + Send + Sync>>(());
                }
                f(i).await?;
            }
        }));
    }
    for t in tasks {
        t.await??;
    }
    Ok(())
}

async fn seed_store(flags: &Flags) -> Res<()> {
    let database = flags.need("database")?;
    let state_path = flags.need("state")?.to_owned();
    let public_url = flags.str("public-url").unwrap_or("http://127.0.0.1:38417");
    let users = flags.num("users", 100_000)?;
    let groups = flags.num("groups", 1_000)?;
    let group_members = flags.num("group-members", 100)?;
    let big = flags.num("big-members", 100_000)?.min(users);
    let mid = flags.num("mid-members", 1_000)?.min(users);
    let workers = flags.num("workers", 8)?;
    let tag = flags.str("tag").unwrap_or("ld").to_owned();

    let t0 = Instant::now();
    let store = SqlStore::open_with(database, u32::try_from(workers)?.max(2)).await?;
    let record = TenantRecord {
        id: "load".into(),
        name: "load".into(),
        profile: flags.str("profile").unwrap_or("rfc").into(),
        compat: "strict".into(),
        accept_passwords: false,
    };
    store.create_tenant(&record).await?;
    let (token, token_record) = issue_token("load", "load seed")?;
    store.add_token(&token_record).await?;
    let tenant = Arc::new(Tenant::new(record, public_url)?);

    let ids: Arc<Vec<String>> = Arc::new(
        (0..users)
            .map(|_| uuid::Uuid::new_v4().to_string())
            .collect(),
    );
    {
        let (store, tenant, ids, tag) = (store.clone(), tenant.clone(), ids.clone(), tag.clone());
        pool(users, workers, move |i| {
            let (store, tenant, ids, tag) =
                (store.clone(), tenant.clone(), ids.clone(), tag.clone());
            async move {
                let p = &tenant.provider;
                let user = p.create(
                    "User",
                    &user_body(&tag, i, 0),
                    &ids[i],
                    chrono::Utc::now(),
                    [],
                )?;
                store
                    .insert("load", "User", &user, p.schemas(), None)
                    .await?;
                Ok(())
            }
        })
        .await?;
    }
    let users_s = t0.elapsed().as_secs_f64();
    eprintln!("seed: {users} users in {users_s:.1} s");

    // Groups: each with `group_members` members drawn at random (a member in a few groups).
    let t1 = Instant::now();
    let group_ids: Arc<Vec<String>> = Arc::new(
        (0..groups)
            .map(|_| uuid::Uuid::new_v4().to_string())
            .collect(),
    );
    {
        let (store, tenant, ids, gids, tag) = (
            store.clone(),
            tenant.clone(),
            ids.clone(),
            group_ids.clone(),
            tag.clone(),
        );
        pool(groups, workers, move |j| {
            let (store, tenant, ids, gids, tag) = (
                store.clone(),
                tenant.clone(),
                ids.clone(),
                gids.clone(),
                tag.clone(),
            );
            async move {
                let mut rng = Rng(j as u64 + 17);
                let mut chosen = HashSet::new();
                while chosen.len() < group_members.min(ids.len()) {
                    chosen.insert(rng.below(ids.len()));
                }
                let members: Vec<String> = chosen.into_iter().map(|k| ids[k].clone()).collect();
                let p = &tenant.provider;
                let body = group_body(&tag, "grp", j, &members);
                let group = p.create("Group", &body, &gids[j], chrono::Utc::now(), [])?;
                store
                    .insert("load", "Group", &group, p.schemas(), None)
                    .await?;
                Ok(())
            }
        })
        .await?;
    }
    let groups_s = t1.elapsed().as_secs_f64();
    eprintln!("seed: {groups} groups of {group_members} members in {groups_s:.1} s");

    // The two groups `bigpatch` measures: the first `big` and the last `mid` users.
    let t2 = Instant::now();
    let p = &tenant.provider;
    let mut big_id = None;
    let mut mid_id = None;
    for (name, n, slot) in [("big", big, &mut big_id), ("mid", mid, &mut mid_id)] {
        if n == 0 {
            continue;
        }
        let members: Vec<String> = if name == "big" {
            ids[..n].to_vec()
        } else {
            ids[ids.len() - n..].to_vec()
        };
        let id = uuid::Uuid::new_v4().to_string();
        let group = p.create(
            "Group",
            &group_body(&tag, name, n, &members),
            &id,
            chrono::Utc::now(),
            [],
        )?;
        store
            .insert("load", "Group", &group, p.schemas(), None)
            .await?;
        *slot = Some(id);
    }
    let big_s = t2.elapsed().as_secs_f64();
    eprintln!("seed: groups of {big} and {mid} members in {big_s:.1} s");

    let state = State {
        tag,
        token: Some(token.clone()),
        users: ids.iter().cloned().zip(0..).collect(),
        groups: group_ids.to_vec(),
        big: big_id,
        mid: mid_id,
    };
    std::fs::write(&state_path, serde_json::to_vec(&state)?)?;
    store.close().await;
    let total = t0.elapsed().as_secs_f64();
    println!("token: {token}");
    println!(
        "{}",
        json!({"seed": {"users": users, "groups": groups, "group_members": group_members,
            "big_members": big, "mid_members": mid, "users_s": round(users_s),
            "groups_s": round(groups_s), "big_groups_s": round(big_s), "total_s": round(total)}})
    );
    Ok(())
}

fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

// ------------------------------------------------------------------------------ HTTP client

#[derive(Debug, Clone)]
struct Client {
    http: reqwest::Client,
    base: String,
    auth: String,
}

impl Client {
    fn new(base: &str, token: &str, clients: usize) -> Res<Self> {
        let host = reqwest::Url::parse(base)?;
        let name = host.host_str().unwrap_or_default();
        let loopback = name == "localhost"
            || name
                .trim_matches(['[', ']'])
                .parse::<std::net::IpAddr>()
                .is_ok_and(|a| a.is_loopback());
        if !loopback {
            return Err(format!("{base} is not a loopback address").into());
        }
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(clients)
            .timeout(Duration::from_secs(120))
            .tcp_nodelay(true)
            .build()?;
        Ok(Self {
            http,
            base: base.trim_end_matches('/').to_owned(),
            auth: format!("Bearer {token}"),
        })
    }

    /// `(status, body, seconds)`; a transport error is status 0.
    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
    ) -> (u16, Vec<u8>, f64) {
        let mut r = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header("Accept", MEDIA)
            .header("Authorization", &self.auth);
        if let Some(b) = body {
            r = r
                .header("Content-Type", MEDIA)
                .body(serde_json::to_vec(b).unwrap_or_default());
        }
        let t = Instant::now();
        let out = match r.send().await {
            Ok(resp) => {
                let status = resp.status().as_u16();
                match resp.bytes().await {
                    Ok(b) => (status, b.to_vec()),
                    Err(e) => (0, e.to_string().into_bytes()),
                }
            }
            Err(e) => (0, e.to_string().into_bytes()),
        };
        (out.0, out.1, t.elapsed().as_secs_f64())
    }
}

fn ok(status: u16) -> bool {
    (200..300).contains(&status)
}

fn describe(status: u16, body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    format!("{status}: {}", text.chars().take(300).collect::<String>())
}

/// Percent-encodes a query value.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn filter_query(attr: &str, value: &str) -> String {
    format!("filter={}", encode(&format!("{attr} eq \"{value}\"")))
}

fn id_of(body: &[u8]) -> Res<String> {
    let v: Value = serde_json::from_slice(body)?;
    Ok(v.get("id")
        .and_then(Value::as_str)
        .ok_or("no id in the answer")?
        .to_owned())
}

// ------------------------------------------------------------------------------ seed (HTTP)

/// Seeds through the HTTP API (for peers): users, groups, then member PATCHes of 100.
async fn seed_http(cli: &Client, flags: &Flags, clients: usize) -> Res<State> {
    let users = flags.num("users", 10_000)?;
    let groups = flags.num("groups", 100)?;
    let group_members = flags.num("group-members", 100)?;
    let tag = format!("h{:06x}", now_seed() % 0xFF_FFFF);
    let t0 = Instant::now();
    let made: Arc<Mutex<Vec<(String, usize)>>> = Arc::default();
    {
        let (cli, made, tag) = (cli.clone(), made.clone(), tag.clone());
        pool(users, clients, move |i| {
            let (cli, made, tag) = (cli.clone(), made.clone(), tag.clone());
            async move {
                let (st, body, _) = cli
                    .call(
                        reqwest::Method::POST,
                        "/Users",
                        Some(&user_body(&tag, i, 0)),
                    )
                    .await;
                if !ok(st) {
                    return Err(format!("seed POST /Users: {}", describe(st, &body)).into());
                }
                made.lock()
                    .map_err(|_| "poisoned")?
                    .push((id_of(&body)?, i));
                Ok(())
            }
        })
        .await?;
    }
    let mut user_list = std::mem::take(&mut *made.lock().map_err(|_| "poisoned")?);
    user_list.sort_by_key(|u| u.1);
    eprintln!(
        "seed (HTTP): {users} users in {:.1} s",
        t0.elapsed().as_secs_f64()
    );
    let t1 = Instant::now();
    let gmade: Arc<Mutex<Vec<(String, usize)>>> = Arc::default();
    {
        let (cli, gmade, tag) = (cli.clone(), gmade.clone(), tag.clone());
        pool(groups, clients, move |j| {
            let (cli, gmade, tag) = (cli.clone(), gmade.clone(), tag.clone());
            async move {
                let (st, body, _) = cli
                    .call(
                        reqwest::Method::POST,
                        "/Groups",
                        Some(&group_body(&tag, "grp", j, &[])),
                    )
                    .await;
                if !ok(st) {
                    return Err(format!("seed POST /Groups: {}", describe(st, &body)).into());
                }
                gmade
                    .lock()
                    .map_err(|_| "poisoned")?
                    .push((id_of(&body)?, j));
                Ok(())
            }
        })
        .await?;
    }
    let mut group_list = std::mem::take(&mut *gmade.lock().map_err(|_| "poisoned")?);
    group_list.sort_by_key(|g| g.1);
    let group_list: Vec<String> = group_list.into_iter().map(|g| g.0).collect();
    // Member batches of at most 100, one PATCH each.
    let ids: Vec<String> = user_list.iter().map(|u| u.0.clone()).collect();
    let mut batches = Vec::new();
    for (j, g) in group_list.iter().enumerate() {
        let mut rng = Rng(j as u64 + 17);
        let mut chosen = HashSet::new();
        while chosen.len() < group_members.min(ids.len()) {
            chosen.insert(rng.below(ids.len()));
        }
        let members: Vec<String> = chosen.into_iter().map(|k| ids[k].clone()).collect();
        for chunk in members.chunks(100) {
            batches.push((g.clone(), chunk.to_vec()));
        }
    }
    let batches = Arc::new(batches);
    let n = batches.len();
    {
        let (cli, batches) = (cli.clone(), batches.clone());
        pool(n, clients, move |b| {
            let (cli, batches) = (cli.clone(), batches.clone());
            async move {
                let (gid, members) = &batches[b];
                let op = json!({"schemas": [PATCH], "Operations": [{"op": "add", "path": "members",
                    "value": members.iter().map(|m| json!({"value": m})).collect::<Vec<_>>()}]});
                let (st, body, _) = cli
                    .call(reqwest::Method::PATCH, &format!("/Groups/{gid}"), Some(&op))
                    .await;
                if !ok(st) {
                    return Err(format!("seed PATCH: {}", describe(st, &body)).into());
                }
                Ok(())
            }
        })
        .await?;
    }
    eprintln!(
        "seed (HTTP): {groups} groups of {group_members} members in {:.1} s; total {:.1} s",
        t1.elapsed().as_secs_f64(),
        t0.elapsed().as_secs_f64()
    );
    Ok(State {
        tag,
        token: None,
        users: user_list,
        groups: group_list,
        big: None,
        mid: None,
    })
}

// ------------------------------------------------------------------------------ run

#[derive(Debug, Default)]
struct KindStats {
    count: usize,
    errors: usize,
    conflicts: usize,
    wrong: usize,
    lat: Vec<f64>,
    samples: Vec<String>,
}

impl KindStats {
    fn error(&mut self, what: String) {
        self.errors += 1;
        if self.samples.len() < 3 {
            self.samples.push(what);
        }
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let k = (sorted.len() - 1) as f64 * p;
    let lo = k.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (k - lo as f64)
}

fn ms(x: f64) -> f64 {
    (x * 100_000.0).round() / 100.0
}

/// The members of a group as the service answers them.
async fn members_of(cli: &Client, gid: &str) -> Res<HashSet<String>> {
    let (st, body, _) = cli
        .call(reqwest::Method::GET, &format!("/Groups/{gid}"), None)
        .await;
    if !ok(st) {
        return Err(format!("GET group: {}", describe(st, &body)).into());
    }
    let v: Value = serde_json::from_slice(&body)?;
    Ok(v.get("members")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|m| m.get("value").and_then(Value::as_str).map(str::to_owned))
                .collect()
        })
        .unwrap_or_default())
}

/// One client of the mix: its own groups to PATCH (so what each group should hold is exact),
/// every user and group to read.
struct Worker {
    cli: Client,
    state: Arc<State>,
    mine: Vec<(String, HashSet<String>)>,
    rng: Rng,
    next_user: usize,
    run_tag: String,
    rev: usize,
    stats: HashMap<Kind, KindStats>,
    per_second: Vec<usize>,
    created: Vec<(String, usize)>,
}

impl Worker {
    async fn one(&mut self, kind: Kind) {
        let cli = self.cli.clone();
        let st = self.state.clone();
        let (status, body, dt, outcome) = match kind {
            Kind::FilterUserName | Kind::FilterExternalId => {
                let (id, i) = &st.users[self.rng.below(st.users.len())];
                let (attr, value) = if kind == Kind::FilterUserName {
                    ("userName", user_name(&st.tag, *i))
                } else {
                    ("externalId", external_id(&st.tag, *i))
                };
                let (s, b, dt) = cli
                    .call(
                        reqwest::Method::GET,
                        &format!("/Users?{}", filter_query(attr, &value)),
                        None,
                    )
                    .await;
                let right = ok(s)
                    && serde_json::from_slice::<Value>(&b).is_ok_and(|v| {
                        v["totalResults"] == 1
                            && v["Resources"].as_array().is_some_and(|r| r.len() == 1)
                            && v["Resources"][0]["id"] == id.as_str()
                    });
                (
                    s,
                    b,
                    dt,
                    if ok(s) && !right {
                        Some(format!("{attr}={value}"))
                    } else {
                        None
                    },
                )
            }
            Kind::PostUser => {
                let i = self.next_user;
                self.next_user += 1;
                let (s, b, dt) = cli
                    .call(
                        reqwest::Method::POST,
                        "/Users",
                        Some(&user_body(&self.run_tag, i, 0)),
                    )
                    .await;
                if ok(s)
                    && let Ok(id) = id_of(&b)
                {
                    self.created.push((id, i));
                }
                (s, b, dt, None)
            }
            Kind::PutUser => {
                let (id, i) = &st.users[self.rng.below(st.users.len())];
                self.rev += 1;
                let mut body = user_body(&st.tag, *i, self.rev);
                body["id"] = json!(id);
                let (s, b, dt) = cli
                    .call(reqwest::Method::PUT, &format!("/Users/{id}"), Some(&body))
                    .await;
                (s, b, dt, None)
            }
            Kind::GetGroup => {
                let gid = &st.groups[self.rng.below(st.groups.len())];
                let (s, b, dt) = cli
                    .call(
                        reqwest::Method::GET,
                        &format!("/Groups/{gid}?excludedAttributes=members"),
                        None,
                    )
                    .await;
                let right = ok(s)
                    && serde_json::from_slice::<Value>(&b)
                        .is_ok_and(|v| v["id"] == gid.as_str() && v.get("members").is_none());
                (
                    s,
                    b,
                    dt,
                    if ok(s) && !right {
                        Some(format!("group {gid}"))
                    } else {
                        None
                    },
                )
            }
            Kind::PatchGroup => {
                if self.mine.is_empty() {
                    return;
                }
                let g = self.rng.below(self.mine.len());
                let remove = !self.mine[g].1.is_empty() && self.rng.below(2) == 0;
                let (op, uid) = if remove {
                    let members = &self.mine[g].1;
                    let k = self.rng.below(members.len());
                    let uid = members.iter().nth(k).cloned().unwrap_or_default();
                    (
                        json!({"op": "remove", "path": format!("members[value eq \"{uid}\"]")}),
                        uid,
                    )
                } else {
                    let mut uid = String::new();
                    for _ in 0..8 {
                        let c = &st.users[self.rng.below(st.users.len())].0;
                        if !self.mine[g].1.contains(c) {
                            uid.clone_from(c);
                            break;
                        }
                    }
                    if uid.is_empty() {
                        return;
                    }
                    (
                        json!({"op": "add", "path": "members", "value": [{"value": uid}]}),
                        uid,
                    )
                };
                let gid = self.mine[g].0.clone();
                let (s, b, dt) = cli
                    .call(
                        reqwest::Method::PATCH,
                        &format!("/Groups/{gid}"),
                        Some(&json!({"schemas": [PATCH], "Operations": [op]})),
                    )
                    .await;
                if ok(s) {
                    if remove {
                        self.mine[g].1.remove(&uid);
                    } else {
                        self.mine[g].1.insert(uid);
                    }
                }
                (s, b, dt, None)
            }
        };
        let k = self.stats.entry(kind).or_default();
        k.count += 1;
        k.lat.push(dt);
        if kind == Kind::PostUser && status == 409 {
            k.conflicts += 1;
        } else if !ok(status) {
            k.error(describe(status, &body));
        }
        if let Some(w) = outcome {
            k.wrong += 1;
            if k.samples.len() < 3 {
                k.samples.push(format!("wrong answer: {w}"));
            }
        }
    }
}

async fn run(flags: &Flags) -> Res<()> {
    let url = flags.need("url")?;
    let clients = flags.num("clients", 16)?;
    let seconds = flags.num("seconds", 30)?;
    let max_requests = flags.num("max-requests", 5_000_000)?;
    let label = flags.str("label").unwrap_or("").to_owned();
    let pid = flags.str("pid").map(str::to_owned);
    let state: State = match flags.str("state") {
        Some(path) => serde_json::from_slice(&std::fs::read(path)?)?,
        None => State::default(),
    };
    let token = flags
        .str("token")
        .map(str::to_owned)
        .or_else(|| state.token.clone())
        .ok_or("--token is required")?;
    let cli = Client::new(url, &token, clients)?;
    let (st, body, _) = cli
        .call(reqwest::Method::GET, "/ServiceProviderConfig", None)
        .await;
    if !ok(st) {
        return Err(format!("GET /ServiceProviderConfig: {}", describe(st, &body)).into());
    }
    let state = if flags.str("state").is_some() {
        state
    } else {
        seed_http(&cli, flags, clients).await?
    };
    let state = Arc::new(state);

    // What each group holds now (an earlier run changed them): read, then dealt to clients.
    let t = Instant::now();
    let current: Shared<(usize, HashSet<String>)> = Arc::default();
    {
        let (cli, state, current) = (cli.clone(), state.clone(), current.clone());
        pool(state.groups.len(), clients, move |j| {
            let (cli, state, current) = (cli.clone(), state.clone(), current.clone());
            async move {
                let m = members_of(&cli, &state.groups[j]).await?;
                current.lock().map_err(|_| "poisoned")?.push((j, m));
                Ok(())
            }
        })
        .await?;
    }
    let mut current = std::mem::take(&mut *current.lock().map_err(|_| "poisoned")?);
    current.sort_by_key(|c| c.0);
    eprintln!(
        "read the members of {} groups in {:.1} s",
        current.len(),
        t.elapsed().as_secs_f64()
    );
    let mut dealt: Vec<Vec<(String, HashSet<String>)>> = (0..clients).map(|_| Vec::new()).collect();
    for (j, members) in current {
        dealt[j % clients].push((state.groups[j].clone(), members));
    }

    let cpu0 = pid.as_deref().and_then(proc_cpu);
    let seed = now_seed();
    let run_tag = format!("r{:06x}", seed % 0xFF_FFFF);
    let sent = Arc::new(AtomicUsize::new(0));
    let t0 = Instant::now();
    let deadline = t0 + Duration::from_secs(seconds as u64);
    let mut tasks = Vec::new();
    for (c, mine) in dealt.into_iter().enumerate() {
        let mut w = Worker {
            cli: cli.clone(),
            state: state.clone(),
            mine,
            rng: Rng(seed ^ (c as u64 * 0x1000_0000_01B3)),
            next_user: c * 10_000_000,
            run_tag: run_tag.clone(),
            rev: 0,
            stats: HashMap::new(),
            per_second: Vec::new(),
            created: Vec::new(),
        };
        let sent = sent.clone();
        tasks.push(tokio::spawn(async move {
            while Instant::now() < deadline && sent.fetch_add(1, Ordering::Relaxed) < max_requests {
                let kind = w.rng.kind();
                w.one(kind).await;
                let s = t0.elapsed().as_secs() as usize;
                if w.per_second.len() <= s {
                    w.per_second.resize(s + 1, 0);
                }
                w.per_second[s] += 1;
            }
            w
        }));
    }
    let mut workers = Vec::new();
    for t in tasks {
        workers.push(t.await?);
    }
    let elapsed = t0.elapsed().as_secs_f64();
    let server_cpu = match (cpu0, pid.as_deref().and_then(proc_cpu)) {
        (Some(a), Some(b)) => Some(round(100.0 * (b - a) / elapsed)),
        _ => None,
    };

    // Merge.
    let mut stats: HashMap<Kind, KindStats> = HashMap::new();
    let mut per_second: Vec<usize> = Vec::new();
    for w in &mut workers {
        for (k, s) in w.stats.drain() {
            let m = stats.entry(k).or_default();
            m.count += s.count;
            m.errors += s.errors;
            m.conflicts += s.conflicts;
            m.wrong += s.wrong;
            m.lat.extend(s.lat);
            for x in s.samples {
                if m.samples.len() < 3 {
                    m.samples.push(x);
                }
            }
        }
        if per_second.len() < w.per_second.len() {
            per_second.resize(w.per_second.len(), 0);
        }
        for (i, n) in w.per_second.iter().enumerate() {
            per_second[i] += n;
        }
    }
    let total: usize = stats.values().map(|s| s.count).sum();
    let errors: usize = stats.values().map(|s| s.errors).sum();
    let wrong: usize = stats.values().map(|s| s.wrong).sum();
    let mut all_lat: Vec<f64> = stats.values().flat_map(|s| s.lat.iter().copied()).collect();
    all_lat.sort_by(f64::total_cmp);
    eprintln!(
        "\n{:<20}{:>8}{:>6}{:>6}{:>9}{:>9}{:>9}{:>9}",
        "kind", "count", "err", "wrong", "p50 ms", "p90 ms", "p99 ms", "max ms"
    );
    let mut kinds = serde_json::Map::new();
    for (kind, _) in MIX {
        let Some(s) = stats.get_mut(&kind) else {
            continue;
        };
        s.lat.sort_by(f64::total_cmp);
        let (p50, p90, p99, max) = (
            ms(percentile(&s.lat, 0.5)),
            ms(percentile(&s.lat, 0.9)),
            ms(percentile(&s.lat, 0.99)),
            ms(s.lat.last().copied().unwrap_or(0.0)),
        );
        eprintln!(
            "{:<20}{:>8}{:>6}{:>6}{p50:>9.2}{p90:>9.2}{p99:>9.2}{max:>9.2}",
            kind.name(),
            s.count,
            s.errors,
            s.wrong
        );
        for x in &s.samples {
            eprintln!("    {x}");
        }
        kinds.insert(
            kind.name().to_owned(),
            json!({"count": s.count, "errors": s.errors, "conflicts_409": s.conflicts,
                   "wrong": s.wrong, "p50_ms": p50, "p90_ms": p90, "p99_ms": p99, "max_ms": max}),
        );
    }
    let rps = total as f64 / elapsed;
    eprintln!(
        "total {total} requests in {elapsed:.1} s = {rps:.1} req/s (p50 {:.2} ms, p99 {:.2} ms); \
         {errors} errors, {wrong} wrong; server CPU {}%",
        ms(percentile(&all_lat, 0.5)),
        ms(percentile(&all_lat, 0.99)),
        server_cpu.map_or_else(|| "?".to_owned(), |c| c.to_string())
    );

    // Verify: every group a client patched holds exactly what its PATCHes left.
    let t = Instant::now();
    let mut lost = 0;
    let mut extra = 0;
    let mut checked = 0;
    let sample = flags.num("verify-groups", 200)?;
    'outer: for w in &workers {
        for (gid, expected) in &w.mine {
            if checked >= sample {
                break 'outer;
            }
            let actual = members_of(&cli, gid).await?;
            lost += expected.difference(&actual).count();
            extra += actual.difference(expected).count();
            checked += 1;
        }
    }
    eprintln!(
        "verified {checked} groups in {:.1} s: {lost} lost adds, {extra} resurrected removes",
        t.elapsed().as_secs_f64()
    );
    let mut sorted_ps = per_second.clone();
    sorted_ps.truncate(elapsed.floor() as usize);
    sorted_ps.sort_unstable();
    println!(
        "{}",
        json!({"label": label, "url": url, "clients": clients, "users": state.users.len(),
            "groups": state.groups.len(), "elapsed_s": round(elapsed), "requests": total,
            "req_per_s": round(rps), "errors": errors, "wrong": wrong,
            "p50_ms": ms(percentile(&all_lat, 0.5)), "p99_ms": ms(percentile(&all_lat, 0.99)),
            "server_cpu_pct": server_cpu,
            "min_rps_1s": sorted_ps.first(), "median_rps_1s": sorted_ps.get(sorted_ps.len() / 2),
            "kinds": kinds,
            "verify": {"groups": checked, "lost_adds": lost, "resurrected_removes": extra}})
    );
    if errors > 0 || wrong > 0 || lost > 0 || extra > 0 {
        return Err("the load saw errors, wrong answers or lost updates".into());
    }
    Ok(())
}

/// CPU seconds (user + system) a local process has used.
fn proc_cpu(pid: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

// ------------------------------------------------------------------------------ bigpatch

async fn bigpatch(flags: &Flags) -> Res<()> {
    let url = flags.need("url")?;
    let state: State = serde_json::from_slice(&std::fs::read(flags.need("state")?)?)?;
    let token = flags
        .str("token")
        .map(str::to_owned)
        .or_else(|| state.token.clone())
        .ok_or("--token is required")?;
    let repeat = flags.num("repeat", 7)?;
    let add = flags.num("add", 100)?;
    let cli = Client::new(url, &token, 4)?;
    // New users, members of neither group: `add` per repetition, reused across groups.
    let run_tag = format!("b{:06x}", now_seed() % 0xFF_FFFF);
    let mut fresh = Vec::new();
    for i in 0..add {
        let (st, body, _) = cli
            .call(
                reqwest::Method::POST,
                "/Users",
                Some(&user_body(&run_tag, i, 0)),
            )
            .await;
        if !ok(st) {
            return Err(format!("POST /Users: {}", describe(st, &body)).into());
        }
        fresh.push(id_of(&body)?);
    }
    let value: Vec<Value> = fresh.iter().map(|m| json!({"value": m})).collect();
    let add_op = json!({"schemas": [PATCH], "Operations": [{"op": "add", "path": "members", "value": value}]});
    let filter = fresh
        .iter()
        .map(|m| format!("value eq \"{m}\""))
        .collect::<Vec<_>>()
        .join(" or ");
    let remove_op = json!({"schemas": [PATCH], "Operations": [{"op": "remove", "path": format!("members[{filter}]")}]});
    let mut out = serde_json::Map::new();
    for (name, gid) in [("big", &state.big), ("mid", &state.mid)] {
        let Some(gid) = gid else { continue };
        let size = members_of(&cli, gid).await?.len();
        for (mode, query) in [
            ("as_is", ""),
            ("excluded_members", "?excludedAttributes=members"),
        ] {
            let mut adds = Vec::new();
            let mut removes = Vec::new();
            let mut bytes = 0;
            for _ in 0..repeat {
                let path = format!("/Groups/{gid}{query}");
                let (st, body, dt) = cli.call(reqwest::Method::PATCH, &path, Some(&add_op)).await;
                if !ok(st) {
                    return Err(format!("PATCH add: {}", describe(st, &body)).into());
                }
                bytes = body.len();
                adds.push(dt);
                let (st, body, dt) = cli
                    .call(reqwest::Method::PATCH, &path, Some(&remove_op))
                    .await;
                if !ok(st) {
                    return Err(format!("PATCH remove: {}", describe(st, &body)).into());
                }
                removes.push(dt);
            }
            adds.sort_by(f64::total_cmp);
            removes.sort_by(f64::total_cmp);
            eprintln!(
                "{name} group ({size} members), answer {mode} ({bytes} bytes): add {add}: median \
                 {:.2} ms (min {:.2}, max {:.2}); remove {add}: median {:.2} ms",
                ms(percentile(&adds, 0.5)),
                ms(adds[0]),
                ms(adds[adds.len() - 1]),
                ms(percentile(&removes, 0.5)),
            );
            out.insert(
                format!("{name}_{mode}"),
                json!({"members": size, "answer_bytes": bytes,
                    "add_median_ms": ms(percentile(&adds, 0.5)), "add_min_ms": ms(adds[0]),
                    "add_max_ms": ms(adds[adds.len() - 1]),
                    "remove_median_ms": ms(percentile(&removes, 0.5))}),
            );
        }
    }
    println!("{}", Value::Object(out));
    Ok(())
}
