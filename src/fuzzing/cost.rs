//! `filter_cost` and `sort_order`: the cost of evaluating filters on large resources stays
//! proportional to the values compared, and `sortBy` is a total order that never panics.

use arbitrary::Unstructured;
use serde_json::{Number, Value, json};

use super::{Outcome, fixtures, make};
use crate::filter::{Filter, FilterParser, text::cost};
use crate::query::{SortBy, SortOrder};

/// Builds a large resource from a small input: a chunk of text (mixed case, non-ASCII, the
/// chars whose foldings differ in length) repeated up to 100,000 times, and a multi-valued
/// attribute of up to 10,000 elements; then filters whose literals are chunks repeated up to
/// 10,000 times, evaluated bound and unbound. Every string comparison's work, counted by the
/// crate (deterministic, so the check cannot flake), must stay under
/// 128 steps per byte of the value compared: work that grows with the literal
/// for each value, or with the value times the literal, breaks it.
pub fn filter_cost(data: &[u8]) -> Outcome {
    let u = &mut Unstructured::new(data);
    let Ok(resource) = big_resource(u) else {
        return Ok(());
    };
    let mut parser = FilterParser::new();
    parser.max_len(usize::MAX);
    for _ in 0..4 {
        let Ok(text) = big_filter(u) else { break };
        let Ok(f) = parser.parse(&text) else { continue };
        check_cost(&f, &resource)?;
    }
    if let Ok(f) = make::filter(u, false) {
        check_cost(&f, &resource)?;
    }
    Ok(())
}

fn check_cost(f: &Filter, resource: &Value) -> Outcome {
    let registry = &fixtures().registry;
    cost::take();
    let unbound = f.matches(resource, registry).ok();
    let (work, allowed) = cost::take();
    if work > allowed {
        return Err(cost_error("unbound", f, work, allowed));
    }
    if let Ok(bound) = f.bind(registry) {
        let b = bound.matches(resource);
        let (work, allowed) = cost::take();
        if work > allowed {
            return Err(cost_error("bound", f, work, allowed));
        }
        if unbound != Some(b) {
            return Err(format!("bound {b} and unbound {unbound:?} disagree"));
        }
    }
    Ok(())
}

fn cost_error(how: &str, f: &Filter, work: usize, allowed: usize) -> String {
    let text = f.to_string();
    let start: String = text.chars().take(120).collect();
    format!("{how} {start:?}…: {work} steps, {allowed} allowed")
}

const CHARS: &[&str] = &[
    "a", "A", "k", "K", "\u{212A}", "é", "É", "ß", "SS", "\u{130}", "i\u{307}", "\u{307}", "Σ",
    "ς", "x", "@", " ",
];

fn chunk(u: &mut Unstructured<'_>) -> arbitrary::Result<String> {
    let n = u.int_in_range(1..=8)?;
    let mut s = String::new();
    for _ in 0..n {
        s.push_str(make::pick(u, CHARS)?);
    }
    Ok(s)
}

fn repeated(u: &mut Unstructured<'_>, max: usize) -> arbitrary::Result<String> {
    let c = chunk(u)?;
    let times = u.int_in_range(1..=max)?;
    let mut s = c.repeat(times);
    // An odd tail, so the long literal almost matches.
    s.push_str(&chunk(u)?);
    Ok(s)
}

fn big_resource(u: &mut Unstructured<'_>) -> arbitrary::Result<Value> {
    let display = repeated(u, 100_000)?;
    let n = u.int_in_range(0..=10_000)?;
    let value = chunk(u)?;
    let emails: Vec<Value> = (0..n)
        .map(|i| json!({"value": if i % 2 == 0 { value.as_str() } else { "" }, "type": "work"}))
        .collect();
    Ok(json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": chunk(u)?, "displayName": display, "title": display.to_uppercase(),
        "emails": emails, "x-any": [display, value],
    }))
}

