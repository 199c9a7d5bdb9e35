//! Concurrent writers over HTTP, on SQLite and PostgreSQL: member PATCHes from 16 clients
//! leave exactly the expected members; 16 creates of one `userName` in different cases give
//! one `201` and fifteen `409 uniqueness`; `If-Match` races have one winner per version and
//! lose no update; PATCH without `If-Match` loses none either.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use std::collections::BTreeSet;
use std::sync::Arc;

use common::{Kind, Server, Tenant, filter, patch_op};
use serde_json::json;
use tokio::sync::Barrier;

const CLIENTS: usize = 16;

/// (a) Each client adds and removes its own members of one group, many rounds; the group ends
/// with exactly each client's last additions.
async fn members(s: &Server, t: &Tenant) {
    let mut users = Vec::new();
    for i in 0..CLIENTS * 3 {
        users.push(t.create_user(&format!("m{i}@example.com")).await);
    }
    let g = t.create_group("Busy", &[]).await;
    let mut tasks = Vec::new();
    for c in 0..CLIENTS {
        let (t, g) = (t.clone(), g.clone());
        let mine: Vec<String> = users[c * 3..c * 3 + 3].to_vec();
        tasks.push(tokio::spawn(async move {
            for round in 0..6 {
                let add = patch_op(json!([{"op": "add", "path": "members",
                    "value": mine.iter().map(|m| json!({"value": m})).collect::<Vec<_>>()}]));
                let a = t.patch(&format!("/Groups/{g}"), &add).await;
                assert_eq!(a.status, 200, "{}", a.text);
                // Remove one (the last round keeps the others), by RFC 7644's filter form.
                let gone = &mine[round % 3];
                let f = if round == 5 {
                    format!("members[value eq \"{gone}\"]")
                } else {
                    format!(
                        "members[value eq \"{}\" or value eq \"{}\" or value eq \"{}\"]",
                        mine[0], mine[1], mine[2]
                    )
                };
                let rm = patch_op(json!([{"op": "remove", "path": f}]));
                let a = t.patch(&format!("/Groups/{g}"), &rm).await;
                assert_eq!(a.status, 200, "{}", a.text);
            }
            // Round 5 removed mine[2].
            vec![mine[0].clone(), mine[1].clone()]
        }));
    }
    let mut expected = Vec::new();
    for task in tasks {
        expected.extend(task.await.unwrap());
    }
    expected.sort();
    assert_eq!(t.members(&g).await, expected);
    let rows =
        s.db.count(
            "SELECT count(*) FROM scim_members WHERE tenant = $1 AND group_id = $2",
            &[&t.id, &g],
        )
        .await;
    assert_eq!(rows, i64::try_from(expected.len()).unwrap());
}

/// (b) 16 creates of one userName in 16 letter cases: one 201, fifteen 409 uniqueness.
async fn one_user_name(s: &Server, t: &Tenant) {
    let name = "racer@example.com";
    let barrier = Arc::new(Barrier::new(CLIENTS));
    let mut tasks = Vec::new();
    for c in 0..CLIENTS {
        let cased: String = name
            .chars()
            .enumerate()
            .map(|(i, ch)| {
                if i < 4 && c & (1 << i) != 0 {
                    ch.to_ascii_uppercase()
                } else {
                    ch
                }
            })
            .collect();
        let (t, barrier) = (t.clone(), barrier.clone());
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            t.post(
                "/Users",
                &json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                        "userName": cased}),
            )
            .await
        }));
    }
    let mut created = 0;
    for task in tasks {
        let a = task.await.unwrap();
        match a.status.as_u16() {
            201 => created += 1,
            409 => assert_eq!(a.body["scimType"], "uniqueness", "{}", a.text),
            other => panic!("{other}: {}", a.text),
        }
    }
    assert_eq!(created, 1);
    let l = t
        .get(&format!(
            "/Users{}",
            filter(&format!("userName eq \"{name}\""))
        ))
        .await;
    assert_eq!(l.body["totalResults"], 1);
    let n =
        s.db.count(
            "SELECT count(*) FROM scim_resources WHERE tenant = $1 AND rtype = 'User'",
            &[&t.id],
        )
        .await;
    // The 48 members of (a), and this one.
    assert_eq!(
        n,
        i64::try_from(CLIENTS * 3 + 1).unwrap(),
        "exactly one user stored"
    );
}

