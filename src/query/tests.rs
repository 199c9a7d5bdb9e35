//! Table-driven tests of the RFC 7644 §3.4.2 listing rules.

use proptest::prelude::*;
use serde_json::{Value, json};

use super::{Page, Projection, Query, SortBy, SortOrder};
use crate::ScimType;
use crate::schema::{AttrType, Attribute, Returned, Schema, SchemaRegistry};

const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENT: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const EXT: &str = "urn:example:params:scim:schemas:extension:acme:2.0:User";

/// The standard schemas plus an extension with one attribute per `returned` value.
fn registry() -> SchemaRegistry {
    let mut r = SchemaRegistry::default();
    let a = |name: &str, returned| Attribute::new(name, AttrType::String).with_returned(returned);
    r.register(Schema::new(
        EXT,
        vec![
            a("secret", Returned::Never),
            a("badge", Returned::Request),
            a("level", Returned::Default),
            a("tenant", Returned::Always),
            Attribute::new("detail", AttrType::Complex).with_sub_attributes(vec![
                a("plain", Returned::Default),
                a("asked", Returned::Request),
                a("hidden", Returned::Never),
                a("pinned", Returned::Always),
            ]),
        ],
    ));
    r.register_resource_type("User", USER, &[ENT, EXT]);
    r
}

fn user() -> Value {
    json!({
        "schemas": [USER, ENT, EXT],
        "id": "2819c223",
        "externalId": "701984",
        "userName": "bjensen",
        "password": "t1meMa$heen",
        "name": {"givenName": "Barbara", "familyName": "Jensen"},
        "emails": [
            {"value": "bjensen@example.com", "type": "work", "primary": true},
            {"value": "babs@example.org", "type": "home"}
        ],
        "meta": {"resourceType": "User", "version": "W/\"3\""},
        ENT: {"employeeNumber": "701984", "manager": {"value": "26118915", "displayName": "John"}},
        EXT: {
            "secret": "s", "badge": "b", "level": "l", "tenant": "t",
            "detail": {"plain": 1, "asked": 2, "hidden": 3, "pinned": 4}
        },
        "nickname2": "babs"
    })
}

#[track_caller]
fn project(attributes: &[&str], excluded: &[&str]) -> Value {
    let r = registry();
    Projection::new(attributes, excluded, &r)
        .unwrap()
        .apply(&user(), &r)
}

fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    k.sort_unstable();
    k
}

#[test]
fn returned_characteristic_by_default() {
    let out = project(&[], &[]);
    // `never` is dropped, `request` is not asked for; everything else stays.
    assert!(out.get("password").is_none());
    assert_eq!(
        out[EXT],
        json!({"level": "l", "tenant": "t", "detail": {"plain": 1, "pinned": 4}})
    );
    let mut expected = user();
    expected.as_object_mut().unwrap().remove("password");
    expected[EXT] = out[EXT].clone();
    assert_eq!(out, expected);
}

#[test]
fn attributes_select_plus_always() {
    for (attributes, expected) in [
        (
            &["userName"][..],
            json!({"schemas": [USER, ENT, EXT], "id": "2819c223", "userName": "bjensen",
                   EXT: {"tenant": "t"}}),
        ),
        (
            &["USERNAME", "Name.GivenName"][..],
            json!({"schemas": [USER, ENT, EXT], "id": "2819c223", "userName": "bjensen",
                   "name": {"givenName": "Barbara"}, EXT: {"tenant": "t"}}),
        ),
        (
            &["emails.value"][..],
            json!({"schemas": [USER, ENT, EXT], "id": "2819c223",
                   "emails": [{"value": "bjensen@example.com"}, {"value": "babs@example.org"}],
                   EXT: {"tenant": "t"}}),
        ),
        (
            &["password", "id"][..],
            json!({"schemas": [USER, ENT, EXT], "id": "2819c223", EXT: {"tenant": "t"}}),
        ),
        (
            &["urn:ietf:params:scim:schemas:core:2.0:User:userName"][..],
            json!({"schemas": [USER, ENT, EXT], "id": "2819c223", "userName": "bjensen",
                   EXT: {"tenant": "t"}}),
        ),
        (
            &["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value"][..],
            json!({"schemas": [USER, ENT, EXT], "id": "2819c223",
                   ENT: {"manager": {"value": "26118915"}}, EXT: {"tenant": "t"}}),
        ),
        (
            &[ENT][..],
            json!({"schemas": [USER, ENT, EXT], "id": "2819c223",
                   ENT: {"employeeNumber": "701984",
                         "manager": {"value": "26118915", "displayName": "John"}},
                   EXT: {"tenant": "t"}}),
        ),
        (
            &["nickname2", "meta.version"][..],
            json!({"schemas": [USER, ENT, EXT], "id": "2819c223", "nickname2": "babs",
                   "meta": {"version": "W/\"3\""}, EXT: {"tenant": "t"}}),
        ),
    ] {
        assert_eq!(project(attributes, &[]), expected, "{attributes:?}");
    }
}

