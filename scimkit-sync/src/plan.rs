//! [`Plan`]: what a run will write, computed from the source and the target's snapshot with
//! the core's rules (`scimkit::aws` for Identity Center, `scimkit::diff` for any target).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use scimkit::aws::{IdentityCenter, Upsert};
use scimkit::diff::{Target, plan as diff_plan};
use scimkit::model::{PatchOp, PatchOperation};
use scimkit::schema::{ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, SchemaRegistry, USER_SCHEMA};
use serde::Serialize;
use serde_json::Value;

use crate::read::{Memberships, Snapshot, id_of};
use crate::source::{Source, fold};

/// The rules the target follows.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Profile {
    /// AWS IAM Identity Center (the default): users and groups normalized by
    /// `scimkit::aws::IdentityCenter` (unsupported attributes dropped, one email marked
    /// primary), one pathed operation per attribute, the upsert rule of reference rules 62 and
    /// 73 for a user found only by `userName`. These requests are valid RFC 7644 too.
    IdentityCenter(IdentityCenter),
    /// Any RFC 7644 target: resources sent as the source has them, PATCHes as
    /// `scimkit::diff::plan` shapes them (still at most 100 member changes per request), and
    /// a user found only by `userName` adopted when it has no other `externalId`.
    Rfc,
}

impl Default for Profile {
    fn default() -> Self {
        Self::IdentityCenter(IdentityCenter::new())
    }
}

/// A user change.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
#[non_exhaustive]
pub enum UserChange {
    /// `POST /Users` with `body`.
    Create {
        /// The source's `externalId`.
        external_id: String,
        /// The `userName`.
        user_name: String,
        /// The body sent.
        body: Value,
    },
    /// PATCH requests to `/Users/{id}` (never empty).
    Update {
        /// The target's id.
        id: String,
        /// The source's `externalId`.
        external_id: String,
        /// The requests, in order.
        requests: Vec<PatchOp>,
    },
    /// `DELETE /Users/{id}` (planned only with `delete`).
    Delete {
        /// The target's id.
        id: String,
        /// The target's `userName`.
        user_name: String,
    },
}

/// A group change (memberships are [`MembershipChange`]s).
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
#[non_exhaustive]
pub enum GroupChange {
    /// `POST /Groups` with `body` and the first 100 `members` (the rest follow as PATCHes).
    Create {
        /// The `displayName`.
        display_name: String,
        /// The body sent, without members.
        body: Value,
        /// The members, as the source's user externalIds.
        members: Vec<String>,
    },
    /// PATCH requests to `/Groups/{id}` for `displayName` or `externalId`.
    Update {
        /// The target's id.
        id: String,
        /// The source's `displayName`.
        display_name: String,
        /// The requests.
        requests: Vec<PatchOp>,
    },
    /// `DELETE /Groups/{id}` (planned only with `delete`).
    Delete {
        /// The target's id.
        id: String,
        /// The target's `displayName`.
        display_name: String,
    },
}

/// Member changes of one existing group, sent as PATCHes of at most 100 changes each.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct MembershipChange {
    /// The target's group id.
    pub group_id: String,
    /// The group's `displayName`.
    pub display_name: String,
    /// Members to add, as the source's user externalIds (their users may not exist yet).
    pub add: Vec<String>,
    /// Members to remove, as the target's user ids.
    pub remove: Vec<String>,
}

/// Something the plan leaves out, and why.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct Skip {
    /// What (`user e-17`, `member e-17 of Admins`).
    pub what: String,
    /// Why.
    pub reason: String,
}

