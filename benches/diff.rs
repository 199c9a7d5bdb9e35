//! Benchmarks of `diff::diff` and `diff::plan` (Identity Center target): a full user, and groups
//! of 10,000 and 100,000 members where 1% of the members change.
//!
//! `cargo bench --bench diff -- --test` runs each once.
#![allow(missing_docs)] // criterion_group! generates an undocumented function.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use scimkit::SchemaRegistry;
use scimkit::diff::{Target, diff, plan};
use serde_json::{Value, json};

fn user(title: &str, phone: &str) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
                    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
        "id": "9067729b3d-a2cfc8a5-f4ab-4443-9d7d-b32a9013c554",
        "externalId": "64b7f0c2e4b0a1d2c3e4f5a6",
        "userName": "jane.doe@example.com",
        "name": {"givenName": "Jane", "familyName": "Doe", "formatted": "Jane Doe"},
        "displayName": "Jane Doe",
        "title": title,
        "locale": "en-US",
        "active": true,
        "emails": [{"value": "jane.doe@example.com", "type": "work", "primary": true}],
        "phoneNumbers": [{"value": phone, "type": "work"}],
        "addresses": [{"locality": "Denver", "country": "US", "type": "work"}],
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Platform"}
    })
}

/// A group of `n` members; `shift` moves the window of member ids, so two groups with shifts
/// 0 and n/100 differ by 1% removed and 1% added.
fn group(n: usize, shift: usize) -> Value {
    let members: Vec<Value> = (shift..n + shift)
        .map(|i| json!({"value": format!("9067729b3d-{i:08x}-f4ab-4443-9d7d-b32a9013c554")}))
        .collect();
    json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
           "displayName": "Engineering", "members": members})
}

fn bench(c: &mut Criterion) {
    let schemas = SchemaRegistry::default();
    let aws = Target::identity_center();

    let mut g = c.benchmark_group("diff/user");
    let (old, new) = (
        user("Engineer", "tel:+1-555-0100"),
        user("Staff Engineer", "tel:+1-555-0101"),
    );
    g.bench_function("diff", |b| {
        b.iter(|| {
            let p = diff(black_box(&old), black_box(&new), &schemas).unwrap_or_default();
            assert_eq!(p.operations.len(), 2);
            p
        });
    });
    g.bench_function("plan/identity_center", |b| {
        b.iter(|| {
            let r = plan(black_box(&old), black_box(&new), &schemas, &aws).unwrap_or_default();
            assert_eq!(r.len(), 1);
            r
        });
    });
    g.finish();

    let mut g = c.benchmark_group("diff/group");
    g.sample_size(10);
    for n in [10_000, 100_000] {
        let (old, new) = (group(n, 0), group(n, n / 100));
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::new("diff", n), &n, |b, &n| {
            b.iter(|| {
                let p = diff(black_box(&old), black_box(&new), &schemas).unwrap_or_default();
                assert_eq!(p.operations.len(), n / 100 + 1);
                p
            });
        });
        g.bench_with_input(BenchmarkId::new("plan/identity_center", n), &n, |b, &n| {
            b.iter(|| {
                let r = plan(black_box(&old), black_box(&new), &schemas, &aws).unwrap_or_default();
                assert_eq!(r.len(), (2 * (n / 100)).div_ceil(100));
                r
            });
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