#[test]
fn request_never_and_always_in_extensions() {
    let ext = |a: &[&str], e: &[&str]| project(a, e)[EXT].clone();
    let badge = format!("{EXT}:badge");
    let secret = format!("{EXT}:secret");
    let tenant = format!("{EXT}:tenant");
    let detail = format!("{EXT}:detail");
    let asked = format!("{EXT}:detail.asked");
    let hidden = format!("{EXT}:detail.hidden");
    let plain = format!("{EXT}:detail.plain");
    for (attributes, excluded, expected) in [
        // `request`: only when named.
        (
            vec![&badge[..]],
            vec![],
            json!({"badge": "b", "tenant": "t"}),
        ),
        // `never`: not even when named.
        (vec![&secret[..]], vec![], json!({"tenant": "t"})),
        // `always`: whatever is excluded.
        (
            vec![],
            vec![&tenant[..]],
            json!({"level": "l", "tenant": "t",
            "detail": {"plain": 1, "pinned": 4}}),
        ),
        (vec![], vec![EXT], json!({"tenant": "t"})),
        // A complex attribute named whole brings its `request` sub-attributes, not `never` ones.
        (
            vec![&detail[..]],
            vec![],
            json!({"tenant": "t",
            "detail": {"plain": 1, "asked": 2, "pinned": 4}}),
        ),
        (
            vec![&asked[..]],
            vec![],
            json!({"tenant": "t", "detail": {"asked": 2, "pinned": 4}}),
        ),
        (
            vec![&hidden[..]],
            vec![],
            json!({"tenant": "t", "detail": {"pinned": 4}}),
        ),
        // Excluding a sub-attribute keeps the rest of the default set.
        (
            vec![],
            vec![&plain[..]],
            json!({"level": "l", "tenant": "t",
            "detail": {"pinned": 4}}),
        ),
        // The whole extension by URN, case-insensitively: default and always members.
        (
            vec![&EXT.to_uppercase()[..]],
            vec![],
            json!({"level": "l", "tenant": "t",
            "detail": {"plain": 1, "asked": 2, "pinned": 4}, "badge": "b"}),
        ),
    ] {
        assert_eq!(
            ext(&attributes, &excluded),
            expected,
            "{attributes:?} / {excluded:?}"
        );
    }
}

#[test]
fn excluded_attributes_remove_from_defaults() {
    for (excluded, gone, kept) in [
        (
            &["emails"][..],
            &["emails", "password"][..],
            &["userName", "id"][..],
        ),
        (
            &["ID", "schemas"][..],
            &["password"][..],
            &["id", "schemas"][..],
        ),
        (&["name.givenName"][..], &[][..], &["name"][..]),
        (&[ENT][..], &[ENT][..], &[EXT][..]),
        (
            &["meta", "externalId"][..],
            &["meta", "externalId"][..],
            &["id"][..],
        ),
    ] {
        let out = project(&[], excluded);
        for k in gone {
            assert!(out.get(k).is_none(), "{excluded:?}: {k} should be gone");
        }
        for k in kept {
            assert!(out.get(k).is_some(), "{excluded:?}: {k} should stay");
        }
    }
    assert_eq!(
        project(&[], &["name.givenName"])["name"],
        json!({"familyName": "Jensen"})
    );
    assert_eq!(
        project(&[], &["emails.type", "emails.primary"])["emails"],
        json!([{"value": "bjensen@example.com"}, {"value": "babs@example.org"}])
    );
    // Both lists: the selection, minus what is excluded (but never an `always` attribute).
    assert_eq!(
        keys(&project(&["userName", "name", "id"], &["name", "id"])),
        ["id", "schemas", EXT, "userName"]
    );
}

#[test]
fn malformed_attribute_names_are_invalid_paths() {
    let r = registry();
    for bad in ["emails[type eq \"work\"]", "a b", "name.", "1x"] {
        let err = Projection::new(&[bad], &[], &r).unwrap_err();
        assert_eq!(err.scim_type, Some(ScimType::InvalidPath), "{bad}");
        let err = Projection::new(&[], &[bad], &r).unwrap_err();
        assert_eq!(err.scim_type, Some(ScimType::InvalidPath), "{bad}");
    }
}

