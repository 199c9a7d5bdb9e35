//! Reading the target: every user and group, paged by cursor (RFC 9865 and Identity Center's
//! shape) or by index, and the memberships of the groups the plan needs, listed, taken from
//! the state file, or probed.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::task::JoinSet;

use crate::Error;
use crate::client::{Client, Kind, encode, eq_filter};
use crate::state::State;

/// The largest page Identity Center serves (its `count` runs 1–100).
const PAGE: usize = 100;

/// Where memberships come from when the target's group lists carry none.
///
/// Identity Center returns every group with an empty `members` list (reference rule 45), so a
/// sync must learn them some other way. The figures in the README compare the costs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Memberships {
    /// The default: the listed `members` when any group listed has one; else the state file
    /// when there is one for this target; groups it does not know, or every group when there
    /// is no state file, are probed with [`ProbeGroups`](Self::ProbeGroups).
    #[default]
    Auto,
    /// The `members` of the groups as listed (an RFC 7644 target).
    Listed,
    /// The state file only (groups it does not know are probed as under `Auto`).
    State,
    /// One `GET /Groups?filter=members eq "<user id>"` per target user (all the groups of a
    /// user; 404 means none, as Identity Center answers for a user in no group).
    ProbeUsers,
    /// One `GET /Users?filter=groups.value eq "<group id>"` per group the plan needs, paged
    /// (Identity Center's ListUsers filter, rule 50); when the target refuses that filter,
    /// [`ProbeUsers`](Self::ProbeUsers).
    ProbeGroups,
}

/// What the target holds, as the plan needs it.
#[derive(Debug, Default)]
pub(crate) struct Snapshot {
    pub(crate) users: Vec<Value>,
    pub(crate) groups: Vec<Value>,
    /// Per group id: the member user ids, and the pairs that are uncertain (pending in the
    /// state file of a run that did not finish).
    pub(crate) members: HashMap<String, Known>,
}

/// A group's members as learned.
#[derive(Debug, Default, Clone)]
pub(crate) struct Known {
    pub(crate) members: HashSet<String>,
    pub(crate) uncertain: HashSet<String>,
}

/// The result of a list request.
enum Listing {
    Items(Vec<Value>),
    /// 404: Identity Center's answer to a filter on a member that does not exist.
    NotFound,
    /// 400 on the first page: the filter (or the cursor) is not supported.
    Refused,
}

/// Every resource at `endpoint` (`Users`, `Groups`) matching `filter`.
///
/// The first request sends `cursor` empty with `count=100`, and `nextCursor` is followed. An
/// answer without `nextCursor` whose `totalResults` says more follow (a server that ignored
/// the cursor) is continued by `startIndex`; a 400 to the first request is retried once by
/// index, without the cursor.
async fn list(client: &Client, endpoint: &str, filter: Option<&str>) -> Result<Listing, Error> {
    let filter_q = filter.map_or_else(String::new, |f| format!("&filter={}", encode(f)));
    let mut items = Vec::new();
    let mut query = format!("?cursor=&count={PAGE}{filter_q}");
    let mut by_index = false;
    let mut seen_cursors = HashSet::new();
    let mut seen_ids: HashSet<String> = HashSet::new();
    loop {
        let path = format!("/{endpoint}{query}");
        let a = client.send(Kind::Read, Method::GET, &path, None).await?;
        let fail = |message: String| Error::Target {
            method: "GET".to_owned(),
            path: path.clone(),
            status: Some(a.status),
            message,
        };
        match a.status {
            404 if filter.is_some() => return Ok(Listing::NotFound),
            400 if items.is_empty()
                && !by_index
                && filter.is_some()
                && query.contains("cursor=&") =>
            {
                // Either the filter or the cursor is refused: try by index once to tell.
                by_index = true;
                query = format!("?startIndex=1&count={PAGE}{filter_q}");
                continue;
            }
            400 if items.is_empty() && filter.is_some() => return Ok(Listing::Refused),
            400 if items.is_empty() && !by_index => {
                by_index = true;
                query = format!("?startIndex=1&count={PAGE}");
                continue;
            }
            s if !(200..300).contains(&s) => return Err(fail(a.detail())),
            _ => {}
        }
        let page = match a.body.get("Resources") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(r)) => r.clone(),
            Some(_) => return Err(fail("`Resources` is not a list".to_owned())),
        };
        let got = page.len();
        for r in &page {
            // A server that ignores `startIndex` answers the first page again.
            if let Some(id) = id_of(r)
                && !seen_ids.insert(id.to_owned())
                && by_index
            {
                return Err(fail("the target ignores `startIndex`".to_owned()));
            }
        }
        items.extend(page);
        if let Some(next) = a
            .body
            .get("nextCursor")
            .and_then(Value::as_str)
            .filter(|c| !c.is_empty())
        {
            if !seen_cursors.insert(next.to_owned()) {
                return Err(fail("the target repeated a cursor".to_owned()));
            }
            query = format!("?cursor={}&count={PAGE}{filter_q}", encode(next));
            continue;
        }
        let total = a.body.get("totalResults").and_then(Value::as_u64);
        match total {
            Some(t) if got > 0 && (items.len() as u64) < t => {
                by_index = true;
                query = format!("?startIndex={}&count={PAGE}{filter_q}", items.len() + 1);
            }
            _ => return Ok(Listing::Items(items)),
        }
    }
}

/// Every resource at `endpoint`; a refusal or 404 is an error here.
pub(crate) async fn list_all(client: &Client, endpoint: &str) -> Result<Vec<Value>, Error> {
    match list(client, endpoint, None).await? {
        Listing::Items(v) => Ok(v),
        Listing::NotFound | Listing::Refused => Err(Error::Target {
            method: "GET".to_owned(),
            path: format!("/{endpoint}"),
            status: None,
            message: "the target refused to list".to_owned(),
        }),
    }
}

