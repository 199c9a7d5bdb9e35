//! [`SqlStore`]: resources in the core's layout, on SQLite or PostgreSQL.

use scimkit::sql::{Dialect, ListRequest, MemberRow, take_members};
use scimkit::{SchemaRegistry, ScimError};
use serde_json::Value;

use super::db::{Db, Tx, failure, is_unique_violation};
use super::{
    Listed, Modified, Store, TenantRecord, TokenRecord, Touch, keys, members, not_found, schema,
    tenants,
};

/// A [`Store`] on SQLite (embedded, the default) or PostgreSQL, in the layout of
/// [`scimkit::sql`]. Cheap to clone: clones share the pool.
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use scimkit_server::{SqlStore, Store};
///
/// let store = SqlStore::open("sqlite::memory:").await?;
/// assert!(store.tenants().await?.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// ```
#[derive(Debug, Clone)]
pub struct SqlStore {
    pub(super) db: Db,
}

impl SqlStore {
    /// Opens the database at `url` and brings its schema up to date: `postgres://…` for
    /// PostgreSQL; `sqlite://PATH`, a bare path, or `sqlite::memory:` (one private database,
    /// for tests) for SQLite. SQLite files are created if missing and run in WAL mode with
    /// `synchronous = FULL`, so an acknowledged write survives a crash.
    pub async fn open(url: &str) -> Result<Self, sqlx::Error> {
        Self::open_with(url, 16).await
    }

    /// [`open`](Self::open) with at most `max_connections` in the pool.
    pub async fn open_with(url: &str, max_connections: u32) -> Result<Self, sqlx::Error> {
        let db = Db::open(url, max_connections.max(1)).await?;
        schema::migrate(&db).await?;
        Ok(Self { db })
    }

    /// Whether this is PostgreSQL (else SQLite).
    pub fn is_postgres(&self) -> bool {
        self.db.dialect() == Dialect::Postgres
    }

    /// Waits for connections to close.
    pub async fn close(&self) {
        self.db.close().await;
    }

    fn json_param(&self, n: usize) -> String {
        match self.db.dialect() {
            Dialect::Sqlite => format!("${n}"),
            Dialect::Postgres => format!("CAST(${n} AS JSONB)"),
        }
    }

    /// Loads one stored document (without members), locked for update on PostgreSQL.
    async fn load(
        &self,
        tx: &mut Tx,
        tenant: &str,
        rtype: &str,
        id: &str,
    ) -> Result<Option<(Value, i64)>, ScimError> {
        let lock = match self.db.dialect() {
            Dialect::Sqlite => "",
            Dialect::Postgres => " FOR UPDATE",
        };
        let sql = format!(
            "SELECT resource, version FROM scim_resources \
             WHERE tenant = $1 AND rtype = $2 AND id = $3{lock}"
        );
        let rows = tx
            .rows(
                &self
                    .db
                    .stmt(&sql, vec![tenant.into(), rtype.into(), id.into()]),
            )
            .await
            .map_err(|e| failure(&e))?;
        match rows.first() {
            Some(r) => Ok(Some((r.json(0)?, r.int(1)))),
            None => Ok(None),
        }
    }

    async fn write_secret(
        &self,
        tx: &mut Tx,
        tenant: &str,
        rtype: &str,
        id: &str,
        hash: Option<String>,
    ) -> Result<(), ScimError> {
        let Some(hash) = hash else {
            return Ok(());
        };
        let db = &self.db;
        tx.execute(&db.stmt(
            "DELETE FROM scimkit_secrets WHERE tenant = $1 AND rtype = $2 AND id = $3",
            vec![tenant.into(), rtype.into(), id.into()],
        ))
        .await
        .map_err(|e| failure(&e))?;
        tx.execute(&db.stmt(
            "INSERT INTO scimkit_secrets (tenant, rtype, id, password_hash) VALUES ($1, $2, $3, $4)",
            vec![tenant.into(), rtype.into(), id.into(), hash.into()],
        ))
        .await
        .map_err(|e| failure(&e))?;
        Ok(())
    }

