//! Tenants at run time (each a [`Provider`] with its own base URL, profile and `Compat`) and
//! bearer tokens: issued as `scimkit_{id}_{secret}`, stored as SHA-256, checked in constant
//! time.

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};

use scimkit::aws::IdentityCenter;
use scimkit::provider::{Profile, Provider};
use scimkit::schema::Uniqueness;
use scimkit::{Compat, ScimError};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::store::{Store, TenantRecord, TokenRecord};

/// A tenant being served.
#[derive(Debug)]
pub struct Tenant {
    /// As stored.
    pub record: TenantRecord,
    /// Its SCIM logic: base URL `{public URL}/{id}/scim/v2`.
    pub provider: Provider,
}

impl Tenant {
    /// The tenant `record` served under `public_url`. An unknown profile or preset is
    /// `400 invalidValue`.
    pub fn new(record: TenantRecord, public_url: &str) -> Result<Self, ScimError> {
        let profile = match record.profile.as_str() {
            "rfc" => Profile::Rfc,
            "identity-center" => Profile::IdentityCenter(IdentityCenter::new()),
            other => {
                return Err(ScimError::invalid_value(format!(
                    "unknown profile `{other}` (rfc, identity-center)"
                )));
            }
        };
        let mut compat = Compat::preset(&record.compat).ok_or_else(|| {
            ScimError::invalid_value(format!(
                "unknown compat preset `{}` (strict, entra, okta, jumpcloud, lenient)",
                record.compat
            ))
        })?;
        if matches!(profile, Profile::IdentityCenter(_)) {
            // Identity Center removes members listed in `value` (`{"op": "remove", "path":
            // "members", "value": [{"value": "…"}]}`), the form its clients send (rule 49).
            compat.remove_with_value = true;
        }
        let provider = Provider::new(base_url(public_url, &record.id))
            // Group names unique, as Identity Center and most IdPs expect.
            .with_uniqueness("Group", "displayName", Uniqueness::Server)
            .with_profile(profile)
            .with_compat(compat);
        Ok(Self { record, provider })
    }
}

/// `{public_url}/{tenant}/scim/v2`.
pub fn base_url(public_url: &str, tenant: &str) -> String {
    format!("{}/{tenant}/scim/v2", public_url.trim_end_matches('/'))
}

/// Whether `id` can be a tenant id: 1 to 64 of `a-z`, `0-9`, `-`, `_`, starting with a letter
/// or digit (it is a path segment and a key).
pub fn valid_tenant_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        && id.as_bytes()[0].is_ascii_alphanumeric()
}

/// A new token for `tenant`: the text to hand to the client (shown once) and the record to
/// store (its hash).
pub fn issue_token(tenant: &str, label: &str) -> Result<(String, TokenRecord), ScimError> {
    let mut id = [0_u8; 8];
    let mut secret = [0_u8; 32];
    getrandom::fill(&mut id)
        .and_then(|()| getrandom::fill(&mut secret))
        .map_err(|e| ScimError::with_status(500, format!("no randomness for a token: {e}")))?;
    let id = hex(&id);
    let text = format!("scimkit_{id}_{}", hex(&secret));
    let record = TokenRecord {
        hash: hash_token(&text),
        id,
        tenant: tenant.to_owned(),
        created: chrono::Utc::now().to_rfc3339(),
        label: label.to_owned(),
    };
    Ok((text, record))
}

/// SHA-256 of a token, hex.
pub fn hash_token(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// The id part of a token of ours (`scimkit_{id}_{secret}`).
fn token_id(token: &str) -> Option<&str> {
    let rest = token.strip_prefix("scimkit_")?;
    let (id, secret) = rest.split_once('_')?;
    (id.len() == 16 && secret.len() == 64).then_some(id)
}

/// The tenants a server answers for, loaded from its store on first use (so a tenant the
/// admin command created while the server ran is found).
#[derive(Debug)]
pub struct Tenants {
    public_url: String,
    loaded: RwLock<HashMap<String, Arc<Tenant>>>,
}

impl Tenants {
    /// No tenant loaded yet; base URLs under `public_url`.
    pub fn new(public_url: impl Into<String>) -> Self {
        Self {
            public_url: public_url.into(),
            loaded: RwLock::new(HashMap::new()),
        }
    }

    /// The URL the tenants' base URLs start with.
    pub fn public_url(&self) -> &str {
        &self.public_url
    }

    /// The tenant `id`, if it exists.
    pub async fn get<S: Store>(
        &self,
        store: &S,
        id: &str,
    ) -> Result<Option<Arc<Tenant>>, ScimError> {
        if let Some(t) = self
            .loaded
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(id)
        {
            return Ok(Some(t.clone()));
        }
        let Some(record) = store.tenants().await?.into_iter().find(|t| t.id == id) else {
            return Ok(None);
        };
        let tenant = Arc::new(Tenant::new(record, &self.public_url)?);
        self.loaded
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(id.to_owned(), tenant.clone());
        Ok(Some(tenant))
    }

    /// Whether `token` opens `tenant`: the record its id names must belong to the tenant and
    /// hold its hash (compared in constant time). Revocation takes effect at once: the record
    /// is read on every request.
    pub async fn authorize<S: Store>(
        &self,
        store: &S,
        tenant: &str,
        token: &str,
    ) -> Result<bool, ScimError> {
        let Some(id) = token_id(token) else {
            return Ok(false);
        };
        let Some(record) = store.token(id).await? else {
            return Ok(false);
        };
        let presented = hash_token(token);
        let same: bool = presented.as_bytes().ct_eq(record.hash.as_bytes()).into();
        Ok(same && record.tenant == tenant)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_hash_and_parse() {
        let (text, record) = issue_token("acme", "test").unwrap();
        assert_eq!(token_id(&text), Some(record.id.as_str()));
        assert_eq!(hash_token(&text), record.hash);
        assert!(
            !record.hash.contains(&text[25..]),
            "the secret is not stored"
        );
        let (other, _) = issue_token("acme", "test").unwrap();
        assert_ne!(text, other);
        assert_eq!(token_id("Bearer x"), None);
        assert_eq!(token_id("scimkit_short_x"), None);
    }

    #[test]
    fn tenant_ids_are_path_segments() {
        assert!(valid_tenant_id("acme-1"));
        for bad in ["", "-x", "Acme", "a/b", "a b", &"x".repeat(65)] {
            assert!(!valid_tenant_id(bad), "{bad}");
        }
    }
}