/// The first resource at `endpoint` matching `attr eq "value"`.
pub(crate) async fn find(
    client: &Client,
    endpoint: &str,
    attr: &str,
    value: &str,
) -> Result<Option<Value>, Error> {
    let f = eq_filter(attr, value);
    Ok(match list(client, endpoint, Some(&f)).await? {
        Listing::Items(mut v) if !v.is_empty() => Some(v.swap_remove(0)),
        _ => None,
    })
}

pub(crate) fn id_of(v: &Value) -> Option<&str> {
    v.get("id").and_then(Value::as_str)
}

fn member_ids(group: &Value) -> HashSet<String> {
    group
        .get("members")
        .and_then(Value::as_array)
        .map(|m| {
            m.iter()
                .filter_map(|x| x.get("value").and_then(Value::as_str).map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// The memberships of the groups in `needed` (ids), by `mode`. Returns the method used.
pub(crate) async fn learn_members(
    client: &Arc<Client>,
    snapshot: &mut Snapshot,
    needed: &HashSet<String>,
    mode: Memberships,
    state: Option<&State>,
) -> Result<Memberships, Error> {
    let listed = snapshot.groups.iter().any(|g| !member_ids(g).is_empty());
    let user_ids: HashSet<&str> = snapshot.users.iter().filter_map(id_of).collect();
    if mode == Memberships::Listed || (mode == Memberships::Auto && listed) {
        for g in &snapshot.groups {
            if let Some(id) = id_of(g) {
                let members = member_ids(g);
                snapshot.members.insert(
                    id.to_owned(),
                    Known {
                        members,
                        uncertain: HashSet::new(),
                    },
                );
            }
        }
        return Ok(Memberships::Listed);
    }
    let mut unknown: Vec<String> = needed.iter().cloned().collect();
    unknown.sort();
    let mut used = Memberships::ProbeGroups;
    if let (Memberships::Auto | Memberships::State, Some(state)) = (mode, state) {
        used = Memberships::State;
        unknown.retain(|gid| match state.groups.get(gid) {
            Some(g) => {
                let keep = |u: &&String| user_ids.contains(u.as_str());
                snapshot.members.insert(
                    gid.clone(),
                    Known {
                        members: g.members.iter().filter(keep).cloned().collect(),
                        uncertain: g.pending.iter().filter(keep).cloned().collect(),
                    },
                );
                false
            }
            None => true,
        });
    }
    if unknown.is_empty() {
        return Ok(used);
    }
    if mode != Memberships::ProbeUsers
        && let Some(found) = probe_groups(client, &unknown).await?
    {
        snapshot.members.extend(found);
        return Ok(if used == Memberships::State {
            used
        } else {
            Memberships::ProbeGroups
        });
    }
    let ids: Vec<String> = user_ids.iter().map(|s| (*s).to_owned()).collect();
    let by_user = probe_users(client, &ids).await?;
    for gid in unknown {
        let members = by_user
            .iter()
            .filter(|(_, groups)| groups.contains(&gid))
            .map(|(u, _)| u.clone())
            .collect();
        snapshot.members.insert(
            gid,
            Known {
                members,
                uncertain: HashSet::new(),
            },
        );
    }
    Ok(if used == Memberships::State {
        used
    } else {
        Memberships::ProbeUsers
    })
}

/// `GET /{endpoint}?filter={attr} eq "<id>"` for each id, concurrently: per id, the ids of
/// what was found (404: none); `None` when the target refuses the filter.
async fn probe(
    client: &Arc<Client>,
    ids: &[String],
    endpoint: &'static str,
    attr: &'static str,
) -> Result<Option<HashMap<String, HashSet<String>>>, Error> {
    let mut tasks = JoinSet::new();
    for id in ids {
        let (client, id) = (Arc::clone(client), id.clone());
        tasks.spawn(async move {
            let r = list(&client, endpoint, Some(&eq_filter(attr, &id))).await;
            (id, r)
        });
    }
    let mut out = HashMap::new();
    while let Some(joined) = tasks.join_next().await {
        let (id, r) = joined.map_err(join_error)?;
        let found = match r? {
            Listing::Items(items) => items.iter().filter_map(id_of).map(str::to_owned).collect(),
            Listing::NotFound => HashSet::new(),
            Listing::Refused => return Ok(None),
        };
        out.insert(id, found);
    }
    Ok(Some(out))
}

/// `groups.value eq` per group: each group's members.
async fn probe_groups(
    client: &Arc<Client>,
    groups: &[String],
) -> Result<Option<HashMap<String, Known>>, Error> {
    let found = probe(client, groups, "Users", "groups.value").await?;
    Ok(found.map(|f| {
        f.into_iter()
            .map(|(gid, members)| {
                let known = Known {
                    members,
                    uncertain: HashSet::new(),
                };
                (gid, known)
            })
            .collect()
    }))
}

/// `members eq` per user: each user's group ids.
async fn probe_users(
    client: &Arc<Client>,
    users: &[String],
) -> Result<HashMap<String, HashSet<String>>, Error> {
    probe(client, users, "Groups", "members")
        .await?
        .ok_or_else(|| Error::Target {
            method: "GET".to_owned(),
            path: "/Groups?filter=members eq …".to_owned(),
            status: Some(400),
            message: "the target refuses member filters: memberships cannot be read".to_owned(),
        })
}

pub(crate) fn join_error(e: tokio::task::JoinError) -> Error {
    Error::Target {
        method: String::new(),
        path: String::new(),
        status: None,
        message: format!("a request task ended: {e}"),
    }
}
