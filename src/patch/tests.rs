//! Engine tests that need no filter evaluator; RFC examples live in tests/patch.rs.

use std::borrow::Cow;

use serde_json::{Value, json};

use super::ops::{Engine, Kind};
use super::target::{Selector, Target};
use super::*;
use crate::ScimType;
use crate::schema::Attribute;

fn user() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "id": "2819c223",
        "userName": "bjensen",
        "name": {"givenName": "Barbara", "familyName": "Jensen"},
        "displayName": "Babs",
        "emails": [
            {"value": "bjensen@example.com", "type": "work", "primary": true},
            {"value": "babs@jensen.org", "type": "home"}
        ],
        "meta": {"resourceType": "User", "version": "W/\"1\""}
    })
}

fn group(n: usize) -> Value {
    let members: Vec<Value> = (0..n)
        .map(|i| json!({"value": format!("m{i}"), "display": format!("Member {i}")}))
        .collect();
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "id": "g1",
        "displayName": "Group",
        "members": members
    })
}

fn kind(op: &str) -> Kind {
    match op.to_ascii_lowercase().as_str() {
        "add" => Kind::Add,
        "remove" => Kind::Remove,
        _ => Kind::Replace,
    }
}

#[track_caller]
fn run_with(resource: &mut Value, ops: &Value, compat: Compat) -> Result<PatchOutcome, ScimError> {
    let schemas = SchemaRegistry::standard();
    let ops = ops.as_array().unwrap();
    let patcher = Patcher::new(schemas).compat(compat);
    fn op(o: &Value) -> (Kind, Option<&str>, Option<&Value>) {
        let path = o.get("path").and_then(Value::as_str);
        (kind(o["op"].as_str().unwrap()), path, o.get("value"))
    }
    // Every case runs twice: with the request borrowed, and owned (values moved in).
    let mut moved = resource.clone();
    let owned = patcher.run(
        &mut moved,
        ops.iter().map(op).map(|(k, p, v)| {
            let p = p.map(|p| Cow::Owned(p.to_owned()));
            (k, p, v.map(|v| Cow::Owned(v.clone())))
        }),
    );
    let borrowed = patcher.run(
        resource,
        ops.iter()
            .map(op)
            .map(|(k, p, v)| (k, p.map(Cow::Borrowed), v.map(Cow::Borrowed))),
    );
    assert_eq!(borrowed, owned, "{ops:?}");
    assert_eq!(*resource, moved, "{ops:?}");
    borrowed
}

#[track_caller]
fn ok(resource: &mut Value, ops: Value) -> bool {
    run_with(resource, &ops, Compat::strict())
        .unwrap_or_else(|e| panic!("{ops} failed: {e}"))
        .changed
}

#[track_caller]
fn fails(resource: Value, ops: Value, compat: Compat, status: u16, t: ScimType) {
    let mut r = resource.clone();
    let before = serde_json::to_string(&r).unwrap();
    let e = run_with(&mut r, &ops, compat).expect_err("should fail");
    assert_eq!((e.status, e.scim_type), (status, Some(t)), "{ops}: {e}");
    assert_eq!(
        serde_json::to_string(&r).unwrap(),
        before,
        "{ops} left changes"
    );
}

#[test]
fn replace_simple_and_report_change() {
    let mut u = user();
    assert!(ok(
        &mut u,
        json!([{"op": "replace", "path": "displayName", "value": "B"}])
    ));
    assert_eq!(u["displayName"], "B");
    assert!(!ok(
        &mut u,
        json!([{"op": "replace", "path": "DISPLAYNAME", "value": "B"}])
    ));
    assert!(ok(
        &mut u,
        json!([{"op": "replace", "path": "nickName", "value": "Babs"}])
    ));
    assert_eq!(u["nickName"], "Babs");
}

#[test]
fn existing_key_of_other_case_is_reused() {
    let mut u = user();
    u.as_object_mut()
        .unwrap()
        .insert("NickName".into(), json!("x"));
    ok(
        &mut u,
        json!([{"op": "replace", "path": "nickname", "value": "y"}]),
    );
    assert_eq!(u["NickName"], "y");
    assert!(u.get("nickName").is_none());
}

