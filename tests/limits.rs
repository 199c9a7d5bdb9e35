//! Input safety: every resource bound the crate documents (the "Input safety" section of the
//! crate docs), checked at the edge through the public API. Past a bound an input gets a SCIM
//! error — never a panic, a stack overflow or work out of proportion to its size.

#![allow(clippy::unwrap_used)]

use scimkit::filter::{DEFAULT_MAX_DEPTH, DEFAULT_MAX_LEN, DEFAULT_MAX_TERMS, ErrorKind};
use scimkit::patch::DEFAULT_MAX_OPERATIONS;
use scimkit::{
    Filter, FilterParser, Group, PatchOp, PatchOperation, PatchPath, Patcher, SchemaRegistry,
    ScimError, ScimType, User,
};
use serde_json::{Value, json};

/// Longest `detail` any error below may carry: hostile input is never echoed back whole.
const MAX_DETAIL: usize = 400;

#[track_caller]
fn assert_scim(e: impl Into<ScimError>, scim_type: ScimType) {
    let e: ScimError = e.into();
    assert_eq!((e.status, e.scim_type), (400, Some(scim_type)), "{e}");
    let detail = e.detail.unwrap_or_default();
    assert!(detail.len() <= MAX_DETAIL, "{}-byte detail", detail.len());
}

fn nested(depth: usize, inner: &str) -> String {
    format!("{}{inner}{}", "(".repeat(depth), ")".repeat(depth))
}

fn or_chain(terms: usize) -> String {
    vec!["userName pr"; terms].join(" or ")
}

fn user() -> Value {
    serde_json::from_str(include_str!(
        "data/resources/rfc7643-8.3-enterprise-user.json"
    ))
    .unwrap()
}

#[test]
fn filter_length_depth_and_terms() {
    let at_len = format!("userName eq \"{}\"", "x".repeat(DEFAULT_MAX_LEN - 14));
    assert_eq!(at_len.len(), DEFAULT_MAX_LEN);
    assert!(at_len.parse::<Filter>().is_ok());
    let e = format!("{at_len} ").parse::<Filter>().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TooLong);
    assert_scim(e, ScimType::InvalidFilter);

    let depth = DEFAULT_MAX_DEPTH as usize;
    assert!(nested(depth, "userName pr").parse::<Filter>().is_ok());
    let e = nested(depth + 1, "userName pr")
        .parse::<Filter>()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TooDeep);
    assert_scim(e, ScimType::InvalidFilter);

    let terms = DEFAULT_MAX_TERMS as usize;
    assert!(or_chain(terms).parse::<Filter>().is_ok());
    let e = or_chain(terms + 1).parse::<Filter>().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TooManyTerms);
    assert_scim(e, ScimType::InvalidFilter);
}

#[test]
fn filter_limits_hold_when_the_length_bound_is_lifted() {
    // A million open parentheses: refused at the depth bound, not by the stack.
    let mut p = FilterParser::new();
    p.max_len(usize::MAX);
    let e = p.parse(&"(".repeat(1_000_000)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TooDeep);
    let e = p.parse(&"not (".repeat(1_000_000)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TooDeep);
    let e = p
        .parse(&format!("emails[{}", "(".repeat(1_000_000)))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TooDeep);
    // A chain as long as the term bound allows parses, prints, evaluates and drops iteratively.
    p.max_terms(200_000);
    let f = p.parse(&or_chain(200_000)).unwrap();
    assert!(f.to_string().len() > 2_000_000);
    assert!(f.matches(&user(), &SchemaRegistry::default()).unwrap());
    drop(f);
}

#[test]
fn filter_errors_quote_a_bounded_excerpt() {
    let schemas = SchemaRegistry::default();
    let long = "x".repeat(60_000);
    // Syntax error after a long literal.
    assert_scim(
        format!("userName eq \"{long}\" and")
            .parse::<Filter>()
            .unwrap_err(),
        ScimType::InvalidFilter,
    );
    // Type error at evaluation, quoting the literal.
    let f: Filter = format!("meta.lastModified gt \"{long}\"").parse().unwrap();
    assert_scim(
        f.matches(&user(), &schemas).unwrap_err(),
        ScimType::InvalidFilter,
    );
}

#[test]
fn patch_paths_share_the_filter_bounds() {
    let depth = DEFAULT_MAX_DEPTH as usize;
    let ok = format!("emails[{}]", nested(depth - 1, "type pr"));
    assert!(ok.parse::<PatchPath>().is_ok());
    let deep = format!("emails[{}]", nested(depth, "type pr"));
    assert_scim(
        deep.parse::<PatchPath>().unwrap_err(),
        ScimType::InvalidPath,
    );
    let many = format!("emails[{}]", vec!["type pr"; 1025].join(" or "));
    assert_scim(
        many.parse::<PatchPath>().unwrap_err(),
        ScimType::InvalidPath,
    );

    // The length bound, at the edge: `DEFAULT_MAX_LEN` bytes parse, one more does not.
    let at_len = format!(r#"emails[value eq "{}"]"#, "x".repeat(DEFAULT_MAX_LEN - 19));
    assert_eq!(at_len.len(), DEFAULT_MAX_LEN);
    assert!(at_len.parse::<PatchPath>().is_ok());
    let long = format!("{at_len}.display");
    let e = long.parse::<PatchPath>().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TooLong);
    assert_eq!(
        (e.span().start, e.span().end),
        (DEFAULT_MAX_LEN, long.len())
    );
    assert_scim(e, ScimType::InvalidPath);
    let bare = "a".repeat(DEFAULT_MAX_LEN + 1);
    let e = bare.parse::<PatchPath>().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TooLong);
    assert_eq!(e.span().start, DEFAULT_MAX_LEN);
}

