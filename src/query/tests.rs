//! Table-driven tests of the RFC 7644 §3.4.2 listing rules.

use proptest::prelude::*;
use serde_json::{Value, json};

use super::{Page, Projection, Query, SortBy, SortOrder};
use crate::ScimType;
use crate::model::{ListResponse, SearchRequest, User};
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
               "active": true, "x-rank": 3, "x-tags": [{"value": "q"}, {"value": "k", "primary": true}]}),
        json!({"id": "b", "userName": "Alice", "externalId": "B",
               "meta": {"created": "2020-01-01T09:00:00Z"},
               "emails": [{"value": "m@x.org"}],
               "active": false, "x-rank": 20, "x-tags": [{"value": "p"}]}),
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
        // ... also for attributes no schema defines, by their elements' `value`.
        ("x-tags", Asc, ["a", "b", "c", "d"]),
        ("x-tags.value", Desc, ["c", "d", "b", "a"]),
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
    assert_eq!(q.page(), Page::new(Some(1), Some(0)));
    assert_eq!(
        q.projection(),
        &Projection::new(&["userName", "emails"], &[], &r).unwrap()
    );
    let q = Query::from_query_string("", &r).unwrap();
    assert_eq!(q.page(), Page::default());
    assert!(q.projection().is_default() && q.sort_by().is_none());
    assert_eq!(q.sort_order(), SortOrder::Ascending);
    assert!(q.filter().is_none());
}