fn big_filter(u: &mut Unstructured<'_>) -> arbitrary::Result<String> {
    let attr = make::pick(
        u,
        &[
            "displayName",
            "title",
            "userName",
            "emails.value",
            "emails",
            "x-any",
            "id",
        ],
    )?;
    let op = make::pick(u, &["co", "sw", "ew", "eq", "ne", "gt", "ge", "lt", "le"])?;
    let literal = repeated(u, 10_000)?;
    let one = format!("{attr} {op} {}", Value::String(literal));
    Ok(match u.int_in_range(0..=2)? {
        0 => one,
        1 => format!(
            "emails[value {op} {}]",
            Value::String(chunk(u)?.repeat(500))
        ),
        _ => format!("not ({one}) or userName pr"),
    })
}

/// Sorts generated resources by an attribute holding numbers near 2^53 (integers and floats
/// that collide as `f64`), `i64`/`u64`/`f64` extremes, strings whose case folding changes
/// length or crosses ASCII, booleans, nulls, objects and missing values: the sort must not
/// panic, its result must be ordered by the comparator, and the comparator must be a total
/// order (antisymmetric, transitive, reflexive) on every triple of the first values.
pub fn sort_order(data: &[u8]) -> Outcome {
    let u = &mut Unstructured::new(data);
    let registry = &fixtures().registry;
    let n = u.int_in_range(0..=64).unwrap_or(0);
    let mut resources = Vec::with_capacity(n);
    for _ in 0..n {
        let Ok(v) = sort_value(u) else { break };
        resources.push(match v {
            Some(v) => json!({"x-rank": v.clone(), "userName": v.clone(), "meta": {"created": v}}),
            None => json!({}),
        });
    }
    for path in ["x-rank", "userName", "meta.created"] {
        let Ok(by) = SortBy::new(path, registry) else {
            continue;
        };
        for order in [SortOrder::Ascending, SortOrder::Descending] {
            let mut sorted: Vec<&Value> = resources.iter().collect();
            by.sort(&mut sorted, order);
            for w in sorted.windows(2) {
                let o = by.compare(w[0], w[1]);
                let bad = match order {
                    SortOrder::Ascending => o.is_gt(),
                    SortOrder::Descending => o.is_lt(),
                };
                if bad {
                    return Err(format!("{path} {order:?}: {} before {}", w[0], w[1]));
                }
            }
        }
        let first = &resources[..resources.len().min(8)];
        for a in first {
            if !by.compare(a, a).is_eq() {
                return Err(format!("{path}: {a} is not equal to itself"));
            }
            for b in first {
                let ab = by.compare(a, b);
                if ab != by.compare(b, a).reverse() {
                    return Err(format!("{path}: {a} and {b} are not antisymmetric"));
                }
                for c in first {
                    let (bc, ac) = (by.compare(b, c), by.compare(a, c));
                    if (ab == bc || bc.is_eq()) && ac != ab || ab.is_eq() && ac != bc {
                        return Err(format!("{path}: {a}, {b}, {c} are not transitive"));
                    }
                }
            }
        }
    }
    Ok(())
}

fn sort_value(u: &mut Unstructured<'_>) -> arbitrary::Result<Option<Value>> {
    let base = 1i64 << 53;
    Ok(Some(match u.int_in_range(0..=9)? {
        0 | 1 => json!(base + u.int_in_range(-4..=4)?),
        2 | 3 => Number::from_f64((base + u.int_in_range(-4..=4)?) as f64)
            .map_or(Value::Null, Value::Number),
        4 => json!(u.arbitrary::<i64>()?),
        5 => json!(u.arbitrary::<u64>()?),
        6 => Number::from_f64(u.arbitrary::<f64>()?).map_or(Value::Null, Value::Number),
        7 => Value::String(chunk(u)?),
        8 => json!(u.arbitrary::<bool>()?),
        _ => return Ok(None),
    }))
}
