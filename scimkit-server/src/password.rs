//! Passwords: hashed with argon2 off the async workers, stored as the PHC string, never
//! returned; refused when the tenant does not accept them.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, SaltString};
use scimkit::model::Password;
use scimkit::{PatchOp, ScimError};
use serde_json::Value;

use crate::tenant::Tenant;

fn refused() -> ScimError {
    ScimError::invalid_value("this service does not accept passwords")
}

/// The argon2id PHC string of `cleartext` (a random salt each time).
pub(crate) fn hash(cleartext: &str) -> Result<String, ScimError> {
    let mut salt = [0_u8; 16];
    getrandom::fill(&mut salt)
        .map_err(|e| ScimError::with_status(500, format!("no randomness for a salt: {e}")))?;
    let salt = SaltString::encode_b64(&salt)
        .map_err(|e| ScimError::with_status(500, format!("salt: {e}")))?;
    Argon2::default()
        .hash_password(cleartext.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ScimError::with_status(500, format!("password hash: {e}")))
}

async fn hash_off_thread(cleartext: String) -> Result<String, ScimError> {
    tokio::task::spawn_blocking(move || hash(&cleartext))
        .await
        .map_err(|e| ScimError::with_status(500, format!("password hash: {e}")))?
}

/// The hash to store for a password the core handed over from a create.
pub(crate) async fn hash_for(tenant: &Tenant, password: Password) -> Result<String, ScimError> {
    if !tenant.record.accept_passwords {
        return Err(refused());
    }
    hash_off_thread(password.expose().to_owned()).await
}

fn is_password(name: &str) -> bool {
    let name = name.trim();
    let name = name.rsplit_once(':').map_or(name, |(_, n)| n);
    name.eq_ignore_ascii_case("password")
}

/// The cleartext a PUT or POST body sets, if any.
pub(crate) fn in_body(body: &Value) -> Option<String> {
    body.as_object()?
        .iter()
        .find(|(k, _)| is_password(k))
        .and_then(|(_, v)| v.as_str())
        .map(str::to_owned)
}

/// The cleartext a PATCH sets (the last operation setting one wins, as the PATCH applies).
pub(crate) fn in_patch(op: &PatchOp) -> Option<String> {
    op.operations
        .iter()
        .rev()
        .find_map(|o| match o.path.as_deref() {
            Some(p) if is_password(p) => o.value.as_ref()?.as_str().map(str::to_owned),
            Some(_) => None,
            None => in_body(o.value.as_ref()?),
        })
}

/// A password hashed before the transaction, so argon2 never runs while a writer waits.
#[derive(Debug)]
pub(crate) struct Prepared(Option<(String, String)>);

/// Hashes the cleartext a request carries, if any.
pub(crate) async fn prepare(
    tenant: &Tenant,
    cleartext: Option<String>,
) -> Result<Prepared, ScimError> {
    let Some(cleartext) = cleartext else {
        return Ok(Prepared(None));
    };
    if !tenant.record.accept_passwords {
        return Err(refused());
    }
    let hash = hash_off_thread(cleartext.clone()).await?;
    Ok(Prepared(Some((cleartext, hash))))
}

impl Prepared {
    /// The hash to store for what the core handed over: the prepared one when it is the same
    /// cleartext, else (a form the request reading missed) one computed now.
    pub(crate) fn settle(
        &self,
        tenant: &Tenant,
        written: Option<Password>,
    ) -> Result<Option<String>, ScimError> {
        let Some(p) = written else {
            return Ok(None);
        };
        if !tenant.record.accept_passwords {
            return Err(refused());
        }
        match &self.0 {
            Some((clear, hash)) if clear == p.expose() => Ok(Some(hash.clone())),
            _ => hash(p.expose()).map(Some),
        }
    }
}
