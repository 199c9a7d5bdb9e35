//! What filters and uniqueness read beside a document: its `scim_index` rows and its
//! `scim_unique` claims, both pure functions of the stored document (`scimkit::sql`).
//!
//! A replaced document writes only the difference. Its old rows are recomputed from the old
//! document rather than read back: the same function wrote them, so the two agree, and a PUT
//! that changes one attribute rewrites that attribute's rows, not the ~50 of a user (each
//! row is an entry in five B-trees, pages a SQLite commit must write and sync).

use std::collections::{BTreeMap, HashSet};

use scimkit::sql::{IndexRow, UniqueKey, index_rows, unique_keys};
use scimkit::{SchemaRegistry, ScimError};
use serde_json::Value;

use super::db::{Db, Param, Tx, failure, tuples};

/// Index rows per multi-row `INSERT` (12 values each).
const CHUNK: usize = 400;

/// `(path, elem)` groups deleted per statement (two values each).
const DELETE_CHUNK: usize = 200;

/// Writes `new`'s index rows and claims for the resource `key`; `old` is the stored document
/// being replaced (its rows and claims are in the tables), `None` for a new resource.
pub(super) async fn write(
    db: &Db,
    tx: &mut Tx,
    key: (&str, &str, &str),
    old: Option<&Value>,
    new: &Value,
    schemas: &SchemaRegistry,
) -> Result<(), ScimError> {
    let rows = index_rows(new);
    match old {
        None => insert_rows(db, tx, key, rows.iter()).await?,
        Some(old) => {
            let before = index_rows(old);
            let (gone, added) = changed_groups(&before, &rows);
            delete_groups(db, tx, key, &gone).await?;
            insert_rows(db, tx, key, added.into_iter()).await?;
        }
    }
    let (tenant, rtype, _) = key;
    let claims = unique_keys(schemas, rtype, new);
    let held: Vec<UniqueKey> = old.map_or_else(Vec::new, |o| unique_keys(schemas, rtype, o));
    let kept: HashSet<&UniqueKey> = held.iter().filter(|c| claims.contains(c)).collect();
    for c in held.iter().filter(|c| !kept.contains(c)) {
        tx.execute(&db.stmt(
            "DELETE FROM scim_unique WHERE tenant = $1 AND scope = $2 AND attr = $3 AND key = $4",
            claim_key(tenant, c),
        ))
        .await
        .map_err(|e| failure(&e))?;
    }
    let wanted: Vec<&UniqueKey> = claims.iter().filter(|c| !kept.contains(c)).collect();
    claim(db, tx, key, &wanted).await
}

/// The `(path, elem)` groups whose rows differ: the groups to delete (every group of
/// `before` that changed or went) and the rows to insert (every row of a changed or new group).
fn changed_groups<'a>(
    before: &'a [IndexRow],
    after: &'a [IndexRow],
) -> (Vec<(&'a str, i64)>, Vec<&'a IndexRow>) {
    let group = |rows: &'a [IndexRow]| {
        let mut by: BTreeMap<(&'a str, i64), Vec<&'a IndexRow>> = BTreeMap::new();
        for r in rows {
            by.entry((r.path.as_str(), r.elem)).or_default().push(r);
        }
        by
    };
    let (old, new) = (group(before), group(after));
    let gone = old
        .iter()
        .filter(|(k, rows)| new.get(*k) != Some(*rows))
        .map(|(k, _)| *k)
        .collect();
    let added = new
        .iter()
        .filter(|(k, rows)| old.get(*k) != Some(*rows))
        .flat_map(|(_, rows)| rows.iter().copied())
        .collect();
    (gone, added)
}

async fn delete_groups(
    db: &Db,
    tx: &mut Tx,
    (tenant, rtype, id): (&str, &str, &str),
    groups: &[(&str, i64)],
) -> Result<(), ScimError> {
    for chunk in groups.chunks(DELETE_CHUNK) {
        let mut sql = String::from(
            "DELETE FROM scim_index WHERE tenant = $1 AND rtype = $2 AND id = $3 AND (",
        );
        let mut params: Vec<Param> = vec![tenant.into(), rtype.into(), id.into()];
        for (i, (path, elem)) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push_str(" OR ");
            }
            let n = params.len();
            sql.push_str(&format!("(path = ${} AND elem = ${})", n + 1, n + 2));
            params.extend([Param::from(*path), Param::from(*elem)]);
        }
        sql.push(')');
        tx.execute(&db.stmt(&sql, params))
            .await
            .map_err(|e| failure(&e))?;
    }
    Ok(())
}

