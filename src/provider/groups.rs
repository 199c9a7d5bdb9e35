//! The readOnly `groups` attribute of users (RFC 7643 §4.1.2), derived from the groups'
//! `members` through an index the service keeps next to its store.

use std::borrow::{Borrow, Cow};
use std::collections::{BTreeSet, HashMap};

use serde_json::{Map, Value};

use super::Provider;
use crate::error::ScimError;
use crate::filter::{Filter, get_in};
use crate::model::{ListResponse, SearchRequest};
use crate::path::AttrPath;
use crate::query::{Projection, Query, Reads};
use crate::schema::{Attribute, Mutability};

/// Which groups each member belongs to: an index over the stored groups' `members`, so that a
/// user's `groups` costs a lookup rather than a scan of every group.
///
/// A service keeps one next to its store and updates it on every group write:
/// [`insert`](Self::insert) after a group is created, replaced or patched,
/// [`remove`](Self::remove) after it is deleted. Only direct members count; a member whose
/// `type` is `Group` (a nested group) is not indexed.
///
/// ```
/// use scimkit::provider::Memberships;
/// use serde_json::json;
///
/// let admins = json!({"id": "g1", "displayName": "Admins",
///                     "members": [{"value": "u1"}, {"value": "u2", "type": "User"}]});
/// let mut index = Memberships::from_groups([&admins]);
/// assert_eq!(index.groups_of("u2").collect::<Vec<_>>(), [("g1", Some("Admins"))]);
///
/// index.insert(&json!({"id": "g1", "displayName": "Admins", "members": [{"value": "u1"}]}));
/// assert_eq!(index.groups_of("u2").count(), 0);
/// index.remove("g1");
/// assert_eq!(index.groups_of("u1").count(), 0);
/// ```
#[derive(Debug, Clone, Default)]
pub struct Memberships {
    /// Group id → its `displayName` and the member ids indexed for it.
    groups: HashMap<String, Indexed>,
    /// Member id → the ids of the groups listing it, ordered so answers are stable.
    by_member: HashMap<String, BTreeSet<String>>,
}

#[derive(Debug, Clone, Default)]
struct Indexed {
    display: Option<String>,
    members: Vec<String>,
}

impl Memberships {
    /// An empty index.
    pub fn new() -> Self {
        Self::default()
    }

    /// The index of these stored groups.
    pub fn from_groups<I>(groups: I) -> Self
    where
        I: IntoIterator,
        I::Item: Borrow<Value>,
    {
        let mut index = Self::new();
        for g in groups {
            index.insert(g.borrow());
        }
        index
    }

    /// Indexes a stored group (by its `id`), replacing what was indexed for it before. A group
    /// without an `id` is ignored. Costs the size of its old and new member lists.
    pub fn insert(&mut self, group: &Value) {
        let Some(g) = group.as_object() else {
            return;
        };
        let Some(id) = g.get("id").and_then(Value::as_str) else {
            return;
        };
        self.remove(id);
        let display = get_in(g, "displayName", "displayName")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let mut members: Vec<String> = get_in(g, "members", "members")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_object)
            .filter(|m| {
                !get_in(m, "type", "type")
                    .and_then(Value::as_str)
                    .is_some_and(|t| t.eq_ignore_ascii_case("Group"))
            })
            .filter_map(|m| get_in(m, "value", "value")?.as_str())
            .map(str::to_owned)
            .collect();
        members.sort_unstable();
        members.dedup();
        for m in &members {
            self.by_member
                .entry(m.clone())
                .or_default()
                .insert(id.to_owned());
        }
        self.groups
            .insert(id.to_owned(), Indexed { display, members });
    }

    /// Forgets the group with this `id` (after it is deleted).
    pub fn remove(&mut self, group_id: &str) {
        let Some(old) = self.groups.remove(group_id) else {
            return;
        };
        for m in old.members {
            if let Some(set) = self.by_member.get_mut(&m) {
                set.remove(group_id);
                if set.is_empty() {
                    self.by_member.remove(&m);
                }
            }
        }
    }

    /// The groups that list `member_id` as a direct member: `(group id, displayName)`, ordered
    /// by group id.
    pub fn groups_of<'s>(
        &'s self,
        member_id: &str,
    ) -> impl Iterator<Item = (&'s str, Option<&'s str>)> + 's {
        self.by_member
            .get(member_id)
            .into_iter()
            .flatten()
            .map(|gid| {
                let display = self.groups.get(gid).and_then(|g| g.display.as_deref());
                (gid.as_str(), display)
            })
    }

    /// How many groups are indexed.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    /// Whether no group is indexed.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
}

