//! Allocation counts on the hot paths, a deterministic stand-in for timings that CI can hold
//! (issue 8). The crate forbids `unsafe`, so the counting global allocator comes from `dhat`
//! (testing mode); it counts every thread's allocations, so this binary holds one test.
#![allow(clippy::unwrap_used, clippy::panic)]

#[path = "../benches/common/mod.rs"]
mod common;

use common::patch_op as op;
use scimkit::{Compat, Filter, FilterParser, Patcher, SchemaRegistry};
use serde_json::{Value, json};

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

/// The heap blocks `f` allocates (its result is dropped outside the count).
fn allocations<T>(f: impl FnOnce() -> T) -> (u64, T) {
    let before = dhat::HeapStats::get().total_blocks;
    let out = f();
    (dhat::HeapStats::get().total_blocks - before, out)
}

/// Allocations of one `op` on a fresh group of each size.
fn per_group_size(op: &scimkit::PatchOp, sizes: &[usize]) -> Vec<u64> {
    let patcher = Patcher::new(SchemaRegistry::standard());
    sizes
        .iter()
        .map(|&n| {
            let mut g = common::group(n);
            let (count, out) = allocations(|| patcher.apply(op, &mut g));
            assert!(out.unwrap().changed, "{n} members");
            count
        })
        .collect()
}

#[test]
fn hot_paths_allocate_little() {
    let _profiler = dhat::Profiler::builder().testing().build();
    let schemas = SchemaRegistry::standard();
    let mut parser = FilterParser::new();
    parser.compat(Compat::entra());

    // Parsing: the string literal only (a short attribute path is stored inline).
    let (n, f) = allocations(|| parser.parse(r#"userName eq "bjensen""#).unwrap());
    assert!(n <= 1, "parse allocated {n} times");
    drop(f);

    // Evaluation allocates nothing, for every filter of the bench workload.
    let workload: Value =
        serde_json::from_str(include_str!("../benches/data/filters.json")).unwrap();
    let patches: Value =
        serde_json::from_str(include_str!("../benches/data/patches.json")).unwrap();
    let user = &patches["resources"]["user"];
    for item in workload.as_array().unwrap() {
        let text = item["filter"].as_str().unwrap();
        let f: Filter = parser.parse(text).unwrap();
        let expect = item["expect_user"].as_bool().unwrap();
        // The first evaluation builds the built-in schemas (once per process).
        f.matches(user, schemas).unwrap();
        let (n, got) = allocations(|| f.matches(user, schemas).unwrap());
        assert_eq!(got, expect, "{text}");
        assert_eq!(n, 0, "evaluating `{text}` allocated {n} times");
        // Binding may allocate; evaluating through the bound filter does not.
        let bound = f.bind(schemas).unwrap();
        let (n, got) = allocations(|| bound.matches(user));
        assert_eq!(got, expect, "bound {text}");
        assert_eq!(n, 0, "evaluating bound `{text}` allocated {n} times");
    }

    // A 50-clause `or` chain: per clause its string and at most two boxes of the tree.
    let chain = (1..=50)
        .map(|i| format!(r#"userName eq "user{i:03}@example.com""#))
        .collect::<Vec<_>>()
        .join(" or ");
    let (n, f) = allocations(|| parser.parse(&chain).unwrap());
    assert!(n <= 3 * 50, "the chain allocated {n} times");
    drop(f);

    // PATCH on a group: the allocations do not grow with the member count.
    let sizes = [10, 1_000, 10_000];
    let rename = op(json!([{"op": "replace", "path": "displayName", "value": "Renamed"}]));
    let counts = per_group_size(&rename, &sizes);
    assert!(
        counts.iter().all(|&c| c == counts[0] && c <= 16),
        "rename: {counts:?}"
    );

    let target = common::member_id(5);
    let remove = op(json!([{"op": "remove", "path": format!("members[value eq \"{target}\"]")}]));
    let counts = per_group_size(&remove, &sizes);
    assert!(
        counts.iter().all(|&c| c == counts[0]),
        "remove one member: {counts:?}"
    );

    let add = op(json!([{"op": "add", "path": "members", "value": common::new_members()}]));
    let counts = per_group_size(&add, &sizes);
    assert!(
        counts.iter().all(|&c| c == counts[0]),
        "add 100 members: {counts:?}"
    );
}
