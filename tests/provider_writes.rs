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

    // A password a store kept from before is taken out too, and not reported as set.
    let mut legacy = created.clone();
    legacy["password"] = json!("old");
    let op = PatchOp::new(vec![PatchOperation::replace("displayName", "Babs")]);
    let written = p.patch_written("User", &mut legacy, &op, now, []).unwrap();
    assert!(written.password.is_none());
    assert!(!has_password(&legacy));
}
