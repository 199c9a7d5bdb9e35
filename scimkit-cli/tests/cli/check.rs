//! `check --profile identity-center`.

use serde_json::json;

use crate::run::{data, scimkit, scimkit_with};

#[test]
fn check_lists_what_identity_center_drops() {
    let run = scimkit(&["check", "--profile", "identity-center", &data("user.json")]);
    run.code(0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", run.stdout);
    assert!(
        lines[0].starts_with("phoneNumbers: dropped (rule 22): "),
        "{}",
        lines[0]
    );
    assert_eq!(
        lines[1],
        "photos: dropped (rule 19): attribute not supported by Identity Center"
    );

    let run = scimkit(&["check", "--profile", "identity-center", &data("group.json")]);
    run.code(0);
    assert!(
        run.stdout
            .lines()
            .all(|l| l.starts_with("members.display: dropped (rule 20)"))
    );
}

#[test]
fn fix_prints_the_resource_identity_center_stores() {
    let run = scimkit(&[
        "--compat",
        "jumpcloud",
        "check",
        "--profile",
        "identity-center",
        "--fix",
        &data("user.json"),
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    let user = run.json();
    assert_eq!(
        user["phoneNumbers"],
        json!([{"value": "tel:+1-555-555-0199", "type": "work"}])
    );
    assert!(user.get("photos").is_none() && user.get("Photos").is_none());
    assert_eq!(user["userName"], "ada@example.org");
    // What was changed goes to stderr, one line each.
    assert_eq!(run.stderr.lines().count(), 2, "{}", run.stderr);
    assert!(run.stderr.lines().all(|l| l.starts_with("scimkit: ")));

    // Without the JumpCloud preset the first phone number is kept.
    let run = scimkit(&[
        "check",
        "--profile",
        "identity-center",
        "--fix",
        &data("user.json"),
    ]);
    assert_eq!(run.json()["phoneNumbers"][0]["type"], "mobile");
}

#[test]
fn rejected_resources_exit_1() {
    let user = r#"{"userName": "ada@example.org", "externalId": "1"}"#;
    for fix in [false, true] {
        let mut args = vec!["check", "--profile", "identity-center"];
        if fix {
            args.push("--fix");
        }
        let run = scimkit_with(&args, user);
        run.code(1)
            .error_line("Identity Center would reject the resource");
        assert!(
            run.stdout.contains("displayName: rejected (rule 23)"),
            "{}",
            run.stdout
        );
        assert!(
            !run.stdout.contains('{'),
            "no resource is printed: {}",
            run.stdout
        );
    }
}

#[test]
fn several_resources_are_numbered() {
    let ok = json!({"userName": "a", "displayName": "A", "name": {"givenName": "A", "familyName": "B"}, "externalId": "1"});
    let bad = json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"]});
    let run = scimkit_with(
        &["check", "--profile", "identity-center"],
        &format!("{ok}\n{bad}"),
    );
    run.code(1)
        .error_line("Identity Center would reject 1 of 2 resources");
    assert!(
        run.stdout
            .starts_with("#2: displayName: rejected (rule 44)"),
        "{}",
        run.stdout
    );
}

#[test]
fn check_usage_errors() {
    scimkit(&["check", &data("user.json")])
        .code(2)
        .error_line("expected --profile identity-center");
    scimkit(&["check", "--profile", "okta", &data("user.json")])
        .code(2)
        .error_line("unknown profile `okta`");
    scimkit(&["check", "--profile", "identity-center", "--fix=yes"])
        .code(2)
        .error_line("--fix takes no value");
    scimkit(&[
        "check",
        "--profile",
        "identity-center",
        "/nonexistent/u.json",
    ])
    .code(2)
    .error_line("cannot read /nonexistent/u.json");
}
