//! `Filter::bind(..).matches(r)` answers exactly as `Filter::matches(r, ..)`, and fails to bind
//! with the error `matches` gives, over generated filters and resources that exercise the
//! schema: typed attributes, sub-attributes, extensions, unknown names, names in any case,
//! values of the wrong JSON type, unassigned values and multi-valued shapes.
#![allow(clippy::unwrap_used)] // strategies outside #[test]

use proptest::prelude::*;
use scimkit::{AttrPath, CompValue, CompareOp, Filter, SchemaRegistry};
use serde_json::{Map, Value, json};

const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/// Paths a filter names: core, sub-attribute, complex, typed, common, extension, unknown.
const PATHS: &[&str] = &[
    "userName",
    "USERNAME",
    "name.givenName",
    "name",
    "emails",
    "emails.value",
    "Emails.Type",
    "emails.primary",
    "emails.nope",
    "active",
    "meta.lastModified",
    "meta.created",
    "x509Certificates.value",
    "id",
    "externalId",
    "schemas",
    "title",
    "nope",
    "nope.value",
    "userName.sub",
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value",
    "urn:ietf:params:scim:schemas:core:2.0:User:userName",
    "urn:ietf:params:scim:schemas:core:2.0:User:id",
    "urn:example:other:2.0:Thing:level",
];

/// Names inside a valuePath (sub-attributes of its attribute, or not).
const INNER: &[&str] = &["value", "VALUE", "type", "primary", "display", "nope"];

/// Keys of resources and elements, some in another case than the schema's.
const KEYS: &[&str] = &[
    "userName",
    "username",
    "name",
    "emails",
    "EMAILS",
    "active",
    "meta",
    "x509Certificates",
    "id",
    "externalId",
    "schemas",
    "title",
    "nope",
    "value",
    "Value",
    "type",
    "primary",
    "givenName",
    "lastModified",
    "created",
    "employeeNumber",
    "manager",
    "level",
];

const TEXT: &[&str] = &[
    "",
    "bjensen",
    "BJensen",
    "bj",
    "work",
    "WORK",
    "é",
    "É",
    "2011-05-13T04:42:34Z",
    "2011-05-13T04:42:34",
    "2011-05-13T06:42:34+02:00",
    "2030-01-01T00:00:00.5Z",
    "not a date",
];

fn text() -> impl Strategy<Value = String> {
    prop::sample::select(TEXT).prop_map(str::to_owned)
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => text().prop_map(Value::String),
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => (-2i64..3).prop_map(Value::from),
        1 => Just(json!(1.5)),
    ]
}

fn object(field: impl Strategy<Value = Value>) -> impl Strategy<Value = Value> {
    prop::collection::btree_map(
        prop::sample::select(KEYS).prop_map(str::to_owned),
        field,
        0..5,
    )
    .prop_map(|m| Value::Object(m.into_iter().collect()))
}

/// A value of any shape: scalars, arrays of scalars or objects, objects of those.
fn value() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(2, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            object(inner),
        ]
    })
}

fn resource() -> impl Strategy<Value = Value> {
    (object(value()), prop::option::of(object(value()))).prop_map(|(mut r, ext)| {
        if let (Some(ext), Value::Object(m)) = (ext, &mut r) {
            m.insert(ENTERPRISE.to_owned(), ext);
        }
        r
    })
}

fn comp_value() -> impl Strategy<Value = CompValue> {
    prop_oneof![
        Just(CompValue::Null),
        any::<bool>().prop_map(CompValue::Bool),
        (-2i64..3).prop_map(|n| CompValue::Number(n.into())),
        Just(CompValue::Number(
            serde_json::Number::from_f64(1.5).unwrap()
        )),
        text().prop_map(CompValue::String),
    ]
}

fn op() -> impl Strategy<Value = CompareOp> {
    use CompareOp::{Co, Eq, Ew, Ge, Gt, Le, Lt, Ne, Sw};
    prop::sample::select(vec![Eq, Ne, Co, Sw, Ew, Gt, Ge, Lt, Le])
}

fn leaf(paths: &'static [&'static str]) -> BoxedStrategy<Filter> {
    let path = prop::sample::select(paths).prop_map(|p| p.parse::<AttrPath>().unwrap());
    prop_oneof![
        1 => path.clone().prop_map(Filter::Present),
        4 => (path, op(), comp_value()).prop_map(|(p, o, v)| Filter::Compare(p, o, v)),
    ]
    .boxed()
}

fn tree(leaf: BoxedStrategy<Filter>) -> BoxedStrategy<Filter> {
    leaf.prop_recursive(4, 24, 3, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| Filter::And(Box::new(a), Box::new(b))),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| Filter::Or(Box::new(a), Box::new(b))),
            inner.prop_map(|a| Filter::Not(Box::new(a))),
        ]
    })
    .boxed()
}

