//! Which list filters Identity Center answers (reference rules 50–52, 176).

use std::fmt;

use crate::error::ScimError;
use crate::filter::{CompValue, CompareOp, Filter};
use crate::path::AttrPath;
use crate::schema::ENTERPRISE_USER_SCHEMA;

use super::IdentityCenter;

/// The endpoint a filter is sent to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Endpoint {
    /// `GET /Users?filter=…` (rule 50).
    Users,
    /// `GET /Groups?filter=…` (rule 51).
    Groups,
}

/// Why Identity Center cannot answer a filter.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FilterRejection {
    /// `or`, `not`, `pr` or a `[…]` value filter: only `eq` joined by `and` (rule 52).
    Construct(&'static str),
    /// An operator other than `eq` (rule 52).
    Operator(CompareOp),
    /// A value that is not a quoted string (rules 52, 176).
    NotAString,
    /// An attribute, or a combination of attributes, not in the list for the endpoint
    /// (rules 50, 51).
    Attributes(String),
}

impl FilterRejection {
    /// The reference rule that states the limit.
    pub fn rule(&self) -> u16 {
        match self {
            Self::Attributes(_) => 50,
            _ => 52,
        }
    }
}

impl fmt::Display for FilterRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Construct(what) => write!(f, "Identity Center filters do not support {what}"),
            Self::Operator(op) => {
                write!(f, "Identity Center filters support only `eq`, not `{op}`")
            }
            Self::NotAString => f.write_str("Identity Center filter values must be quoted strings"),
            Self::Attributes(a) => write!(f, "Identity Center cannot filter on {a}"),
        }
    }
}

impl std::error::Error for FilterRejection {}

impl From<FilterRejection> for ScimError {
    /// `400 invalidFilter`, before a request is sent (rule 176).
    fn from(r: FilterRejection) -> Self {
        Self::invalid_filter(r.to_string())
    }
}

/// The attribute a leaf filters on, as the canonical names of the lists: `userName`,
/// `externalId`, `id`, `groups.value`, `manager`, `displayName`, `members.value`.
fn canonical(path: &AttrPath) -> Option<&'static str> {
    let enterprise = path
        .urn()
        .is_some_and(|u| u.eq_ignore_ascii_case(ENTERPRISE_USER_SCHEMA));
    let core = path
        .urn()
        .is_none_or(|u| u.to_ascii_lowercase().contains(":core:2.0:"));
    let name = path.name();
    let sub = path.sub_attribute();
    let is = |n: &str| name.eq_ignore_ascii_case(n);
    let sub_is = |s: &str| sub.is_some_and(|x| x.eq_ignore_ascii_case(s));
    if is("manager") && (enterprise || path.urn().is_none()) && (sub.is_none() || sub_is("value")) {
        return Some("manager");
    }
    if !core {
        return None;
    }
    match sub {
        None if is("userName") => Some("userName"),
        None if is("externalId") => Some("externalId"),
        None if is("id") => Some("id"),
        None if is("displayName") => Some("displayName"),
        // `members` and `member` both appear in the documented forms.
        None if is("members") || is("member") => Some("members.value"),
        Some(_) if sub_is("value") && (is("members") || is("member")) => Some("members.value"),
        Some(_) if sub_is("value") && is("groups") => Some("groups.value"),
        _ => None,
    }
}

impl IdentityCenter {
    /// Whether Identity Center can answer `filter` on `endpoint`: only `eq` on a quoted string,
    /// joined only by `and`, over the documented attributes — Users: `userName`, `externalId`,
    /// `groups.value`, `id`, `id and manager`; Groups: `displayName`, `externalId`,
    /// `members.value`, `id`, `id and members` (rules 50–52).
    ///
    /// ```
    /// use scimkit::Filter;
    /// use scimkit::aws::{Endpoint, IdentityCenter};
    ///
    /// let ic = IdentityCenter::new();
    /// let ok: Filter = r#"userName eq "bjensen@example.com""#.parse()?;
    /// assert!(ic.check_filter(&ok, Endpoint::Users).is_ok());
    /// let bad: Filter = r#"userName sw "bj""#.parse()?;
    /// let why = ic.check_filter(&bad, Endpoint::Users).unwrap_err();
    /// assert_eq!(why.rule(), 52);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn check_filter(&self, filter: &Filter, endpoint: Endpoint) -> Result<(), FilterRejection> {
        let mut leaves = Vec::new();
        collect(filter, &mut leaves)?;
        let mut names: Vec<&str> = leaves
            .iter()
            .map(|p| canonical(p).ok_or_else(|| FilterRejection::Attributes(format!("`{p}`"))))
            .collect::<Result<_, _>>()?;
        names.sort_unstable();
        let allowed: &[&[&str]] = match endpoint {
            Endpoint::Users => &[
                &["userName"],
                &["externalId"],
                &["groups.value"],
                &["id"],
                &["id", "manager"],
            ],
            Endpoint::Groups => &[
                &["displayName"],
                &["externalId"],
                &["members.value"],
                &["id"],
                &["id", "members.value"],
            ],
        };
        if allowed.contains(&names.as_slice()) {
            Ok(())
        } else {
            Err(FilterRejection::Attributes(format!(
                "`{}` on this endpoint",
                names.join(" and ")
            )))
        }
    }
}

