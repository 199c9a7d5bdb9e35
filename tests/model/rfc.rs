//! Every example of RFC 7643 §8 and the RFC 7644 message examples read into the typed models
//! and write back equal (errata 5990 and 7898/7916 applied in the fixtures).

use scimkit::model::{
    BulkMethod, BulkRequest, BulkResponse, ResourceType, SearchRequest, ServiceProviderConfig,
};
use scimkit::{ErrorResponse, Group, ListResponse, Op, PatchOp, ScimType, User};
use serde_json::{Value, json};

use crate::{fixture, round_trips, through};

#[test]
fn rfc7643_8_1_minimal_user() {
    let user: User = round_trips(&fixture("rfc7643-8.1-user-minimal"));
    assert_eq!(user.user_name, "Bjensen@example.com");
    let meta = user.meta.unwrap();
    assert_eq!(meta.resource_type.as_deref(), Some("User"));
    assert_eq!(meta.version.as_deref(), Some("W/\"3694e05e9dff590\""));
    assert_eq!(
        meta.created.unwrap().to_rfc3339(),
        "2010-01-23T04:56:22+00:00"
    );
}

/// The full users carry a `password`, which is read but never written back.
#[track_caller]
fn round_trips_but_password(name: &str) -> User {
    let mut json = fixture(name);
    let (user, back) = through::<User>(&json);
    assert_eq!(
        user.password.as_ref().map(|p| p.expose()),
        Some("t1meMa$heen")
    );
    json.as_object_mut().unwrap().remove("password");
    assert_eq!(back, json);
    user
}

#[test]
fn rfc7643_8_2_full_user() {
    let user = round_trips_but_password("rfc7643-8.2-user-full");
    let name = user.name.as_ref().unwrap();
    assert_eq!(name.honorific_suffix.as_deref(), Some("III"));
    assert_eq!(user.primary_email(), Some("bjensen@example.com"));
    let addresses = user.addresses.as_ref().unwrap();
    assert_eq!(addresses[0].kind.as_deref(), Some("work"));
    assert_eq!(addresses[1].country.as_deref(), Some("US"));
    assert_eq!(user.groups.as_ref().unwrap().len(), 3);
    assert_eq!(
        user.groups.as_ref().unwrap()[0].reference.as_deref(),
        Some("https://example.com/v2/Groups/e9e30dba-f08f-4109-8486-d5c6a331660a")
    );
    assert_eq!(user.x509_certificates.as_ref().unwrap().len(), 1);
    assert_eq!(user.active, Some(true));
    assert!(user.enterprise.is_none() && user.extra.is_empty());
}

#[test]
fn rfc7643_8_3_enterprise_user() {
    let user = round_trips_but_password("rfc7643-8.3-enterprise-user");
    let ext = user.enterprise().unwrap();
    assert_eq!(ext.employee_number.as_deref(), Some("701984"));
    assert_eq!(ext.cost_center.as_deref(), Some("4130"));
    let manager = ext.manager.as_ref().unwrap();
    assert_eq!(manager.display_name.as_deref(), Some("John Smith"));
    assert_eq!(
        manager.value.as_deref(),
        Some("26118915-6090-4610-87e4-49d8ca9f808d")
    );
    assert!(manager.reference.is_some());
}

#[test]
fn rfc7643_8_4_group() {
    let group: Group = round_trips(&fixture("rfc7643-8.4-group"));
    assert_eq!(group.display_name, "Tour Guides");
    assert_eq!(
        group.member_ids().collect::<Vec<_>>(),
        [
            "2819c223-7f76-453a-919d-413861904646",
            "902c246b-6245-4190-8e05-00816be7344a"
        ]
    );
    let first = &group.members.as_ref().unwrap()[0];
    assert_eq!(first.display.as_deref(), Some("Babs Jensen"));
}

