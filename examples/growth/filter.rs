//! Growth cases for the `filter` area (issue 17 item 1): case-insensitive `co`, `sw` and `ew`
//! with a literal as long as the text, ASCII and beyond, bound and unbound. The text is 8n
//! characters and the literal n, both growing; a search whose cost is text × literal reads 4×
//! per doubling. The `-elements` cases put a literal of n characters against n one-character
//! values of a multi-valued attribute, where work per value proportional to the literal is
//! again a product.

use scimkit::{Filter, FilterParser, SchemaRegistry};
use serde_json::{Value, json};

use crate::measured;

/// Cases of this area.
pub(crate) const CASES: &[crate::Case] = &[
    ("filter-co-ascii", 1000, |n| text("co", 'a', n, false)),
    ("filter-co-ascii-bound", 1000, |n| text("co", 'a', n, true)),
    ("filter-co-unicode", 1000, |n| text("co", 'é', n, false)),
    ("filter-co-unicode-bound", 1000, |n| {
        text("co", 'é', n, true);
    }),
    ("filter-sw-ascii", 1000, |n| text("sw", 'a', n, false)),
    ("filter-sw-unicode-bound", 1000, |n| {
        text("sw", 'é', n, true);
    }),
    ("filter-ew-ascii-bound", 1000, |n| text("ew", 'a', n, true)),
    ("filter-ew-unicode", 1000, |n| text("ew", 'é', n, false)),
    ("filter-co-unicode-elements", 1000, |n| {
        elements("co", 'é', n, false);
    }),
    ("filter-co-ascii-elements-bound", 1000, |n| {
        elements("co", 'a', n, true);
    }),
    ("filter-sw-unicode-elements-bound", 1000, |n| {
        elements("sw", 'é', n, true);
    }),
    ("filter-ew-ascii-elements", 1000, |n| {
        elements("ew", 'a', n, false);
    }),
];

fn parse(filter: &str) -> Filter {
    let mut parser = FilterParser::new();
    parser.max_len(usize::MAX);
    parser.parse(filter).unwrap()
}

/// The worst text for a naive search: the literal's first n - 1 chars match everywhere and
/// the last never does (upper case in the literal, lower in the text: folding is exercised).
/// For `ew` the odd char comes first, since the comparison runs from the end.
fn literal(op: &str, c: char, n: usize) -> String {
    let upper: String = c.to_uppercase().collect();
    match op {
        "ew" => format!("X{}", upper.repeat(n - 1)),
        _ => format!("{}X", upper.repeat(n - 1)),
    }
}

fn run(filter: &Filter, resource: &Value, bound: bool) {
    let schemas = SchemaRegistry::default();
    if bound {
        let b = filter.bind(&schemas).unwrap();
        assert!(!measured(|| b.matches(resource)));
    } else {
        assert!(!measured(|| filter.matches(resource, &schemas).unwrap()));
    }
}

fn text(op: &str, c: char, n: usize, bound: bool) {
    let hay = c.to_string().repeat(8 * n);
    let f = parse(&format!(
        "displayName {op} {}",
        Value::String(literal(op, c, n))
    ));
    run(&f, &json!({"displayName": hay}), bound);
}

fn elements(op: &str, c: char, n: usize, bound: bool) {
    let emails: Vec<Value> = (0..n).map(|_| json!({"value": c.to_string()})).collect();
    let f = parse(&format!(
        "emails.value {op} {}",
        Value::String(literal(op, c, n))
    ));
    run(&f, &json!({"emails": emails}), bound);
}