#[test]
fn search_request_parameters() {
    for (input, expected) in [
        ("", SearchRequest::new()),
        (
            "filter=userName+eq+%22a+b%22&FILTER=",
            SearchRequest::new().with_filter(r#"userName eq "a b""#),
        ),
        (
            "startIndex=-3&count=0",
            SearchRequest::new().with_page(-3, 0),
        ),
        (
            "attributes=userName&attributes=name.givenName,,%20emails",
            SearchRequest {
                attributes: Some(vec![
                    "userName".into(),
                    "name.givenName".into(),
                    "emails".into(),
                ]),
                ..SearchRequest::new()
            },
        ),
        (
            "excludedAttributes=meta&sortBy=%20userName%20&sortOrder=ASCENDING",
            SearchRequest {
                excluded_attributes: Some(vec!["meta".into()]),
                sort_by: Some("userName".into()),
                sort_order: Some(SortOrder::Ascending),
                ..SearchRequest::new()
            },
        ),
    ] {
        assert_eq!(
            SearchRequest::from_query_string(input),
            Ok(expected),
            "{input}"
        );
    }
    for input in [
        "filter=a&filter=b",
        "sortBy=a&sortby=b",
        "count=1e2",
        "startIndex=one",
    ] {
        let err = SearchRequest::from_query_string(input).unwrap_err();
        assert_eq!(err.scim_type, Some(ScimType::InvalidValue), "{input}");
    }
    let pairs = [("filter", "userName eq \"x\""), ("count", "5")];
    let r = SearchRequest::from_query_pairs(pairs).unwrap();
    assert_eq!(
        (r.filter.as_deref(), r.count),
        (Some("userName eq \"x\""), Some(5))
    );
}

#[track_caller]
fn ids(page: &ListResponse<Value>) -> Vec<&str> {
    page.iter().map(|v| v["id"].as_str().unwrap()).collect()
}

#[test]
fn list_filters_sorts_pages_and_projects() {
    let r = registry();
    let people = people();
    // (query, totalResults, startIndex, ids on the page)
    for (query, total, start, expected) in [
        ("sortBy=userName", 4, 1, &["b", "a", "c", "d"][..]),
        (
            "sortBy=userName&startIndex=2&count=2",
            4,
            2,
            &["a", "c"][..],
        ),
        (
            "sortBy=userName&sortOrder=descending&count=1",
            4,
            1,
            &["d"][..],
        ),
        ("count=0", 4, 1, &[][..]),
        ("count=-3", 4, 1, &[][..]),
        ("startIndex=5", 4, 5, &[][..]),
        ("startIndex=99&count=2", 4, 99, &[][..]),
        ("startIndex=-1&count=1", 4, 1, &["a"][..]),
        ("filter=active+eq+true", 2, 1, &["a", "c"][..]),
        (
            "filter=active eq true&sortBy=userName&sortOrder=descending",
            2,
            1,
            &["c", "a"][..],
        ),
        (
            "filter=userName+sw+%22A%22+or+userName+sw+%22c%22&count=1&startIndex=2",
            2,
            2,
            &["c"][..],
        ),
        ("filter=emails[primary eq true]", 1, 1, &["a"][..]),
        ("filter=not (userName pr)", 1, 1, &["d"][..]),
        ("filter=userName eq \"nobody\"&count=0", 0, 1, &[][..]),
    ] {
        let q = Query::from_query_string(query, &r).unwrap();
        let page = q.list(&people, &r).unwrap();
        assert_eq!(page.total_results, total, "{query}");
        assert_eq!(page.start_index, Some(start), "{query}");
        assert_eq!(page.items_per_page, Some(expected.len() as u64), "{query}");
        assert_eq!(ids(&page), expected, "{query}");
    }
    let q = Query::from_query_string("attributes=userName&count=1", &r).unwrap();
    let page = q.list(people.iter(), &r).unwrap();
    assert_eq!(page.resources, [json!({"id": "a", "userName": "bob"})]);
    let q = Query::new().with_max_results(3);
    assert_eq!(q.list(people.clone(), &r).unwrap().resources.len(), 3);
    let q = Query::from_query_string("count=1", &r)
        .unwrap()
        .with_max_results(3);
    assert_eq!(q.list(&people, &r).unwrap().resources.len(), 1);
    let q = Query::new()
        .with_max_results(2)
        .with_page(Page::new(Some(2), Some(10)));
    assert_eq!(ids(&q.list(&people, &r).unwrap()), ["b", "c"]);
}

#[test]
fn list_errors() {
    let r = registry();
    for (query, scim_type) in [
        ("filter=userName+eq", ScimType::InvalidFilter),
        ("filter=((", ScimType::InvalidFilter),
        ("sortBy=name", ScimType::InvalidPath),
        ("sortBy=password", ScimType::InvalidValue),
        ("attributes=emails%5Btype%5D", ScimType::InvalidPath),
        ("excludedAttributes=a%20b", ScimType::InvalidPath),
        ("sortOrder=up", ScimType::InvalidValue),
        ("count=1&count=2", ScimType::InvalidValue),
        ("count=ten", ScimType::InvalidValue),
        ("startIndex=1.5", ScimType::InvalidValue),
    ] {
        let err = Query::from_query_string(query, &r).unwrap_err();
        assert_eq!(
            (err.status, err.scim_type),
            (400, Some(scim_type)),
            "{query}"
        );
    }
    // Type errors surface when the query is built, whatever resources follow.
    for filter in [
        "active gt true",
        "meta.created gt \"yesterday\"",
        "userName gt 3",
    ] {
        let err =
            Query::from_search_request(&SearchRequest::new().with_filter(filter), &r).unwrap_err();
        assert_eq!(err.scim_type, Some(ScimType::InvalidFilter), "{filter}");
    }
    // A filter given directly is checked against each resource.
    let q = Query::new().with_filter("active gt true".parse().unwrap());
    let err = q.list(people(), &r).unwrap_err();
    assert_eq!(err.scim_type, Some(ScimType::InvalidFilter));
}

#[test]
fn typed_resources_and_search_requests() {
    let r = SchemaRegistry::default();
    let users = [User::new("zoe"), User::new("adam"), User::new("Mia")];
    let body: SearchRequest = serde_json::from_value(json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
        "filter": "userName ne \"adam\"",
        "sortBy": "userName",
        "attributes": ["userName"],
        "startIndex": 1,
        "count": 10
    }))
    .unwrap();
    let page = Query::from_search_request(&body, &r)
        .unwrap()
        .list_serialized(&users, &r)
        .unwrap();
    let names: Vec<&str> = page
        .iter()
        .map(|u| u["userName"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Mia", "zoe"]);
    assert_eq!(page.total_results, 2);
}

fn letters() -> impl Strategy<Value = Vec<String>> {
    proptest::collection::vec("[abAB]{0,3}", 0..30)
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
        let q = Query::new().with_page(Page::new(Some(start), count));
        let page = q.list(&resources, &r).unwrap();
        prop_assert_eq!(page.total_results, n as u64);
        let len = page.resources.len();
        if let Some(c) = count {
            prop_assert!(len <= usize::try_from(c.max(0)).unwrap());
        }
        let first = usize::try_from(start.max(1)).unwrap() - 1;
        let cap = count.map_or(n, |c| usize::try_from(c.max(0)).unwrap());
        prop_assert_eq!(len, n.saturating_sub(first).min(cap));
        prop_assert_eq!(page.items_per_page, Some(len as u64));
        if let Some(v) = page.resources.first() {
            prop_assert_eq!(v["id"].as_str().map(str::to_owned), Some(first.to_string()));
        }
    }

    #[test]
    fn total_results_counts_every_match(
        names in letters(),
        start in -2i64..10,
        count in proptest::option::of(-2i64..10),
        descending in any::<bool>(),
    ) {
        let r = SchemaRegistry::default();
        let resources: Vec<Value> = names
            .iter()
            .enumerate()
            .map(|(i, n)| json!({"id": i.to_string(), "userName": n}))
            .collect();
        let order = if descending { "descending" } else { "ascending" };
        let mut query = format!("filter=userName+sw+%22a%22&sortBy=userName&sortOrder={order}&startIndex={start}");
        if let Some(c) = count {
            query.push_str(&format!("&count={c}"));
        }
        let q = Query::from_query_string(&query, &r).unwrap();
        let page = q.list(&resources, &r).unwrap();
        let matching = names.iter().filter(|n| n.to_lowercase().starts_with('a')).count();
        prop_assert_eq!(page.total_results, matching as u64);
        // Every returned resource matches, and the page is in order.
        let got: Vec<String> = page
            .iter()
            .map(|v| v["userName"].as_str().unwrap().to_lowercase())
            .collect();
        prop_assert!(got.iter().all(|n| n.starts_with('a')));
        let mut sorted = got.clone();
        sorted.sort();
        if descending {
            sorted.reverse();
        }
        prop_assert_eq!(got, sorted);
    }
}

