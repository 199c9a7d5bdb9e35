//! Running a [`Plan`]: users, then groups, then memberships (removals included), then group
//! and user deletions; each phase's requests concurrent under the client's pacer. A create
//! whose answer was lost is found again on its 409 and adopted, never duplicated.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use reqwest::Method;
use scimkit::model::{Op, PatchOp};
use serde_json::Value;
use tokio::task::JoinSet;

use crate::Error;
use crate::client::{Answer, Client, Kind};
use crate::plan::{GroupChange, Plan, Profile, Rules, UserChange};
use crate::read::{find, id_of, join_error};
use crate::report::{Failure, Progress};
use crate::state::StateFile;
use scimkit::schema::USER_SCHEMA;

/// What the phases count, shared by their tasks.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    pub(crate) users_created: AtomicU64,
    pub(crate) users_updated: AtomicU64,
    pub(crate) users_deleted: AtomicU64,
    pub(crate) groups_created: AtomicU64,
    pub(crate) groups_updated: AtomicU64,
    pub(crate) groups_deleted: AtomicU64,
    pub(crate) members_added: AtomicU64,
    pub(crate) members_removed: AtomicU64,
    pub(crate) failures: Mutex<Vec<Failure>>,
}

impl Tally {
    fn fail(&self, what: String, status: Option<u16>, detail: String) {
        if let Ok(mut f) = self.failures.lock() {
            f.push(Failure {
                what,
                status,
                detail,
            });
        }
    }

    fn fail_error(&self, what: String, e: &Error) {
        let status = match e {
            Error::Target { status, .. } => *status,
            _ => None,
        };
        self.fail(what, status, e.to_string());
    }
}

/// Everything a task needs.
#[derive(Clone)]
pub(crate) struct Ctx {
    pub(crate) client: Arc<Client>,
    pub(crate) profile: Arc<Profile>,
    pub(crate) progress: Arc<dyn Progress>,
    pub(crate) tally: Arc<Tally>,
    pub(crate) state: Arc<Mutex<StateFile>>,
}

impl Ctx {
    async fn write(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Answer, Error> {
        let r = self.client.send(Kind::Write, method, path, body).await;
        self.progress.advance(1);
        r
    }

    /// Sends PATCH requests to `path` in order; the first failure is reported as `what`.
    async fn patch_all(&self, path: &str, requests: &[PatchOp], what: &str) -> bool {
        for r in requests {
            let body = serde_json::to_value(r).unwrap_or(Value::Null);
            match self.write(Method::PATCH, path, Some(&body)).await {
                Ok(a) if a.ok() => {}
                Ok(a) => {
                    self.tally.fail(what.to_owned(), Some(a.status), a.detail());
                    return false;
                }
                Err(e) => {
                    self.tally.fail_error(what.to_owned(), &e);
                    return false;
                }
            }
        }
        true
    }
}

async fn join_all<T: 'static>(mut tasks: JoinSet<T>) -> Result<Vec<T>, Error> {
    let mut out = Vec::with_capacity(tasks.len());
    while let Some(r) = tasks.join_next().await {
        out.push(r.map_err(join_error)?);
    }
    Ok(out)
}

