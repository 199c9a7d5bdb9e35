//! Validation and normalization of users and groups for Identity Center (reference rules 19–32,
//! 44, 46, 69, 86).
//!
//! [`IdentityCenter::normalize_user`] returns the resource as Identity Center will accept it and
//! a list of [`Finding`]s saying what was changed and why, so a connector can log them or refuse
//! to send a resource with a [`Action::Rejected`] finding.

use std::fmt;

use serde_json::{Map, Value};

use super::IdentityCenter;
use super::chars::{StringClass, StringProblem, truncate_chars};
use crate::schema::{
    AttrType, Attribute, ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, SchemaRegistry, USER_SCHEMA,
    is_unassigned,
};

/// What normalization did about a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Action {
    /// The attribute, sub-attribute or value was removed.
    Dropped,
    /// The string was cut to the maximum length.
    Truncated,
    /// The value was rewritten into the form Identity Center expects (an email marked primary).
    Normalized,
    /// The resource cannot be provisioned as it is: Identity Center would refuse it.
    Rejected,
    /// Nothing was changed, but the resource goes against a recommendation.
    Warned,
}

impl Action {
    /// The action as a lowercase word (`"dropped"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Dropped => "dropped",
            Self::Truncated => "truncated",
            Self::Normalized => "normalized",
            Self::Rejected => "rejected",
            Self::Warned => "warned",
        }
    }
}

/// One thing normalization found: where, under which reference rule, and what it did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Finding {
    /// The attribute path (`emails`, `name.givenName`, `urn:…:User:manager.displayName`).
    pub path: String,
    /// The rule number in the Identity Center reference.
    pub rule: u16,
    /// What was done.
    pub action: Action,
    /// Why, in a short phrase.
    pub detail: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} (rule {}): {}",
            self.path,
            self.action.as_str(),
            self.rule,
            self.detail
        )
    }
}

/// A normalized resource and what was found on the way.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Normalized {
    /// The resource as Identity Center accepts it (canonical attribute names).
    pub resource: Value,
    /// Every change made or problem seen, in document order.
    pub findings: Vec<Finding>,
}

impl Normalized {
    /// Whether no finding is [`Action::Rejected`]: the resource can be sent.
    pub fn is_accepted(&self) -> bool {
        self.rejections().next().is_none()
    }

    /// The findings that prevent provisioning.
    pub fn rejections(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.action == Action::Rejected)
    }
}

/// User attributes Identity Center does not store, with the rule that says so (19, 27).
const USER_UNSUPPORTED: [(&str, u16); 6] = [
    ("password", 19),
    ("ims", 19),
    ("photos", 19),
    ("entitlements", 19),
    ("x509Certificates", 19),
    ("groups", 27),
];

/// Core User attributes Identity Center stores (rules 21–22).
const USER_SUPPORTED: [&str; 15] = [
    "userName",
    "name",
    "displayName",
    "nickName",
    "profileUrl",
    "title",
    "userType",
    "preferredLanguage",
    "locale",
    "timezone",
    "active",
    "emails",
    "phoneNumbers",
    "addresses",
    "roles",
];

/// Multi-valued attributes capped at one value (rule 22).
const SINGLE_VALUE: [&str; 3] = ["emails", "phoneNumbers", "addresses"];

/// Required string attributes of a user (rule 23) and of a group (rule 44).
const USER_REQUIRED: [&str; 4] = [
    "userName",
    "displayName",
    "name.givenName",
    "name.familyName",
];

/// How a string is treated when it breaks the Identity Store's rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Required (rules 23, 44): any problem rejects; too long is truncated.
    Required,
    /// Identifies something (userName, externalId, a `value`): any problem rejects.
    Identifier(StringClass),
    /// Optional free text: a bad character drops it, too long truncates it.
    Optional,
}

struct Walk<'a> {
    profile: &'a IdentityCenter,
    schemas: &'a SchemaRegistry,
    findings: Vec<Finding>,
}

