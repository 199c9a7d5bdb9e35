//! Group memberships as rows of `scim_members`.

use serde_json::Value;

/// One row of `scim_members`: a member of a group (the tenant and the group's id are the
/// caller's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRow {
    /// The member's id (`members[].value`).
    pub member_id: String,
    /// `members[].type` (`User` or `Group`), when given.
    pub member_type: Option<String>,
    /// `members[].display`, when given.
    pub display: Option<String>,
}

/// The membership rows of a group: one per member with a string `value`, first occurrence of
/// each id kept.
///
/// ```
/// use scimkit::sql::member_rows;
/// use serde_json::json;
///
/// let group = json!({"displayName": "Tour Guides",
///                    "members": [{"value": "2819c223", "type": "User"}, {"value": "2819c223"}]});
/// let rows = member_rows(&group);
/// assert_eq!(rows.len(), 1);
/// assert_eq!(rows[0].member_type.as_deref(), Some("User"));
/// ```
pub fn member_rows(group: &Value) -> Vec<MemberRow> {
    let mut out: Vec<MemberRow> = Vec::new();
    let Some(Value::Array(members)) = group
        .as_object()
        .and_then(|g| g.iter().find(|(k, _)| k.eq_ignore_ascii_case("members")))
        .map(|(_, v)| v)
    else {
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
        out.push(MemberRow {
            member_id: id,
            member_type: text(m, "type"),
            display: text(m, "display"),
        });
    }
    out
}