/// Everything a run will write, in the order it writes: users, groups, memberships
/// (removals included), then group and user deletions.
///
/// Serializable (`--dry-run --report json`) and printable (`Display`: one line per change).
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Plan {
    /// User creates, updates and deletes.
    pub users: Vec<UserChange>,
    /// Group creates, updates and deletes.
    pub groups: Vec<GroupChange>,
    /// Member changes of groups that exist.
    pub memberships: Vec<MembershipChange>,
    /// What was left out.
    pub skipped: Vec<Skip>,
    /// How memberships were learned.
    pub memberships_from: Memberships,
    /// Why the deletions exceed the safety threshold, when they do: the plan is then refused
    /// unless `force` is set.
    pub deletes_blocked: Option<String>,
    /// The first kind past the threshold: (`users`/`groups`, planned, limit).
    #[serde(skip)]
    pub(crate) over_threshold: Option<(&'static str, usize, usize)>,
    /// The target ids of the source's users that exist (externalId to id).
    #[serde(skip)]
    pub(crate) user_ids: HashMap<String, String>,
    /// Target ids the plan updates (a 409 never adopts one of them for another user).
    #[serde(skip)]
    pub(crate) claimed: HashSet<String>,
    /// The target's memberships as learned (group id to user ids), to seed the state file.
    #[serde(skip)]
    pub(crate) known: BTreeMap<String, Vec<String>>,
}

impl Plan {
    /// Whether the plan writes nothing.
    pub fn is_empty(&self) -> bool {
        self.users.is_empty() && self.groups.is_empty() && self.memberships.is_empty()
    }

    /// The number of write requests the plan needs when nothing fails (member changes at most
    /// 100 per request; a group create carries its first 100 members).
    pub fn write_count(&self) -> usize {
        let chunks = |n: usize| n.div_ceil(100);
        let users: usize = self
            .users
            .iter()
            .map(|u| match u {
                UserChange::Update { requests, .. } => requests.len(),
                _ => 1,
            })
            .sum();
        let groups: usize = self
            .groups
            .iter()
            .map(|g| match g {
                GroupChange::Create { members, .. } => {
                    1 + chunks(members.len().saturating_sub(100))
                }
                GroupChange::Update { requests, .. } => requests.len(),
                GroupChange::Delete { .. } => 1,
            })
            .sum();
        let members: usize = self
            .memberships
            .iter()
            .map(|m| chunks(m.add.len() + m.remove.len()))
            .sum();
        users + groups + members
    }
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for u in &self.users {
            match u {
                UserChange::Create {
                    external_id,
                    user_name,
                    ..
                } => {
                    writeln!(f, "create user {user_name} ({external_id})")?;
                }
                UserChange::Update {
                    id,
                    external_id,
                    requests,
                } => {
                    let ops: Vec<String> = requests
                        .iter()
                        .flat_map(|r| &r.operations)
                        .map(|o| format!("{} {}", o.op.as_str(), o.path.as_deref().unwrap_or("")))
                        .collect();
                    writeln!(f, "update user {external_id} ({id}): {}", ops.join(", "))?;
                }
                UserChange::Delete { id, user_name } => {
                    writeln!(f, "delete user {user_name} ({id})")?;
                }
            }
        }
        for g in &self.groups {
            match g {
                GroupChange::Create {
                    display_name,
                    members,
                    ..
                } => {
                    writeln!(
                        f,
                        "create group {display_name} with {} members",
                        members.len()
                    )?;
                }
                GroupChange::Update {
                    id, display_name, ..
                } => {
                    writeln!(f, "update group {display_name} ({id})")?;
                }
                GroupChange::Delete { id, display_name } => {
                    writeln!(f, "delete group {display_name} ({id})")?;
                }
            }
        }
        for m in &self.memberships {
            writeln!(
                f,
                "group {}: add {} members, remove {}",
                m.display_name,
                m.add.len(),
                m.remove.len()
            )?;
        }
        for s in &self.skipped {
            writeln!(f, "skip {}: {}", s.what, s.reason)?;
        }
        if let Some(b) = &self.deletes_blocked {
            writeln!(f, "refused: {b}")?;
        }
        writeln!(f, "{} write requests", self.write_count())
    }
}

/// The rules of a [`Profile`] applied to resources.
pub(crate) struct Rules<'a>(pub(crate) &'a Profile);

