//! PATCH conformance: every RFC 7644 §3.5.2 example, the shared workload, and atomicity.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // helpers outside #[test]

use proptest::prelude::*;
use scimkit::{Compat, PatchOp, Patcher, SchemaRegistry, ScimType};
use serde_json::{Value, json};

const ENT: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

fn schemas() -> &'static SchemaRegistry {
    SchemaRegistry::standard()
}

fn request(ops: Value) -> PatchOp {
    serde_json::from_value(json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": ops
    }))
    .unwrap()
}

fn workload() -> Value {
    serde_json::from_str(include_str!("data/patches.json")).unwrap()
}

fn rfc_user() -> Value {
    workload()["resources"]["user"].clone()
}

fn rfc_group() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "id": "acbf3ae7-8463-4692-b4fd-9b4da3f908ce",
        "displayName": "Tour Guides",
        "members": [
            {"value": "2819c223-7f76-453a-919d-413861904646", "display": "Babs Jensen",
             "$ref": "https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646"},
            {"value": "902c246b-6245-4190-8e05-00816be7344a", "display": "Mandy Pepperidge",
             "$ref": "https://example.com/v2/Users/902c246b-6245-4190-8e05-00816be7344a"}
        ]
    })
}

#[track_caller]
fn apply(resource: &mut Value, ops: Value) {
    request(ops.clone())
        .apply(resource, schemas())
        .unwrap_or_else(|e| panic!("{ops} failed: {e}"));
}

#[track_caller]
fn refused(resource: &Value, ops: Value, compat: Compat, t: ScimType) {
    let mut r = resource.clone();
    let before = serde_json::to_vec(&r).unwrap();
    let e = request(ops.clone())
        .apply_with(&mut r, schemas(), &compat)
        .expect_err("should fail");
    assert_eq!((e.status, e.scim_type), (t.status(), Some(t)), "{ops}: {e}");
    assert_eq!(
        serde_json::to_vec(&r).unwrap(),
        before,
        "{ops} changed the resource"
    );
}

// ---- RFC 7644 §3.5.2.1 add ----

#[test]
fn rfc_add_member() {
    let mut g = rfc_group();
    apply(
        &mut g,
        json!([{"op": "add", "path": "members", "value": [{
            "display": "Babs Jensen",
            "$ref": "https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646",
            "value": "2819c223-7f76-453a-919d-413861904646"}]}]),
    );
    // Already a member: no change (§3.5.2.1).
    assert_eq!(g, rfc_group());
    apply(
        &mut g,
        json!([{"op": "add", "path": "members", "value": [{"value": "08e1d05d-121c-4561-8b96-473d93df9210", "display": "James Smith"}]}]),
    );
    assert_eq!(g["members"].as_array().unwrap().len(), 3);
}

#[test]
fn rfc_add_without_path() {
    let mut u = rfc_user();
    apply(
        &mut u,
        json!([{"op": "add", "value": {
            "emails": [{"value": "babs@jensen.org", "type": "home"}, {"value": "b@new.example.com", "type": "other"}],
            "nickname": "Babs2"}}]),
    );
    assert_eq!(u["nickName"], "Babs2");
    assert!(u.get("nickname").is_none());
    assert_eq!(u["emails"].as_array().unwrap().len(), 3);
}

// ---- RFC 7644 §3.5.2.2 remove ----

#[test]
fn rfc_remove_one_member() {
    let mut g = rfc_group();
    apply(
        &mut g,
        json!([{"op": "remove", "path": "members[value eq \"2819c223-7f76-453a-919d-413861904646\"]"}]),
    );
    assert_eq!(g["members"].as_array().unwrap().len(), 1);
    assert_eq!(g["members"][0]["display"], "Mandy Pepperidge");
}

#[test]
fn rfc_remove_all_members() {
    let mut g = rfc_group();
    apply(&mut g, json!([{"op": "remove", "path": "members"}]));
    assert!(g.get("members").is_none());
}

