//! PATCH apply: the RFC 7643 full enterprise User and groups of 1,000, 10,000 and 100,000
//! members. Inputs come from `../shared/bench-workload/patches.json` when present, else
//! `benches/data/patches.json`.
//!
//! `…/add 100 members (request moved)` times [`Patcher::apply_owned`], the request's values
//! moved into the group instead of copied.
//!
//! User requests run on a fresh clone per iteration, made outside the timed section. Group
//! requests run on one group that an untimed step restores after each iteration (cloning
//! 100,000 members per iteration would dominate the run), so the figures are the PATCH alone.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::hint::black_box;
use std::time::{Duration, Instant};

use common::{group, patch_op as op};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use scimkit::{Compat, PatchOp, Patcher, SchemaRegistry};
use serde_json::{Value, json};

fn bench(c: &mut Criterion, name: &str, resource: &Value, request: &PatchOp, compat: Compat) {
    let schemas = SchemaRegistry::standard();
    let patcher = Patcher::new(schemas).compat(compat);
    c.bench_function(name, |b| {
        b.iter_batched_ref(
            || resource.clone(),
            |r| {
                let out = patcher.apply(black_box(request), r).unwrap();
                assert!(out.changed);
            },
            BatchSize::LargeInput,
        );
    });
}

fn user_ops(c: &mut Criterion) {
    let w = common::workload("patches.json");
    let user = w["resources"]["user"].clone();
    let cases = [
        (
            "replace displayName",
            json!([{"op": "replace", "path": "displayName", "value": "Barbara Jensen"}]),
        ),
        (
            "replace active",
            json!([{"op": "replace", "path": "active", "value": false}]),
        ),
        (
            "add work email",
            json!([{"op": "add", "path": "emails", "value": [{"value": "barbara.jensen@work.example.com", "type": "work"}]}]),
        ),
        (
            "replace emails[type eq work].value",
            json!([{"op": "replace", "path": "emails[type eq \"work\"].value", "value": "barbara@example.com"}]),
        ),
        (
            "no-path replace",
            json!([{"op": "replace", "value": {"displayName": "B. Jensen", "title": "Director", "nickName": "Barb", "active": false, "name": {"givenName": "Barb", "familyName": "Jensen-Smith"}}}]),
        ),
        (
            "replace enterprise department",
            json!([{"op": "replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "value": "Security"}]),
        ),
    ];
    for (name, ops) in cases {
        bench(
            c,
            &format!("patch/user/{name}"),
            &user,
            &op(ops),
            Compat::strict(),
        );
    }
    // The shared workload's requests, as the peers ran them.
    for p in w["patches"].as_array().unwrap() {
        let resource = &w["resources"][p["resource"].as_str().unwrap()];
        let request: PatchOp = serde_json::from_value(p["request"].clone()).unwrap();
        let id = p["id"].as_str().unwrap();
        bench(
            c,
            &format!("patch/workload/{id}"),
            resource,
            &request,
            Compat::entra(),
        );
    }
}

/// Times `request` on `g`, then restores `g` untimed. With `moved`, the request is copied
/// outside the timed section and handed over ([`Patcher::apply_owned`]), as a server does
/// with a body it has just read.
fn bench_group(
    c: &mut Criterion,
    name: &str,
    g: &mut Value,
    (request, moved): (&PatchOp, bool),
    restore: &dyn Fn(&mut Value),
) {
    let patcher = Patcher::new(SchemaRegistry::standard());
    c.bench_function(name, |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let owned = moved.then(|| request.clone());
                let t = Instant::now();
                let out = match owned {
                    Some(r) => patcher.apply_owned(black_box(r), g),
                    None => patcher.apply(black_box(request), g),
                };
                total += t.elapsed();
                assert!(out.unwrap().changed);
                restore(g);
            }
            total
        });
    });
}

/// A group bench: its name, the request, whether it is moved in, and the untimed restore.
type GroupCase<'a> = (&'a str, &'a PatchOp, bool, &'a dyn Fn(&mut Value));

fn group_ops(c: &mut Criterion) {
    for n in [1_000, 10_000, 100_000] {
        let mut g = group(n);
        let members = g["members"].clone();
        let target = common::member_id(n / 2);
        let removed = members[n / 2].clone();
        let pre = format!("patch/group{n}");
        let rename =
            op(json!([{"op": "replace", "path": "displayName", "value": "Engineering (renamed)"}]));
        let remove_one =
            op(json!([{"op": "remove", "path": format!("members[value eq \"{target}\"]")}]));
        let add = op(json!([{"op": "add", "path": "members", "value": common::new_members()}]));
        let remove_all = op(json!([{"op": "remove", "path": "members"}]));
        let drop_added = |g: &mut Value| g["members"].as_array_mut().unwrap().truncate(n);
        let cases: [GroupCase<'_>; 5] = [
            ("replace displayName", &rename, false, &|g| {
                g["displayName"] = json!("Engineering");
            }),
            ("remove members[value eq]", &remove_one, false, &|g| {
                g["members"].as_array_mut().unwrap().push(removed.clone());
            }),
            ("add 100 members", &add, false, &drop_added),
            ("add 100 members (request moved)", &add, true, &drop_added),
            ("remove all members", &remove_all, false, &|g| {
                g["members"] = members.clone();
            }),
        ];
        for (name, request, moved, restore) in cases {
            bench_group(
                c,
                &format!("{pre}/{name}"),
                &mut g,
                (request, moved),
                restore,
            );
        }
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(Duration::from_secs(3));
    targets = user_ops, group_ops
}
criterion_main!(benches);
