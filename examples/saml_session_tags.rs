//! AWS session tags in SAML: build an `AttributeStatement`, write it, read one back.
//!
//! ```sh
//! cargo run --example saml_session_tags            # CostCenter=blue, by hand and mapped from SCIM
//! cargo run --example saml_session_tags -- write DIR
//! ```
//!
//! `write DIR` writes `DIR/statement.xml` (a standalone statement with every attribute kind
//! and values heavy in escaping), `DIR/fragment.xml` (the same statement as a `saml:`-prefixed
//! fragment) and `DIR/expected.json` (the attributes as `[{name, values}]`, in document order).
//! CI validates both files against the OASIS SAML 2.0 schema and reads them with pysaml2.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::Path;
use std::process::ExitCode;

use scimkit::saml::{AccessControlMapping, MissingAttribute, StatementReader, TagErrorKind};
use scimkit::{AttributeStatement, AttributeStatementBuilder, SamlError, SchemaRegistry};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.as_slice() {
        [] => walk_through(),
        [cmd, dir] if cmd == "write" => write_files(Path::new(dir)),
        _ => {
            eprintln!("usage: saml_session_tags [write DIR]");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("saml_session_tags: {e}");
            ExitCode::FAILURE
        }
    }
}

fn walk_through() -> Result<(), Box<dyn std::error::Error>> {
    // JumpCloud's guide passes `CostCenter = blue` as an attribute for access control.
    let statement = AttributeStatementBuilder::new()
        .access_control("CostCenter", "blue")
        .build()?;
    println!(
        "== The statement an IdP sends to IAM Identity Center\n{}\n",
        statement.to_xml_string()
    );

    // The guide's own XML has a line break after `blue`, which the STS tag alphabet forbids.
    let guide = r#"<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">
<saml:AttributeStatement>
<saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/AccessControl:CostCenter">
<saml:AttributeValue>blue
</saml:AttributeValue>
</saml:Attribute>
</saml:AttributeStatement>
</saml:Assertion>"#;
    match StatementReader::new().read(guide) {
        Err(e)
            if matches!(
                e.tag_error().map(|t| t.kind()),
                Some(TagErrorKind::InvalidChar { .. })
            ) =>
        {
            println!("== Reading the guide's XML strictly\nrefused: {e}\n");
        }
        other => return Err(format!("expected a tag error, got {other:?}").into()),
    }
    let lenient = StatementReader::new().trim_values(true).read(guide)?;
    println!(
        "== Reading it with trim_values(true)\nCostCenter = {:?}\n",
        lenient
            .access_control_value("CostCenter")
            .map(|v| v.as_str())
    );

    // Identity Center's attributes for access control, mapped from the SCIM user it holds.
    let mapping = AccessControlMapping::from_entries([
        "CostCenter=${path:enterprise.costCenter}",
        "Department=${path:enterprise.department}",
        "Email=${path:emails[primary eq true].value}",
        r#"City=${path:addresses[type eq "work"].locality}"#,
        "Title=${path:title}",
    ])?;
    let user = serde_json::json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
                    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
        "userName": "jdoe@example.com",
        "name": {"givenName": "Jane", "familyName": "Doe"},
        "displayName": "Jane Doe",
        "emails": [{"value": "jdoe@example.com", "type": "work", "primary": true}],
        "addresses": [{"type": "work", "locality": "Seattle", "primary": true}],
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
            "costCenter": "blue", "department": "Engineering"
        }
    });
    let schemas = SchemaRegistry::default();
    let mapped = AttributeStatementBuilder::new()
        .access_control_from(&mapping, &user, &schemas)
        .build()?;
    println!("== Attributes for access control mapped from the SCIM user (no title: skipped)");
    for tag in mapped.access_control() {
        println!("{} = {}", tag.key(), tag.value());
    }
    match mapping
        .clone()
        .on_missing(MissingAttribute::Error)
        .evaluate(&user, &schemas)
    {
        Err(e) => println!("with MissingAttribute::Error: {e}\n"),
        Ok(tags) => return Err(format!("expected a missing-attribute error, got {tags:?}").into()),
    }

    // Direct IAM federation: a role, a session name and STS session tags.
    let iam = every_kind()?;
    println!(
        "== A statement for AssumeRoleWithSAML\n{}",
        iam.to_xml_string()
    );
    Ok(())
}

