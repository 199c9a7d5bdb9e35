//! Growth cases for the `projection` area (issue 17 item 5): `attributes` lists of n entries
//! applied to a group of n members. Matching each member's sub-attributes against the whole
//! list is a product (4× per doubling); deduplicated and indexed, it is linear.

use scimkit::SchemaRegistry;
use scimkit::query::Projection;
use serde_json::{Value, json};

use crate::measured;

/// Cases of this area.
pub(crate) const CASES: &[crate::Case] = &[
    ("projection-repeated-name", 1000, repeated),
    ("projection-distinct-subs", 1000, distinct),
];

fn group(n: usize) -> Value {
    let members: Vec<Value> = (0..n)
        .map(|i| json!({"value": i.to_string(), "display": "m", "type": "User"}))
        .collect();
    json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "id": "g",
           "displayName": "g", "members": members})
}

fn apply(attributes: &[String], group: &Value) {
    let schemas = SchemaRegistry::default();
    let p = Projection::new(attributes, &[], &schemas).unwrap();
    measured(|| p.apply(group, &schemas));
}

/// n × `displayName` and `members.value` (issue 17: 64,000 × `displayName`, 7.7 s).
fn repeated(n: usize) {
    let mut attributes = vec!["displayName".to_owned(); n];
    attributes.push("members.value".to_owned());
    apply(&attributes, &group(n));
}

/// n distinct sub-attributes of `members`, none of which the members hold but the last.
fn distinct(n: usize) {
    let mut attributes: Vec<String> = (0..n).map(|i| format!("members.x{i}")).collect();
    attributes.push("members.value".to_owned());
    apply(&attributes, &group(n));
}
