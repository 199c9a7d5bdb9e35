//! Group membership as rows (`scim_members`): read a group's members, all or only those a
//! change touches, write the difference, and answer a user's `groups` from the same rows.

use std::collections::{BTreeMap, HashSet};

use scimkit::ScimError;
use scimkit::sql::{Dialect, MemberRow, fold};
use serde_json::{Map, Value};

use super::db::{Db, Param, Row, Tx, failure, list, tuples};
use super::{Touch, clip};

/// Rows per multi-row `INSERT`: 9 values each, well within both databases' parameter limits.
const CHUNK: usize = 500;

fn row_of(group_id: &str, r: &Row) -> MemberRow {
    let member_id = r.text(0).unwrap_or_default();
    let member_type = r.text(1);
    let display = r.text(2);
    MemberRow {
        group_id: group_id.to_owned(),
        group_fold: fold(group_id),
        member_fold: fold(&member_id),
        member_id,
        type_fold: member_type.as_deref().map(fold),
        member_type,
        display_fold: display.as_deref().map(fold),
        display,
    }
}

/// The members of `group_id` that `touch` names, in id order.
pub(crate) async fn load(
    db: &Db,
    tx: &mut Tx,
    tenant: &str,
    group_id: &str,
    touch: &Touch,
) -> Result<Vec<MemberRow>, ScimError> {
    let mut params = vec![Param::from(tenant), Param::from(group_id)];
    let sql = match touch {
        Touch::All => "SELECT member_id, member_type, display FROM scim_members \
                       WHERE tenant = $1 AND group_id = $2 ORDER BY member_id"
            .to_owned(),
        Touch::Values(values) if values.is_empty() => return Ok(Vec::new()),
        Touch::Values(values) => {
            params.extend(values.iter().map(Param::from));
            format!(
                "SELECT member_id, member_type, display FROM scim_members \
                 WHERE tenant = $1 AND group_id = $2 AND member_fold IN ({})",
                list(values.len(), 3)
            )
        }
    };
    let rows = tx
        .rows(&db.stmt(&sql, params))
        .await
        .map_err(|e| failure(&e))?;
    let mut out: Vec<MemberRow> = rows.iter().map(|r| row_of(group_id, r)).collect();
    // Sorted here, not by `ORDER BY`: with one, SQLite walks the primary key over the whole
    // group instead of probing `scim_members_fold` for the touched values (a 100-member PATCH
    // on a 100,000-member group took 200+ ms). Byte order, as the columns' collation.
    if matches!(touch, Touch::Values(_)) {
        out.sort_by(|a, b| a.member_id.cmp(&b.member_id));
    }
    Ok(out)
}

/// The members of each of `group_ids` (for a page of groups), in id order.
pub(crate) async fn load_many(
    db: &Db,
    tx: &mut Tx,
    tenant: &str,
    group_ids: &[String],
) -> Result<BTreeMap<String, Vec<MemberRow>>, ScimError> {
    let mut out: BTreeMap<String, Vec<MemberRow>> = BTreeMap::new();
    for chunk in group_ids.chunks(CHUNK) {
        let mut params = vec![Param::from(tenant)];
        params.extend(chunk.iter().map(Param::from));
        let sql = format!(
            "SELECT member_id, member_type, display, group_id FROM scim_members \
             WHERE tenant = $1 AND group_id IN ({}) ORDER BY group_id, member_id",
            list(chunk.len(), 2)
        );
        for r in tx
            .rows(&db.stmt(&sql, params))
            .await
            .map_err(|e| failure(&e))?
        {
            let gid = r.text(3).unwrap_or_default();
            let row = row_of(&gid, &r);
            out.entry(gid).or_default().push(row);
        }
    }
    Ok(out)
}

/// The `members` attribute the rows stand for.
pub(crate) fn to_json(rows: &[MemberRow]) -> Value {
    Value::Array(
        rows.iter()
            .map(|r| {
                let mut m = Map::new();
                m.insert("value".to_owned(), Value::String(r.member_id.clone()));
                if let Some(d) = &r.display {
                    m.insert("display".to_owned(), Value::String(d.clone()));
                }
                if let Some(t) = &r.member_type {
                    m.insert("type".to_owned(), Value::String(t.clone()));
                }
                Value::Object(m)
            })
            .collect(),
    )
}

