//! Property tests: `parse(display(f)) == f` for generated filters, attribute paths and PATCH
//! paths; the parser never panics on arbitrary input.
#![allow(clippy::unwrap_used)] // strategies outside #[test]

use proptest::prelude::*;
use scimkit::{AttrPath, CompValue, CompareOp, Filter, PatchPath};

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z][a-zA-Z0-9_-]{0,8}",
        Just("$ref".to_owned()),
        // Words that are keywords elsewhere stay names.
        prop::sample::select(vec![
            "not", "and", "or", "pr", "eq", "true", "null", "never", "origin"
        ])
        .prop_map(str::to_owned),
    ]
}

fn urn() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "urn:ietf:params:scim:schemas:core:2.0:User",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
        "URN:example:x.y-z_1:v2",
    ])
    .prop_map(str::to_owned)
}

fn attr_path(plain: bool) -> BoxedStrategy<AttrPath> {
    if plain {
        return name()
            .prop_map(|n| AttrPath::from_parts(None, &n, None).unwrap())
            .boxed();
    }
    (prop::option::of(urn()), name(), prop::option::of(name()))
        .prop_map(|(u, n, s)| AttrPath::from_parts(u.as_deref(), &n, s.as_deref()).unwrap())
        .boxed()
}

fn comp_value() -> impl Strategy<Value = CompValue> {
    prop_oneof![
        Just(CompValue::Null),
        any::<bool>().prop_map(CompValue::Bool),
        any::<i64>().prop_map(|n| CompValue::Number(n.into())),
        any::<u64>().prop_map(|n| CompValue::Number(n.into())),
        (-1e300f64..1e300)
            .prop_map(|f| CompValue::Number(serde_json::Number::from_f64(f).unwrap())),
        any::<String>().prop_map(CompValue::String),
    ]
}

fn op() -> impl Strategy<Value = CompareOp> {
    use CompareOp::*;
    prop::sample::select(vec![Eq, Ne, Co, Sw, Ew, Gt, Ge, Lt, Le])
}

fn leaf(plain: bool) -> BoxedStrategy<Filter> {
    prop_oneof![
        attr_path(plain).prop_map(Filter::Present),
        (attr_path(plain), op(), comp_value()).prop_map(|(p, o, v)| Filter::Compare(p, o, v)),
    ]
    .boxed()
}

fn filter_in(plain: bool) -> BoxedStrategy<Filter> {
    leaf(plain)
        .prop_recursive(6, 48, 2, move |inner| {
            prop_oneof![
                (inner.clone(), inner.clone())
                    .prop_map(|(a, b)| Filter::And(Box::new(a), Box::new(b))),
                (inner.clone(), inner.clone())
                    .prop_map(|(a, b)| Filter::Or(Box::new(a), Box::new(b))),
                inner.clone().prop_map(|a| Filter::Not(Box::new(a))),
            ]
        })
        .boxed()
}

fn filter() -> impl Strategy<Value = Filter> {
    let value_path = (name(), filter_in(true)).prop_map(|(n, f)| {
        Filter::ValuePath(AttrPath::from_parts(None, &n, None).unwrap(), Box::new(f))
    });
    prop_oneof![3 => filter_in(false), 1 => value_path].prop_recursive(3, 32, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| Filter::And(Box::new(a), Box::new(b))),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| Filter::Or(Box::new(a), Box::new(b))),
            inner.prop_map(|a| Filter::Not(Box::new(a))),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn filter_display_parses_back_to_the_same_tree(f in filter()) {
        let shown = f.to_string();
        let back: Filter = shown.parse().map_err(|e| TestCaseError::fail(format!("{shown}: {e}")))?;
        prop_assert_eq!(back, f, "{}", shown);
    }

    #[test]
    fn attr_path_round_trips(p in attr_path(false)) {
        prop_assert_eq!(p.to_string().parse::<AttrPath>().unwrap(), p);
    }

    #[test]
    fn patch_path_round_trips(p in attr_path(false), f in prop::option::of(filter_in(true))) {
        let p = match f {
            // A valuePath's attribute has no sub-attribute of its own before the `[`.
            Some(f) => PatchPath::new(p, Some(f)),
            None => PatchPath::new(p, None),
        };
        let shown = p.to_string();
        let back: PatchPath = shown.parse().map_err(|e| TestCaseError::fail(format!("{shown}: {e}")))?;
        prop_assert_eq!(back, p);
    }

    #[test]
    fn parsing_never_panics(s in "[a-z\\[\\]()\" .:$\\\\0-9-]{0,40}") {
        if let Ok(f) = s.parse::<Filter>() {
            prop_assert_eq!(f.to_string().parse::<Filter>().unwrap(), f);
        }
        let _ = s.parse::<PatchPath>();
    }
}