    /// Fills `members` (Groups) or `groups` (Users) of a page of stored documents.
    async fn fill(
        &self,
        tx: &mut Tx,
        tenant: &str,
        docs: &mut [Value],
        rtype: &str,
        members: bool,
    ) -> Result<(), ScimError> {
        let ids: Vec<String> = docs
            .iter()
            .filter_map(|d| d.get("id").and_then(Value::as_str).map(str::to_owned))
            .collect();
        if ids.is_empty() {
            return Ok(());
        }
        if rtype == "Group" && members {
            let mut by_group = members::load_many(&self.db, tx, tenant, &ids).await?;
            for d in docs.iter_mut() {
                let rows = d
                    .get("id")
                    .and_then(Value::as_str)
                    .and_then(|id| by_group.remove(id))
                    .unwrap_or_default();
                if let (Value::Object(o), false) = (&mut *d, rows.is_empty()) {
                    o.insert("members".to_owned(), members::to_json(&rows));
                }
            }
        } else if rtype == "User" {
            let mut by_user = members::groups_of(&self.db, tx, tenant, &ids).await?;
            for d in docs.iter_mut() {
                let groups = d
                    .get("id")
                    .and_then(Value::as_str)
                    .and_then(|id| by_user.remove(id));
                if let (Value::Object(o), Some(g)) = (&mut *d, groups) {
                    o.insert("groups".to_owned(), Value::Array(g));
                }
            }
        }
        Ok(())
    }
}

fn split(rtype: &str, resource: &Value) -> (Value, Vec<MemberRow>) {
    let mut doc = resource.clone();
    let rows = if rtype == "Group" {
        take_members(&mut doc)
    } else {
        Vec::new()
    };
    if let (Value::Object(o), "User") = (&mut doc, rtype) {
        o.retain(|k, _| !k.eq_ignore_ascii_case("groups"));
    }
    (doc, rows)
}

impl Store for SqlStore {
    async fn get(&self, tenant: &str, rtype: &str, id: &str) -> Result<Option<Value>, ScimError> {
        let mut tx = self.db.begin_read().await.map_err(|e| failure(&e))?;
        let rows = tx
            .rows(&self.db.stmt(
                "SELECT resource FROM scim_resources WHERE tenant = $1 AND rtype = $2 AND id = $3",
                vec![tenant.into(), rtype.into(), id.into()],
            ))
            .await
            .map_err(|e| failure(&e))?;
        let Some(row) = rows.first() else {
            return Ok(None);
        };
        let mut docs = [row.json(0)?];
        self.fill(&mut tx, tenant, &mut docs, rtype, true).await?;
        let [doc] = docs;
        Ok(Some(doc))
    }

    async fn list(
        &self,
        request: &ListRequest<'_>,
        schemas: &SchemaRegistry,
        members: bool,
    ) -> Result<Listed, ScimError> {
        let sql = request.to_sql(schemas, self.db.dialect())?;
        // One snapshot: totalResults and the page agree under concurrent writers.
        let mut tx = self.db.begin_read().await.map_err(|e| failure(&e))?;
        let mut docs = Vec::new();
        let window = request.page.count();
        if window != Some(0) {
            for r in tx
                .rows(&super::db::Stmt::translated(sql.select))
                .await
                .map_err(|e| failure(&e))?
            {
                docs.push(r.json(1)?);
            }
        }
        // A page that ends before its window and is not past the end (nor after a cursor,
        // which skips matches) holds the last match: the count is known without counting,
        // which saves a lookup (`userName eq …`) a statement.
        let offset = request.page.start_index().saturating_sub(1);
        let short = window.is_some_and(|c| docs.len() < c) || window.is_none();
        let total = if request.after.is_none() && short && (offset == 0 || !docs.is_empty()) {
            i64::try_from(offset + docs.len()).unwrap_or(i64::MAX)
        } else {
            tx.rows(&super::db::Stmt::translated(sql.count))
                .await
                .map_err(|e| failure(&e))?
                .first()
                .map_or(0, |r| r.int(0))
        };
        self.fill(
            &mut tx,
            request.tenant,
            &mut docs,
            request.resource_type,
            members,
        )
        .await?;
        Ok(Listed {
            total: u64::try_from(total).unwrap_or_default(),
            resources: docs,
        })
    }