#[test]
fn patch_operation_count() {
    let schemas = SchemaRegistry::default();
    let op = PatchOperation::replace("displayName", "Babs");
    let mut u = user();
    let full = PatchOp::new(vec![op.clone(); DEFAULT_MAX_OPERATIONS]);
    assert!(full.apply(&mut u, &schemas).is_ok());
    let before = u.clone();
    let over = PatchOp::new(vec![op; DEFAULT_MAX_OPERATIONS + 1]);
    assert_scim(
        over.apply(&mut u, &schemas).unwrap_err(),
        ScimType::InvalidValue,
    );
    assert_eq!(u, before);
    let one = PatchOp::new(vec![PatchOperation::replace("displayName", "B")]);
    let e = Patcher::new(&schemas)
        .max_operations(0)
        .apply(&one, &mut u)
        .unwrap_err();
    assert_scim(e, ScimType::InvalidValue);
}

#[test]
fn patch_values_nesting_and_echo() {
    let schemas = SchemaRegistry::default();
    let mut u = user();
    let before = u.clone();
    // JSON nested past serde_json's 128 levels never becomes a request.
    let deep = format!(
        r#"{{"Operations":[{{"op":"add","path":"nickName","value":{}1{}}}]}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    assert_scim(
        serde_json::from_str::<PatchOp>(&deep).unwrap_err(),
        ScimType::InvalidSyntax,
    );
    // Within it, a value nested deeper than the schema allows is refused, all or nothing.
    let mut v = json!("x");
    for _ in 0..100 {
        v = json!({ "givenName": v });
    }
    let op = PatchOp::new(vec![
        PatchOperation::replace("displayName", "Babs"),
        PatchOperation::add("name", v),
    ]);
    assert_scim(
        op.apply(&mut u, &schemas).unwrap_err(),
        ScimType::InvalidValue,
    );
    assert_eq!(u, before);
    // A malformed body quotes a bounded excerpt of what it holds.
    let long = format!(r#"{{"Operations": "{}"}}"#, "a".repeat(100_000));
    assert_scim(
        serde_json::from_str::<PatchOp>(&long).unwrap_err(),
        ScimType::InvalidSyntax,
    );
}

#[test]
fn model_json_nesting() {
    let deep = |n: usize| {
        format!(
            r#"{{"userName":"b","displayName":"G","urn:example:ext":{{"x":{}1{}}}}}"#,
            "[".repeat(n),
            "]".repeat(n)
        )
    };
    assert!(serde_json::from_str::<User>(&deep(100)).is_ok());
    assert_scim(
        serde_json::from_str::<User>(&deep(200)).unwrap_err(),
        ScimType::InvalidSyntax,
    );
    assert!(serde_json::from_str::<Group>(&deep(100_000)).is_err());
    // From a `Value` the caller built, which serde_json does not bound, the model still does.
    let mut v = json!(1);
    for _ in 0..200 {
        v = json!([v]);
    }
    let r = User::from_value(json!({"userName": "b", "urn:example:ext": {"x": v}}));
    assert_scim(r.unwrap_err(), ScimType::InvalidSyntax);
}

#[cfg(feature = "saml")]
#[test]
fn saml_document_size_depth_and_entities() {
    use scimkit::StatementReader;
    use scimkit::saml::SamlErrorKind;

    let ns = r#"xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion""#;
    let padded = |n: usize| {
        let head = format!("<saml:Assertion {ns}>");
        let pad = n - head.len() - "</saml:Assertion>".len();
        format!("{head}{}</saml:Assertion>", " ".repeat(pad))
    };
    let max = StatementReader::DEFAULT_MAX_SIZE;
    assert!(StatementReader::new().read(&padded(max)).is_ok());
    let e = StatementReader::new().read(&padded(max + 1)).unwrap_err();
    assert!(matches!(e.kind(), SamlErrorKind::TooLarge { .. }));
    assert_scim(e, ScimType::InvalidSyntax);

    let depth = StatementReader::DEFAULT_MAX_DEPTH;
    let nest = |n: usize| {
        format!(
            "<saml:Assertion {ns}>{}{}</saml:Assertion>",
            "<x>".repeat(n - 1),
            "</x>".repeat(n - 1)
        )
    };
    assert!(StatementReader::new().read(&nest(depth)).is_ok());
    let e = StatementReader::new().read(&nest(depth + 1)).unwrap_err();
    assert!(matches!(e.kind(), SamlErrorKind::TooDeep { .. }));

    let laughs = format!(
        r#"<!DOCTYPE a [<!ENTITY a "{}">]><saml:Assertion {ns}>&a;</saml:Assertion>"#,
        "x".repeat(1000)
    );
    let e = StatementReader::new().read(&laughs).unwrap_err();
    assert!(matches!(e.kind(), SamlErrorKind::DocType));
}
