//! SCIM queries answered by a database (feature `sql`): a storage layout for PostgreSQL and
//! SQLite, the search-index rows of a resource, and the translation of a [`Filter`](crate::Filter) with
//! `sortBy`, `sortOrder`, `startIndex` and `count` into parameterized SQL that selects exactly
//! the resources [`crate::Query::list`] returns, in the same order.
//!
//! The module produces SQL text and bound values only; it has no driver dependency. A service
//! runs the [`MIGRATIONS`], writes a resource and its [`index_rows`] in one transaction, and
//! runs the [`ListSql`] a [`ListRequest`] translates to.
//!
//! ```
//! use scimkit::query::Page;
//! use scimkit::sql::{Dialect, ListRequest, SqlValue, index_rows};
//! use scimkit::{Filter, SchemaRegistry};
//! use serde_json::json;
//!
//! let schemas = SchemaRegistry::default();
//! let user = json!({"id": "2819c223", "userName": "BJensen",
//!                   "emails": [{"value": "bjensen@example.com", "type": "work"}]});
//! // Written beside the resource: one row per value, keys computed here.
//! let rows = index_rows(&user);
//! assert!(rows.iter().any(|r| r.path == "username" && r.fold.as_deref() == Some("bjensen")));
//!
//! let filter: Filter = r#"userName eq "bjensen" and emails[type eq "work"]"#.parse()?;
//! let mut request = ListRequest::new("tenant-1", "User");
//! request.filter = Some(&filter);
//! request.sort_by = Some("userName");
//! request.page = Page::new(Some(1), Some(10));
//! let sql = request.to_sql(&schemas, Dialect::Postgres)?;
//! assert!(sql.select.sql.starts_with("SELECT r.id, r.resource FROM scim_resources r"));
//! // Both comparisons are read from the index: the count never touches the resources.
//! assert!(sql.count.sql.starts_with("SELECT COUNT(*) FROM (SELECT"));
//! assert!(!sql.count.sql.contains("scim_resources"));
//! // No value and no attribute name is in the text: they are parameters.
//! assert!(!sql.select.sql.contains("bjensen") && !sql.select.sql.contains("username"));
//! assert_eq!(sql.select.params[0], SqlValue::Text("tenant-1".into()));
//! assert!(sql.select.params.contains(&SqlValue::Text("bjensen".into())));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Layout
//!
//! Every table leads with a `tenant` column, and every index with `(tenant, rtype, …)`, so one
//! database hosts many tenants and a tenant-distributed database keeps a tenant's rows together.
//!
//! - `scim_resources (tenant, rtype, id, version, resource)`: the resource whole, JSONB on
//!   PostgreSQL and JSON text on SQLite; `version` is for `ETag`s
//!   (`UPDATE … WHERE version = ?`).
//! - `scim_index (tenant, rtype, id, path, elem, kind, fold, exact, num, num_int, instant,
//!   bool_value)`: the search index, rows computed by [`index_rows`]. A row stands for one value
//!   the evaluator visits: `path` names where it sits (`emails.value`, lowercase, an extension's
//!   URN before a `|`), `elem` the element of the multi-valued attribute it came from, so a
//!   valuePath (`emails[type eq "work" and value co "@x"]`) binds one and the same element.
//!   Rows tagged `[]` stand for the elements themselves, `{}` for "holds objects", `^` for the
//!   one value `sortBy` orders by (the primary element's, else the first's).
//! - `scim_members (tenant, group_id, group_fold, member_id, member_fold, member_type,
//!   type_fold, display, display_fold)`: group memberships as rows, written by
//!   [`member_rows`] / [`take_members`], so a membership change is a row insert or delete
//!   rather than a rewrite of the group's document (stored without `members`). A Group's
//!   `members` and a User's readOnly `groups` (`value`, and `display` from the group's
//!   `displayName`) are read from these rows, in filters, valuePaths and `sortBy`; elements
//!   are listed in id order (the "first" one `sortBy` takes is the smallest id).
//! - `scim_unique (tenant, scope, attr, key, rtype, id)`: the [`unique_keys`] a resource
//!   claims (`userName`, and any attribute a schema marks `uniqueness: server` or `global`),
//!   primary-keyed so the database itself refuses a second claim: two concurrent creates of
//!   `bjensen` and `BJensen` cannot both commit. A write replaces its resource's claims.
//!
//! The [`MIGRATIONS`] create the tables and their indexes: `(tenant, rtype, path, fold, id,
//! elem, kind)` and `(tenant, rtype, path, exact, id, elem)` answer `eq`, ranges, `sw` and `pr`
//! from the index alone (with the element a valuePath binds), partial indexes the numbers,
//! instants and booleans, `(tenant, rtype, id, path, elem)` a resource's own rows and
//! `(tenant, member_id)` / `(tenant, member_fold)` memberships from the member's side.
//!
//! # Why the answers are the evaluator's
//!
//! The database compares only what scimkit computed, byte for byte:
//!
//! - `fold` is the text folded as the evaluator folds it for `caseExact: false`
//!   (`char::to_lowercase` over all of Unicode: the Kelvin sign is `k`, `İ` is `i̇`). The
//!   database's own case folding (PostgreSQL `lower()` or citext follow the locale; SQLite's
//!   `NOCASE` and `LIKE` fold ASCII only) is never used. Text columns are `COLLATE "C"` on
//!   PostgreSQL and `BINARY` on SQLite, so `<` is code point order, as in the evaluator.
//! - `co` is `strpos`/`instr`, `sw` a range `[p, successor(p))`, `ew` `right`/`substr`:
//!   no `LIKE`, so `%`, `_` and `\` in values are ordinary characters (and SQLite's
//!   ASCII-case-insensitive `LIKE` never applies).
//! - `num` is the IEEE double and `num_int` the exact integer as order-preserving text:
//!   the evaluator compares two integers exactly and anything else as doubles, and so does the
//!   translated condition.
//! - `instant` is the dateTime in UTC as fixed-width text (seconds, then nanoseconds), so text
//!   order is chronological across offsets and fractions.
//! - An unassigned value (null, `""`, `[]`, `{}`) has no row: `pr` is "a present row exists",
//!   `eq null` its negation, and `ne` is "some value differs, or none is assigned"
//!   (RFC 7643 §2.5), exactly as the evaluator's `holds`.
//! - Which rows a comparison reads, and how it compares, come from the evaluator's own
//!   resolution of the path against the [`SchemaRegistry`](crate::SchemaRegistry) (the same
//!   code `Filter::bind` runs), [scoped](crate::SchemaRegistry::scoped) to the request's
//!   resource type exactly as [`Provider`](crate::provider::Provider) scopes its `list`: an
//!   attribute of another resource type (`userName` on Groups) is unknown there, so it compares
//!   by JSON type over the document's own keys in SQL as in memory (`userName gt 1` on Groups
//!   matches nothing rather than failing as a type error). The rows themselves do not depend
//!   on the schemas. So a custom
//!   schema registered from `/Schemas` JSON needs no code, and an attribute no schema defines
//!   compares by JSON type, as in memory. An attribute without rows is unassigned, never a
//!   dropped clause.
//!
//! # The SQL
//!
//! Each comparison is a set of ids read from the index:
//! `SELECT x.id FROM scim_index x WHERE x.tenant = ?1 AND x.rtype = ?2 AND x.path = ?3 AND
//! x.fold = ?4`. A valuePath starts from the rows of the comparison its inner `and` requires
//! that likely selects fewest elements (each such row names one element: `id`, `elem`), and
//! its inner comparisons probe the rows of that one element. When that start is broad (`eq` on
//! a canonical value such as `type eq "work"`, a range, `co`, `pr`, or no start at all), a
//! probe per element would cost one index lookup for each of perhaps every element: wherever
//! the whole set is read (a count, a union, an operand tested on ids), each inner comparison
//! instead reads its `(id, elem)` pairs once (`(e.id, e.elem) IN (SELECT x.id, x.elem …)`).
//! A page keeps the probes in an arm it reads in id order, since it stops at the page's end;
//! the count is then written apart from the page, with the same values.
//!
//! A filter that is an `and` (or a single condition) with operands that hold only where the
//! resource has an index row (comparisons other than `ne` and `eq null`, `pr`, valuePaths, an
//! `or` of those: its *arms*) is answered from the index alone. The arms' id sets are
//! intersected before any resource is read, in the form each planner runs as a merge of index
//! ranges already in id order: `a INTERSECT b …` on SQLite, `SELECT DISTINCT q.id FROM (a) q
//! WHERE q.id IN (b) …` (merge semi-joins) on PostgreSQL; the other operands are tested on
//! those ids. The count is `SELECT COUNT(*)` of that set; the page cuts its window from the
//! ordered ids (`ORDER BY 1 LIMIT … OFFSET …`) and then reads those resources by primary key,
//! so a broad filter reads a page's worth of rows, not every match. This is exact because
//! every index row belongs to a stored resource of its tenant and type (a service writes and
//! deletes them together); memberships, whose rows may name members of another type, are never
//! arms. Which arm drives is chosen from the filter alone (the translator has no statistics):
//! `eq` on a unique attribute, then `eq`, `sw`, `eq` on booleans and canonical values, other
//! ranges, valuePaths, `co`/`ew`, `pr`.
//!
//! A filter without an arm (`not (…)`, `ne`, an `or` with such an operand) is a predicate on
//! each resource: `r.id IN (SELECT x.id …)` per comparison, combined with `AND`/`OR`/`NOT`.
//! `and`/`or` chains are nested as balanced trees (SQLite limits expression depth).
//! Placeholders are numbered (`?n` on SQLite, `$n` on PostgreSQL) and equal texts are bound
//! once (found by a scan of the few parameters a filter has, by a map past 24), so a filter of `t` comparisons binds at most about `3t + 4` values, well within
//! SQLite's 32,766 at the parser's default limit of 1,024 comparisons.
//!
//! The text is written by hand rather than by a builder such as sea-query: the statements have
//! a handful of fixed shapes, the two dialects differ in three functions and the placeholder
//! syntax, and exactness depends on the precise form of each condition, which is easier to
//! review as text than through a builder's abstractions; it also keeps the core crate free of
//! another dependency.
//!
//! The statement is written into one buffer in a single walk: placeholders and conditions are
//! small values written in place, not formatted strings, so translating a typical filter costs
//! a few allocations (the bound texts, the two statements), which keeps it in the low
//! microseconds beside a query's own cost (`benches/sql.rs`, BENCHMARKS.md).
//!
//! # Limits
//!
//! - PostgreSQL text cannot hold `U+0000`, so such values cannot be stored there.
//! - `co` on a case-insensitive attribute with a literal whose fold starts with `U+0307`
//!   (a combining dot above) can match inside the fold of `İ`, where the evaluator matches
//!   only at character boundaries.
//! - Objects with two keys that differ only in case, and arrays directly inside the elements of
//!   a multi-valued attribute, are indexed under one path each; the evaluator reads one of the
//!   keys.
//! - Membership rows keep `value`, `type` and `display` of a member (a user's `groups` answer
//!   `value` and `display`); other sub-attributes of `members`/`groups` read as unassigned, and a
//!   member without a `value` is not kept. A sort on a member's text uses the evaluator's filter
//!   fold, which differs from `SortBy`'s only for a final `Σ`.
//! - Speed follows selectivity and shape (BENCHMARKS.md). A comparison that selects few
//!   resources (`userName eq`, `externalId eq`, `emails.value eq`) is an index range: 0.1–0.5
//!   ms at 100,000 users against 40–140 ms for the in-memory scan. An `and` of equalities
//!   that most resources match (`userType eq "Employee" and emails.type eq "work"`) merges two
//!   index ranges and counts from the index. Still slower than the in-memory scan at 100,000
//!   users: a filter whose arms are ranges or substrings over most resources (`meta.lastModified
//!   gt …` matching 90 %, `emails co …`), whose id sets are not in id order and must be sorted
//!   or hashed; a valuePath whose inner `and` pairs a broad equality with a substring
//!   (`emails[type eq "work" and value co "@example.com"]`), whose count pairs 100,000
//!   elements; and filters without an arm (`userType ne "Employee" and not (…)`). Page such
//!   listings or narrow them with a selective comparison. PostgreSQL needs its visibility map
//!   set (`VACUUM`, or autovacuum after a bulk load) for the index-only scans to stay so.
//! - On PostgreSQL, run these statements with `plan_cache_mode = force_custom_plan` (as
//!   scimkit-server does): a driver that prepares and caches statements otherwise gets, after
//!   five runs, a generic plan that cannot see which path and value are bound, and the
//!   selectivity of `path = $3 AND fold = $4` is all that tells a broad comparison from a
//!   lookup.
//! - Long `or` chains: the parser's default limit of 1,024 comparisons keeps a statement within
//!   SQLite's 32,766 parameters and (chains are nested as balanced trees) its expression depth; a
//!   parser configured for many more comparisons can exceed them. At most 64 arms are
//!   intersected or united in one compound `SELECT` (SQLite allows 500 terms); an `and` with
//!   more tests the rest as predicates on the ids, and an `or` of more is a predicate.
//!
//! # Layering
//!
//! `sql` reads the filter AST and the evaluator's resolution (`path` → `filter` → `sql`);
//! nothing in `filter`, `path` or `query` imports it. The older mutual import between `path`
//! and `filter` is left as it is: they are one grammar in two modules (`path` parses with the
//! filter grammar and its errors, and a PATCH valuePath holds a `Filter`; `filter` uses
//! `AttrPath` and the path lexer's character classes). Untangling them means moving the shared
//! grammar into a module of its own, a larger change that would not alter what `sql` reads.

mod builder;
mod index;
mod keys;
mod layout;
mod members;
mod membership;
mod query;
mod translate;
mod unique;

pub use index::{IndexRow, index_rows, kind};
pub use keys::fold;
pub use layout::{MIGRATIONS, Migration};
pub use members::{MemberRow, member_rows, take_members};
pub use query::{ListRequest, ListSql, SqlQuery};
pub use unique::{UniqueKey, unique_keys};

/// The SQL dialect to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// SQLite 3.30 or later: `?1` placeholders, `instr`, `substr`.
    Sqlite,
    /// PostgreSQL 12 or later: `$1` placeholders, `strpos`, `right`, `COLLATE "C"` columns.
    Postgres,
}

/// A value bound to a placeholder.
#[derive(Debug, Clone, PartialEq)]
pub enum SqlValue {
    /// Text (tenant, resource type, index paths, keys).
    Text(String),
    /// A 64-bit integer (`LIMIT`, `OFFSET`).
    Int(i64),
    /// A double (the `num` key).
    Real(f64),
    /// A boolean.
    Bool(bool),
}
