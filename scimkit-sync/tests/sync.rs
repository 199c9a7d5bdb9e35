//! The engine against the Identity Center emulator: initial sync, no-change resync, a run
//! killed midway, a changed source, deletions and their threshold, and faults.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stderr
)]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use common::{Emulator, directory, source};
use scimkit_sync::{Engine, Error, Memberships, Phase, Profile, Progress, Report};
use serde_json::{Value, json};

async fn sync(engine: &Engine, users: &[Value], groups: &[Value]) -> Report {
    let plan = engine.plan(&source(users, groups)).await.unwrap();
    engine.apply(&plan).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn initial_sync_then_no_change_resync() {
    let emu = Emulator::start(None).await;
    let (users, groups) = directory(300, 20, 4);
    let m: usize = groups
        .iter()
        .map(|g| g["members"].as_array().unwrap().len())
        .sum();
    let t = Instant::now();
    let first = sync(&emu.engine(), &users, &groups).await;
    eprintln!("initial: {first:?} in {:?}", t.elapsed());
    assert!(first.failures.is_empty(), "{:?}", first.failures);
    assert_eq!((first.users_created, first.groups_created), (300, 20));
    assert_eq!(first.members_added as usize, m);
    emu.assert_matches(&users, &groups).await;
    // At most U + G + ⌈M/100⌉ writes (a group's member chunks round up per group).
    let chunks: usize = groups
        .iter()
        .map(|g| {
            g["members"]
                .as_array()
                .unwrap()
                .len()
                .saturating_sub(100)
                .div_ceil(100)
        })
        .sum();
    assert_eq!(first.writes as usize, 300 + 20 + chunks);
    assert_eq!(first.reads, 2, "one empty page of users and one of groups");

    let again = sync(&emu.engine(), &users, &groups).await;
    eprintln!("resync: {again:?}");
    assert_eq!(again.writes, 0, "{again:?}");
    assert_eq!(
        again.reads,
        3 + 1,
        "3 pages of users, 1 of groups: {again:?}"
    );
    assert_eq!(again.memberships_from, Some(Memberships::State));
    emu.stop().await;
}

/// Counts write requests and fires after `n` of them.
struct KillAfter {
    n: u64,
    done: AtomicU64,
    fire: tokio::sync::Notify,
}

impl Progress for KillAfter {
    fn phase(&self, _: Phase, _: Option<u64>) {}
    fn advance(&self, n: u64) {
        if self.done.fetch_add(n, Ordering::SeqCst) + n >= self.n {
            self.fire.notify_one();
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killed_midway_converges() {
    let emu = Emulator::start(None).await;
    let (users, groups) = directory(400, 12, 4);
    for kill_at in [150, 100, 40] {
        let kill = Arc::new(KillAfter {
            n: kill_at,
            done: AtomicU64::new(0),
            fire: tokio::sync::Notify::new(),
        });
        let engine = emu.engine().with_progress(kill.clone());
        let plan = engine.plan(&source(&users, &groups)).await.unwrap();
        tokio::select! {
            r = engine.apply(&plan) => panic!("finished before the kill at {kill_at}: {r:?}"),
            () = kill.fire.notified() => {}
        }
        eprintln!("killed after {} writes", kill.done.load(Ordering::SeqCst));
    }
    let done = sync(&emu.engine(), &users, &groups).await;
    assert!(done.failures.is_empty(), "{:?}", done.failures);
    emu.assert_matches(&users, &groups).await;
    let again = sync(&emu.engine(), &users, &groups).await;
    assert_eq!(again.writes, 0, "{again:?}");
    emu.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn changed_source_converges_in_one_run() {
    let emu = Emulator::start(None).await;
    let (mut users, mut groups) = directory(200, 10, 3);
    sync(&emu.engine(), &users, &groups).await;
    // Renames, deactivations, a new title, membership moves, a group renamed in place.
    for (i, u) in users.iter_mut().enumerate() {
        if i % 10 == 0 {
            u["userName"] = json!(format!("renamed{i}@example.com"));
            u["emails"] = json!([{"value": format!("renamed{i}@example.com"), "type": "work", "primary": true}]);
        }
        if i % 7 == 0 {
            u["active"] = json!(false);
        }
        if i % 11 == 0 {
            u["displayName"] = json!(format!("Someone {i}"));
        }
    }
    let moved: Vec<Value> = groups[0]["members"]
        .as_array()
        .unwrap()
        .iter()
        .take(30)
        .cloned()
        .collect();
    groups[0]["members"] = json!(groups[0]["members"].as_array().unwrap()[30..].to_vec());
    let mut m1 = groups[1]["members"].as_array().unwrap().clone();
    for v in moved {
        if !m1.contains(&v) {
            m1.push(v);
        }
    }
    groups[1]["members"] = json!(m1);
    groups[2]["displayName"] = json!("Group two, renamed");
    let report = sync(&emu.engine(), &users, &groups).await;
    eprintln!("changed: {report:?}");
    assert!(report.failures.is_empty(), "{:?}", report.failures);
    assert_eq!(report.users_created + report.groups_created, 0);
    assert_eq!(report.groups_updated, 1);
    emu.assert_matches(&users, &groups).await;
    let again = sync(&emu.engine(), &users, &groups).await;
    assert_eq!(again.writes, 0, "{again:?}");
    emu.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn deletes_only_when_asked_and_within_the_threshold() {
    let emu = Emulator::start(None).await;
    let (users, groups) = directory(50, 5, 2);
    sync(&emu.engine(), &users, &groups).await;
    let fewer_users = &users[..40];
    let fewer_groups: Vec<Value> = groups[..4]
        .iter()
        .map(|g| {
            let mut g = g.clone();
            let kept: Vec<Value> = g["members"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|m| m["value"].as_str().unwrap()[1..].parse::<usize>().unwrap() < 40)
                .cloned()
                .collect();
            g["members"] = json!(kept);
            g
        })
        .collect();
    // Without `delete`: nothing is deleted.
    let kept = sync(&emu.engine(), fewer_users, &fewer_groups).await;
    assert_eq!(kept.users_deleted + kept.groups_deleted, 0);
    // With `delete`: 10 of 50 users is past the default tenth.
    let mut o = emu.options();
    o.delete = true;
    let engine = Engine::new(o.clone()).unwrap();
    let plan = engine
        .plan(&source(fewer_users, &fewer_groups))
        .await
        .unwrap();
    assert!(plan.deletes_blocked.is_some(), "{plan}");
    let before = engine.report(&plan).writes;
    assert!(matches!(
        engine.apply(&plan).await,
        Err(Error::DeleteThreshold { .. })
    ));
    assert_eq!(engine.report(&plan).writes, before, "nothing written");
    o.force = true;
    let forced = sync(&Engine::new(o).unwrap(), fewer_users, &fewer_groups).await;
    assert_eq!((forced.users_deleted, forced.groups_deleted), (10, 1));
    emu.assert_matches(fewer_users, &fewer_groups).await;
    emu.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn membership_sources_agree() {
    let emu = Emulator::start(None).await;
    let (users, mut groups) = directory(150, 8, 3);
    sync(&emu.engine(), &users, &groups).await;
    groups[3]["members"] = json!([{"value": "e1"}, {"value": "e2"}]);
    let mut plans = Vec::new();
    for mode in [
        Memberships::State,
        Memberships::ProbeUsers,
        Memberships::ProbeGroups,
    ] {
        let mut o = emu.options();
        o.memberships = mode;
        let engine = Engine::new(o).unwrap();
        let plan = engine.plan(&source(&users, &groups)).await.unwrap();
        let reads = engine.report(&plan).reads;
        eprintln!("{mode:?}: {reads} reads");
        plans.push((serde_json::to_value(&plan.memberships).unwrap(), reads));
    }
    assert_eq!(plans[0].0, plans[1].0);
    assert_eq!(plans[0].0, plans[2].0);
    assert_eq!(plans[0].1, 2 + 1, "state: list pages only");
    assert_eq!(plans[1].1, 2 + 1 + 150, "one probe per user");
    assert_eq!(
        plans[2].1,
        2 + 1 + 8 + 1,
        "one probe per group, and one more page for a big one"
    );
    emu.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn converges_through_faults() {
    let emu = Emulator::start(Some("throttle=0.1,error=0.02,reset=0.02,seed=7")).await;
    let (users, groups) = directory(400, 20, 4);
    let report = sync(&emu.engine(), &users, &groups).await;
    eprintln!("faults: {report:?}, injected {:?}", emu.injected());
    assert!(report.failures.is_empty(), "{:?}", report.failures);
    assert!(report.throttled > 0 && report.retries > 0);
    emu.assert_matches(&users, &groups).await;
    emu.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn adopts_by_user_name_and_chunks_big_groups() {
    let emu = Emulator::start(None).await;
    let (users, _) = directory(250, 1, 1);
    let everyone: Vec<Value> = (0..250)
        .map(|i| json!({"value": format!("e{i}")}))
        .collect();
    let groups = vec![json!({"displayName": "Everyone", "externalId": "all", "members": everyone})];
    // A user made by hand before the sync: same userName (in another case) and email, no
    // externalId. Identity Center's upsert rule adopts it.
    let mut by_hand = users[7].clone();
    by_hand.as_object_mut().unwrap().remove("externalId");
    by_hand["userName"] = json!("USER7@example.com");
    by_hand["schemas"] = json!(["urn:ietf:params:scim:schemas:core:2.0:User"]);
    let http = reqwest::Client::new();
    let r = http
        .post(format!("{}/Users", emu.base))
        .bearer_auth(&emu.token)
        .header("content-type", "application/scim+json")
        .body(by_hand.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let engine = emu.engine();
    let plan = engine.plan(&source(&users, &groups)).await.unwrap();
    let text = plan.to_string();
    assert!(text.contains("update user e7"), "{text}");
    assert!(
        text.contains("create group Everyone with 250 members"),
        "{text}"
    );
    // 249 creates, 1 update, the group with 100 members and 2 PATCHes of 100 and 50.
    assert_eq!(plan.write_count(), 249 + 1 + 1 + 2, "{text}");
    let report = engine.apply(&plan).await.unwrap();
    assert!(report.failures.is_empty(), "{:?}", report.failures);
    assert_eq!(report.writes, 253);
    emu.assert_matches(&users, &groups).await;
    emu.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_rfc_target_lists_its_members() {
    let emu = Emulator::start_with("rfc", None).await;
    let (users, mut groups) = directory(120, 6, 2);
    let mut o = emu.options();
    o.profile = Profile::Rfc;
    let first = sync(&Engine::new(o.clone()).unwrap(), &users, &groups).await;
    assert!(first.failures.is_empty(), "{:?}", first.failures);
    emu.assert_matches(&users, &groups).await;
    groups[0]["members"] = json!([{"value": "e3"}]);
    let moved = sync(&Engine::new(o.clone()).unwrap(), &users, &groups).await;
    assert_eq!(moved.memberships_from, Some(Memberships::Listed));
    assert!(moved.failures.is_empty(), "{:?}", moved.failures);
    emu.assert_matches(&users, &groups).await;
    let again = sync(&Engine::new(o).unwrap(), &users, &groups).await;
    assert_eq!(again.writes, 0, "{again:?}");
    emu.stop().await;
}