#[test]
fn page_window_edge_cases() {
    // (startIndex, count, total) -> range
    for (start, count, total, expected) in [
        (None, None, 5, 0..5),
        (Some(1), Some(2), 5, 0..2),
        (Some(0), Some(2), 5, 0..2),
        (Some(-7), Some(2), 5, 0..2),
        (Some(4), Some(10), 5, 3..5),
        (Some(5), Some(1), 5, 4..5),
        (Some(6), Some(1), 5, 5..5),
        (Some(i64::MAX), None, 5, 5..5),
        (Some(2), Some(0), 5, 1..1),
        (Some(2), Some(-1), 5, 1..1),
        (None, Some(i64::MAX), 5, 0..5),
        (None, Some(3), 0, 0..0),
    ] {
        assert_eq!(
            Page::new(start, count).range(total),
            expected,
            "{start:?} {count:?} {total}"
        );
    }
    assert_eq!(Page::new(None, None).at_most(2).range(5), 0..2);
    assert_eq!(Page::new(None, Some(1)).at_most(2).range(5), 0..1);
}

fn people() -> Vec<Value> {
    vec![
        json!({"id": "a", "userName": "bob", "externalId": "b",
               "meta": {"created": "2020-01-01T10:00:00+02:00"},
               "emails": [{"value": "z@x.org"}, {"value": "b@x.org", "primary": true}],
               "active": true, "x-rank": 3}),
        json!({"id": "b", "userName": "Alice", "externalId": "B",
               "meta": {"created": "2020-01-01T09:00:00Z"},
               "emails": [{"value": "m@x.org"}],
               "active": false, "x-rank": 20}),
        json!({"id": "c", "userName": "carol", "externalId": "a",
               "meta": {"created": "2020-01-01T08:30:00-01:00"},
               "active": true, "x-rank": 1.5}),
        json!({"id": "d", "name": {"familyName": "Doe"}, "emails": []}),
    ]
}

