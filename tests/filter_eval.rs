//! Filter evaluation (RFC 7644 §3.4.2.2, RFC 7643 §2): the shared workload's expectations and
//! (resource, filter, expected) tables for each rule.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // helpers outside #[test]

use scimkit::schema::{AttrType, Attribute};
use scimkit::{Compat, Filter, SchemaRegistry, ScimType};
use serde_json::{Value, json};

fn workload_user() -> Value {
    let all: Value = serde_json::from_str(include_str!("data/patches.json")).unwrap();
    all["resources"]["user"].clone()
}

#[track_caller]
fn eval(filter: &str, resource: &Value) -> Result<bool, scimkit::ScimError> {
    let f =
        Filter::parse_with(filter, &Compat::entra()).unwrap_or_else(|e| panic!("{filter}: {e}"));
    f.matches(resource, SchemaRegistry::standard())
}

#[track_caller]
fn check(resource: &Value, table: &[(&str, bool)]) {
    let mut wrong = Vec::new();
    for &(filter, expected) in table {
        match eval(filter, resource) {
            Ok(got) if got == expected => {}
            other => wrong.push(format!("{filter}: expected {expected}, got {other:?}")),
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn workload_filters_give_the_expected_result_on_the_workload_user() {
    let filters: Vec<Value> = serde_json::from_str(include_str!("data/filters.json")).unwrap();
    let user = workload_user();
    assert!(filters.len() >= 35);
    let table: Vec<(&str, bool)> = filters
        .iter()
        .filter_map(|f| Some((f["filter"].as_str()?, f["expect_user"].as_bool()?)))
        .collect();
    assert_eq!(table.len(), filters.len());
    check(&user, &table);
}

#[test]
fn names_are_case_insensitive_and_values_follow_case_exact() {
    let user = workload_user();
    check(
        &user,
        &[
            (r#"USERNAME eq "BJENSEN""#, true),
            (r#"username sw "BJ""#, true),
            (r#"NAME.FAMILYNAME eq "jensen""#, true),
            (r#"title eq "tour guide""#, true),
            (r#"emails.value eq "BJENSEN@EXAMPLE.COM""#, true),
            // id and externalId are caseExact.
            (r#"id eq "2819C223-7F76-453A-919D-413861904646""#, false),
            (r#"id eq "2819c223-7f76-453a-919d-413861904646""#, true),
            (r#"externalId eq "00U1ABCD2EFGH3IJK4L5""#, false),
            (r#"externalId eq "00u1abcd2EFGH3ijk4l5""#, true),
            (r#"meta.version eq "w/\"A330BC54F0671C9\"""#, false),
            // An unknown attribute follows the RFC 7643 §2.2 defaults (caseExact false).
            (r#"favouriteColour eq "TEAL""#, false),
        ],
    );
    let mut custom = user.clone();
    custom["favouriteColour"] = json!("teal");
    custom["LuckyNumbers"] = json!([3, 7]);
    check(
        &custom,
        &[
            (r#"favouriteColour eq "TEAL""#, true),
            (r#"FAVOURITECOLOUR co "EA""#, true),
            ("luckyNumbers eq 7", true),
            ("luckyNumbers gt 7", false),
            ("luckyNumbers ge 7.0", true),
            (r#"luckyNumbers eq "7""#, false),
        ],
    );
}

#[test]
fn string_operators() {
    let user = workload_user();
    check(
        &user,
        &[
            (r#"userName co "ense""#, true),
            (r#"userName co """#, true),
            (r#"userName sw "bjensen""#, true),
            (r#"userName sw "bjensenx""#, false),
            (r#"userName ew "SEN""#, true),
            (r#"userName ew "bj""#, false),
            (r#"userName ne "bjensen""#, false),
            (r#"userName ne "other""#, true),
            (r#"userName gt "a""#, true),
            (r#"userName gt "BZ""#, false),
            (r#"userName lt "C""#, true),
            (r#"userName ge "BJENSEN""#, true),
            (r#"userName le "bjensen""#, true),
            (r#"displayName eq "Babs Jensen""#, true),
            (r#"name.formatted co "III""#, true),
            (r#"profileUrl sw "HTTPS://""#, true),
        ],
    );
    let unicode = json!({"userName": "Élodie", "displayName": "ŁUKASZ Straße"});
    check(
        &unicode,
        &[
            (r#"userName eq "élodie""#, true),
            (r#"userName sw "éL""#, true),
            (r#"displayName co "łukasz""#, true),
            (r#"displayName ew "STRASSE""#, false),
            (r#"displayName ew "straße""#, true),
        ],
    );
}

#[test]
fn numbers_compare_numerically() {
    let schemas = {
        let mut r = SchemaRegistry::default();
        let attrs = vec![
            Attribute::new("age", AttrType::Integer),
            Attribute::new("score", AttrType::Decimal),
            Attribute::new("tags", AttrType::String).with_multi_valued(true),
        ];
        r.register(scimkit::schema::Schema::new(
            "urn:example:params:scim:schemas:Thing",
            attrs,
        ));
        r.register_resource_type("Thing", "urn:example:params:scim:schemas:Thing", &[]);
        r
    };
    let thing =
        json!({"age": 42, "score": 9.5, "tags": ["Red", "blue"], "big": 18446744073709551615u64});
    let table = [
        ("age eq 42", true),
        ("age eq 42.0", true),
        ("age gt 9", true),
        ("age lt 100", true),
        ("age ge 42", true),
        ("age le 41", false),
        ("age ne 41", true),
        ("score gt 9.25", true),
        ("score lt 1e1", true),
        ("score eq 9.5", true),
        ("big gt 18446744073709551614", true),
        ("big eq 18446744073709551615", true),
        ("big gt -1", true),
        (r#"tags eq "RED""#, true),
        (r#"tags ew "UE""#, true),
        (r#"tags eq "green""#, false),
        (r#"tags ne "red""#, true),
    ];
    for (filter, expected) in table {
        let f: Filter = filter.parse().unwrap();
        assert_eq!(f.matches(&thing, &schemas).unwrap(), expected, "{filter}");
    }
    for bad in [
        r#"age eq "42""#,
        "age co 4",
        "age sw 4",
        r#"score gt "1""#,
        "age eq true",
    ] {
        let f: Filter = bad.parse().unwrap();
        let err = f.matches(&thing, &schemas).unwrap_err();
        assert_eq!(
            (err.status, err.scim_type),
            (400, Some(ScimType::InvalidFilter)),
            "{bad}"
        );
    }
}

#[test]
fn date_times_compare_chronologically_whatever_the_offset() {
    let user = workload_user(); // meta.lastModified = 2011-05-13T04:42:34Z
    check(
        &user,
        &[
            (r#"meta.lastModified eq "2011-05-13T04:42:34Z""#, true),
            (r#"meta.lastModified eq "2011-05-13T06:42:34+02:00""#, true),
            (r#"meta.lastModified eq "2011-05-12T21:42:34-07:00""#, true),
            (r#"meta.lastModified eq "2011-05-13T04:42:34.000Z""#, true),
            (r#"meta.lastModified eq "2011-05-13T04:42:34""#, true),
            (r#"meta.lastModified gt "2011-05-13T05:42:34+02:00""#, true),
            (r#"meta.lastModified lt "2011-05-13T05:42:34+02:00""#, false),
            (r#"meta.lastModified lt "2011-05-13T04:42:34.001Z""#, true),
            (r#"meta.lastModified ne "2011-05-13T04:42:34Z""#, false),
            (r#"meta.created lt "2011-05-13T04:42:34Z""#, true),
            (r#"meta.created sw "2010-01""#, true),
        ],
    );
    let bad_data = json!({"meta": {"lastModified": "yesterday"}});
    check(
        &bad_data,
        &[(r#"meta.lastModified gt "2000-01-01T00:00:00Z""#, false)],
    );
    let err = eval(r#"meta.lastModified gt "yesterday""#, &user).unwrap_err();
    assert_eq!(err.scim_type, Some(ScimType::InvalidFilter));
}

#[test]
fn booleans_only_compare_with_eq_and_ne() {
    let user = workload_user();
    check(
        &user,
        &[
            ("active eq true", true),
            ("active eq TRUE", true),
            ("active ne true", false),
            ("active ne false", true),
            ("emails.primary eq true", true),
            ("emails[primary eq false]", false),
        ],
    );
    for bad in [
        "active gt true",
        "active lt false",
        "active ge true",
        "active le true",
        r#"active eq "true""#,
        "active eq 1",
        "active co true",
        "x gt false",
        "userName gt true",
        "userName eq 1",
        "userName co 1",
        r#"emails[primary gt true]"#,
        "title gt null",
        "title co null",
        r#"name co "Jensen""#,
        // Checked even where `and`/`or` would not evaluate it, or no element exists.
        r#"userName eq "nobody" and active gt true"#,
        r#"userName eq "bjensen" or active gt true"#,
        r#"photos[primary gt true]"#,
        r#"not (userName eq "x" and active gt true)"#,
    ] {
        let err = eval(bad, &user).unwrap_err();
        assert_eq!(
            (err.status, err.scim_type),
            (400, Some(ScimType::InvalidFilter)),
            "{bad}"
        );
        assert!(err.detail.is_some());
    }
}

#[test]
fn presence_and_null_follow_rfc7643_section_2_5() {
    let resource = json!({
        "userName": "bjensen",
        "nickName": "",
        "title": null,
        "emails": [],
        "name": {},
        "phoneNumbers": [{"value": "555", "type": ""}],
        "ims": [{"type": "aim"}],
        "x509Certificates": [{"value": null}],
    });
    check(
        &resource,
        &[
            ("userName pr", true),
            ("nickName pr", false),
            ("title pr", false),
            ("emails pr", false),
            ("name pr", false),
            ("displayName pr", false),
            ("phoneNumbers pr", true),
            ("phoneNumbers.value pr", true),
            ("phoneNumbers.type pr", false),
            ("ims.value pr", false),
            ("x509Certificates.value pr", false),
            ("userName eq null", false),
            ("userName ne null", true),
            ("nickName eq null", true),
            ("title eq null", true),
            ("emails eq null", true),
            ("name eq null", true),
            ("name.givenName eq null", true),
            ("displayName eq null", true),
            ("displayName ne null", false),
            ("ims.value eq null", true),
            ("phoneNumbers.type eq null", true),
            ("phoneNumbers eq null", false),
            // An unassigned attribute is null: `ne` any other value.
            (r#"displayName ne "x""#, true),
            (r#"displayName eq "x""#, false),
            (r#"nickName ne "x""#, true),
            (r#"nickName eq """#, false),
        ],
    );
}

#[test]
fn multi_valued_attributes_match_when_any_value_does() {
    let user = workload_user();
    check(
        &user,
        &[
            (r#"emails co "example.com""#, true),
            (r#"emails co "jensen.org""#, true),
            (r#"emails eq "babs@jensen.org""#, true),
            (r#"emails.type eq "home""#, true),
            (r#"emails.type eq "other""#, false),
            (r#"phoneNumbers eq "555-555-4444""#, true),
            (r#"emails.type ne "work""#, true),
            (r#"addresses.locality eq "hollywood""#, true),
            (
                r#"urn:ietf:params:scim:schemas:core:2.0:User:emails.value ew "@example.com""#,
                true,
            ),
            (
                r#"schemas eq "urn:ietf:params:scim:schemas:core:2.0:User""#,
                true,
            ),
            (
                r#"schemas eq "urn:ietf:params:scim:schemas:core:2.0:Group""#,
                false,
            ),
            (r#"schemas co "enterprise""#, true),
        ],
    );
}

#[test]
fn value_paths_need_one_element_to_satisfy_the_whole_filter() {
    let user = workload_user();
    check(
        &user,
        &[
            (
                r#"emails[type eq "work" and value co "@example.com"]"#,
                true,
            ),
            // Each condition holds for some element, but not both for the same one.
            (
                r#"emails[type eq "home" and value co "@example.com"]"#,
                false,
            ),
            (r#"emails[type eq "home" and primary eq true]"#, false),
            (r#"emails[type eq "work" and primary eq true]"#, true),
            (r#"emails[not (type eq "work")]"#, true),
            (r#"emails[type eq "work" or type eq "home"]"#, true),
            (r#"emails[primary pr]"#, true),
            (r#"ims[type eq "xmpp"]"#, false),
            (r#"photos[type eq "photo"]"#, false),
            (r#"addresses[type eq "work" and postalCode sw "916"]"#, true),
            (r#"EMAILS[TYPE eq "WORK"]"#, true),
            (
                r#"urn:ietf:params:scim:schemas:core:2.0:User:emails[type eq "work"]"#,
                true,
            ),
            (
                r#"emails[type eq "work"].value eq "bjensen@example.com""#,
                true,
            ),
            (
                r#"emails[type eq "home"].value eq "bjensen@example.com""#,
                false,
            ),
        ],
    );
    // A simple multi-valued attribute: each element is its own `value`.
    let thing = json!({"schemas": ["urn:a:b", "urn:c:d"]});
    check(
        &thing,
        &[
            (r#"schemas[value eq "URN:C:D"]"#, true),
            (r#"schemas[value sw "urn:x"]"#, false),
        ],
    );
}

#[test]
fn extension_attributes_resolve_through_their_urn() {
    let user = workload_user();
    let ent = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    check(
        &user,
        &[
            (&format!(r#"{ent}:employeeNumber eq "701984""#), true),
            (&format!(r#"{ent}:EMPLOYEENUMBER eq "701984""#), true),
            (
                &format!(r#"{}:employeeNumber eq "701984""#, ent.to_uppercase()),
                true,
            ),
            (&format!(r#"{ent}:manager.value sw "26118915""#), true),
            (
                &format!(r#"{ent}:manager eq "26118915-6090-4610-87e4-49d8ca9f808d""#),
                true,
            ),
            (&format!(r#"{ent}:department co "tour""#), true),
            (&format!(r#"{ent}:costCenter pr"#), true),
            (&format!(r#"{ent}:division eq null"#), false),
            (&format!(r#"{ent}:manager.displayName pr"#), false),
            // Unqualified extension attributes are not core attributes.
            (r#"employeeNumber eq "701984""#, false),
            (r#"urn:example:unknown:1.0:Thing:x pr"#, false),
        ],
    );
    let mut custom = user.clone();
    custom["urn:example:unknown:1.0:Thing"] = json!({"x": "y"});
    check(
        &custom,
        &[(r#"urn:example:unknown:1.0:Thing:x eq "Y""#, true)],
    );
}

#[test]
fn logic_and_precedence() {
    let user = workload_user();
    check(
        &user,
        &[
            (
                r#"userName eq "x" or userName eq "bjensen" and active eq true"#,
                true,
            ),
            (
                r#"(userName eq "x" or userName eq "bjensen") and active eq false"#,
                false,
            ),
            (r#"not (userName eq "x")"#, true),
            (r#"not (not (userName eq "bjensen"))"#, true),
            (
                r#"title pr and userType eq "Employee" and active eq true and name.givenName sw "B""#,
                true,
            ),
            (
                r#"title pr and userType eq "Employee" and active eq false and name.givenName sw "B""#,
                false,
            ),
        ],
    );
}

#[test]
fn matches_element_reads_sub_attributes_of_the_parent() {
    let schemas = SchemaRegistry::standard();
    let emails = schemas.attribute("emails");
    let work = json!({"value": "bjensen@example.com", "type": "work", "primary": true});
    let f: Filter = r#"TYPE eq "WORK" and primary eq true and value ew "EXAMPLE.COM""#
        .parse()
        .unwrap();
    assert!(f.matches_element(&work, emails).unwrap());
    assert!(!f.matches_element(&json!({"type": "home"}), emails).unwrap());
    let bad: Filter = "primary gt true".parse().unwrap();
    assert!(bad.matches_element(&work, emails).is_err());
    // Without a definition, the RFC defaults: strings case-insensitive.
    assert!(f.matches_element(&work, None).unwrap());
    let members = schemas.attribute("members");
    let m: Filter = r#"value eq "2819c223-7f76-453a-919d-413861904646""#
        .parse()
        .unwrap();
    assert!(
        m.matches_element(
            &json!({"value": "2819c223-7f76-453a-919d-413861904646"}),
            members
        )
        .unwrap()
    );
    assert!(
        !m.matches_element(&json!({"value": "other"}), members)
            .unwrap()
    );
}