fn with_schemas(mut v: Value, core: &str) -> Value {
    if let Value::Object(o) = &mut v {
        let mut schemas = vec![Value::from(core)];
        if o.contains_key(ENTERPRISE_USER_SCHEMA) {
            schemas.push(Value::from(ENTERPRISE_USER_SCHEMA));
        }
        o.insert("schemas".to_owned(), Value::Array(schemas));
    }
    v
}

fn rfc_target() -> Target {
    Target::rfc7644()
}

impl Rules<'_> {
    /// The body of `POST /Users` (`core` is the User schema) or `POST /Groups` (without
    /// members), or why the target would refuse it.
    pub(crate) fn body(&self, resource: &Value, core: &str) -> Result<Value, String> {
        let Profile::IdentityCenter(ic) = self.0 else {
            return Ok(with_schemas(resource.clone(), core));
        };
        let n = if core == USER_SCHEMA {
            ic.normalize_user(resource)
        } else {
            ic.normalize_group(resource)
        };
        if let Some(f) = n.rejections().next() {
            return Err(f.to_string());
        }
        Ok(with_schemas(n.resource, core))
    }

    /// The PATCHes from `current` to `desired`, a user (`core` is the User schema) or a group
    /// (members left out of both).
    pub(crate) fn update(
        &self,
        current: &Value,
        desired: &Value,
        core: &str,
    ) -> Result<Vec<PatchOp>, String> {
        let mut current = current.clone();
        if let (Value::Object(o), true) = (&mut current, core == GROUP_SCHEMA) {
            o.remove("members");
        }
        match self.0 {
            Profile::IdentityCenter(ic) if core == USER_SCHEMA => {
                ic.plan_user(&current, desired).map(|p| p.requests)
            }
            Profile::IdentityCenter(ic) => ic.plan_group(&current, desired).map(|p| p.requests),
            Profile::Rfc => diff_plan(
                &current,
                &with_schemas(desired.clone(), core),
                SchemaRegistry::standard(),
                &rfc_target(),
            ),
        }
        .map_err(|e| e.to_string())
    }

    /// A user found by `userName` only: `Ok(requests)` to adopt it, `Err(reason)` when it is
    /// someone else.
    pub(crate) fn adopt_user(
        &self,
        found: &Value,
        desired: &Value,
    ) -> Result<Vec<PatchOp>, String> {
        match self.0 {
            Profile::IdentityCenter(ic) => {
                match ic.upsert_user(desired, std::slice::from_ref(found)) {
                    Ok(Upsert::Overwrite { plan, .. }) => Ok(plan.requests),
                    Ok(Upsert::Conflict { reason, .. }) => Err(reason),
                    Ok(_) => Err("the user found cannot be adopted".to_owned()),
                    Err(e) => Err(e.to_string()),
                }
            }
            Profile::Rfc => {
                let other = found.get("externalId").and_then(Value::as_str).filter(|e| {
                    !e.is_empty() && Some(*e) != desired.get("externalId").and_then(Value::as_str)
                });
                match other {
                    Some(e) => Err(format!("a user with this userName has externalId `{e}`")),
                    None => self.update(found, desired, USER_SCHEMA),
                }
            }
        }
    }

    /// The membership PATCHes that remove `remove` and add `add` (user ids), at most 100 per
    /// request: the core's plan of a group from `remove` to `add`.
    pub(crate) fn member_requests(
        &self,
        remove: &[String],
        add: &[String],
    ) -> Result<Vec<PatchOp>, String> {
        let members = |ids: &[String]| {
            Value::Array(
                ids.iter()
                    .map(|i| serde_json::json!({"value": i}))
                    .collect(),
            )
        };
        let group = |ids: &[String]| serde_json::json!({"schemas": [GROUP_SCHEMA], "members": members(ids)});
        let requests = |remove: &[String], add: &[String], target: &Target| {
            diff_plan(
                &group(remove),
                &group(add),
                SchemaRegistry::standard(),
                target,
            )
            .map_err(|e| e.to_string())
        };
        match self.0 {
            // `add`/`remove` value lists of at most 100 (rule 49).
            Profile::IdentityCenter(ic) => requests(remove, add, &ic.target()),
            // RFC 7644 removes by filter (`members[value eq "…"]`), one operation each, and
            // adds a value list; 100 changes to a request. Built here rather than diffed: the
            // diff of two partial lists would read "nothing kept" as "replace them all".
            Profile::Rfc => {
                let mut out = Vec::new();
                let (mut r, mut a) = (remove, add);
                while !r.is_empty() || !a.is_empty() {
                    let nr = r.len().min(100);
                    let na = a.len().min(100 - nr);
                    let mut ops: Vec<PatchOperation> = r[..nr]
                        .iter()
                        .map(|id| {
                            PatchOperation::remove(format!(
                                "members[value eq {}]",
                                Value::String(id.clone())
                            ))
                        })
                        .collect();
                    if na > 0 {
                        ops.push(PatchOperation::add("members", members(&a[..na])));
                    }
                    out.push(PatchOp::new(ops));
                    (r, a) = (&r[nr..], &a[na..]);
                }
                Ok(out)
            }
        }
    }
}

