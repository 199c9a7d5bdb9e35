//! Compatibility switches for identity providers that deviate from RFC 7643/7644.
//!
//! Strict RFC behaviour is the default. Each known deviation is one named switch, off unless a
//! caller turns it on, either one at a time or through a preset per identity provider.
//!
//! ```
//! use scimkit::Compat;
//!
//! let strict = Compat::strict();
//! assert!(!strict.string_booleans);
//!
//! let entra = Compat::entra();
//! assert!(entra.string_booleans && entra.filter_value_path_sub_attribute);
//!
//! // Switches can also be set one by one.
//! let mut mine = Compat::strict();
//! mine.remove_with_value = true;
//! assert_ne!(mine, strict);
//! ```

use serde_json::Value;

use crate::schema::{AttrType, Attribute, Schema, SchemaRegistry};

/// A set of named compatibility switches, each off in [`Compat::strict`].
///
/// The struct is `#[non_exhaustive]`: start from a preset and set fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct Compat {
    /// Filters: accept Microsoft Entra ID's `emails[type eq "work"].value eq "x"`, a comparison
    /// on a sub-attribute after a valuePath, read as a condition on one and the same element.
    pub filter_value_path_sub_attribute: bool,
    /// PATCH: accept booleans sent as strings (`"value": "False"`, `"primary": "True"`) where the
    /// schema says boolean (Entra ID).
    pub string_booleans: bool,
    /// PATCH: accept `remove` with a `path` naming a multi-valued attribute (such as `members`)
    /// and a `value` list of the elements to remove, instead of a valuePath filter.
    pub remove_with_value: bool,
    /// PATCH: accept `add`/`replace` without `path` whose value object has dotted
    /// (`"name.givenName"`) or URN-qualified keys.
    pub dotted_keys_in_value: bool,
    /// PATCH: `add`/`replace` on `emails[type eq "work"].value` when no element matches creates
    /// the element (`{"type": "work", "value": …}`) instead of failing with `noTarget`.
    pub create_on_missing_value_path: bool,
    /// PATCH: accept a request whose `Operations` array is empty (a no-op).
    pub empty_operations: bool,
    /// `POST`, `PUT` and PATCH: a URN in `schemas` that is neither the resource type's schema
    /// nor one of its declared extensions, and that carries no attributes, is dropped instead
    /// of refused. Entra's documented Create Group body lists
    /// `http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group` next to the
    /// core Group URN. A URN that holds attributes is refused in every mode.
    pub drop_undeclared_schemas: bool,
    /// PATCH and request bodies: accept the Enterprise User `manager` as a bare string, the
    /// manager's id (`"value": "26118915-6090-4610-87e4-49d8ca9f808d"`), which becomes
    /// `manager.value`; the empty string unassigns the manager (Entra ID). RFC 7643 §4.3 makes
    /// `manager` complex.
    pub manager_as_string: bool,
}

impl Compat {
    /// RFC 7643/7644 as written: every switch off.
    pub const fn strict() -> Self {
        Self {
            filter_value_path_sub_attribute: false,
            string_booleans: false,
            remove_with_value: false,
            dotted_keys_in_value: false,
            create_on_missing_value_path: false,
            empty_operations: false,
            drop_undeclared_schemas: false,
            manager_as_string: false,
        }
    }

    /// Every switch on: the most lenient reading, for tools that inspect payloads from any IdP.
    pub const fn lenient() -> Self {
        Self {
            filter_value_path_sub_attribute: true,
            string_booleans: true,
            remove_with_value: true,
            dotted_keys_in_value: true,
            create_on_missing_value_path: true,
            empty_operations: true,
            drop_undeclared_schemas: true,
            manager_as_string: true,
        }
    }

    /// Microsoft Entra ID (Azure AD) provisioning: string booleans (`"value": "False"`),
    /// `emails[type eq "work"].value` in filters and as PATCH paths that create the element
    /// when none matches, no-path values with dotted or URN-qualified keys, group members
    /// removed with `remove`, `path: "members"` and a `value` list (the form Microsoft's SCIM
    /// provisioning documentation shows for "remove member from group"), the empty
    /// `Operations` array the Microsoft SCIM Validator sends, the Microsoft schema URN its
    /// Create Group body lists, and the manager sent as a bare id. A [`Provider`] with exactly
    /// this preset also answers Group PATCH with `204 No Content`
    /// ([`Provider::patch_answer`]).
    ///
    /// [`Provider`]: crate::Provider
    /// [`Provider::patch_answer`]: crate::Provider::patch_answer
    pub const fn entra() -> Self {
        Self {
            filter_value_path_sub_attribute: true,
            string_booleans: true,
            remove_with_value: true,
            dotted_keys_in_value: true,
            create_on_missing_value_path: true,
            empty_operations: true,
            drop_undeclared_schemas: true,
            manager_as_string: true,
        }
    }

