//! SAML session tags: the AWS rules, the writer's exact output, and the reader's safety.
//!
//! Rule numbers refer to shared/reference/aws-identity-center.md (§3a–3d and rule 178).

// The helpers below are test code too, outside any `#[test]` function.
#![allow(clippy::panic, clippy::expect_used)]

use scimkit::saml::{
    ACCESS_CONTROL_PREFIX, AwsRole, PRINCIPAL_TAG_PREFIX, ROLE, ROLE_SESSION_NAME,
    SESSION_DURATION, SOURCE_IDENTITY, SamlErrorKind, StatementReader, TRANSITIVE_TAG_KEYS,
    TagErrorKind,
};
use scimkit::{
    AttributeStatement, AttributeStatementBuilder, SamlError, ScimError, ScimType, SessionTag,
};

const NS: &str = r#"xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion""#;
const ACCT: &str = "123456789012";

fn b() -> AttributeStatementBuilder {
    AttributeStatementBuilder::new()
}

fn role_arn(name: &str) -> String {
    format!("arn:aws:iam::{ACCT}:role/{name}")
}

fn provider_arn(name: &str) -> String {
    format!("arn:aws:iam::{ACCT}:saml-provider/{name}")
}

#[track_caller]
fn err(r: Result<AttributeStatement, SamlError>) -> SamlError {
    match r {
        Ok(s) => panic!("expected an error, got {s:?}"),
        Err(e) => e,
    }
}

#[track_caller]
fn tag_kind(r: Result<AttributeStatement, SamlError>) -> TagErrorKind {
    err(r).tag_error().expect("a tag error").kind().clone()
}

/// Wraps attribute elements in a namespaced statement.
fn statement(attrs: &str) -> String {
    format!("<saml:AttributeStatement {NS}>{attrs}</saml:AttributeStatement>")
}

