//! Tenants and their bearer tokens (hashes only).

use scimkit::ScimError;

use super::db::{Db, Param, Row, failure, is_unique_violation};
use super::{TenantRecord, TokenRecord};

fn tenant_of(r: &Row) -> TenantRecord {
    TenantRecord {
        id: r.text(0).unwrap_or_default(),
        name: r.text(1).unwrap_or_default(),
        profile: r.text(2).unwrap_or_default(),
        compat: r.text(3).unwrap_or_default(),
        accept_passwords: r.int(4) != 0,
    }
}

fn token_of(r: &Row) -> TokenRecord {
    TokenRecord {
        id: r.text(0).unwrap_or_default(),
        tenant: r.text(1).unwrap_or_default(),
        hash: r.text(2).unwrap_or_default(),
        created: r.text(3).unwrap_or_default(),
        label: r.text(4).unwrap_or_default(),
    }
}

pub(crate) async fn all(db: &Db) -> Result<Vec<TenantRecord>, ScimError> {
    let rows = db
        .rows(&db.stmt(
            "SELECT id, name, profile, compat, accept_passwords FROM scimkit_tenants ORDER BY created, id",
            Vec::new(),
        ))
        .await
        .map_err(|e| failure(&e))?;
    Ok(rows.iter().map(tenant_of).collect())
}

pub(crate) async fn create(db: &Db, t: &TenantRecord) -> Result<(), ScimError> {
    db.execute(&db.stmt(
        "INSERT INTO scimkit_tenants (id, name, profile, compat, accept_passwords, created) \
         VALUES ($1, $2, $3, $4, $5, $6)",
        vec![
            Param::from(&t.id),
            Param::from(&t.name),
            Param::from(&t.profile),
            Param::from(&t.compat),
            Param::from(i64::from(t.accept_passwords)),
            Param::from(chrono::Utc::now().to_rfc3339()),
        ],
    ))
    .await
    .map(drop)
    .map_err(|e| {
        if is_unique_violation(&e) {
            ScimError::uniqueness(format!("a tenant `{}` already exists", t.id))
        } else {
            failure(&e)
        }
    })
}

pub(crate) async fn add_token(db: &Db, t: &TokenRecord) -> Result<(), ScimError> {
    db.execute(&db.stmt(
        "INSERT INTO scimkit_tokens (id, tenant, hash, created, label) VALUES ($1, $2, $3, $4, $5)",
        vec![
            Param::from(&t.id),
            Param::from(&t.tenant),
            Param::from(&t.hash),
            Param::from(&t.created),
            Param::from(&t.label),
        ],
    ))
    .await
    .map(drop)
    .map_err(|e| failure(&e))
}

const TOKEN_COLUMNS: &str = "SELECT id, tenant, hash, created, label FROM scimkit_tokens";

pub(crate) async fn token(db: &Db, id: &str) -> Result<Option<TokenRecord>, ScimError> {
    let sql = format!("{TOKEN_COLUMNS} WHERE id = $1");
    let rows = db
        .rows(&db.stmt(&sql, vec![Param::from(id)]))
        .await
        .map_err(|e| failure(&e))?;
    Ok(rows.first().map(token_of))
}

pub(crate) async fn tokens(db: &Db, tenant: &str) -> Result<Vec<TokenRecord>, ScimError> {
    let sql = format!("{TOKEN_COLUMNS} WHERE tenant = $1 ORDER BY created, id");
    let rows = db
        .rows(&db.stmt(&sql, vec![Param::from(tenant)]))
        .await
        .map_err(|e| failure(&e))?;
    Ok(rows.iter().map(token_of).collect())
}

pub(crate) async fn revoke(db: &Db, id: &str) -> Result<bool, ScimError> {
    let n = db
        .execute(&db.stmt(
            "DELETE FROM scimkit_tokens WHERE id = $1",
            vec![Param::from(id)],
        ))
        .await
        .map_err(|e| failure(&e))?;
    Ok(n > 0)
}
