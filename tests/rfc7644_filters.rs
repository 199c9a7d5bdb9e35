//! Conformance tables for RFC 7644 §3.4.2.2 filtering, evaluated through the public API
//! against the RFC 7643 §8.3 enterprise user: every example of the section, each operator
//! per attribute type, presence, multi-valued and complex semantics, precedence, valuePaths,
//! URN-qualified paths and the errors. Inputs also come from other implementations' suites
//! (scim2-filter-parser, scim2-models, elimity-com/scim and scim2/filter-parser, SCIMple,
//! scim2-parse-filter); each row's expectation is decided against the RFC text.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // helpers outside #[test]

use scimkit::schema::{AttrType, Attribute, Schema};
use scimkit::{Filter, SchemaRegistry, ScimType};
use serde_json::{Value, json};

/// What a row expects: a match, no match, or a `400` with this `scimType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Want {
    T,
    F,
    Err(ScimType),
}
use Want::{F, T};

const BAD: Want = Want::Err(ScimType::InvalidFilter);
const ENT: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

fn enterprise_user() -> Value {
    let text = include_str!("data/resources/rfc7643-8.3-enterprise-user.json");
    serde_json::from_str(text).unwrap()
}

fn outcome(filter: &str, resource: &Value, schemas: &SchemaRegistry) -> Want {
    let parsed: Result<Filter, _> = filter.parse();
    let result = match parsed {
        Ok(f) => f.matches(resource, schemas),
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(true) => T,
        Ok(false) => F,
        Err(e) => {
            assert_eq!(Some(e.status), e.scim_type.map(|t| t.status()), "{filter}");
            Want::Err(e.scim_type.unwrap())
        }
    }
}

#[track_caller]
fn table_with(schemas: &SchemaRegistry, resource: &Value, rows: &[(&str, Want)]) {
    let wrong: Vec<String> = rows
        .iter()
        .filter_map(|&(filter, want)| {
            let got = outcome(filter, resource, schemas);
            (got != want).then(|| format!("{filter}: want {want:?}, got {got:?}"))
        })
        .collect();
    assert!(
        wrong.is_empty(),
        "{} of {}: {wrong:#?}",
        wrong.len(),
        rows.len()
    );
}

#[track_caller]
fn table(resource: &Value, rows: &[(&str, Want)]) {
    table_with(SchemaRegistry::standard(), resource, rows);
}