fn title(a: &common::Answer) -> u64 {
    a.body["title"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// (c) If-Match races: all read one version, all PATCH with it: one wins, the rest 412; then a
/// counter incremented by read-modify-write with retries ends at the number of 200s.
async fn if_match(t: &Tenant) {
    let id = t.create_user("counter@example.com").await;
    let path = format!("/Users/{id}");
    for round in 0..3 {
        let barrier = Arc::new(Barrier::new(CLIENTS));
        let mut tasks = Vec::new();
        for c in 0..CLIENTS {
            let (t, path, barrier) = (t.clone(), path.clone(), barrier.clone());
            tasks.push(tokio::spawn(async move {
                let etag = t.get(&path).await.etag();
                barrier.wait().await;
                let body = patch_op(json!([{"op": "replace", "path": "nickName",
                                            "value": format!("r{round}c{c}")}]));
                let r = t
                    .request(reqwest::Method::PATCH, &path)
                    .header("if-match", etag)
                    .header("content-type", "application/scim+json")
                    .body(body.to_string())
                    .send()
                    .await
                    .unwrap();
                r.status().as_u16()
            }));
        }
        let mut codes = Vec::new();
        for task in tasks {
            codes.push(task.await.unwrap());
        }
        assert_eq!(codes.iter().filter(|c| **c == 200).count(), 1, "{codes:?}");
        assert_eq!(codes.iter().filter(|c| **c == 412).count(), CLIENTS - 1);
    }

    let mut tasks = Vec::new();
    for _ in 0..CLIENTS {
        let (t, path) = (t.clone(), path.clone());
        tasks.push(tokio::spawn(async move {
            let (mut won, mut lost) = (0_u64, 0_u64);
            while won < 3 {
                let a = t.get(&path).await;
                let body = patch_op(json!([{"op": "replace", "path": "title",
                                            "value": (title(&a) + 1).to_string()}]));
                let r = t
                    .request(reqwest::Method::PATCH, &path)
                    .header("if-match", a.etag())
                    .header("content-type", "application/scim+json")
                    .body(body.to_string())
                    .send()
                    .await
                    .unwrap();
                match r.status().as_u16() {
                    200 | 204 => won += 1,
                    412 => lost += 1,
                    other => panic!("{other}"),
                }
            }
            (won, lost)
        }));
    }
    let mut won = 0;
    for task in tasks {
        won += task.await.unwrap().0;
    }
    assert_eq!(title(&t.get(&path).await), won, "no update lost");
}

/// (d) PATCH without If-Match: 16 clients each add an email to one user and a member to one
/// group; every one is there at the end.
async fn no_if_match(t: &Tenant) {
    let id = t.create_user("emails@example.com").await;
    let g = t.create_group("Crowd", &[]).await;
    let mut joiners = Vec::new();
    for c in 0..CLIENTS {
        joiners.push(t.create_user(&format!("joiner{c}@example.com")).await);
    }
    let mut tasks = Vec::new();
    for (c, joiner) in joiners.iter().enumerate() {
        let (t, id, g, joiner) = (t.clone(), id.clone(), g.clone(), joiner.clone());
        tasks.push(tokio::spawn(async move {
            let e = patch_op(json!([{"op": "add", "path": "emails",
                                     "value": [{"value": format!("e{c}@example.com")}]}]));
            let a = t.patch(&format!("/Users/{id}"), &e).await;
            assert_eq!(a.status, 200, "{}", a.text);
            let m =
                patch_op(json!([{"op": "add", "path": "members", "value": [{"value": joiner}]}]));
            let a = t.patch(&format!("/Groups/{g}"), &m).await;
            assert_eq!(a.status, 200, "{}", a.text);
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let user = t.get(&format!("/Users/{id}")).await;
    let emails: BTreeSet<String> = user.body["emails"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["value"].as_str().map(str::to_owned))
        .collect();
    let want: BTreeSet<String> = (0..CLIENTS).map(|c| format!("e{c}@example.com")).collect();
    assert_eq!(emails, want);
    let mut want = joiners;
    want.sort();
    assert_eq!(t.members(&g).await, want);
}

async fn concurrency(kind: Kind) {
    let Some(s) = Server::start(kind).await else {
        return;
    };
    let t = s.tenant("strict", true).await;
    members(&s, &t).await;
    one_user_name(&s, &t).await;
    if_match(&t).await;
    no_if_match(&t).await;
    s.finish().await;
}

both!(concurrent_writers, concurrency);