#[test]
fn rfc_remove_by_complex_filter() {
    let mut u = rfc_user();
    apply(
        &mut u,
        json!([{"op": "remove", "path": "emails[type eq \"work\" and value ew \"example.com\"]"}]),
    );
    assert_eq!(
        u["emails"],
        json!([{"value": "babs@jensen.org", "type": "home"}])
    );
}

#[test]
fn rfc_remove_and_add_members() {
    let mut g = rfc_group();
    apply(
        &mut g,
        json!([
            {"op": "remove", "path": "members"},
            {"op": "add", "path": "members", "value": [
                {"display": "Babs Jensen", "value": "2819c223-7f76-453a-919d-413861904646"},
                {"display": "James Smith", "value": "08e1d05d-121c-4561-8b96-473d93df9210"}]}
        ]),
    );
    assert_eq!(g["members"][1]["display"], "James Smith");
    assert_eq!(g["members"].as_array().unwrap().len(), 2);
}

#[test]
fn rfc_remove_extension_attribute() {
    let mut u = rfc_user();
    apply(
        &mut u,
        json!([{"op": "remove", "path": format!("{ENT}:manager")}]),
    );
    assert!(u[ENT].get("manager").is_none());
    assert_eq!(u[ENT]["employeeNumber"], "701984");
}

// ---- RFC 7644 §3.5.2.3 replace ----

#[test]
fn rfc_replace_members() {
    let mut g = rfc_group();
    apply(
        &mut g,
        json!([{"op": "replace", "path": "members", "value": [
            {"display": "Babs Jensen", "value": "2819c223-7f76-453a-919d-413861904646"},
            {"display": "James Smith", "value": "08e1d05d-121c-4561-8b96-473d93df9210"}]}]),
    );
    assert_eq!(
        g["members"],
        json!([{"display": "Babs Jensen", "value": "2819c223-7f76-453a-919d-413861904646"},
               {"display": "James Smith", "value": "08e1d05d-121c-4561-8b96-473d93df9210"}])
    );
}

#[test]
fn rfc_replace_work_address() {
    let mut u = rfc_user();
    apply(
        &mut u,
        json!([{"op": "replace", "path": "addresses[type eq \"work\"]", "value": {
            "type": "work", "streetAddress": "911 Universal City Plaza", "locality": "Hollywood",
            "region": "CA", "postalCode": "91608", "country": "US",
            "formatted": "911 Universal City Plaza\nHollywood, CA 91608 US", "primary": true}}]),
    );
    assert_eq!(
        u["addresses"][0]["streetAddress"],
        "911 Universal City Plaza"
    );
    assert_eq!(u["addresses"].as_array().unwrap().len(), 1);
}

#[test]
fn rfc_replace_street_address() {
    let mut u = rfc_user();
    apply(
        &mut u,
        json!([{"op": "replace", "path": "addresses[type eq \"work\"].streetAddress", "value": "1010 Broadway Ave"}]),
    );
    assert_eq!(u["addresses"][0]["streetAddress"], "1010 Broadway Ave");
    assert_eq!(u["addresses"][0]["locality"], "Hollywood");
}

#[test]
fn rfc_replace_without_path() {
    let mut u = rfc_user();
    apply(
        &mut u,
        json!([{"op": "replace", "value": {
            "emails": [{"value": "bjensen@example.com", "type": "work", "primary": true},
                       {"value": "babs@jensen.org", "type": "home"}],
            "nickname": "Babs"}}]),
    );
    assert_eq!(u, rfc_user(), "the same values: no change");
    let mut u = rfc_user();
    apply(
        &mut u,
        json!([{"op": "replace", "value": {"emails": [{"value": "x@y.example", "type": "work"}]}}]),
    );
    assert_eq!(
        u["emails"],
        json!([{"value": "x@y.example", "type": "work"}])
    );
}

// ---- errors: status, scimType, resource byte-identical ----

