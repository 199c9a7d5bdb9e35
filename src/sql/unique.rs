//! Uniqueness as a unique index: the keys a resource claims for its attributes whose
//! `uniqueness` is `server` or `global` (RFC 7643 §7), computed as the evaluator's `eq`
//! compares, so a database's unique primary key refuses a second claim exactly when
//! [`Provider`](crate::provider::Provider)'s in-memory check would, even under concurrent
//! writers.

use serde_json::Value;

use super::keys::{fold, int_key};
use crate::schema::{Schema, SchemaRegistry, Uniqueness};

/// One uniqueness claim: at most one resource of a tenant holds a `(scope, attr, key)`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UniqueKey {
    /// The resource type for `uniqueness: server` (unique among that type's resources, as
    /// the schema's attribute is scoped to its type), `*` for `global`.
    pub scope: String,
    /// The attribute, lowercase, an extension's after its URN and a `|`
    /// (`username`, `urn:…:enterprise:2.0:user|employeenumber`).
    pub attr: String,
    /// The attribute's name as its schema spells it (`userName`), for messages.
    pub name: String,
    /// The value as `eq` compares it: `s:` and the folded text (`caseExact: false`) or the
    /// text (`caseExact: true`), `n:` and the exact integer or the double, `b:` and the
    /// boolean.
    pub key: String,
}

/// The uniqueness claims of `resource`, a stored resource of `resource_type` (attribute names
/// in the schemas' spelling, as [`Provider`](crate::provider::Provider) writes them). `id` is
/// unique by the primary key and not listed. An unassigned value claims nothing.
///
/// ```
/// use scimkit::SchemaRegistry;
/// use scimkit::sql::unique_keys;
/// use serde_json::json;
///
/// let schemas = SchemaRegistry::default();
/// let keys = unique_keys(&schemas, "User", &json!({"id": "1", "userName": "BJensen"}));
/// assert_eq!(keys.len(), 1);
/// assert_eq!((keys[0].scope.as_str(), keys[0].attr.as_str(), keys[0].key.as_str()),
///            ("User", "username", "s:bjensen"));
/// ```
pub fn unique_keys(
    schemas: &SchemaRegistry,
    resource_type: &str,
    resource: &Value,
) -> Vec<UniqueKey> {
    let Some((core, extensions)) = schemas.resource_type(resource_type) else {
        return Vec::new();
    };
    let Value::Object(obj) = resource else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut claim =
        |schema: &Schema, holder: &serde_json::Map<String, Value>, urn: Option<&str>| {
            for attr in schema.attributes() {
                let scope = match attr.uniqueness() {
                    Uniqueness::None => continue,
                    Uniqueness::Server => resource_type.to_owned(),
                    Uniqueness::Global => "*".to_owned(),
                };
                if attr.name().eq_ignore_ascii_case("id") {
                    continue;
                }
                let Some(value) = holder.get(attr.name()) else {
                    continue;
                };
                let key = match value {
                    Value::String(s) if s.is_empty() => continue,
                    Value::String(s) if attr.case_exact() => format!("s:{s}"),
                    Value::String(s) => format!("s:{}", fold(s)),
                    Value::Number(n) => match int_key(n) {
                        Some(i) => format!("n:{i}"),
                        None => format!("n:{}", n.as_f64().unwrap_or_default()),
                    },
                    Value::Bool(b) => format!("b:{b}"),
                    _ => continue,
                };
                let name = attr.name().to_owned();
                let lower = name.to_lowercase();
                let attr = match urn {
                    Some(u) => format!("{}|{lower}", u.to_lowercase()),
                    None => lower,
                };
                out.push(UniqueKey {
                    scope,
                    attr,
                    name,
                    key,
                });
            }
        };
    if let Some(schema) = schemas.schema(core) {
        claim(schema, obj, None);
    }
    for urn in extensions {
        let (Some(schema), Some(Value::Object(ext))) = (schemas.schema(urn), obj.get(urn)) else {
            continue;
        };
        claim(schema, ext, Some(urn));
    }
    out
}

pub(super) const SQLITE_V2: &str = r"
CREATE TABLE scim_unique (
    tenant TEXT NOT NULL,
    scope  TEXT NOT NULL,
    attr   TEXT NOT NULL,
    key    TEXT NOT NULL,
    rtype  TEXT NOT NULL,
    id     TEXT NOT NULL,
    PRIMARY KEY (tenant, scope, attr, key)
);
CREATE INDEX scim_unique_owner ON scim_unique (tenant, rtype, id)
";

pub(super) const POSTGRES_V2: &str = r#"
CREATE TABLE scim_unique (
    tenant TEXT COLLATE "C" NOT NULL,
    scope  TEXT COLLATE "C" NOT NULL,
    attr   TEXT COLLATE "C" NOT NULL,
    key    TEXT COLLATE "C" NOT NULL,
    rtype  TEXT COLLATE "C" NOT NULL,
    id     TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (tenant, scope, attr, key)
);
CREATE INDEX scim_unique_owner ON scim_unique (tenant, rtype, id)
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_fold_as_eq_compares() {
        let s = SchemaRegistry::default();
        let a = unique_keys(&s, "User", &json!({"userName": "\u{212A}elvin"}));
        let b = unique_keys(&s, "User", &json!({"userName": "kELVIN"}));
        assert_eq!(a, b, "Kelvin sign folds to k, as the evaluator's eq");
        assert!(unique_keys(&s, "User", &json!({"userName": ""})).is_empty());
        // displayName of a Group is not unique by the RFC schema.
        assert!(unique_keys(&s, "Group", &json!({"displayName": "x"})).is_empty());
        assert!(unique_keys(&s, "Nope", &json!({"userName": "x"})).is_empty());
    }
}
