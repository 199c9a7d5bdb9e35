//! Conformance tables for RFC 7643 resources through the public API: §2.1 case-insensitive
//! attribute names, §2.4 multi-valued rules, §2.5 unassigned values, §3 common attributes and
//! `schemas`, §3.3 extensions, §7 mutability and returned as a service provider applies them
//! (RFC 7644 §3.3, §3.5.1), and the §8 example resources through filter, PATCH and projection.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // helpers outside #[test]

use scimkit::provider::Provider;
use scimkit::query::Projection;
use scimkit::{Filter, Group, PatchOp, SchemaRegistry, ScimType, User};
use serde_json::{Value, json};

const CORE: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENT: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/tests/data/resources/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// §2.1: "Attribute names are case insensitive". Each row reads a user written with odd
/// spellings; the typed model writes the schema's spelling.
#[test]
fn attribute_names_ignore_case() {
    let rows = [
        (
            json!({"schemas": [CORE], "USERNAME": "bjensen"}),
            json!({"schemas": [CORE], "userName": "bjensen"}),
        ),
        (
            json!({"Schemas": [CORE], "userName": "b", "Name": {"GIVENNAME": "B", "familyname": "J"}}),
            json!({"schemas": [CORE], "userName": "b", "name": {"givenName": "B", "familyName": "J"}}),
        ),
        (
            json!({"schemas": [CORE], "userName": "b",
                   "EMAILS": [{"Value": "b@example.com", "TYPE": "work", "Primary": true}]}),
            json!({"schemas": [CORE], "userName": "b",
                   "emails": [{"value": "b@example.com", "type": "work", "primary": true}]}),
        ),
        (
            json!({"schemas": [CORE, ENT.to_uppercase()], "userName": "b",
                   ENT.to_uppercase(): {"EmployeeNumber": "7", "MANAGER": {"Value": "m"}}}),
            // The extension's key takes the schema's spelling; `schemas` keeps the URIs sent.
            json!({"schemas": [CORE, ENT.to_uppercase()], "userName": "b",
                   ENT: {"employeeNumber": "7", "manager": {"value": "m"}}}),
        ),
        (
            json!({"schemas": [CORE], "UserName": "b", "Active": true, "ExternalId": "x",
                   "META": {"ResourceType": "User"}}),
            json!({"schemas": [CORE], "userName": "b", "active": true, "externalId": "x",
                   "meta": {"resourceType": "User"}}),
        ),
    ];
    for (input, want) in rows {
        let user = User::from_value(input.clone()).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(user.to_value(), want, "{input}");
    }
    // The same name twice once case is ignored is ambiguous: 400 invalidSyntax.
    for input in [
        json!({"schemas": [CORE], "userName": "a", "USERNAME": "b"}),
        json!({"schemas": [CORE], "userName": "a", "name": {"givenName": "a", "GivenName": "b"}}),
        json!({"schemas": [CORE], "userName": "a", "emails": [{"value": "a", "VALUE": "b"}]}),
    ] {
        let err = User::from_value(input.clone()).unwrap_err();
        assert_eq!(
            (err.status, err.scim_type),
            (400, Some(ScimType::InvalidSyntax)),
            "{input}"
        );
    }
    // Filters and PATCH paths read the same names.
    let schemas = SchemaRegistry::standard();
    let odd = json!({"schemas": [CORE], "USERNAME": "bjensen", "Name": {"GivenName": "Barbara"},
                     ENT.to_uppercase(): {"DEPARTMENT": "Tours"}});
    for f in [
        r#"userName eq "BJENSEN""#,
        r#"name.givenName sw "bar""#,
        &format!(r#"{ENT}:department eq "tours""#),
    ] {
        assert!(
            f.parse::<Filter>().unwrap().matches(&odd, schemas).unwrap(),
            "{f}"
        );
    }
    let mut patched = odd.clone();
    let op: PatchOp = serde_json::from_value(
        json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [
            {"op": "replace", "path": "username", "value": "babs"},
            {"op": "replace", "path": "NAME.givenname", "value": "Babs"},
            {"op": "replace", "path": format!("{ENT}:Department"), "value": "Ops"}
        ]}),
    )
    .unwrap();
    op.apply(&mut patched, schemas).unwrap();
    // Changed under the keys the resource already had, never duplicated.
    assert_eq!(
        patched,
        json!({"schemas": [CORE], "USERNAME": "babs", "Name": {"GivenName": "Babs"},
               ENT.to_uppercase(): {"DEPARTMENT": "Ops"}})
    );
}

/// §2.3: values must have their attribute's type.
#[test]
fn values_have_their_schema_type() {
    for input in [
        json!({"schemas": [CORE], "userName": "b", "active": "true"}),
        json!({"schemas": [CORE], "userName": 42}),
        json!({"schemas": [CORE], "userName": "b", "emails": [{"value": 1}]}),
        json!({"schemas": [CORE], "userName": "b", "name": "Barbara"}),
        json!({"schemas": [CORE], "userName": "b", "meta": {"created": "yesterday"}}),
    ] {
        let err = User::from_value(input.clone()).unwrap_err();
        assert_eq!(err.status, 400, "{input}");
        assert!(
            matches!(
                err.scim_type,
                Some(ScimType::InvalidSyntax | ScimType::InvalidValue)
            ),
            "{input}: {err}"
        );
    }
}