#[test]
fn every_error() {
    let u = rfc_user();
    let g = rfc_group();
    let s = Compat::strict();
    refused(
        &u,
        json!([{"op": "replace", "path": "emails[type eq", "value": "x"}]),
        s,
        ScimType::InvalidPath,
    );
    refused(
        &u,
        json!([{"op": "replace", "path": "unknownAttr", "value": "x"}]),
        s,
        ScimType::InvalidPath,
    );
    refused(
        &u,
        json!([{"op": "replace", "path": "name.unknown", "value": "x"}]),
        s,
        ScimType::InvalidPath,
    );
    refused(&u, json!([{"op": "remove"}]), s, ScimType::NoTarget);
    refused(
        &u,
        json!([{"op": "replace", "path": "emails[type eq \"other\"].value", "value": "x"}]),
        s,
        ScimType::NoTarget,
    );
    refused(
        &u,
        json!([{"op": "add", "path": "emails[type eq \"other\"].value", "value": "x"}]),
        s,
        ScimType::NoTarget,
    );
    refused(
        &u,
        json!([{"op": "replace", "path": "active", "value": "no"}]),
        s,
        ScimType::InvalidValue,
    );
    refused(
        &u,
        json!([{"op": "replace", "path": "emails", "value": "not-an-email-object"}]),
        s,
        ScimType::InvalidValue,
    );
    refused(
        &u,
        json!([{"op": "replace", "path": "meta.created", "value": "2020-01-01T00:00:00Z"}]),
        s,
        ScimType::Mutability,
    );
    refused(
        &u,
        json!([{"op": "replace", "path": "id", "value": "x"}]),
        s,
        ScimType::Mutability,
    );
    refused(
        &u,
        json!([{"op": "add", "path": "groups", "value": [{"value": "g"}]}]),
        s,
        ScimType::Mutability,
    );
    refused(
        &u,
        json!([{"op": "remove", "path": "userName"}]),
        s,
        ScimType::Mutability,
    );
    refused(
        &u,
        json!([{"op": "remove", "path": "meta"}]),
        s,
        ScimType::Mutability,
    );
    refused(
        &g,
        json!([{"op": "replace", "path": "members[value eq \"902c246b-6245-4190-8e05-00816be7344a\"].value", "value": "x"}]),
        s,
        ScimType::Mutability,
    );
    refused(
        &u,
        json!([{"op": "add", "path": "title"}]),
        s,
        ScimType::InvalidValue,
    );
    refused(
        &u,
        json!([{"op": "replace", "path": "title"}]),
        s,
        ScimType::InvalidValue,
    );
    // A failure in a later operation undoes the earlier ones.
    refused(
        &g,
        json!([{"op": "replace", "path": "displayName", "value": "Renamed"},
               {"op": "remove", "path": "members[value eq \"2819c223-7f76-453a-919d-413861904646\"]"},
               {"op": "add", "path": "members", "value": [{"value": "new"}]},
               {"op": "remove"}]),
        s,
        ScimType::NoTarget,
    );
}

#[test]
fn ops_and_names_ignore_case() {
    let mut u = rfc_user();
    apply(
        &mut u,
        json!([{"op": "REPLACE", "path": "Emails[TYPE eq \"work\"].Value", "value": "w@example.com"},
               {"op": "Add", "path": "NAME.givenname", "value": "B"}]),
    );
    assert_eq!(u["emails"][0]["value"], "w@example.com");
    assert_eq!(u["name"]["givenName"], "B");
}

#[test]
fn primary_moves() {
    let mut u = rfc_user();
    apply(
        &mut u,
        json!([{"op": "replace", "path": "emails[type eq \"home\"].primary", "value": true}]),
    );
    assert_eq!(u["emails"][0]["primary"], false);
    assert_eq!(u["emails"][1]["primary"], true);
}

#[test]
fn typed_user_and_group() {
    let mut user: scimkit::User = serde_json::from_value(rfc_user()).unwrap();
    let out = request(json!([{"op": "replace", "path": "displayName", "value": "Barbara"}]))
        .apply_to_user(&mut user, schemas())
        .unwrap();
    assert!(out.changed);
    assert_eq!(
        serde_json::to_value(&user).unwrap()["displayName"],
        "Barbara"
    );
    let mut group: scimkit::Group = serde_json::from_value(rfc_group()).unwrap();
    request(json!([{"op": "remove", "path": "members"}]))
        .apply_to_group(&mut group, schemas())
        .unwrap();
    assert!(
        serde_json::to_value(&group)
            .unwrap()
            .get("members")
            .is_none()
    );
}

