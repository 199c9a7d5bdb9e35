//! Runs one hot path of the crate many times, for instruction-level profiling:
//!
//! ```text
//! cargo build --release --example hot_paths
//! valgrind --tool=callgrind --collect-atstart=no --toggle-collect='hot_paths::run*' \
//!     target/release/examples/hot_paths parse1 10000
//! ```
//!
//! Instructions per iteration = the `Collected` total / the iteration count. Workloads:
//! `parse1`, `parse26`, `parse-f33`, `eval24`, `eval24-bound` (bound once, outside the
//! count), `patch-user`, `group-rename`, `group-remove`, `group-add100`,
//! `group-add100-owned` (groups of 1,000 members; the last counts the request alone, without
//! the restore).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout
)]

#[path = "../benches/common/mod.rs"]
mod common;

use std::hint::black_box;

use scimkit::filter::BoundFilter;
use scimkit::{Compat, Filter, FilterParser, Patcher, SchemaRegistry};
use serde_json::{Value, json};

fn main() {
    let mut args = std::env::args().skip(1);
    let what = args.next().unwrap_or_else(|| "parse1".to_owned());
    let n: usize = args.next().map_or(10_000, |s| s.parse().unwrap());
    let filters = common::filters();
    let pick = |ids: &[&str]| -> Vec<String> {
        ids.iter()
            .map(|id| filters.iter().find(|f| f.0 == *id).unwrap().1.clone())
            .collect()
    };
    let user = common::workload("patches.json")["resources"]["user"].clone();
    let schemas = SchemaRegistry::standard();
    let mut parser = FilterParser::new();
    parser.compat(Compat::entra());
    match what.as_str() {
        "parse1" => run_parse(&parser, &[r#"userName eq "bjensen""#.to_owned()], n),
        "parse26" => run_parse(&parser, &pick(&common::COMMON_PARSE), n),
        "parse-f33" => run_parse(&parser, &pick(&["f33"]), n),
        "eval24" => {
            let parsed: Vec<Filter> = pick(&common::USER_EVAL)
                .iter()
                .map(|t| parser.parse(t).unwrap())
                .collect();
            run_eval(&parsed, &user, schemas, n);
        }
        "eval24-bound" => {
            let parsed: Vec<Filter> = pick(&common::USER_EVAL)
                .iter()
                .map(|t| parser.parse(t).unwrap())
                .collect();
            let bound: Vec<BoundFilter<'_>> =
                parsed.iter().map(|f| f.bind(schemas).unwrap()).collect();
            run_eval_bound(&bound, &user, n);
        }
        "patch-user" => {
            let mut u = user;
            run_patch(schemas, &mut u, "displayName", n);
        }
        "group-rename" => run_patch(schemas, &mut common::group(1000), "displayName", n),
        "group-remove" => {
            let mut g = common::group(1000);
            let target = common::member_id(500);
            let op = common::patch_op(
                json!([{"op": "remove", "path": format!("members[value eq \"{target}\"]")}]),
            );
            let removed = g["members"][500].clone();
            run_group(schemas, &mut g, &op, n, &|g| {
                g["members"].as_array_mut().unwrap().push(removed.clone());
            });
        }
        "group-add100-owned" => {
            let mut g = common::group(1000);
            let op = common::patch_op(
                json!([{"op": "add", "path": "members", "value": common::new_members()}]),
            );
            let patcher = Patcher::new(schemas);
            for _ in 0..n {
                let request = op.clone();
                run_owned(&patcher, request, &mut g);
                g["members"].as_array_mut().unwrap().truncate(1000);
            }
        }
        "group-add100" => {
            let mut g = common::group(1000);
            let op = common::patch_op(
                json!([{"op": "add", "path": "members", "value": common::new_members()}]),
            );
            run_group(schemas, &mut g, &op, n, &|g| {
                g["members"].as_array_mut().unwrap().truncate(1000);
            });
        }
        other => panic!("unknown workload {other}"),
    }
    println!("{what}: {n} iterations");
}

#[inline(never)]
fn run_parse(parser: &FilterParser, texts: &[String], n: usize) {
    for _ in 0..n {
        for t in texts {
            black_box(parser.parse(black_box(t)).unwrap());
        }
    }
}

#[inline(never)]
fn run_eval(filters: &[Filter], user: &Value, schemas: &SchemaRegistry, n: usize) {
    for _ in 0..n {
        for f in filters {
            black_box(f.matches(black_box(user), schemas).unwrap());
        }
    }
}

#[inline(never)]
fn run_eval_bound(filters: &[BoundFilter<'_>], user: &Value, n: usize) {
    for _ in 0..n {
        for f in filters {
            black_box(f.matches(black_box(user)));
        }
    }
}

/// Replaces `attr` with one of two values in turn, so every request changes the resource.
#[inline(never)]
fn run_patch(schemas: &SchemaRegistry, resource: &mut Value, attr: &str, n: usize) {
    let ops =
        ["A", "B"].map(|v| common::patch_op(json!([{"op": "replace", "path": attr, "value": v}])));
    let patcher = Patcher::new(schemas);
    for i in 0..n {
        assert!(patcher.apply(&ops[i % 2], resource).unwrap().changed);
    }
}

/// Applies `op`, then restores the group with `restore` (also counted: it is small).
#[inline(never)]
fn run_group(
    schemas: &SchemaRegistry,
    g: &mut Value,
    op: &scimkit::PatchOp,
    n: usize,
    restore: &dyn Fn(&mut Value),
) {
    let patcher = Patcher::new(schemas);
    for _ in 0..n {
        assert!(patcher.apply(black_box(op), g).unwrap().changed);
        restore(g);
    }
}

/// One owned request, alone: the request copy and the restore stay outside the count.
#[inline(never)]
fn run_owned(patcher: &Patcher<'_>, op: scimkit::PatchOp, g: &mut Value) {
    assert!(patcher.apply_owned(black_box(op), g).unwrap().changed);
}
