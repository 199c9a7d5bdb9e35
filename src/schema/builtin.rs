//! The RFC 7643 §8.7.1 schema definitions, embedded as JSON and parsed once.

use std::sync::LazyLock;

use super::{Schema, SchemaRegistry};

/// The core User schema URN (RFC 7643 §4.1).
pub const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
/// The core Group schema URN (RFC 7643 §4.2).
pub const GROUP_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
/// The Enterprise User extension schema URN (RFC 7643 §4.3).
pub const ENTERPRISE_USER_SCHEMA: &str =
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

const USER_JSON: &str = include_str!("rfc7643/user.json");
const GROUP_JSON: &str = include_str!("rfc7643/group.json");
const ENTERPRISE_JSON: &str = include_str!("rfc7643/enterprise_user.json");
const COMMON_JSON: &str = include_str!("rfc7643/common.json");

/// Parses one embedded definition. The files are part of the crate and a test parses each of
/// them, so a failure here is a build defect, not an input error.
#[allow(clippy::expect_used)]
fn embedded(json: &str) -> Schema {
    serde_json::from_str(json).expect("embedded RFC 7643 schema is valid")
}

/// The common attributes of RFC 7643 §3.1 (`id`, `externalId`, `meta`, `schemas`), kept as a
/// schema of their own so that lookups treat them like any other attribute.
pub(super) static COMMON: LazyLock<Schema> = LazyLock::new(|| embedded(COMMON_JSON));

pub(super) static STANDARD: LazyLock<SchemaRegistry> = LazyLock::new(|| {
    let mut r = SchemaRegistry::new();
    r.register(embedded(USER_JSON));
    r.register(embedded(GROUP_JSON));
    r.register(embedded(ENTERPRISE_JSON));
    r.register_resource_type("User", USER_SCHEMA, &[ENTERPRISE_USER_SCHEMA]);
    r.register_resource_type("Group", GROUP_SCHEMA, &[]);
    r
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_definitions_parse_and_round_trip() {
        for json in [USER_JSON, GROUP_JSON, ENTERPRISE_JSON, COMMON_JSON] {
            let v: serde_json::Value = serde_json::from_str(json).unwrap();
            let s: Schema = serde_json::from_value(v.clone()).unwrap();
            assert_eq!(serde_json::to_value(&s).unwrap(), v);
        }
    }
}