async fn insert_rows<'a>(
    db: &Db,
    tx: &mut Tx,
    (tenant, rtype, id): (&str, &str, &str),
    rows: impl Iterator<Item = &'a IndexRow>,
) -> Result<(), ScimError> {
    let rows: Vec<&IndexRow> = rows.collect();
    for chunk in rows.chunks(CHUNK) {
        let sql = format!(
            "INSERT INTO scim_index (tenant, rtype, id, path, elem, kind, fold, exact, num, \
             num_int, instant, bool_value) VALUES {}",
            tuples(chunk.len(), 12, 1)
        );
        let mut params = Vec::with_capacity(chunk.len() * 12);
        for r in chunk {
            params.extend([
                Param::from(tenant),
                Param::from(rtype),
                Param::from(id),
                Param::from(&r.path),
                Param::from(r.elem),
                Param::from(i64::from(r.kind)),
                Param::Text(r.fold.clone()),
                Param::Text(r.exact.clone()),
                Param::Real(r.num),
                Param::Text(r.num_int.clone()),
                Param::Text(r.instant.clone()),
                Param::Bool(r.bool_value),
            ]);
        }
        tx.execute(&db.stmt(&sql, params))
            .await
            .map_err(|e| failure(&e))?;
    }
    Ok(())
}

/// Claims `claims` for the resource, or answers 409 naming the attribute already held.
///
/// One statement: the claims already held (by another resource, or by a concurrent writer
/// whose transaction committed first) are skipped by `ON CONFLICT DO NOTHING`, and the ones
/// not returned name the attribute. The caller's transaction is then rolled back, claims
/// and all.
async fn claim(
    db: &Db,
    tx: &mut Tx,
    (tenant, rtype, id): (&str, &str, &str),
    claims: &[&UniqueKey],
) -> Result<(), ScimError> {
    if claims.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "INSERT INTO scim_unique (tenant, scope, attr, key, rtype, id) VALUES {} \
         ON CONFLICT DO NOTHING RETURNING scope, attr, key",
        tuples(claims.len(), 6, 1)
    );
    let mut params = Vec::with_capacity(claims.len() * 6);
    for c in claims {
        params.extend([
            Param::from(tenant),
            Param::from(&c.scope),
            Param::from(&c.attr),
            Param::from(&c.key),
            Param::from(rtype),
            Param::from(id),
        ]);
    }
    let made = tx
        .rows(&db.stmt(&sql, params))
        .await
        .map_err(|e| failure(&e))?;
    if made.len() == claims.len() {
        return Ok(());
    }
    let made: Vec<[Option<String>; 3]> = made
        .iter()
        .map(|r| [r.text(0), r.text(1), r.text(2)])
        .collect();
    let held: Vec<&str> = claims
        .iter()
        .filter(|c| {
            !made.iter().any(|[scope, attr, key]| {
                scope.as_deref() == Some(c.scope.as_str())
                    && attr.as_deref() == Some(c.attr.as_str())
                    && key.as_deref() == Some(c.key.as_str())
            })
        })
        .map(|c| c.name.as_str())
        .collect();
    Err(taken(&held.join("` or `")))
}

/// The primary key of a claim, `$1…$4` of the statements above.
fn claim_key(tenant: &str, c: &UniqueKey) -> Vec<Param> {
    vec![
        tenant.into(),
        (&c.scope).into(),
        (&c.attr).into(),
        (&c.key).into(),
    ]
}

