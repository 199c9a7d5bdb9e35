//! The diff law, checked over generated users and groups: `apply(old, diff(old, new)) == new`
//! (up to readOnly attributes, unassigned values and element order), `diff(x, x)` is empty, and
//! the Identity Center plan, applied request by request, reaches the same resource.

use proptest::prelude::*;
use scimkit::aws::IdentityCenter;
use scimkit::diff::{Target, diff, plan};
use scimkit::{Compat, SchemaRegistry};
use serde_json::{Map, Value, json};

const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/// Small alphabets so that old and new often share values; `""` and `null` are unassigned.
fn text() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!("a")),
        Just(json!("b")),
        Just(json!("B")),
        Just(json!("with \"quote\" and \\")),
        Just(json!("")),
        Just(Value::Null),
    ]
}

fn maybe(s: impl Strategy<Value = Value>) -> impl Strategy<Value = Option<Value>> {
    prop::option::of(s)
}

fn object(fields: Vec<(&'static str, Option<Value>)>) -> Value {
    Value::Object(
        fields
            .into_iter()
            .filter_map(|(k, v)| Some((k.to_owned(), v?)))
            .collect(),
    )
}

/// `emails`: values that collide ignoring case, at most one primary.
fn emails() -> impl Strategy<Value = Value> {
    let value = prop_oneof![Just("a@x"), Just("b@x"), Just("A@x"), Just("c\"@x")];
    let kind = maybe(prop_oneof![Just(json!("work")), Just(json!("home"))]);
    prop::collection::vec((value, kind), 0..4)
        .prop_map(|mut items| {
            // Values equal ignoring case are one value (emails.value is caseExact=false): a valid
            // resource holds each once. Old and new still differ in case between them.
            let mut seen = std::collections::HashSet::new();
            items.retain(|(v, _)| seen.insert(v.to_lowercase()));
            items
        })
        .prop_flat_map(|items| {
            let n = items.len();
            (Just(items), prop::option::of(0..n.max(1)))
        })
        .prop_map(|(items, primary)| {
            Value::Array(
                items
                    .into_iter()
                    .enumerate()
                    .map(|(i, (v, t))| {
                        object(vec![
                            ("value", Some(json!(v))),
                            ("type", t),
                            ("primary", (primary == Some(i)).then_some(json!(true))),
                        ])
                    })
                    .collect(),
            )
        })
}

fn addresses() -> impl Strategy<Value = Value> {
    prop::collection::vec((maybe(text()), maybe(text())), 0..3).prop_map(|items| {
        Value::Array(
            items
                .into_iter()
                .map(|(l, c)| object(vec![("locality", l), ("country", c)]))
                .collect(),
        )
    })
}

fn user() -> impl Strategy<Value = Value> {
    (
        (
            maybe(text()),
            maybe(text()),
            maybe(text()),
            maybe(any::<bool>().prop_map(Value::from)),
        ),
        (maybe(text()), maybe(text()), maybe(text())),
        (maybe(emails()), maybe(addresses())),
        (maybe(text()), maybe(text())),
    )
        .prop_map(
            |(
                (display, nick, title, active),
                (given, family, middle),
                (emails, addresses),
                (dept, manager),
            )| {
                let name = object(vec![
                    ("givenName", given),
                    ("familyName", family),
                    ("middleName", middle),
                ]);
                let manager = manager.map(|m| json!({"value": m}));
                let ext = object(vec![("department", dept), ("manager", manager)]);
                let mut u = object(vec![
                    ("userName", Some(json!("bjensen"))),
                    ("displayName", display),
                    ("nickName", nick),
                    ("title", title),
                    ("active", active),
                    ("name", Some(name)),
                    ("emails", emails),
                    ("addresses", addresses),
                ]);
                u["schemas"] = json!([USER, ENTERPRISE]);
                u[ENTERPRISE] = ext;
                u["id"] = json!("2819c223");
                u
            },
        )
}

fn group() -> impl Strategy<Value = Value> {
    // displayName is required (RFC 7643 §8.7.1): a valid group always has one.
    let display = prop_oneof![Just(json!("Ops")), Just(json!("Operations \"x\""))];
    (
        display.prop_map(Some),
        prop::collection::btree_set(0u16..40, 0..30),
    )
        .prop_map(|(display, ids)| {
            let members: Vec<Value> = ids
                .into_iter()
                .map(|i| json!({"value": format!("u-{i}")}))
                .collect();
            let mut g = object(vec![
                ("displayName", display),
                ("members", Some(Value::Array(members))),
            ]);
            g["schemas"] = json!([GROUP]);
            g
        })
}

/// A resource as state: no readOnly attributes or `schemas`, no unassigned values, multi-valued
/// elements as a set.
fn state(v: &Value) -> Value {
    fn walk(v: &Value) -> Option<Value> {
        match v {
            Value::Null => None,
            Value::String(s) if s.is_empty() => None,
            Value::Array(items) => {
                let mut kept: Vec<Value> = items.iter().filter_map(walk).collect();
                // Multi-valued attributes are sets: an identical element added twice is there
                // once (RFC 7644 §3.5.2.1).
                kept.sort_by_key(Value::to_string);
                kept.dedup();
                (!kept.is_empty()).then_some(Value::Array(kept))
            }
            Value::Object(o) => {
                let kept: Map<String, Value> = o
                    .iter()
                    .filter(|(k, _)| !matches!(k.as_str(), "id" | "meta" | "schemas" | "groups"))
                    .filter_map(|(k, v)| Some((k.clone(), walk(v)?)))
                    .collect();
                (!kept.is_empty()).then_some(Value::Object(kept))
            }
            other => Some(other.clone()),
        }
    }
    walk(v).unwrap_or(Value::Null)
}

fn check_law(old: &Value, new: &Value) -> Result<(), TestCaseError> {
    let schemas = SchemaRegistry::default();
    let patch = diff(old, new, &schemas).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let mut got = old.clone();
    if !patch.operations.is_empty() {
        patch.apply(&mut got, &schemas).map_err(|e| {
            TestCaseError::fail(format!(
                "{e}; patch: {}",
                serde_json::to_string(&patch).unwrap_or_default()
            ))
        })?;
    }
    prop_assert_eq!(
        state(&got),
        state(new),
        "patch: {}",
        serde_json::to_string(&patch).unwrap_or_default()
    );
    let same = diff(new, new, &schemas).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert!(same.operations.is_empty());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn diff_law_users(old in user(), new in user()) {
        check_law(&old, &new)?;
    }

    #[test]
    fn diff_law_groups(old in group(), new in group()) {
        check_law(&old, &new)?;
    }

    /// The Identity Center plan, each request applied in turn (its member removals use the
    /// `remove` + `value` form, rule 49), also reaches `new`.
    #[test]
    fn identity_center_plan_reaches_new(old in group(), new in group()) {
        let schemas = SchemaRegistry::default();
        let mut target = Target::identity_center();
        target.max_values_per_request = Some(7);
        let requests = plan(&old, &new, &schemas, &target).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut got = old.clone();
        for r in &requests {
            prop_assert!(!r.operations.is_empty());
            r.apply_with(&mut got, &schemas, &Compat::jumpcloud())
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
        }
        prop_assert_eq!(state(&got), state(&new));
    }

    /// For users too, where every operation is pathed and names one attribute or sub-attribute.
    #[test]
    fn identity_center_user_plan_reaches_new(old in user(), new in user()) {
        let schemas = SchemaRegistry::default();
        // Rule 39: a plan that would remove `active` is refused, not sent.
        let requests = match plan(&old, &new, &schemas, &Target::identity_center()) {
            Ok(r) => r,
            Err(e) => return Err(TestCaseError::reject(e.to_string())),
        };
        let mut got = old.clone();
        for r in &requests {
            prop_assert!(r.operations.iter().all(|o| o.path.is_some()));
            r.apply(&mut got, &schemas).map_err(|e| TestCaseError::fail(e.to_string()))?;
        }
        prop_assert_eq!(state(&got), state(&new));
    }
}

#[test]
fn identity_center_profile_builds_the_same_target() {
    assert_eq!(IdentityCenter::new().target(), Target::identity_center());
}
