//! What the `identity-center` profile adds over HTTP to the core's
//! [`Profile::IdentityCenter`] rules: error answers as Identity Center sends them (an
//! `exceptionRequestId`, a `timeStamp`, the `x-amzn-RequestId` and `x-amzn-ErrorType`
//! headers), and `404` for a list filter naming a member that does not exist (reference
//! rules 51, 58–59).

use axum::http::{HeaderName, HeaderValue};
use axum::response::{IntoResponse, Response};
use scimkit::aws::AwsException;
use scimkit::provider::Profile;
use scimkit::{CompValue, CompareOp, Filter, ScimError};
use serde_json::Value;

use super::Failure;
use crate::store::{Store, clip};
use crate::tenant::Tenant;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-amzn-requestid");
const ERROR_TYPE: HeaderName = HeaderName::from_static("x-amzn-errortype");

/// Whether `tenant` follows Identity Center.
pub(super) fn is_identity_center(tenant: &Tenant) -> bool {
    matches!(tenant.provider.profile(), Profile::IdentityCenter(_))
}

/// Adds Identity Center's `x-amzn-RequestId` to an answer (rule 10).
pub(super) fn with_request_id(mut r: Response, id: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(id) {
        r.headers_mut().insert(REQUEST_ID, v);
    }
    r
}

/// An error answered as the tenant's profile shapes it: RFC 7644's body, or Identity Center's
/// (`schema` and `schemas`, `status` a string, no `scimType`, plus `exceptionRequestId` and
/// `timeStamp` as its wire bodies carry them, rule 59) with its exception name in
/// `x-amzn-ErrorType` (rule 58).
pub(crate) fn error_answer(tenant: &Tenant, e: ScimError) -> Response {
    let p = &tenant.provider;
    let mut body = p.error_body(&e);
    if !is_identity_center(tenant) {
        return Failure::shaped(e, body, p.content_type()).into_response();
    }
    let id = uuid::Uuid::new_v4().to_string();
    if let Value::Object(o) = &mut body {
        o.insert("exceptionRequestId".to_owned(), Value::String(id.clone()));
        let now = chrono::Utc::now()
            .format("%Y-%m-%d %H:%M:%S%.3f")
            .to_string();
        o.insert("timeStamp".to_owned(), Value::String(now));
    }
    let exception = AwsException::from_status(e.status).unwrap_or(if e.status >= 500 {
        AwsException::InternalServer
    } else {
        AwsException::Validation
    });
    let mut r = with_request_id(
        Failure::shaped(e, body, p.content_type()).into_response(),
        &id,
    );
    if let Ok(v) = HeaderValue::from_str(exception.name()) {
        r.headers_mut().insert(ERROR_TYPE, v);
    }
    r
}

/// Identity Center answers every group with an empty `members` list (rule 45), also where
/// the store left the members out.
pub(super) fn empty_members(tenant: &Tenant, resource_type: &str, resource: &mut Value) {
    if let (true, "Group", Value::Object(o)) = (is_identity_center(tenant), resource_type, resource)
    {
        o.insert("members".to_owned(), Value::Array(Vec::new()));
    }
}

/// Identity Center's documented `id eq "G" and member eq "U"` names `members` in the
/// singular: the filter with `member` read as `members`, when it has such a name. Only for a
/// filter the profile already accepted (an `and` of at most two comparisons).
pub(super) fn member_alias(
    tenant: &Tenant,
    resource_type: &str,
    filter: &Filter,
) -> Option<Filter> {
    fn rewrite(f: &Filter) -> Option<Filter> {
        match f {
            Filter::And(a, b) => {
                let (ra, rb) = (rewrite(a), rewrite(b));
                if ra.is_none() && rb.is_none() {
                    return None;
                }
                Some(Filter::And(
                    Box::new(ra.unwrap_or_else(|| (**a).clone())),
                    Box::new(rb.unwrap_or_else(|| (**b).clone())),
                ))
            }
            Filter::Compare(path, op, value) if path.name().eq_ignore_ascii_case("member") => {
                let sub = path.sub_attribute().unwrap_or("value");
                let path = format!("members.{sub}").parse().ok()?;
                Some(Filter::Compare(path, *op, value.clone()))
            }
            _ => None,
        }
    }
    if !is_identity_center(tenant) || resource_type != "Group" {
        return None;
    }
    rewrite(filter)
}

/// The member ids a Groups filter of Identity Center's (`members eq "U"`, `members.value eq
/// "U"`, `id eq "G" and members eq "U"`) names, as written.
fn named_members(filter: &Filter) -> Vec<&str> {
    let mut out = Vec::new();
    let mut stack = vec![filter];
    while let Some(f) = stack.pop() {
        match f {
            Filter::And(a, b) => {
                stack.push(a);
                stack.push(b);
            }
            Filter::Compare(path, CompareOp::Eq, CompValue::String(v)) => {
                let name = path.name();
                let members =
                    name.eq_ignore_ascii_case("members") || name.eq_ignore_ascii_case("member");
                let value = path
                    .sub_attribute()
                    .is_none_or(|s| s.eq_ignore_ascii_case("value"));
                if members && value {
                    out.push(v.as_str());
                }
            }
            _ => {}
        }
    }
    out
}

/// Under Identity Center, a Groups filter naming a member that is no user of the tenant is
/// `404` (ResourceNotFoundException, rule 51), not an empty list.
pub(super) async fn check_named_members<S: Store>(
    store: &S,
    tenant: &Tenant,
    resource_type: &str,
    filter: Option<&Filter>,
) -> Result<(), ScimError> {
    let Some(filter) = filter else { return Ok(()) };
    if !is_identity_center(tenant) || resource_type != "Group" {
        return Ok(());
    }
    for member in named_members(filter) {
        if store
            .get(&tenant.record.id, "User", member)
            .await?
            .is_none()
        {
            return Err(ScimError::not_found(format!(
                "no user {} (a member named in the filter)",
                clip(member)
            )));
        }
    }
    Ok(())
}
