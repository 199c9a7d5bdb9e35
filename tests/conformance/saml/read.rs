//! The reader: whole documents, prefixes, text nodes, and hostile input.

#![allow(clippy::panic, clippy::expect_used)]

use super::*;

// --- Reader: documents, prefixes, text nodes ---

#[test]
fn reads_a_whole_response() {
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r" Version="2.0">
  <saml2:Issuer xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion">https://sso.jumpcloud.com/saml2/aws</saml2:Issuer>
  <samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>
  <saml2:Assertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a" Version="2.0">
    <ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo/></ds:Signature>
    <saml2:Subject><saml2:NameID>jdoe@example.com</saml2:NameID></saml2:Subject>
    <saml2:AttributeStatement>
      <saml2:Attribute Name="{ROLE}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">
        <saml2:AttributeValue xmlns:xs="http://www.w3.org/2001/XMLSchema"
            xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string">{},{}</saml2:AttributeValue>
      </saml2:Attribute>
      <saml2:Attribute Name="{ROLE_SESSION_NAME}"><saml2:AttributeValue>jdoe@example.com</saml2:AttributeValue></saml2:Attribute>
      <saml2:Attribute Name="{ACCESS_CONTROL_PREFIX}CostCenter"><saml2:AttributeValue>bl<!-- split -->ue</saml2:AttributeValue></saml2:Attribute>
      <saml2:Attribute Name="{ACCESS_CONTROL_PREFIX}Dept"><saml2:AttributeValue><![CDATA[R&D]]></saml2:AttributeValue></saml2:Attribute>
      <saml2:Attribute Name="urn:oid:0.9.2342.19200300.100.1.3" FriendlyName="mail"><saml2:AttributeValue>jdoe@example.com</saml2:AttributeValue></saml2:Attribute>
      <saml2:Attribute Name="urn:oid:1.3.6.1.4.1.5923.1.1.1.10"><saml2:AttributeValue><saml2:NameID>abc</saml2:NameID></saml2:AttributeValue></saml2:Attribute>
      <saml2:EncryptedAttribute><xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#"/></saml2:EncryptedAttribute>
    </saml2:AttributeStatement>
  </saml2:Assertion>
</samlp:Response>"#,
        role_arn("Dev"),
        provider_arn("JumpCloud")
    );
    let s = read(&xml).unwrap_err();
    // `R&D` has `&`, outside the tag alphabet.
    assert_eq!(
        s.attribute(),
        Some(&*format!("{ACCESS_CONTROL_PREFIX}Dept"))
    );
    let xml = xml.replace("R&D", "R+D");
    let s = read(&xml).unwrap();
    assert_eq!(s.roles()[0].role_arn(), role_arn("Dev"));
    assert_eq!(s.role_session_name(), Some("jdoe@example.com"));
    // Comments split text nodes; the value is their concatenation (no comment truncation).
    assert_eq!(s.access_control_value("CostCenter").unwrap(), "blue");
    assert_eq!(s.access_control_value("Dept").unwrap(), "R+D");
    assert_eq!(s.other_attributes().len(), 2);
    assert_eq!(s.other_attributes()[1].values(), ["abc"]);
}

#[test]
fn references_are_resolved() {
    let xml = statement(&attr(
        &format!("{ACCESS_CONTROL_PREFIX}&#x43;ost&#67;enter"),
        &["&#x62;lue"],
    ));
    assert_eq!(
        read(&xml).unwrap(),
        b().access_control("CostCenter", "blue").build().unwrap()
    );
    // A value `&lt;` decodes to `<`, which tag values may not hold.
    let xml = statement(&attr(&format!("{ACCESS_CONTROL_PREFIX}k"), &["a&lt;b"]));
    assert!(matches!(
        err(read(&xml)).tag_error().unwrap().kind(),
        TagErrorKind::InvalidChar { ch: '<', .. }
    ));
    let xml = statement(&attr(&format!("{ACCESS_CONTROL_PREFIX}k"), &["&#1;"]));
    assert!(matches!(
        err(read(&xml)).kind(),
        SamlErrorKind::XmlChar { .. }
    ));
}

