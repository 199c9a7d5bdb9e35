//! SCIM user → access-control tags with Identity Center's `${path:…}` sources (rules 119–124).

#![allow(clippy::panic, clippy::expect_used)]

use scimkit::saml::{
    AccessControlMapping, AttributeSource, MAX_ACCESS_CONTROL_ATTRIBUTES, MappingError,
    MappingErrorKind, MissingAttribute, MultipleValues, SkipReason,
};
use scimkit::schema::{AttrType, Attribute, Schema};
use scimkit::{SchemaRegistry, User};
use serde_json::{Value, json};

use super::*;

const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

fn rfc_user() -> Value {
    serde_json::from_str(include_str!(
        "../../data/resources/rfc7643-8.3-enterprise-user.json"
    ))
    .expect("RFC 7643 §8.3 user")
}

fn schemas() -> SchemaRegistry {
    SchemaRegistry::default()
}

#[track_caller]
fn eval_one(source: &str, user: &Value) -> Result<Option<String>, MappingError> {
    let mapping = AccessControlMapping::from_pairs([("K", source)])?;
    let tags = mapping.evaluate(user, &schemas())?;
    Ok(tags.first().map(|t| t.value().to_string()))
}

#[track_caller]
fn err_kind(r: Result<impl std::fmt::Debug, MappingError>) -> MappingErrorKind {
    r.expect_err("an error").kind().clone()
}