// ---- the shared workload (../shared/bench-workload/patches.json) ----

fn fact<'v>(r: &'v Value, key: &str) -> Value {
    let count = |v: &'v Value| json!(v.as_array().map_or(0, Vec::len));
    match key.split('.').collect::<Vec<_>>().as_slice() {
        ["emails", "count"] => count(&r["emails"]),
        ["members", "count"] => count(&r["members"]),
        ["emails", t, sub] => r["emails"]
            .as_array()
            .and_then(|a| a.iter().find(|e| e["type"] == *t))
            .map_or(Value::Null, |e| e[*sub].clone()),
        ["enterprise", a] => r[ENT][*a].clone(),
        [a, b] => r[*a][*b].clone(),
        [a] => r[*a].clone(),
        _ => panic!("unknown fact {key}"),
    }
}

#[test]
fn workload_expectations() {
    let w = workload();
    for p in w["patches"].as_array().unwrap() {
        let mut r = w["resources"][p["resource"].as_str().unwrap()].clone();
        let op: PatchOp = serde_json::from_value(p["request"].clone()).unwrap();
        // p02 (string boolean) and p10 (remove with value) are Entra's; the others are RFC.
        let compat = match p["id"].as_str() {
            Some("p02" | "p10") => Compat::entra(),
            _ => Compat::strict(),
        };
        if compat != Compat::strict() {
            assert!(
                op.apply(&mut r.clone(), schemas()).is_err(),
                "{} needs compat",
                p["id"]
            );
        }
        op.apply_with(&mut r, schemas(), &compat)
            .unwrap_or_else(|e| panic!("{}: {e}", p["id"]));
        for (k, v) in p["expect"].as_object().unwrap() {
            assert_eq!(fact(&r, k), *v, "{} {k}", p["id"]);
        }
    }
}

#[test]
fn compat_presets_match_idp_payloads() {
    let mut u = rfc_user();
    let entra = request(
        json!([{"op": "Add", "path": "emails[type eq \"other\"].value", "value": "o@example.com"}]),
    );
    entra
        .apply_with(&mut u, schemas(), &Compat::entra())
        .unwrap();
    assert_eq!(
        u["emails"][2],
        json!({"type": "other", "value": "o@example.com"})
    );
    let mut g = rfc_group();
    let jc = request(
        json!([{"op": "remove", "path": "members", "value": [{"value": "902c246b-6245-4190-8e05-00816be7344a"}]}]),
    );
    jc.apply_with(&mut g, schemas(), &Compat::jumpcloud())
        .unwrap();
    assert_eq!(g["members"].as_array().unwrap().len(), 1);
    // Okta's documented payloads are RFC form and need no switch.
    let mut g = rfc_group();
    let okta = request(json!([
        {"op": "replace", "value": {"id": "acbf3ae7-8463-4692-b4fd-9b4da3f908ce", "displayName": "Guides"}},
        {"op": "replace", "path": "members", "value": []}]));
    okta.apply_with(&mut g, schemas(), &Compat::okta()).unwrap();
    assert_eq!(g["displayName"], "Guides");
    assert!(g.get("members").is_none());
    assert!(
        PatchOp::new(vec![])
            .apply_with(&mut g, schemas(), &Compat::entra())
            .is_ok()
    );
}

#[test]
fn group_scale_is_linear() {
    // Smoke test at 100,000 members: rename, add and remove by filter complete.
    let members: Vec<Value> = (0..100_000)
        .map(|i| json!({"value": format!("u{i}")}))
        .collect();
    let mut g = json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "Big", "members": members});
    let new: Vec<Value> = (99_950..100_050)
        .map(|i| json!({"value": format!("u{i}")}))
        .collect();
    let out = Patcher::new(schemas())
        .apply(
            &request(json!([
                {"op": "replace", "path": "displayName", "value": "Bigger"},
                {"op": "add", "path": "members", "value": new},
                {"op": "remove", "path": "members[value eq \"u5\"]"}])),
            &mut g,
        )
        .unwrap();
    assert!(out.changed);
    assert_eq!(g["members"].as_array().unwrap().len(), 100_049);
}