/// Writes the difference between `before` and `after` (both of one group): rows gone are
/// deleted, rows new or changed are inserted. Returns the member ids added, for the
/// existence check.
pub(crate) async fn write_difference(
    db: &Db,
    tx: &mut Tx,
    tenant: &str,
    group_id: &str,
    before: &[MemberRow],
    after: &[MemberRow],
) -> Result<Vec<String>, ScimError> {
    let old: HashSet<&MemberRow> = before.iter().collect();
    let new: HashSet<&MemberRow> = after.iter().collect();
    // A row whose type or display changed is deleted and inserted again.
    let gone: Vec<&str> = before
        .iter()
        .filter(|r| !new.contains(r))
        .map(|r| r.member_id.as_str())
        .collect();
    let added: Vec<&MemberRow> = after.iter().filter(|r| !old.contains(r)).collect();
    for chunk in gone.chunks(CHUNK) {
        let mut params = vec![Param::from(tenant), Param::from(group_id)];
        params.extend(chunk.iter().map(|s| Param::from(*s)));
        let sql = format!(
            "DELETE FROM scim_members WHERE tenant = $1 AND group_id = $2 AND member_id IN ({})",
            list(chunk.len(), 3)
        );
        tx.execute(&db.stmt(&sql, params))
            .await
            .map_err(|e| failure(&e))?;
    }
    insert(db, tx, tenant, &added).await?;
    // Members new to the group (not a changed `display` or `type` of one already in it).
    let before_ids: HashSet<&str> = before.iter().map(|r| r.member_id.as_str()).collect();
    Ok(added
        .iter()
        .map(|r| r.member_id.as_str())
        .filter(|id| !before_ids.contains(id))
        .map(str::to_owned)
        .collect())
}

/// Inserts member rows.
pub(crate) async fn insert(
    db: &Db,
    tx: &mut Tx,
    tenant: &str,
    rows: &[&MemberRow],
) -> Result<(), ScimError> {
    for chunk in rows.chunks(CHUNK) {
        let sql = format!(
            "INSERT INTO scim_members (tenant, group_id, group_fold, member_id, member_fold, \
             member_type, type_fold, display, display_fold) VALUES {}",
            tuples(chunk.len(), 9, 1)
        );
        let mut params = Vec::with_capacity(chunk.len() * 9);
        for r in chunk {
            params.extend([
                Param::from(tenant),
                Param::from(&r.group_id),
                Param::from(&r.group_fold),
                Param::from(&r.member_id),
                Param::from(&r.member_fold),
                Param::from(r.member_type.clone()),
                Param::from(r.type_fold.clone()),
                Param::from(r.display.clone()),
                Param::from(r.display_fold.clone()),
            ]);
        }
        tx.execute(&db.stmt(&sql, params))
            .await
            .map_err(|e| failure(&e))?;
    }
    Ok(())
}

/// `400 invalidValue` unless every id names a User or Group of the tenant (ids the service
/// assigns are lowercase, so a value in another case finds its resource through its fold).
pub(crate) async fn check_exist(
    db: &Db,
    tx: &mut Tx,
    tenant: &str,
    ids: &[String],
) -> Result<(), ScimError> {
    for chunk in ids.chunks(CHUNK) {
        let folds: Vec<String> = chunk.iter().map(|s| fold(s)).collect();
        let mut params = vec![Param::from(tenant)];
        params.extend(folds.iter().map(Param::from));
        let sql = format!(
            "SELECT id FROM scim_resources WHERE tenant = $1 AND rtype IN ('User', 'Group') \
             AND id IN ({})",
            list(folds.len(), 2)
        );
        let found: HashSet<String> = tx
            .rows(&db.stmt(&sql, params))
            .await
            .map_err(|e| failure(&e))?
            .iter()
            .filter_map(|r| r.text(0))
            .collect();
        if let Some(missing) = chunk.iter().zip(&folds).find(|(_, f)| !found.contains(*f)) {
            return Err(ScimError::invalid_value(format!(
                "members: no User or Group has the id `{}`",
                clip(missing.0)
            )));
        }
    }
    Ok(())
}