/// What a plan may delete.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DeletePolicy {
    pub(crate) delete: bool,
    pub(crate) limit: DeleteLimit,
}

/// The safety threshold on deletions, per kind (users, groups): past it a plan is refused
/// unless forced.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DeleteLimit {
    /// At most this many users, and this many groups.
    Count(usize),
    /// At most this share (0.0–1.0) of the target's users, and of its groups, rounded down.
    Share(f64),
}

impl Default for DeleteLimit {
    /// A tenth of the target: a source that lost a tenth of its people is more likely broken
    /// than real.
    fn default() -> Self {
        Self::Share(0.1)
    }
}

fn text<'v>(v: &'v Value, name: &str) -> Option<&'v str> {
    v.get(name)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// Computes the plan (memberships must already be in `snapshot` for the matched groups).
pub(crate) fn compute(
    source: &Source,
    snapshot: &Snapshot,
    profile: &Profile,
    deletes: DeletePolicy,
    memberships_from: Memberships,
) -> Plan {
    let rules = Rules(profile);
    let mut plan = Plan {
        users: Vec::new(),
        groups: Vec::new(),
        memberships: Vec::new(),
        skipped: Vec::new(),
        memberships_from,
        deletes_blocked: None,
        over_threshold: None,
        user_ids: HashMap::new(),
        claimed: HashSet::new(),
        known: BTreeMap::new(),
    };
    let (user_of, created) = plan_users(source, snapshot, &rules, &mut plan, deletes.delete);
    let groups = plan_groups(
        source,
        snapshot,
        &rules,
        &mut plan,
        &created,
        deletes.delete,
    );
    // Memberships of existing groups: the source's against what was learned.
    for (sg, gid) in groups {
        let known = snapshot.members.get(&gid).cloned().unwrap_or_default();
        let mut desired_ids = HashSet::new();
        let mut add = Vec::new();
        for ext in &sg.members {
            match user_of.get(ext.as_str()) {
                Some(Some(uid)) => {
                    desired_ids.insert(uid.clone());
                    if !known.members.contains(uid) || known.uncertain.contains(uid) {
                        add.push(ext.clone());
                    }
                }
                Some(None) if created.contains(ext.as_str()) => add.push(ext.clone()),
                _ => plan.skipped.push(Skip {
                    what: format!(
                        "member {ext} of {}",
                        text(&sg.body, "displayName").unwrap_or("")
                    ),
                    reason: "the user is skipped".to_owned(),
                }),
            }
        }
        let mut remove: Vec<String> = known
            .members
            .iter()
            .chain(&known.uncertain)
            .filter(|u| !desired_ids.contains(*u))
            .cloned()
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        remove.sort();
        if !add.is_empty() || !remove.is_empty() {
            plan.memberships.push(MembershipChange {
                group_id: gid.clone(),
                display_name: text(&sg.body, "displayName").unwrap_or("").to_owned(),
                add,
                remove,
            });
        }
    }
    for (gid, k) in &snapshot.members {
        let mut m: Vec<String> = k.members.difference(&k.uncertain).cloned().collect();
        m.sort();
        plan.known.insert(gid.clone(), m);
    }
    plan.over_threshold = blocked(&plan, snapshot, deletes);
    plan.deletes_blocked = plan.over_threshold.map(|(kind, n, limit)| {
        format!("{n} {kind} would be deleted; the limit is {limit} (set `force` to go on)")
    });
    plan
}

