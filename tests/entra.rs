//! What Microsoft Entra ID and its SCIM validator send (issue 15): undeclared schema URNs,
//! `replace` with `null`, the bare-string manager, `externalId` in `/Schemas`, and the answer
//! to a group PATCH, through the core (`Patcher`, `Provider`) the way the client sends them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // helpers outside #[test]

use scimkit::aws::IdentityCenter;
use scimkit::provider::{PatchAnswer, Profile, Provider};
use scimkit::{Compat, PatchOp, Patcher, SchemaRegistry, ScimError, ScimType, SearchRequest};
use serde_json::{Value, json};

const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
const ENT: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
/// The URN Entra's documented Create Group body lists beside the core Group URN.
const ADSCIM: &str = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group";
/// The Enterprise User URN with its last `:` lost.
const TYPO: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0User";

fn now() -> chrono::DateTime<chrono::Utc> {
    "2026-01-01T00:00:00Z".parse().unwrap()
}

fn provider(compat: Compat) -> Provider {
    Provider::new("https://example.com/scim/v2").with_compat(compat)
}

fn request(ops: Value) -> PatchOp {
    serde_json::from_value(json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": ops
    }))
    .unwrap()
}

/// Entra's "Create Group" request body, as Microsoft's provisioning documentation prints it.
fn entra_create_group() -> Value {
    json!({
        "schemas": [GROUP, ADSCIM],
        "externalId": "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
        "displayName": "displayName",
        "meta": {"resourceType": "Group"}
    })
}

/// The resource `p` creates from `body`, as a service would store it.
#[track_caller]
fn stored(p: &Provider, resource_type: &str, body: Value) -> Value {
    p.create(resource_type, &body, "1", now(), []).unwrap()
}

#[track_caller]
fn refused(r: Result<impl std::fmt::Debug, ScimError>, t: ScimType, detail: &str) {
    let e = r.expect_err("should be refused");
    assert_eq!((e.status, e.scim_type), (400, Some(t)), "{e}");
    assert_eq!(e.detail(), Some(detail));
}

// ---- item 1: `schemas` lists only the resource type's schema and declared extensions ----

#[test]
fn entra_create_group_drops_the_undeclared_urn() {
    let p = provider(Compat::entra());
    let group = p
        .create("Group", &entra_create_group(), "g1", now(), [])
        .unwrap();
    assert_eq!(group["schemas"], json!([GROUP]));
    assert_eq!(group["externalId"], "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159");

    // GET and the list answer say what was stored.
    let get = p.respond("Group", &group, &SearchRequest::new()).unwrap();
    assert_eq!(get["schemas"], json!([GROUP]));
    let page = p.list("Group", &SearchRequest::new(), [&group]).unwrap();
    assert_eq!(page.resources[0]["schemas"], json!([GROUP]));

    // PUT with the same body, and PATCH adding the URN, drop it too.
    let put = p
        .replace("Group", &group, &entra_create_group(), now(), [])
        .unwrap();
    assert_eq!(put["schemas"], json!([GROUP]));
    let mut patched = put.clone();
    let op = request(json!([{"op": "add", "value": {"schemas": [ADSCIM], "displayName": "x"}}]));
    p.patch("Group", &mut patched, &op, now(), []).unwrap();
    assert_eq!(patched["schemas"], json!([GROUP]));
    assert_eq!(patched["displayName"], "x");
    let op = request(json!([{"op": "add", "path": "schemas", "value": [ADSCIM]}]));
    p.patch("Group", &mut patched, &op, now(), []).unwrap();
    assert_eq!(patched["schemas"], json!([GROUP]));
}

#[test]
fn strict_refuses_an_undeclared_urn_and_names_it() {
    let p = provider(Compat::strict());
    let detail = format!(
        "`schemas` lists `{ADSCIM}`, which is neither the resource type's schema nor one of its \
         declared extensions (RFC 7643 §3, §6); remove it, or enable \
         Compat::drop_undeclared_schemas"
    );
    refused(
        p.create("Group", &entra_create_group(), "g1", now(), []),
        ScimType::InvalidValue,
        &detail,
    );
    // A declared extension of another resource type is undeclared here.
    let body = json!({"schemas": [GROUP, ENT], "displayName": "Admins"});
    let e = p.create("Group", &body, "g1", now(), []).unwrap_err();
    assert!(e.detail().unwrap().contains(&format!("`{ENT}`")), "{e}");

    let mut group = stored(&p, "Group", json!({"schemas": [GROUP], "displayName": "G"}));
    let before = group.clone();
    let op = request(json!([{"op": "add", "path": "schemas", "value": [ADSCIM]}]));
    refused(
        p.patch("Group", &mut group, &op, now(), []),
        ScimType::InvalidValue,
        &format!("Operations[0]: {detail}"),
    );
    assert_eq!(group, before);

    // A User may list the Enterprise extension it declares.
    let body = json!({"schemas": [USER, ENT], "userName": "bjensen", ENT: {"department": "Tours"}});
    let user = p.create("User", &body, "u1", now(), []).unwrap();
    assert_eq!(user["schemas"], json!([USER, ENT]));
}

