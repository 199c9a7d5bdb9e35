//! PATCH apply: the RFC 7643 full enterprise User and groups of 1,000, 10,000 and 100,000
//! members. Inputs come from `../shared/bench-workload/patches.json` when present, else
//! `benches/data/patches.json`.
//!
//! User requests run on a fresh clone per iteration, made outside the timed section. Group
//! requests run on one group that an untimed step restores after each iteration (cloning
//! 100,000 members per iteration would dominate the run), so the figures are the PATCH alone.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use scimkit::{Compat, PatchOp, Patcher, SchemaRegistry};
use serde_json::{Value, json};

fn workload() -> Value {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = dir.join("../shared/bench-workload/patches.json");
    let path = if shared.exists() {
        shared
    } else {
        dir.join("benches/data/patches.json")
    };
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn op(ops: Value) -> PatchOp {
    serde_json::from_value(json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": ops
    }))
    .unwrap()
}

fn group(n: usize) -> Value {
    let members: Vec<Value> = (0..n)
        .map(|i| json!({"value": format!("{i:08x}-a97d-473f-b2cd-f43c3e1a9995"), "display": format!("User {i:04}")}))
        .collect();
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "id": "e9e30dba-f08f-4109-8486-d5c6a331660a",
        "displayName": "Engineering",
        "members": members
    })
}

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
    let w = workload();
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

/// Times `request` on `g`, then restores `g` untimed.
fn bench_group(
    c: &mut Criterion,
    name: &str,
    g: &mut Value,
    request: &PatchOp,
    restore: &dyn Fn(&mut Value),
) {
    let patcher = Patcher::new(SchemaRegistry::standard());
    c.bench_function(name, |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let t = Instant::now();
                let out = patcher.apply(black_box(request), g).unwrap();
                total += t.elapsed();
                assert!(out.changed);
                restore(g);
            }
            total
        });
    });
}

fn group_ops(c: &mut Criterion) {
    for n in [1_000, 10_000, 100_000] {
        let mut g = group(n);
        let members = g["members"].clone();
        let target = format!("{:08x}-a97d-473f-b2cd-f43c3e1a9995", n / 2);
        let removed = members[n / 2].clone();
        let new: Vec<Value> = (0..100)
            .map(|i| json!({"value": format!("{i:08x}-0000-4000-8000-000000000000"), "display": format!("New {i}")}))
            .collect();
        let pre = format!("patch/group{n}");
        bench_group(
            c,
            &format!("{pre}/replace displayName"),
            &mut g,
            &op(
                json!([{"op": "replace", "path": "displayName", "value": "Engineering (renamed)"}]),
            ),
            &|g| g["displayName"] = json!("Engineering"),
        );
        bench_group(
            c,
            &format!("{pre}/remove members[value eq]"),
            &mut g,
            &op(json!([{"op": "remove", "path": format!("members[value eq \"{target}\"]")}])),
            &|g| g["members"].as_array_mut().unwrap().push(removed.clone()),
        );
        bench_group(
            c,
            &format!("{pre}/add 100 members"),
            &mut g,
            &op(json!([{"op": "add", "path": "members", "value": new}])),
            &|g| g["members"].as_array_mut().unwrap().truncate(n),
        );
        bench_group(
            c,
            &format!("{pre}/remove all members"),
            &mut g,
            &op(json!([{"op": "remove", "path": "members"}])),
            &|g| g["members"] = members.clone(),
        );
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(Duration::from_secs(3));
    targets = user_ops, group_ops
}
criterion_main!(benches);