    async fn insert(
        &self,
        tenant: &str,
        rtype: &str,
        resource: &Value,
        schemas: &SchemaRegistry,
        password_hash: Option<String>,
    ) -> Result<(), ScimError> {
        let id = resource
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| ScimError::with_status(500, "a resource to store has no id"))?;
        let (doc, rows) = split(rtype, resource);
        let mut tx = self.db.begin().await.map_err(|e| failure(&e))?;
        let sql = format!(
            "INSERT INTO scim_resources (tenant, rtype, id, version, resource) VALUES ($1, $2, $3, 1, {})",
            self.json_param(4)
        );
        tx.execute(&self.db.stmt(
            &sql,
            vec![
                tenant.into(),
                rtype.into(),
                id.into(),
                doc.to_string().into(),
            ],
        ))
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                ScimError::uniqueness("a resource with this id already exists")
            } else {
                failure(&e)
            }
        })?;
        keys::write(&self.db, &mut tx, (tenant, rtype, id), None, &doc, schemas).await?;
        if !rows.is_empty() {
            let ids: Vec<String> = rows.iter().map(|r| r.member_id.clone()).collect();
            members::check_exist(&self.db, &mut tx, tenant, &ids).await?;
            let refs: Vec<&MemberRow> = rows.iter().collect();
            members::insert(&self.db, &mut tx, tenant, &refs).await?;
        }
        self.write_secret(&mut tx, tenant, rtype, id, password_hash)
            .await?;
        tx.commit().await.map_err(|e| failure(&e))
    }

    async fn modify<T, F>(
        &self,
        tenant: &str,
        rtype: &str,
        id: &str,
        touch: Touch,
        schemas: &SchemaRegistry,
        members: bool,
        change: F,
    ) -> Result<(Value, T), ScimError>
    where
        T: Send,
        F: FnOnce(&mut Value) -> Result<Modified<T>, ScimError> + Send,
    {
        let db = &self.db;
        let mut tx = db.begin().await.map_err(|e| failure(&e))?;
        let (mut doc, version) = self
            .load(&mut tx, tenant, rtype, id)
            .await?
            .ok_or_else(|| not_found(rtype, id))?;
        // The stored document as it was: its index rows and claims are the ones in the tables.
        let old = doc.clone();
        let before = if rtype == "Group" {
            members::load(db, &mut tx, tenant, id, &touch).await?
        } else {
            Vec::new()
        };
        if let (Value::Object(o), false) = (&mut doc, before.is_empty()) {
            o.insert("members".to_owned(), members::to_json(&before));
        }
        let outcome = change(&mut doc)?;
        let (stored, after) = split(rtype, &doc);
        if outcome.changed {
            let added = members::write_difference(db, &mut tx, tenant, id, &before, &after).await?;
            members::check_exist(db, &mut tx, tenant, &added).await?;
            let sql = format!(
                "UPDATE scim_resources SET resource = {}, version = version + 1 \
                 WHERE tenant = $1 AND rtype = $2 AND id = $3 AND version = $4",
                self.json_param(5)
            );
            let n = tx
                .execute(&db.stmt(
                    &sql,
                    vec![
                        tenant.into(),
                        rtype.into(),
                        id.into(),
                        version.into(),
                        stored.to_string().into(),
                    ],
                ))
                .await
                .map_err(|e| failure(&e))?;
            if n != 1 {
                // Only reachable if the row changed under the lock: refuse rather than lose it.
                return Err(ScimError::with_status(
                    412,
                    "the resource changed while this request ran; retry it",
                ));
            }
            keys::write(
                db,
                &mut tx,
                (tenant, rtype, id),
                Some(&old),
                &stored,
                schemas,
            )
            .await?;
            self.write_secret(&mut tx, tenant, rtype, id, outcome.password_hash)
                .await?;
        }
        // The answer is the resource as this transaction leaves it. A Group's members are
        // read again only when the answer shows them and the change read just some.
        let mut answer = stored;
        match (rtype, &touch) {
            ("Group", Touch::All) => {
                if let (Value::Object(o), false) = (&mut answer, after.is_empty() || !members) {
                    o.insert("members".to_owned(), members::to_json(&after));
                }
            }
            ("Group", Touch::Values(_)) if !members => {}
            _ => {
                let mut docs = [answer];
                self.fill(&mut tx, tenant, &mut docs, rtype, members)
                    .await?;
                let [d] = docs;
                answer = d;
            }
        }
        if outcome.changed {
            tx.commit().await.map_err(|e| failure(&e))?;
        }
        Ok((answer, outcome.value))
    }

    async fn remove<F, R>(
        &self,
        tenant: &str,
        rtype: &str,
        id: &str,
        schemas: &SchemaRegistry,
        check: F,
        mut touch: R,
    ) -> Result<(), ScimError>
    where
        F: FnOnce(&Value) -> Result<(), ScimError> + Send,
        R: FnMut(&mut Value) + Send,
    {
        let db = &self.db;
        let mut tx = db.begin().await.map_err(|e| failure(&e))?;
        let (doc, _) = self
            .load(&mut tx, tenant, rtype, id)
            .await?
            .ok_or_else(|| not_found(rtype, id))?;
        check(&doc)?;
        // The groups that list it change: new versions, before their member rows go.
        for (gid, old) in members::listing(db, &mut tx, tenant, id).await? {
            let mut group = old.clone();
            touch(&mut group);
            let sql = format!(
                "UPDATE scim_resources SET resource = {}, version = version + 1 \
                 WHERE tenant = $1 AND rtype = 'Group' AND id = $2",
                self.json_param(3)
            );
            tx.execute(&db.stmt(
                &sql,
                vec![tenant.into(), gid.as_str().into(), group.to_string().into()],
            ))
            .await
            .map_err(|e| failure(&e))?;
            keys::write(
                db,
                &mut tx,
                (tenant, "Group", &gid),
                Some(&old),
                &group,
                schemas,
            )
            .await?;
        }
        for sql in [
            "DELETE FROM scim_resources WHERE tenant = $1 AND rtype = $2 AND id = $3",
            "DELETE FROM scim_index WHERE tenant = $1 AND rtype = $2 AND id = $3",
            "DELETE FROM scim_unique WHERE tenant = $1 AND rtype = $2 AND id = $3",
            "DELETE FROM scimkit_secrets WHERE tenant = $1 AND rtype = $2 AND id = $3",
        ] {
            tx.execute(&db.stmt(sql, vec![tenant.into(), rtype.into(), id.into()]))
                .await
                .map_err(|e| failure(&e))?;
        }
        members::forget(db, &mut tx, tenant, id).await?;
        tx.commit().await.map_err(|e| failure(&e))
    }

    async fn tenants(&self) -> Result<Vec<TenantRecord>, ScimError> {
        tenants::all(&self.db).await
    }

    async fn create_tenant(&self, tenant: &TenantRecord) -> Result<(), ScimError> {
        tenants::create(&self.db, tenant).await
    }

    async fn add_token(&self, token: &TokenRecord) -> Result<(), ScimError> {
        tenants::add_token(&self.db, token).await
    }

    async fn token(&self, id: &str) -> Result<Option<TokenRecord>, ScimError> {
        tenants::token(&self.db, id).await
    }

    async fn tokens(&self, tenant: &str) -> Result<Vec<TokenRecord>, ScimError> {
        tenants::tokens(&self.db, tenant).await
    }

    async fn revoke_token(&self, id: &str) -> Result<bool, ScimError> {
        tenants::revoke(&self.db, id).await
    }
}

