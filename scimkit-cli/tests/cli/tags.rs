//! `tags`.

use crate::run::{data, scimkit, scimkit_with};

const AC: &str = "https://aws.amazon.com/SAML/Attributes/AccessControl:";
const PT: &str = "https://aws.amazon.com/SAML/Attributes/PrincipalTag:";

#[test]
fn tags_evaluate_the_mapping_against_the_user() {
    let run = scimkit(&[
        "tags",
        "--map",
        "CostCenter=${path:enterprise.costCenter}",
        "--map=Email=${path:emails[primary eq true].value}",
        "--map",
        "Manager=${path:enterprise.manager.value}", // absent: no tag
        &data("user.json"),
    ]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert_eq!(
        run.stderr,
        "scimkit: no tag for Manager: the user has no value at the path \
         (source ${path:enterprise.manager.value})\n"
    );
    assert_eq!(
        run.stdout,
        format!(
            "<saml:AttributeStatement xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\">\
             <saml:Attribute Name=\"{AC}CostCenter\" NameFormat=\"urn:oasis:names:tc:SAML:2.0:attrname-format:uri\">\
             <saml:AttributeValue>blue</saml:AttributeValue></saml:Attribute>\
             <saml:Attribute Name=\"{AC}Email\" NameFormat=\"urn:oasis:names:tc:SAML:2.0:attrname-format:uri\">\
             <saml:AttributeValue>ada@example.org</saml:AttributeValue></saml:Attribute>\
             </saml:AttributeStatement>\n"
        )
    );

    let run = scimkit_with(
        &[
            "tags",
            "--kind",
            "principal-tag",
            "--map",
            "Project=${path:title}",
        ],
        r#"{"userName": "a", "TITLE": "Phoenix"}"#,
    );
    run.code(0);
    assert!(
        run.stdout.contains(&format!("Name=\"{PT}Project\"")),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("<saml:AttributeValue>Phoenix</saml:AttributeValue>")
    );
    assert!(!run.stdout.contains(AC));
}

#[test]
fn tags_refused_by_aws_are_scim_errors() {
    let user = data("user.json");
    let cases = [
        (
            &["--map", "Cost=${path:enterprise.costCentre}"][..],
            "400",
            "invalidPath",
            "no schema defines the attribute",
        ),
        (
            &["--map", "CostCenter=blue"],
            "400",
            "invalidPath",
            "expected an entry",
        ),
        (
            &["--map", "Phone=${path:phoneNumbers.value}"],
            "400",
            "invalidValue",
            "selects 2 values",
        ),
        (
            &["--map", "aws:team=${path:title}"],
            "400",
            "invalidValue",
            "aws:",
        ),
        (
            &["--map", "Dept=${path:title}", "--map", "DEPT=${path:title}"],
            "400",
            "invalidValue",
            "mapped twice",
        ),
    ];
    for (maps, status, scim_type, needle) in cases {
        let mut args = vec!["tags"];
        args.extend(maps);
        args.push(&user);
        let run = scimkit(&args);
        run.code(1).error_line(needle);
        run.scim_error(status, scim_type);
    }
    // A value AWS would refuse: a line break.
    let run = scimkit_with(
        &["tags", "--map", "Title=${path:title}"],
        r#"{"title": "a\nb"}"#,
    );
    run.code(1).scim_error("400", "invalidValue");
}

#[test]
fn tags_usage_errors() {
    scimkit(&["tags"])
        .code(2)
        .error_line("expected at least one --map KEY=EXPR");
    scimkit(&["tags", "--map", "a=${path:title}", "--kind", "role"])
        .code(2)
        .error_line("--kind is access-control or principal-tag, not `role`");
    scimkit(&["tags", "--map", "a=${path:title}", "a.json", "b.json"])
        .code(2)
        .error_line("unexpected argument `b.json`");
    scimkit(&["tags", "--map", "a=${path:title}", "/nonexistent/u.json"])
        .code(2)
        .error_line("cannot read /nonexistent/u.json");
}
