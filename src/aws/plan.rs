//! Plans and the upsert decision for Identity Center (reference rules 38–49, 62, 73).

use serde_json::Value;

use super::IdentityCenter;
use super::validate::{Finding, Normalized};
use crate::diff::{Target, plan};
use crate::error::ScimError;
use crate::model::PatchOp;
use crate::schema::{GROUP_SCHEMA, SchemaRegistry, USER_SCHEMA};

/// Requests for Identity Center and what normalizing the desired resource found.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Plan {
    /// The PATCH requests, in order; empty when the resource is already as desired.
    pub requests: Vec<PatchOp>,
    /// What was dropped, cut or rewritten to fit Identity Center.
    pub findings: Vec<Finding>,
}

/// What to do with a user the IdP sends, given what a `userName eq` lookup found (rule 62).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Upsert {
    /// No such user: `POST /Users` with this (normalized) body.
    Create {
        /// The body to send.
        body: Value,
        /// What normalization found.
        findings: Vec<Finding>,
    },
    /// A user with the same userName and email exists: JumpCloud overwrites it and manages it
    /// from then on (rule 73), with these requests to `/Users/{id}`.
    Overwrite {
        /// The existing user's `id`.
        id: String,
        /// The requests (none when it is already as desired).
        plan: Plan,
    },
    /// A user exists that is not the same person by that rule, or the lookup is ambiguous.
    Conflict {
        /// The existing user's `id`, when there is one.
        id: Option<String>,
        /// Why.
        reason: String,
    },
}

impl IdentityCenter {
    /// The diff [`Target`] with this profile's limits.
    pub fn target(&self) -> Target {
        let mut t = Target::identity_center();
        t.max_values_per_request = Some(self.max_members_per_request);
        t
    }

    /// The requests that bring `current` (as Identity Center returned it) to `desired` (as the
    /// IdP has it), after [`normalize_user`](Self::normalize_user).
    ///
    /// A desired user that Identity Center would refuse is `400 invalidValue`, naming the first
    /// rejection; removing `userName` or `active` is `400 mutability` (rule 39).
    ///
    /// ```
    /// use scimkit::aws::IdentityCenter;
    /// use serde_json::json;
    ///
    /// let current = json!({"id": "u-1", "userName": "b@example.com", "displayName": "B",
    ///     "name": {"givenName": "B", "familyName": "J"}, "active": true});
    /// let desired = json!({"userName": "b@example.com", "displayName": "Babs",
    ///     "name": {"givenName": "Barbara", "familyName": "J"}, "active": false,
    ///     "photos": [{"value": "https://example.com/b.jpg"}]});
    /// let plan = IdentityCenter::new().plan_user(&current, &desired)?;
    /// assert_eq!(serde_json::to_value(&plan.requests)?, json!([{
    ///     "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    ///     "Operations": [
    ///         {"op": "replace", "path": "active", "value": false},
    ///         {"op": "replace", "path": "displayName", "value": "Babs"},
    ///         {"op": "replace", "path": "name.givenName", "value": "Barbara"},
    ///     ]
    /// }]));
    /// # Ok::<(), scimkit::ScimError>(())
    /// ```
    pub fn plan_user(&self, current: &Value, desired: &Value) -> Result<Plan, ScimError> {
        let normalized = self.normalize_user(desired);
        self.plan_normalized(current, normalized, USER_SCHEMA)
    }

    /// The requests that bring a group from `current` to `desired`: `displayName` and
    /// `externalId` replaced, members added and removed in value lists of at most
    /// [`max_members_per_request`](Self::max_members_per_request) per request (rules 46–49).
    ///
    /// Identity Center's GetGroup returns no members (rule 45): pass the membership read with a
    /// `members eq` filter as `current["members"]`.
    pub fn plan_group(&self, current: &Value, desired: &Value) -> Result<Plan, ScimError> {
        let normalized = self.normalize_group(desired);
        self.plan_normalized(current, normalized, GROUP_SCHEMA)
    }