#[track_caller]
fn order(sort_by: &str, sort_order: SortOrder) -> Vec<String> {
    let r = registry();
    let people = people();
    let mut list: Vec<&Value> = people.iter().collect();
    SortBy::new(sort_by, &r)
        .unwrap()
        .sort(&mut list, sort_order);
    list.iter()
        .map(|v| v["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn sort_by_type_and_case() {
    use SortOrder::{Ascending as Asc, Descending as Desc};
    for (sort_by, sort_order, expected) in [
        // caseExact=false: Alice < bob < carol; missing last ascending.
        ("userName", Asc, ["b", "a", "c", "d"]),
        ("USERNAME", Asc, ["b", "a", "c", "d"]),
        // ... and first descending.
        ("userName", Desc, ["d", "c", "a", "b"]),
        // caseExact=true: "B" < "a" < "b" by code point.
        ("externalId", Asc, ["b", "c", "a", "d"]),
        ("externalId", Desc, ["d", "a", "c", "b"]),
        // dateTime: chronological whatever the offset (08:00Z, 09:00Z, 09:30Z), not lexical.
        ("meta.created", Asc, ["a", "b", "c", "d"]),
        ("meta.created", Desc, ["d", "c", "b", "a"]),
        // booleans: false < true; stable among equals.
        ("active", Asc, ["b", "a", "c", "d"]),
        // numbers of an attribute no schema knows, integer and decimal mixed.
        ("x-rank", Asc, ["c", "a", "b", "d"]),
        ("x-rank", Desc, ["d", "b", "a", "c"]),
        // multi-valued: the primary value, else the first; an empty array is missing.
        ("emails", Asc, ["a", "b", "c", "d"]),
        ("emails.value", Asc, ["a", "b", "c", "d"]),
        ("emails.value", Desc, ["c", "d", "b", "a"]),
        ("name.familyName", Asc, ["d", "a", "b", "c"]),
        ("id", Desc, ["d", "c", "b", "a"]),
    ] {
        assert_eq!(
            order(sort_by, sort_order),
            expected,
            "{sort_by} {sort_order:?}"
        );
    }
}

#[test]
fn sort_by_rejects_what_cannot_be_ordered() {
    let r = registry();
    for (sort_by, scim_type) in [
        ("name", ScimType::InvalidPath),
        ("meta", ScimType::InvalidPath),
        (ENT, ScimType::InvalidPath),
        ("emails[primary eq true]", ScimType::InvalidPath),
        ("password", ScimType::InvalidValue),
        (
            "urn:example:params:scim:schemas:extension:acme:2.0:User:secret",
            ScimType::InvalidValue,
        ),
    ] {
        let err = SortBy::new(sort_by, &r).unwrap_err();
        assert_eq!(err.scim_type, Some(scim_type), "{sort_by}");
    }
}

#[test]
fn sort_by_extension_attribute() {
    let r = registry();
    let rs = [
        json!({"id": "1", ENT: {"employeeNumber": "20"}}),
        json!({"id": "2"}),
        json!({"id": "3", ENT: {"employeeNumber": "100"}}),
    ];
    let mut list: Vec<&Value> = rs.iter().collect();
    SortBy::new(&format!("{ENT}:employeeNumber"), &r)
        .unwrap()
        .sort(&mut list, SortOrder::Ascending);
    let ids: Vec<&str> = list.iter().map(|v| v["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["3", "1", "2"]); // a string attribute: "100" < "20"
}

#[test]
fn query_string_parameters() {
    let r = registry();
    let q = Query::from_query_string(
        "?sortBy=name.familyName&SORTORDER=Descending&startIndex=0&count=-4\
         &attributes=userName,%20emails&excludedAttributes=&other=ignored",
        &r,
    )
    .unwrap();
    assert_eq!(q.sort_order(), SortOrder::Descending);
    assert!(q.sort_by().is_some());
    assert_eq!(q.window(), Page::new(Some(1), Some(0)));
    assert_eq!(
        q.attributes(),
        &Projection::new(&["userName", "emails"], &[], &r).unwrap()
    );
    let q = Query::from_query_string("", &r).unwrap();
    assert_eq!(q.window(), Page::default());
    assert!(q.attributes().is_default() && q.sort_by().is_none());
    assert_eq!(q.sort_order(), SortOrder::Ascending);

    for (input, scim_type) in [
        ("count=ten", ScimType::InvalidValue),
        ("startIndex=1.5", ScimType::InvalidValue),
        ("count=1&count=2", ScimType::InvalidValue),
        ("sortOrder=up", ScimType::InvalidValue),
        ("sortBy=name", ScimType::InvalidPath),
        ("attributes=emails%5Btype%5D", ScimType::InvalidPath),
    ] {
        let err = Query::from_query_string(input, &r).unwrap_err();
        assert_eq!(
            (err.status, err.scim_type),
            (400, Some(scim_type)),
            "{input}"
        );
    }
}

#[test]
fn select_sorts_pages_and_projects() {
    let r = registry();
    let people = people();
    for (query, total, ids) in [
        ("sortBy=userName", 4, &["b", "a", "c", "d"][..]),
        ("sortBy=userName&startIndex=2&count=2", 4, &["a", "c"][..]),
        (
            "sortBy=userName&sortOrder=descending&count=1",
            4,
            &["d"][..],
        ),
        ("count=0", 4, &[][..]),
        ("startIndex=5", 4, &[][..]),
        ("startIndex=-1&count=1", 4, &["a"][..]),
    ] {
        let q = Query::from_query_string(query, &r).unwrap();
        let (t, page) = q.select(&people, &r).unwrap();
        assert_eq!(t, total, "{query}");
        let got: Vec<&str> = page.iter().map(|v| v["id"].as_str().unwrap()).collect();
        assert_eq!(got, ids, "{query}");
    }
    let q = Query::from_query_string("attributes=userName&count=1", &r).unwrap();
    let (_, page) = q.select(people.iter(), &r).unwrap();
    assert_eq!(page, [json!({"id": "a", "userName": "bob"})]);
    let q = Query::new().max_results(3);
    assert_eq!(q.select(&people, &r).unwrap().1.len(), 3);
}

proptest! {
    #[test]
    fn pages_never_exceed_count(
        n in 0usize..40,
        start in -5i64..50,
        count in proptest::option::of(-5i64..50),
    ) {
        let r = SchemaRegistry::default();
        let resources: Vec<Value> = (0..n).map(|i| json!({"id": i.to_string()})).collect();
        let q = Query::new().page(Page::new(Some(start), count));
        let (total, page) = q.select(&resources, &r).unwrap();
        prop_assert_eq!(total, n);
        if let Some(c) = count {
            prop_assert!(page.len() <= usize::try_from(c.max(0)).unwrap());
        }
        let first = usize::try_from(start.max(1)).unwrap() - 1;
        prop_assert_eq!(page.len(), n.saturating_sub(first).min(count.map_or(n, |c| usize::try_from(c.max(0)).unwrap())));
        if let Some(v) = page.first() {
            prop_assert_eq!(v["id"].as_str().map(str::to_owned), Some(first.to_string()));
        }
    }
}
