//! Filter parse and evaluation benches over the shared workload (`filters.json`: RFC 7644
//! examples, IdP lookups, a 50-clause `or` chain) and its User.
//!
//! Reads `../shared/bench-workload/` beside the crate when present, else `benches/data/`.
//! `filter/parse/all` and `filter/eval/all` run the whole set per iteration: divide by the
//! element count criterion reports for the mean per filter.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use scimkit::{Compat, Filter, FilterParser, SchemaRegistry};
use serde_json::Value;

fn workload(file: &str) -> Value {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = root.join("../shared/bench-workload").join(file);
    let path = if shared.exists() {
        shared
    } else {
        root.join("benches/data").join(file)
    };
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

struct Case {
    id: String,
    text: String,
    filter: Filter,
    expect: Option<bool>,
}

fn cases(parser: &FilterParser) -> Vec<Case> {
    let filters = workload("filters.json");
    filters
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let text = f["filter"].as_str().unwrap().to_owned();
            Case {
                id: f["id"].as_str().unwrap().to_owned(),
                filter: parser
                    .parse(&text)
                    .unwrap_or_else(|e| panic!("{text}: {e}")),
                expect: f["expect_user"].as_bool(),
                text,
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let mut parser = FilterParser::new();
    // f23 is Entra's `emails[type eq "work"].value eq "…"` form.
    parser.compat(Compat::entra());
    let cases = cases(&parser);
    let user = workload("patches.json")["resources"]["user"].clone();
    let schemas = SchemaRegistry::default();

    let mut g = c.benchmark_group("filter/parse");
    for case in &cases {
        g.bench_function(&case.id, |b| {
            b.iter(|| parser.parse(black_box(&case.text)).unwrap());
        });
    }
    g.throughput(Throughput::Elements(cases.len() as u64));
    g.bench_function("all", |b| {
        b.iter(|| {
            for case in &cases {
                black_box(parser.parse(black_box(&case.text)).unwrap());
            }
        });
    });
    g.finish();

    let mut g = c.benchmark_group("filter/eval");
    for case in &cases {
        let expect = case.expect.unwrap_or(false);
        assert_eq!(
            case.filter.matches(&user, &schemas).unwrap(),
            expect,
            "{}",
            case.id
        );
        g.bench_function(&case.id, |b| {
            b.iter(|| case.filter.matches(black_box(&user), &schemas).unwrap());
        });
    }
    g.throughput(Throughput::Elements(cases.len() as u64));
    g.bench_function("all", |b| {
        b.iter(|| {
            for case in &cases {
                black_box(case.filter.matches(black_box(&user), &schemas).unwrap());
            }
        });
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