#[test]
fn no_path_add_and_replace() {
    let mut u = user();
    ok(
        &mut u,
        json!([{"op": "replace", "value": {
            "DisplayName": "B. Jensen", "active": false,
            "name": {"GIVENNAME": "Barb"},
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Sec"}
        }}]),
    );
    assert_eq!(u["displayName"], "B. Jensen");
    assert_eq!(u["active"], false);
    assert_eq!(
        u["name"],
        json!({"givenName": "Barb", "familyName": "Jensen"})
    );
    assert_eq!(
        u["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]["department"],
        "Sec"
    );
    assert_eq!(
        u["schemas"][1],
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
    );
}

#[test]
fn add_to_multi_valued_skips_duplicates() {
    let mut u = user();
    let changed = ok(
        &mut u,
        json!([{"op": "add", "path": "emails", "value": [
            {"value": "BJENSEN@example.com", "type": "work"},
            {"value": "new@example.com", "type": "other"},
            {"value": "new@example.com", "type": "other"}
        ]}]),
    );
    assert!(changed);
    assert_eq!(u["emails"].as_array().unwrap().len(), 3);
    assert!(!ok(
        &mut u,
        json!([{"op": "add", "path": "emails", "value": [{"value": "new@example.com"}]}])
    ));
}

#[test]
fn new_primary_clears_old() {
    let mut u = user();
    ok(
        &mut u,
        json!([{"op": "add", "path": "emails", "value": [{"value": "p@example.com", "primary": true}]}]),
    );
    assert_eq!(u["emails"][0]["primary"], false);
    assert_eq!(u["emails"][2]["primary"], true);
    fails(
        user(),
        json!([{"op": "add", "path": "emails", "value": [
            {"value": "a@x", "primary": true}, {"value": "b@x", "primary": true}]}]),
        Compat::strict(),
        400,
        ScimType::InvalidValue,
    );
}

#[test]
fn members_add_and_remove_all() {
    let mut g = group(1000);
    let new: Vec<Value> = (990..1100)
        .map(|i| json!({"value": format!("m{i}")}))
        .collect();
    ok(
        &mut g,
        json!([{"op": "add", "path": "members", "value": new}]),
    );
    assert_eq!(g["members"].as_array().unwrap().len(), 1100);
    ok(&mut g, json!([{"op": "remove", "path": "members"}]));
    assert!(g.get("members").is_none());
    assert_eq!(g["displayName"], "Group");
}

#[test]
fn errors_leave_resource_unchanged() {
    let strict = Compat::strict();
    let cases = [
        (json!([{"op": "remove"}]), ScimType::NoTarget),
        (
            json!([{"op": "add", "path": "nope", "value": 1}]),
            ScimType::InvalidPath,
        ),
        (
            json!([{"op": "add", "path": "emails[", "value": 1}]),
            ScimType::InvalidPath,
        ),
        (
            json!([{"op": "replace", "path": "active", "value": "yes"}]),
            ScimType::InvalidValue,
        ),
        (
            json!([{"op": "replace", "path": "active", "value": "False"}]),
            ScimType::InvalidValue,
        ),
        (
            json!([{"op": "replace", "path": "displayName"}]),
            ScimType::InvalidValue,
        ),
        (json!([{"op": "add", "value": 3}]), ScimType::InvalidValue),
        (
            json!([{"op": "replace", "path": "id", "value": "other"}]),
            ScimType::Mutability,
        ),
        (
            json!([{"op": "remove", "path": "id"}]),
            ScimType::Mutability,
        ),
        (
            json!([{"op": "remove", "path": "userName"}]),
            ScimType::Mutability,
        ),
        (
            json!([{"op": "replace", "path": "meta.version", "value": "x"}]),
            ScimType::Mutability,
        ),
        (
            json!([{"op": "add", "path": "groups", "value": [{"value": "g"}]}]),
            ScimType::Mutability,
        ),
        (
            // RFC 7643 §2.5: null unassigns, and userName is required.
            json!([{"op": "replace", "path": "userName", "value": null}]),
            ScimType::Mutability,
        ),
        (
            json!([{"op": "remove", "path": "emails", "value": [{"value": "babs@jensen.org"}]}]),
            ScimType::InvalidValue,
        ),
        (
            json!([{"op": "replace", "path": "displayName", "value": "ok"},
                   {"op": "add", "path": "emails", "value": [{"value": "x@y"}]},
                   {"op": "replace", "path": "name.givenName", "value": 7}]),
            ScimType::InvalidValue,
        ),
        (json!([]), ScimType::InvalidValue),
    ];
    for (ops, t) in cases {
        fails(user(), ops, strict, 400, t);
    }
}

#[test]
fn immutable_may_be_set_once() {
    let mut g = group(2);
    // members.value is immutable: a new member is fine, rewriting one is not.
    ok(
        &mut g,
        json!([{"op": "add", "path": "members", "value": [{"value": "m9"}]}]),
    );
    fails(
        group(2),
        json!([{"op": "replace", "path": "members.value", "value": "x"}]),
        Compat::strict(),
        400,
        ScimType::Mutability,
    );
}

#[test]
fn group_display_name_is_required() {
    fails(
        group(1),
        json!([{"op": "remove", "path": "displayName"}]),
        Compat::strict(),
        400,
        ScimType::Mutability,
    );
}

#[test]
fn okta_rename_with_own_id() {
    let mut g = group(3);
    ok(
        &mut g,
        json!([{"op": "replace", "value": {"id": "g1", "displayName": "New"}}]),
    );
    assert_eq!(g["displayName"], "New");
}

#[test]
fn extension_urn_path_addresses_the_object() {
    let ext = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    let mut u = user();
    ok(
        &mut u,
        json!([{"op": "add", "path": ext, "value": {"employeeNumber": "7", "Manager": {"value": "m"}}}]),
    );
    assert_eq!(
        u[ext],
        json!({"employeeNumber": "7", "manager": {"value": "m"}})
    );
    assert_eq!(u["schemas"].as_array().unwrap().len(), 2);
    ok(
        &mut u,
        json!([{"op": "replace", "path": format!("{ext}:manager.value"), "value": "n"}]),
    );
    assert_eq!(u[ext]["manager"]["value"], "n");
    ok(&mut u, json!([{"op": "remove", "path": ext}]));
    assert!(u.get(ext).is_none());
    assert_eq!(
        u["schemas"],
        json!(["urn:ietf:params:scim:schemas:core:2.0:User"])
    );
}

#[test]
fn compat_string_booleans() {
    let ops = json!([{"op": "replace", "path": "active", "value": "False"}]);
    fails(
        user(),
        ops.clone(),
        Compat::strict(),
        400,
        ScimType::InvalidValue,
    );
    let mut c = Compat::strict();
    c.string_booleans = true;
    let mut u = user();
    run_with(&mut u, &ops, c).unwrap();
    assert_eq!(u["active"], false);
    run_with(
        &mut u,
        &json!([{"op": "add", "path": "emails", "value": [{"value": "t@x", "primary": "True"}]}]),
        c,
    )
    .unwrap();
    assert_eq!(u["emails"][2]["primary"], true);
    assert_eq!(u["emails"][0]["primary"], false);
}

#[test]
fn compat_remove_with_value() {
    let ops =
        json!([{"op": "Remove", "path": "members", "value": [{"value": "M1"}, {"value": "m7"}]}]);
    fails(
        group(3),
        ops.clone(),
        Compat::strict(),
        400,
        ScimType::InvalidValue,
    );
    let mut c = Compat::strict();
    c.remove_with_value = true;
    let mut g = group(3);
    run_with(&mut g, &ops, c).unwrap();
    assert_eq!(
        g["members"],
        json!([{"value": "m0", "display": "Member 0"}, {"value": "m2", "display": "Member 2"}])
    );
}

#[test]
fn compat_dotted_keys() {
    let ops = json!([{"op": "replace", "value": {
        "name.givenName": "Barbara2",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department": "X"
    }}]);
    fails(
        user(),
        ops.clone(),
        Compat::strict(),
        400,
        ScimType::InvalidPath,
    );
    let mut c = Compat::strict();
    c.dotted_keys_in_value = true;
    let mut u = user();
    run_with(&mut u, &ops, c).unwrap();
    assert_eq!(u["name"]["givenName"], "Barbara2");
    assert_eq!(
        u["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]["department"],
        "X"
    );
}

#[test]
fn compat_empty_operations() {
    let mut c = Compat::strict();
    c.empty_operations = true;
    let mut u = user();
    assert!(!run_with(&mut u, &json!([]), c).unwrap().changed);
    assert_eq!(u, user());
}

#[test]
fn operation_limit() {
    let ops: Vec<Value> = (0..3)
        .map(|_| json!({"op": "replace", "path": "title", "value": "t"}))
        .collect();
    let mut u = user();
    let e = Patcher::new(SchemaRegistry::standard())
        .max_operations(2)
        .run(
            &mut u,
            ops.iter().map(|o| {
                let (p, v) = (o["path"].as_str(), o.get("value"));
                (Kind::Replace, p.map(Cow::Borrowed), v.map(Cow::Borrowed))
            }),
        )
        .unwrap_err();
    assert_eq!(e.scim_type, Some(ScimType::InvalidValue));
}

#[test]
fn unknown_schema_takes_defaults() {
    let mut r = json!({"schemas": ["urn:example:Thing"], "color": "red"});
    ok(
        &mut r,
        json!([{"op": "add", "path": "size", "value": 3}, {"op": "remove", "path": "color"}]),
    );
    assert_eq!(r, json!({"schemas": ["urn:example:Thing"], "size": 3}));
}

/// `type eq <v>` on one sub-attribute: a stand-in for the filter evaluator.
struct TypeIs(&'static str, &'static str);

impl Selector for TypeIs {
    fn select(&self, element: &Value, _: Option<&Attribute>) -> Result<bool, ScimError> {
        Ok(element.get(self.0).and_then(Value::as_str) == Some(self.1))
    }
    fn template(&self) -> Option<Vec<(&str, Value)>> {
        Some(vec![(self.0, Value::from(self.1))])
    }
}

fn engine_op(
    resource: &mut Value,
    kind: Kind,
    attr: &str,
    filter: &dyn Selector,
    sub: Option<&str>,
    value: Option<&Value>,
    compat: Compat,
) -> Result<bool, ScimError> {
    let schemas = SchemaRegistry::standard();
    let mut e = Engine::new(resource, schemas, compat)?;
    let mut t: Target<'_> = e.resolver.resolve(None, attr, sub)?;
    t.filter = Some(filter);
    let r = e.apply(kind, Some(&t), value.map(Cow::Borrowed));
    if r.is_err() {
        e.rollback_to(0);
    }
    r.map(|()| !e.log.is_empty())
}

#[test]
fn value_path_replace_sub_attribute() {
    let mut u = user();
    let v = json!("work@example.com");
    engine_op(
        &mut u,
        Kind::Replace,
        "emails",
        &TypeIs("type", "work"),
        Some("value"),
        Some(&v),
        Compat::strict(),
    )
    .unwrap();
    assert_eq!(u["emails"][0]["value"], "work@example.com");
    assert_eq!(u["emails"][1]["value"], "babs@jensen.org");
}

#[test]
fn value_path_no_match() {
    let v = json!("x@example.com");
    for kind in [Kind::Replace, Kind::Add] {
        let mut u = user();
        let e = engine_op(
            &mut u,
            kind,
            "emails",
            &TypeIs("type", "other"),
            Some("value"),
            Some(&v),
            Compat::strict(),
        )
        .unwrap_err();
        assert_eq!(e.scim_type, Some(ScimType::NoTarget));
        assert_eq!(u, user());
    }
    let mut u = user();
    assert!(
        !engine_op(
            &mut u,
            Kind::Remove,
            "emails",
            &TypeIs("type", "other"),
            None,
            None,
            Compat::strict()
        )
        .unwrap()
    );
    let mut c = Compat::strict();
    c.create_on_missing_value_path = true;
    engine_op(
        &mut u,
        Kind::Add,
        "emails",
        &TypeIs("type", "other"),
        Some("value"),
        Some(&v),
        c,
    )
    .unwrap();
    assert_eq!(
        u["emails"][2],
        json!({"type": "other", "value": "x@example.com"})
    );
}

#[test]
fn value_path_remove_and_merge() {
    let mut u = user();
    engine_op(
        &mut u,
        Kind::Remove,
        "emails",
        &TypeIs("type", "home"),
        None,
        None,
        Compat::strict(),
    )
    .unwrap();
    assert_eq!(u["emails"].as_array().unwrap().len(), 1);
    let v = json!({"display": "Work", "type": "work"});
    engine_op(
        &mut u,
        Kind::Replace,
        "emails",
        &TypeIs("type", "work"),
        None,
        Some(&v),
        Compat::strict(),
    )
    .unwrap();
    assert_eq!(
        u["emails"][0],
        json!({"value": "bjensen@example.com", "type": "work", "primary": true, "display": "Work"})
    );
    engine_op(
        &mut u,
        Kind::Remove,
        "emails",
        &TypeIs("type", "work"),
        None,
        None,
        Compat::strict(),
    )
    .unwrap();
    assert!(u.get("emails").is_none());
}
