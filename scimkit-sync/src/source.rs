//! [`Source`]: the directory to provision, from `users.jsonl` and `groups.jsonl` or from values
//! in memory, checked before anything is sent.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::Error;

/// Users and groups as the directory has them, checked.
///
/// - Every user is a JSON object with a non-empty string `externalId` and `userName`;
///   `externalId`s are unique (compared exactly: `caseExact`), and so are `userName`s, compared
///   as the schema compares them (`caseExact: false`, case folded).
/// - Every group has a non-empty `displayName`, unique when case is folded; an `externalId`,
///   when present, is unique too and lets a group be renamed in place.
/// - A group's `members` are `{"value": "<a user's externalId>"}`. A member naming no user of
///   the source is an error (with its file and line), not a silent skip: a typo would
///   otherwise remove someone from a group. A member listed twice counts once.
#[derive(Debug, Clone, Default)]
pub struct Source {
    pub(crate) users: Vec<Value>,
    pub(crate) groups: Vec<SourceGroup>,
}

/// A group of the source: its body without `members`, and the members' externalIds.
#[derive(Debug, Clone)]
pub(crate) struct SourceGroup {
    pub(crate) body: Value,
    pub(crate) members: Vec<String>,
}

/// Where a value came from, for error messages.
struct Origin<'a> {
    path: &'a Path,
    line: usize,
}

impl Origin<'_> {
    fn error(&self, message: impl Into<String>) -> Error {
        Error::Source {
            path: self.path.to_owned(),
            line: self.line,
            message: message.into(),
        }
    }
}

/// `caseExact: false` comparison: every char lowercased, as the core's evaluator folds.
pub(crate) fn fold(s: &str) -> String {
    s.chars().flat_map(char::to_lowercase).collect()
}

impl Source {
    /// Reads `dir/users.jsonl` and `dir/groups.jsonl`: one JSON object per line, blank lines
    /// skipped. Both files must exist (an empty file is an empty list), so that a missing
    /// file is never read as "delete every group".
    pub fn read_dir(dir: impl AsRef<Path>) -> Result<Self, Error> {
        let dir = dir.as_ref();
        let users = read_lines(&dir.join("users.jsonl"))?;
        let groups = read_lines(&dir.join("groups.jsonl"))?;
        Self::build(users, groups)
    }

    /// A source from values in memory (users, then groups), checked as [`read_dir`](Self::read_dir)
    /// checks files; errors name `<users>` or `<groups>` and the index from 1.
    ///
    /// ```
    /// use scimkit_sync::Source;
    /// use serde_json::json;
    ///
    /// let source = Source::from_values(
    ///     vec![json!({"externalId": "e1", "userName": "ada@example.com",
    ///         "displayName": "Ada", "name": {"givenName": "Ada", "familyName": "L"}})],
    ///     vec![json!({"displayName": "Engineers", "members": [{"value": "e1"}]})],
    /// )?;
    /// assert_eq!((source.user_count(), source.group_count(), source.membership_count()), (1, 1, 1));
    ///
    /// let err = Source::from_values(vec![], vec![json!({"displayName": "G", "members": [{"value": "nobody"}]})]);
    /// assert_eq!(err.unwrap_err().to_string(), "<groups>:1: member `nobody` is no user's externalId");
    /// # Ok::<(), scimkit_sync::Error>(())
    /// ```
    pub fn from_values(users: Vec<Value>, groups: Vec<Value>) -> Result<Self, Error> {
        let number = |p: &'static str, v: Vec<Value>| {
            v.into_iter()
                .enumerate()
                .map(|(i, v)| (PathBuf::from(p), i + 1, v))
                .collect()
        };
        Self::build(number("<users>", users), number("<groups>", groups))
    }

    /// The number of users.
    pub fn user_count(&self) -> usize {
        self.users.len()
    }

    /// The number of groups.
    pub fn group_count(&self) -> usize {
        self.groups.len()
    }

    /// The number of (group, member) pairs.
    pub fn membership_count(&self) -> usize {
        self.groups.iter().map(|g| g.members.len()).sum()
    }

    fn build(
        users: Vec<(PathBuf, usize, Value)>,
        groups: Vec<(PathBuf, usize, Value)>,
    ) -> Result<Self, Error> {
        let mut external_ids = HashSet::new();
        let mut user_names: HashMap<String, String> = HashMap::new();
        let mut out = Self::default();
        for (path, line, user) in users {
            let at = Origin { path: &path, line };
            let obj = user
                .as_object()
                .ok_or_else(|| at.error("a user must be a JSON object"))?;
            let text = |name: &str| {
                obj.get(name)
                    .and_then(Value::as_str)
                    .filter(|s| !s.trim().is_empty())
                    .ok_or_else(|| at.error(format!("a user needs a non-empty string `{name}`")))
            };
            let external_id = text("externalId")?;
            let user_name = text("userName")?;
            if !external_ids.insert(external_id.to_owned()) {
                return Err(at.error(format!("duplicate externalId `{external_id}`")));
            }
            if let Some(first) = user_names.insert(fold(user_name), user_name.to_owned()) {
                return Err(at.error(format!(
                    "duplicate userName `{user_name}` (same as `{first}` when case is ignored)"
                )));
            }
            out.users.push(user);
        }
        let mut names = HashSet::new();
        let mut group_ids = HashSet::new();
        for (path, line, mut group) in groups {
            let at = Origin { path: &path, line };
            let obj = group
                .as_object_mut()
                .ok_or_else(|| at.error("a group must be a JSON object"))?;
            let name = obj
                .get("displayName")
                .and_then(Value::as_str)
                .filter(|s| !s.trim().is_empty())
                .ok_or_else(|| at.error("a group needs a non-empty string `displayName`"))?;
            if !names.insert(fold(name)) {
                return Err(at.error(format!("duplicate group displayName `{name}`")));
            }
            match obj.get("externalId") {
                None | Some(Value::Null) => {}
                Some(Value::String(id)) if !id.is_empty() => {
                    if !group_ids.insert(id.clone()) {
                        return Err(at.error(format!("duplicate group externalId `{id}`")));
                    }
                }
                Some(_) => {
                    return Err(at.error("a group's `externalId` must be a non-empty string"));
                }
            }
            let mut members = Vec::new();
            let mut seen = HashSet::new();
            match obj.remove("members") {
                None | Some(Value::Null) => {}
                Some(Value::Array(list)) => {
                    for m in list {
                        let value = m.get("value").and_then(Value::as_str).ok_or_else(|| {
                            at.error("a member must be {\"value\": \"<externalId>\"}")
                        })?;
                        if !external_ids.contains(value) {
                            return Err(
                                at.error(format!("member `{value}` is no user's externalId"))
                            );
                        }
                        if seen.insert(value.to_owned()) {
                            members.push(value.to_owned());
                        }
                    }
                }
                Some(_) => return Err(at.error("`members` must be a list")),
            }
            out.groups.push(SourceGroup {
                body: group,
                members,
            });
        }
        Ok(out)
    }
}

