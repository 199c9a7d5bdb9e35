//! RFC 7643 §2.1: attribute names are case-insensitive on input, as the schema spells them;
//! names that collide once case is ignored are rejected.

use scimkit::schema::Schema;
use scimkit::{EnterpriseUser, Group, SchemaRegistry, ScimError, ScimType, User};
use serde_json::json;

#[test]
fn core_attributes_and_sub_attributes() {
    let user: User = serde_json::from_str(r#"{"USERNAME":"x","Name":{"GIVENNAME":"y"}}"#).unwrap();
    assert_eq!(user.user_name, "x");
    assert_eq!(user.name.unwrap().given_name.as_deref(), Some("y"));

    let user = User::from_value(json!({
        "Schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "ID": "1", "EXTERNALID": "e", "username": "bjensen",
        "DISPLAYNAME": "Babs", "Active": true, "X509CERTIFICATES": [{"VALUE": "MIID"}],
        "Emails": [{"VALUE": "b@example.com", "Type": "work", "PRIMARY": true}],
        "phonenumbers": [{"value": "tel:+1-555", "TYPE": "mobile"}],
        "ADDRESSES": [{"STREETADDRESS": "1 Main St", "postalcode": "91608"}],
        "Groups": [{"VALUE": "g", "$REF": "https://example.com/v2/Groups/g", "DISPLAY": "G"}],
        "META": {"RESOURCETYPE": "User", "LASTMODIFIED": "2011-05-13T04:42:34Z"},
    }))
    .unwrap();
    assert_eq!(
        user.to_value(),
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "id": "1", "externalId": "e", "userName": "bjensen",
            "displayName": "Babs", "active": true, "x509Certificates": [{"value": "MIID"}],
            "emails": [{"value": "b@example.com", "type": "work", "primary": true}],
            "phoneNumbers": [{"value": "tel:+1-555", "type": "mobile"}],
            "addresses": [{"streetAddress": "1 Main St", "postalCode": "91608"}],
            "groups": [{"value": "g", "$ref": "https://example.com/v2/Groups/g", "display": "G"}],
            "meta": {"resourceType": "User", "lastModified": "2011-05-13T04:42:34Z"},
        })
    );
    assert!(user.extra.is_empty());
}

#[test]
fn extension_urn_and_its_attributes() {
    let user = User::from_value(json!({
        "userName": "x",
        "URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER": {
            "EMPLOYEENUMBER": "701984",
            "costcenter": "4130",
            "Manager": {"VALUE": "m", "$Ref": "../Users/m", "DISPLAYNAME": "John Smith"},
        },
    }))
    .unwrap();
    let ext = user.enterprise().unwrap();
    assert_eq!(ext.employee_number.as_deref(), Some("701984"));
    assert_eq!(ext.cost_center.as_deref(), Some("4130"));
    let manager = ext.manager.as_ref().unwrap();
    assert_eq!(
        (manager.value.as_deref(), manager.reference.as_deref()),
        (Some("m"), Some("../Users/m"))
    );
    assert_eq!(manager.display_name.as_deref(), Some("John Smith"));

    let alone: EnterpriseUser =
        serde_json::from_value(json!({"Department": "Ops", "DIVISION": "Park"})).unwrap();
    assert_eq!(alone.department.as_deref(), Some("Ops"));
    assert_eq!(alone.division.as_deref(), Some("Park"));
}

#[test]
fn groups_and_members() {
    let group: Group = serde_json::from_value(json!({
        "DISPLAYNAME": "Tour Guides",
        "Members": [{"Value": "u1", "$REF": "https://example.com/v2/Users/u1", "TYPE": "User", "Display": "Babs"}],
    }))
    .unwrap();
    assert_eq!(group.display_name, "Tour Guides");
    let m = &group.members.as_ref().unwrap()[0];
    assert_eq!(m.value.as_deref(), Some("u1"));
    assert_eq!(m.kind.as_deref(), Some("User"));
    assert_eq!(
        m.reference.as_deref(),
        Some("https://example.com/v2/Users/u1")
    );
    assert_eq!(m.display.as_deref(), Some("Babs"));
}