impl IdentityCenter {
    /// Validates and normalizes a user for `POST`/`PUT /Users` (rules 19–32, 69, 86).
    ///
    /// Unsupported attributes and sub-attributes are dropped, `null`/`""`/`[]` are removed
    /// (sent as absent), `emails`, `phoneNumbers` and `addresses` keep one value (the email
    /// marked primary; the phone of [`preferred_phone_type`](Self::preferred_phone_type) first),
    /// strings are checked against the Identity Store's lengths and alphabets, and the four
    /// required attributes are checked.
    ///
    /// ```
    /// use scimkit::aws::{Action, IdentityCenter};
    /// use serde_json::json;
    ///
    /// let user = json!({
    ///     "userName": "bjensen@example.com",
    ///     "name": {"givenName": "Barbara", "familyName": "Jensen"},
    ///     "displayName": "Babs Jensen",
    ///     "phoneNumbers": [{"value": "555-1", "type": "mobile"}, {"value": "555-2", "type": "work"}],
    ///     "photos": [{"value": "https://photos.example.com/b.jpg"}],
    ///     "nickName": ""
    /// });
    /// let out = IdentityCenter::jumpcloud().normalize_user(&user);
    /// assert!(out.is_accepted());
    /// assert_eq!(out.resource["phoneNumbers"], json!([{"value": "555-2", "type": "work"}]));
    /// assert!(out.resource.get("photos").is_none() && out.resource.get("nickName").is_none());
    /// assert!(out.findings.iter().any(|f| f.rule == 19 && f.action == Action::Dropped));
    /// ```
    pub fn normalize_user(&self, user: &Value) -> Normalized {
        let mut walk = Walk::new(self);
        let resource = walk.resource(user, USER_SCHEMA);
        for path in USER_REQUIRED {
            walk.require(&resource, path, 23);
        }
        if !resource.get("externalId").is_some_and(|v| v.is_string()) {
            walk.note(
                "externalId",
                32,
                Action::Warned,
                "no externalId: users lose assignments when renamed",
            );
        }
        Normalized {
            resource,
            findings: walk.findings,
        }
    }

    /// Validates and normalizes a group for `POST /Groups` (rules 20, 32, 44, 46).
    ///
    /// Only `displayName` (required), `externalId` and `members` are kept; members lose their
    /// `display`.
    pub fn normalize_group(&self, group: &Value) -> Normalized {
        let mut walk = Walk::new(self);
        let resource = walk.resource(group, GROUP_SCHEMA);
        walk.require(&resource, "displayName", 44);
        Normalized {
            resource,
            findings: walk.findings,
        }
    }
}

impl<'a> Walk<'a> {
    fn new(profile: &'a IdentityCenter) -> Self {
        Self {
            profile,
            schemas: SchemaRegistry::standard(),
            findings: Vec::new(),
        }
    }

    fn note(&mut self, path: &str, rule: u16, action: Action, detail: impl Into<String>) {
        self.findings.push(Finding {
            path: path.to_owned(),
            rule,
            action,
            detail: detail.into(),
        });
    }

    fn require(&mut self, resource: &Value, path: &str, rule: u16) {
        let v = match path.split_once('.') {
            Some((a, b)) => resource.get(a).and_then(|v| v.get(b)),
            None => resource.get(path),
        };
        let reported = self
            .findings
            .iter()
            .any(|f| f.path == path && f.action == Action::Rejected);
        if !v.is_some_and(Value::is_string) && !reported {
            self.note(
                path,
                rule,
                Action::Rejected,
                "required attribute is missing",
            );
        }
    }

    fn resource(&mut self, input: &Value, core: &str) -> Value {
        let Some(obj) = input.as_object() else {
            self.note(
                "",
                23,
                Action::Rejected,
                "the resource is not a JSON object",
            );
            return Value::Object(Map::new());
        };
        let mut out = Map::new();
        for (key, value) in obj {
            if let Some(ext) = self
                .schemas
                .schema(key)
                .filter(|s| self.schemas.is_extension(s.id()))
            {
                if core == USER_SCHEMA && ext.id() == ENTERPRISE_USER_SCHEMA {
                    if let Some(v) = self.extension(key, value) {
                        out.insert(ENTERPRISE_USER_SCHEMA.to_owned(), v);
                    }
                } else {
                    self.note(
                        key,
                        19,
                        Action::Dropped,
                        "extension not supported by Identity Center",
                    );
                }
                continue;
            }
            let Some(attr) = self
                .schemas
                .resolve_parts(Some(core), key, None)
                .map(|r| r.attribute)
            else {
                let rule = if core == USER_SCHEMA { 19 } else { 46 };
                self.note(
                    key,
                    rule,
                    Action::Dropped,
                    "not an attribute Identity Center stores",
                );
                continue;
            };
            let name = attr.name();
            if let Some(v) = self.top_level(core, attr, value) {
                out.insert(name.to_owned(), v);
            }
        }
        Value::Object(out)
    }