/// The attribute paths of an `and` chain of `eq` comparisons on strings.
fn collect<'f>(filter: &'f Filter, out: &mut Vec<&'f AttrPath>) -> Result<(), FilterRejection> {
    // An `and` chain nests only through its left or right operand; walk it without recursion
    // so a hostile filter cannot exhaust the stack.
    let mut stack = vec![filter];
    while let Some(f) = stack.pop() {
        match f {
            Filter::And(a, b) => {
                stack.push(b);
                stack.push(a);
            }
            Filter::Compare(path, CompareOp::Eq, CompValue::String(_)) => out.push(path),
            Filter::Compare(_, CompareOp::Eq, _) => return Err(FilterRejection::NotAString),
            Filter::Compare(_, op, _) => return Err(FilterRejection::Operator(*op)),
            Filter::Or(..) => return Err(FilterRejection::Construct("`or`")),
            Filter::Not(_) => return Err(FilterRejection::Construct("`not`")),
            Filter::Present(_) => return Err(FilterRejection::Construct("`pr`")),
            Filter::ValuePath(..) => return Err(FilterRejection::Construct("value filters `[…]`")),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(filter: &str, endpoint: Endpoint) -> Result<(), FilterRejection> {
        let f: Filter = filter.parse().unwrap();
        IdentityCenter::new().check_filter(&f, endpoint)
    }

    #[test]
    fn rule_50_user_filters() {
        for ok in [
            r#"userName eq "b@example.com""#,
            r#"USERNAME eq "b""#,
            r#"externalId eq "x""#,
            r#"groups.value eq "g-1""#,
            r#"id eq "u-1" and manager eq "m-1""#,
            r#"manager eq "m-1" and id eq "u-1""#,
            r#"id eq "u-1" and urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "m""#,
        ] {
            assert_eq!(check(ok, Endpoint::Users), Ok(()), "{ok}");
        }
        for bad in [
            r#"displayName eq "B""#,
            r#"emails.value eq "b@x""#,
            r#"userName eq "a" and externalId eq "b""#,
            r#"members.value eq "u""#,
        ] {
            let why = check(bad, Endpoint::Users).unwrap_err();
            assert_eq!(why.rule(), 50, "{bad}");
        }
    }

    #[test]
    fn rule_51_group_filters() {
        for ok in [
            r#"displayName eq "Ops""#,
            r#"externalId eq "x""#,
            r#"members.value eq "u-1""#,
            r#"id eq "g-1" and members eq "u-1""#,
            r#"member eq "u-1" and id eq "g-1""#,
        ] {
            assert_eq!(check(ok, Endpoint::Groups), Ok(()), "{ok}");
        }
        assert!(check(r#"userName eq "b""#, Endpoint::Groups).is_err());
    }

    #[test]
    fn rule_52_only_eq_on_strings_joined_by_and() {
        let cases = [
            (
                r#"userName ne "b""#,
                FilterRejection::Operator(CompareOp::Ne),
            ),
            (
                r#"userName co "b""#,
                FilterRejection::Operator(CompareOp::Co),
            ),
            (
                r#"userName eq "a" or userName eq "b""#,
                FilterRejection::Construct("`or`"),
            ),
            (
                r#"not (userName eq "a")"#,
                FilterRejection::Construct("`not`"),
            ),
            ("userName pr", FilterRejection::Construct("`pr`")),
            (
                r#"emails[value eq "a"]"#,
                FilterRejection::Construct("value filters `[…]`"),
            ),
            ("externalId eq 42", FilterRejection::NotAString),
            ("externalId eq null", FilterRejection::NotAString),
        ];
        for (filter, want) in cases {
            assert_eq!(check(filter, Endpoint::Users), Err(want), "{filter}");
        }
        let err: ScimError = check("userName pr", Endpoint::Users).unwrap_err().into();
        assert_eq!(err.scim_type, Some(crate::ScimType::InvalidFilter));
    }
}
