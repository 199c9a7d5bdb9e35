//! What [`Profile::IdentityCenter`] adds to the RFC behaviour. Rule numbers refer to the
//! Identity Center reference the [`aws`](crate::aws) module follows.

use serde_json::Value;

use super::{Profile, Provider};
use crate::aws::{Endpoint, IdentityCenter, PATCH_GROUP_ATTRIBUTES, PATCH_USER_ATTRIBUTES};
use crate::error::ScimError;
use crate::model::{Op, PatchOp};
use crate::path::PatchPath;
use crate::query::Query;

/// Identity Center's generic 400 detail for a path-less operation on several attributes
/// (rule 41).
const ONE_ATTRIBUTE: &str = "Current PATCH support allows omitting \"path\" attribute only for \
                             Add and Replace operations modifying a single attribute.";

fn ic(profile: &Profile) -> Option<&IdentityCenter> {
    match profile {
        Profile::IdentityCenter(ic) => Some(ic),
        Profile::Rfc => None,
    }
}

fn is_group(resource_type: &str) -> bool {
    resource_type.eq_ignore_ascii_case("Group")
}

impl Provider {
    /// A `POST`/`PUT` body as the profile accepts it: under Identity Center, normalized by
    /// [`IdentityCenter::normalize_user`] / [`normalize_group`](IdentityCenter::normalize_group)
    /// (unsupported attributes dropped) and refused when it would be (rules 19–28, 44).
    pub(super) fn check_body_profile(
        &self,
        resource_type: &str,
        body: Value,
    ) -> Result<Value, ScimError> {
        let Some(ic) = ic(&self.profile) else {
            return Ok(body);
        };
        let normalized = if is_group(resource_type) {
            let members = body
                .get("members")
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            if members > ic.max_members_per_request {
                return Err(ScimError::invalid_value(format!(
                    "at most {} members in one request (rule 44)",
                    ic.max_members_per_request
                )));
            }
            ic.normalize_group(&body)
        } else {
            ic.normalize_user(&body)
        };
        if let Some(f) = normalized.rejections().next() {
            return Err(ScimError::invalid_value(f.to_string()));
        }
        Ok(normalized.resource)
    }

    /// Identity Center's PATCH limits (rules 38–41, 46–48); nothing under the RFC profile.
    pub(super) fn check_patch_profile(
        &self,
        resource_type: &str,
        op: &PatchOp,
    ) -> Result<(), ScimError> {
        let Some(ic) = ic(&self.profile) else {
            return Ok(());
        };
        let group = is_group(resource_type);
        let allowed: &[&str] = if group {
            &PATCH_GROUP_ATTRIBUTES
        } else {
            &PATCH_USER_ATTRIBUTES
        };
        let refuse = |d: String| Err(ScimError::invalid_value(d));
        let (mut member_changes, mut user_name_or_active) = (0usize, 0usize);
        for o in &op.operations {
            let attr = match o.path.as_deref() {
                None => {
                    let keys = o.value.as_ref().and_then(Value::as_object);
                    match keys.map(|k| k.keys().filter(|k| *k != "schemas").collect::<Vec<_>>()) {
                        Some(k) if k.len() == 1 => k[0].clone(),
                        _ => return refuse(ONE_ATTRIBUTE.to_owned()),
                    }
                }
                Some(p) => {
                    let p: PatchPath = p.parse()?;
                    let a = p.attr();
                    match a.urn() {
                        Some(u) if !u.to_ascii_lowercase().contains(":core:") => u.to_owned(),
                        _ => a.name().to_owned(),
                    }
                }
            };
            let schemas = attr.eq_ignore_ascii_case("schemas");
            if !schemas && !allowed.iter().any(|n| n.eq_ignore_ascii_case(&attr)) {
                return refuse(format!("Identity Center cannot change `{attr}` with PATCH"));
            }
            let is = |n: &str| attr.eq_ignore_ascii_case(n);
            if !group && (is("userName") || is("active")) {
                if o.op == Op::Remove {
                    return refuse(format!("`remove` is not supported on `{attr}` (rule 39)"));
                }
                user_name_or_active += 1;
            }
            if group && is("members") {
                let filtered = o.path.as_deref().is_some_and(|p| p.contains('['));
                let values = o.value.as_ref().and_then(Value::as_array).map(Vec::len);
                match (o.op, values) {
                    (Op::Replace, _) | (Op::Remove, None | Some(0)) if !filtered => {
                        return refuse("Replacing group memberships is not supported.".to_owned());
                    }
                    _ => member_changes += values.unwrap_or(1),
                }
            }
        }
        if user_name_or_active > 1 {
            return refuse(
                "one request may hold one operation on `userName` or `active` (rule 39)".to_owned(),
            );
        }
        if member_changes > ic.max_members_per_request {
            return refuse(format!(
                "at most {} membership changes in one request (rule 46)",
                ic.max_members_per_request
            ));
        }
        Ok(())
    }

    /// Under Identity Center, only the filters it answers (rules 50–52).
    pub(super) fn check_list_profile(
        &self,
        resource_type: &str,
        query: &Query,
    ) -> Result<(), ScimError> {
        let (Some(ic), Some(filter)) = (ic(&self.profile), query.filter()) else {
            return Ok(());
        };
        let endpoint = if is_group(resource_type) {
            Endpoint::Groups
        } else {
            Endpoint::Users
        };
        Ok(ic.check_filter(filter, endpoint)?)
    }

    /// The profile's last touch on an answer: Identity Center returns groups without their
    /// members (rule 45), and users without `groups` (rule 22), which only its filters read.
    pub(super) fn shape(&self, resource_type: &str, resource: &mut Value) {
        if ic(&self.profile).is_none() {
            return;
        }
        if is_group(resource_type) {
            if let Some(members) = resource.get_mut("members") {
                *members = Value::Array(Vec::new());
            }
        } else if let Value::Object(user) = resource {
            user.retain(|k, _| !k.eq_ignore_ascii_case("groups"));
        }
    }
}
