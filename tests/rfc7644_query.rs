//! Conformance tables for RFC 7644 §3.4.2.3–5 and §3.4.3 (sorting, pagination, attribute
//! projection, the `.search` body) and the §3.12 error response, through `Query`,
//! `Projection`, `SearchRequest` and `ScimError`.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // helpers outside #[test]

use scimkit::query::Projection;
use scimkit::{Query, SchemaRegistry, ScimError, ScimType, SearchRequest};
use serde_json::{Value, json};

const ENT: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

fn users() -> Vec<Value> {
    vec![
        json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": "1",
               "userName": "carol", "title": "b", "active": true,
               "emails": [{"value": "z@example.com"}, {"value": "c@example.com", "primary": true}],
               "meta": {"created": "2011-01-01T00:00:00Z", "resourceType": "User"}}),
        json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": "2",
               "userName": "Alice", "active": true,
               "emails": [{"value": "m@example.com"}],
               "meta": {"created": "2010-06-01T02:00:00+02:00", "resourceType": "User"}}),
        json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": "3",
               "userName": "bob", "title": "A", "active": false,
               "meta": {"created": "2010-06-01T01:00:00Z", "resourceType": "User"}}),
        json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": "4",
               "userName": "Dave", "title": "c", "active": true,
               "emails": [{"value": "a@example.com"}],
               "meta": {"created": "2012-01-01T00:00:00Z", "resourceType": "User"}}),
    ]
}

