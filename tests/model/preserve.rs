//! What a service must not lose or leak: unknown attributes and extensions survive, `password`
//! is never written, `schemas` follows the extensions present; JumpCloud captures.

use scimkit::model::{Email, Manager};
use scimkit::{EnterpriseUser, Group, User};
use serde_json::{Value, json};

use crate::{fixture, round_trips, through};

const CORE: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const ACME: &str = "urn:example:params:scim:schemas:extension:acme:2.0:User";

#[test]
fn unknown_attributes_and_extensions_survive() {
    let json = json!({
        "schemas": [CORE, ENTERPRISE, ACME],
        "userName": "bjensen",
        "vendorFlag": {"nested": [1, 2, {"deep": null}]},
        "name": {"givenName": "Barbara", "pronunciation": "bar-BRA"},
        "emails": [{"value": "b@example.com", "verified": true}],
        "addresses": [{"locality": "Hollywood", "geo": {"lat": 34.1}}],
        ENTERPRISE: {"department": "Tours", "badgeColour": "red", "manager": {"value": "m", "extra": 1}},
        ACME: {"badge": 7, "Odd Key": [null]},
    });
    let user: User = round_trips(&json);
    assert_eq!(
        user.extension(ACME),
        Some(&json!({"badge": 7, "Odd Key": [null]}))
    );
    assert_eq!(user.extra["vendorFlag"]["nested"][2], json!({"deep": null}));
    assert_eq!(user.enterprise().unwrap().extra["badgeColour"], "red");

    let group: Group = round_trips(&json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group", ACME],
        "displayName": "G", "members": [{"value": "u", "weight": 3}], ACME: {"code": "x"},
    }));
    assert_eq!(group.extension(ACME), Some(&json!({"code": "x"})));
}

#[test]
fn password_is_read_but_never_written() {
    let user = User::from_value(json!({"userName": "x", "PASSWORD": "t1meMa$heen"})).unwrap();
    assert_eq!(user.password.as_ref().unwrap().expose(), "t1meMa$heen");
    assert_eq!(user.to_value(), json!({"userName": "x"}));
    assert!(!format!("{user:?}").contains("t1meMa$heen"));

    // Nor can it be smuggled back out through `extra`.
    let mut sneaky = User::new("x");
    sneaky.extra.insert("password".into(), json!("leak"));
    sneaky.extra.insert("USERNAME".into(), json!("other"));
    assert_eq!(
        sneaky.to_value(),
        json!({"schemas": [CORE], "userName": "x"})
    );
}

#[test]
fn schemas_follow_the_extensions_present() {
    let mut user = User::new("x");
    assert_eq!(user.effective_schemas(), [CORE]);
    user.enterprise_mut().manager = Some(Manager::new("m"));
    assert_eq!(user.to_value()["schemas"], json!([CORE, ENTERPRISE]));
    user.set_extension(ACME, json!({"badge": 1}));
    assert_eq!(user.to_value()["schemas"], json!([CORE, ENTERPRISE, ACME]));

    // An extension object without its URN in `schemas` gets it; the core URN is added too,
    // first. A partial representation with neither (RFC 7644 §3.4.2) is written without.
    assert!(
        User::from_value(json!({"userName": "x"}))
            .unwrap()
            .to_value()
            .get("schemas")
            .is_none()
    );
    let read = User::from_value(
        json!({"schemas": [ENTERPRISE], "userName": "x", ENTERPRISE: {"division": "d"}}),
    )
    .unwrap();
    assert_eq!(read.to_value()["schemas"], json!([CORE, ENTERPRISE]));
    let read = User::from_value(json!({"userName": "x", ENTERPRISE: {"division": "d"}})).unwrap();
    assert_eq!(read.to_value()["schemas"], json!([CORE, ENTERPRISE]));

    // Not set and not declared: not written. Declared without an object (JumpCloud): kept.
    let plain = User::from_value(json!({"schemas": [CORE], "userName": "x"})).unwrap();
    assert!(plain.enterprise.is_none());
    assert_eq!(plain.to_value()["schemas"], json!([CORE]));
    let declared: User = round_trips(&json!({"schemas": [CORE, ENTERPRISE], "userName": "x"}));
    assert!(declared.enterprise.is_none());

    // Defaults carry the core URN, so built resources are always complete.
    assert_eq!(User::default().schemas, [CORE]);
    assert_eq!(
        Group::default().to_value(),
        json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"]})
    );
}