#[test]
fn a_typoed_extension_urn_holding_attributes_is_refused_in_every_mode() {
    let body = json!({
        "schemas": [USER, TYPO],
        "userName": "bjensen",
        TYPO: {"department": "Tours"}
    });
    let detail = format!(
        "`{TYPO}` is not a schema of this resource type: the attributes under it cannot be \
         stored (RFC 7643 §3)"
    );
    for compat in [Compat::strict(), Compat::entra(), Compat::lenient()] {
        let p = provider(compat);
        let e = p.create("User", &body, "u1", now(), []).unwrap_err();
        assert_eq!((e.status, e.scim_type), (400, Some(ScimType::InvalidValue)));
        // Strict mode may name the URN in `schemas` first; both name the typo.
        assert!(e.detail().unwrap().contains(TYPO), "{compat:?}: {e}");
        if compat.drop_undeclared_schemas {
            assert_eq!(e.detail(), Some(detail.as_str()));
        }
        // The same object in a path-less PATCH value.
        let mut user = stored(&p, "User", json!({"schemas": [USER], "userName": "b"}));
        let op = request(json!([{"op": "add", "value": {TYPO: {"department": "Tours"}}}]));
        refused(
            p.patch("User", &mut user, &op, now(), []),
            ScimType::InvalidPath,
            &format!("Operations[0]: {detail}"),
        );
    }
}

// ---- item 2: `replace` with `null` unassigns (RFC 7643 §2.5) ----

fn user() -> Value {
    json!({
        "schemas": [USER, ENT],
        "id": "u1",
        "userName": "bjensen",
        "title": "Tour Guide",
        "name": {"givenName": "Barbara", "familyName": "Jensen"},
        "emails": [
            {"value": "b@example.com", "type": "work", "primary": true},
            {"value": "b@home.example", "type": "home"}
        ],
        ENT: {"department": "Tours", "employeeNumber": "701984"}
    })
}

#[test]
fn replace_with_null_unassigns_in_every_mode() {
    let cases = [
        (
            json!({"op": "Replace", "path": "title", "value": null}),
            "/title",
        ),
        (
            json!({"op": "replace", "path": "name.givenName", "value": null}),
            "/name/givenName",
        ),
        (
            json!({"op": "replace", "path": "emails[type eq \"home\"]", "value": null}),
            "/emails/1",
        ),
        (
            json!({"op": "replace", "path": "emails", "value": null}),
            "/emails",
        ),
        (
            json!({"op": "replace", "path": format!("{ENT}:department"), "value": null}),
            "/urn:ietf:params:scim:schemas:extension:enterprise:2.0:User/department",
        ),
        // Path-less: a null attribute in the value (RFC 7644 §3.5.2.3 with RFC 7643 §2.5).
        (json!({"op": "replace", "value": {"title": null}}), "/title"),
    ];
    for compat in [Compat::strict(), Compat::entra()] {
        for (op, gone) in &cases {
            let mut u = user();
            let outcome = Patcher::new(SchemaRegistry::standard())
                .compat(compat)
                .apply(&request(json!([op])), &mut u)
                .unwrap_or_else(|e| panic!("{op}: {e}"));
            assert!(outcome.changed, "{op}");
            assert!(
                user().pointer(gone).is_some() && u.pointer(gone).is_none(),
                "{op}: {u}"
            );
        }
    }
    // Unassigning what is unassigned changes nothing.
    let mut u = json!({"schemas": [USER], "userName": "bjensen"});
    let outcome = Patcher::new(SchemaRegistry::standard())
        .apply(
            &request(json!([{"op": "replace", "path": "title", "value": null}])),
            &mut u,
        )
        .unwrap();
    assert!(!outcome.changed);
}

