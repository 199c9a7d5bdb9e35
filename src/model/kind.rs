//! [`ResourceKind`]: what a SCIM JSON document is, read from its `schemas`.

use serde_json::Value;

use super::bulk::{BULK_REQUEST_SCHEMA, BULK_RESPONSE_SCHEMA};
use super::config::{RESOURCE_TYPE_SCHEMA, SERVICE_PROVIDER_CONFIG_SCHEMA};
use super::list::{LIST_RESPONSE_SCHEMA, SEARCH_REQUEST_SCHEMA};
use super::patch_op::PATCH_OP_SCHEMA;
use crate::error::ERROR_SCHEMA;
use crate::schema::{ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, SCHEMA_SCHEMA, USER_SCHEMA};

/// What a SCIM JSON document is, as its `schemas` attribute says (RFC 7643 §3: every resource
/// and message lists the URNs of the schemas it follows).
///
/// ```
/// use scimkit::model::ResourceKind;
/// use serde_json::json;
///
/// let user = json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "b"});
/// assert_eq!(ResourceKind::of(&user), ResourceKind::User);
///
/// // URNs compare ignoring case, and so does the `schemas` name.
/// let extended = json!({"Schemas": [
///     "urn:ietf:params:scim:schemas:core:2.0:user",
///     "URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER"
/// ]});
/// assert_eq!(ResourceKind::of(&extended), ResourceKind::EnterpriseUser);
/// assert!(ResourceKind::of(&extended).is_user());
///
/// let patch = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
///                    "Operations": []});
/// assert_eq!(ResourceKind::of(&patch), ResourceKind::PatchOp);
/// assert_eq!(ResourceKind::of(&json!({"userName": "b"})), ResourceKind::Unknown);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ResourceKind {
    /// A User (`urn:ietf:params:scim:schemas:core:2.0:User`, RFC 7643 §4.1).
    User,
    /// A User that also lists the Enterprise User extension
    /// (`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`, RFC 7643 §4.3).
    EnterpriseUser,
    /// A Group (`urn:ietf:params:scim:schemas:core:2.0:Group`, RFC 7643 §4.2).
    Group,
    /// A list response (`urn:ietf:params:scim:api:messages:2.0:ListResponse`, RFC 7644 §3.4.2).
    ListResponse,
    /// A PATCH request (`urn:ietf:params:scim:api:messages:2.0:PatchOp`, RFC 7644 §3.5.2).
    PatchOp,
    /// A bulk request (`urn:ietf:params:scim:api:messages:2.0:BulkRequest`, RFC 7644 §3.7).
    BulkRequest,
    /// A bulk response (`urn:ietf:params:scim:api:messages:2.0:BulkResponse`, RFC 7644 §3.7).
    BulkResponse,
    /// An error response (`urn:ietf:params:scim:api:messages:2.0:Error`, RFC 7644 §3.12).
    Error,
    /// A search request (`urn:ietf:params:scim:api:messages:2.0:SearchRequest`, RFC 7644
    /// §3.4.3).
    SearchRequest,
    /// A service provider configuration
    /// (`urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig`, RFC 7643 §5).
    ServiceProviderConfig,
    /// A resource type (`urn:ietf:params:scim:schemas:core:2.0:ResourceType`, RFC 7643 §6).
    ResourceType,
    /// A schema definition (`urn:ietf:params:scim:schemas:core:2.0:Schema`, RFC 7643 §7).
    Schema,
    /// None of the above: no `schemas`, not an object, or only URNs this crate does not model
    /// (a custom resource type).
    Unknown,
}