#[test]
fn null_and_empty_arrays() {
    // RFC 7643 §2.5: null is unassigned. For multi-valued attributes `null` and `[]` both mean
    // "asserted empty" (a PUT must clear them), written back as `[]`; absence stays absent.
    let user = User::from_value(
        json!({"userName": "x", "displayName": null, "emails": null, "roles": []}),
    )
    .unwrap();
    assert_eq!(user.display_name, None);
    assert_eq!(user.emails, Some(vec![]));
    assert_eq!(user.roles, Some(vec![]));
    assert_eq!(user.phone_numbers, None);
    assert_eq!(
        user.to_value(),
        json!({"userName": "x", "emails": [], "roles": []})
    );
    let ext = User::from_value(json!({"userName": "x", ENTERPRISE: null})).unwrap();
    assert!(ext.enterprise.is_none());
}

#[test]
fn jumpcloud_create_user() {
    // Rule 81: both URNs in `schemas` with no extension object, 24-hex externalId, tel: URI.
    let user: User = round_trips(&fixture("jumpcloud-create-user"));
    assert!(user.enterprise.is_none());
    assert_eq!(user.schemas, [CORE, ENTERPRISE]);
    assert_eq!(user.external_id.as_deref().map(str::len), Some(24));
    assert_eq!(
        user.phone_numbers.as_ref().unwrap()[0].value.as_deref(),
        Some("tel:+1-555-555-5555")
    );
    assert_eq!(user.primary_email(), Some("ada@example.org"));
    assert_eq!(user.preferred_language.as_deref(), Some("en-US"));
}

#[test]
fn jumpcloud_full_put() {
    // Rule 82: `[]` for addresses and phone numbers, a photo, the extension URN listed first.
    let user: User = round_trips(&fixture("jumpcloud-put-user-full"));
    assert_eq!(user.addresses, Some(vec![]));
    assert_eq!(user.phone_numbers, Some(vec![]));
    assert_eq!(user.photos.as_ref().unwrap().len(), 1);
    assert_eq!(user.schemas[0], ENTERPRISE);
    assert_eq!(
        user.enterprise().and_then(|e| e.department.as_deref()),
        Some("Engineering")
    );
}

#[test]
fn jumpcloud_minimal_put() {
    // Rule 82: `"emails": null` asserts "no emails"; it is written back as `[]`.
    let mut json = fixture("jumpcloud-put-user-minimal");
    let (user, back) = through::<User>(&json);
    assert_eq!(user.emails, Some(vec![]));
    json["emails"] = json!([]);
    assert_eq!(back, json);
}

#[test]
fn conveniences() {
    let mut user = User::new("bjensen");
    user.add_email(Email::new("home@example.com").with_type("home"));
    user.add_email(
        Email::new("work@example.com")
            .with_type("work")
            .with_primary(true),
    );
    assert_eq!(user.primary_email(), Some("work@example.com"));
    let v: Value = (&user).into();
    assert_eq!(User::try_from(v.clone()).unwrap(), user);
    assert_eq!(User::try_from(&v).unwrap(), user);
    assert_eq!(Value::from(user.clone()), v);

    let mut ext = EnterpriseUser::new();
    assert!(ext.is_empty());
    ext.organization = Some("Universal Studios".into());
    assert_eq!(
        serde_json::to_value(&ext).unwrap(),
        json!({"organization": "Universal Studios"})
    );
    // Enterprise `extra` cannot shadow a modelled attribute on output.
    ext.extra.insert("ORGANIZATION".into(), json!("other"));
    assert_eq!(
        serde_json::to_value(&ext).unwrap(),
        json!({"organization": "Universal Studios"})
    );
}