#[test]
fn replace_with_null_keeps_the_mutability_and_required_rules() {
    let schemas = SchemaRegistry::standard();
    for (op, t, detail) in [
        (
            json!({"op": "replace", "path": "userName", "value": null}),
            ScimType::Mutability,
            "Operations[0]: `userName` is required and cannot be removed",
        ),
        (
            json!({"op": "replace", "path": "id", "value": null}),
            ScimType::Mutability,
            "Operations[0]: `id` is readOnly and cannot be removed",
        ),
        (
            json!({"op": "replace", "path": "emails[type eq \"other\"]", "value": null}),
            ScimType::NoTarget,
            "Operations[0]: the filter on `emails` matches no value, or enable \
             Compat::create_on_missing_value_path",
        ),
        // Without a path, `null` is no set of attributes.
        (
            json!({"op": "replace", "value": null}),
            ScimType::InvalidValue,
            "Operations[0]: `replace` requires a `value` (RFC 7644 §3.5.2.1, §3.5.2.3)",
        ),
    ] {
        let mut u = user();
        let r = Patcher::new(schemas).apply(&request(json!([op])), &mut u);
        refused(r, t, detail);
        assert_eq!(u, user());
    }
    // An immutable value that is set cannot be unassigned either.
    let mut g = json!({"schemas": [GROUP], "displayName": "G", "members": [{"value": "m1"}]});
    let op = request(
        json!([{"op": "replace", "path": "members[value eq \"m1\"].value", "value": null}]),
    );
    refused(
        Patcher::new(schemas).apply(&op, &mut g),
        ScimType::Mutability,
        "Operations[0]: `members.value` is immutable and cannot be removed",
    );
}

// ---- item 3: Entra's bare-string manager ----

#[test]
fn entra_sets_replaces_and_clears_the_manager_with_a_string() {
    let path = format!("{ENT}:manager");
    let p = provider(Compat::entra());
    let mut u = stored(
        &p,
        "User",
        json!({"schemas": [USER], "userName": "bjensen"}),
    );
    let add = request(
        json!([{"op": "Add", "path": path, "value": "26118915-6090-4610-87e4-49d8ca9f808d"}]),
    );
    assert!(p.patch("User", &mut u, &add, now(), []).unwrap().changed);
    assert_eq!(
        u[ENT]["manager"],
        json!({"value": "26118915-6090-4610-87e4-49d8ca9f808d"})
    );
    assert_eq!(u["schemas"], json!([USER, ENT]));
    // The same id again changes nothing.
    assert!(!p.patch("User", &mut u, &add, now(), []).unwrap().changed);

    // Another manager replaces the whole value: the old `$ref` named the old manager.
    u[ENT]["manager"]["$ref"] = json!("https://example.com/scim/v2/Users/26118915");
    let replace = request(json!([{"op": "Replace", "path": path, "value": "b2"}]));
    p.patch("User", &mut u, &replace, now(), []).unwrap();
    assert_eq!(u[ENT]["manager"], json!({"value": "b2"}));

    // `""` unassigns it.
    let clear = request(json!([{"op": "Replace", "path": path, "value": ""}]));
    assert!(p.patch("User", &mut u, &clear, now(), []).unwrap().changed);
    assert!(u[ENT].get("manager").is_none(), "{u}");

    // The path-less forms Entra's validator also sends.
    let op = request(json!([{"op": "Add", "value": {ENT: {"manager": "c3"}}}]));
    p.patch("User", &mut u, &op, now(), []).unwrap();
    assert_eq!(u[ENT]["manager"], json!({"value": "c3"}));
    let op = request(json!([{"op": "Replace", "value": {path.clone(): ""}}]));
    p.patch("User", &mut u, &op, now(), []).unwrap();
    assert!(u[ENT].get("manager").is_none(), "{u}");

    // RFC form still works.
    let op = request(json!([{"op": "add", "path": path, "value": {"value": "d4"}}]));
    p.patch("User", &mut u, &op, now(), []).unwrap();
    assert_eq!(u[ENT]["manager"]["value"], "d4");
}

#[test]
fn strict_refuses_a_string_manager_and_names_the_switch() {
    let p = provider(Compat::strict());
    let mut u = stored(
        &p,
        "User",
        json!({"schemas": [USER], "userName": "bjensen"}),
    );
    let before = u.clone();
    let op = request(json!([{"op": "Add", "path": format!("{ENT}:manager"), "value": "26118915"}]));
    refused(
        p.patch("User", &mut u, &op, now(), []),
        ScimType::InvalidValue,
        "Operations[0]: `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager` expects an object of sub-attributes such as `{\"value\": id}` \
         (RFC 7643 §4.3), or enable Compat::manager_as_string",
    );
    assert_eq!(u, before);
}

// ---- item 4: `externalId` in the published core schemas ----

