//! Issue 15 items 7 and 9: what the provider's writes hand the service.
#![allow(clippy::unwrap_used)] // helpers outside #[test]

use scimkit::provider::Provider;
use scimkit::{PatchOp, PatchOperation};
use serde_json::{Value, json};

const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";

fn provider() -> Provider {
    Provider::new("https://example.com/scim/v2")
}

fn has_password(v: &Value) -> bool {
    v.as_object()
        .unwrap()
        .keys()
        .any(|k| k.eq_ignore_ascii_case("password"))
}

/// Item 7: the cleartext password never stays in the resource a write returns; the
/// `*_written` variants hand it over beside it.
#[test]
fn the_password_is_handed_over_not_stored() {
    let p = provider();
    let now = chrono::Utc::now();
    let body = json!({"schemas": [USER], "userName": "bjensen", "PASSWORD": "s3cret"});

    let created = p.create("User", &body, "1", now, []).unwrap();
    assert!(!has_password(&created), "{created}");
    let written = p.create_written("User", &body, "1", now, []).unwrap();
    assert!(!has_password(&written.value), "{}", written.value);
    assert_eq!(written.password.as_ref().unwrap().expose(), "s3cret");
    assert_eq!(format!("{:?}", written.password), "Some(Password(***))");
    let plain = json!({"schemas": [USER], "userName": "bjensen"});
    assert!(
        p.create_written("User", &plain, "1", now, [])
            .unwrap()
            .password
            .is_none()
    );

    let put_body = json!({"schemas": [USER], "userName": "bjensen", "password": "n3w"});
    let put = p.replace("User", &created, &put_body, now, []).unwrap();
    assert!(!has_password(&put), "{put}");
    let put = p
        .replace_written("User", &created, &put_body, now, [])
        .unwrap();
    assert!(!has_password(&put.value));
    assert_eq!(put.password.unwrap().expose(), "n3w");

    for op in [
        PatchOperation::replace("password", "p4tched"),
        PatchOperation::add("Password", "p4tched"),
        PatchOperation::replace_value(json!({"password": "p4tched"})),
        PatchOperation::replace(format!("{USER}:password"), "p4tched"),
    ] {
        let op = PatchOp::new(vec![op]);
        let mut user = created.clone();
        assert!(p.patch("User", &mut user, &op, now, []).unwrap().changed);
        assert!(!has_password(&user), "{user}");
        let mut user = created.clone();
        let written = p.patch_written("User", &mut user, &op, now, []).unwrap();
        assert!(written.value.changed);
        assert!(!has_password(&user), "{user}");
        assert_eq!(written.password.unwrap().expose(), "p4tched");
    }

    // `returned: never`: an answer built from a password-bearing value still omits it.
    let answer = p
        .respond("User", &body, &scimkit::SearchRequest::new())
        .unwrap();
    assert!(!has_password(&answer), "{answer}");

    // A password a store kept from before is taken out too, and not reported as set.
    let mut legacy = created.clone();
    legacy["password"] = json!("old");
    let op = PatchOp::new(vec![PatchOperation::replace("displayName", "Babs")]);
    let written = p.patch_written("User", &mut legacy, &op, now, []).unwrap();
    assert!(written.password.is_none());
    assert!(!has_password(&legacy));
}

/// Item 9: `chrono` is re-exported, so a service names `now` without its own dependency.
#[test]
fn chrono_is_re_exported() {
    use scimkit::chrono::{DateTime, Utc};
    let now: DateTime<Utc> = Utc::now();
    let body = json!({"schemas": [USER], "userName": "bjensen"});
    assert!(provider().create("User", &body, "1", now, []).is_ok());
}

/// Item 9: parse errors convert with `?` where a `ScimError` is returned.
#[test]
fn parse_errors_convert_with_question_mark() {
    fn filter(s: &str) -> Result<scimkit::Filter, scimkit::ScimError> {
        Ok(s.parse()?)
    }
    fn path(s: &str) -> Result<scimkit::PatchPath, scimkit::ScimError> {
        Ok(s.parse()?)
    }
    fn attr(s: &str) -> Result<scimkit::AttrPath, scimkit::ScimError> {
        Ok(s.parse()?)
    }
    fn parser(s: &str) -> Result<scimkit::Filter, scimkit::ScimError> {
        Ok(scimkit::FilterParser::new().parse(s)?)
    }
    let e = filter("userName eq").unwrap_err();
    assert_eq!(e.scim_type, Some(scimkit::ScimType::InvalidFilter));
    assert_eq!(parser("(").unwrap_err().status, 400);
    assert_eq!(
        path("emails[").unwrap_err().scim_type,
        Some(scimkit::ScimType::InvalidPath)
    );
    assert!(attr("a..b").is_err());
}