    fn top_level(&mut self, core: &str, attr: &Attribute, value: &Value) -> Option<Value> {
        let name = attr.name();
        match name {
            "id" | "meta" | "schemas" => return Some(value.clone()),
            "externalId" => {
                return self.string(name, value, Role::Identifier(StringClass::ExternalId));
            }
            _ => {}
        }
        if core == USER_SCHEMA {
            if let Some((_, rule)) = USER_UNSUPPORTED.iter().find(|(n, _)| *n == name) {
                if !is_unassigned(value) {
                    self.note(
                        name,
                        *rule,
                        Action::Dropped,
                        "attribute not supported by Identity Center",
                    );
                }
                return None;
            }
            if !USER_SUPPORTED.contains(&name) {
                self.note(
                    name,
                    19,
                    Action::Dropped,
                    "attribute not supported by Identity Center",
                );
                return None;
            }
        } else if !matches!(name, "displayName" | "members") {
            self.note(
                name,
                46,
                Action::Dropped,
                "groups hold only displayName, externalId and members",
            );
            return None;
        }
        let role = match name {
            "userName" => Role::Identifier(StringClass::UserName),
            "displayName" => Role::Required,
            _ => Role::Optional,
        };
        let v = self.value(name, attr, value, role)?;
        if SINGLE_VALUE.contains(&name) {
            return self.single_value(name, v);
        }
        Some(v)
    }

    fn extension(&mut self, urn: &str, value: &Value) -> Option<Value> {
        let Some(obj) = value.as_object() else {
            if !is_unassigned(value) {
                self.note(urn, 19, Action::Dropped, "an extension must be an object");
            }
            return None;
        };
        let mut out = Map::new();
        for (key, v) in obj {
            let path = format!("{ENTERPRISE_USER_SCHEMA}:{key}");
            let Some(attr) = self
                .schemas
                .resolve_parts(Some(ENTERPRISE_USER_SCHEMA), key, None)
                .map(|r| r.attribute)
            else {
                self.note(
                    &path,
                    19,
                    Action::Dropped,
                    "not an attribute Identity Center stores",
                );
                continue;
            };
            if let Some(v) = self.value(&path, attr, v, Role::Optional) {
                out.insert(attr.name().to_owned(), v);
            }
        }
        (!out.is_empty()).then_some(Value::Object(out))
    }

    /// Checks one attribute value against its definition; `None` drops it.
    fn value(&mut self, path: &str, attr: &Attribute, value: &Value, role: Role) -> Option<Value> {
        if is_unassigned(value) {
            match value {
                Value::Null => {}
                Value::String(_) => {
                    self.note(path, 30, Action::Dropped, "empty string sent as absent");
                }
                _ => self.note(path, 86, Action::Dropped, "empty value sent as absent"),
            }
            return None;
        }
        match (attr.multi_valued(), value) {
            (true, Value::Array(items)) => {
                let kept: Vec<Value> = items
                    .iter()
                    .filter_map(|item| self.single(path, attr, item, role))
                    .collect();
                (!kept.is_empty()).then_some(Value::Array(kept))
            }
            (true, _) => {
                self.note(
                    path,
                    22,
                    Action::Rejected,
                    "a multi-valued attribute must be an array",
                );
                None
            }
            (false, _) => self.single(path, attr, value, role),
        }
    }

    /// One value of an attribute (one element, for a multi-valued one).
    fn single(&mut self, path: &str, attr: &Attribute, value: &Value, role: Role) -> Option<Value> {
        match attr.kind() {
            AttrType::Complex => self.complex(path, attr, value),
            AttrType::Boolean => {
                if value.is_boolean() {
                    Some(value.clone())
                } else {
                    self.note(path, 21, Action::Rejected, "expected a boolean");
                    None
                }
            }
            AttrType::String | AttrType::Reference => self.string(path, value, role),
            _ => Some(value.clone()),
        }
    }

    fn complex(&mut self, path: &str, attr: &Attribute, value: &Value) -> Option<Value> {
        let Some(obj) = value.as_object() else {
            self.note(
                path,
                30,
                Action::Rejected,
                "expected a complex value (an object)",
            );
            return None;
        };
        let mut out = Map::new();
        for (key, v) in obj {
            let sub_path = format!("{path}.{key}");
            let Some(sub) = attr.sub_attribute(key) else {
                self.note(&sub_path, 20, Action::Dropped, "unknown sub-attribute");
                continue;
            };
            let unsupported = (attr.multi_valued() && sub.name() == "display")
                || (attr.name() == "manager" && sub.name() == "displayName");
            if unsupported {
                if !is_unassigned(v) {
                    self.note(
                        &sub_path,
                        20,
                        Action::Dropped,
                        "sub-attribute not supported by Identity Center",
                    );
                }
                continue;
            }
            let role = match sub.name() {
                "value" => Role::Identifier(StringClass::Text),
                "givenName" | "familyName" if attr.name() == "name" => Role::Required,
                _ => Role::Optional,
            };
            if let Some(v) = self.value(&sub_path, sub, v, role) {
                out.insert(sub.name().to_owned(), v);
            }
        }
        (!out.is_empty()).then_some(Value::Object(out))
    }

