//! `patch` and `diff`.

use serde_json::{Value, json};

use crate::run::{data, scimkit, scimkit_with, temp_file};

fn get_ci<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v.as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

#[test]
fn patch_applies_entras_request_with_its_preset() {
    let run = scimkit(&[
        "--compat",
        "entra",
        "patch",
        &data("entra-patch.json"),
        &data("group.json"),
    ]);
    run.code(0);
    let group = run.json();
    assert_eq!(group["displayName"], "Engineering (AWS)");
    assert_eq!(
        group["members"],
        json!([
            {"value": "9b2f4c1e-51e0-4b5d-a1d4-6c3e1f0a7b21", "display": "Ada Lovelace"},
            {"value": "7a1c3e5f-9b2d-4f6a-8c0e-1d3b5f7a9c2e"}
        ])
    );
}

#[test]
fn patch_refuses_what_strict_rfc_7644_refuses() {
    let run = scimkit(&["patch", &data("entra-patch.json"), &data("group.json")]);
    run.code(1).error_line("400 invalidValue: Operations[2]");
    let body = run.scim_error("400", "invalidValue");
    assert!(
        body["detail"].as_str().unwrap().contains("remove"),
        "{body}"
    );
}

#[test]
fn patch_reads_the_resource_from_stdin() {
    let ops = temp_file(
        "ops.json",
        r#"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "replace", "path": "NAME.givenName", "value": "Augusta"}]}"#,
    );
    let run = scimkit_with(
        &["patch", &ops],
        r#"{"userName": "ada", "Name": {"GivenName": "Ada"}}"#,
    );
    run.code(0);
    // One `name` and one `givenName`, whatever spelling the applier keeps.
    let user = run.json();
    let name = get_ci(&user, "name").expect("name");
    assert_eq!(name.as_object().unwrap().len(), 1);
    assert_eq!(get_ci(name, "givenName"), Some(&json!("Augusta")));
    let _ = std::fs::remove_file(ops);
}

#[test]
fn patch_errors() {
    let no_target = temp_file(
        "no-target.json",
        r#"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "replace", "path": "emails[type eq \"home\"].value", "value": "x"}]}"#,
    );
    let run = scimkit(&["patch", &no_target, &data("user.json")]);
    run.code(1).error_line("400 noTarget");
    run.scim_error("400", "noTarget");

    let read_only = temp_file(
        "read-only.json",
        r#"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "replace", "path": "id", "value": "x"}]}"#,
    );
    scimkit(&["patch", &read_only, &data("user.json")])
        .code(1)
        .scim_error("400", "mutability");

    let not_a_patch = temp_file("not-a-patch.json", r#"{"Operations": "replace"}"#);
    let run = scimkit(&["patch", &not_a_patch, &data("user.json")]);
    run.code(1).error_line("not a PatchOp request");
    run.scim_error("400", "invalidSyntax");

    let run = scimkit(&["patch", "/nonexistent/ops.json", &data("user.json")]);
    run.code(2).error_line("cannot read /nonexistent/ops.json");
    scimkit(&["patch"]).code(2).error_line("expected OPS_FILE");
    for f in [no_target, read_only, not_a_patch] {
        let _ = std::fs::remove_file(f);
    }
}

#[test]
fn diff_prints_the_patch_request() {
    let run = scimkit(&["diff", &data("user.json"), &data("user-updated.json")]);
    run.code(0);
    let request = run.json();
    assert_eq!(
        request["schemas"],
        json!(["urn:ietf:params:scim:api:messages:2.0:PatchOp"])
    );
    assert_eq!(
        request["Operations"][0],
        json!({"op": "remove", "path": "phoneNumbers"})
    );
    assert_eq!(request["Operations"][1]["value"]["title"], "Lead Analyst");

    // Equivalent resources (names differ only in case): no operations.
    let new = temp_file(
        "same.json",
        r#"{"userName": "ada", "name": {"givenName": "Ada"}}"#,
    );
    let run = scimkit_with(
        &["diff", "-", &new],
        r#"{"UserName": "ada", "NAME": {"GIVENNAME": "Ada"}}"#,
    );
    run.code(0);
    assert_eq!(run.json()["Operations"], json!([]));
    let _ = std::fs::remove_file(new);
}

#[test]
fn diff_then_patch_reaches_the_new_resource() {
    let run = scimkit(&["diff", &data("user.json"), &data("user-updated.json")]);
    run.code(0);
    let ops = temp_file("diff.json", &run.stdout);
    let patched = scimkit(&["patch", &ops, &data("user.json")]);
    patched.code(0);
    // Diffing the result against the target leaves nothing to do.
    let again = scimkit_with(&["diff", "-", &data("user-updated.json")], &patched.stdout);
    again.code(0);
    assert_eq!(again.json()["Operations"], json!([]));
    let _ = std::fs::remove_file(ops);
}

#[test]
fn diff_errors() {
    scimkit(&["diff", &data("user.json")])
        .code(2)
        .error_line("expected OLD and NEW");
    scimkit(&["diff", "-", "-"])
        .code(2)
        .error_line("only one of OLD and NEW can be stdin");
    scimkit(&["diff", &data("user.json"), "/nonexistent/new.json"])
        .code(2)
        .error_line("cannot read /nonexistent/new.json");
    let run = scimkit_with(&["diff", "-", &data("user.json")], "[1, 2");
    run.code(1).error_line("400 invalidSyntax");
}
