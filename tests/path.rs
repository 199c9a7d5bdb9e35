//! Attribute paths and PATCH paths (RFC 7644 §3.5.2): every RFC example, corners, errors, serde.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // helpers outside #[test]

use scimkit::filter::ErrorKind;
use scimkit::{AttrPath, Filter, PatchPath, ScimError, ScimType};

#[test]
fn rfc7644_patch_path_examples() {
    // (path, urn, name, sub, filter) — every path of RFC 7644 §3.5.2 and its sub-sections.
    type Row<'a> = (
        &'a str,
        Option<&'a str>,
        &'a str,
        Option<&'a str>,
        Option<&'a str>,
    );
    let table: &[Row<'_>] = &[
        ("members", None, "members", None, None),
        ("name.familyName", None, "name", Some("familyName"), None),
        (
            r#"addresses[type eq "work"]"#,
            None,
            "addresses",
            None,
            Some(r#"type eq "work""#),
        ),
        (
            r#"members[value eq "2819c223-7f76-453a-919d-413861904646"].displayName"#,
            None,
            "members",
            Some("displayName"),
            Some(r#"value eq "2819c223-7f76-453a-919d-413861904646""#),
        ),
        (
            r#"members[value eq "2819c223-7f76-453a-919d-413861904646"]"#,
            None,
            "members",
            None,
            Some(r#"value eq "2819c223-7f76-453a-919d-413861904646""#),
        ),
        (
            r#"emails[type eq "work" and value ew "example.com"]"#,
            None,
            "emails",
            None,
            Some(r#"type eq "work" and value ew "example.com""#),
        ),
        (
            r#"addresses[type eq "work"].streetAddress"#,
            None,
            "addresses",
            Some("streetAddress"),
            Some(r#"type eq "work""#),
        ),
        (
            r#"emails[type eq "work"].value"#,
            None,
            "emails",
            Some("value"),
            Some(r#"type eq "work""#),
        ),
        (
            "meta.lastModified",
            None,
            "meta",
            Some("lastModified"),
            None,
        ),
        (
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
            Some("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"),
            "employeeNumber",
            None,
            None,
        ),
        (
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value",
            Some("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"),
            "manager",
            Some("value"),
            None,
        ),
        (
            r#"urn:ietf:params:scim:schemas:core:2.0:User:emails[type eq "work"].value"#,
            Some("urn:ietf:params:scim:schemas:core:2.0:User"),
            "emails",
            Some("value"),
            Some(r#"type eq "work""#),
        ),
        ("members.$ref", None, "members", Some("$ref"), None),
        (
            "EMAILS[TYPE EQ \"work\"].VALUE",
            None,
            "EMAILS",
            Some("VALUE"),
            Some(r#"TYPE eq "work""#),
        ),
        (
            r#"emails[type eq "work" or not (primary eq true)]"#,
            None,
            "emails",
            None,
            Some(r#"type eq "work" or not (primary eq true)"#),
        ),
    ];
    for &(input, urn, name, sub, filter) in table {
        let p: PatchPath = input.parse().unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(p.attr().urn(), urn, "{input}");
        assert_eq!(p.attr().name(), name, "{input}");
        assert_eq!(p.attr().sub_attribute(), sub, "{input}");
        assert_eq!(
            p.value_filter().map(Filter::to_string).as_deref(),
            filter,
            "{input}"
        );
        let shown = p.to_string();
        assert_eq!(shown.parse::<PatchPath>().unwrap(), p, "{input}");
        if filter.is_none() {
            assert_eq!(shown, input);
            assert_eq!(input.parse::<AttrPath>().unwrap(), *p.attr());
        }
    }
}

#[test]
fn invalid_paths_report_kind_and_position() {
    use ErrorKind::*;
    let table: &[(&str, ErrorKind, usize)] = &[
        ("", Empty, 0),
        (" ", Empty, 0),
        (" members", ExpectedAttribute, 0),
        ("members ", ExpectedEnd, 7),
        ("1members", InvalidAttributePath, 0),
        ("name.", InvalidAttributePath, 0),
        ("name.givenName.x", InvalidAttributePath, 0),
        ("urn:foo", InvalidAttributePath, 0),
        (
            "urn:ietf:params:scim:schemas:core:2.0:User:",
            InvalidAttributePath,
            0,
        ),
        ("emails[", ExpectedAttribute, 7),
        ("emails[type eq \"work\"", ExpectedCloseBracket, 21),
        ("emails[type eq]", ExpectedValue, 14),
        ("emails[type eq \"work\"]x", ExpectedEnd, 22),
        ("emails[type eq \"work\"].", ExpectedSubAttribute, 23),
        ("emails[type eq \"work\"].value.x", ExpectedSubAttribute, 23),
        ("emails[type eq \"work\"][value pr]", ExpectedEnd, 22),
        ("emails.value[type pr]", UnexpectedSubAttribute, 0),
        ("emails[x[y pr]]", NestedValuePath, 8),
        ("emails[]", ExpectedAttribute, 7),
    ];
    let mut wrong = Vec::new();
    for &(input, kind, start) in table {
        let err = input.parse::<PatchPath>().expect_err(input);
        if (err.kind(), err.span().start) != (kind, start) {
            wrong.push(format!(
                "{input:?}: {:?} {:?} {err}",
                err.kind(),
                err.span()
            ));
        }
        assert_eq!(err.scim_type(), ScimType::InvalidPath);
        let scim: ScimError = err.into();
        assert_eq!(
            (scim.status, scim.scim_type),
            (400, Some(ScimType::InvalidPath))
        );
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    for bad in ["emails[type pr]", "a b", "name.", "ref$"] {
        assert!(bad.parse::<AttrPath>().is_err(), "{bad}");
    }
}

#[test]
fn attr_path_parts_and_constructor() {
    let p = AttrPath::from_parts(
        Some("urn:ietf:params:scim:schemas:core:2.0:User"),
        "name",
        Some("givenName"),
    )
    .unwrap();
    assert_eq!(
        p.to_string(),
        "urn:ietf:params:scim:schemas:core:2.0:User:name.givenName"
    );
    assert!(
        p.eq_ignore_case(
            &"URN:IETF:params:scim:schemas:core:2.0:user:NAME.givenname"
                .parse()
                .unwrap()
        )
    );
    assert!(AttrPath::from_parts(None, "a.b", None).is_err());
    assert!(AttrPath::from_parts(Some("urn:x"), "a", None).is_err());
    assert!(AttrPath::from_parts(None, "a", Some("")).is_err());
    assert_eq!(
        AttrPath::from_parts(None, "$ref", None).unwrap().name(),
        "$ref"
    );
}

#[test]
fn serde_as_strings() {
    let p: PatchPath = serde_json::from_str(r#""emails[type eq \"work\"].value""#).unwrap();
    assert_eq!(
        serde_json::to_string(&p).unwrap(),
        r#""emails[type eq \"work\"].value""#
    );
    let a: AttrPath = serde_json::from_str(r#""name.givenName""#).unwrap();
    assert_eq!(serde_json::to_value(&a).unwrap(), "name.givenName");
    let err = serde_json::from_str::<PatchPath>(r#""emails[""#).unwrap_err();
    assert!(
        err.to_string().contains("expected an attribute path"),
        "{err}"
    );
    assert!(serde_json::from_str::<AttrPath>("3").is_err());
}

/// RFC 7644 §3.5.2.2 and §3.5.2.3 print their member paths without a space between `eq` and
/// the quoted value; the paths are read as the RFC shows them and printed canonically.
#[test]
fn rfc7644_unspaced_operator_before_a_quoted_value() {
    let path: PatchPath = r#"members[value eq"2819c223-7f76-453a-919d-413861904646"]"#
        .parse()
        .unwrap();
    assert_eq!(
        path.to_string(),
        r#"members[value eq "2819c223-7f76-453a-919d-413861904646"]"#
    );
    let filter: Filter = r#"userName eq"bjensen" and title pr"#.parse().unwrap();
    assert_eq!(filter.to_string(), r#"userName eq "bjensen" and title pr"#);
    // `pr` takes no value, and a bare word still needs the space.
    for bad in [r#"title pr"x""#, "active eqtrue", "userName eq"] {
        assert!(bad.parse::<Filter>().is_err(), "{bad}");
    }
}