impl Provider {
    /// [`respond`](Self::respond) for a resource type whose schema has a readOnly `groups`
    /// attribute (User, RFC 7643 §4.1.2): `groups` is filled from `memberships` first, one
    /// `{"value", "$ref", "display", "type": "direct"}` per group listing the user, so that
    /// `attributes`, `excludedAttributes` and the profile apply to it like to any attribute.
    /// A user in no group gets no `groups` (RFC 7643 §2.5). Other resource types are answered
    /// as by `respond`.
    ///
    /// ```
    /// use scimkit::provider::{Memberships, Provider};
    /// use scimkit::SearchRequest;
    /// use serde_json::json;
    ///
    /// let p = Provider::new("https://example.com/scim/v2");
    /// let now = chrono::Utc::now();
    /// let user = p.create("User", &json!({
    ///     "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "bjensen"
    /// }), "u1", now, [])?;
    /// let group = p.create("Group", &json!({
    ///     "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
    ///     "displayName": "Tour Guides", "members": [{"value": "u1"}]
    /// }), "g1", now, [])?;
    /// let index = Memberships::from_groups([&group]);
    ///
    /// let answer = p.respond_with("User", &user, &SearchRequest::new(), &index)?;
    /// assert_eq!(answer["groups"], json!([{
    ///     "value": "g1", "$ref": "https://example.com/scim/v2/Groups/g1",
    ///     "display": "Tour Guides", "type": "direct"
    /// }]));
    /// # Ok::<(), scimkit::ScimError>(())
    /// ```
    pub fn respond_with(
        &self,
        resource_type: &str,
        resource: &Value,
        request: &SearchRequest,
        memberships: &Memberships,
    ) -> Result<Value, ScimError> {
        let filled = self.with_groups(resource_type, resource, memberships, true);
        self.respond(resource_type, &filled, request)
    }

