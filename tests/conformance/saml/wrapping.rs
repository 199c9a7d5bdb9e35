//! Issue 17: only `Assertion/AttributeStatement` is read. A statement elsewhere, or a second
//! assertion, is the shape of XML signature wrapping and refuses the document.

#![allow(clippy::panic, clippy::expect_used)]

use super::*;

const PROTOCOL: &str = r#"xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol""#;

fn team(value: &str) -> String {
    statement(&attr(&format!("{ACCESS_CONTROL_PREFIX}Team"), &[value]))
}

/// A Response holding `body` after its issuer.
fn response(body: &str) -> String {
    format!(
        "<samlp:Response {PROTOCOL} {NS} ID=\"_r\"><saml:Issuer>idp</saml:Issuer>{body}</samlp:Response>"
    )
}

fn assertion(id: &str, body: &str) -> String {
    format!(
        "<saml:Assertion {NS} ID=\"{id}\"><saml:Issuer>idp</saml:Issuer>{body}</saml:Assertion>"
    )
}

#[track_caller]
fn refused(r: Result<AttributeStatement, SamlError>, message: &str) -> SamlError {
    let e = err(r);
    assert_eq!(e.kind().to_string(), message);
    let scim = ScimError::from(&e);
    assert_eq!(
        (scim.status, scim.scim_type),
        (400, Some(ScimType::InvalidSyntax))
    );
    e
}

const MISPLACED: &str =
    "saml:AttributeStatement outside the document's saml:Assertion (possible signature wrapping)";
const MULTIPLE: &str = "more than one saml:Assertion: choose the signed one by its ID";

#[test]
fn a_statement_wrapped_in_extensions_is_refused() {
    let xml = response(&format!(
        "<samlp:Extensions>{}</samlp:Extensions>{}",
        team("admins"),
        assertion("_a", &team("blue"))
    ));
    let e = refused(read(&xml), MISPLACED);
    assert!(e.position().is_some());
    refused(StatementReader::new().read_assertion(&xml, "_a"), MISPLACED);
}

#[test]
fn a_statement_under_a_foreign_element_is_refused() {
    for body in [
        format!("<x:Wrap xmlns:x=\"urn:x\">{}</x:Wrap>", team("admins")),
        format!("<saml:Subject>{}</saml:Subject>", team("admins")),
        format!("<saml:Advice>{}</saml:Advice>", team("admins")),
    ] {
        let xml = assertion("_a", &format!("{}{body}", team("blue")));
        refused(read(&xml), MISPLACED);
        let xml = response(&assertion("_a", &body));
        refused(read(&xml), MISPLACED);
    }
    // Directly in the Response, beside the assertion.
    refused(
        read(&response(&format!(
            "{}{}",
            team("admins"),
            assertion("_a", "")
        ))),
        MISPLACED,
    );
}

#[test]
fn a_second_assertion_is_refused_unless_one_is_chosen() {
    let signed = assertion("_a", &team("blue"));
    let forged = assertion("_b", &team("admins"));
    let xml = response(&format!("{signed}{forged}"));
    refused(read(&xml), MULTIPLE);
    let reader = StatementReader::new();
    let s = reader.read_assertion(&xml, "_a").unwrap();
    assert_eq!(s.access_control_value("Team").unwrap(), "blue");
    let s = reader.read_assertion(&xml, "_b").unwrap();
    assert_eq!(s.access_control_value("Team").unwrap(), "admins");
    // An assertion nested in another counts, even without statements.
    let nested = assertion(
        "_a",
        &format!("<saml:Advice>{}</saml:Advice>", assertion("_n", "")),
    );
    refused(read(&nested), MULTIPLE);
    assert!(reader.read_assertion(&nested, "_a").unwrap().is_empty());
}

#[test]
fn the_chosen_id_names_one_top_level_assertion() {
    let reader = StatementReader::new();
    let xml = response(&assertion("_a", &team("blue")));
    for (id, xml, message) in [
        ("_x", xml.clone(), r#"no element has ID "_x""#),
        (
            "_r",
            xml.clone(),
            r#"ID "_r" is not a top-level saml:Assertion's"#,
        ),
        (
            // The signed ID on a wrapper as well as on the assertion read.
            "_a",
            response(&format!(
                "<samlp:Extensions ID=\"_a\"/>{}",
                assertion("_a", &team("blue"))
            )),
            r#"2 elements have ID "_a" (possible signature wrapping)"#,
        ),
        (
            "_n",
            assertion(
                "_a",
                &format!("<saml:Advice>{}</saml:Advice>", assertion("_n", "")),
            ),
            r#"ID "_n" is not a top-level saml:Assertion's"#,
        ),
        (
            "_s",
            team("blue").replace(
                "<saml:AttributeStatement",
                "<saml:AttributeStatement ID=\"_s\"",
            ),
            r#"ID "_s" is not a top-level saml:Assertion's"#,
        ),
    ] {
        let e = refused(reader.read_assertion(&xml, id), message);
        assert!(matches!(e.kind(), SamlErrorKind::AssertionId { .. }), "{e}");
    }
}

#[test]
fn statements_in_the_one_assertion_are_still_read() {
    // A bare statement, a bare assertion, a Response's assertion with two statements.
    assert!(read(&team("blue")).is_ok());
    assert!(read(&assertion("_a", &team("blue"))).is_ok());
    let two = format!(
        "{}{}",
        team("blue"),
        statement(&attr(&format!("{ACCESS_CONTROL_PREFIX}Dept"), &["x"]))
    );
    let s = read(&response(&assertion("_a", &two))).unwrap();
    assert_eq!(s.access_control_value("Dept").unwrap(), "x");
    let s = StatementReader::new()
        .read_assertion(&response(&assertion("_a", &two)), "_a")
        .unwrap();
    assert_eq!(s.access_control_value("Team").unwrap(), "blue");
}