#[test]
fn unknown_names_keep_their_spelling() {
    let user = User::from_value(
        json!({"userName": "x", "CustomThing": 1, "name": {"Pronunciation": "p"}}),
    )
    .unwrap();
    assert_eq!(user.extra["CustomThing"], 1);
    assert_eq!(user.name.as_ref().unwrap().extra["Pronunciation"], "p");
}

#[test]
fn custom_schemas_drive_the_spelling_too() {
    let mut registry = SchemaRegistry::default();
    registry
        .register_json(&json!({
            "id": "urn:example:params:scim:schemas:extension:acme:2.0:User",
            "attributes": [
                {"name": "badgeNumber"},
                {"name": "parking", "type": "complex", "subAttributes": [{"name": "spaceId"}]}
            ]
        }))
        .unwrap();
    let user = User::from_value_with(
        json!({
            "userName": "x",
            "URN:EXAMPLE:PARAMS:SCIM:SCHEMAS:EXTENSION:ACME:2.0:USER": {
                "BADGENUMBER": "7", "Parking": {"SPACEID": "B2"}
            }
        }),
        &registry,
    )
    .unwrap();
    assert_eq!(
        user.extension("urn:example:params:scim:schemas:extension:acme:2.0:User"),
        Some(&json!({"badgeNumber": "7", "parking": {"spaceId": "B2"}}))
    );
    assert!(
        user.extra
            .contains_key("urn:example:params:scim:schemas:extension:acme:2.0:User")
    );
}

#[track_caller]
fn rejected_user(text: &str) -> ScimError {
    let err = serde_json::from_str::<User>(text)
        .err()
        .unwrap_or_else(|| panic!("{text} should be rejected"));
    assert!(err.to_string().contains("duplicate attribute"), "{err}");
    ScimError::from(err)
}

#[test]
fn names_colliding_once_case_is_ignored_are_rejected() {
    for text in [
        r#"{"userName": "a", "USERNAME": "b"}"#,
        r#"{"userName": "a", "userName": "b"}"#,
        r#"{"userName": "a", "name": {"givenName": "a", "GIVENNAME": "b"}}"#,
        r#"{"userName": "a", "emails": [{"value": "a", "Value": "b"}]}"#,
        r#"{"userName": "a", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "a", "Department": "b"}}"#,
        r#"{"userName": "a", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {}, "URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER": {}}"#,
        r#"{"userName": "a", "custom": 1, "CUSTOM": 2}"#,
    ] {
        let err = rejected_user(text);
        assert_eq!(
            (err.status, err.scim_type),
            (400, Some(ScimType::InvalidSyntax))
        );
    }
    let err = User::from_value(json!({"userName": "a", "UserName": "b"})).unwrap_err();
    assert_eq!(err.scim_type, Some(ScimType::InvalidSyntax));
    assert!(err.detail().unwrap().contains("duplicate"), "{err}");

    assert!(serde_json::from_str::<Group>(r#"{"displayName": "a", "DisplayName": "b"}"#).is_err());
    assert!(
        serde_json::from_str::<EnterpriseUser>(r#"{"division": "a", "DIVISION": "b"}"#).is_err()
    );
}

#[test]
fn wrong_types_name_the_attribute() {
    let err = User::from_value(json!({"userName": "x", "active": "yes"})).unwrap_err();
    assert_eq!(err.scim_type, Some(ScimType::InvalidSyntax));
    assert!(err.detail().unwrap().contains("`active`"), "{err}");
    assert!(User::from_value(json!(["not", "an", "object"])).is_err());
    assert!(User::from_value(json!({"emails": {"value": "not a list"}})).is_err());
}

#[test]
fn the_standard_registry_is_what_deserialize_uses() {
    // A sanity check that reading does not depend on a registry the caller must build.
    let s: &Schema = SchemaRegistry::standard()
        .schema("urn:ietf:params:scim:schemas:core:2.0:User")
        .unwrap();
    assert!(s.attribute("x509certificates").is_some());
}
