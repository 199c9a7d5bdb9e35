//! Group memberships as rows of `scim_members`.

use serde_json::Value;

use super::keys::fold;

/// One row of `scim_members`: a member of a group (the tenant is the caller's). The `*_fold`
/// fields are the texts folded as the evaluator folds them for `caseExact: false`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MemberRow {
    /// The group's id.
    pub group_id: String,
    /// The group's id, folded (a user's `groups.value`).
    pub group_fold: String,
    /// The member's id (`members[].value`).
    pub member_id: String,
    /// The member's id, folded.
    pub member_fold: String,
    /// `members[].type` (`User` or `Group`), when given.
    pub member_type: Option<String>,
    /// `members[].type`, folded.
    pub type_fold: Option<String>,
    /// `members[].display`, when given.
    pub display: Option<String>,
    /// `members[].display`, folded.
    pub display_fold: Option<String>,
}

/// The membership rows of a group (its `id` and `members`): one per member with a non-empty
/// string `value`, the first occurrence of each id kept. A service stores them instead of the
/// `members` attribute ([`take_members`] removes it), so adding a member is one row.
///
/// ```
/// use scimkit::sql::member_rows;
/// use serde_json::json;
///
/// let group = json!({"id": "e9e30dba", "displayName": "Tour Guides",
///                    "members": [{"value": "2819C223", "type": "User"}, {"value": "2819C223"}]});
/// let rows = member_rows(&group);
/// assert_eq!(rows.len(), 1);
/// assert_eq!((rows[0].group_id.as_str(), rows[0].member_fold.as_str()), ("e9e30dba", "2819c223"));
/// assert_eq!(rows[0].member_type.as_deref(), Some("User"));
/// ```
pub fn member_rows(group: &Value) -> Vec<MemberRow> {
    let mut out: Vec<MemberRow> = Vec::new();
    let Some(g) = group.as_object() else {
        return out;
    };
    let get = |name: &str| g.iter().find(|(k, _)| k.eq_ignore_ascii_case(name));
    let group_id = get("id").and_then(|(_, v)| v.as_str()).unwrap_or_default();
    let Some((_, Value::Array(members))) = get("members") else {
        return out;
    };
    let text = |m: &Value, name: &str| {
        m.as_object()?
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .and_then(|(_, v)| v.as_str())
            .map(str::to_owned)
    };
    for m in members {
        let Some(id) = text(m, "value").filter(|v| !v.is_empty()) else {
            continue;
        };
        if out.iter().any(|r| r.member_id == id) {
            continue;
        }
        let (member_type, display) = (text(m, "type"), text(m, "display"));
        out.push(MemberRow {
            group_id: group_id.to_owned(),
            group_fold: fold(group_id),
            member_fold: fold(&id),
            member_id: id,
            type_fold: member_type.as_deref().map(fold),
            member_type,
            display_fold: display.as_deref().map(fold),
            display,
        });
    }
    out
}

/// [`member_rows`], taking the `members` attribute out of the group's document, which is then
/// stored without it.
///
/// ```
/// use scimkit::sql::take_members;
/// use serde_json::json;
///
/// let mut group = json!({"id": "g1", "displayName": "Admins", "members": [{"value": "u1"}]});
/// let rows = take_members(&mut group);
/// assert_eq!(rows.len(), 1);
/// assert_eq!(group, json!({"id": "g1", "displayName": "Admins"}));
/// ```
pub fn take_members(group: &mut Value) -> Vec<MemberRow> {
    let rows = member_rows(group);
    if let Some(g) = group.as_object_mut() {
        g.retain(|k, _| !k.eq_ignore_ascii_case("members"));
    }
    rows
}
