//! Issue 15 item 6: an attribute is resolved in the schemas of the resource type it is used
//! on. `userName` on a Group, `members` on a User, an Enterprise User attribute on a Group or a
//! custom type's attribute on a User is as unknown as `foo`, in every operation.
#![allow(clippy::unwrap_used, clippy::expect_used)] // helpers outside #[test]

use scimkit::provider::Provider;
use scimkit::schema::{AttrType, Attribute, Schema};
use scimkit::{Filter, PatchOp, PatchOperation, Patcher, SchemaRegistry, SearchRequest};
use serde_json::{Value, json};

const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const DEVICE: &str = "urn:example:params:scim:schemas:core:2.0:Device";

#[derive(Debug, Clone, Copy)]
enum Op {
    Post,
    Put,
    /// `PATCH` with the attribute as `path`.
    Patch,
    /// `PATCH` with a path-less value holding the attribute.
    PatchValue,
    /// `filter={attr} gt 3`: a type error for a string or complex attribute of the type.
    Filter,
    /// `sortBy={attr}`: `400` for a write-only attribute of the type.
    Sort,
    /// `attributes={attr}`.
    Attributes,
}

/// What an operation answered: success (the ids listed, for list requests) or the status and
/// `scimType` of the error.
type Outcome = Result<Vec<String>, (u16, Option<String>)>;

fn provider() -> Provider {
    let mut schemas = SchemaRegistry::default();
    schemas.register(Schema::new(
        DEVICE,
        vec![Attribute::new("serial", AttrType::String)],
    ));
    schemas.register_resource_type("Device", DEVICE, &[]);
    Provider::new("https://example.com/scim/v2").with_schemas(schemas)
}

fn core(resource_type: &str) -> &'static str {
    match resource_type {
        "User" => USER,
        "Group" => GROUP,
        _ => DEVICE,
    }
}

/// A valid body of the type, without the attribute under test.
fn body(resource_type: &str) -> Value {
    let mut b = json!({"schemas": [core(resource_type)]});
    let (k, v) = match resource_type {
        "User" => ("userName", "bjensen"),
        "Group" => ("displayName", "Admins"),
        _ => ("serial", "s-1"),
    };
    b[k] = json!(v);
    b
}

/// Where `attr` goes in a body and the value it gets: an extension attribute inside its
/// extension's object.
fn with_attr(mut b: Value, attr: &str) -> Value {
    let value = if attr.eq_ignore_ascii_case("members") {
        json!([{"value": "u1"}])
    } else {
        json!("x")
    };
    match attr
        .strip_prefix(ENTERPRISE)
        .and_then(|a| a.strip_prefix(':'))
    {
        Some(name) => b[ENTERPRISE] = json!({ name: value }),
        None => b[attr] = value,
    }
    b
}