fn read_lines(path: &Path) -> Result<Vec<(PathBuf, usize, Value)>, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_owned(),
        source,
    })?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v = serde_json::from_str(line).map_err(|e| Error::Source {
            path: path.to_owned(),
            line: i + 1,
            message: format!("not JSON: {e}"),
        })?;
        out.push((path.to_owned(), i + 1, v));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn user(ext: &str, name: &str) -> Value {
        json!({"externalId": ext, "userName": name})
    }

    #[test]
    fn errors_name_the_line() {
        let e = |users: Vec<Value>, groups: Vec<Value>| {
            Source::from_values(users, groups).unwrap_err().to_string()
        };
        assert_eq!(
            e(vec![user("a", "x"), user("a", "y")], vec![]),
            "<users>:2: duplicate externalId `a`"
        );
        assert_eq!(
            e(vec![user("a", "Ada"), user("b", "ADA")], vec![]),
            "<users>:2: duplicate userName `ADA` (same as `Ada` when case is ignored)"
        );
        assert_eq!(
            e(vec![json!({"userName": "x"})], vec![]),
            "<users>:1: a user needs a non-empty string `externalId`"
        );
        assert_eq!(
            e(
                vec![],
                vec![json!({"displayName": "G"}), json!({"displayName": "g"})]
            ),
            "<groups>:2: duplicate group displayName `g`"
        );
    }

    #[test]
    fn files() {
        let dir = std::env::temp_dir().join(format!("scimkit-sync-src-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("users.jsonl"),
            "{\"externalId\":\"a\",\"userName\":\"a\"}\n\nnope\n",
        )
        .unwrap();
        std::fs::write(dir.join("groups.jsonl"), "").unwrap();
        let err = Source::read_dir(&dir).unwrap_err().to_string();
        assert!(
            err.ends_with("users.jsonl:3: not JSON: expected ident at line 1 column 2"),
            "{err}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
        let missing = Source::read_dir(&dir).unwrap_err().to_string();
        assert!(missing.contains("users.jsonl"), "{missing}");
    }

    #[test]
    fn members_dedup() {
        let s = Source::from_values(
            vec![user("a", "a")],
            vec![json!({"displayName": "G", "members": [{"value": "a"}, {"value": "a"}]})],
        )
        .unwrap();
        assert_eq!(s.membership_count(), 1);
        assert!(s.groups[0].body.get("members").is_none());
    }
}