/// §2.5: unassigned, null and `[]` are the same state; §2.4: a multi-valued attribute that
/// is sent as one object, or with `primary` more than once.
#[test]
fn unassigned_and_multi_valued() {
    let schemas = SchemaRegistry::standard();
    for v in [json!(null), json!([])] {
        let user = json!({"schemas": [CORE], "userName": "b", "emails": v});
        for (f, want) in [("emails pr", false), ("emails eq null", true)] {
            assert_eq!(
                f.parse::<Filter>()
                    .unwrap()
                    .matches(&user, schemas)
                    .unwrap(),
                want,
                "{f} on {v}"
            );
        }
    }
    // PATCH replace with [] or null unassigns (§2.5); add of [] adds nothing.
    let mut user = json!({"schemas": [CORE], "userName": "b", "emails": [{"value": "e"}]});
    let op: PatchOp = serde_json::from_value(
        json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "replace", "path": "emails", "value": []}]}),
    )
    .unwrap();
    op.apply(&mut user, schemas).unwrap();
    assert!(user.get("emails").is_none(), "{user}");
}

/// RFC 7644 §3.3 and RFC 7643 §2.2/§3.1: a service provider assigns `id` and `meta`, ignores
/// readOnly input, requires what the schema requires and checks `schemas`.
#[test]
fn service_provider_create() {
    let p = Provider::new("https://example.com/v2");
    let now = chrono::Utc::now();
    let body = json!({
        "schemas": [CORE],
        "userName": "bjensen",
        "id": "client-chosen",
        "meta": {"created": "1999-01-01T00:00:00Z", "resourceType": "Group"},
        "groups": [{"value": "g1"}],
        "name": {"givenName": "Barbara"}
    });
    let user = p.create("User", &body, "2819c223", now, []).unwrap();
    assert_eq!(user["id"], "2819c223");
    assert_eq!(user["meta"]["resourceType"], "User");
    assert_eq!(
        user["meta"]["location"],
        "https://example.com/v2/Users/2819c223"
    );
    assert_ne!(user["meta"]["created"], "1999-01-01T00:00:00Z");
    assert_eq!(user["meta"]["created"], user["meta"]["lastModified"]);
    assert!(user["meta"]["version"].is_string());
    assert!(user.get("groups").is_none(), "groups is readOnly: {user}");
    // (body, status, scimType)
    let rows = [
        (
            json!({"schemas": [CORE]}),
            400,
            Some(ScimType::InvalidValue),
        ),
        (
            json!({"schemas": [CORE], "userName": null}),
            400,
            Some(ScimType::InvalidValue),
        ),
        (json!({"userName": "x"}), 400, Some(ScimType::InvalidSyntax)),
        (
            json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "userName": "x"}),
            400,
            Some(ScimType::InvalidSyntax),
        ),
        (
            json!({"schemas": [CORE], "userName": "x", "active": "yes"}),
            400,
            Some(ScimType::InvalidValue),
        ),
        (
            json!({"schemas": [CORE], "userName": "BJENSEN"}),
            409,
            Some(ScimType::Uniqueness),
        ),
    ];
    for (body, status, t) in rows {
        let err = p.create("User", &body, "x", now, [&user]).unwrap_err();
        assert_eq!((err.status, err.scim_type), (status, t), "{body}: {err}");
    }
    // A group needs its displayName (RFC 7643 §4.2: "REQUIRED").
    let err = p
        .create(
            "Group",
            &json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"]}),
            "g",
            now,
            [],
        )
        .unwrap_err();
    assert_eq!(err.scim_type, Some(ScimType::InvalidValue));
}

/// Every RFC 7643 §8 resource: the default projection leaves out only `password`
/// (returned "never"), a replace with the values it already holds changes nothing, and the
/// typed models read it.
#[test]
fn section_8_examples_through_every_stage() {
    let schemas = SchemaRegistry::standard();
    for name in [
        "rfc7643-8.1-user-minimal",
        "rfc7643-8.2-user-full",
        "rfc7643-8.3-enterprise-user",
        "rfc7643-8.4-group",
    ] {
        let r = fixture(name);
        let mut want = r.clone();
        want.as_object_mut().unwrap().remove("password");
        assert_eq!(Projection::default().apply(&r, schemas), want, "{name}");

        let mut same = r.clone();
        let mut ops = Vec::new();
        for (k, v) in r.as_object().unwrap() {
            if !matches!(
                k.as_str(),
                "schemas" | "id" | "meta" | "groups" | "password"
            ) {
                ops.push(json!({"op": "replace", "path": k, "value": v}));
            }
        }
        let op: PatchOp = serde_json::from_value(json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": ops})).unwrap();
        let out = scimkit::Patcher::new(schemas)
            .apply(&op, &mut same)
            .unwrap();
        assert!(!out.changed, "{name}");
        assert_eq!(same, r, "{name}");

        if name.ends_with("group") {
            Group::from_value(r).unwrap();
        } else {
            User::from_value(r).unwrap();
        }
    }
}
