//! `members` of a Group and a User's readOnly `groups`, read from `scim_members` rather than
//! from the documents: subqueries shaped like `scim_index` rows (`id`, `elem`, `kind` and the
//! keys), so the translator's conditions apply to them unchanged.

use super::builder::Sql;
use super::index::kind;
use super::keys::{Tag, path_key};

/// Which side of a membership a path reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Side {
    /// A Group's `members`: one element per member row (`elem` is the member's id).
    Members,
    /// A User's `groups`: one element per group listing the user (`elem` is the group's id).
    Groups,
}

impl Side {
    /// The side `name` (a top-level core attribute) reads for resources of `rtype`, if any.
    pub(super) fn of(rtype: &str, member: Option<&str>, name: &str) -> Option<Self> {
        if member.is_some() {
            return None;
        }
        match rtype {
            "Group" if name.eq_ignore_ascii_case("members") => Some(Self::Members),
            "User" if name.eq_ignore_ascii_case("groups") => Some(Self::Groups),
            _ => None,
        }
    }

    /// Rows with the index's columns for the values at `sub` of each element (`None`: the
    /// elements themselves, objects with an assigned `value`).
    pub(super) fn rows(self, sql: &mut Sql, sub: Option<&str>) -> String {
        let t = sql.tenant();
        let (id, elem) = match self {
            Self::Members => ("m.group_id", "m.member_id"),
            Self::Groups => ("m.member_id", "m.group_id"),
        };
        let sub = sub.map(str::to_ascii_lowercase);
        let (kind, fold, exact, from) = match (self, sub.as_deref()) {
            (_, None) => (
                kind::OBJECT.to_string(),
                NULL_TEXT,
                NULL_TEXT,
                String::new(),
            ),
            (Self::Members, Some("value")) => {
                ("0".into(), "m.member_fold", "m.member_id", String::new())
            }
            (Self::Members, Some("type")) => (
                "0".into(),
                "m.type_fold",
                "m.member_type",
                " AND m.member_type <> ''".into(),
            ),
            (Self::Members, Some("display")) => (
                "0".into(),
                "m.display_fold",
                "m.display",
                " AND m.display <> ''".into(),
            ),
            (Self::Groups, Some("value")) => {
                ("0".into(), "m.group_fold", "m.group_id", String::new())
            }
            (Self::Groups, Some("display")) => {
                // The group's `displayName`, from its own index rows.
                let (g, p) = (
                    sql.text("Group"),
                    sql.text(&path_key(None, &["displayName"], Tag::Values)),
                );
                return format!(
                    "SELECT {id} AS id, {elem} AS elem, d.kind, d.fold, d.exact, d.num, \
                     d.num_int, d.instant, d.bool_value FROM scim_members m JOIN scim_index d \
                     ON d.tenant = m.tenant AND d.rtype = {g} AND d.id = m.group_id AND \
                     d.path = {p} WHERE m.tenant = {t}"
                );
            }
            // Sub-attributes the rows do not keep: never assigned.
            _ => return format!("{} AND 1 = 0", self.rows(sql, None)),
        };
        let present = match fold {
            NULL_TEXT => String::new(),
            _ => format!(" AND {exact} IS NOT NULL{from}"),
        };
        format!(
            "SELECT {id} AS id, {elem} AS elem, {kind} AS kind, {fold} AS fold, {exact} AS exact, \
             {NULL_REAL} AS num, {NULL_TEXT} AS num_int, {NULL_TEXT} AS instant, \
             {NULL_BOOL} AS bool_value FROM scim_members m WHERE m.tenant = {t}{present}"
        )
    }
}

// Typed NULLs: PostgreSQL resolves an untyped NULL column of a subquery as text.
const NULL_TEXT: &str = "CAST(NULL AS TEXT)";
const NULL_REAL: &str = "CAST(NULL AS DOUBLE PRECISION)";
const NULL_BOOL: &str = "CAST(NULL AS BOOLEAN)";
