//! Every strict refusal that a [`Compat`] switch would accept names that switch, verbatim, in
//! its error detail; and with only that switch on, the same input is accepted.

use serde_json::{Value, json};

use crate::error::ScimError;
use crate::provider::Provider;
use crate::{Compat, Filter, PatchOp, Patcher, SchemaRegistry, SearchRequest};

const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
const ENT: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/// The switch called `name`. The pattern names every field, so a new switch does not compile
/// until it is listed here, and then [`SWITCHES`] and the table fail until it has a row.
fn flag<'c>(c: &'c mut Compat, name: &str) -> &'c mut bool {
    let Compat {
        filter_value_path_sub_attribute,
        string_booleans,
        remove_with_value,
        dotted_keys_in_value,
        create_on_missing_value_path,
        empty_operations,
        drop_undeclared_schemas,
        manager_as_string,
    } = c;
    match name {
        "filter_value_path_sub_attribute" => filter_value_path_sub_attribute,
        "string_booleans" => string_booleans,
        "remove_with_value" => remove_with_value,
        "dotted_keys_in_value" => dotted_keys_in_value,
        "create_on_missing_value_path" => create_on_missing_value_path,
        "empty_operations" => empty_operations,
        "drop_undeclared_schemas" => drop_undeclared_schemas,
        "manager_as_string" => manager_as_string,
        _ => panic!("no switch {name}"),
    }
}

const SWITCHES: [&str; 8] = [
    "filter_value_path_sub_attribute",
    "string_booleans",
    "remove_with_value",
    "dotted_keys_in_value",
    "create_on_missing_value_path",
    "empty_operations",
    "drop_undeclared_schemas",
    "manager_as_string",
];

fn user() -> Value {
    json!({
        "schemas": [USER], "id": "u1", "userName": "bjensen", "active": true,
        "name": {"givenName": "Barbara"},
        "emails": [{"value": "b@example.com", "type": "work"}]
    })
}

fn group() -> Value {
    json!({"schemas": [GROUP], "id": "g1", "displayName": "G", "members": [{"value": "m1"}]})
}

fn patch(c: Compat, mut resource: Value, ops: Value) -> Result<(), ScimError> {
    let op: PatchOp = serde_json::from_value(json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": ops
    }))?;
    Patcher::new(SchemaRegistry::standard())
        .compat(c)
        .apply(&op, &mut resource)
        .map(drop)
}

fn create(c: Compat, resource_type: &str, body: Value) -> Result<(), ScimError> {
    let now = chrono::DateTime::UNIX_EPOCH;
    Provider::new("https://example.com/scim/v2")
        .with_compat(c)
        .create(resource_type, &body, "1", now, [])
        .map(drop)
}

/// A request under a given `Compat`.
type Run = fn(Compat) -> Result<(), ScimError>;

type Case = (&'static str, &'static str, Run);