/// Runs the plan's writes.
pub(crate) async fn run(ctx: &Ctx, plan: &Plan) -> Result<(), Error> {
    let mut ids: HashMap<String, String> = plan.user_ids.clone();
    let claimed = Arc::new(plan.claimed.clone());

    // 1. Users: creates and updates.
    let mut tasks = JoinSet::new();
    for change in &plan.users {
        let ctx = ctx.clone();
        let claimed = Arc::clone(&claimed);
        match change.clone() {
            UserChange::Create {
                external_id, body, ..
            } => {
                tasks.spawn(async move {
                    let id = create_user(&ctx, &external_id, &body, &claimed).await;
                    id.map(|id| (external_id, id))
                });
            }
            UserChange::Update {
                id,
                external_id,
                requests,
            } => {
                tasks.spawn(async move {
                    let ok = ctx
                        .patch_all(
                            &format!("/Users/{id}"),
                            &requests,
                            &format!("update user {external_id}"),
                        )
                        .await;
                    if ok {
                        ctx.tally.users_updated.fetch_add(1, Ordering::Relaxed);
                    }
                    None
                });
            }
            UserChange::Delete { .. } => {}
        }
    }
    ids.extend(join_all(tasks).await?.into_iter().flatten());
    let ids = Arc::new(ids);

    // 2. Groups: creates (with their first 100 members) and updates.
    let mut tasks = JoinSet::new();
    for change in &plan.groups {
        let (ctx, ids) = (ctx.clone(), Arc::clone(&ids));
        match change.clone() {
            GroupChange::Create {
                display_name,
                body,
                members,
            } => {
                tasks.spawn(async move {
                    let members: Vec<String> =
                        members.iter().filter_map(|e| ids.get(e).cloned()).collect();
                    create_group(&ctx, &display_name, body, members).await
                });
            }
            GroupChange::Update {
                id,
                display_name,
                requests,
            } => {
                tasks.spawn(async move {
                    let what = format!("update group {display_name}");
                    if ctx
                        .patch_all(&format!("/Groups/{id}"), &requests, &what)
                        .await
                    {
                        ctx.tally.groups_updated.fetch_add(1, Ordering::Relaxed);
                    }
                    None
                });
            }
            GroupChange::Delete { .. } => {}
        }
    }
    // (group id, display name, removals, additions) of every membership PATCH to send.
    let mut member_work: Vec<(String, String, Vec<String>, Vec<String>)> =
        join_all(tasks).await?.into_iter().flatten().collect();
    for m in &plan.memberships {
        let add = m.add.iter().filter_map(|e| ids.get(e).cloned()).collect();
        member_work.push((
            m.group_id.clone(),
            m.display_name.clone(),
            m.remove.clone(),
            add,
        ));
    }

    // 3. Memberships. Every pair is pending in the state file before the first write.
    {
        let mut state = lock(&ctx.state);
        for (gid, _, remove, add) in &member_work {
            let g = state.state.groups.entry(gid.clone()).or_default();
            g.pending.extend(remove.iter().chain(add).cloned());
        }
        state.flush()?;
    }
    let rules = Rules(&ctx.profile);
    let mut tasks = JoinSet::new();
    for (gid, name, remove, add) in member_work {
        let requests = match rules.member_requests(&remove, &add) {
            Ok(r) => r,
            Err(e) => {
                ctx.tally.fail(format!("members of {name}"), None, e);
                continue;
            }
        };
        for request in requests {
            let (ctx, gid, name) = (ctx.clone(), gid.clone(), name.clone());
            tasks.spawn(async move { patch_members(&ctx, &gid, &name, &request).await });
        }
    }
    for r in join_all(tasks).await? {
        r?;
    }

    // 4. Deletions: groups, then users (whose memberships were removed above).
    let groups = plan.groups.iter().filter_map(|g| match g {
        GroupChange::Delete { id, display_name } => Some((id.clone(), display_name.clone())),
        _ => None,
    });
    delete_all(ctx, "Groups", groups.collect()).await?;
    let users = plan.users.iter().filter_map(|u| match u {
        UserChange::Delete { id, user_name } => Some((id.clone(), user_name.clone())),
        _ => None,
    });
    delete_all(ctx, "Users", users.collect()).await?;
    lock(&ctx.state).flush()
}

fn lock(m: &Mutex<StateFile>) -> std::sync::MutexGuard<'_, StateFile> {
    match m.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    }
}

/// `POST /Users`; on 409, the user is looked up by externalId, then userName, and adopted.
async fn create_user(
    ctx: &Ctx,
    external_id: &str,
    body: &Value,
    claimed: &std::collections::HashSet<String>,
) -> Option<String> {
    let what = format!("create user {external_id}");
    let a = match ctx.write(Method::POST, "/Users", Some(body)).await {
        Ok(a) => a,
        Err(e) => {
            ctx.tally.fail_error(what, &e);
            return None;
        }
    };
    if a.ok() {
        ctx.tally.users_created.fetch_add(1, Ordering::Relaxed);
        return id_of(&a.body).map(str::to_owned);
    }
    if a.status != 409 {
        ctx.tally.fail(what, Some(a.status), a.detail());
        return None;
    }
    // The create may have happened and its answer been lost: find it and adopt it.
    let rules = Rules(&ctx.profile);
    let user_name = body.get("userName").and_then(Value::as_str).unwrap_or("");
    let found = match find(&ctx.client, "Users", "externalId", external_id).await {
        Ok(Some(u)) => Some((u, true)),
        Ok(None) => match find(&ctx.client, "Users", "userName", user_name).await {
            Ok(u) => u.map(|u| (u, false)),
            Err(e) => {
                ctx.tally.fail_error(what, &e);
                return None;
            }
        },
        Err(e) => {
            ctx.tally.fail_error(what, &e);
            return None;
        }
    };
    let Some((found, by_external_id)) = found else {
        ctx.tally.fail(
            what,
            Some(409),
            format!("{} (and no such user found)", a.detail()),
        );
        return None;
    };
    let id = id_of(&found).unwrap_or("").to_owned();
    if !by_external_id && claimed.contains(&id) {
        ctx.tally.fail(
            what,
            Some(409),
            "the userName belongs to another user of the source".to_owned(),
        );
        return None;
    }
    let requests = if by_external_id {
        rules.update(&found, body, USER_SCHEMA)
    } else {
        rules.adopt_user(&found, body)
    };
    match requests {
        Ok(r) => {
            if ctx.patch_all(&format!("/Users/{id}"), &r, &what).await {
                ctx.tally.users_created.fetch_add(1, Ordering::Relaxed);
                Some(id)
            } else {
                None
            }
        }
        Err(reason) => {
            ctx.tally.fail(what, Some(409), reason);
            None
        }
    }
}