// ---- atomicity, for any resource ----

fn arb_user() -> impl Strategy<Value = Value> {
    (
        "[a-z]{1,8}",
        proptest::option::of("[A-Za-z ]{0,12}"),
        proptest::option::of(any::<bool>()),
        proptest::collection::vec(("[a-z]{1,6}@x\\.org", prop_oneof!["work", "home", "other"], any::<bool>()), 0..4),
        proptest::collection::vec("[a-z0-9]{1,6}", 0..5),
    )
        .prop_map(|(user, display, active, emails, roles)| {
            let mut u = json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": "1", "userName": user});
            if let Some(d) = display {
                u["displayName"] = json!(d);
            }
            if let Some(a) = active {
                u["active"] = json!(a);
            }
            if !emails.is_empty() {
                u["emails"] = emails
                    .into_iter()
                    .map(|(v, t, p)| json!({"value": v, "type": t, "primary": p}))
                    .collect();
            }
            if !roles.is_empty() {
                u["roles"] = roles.into_iter().map(|r| json!({"value": r})).collect();
            }
            u
        })
}

fn arb_op() -> impl Strategy<Value = Value> {
    let path = prop_oneof![
        Just(Value::Null),
        Just(json!("displayName")),
        Just(json!("active")),
        Just(json!("emails")),
        Just(json!("emails[type eq \"work\"].value")),
        Just(json!("emails[type eq \"home\"]")),
        Just(json!("roles")),
        Just(json!("name.givenName")),
        Just(json!(format!("{ENT}:department"))),
        Just(json!("id")),
        Just(json!("userName")),
        Just(json!("bogus")),
    ];
    let value = prop_oneof![
        Just(Value::Null),
        Just(json!("text")),
        Just(json!(true)),
        Just(json!([{"value": "a@x.org", "type": "work", "primary": true}])),
        Just(json!({"value": "b@x.org"})),
        Just(json!({"displayName": "D", "nickName": "N"})),
        Just(json!(7)),
    ];
    (prop_oneof!["add", "remove", "replace"], path, value).prop_map(|(op, path, value)| {
        let mut o = json!({"op": op});
        if !path.is_null() {
            o["path"] = path;
        }
        if !value.is_null() {
            o["value"] = value;
        }
        o
    })
}

proptest! {
    /// `Patcher::apply_owned` moves the request's values in; it must do exactly what `apply`
    /// does with the request borrowed.
    #[test]
    fn owned_and_borrowed_requests_agree(
        user in arb_user(),
        ops in proptest::collection::vec(arb_op(), 1..6),
        lenient in any::<bool>(),
    ) {
        let compat = if lenient { Compat::lenient() } else { Compat::strict() };
        let patcher = Patcher::new(schemas()).compat(compat);
        let op = request(Value::Array(ops));
        let (mut a, mut b) = (user.clone(), user);
        let borrowed = patcher.apply(&op, &mut a);
        let owned = patcher.apply_owned(op, &mut b);
        prop_assert_eq!(borrowed, owned);
        prop_assert_eq!(a, b);
    }

    #[test]
    fn failing_requests_leave_resources_byte_identical(
        user in arb_user(),
        ops in proptest::collection::vec(arb_op(), 1..6),
        lenient in any::<bool>(),
    ) {
        let compat = if lenient { Compat::lenient() } else { Compat::strict() };
        let mut r = user.clone();
        let before = serde_json::to_vec(&r).unwrap();
        match request(Value::Array(ops)).apply_with(&mut r, schemas(), &compat) {
            Err(_) => prop_assert_eq!(serde_json::to_vec(&r).unwrap(), before),
            Ok(()) => {
                // A request never adds a second primary: at most one afterwards, or (for a
                // generated input that already broke RFC 7643 §2.4) no more than before.
                let primaries = r["emails"].as_array().map_or(0, |a| {
                    a.iter().filter(|e| e["primary"] == json!(true)).count()
                });
                let had = user["emails"].as_array().map_or(0, |a| {
                    a.iter().filter(|e| e["primary"] == json!(true)).count()
                });
                prop_assert!(primaries <= had.max(1), "{} primaries, {} before", primaries, had);
            }
        }
    }
}