/// Every filter example of RFC 7644 §3.4.2.2, on the §8.3 user
/// (userName "bjensen@example.com", title "Tour Guide", userType "Employee").
#[test]
fn rfc7644_section_3_4_2_2_examples() {
    table(
        &enterprise_user(),
        &[
            (r#"userName eq "bjensen""#, F),
            (r#"userName eq "bjensen@example.com""#, T),
            (r#"name.familyName co "O'Malley""#, F),
            (r#"name.familyName co "ens""#, T),
            (r#"userName sw "J""#, F),
            (r#"userName sw "b""#, T),
            (
                r#"urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J""#,
                F,
            ),
            (
                r#"urn:ietf:params:scim:schemas:core:2.0:User:userName sw "BJ""#,
                T,
            ),
            ("title pr", T),
            (r#"meta.lastModified gt "2011-05-13T04:42:34Z""#, F),
            (r#"meta.lastModified ge "2011-05-13T04:42:34Z""#, T),
            (r#"meta.lastModified lt "2011-05-13T04:42:34Z""#, F),
            (r#"meta.lastModified le "2011-05-13T04:42:34Z""#, T),
            (r#"title pr and userType eq "Employee""#, T),
            (r#"title pr or userType eq "Intern""#, T),
            (
                r#"schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User""#,
                T,
            ),
            (
                r#"userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")"#,
                T,
            ),
            (
                r#"userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")"#,
                F,
            ),
            (r#"userType eq "Employee" and (emails.type eq "work")"#, T),
            (
                r#"userType eq "Employee" and emails[type eq "work" and value co "@example.com"]"#,
                T,
            ),
            (
                r#"emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]"#,
                T,
            ),
            // "Attribute names and attribute operators used in filters are case insensitive."
            (r#"userName Eq "bjensen@example.com""#, T),
            (r#"Username eq "bjensen@example.com""#, T),
            (r#"USERNAME EQ "bjensen@example.com" AND TITLE PR"#, T),
            (r#"title pr OR userType eq "Intern""#, T),
            (r#"NOT (title pr)"#, F),
        ],
    );
}

/// §3.4.2.2: "When comparing attributes of type String, the case sensitivity for String type
/// attributes SHALL be determined by the attribute's caseExact characteristic".
#[test]
fn strings_follow_case_exact() {
    table(
        &enterprise_user(),
        &[
            // userName, title, name.*, emails.value: caseExact false (RFC 7643 §8.7.1).
            (r#"userName eq "BJENSEN@EXAMPLE.COM""#, T),
            (r#"userName co "JENSEN@""#, T),
            (r#"userName ew ".COM""#, T),
            (r#"title eq "tour guide""#, T),
            (r#"name.givenName sw "bar""#, T),
            (r#"emails.value eq "BABS@JENSEN.ORG""#, T),
            (r#"emails.type eq "WORK""#, T),
            // id, externalId and meta.location are caseExact true.
            (r#"id eq "2819C223-7F76-453A-919D-413861904646""#, F),
            (r#"id eq "2819c223-7f76-453a-919d-413861904646""#, T),
            (r#"externalId eq "701984""#, T),
            (r#"meta.location sw "HTTPS://EXAMPLE.COM""#, F),
            (r#"meta.location sw "https://example.com""#, T),
            // Enterprise extension strings: caseExact false.
            (&format!(r#"{ENT}:department eq "TOUR OPERATIONS""#), T),
            (&format!(r#"{ENT}:organization sw "universal""#), T),
            // Lexicographic order of caseExact=false strings ignores case.
            (r#"userName gt "BJENSEN""#, T),
            (r#"userName lt "bjensen@example.con""#, T),
            (r#"userName lt "BJENSEN@EXAMPLE.COM""#, F),
            (r#"userName lt "BJENSEN@EXAMPLE.COO""#, T),
            (r#"userName ge "bjensen@example.com""#, T),
            (r#"userName le "BJENSEN@EXAMPLE.COM""#, T),
            (r#"title gt "Tour Guide""#, F),
            (r#"title ge "Tour Guide""#, T),
            (r#"title lt "Z""#, T),
            (r#"id gt "2819C223""#, T),
            // `sw` is satisfied "if the two strings are identical".
            (r#"userName sw "bjensen@example.com""#, T),
            (r#"userName ew "bjensen@example.com""#, T),
            (r#"userName co "bjensen@example.com""#, T),
            (r#"userName co "bjensen@example.com.""#, F),
            (r#"userName sw "example""#, F),
            (r#"userName ew "bjensen""#, F),
            (r#"userName ne "bjensen@example.com""#, F),
            (r#"userName ne "x""#, T),
        ],
    );
}

/// §3.4.2.2 `gt`..`le`: "For integer attributes, it is a comparison by numeric value. Boolean
/// and Binary attributes SHALL cause a failed response (HTTP status code 400) with "scimType"
/// of "invalidFilter"."
#[test]
fn ordering_per_type() {
    table(
        &enterprise_user(),
        &[
            ("active gt true", BAD),
            ("active ge false", BAD),
            ("active lt true", BAD),
            ("active le false", BAD),
            ("emails.primary gt false", BAD),
            ("emails[primary lt true]", BAD),
            (r#"x509Certificates.value gt "MII""#, BAD),
            (r#"x509Certificates.value le "MII""#, BAD),
            (r#"x509Certificates gt "MII""#, BAD),
            // dateTimes compare chronologically, not as text.
            (r#"meta.created gt "2010-01-23T05:56:22+02:00""#, T),
            (r#"meta.created lt "2010-01-23T04:56:22.5Z""#, T),
            (r#"meta.created eq "2010-01-23T06:56:22+02:00""#, T),
            (r#"meta.created ge "2010-01-22T23:56:22-05:00""#, T),
            (r#"meta.created gt "2010-01-22T23:56:22-05:00""#, F),
            (r#"meta.lastModified gt meta.created"#, BAD),
            (r#"meta.lastModified gt 2011"#, BAD),
            (r#"meta.lastModified gt "not a date""#, BAD),
            // booleans: eq/ne only, against a boolean.
            ("active eq true", T),
            ("active eq false", F),
            ("active ne false", T),
            ("active ne true", F),
            ("active eq True", T),
            (r#"active eq "true""#, BAD),
            ("active co true", BAD),
            ("active sw true", BAD),
            ("active ew true", BAD),
            ("active eq 1", BAD),
            // strings against a non-string value.
            ("userName eq 1", BAD),
            ("userName gt 1", BAD),
            ("userName eq true", BAD),
            ("title co true", BAD),
        ],
    );
}

fn registry_with_numbers() -> SchemaRegistry {
    let mut r = SchemaRegistry::default();
    r.register(Schema::new(
        "urn:example:params:scim:schemas:Device",
        vec![
            Attribute::new("serial", AttrType::String).with_case_exact(true),
            Attribute::new("port", AttrType::Integer),
            Attribute::new("load", AttrType::Decimal),
            Attribute::new("seen", AttrType::DateTime),
            Attribute::new("blob", AttrType::Binary),
            Attribute::new("ports", AttrType::Integer).with_multi_valued(true),
            Attribute::new("labels", AttrType::String).with_multi_valued(true),
        ],
    ));
    r.register_resource_type("Device", "urn:example:params:scim:schemas:Device", &[]);
    r
}

#[test]
fn numbers_binary_and_case_exact_strings_in_a_custom_schema() {
    let device = json!({
        "schemas": ["urn:example:params:scim:schemas:Device"],
        "serial": "AbC-42", "port": 8080, "load": 0.75, "seen": "2024-02-29T12:00:00Z",
        "blob": "AAEC", "ports": [22, 443], "labels": ["Blue", "green"]
    });
    table_with(
        &registry_with_numbers(),
        &device,
        &[
            ("port eq 8080", T),
            ("port eq 8080.0", T),
            ("port gt 80", T),
            ("port lt 10000", T),
            ("port ge 8080", T),
            ("port le 8079", F),
            ("port ne 80", T),
            ("port gt -1", T),
            ("load lt 1", T),
            ("load gt 0.5", T),
            ("load eq 0.75", T),
            ("load ge 7.5e-1", T),
            (r#"port eq "8080""#, BAD),
            ("port eq true", BAD),
            ("ports eq 443", T),
            ("ports gt 442", T),
            ("ports lt 22", F),
            ("ports[value gt 100]", T),
            // caseExact string.
            (r#"serial eq "abc-42""#, F),
            (r#"serial eq "AbC-42""#, T),
            (r#"serial sw "AbC""#, T),
            (r#"serial co "bc""#, F),
            (r#"serial gt "AbC-41""#, T),
            (r#"serial gt "a""#, F),
            // binary: eq/ne compare exactly, ordering is refused.
            (r#"blob eq "AAEC""#, T),
            (r#"blob eq "aaec""#, F),
            (r#"blob gt "A""#, BAD),
            (r#"blob lt "A""#, BAD),
            ("blob pr", T),
            // dateTime.
            (r#"seen gt "2024-02-29T11:59:59Z""#, T),
            (r#"seen eq "2024-02-29T13:00:00+01:00""#, T),
            (r#"seen lt "2024-03-01""#, BAD),
            // Simple multi-valued strings: any value.
            (r#"labels eq "blue""#, T),
            (r#"labels co "ree""#, T),
            (r#"labels[value eq "GREEN"]"#, T),
            (r#"labels ne "blue""#, T),
        ],
    );
}

/// §3.4.2.2 `pr`: "If the attribute has a non-empty value, or if it contains a non-empty node
/// for complex attributes, there is a match." RFC 7643 §2.5: unassigned, null and `[]` are
/// equivalent.
#[test]
fn presence() {
    let r = json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": "bjensen",
        "nickName": "",
        "title": null,
        "emails": [],
        "name": {},
        "addresses": [{}],
        "phoneNumbers": [{"value": ""}],
        "ims": [{"value": null, "type": "aim"}],
        "photos": [{"value": "https://p/1"}],
        "x509Certificates": [{"value": null}],
        "entitlements": [{"value": null, "type": ""}, {"display": "x"}],
        "roles": [{"value": null}, "admin"],
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
            "manager": {"value": null, "displayName": ""}
        },
        "meta": {"resourceType": "User"}
    });
    table(
        &r,
        &[
            ("userName pr", T),
            ("nickName pr", F),
            ("title pr", F),
            ("emails pr", F),
            ("name pr", F),
            ("name.givenName pr", F),
            ("addresses pr", F),
            ("phoneNumbers pr", F),
            ("phoneNumbers.value pr", F),
            ("ims pr", T),
            ("ims.value pr", F),
            ("ims.type pr", T),
            ("photos pr", T),
            ("photos.value pr", T),
            ("displayName pr", F),
            ("meta pr", T),
            ("meta.created pr", F),
            (&format!("{ENT}:department pr"), F),
            // A complex value whose members are all unassigned is an empty node.
            (&format!("{ENT}:manager pr"), F),
            (&format!("{ENT}:manager eq null"), T),
            (&format!("{ENT}:manager.value pr"), F),
            ("x509Certificates pr", F),
            ("entitlements pr", T),
            ("entitlements.display pr", T),
            ("entitlements.value pr", F),
            ("roles pr", T),
            ("not (title pr)", T),
            ("not (userName pr)", F),
            ("USERNAME PR", T),
            // An attribute the schema does not know follows the §2.2 defaults.
            ("undefinedAttr pr", F),
        ],
    );
}

/// §3.4.2.2: "If the specified attribute in a filter expression is a multi-valued attribute,
/// the filter matches if any of the values of the specified attribute match"; a complex
/// multi-valued attribute without a sub-attribute compares its `value` (the section's own
/// `emails co "example.com"`).
#[test]
fn multi_valued_and_complex() {
    let u = enterprise_user();
    table(
        &u,
        &[
            (r#"emails co "example.com""#, T),
            (r#"emails co "jensen.org""#, T),
            (r#"emails eq "bjensen@example.com""#, T),
            (r#"emails sw "babs""#, T),
            (r#"emails ew "@nowhere.org""#, F),
            (r#"emails.value co "example.org""#, F),
            (r#"emails.type eq "home""#, T),
            (r#"emails.type eq "other""#, F),
            (r#"emails.type ne "work""#, T),
            (r#"phoneNumbers.value eq "555-555-4444""#, T),
            (
                r#"phoneNumbers.type eq "mobile" and phoneNumbers.value eq "555-555-5555""#,
                T,
            ),
            (
                r#"phoneNumbers[type eq "mobile" and value eq "555-555-5555"]"#,
                F,
            ),
            (r#"groups.display eq "Employees""#, T),
            (
                r#"groups.value eq "fc348aa8-3835-40eb-a20b-c726e15c55b5""#,
                T,
            ),
            (r#"addresses.locality eq "HOLLYWOOD""#, T),
            (r#"addresses.primary eq true"#, T),
            ("emails.primary eq false", F),
            (r#"x509Certificates.value sw "MIID""#, T),
            (r#"schemas co "enterprise""#, T),
            (
                r#"schemas eq "URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER""#,
                T,
            ),
            // A complex single-valued attribute: a sub-attribute must be named.
            (r#"name.formatted co "Barbara J""#, T),
            (r#"name eq "Jensen""#, BAD),
            (r#"name co "Jensen""#, BAD),
            (r#"meta eq "User""#, BAD),
            (&format!(r#"{ENT}:manager.displayName eq "john smith""#), T),
            (
                &format!(r#"{ENT}:manager eq "26118915-6090-4610-87e4-49d8ca9f808d""#),
                T,
            ),
        ],
    );
}

/// An attribute without a value is `null` (RFC 7643 §2.5): `eq` never matches it, `ne`
/// always does; `eq null` selects it.
#[test]
fn unassigned_attributes() {
    let u = enterprise_user();
    table(
        &u,
        &[
            (r#"nickName eq "x""#, F),
            (r#"honorificPrefix eq "x""#, F),
            (r#"name.honorificPrefix eq "Ms.""#, T),
            (r#"displayName ne "Babs Jensen""#, F),
            // missing: no value to compare
            (r#"entitlements eq "x""#, F),
            (r#"entitlements ne "x""#, T),
            (r#"roles.value co "x""#, F),
            (r#"roles.value sw "x""#, F),
            (r#"roles.value gt "x""#, F),
            (r#"roles.value lt "x""#, F),
            (r#"name.middleName ne "x""#, T),
            (r#"name.middleName ne "jane""#, F),
            (&format!(r#"{ENT}:division ne "x""#), T),
            (r#"entitlements eq null"#, T),
            (r#"entitlements ne null"#, F),
            (r#"userName eq null"#, F),
            (r#"userName ne null"#, T),
            (r#"name.givenName eq null"#, F),
            ("not (entitlements pr)", T),
        ],
    );
}

/// §3.4.2.2: "not" takes precedence over "and", which takes precedence over "or"; grouping
/// first. Inputs from scim2-filter-parser #17 (three-term chains) and scim-filter (the
/// right-associating `a and b or c`).
#[test]
fn precedence_and_grouping() {
    let u = enterprise_user();
    table(
        &u,
        &[
            // a and b or c == (a and b) or c
            (r#"title eq "x" and userType eq "x" or active eq true"#, T),
            (r#"title eq "x" and (userType eq "x" or active eq true)"#, F),
            // a or b and c == a or (b and c)
            (r#"active eq true or title eq "x" and userType eq "x""#, T),
            (r#"(active eq true or title eq "x") and userType eq "x""#, F),
            // three-term chains
            (r#"title eq "x" or userType eq "x" or active eq true"#, T),
            (r#"title pr and userType pr and active eq false"#, F),
            (
                r#"title eq "x" or userType eq "y" or nickName eq "z" or userName pr"#,
                T,
            ),
            // not binds to its group only
            (r#"not (title pr) or active eq true"#, T),
            (r#"not (title pr) and active eq true"#, F),
            (r#"not (title pr or active eq false)"#, F),
            (r#"not (not (title pr))"#, T),
            (r#"not(title eq "x")"#, T),
            (r#"((((title pr))))"#, T),
            (
                r#"(title pr) and ((userType eq "Employee") or (nickName eq "x"))"#,
                T,
            ),
            // keywords inside values are values (wso2/product-is #12759)
            (r#"title eq "and" or title eq "or""#, F),
            (r#"title eq "Tour Guide" and nickName ne "not (""#, T),
            (r#"title eq "Tour Guide]""#, F),
            // the RFC's own `eq"…"` spacing (§3.5.2.2)
            (r#"title eq"Tour Guide""#, T),
        ],
    );
}

/// valuePath filters: one element must satisfy the whole bracketed filter.
#[test]
fn value_paths() {
    let u = enterprise_user();
    table(
        &u,
        &[
            (r#"emails[type eq "work"]"#, T),
            (r#"emails[type eq "work" and value co "@example.com"]"#, T),
            (r#"emails[type eq "home" and value co "@example.com"]"#, F),
            (r#"emails[type eq "home" or value co "@nowhere"]"#, T),
            (r#"emails[not (type eq "work")]"#, T),
            (r#"emails[not (type eq "work") and primary eq true]"#, F),
            (r#"emails[primary eq true]"#, T),
            (r#"emails[primary pr]"#, T),
            (r#"emails[display pr]"#, F),
            (r#"emails[(type eq "work")]"#, T),
            (r#"ims[type eq "xmpp" and value co "@foo.com"]"#, F),
            (r#"addresses[postalCode eq "91608" and type eq "home"]"#, T),
            (r#"EMAILS[TYPE EQ "WORK"]"#, T),
            (r#"entitlements[value pr]"#, F),
            (r#"not (emails[type eq "other"])"#, T),
            (r#"emails[type eq "work"] and emails[type eq "home"]"#, T),
            (r#"groups[display eq "US Employees"]"#, T),
            (
                r#"urn:ietf:params:scim:schemas:core:2.0:User:emails[type eq "home"]"#,
                T,
            ),
            // On a single-valued complex attribute (scim-patch #453): the one value.
            (&format!(r#"{ENT}:manager[displayName eq "John Smith"]"#), T),
            (r#"name[givenName eq "Barbara"]"#, T),
            (r#"name[givenName eq "Barb"]"#, F),
            // Errors inside a bracket are still type-checked.
            (r#"emails[primary gt true]"#, BAD),
            (r#"emails[type gt true]"#, BAD),
            // Erratum 5405: valuePaths do not nest.
            (r#"emails[type[value eq "x"]]"#, BAD),
            (r#"emails[type eq "work"][value pr]"#, BAD),
            // A valuePath is not a comparison operand.
            (r#"emails[type eq "work"] eq "x""#, BAD),
        ],
    );
}

/// URN-qualified attribute paths (§3.10): core and extension URNs, any case.
#[test]
fn urn_qualified_paths() {
    let u = enterprise_user();
    let core = "urn:ietf:params:scim:schemas:core:2.0:User";
    table(
        &u,
        &[
            (&format!(r#"{core}:userName eq "bjensen@example.com""#), T),
            (&format!(r#"{core}:name.givenName eq "barbara""#), T),
            (&format!(r#"{core}:emails.value co "@jensen""#), T),
            (&format!(r#"{}:USERNAME pr"#, core.to_uppercase()), T),
            (&format!(r#"{ENT}:employeeNumber eq "701984""#), T),
            (&format!(r#"{ENT}:costCenter eq "4130""#), T),
            (
                &format!(r#"{ENT}:manager.value eq "26118915-6090-4610-87e4-49d8ca9f808d""#),
                T,
            ),
            (
                &format!(r#"{}:employeeNumber eq "701984""#, ENT.to_uppercase()),
                T,
            ),
            (
                &format!(r#"{ENT}:employeeNumber eq "701984" and userName pr"#),
                T,
            ),
            (&format!(r#"not ({ENT}:employeeNumber eq "701984")"#), F),
            (&format!(r#"{ENT}:employeeNumber gt "7""#), T),
            // A core attribute is not found under the extension URN, nor the reverse.
            (&format!(r#"{ENT}:userName pr"#), F),
            (&format!(r#"{core}:employeeNumber pr"#), F),
            (r#"employeeNumber pr"#, F),
            // An extension URN with an attribute its schema lacks reads under the URN.
            (&format!(r#"{ENT}:displayName eq "Babs Jensen""#), F),
            (&format!(r#"{ENT}:undefined pr"#), F),
            // A core URN of another resource type names no attribute of the user (§3.10: the
            // URN says whose attribute it is), so it never reads the user's displayName.
            (
                r#"urn:ietf:params:scim:schemas:core:2.0:Group:displayName pr"#,
                F,
            ),
        ],
    );
}

/// Malformed filters and unsupported operators: `400 invalidFilter` (§3.4.2.2 "Providers
/// MUST decline to filter results if the specified filter operation is not recognized").
#[test]
fn invalid_filters() {
    let u = enterprise_user();
    table(
        &u,
        &[
            (r#"userName regex "x""#, BAD),
            (r#"userName like "x""#, BAD),
            (r#"userName == "x""#, BAD),
            (r#"userName eq x"#, BAD),
            (r#"userName eq 'x'"#, BAD),
            (r#"userName eq"#, BAD),
            (r#"userName"#, BAD),
            (r#"eq "x""#, BAD),
            (r#"userName pr "x""#, BAD),
            (r#"userName eq "x" and"#, BAD),
            (r#"and userName pr"#, BAD),
            (r#"userName pr and or title pr"#, BAD),
            (r#"(userName pr"#, BAD),
            (r#"userName pr)"#, BAD),
            (r#"not userName pr"#, BAD),
            (r#"emails[type eq "work""#, BAD),
            (r#"emails type eq "work"]"#, BAD),
            (r#"emails[]"#, BAD),
            (r#""#, BAD),
            (r#"userName eq "unterminated"#, BAD),
            (r#"userName eq "bad \q escape""#, BAD),
            (r#"userName eq TRUE1"#, BAD),
            (r#"userName pr userName pr"#, BAD),
            (r#"1userName pr"#, BAD),
            (r#"name..givenName pr"#, BAD),
            (r#"name.givenName.x pr"#, BAD),
            (r#"userName eq "a" xor title pr"#, BAD),
        ],
    );
}

/// Each operator against a value below, equal to and above the literal, per type (the
/// matrix of elimity-com/scim's operator tests). `co`/`sw`/`ew` on numbers and booleans are
/// refused where elimity compares their decimal text: §3.4.2.2 defines them as substring
/// tests, and scimkit documents them as string-only.
#[test]
fn operator_matrix_per_type() {
    let schemas = registry_with_numbers();
    let run =
        |attr: &str, values: [Value; 3], literal: &str, rows: &[(&str, Option<[bool; 3]>)]| {
            let mut wrong = Vec::new();
            for &(op, want) in rows {
                let filter = format!("{attr} {op} {literal}");
                for (i, v) in values.iter().enumerate() {
                    let r = json!({"schemas": ["urn:example:params:scim:schemas:Device"], attr: v});
                    let got = outcome(&filter, &r, &schemas);
                    let expect = match want {
                        Some(w) if w[i] => T,
                        Some(_) => F,
                        None => BAD,
                    };
                    if got != expect {
                        wrong.push(format!("{filter} on {v}: want {expect:?}, got {got:?}"));
                    }
                }
            }
            assert!(wrong.is_empty(), "{wrong:#?}");
        };
    let numeric = [
        ("eq", Some([false, true, false])),
        ("ne", Some([true, false, true])),
        ("co", None),
        ("sw", None),
        ("ew", None),
        ("gt", Some([false, false, true])),
        ("lt", Some([true, false, false])),
        ("ge", Some([false, true, true])),
        ("le", Some([true, true, false])),
    ];
    run("port", [json!(-1), json!(0), json!(10)], "0", &numeric);
    run(
        "load",
        [json!(-0.5), json!(0.5), json!(1.5)],
        "0.5",
        &numeric,
    );
    run(
        "seen",
        [
            json!("2021-01-01T08:00:00Z"),
            json!("2021-01-01T12:00:00Z"),
            json!("2021-01-01T16:00:00Z"),
        ],
        r#""2021-01-01T12:00:00Z""#,
        &[
            ("eq", Some([false, true, false])),
            ("ne", Some([true, false, true])),
            ("co", Some([false, true, false])),
            ("sw", Some([false, true, false])),
            ("ew", Some([false, true, false])),
            ("gt", Some([false, false, true])),
            ("lt", Some([true, false, false])),
            ("ge", Some([false, true, true])),
            ("le", Some([true, true, false])),
        ],
    );
    // caseExact string: "a" < "b" < "c" and "B" < "a" by code point.
    run(
        "serial",
        [json!("a"), json!("b"), json!("c")],
        r#""b""#,
        &[
            ("eq", Some([false, true, false])),
            ("ne", Some([true, false, true])),
            ("co", Some([false, true, false])),
            ("sw", Some([false, true, false])),
            ("ew", Some([false, true, false])),
            ("gt", Some([false, false, true])),
            ("lt", Some([true, false, false])),
            ("ge", Some([false, true, true])),
            ("le", Some([true, true, false])),
        ],
    );
    run(
        "serial",
        [json!("B"), json!("b"), json!("bb")],
        r#""b""#,
        &[
            ("eq", Some([false, true, false])),
            ("co", Some([false, true, true])),
            ("sw", Some([false, true, true])),
            ("ew", Some([false, true, true])),
            ("gt", Some([false, false, true])),
            ("lt", Some([true, false, false])),
        ],
    );
}
