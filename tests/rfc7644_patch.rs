//! Conformance tables for RFC 7644 §3.5.2 PATCH, applied through the public API: each row is
//! a resource, the operations of one request, and either the expected resource or the
//! expected `400` and `scimType` (after which the resource must be byte-identical).
//! Inputs also come from other implementations' suites (scim2-tester's PATCH checkers,
//! elimity-com/scim's operation validator, scim-patch, SCIMple's patch handler tests).
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // helpers outside #[test]

use scimkit::schema::{AttrType, Attribute, Mutability, Schema};
use scimkit::{Compat, PatchOp, Patcher, SchemaRegistry, ScimError, ScimType};
use serde_json::{Value, json};

const ENT: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const M1: &str = "2819c223-7f76-453a-919d-413861904646";
const M2: &str = "902c246b-6245-4190-8e05-00816be7344a";

/// What a row expects.
enum Want {
    /// The resource after the request.
    Is(Value),
    /// Success, with the resource unchanged and `changed == false`.
    Same,
    /// `400` with this scimType, the resource untouched.
    Err(ScimType),
}

fn group() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "id": "e9e30dba-f08f-4109-8486-d5c6a331660a",
        "displayName": "Tour Guides",
        "members": [{"value": M1, "display": "Babs Jensen"}]
    })
}

fn user() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "id": M1,
        "userName": "bjensen",
        "name": {"familyName": "Jensen", "givenName": "Barbara"},
        "emails": [
            {"value": "bjensen@example.com", "type": "work", "primary": true},
            {"value": "babs@jensen.org", "type": "home"}
        ],
        "addresses": [
            {"type": "work", "streetAddress": "100 Universal City Plaza", "locality": "Hollywood"},
            {"type": "home", "streetAddress": "456 Hollywood Blvd", "locality": "Hollywood"}
        ],
        "meta": {"resourceType": "User", "created": "2010-01-23T04:56:22Z"}
    })
}

/// `f(resource)` applied to a copy: the expected result, spelled as an edit of the input.
fn edit(mut v: Value, f: impl FnOnce(&mut Value)) -> Value {
    f(&mut v);
    v
}

fn request(ops: &Value) -> Result<PatchOp, ScimError> {
    serde_json::from_value::<PatchOp>(json!({"schemas": [PATCH_OP], "Operations": ops}))
        .map_err(|e| ScimError::invalid_syntax(e.to_string()))
}