/// A statement with every attribute kind and values that exercise escaping.
fn every_kind() -> Result<AttributeStatement, SamlError> {
    AttributeStatementBuilder::new()
        .role(
            "arn:aws:iam::123456789012:role/path/Developer",
            "arn:aws:iam::123456789012:saml-provider/JumpCloud",
        )
        .role(
            "arn:aws:iam::123456789012:role/Admin",
            "arn:aws:iam::123456789012:saml-provider/JumpCloud",
        )
        .role_session_name("jdoe@example.com")
        .session_duration(3600)
        .source_identity("jdoe")
        .principal_tag("Project", "Phoenix")
        .principal_tag("Käse", "Grüße aus Köln")
        .principal_tag("Team:Name", "a_b.c:d/e=f+g-h@i")
        .transitive_tag_key("project")
        .access_control("CostCenter", "blue")
        .access_control("日本語", "東京\u{3000}本社")
        .access_control("Separators", "nbsp\u{a0}line\u{2028}end")
        .access_control("Empty", "")
        .attribute(
            "https://example.com/claims?a=1&b=\"2\"<'3'>",
            [
                "<&\"'>",
                "]]> & ]]&gt;",
                "tab\there, CR\r\nLF",
                "Ünïcødé 😀 עברית",
                "  padded  ",
                "",
            ],
        )
        .attribute("urn:oid:0.9.2342.19200300.100.1.3", ["jdoe@example.com"])
        .build()
}

fn write_files(dir: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let statement = every_kind()?;
    std::fs::create_dir_all(dir)?;
    let mut file = std::fs::File::create(dir.join("statement.xml"))?;
    statement.write_xml(&mut file)?;
    let mut file = std::fs::File::create(dir.join("fragment.xml"))?;
    statement.write_xml_fragment(&mut file, "saml")?;

    // What the statement should read back as: the input, spelled out by attribute name.
    let back = StatementReader::new().read(&statement.to_xml_string())?;
    if back != statement {
        return Err("our own reader disagrees with the writer".into());
    }
    let aws = "https://aws.amazon.com/SAML/Attributes/";
    let mut expected = vec![
        serde_json::json!({"name": format!("{aws}Role"),
            "values": statement.roles().iter().map(|r| r.as_str()).collect::<Vec<_>>()}),
        serde_json::json!({"name": format!("{aws}RoleSessionName"), "values": [statement.role_session_name()]}),
        serde_json::json!({"name": format!("{aws}SessionDuration"),
            "values": [statement.session_duration().map(|d| d.to_string())]}),
        serde_json::json!({"name": format!("{aws}SourceIdentity"), "values": [statement.source_identity()]}),
    ];
    for t in statement.principal_tags() {
        expected.push(serde_json::json!({"name": format!("{aws}PrincipalTag:{}", t.key()), "values": [t.value().as_str()]}));
    }
    expected.push(
        serde_json::json!({"name": format!("{aws}TransitiveTagKeys"),
        "values": statement.transitive_tag_keys().iter().map(|k| k.as_str()).collect::<Vec<_>>()}),
    );
    for t in statement.access_control() {
        expected.push(serde_json::json!({"name": format!("{aws}AccessControl:{}", t.key()), "values": [t.value().as_str()]}));
    }
    for a in statement.other_attributes() {
        expected.push(serde_json::json!({"name": a.name(), "values": a.values()}));
    }
    std::fs::write(
        dir.join("expected.json"),
        serde_json::to_string_pretty(&expected)?,
    )?;
    println!("wrote {}", dir.display());
    Ok(())
}