/// `POST /Groups` with the first 100 `members`; returns the membership work left (the other
/// members; or, when a lost create is adopted on its 409, all of them, since which of the
/// first 100 landed is unknown).
async fn create_group(
    ctx: &Ctx,
    name: &str,
    mut body: Value,
    members: Vec<String>,
) -> Option<(String, String, Vec<String>, Vec<String>)> {
    let what = format!("create group {name}");
    let first: Vec<String> = members.iter().take(100).cloned().collect();
    if let Value::Object(o) = &mut body {
        let list = first
            .iter()
            .map(|id| serde_json::json!({"value": id}))
            .collect();
        o.insert("members".to_owned(), Value::Array(list));
    }
    let a = match ctx.write(Method::POST, "/Groups", Some(&body)).await {
        Ok(a) => a,
        Err(e) => {
            ctx.tally.fail_error(what, &e);
            return None;
        }
    };
    let (id, rest) = if a.ok() {
        let id = id_of(&a.body).unwrap_or("").to_owned();
        ctx.tally
            .members_added
            .fetch_add(first.len() as u64, Ordering::Relaxed);
        lock(&ctx.state).confirm(&id, &first, &[]);
        (id, members[first.len()..].to_vec())
    } else if a.status == 409 {
        match find(&ctx.client, "Groups", "displayName", name).await {
            Ok(Some(g)) => (id_of(&g).unwrap_or("").to_owned(), members),
            Ok(None) => {
                ctx.tally.fail(what, Some(409), a.detail());
                return None;
            }
            Err(e) => {
                ctx.tally.fail_error(what, &e);
                return None;
            }
        }
    } else {
        ctx.tally.fail(what, Some(a.status), a.detail());
        return None;
    };
    ctx.tally.groups_created.fetch_add(1, Ordering::Relaxed);
    Some((id, name.to_owned(), Vec::new(), rest))
}

/// One membership PATCH; on success its pairs are confirmed in the state file.
async fn patch_members(ctx: &Ctx, gid: &str, name: &str, request: &PatchOp) -> Result<(), Error> {
    let what = format!("members of {name}");
    let body = serde_json::to_value(request).unwrap_or(Value::Null);
    match ctx
        .write(Method::PATCH, &format!("/Groups/{gid}"), Some(&body))
        .await
    {
        Ok(a) if a.ok() => {
            let (mut added, mut removed) = (Vec::new(), Vec::new());
            for o in &request.operations {
                // An RFC 7644 removal names its member in the path: `members[value eq "…"]`.
                if let (Op::Remove, None, Some(p)) = (o.op, &o.value, o.path.as_deref())
                    && let Some(lit) = p
                        .strip_prefix("members[value eq ")
                        .and_then(|l| l.strip_suffix(']'))
                    && let Ok(id) = serde_json::from_str::<String>(lit)
                {
                    removed.push(id);
                    continue;
                }
                let values = o
                    .value
                    .as_ref()
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten();
                let ids = values
                    .filter_map(|v| v.get("value").and_then(Value::as_str).map(str::to_owned));
                match o.op {
                    Op::Add => added.extend(ids),
                    Op::Remove => removed.extend(ids),
                    _ => {}
                }
            }
            ctx.tally
                .members_added
                .fetch_add(added.len() as u64, Ordering::Relaxed);
            ctx.tally
                .members_removed
                .fetch_add(removed.len() as u64, Ordering::Relaxed);
            let mut state = lock(&ctx.state);
            state.confirm(gid, &added, &removed);
            state.flush_soon()
        }
        Ok(a) => {
            ctx.tally.fail(what, Some(a.status), a.detail());
            Ok(())
        }
        Err(e) => {
            ctx.tally.fail_error(what, &e);
            Ok(())
        }
    }
}

/// Deletes `(id, name)`s at `endpoint` (`Users` or `Groups`), concurrently, and forgets them
/// in the state file.
async fn delete_all(
    ctx: &Ctx,
    endpoint: &'static str,
    items: Vec<(String, String)>,
) -> Result<(), Error> {
    let mut tasks = JoinSet::new();
    for (id, name) in items {
        let ctx = ctx.clone();
        tasks.spawn(async move {
            let what = format!(
                "delete {} {name}",
                endpoint.trim_end_matches('s').to_lowercase()
            );
            if !delete(&ctx, &format!("/{endpoint}/{id}"), &what).await {
                return;
            }
            let mut state = lock(&ctx.state);
            if endpoint == "Groups" {
                ctx.tally.groups_deleted.fetch_add(1, Ordering::Relaxed);
                state.state.groups.remove(&id);
            } else {
                ctx.tally.users_deleted.fetch_add(1, Ordering::Relaxed);
                for g in state.state.groups.values_mut() {
                    g.members.remove(&id);
                    g.pending.remove(&id);
                }
            }
        });
    }
    join_all(tasks).await.map(drop)
}

/// `DELETE`; a 404 (already gone) is success.
async fn delete(ctx: &Ctx, path: &str, what: &str) -> bool {
    match ctx.write(Method::DELETE, path, None).await {
        Ok(a) if a.ok() || a.status == 404 => true,
        Ok(a) => {
            ctx.tally.fail(what.to_owned(), Some(a.status), a.detail());
            false
        }
        Err(e) => {
            ctx.tally.fail_error(what.to_owned(), &e);
            false
        }
    }
}