#[test]
fn multiple_statements_are_merged_and_checked_together() {
    let one = statement(&attr(&format!("{ACCESS_CONTROL_PREFIX}A"), &["1"]));
    let two = statement(&attr(&format!("{ACCESS_CONTROL_PREFIX}a"), &["2"]));
    let xml = format!("<saml:Assertion {NS}>{one}{two}</saml:Assertion>");
    assert!(matches!(
        err(read(&xml)).kind(),
        SamlErrorKind::DuplicateTagKey { .. }
    ));
    let empty = format!("<saml:Assertion {NS}><saml:Issuer>x</saml:Issuer></saml:Assertion>");
    assert!(read(&empty).unwrap().is_empty());
}

// --- Reader: hostile and malformed input ---

#[test]
fn doctype_and_entities_are_refused() {
    let laughs = format!(
        r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><saml:AttributeStatement {NS}>{}</saml:AttributeStatement>"#,
        attr(&format!("{ACCESS_CONTROL_PREFIX}k"), &["&lol2;"])
    );
    let e = err(read(&laughs));
    assert!(matches!(e.kind(), SamlErrorKind::DocType), "{e}");
    assert!(e.position().is_some());
    let xxe = format!(
        r#"<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><saml:AttributeStatement {NS}/>"#
    );
    assert!(matches!(err(read(&xxe)).kind(), SamlErrorKind::DocType));
    // Without a DTD, any named entity other than the five predefined is undeclared.
    let xml = statement(&attr(&format!("{ACCESS_CONTROL_PREFIX}k"), &["&lol;"]));
    let e = err(read(&xml));
    assert!(matches!(e.kind(), SamlErrorKind::Xml { .. }), "{e}");
    assert!(e.to_string().contains("undeclared entity"), "{e}");
}

#[test]
fn size_bound() {
    let xml = statement(&attr(&format!("{ACCESS_CONTROL_PREFIX}k"), &["v"]));
    let exact = StatementReader::new().max_size(xml.len());
    assert!(exact.read(&xml).is_ok());
    let e = StatementReader::new()
        .max_size(xml.len() - 1)
        .read(&xml)
        .unwrap_err();
    assert!(matches!(e.kind(), SamlErrorKind::TooLarge { .. }));
    let huge = " ".repeat(StatementReader::DEFAULT_MAX_SIZE + 1);
    assert!(matches!(
        err(read(&huge)).kind(),
        SamlErrorKind::TooLarge { .. }
    ));
}

#[test]
fn depth_bound() {
    let nest = |n: usize| {
        format!(
            "<saml:Assertion {NS}>{}{}</saml:Assertion>",
            "<x>".repeat(n - 1),
            "</x>".repeat(n - 1)
        )
    };
    let limit = StatementReader::DEFAULT_MAX_DEPTH;
    assert!(read(&nest(limit)).is_ok());
    assert!(matches!(
        err(read(&nest(limit + 1))).kind(),
        SamlErrorKind::TooDeep { max: 32 }
    ));
    // Deep enough to overflow a recursive parser; refused early, without recursion.
    assert!(matches!(
        err(read(&nest(100_000 / 8))).kind(),
        SamlErrorKind::TooLarge { .. } | SamlErrorKind::TooDeep { .. }
    ));
    // Assertion › AttributeStatement › Attribute › AttributeValue is 4 deep.
    let r = StatementReader::new().max_depth(3);
    let xml = format!(
        "<saml:Assertion {NS}>{}</saml:Assertion>",
        statement(&attr(&format!("{ACCESS_CONTROL_PREFIX}k"), &["v"])).replace(NS, "")
    );
    assert!(matches!(
        r.read(&xml).unwrap_err().kind(),
        SamlErrorKind::TooDeep { max: 3 }
    ));
    assert!(r.max_depth(4).read(&xml).is_ok());
}