/// A member's `value` and `$ref` are immutable (RFC 7643 §8.7.1); its `display` is not in the
/// RFC's members schema and may be renamed.
#[test]
fn member_display_is_writable_member_value_is_immutable() {
    let target = r#"members[value eq "2819c223-7f76-453a-919d-413861904646"]"#;
    let mut group = rfc_group();
    request(json!([{"op": "replace", "path": format!("{target}.display"), "value": "Babs"}]))
        .apply(&mut group, schemas())
        .unwrap();
    assert_eq!(group["members"][0]["display"], json!("Babs"));

    let before = group.clone();
    let err = request(json!([{"op": "replace", "path": format!("{target}.value"), "value": "x"}]))
        .apply(&mut group, schemas())
        .unwrap_err();
    assert_eq!(err.scim_type, Some(ScimType::Mutability));
    assert_eq!(group, before);
}

/// Member ids that are equal ignoring case in ways an ASCII-only or a prefix-only comparison
/// gets wrong: the Kelvin sign `K` folds to `k`, `É` to `é`, and long ids differ only inside.
fn arb_member_id() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "",
        "a",
        "A",
        "abc",
        "ABC",
        "kelvin",
        "\u{212A}elvin",
        "KELVIN",
        "école",
        "ÉCOLE",
        "2819c223-7f76-453a-919d-413861904646",
        "2819C223-7F76-453A-919D-413861904646",
        "2819c223-7f76-453a-919d-413861904647",
        "2819c223-7f76-453a-819d-413861904646",
        "aaaaaaaakaaaaaaaa",
        "aaaaaaaa\u{212A}aaaaaaaa",
        "AAAAAAAAKAAAAAAAA",
        "aaaaaaaaxaaaaaaaa",
        "aŸŸŸŸ",
        "aÿÿÿÿ",
    ])
    .prop_map(str::to_owned)
}

fn members(ids: &[String]) -> Value {
    ids.iter().map(|id| json!({"value": id})).collect()
}

/// Whether two member ids are the same member: `members.value` is not caseExact (RFC 7643
/// §8.7.1), and case is folded by Unicode's lowercase mapping.
fn same_member(a: &str, b: &str) -> bool {
    a.to_lowercase() == b.to_lowercase()
}

proptest! {
    /// RFC 7644 §3.5.2.1: adding values appends those not already present (once each); the
    /// hashed index and its prefilter agree with comparing every pair.
    #[test]
    fn add_appends_exactly_the_absent_members(
        current in proptest::collection::vec(arb_member_id(), 0..12),
        added in proptest::collection::vec(arb_member_id(), 0..8),
    ) {
        let mut group = json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
            "displayName": "g",
            "members": members(&current),
        });
        let op = request(json!([{"op": "add", "path": "members", "value": members(&added)}]));
        op.apply(&mut group, schemas()).unwrap();
        let mut expected = current.clone();
        for id in &added {
            if !expected.iter().any(|e| same_member(e, id)) {
                expected.push(id.clone());
            }
        }
        let got = group.get("members").cloned().unwrap_or(json!([]));
        prop_assert_eq!(got, members(&expected));
    }

    /// `Compat::remove_with_value` removes exactly the members equal to a listed one.
    #[test]
    fn remove_with_value_removes_exactly_the_listed_members(
        current in proptest::collection::vec(arb_member_id(), 0..12),
        gone in proptest::collection::vec(arb_member_id(), 1..6),
    ) {
        let mut group = json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
            "displayName": "g",
            "members": members(&current),
        });
        let op = request(json!([{"op": "remove", "path": "members", "value": members(&gone)}]));
        op.apply_with(&mut group, schemas(), &Compat::entra()).unwrap();
        let kept: Vec<String> = current
            .iter()
            .filter(|c| !gone.iter().any(|g| same_member(c, g)))
            .cloned()
            .collect();
        let got = group.get("members").cloned().unwrap_or(json!([]));
        prop_assert_eq!(got, members(&kept));
    }
}