    /// Okta provisioning. Okta's documented PATCH payloads are RFC 7644 form (a no-path
    /// `replace` of `{"id", "displayName"}` whose `id` is the group's own, `members[value eq
    /// "…"]` removals, `replace` of `members` with `[]`), which the strict applier accepts, so
    /// every switch is off; the preset exists so a service can name its IdP.
    pub const fn okta() -> Self {
        Self::strict()
    }

    /// JumpCloud provisioning: group members removed with `remove`, `path: "members"` and a
    /// `value` list of `{"value": id}` objects (the form in public JumpCloud fixtures).
    pub const fn jumpcloud() -> Self {
        Self {
            filter_value_path_sub_attribute: false,
            string_booleans: false,
            remove_with_value: true,
            dotted_keys_in_value: false,
            create_on_missing_value_path: false,
            empty_operations: false,
            drop_undeclared_schemas: false,
            manager_as_string: false,
        }
    }

    /// The preset with this name (`strict`, `lenient`, `entra`, `okta`, `jumpcloud`), ignoring
    /// ASCII case.
    pub fn preset(name: &str) -> Option<Self> {
        [
            ("strict", Self::strict()),
            ("lenient", Self::lenient()),
            ("entra", Self::entra()),
            ("okta", Self::okta()),
            ("jumpcloud", Self::jumpcloud()),
        ]
        .into_iter()
        .find_map(|(n, c)| n.eq_ignore_ascii_case(name).then_some(c))
    }
}

/// How deep [`Compat::normalize_body`] follows complex values; a schema nests at most this
/// deep (RFC 7643 allows one level, custom schemas a few more).
const MAX_NORMALIZE_DEPTH: usize = 8;