    fn string(&mut self, path: &str, value: &Value, role: Role) -> Option<Value> {
        let Some(s) = value.as_str() else {
            self.note(path, 30, Action::Rejected, "expected a string");
            return None;
        };
        let class = match role {
            Role::Identifier(class) => class,
            Role::Required | Role::Optional => StringClass::Text,
        };
        let problem = match class.check(s) {
            None => return self.reserved(path, value.clone(), role),
            Some(p) => p,
        };
        let rule = class.rule();
        match (problem, role) {
            (StringProblem::Empty, Role::Required | Role::Identifier(_)) => {
                self.note(path, rule, Action::Rejected, "empty string");
                None
            }
            (StringProblem::Empty, Role::Optional) => {
                self.note(path, rule, Action::Dropped, "empty string sent as absent");
                None
            }
            (StringProblem::TooLong { max }, Role::Required | Role::Optional) => {
                self.note(
                    path,
                    rule,
                    Action::Truncated,
                    format!("cut to {max} characters"),
                );
                Some(Value::String(truncate_chars(s, max).to_owned()))
            }
            (StringProblem::TooLong { max }, Role::Identifier(_)) => {
                self.note(
                    path,
                    rule,
                    Action::Rejected,
                    format!("longer than {max} characters"),
                );
                None
            }
            (StringProblem::Character { found, index }, Role::Optional) => {
                self.note(
                    path,
                    rule,
                    Action::Dropped,
                    format!("character {found:?} at {index} is not allowed"),
                );
                None
            }
            (StringProblem::Character { found, index }, _) => {
                self.note(
                    path,
                    rule,
                    Action::Rejected,
                    format!("character {found:?} at {index} is not allowed"),
                );
                None
            }
        }
    }

    /// Rule 29: `Administrator` and `AWSAdministrators` are reserved user names.
    fn reserved(&mut self, path: &str, v: Value, role: Role) -> Option<Value> {
        let reserved = role == Role::Identifier(StringClass::UserName)
            && v.as_str().is_some_and(|s| {
                s.eq_ignore_ascii_case("Administrator")
                    || s.eq_ignore_ascii_case("AWSAdministrators")
            });
        if reserved {
            self.note(path, 29, Action::Rejected, "reserved user name");
            return None;
        }
        Some(v)
    }

    /// Keeps one value of `emails`, `phoneNumbers` or `addresses` (rules 22, 25, 26, 69).
    fn single_value(&mut self, name: &str, value: Value) -> Option<Value> {
        let Value::Array(mut items) = value else {
            return Some(value);
        };
        if items.is_empty() {
            return None;
        }
        let preferred = (name == "phoneNumbers")
            .then_some(self.profile.preferred_phone_type.as_deref())
            .flatten();
        let is_primary = |v: &Value| v.get("primary") == Some(&Value::Bool(true));
        let keep = preferred
            .and_then(|t| {
                items.iter().position(|v| {
                    v.get("type")
                        .and_then(Value::as_str)
                        .is_some_and(|x| x.eq_ignore_ascii_case(t))
                })
            })
            .or_else(|| items.iter().position(is_primary))
            .unwrap_or(0);
        if items.len() > 1 {
            let why = if preferred.is_some() && name == "phoneNumbers" {
                "Identity Center stores one value; kept the preferred phone type, else the primary, else the first"
            } else {
                "Identity Center stores one value; kept the primary, else the first"
            };
            self.note(
                name,
                22,
                Action::Dropped,
                format!(
                    "dropped {} of {} values: {why}",
                    items.len() - 1,
                    items.len()
                ),
            );
        }
        let mut kept = items.swap_remove(keep.min(items.len() - 1));
        if name == "emails"
            && !is_primary(&kept)
            && let Value::Object(o) = &mut kept
        {
            o.insert("primary".to_owned(), Value::Bool(true));
            self.note(
                name,
                26,
                Action::Normalized,
                "the single email is marked primary",
            );
        }
        Some(Value::Array(vec![kept]))
    }
}