fn taken(name: &str) -> ScimError {
    ScimError::uniqueness(format!("another resource already has this `{name}`"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_changed_groups_are_rewritten() {
        let old = index_rows(&json!({"userName": "ada", "title": "Eng",
            "emails": [{"value": "a@x.org", "type": "work"}, {"value": "b@x.org"}]}));
        let new = index_rows(&json!({"userName": "ada", "title": "Boss",
            "emails": [{"value": "a@x.org", "type": "work"}, {"value": "c@x.org"}]}));
        let (gone, added) = changed_groups(&old, &new);
        assert!(gone.contains(&("title", 0)), "{gone:?}");
        assert!(!gone.iter().any(|(p, _)| *p == "username"), "{gone:?}");
        assert!(
            gone.iter().all(|(p, e)| p.starts_with("title") || *e == 1),
            "{gone:?}"
        );
        assert!(added.iter().any(|r| r.exact.as_deref() == Some("c@x.org")));
        assert!(!added.iter().any(|r| r.exact.as_deref() == Some("a@x.org")));
        // Applying the difference to the old rows gives exactly the new rows.
        let mut result: Vec<&IndexRow> = old
            .iter()
            .filter(|r| !gone.contains(&(r.path.as_str(), r.elem)))
            .chain(added.iter().copied())
            .collect();
        let mut want: Vec<&IndexRow> = new.iter().collect();
        let order = |a: &&IndexRow, b: &&IndexRow| {
            (&a.path, a.elem, &a.exact, &a.fold).cmp(&(&b.path, b.elem, &b.exact, &b.fold))
        };
        result.sort_by(order);
        want.sort_by(order);
        assert_eq!(result, want);
    }

    /// After a replace, the table holds exactly the new document's rows and claims.
    #[tokio::test]
    async fn a_replaced_document_leaves_exactly_its_rows() {
        use crate::store::{Modified, SqlStore, Store, TenantRecord, Touch};
        let store = SqlStore::open("sqlite::memory:").await.unwrap();
        store
            .create_tenant(&TenantRecord {
                id: "t".into(),
                name: "T".into(),
                profile: "rfc".into(),
                compat: "strict".into(),
                accept_passwords: false,
            })
            .await
            .unwrap();
        let schemas = SchemaRegistry::standard().clone();
        let user = |name: &str, emails: Value| {
            json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": "u1",
                   "userName": name, "emails": emails, "meta": {"resourceType": "User"}})
        };
        let first = user("ada", json!([{"value": "a@x.org"}, {"value": "b@x.org"}]));
        store
            .insert("t", "User", &first, &schemas, None)
            .await
            .unwrap();
        for next in [
            user(
                "ada",
                json!([{"value": "a@x.org"}, {"value": "c@x.org", "type": "work"}]),
            ),
            user("Grace", json!([{"value": "c@x.org"}])),
            user("grace", json!([])),
        ] {
            let want = next.clone();
            store
                .modify(
                    "t",
                    "User",
                    "u1",
                    Touch::All,
                    &schemas,
                    false,
                    |doc: &mut Value| {
                        *doc = want;
                        Ok(Modified {
                            changed: true,
                            password_hash: None,
                            value: (),
                        })
                    },
                )
                .await
                .unwrap();
            let stored = store.get("t", "User", "u1").await.unwrap().unwrap();
            let mut want_rows: Vec<(String, i64, Option<String>)> = index_rows(&stored)
                .into_iter()
                .map(|r| (r.path, r.elem, r.exact.or(r.fold)))
                .collect();
            let sql = "SELECT path, elem, COALESCE(exact, fold) FROM scim_index WHERE id = $1";
            let mut rows: Vec<(String, i64, Option<String>)> = store
                .db
                .rows(&store.db.stmt(sql, vec!["u1".into()]))
                .await
                .unwrap()
                .iter()
                .map(|r| (r.text(0).unwrap_or_default(), r.int(1), r.text(2)))
                .collect();
            want_rows.sort();
            rows.sort();
            assert_eq!(rows, want_rows, "{next}");
            let claims = store
                .db
                .rows(&store.db.stmt(
                    "SELECT key FROM scim_unique WHERE id = $1",
                    vec!["u1".into()],
                ))
                .await
                .unwrap();
            let keys: Vec<String> = claims.iter().filter_map(|r| r.text(0)).collect();
            let want_keys: Vec<String> = unique_keys(&schemas, "User", &stored)
                .into_iter()
                .map(|k| k.key)
                .collect();
            assert_eq!(keys, want_keys);
        }
    }
}
