//! `tags`.

use crate::run::scimkit;

const AC: &str = "https://aws.amazon.com/SAML/Attributes/AccessControl:";
const PT: &str = "https://aws.amazon.com/SAML/Attributes/PrincipalTag:";

#[test]
fn tags_print_the_attribute_statement() {
    let run = scimkit(&["tags", "--map", "CostCenter=blue", "--map", "Team=a=b"]);
    run.code(0);
    assert!(run.stdout.starts_with(
        "<saml:AttributeStatement xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\">"
    ));
    assert!(run.stdout.contains(&format!(
        r#"<saml:Attribute Name="{AC}CostCenter" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri"><saml:AttributeValue>blue</saml:AttributeValue></saml:Attribute>"#
    )));
    assert!(
        run.stdout
            .contains("<saml:AttributeValue>a=b</saml:AttributeValue>"),
        "the first `=` splits"
    );

    let run = scimkit(&["tags", "--kind", "principal-tag", "--map=Project=Phoenix"]);
    run.code(0);
    assert!(run.stdout.contains(&format!("Name=\"{PT}Project\"")));
    assert!(!run.stdout.contains(AC));
}

#[test]
fn tags_aws_refuses_are_scim_errors() {
    for (map, needle) in [("aws:team=x", "aws:"), ("Team=a\nb", "Team"), ("=x", "")] {
        let run = scimkit(&["tags", "--map", map]);
        run.code(1).error_line(needle);
        run.scim_error("400", "invalidValue");
    }
    let run = scimkit(&["tags", "--map", "Dept=a", "--map", "DEPT=b"]);
    run.code(1);
    run.scim_error("400", "invalidValue");
}

#[test]
fn tags_usage_errors() {
    scimkit(&["tags"])
        .code(2)
        .error_line("expected at least one --map KEY=VALUE");
    scimkit(&["tags", "--map", "CostCenter"])
        .code(2)
        .error_line("--map takes KEY=VALUE, not `CostCenter`");
    scimkit(&["tags", "--map", "a=b", "--kind", "role"])
        .code(2)
        .error_line("--kind is access-control or principal-tag, not `role`");
    scimkit(&["tags", "--map", "a=b", "user.json"])
        .code(2)
        .error_line("unexpected argument `user.json`");
}