fn outcome(p: &Provider, resource_type: &str, op: Op, attr: &str) -> Outcome {
    let now = chrono::Utc::now();
    let err = |e: scimkit::ScimError| (e.status, e.scim_type.map(|t| t.as_str().to_owned()));
    let stored = p
        .create(resource_type, &body(resource_type), "r1", now, [])
        .expect("the plain body is valid");
    let ids = |page: scimkit::ListResponse<Value>| {
        page.resources
            .iter()
            .map(|r| r["id"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    let list = |query: String| {
        let request = SearchRequest::from_query_string(&query).map_err(err)?;
        p.list(resource_type, &request, [&stored])
            .map(ids)
            .map_err(err)
    };
    match op {
        Op::Post => p
            .create(
                resource_type,
                &with_attr(body(resource_type), attr),
                "r2",
                now,
                [],
            )
            .map(|_| vec![])
            .map_err(err),
        Op::Put => p
            .replace(
                resource_type,
                &stored,
                &with_attr(body(resource_type), attr),
                now,
                [],
            )
            .map(|_| vec![])
            .map_err(err),
        Op::Patch | Op::PatchValue => {
            let value = with_attr(json!({}), attr);
            let operation = match op {
                Op::Patch => PatchOperation::add(
                    attr,
                    value.as_object().unwrap().values().next().unwrap().clone(),
                ),
                _ => PatchOperation::add_value(value.as_object().unwrap().clone()),
            };
            let mut r = stored.clone();
            p.patch(
                resource_type,
                &mut r,
                &PatchOp::new(vec![operation]),
                now,
                [],
            )
            .map(|_| vec![])
            .map_err(err)
        }
        Op::Filter => list(format!("filter={attr}+gt+3")),
        Op::Sort => list(format!("sortBy={attr}")),
        Op::Attributes => list(format!("attributes={attr}")),
    }
}

#[test]
fn attributes_of_another_resource_type_are_unknown() {
    use Op::{Attributes, Filter, Patch, PatchValue, Post, Put, Sort};
    let enterprise_department = format!("{ENTERPRISE}:department");
    let group_display_name = format!("{GROUP}:displayName");
    let user_user_name = format!("{USER}:userName");
    let rows: &[(&str, Op, &str)] = &[
        ("Group", Post, "userName"),
        ("Group", Put, "userName"),
        ("Group", Patch, "userName"),
        ("Group", PatchValue, "userName"),
        ("Group", Filter, "userName"),
        ("Group", Sort, "password"),
        ("Group", Attributes, "userName"),
        ("Group", Patch, &user_user_name),
        ("Group", Filter, &user_user_name),
        ("User", Post, "members"),
        ("User", Put, "members"),
        ("User", Patch, "members"),
        ("User", PatchValue, "members"),
        ("User", Filter, "members"),
        ("User", Sort, "members"),
        ("User", Attributes, "members"),
        ("User", Patch, &group_display_name),
        ("Group", Post, &enterprise_department),
        ("Group", Put, &enterprise_department),
        ("Group", Patch, &enterprise_department),
        ("Group", PatchValue, &enterprise_department),
        (
            "Group",
            Filter,
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
        ),
        ("Device", Post, "userName"),
        ("Device", Patch, "userName"),
        ("Device", Filter, "userName"),
        ("Device", Sort, "password"),
        ("User", Post, "serial"),
        ("User", Patch, "serial"),
    ];
    let p = provider();
    for &(resource_type, op, attr) in rows {
        let got = outcome(&p, resource_type, op, attr);
        let unknown = if attr.starts_with(ENTERPRISE) {
            format!("{ENTERPRISE}:foo")
        } else {
            "foo".to_owned()
        };
        let want = outcome(&p, resource_type, op, &unknown);
        assert_eq!(
            got, want,
            "{resource_type} {op:?} {attr}: as unknown as `{unknown}`"
        );
        if matches!(op, Post | Put | Patch | PatchValue) {
            assert!(
                matches!(got, Err((400, _))),
                "{resource_type} {op:?} {attr}: refused, got {got:?}"
            );
        }
    }
}

#[test]
fn the_own_attributes_still_resolve() {
    let p = provider();
    for (resource_type, attr) in [
        ("User", "userName"),
        ("User", "name.givenName"),
        ("Group", "displayName"),
        ("Device", "serial"),
    ] {
        let got = outcome(&p, resource_type, Op::Patch, attr);
        assert_eq!(got, Ok(vec![]), "{resource_type} {attr}");
        let filter = outcome(&p, resource_type, Op::Filter, attr);
        assert_eq!(
            filter,
            Err((400, Some("invalidFilter".to_owned()))),
            "{resource_type} {attr} gt 3 is a type error"
        );
    }
    let dept = format!("{ENTERPRISE}:department");
    assert_eq!(outcome(&p, "User", Op::Post, &dept), Ok(vec![]));
}

/// The exact refusal a Group POST with `userName` gets: the one `foo` gets.
#[test]
fn a_group_posted_with_a_user_name_is_refused() {
    let p = provider();
    let body = json!({"schemas": [GROUP], "displayName": "Admins", "userName": "bjensen"});
    let e = p
        .create("Group", &body, "g1", chrono::Utc::now(), [])
        .unwrap_err();
    assert_eq!(e.status, 400);
    assert_eq!(
        e.detail(),
        Some("no attribute `userName` in the resource's schemas")
    );
}

/// Without a provider: the registry's scoped view, and the scope a resource's `schemas`
/// derives for `Patcher` and `Filter::matches`.
#[test]
fn scoped_views_and_derived_scopes() {
    let schemas = SchemaRegistry::default();
    let groups = schemas.scoped("group").unwrap();
    assert_eq!(groups.scope(), Some("Group"));
    assert!(groups.attribute("userName").is_none());
    assert!(
        groups
            .attribute(&format!("{ENTERPRISE}:department"))
            .is_none()
    );
    assert!(groups.attribute(&format!("{GROUP}:displayName")).is_some());
    assert!(groups.attribute("meta.created").is_some());
    assert!(groups.unscoped().attribute("userName").is_some());
    assert!(schemas.scoped("Nothing").is_none());

    let mut group = json!({"schemas": [GROUP], "displayName": "Admins"});
    let op = PatchOp::new(vec![PatchOperation::add("userName", "bjensen")]);
    let e = Patcher::new(&schemas).apply(&op, &mut group).unwrap_err();
    assert_eq!(e.status, 400);
    assert!(group.get("userName").is_none());

    // `userName gt 3` is a type error for a User, an unknown attribute for a Group.
    let f: Filter = "userName gt 3".parse().unwrap();
    assert!(!f.matches(&group, &schemas).unwrap());
    let user = json!({"schemas": [USER], "userName": "bjensen"});
    assert_eq!(f.matches(&user, &schemas).unwrap_err().status, 400);
    assert!(f.bind(&groups).is_ok());
    assert!(f.bind(&schemas.scoped("User").unwrap()).is_err());

    // A core URN of another type names nothing the resource holds.
    let other: Filter = format!("{GROUP}:displayName eq \"bjensen\"")
        .parse()
        .unwrap();
    let user = json!({"schemas": [USER], "userName": "bjensen", "displayName": "bjensen"});
    assert!(!other.matches(&user, &schemas).unwrap());
    let own: Filter = format!("{USER}:displayName eq \"bjensen\"")
        .parse()
        .unwrap();
    assert!(own.matches(&user, &schemas).unwrap());
}