/// Deletes every membership of `id`: as a member of any group, and as a group.
pub(crate) async fn forget(db: &Db, tx: &mut Tx, tenant: &str, id: &str) -> Result<(), ScimError> {
    for (sql, key) in [
        (
            "DELETE FROM scim_members WHERE tenant = $1 AND member_fold = $2",
            fold(id),
        ),
        (
            "DELETE FROM scim_members WHERE tenant = $1 AND group_id = $2",
            id.to_owned(),
        ),
    ] {
        tx.execute(&db.stmt(sql, vec![Param::from(tenant), Param::from(key)]))
            .await
            .map_err(|e| failure(&e))?;
    }
    Ok(())
}

/// The stored documents (without members) of the groups that list `id` as a member.
pub(crate) async fn listing(
    db: &Db,
    tx: &mut Tx,
    tenant: &str,
    id: &str,
) -> Result<Vec<(String, Value)>, ScimError> {
    let rows = tx
        .rows(&db.stmt(
            "SELECT r.id, r.resource FROM scim_resources r \
             WHERE r.tenant = $1 AND r.rtype = 'Group' AND r.id IN \
             (SELECT m.group_id FROM scim_members m WHERE m.tenant = $1 AND m.member_fold = $2)",
            vec![Param::from(tenant), Param::from(fold(id))],
        ))
        .await
        .map_err(|e| failure(&e))?;
    rows.iter()
        .map(|r| Ok((r.text(0).unwrap_or_default(), r.json(1)?)))
        .collect()
}

/// The groups listing each of `user_ids`, as a User's readOnly `groups` (`value`, `display`
/// from the group's `displayName`, `type: direct`), keyed by the user id.
pub(crate) async fn groups_of(
    db: &Db,
    tx: &mut Tx,
    tenant: &str,
    user_ids: &[String],
) -> Result<BTreeMap<String, Vec<Value>>, ScimError> {
    let name = match db.dialect() {
        Dialect::Sqlite => "json_extract(r.resource, '$.displayName')",
        Dialect::Postgres => "r.resource->>'displayName'",
    };
    let mut out: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for chunk in user_ids.chunks(CHUNK) {
        let folds: Vec<String> = chunk.iter().map(|s| fold(s)).collect();
        let mut params = vec![Param::from(tenant)];
        params.extend(folds.iter().map(Param::from));
        let sql = format!(
            "SELECT m.member_fold, m.group_id, {name} FROM scim_members m \
             JOIN scim_resources r ON r.tenant = m.tenant AND r.rtype = 'Group' AND r.id = m.group_id \
             WHERE m.tenant = $1 AND m.member_fold IN ({})",
            list(folds.len(), 2)
        );
        let rows = tx
            .rows(&db.stmt(&sql, params))
            .await
            .map_err(|e| failure(&e))?;
        let mut users_by_fold: BTreeMap<&str, Vec<&String>> = BTreeMap::new();
        for (user, f) in chunk.iter().zip(&folds) {
            users_by_fold.entry(f.as_str()).or_default().push(user);
        }
        for r in rows {
            let member = r.text(0).unwrap_or_default();
            let mut g = Map::new();
            g.insert(
                "value".to_owned(),
                Value::String(r.text(1).unwrap_or_default()),
            );
            if let Some(d) = r.text(2) {
                g.insert("display".to_owned(), Value::String(d));
            }
            g.insert("type".to_owned(), Value::String("direct".to_owned()));
            for user in users_by_fold.get(member.as_str()).into_iter().flatten() {
                out.entry((*user).clone())
                    .or_default()
                    .push(Value::Object(g.clone()));
            }
        }
    }
    // Sorted here, not by `ORDER BY m.group_id`: with that, SQLite walked the primary key
    // (tenant, group_id, …) over every membership of the tenant instead of probing
    // `scim_members_fold` (a page of 100 users at 100,000: 730 ms against 4 ms).
    for groups in out.values_mut() {
        groups.sort_by(|a, b| a["value"].as_str().cmp(&b["value"].as_str()));
    }
    Ok(out)
}
