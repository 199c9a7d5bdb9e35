//! `meta` upkeep and entity tags (RFC 7643 §3.1, RFC 7644 §3.14).

use std::io::{self, Write as _};

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::error::ScimError;
use crate::model::Meta;

/// FNV-1a, 64 bits: a stable hash (the same on every platform and release), which
/// `std`'s `DefaultHasher` does not promise; a version must not change across restarts.
struct Fnv(u64);

impl io::Write for Fnv {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        for &b in buf {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Sets `meta` on a resource a service is about to store: `resourceType`, `created` (kept
/// from the stored one, else `now`), `lastModified` = `now`, `location` and a new weak
/// `version`.
///
/// The version hashes the version it replaces, the location and the instant, not the content:
/// it changes on every modification (even one that restores an earlier state, or two within
/// one clock tick) and costs the same for a 10,000-member group as for a user, where hashing
/// the serialized group took most of a PATCH's time under load.
pub(super) fn stamp(
    resource: &mut Value,
    resource_type: &str,
    location: String,
    now: DateTime<Utc>,
) {
    let Value::Object(obj) = resource else {
        return;
    };
    let old = obj.get("meta");
    let created = old
        .and_then(|m| m.get("created"))
        .and_then(|c| c.as_str())
        .and_then(|c| DateTime::parse_from_rfc3339(c).ok())
        .map_or(now, |c| c.with_timezone(&Utc));
    let previous = old
        .and_then(|m| m.get("version"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    let mut h = Fnv(0xcbf2_9ce4_8422_2325);
    // Writing into a hasher cannot fail.
    let _ = write!(h, "{previous}\n{location}\n{}", now.to_rfc3339());
    let mut meta = Meta::for_resource_type(resource_type);
    meta.created = Some(created);
    meta.last_modified = Some(now);
    meta.location = Some(location);
    meta.version = Some(format!("W/\"{:016x}\"", h.0));
    obj.insert("meta".to_owned(), meta_value(&meta));
}

impl super::Provider {
    /// Marks a stored resource as modified at `now` (a new `meta.version` and
    /// `meta.lastModified`) after a change the service made to it outside a request for it:
    /// a Group whose member was deleted lists one member fewer, so an `If-Match` holding its
    /// old version must fail (RFC 7644 §3.14).
    ///
    /// ```
    /// use scimkit::provider::{Provider, check_if_match, version};
    /// use serde_json::json;
    ///
    /// let p = Provider::new("https://example.com/scim/v2");
    /// let now = chrono::Utc::now();
    /// let body = json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
    ///     "displayName": "Admins"});
    /// let mut group = p.create("Group", &body, "g1", now, [])?;
    /// let before = version(&group).unwrap().to_owned();
    /// p.touch("Group", &mut group, now + chrono::Duration::seconds(1));
    /// assert_ne!(version(&group), Some(before.as_str()));
    /// assert_eq!(check_if_match(Some(&before), &group).unwrap_err().status, 412);
    /// # Ok::<(), scimkit::ScimError>(())
    /// ```
    pub fn touch(&self, resource_type: &str, resource: &mut Value, now: DateTime<Utc>) {
        let id = resource
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        stamp(
            resource,
            resource_type,
            self.location_of(resource_type, &id),
            now,
        );
    }
}

fn meta_value(meta: &Meta) -> Value {
    serde_json::to_value(meta).unwrap_or_else(|_| Value::Object(Map::new()))
}

/// The `meta.version` of a resource, if it has one.
///
/// ```
/// use serde_json::json;
///
/// let user = json!({"meta": {"version": "W/\"3694e05e9dff590\""}});
/// assert_eq!(scimkit::provider::version(&user), Some("W/\"3694e05e9dff590\""));
/// ```
pub fn version(resource: &Value) -> Option<&str> {
    resource.get("meta")?.get("version")?.as_str()
}

/// The opaque part of an entity tag: `W/"abc"` and `"abc"` are both `abc` (RFC 7232 §2.3.2's
/// weak comparison, which is what SCIM's weak versions call for).
fn opaque(tag: &str) -> &str {
    let tag = tag.trim();
    let tag = tag.strip_prefix("W/").unwrap_or(tag);
    tag.strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(tag)
}

/// Whether an `If-Match` / `If-None-Match` list (`*`, or comma-separated entity tags) names
/// the resource's current version.
fn names_current(list: &str, resource: &Value) -> bool {
    if list.trim() == "*" {
        return true;
    }
    let Some(current) = version(resource).map(opaque) else {
        return false;
    };
    list.split(',').any(|t| opaque(t) == current)
}

/// RFC 7644 §3.14: a `PUT`, `PATCH` or `DELETE` with an `If-Match` header proceeds only when
/// the header names the resource's current version (or is `*`); otherwise
/// `412 Precondition Failed`. Without the header, it proceeds.
///
/// ```
/// use scimkit::provider::check_if_match;
/// use serde_json::json;
///
/// let user = json!({"id": "2819c223", "meta": {"version": "W/\"e180ee84f0671b1\""}});
/// assert!(check_if_match(None, &user).is_ok());
/// assert!(check_if_match(Some("W/\"e180ee84f0671b1\""), &user).is_ok());
/// assert!(check_if_match(Some("*"), &user).is_ok());
/// assert_eq!(check_if_match(Some("W/\"old\""), &user).unwrap_err().status, 412);
/// ```
pub fn check_if_match(if_match: Option<&str>, resource: &Value) -> Result<(), ScimError> {
    match if_match {
        Some(list) if !names_current(list, resource) => Err(ScimError::with_status(
            412,
            "the resource has changed: `If-Match` does not name its current version",
        )),
        _ => Ok(()),
    }
}

/// RFC 7644 §3.14: whether a `GET` with `If-None-Match` may be answered
/// `304 Not Modified`, because the header names the current version (or is `*`).
///
/// ```
/// use scimkit::provider::is_not_modified;
/// use serde_json::json;
///
/// let user = json!({"meta": {"version": "W/\"1\""}});
/// assert!(is_not_modified(Some("W/\"1\""), &user));
/// assert!(!is_not_modified(Some("W/\"0\""), &user));
/// assert!(!is_not_modified(None, &user));
/// ```
pub fn is_not_modified(if_none_match: Option<&str>, resource: &Value) -> bool {
    if_none_match.is_some_and(|list| names_current(list, resource))
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use serde_json::json;

    use super::*;

    #[test]
    fn version_changes_on_every_stamp_and_created_stays() {
        let t0 = Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).unwrap();
        let mut r = json!({"id": "1", "userName": "a"});
        stamp(&mut r, "User", "https://x/Users/1".to_owned(), t0);
        let v1 = version(&r).unwrap().to_owned();
        assert!(v1.starts_with("W/\"") && v1.ends_with('"'));
        assert_eq!(r["meta"]["created"], r["meta"]["lastModified"]);
        assert_eq!(r["meta"]["resourceType"], "User");
        // Same content, same instant: the chained version still moves.
        stamp(&mut r, "User", "https://x/Users/1".to_owned(), t0);
        let v2 = version(&r).unwrap().to_owned();
        assert_ne!(v1, v2);
        let t1 = Utc.with_ymd_and_hms(2024, 5, 2, 12, 0, 0).unwrap();
        stamp(&mut r, "User", "https://x/Users/1".to_owned(), t1);
        assert_eq!(r["meta"]["created"], json!("2024-05-01T12:00:00Z"));
        assert_eq!(r["meta"]["lastModified"], json!("2024-05-02T12:00:00Z"));
    }

    #[test]
    fn etag_lists_compare_weakly() {
        let r = json!({"meta": {"version": "W/\"abc\""}});
        for (header, ok) in [
            ("W/\"abc\"", true),
            ("\"abc\"", true),
            ("W/\"x\", W/\"abc\"", true),
            ("*", true),
            ("W/\"abd\"", false),
            ("", false),
        ] {
            assert_eq!(check_if_match(Some(header), &r).is_ok(), ok, "{header}");
        }
        // A resource without a version matches only `*`.
        assert!(check_if_match(Some("W/\"abc\""), &json!({})).is_err());
        assert!(check_if_match(Some("*"), &json!({})).is_ok());
    }
}