#[test]
fn rfc7643_8_5_service_provider_config() {
    let config: ServiceProviderConfig =
        round_trips(&fixture("rfc7643-8.5-service-provider-config"));
    assert!(config.patch.supported && config.bulk.supported && config.etag.supported);
    assert_eq!(config.bulk.max_operations, 1000);
    assert_eq!(config.bulk.max_payload_size, 1_048_576);
    assert_eq!(config.filter.max_results, 200);
    assert_eq!(config.authentication_schemes.len(), 2);
    assert_eq!(config.authentication_schemes[0].kind, "oauthbearertoken");
    assert_eq!(config.authentication_schemes[0].primary, Some(true));
}

#[test]
fn rfc7643_8_6_resource_types() {
    let types: Vec<ResourceType> = round_trips(&fixture("rfc7643-8.6-resource-types"));
    assert_eq!(types[0].endpoint, "/Users");
    assert_eq!(types[0].schema_extensions.len(), 1);
    assert!(types[0].schema_extensions[0].required);
    assert!(types[1].schema_extensions.is_empty());

    let list: ListResponse<ResourceType> = round_trips(&fixture("rfc7644-4-list-resource-types"));
    assert_eq!(list.resources, types);
    assert_eq!((list.total_results, list.items_per_page), (2, Some(10)));
}

#[test]
fn rfc7644_user_requests_and_responses() {
    for name in [
        "rfc7644-3.3-user-post-request",
        "rfc7644-3.3-user-post-response",
        "rfc7644-3.5.1-user-put-request",
        "rfc7644-3.5.1-user-put-response",
    ] {
        let user: User = round_trips(&fixture(name));
        assert_eq!(user.user_name, "bjensen", "{name}");
    }
    // `"roles": []` in the PUT asserts "no roles", which a typed read keeps apart from absence.
    let put: User = round_trips(&fixture("rfc7644-3.5.1-user-put-request"));
    assert_eq!(put.roles, Some(vec![]));
    assert_eq!(put.entitlements, None);
    let created: User = round_trips(&fixture("rfc7644-3.3-user-post-response"));
    let meta = created.meta.unwrap();
    assert_eq!(
        meta.created.unwrap().to_rfc3339(),
        "2011-08-01T21:32:44.882+00:00"
    );
}