/// The users' changes; returns, per source externalId, the target id (`None`: to be created
/// or skipped) and the set of externalIds to be created.
fn plan_users<'s>(
    source: &'s Source,
    snapshot: &Snapshot,
    rules: &Rules<'_>,
    plan: &mut Plan,
    deletes: bool,
) -> (HashMap<&'s str, Option<String>>, HashSet<&'s str>) {
    let mut by_ext: HashMap<&str, &Value> = HashMap::new();
    let mut by_name: HashMap<String, &Value> = HashMap::new();
    for u in &snapshot.users {
        if let Some(e) = text(u, "externalId") {
            by_ext.entry(e).or_insert(u);
        }
        if let Some(n) = text(u, "userName") {
            by_name.entry(fold(n)).or_insert(u);
        }
    }
    let mut user_of = HashMap::new();
    let mut created = HashSet::new();
    let mut claimed: HashSet<&str> = HashSet::new();
    // Claims by externalId first, so that a userName match never takes a user another source
    // user owns.
    for u in &source.users {
        if let Some(t) = text(u, "externalId")
            .and_then(|e| by_ext.get(e))
            .and_then(|t| id_of(t))
        {
            claimed.insert(t);
        }
    }
    for u in &source.users {
        let ext = text(u, "externalId").unwrap_or("");
        let name = text(u, "userName").unwrap_or("");
        let skip = |reason: String| Skip {
            what: format!("user {ext}"),
            reason,
        };
        let found = by_ext.get(ext).copied().map(|t| (t, true)).or_else(|| {
            by_name
                .get(&fold(name))
                .copied()
                .filter(|t| id_of(t).is_some_and(|id| !claimed.contains(id)))
                .map(|t| (t, false))
        });
        let Some((t, by_external_id)) = found else {
            match rules.body(u, USER_SCHEMA) {
                Ok(body) => {
                    created.insert(ext);
                    user_of.insert(ext, None);
                    plan.users.push(UserChange::Create {
                        external_id: ext.to_owned(),
                        user_name: name.to_owned(),
                        body,
                    });
                }
                Err(reason) => plan.skipped.push(skip(reason)),
            }
            continue;
        };
        let id = id_of(t).unwrap_or("").to_owned();
        let requests = if by_external_id {
            rules.update(t, u, USER_SCHEMA)
        } else {
            rules.adopt_user(t, u)
        };
        match requests {
            Ok(requests) => {
                claimed.insert(id_of(t).unwrap_or(""));
                plan.claimed.insert(id.clone());
                plan.user_ids.insert(ext.to_owned(), id.clone());
                user_of.insert(ext, Some(id.clone()));
                if !requests.is_empty() {
                    plan.users.push(UserChange::Update {
                        id,
                        external_id: ext.to_owned(),
                        requests,
                    });
                }
            }
            Err(reason) => plan.skipped.push(skip(reason)),
        }
    }
    for t in &snapshot.users {
        if let Some(id) = id_of(t)
            && deletes
            && !claimed.contains(id)
        {
            plan.users.push(UserChange::Delete {
                id: id.to_owned(),
                user_name: text(t, "userName").unwrap_or("").to_owned(),
            });
        }
    }
    (user_of, created)
}