#[track_caller]
fn run_with(schemas: &SchemaRegistry, compat: Compat, rows: Vec<(&str, Value, Value, Want)>) {
    let n = rows.len();
    let mut wrong = Vec::new();
    for (name, before, ops, want) in rows {
        let mut r = before.clone();
        let got =
            request(&ops).and_then(|op| Patcher::new(schemas).compat(compat).apply(&op, &mut r));
        let ok = match (&want, &got) {
            (Want::Is(after), Ok(out)) => r == *after && out.changed,
            (Want::Same, Ok(out)) => r == before && !out.changed,
            (Want::Err(t), Err(e)) => e.status == 400 && e.scim_type == Some(*t) && r == before,
            _ => false,
        };
        if !ok {
            let got = got.map(|o| (o.changed, r));
            wrong.push(format!("{name}: {ops}\n  got {got:?}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {n}:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[track_caller]
fn run(rows: Vec<(&str, Value, Value, Want)>) {
    run_with(SchemaRegistry::standard(), Compat::strict(), rows);
}

/// RFC 7644 §3.5.2.1 "add".
#[test]
fn add() {
    use Want::{Err, Is, Same};
    let new_member = json!({"display": "Mandy Pepperidge", "value": M2});
    run(vec![
        (
            "§3.5.2.1 example: add a member",
            group(),
            json!([{"op": "add", "path": "members", "value": [new_member.clone()]}]),
            Is(edit(group(), |g| {
                g["members"]
                    .as_array_mut()
                    .unwrap()
                    .push(new_member.clone());
            })),
        ),
        (
            "§3.5.2.1 example: no path, `nickname` in any case",
            user(),
            json!([{"op": "add", "value": {
                "emails": [{"value": "babs@example.org", "type": "other"}],
                "nickname": "Babs"}}]),
            Is(edit(user(), |u| {
                u["emails"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!({"value": "babs@example.org", "type": "other"}));
                u["nickName"] = json!("Babs");
            })),
        ),
        (
            "a value already present: no change",
            group(),
            json!([{"op": "add", "path": "members", "value": [{"value": M1}]}]),
            Same,
        ),
        (
            "single-valued: the existing value is replaced",
            user(),
            json!([{"op": "add", "path": "userName", "value": "babs"}]),
            Is(edit(user(), |u| u["userName"] = json!("babs"))),
        ),
        (
            "the same single value: no change",
            user(),
            json!([{"op": "add", "path": "userName", "value": "bjensen"}]),
            Same,
        ),
        (
            "a complex attribute takes sub-attributes, the others kept",
            user(),
            json!([{"op": "add", "path": "name", "value": {"middleName": "Jane"}}]),
            Is(edit(user(), |u| u["name"]["middleName"] = json!("Jane"))),
        ),
        (
            "a sub-attribute of an absent complex attribute creates it",
            group(),
            json!([{"op": "add", "path": "externalId", "value": "x1"}]),
            Is(edit(group(), |g| g["externalId"] = json!("x1"))),
        ),
        (
            "a sub-attribute path",
            user(),
            json!([{"op": "add", "path": "name.honorificPrefix", "value": "Ms."}]),
            Is(edit(user(), |u| {
                u["name"]["honorificPrefix"] = json!("Ms.");
            })),
        ),
        (
            "valuePath with a sub-attribute sets it on the matching values",
            user(),
            json!([{"op": "add", "path": "emails[type eq \"home\"].display", "value": "Home"}]),
            Is(edit(user(), |u| u["emails"][1]["display"] = json!("Home"))),
        ),
        (
            "names in the path ignore case",
            user(),
            json!([{"op": "add", "path": "NAME.MiddleName", "value": "J"}]),
            Is(edit(user(), |u| u["name"]["middleName"] = json!("J"))),
        ),
        (
            "an extension attribute by URN path creates the extension object",
            user(),
            json!([{"op": "add", "path": format!("{ENT}:employeeNumber"), "value": "701984"}]),
            Is(edit(user(), |u| {
                u[ENT] = json!({"employeeNumber": "701984"});
                u["schemas"].as_array_mut().unwrap().push(json!(ENT));
            })),
        ),
        (
            "an extension object in a path-less value",
            user(),
            json!([{"op": "add", "value": {ENT: {"department": "Tours"}}}]),
            Is(edit(user(), |u| {
                u[ENT] = json!({"department": "Tours"});
                u["schemas"].as_array_mut().unwrap().push(json!(ENT));
            })),
        ),
        (
            "primary: true on a new value clears the other primary (RFC 7643 §2.4)",
            user(),
            json!([{"op": "add", "path": "emails", "value": [{"value": "new@example.com", "primary": true}]}]),
            Is(edit(user(), |u| {
                u["emails"][0]["primary"] = json!(false);
                u["emails"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!({"value": "new@example.com", "primary": true}));
            })),
        ),
        (
            "two primaries in one request value",
            user(),
            json!([{"op": "add", "path": "emails", "value": [
                {"value": "a@example.com", "primary": true},
                {"value": "b@example.com", "primary": true}]}]),
            Err(ScimType::InvalidValue),
        ),
        (
            "no value",
            user(),
            json!([{"op": "add", "path": "nickName"}]),
            Err(ScimType::InvalidValue),
        ),
        (
            "a value of the wrong type",
            user(),
            json!([{"op": "add", "path": "active", "value": "yes"}]),
            Err(ScimType::InvalidValue),
        ),
        (
            "a path-less value that is not an object",
            user(),
            json!([{"op": "add", "value": "nickName"}]),
            Err(ScimType::InvalidValue),
        ),
        (
            "an unknown attribute",
            user(),
            json!([{"op": "add", "path": "nickname2", "value": "x"}]),
            Err(ScimType::InvalidPath),
        ),
        (
            "a malformed path",
            user(),
            json!([{"op": "add", "path": "emails[type eq \"work\"", "value": "x"}]),
            Err(ScimType::InvalidPath),
        ),
        (
            "a sub-attribute of a simple attribute",
            user(),
            json!([{"op": "add", "path": "userName.first", "value": "x"}]),
            Err(ScimType::InvalidPath),
        ),
        (
            "readOnly id",
            user(),
            json!([{"op": "add", "path": "id", "value": "other"}]),
            Err(ScimType::Mutability),
        ),
        (
            "readOnly meta.created",
            user(),
            json!([{"op": "add", "path": "meta.created", "value": "2020-01-01T00:00:00Z"}]),
            Err(ScimType::Mutability),
        ),
        (
            "readOnly groups",
            user(),
            json!([{"op": "add", "path": "groups", "value": [{"value": "g"}]}]),
            Err(ScimType::Mutability),
        ),
        (
            "valuePath matching nothing: documented noTarget (§3.5.2.1 silent, erratum 8097 held)",
            user(),
            json!([{"op": "add", "path": "emails[type eq \"other\"].display", "value": "x"}]),
            Err(ScimType::NoTarget),
        ),
    ]);
}

/// RFC 7644 §3.5.2.2 "remove".
#[test]
fn remove() {
    use Want::{Err, Is, Same};
    let two = edit(group(), |g| {
        g["members"]
            .as_array_mut()
            .unwrap()
            .push(json!({"value": M2, "display": "Mandy"}));
    });
    run(vec![
        (
            "§3.5.2.2 example: one member by filter",
            two.clone(),
            json!([{"op": "remove", "path": format!("members[value eq \"{M2}\"]")}]),
            Is(group()),
        ),
        (
            "§3.5.2.2 example: all members",
            two.clone(),
            json!([{"op": "remove", "path": "members"}]),
            Is(edit(group(), |g| {
                g.as_object_mut().unwrap().remove("members");
            })),
        ),
        (
            "the last value by filter leaves the attribute unassigned",
            group(),
            json!([{"op": "remove", "path": format!("members[value eq \"{M1}\"]")}]),
            Is(edit(group(), |g| {
                g.as_object_mut().unwrap().remove("members");
            })),
        ),
        (
            "§3.5.2.2 example: remove and add in one request",
            two.clone(),
            json!([{"op": "remove", "path": "members"},
                   {"op": "add", "path": "members", "value": [{"value": M2}]}]),
            Is(edit(group(), |g| g["members"] = json!([{"value": M2}]))),
        ),
        (
            "§3.5.2.2 example: a complex filter on sub-attributes",
            user(),
            json!([{"op": "remove", "path": "emails[type eq \"work\" and value ew \"example.com\"]"}]),
            Is(edit(user(), |u| {
                u["emails"].as_array_mut().unwrap().remove(0);
            })),
        ),
        (
            "filter with or",
            two.clone(),
            json!([{"op": "remove", "path": format!("members[value eq \"{M1}\" or value eq \"{M2}\"]")}]),
            Is(edit(group(), |g| {
                g.as_object_mut().unwrap().remove("members");
            })),
        ),
        (
            "a sub-attribute of the matching values",
            user(),
            json!([{"op": "remove", "path": "addresses[type eq \"work\"].streetAddress"}]),
            Is(edit(user(), |u| {
                u["addresses"][0]
                    .as_object_mut()
                    .unwrap()
                    .remove("streetAddress");
            })),
        ),
        (
            "a sub-attribute of a complex attribute",
            user(),
            json!([{"op": "remove", "path": "name.givenName"}]),
            Is(edit(user(), |u| {
                u["name"].as_object_mut().unwrap().remove("givenName");
            })),
        ),
        (
            "a sub-attribute of every value",
            user(),
            json!([{"op": "remove", "path": "emails.type"}]),
            Is(edit(user(), |u| {
                for e in u["emails"].as_array_mut().unwrap() {
                    e.as_object_mut().unwrap().remove("type");
                }
            })),
        ),
        (
            "the filter ignores case in names and follows caseExact in values",
            two.clone(),
            json!([{"op": "remove", "path": format!("MEMBERS[VALUE eq \"{M2}\"]")}]),
            Is(group()),
        ),
        (
            "members.value has caseExact false (RFC 7643 §8.7.1): another case matches",
            two.clone(),
            json!([{"op": "remove", "path": format!("members[value eq \"{}\"]", M2.to_uppercase())}]),
            Is(group()),
        ),
        (
            "a filter matching nothing: success, no change (documented)",
            two.clone(),
            json!([{"op": "remove", "path": "members[value eq \"nobody\"]"}]),
            Same,
        ),
        (
            "an absent attribute: success, no change (documented)",
            user(),
            json!([{"op": "remove", "path": "nickName"}]),
            Same,
        ),
        (
            "an extension attribute by URN",
            edit(user(), |u| {
                u[ENT] = json!({"employeeNumber": "1", "department": "Tours"});
            }),
            json!([{"op": "remove", "path": format!("{ENT}:employeeNumber")}]),
            Is(edit(user(), |u| u[ENT] = json!({"department": "Tours"}))),
        ),
        (
            "the whole extension by its URN (scim2-tester: a server should accept)",
            edit(user(), |u| {
                u[ENT] = json!({"department": "Tours"});
                u["schemas"].as_array_mut().unwrap().push(json!(ENT));
            }),
            json!([{"op": "remove", "path": ENT}]),
            Is(user()),
        ),
        (
            "§3.5.2.2: no path is noTarget",
            user(),
            json!([{"op": "remove"}]),
            Err(ScimType::NoTarget),
        ),
        (
            "with a value (strict RFC; Entra's form is a Compat switch)",
            two.clone(),
            json!([{"op": "remove", "path": "members", "value": [{"value": M2}]}]),
            Err(ScimType::InvalidValue),
        ),
        (
            "readOnly id",
            user(),
            json!([{"op": "remove", "path": "id"}]),
            Err(ScimType::Mutability),
        ),
        (
            "required userName",
            user(),
            json!([{"op": "remove", "path": "userName"}]),
            Err(ScimType::Mutability),
        ),
        (
            "required displayName of a group",
            group(),
            json!([{"op": "remove", "path": "displayName"}]),
            Err(ScimType::Mutability),
        ),
        (
            "a malformed filter",
            two.clone(),
            json!([{"op": "remove", "path": "members[value eq]"}]),
            Err(ScimType::InvalidPath),
        ),
        (
            "an unknown attribute",
            user(),
            json!([{"op": "remove", "path": "nonexistent"}]),
            Err(ScimType::InvalidPath),
        ),
    ]);
}

/// RFC 7644 §3.5.2.3 "replace".
#[test]
fn replace() {
    use Want::{Err, Is, Same};
    let work = json!({"type": "work", "streetAddress": "911 Universal City Plaza",
                      "locality": "Hollywood", "region": "CA", "postalCode": "91608",
                      "country": "US", "formatted": "911 Universal City Plaza\nHollywood, CA 91608 US",
                      "primary": true});
    run(vec![
        (
            "§3.5.2.3 example: all members",
            group(),
            json!([{"op": "replace", "path": "members", "value": [{"display": "Mandy", "value": M2}]}]),
            Is(edit(group(), |g| {
                g["members"] = json!([{"display": "Mandy", "value": M2}]);
            })),
        ),
        (
            "§3.5.2.3 example: a work address by filter",
            user(),
            json!([{"op": "replace", "path": "addresses[type eq \"work\"]", "value": work.clone()}]),
            Is(edit(user(), |u| u["addresses"][0] = work.clone())),
        ),
        (
            "§3.5.2.3 example: one sub-attribute of the matching values",
            user(),
            json!([{"op": "replace", "path": "addresses[type eq \"work\"].streetAddress", "value": "1010 Broadway Ave"}]),
            Is(edit(user(), |u| {
                u["addresses"][0]["streetAddress"] = json!("1010 Broadway Ave");
            })),
        ),
        (
            "§3.5.2.3 example: no path",
            user(),
            json!([{"op": "replace", "value": {
                "emails": [{"value": "bjensen@example.com", "type": "work", "primary": true}],
                "nickname": "Babs"}}]),
            Is(edit(user(), |u| {
                u["emails"] =
                    json!([{"value": "bjensen@example.com", "type": "work", "primary": true}]);
                u["nickName"] = json!("Babs");
            })),
        ),
        (
            "a complex attribute: named sub-attributes replaced, others kept",
            user(),
            json!([{"op": "replace", "path": "name", "value": {"givenName": "Babs"}}]),
            Is(edit(user(), |u| u["name"]["givenName"] = json!("Babs"))),
        ),
        (
            "a multi-valued attribute without filter: all values replaced",
            user(),
            json!([{"op": "replace", "path": "emails", "value": [{"value": "x@example.com"}]}]),
            Is(edit(user(), |u| {
                u["emails"] = json!([{"value": "x@example.com"}]);
            })),
        ),
        (
            "an absent attribute: treated as add",
            user(),
            json!([{"op": "replace", "path": "title", "value": "Tour Guide"}]),
            Is(edit(user(), |u| u["title"] = json!("Tour Guide"))),
        ),
        (
            "primary moves to the filtered value",
            user(),
            json!([{"op": "replace", "path": "emails[type eq \"home\"].primary", "value": true}]),
            Is(edit(user(), |u| {
                u["emails"][0]["primary"] = json!(false);
                u["emails"][1]["primary"] = json!(true);
            })),
        ),
        (
            "the value already there: no change",
            user(),
            json!([{"op": "replace", "path": "userName", "value": "bjensen"}]),
            Same,
        ),
        (
            "readOnly id with its own value: no change (Okta sends it)",
            user(),
            json!([{"op": "replace", "value": {"id": M1, "userName": "bjensen"}}]),
            Same,
        ),
        (
            "a path-less null unassigns",
            edit(user(), |u| u["title"] = json!("Guide")),
            json!([{"op": "replace", "value": {"title": null}}]),
            Is(user()),
        ),
        (
            "§3.5.2.3: valuePath matching nothing is noTarget",
            user(),
            json!([{"op": "replace", "path": "emails[type eq \"other\"]", "value": {"value": "x@example.com"}}]),
            Err(ScimType::NoTarget),
        ),
        (
            "§3.5.2.3: valuePath.sub matching nothing is noTarget",
            user(),
            json!([{"op": "replace", "path": "addresses[type eq \"other\"].streetAddress", "value": "x"}]),
            Err(ScimType::NoTarget),
        ),
        (
            "readOnly id",
            user(),
            json!([{"op": "replace", "path": "id", "value": "x"}]),
            Err(ScimType::Mutability),
        ),
        (
            "readOnly meta",
            user(),
            json!([{"op": "replace", "path": "meta", "value": {"resourceType": "Group"}}]),
            Err(ScimType::Mutability),
        ),
        (
            "immutable members.value",
            group(),
            json!([{"op": "replace", "path": format!("members[value eq \"{M1}\"].value"), "value": M2}]),
            Err(ScimType::Mutability),
        ),
        (
            "null for a required attribute",
            user(),
            json!([{"op": "replace", "value": {"userName": null}}]),
            Err(ScimType::Mutability),
        ),
        (
            "wrong type for a boolean",
            user(),
            json!([{"op": "replace", "path": "active", "value": "False"}]),
            Err(ScimType::InvalidValue),
        ),
        (
            "an object for a string",
            user(),
            json!([{"op": "replace", "path": "userName", "value": {"value": "x"}}]),
            Err(ScimType::InvalidValue),
        ),
        (
            "an array for a single-valued attribute",
            user(),
            json!([{"op": "replace", "path": "userName", "value": ["a", "b"]}]),
            Err(ScimType::InvalidValue),
        ),
        (
            "an unknown sub-attribute",
            user(),
            json!([{"op": "replace", "path": "name.nickname", "value": "x"}]),
            Err(ScimType::InvalidPath),
        ),
        (
            "readOnly meta.lastModified",
            user(),
            json!([{"op": "replace", "path": "meta.lastModified", "value": "2020-01-01T00:00:00Z"}]),
            Err(ScimType::Mutability),
        ),
    ]);
}

/// `op` values, the request envelope, and all-or-nothing.
#[test]
fn envelope_op_case_and_atomicity() {
    use Want::{Err, Is};
    let renamed = edit(group(), |g| g["displayName"] = json!("Renamed"));
    run(vec![
        // RFC 7644 §3.5.2 ABNF-less text: "op" is one of "add", "remove" or "replace".
        // IdPs send "Add"/"Replace"/"Remove" (Entra); JSON names are case-insensitive in the
        // RFC 7643 §2.1 sense, and scimkit documents that `op` ignores case.
        (
            "Replace",
            group(),
            json!([{"op": "Replace", "path": "displayName", "value": "Renamed"}]),
            Is(renamed.clone()),
        ),
        (
            "REPLACE",
            group(),
            json!([{"op": "REPLACE", "path": "displayName", "value": "Renamed"}]),
            Is(renamed.clone()),
        ),
        (
            "Add",
            group(),
            json!([{"op": "Add", "path": "displayName", "value": "Renamed"}]),
            Is(renamed.clone()),
        ),
        (
            "Remove",
            group(),
            json!([{"op": "Remove", "path": "members"}]),
            Is(edit(group(), |g| {
                g.as_object_mut().unwrap().remove("members");
            })),
        ),
        (
            "an unknown op",
            group(),
            json!([{"op": "merge", "path": "displayName", "value": "x"}]),
            Err(ScimType::InvalidSyntax),
        ),
        (
            "no op",
            group(),
            json!([{"path": "displayName", "value": "x"}]),
            Err(ScimType::InvalidSyntax),
        ),
        (
            "a failing second operation undoes the first",
            group(),
            json!([{"op": "replace", "path": "displayName", "value": "Renamed"},
                   {"op": "replace", "path": "members[value eq \"nobody\"].display", "value": "x"}]),
            Err(ScimType::NoTarget),
        ),
        (
            "a failing third operation undoes an add and a remove",
            group(),
            json!([{"op": "add", "path": "members", "value": [{"value": M2}]},
                   {"op": "remove", "path": format!("members[value eq \"{M1}\"]")},
                   {"op": "add", "path": "id", "value": "x"}]),
            Err(ScimType::Mutability),
        ),
        (
            "operations apply in order",
            group(),
            json!([{"op": "replace", "path": "displayName", "value": "A"},
                   {"op": "replace", "path": "displayName", "value": "Renamed"}]),
            Is(renamed.clone()),
        ),
    ]);
}

/// RFC 7644 §3.5.2: "The body of each request MUST contain the "schemas" attribute with the
/// URI value of "urn:ietf:params:scim:api:messages:2.0:PatchOp"" and "Operations".
#[test]
fn request_body_checks() {
    let op = json!([{"op": "add", "path": "title", "value": "x"}]);
    let read = |body: Value| serde_json::from_value::<PatchOp>(body).map_err(ScimError::from);
    let table = [
        (
            json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "Operations": op}),
            false,
        ),
        (json!({"schemas": [], "Operations": op}), false),
        (json!({"schemas": [PATCH_OP]}), false),
        (
            json!({"schemas": [PATCH_OP], "Operations": {"op": "add"}}),
            false,
        ),
        (
            json!({"schemas": [PATCH_OP.to_uppercase()], "Operations": op}),
            true,
        ),
        (json!({"schemas": [PATCH_OP], "operations": op}), true),
        // RFC 7644 §3.5.2: the body "MUST contain the "schemas" attribute".
        (json!({"Operations": op}), false),
    ];
    for (body, ok) in table {
        match read(body.clone()) {
            Ok(_) => assert!(ok, "{body} was accepted"),
            Err(e) => {
                assert!(!ok, "{body}: {e}");
                assert_eq!(
                    (e.status, e.scim_type),
                    (400, Some(ScimType::InvalidSyntax)),
                    "{body}"
                );
            }
        }
    }
    // At least one operation; an empty list only under Compat (Microsoft's validator).
    let empty = read(json!({"schemas": [PATCH_OP], "Operations": []})).unwrap();
    let err = empty
        .apply(&mut user(), SchemaRegistry::standard())
        .unwrap_err();
    assert_eq!(
        (err.status, err.scim_type),
        (400, Some(ScimType::InvalidValue))
    );
    let mut lenient = Compat::strict();
    lenient.empty_operations = true;
    assert!(
        empty
            .apply_with(&mut user(), SchemaRegistry::standard(), &lenient)
            .is_ok()
    );
}

fn registry_with_immutable() -> SchemaRegistry {
    let mut r = SchemaRegistry::default();
    r.register(Schema::new(
        "urn:example:params:scim:schemas:Badge",
        vec![
            Attribute::new("serial", AttrType::String).with_mutability(Mutability::Immutable),
            Attribute::new("secret", AttrType::String).with_mutability(Mutability::WriteOnly),
            Attribute::new("label", AttrType::String).with_required(true),
            Attribute::new("count", AttrType::Integer),
        ],
    ));
    r.register_resource_type("Badge", "urn:example:params:scim:schemas:Badge", &[]);
    r
}

/// RFC 7644 §3.5.2: "a client MUST NOT modify an attribute that has mutability "readOnly" or
/// "immutable". However, a client MAY "add" a value to an "immutable" attribute if the
/// attribute had no previous value."
#[test]
fn mutability_in_a_custom_schema() {
    use Want::{Err, Is, Same};
    let bare = json!({"schemas": ["urn:example:params:scim:schemas:Badge"], "label": "b"});
    let set = edit(bare.clone(), |b| b["serial"] = json!("S-1"));
    run_with(
        &registry_with_immutable(),
        Compat::strict(),
        vec![
            (
                "add to an unset immutable attribute",
                bare.clone(),
                json!([{"op": "add", "path": "serial", "value": "S-1"}]),
                Is(set.clone()),
            ),
            (
                "add over a set immutable attribute",
                set.clone(),
                json!([{"op": "add", "path": "serial", "value": "S-2"}]),
                Err(ScimType::Mutability),
            ),
            (
                "replace a set immutable attribute",
                set.clone(),
                json!([{"op": "replace", "path": "serial", "value": "S-2"}]),
                Err(ScimType::Mutability),
            ),
            (
                "replace a set immutable attribute with its value",
                set.clone(),
                json!([{"op": "replace", "path": "serial", "value": "S-1"}]),
                Same,
            ),
            (
                "remove a set immutable attribute",
                set.clone(),
                json!([{"op": "remove", "path": "serial"}]),
                Err(ScimType::Mutability),
            ),
            (
                "writeOnly may be written",
                bare.clone(),
                json!([{"op": "replace", "path": "secret", "value": "s"}]),
                Is(edit(bare.clone(), |b| b["secret"] = json!("s"))),
            ),
            (
                "integer accepts an integer",
                bare.clone(),
                json!([{"op": "add", "path": "count", "value": 3}]),
                Is(edit(bare.clone(), |b| b["count"] = json!(3))),
            ),
            (
                "integer refuses a decimal",
                bare.clone(),
                json!([{"op": "add", "path": "count", "value": 3.5}]),
                Err(ScimType::InvalidValue),
            ),
            (
                "integer refuses a string",
                bare.clone(),
                json!([{"op": "add", "path": "count", "value": "3"}]),
                Err(ScimType::InvalidValue),
            ),
            (
                "remove a required attribute",
                bare.clone(),
                json!([{"op": "remove", "path": "label"}]),
                Err(ScimType::Mutability),
            ),
        ],
    );
}

/// Inputs harvested from scim-patch's and SCIMple's suites, with the RFC's answer.
#[test]
fn peer_suite_inputs() {
    use Want::{Err, Is, Same};
    let spider = || {
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "id": "tea_4", "userName": "spiderman", "active": true,
            "name": {"familyName": "Parker", "givenName": "Peter"},
            "emails": [{"value": "spiderman@superheroes.com", "primary": true}],
            "roles": [],
            ENT: {"department": "value"}
        })
    };
    run(vec![
        (
            "a core-URN-qualified path",
            spider(),
            json!([{"op": "replace", "path": "urn:ietf:params:scim:schemas:core:2.0:User:active", "value": false}]),
            Is(edit(spider(), |u| u["active"] = json!(false))),
        ),
        (
            "a core-URN-qualified path-less key wraps core attributes",
            spider(),
            json!([{"op": "replace", "value": {"urn:ietf:params:scim:schemas:core:2.0:User": {"active": false}}}]),
            Is(edit(spider(), |u| u["active"] = json!(false))),
        ),
        (
            "the primary email replaced through `primary eq true`",
            spider(),
            json!([{"op": "replace", "path": "emails[primary eq true]", "value": {"value": "toto@toto.com", "primary": true}}]),
            Is(edit(spider(), |u| {
                u["emails"][0]["value"] = json!("toto@toto.com");
            })),
        ),
        (
            "its value only",
            spider(),
            json!([{"op": "replace", "path": "emails[primary eq true].value", "value": "toto@toto.com"}]),
            Is(edit(spider(), |u| {
                u["emails"][0]["value"] = json!("toto@toto.com");
            })),
        ),
        (
            "dots inside a filter value",
            spider(),
            json!([{"op": "Replace", "path": "emails[value eq \"spiderman@superheroes.com\"].value", "value": "batman@superheroes.com"}]),
            Is(edit(spider(), |u| {
                u["emails"][0]["value"] = json!("batman@superheroes.com");
            })),
        ),
        (
            "an extension attribute",
            spider(),
            json!([{"op": "replace", "path": format!("{ENT}:department"), "value": "newValue"}]),
            Is(edit(spider(), |u| u[ENT]["department"] = json!("newValue"))),
        ),
        (
            "an extension object",
            spider(),
            json!([{"op": "add", "path": ENT, "value": {"division": "d"}}]),
            Is(edit(spider(), |u| u[ENT]["division"] = json!("d"))),
        ),
        (
            "a filter on an empty attribute is noTarget",
            spider(),
            json!([{"op": "replace", "path": "roles[value eq \"bogus\"]", "value": {"value": "x"}}]),
            Err(ScimType::NoTarget),
        ),
        (
            "a filter.sub on an absent attribute is noTarget (Azure AD sends it)",
            spider(),
            json!([{"op": "Replace", "path": "addresses[type eq \"work\"].formatted", "value": "1111 Street Rd"}]),
            Err(ScimType::NoTarget),
        ),
        (
            "a string for a complex attribute",
            spider(),
            json!([{"op": "replace", "path": "name", "value": "BATMAN"}]),
            Err(ScimType::InvalidValue),
        ),
        (
            "an object for an array of complex values",
            spider(),
            json!([{"op": "add", "path": "emails", "value": {"value": "second@superheroes.com"}}]),
            Is(edit(spider(), |u| {
                u["emails"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!({"value": "second@superheroes.com"}));
            })),
        ),
        (
            "removing from an empty attribute",
            spider(),
            json!([{"op": "remove", "path": "roles[value eq \"x\"]"}]),
            Same,
        ),
        (
            "a remove filter on a simple sub-attribute comparison of a boolean",
            spider(),
            json!([{"op": "remove", "path": "emails[primary eq true]"}]),
            Is(edit(spider(), |u| {
                u.as_object_mut().unwrap().remove("emails");
            })),
        ),
        (
            // Table 9 invalidFilter: "the specified attribute and filter comparison
            // combination is not supported" (a malformed path stays invalidPath).
            "a type error inside a filter",
            spider(),
            json!([{"op": "remove", "path": "emails[primary gt true]"}]),
            Err(ScimType::InvalidFilter),
        ),
    ]);
}