/// Entra ID's string booleans (`"True"`, `"false"`, with surrounding blanks), as
/// [`Compat::string_booleans`] reads them wherever the schema says boolean.
pub(crate) fn string_boolean(s: &str) -> Option<bool> {
    match s.trim() {
        t if t.eq_ignore_ascii_case("true") => Some(true),
        t if t.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

impl Compat {
    /// Rewrites the deviations this `Compat` tolerates in a `POST`/`PUT` body (a resource as
    /// JSON) into their RFC form, so that typed deserialization ([`User::from_value_with`])
    /// accepts it. Returns a JSON pointer (RFC 6901, `/emails/1/primary`) to each value it
    /// changed, for a service to log its IdP's deviations.
    ///
    /// The rewrite is schema-driven: under [`string_booleans`](Self::string_booleans), a
    /// `"True"`/`"False"` string (any case) becomes a boolean only where `schemas` says the
    /// attribute is boolean, at the top level, in complex and multi-valued sub-attributes and
    /// in extension objects (keyed by their URN); names are matched ignoring case. Top-level
    /// names resolve against the core schemas the body lists in `schemas` (any core schema
    /// when it lists none). Nothing else changes: a string where the schema says string stays
    /// a string, and under [`Compat::strict`] the body is left as it is, so typed reading
    /// still rejects it. The PATCH applier reads string booleans the same way.
    ///
    /// [`User::from_value_with`]: crate::User::from_value_with
    ///
    /// ```
    /// use scimkit::{Compat, SchemaRegistry, User};
    /// use serde_json::json;
    ///
    /// // Microsoft Entra ID's create body.
    /// let body = json!({
    ///     "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
    ///     "userName": "ryan@example.com", "active": "True", "title": "True",
    ///     "emails": [{"value": "ryan@example.com", "type": "work", "primary": "true"}]
    /// });
    /// let schemas = SchemaRegistry::default();
    /// assert!(User::from_value_with(body.clone(), &schemas).is_err());
    ///
    /// let mut lenient = body.clone();
    /// let changed = Compat::entra().normalize_body(&mut lenient, &schemas);
    /// assert_eq!(changed, ["/active", "/emails/0/primary"]);
    /// let user = User::from_value_with(lenient, &schemas)?;
    /// assert_eq!(user.active, Some(true));
    /// assert_eq!(user.title.as_deref(), Some("True")); // a string attribute stays a string
    ///
    /// // Strict mode changes nothing.
    /// let mut strict = body.clone();
    /// assert!(Compat::strict().normalize_body(&mut strict, &schemas).is_empty());
    /// assert_eq!(strict, body);
    /// # Ok::<(), scimkit::ScimError>(())
    /// ```
    pub fn normalize_body(&self, body: &mut Value, schemas: &SchemaRegistry) -> Vec<String> {
        let mut changed = Vec::new();
        if !self.string_booleans {
            return changed;
        }
        let Value::Object(obj) = body else {
            return changed;
        };
        let listed: Vec<&Schema> = obj
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("schemas"))
            .and_then(|(_, v)| v.as_array())
            .into_iter()
            .flatten()
            .filter_map(|u| schemas.schema(u.as_str()?))
            .filter(|s| !schemas.is_extension(s.id()))
            .collect();
        let mut pointer = String::new();
        for (key, value) in obj.iter_mut() {
            pointer.clear();
            push_token(&mut pointer, key);
            if let Some(ext) = schemas.schema(key) {
                if let Value::Object(members) = value {
                    let at = pointer.len();
                    for (k, v) in members.iter_mut() {
                        if let Some(attr) = ext.attribute(k) {
                            push_token(&mut pointer, k);
                            booleans(attr, v, &mut pointer, 0, &mut changed);
                            pointer.truncate(at);
                        }
                    }
                }
                continue;
            }
            let resolved = if listed.is_empty() {
                schemas.resolve_parts(None, key, None)
            } else {
                listed
                    .iter()
                    .find_map(|s| schemas.resolve_parts(Some(s.id()), key, None))
            };
            if let Some(r) = resolved {
                booleans(r.attribute, value, &mut pointer, 0, &mut changed);
            }
        }
        changed
    }
}

/// Appends `/token` to a JSON pointer, escaped as RFC 6901 §3 says.
fn push_token(pointer: &mut String, token: &str) {
    pointer.push('/');
    for c in token.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

/// Turns string booleans into booleans in `v`, the value of `attr`, at `pointer`.
fn booleans(
    attr: &Attribute,
    v: &mut Value,
    pointer: &mut String,
    depth: usize,
    changed: &mut Vec<String>,
) {
    if depth > MAX_NORMALIZE_DEPTH {
        return;
    }
    let at = pointer.len();
    match v {
        Value::Array(items) if attr.multi_valued() => {
            for (i, item) in items.iter_mut().enumerate() {
                push_token(pointer, &i.to_string());
                booleans_one(attr, item, pointer, depth, changed);
                pointer.truncate(at);
            }
        }
        v => booleans_one(attr, v, pointer, depth, changed),
    }
}

fn booleans_one(
    attr: &Attribute,
    v: &mut Value,
    pointer: &mut String,
    depth: usize,
    changed: &mut Vec<String>,
) {
    match (attr.kind(), v) {
        (AttrType::Boolean, v @ Value::String(_)) => {
            if let Some(b) = v.as_str().and_then(string_boolean) {
                *v = Value::Bool(b);
                changed.push(pointer.clone());
            }
        }
        (AttrType::Complex, Value::Object(members)) => {
            let at = pointer.len();
            for (k, sv) in members.iter_mut() {
                if let Some(sub) = attr.sub_attribute(k) {
                    push_token(pointer, k);
                    booleans(sub, sv, pointer, depth + 1, changed);
                    pointer.truncate(at);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod refusals;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_strict() {
        assert_eq!(Compat::default(), Compat::strict());
        assert_ne!(Compat::lenient(), Compat::strict());
    }

    const EXT: &str = "urn:example:params:scim:schemas:extension:acme:2.0:User";

    /// The RFC schemas plus an extension with a boolean, and a multi-valued complex attribute
    /// holding a boolean and a string.
    fn registry() -> SchemaRegistry {
        let mut r = SchemaRegistry::default();
        r.register_json(&serde_json::json!({
            "id": EXT,
            "attributes": [
                {"name": "onCall", "type": "boolean"},
                {"name": "badges", "type": "complex", "multiValued": true, "subAttributes": [
                    {"name": "active", "type": "boolean"},
                    {"name": "label", "type": "string"}
                ]}
            ]
        }))
        .unwrap();
        r
    }

    #[test]
    fn normalize_body_converts_where_the_schema_says_boolean() {
        use serde_json::json;
        let body = json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", EXT],
            "userName": "True",
            "ACTIVE": " FALSE ",
            "nickName": "false",
            "emails": [
                {"value": "a@example.com", "Primary": "False"},
                {"value": "b@example.com", "primary": "True", "type": "true"}
            ],
            "phoneNumbers": {"value": "tel:+1", "primary": "true"},
            "x509Certificates": [{"value": "AAAA", "primary": "yes"}],
            "unknown": "true",
            EXT: {"ONCALL": "true", "badges": [{"active": "False", "label": "True"}]},
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "true"}
        });
        let schemas = registry();
        let mut b = body.clone();
        let changed = Compat::entra().normalize_body(&mut b, &schemas);
        let ext_ptr = format!("/{}", EXT.replace('~', "~0"));
        assert_eq!(
            changed,
            [
                "/ACTIVE".to_owned(),
                "/emails/0/Primary".to_owned(),
                "/emails/1/primary".to_owned(),
                "/phoneNumbers/primary".to_owned(),
                format!("{ext_ptr}/ONCALL"),
                format!("{ext_ptr}/badges/0/active"),
            ]
        );
        let mut expected = body.clone();
        expected["ACTIVE"] = json!(false);
        expected["emails"][0]["Primary"] = json!(false);
        expected["emails"][1]["primary"] = json!(true);
        expected["phoneNumbers"]["primary"] = json!(true);
        expected[EXT]["ONCALL"] = json!(true);
        expected[EXT]["badges"][0]["active"] = json!(false);
        assert_eq!(b, expected);

        // Strict: untouched, and the typed model still refuses it.
        let mut s = body.clone();
        assert!(Compat::strict().normalize_body(&mut s, &schemas).is_empty());
        assert_eq!(s, body);
        assert!(crate::User::from_value_with(s, &schemas).is_err());
    }

    #[test]
    fn normalized_entra_body_reads_as_a_typed_user() {
        use serde_json::json;
        let schemas = registry();
        let mut body = json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", EXT],
            "userName": "ryan@example.com",
            "active": "True",
            "emails": [{"value": "ryan@example.com", "primary": "False"}],
            "roles": [{"value": "admin", "primary": "True"}],
            EXT: {"onCall": "False"}
        });
        assert!(crate::User::from_value_with(body.clone(), &schemas).is_err());
        assert_eq!(Compat::entra().normalize_body(&mut body, &schemas).len(), 4);
        let user = crate::User::from_value_with(body, &schemas).unwrap();
        assert_eq!(user.active, Some(true));
        assert_eq!(user.emails.as_ref().unwrap()[0].primary, Some(false));
        assert_eq!(user.roles.as_ref().unwrap()[0].primary, Some(true));
        assert_eq!(user.extension(EXT).unwrap()["onCall"], json!(false));
    }

    #[test]
    fn normalize_body_without_schemas_and_on_groups() {
        use serde_json::json;
        let schemas = SchemaRegistry::default();
        // No `schemas`: names resolve against any core schema.
        let mut b = json!({"active": "true", "displayName": "true"});
        assert_eq!(
            Compat::entra().normalize_body(&mut b, &schemas),
            ["/active"]
        );
        assert_eq!(b, json!({"active": true, "displayName": "true"}));
        // A Group has no boolean attribute: nothing changes.
        let mut g = json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
                           "displayName": "True", "active": "True",
                           "members": [{"value": "1", "type": "True"}]});
        let before = g.clone();
        assert!(Compat::entra().normalize_body(&mut g, &schemas).is_empty());
        assert_eq!(g, before);
        // Not an object: nothing to do.
        let mut s = json!("True");
        assert!(
            Compat::lenient()
                .normalize_body(&mut s, &schemas)
                .is_empty()
        );
    }

    #[test]
    fn string_boolean_spellings() {
        for (s, b) in [
            ("true", Some(true)),
            (" FALSE\t", Some(false)),
            ("tRuE", Some(true)),
        ] {
            assert_eq!(string_boolean(s), b, "{s:?}");
        }
        for s in ["", "yes", "1", "truee", "t"] {
            assert_eq!(string_boolean(s), None, "{s:?}");
        }
    }

    #[test]
    fn presets_by_name() {
        assert_eq!(Compat::preset("Entra"), Some(Compat::entra()));
        assert_eq!(Compat::preset("jumpcloud"), Some(Compat::jumpcloud()));
        assert_eq!(Compat::preset("okta"), Some(Compat::okta()));
        assert_eq!(Compat::preset("other"), None);
        assert!(Compat::jumpcloud().remove_with_value);
    }
}
