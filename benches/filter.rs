//! Filter parse and evaluation benches over the shared workload (`filters.json`: RFC 7644
//! examples, IdP lookups, a 50-clause `or` chain) and its User.
//!
//! Reads `../shared/bench-workload/` beside the crate when present, else `benches/data/`.
//! Besides one bench per filter, `filter/parse/mean of 26 common` and `filter/eval/mean of 24
//! on the User` report the mean time per filter over the subsets the comparison table
//! uses (see `benches/common/mod.rs` for which), and `…/mean of all 35` over the whole set.
//! `filter/eval-bound/mean of 24 on the User` times the same filters bound once
//! (`Filter::bind`) and then evaluated.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use scimkit::{Compat, Filter, FilterParser, SchemaRegistry};

struct Case {
    id: String,
    text: String,
    filter: Filter,
    expect: bool,
}

fn cases(parser: &FilterParser) -> Vec<Case> {
    common::filters()
        .into_iter()
        .map(|(id, text, expect)| Case {
            id,
            filter: parser
                .parse(&text)
                .unwrap_or_else(|e| panic!("{text}: {e}")),
            expect,
            text,
        })
        .collect()
}

fn subset<'c>(cases: &'c [Case], ids: &[&str]) -> Vec<&'c Case> {
    ids.iter()
        .map(|id| cases.iter().find(|c| c.id == *id).unwrap())
        .collect()
}

/// Times `f` over every case per iteration and reports the mean per case.
fn mean_per_case(c: &mut Criterion, name: &str, cases: &[&Case], f: impl Fn(&Case)) {
    let n = u32::try_from(cases.len()).unwrap();
    c.bench_function(name, |b| {
        b.iter_custom(|iters| {
            let t = Instant::now();
            for _ in 0..iters {
                for case in cases {
                    f(case);
                }
            }
            t.elapsed() / n
        });
    });
}

fn bench(c: &mut Criterion) {
    let mut parser = FilterParser::new();
    // f23 is Entra's `emails[type eq "work"].value eq "…"` form.
    parser.compat(Compat::entra());
    let cases = cases(&parser);
    let all: Vec<&Case> = cases.iter().collect();
    let user = common::workload("patches.json")["resources"]["user"].clone();
    let schemas = SchemaRegistry::default();

    let mut g = c.benchmark_group("filter/parse");
    for case in &cases {
        g.bench_function(&case.id, |b| {
            b.iter(|| parser.parse(black_box(&case.text)).unwrap());
        });
    }
    g.finish();
    let parse = |case: &Case| drop(black_box(parser.parse(black_box(&case.text)).unwrap()));
    let common26 = subset(&cases, &common::COMMON_PARSE);
    mean_per_case(c, "filter/parse/mean of 26 common", &common26, parse);
    mean_per_case(c, "filter/parse/mean of all 35", &all, parse);

    let mut g = c.benchmark_group("filter/eval");
    for case in &cases {
        assert_eq!(
            case.filter.matches(&user, &schemas).unwrap(),
            case.expect,
            "{}",
            case.id
        );
        g.bench_function(&case.id, |b| {
            b.iter(|| case.filter.matches(black_box(&user), &schemas).unwrap());
        });
    }
    g.finish();
    let eval = |case: &Case| {
        black_box(case.filter.matches(black_box(&user), &schemas).unwrap());
    };
    let user24 = subset(&cases, &common::USER_EVAL);
    mean_per_case(c, "filter/eval/mean of 24 on the User", &user24, eval);
    mean_per_case(c, "filter/eval/mean of all 35", &all, eval);

    // Bound once (paths resolved, literals parsed), then evaluated: what a query does per
    // resource. Binding is outside the timed loop.
    let bound: Vec<_> = cases
        .iter()
        .map(|case| case.filter.bind(&schemas).unwrap())
        .collect();
    let bound24: Vec<_> = common::USER_EVAL
        .iter()
        .map(|id| &bound[cases.iter().position(|c| c.id == *id).unwrap()])
        .collect();
    for (case, b) in cases.iter().zip(&bound) {
        assert_eq!(b.matches(&user), case.expect, "{}", case.id);
    }
    let n = u32::try_from(bound24.len()).unwrap();
    c.bench_function("filter/eval-bound/mean of 24 on the User", |b| {
        b.iter_custom(|iters| {
            let t = Instant::now();
            for _ in 0..iters {
                for f in &bound24 {
                    black_box(f.matches(black_box(&user)));
                }
            }
            t.elapsed() / n
        });
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);