fn attr(name: &str, values: &[&str]) -> String {
    let values: String = values
        .iter()
        .map(|v| format!("<saml:AttributeValue>{v}</saml:AttributeValue>"))
        .collect();
    format!(r#"<saml:Attribute Name="{name}">{values}</saml:Attribute>"#)
}

fn read(xml: &str) -> Result<AttributeStatement, SamlError> {
    StatementReader::new().read(xml)
}

// --- The seed: JumpCloud → IAM Identity Center, "Passing attributes for access control" ---

/// The seed's snippet, verbatim, including the line break after `blue` (rule 106).
const SEED: &str = "<saml:AttributeStatement>\n<saml:Attribute Name=\"https://aws.amazon.com/SAML/Attributes/AccessControl:CostCenter\">\n<saml:AttributeValue>blue\n</saml:AttributeValue>\n</saml:Attribute>\n</saml:AttributeStatement>";

#[test]
fn seed_cost_center_blue_is_built_exactly() {
    let s = b().access_control("CostCenter", "blue").build().unwrap();
    assert_eq!(
        s.to_xml_string(),
        "<saml:AttributeStatement xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\">\
         <saml:Attribute Name=\"https://aws.amazon.com/SAML/Attributes/AccessControl:CostCenter\" \
         NameFormat=\"urn:oasis:names:tc:SAML:2.0:attrname-format:uri\">\
         <saml:AttributeValue>blue</saml:AttributeValue></saml:Attribute></saml:AttributeStatement>"
    );
    assert_eq!(
        format!("{ACCESS_CONTROL_PREFIX}CostCenter"),
        "https://aws.amazon.com/SAML/Attributes/AccessControl:CostCenter"
    );
}

#[test]
fn seed_line_break_is_refused_unless_trimming() {
    // The seed's fragment leaves `saml:` unbound; inside an assertion that binds it:
    let inner = SEED.replace("<saml:AttributeStatement>", "<saml:AttributeStatement>\n");
    let xml = format!("<saml:Assertion {NS}>{inner}</saml:Assertion>");
    let e = err(read(&xml));
    assert_eq!(
        e.tag_error().unwrap().kind(),
        &TagErrorKind::InvalidChar {
            ch: '\n',
            span: scimkit::Span::new(4, 5)
        }
    );
    assert_eq!(
        e.attribute(),
        Some("https://aws.amazon.com/SAML/Attributes/AccessControl:CostCenter")
    );
    assert!(
        e.to_string().contains("outside the STS tag alphabet"),
        "{e}"
    );

    let s = StatementReader::new().trim_values(true).read(&xml).unwrap();
    assert_eq!(
        s.access_control(),
        &[SessionTag::new("CostCenter", "blue").unwrap()]
    );
    assert_eq!(s, b().access_control("CostCenter", "blue").build().unwrap());
}

#[test]
fn seed_fragment_alone_has_an_unbound_prefix() {
    let e = err(StatementReader::new().trim_values(true).read(SEED));
    assert!(matches!(e.kind(), SamlErrorKind::Xml { .. }), "{e}");
    assert!(e.to_string().contains("not bound"), "{e}");
}

// --- Rules 103, 119, 178: at most 50 tags ---

#[test]
fn fifty_tags_accepted_fifty_one_refused() {
    let with = |n: usize, split: usize| {
        (0..n).fold(b(), |b, i| {
            if i < split {
                b.principal_tag(format!("P{i}"), "v")
            } else {
                b.access_control(format!("A{i}"), "v")
            }
        })
    };
    for split in [0, 25, 50] {
        assert!(with(50, split).build().is_ok(), "split {split}");
    }
    for split in [0, 25, 51] {
        let e = err(with(51, split).build());
        assert!(
            matches!(e.kind(), SamlErrorKind::TooManyTags { count: 51, max: 50 }),
            "{e}"
        );
    }
    // The reader counts the same way.
    let attrs: String = (0..51)
        .map(|i| attr(&format!("{ACCESS_CONTROL_PREFIX}K{i}"), &["v"]))
        .collect();
    let e = err(read(&statement(&attrs)));
    assert!(matches!(e.kind(), SamlErrorKind::TooManyTags { .. }));
}

// --- Rule 104: key 1–128, value 0–256 characters, STS alphabet ---

#[test]
fn key_and_value_lengths() {
    let k128 = "K".repeat(128);
    let v256 = "V".repeat(256);
    assert!(
        b().access_control(k128.as_str(), v256.as_str())
            .build()
            .is_ok()
    );
    assert!(b().principal_tag(k128.as_str(), "").build().is_ok());
    assert_eq!(
        tag_kind(b().access_control("K".repeat(129), "v").build()),
        TagErrorKind::TooLong { len: 129, max: 128 }
    );
    assert_eq!(
        tag_kind(b().access_control("k", "V".repeat(257)).build()),
        TagErrorKind::TooLong { len: 257, max: 256 }
    );
    assert_eq!(
        tag_kind(b().principal_tag("", "v").build()),
        TagErrorKind::EmptyKey
    );
    // Characters, not bytes: 256 three-byte characters pass.
    assert!(b().access_control("k", "日".repeat(256)).build().is_ok());
    assert!(b().access_control("k", "日".repeat(257)).build().is_err());
    // The reader applies the same limits, and an empty value is a valid tag value.
    let xml = statement(&format!(
        "{}{}",
        attr(&format!("{ACCESS_CONTROL_PREFIX}{k128}"), &[&v256]),
        attr(&format!("{PRINCIPAL_TAG_PREFIX}Empty"), &[""]),
    ));
    let s = read(&xml).unwrap();
    assert_eq!(s.access_control()[0].value().as_str(), v256);
    assert_eq!(s.principal_tag_value("empty").unwrap(), "");
    let xml = statement(&attr(&format!("{ACCESS_CONTROL_PREFIX}{k128}K"), &["v"]));
    assert!(matches!(
        err(read(&xml)).tag_error().unwrap().kind(),
        TagErrorKind::TooLong { len: 129, .. }
    ));
}

#[test]
fn tag_alphabet() {
    for ok in [
        "a_b.c:d/e=f+g-h@i",
        "with space",
        "Ünïcødé",
        "日本語",
        "Ⅻ",
        "\u{a0}",
    ] {
        assert!(b().access_control(ok, ok).build().is_ok(), "{ok:?}");
    }
    for (bad, ch) in [
        ("a\nb", '\n'),
        ("a<b", '<'),
        ("a&b", '&'),
        ("a\"b", '"'),
        ("a'b", '\''),
        ("a>b", '>'),
        ("a,b", ','),
        ("a😀", '😀'),
    ] {
        assert!(
            matches!(tag_kind(b().access_control("k", bad).build()), TagErrorKind::InvalidChar { ch: c, .. } if c == ch),
            "{bad:?}"
        );
        assert!(
            matches!(tag_kind(b().principal_tag(bad, "v").build()), TagErrorKind::InvalidChar { ch: c, .. } if c == ch),
            "{bad:?}"
        );
    }
}

// --- Rule 105: NFC before validation ---

#[test]
fn decomposed_accents_are_composed() {
    let s = b()
        .access_control("Caf\u{65}\u{301}", "e\u{301}")
        .build()
        .unwrap();
    assert_eq!(s.access_control()[0].key().as_str(), "Café");
    assert!(s.to_xml_string().contains("AccessControl:Café"));
    let read_back = read(&statement(&attr(
        &format!("{ACCESS_CONTROL_PREFIX}Cafe\u{301}"),
        &["e\u{301}"],
    )))
    .unwrap();
    assert_eq!(read_back, s);
}

// --- Rule 107: reserved `aws:` in any case ---

#[test]
fn reserved_prefix_any_case() {
    for key in ["aws:x", "AWS:x", "Aws:x"] {
        assert_eq!(
            tag_kind(b().principal_tag(key, "v").build()),
            TagErrorKind::ReservedPrefix
        );
        assert_eq!(
            tag_kind(b().access_control("k", key).build()),
            TagErrorKind::ReservedPrefix
        );
    }
    assert!(b().access_control("awsx", "aws").build().is_ok());
}

// --- Rules 108–109: keys compared ignoring case ---

#[test]
fn duplicate_keys_ignoring_case() {
    for (a, c) in [
        ("Dept", "dept"),
        ("DEPT", "dept"),
        ("Ärger", "ärger"),
        ("k", "k"),
    ] {
        let e = err(b().access_control(a, "1").access_control(c, "2").build());
        assert!(
            matches!(e.kind(), SamlErrorKind::DuplicateTagKey { .. }),
            "{a} {c}"
        );
        let e = err(b().principal_tag(a, "1").principal_tag(c, "2").build());
        assert!(
            matches!(e.kind(), SamlErrorKind::DuplicateTagKey { .. }),
            "{a} {c}"
        );
    }
    // The two attribute families are separate name spaces.
    assert!(
        b().access_control("Dept", "1")
            .principal_tag("dept", "2")
            .build()
            .is_ok()
    );
    // Reader: the same rule.
    let xml = statement(&format!(
        "{}{}",
        attr(&format!("{PRINCIPAL_TAG_PREFIX}Team"), &["a"]),
        attr(&format!("{PRINCIPAL_TAG_PREFIX}TEAM"), &["b"]),
    ));
    assert!(matches!(
        err(read(&xml)).kind(),
        SamlErrorKind::DuplicateTagKey { .. }
    ));
    // Lookup folds case as AWS does.
    let s = b().access_control("CostCenter", "blue").build().unwrap();
    assert_eq!(s.access_control_value("COSTCENTER").unwrap(), "blue");
}

// --- Rules 111–112: one value per tag ---

#[test]
fn one_value_per_tag_attribute() {
    for values in [&[][..], &["a", "b"][..]] {
        let xml = statement(&attr(&format!("{ACCESS_CONTROL_PREFIX}k"), values));
        let e = err(read(&xml));
        assert!(
            matches!(e.kind(), SamlErrorKind::ValueCount { expected: "exactly one", found } if *found == values.len()),
            "{e}"
        );
        let name = format!("{PRINCIPAL_TAG_PREFIX}k");
        let e = err(b().attribute(&name, values.iter().copied()).build());
        assert!(matches!(e.kind(), SamlErrorKind::ValueCount { .. }), "{e}");
    }
}

// --- Rules 95, 110: transitive keys name passed tags ---

#[test]
fn transitive_tag_keys() {
    let ok = b()
        .principal_tag("Project", "x")
        .principal_tag("Team", "y")
        .transitive_tag_key("project")
        .transitive_tag_key("Team")
        .build()
        .unwrap();
    assert_eq!(ok.transitive_tag_keys().len(), 2);
    let e = err(b()
        .principal_tag("Project", "x")
        .transitive_tag_key("Team")
        .build());
    assert!(matches!(
        e.kind(),
        SamlErrorKind::TransitiveKey {
            duplicate: false,
            ..
        }
    ));
    assert_eq!(e.attribute(), Some(TRANSITIVE_TAG_KEYS));
    // An AccessControl tag is not an STS session tag.
    let e = err(b()
        .access_control("Project", "x")
        .transitive_tag_key("Project")
        .build());
    assert!(matches!(e.kind(), SamlErrorKind::TransitiveKey { .. }));
    let e = err(b()
        .principal_tag("Project", "x")
        .transitive_tag_key("Project")
        .transitive_tag_key("PROJECT")
        .build());
    assert!(matches!(
        e.kind(),
        SamlErrorKind::TransitiveKey {
            duplicate: true,
            ..
        }
    ));
    // 50 transitive keys, one per passed tag, is the most possible.
    let fifty = (0..50).fold(b(), |b, i| {
        b.principal_tag(format!("T{i}"), "v")
            .transitive_tag_key(format!("t{i}"))
    });
    assert_eq!(fifty.build().unwrap().transitive_tag_keys().len(), 50);
    // Reader: values of one multi-valued attribute.
    let xml = statement(&format!(
        "{}{}",
        attr(&format!("{PRINCIPAL_TAG_PREFIX}Project"), &["x"]),
        attr(TRANSITIVE_TAG_KEYS, &["Project"]),
    ));
    assert_eq!(read(&xml).unwrap().transitive_tag_keys()[0], "Project");
    let xml = statement(&attr(TRANSITIVE_TAG_KEYS, &["Project"]));
    assert!(matches!(
        err(read(&xml)).kind(),
        SamlErrorKind::TransitiveKey { .. }
    ));
}

// --- Rule 93: SessionDuration 900–43200 ---

#[test]
fn session_duration_range() {
    for ok in [900, 3600, 43200] {
        assert_eq!(
            b().session_duration(ok).build().unwrap().session_duration(),
            Some(ok)
        );
    }
    for bad in [0, 899, 43201, u32::MAX] {
        let e = err(b().session_duration(bad).build());
        assert!(
            matches!(e.kind(), SamlErrorKind::SessionDuration { .. }),
            "{bad}"
        );
        assert_eq!(e.attribute(), Some(SESSION_DURATION));
    }
    for (text, expect) in [
        ("900", Some(900)),
        ("43200", Some(43200)),
        ("0900", Some(900)),
        ("899", None),
        ("43201", None),
        ("+900", None),
        ("-900", None),
        (" 900", None),
        ("900.0", None),
        ("1h", None),
        ("", None),
        ("99999999999999999999", None),
    ] {
        let r = read(&statement(&attr(SESSION_DURATION, &[text])));
        assert_eq!(
            r.ok().and_then(|s| s.session_duration()),
            expect,
            "{text:?}"
        );
    }
}

// --- Rules 92, 96, 178: RoleSessionName and SourceIdentity `[\w+=,.@-]{2,64}` ---

#[test]
fn session_name_pattern() {
    let set = |v: &str| {
        (
            b().role_session_name(v).build(),
            b().source_identity(v).build(),
        )
    };
    for ok in ["ab", "jdoe@example.com", "a_b+c=d,e.f@g-h", &"x".repeat(64)] {
        let (r, s) = set(ok);
        assert_eq!(r.unwrap().role_session_name(), Some(ok));
        assert_eq!(s.unwrap().source_identity(), Some(ok));
    }
    for bad in [
        "a",
        &"x".repeat(65),
        "has space",
        "é2",
        "a/b",
        "aws:admin",
        "a:b",
        "",
    ] {
        let (r, s) = set(bad);
        let (r, s) = (err(r), err(s));
        assert!(
            matches!(r.kind(), SamlErrorKind::SessionName { .. }),
            "{bad}"
        );
        assert_eq!(r.attribute(), Some(ROLE_SESSION_NAME));
        assert!(
            matches!(s.kind(), SamlErrorKind::SessionName { .. }),
            "{bad}"
        );
        assert_eq!(s.attribute(), Some(SOURCE_IDENTITY));
    }
    let e = err(b().role_session_name("ab").role_session_name("cd").build());
    assert!(matches!(e.kind(), SamlErrorKind::DuplicateAttribute));
    let xml = statement(&format!(
        "{}{}",
        attr(ROLE_SESSION_NAME, &["ab"]),
        attr(ROLE_SESSION_NAME, &["cd"])
    ));
    assert!(matches!(
        err(read(&xml)).kind(),
        SamlErrorKind::DuplicateAttribute
    ));
    let xml = statement(&attr(ROLE_SESSION_NAME, &["ab", "cd"]));
    assert!(matches!(
        err(read(&xml)).kind(),
        SamlErrorKind::ValueCount { .. }
    ));
}

// --- Rule 91: Role = role ARN, provider ARN, either order ---

#[test]
fn role_values() {
    let (r, p) = (role_arn("Dev"), provider_arn("JumpCloud"));
    for value in [format!("{r},{p}"), format!("{p},{r}")] {
        let role = AwsRole::new(&value).unwrap();
        assert_eq!(
            (role.role_arn(), role.provider_arn()),
            (r.as_str(), p.as_str())
        );
        assert_eq!(role.as_str(), value);
    }
    for ok in [
        format!("{},{p}", role_arn("path/to/Dev")),
        format!("{},{p}", role_arn(&"r".repeat(64))),
        format!("{r},{}", provider_arn(&"p".repeat(128))),
        format!("{},{p}", role_arn("a,b")),
        "arn:aws-cn:iam::123456789012:role/R,arn:aws-cn:iam::123456789012:saml-provider/P"
            .to_owned(),
        "arn:aws-us-gov:iam::123456789012:role/R,arn:aws-us-gov:iam::123456789012:saml-provider/P"
            .to_owned(),
    ] {
        assert!(AwsRole::new(&ok).is_ok(), "{ok}");
    }
    for bad in [
        r.clone(),
        format!("{r},{r}"),
        format!("{p},{p}"),
        format!("{r}, {p}"),
        format!("{r},{p},{p}"),
        format!("{},{p}", role_arn(&"r".repeat(65))),
        format!("{r},{}", provider_arn(&"p".repeat(129))),
        format!("{r},{}", provider_arn("a b")),
        format!("{},{p}", role_arn("")),
        format!("arn:aws:iam::12345678901:role/R,{p}"),
        format!("arn:aws:sts::{ACCT}:role/R,{p}"),
        format!("arn:aws-cn:iam::{ACCT}:role/R,{p}"),
        format!("arn:AWS:iam::{ACCT}:role/R,{p}"),
        format!("{r},arn:aws:iam::{ACCT}:user/P"),
        String::new(),
    ] {
        let e = err(b().attribute(ROLE, [bad.as_str()]).build());
        assert!(matches!(e.kind(), SamlErrorKind::Role { .. }), "{bad}: {e}");
        assert_eq!(e.attribute(), Some(ROLE));
    }
    let s = b()
        .role(&r, &p)
        .role(&role_arn("Admin"), &p)
        .build()
        .unwrap();
    assert_eq!(s.roles().len(), 2);
    assert!(matches!(
        err(read(&statement(&attr(ROLE, &[])))).kind(),
        SamlErrorKind::ValueCount {
            expected: "at least one",
            ..
        }
    ));
}

// --- Other attributes, escaping, output shape ---

#[test]
fn escaping_of_markup_and_non_ascii() {
    let name = "https://example.com/attr?a=1&b=\"2\"<'3'>";
    let s = b()
        .attribute(name, ["<&\"'>", "Ünïcødé 日本 😀", "tab\there\r\nnext", ""])
        .build()
        .unwrap();
    let xml = s.to_xml_string();
    assert_eq!(
        xml,
        format!(
            "<saml:AttributeStatement {NS}>\
             <saml:Attribute Name=\"https://example.com/attr?a=1&amp;b=&quot;2&quot;&lt;&apos;3&apos;&gt;\" \
             NameFormat=\"urn:oasis:names:tc:SAML:2.0:attrname-format:uri\">\
             <saml:AttributeValue>&lt;&amp;\"'&gt;</saml:AttributeValue>\
             <saml:AttributeValue>Ünïcødé 日本 😀</saml:AttributeValue>\
             <saml:AttributeValue>tab\there&#13;\nnext</saml:AttributeValue>\
             <saml:AttributeValue></saml:AttributeValue>\
             </saml:Attribute></saml:AttributeStatement>"
        )
    );
    let back = read(&xml).unwrap();
    assert_eq!(back, s);
    assert_eq!(back.other_attributes()[0].name(), name);
    assert_eq!(back.other_attributes()[0].values()[0], "<&\"'>");
    assert_eq!(back.other_attributes()[0].values()[2], "tab\there\r\nnext");
}

#[test]
fn other_attribute_checks() {
    for bad in ["email", "", ":x", "1x:y", "urn:with space", "x:"] {
        let e = err(b().attribute(bad, ["v"]).build());
        assert!(matches!(e.kind(), SamlErrorKind::AttributeName), "{bad:?}");
    }
    let e = err(b().attribute("urn:oid:2.5.4.42", ["a\u{0}b"]).build());
    assert!(matches!(e.kind(), SamlErrorKind::XmlChar { ch: '\0' }));
    let e = err(b().attribute("urn:oid:2.5.4.42", ["\u{fffe}"]).build());
    assert!(matches!(e.kind(), SamlErrorKind::XmlChar { .. }));
    // The bare AWS prefix is not a name AWS reads, nor a useful URI.
    let e = err(b()
        .attribute("https://aws.amazon.com/SAML/Attributes/", ["v"])
        .build());
    assert!(matches!(e.kind(), SamlErrorKind::AttributeName));
    assert!(b().attribute("urn:oid:2.5.4.42", ["Jane"]).build().is_ok());
    // AWS names given to `attribute` are checked as AWS attributes.
    let name = format!("{ACCESS_CONTROL_PREFIX}CostCenter");
    assert_eq!(
        b().attribute(&name, ["blue"]).build().unwrap(),
        b().access_control("CostCenter", "blue").build().unwrap()
    );
    assert!(b().attribute(&name, ["blue\n"]).build().is_err());
    assert!(matches!(err(b().build()).kind(), SamlErrorKind::Empty));
}

#[test]
fn output_is_deterministic_and_ordered() {
    let make = || {
        b().access_control("Z", "1")
            .attribute("urn:oid:2.5.4.42", ["Jane"])
            .principal_tag("P", "2")
            .transitive_tag_key("P")
            .source_identity("src")
            .session_duration(3600)
            .role_session_name("jdoe")
            .role(&role_arn("R"), &provider_arn("P"))
            .access_control("A", "3")
            .build()
            .unwrap()
    };
    let xml = make().to_xml_string();
    assert_eq!(xml, make().to_xml_string());
    let order = [
        "/Role\"",
        "/RoleSessionName\"",
        "/SessionDuration\"",
        "/SourceIdentity\"",
        "PrincipalTag:P\"",
        "/TransitiveTagKeys\"",
        "AccessControl:Z\"",
        "AccessControl:A\"",
        "urn:oid:2.5.4.42\"",
    ];
    let positions: Vec<usize> = order.iter().map(|n| xml.find(n).unwrap()).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{xml}");
    let mut bytes = Vec::new();
    make().write_xml(&mut bytes).unwrap();
    assert_eq!(bytes, xml.as_bytes());
    assert_eq!(read(&xml).unwrap(), make());
}

#[test]
fn fragment_embeds_in_an_assertion() {
    let s = b()
        .access_control("CostCenter", "blue")
        .role_session_name("jdoe")
        .build()
        .unwrap();
    for prefix in ["saml", "saml2", "a"] {
        let frag = s.to_xml_fragment_string(prefix).unwrap();
        assert!(frag.starts_with(&format!(
            "<{prefix}:AttributeStatement><{prefix}:Attribute "
        )));
        assert!(!frag.contains("xmlns"));
        let doc = format!(
            "<{prefix}:Assertion xmlns:{prefix}=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"_1\">\
             <{prefix}:Issuer>idp</{prefix}:Issuer>{frag}</{prefix}:Assertion>"
        );
        assert_eq!(read(&doc).unwrap(), s, "{prefix}");
    }
    let frag = s.to_xml_fragment_string("").unwrap();
    assert!(frag.starts_with("<AttributeStatement><Attribute Name="));
    let doc =
        format!("<Assertion xmlns=\"urn:oasis:names:tc:SAML:2.0:assertion\">{frag}</Assertion>");
    assert_eq!(read(&doc).unwrap(), s);
    for bad in ["1a", "a:b", "a b", "é"] {
        assert!(matches!(
            s.to_xml_fragment_string(bad).unwrap_err().kind(),
            SamlErrorKind::Prefix
        ));
    }
}

mod mapping;
mod read;
mod wrapping;
