//! AWS IAM Identity Center as a SCIM target: validation and normalization of users and groups,
//! PATCH planning within its limits, a filter check, error bodies, and the upsert decision.
//!
//! Rule numbers in this module's docs and findings refer to the Identity Center reference that
//! scimkit keeps (`aws-identity-center.md`): the vendor's developer guide, the Identity Store API
//! models, and behaviour seen in the wild, each rule numbered.

mod chars;
mod error;
mod filter;
mod plan;
mod validate;

pub use chars::{StringClass, StringProblem};
pub use error::{AwsError, AwsException};
pub use filter::{Endpoint, FilterRejection};
pub use plan::{Plan, Upsert};
pub use validate::{Action, Finding, Normalized};

/// Attributes a PatchUser request may change (rule 38).
pub(crate) const PATCH_USER_ATTRIBUTES: [&str; 16] = [
    "userName",
    "active",
    "externalId",
    "displayName",
    "nickName",
    "profileUrl",
    "title",
    "userType",
    "preferredLanguage",
    "locale",
    "timezone",
    "name",
    "emails",
    "addresses",
    "phoneNumbers",
    crate::schema::ENTERPRISE_USER_SCHEMA,
];

/// Attributes a PatchGroup request may change (rule 46).
pub(crate) const PATCH_GROUP_ATTRIBUTES: [&str; 3] = ["displayName", "members", "externalId"];

/// The Identity Center profile: the switches where real deployments differ.
///
/// ```
/// use scimkit::aws::IdentityCenter;
///
/// let ic = IdentityCenter::new();
/// assert_eq!(ic.max_members_per_request, 100);
/// assert_eq!(IdentityCenter::jumpcloud().preferred_phone_type.as_deref(), Some("work"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct IdentityCenter {
    /// When a user has several phone numbers, keep the one of this `type` (rule 25). JumpCloud
    /// syncs only one phone number and it is the work phone (rule 69). `None`: the primary one,
    /// else the first.
    pub preferred_phone_type: Option<String>,
    /// Membership changes per PATCH request, and members per create request (rules 44, 46).
    pub max_members_per_request: usize,
}

impl Default for IdentityCenter {
    fn default() -> Self {
        Self::new()
    }
}

impl IdentityCenter {
    /// The documented limits, with no IdP preference.
    pub fn new() -> Self {
        Self {
            preferred_phone_type: None,
            max_members_per_request: 100,
        }
    }

    /// As JumpCloud provisions: the work phone is the one phone number kept (rule 69).
    pub fn jumpcloud() -> Self {
        Self {
            preferred_phone_type: Some("work".to_owned()),
            ..Self::new()
        }
    }
}

#[cfg(test)]
mod tests;
