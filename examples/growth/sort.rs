//! Growth cases for the `sort` area (issue 17 item 2): `sortBy` over n resources whose values
//! are numbers near 2^53, integers and floats mixed (the order that used to be intransitive),
//! and strings in mixed case beyond ASCII. A sort costs n log n: about 2.1× per doubling.

use scimkit::SchemaRegistry;
use scimkit::query::{SortBy, SortOrder};
use serde_json::{Value, json};

use crate::measured;

/// Cases of this area.
pub(crate) const CASES: &[crate::Case] = &[
    ("sort-numbers-near-2^53", 1000, numbers),
    ("sort-unicode-strings", 1000, strings),
];

/// A fixed pseudo-random sequence, so every run sorts the same input.
fn noise(n: usize) -> impl Iterator<Item = u64> {
    let mut s: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..n).map(move |_| {
        s = s
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        s >> 33
    })
}

fn sort(by: &str, mut resources: Vec<Value>) {
    let schemas = SchemaRegistry::default();
    let by = SortBy::new(by, &schemas).unwrap();
    measured(|| by.sort(&mut resources, SortOrder::Ascending));
}

fn numbers(n: usize) {
    let base = 1u64 << 53;
    let resources = noise(n)
        .map(|r| {
            let v = base + r % 9 - 4;
            match r % 3 {
                0 => json!({"x-rank": v as f64}),
                _ => json!({"x-rank": v}),
            }
        })
        .collect();
    sort("x-rank", resources);
}

fn strings(n: usize) {
    let letters = ['a', 'É', 'é', 'ß', 'S', 'K', '\u{212A}', 'Σ'];
    let resources = noise(n)
        .map(|r| {
            let s: String = (0..8)
                .map(|i| letters[((r >> (3 * i)) % 8) as usize])
                .collect();
            json!({"userName": s})
        })
        .collect();
    sort("userName", resources);
}
