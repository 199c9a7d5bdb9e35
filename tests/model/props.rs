//! Generated round trips: Value → User/Group → Value is the identity on well-formed input, and
//! the case of known attribute names does not change what is read.

use proptest::collection::{btree_map, vec};
use proptest::option;
use proptest::prelude::*;
use scimkit::{Group, User};
use serde_json::{Map, Value, json};

const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const ACME: &str = "urn:example:params:scim:schemas:extension:acme:2.0:User";

fn text() -> impl Strategy<Value = String> {
    "\\PC{0,12}"
}

/// Inserts each `Some` member.
fn object(members: Vec<(&str, Option<Value>)>) -> Value {
    Value::Object(
        members
            .into_iter()
            .filter_map(|(k, v)| Some((k.to_owned(), v?)))
            .collect(),
    )
}

fn multi_value() -> impl Strategy<Value = Value> {
    (
        option::of(text()),
        option::of(prop::sample::select(vec!["work", "home", "other"])),
        option::of(any::<bool>()),
        option::of(text()),
    )
        .prop_map(|(value, kind, primary, display)| {
            object(vec![
                ("value", value.map(Value::from)),
                ("type", kind.map(Value::from)),
                ("primary", primary.map(Value::from)),
                ("display", display.map(Value::from)),
            ])
        })
}

/// Unknown members: keys prefixed `x-` so they can never collide with a schema name.
fn unknown() -> impl Strategy<Value = Map<String, Value>> {
    btree_map("x-[a-z]{1,6}", any::<i32>().prop_map(Value::from), 0..3)
        .prop_map(|m| m.into_iter().collect())
}

fn user_json() -> impl Strategy<Value = Value> {
    let name =
        (option::of(text()), option::of(text()), option::of(text())).prop_map(|(g, f, m)| {
            object(vec![
                ("givenName", g.map(Value::from)),
                ("familyName", f.map(Value::from)),
                ("middleName", m.map(Value::from)),
            ])
        });
    let enterprise =
        (option::of(text()), option::of(text()), option::of(text())).prop_map(|(n, d, m)| {
            object(vec![
                ("employeeNumber", n.map(Value::from)),
                ("department", d.map(Value::from)),
                ("manager", m.map(|m| json!({"value": m}))),
            ])
        });
    (
        "[a-zA-Z0-9@._-]{1,16}",
        option::of(name),
        option::of(text()),
        option::of(any::<bool>()),
        option::of(vec(multi_value(), 0..3)),
        option::of(vec(multi_value(), 0..2)),
        option::of(enterprise),
        option::of(any::<u16>()),
        unknown(),
    )
        .prop_map(
            |(user_name, name, display, active, emails, roles, ext, acme, extra)| {
                let mut schemas = vec![json!("urn:ietf:params:scim:schemas:core:2.0:User")];
                if ext.is_some() {
                    schemas.push(json!(ENTERPRISE));
                }
                if acme.is_some() {
                    schemas.push(json!(ACME));
                }
                let mut v = object(vec![
                    ("schemas", Some(Value::Array(schemas))),
                    ("userName", Some(Value::from(user_name))),
                    ("name", name),
                    ("displayName", display.map(Value::from)),
                    ("active", active.map(Value::from)),
                    ("emails", emails.map(Value::from)),
                    ("roles", roles.map(Value::from)),
                    (ENTERPRISE, ext),
                    (ACME, acme.map(|n| json!({"level": n}))),
                ]);
                v.as_object_mut().unwrap().extend(extra);
                v
            },
        )
}

fn group_json() -> impl Strategy<Value = Value> {
    (
        "\\PC{1,12}",
        option::of(vec(multi_value(), 0..4)),
        unknown(),
    )
        .prop_map(|(display, members, extra)| {
            let mut v = object(vec![
                (
                    "schemas",
                    Some(json!(["urn:ietf:params:scim:schemas:core:2.0:Group"])),
                ),
                ("displayName", Some(Value::from(display))),
                ("members", members.map(Value::from)),
            ]);
            v.as_object_mut().unwrap().extend(extra);
            v
        })
}

/// Changes the case of every known key (not `x-` keys, not inside the ACME extension), by the
/// bits of `seed`.
fn shuffle_case(v: &Value, seed: &mut u64) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| {
                    *seed = seed.rotate_left(7) ^ 0x9e37_79b9_7f4a_7c15;
                    let key = if k.starts_with("x-") || k == ACME {
                        k.clone()
                    } else if *seed & 1 == 0 {
                        k.to_uppercase()
                    } else {
                        k.to_lowercase()
                    };
                    let value = if k == ACME {
                        v.clone()
                    } else {
                        shuffle_case(v, seed)
                    };
                    (key, value)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|i| shuffle_case(i, seed)).collect()),
        other => other.clone(),
    }
}

proptest! {
    #[test]
    fn users_round_trip(json in user_json()) {
        let user = User::from_value(json.clone()).unwrap();
        prop_assert_eq!(user.to_value(), json);
    }

    #[test]
    fn groups_round_trip(json in group_json()) {
        let group = Group::from_value(json.clone()).unwrap();
        prop_assert_eq!(group.to_value(), json);
    }

    #[test]
    fn case_of_known_names_does_not_matter(json in user_json(), mut seed in any::<u64>()) {
        let shuffled = shuffle_case(&json, &mut seed);
        let user = User::from_value(shuffled).unwrap();
        prop_assert_eq!(user.to_value(), json);
    }

    #[test]
    fn arbitrary_json_never_panics(json in arbitrary_json()) {
        let _ = User::from_value(json.clone());
        let _ = Group::from_value(json);
    }
}

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        "[a-zA-Z$]{0,10}".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Value::from),
            btree_map(
                prop::sample::select(vec![
                    "userName",
                    "USERNAME",
                    "name",
                    "givenName",
                    "emails",
                    "value",
                    "members",
                    "displayName",
                    ENTERPRISE,
                    "manager",
                    "schemas",
                    "meta",
                    "active",
                ]),
                inner,
                0..5
            )
            .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())),
        ]
    })
}
