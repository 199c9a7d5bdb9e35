//! `saml/build`: an `AttributeStatement` of 1, 10 and 50 access-control tags, checked and
//! written; `saml/read`: the same XML read back.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use scimkit::{AttributeStatement, AttributeStatementBuilder, StatementReader};

fn tags(n: usize) -> Vec<(String, String)> {
    (0..n)
        .map(|i| (format!("Attribute{i}"), format!("value-{i}@example.com")))
        .collect()
}

fn build(tags: &[(String, String)]) -> AttributeStatement {
    tags.iter()
        .fold(AttributeStatementBuilder::new(), |b, (k, v)| {
            b.access_control(k.as_str(), v.as_str())
        })
        .build()
        .unwrap_or_default()
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("saml/build");
    for n in [1, 10, 50] {
        let input = tags(n);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("validate", n), &input, |b, input| {
            b.iter(|| {
                let s = build(black_box(input));
                assert_eq!(s.access_control().len(), n);
                s
            });
        });
        group.bench_with_input(BenchmarkId::new("validate+write", n), &input, |b, input| {
            b.iter(|| {
                let xml = build(black_box(input)).to_xml_string();
                assert!(xml.ends_with("</saml:AttributeStatement>"));
                xml
            });
        });
    }
    group.finish();

    let mut group = c.benchmark_group("saml/read");
    for n in [1, 10, 50] {
        let xml = build(&tags(n)).to_xml_string();
        group.throughput(Throughput::Bytes(xml.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &xml, |b, xml| {
            let reader = StatementReader::new();
            b.iter(|| {
                let s = reader.read(black_box(xml));
                assert!(s.as_ref().is_ok_and(|s| s.access_control().len() == n));
                s
            });
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