fn filter() -> impl Strategy<Value = Filter> {
    let value_path = (
        prop::sample::select(&["emails", "name", "nope", "groups", "meta"][..]),
        tree(leaf(INNER)),
    )
        .prop_map(|(p, f)| Filter::ValuePath(p.parse().unwrap(), Box::new(f)));
    tree(prop_oneof![3 => leaf(PATHS), 1 => value_path].boxed())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn bound_filters_answer_as_matches(
        f in filter(),
        resources in prop::collection::vec(resource(), 1..4),
    ) {
        let schemas = SchemaRegistry::default();
        let empty = Value::Object(Map::new());
        let bound = f.bind(&schemas);
        for r in resources.iter().chain([&empty]) {
            let plain = f.matches(r, &schemas);
            let fast = bound.as_ref().map(|b| b.matches(r)).map_err(Clone::clone);
            prop_assert_eq!(fast, plain, "{} on {}", f, r);
        }
    }

    #[test]
    fn bound_element_filters_answer_as_matches_element(
        f in tree(leaf(INNER)),
        elements in prop::collection::vec(value(), 1..4),
        parent in prop::sample::select(&["emails", "members", "name", "x509Certificates", "nope"][..]),
    ) {
        let schemas = SchemaRegistry::default();
        let parent = schemas.attribute(parent);
        let bound = f.bind_element(parent);
        for el in &elements {
            let plain = f.matches_element(el, parent);
            let fast = bound.as_ref().map(|b| b.matches(el)).map_err(Clone::clone);
            prop_assert_eq!(fast, plain, "{} on {}", f, el);
        }
    }
}

/// The workload's filters bind and answer as `matches` does on its User.
#[test]
fn workload_filters_bind() {
    let filters: Value =
        serde_json::from_str(include_str!("../benches/data/filters.json")).unwrap();
    let patches: Value =
        serde_json::from_str(include_str!("../benches/data/patches.json")).unwrap();
    let user = &patches["resources"]["user"];
    let schemas = SchemaRegistry::default();
    for item in filters.as_array().unwrap() {
        let text = item["filter"].as_str().unwrap();
        let f = Filter::parse_with(text, &scimkit::Compat::entra()).unwrap();
        let expect = item["expect_user"].as_bool().unwrap();
        assert_eq!(f.bind(&schemas).unwrap().matches(user), expect, "{text}");
    }
}

/// `Query::list` binds its filter once; a filter the schemas reject still fails only when
/// there is a resource to test, as it did when each resource was matched on its own.
#[test]
fn query_list_binds_its_filter() {
    let schemas = SchemaRegistry::default();
    let users = [
        json!({"userName": "bjensen", "active": true}),
        json!({"userName": "jsmith", "active": false}),
        json!({"userName": "BJ", "active": true}),
    ];
    let f: Filter = r#"active eq true and userName sw "bj""#.parse().unwrap();
    let page = scimkit::Query::new()
        .with_filter(f)
        .list(&users, &schemas)
        .unwrap();
    assert_eq!(page.total_results, 2);

    let bad = scimkit::Query::new().with_filter("active gt true".parse().unwrap());
    let none: [Value; 0] = [];
    assert_eq!(bad.list(&none, &schemas).unwrap().total_results, 0);
    let err = bad.list(&users, &schemas).unwrap_err();
    assert_eq!(err, bad.matches(&users[0], &schemas).unwrap_err());
}

/// Chains run left to right, past the 32-operand block too: of several comparisons the schemas
/// reject, the leftmost is reported, by `matches` and `bind` alike.
#[test]
fn long_chains_evaluate_and_report_left_to_right() {
    let schemas = SchemaRegistry::default();
    let user = json!({"userName": "u070", "active": true});
    let clause = |i: usize| match i {
        40 => "active gt true".to_owned(),
        90 => "userName gt 3".to_owned(),
        i => format!(r#"userName eq "u{i:03}""#),
    };
    for n in [3, 32, 33, 64, 100] {
        let or = (0..n).map(clause).collect::<Vec<_>>().join(" or ");
        let f: Filter = or.parse().unwrap();
        let plain = f.matches(&user, &schemas);
        let bound = f.bind(&schemas).map(|b| b.matches(&user));
        assert_eq!(plain, bound, "{n}");
        match n {
            ..=40 => assert_eq!(plain, Ok(n > 70), "{n}"),
            _ => assert!(
                plain
                    .unwrap_err()
                    .detail
                    .unwrap()
                    .contains("active gt true")
            ),
        }
        let ands = (0..n)
            .map(|i| format!(r#"userName ne "u{i:03}" or userName eq "u070""#))
            .collect::<Vec<_>>()
            .join(") and (");
        let f: Filter = format!("({ands})").parse().unwrap();
        assert_eq!(f.matches(&user, &schemas), Ok(true), "{n}");
        assert!(f.bind(&schemas).unwrap().matches(&user), "{n}");
    }
}