/// RFC 7644 §3.9: `GET /Users/2819c223-…?attributes=userName` returns `schemas`, `id` and
/// `userName` only.
#[test]
fn rfc7644_section_3_9_example() {
    let r = SchemaRegistry::default();
    let full = json!({
        "schemas": [USER],
        "id": "2819c223-7f76-453a-919d-413861904646",
        "externalId": "bjensen",
        "meta": {"resourceType": "User", "created": "2011-08-01T18:29:49.793Z",
                 "lastModified": "2011-08-01T18:29:49.793Z",
                 "location": "https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646",
                 "version": "W/\"f250dd84f0671c3\""},
        "name": {"formatted": "Ms. Barbara J Jensen III", "familyName": "Jensen",
                 "givenName": "Barbara"},
        "userName": "bjensen",
        "phoneNumbers": [{"value": "555-555-8377", "type": "work"}],
        "emails": [{"value": "bjensen@example.com", "type": "work"}]
    });
    let q = Query::from_query_string("attributes=userName", &r).unwrap();
    assert_eq!(
        q.projection().apply(&full, &r),
        json!({
            "schemas": [USER],
            "id": "2819c223-7f76-453a-919d-413861904646",
            "userName": "bjensen"
        })
    );
}

/// RFC 7644 §3.4.3: the SearchRequest body example, over a few users.
#[test]
fn rfc7644_section_3_4_3_search_request() {
    let r = SchemaRegistry::default();
    let body: SearchRequest = serde_json::from_str(
        r#"{
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
            "attributes": ["displayName", "userName"],
            "filter": "displayName sw \"smith\"",
            "startIndex": 1,
            "count": 10
        }"#,
    )
    .unwrap();
    let store: Vec<Value> = [
        ("1", "jsmith", "Smith, James"),
        ("2", "bjensen", "Jensen, Barbara"),
        ("3", "asmith", "SMITH, Alex"),
    ]
    .iter()
    .map(|(id, u, d)| {
        json!({"schemas": [USER], "id": id, "userName": u, "displayName": d,
                                 "title": "Tour Guide"})
    })
    .collect();
    let page = Query::from_search_request(&body, &r)
        .unwrap()
        .list(&store, &r)
        .unwrap();
    assert_eq!(
        serde_json::to_value(&page).unwrap(),
        json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
            "totalResults": 2,
            "itemsPerPage": 2,
            "startIndex": 1,
            "Resources": [
                {"schemas": [USER], "id": "1", "userName": "jsmith", "displayName": "Smith, James"},
                {"schemas": [USER], "id": "3", "userName": "asmith", "displayName": "SMITH, Alex"}
            ]
        })
    );
}

/// An `always` complex attribute is kept; its `request` sub-attributes still need naming.
#[test]
fn always_complex_attribute_with_request_sub_attribute() {
    let mut r = SchemaRegistry::new();
    let sub = |name: &str, returned| Attribute::new(name, AttrType::String).with_returned(returned);
    r.register(Schema::new(
        "urn:example:Device",
        vec![
            Attribute::new("serial", AttrType::String),
            Attribute::new("card", AttrType::Complex)
                .with_returned(Returned::Always)
                .with_sub_attributes(vec![
                    sub("num", Returned::Default),
                    sub("pin", Returned::Request),
                ]),
        ],
    ));
    let device = json!({"schemas": ["urn:example:Device"], "id": "d1", "serial": "s",
                        "card": {"num": "1", "pin": "2"}});
    for (attributes, excluded, card) in [
        (&[][..], &[][..], json!({"num": "1"})),
        (&["serial"][..], &[][..], json!({"num": "1"})),
        (&[][..], &["card"][..], json!({"num": "1"})),
        (&["card"][..], &[][..], json!({"num": "1", "pin": "2"})),
        (&["card.pin"][..], &[][..], json!({"num": "1", "pin": "2"})),
        (&[][..], &["card.num"][..], json!(null)),
    ] {
        let out = Projection::new(attributes, excluded, &r)
            .unwrap()
            .apply(&device, &r);
        assert_eq!(
            out.get("card").cloned().unwrap_or_default(),
            card,
            "{attributes:?} {excluded:?}"
        );
    }
}

#[test]
fn projection_lists_are_deduplicated() {
    let r = registry();
    let p = |a: &[&str]| Projection::new(a, &[], &r).unwrap();
    let many: Vec<&str> = [
        "displayName",
        "DISPLAYNAME",
        "members.value",
        "Members.VALUE",
    ]
    .repeat(1000);
    assert_eq!(p(&many), p(&["displayName", "members.value"]));
    let group = json!({"displayName": "g", "members": [{"value": "1", "display": "a"}]});
    assert_eq!(
        p(&many).apply(&group, &r),
        json!({"displayName": "g", "members": [{"value": "1"}]})
    );
}