/// Item 9: the write methods and `list` take the same stored resources, `[]` included.
#[test]
fn writes_and_lists_take_the_same_iterators() {
    let p = provider();
    let now = chrono::Utc::now();
    let mut store = std::collections::BTreeMap::new();
    let body = json!({"schemas": [USER], "userName": "bjensen"});
    let u = p.create("User", &body, "1", now, store.values()).unwrap();
    store.insert("1".to_owned(), u);
    let all = scimkit::SearchRequest::new();
    assert_eq!(
        p.list("User", &all, store.values()).unwrap().total_results,
        1
    );
    assert_eq!(p.list("User", &all, []).unwrap().total_results, 0);
    assert_eq!(p.search_all(&all, []).unwrap().total_results, 0);
    let vec: Vec<Value> = store.values().cloned().collect();
    assert_eq!(p.list("User", &all, &vec).unwrap().total_results, 1);
    let dup = json!({"schemas": [USER], "userName": "BJENSEN"});
    assert_eq!(
        p.create("User", &dup, "2", now, &vec).unwrap_err().status,
        409
    );
}

/// Item 9: error details name the whole attribute path, not only its last name.
#[test]
fn error_details_name_the_whole_path() {
    let p = provider();
    let now = chrono::Utc::now();
    let ent = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    let user = p
        .create(
            "User",
            &json!({"schemas": [USER], "userName": "bjensen",
                    "emails": [{"value": "b@example.com", "type": "work"}],
                    ent: {"manager": {"value": "m"}}}),
            "1",
            now,
            [],
        )
        .unwrap();
    let group = p
        .create(
            "Group",
            &json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
                    "displayName": "G", "members": [{"value": "1"}]}),
            "g",
            now,
            [],
        )
        .unwrap();
    let cases: Vec<(&str, &Value, PatchOperation, String)> = vec![
        (
            "User",
            &user,
            PatchOperation::replace("meta.created", "2020-01-01T00:00:00Z"),
            "Operations[0]: `meta.created` is readOnly".to_owned(),
        ),
        (
            "User",
            &user,
            PatchOperation::replace("meta.created", 3),
            "Operations[0]: `meta.created` expects an xsd:dateTime string".to_owned(),
        ),
        (
            "User",
            &user,
            PatchOperation::replace("name.givenName", 3),
            "Operations[0]: `name.givenName` expects a string".to_owned(),
        ),
        (
            "User",
            &user,
            PatchOperation::replace(r#"emails[type eq "work"].value"#, 3),
            "Operations[0]: `emails.value` expects a string".to_owned(),
        ),
        (
            "User",
            &user,
            PatchOperation::replace(format!("{ent}:manager.displayName"), "x"),
            format!("Operations[0]: `{ent}:manager.displayName` is readOnly"),
        ),
        (
            "User",
            &user,
            PatchOperation::replace_value(json!({"name": {"givenName": 3}})),
            "Operations[0]: `name.givenName` expects a string".to_owned(),
        ),
        (
            "User",
            &user,
            PatchOperation::add("emails", json!([{"value": 3}])),
            "Operations[0]: `emails.value` expects a string".to_owned(),
        ),
        (
            "Group",
            &group,
            PatchOperation::replace("members.value", "y"),
            "Operations[0]: `members.value` is immutable and already set".to_owned(),
        ),
    ];
    for (rt, r, op, want) in cases {
        let mut r = r.clone();
        let e = p
            .patch(rt, &mut r, &PatchOp::new(vec![op.clone()]), now, [])
            .unwrap_err();
        assert_eq!(e.detail(), Some(want.as_str()), "{op:?}");
    }
    for (body, want) in [
        (
            json!({"userName": "b", "name": {"givenName": 3}}),
            "`name.givenName` expects a string",
        ),
        (
            json!({"userName": "b", ent: {"manager": {"value": 3}}}),
            "`manager.value` expects a string",
        ),
    ] {
        let mut body = body;
        body["schemas"] = json!([USER]);
        let e = p.create("User", &body, "2", now, []).unwrap_err();
        assert_eq!(e.detail(), Some(want), "{body}");
    }
}

/// Item 9: `/ServiceProviderConfig` does not send clients to scimkit's documentation.
#[test]
fn the_documentation_uri_is_the_services() {
    let spc = provider().service_provider_config();
    assert_eq!(spc.documentation_uri, None);
    let spc = provider()
        .with_documentation_uri("https://example.com/docs/scim")
        .service_provider_config();
    assert_eq!(
        spc.documentation_uri.as_deref(),
        Some("https://example.com/docs/scim")
    );
}