#[test]
fn rfc7644_list_responses_and_search() {
    // §3.4.2: a partial representation without `schemas` stays without.
    let list: ListResponse<User> = round_trips(&fixture("rfc7644-3.4.2-list-response"));
    assert_eq!(list.total_results, 2);
    assert_eq!(list.resources[1].user_name, "jsmith");
    assert!(list.resources[0].schemas.is_empty());

    // §3.4.3: a query at the root mixes users and groups.
    let mixed: ListResponse = round_trips(&fixture("rfc7644-3.4.3-list-response-post-query"));
    assert_eq!(mixed.total_results, 100);
    let group = Group::try_from(&mixed.resources[1]).unwrap();
    assert_eq!(group.display_name, "Smith Family");

    let search: SearchRequest = round_trips(&fixture("rfc7644-3.4.3-search-request"));
    assert_eq!(
        search.attributes.as_deref(),
        Some(&["displayName".to_owned(), "userName".to_owned()][..])
    );
    assert_eq!(search.filter.as_deref(), Some(r#"displayName sw "smith""#));
    assert_eq!((search.start_index(), search.count()), (1, Some(10)));
}

#[test]
fn rfc7644_patch_bodies() {
    type Expected<'a> = &'a [(Op, Option<&'a str>)];
    let cases: &[(&str, Expected<'_>)] = &[
        (
            "rfc7644-3.5.2.1-patch-add-members",
            &[(Op::Add, Some("members"))],
        ),
        ("rfc7644-3.5.2.1-patch-add-no-path", &[(Op::Add, None)]),
        (
            "rfc7644-3.5.2.2-patch-remove-one-member",
            &[(
                Op::Remove,
                Some(r#"members[value eq "2819c223-7f76-453a-919d-413861904646"]"#),
            )],
        ),
        (
            "rfc7644-3.5.2.2-patch-remove-all-members",
            &[(Op::Remove, Some("members"))],
        ),
        (
            "rfc7644-3.5.2.2-patch-remove-multi-complex",
            &[(
                Op::Remove,
                Some(r#"emails[type eq "work" and value ew "example.com"]"#),
            )],
        ),
        (
            // The RFC prints `eq"…"` without a space; the raw path is kept for the parser.
            "rfc7644-3.5.2.2-patch-remove-and-add-one-member",
            &[
                (
                    Op::Remove,
                    Some(r#"members[value eq"2819c223-7f76-453a-919d-413861904646"]"#),
                ),
                (Op::Add, Some("members")),
            ],
        ),
        (
            "rfc7644-3.5.2.2-patch-remove-all-and-add",
            &[(Op::Remove, Some("members")), (Op::Add, Some("members"))],
        ),
        (
            "rfc7644-3.5.2.3-patch-replace-members",
            &[(Op::Replace, Some("members"))],
        ),
        (
            "rfc7644-3.5.2.3-patch-replace-work-address",
            &[(Op::Replace, Some(r#"addresses[type eq "work"]"#))],
        ),
        (
            "rfc7644-3.5.2.3-patch-replace-street-address",
            &[(
                Op::Replace,
                Some(r#"addresses[type eq "work"].streetAddress"#),
            )],
        ),
        (
            "rfc7644-3.5.2.3-patch-replace-no-path",
            &[(Op::Replace, None)],
        ),
    ];
    for (name, expected) in cases {
        let body: PatchOp = round_trips(&fixture(name));
        let got: Vec<_> = body
            .operations
            .iter()
            .map(|o| (o.op, o.path.as_deref()))
            .collect();
        assert_eq!(got, *expected, "{name}");
    }
}

#[test]
fn rfc7644_bulk_messages() {
    let circular: BulkRequest = round_trips(&fixture("rfc7644-3.7.1-bulk-request-circular"));
    let group = Group::try_from(circular.operations[0].data.as_ref().unwrap()).unwrap();
    assert_eq!(group.member_ids().collect::<Vec<_>>(), ["bulkId:ytrewq"]);

    let req: BulkRequest = round_trips(&fixture("rfc7644-3.7.3-bulk-request"));
    assert_eq!(req.fail_on_errors, Some(1));
    let methods: Vec<_> = req.operations.iter().map(|o| o.method).collect();
    assert_eq!(
        methods,
        [
            BulkMethod::Post,
            BulkMethod::Put,
            BulkMethod::Patch,
            BulkMethod::Delete
        ]
    );
    let alice = User::try_from(req.operations[0].data.as_ref().unwrap()).unwrap();
    assert_eq!(alice.user_name, "Alice");
    let patch: PatchOp = serde_json::from_value(req.operations[2].data.clone().unwrap()).unwrap();
    assert_eq!(patch.operations.len(), 2);

    let resp: BulkResponse = round_trips(&fixture("rfc7644-3.7.3-bulk-response"));
    let statuses: Vec<_> = resp.operations.iter().map(|o| o.status).collect();
    assert_eq!(statuses, [201, 200, 200, 204]);

    let errors: BulkResponse = round_trips(&fixture("rfc7644-3.7.3-bulk-response-errors"));
    let first = errors.operations[0].error().unwrap();
    assert_eq!(
        (first.status, first.scim_type),
        (400, Some(ScimType::InvalidSyntax))
    );
    assert_eq!(errors.operations[3].error().unwrap().status, 404);
}

#[test]
fn rfc7644_error_bodies() {
    for (name, status) in [
        ("rfc7644-3.12-error-not-found", 404),
        ("rfc7644-3.12-error-mutability", 400),
        ("rfc7644-3.7.4-error-payload-too-large", 413),
        ("rfc7644-3.14-error-precondition", 412),
    ] {
        let err: ErrorResponse = round_trips(&fixture(name));
        assert_eq!(err.status, status, "{name}");
    }
}

#[test]
fn schema_representations_are_reexported() {
    let schema: scimkit::model::Schema = serde_json::from_value(json!({
        "id": "urn:example:params:scim:schemas:extension:acme:2.0:User",
        "attributes": [{"name": "badge"}]
    }))
    .unwrap();
    assert_eq!(schema.attributes()[0].name(), "badge");
    let v: Value = serde_json::to_value(&schema).unwrap();
    assert_eq!(
        v["schemas"][0],
        "urn:ietf:params:scim:schemas:core:2.0:Schema"
    );
}
