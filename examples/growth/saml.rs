//! Growth cases for the `saml` area (issue 17 item 7): reading a document of n attributes,
//! and choosing one of n assertions by its ID, with the size bound lifted.

use scimkit::saml::StatementReader;

use crate::measured;

/// Cases of this area.
pub(crate) const CASES: &[crate::Case] = &[
    ("saml-read-attributes", 500, attributes),
    ("saml-read-assertion-by-id", 500, assertions),
];

const NS: &str = r#"xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion""#;
const PROTOCOL: &str = r#"xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol""#;

fn statement(n: usize, tag: usize) -> String {
    let attrs: String = (0..n)
        .map(|i| {
            format!(
                r#"<saml:Attribute Name="urn:x:{tag}:{i}"><saml:AttributeValue>v{i}</saml:AttributeValue></saml:Attribute>"#
            )
        })
        .collect();
    format!("<saml:AttributeStatement>{attrs}</saml:AttributeStatement>")
}

fn reader() -> StatementReader {
    StatementReader::new().max_size(usize::MAX)
}

fn attributes(n: usize) {
    let xml = format!(
        "<saml:Assertion {NS} ID=\"_a\">{}</saml:Assertion>",
        statement(n, 0)
    );
    let s = measured(|| reader().read(&xml).unwrap());
    assert_eq!(s.other_attributes().len(), n);
}

fn assertions(n: usize) {
    let body: String = (0..n)
        .map(|i| {
            format!(
                "<saml:Assertion ID=\"_{i}\">{}</saml:Assertion>",
                statement(4, i)
            )
        })
        .collect();
    let xml = format!("<samlp:Response {PROTOCOL} {NS}>{body}</samlp:Response>");
    let id = format!("_{}", n - 1);
    let s = measured(|| reader().read_assertion(&xml, &id).unwrap());
    assert_eq!(s.other_attributes().len(), 4);
}