impl ResourceKind {
    /// The kind of `document`, from the URNs its `schemas` attribute lists (the attribute name
    /// and the URNs both compared ignoring ASCII case, RFC 7643 §2.1 and RFC 8141 §3).
    ///
    /// A protocol message's URN wins over a resource's, so that a message that also lists a
    /// resource schema is still read as the message; a User that lists the Enterprise User
    /// extension is [`EnterpriseUser`](Self::EnterpriseUser).
    pub fn of(document: &Value) -> Self {
        let Some(urns) = document
            .as_object()
            .and_then(|o| o.iter().find(|(k, _)| k.eq_ignore_ascii_case("schemas")))
            .and_then(|(_, v)| v.as_array())
        else {
            return Self::Unknown;
        };
        let lists = |urn: &str| {
            urns.iter()
                .any(|u| u.as_str().is_some_and(|u| u.eq_ignore_ascii_case(urn)))
        };
        const BY_URN: [(&str, ResourceKind); 10] = [
            (LIST_RESPONSE_SCHEMA, ResourceKind::ListResponse),
            (PATCH_OP_SCHEMA, ResourceKind::PatchOp),
            (BULK_REQUEST_SCHEMA, ResourceKind::BulkRequest),
            (BULK_RESPONSE_SCHEMA, ResourceKind::BulkResponse),
            (ERROR_SCHEMA, ResourceKind::Error),
            (SEARCH_REQUEST_SCHEMA, ResourceKind::SearchRequest),
            (
                SERVICE_PROVIDER_CONFIG_SCHEMA,
                ResourceKind::ServiceProviderConfig,
            ),
            (RESOURCE_TYPE_SCHEMA, ResourceKind::ResourceType),
            (SCHEMA_SCHEMA, ResourceKind::Schema),
            (GROUP_SCHEMA, ResourceKind::Group),
        ];
        if let Some(&(_, kind)) = BY_URN.iter().find(|(urn, _)| lists(urn)) {
            return kind;
        }
        match (lists(USER_SCHEMA), lists(ENTERPRISE_USER_SCHEMA)) {
            (true, true) => Self::EnterpriseUser,
            (true, false) => Self::User,
            _ => Self::Unknown,
        }
    }

    /// Whether this is a User, with or without the Enterprise User extension.
    pub fn is_user(self) -> bool {
        matches!(self, Self::User | Self::EnterpriseUser)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_kind_by_its_urn() {
        for (urns, kind) in [
            (vec![USER_SCHEMA], ResourceKind::User),
            (
                vec![ENTERPRISE_USER_SCHEMA, USER_SCHEMA],
                ResourceKind::EnterpriseUser,
            ),
            (vec![GROUP_SCHEMA], ResourceKind::Group),
            (vec![LIST_RESPONSE_SCHEMA], ResourceKind::ListResponse),
            (vec![PATCH_OP_SCHEMA], ResourceKind::PatchOp),
            (vec![BULK_REQUEST_SCHEMA], ResourceKind::BulkRequest),
            (vec![BULK_RESPONSE_SCHEMA], ResourceKind::BulkResponse),
            (vec![ERROR_SCHEMA], ResourceKind::Error),
            (vec![SEARCH_REQUEST_SCHEMA], ResourceKind::SearchRequest),
            (
                vec![SERVICE_PROVIDER_CONFIG_SCHEMA],
                ResourceKind::ServiceProviderConfig,
            ),
            (vec![RESOURCE_TYPE_SCHEMA], ResourceKind::ResourceType),
            (vec![SCHEMA_SCHEMA], ResourceKind::Schema),
            // A message wins over a resource it happens to list.
            (
                vec![USER_SCHEMA, LIST_RESPONSE_SCHEMA],
                ResourceKind::ListResponse,
            ),
            // The extension alone is not a User.
            (vec![ENTERPRISE_USER_SCHEMA], ResourceKind::Unknown),
            (vec!["urn:example:Device"], ResourceKind::Unknown),
            (vec![], ResourceKind::Unknown),
        ] {
            let doc = json!({ "schemas": urns });
            assert_eq!(ResourceKind::of(&doc), kind, "{doc}");
            let upper: Vec<String> = urns.iter().map(|u| u.to_ascii_uppercase()).collect();
            let doc = json!({ "SCHEMAS": upper });
            assert_eq!(ResourceKind::of(&doc), kind, "{doc}");
        }
    }

    #[test]
    fn not_a_schemas_list() {
        for doc in [
            json!(null),
            json!([{"schemas": [USER_SCHEMA]}]),
            json!({"schemas": USER_SCHEMA}),
            json!({"schemas": [7, null]}),
            json!({"userName": "b"}),
        ] {
            assert_eq!(ResourceKind::of(&doc), ResourceKind::Unknown, "{doc}");
        }
        assert!(ResourceKind::EnterpriseUser.is_user() && !ResourceKind::Group.is_user());
    }
}