#[test]
fn schemas_endpoint_publishes_external_id_on_core_schemas() {
    let p = provider(Compat::strict());
    let expected = json!({
        "name": "externalId", "type": "string", "multiValued": false,
        "description": "An identifier for the resource as defined by the provisioning client.",
        "required": false, "caseExact": true, "mutability": "readWrite",
        "returned": "default", "uniqueness": "none"
    });
    for urn in [USER, GROUP] {
        let doc = p.schema_document(urn).unwrap();
        let found: Vec<_> = doc["attributes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["name"] == "externalId")
            .collect();
        assert_eq!(found, [&expected], "{urn}");
    }
    let ent = p.schema_document(ENT).unwrap();
    assert!(
        !ent["attributes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["name"] == "externalId")
    );
    let all = p.schema_documents().unwrap();
    assert!(all.iter().any(|d| {
        d["id"] == GROUP
            && d["attributes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["name"] == "externalId")
    }));

    // Everything else still treats it as common: one value, at the top level, caseExact.
    let body = json!({"schemas": [GROUP], "displayName": "G", "externalId": "Ext-1"});
    let g = p.create("Group", &body, "g1", now(), []).unwrap();
    assert_eq!(g["externalId"], "Ext-1");
    let hit = SearchRequest::from_query_string("filter=externalId+eq+%22Ext-1%22").unwrap();
    let miss = SearchRequest::from_query_string("filter=externalId+eq+%22ext-1%22").unwrap();
    assert_eq!(p.list("Group", &hit, [&g]).unwrap().total_results, 1);
    assert_eq!(p.list("Group", &miss, [&g]).unwrap().total_results, 0);
    let r = SchemaRegistry::standard().resolve("externalId").unwrap();
    assert!(r.schema.is_none());
}

// ---- item 5: what a group PATCH answers ----

#[test]
fn group_patch_answers_no_content_under_entra_and_identity_center() {
    let rfc = provider(Compat::strict());
    assert_eq!(rfc.patch_answer("Group"), PatchAnswer::Resource);
    assert_eq!(rfc.patch_answer("User"), PatchAnswer::Resource);
    let entra = provider(Compat::entra());
    assert_eq!(entra.patch_answer("Group"), PatchAnswer::NoContent);
    assert_eq!(entra.patch_answer("group"), PatchAnswer::NoContent);
    assert_eq!(entra.patch_answer("User"), PatchAnswer::Resource);
    let ic =
        provider(Compat::strict()).with_profile(Profile::IdentityCenter(IdentityCenter::new()));
    assert_eq!(ic.patch_answer("Group"), PatchAnswer::NoContent);
    assert_eq!(ic.patch_answer("User"), PatchAnswer::Resource);
    // The service's own choice wins.
    let mine = entra
        .with_patch_answer("Group", PatchAnswer::Resource)
        .with_patch_answer("User", PatchAnswer::NoContent);
    assert_eq!(mine.patch_answer("Group"), PatchAnswer::Resource);
    assert_eq!(mine.patch_answer("User"), PatchAnswer::NoContent);
}

/// A client that registers what `/Schemas` publishes (so `externalId` is in the core schema)
/// still reads and writes it once, under its one spelling.
#[test]
fn a_registry_built_from_the_published_schemas_handles_external_id_once() {
    let published = provider(Compat::strict()).schema_documents().unwrap();
    let mut r = SchemaRegistry::new();
    r.register_json(&Value::Array(published)).unwrap();
    r.register_resource_type("User", USER, &[ENT]);
    r.register_resource_type("Group", GROUP, &[]);
    let p = Provider::new("https://example.com/scim/v2").with_schemas(r.clone());
    assert!(r.resolve("externalId").unwrap().leaf().case_exact());

    let body = json!({"schemas": [GROUP], "displayName": "G", "EXTERNALID": "Ext-1"});
    let g = stored(&p, "Group", body);
    assert_eq!(g["externalId"], "Ext-1");
    assert!(g.get("EXTERNALID").is_none());
    let typed = scimkit::Group::from_value_with(g.clone(), &r).unwrap();
    assert_eq!(typed.external_id.as_deref(), Some("Ext-1"));
    let put = p
        .replace(
            "Group",
            &g,
            &json!({"schemas": [GROUP], "displayName": "G"}),
            now(),
            [],
        )
        .unwrap();
    assert!(put.get("externalId").is_none(), "{put}");
    let doc = p.schema_document(GROUP).unwrap();
    let n = doc["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["name"] == "externalId")
        .count();
    assert_eq!(n, 1);
}