    /// [`list`](Self::list) with each user's `groups` filled from `memberships` (see
    /// [`respond_with`](Self::respond_with)), so that `groups.value eq "…"`,
    /// `groups[display eq "…"]` and `sortBy=groups.value` select and order users by
    /// membership.
    ///
    /// `groups` is derived only where it is read: for each user the filter tests when the
    /// filter names `groups` (one user at a time), for the matches when `sortBy` names it,
    /// and otherwise only for the returned page, and not at all when the projection leaves
    /// `groups` out. Memory follows the answer and the stored data, not users × groups.
    pub fn list_with<'a, I>(
        &self,
        resource_type: &str,
        request: &SearchRequest,
        resources: I,
        memberships: &Memberships,
    ) -> Result<ListResponse<Value>, ScimError>
    where
        I: IntoIterator<Item = &'a Value>,
    {
        let Some(attr) = self.groups_attribute(resource_type) else {
            return self.list(resource_type, request, resources);
        };
        let schemas = self.scoped(resource_type);
        let query = Query::from_search_request_with(request, &schemas, &self.compat)?
            .with_max_results(self.max_results);
        self.check_list_profile(resource_type, &query)?;
        let core = self.schemas.resource_type(resource_type).map(|(c, _)| c);
        let names = |p: &AttrPath| {
            p.name().eq_ignore_ascii_case(attr.name())
                && p.urn()
                    .is_none_or(|u| core.is_some_and(|c| c.eq_ignore_ascii_case(u)))
        };
        let reads = Reads {
            filter: query
                .filter()
                .is_some_and(|f| f.any_leaf(|l| l.leaf_path().is_some_and(names))),
            sort: request
                .sort_by
                .as_deref()
                .and_then(|s| s.trim().parse::<AttrPath>().ok())
                .is_some_and(|p| names(&p)),
            page: self.returns_groups(resource_type, attr, query.projection()),
        };
        // `display` may be long: the filter gets it only when it names it, or `groups` whole
        // other than in `groups pr`.
        let display = query.filter().is_some_and(|f| {
            f.any_leaf(|l| {
                l.leaf_path().is_some_and(|p| {
                    names(p)
                        && match p.sub_attribute() {
                            Some(s) => s.eq_ignore_ascii_case("display"),
                            None => !matches!(l, Filter::Present(_)),
                        }
                })
            })
        });
        let mut page = query.list_decorated(resources, &schemas, reads, |r, filtering| {
            self.with_groups(resource_type, r, memberships, !filtering || display)
        })?;
        for r in &mut page.resources {
            self.declared_schemas_only(resource_type, r);
            self.shape(resource_type, r);
        }
        Ok(page)
    }

    /// Whether `projection` keeps the `groups` attribute of this resource type: it is
    /// applied to a resource holding nothing else.
    fn returns_groups(
        &self,
        resource_type: &str,
        attr: &Attribute,
        projection: &Projection,
    ) -> bool {
        let mut probe = Map::new();
        if let Some((core, _)) = self.schemas.resource_type(resource_type) {
            probe.insert("schemas".to_owned(), Value::Array(vec![core.into()]));
        }
        let element = ["value", "$ref", "display", "type"]
            .into_iter()
            .map(|k| (k.to_owned(), Value::String("x".to_owned())))
            .collect();
        probe.insert(
            attr.name().to_owned(),
            Value::Array(vec![Value::Object(element)]),
        );
        let out = projection.apply(&Value::Object(probe), &self.scoped(resource_type));
        out.get(attr.name()).is_some()
    }

    /// The resource type's readOnly `groups` attribute, if its core schema has one.
    fn groups_attribute(&self, resource_type: &str) -> Option<&Attribute> {
        let (core, _) = self.schemas.resource_type(resource_type)?;
        self.schemas
            .schema(core)?
            .attribute("groups")
            .filter(|a| a.mutability() == Mutability::ReadOnly)
    }

    /// `resource` with its `groups` derived from `memberships` (without their `display` unless
    /// `display`); borrowed when that changes nothing.
    fn with_groups<'r>(
        &self,
        resource_type: &str,
        resource: &'r Value,
        memberships: &Memberships,
        display: bool,
    ) -> Cow<'r, Value> {
        let (Some(attr), Some(obj)) = (self.groups_attribute(resource_type), resource.as_object())
        else {
            return Cow::Borrowed(resource);
        };
        let Some(id) = obj.get("id").and_then(Value::as_str) else {
            return Cow::Borrowed(resource);
        };
        let groups: Vec<Value> = memberships
            .groups_of(id)
            .map(|(gid, name)| {
                let mut g = Map::new();
                g.insert("value".to_owned(), Value::String(gid.to_owned()));
                g.insert(
                    "$ref".to_owned(),
                    Value::String(self.location("Group", gid)),
                );
                if let Some(d) = name.filter(|_| display) {
                    g.insert("display".to_owned(), Value::String(d.to_owned()));
                }
                g.insert("type".to_owned(), Value::String("direct".to_owned()));
                Value::Object(g)
            })
            .collect();
        let stored = obj.keys().any(|k| k.eq_ignore_ascii_case(attr.name()));
        if groups.is_empty() && !stored {
            return Cow::Borrowed(resource);
        }
        let mut out = obj.clone();
        out.retain(|k, _| !k.eq_ignore_ascii_case(attr.name()));
        if !groups.is_empty() {
            out.insert(attr.name().to_owned(), Value::Array(groups));
        }
        Cow::Owned(Value::Object(out))
    }
}
