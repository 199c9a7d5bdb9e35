//! `provider`: creates, replaces, patches and lists over a small generated store, checking
//! that unique attributes stay unique (as the schema compares them), that a failed write
//! leaves the stored resource byte-identical, and that a list answers what evaluating its
//! filter by hand on each resource answers.

use arbitrary::{Result, Unstructured};
use chrono::{TimeZone, Utc};
use serde_json::{Value, json};

use super::{Outcome, bounded_scim, make, patch};
use crate::filter::{Filter, text};
use crate::model::{Op, PatchOp, PatchOperation, SearchRequest};
use crate::provider::{Memberships, Provider};
use crate::schema::Uniqueness;

/// Names equal ignoring case in ways a byte or ASCII comparison gets wrong.
const NAMES: &[&str] = &[
    "bjensen",
    "BJensen",
    "kelvin",
    "\u{212A}elvin",
    "KELVIN",
    "école",
    "ÉCOLE",
    "ops",
    "Ops",
    "",
];

const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";

/// Bytes drive the store's first resources, then up to 12 requests.
pub fn provider(data: &[u8]) -> Outcome {
    let mut u = Unstructured::new(data);
    let p = Provider::new("https://example.com/scim/v2").with_uniqueness(
        "Group",
        "displayName",
        Uniqueness::Server,
    );
    let mut store: Vec<(bool, Value)> = Vec::new();
    let mut next_id = 0;
    for _ in 0..12 {
        match run_step(&p, &mut u, &mut store, &mut next_id) {
            Ok(outcome) => outcome?,
            Err(_) => break,
        }
        unique(&store)?;
    }
    lists(&p, &mut u, &store)
}

fn run_step(
    p: &Provider,
    u: &mut Unstructured<'_>,
    store: &mut Vec<(bool, Value)>,
    next: &mut u32,
) -> Result<Outcome> {
    let now = Utc
        .with_ymd_and_hms(2024, 5, 1, 12, 0, 0)
        .single()
        .unwrap_or_default();
    let step = u.int_in_range(0..=3)?;
    if step == 0 || store.is_empty() {
        let user = u.arbitrary::<bool>()?;
        let body = body(u, user, store)?;
        *next += 1;
        let ty = kind(user);
        let same: Vec<&Value> = store.iter().filter(|s| s.0 == user).map(|s| &s.1).collect();
        if let Ok(r) = p.create(
            ty,
            &body,
            &format!("{}{next}", ty.to_lowercase()),
            now,
            same,
        ) {
            store.push((user, r));
        }
        return Ok(Ok(()));
    }
    let i = u.choose_index(store.len())?;
    let user = store[i].0;
    let ty = kind(user);
    let before = serde_json::to_vec(&store[i].1).unwrap_or_default();
    let others: Vec<Value> = store
        .iter()
        .enumerate()
        .filter(|(j, s)| *j != i && s.0 == user)
        .map(|(_, s)| s.1.clone())
        .collect();
    if step == 1 {
        let body = body(u, user, store)?;
        if let Ok(r) = p.replace(ty, &store[i].1, &body, now, &others) {
            store[i].1 = r;
        }
        return Ok(Ok(()));
    }
    let op = match u.ratio(1, 2)? {
        true => patch::request(u)?,
        false => {
            let name = if user { "userName" } else { "displayName" };
            let value = *u.choose(NAMES)?;
            let op = *u.choose(&[Op::Add, Op::Replace])?;
            PatchOp::new(vec![PatchOperation::new(
                op,
                Some(name.to_owned()),
                Some(json!(value)),
            )])
        }
    };
    let mut r = store[i].1.clone();
    match p.patch(ty, &mut r, &op, now, &others) {
        Ok(_) => store[i].1 = r,
        Err(e) => {
            if let Err(v) = bounded_scim("PATCH error", &e) {
                return Ok(Err(v));
            }
            if serde_json::to_vec(&r).unwrap_or_default() != before {
                return Ok(Err(format!(
                    "PATCH failed with {e} but changed the resource to {r}"
                )));
            }
        }
    }
    Ok(Ok(()))
}

fn kind(user: bool) -> &'static str {
    if user { "User" } else { "Group" }
}

fn body(u: &mut Unstructured<'_>, user: bool, store: &[(bool, Value)]) -> Result<Value> {
    let name = *u.choose(NAMES)?;
    Ok(match user {
        true => json!({"schemas": [USER], "userName": name, "displayName": make::string(u)?}),
        false => {
            let members: Vec<Value> = store
                .iter()
                .filter(|s| s.0)
                .filter_map(|s| s.1.get("id").cloned())
                .map(|id| json!({"value": id}))
                .collect();
            json!({"schemas": [GROUP], "displayName": name, "members": members})
        }
    })
}

/// No two stored resources of a type share a userName (User) or displayName (Group, made
/// unique above), compared ignoring case as their schemas say; `""` counts as unassigned.
fn unique(store: &[(bool, Value)]) -> Outcome {
    for (i, (user, a)) in store.iter().enumerate() {
        let key = if *user { "userName" } else { "displayName" };
        for (other, b) in &store[i + 1..] {
            let (Some(x), Some(y)) = (a[key].as_str(), b[key].as_str()) else {
                continue;
            };
            // `""` is unassigned to the crate (it never matches a filter), so not a key.
            if other == user && !x.is_empty() && text::eq(x, y, false) {
                return Err(format!("two stored resources share {key} {x:?} / {y:?}"));
            }
        }
    }
    Ok(())
}

/// A list over the users (with their groups) and the groups answers the matches a filter
/// evaluated on each resource gives.
fn lists(p: &Provider, u: &mut Unstructured<'_>, store: &[(bool, Value)]) -> Outcome {
    let Ok(filter) = make::filter(u, false) else {
        return Ok(());
    };
    let groups: Vec<&Value> = store.iter().filter(|s| !s.0).map(|s| &s.1).collect();
    let index = Memberships::from_groups(groups);
    let mut request = SearchRequest::new();
    request.filter = Some(filter.to_string());
    let Ok(parsed) = filter.to_string().parse::<Filter>() else {
        return Ok(());
    };
    for user in [true, false] {
        let ty = kind(user);
        let of_type: Vec<&Value> = store.iter().filter(|s| s.0 == user).map(|s| &s.1).collect();
        let all = SearchRequest::new();
        let seen: Vec<Value> = of_type
            .iter()
            .map(|r| p.respond_with(ty, r, &all, &index).unwrap_or(Value::Null))
            .collect();
        // Names resolve in the listed type's schemas, as the provider resolves them.
        let scoped = p
            .schemas()
            .scoped(ty)
            .unwrap_or_else(|| p.schemas().clone());
        let by_hand: std::result::Result<Vec<bool>, _> =
            seen.iter().map(|r| parsed.matches(r, &scoped)).collect();
        match (
            p.list_with(ty, &request, of_type.iter().copied(), &index),
            by_hand,
        ) {
            (Ok(page), Ok(hits)) => {
                let expected = hits.iter().filter(|h| **h).count();
                if page.total_results != expected as u64 {
                    return Err(format!(
                        "{ty}?filter={filter}: {} results, {expected} by hand",
                        page.total_results
                    ));
                }
            }
            (Err(e), Ok(hits)) if !hits.is_empty() => {
                return Err(format!(
                    "{ty}?filter={filter}: {e}, but it evaluates by hand"
                ));
            }
            (Ok(page), Err(e)) if page.total_results > 0 => {
                return Err(format!("{ty}?filter={filter}: listed, but by hand {e}"));
            }
            _ => {}
        }
    }
    Ok(())
}