/// The groups' changes; returns the source groups that exist in the target, with their ids.
fn plan_groups<'s>(
    source: &'s Source,
    snapshot: &Snapshot,
    rules: &Rules<'_>,
    plan: &mut Plan,
    created: &HashSet<&str>,
    deletes: bool,
) -> Vec<(&'s crate::source::SourceGroup, String)> {
    let matches = match_groups(source, snapshot);
    let claimed: HashSet<&str> = matches.iter().flatten().filter_map(|t| id_of(t)).collect();
    let mut existing = Vec::new();
    for (g, found) in source.groups.iter().zip(matches) {
        let name = text(&g.body, "displayName").unwrap_or("");
        let skip = |reason: String| Skip {
            what: format!("group {name}"),
            reason,
        };
        match found.and_then(|t| id_of(t).map(|id| (t, id))) {
            None => match rules.body(&g.body, GROUP_SCHEMA) {
                Ok(body) => plan.groups.push(GroupChange::Create {
                    display_name: name.to_owned(),
                    body,
                    members: g
                        .members
                        .iter()
                        .filter(|m| plan.user_ids.contains_key(*m) || created.contains(m.as_str()))
                        .cloned()
                        .collect(),
                }),
                Err(reason) => plan.skipped.push(skip(reason)),
            },
            Some((t, id)) => match rules.update(t, &g.body, GROUP_SCHEMA) {
                Ok(requests) => {
                    if !requests.is_empty() {
                        plan.groups.push(GroupChange::Update {
                            id: id.to_owned(),
                            display_name: name.to_owned(),
                            requests,
                        });
                    }
                    existing.push((g, id.to_owned()));
                }
                Err(reason) => plan.skipped.push(skip(reason)),
            },
        }
    }
    for t in &snapshot.groups {
        if let Some(id) = id_of(t)
            && deletes
            && !claimed.contains(id)
        {
            plan.groups.push(GroupChange::Delete {
                id: id.to_owned(),
                display_name: text(t, "displayName").unwrap_or("").to_owned(),
            });
        }
    }
    existing
}

/// The target group each source group is: by `externalId` when the source group has one,
/// else by `displayName` (case folded) among the groups no externalId claimed.
pub(crate) fn match_groups<'t>(source: &Source, snapshot: &'t Snapshot) -> Vec<Option<&'t Value>> {
    let mut by_ext: HashMap<&str, &Value> = HashMap::new();
    let mut by_name: HashMap<String, &Value> = HashMap::new();
    for g in &snapshot.groups {
        if let Some(e) = text(g, "externalId") {
            by_ext.entry(e).or_insert(g);
        }
        if let Some(n) = text(g, "displayName") {
            by_name.entry(fold(n)).or_insert(g);
        }
    }
    let mut claimed: HashSet<&str> = HashSet::new();
    for g in &source.groups {
        if let Some(t) = text(&g.body, "externalId")
            .and_then(|e| by_ext.get(e))
            .and_then(|t| id_of(t))
        {
            claimed.insert(t);
        }
    }
    let mut out = Vec::with_capacity(source.groups.len());
    for g in &source.groups {
        let by_id = text(&g.body, "externalId").and_then(|e| by_ext.get(e).copied());
        let found = by_id.or_else(|| {
            let t = by_name.get(&fold(text(&g.body, "displayName").unwrap_or("")))?;
            let id = id_of(t)?;
            claimed.insert(id).then_some(*t)
        });
        out.push(found);
    }
    out
}

/// Why the planned deletions exceed the policy's threshold, if they do.
fn blocked(
    plan: &Plan,
    snapshot: &Snapshot,
    policy: DeletePolicy,
) -> Option<(&'static str, usize, usize)> {
    let users = plan
        .users
        .iter()
        .filter(|u| matches!(u, UserChange::Delete { .. }))
        .count();
    let groups = plan
        .groups
        .iter()
        .filter(|g| matches!(g, GroupChange::Delete { .. }))
        .count();
    let check = |kind: &'static str, n: usize, total: usize| {
        let limit = match policy.limit {
            DeleteLimit::Count(c) => c,
            DeleteLimit::Share(s) => (s.clamp(0.0, 1.0) * total as f64).floor() as usize,
        };
        (n > limit).then_some((kind, n, limit))
    };
    check("users", users, snapshot.users.len())
        .or_else(|| check("groups", groups, snapshot.groups.len()))
}