#[cfg(test)]
mod tests {
    use scimkit::Filter;
    use scimkit::query::Page;
    use serde_json::json;

    use super::*;

    /// totalResults is every match whether it is counted or read off a short page.
    #[tokio::test]
    async fn totals_agree_with_or_without_a_count() {
        let store = SqlStore::open("sqlite::memory:").await.unwrap();
        let schemas = SchemaRegistry::standard().clone();
        for i in 0..5 {
            let user = json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                "id": format!("u{i}"), "userName": format!("user{i}"),
                "title": if i < 3 { "a" } else { "b" }});
            store
                .insert("t", "User", &user, &schemas, None)
                .await
                .unwrap();
        }
        let filter: Filter = r#"title eq "a""#.parse().unwrap();
        for (filtered, start, count, total, page) in [
            (false, None, None, 5, 5),
            (false, Some(1), Some(2), 5, 2),
            (false, Some(5), Some(2), 5, 1),
            (false, Some(4), Some(2), 5, 2),
            (false, Some(7), Some(2), 5, 0),
            (false, Some(1), Some(0), 5, 0),
            (true, Some(1), Some(10), 3, 3),
            (true, Some(3), Some(1), 3, 1),
            (true, Some(9), Some(1), 3, 0),
        ] {
            let mut request = ListRequest::new("t", "User");
            request.filter = filtered.then_some(&filter);
            request.page = Page::new(start, count);
            let listed = store.list(&request, &schemas, false).await.unwrap();
            let case = format!("filter {filtered}, start {start:?}, count {count:?}");
            assert_eq!(listed.total, total, "{case}");
            assert_eq!(listed.resources.len(), page, "{case}");
        }
    }
}