#[test]
fn malformed_and_foreign_documents() {
    for (xml, what) in [
        (String::new(), "empty"),
        (format!("<saml:AttributeStatement {NS}>"), "unclosed"),
        (
            format!("<saml:AttributeStatement {NS}></saml:Attribute>"),
            "mismatched",
        ),
        (
            format!("<saml:Assertion {NS}/><saml:Assertion {NS}/>"),
            "two roots",
        ),
        (
            statement(&attr(&format!("{ACCESS_CONTROL_PREFIX}k"), &["a & b"])),
            "bare ampersand",
        ),
        (
            format!("<saml:Assertion {NS}><!-- a -- b --></saml:Assertion>"),
            "double hyphen in comment",
        ),
        (
            format!(
                r#"<saml:AttributeStatement {NS}><saml:Attribute Name="a:b" Name="c:d"/></saml:AttributeStatement>"#
            ),
            "duplicate XML attribute",
        ),
    ] {
        let e = err(read(&xml));
        assert!(matches!(e.kind(), SamlErrorKind::Xml { .. }), "{what}: {e}");
    }
    for xml in [
        "<AttributeStatement/>".to_owned(),
        r#"<saml:AttributeStatement xmlns:saml="urn:oasis:names:tc:SAML:1.0:assertion"/>"#
            .to_owned(),
        format!("<saml:Attribute {NS}/>"),
        "<html><body/></html>".to_owned(),
    ] {
        assert!(
            matches!(err(read(&xml)).kind(), SamlErrorKind::NotSaml { .. }),
            "{xml}"
        );
    }
    for (xml, what) in [
        (statement(r#"<saml:Attribute/>"#), "no Name"),
        (statement("<saml:Foo/>"), "unknown child"),
        (
            statement(r#"<saml:Attribute Name="a:b"><saml:Foo/></saml:Attribute>"#),
            "unknown value element",
        ),
        (
            statement(&attr(
                &format!("{ACCESS_CONTROL_PREFIX}k"),
                &["<saml:NameID>v</saml:NameID>"],
            )),
            "element in an AWS value",
        ),
    ] {
        let e = err(read(&xml));
        assert!(
            matches!(e.kind(), SamlErrorKind::Structure { .. }),
            "{what}: {e}"
        );
    }
}

// Rule 98: AWS attribute names are case-sensitive; a misspelt one is not an AWS attribute.
#[test]
fn aws_names_match_exactly() {
    let misspelt = "https://aws.amazon.com/SAML/Attributes/accessControl:Team";
    let s = read(&statement(&attr(misspelt, &["a\nb"]))).unwrap();
    assert!(s.access_control().is_empty());
    assert_eq!(s.other_attributes()[0].name(), misspelt);
}

#[test]
fn name_attribute_whitespace_is_normalized() {
    // A literal tab in an attribute value reads as a space (XML 1.0 §3.3.3).
    let xml = statement(&attr(
        &format!("{ACCESS_CONTROL_PREFIX}Cost\tCenter"),
        &["v"],
    ));
    assert_eq!(
        read(&xml).unwrap().access_control()[0].key().as_str(),
        "Cost Center"
    );
    let xml = statement(&attr(
        &format!("{ACCESS_CONTROL_PREFIX}Cost&#9;Center"),
        &["v"],
    ));
    assert!(matches!(
        err(read(&xml)).tag_error().unwrap().kind(),
        TagErrorKind::InvalidChar { ch: '\t', .. }
    ));
}

#[test]
fn scim_error_conversion() {
    let e: ScimError = err(b().access_control("k", "a\nb").build()).into();
    assert_eq!((e.status, e.scim_type), (400, Some(ScimType::InvalidValue)));
    assert!(e.detail().unwrap().contains("AccessControl:k"), "{e}");
    let e: ScimError = err(read("<!DOCTYPE x><x/>")).into();
    assert_eq!(
        (e.status, e.scim_type),
        (400, Some(ScimType::InvalidSyntax))
    );
    let e: ScimError = scimkit::TagKey::new("aws:x").unwrap_err().into();
    assert_eq!(e.scim_type, Some(ScimType::InvalidValue));
}

#[test]
fn errors_never_echo_unbounded_input() {
    let e = err(b().role_session_name(&"x".repeat(10_000)).build());
    assert!(e.to_string().len() < 300, "{e}");
    let e = err(b().access_control("k".repeat(10_000), "v").build());
    assert!(e.to_string().len() < 500, "{e}");
}