/// The ids of the page a query string selects, with totalResults, itemsPerPage, startIndex.
fn page(qs: &str) -> Result<(Vec<String>, u64, Value), ScimError> {
    let schemas = SchemaRegistry::standard();
    let q = Query::from_query_string(qs, schemas)?;
    let list = q.list(users(), schemas)?;
    let body = serde_json::to_value(&list).unwrap();
    let ids = body["Resources"]
        .as_array()
        .map(|r| {
            r.iter()
                .map(|u| u["id"].as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default();
    Ok((
        ids,
        list.total_results,
        json!([body["itemsPerPage"], body["startIndex"]]),
    ))
}

#[track_caller]
fn ids(qs: &str) -> Vec<String> {
    page(qs).unwrap_or_else(|e| panic!("{qs}: {e}")).0
}

#[track_caller]
fn refused(qs: &str) -> ScimType {
    let e = page(qs).expect_err(qs);
    assert_eq!(e.status, 400, "{qs}");
    e.scim_type.unwrap()
}

/// §3.4.2.3: ascending by default; strings as their `caseExact` says (userName and title
/// are case-insensitive); dateTimes chronologically; a multi-valued attribute by its primary
/// value, else its first.
#[test]
fn sorting() {
    let table: &[(&str, &[&str])] = &[
        ("sortBy=userName", &["2", "3", "1", "4"]),
        ("sortBy=userName&sortOrder=ascending", &["2", "3", "1", "4"]),
        (
            "sortBy=userName&sortOrder=descending",
            &["4", "1", "3", "2"],
        ),
        ("sortBy=USERNAME", &["2", "3", "1", "4"]),
        (
            "sortBy=urn:ietf:params:scim:schemas:core:2.0:User:userName",
            &["2", "3", "1", "4"],
        ),
        // 2 was created at 00:00Z (02:00+02:00), 3 at 01:00Z: by instant, not by text.
        ("sortBy=meta.created", &["2", "3", "1", "4"]),
        (
            "sortBy=meta.created&sortOrder=descending",
            &["4", "1", "3", "2"],
        ),
        // emails: 1 → primary c@, 2 → m@, 4 → a@, 3 → none.
        ("sortBy=emails", &["4", "1", "2", "3"]),
        ("sortBy=emails.value", &["4", "1", "2", "3"]),
        // title: "A" < "b" < "c" ignoring case; 2 has none.
        ("sortBy=title", &["3", "1", "4", "2"]),
        ("sortBy=id&sortOrder=descending", &["4", "3", "2", "1"]),
        // sortOrder alone: no order imposed.
        ("sortOrder=descending", &["1", "2", "3", "4"]),
        // sort, then page.
        ("sortBy=userName&startIndex=2&count=2", &["3", "1"]),
        ("filter=active eq true&sortBy=userName", &["2", "1", "4"]),
    ];
    let mut wrong = Vec::new();
    for &(qs, want) in table {
        let got = ids(qs);
        if got != want {
            wrong.push(format!("{qs}: want {want:?}, got {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// §3.4.2.4: "A value less than 1 SHALL be interpreted as 1" (startIndex); "A negative value
/// SHALL be interpreted as "0"" (count); `count=0` returns no resources, only totalResults.
#[test]
fn pagination() {
    // (query, ids, totalResults, [itemsPerPage, startIndex])
    let table: &[(&str, &[&str], u64, Value)] = &[
        ("", &["1", "2", "3", "4"], 4, json!([4, 1])),
        ("startIndex=1&count=2", &["1", "2"], 4, json!([2, 1])),
        ("startIndex=3&count=2", &["3", "4"], 4, json!([2, 3])),
        ("startIndex=4&count=10", &["4"], 4, json!([1, 4])),
        ("startIndex=5", &[], 4, json!([0, 5])),
        ("startIndex=0&count=1", &["1"], 4, json!([1, 1])),
        ("startIndex=-7&count=1", &["1"], 4, json!([1, 1])),
        ("count=0", &[], 4, json!([0, 1])),
        ("count=-1", &[], 4, json!([0, 1])),
        ("filter=active eq false&count=0", &[], 1, json!([0, 1])),
        ("filter=userName eq \"nobody\"", &[], 0, json!([0, 1])),
    ];
    let mut wrong = Vec::new();
    for (qs, want, total, meta) in table {
        let got = page(qs).unwrap();
        if got.0 != *want || (got.1, &got.2) != (*total, meta) {
            wrong.push(format!("{qs}: got {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// Bad parameters: a bad filter is `invalidFilter` (§3.4.2.2); scimkit's documented choices
/// for the others (the RFC names no scimType for them).
#[test]
fn bad_parameters() {
    let table = [
        ("filter=userName eq", ScimType::InvalidFilter),
        ("filter=active gt true", ScimType::InvalidFilter),
        ("filter=userName regex \"x\"", ScimType::InvalidFilter),
        ("count=ten", ScimType::InvalidValue),
        ("startIndex=first", ScimType::InvalidValue),
        ("sortOrder=up", ScimType::InvalidValue),
        ("sortBy=emails[type eq \"work\"]", ScimType::InvalidPath),
        ("attributes=name..givenName", ScimType::InvalidPath),
        ("excludedAttributes=emails[", ScimType::InvalidPath),
    ];
    for (qs, want) in table {
        assert_eq!(refused(qs), want, "{qs}");
    }
}

fn projected(attrs: &[&str], excluded: &[&str], resource: &Value) -> Value {
    let schemas = SchemaRegistry::standard();
    Projection::new(attrs, excluded, schemas)
        .unwrap_or_else(|e| panic!("{attrs:?} {excluded:?}: {e}"))
        .apply(resource, schemas)
}

/// §3.4.2.5 and §3.9 with RFC 7643 §7 `returned`: `id` is always returned, `password` never;
/// names ignore case and may be URN-qualified.
#[test]
fn projection() {
    let user = json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENT],
        "id": "2819c223",
        "externalId": "701984",
        "userName": "bjensen",
        "password": "t1meMa$heen",
        "name": {"givenName": "Barbara", "familyName": "Jensen"},
        "emails": [{"value": "bjensen@example.com", "type": "work"}],
        "groups": [{"value": "g1", "display": "Tour Guides"}],
        ENT: {"employeeNumber": "701984", "department": "Tours"},
        "meta": {"resourceType": "User", "created": "2010-01-23T04:56:22Z"}
    });
    let department = format!("{ENT}:department");
    let department = [department.as_str()];
    let schemas_only = json!(["urn:ietf:params:scim:schemas:core:2.0:User", ENT]);
    let table: Vec<(&[&str], &[&str], Value)> = vec![
        (
            &["userName"],
            &[],
            json!({"schemas": schemas_only, "id": "2819c223", "userName": "bjensen"}),
        ),
        (
            &["UserName", "NAME.givenName"],
            &[],
            json!({"schemas": schemas_only, "id": "2819c223", "userName": "bjensen",
                   "name": {"givenName": "Barbara"}}),
        ),
        (
            &["urn:ietf:params:scim:schemas:core:2.0:User:emails.type"],
            &[],
            json!({"schemas": schemas_only, "id": "2819c223", "emails": [{"type": "work"}]}),
        ),
        (
            &department,
            &[],
            json!({"schemas": schemas_only, "id": "2819c223", ENT: {"department": "Tours"}}),
        ),
        (
            &[ENT],
            &[],
            json!({"schemas": schemas_only, "id": "2819c223",
                   ENT: {"employeeNumber": "701984", "department": "Tours"}}),
        ),
        (
            &["password", "id"],
            &[],
            json!({"schemas": schemas_only, "id": "2819c223"}),
        ),
        (
            &["meta.created"],
            &[],
            json!({"schemas": schemas_only, "id": "2819c223",
                   "meta": {"created": "2010-01-23T04:56:22Z"}}),
        ),
    ];
    for (attrs, excluded, want) in table {
        assert_eq!(projected(attrs, excluded, &user), want, "{attrs:?}");
    }
    // excludedAttributes: the default set minus the named ones; `id` stays (returned always).
    let out = projected(&[], &["emails", "ID", "name.familyName", ENT], &user);
    assert_eq!(out["id"], "2819c223");
    assert!(out.get("emails").is_none() && out.get(ENT).is_none());
    assert_eq!(out["name"], json!({"givenName": "Barbara"}));
    assert!(out.get("password").is_none());
    assert_eq!(out["groups"], user["groups"]);
    assert_eq!(out["meta"], user["meta"]);
    // The default projection: everything but `password`.
    let all = projected(&[], &[], &user);
    let mut want = user.clone();
    want.as_object_mut().unwrap().remove("password");
    assert_eq!(all, want);
}

/// §3.4.3: the `.search` body carries the same parameters; `startIndex`/`count` as numbers.
#[test]
fn search_request_body() {
    let body = json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
        "attributes": ["userName"],
        "excludedAttributes": [],
        "filter": "active eq true",
        "sortBy": "userName",
        "sortOrder": "descending",
        "startIndex": 0,
        "count": 2
    });
    let schemas = SchemaRegistry::standard();
    let request: SearchRequest = serde_json::from_value(body).unwrap();
    let q = Query::from_search_request(&request, schemas).unwrap();
    let list = q.list(users(), schemas).unwrap();
    assert_eq!(list.total_results, 3);
    let got: Vec<Value> = list.resources.clone();
    assert_eq!(
        got,
        [
            json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": "4", "userName": "Dave"}),
            json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": "1", "userName": "carol"}),
        ]
    );
}

/// §3.12: the error body, with `status` as a string, and Table 9's statuses.
#[test]
fn error_responses() {
    let table = [
        (ScimType::InvalidFilter, 400, "invalidFilter"),
        (ScimType::TooMany, 400, "tooMany"),
        (ScimType::Uniqueness, 409, "uniqueness"),
        (ScimType::Mutability, 400, "mutability"),
        (ScimType::InvalidSyntax, 400, "invalidSyntax"),
        (ScimType::InvalidPath, 400, "invalidPath"),
        (ScimType::NoTarget, 400, "noTarget"),
        (ScimType::InvalidValue, 400, "invalidValue"),
        (ScimType::InvalidVers, 400, "invalidVers"),
        (ScimType::Sensitive, 403, "sensitive"),
    ];
    for (t, status, word) in table {
        let e = ScimError::new(t, "why");
        assert_eq!(e.status, status, "{word}");
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
                   "status": status.to_string(), "scimType": word, "detail": "why"})
        );
        let back: ScimError = serde_json::from_value(serde_json::to_value(&e).unwrap()).unwrap();
        assert_eq!(back, e);
    }
    // The §3.12 examples read back.
    let not_found: ScimError = serde_json::from_value(json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
        "detail": "Resource 2819c223-7f76-453a-919d-413861904646 not found",
        "status": "404"
    }))
    .unwrap();
    assert_eq!((not_found.status, not_found.scim_type), (404, None));
    let mutability: ScimError = serde_json::from_value(json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
        "scimType": "mutability",
        "detail": "Attribute 'id' is readOnly",
        "status": "400"
    }))
    .unwrap();
    assert_eq!(
        (mutability.status, mutability.scim_type),
        (400, Some(ScimType::Mutability))
    );
}

/// Issue 17: integers compared exactly but floats as `f64` made the order intransitive
/// (2^53 + 1 > 2^53, yet both equal 2^53 as floats), and sorting these 52 numbers panicked.
#[test]
fn sort_by_numbers_near_2_pow_53_is_total() {
    const CASE: &str = "I-3 I-3 I1 F0 I4 I-4 I-2 F0 I1 I-1 I-2 I1 I0 I2 I1 I2 I0 F-4 I-4 I3 I-3 \
        F2 F4 I-3 F0 I-1 F-3 I0 I-2 I-1 I-4 F0 F0 I-3 I-3 I4 I-3 I-4 F0 F0 I-3 F-4 F2 I0 I1 F-3 \
        I-2 F-1 I-3 I2 F-1 I-3";
    let base = 1i64 << 53;
    let exact: Vec<i64> = CASE
        .split_whitespace()
        .map(|t| base + t[1..].parse::<i64>().unwrap())
        .collect();
    let resources: Vec<Value> = CASE
        .split_whitespace()
        .zip(&exact)
        .enumerate()
        .map(|(i, (t, &v))| {
            // The floats are integers that f64 holds exactly, or rounds to an even neighbour.
            let n = if t.starts_with('F') {
                json!(v as f64)
            } else {
                json!(v)
            };
            json!({"id": i.to_string(), "x-rank": n})
        })
        .collect();
    assert_eq!(resources.len(), 52);
    let schemas = SchemaRegistry::standard();
    for order in ["ascending", "descending"] {
        let q =
            Query::from_query_string(&format!("sortBy=x-rank&sortOrder={order}"), schemas).unwrap();
        let list = q.list(&resources, schemas).unwrap();
        let got: Vec<i128> = list
            .resources
            .iter()
            .map(|r| match r["x-rank"].as_i64() {
                Some(i) => i128::from(i),
                None => r["x-rank"].as_f64().unwrap() as i128,
            })
            .collect();
        let mut want = got.clone();
        want.sort_unstable();
        if order == "descending" {
            want.reverse();
        }
        assert_eq!(got, want, "{order}");
    }
}