// Rule 122: every documented external-IdP source, against the RFC 7643 §8.3 user.
#[test]
fn every_documented_source_path() {
    let user = rfc_user();
    let cases: &[(&str, Option<&str>)] = &[
        ("${path:userName}", Some("bjensen@example.com")),
        ("${path:name.familyName}", Some("Jensen")),
        ("${path:name.givenName}", Some("Barbara")),
        ("${path:displayName}", Some("Babs Jensen")),
        ("${path:nickName}", Some("Babs")),
        (
            "${path:emails[primary eq true].value}",
            Some("bjensen@example.com"),
        ),
        (
            r#"${path:addresses[type eq "work"].streetAddress}"#,
            Some("100 Universal City Plaza"),
        ),
        (
            r#"${path:addresses[type eq "work"].locality}"#,
            Some("Hollywood"),
        ),
        (r#"${path:addresses[type eq "work"].region}"#, Some("CA")),
        (
            r#"${path:addresses[type eq "work"].postalCode}"#,
            Some("91608"),
        ),
        (r#"${path:addresses[type eq "work"].country}"#, Some("US")),
        (
            r#"${path:phoneNumbers[type eq "work"].value}"#,
            Some("555-555-5555"),
        ),
        ("${path:userType}", Some("Employee")),
        ("${path:title}", Some("Tour Guide")),
        ("${path:locale}", Some("en-US")),
        ("${path:timezone}", Some("America/Los_Angeles")),
        ("${path:enterprise.employeeNumber}", Some("701984")),
        ("${path:enterprise.costCenter}", Some("4130")),
        ("${path:enterprise.organization}", Some("Universal Studios")),
        ("${path:enterprise.division}", Some("Theme Park")),
        ("${path:enterprise.department}", Some("Tour Operations")),
        (
            "${path:enterprise.manager.value}",
            Some("26118915-6090-4610-87e4-49d8ca9f808d"),
        ),
        // The issue's example; the same element as type eq "work" here.
        (
            "${path:addresses[primary eq true].locality}",
            Some("Hollywood"),
        ),
    ];
    for (source, want) in cases {
        let got = eval_one(source, &user).unwrap_or_else(|e| panic!("{source}: {e}"));
        assert_eq!(got.as_deref(), *want, "{source}");
    }
}

// The formatted address holds a line break, outside the tag alphabet: the error names the key.
#[test]
fn a_value_outside_the_tag_alphabet_names_the_key() {
    let mapping = AccessControlMapping::from_entries([
        r#"Address=${path:addresses[type eq "work"].formatted}"#,
    ])
    .unwrap();
    let err = mapping.evaluate(&rfc_user(), &schemas()).unwrap_err();
    assert!(matches!(err.kind(), MappingErrorKind::Value(_)), "{err}");
    assert_eq!(err.key(), Some("Address"));
    assert!(
        err.to_string().starts_with(
            r#"tag value "100 Universal City Plaza\nHollywood, CA 91608 USA" has '\n'"#
        ),
        "{err}"
    );
    assert!(
        err.to_string()
            .ends_with(r#"(key Address, source ${path:addresses[type eq "work"].formatted})"#),
        "{err}"
    );
}

// RFC 7643 §2.1: attribute names ignore case, in the source and in the data.
#[test]
fn attribute_names_ignore_case() {
    let user = rfc_user();
    for (source, want) in [
        ("${path:USERNAME}", "bjensen@example.com"),
        ("${path:Name.GIVENNAME}", "Barbara"),
        ("${path:ENTERPRISE.COSTCENTER}", "4130"),
        (
            "${path:Enterprise.Manager.Value}",
            "26118915-6090-4610-87e4-49d8ca9f808d",
        ),
        (
            r#"${path:EMAILS[TYPE eq "WORK"].VALUE}"#,
            "bjensen@example.com",
        ),
        (
            "${path:urn:ietf:params:scim:schemas:extension:enterprise:2.0:user:costcenter}",
            "4130",
        ),
    ] {
        assert_eq!(
            eval_one(source, &user).unwrap().as_deref(),
            Some(want),
            "{source}"
        );
    }
    let shouting = json!({"USERNAME": "b", "NAME": {"GIVENNAME": "B"},
        "URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER": {"COSTCENTER": "7"}});
    assert_eq!(
        eval_one("${path:userName}", &shouting).unwrap().as_deref(),
        Some("b")
    );
    assert_eq!(
        eval_one("${path:name.givenName}", &shouting)
            .unwrap()
            .as_deref(),
        Some("B")
    );
    assert_eq!(
        eval_one("${path:enterprise.costCenter}", &shouting)
            .unwrap()
            .as_deref(),
        Some("7")
    );
}

#[test]
fn missing_attributes_skip_or_fail() {
    let user = json!({"userName": "bjensen", "title": "", "nickName": null,
        "emails": [{"value": "home@example.com", "type": "home"}],
        ENTERPRISE: {"manager": {"displayName": "John"}}});
    let sources = [
        "${path:displayName}",                           // absent
        "${path:title}",                                 // "" is unassigned (RFC 7643 §2.5)
        "${path:nickName}",                              // null
        "${path:emails[primary eq true].value}",         // no element matches
        r#"${path:addresses[type eq "work"].locality}"#, // no such attribute at all
        "${path:enterprise.manager.value}",              // the sub-attribute is absent
        "${path:enterprise.costCenter}",
    ];
    let pairs: Vec<_> = sources
        .iter()
        .enumerate()
        .map(|(i, s)| (format!("K{i}"), *s))
        .collect();
    let mapping = AccessControlMapping::from_pairs(pairs.iter().map(|(k, s)| (k.as_str(), *s)))
        .unwrap()
        .on_missing(MissingAttribute::Skip);
    let mut with_name = mapping.clone();
    with_name.push("Name", "${path:userName}").unwrap();
    let tags = with_name.evaluate(&user, &schemas()).unwrap();
    assert_eq!(tags.len(), 1);
    assert_eq!(
        (tags[0].key().as_str(), tags[0].value().as_str()),
        ("Name", "bjensen")
    );

    for (k, s) in &pairs {
        let one = AccessControlMapping::from_pairs([(k.as_str(), *s)])
            .unwrap()
            .on_missing(MissingAttribute::Error);
        let err = one.evaluate(&user, &schemas()).unwrap_err();
        assert_eq!(err.kind(), &MappingErrorKind::Missing, "{s}");
        assert_eq!(err.key(), Some(k.as_str()));
        assert_eq!(ScimError::from(err).status, 400);
    }
}

#[test]
fn skipped_keys_are_reported_with_the_reason() {
    use SkipReason::{Empty, Missing};
    let user = json!({"userName": "bjensen", "title": "", "nickName": null,
        "emails": [{"value": "home@example.com", "type": "home"}],
        "phoneNumbers": [], "ims": [{"value": "", "type": "xmpp"}], "name": {},
        ENTERPRISE: {"manager": {"displayName": "John"}, "department": ""}});
    let cases = [
        ("${path:userName}", None),
        ("${path:displayName}", Some(Missing)),
        ("${path:title}", Some(Empty)),
        ("${path:NICKNAME}", Some(Empty)),
        ("${path:emails[primary eq true].value}", Some(Missing)),
        ("${path:emails[type eq \"home\"].display}", Some(Missing)),
        (
            r#"${path:addresses[type eq "work"].locality}"#,
            Some(Missing),
        ),
        ("${path:phoneNumbers.value}", Some(Empty)),
        ("${path:ims.value}", Some(Empty)),
        ("${path:name.givenName}", Some(Missing)),
        ("${path:enterprise.manager.value}", Some(Missing)),
        ("${path:enterprise.costCenter}", Some(Missing)),
        ("${path:enterprise.department}", Some(Empty)),
    ];
    let pairs: Vec<_> = cases
        .iter()
        .enumerate()
        .map(|(i, (s, _))| (format!("K{i}"), *s))
        .collect();
    let mapping =
        AccessControlMapping::from_pairs(pairs.iter().map(|(k, s)| (k.as_str(), *s))).unwrap();
    let report = mapping.evaluate_with_report(&user, &schemas()).unwrap();
    assert_eq!(report.tags, mapping.evaluate(&user, &schemas()).unwrap());
    assert_eq!(report.tags.len(), 1);
    let got: Vec<_> = report
        .skipped
        .iter()
        .map(|s| (s.key.as_str(), s.source.as_str(), s.reason))
        .collect();
    let want: Vec<_> = cases
        .iter()
        .zip(&pairs)
        .filter_map(|((s, r), (k, _))| Some((k.as_str(), *s, (*r)?)))
        .collect();
    assert_eq!(got, want);
    assert_eq!(
        report.skipped[0].to_string(),
        "K1: the user has no value at the path (source ${path:displayName})"
    );

    // Under MissingAttribute::Error nothing is skipped: the first gap is the error.
    let strict = mapping.on_missing(MissingAttribute::Error);
    let err = strict.evaluate_with_report(&user, &schemas()).unwrap_err();
    assert_eq!(err.key(), Some("K1"));
}

#[test]
fn invalid_expressions() {
    for (source, kind) in [
        ("userName", "NotPathExpression"),
        ("${user:email}", "NotPathExpression"),
        ("${dir:email}", "NotPathExpression"),
        ("Team-${path:enterprise.department}", "NotPathExpression"),
        (
            "${path:name.givenName} ${path:name.familyName}",
            "NotPathExpression",
        ),
        ("${path:}", "Path"),
        ("${path:emails[type eq]}", "Path"),
        ("${path:emails[type eq \"work\"}", "Path"),
        ("${path:1userName}", "Path"),
        ("${path:name.givenName.x}", "Path"),
        ("${path:emails[primary eq true].}", "Path"),
        ("${path:userName eq \"x\"}", "Path"),
        ("${path:emails[not (primary pr)].value}", "SourceChar"),
        ("${path:userName}\n", "SourceChar"),
    ] {
        let err = AttributeSource::new(source).unwrap_err();
        let got = format!("{:?}", err.kind());
        assert!(got.starts_with(kind), "{source}: {got}");
        assert_eq!(ScimError::from(err).status, 400);
    }
    let err = AttributeSource::new("${path:emails[type eq]}").unwrap_err();
    assert_eq!(
        err.to_string(),
        "expected a comparison value (a quoted string, a number, true, false or null), \
         found `]` (source ${path:emails[type eq]} at byte 21)"
    );
    assert_eq!(ScimError::from(err).scim_type, Some(ScimType::InvalidPath));
}

// Resolution through the registry: unknown names, complex leaves, filter types.
#[test]
fn sources_resolve_through_the_registry() {
    let user = rfc_user();
    for (source, kind) in [
        ("${path:nmae.givenName}", MappingErrorKind::UnknownAttribute),
        ("${path:name.given}", MappingErrorKind::UnknownAttribute),
        // Enterprise attributes need their URN or `enterprise.` (RFC 7644 §3.10).
        ("${path:costCenter}", MappingErrorKind::UnknownAttribute),
        (
            "${path:enterprise.userName}",
            MappingErrorKind::UnknownAttribute,
        ),
        (
            r#"${path:emails[kind eq "work"].value}"#,
            MappingErrorKind::UnknownAttribute,
        ),
        ("${path:name}", MappingErrorKind::Complex),
        ("${path:enterprise.manager}", MappingErrorKind::Complex),
        (
            r#"${path:emails[type eq "work"]}"#,
            MappingErrorKind::Complex,
        ),
    ] {
        assert_eq!(err_kind(eval_one(source, &user)), kind, "{source}");
    }
    let err = eval_one(r#"${path:emails[primary eq "yes"].value}"#, &user).unwrap_err();
    assert!(
        matches!(err.kind(), MappingErrorKind::InvalidFilter { .. }),
        "{err}"
    );
    assert_eq!(
        ScimError::from(err).scim_type,
        Some(ScimType::InvalidFilter)
    );

    // Configuration errors do not depend on the data: an empty user fails the same way.
    let m = AccessControlMapping::from_pairs([("K", "${path:nmae}")]).unwrap();
    assert_eq!(
        err_kind(m.evaluate(&json!({}), &schemas())),
        MappingErrorKind::UnknownAttribute
    );
    assert_eq!(
        err_kind(m.check(&schemas())),
        MappingErrorKind::UnknownAttribute
    );

    // A registered extension resolves by its URN; unknown schemas do not.
    let mut custom = schemas();
    custom.register(Schema::new(
        "urn:example:params:scim:schemas:extension:acme:2.0:User",
        vec![Attribute::new("badge", AttrType::Integer)],
    ));
    let user = json!({"urn:example:params:scim:schemas:extension:acme:2.0:User": {"badge": 42},
                      "active": true});
    let m = AccessControlMapping::from_entries([
        "Badge=${path:urn:example:params:scim:schemas:extension:acme:2.0:User:badge}",
        "Active=${path:active}",
    ])
    .unwrap();
    let tags = m.evaluate(&user, &custom).unwrap();
    assert_eq!(tags[0].value(), "42");
    assert_eq!(tags[1].value(), "true");
    assert_eq!(
        err_kind(m.evaluate(&user, &schemas())),
        MappingErrorKind::UnknownAttribute
    );
}

#[test]
fn several_values_error_first_or_join() {
    let user = json!({"emails": [{"value": "a@x.org", "type": "work"},
                                 {"value": "b@x.org", "type": "work"}]});
    let source = r#"${path:emails[type eq "work"].value}"#;
    let m = AccessControlMapping::from_pairs([("Mail", source)]).unwrap();
    assert_eq!(
        err_kind(m.evaluate(&user, &schemas())),
        MappingErrorKind::MultipleValues { count: 2 }
    );
    let first = m
        .clone()
        .on_multiple(MultipleValues::First)
        .evaluate(&user, &schemas())
        .unwrap();
    assert_eq!(first[0].value(), "a@x.org");
    let joined = m
        .clone()
        .on_multiple(MultipleValues::Join(':'))
        .evaluate(&user, &schemas())
        .unwrap();
    assert_eq!(joined[0].value(), "a@x.org:b@x.org");
    // The joined text is still checked as a tag value.
    let bad = m
        .on_multiple(MultipleValues::Join(','))
        .evaluate(&user, &schemas())
        .unwrap_err();
    assert!(matches!(bad.kind(), MappingErrorKind::Value(_)));
    // Without a valuePath, the sub-attribute of every element.
    let all = AccessControlMapping::from_pairs([("Mail", "${path:emails.value}")]).unwrap();
    assert_eq!(
        err_kind(all.evaluate(&user, &schemas())),
        MappingErrorKind::MultipleValues { count: 2 }
    );
    // An object where a single value belongs (data the schema does not describe).
    let odd = json!({"title": {"x": 1}});
    assert_eq!(
        err_kind(eval_one("${path:title}", &odd)),
        MappingErrorKind::NotScalar
    );
}

// Rules 119–121: at most 50 attributes; keys by the tag rules, unique ignoring case; sources
// of at most 256 characters.
#[test]
fn configuration_rules() {
    let mut m = AccessControlMapping::new();
    for i in 0..MAX_ACCESS_CONTROL_ATTRIBUTES {
        m.push(&format!("K{i}"), "${path:userName}").unwrap();
    }
    let err = m.push("K50", "${path:userName}").unwrap_err();
    assert_eq!(
        err.kind(),
        &MappingErrorKind::TooManyAttributes { count: 51, max: 50 }
    );
    assert_eq!(m.len(), 50);

    let mut m = AccessControlMapping::new();
    m.push("Dept", "${path:enterprise.department}").unwrap();
    assert_eq!(
        err_kind(m.push("DEPT", "${path:title}")),
        MappingErrorKind::DuplicateKey
    );
    assert_eq!(
        m.get("dept").map(AttributeSource::as_str),
        Some("${path:enterprise.department}")
    );
    assert!(matches!(
        err_kind(m.push("aws:team", "${path:title}")),
        MappingErrorKind::Key(_)
    ));
    assert!(matches!(
        err_kind(m.push("", "${path:title}")),
        MappingErrorKind::Key(_)
    ));
    assert!(m.push(&"k".repeat(128), "${path:title}").is_ok());
    assert!(matches!(
        err_kind(m.push(&"k".repeat(129), "${path:title}")),
        MappingErrorKind::Key(_)
    ));
    assert_eq!(m.len(), 2);

    // A key may hold `=`: the entry splits at `=${`.
    let m = AccessControlMapping::from_entries(["a=b=${path:title}"]).unwrap();
    assert_eq!(m.attributes()[0].key(), "a=b");
    assert_eq!(m.attributes()[0].to_string(), "a=b=${path:title}");
    assert_eq!(
        err_kind(AccessControlMapping::from_entries(["CostCenter"])),
        MappingErrorKind::Entry
    );
}

#[test]
fn typed_user_convenience() {
    let user: User = serde_json::from_value(rfc_user()).unwrap();
    let m = AccessControlMapping::from_entries([
        "CostCenter=${path:enterprise.costCenter}",
        "GivenName=${path:name.givenName}",
    ])
    .unwrap();
    let tags = m.evaluate_user(&user, &schemas()).unwrap();
    assert_eq!(tags, m.evaluate(&rfc_user(), &schemas()).unwrap());
    assert_eq!(tags[1].value(), "Barbara");
}

// Mapping → builder → XML → reader gives back the same tags.
#[test]
fn round_trip_through_xml() {
    let m = AccessControlMapping::from_entries([
        "CostCenter=${path:enterprise.costCenter}",
        "Department=${path:enterprise.department}",
        "Email=${path:emails[primary eq true].value}",
        r#"City=${path:addresses[type eq "work"].locality}"#,
    ])
    .unwrap();
    let user = rfc_user();
    let statement = b()
        .role_session_name("bjensen")
        .access_control_from(&m, &user, &schemas())
        .build()
        .unwrap();
    let xml = statement.to_xml_string();
    assert!(xml.contains(&format!(
        r#"<saml:Attribute Name="{ACCESS_CONTROL_PREFIX}Department" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri"><saml:AttributeValue>Tour Operations</saml:AttributeValue></saml:Attribute>"#
    )));
    let back = StatementReader::new().read(&xml).unwrap();
    assert_eq!(back, statement);
    assert_eq!(
        back.access_control(),
        m.evaluate(&user, &schemas()).unwrap().as_slice()
    );

    // A mapping error stops the build and names the attribute.
    let bad =
        AccessControlMapping::from_entries([r#"Addr=${path:addresses[type eq "work"].formatted}"#])
            .unwrap();
    let err = b()
        .access_control_from(&bad, &user, &schemas())
        .build()
        .unwrap_err();
    assert!(matches!(err.kind(), SamlErrorKind::Mapping(_)));
    assert_eq!(
        err.attribute(),
        Some(format!("{ACCESS_CONTROL_PREFIX}Addr").as_str())
    );
    assert_eq!(ScimError::from(err).scim_type, Some(ScimType::InvalidValue));
    // Mapped and hand-added keys share the duplicate and 50-tag checks.
    let dup = b()
        .access_control("costcenter", "x")
        .access_control_from(&m, &user, &schemas())
        .build()
        .unwrap_err();
    assert!(matches!(dup.kind(), SamlErrorKind::DuplicateTagKey { .. }));
}