/// (switch, what the client sends, the request under a given `Compat`).
const CASES: &[Case] = &[
    (
        "filter_value_path_sub_attribute",
        "Filter::parse_with",
        |c| {
            Filter::parse_with(r#"emails[type eq "work"].value eq "x""#, &c)
                .map(drop)
                .map_err(ScimError::from)
        },
    ),
    (
        "filter_value_path_sub_attribute",
        "GET /Users?filter=",
        |c| {
            let q = "filter=emails%5Btype+eq+%22work%22%5D.value+eq+%22b%40example.com%22";
            let request = SearchRequest::from_query_string(q)?;
            Provider::new("https://example.com/scim/v2")
                .with_compat(c)
                .list("User", &request, [&user()])
                .map(drop)
        },
    ),
    ("string_booleans", "PATCH \"active\": \"False\"", |c| {
        patch(
            c,
            user(),
            json!([{"op": "Replace", "path": "active", "value": "False"}]),
        )
    }),
    (
        "string_booleans",
        "PATCH path-less \"active\": \"False\"",
        |c| {
            patch(
                c,
                user(),
                json!([{"op": "replace", "value": {"active": "False"}}]),
            )
        },
    ),
    ("string_booleans", "POST \"active\": \"True\"", |c| {
        create(
            c,
            "User",
            json!({"schemas": [USER], "userName": "b", "active": "True"}),
        )
    }),
    (
        "remove_with_value",
        "PATCH remove members with a value",
        |c| {
            patch(
                c,
                group(),
                json!([{"op": "Remove", "path": "members", "value": [{"value": "m1"}]}]),
            )
        },
    ),
    (
        "dotted_keys_in_value",
        "PATCH path-less name.givenName",
        |c| {
            patch(
                c,
                user(),
                json!([{"op": "replace", "value": {"name.givenName": "Babs"}}]),
            )
        },
    ),
    (
        "dotted_keys_in_value",
        "PATCH path-less URN-qualified key",
        |c| {
            let key = format!("{ENT}:department");
            patch(c, user(), json!([{"op": "add", "value": {key: "Tours"}}]))
        },
    ),
    (
        "create_on_missing_value_path",
        "PATCH replace emails[type eq \"home\"].value",
        |c| {
            let path = r#"emails[type eq "home"].value"#;
            patch(
                c,
                user(),
                json!([{"op": "replace", "path": path, "value": "b@home.example"}]),
            )
        },
    ),
    (
        "create_on_missing_value_path",
        "PATCH replace emails[type eq \"home\"] with null",
        |c| {
            let path = r#"emails[type eq "home"]"#;
            patch(
                c,
                user(),
                json!([{"op": "replace", "path": path, "value": null}]),
            )
        },
    ),
    ("empty_operations", "PATCH with no operations", |c| {
        patch(c, user(), json!([]))
    }),
    (
        "drop_undeclared_schemas",
        "POST Entra's Create Group body",
        |c| {
            let adscim = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group";
            create(
                c,
                "Group",
                json!({"schemas": [GROUP, adscim], "displayName": "G"}),
            )
        },
    ),
    ("drop_undeclared_schemas", "PATCH add to schemas", |c| {
        patch(
            c,
            group(),
            json!([{"op": "add", "path": "schemas", "value": [ENT]}]),
        )
    }),
    ("manager_as_string", "PATCH a bare manager id", |c| {
        let path = format!("{ENT}:manager");
        patch(
            c,
            user(),
            json!([{"op": "Add", "path": path, "value": "26118915"}]),
        )
    }),
];

#[test]
fn every_strict_refusal_names_its_switch() {
    for name in SWITCHES {
        assert!(CASES.iter().any(|(n, ..)| *n == name), "no case for {name}");
    }
    for (name, what, run) in CASES {
        let e = run(Compat::strict()).expect_err(what);
        let detail = e.detail().unwrap_or_default();
        let needle = format!("Compat::{name}");
        assert!(
            detail.contains(&needle),
            "{what}: `{detail}` lacks {needle}"
        );
        let mut only = Compat::strict();
        *flag(&mut only, name) = true;
        run(only).unwrap_or_else(|e| panic!("{what} under {name} alone: {e}"));
    }
}

#[test]
fn refusals_no_switch_accepts_name_none() {
    let cases: [(&str, Run); 4] = [
        // A request body never takes the PATCH-only dotted-key switch.
        ("POST name.givenName", |c| {
            create(
                c,
                "User",
                json!({"schemas": [USER], "userName": "b", "name.givenName": "B"}),
            )
        }),
        ("POST URN-qualified key", |c| {
            let key = format!("{ENT}:department");
            create(
                c,
                "User",
                json!({"schemas": [USER], "userName": "b", key: "Tours"}),
            )
        }),
        // `remove` with a value filter and a `value`: no switch accepts both.
        ("PATCH remove members[…] with a value", |c| {
            let path = r#"members[value eq "m1"]"#;
            patch(
                c,
                group(),
                json!([{"op": "remove", "path": path, "value": [{"value": "m1"}]}]),
            )
        }),
        // A string that is no boolean spelling.
        ("PATCH \"active\": \"yes\"", |c| {
            patch(
                c,
                user(),
                json!([{"op": "replace", "path": "active", "value": "yes"}]),
            )
        }),
    ];
    for (what, run) in cases {
        for c in [Compat::strict(), Compat::lenient()] {
            let e = run(c).expect_err(what);
            let detail = e.detail().unwrap_or_default();
            assert!(!detail.contains("Compat::"), "{what}: {detail}");
        }
    }
    assert_eq!(
        create(
            Compat::strict(),
            "User",
            json!({"schemas": [USER], "userName": "b", "name.givenName": "B"})
        )
        .unwrap_err()
        .detail(),
        Some(
            "`name.givenName` is not an attribute name: a request body holds sub-attributes \
             inside their attribute's object and extension attributes under their schema's URN \
             (RFC 7643 §3)"
        )
    );
}
