//! The discovery endpoints (RFC 7644 §4): `/ServiceProviderConfig`, `/ResourceTypes` and
//! `/Schemas`, built from the provider's [`SchemaRegistry`](crate::SchemaRegistry).

use serde::Serialize;
use serde_json::Value;

use super::{Profile, Provider};
use crate::error::ScimError;
use crate::model::{
    AuthenticationScheme, BulkConfig, FilterConfig, ListResponse, Meta, ResourceType,
    ServiceProviderConfig, Supported,
};
use crate::schema::Schema;

fn to_value<T: Serialize>(v: &T) -> Result<Value, ScimError> {
    serde_json::to_value(v)
        .map_err(|e| ScimError::with_status(500, format!("document does not serialize: {e}")))
}

impl Provider {
    /// The `/ServiceProviderConfig` document (RFC 7643 §5): what this provider supports.
    ///
    /// PATCH, filters (with [`max_results`](Self::max_results)), sorting and entity tags are
    /// supported, bulk and password change are not, and the one authentication scheme is an
    /// OAuth bearer token. `documentationUri` is the service's, set with
    /// [`with_documentation_uri`](Self::with_documentation_uri), absent otherwise, and so is
    /// `pagination` unless [`with_pagination`](Self::with_pagination) set it. Under
    /// [`Profile::IdentityCenter`] the document is Identity Center's: no sorting and no entity
    /// tags (rule 16).
    pub fn service_provider_config(&self) -> ServiceProviderConfig {
        let rfc = matches!(self.profile, Profile::Rfc);
        let mut meta = Meta::for_resource_type("ServiceProviderConfig");
        meta.location = Some(format!("{}/ServiceProviderConfig", self.base_url));
        let mut scheme = AuthenticationScheme::new(
            "oauthbearertoken",
            "OAuth Bearer Token",
            "Authentication with a bearer token (RFC 6750)",
        );
        scheme.spec_uri = Some("https://www.rfc-editor.org/rfc/rfc6750".to_owned());
        scheme.primary = Some(true);
        ServiceProviderConfig {
            documentation_uri: self.documentation_uri.clone(),
            patch: Supported::new(true),
            bulk: BulkConfig::default(),
            filter: FilterConfig {
                supported: true,
                max_results: u64::try_from(self.max_results).unwrap_or(u64::MAX),
            },
            change_password: Supported::new(false),
            sort: Supported::new(rfc),
            etag: Supported::new(rfc),
            authentication_schemes: vec![scheme],
            pagination: self.pagination.clone(),
            meta: Some(meta),
            ..ServiceProviderConfig::default()
        }
    }

    /// The resource types (RFC 7643 §6) of the registry, each at the endpoint
    /// [`endpoint`](Self::endpoint) names, with its extensions (not required).
    pub fn resource_types(&self) -> Vec<ResourceType> {
        self.schemas
            .resource_type_names()
            .filter_map(|name| {
                let (schema, extensions) = self.schemas.resource_type(name)?;
                let mut rt = ResourceType::new(name, format!("/{}", Self::endpoint(name)), schema);
                for e in extensions {
                    rt = rt.with_extension(e, false);
                }
                let mut meta = Meta::for_resource_type("ResourceType");
                meta.location = Some(format!("{}/ResourceTypes/{name}", self.base_url));
                rt.meta = Some(meta);
                Some(rt)
            })
            .collect()
    }

    /// `GET /ResourceTypes/{id}`: the resource type with this name, else `404`.
    pub fn resource_type(&self, id: &str) -> Result<Value, ScimError> {
        let rt = self
            .resource_types()
            .into_iter()
            .find(|rt| rt.name == id)
            .ok_or_else(|| ScimError::not_found(format!("no resource type `{}`", clip(id))))?;
        to_value(&rt)
    }

    /// `GET /ResourceTypes`: every resource type, as a list response.
    pub fn resource_types_list(&self) -> Result<ListResponse<Value>, ScimError> {
        let all = self
            .resource_types()
            .iter()
            .map(to_value)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ListResponse::new(all))
    }

    /// The `/Schemas` representation of every registered schema (RFC 7643 §7), with `meta`.
    ///
    /// The core schema of each resource type also lists the common attribute `externalId`
    /// (RFC 7643 §3.1: caseExact, readWrite, returned by default, no uniqueness), as Microsoft's
    /// reference server does: Entra ID's default mapping writes it and its validator looks
    /// for it there. Everything else keeps treating `externalId` as common.
    pub fn schema_documents(&self) -> Result<Vec<Value>, ScimError> {
        self.schemas.schemas().map(|s| self.published(s)).collect()
    }

    /// One schema as `/Schemas` shows it: `meta`, and `externalId` on core schemas.
    fn published(&self, s: &Schema) -> Result<Value, ScimError> {
        let mut meta = Meta::for_resource_type("Schema");
        meta.location = Some(format!("{}/Schemas/{}", self.base_url, s.id()));
        let mut doc = to_value(&s.clone().with_meta(meta))?;
        let core = self.schemas.resource_type_names().any(|n| {
            self.schemas
                .resource_type(n)
                .is_some_and(|(c, _)| c.eq_ignore_ascii_case(s.id()))
        });
        let external_id = self
            .schemas
            .resolve_parts(None, "externalId", None)
            .filter(|r| r.schema.is_none());
        if let (true, None, Some(r)) = (core, s.attribute("externalId"), external_id)
            && let Some(Value::Array(attributes)) = doc.get_mut("attributes")
        {
            attributes.push(to_value(r.attribute)?);
        }
        Ok(doc)
    }

    /// `GET /Schemas/{id}`: the schema with this URN (ignoring ASCII case), else `404`.
    pub fn schema_document(&self, id: &str) -> Result<Value, ScimError> {
        let s = self
            .schemas
            .schema(id)
            .ok_or_else(|| ScimError::not_found(format!("no schema `{}`", clip(id))))?;
        self.published(s)
    }

    /// `GET /Schemas`: every schema, as a list response.
    pub fn schemas_list(&self) -> Result<ListResponse<Value>, ScimError> {
        Ok(ListResponse::new(self.schema_documents()?))
    }
}

/// A client-supplied name cut for error details (inputs are never echoed unbounded).
pub(super) fn clip(s: &str) -> String {
    crate::model::truncate(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discovery_documents_name_their_locations() {
        let p = Provider::new("https://example.com/scim/v2");
        let spc = serde_json::to_value(p.service_provider_config()).unwrap();
        assert_eq!(spc["patch"]["supported"], true);
        assert_eq!(spc["bulk"]["supported"], false);
        assert_eq!(spc["etag"]["supported"], true);
        assert_eq!(
            spc["meta"]["location"],
            "https://example.com/scim/v2/ServiceProviderConfig"
        );
        let types = p.resource_types();
        let names: Vec<_> = types.iter().map(|t| t.endpoint.as_str()).collect();
        assert_eq!(names, ["/Users", "/Groups"]);
        assert_eq!(types[0].schema_extensions.len(), 1);
        assert_eq!(p.resource_type("Group").unwrap()["endpoint"], "/Groups");
        assert_eq!(p.resource_type("Nope").unwrap_err().status, 404);
        let user = p
            .schema_document("urn:ietf:params:scim:schemas:core:2.0:user")
            .unwrap();
        assert_eq!(user["id"], "urn:ietf:params:scim:schemas:core:2.0:User");
        assert_eq!(user["meta"]["resourceType"], "Schema");
        assert_eq!(p.schemas_list().unwrap().total_results, 3);
    }
}