    fn plan_normalized(
        &self,
        current: &Value,
        mut normalized: Normalized,
        core: &str,
    ) -> Result<Plan, ScimError> {
        if let Some(f) = normalized.rejections().next() {
            return Err(ScimError::invalid_value(f.to_string()));
        }
        // The plan needs the core schema to know which attributes PATCH may modify.
        if let Value::Object(o) = &mut normalized.resource {
            o.insert("schemas".to_owned(), Value::from(vec![core]));
        }
        let mut requests = plan(
            current,
            &normalized.resource,
            SchemaRegistry::standard(),
            &self.target(),
        )?;
        if core == USER_SCHEMA {
            requests = one_user_name_or_active_per_request(requests);
        }
        Ok(Plan {
            requests,
            findings: normalized.findings,
        })
    }

    /// The upsert decision for a user (rules 62, 73): `found` is what `GET
    /// /Users?filter=userName eq "…"` returned for the desired user's `userName`.
    ///
    /// No user: create. One user with the same userName and primary email (both compared
    /// ignoring case, as their schema says): overwrite it. Anything else: a conflict to resolve
    /// by hand.
    pub fn upsert_user(&self, desired: &Value, found: &[Value]) -> Result<Upsert, ScimError> {
        let normalized = self.normalize_user(desired);
        if let Some(f) = normalized.rejections().next() {
            return Err(ScimError::invalid_value(f.to_string()));
        }
        let existing = match found {
            [] => {
                return Ok(Upsert::Create {
                    body: normalized.resource,
                    findings: normalized.findings,
                });
            }
            [one] => one,
            _ => {
                return Ok(Upsert::Conflict {
                    id: None,
                    reason: format!("{} users have this userName", found.len()),
                });
            }
        };
        let id = existing
            .get("id")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let same_name = same_text(
            normalized.resource.get("userName"),
            existing.get("userName"),
        );
        let same_email = same_text(primary_email(&normalized.resource), primary_email(existing));
        match (id, same_name, same_email) {
            (Some(id), true, true) => Ok(Upsert::Overwrite {
                id,
                plan: self.plan_normalized(existing, normalized, USER_SCHEMA)?,
            }),
            (id, false, _) => Ok(Upsert::Conflict {
                id,
                reason: "the user found has another userName".to_owned(),
            }),
            (id @ Some(_), true, false) => Ok(Upsert::Conflict {
                id,
                reason: "a user with this userName has another email".to_owned(),
            }),
            (None, true, _) => Ok(Upsert::Conflict {
                id: None,
                reason: "the user found has no id".to_owned(),
            }),
        }
    }
}

/// PatchUser takes at most one operation on `userName` or `active` per request (rule 39): a
/// second one moves to a request of its own, after the first.
fn one_user_name_or_active_per_request(requests: Vec<PatchOp>) -> Vec<PatchOp> {
    let special = |o: &crate::model::PatchOperation| {
        o.path
            .as_deref()
            .is_some_and(|p| p.eq_ignore_ascii_case("userName") || p.eq_ignore_ascii_case("active"))
    };
    let mut out = Vec::with_capacity(requests.len());
    for r in requests {
        let (mut first, mut later) = (Vec::new(), Vec::new());
        let mut seen = false;
        for o in r.operations {
            if special(&o) && std::mem::replace(&mut seen, true) {
                later.push(PatchOp::new(vec![o]));
            } else {
                first.push(o);
            }
        }
        out.push(PatchOp::new(first));
        out.extend(later);
    }
    out
}

/// The primary email's value, else the first one's.
fn primary_email(user: &Value) -> Option<&Value> {
    let emails = user.get("emails")?.as_array()?;
    emails
        .iter()
        .find(|e| e.get("primary") == Some(&Value::Bool(true)))
        .or_else(|| emails.first())?
        .get("value")
}

/// userName and emails.value are caseExact=false (RFC 7643 §4.1): equal ignoring case; two
/// absent values are the same.
fn same_text(a: Option<&Value>, b: Option<&Value>) -> bool {
    match (a.and_then(Value::as_str), b.and_then(Value::as_str)) {
        (Some(a), Some(b)) => a.to_lowercase() == b.to_lowercase(),
        (None, None) => true,
        _ => false,
    }
}
