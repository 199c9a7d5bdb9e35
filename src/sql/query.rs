//! A list request (filter, sortBy, sortOrder, startIndex, count) as a page query and a count
//! query over the same predicate.

use std::borrow::Cow;

use crate::error::ScimError;
use crate::filter::Filter;
use crate::path::AttrPath;
use crate::query::{Page, SortBy, SortOrder};
use crate::schema::{AttrType, SchemaRegistry};

use super::builder::Sql;
use super::keys::{Tag, path_key};
use super::membership::Side;
use super::translate::{IdSet, SCAN_RANK, Translator};
use super::{Dialect, SqlValue};

/// A statement and the values for its placeholders, in order (`?1…` or `$1…`).
#[derive(Debug, Clone, PartialEq)]
pub struct SqlQuery {
    /// The SQL text. It holds no value and no attribute name from the request.
    pub sql: String,
    /// The bound values; placeholder `n` is `params[n - 1]`.
    pub params: Vec<SqlValue>,
}

/// What a list request becomes: the page of ids (and resources), and `totalResults`.
#[derive(Debug, Clone, PartialEq)]
pub struct ListSql {
    /// `SELECT r.id, r.resource …`: the page, sorted, ties broken by id.
    pub select: SqlQuery,
    /// `SELECT COUNT(*) …`: every match, for `totalResults`.
    pub count: SqlQuery,
}

/// A list request over one tenant's resources of one type.
#[derive(Debug, Clone, Copy)]
pub struct ListRequest<'a> {
    /// The tenant whose rows are read.
    pub tenant: &'a str,
    /// The resource type (`"User"`, `"Group"`, or a custom one), as stored in `rtype`.
    pub resource_type: &'a str,
    /// The filter, if any.
    pub filter: Option<&'a Filter>,
    /// The `sortBy` attribute path as the request wrote it, if any.
    pub sort_by: Option<&'a str>,
    /// The `sortOrder`.
    pub sort_order: SortOrder,
    /// The `startIndex`/`count` window.
    pub page: Page,
    /// Keyset paging: only the resources whose id orders after this one (the last id of the
    /// page before), for a request without `sortBy` (whose order is the id's). The page query
    /// then reads from there (with the window's `count` and `startIndex`), so it costs the page,
    /// not the offset; `totalResults` still counts every match. With `sortBy` it is refused.
    pub after: Option<&'a str>,
}

impl<'a> ListRequest<'a> {
    /// Every resource of `resource_type` in `tenant`, unsorted (by id), unpaged.
    pub fn new(tenant: &'a str, resource_type: &'a str) -> Self {
        Self {
            tenant,
            resource_type,
            filter: None,
            sort_by: None,
            sort_order: SortOrder::Ascending,
            page: Page::default(),
            after: None,
        }
    }

    /// Translates the request for `dialect`.
    ///
    /// Names resolve in `schemas` [scoped](SchemaRegistry::scoped) to the request's resource
    /// type, as [`Provider`](crate::provider::Provider) resolves them for its `list`: an
    /// attribute of another resource type (`userName` on Groups) is as unknown as `foo`. A
    /// resource type the registry does not declare resolves in `schemas` as given.
    ///
    /// The filter is bound first ([`Filter::bind`]), so a filter the schemas reject fails with
    /// the very `400 invalidFilter` that [`crate::Query::list`] gives over the same scoped
    /// registry; a `sortBy` fails as [`SortBy::new`] does.
    pub fn to_sql(&self, schemas: &SchemaRegistry, dialect: Dialect) -> Result<ListSql, ScimError> {
        let scoped = schemas.scoped(self.resource_type);
        self.translate(scoped.as_ref().unwrap_or(schemas), dialect)
    }

    fn translate(&self, schemas: &SchemaRegistry, dialect: Dialect) -> Result<ListSql, ScimError> {
        if let Some(f) = self.filter {
            f.check(schemas)?;
        }
        let sort = self
            .sort_by
            .map(|p| SortTarget::new(p, schemas, self.resource_type))
            .transpose()?;
        let (mut sql, first_arm, broad) = self.matches(schemas, dialect, false)?;
        let (t, rt) = (sql.tenant(), sql.rtype());
        let ids = first_arm.is_some();
        let end = sql.len();
        const FROM: &str = "FROM scim_resources r";
        let count_of = |text: &str| {
            let mut count = String::with_capacity(text.len() + 40);
            match ids {
                true => {
                    count.push_str("SELECT COUNT(*) FROM (");
                    count.push_str(text);
                    count.push_str(") c");
                }
                false => {
                    count.push_str("SELECT COUNT(*) ");
                    count.push_str(FROM);
                    count.push_str(text);
                }
            }
            count
        };
        let count = match broad {
            // Written again for the count: see `Translator::for_count`.
            true => {
                let (text, params) = self.matches(schemas, dialect, true)?.0.finish();
                SqlQuery {
                    sql: count_of(&text),
                    params,
                }
            }
            false => SqlQuery {
                sql: count_of(sql.text_from(0)),
                params: sql.params().to_vec(),
            },
        };
        let (join, order) = match &sort {
            Some(s) => s.order_by(&mut sql, self.sort_order),
            None => (String::new(), Cow::Borrowed("r.id")),
        };
        let start = i64::try_from(self.page.start_index() - 1).unwrap_or(i64::MAX);
        let limit = self
            .page
            .count()
            .map(|c| sql.bind(SqlValue::Int(i64::try_from(c).unwrap_or(i64::MAX))));
        let offset = sql.bind(SqlValue::Int(start));
        let after = match self.after {
            Some(_) if sort.is_some() => {
                return Err(ScimError::with_status(
                    500,
                    "keyset paging (`after`) orders by id and cannot be combined with sortBy",
                ));
            }
            Some(a) => Some(sql.bind(SqlValue::Text(a.to_owned()))),
            None => None,
        };
        let (text, params) = sql.finish();
        // Plain pushes: `write!` costs more than the rest of a short statement.
        let window = |out: &mut String| {
            match (limit, dialect) {
                (Some(c), _) => {
                    out.push_str(" LIMIT ");
                    c.write_to(out);
                }
                (None, Dialect::Sqlite) => out.push_str(" LIMIT -1"),
                (None, Dialect::Postgres) => {}
            }
            out.push_str(" OFFSET ");
            offset.write_to(out);
        };
        let tail = |out: &mut String| {
            if let Some(a) = after {
                out.push_str(" AND r.id > ");
                a.write_to(out);
            }
            out.push_str(" ORDER BY ");
            out.push_str(&order);
            window(out);
        };
        let of_ids = |out: &mut String| {
            out.push_str(" WHERE r.tenant = ");
            t.write_to(out);
            out.push_str(" AND r.rtype = ");
            rt.write_to(out);
            out.push_str(" AND r.id IN (");
        };
        let mut select = String::with_capacity(end + join.len() + order.len() + 120);
        select.push_str("SELECT r.id, r.resource ");
        select.push_str(FROM);
        select.push_str(&join);
        if !ids {
            select.push_str(&text[..end]);
            tail(&mut select);
        } else if sort.is_none() && after.is_none() {
            // In id order: the window is cut from the ids, so only the page's resources
            // are read.
            of_ids(&mut select);
            if dialect == Dialect::Postgres && first_arm.is_some_and(|a| a.rank == SCAN_RANK) {
                // The first arm reads every value of a path (`co`, `ew`): PostgreSQL, which
                // cannot estimate how many match, would rather walk all index rows in id
                // order hoping to stop after a page; a materialized set keeps it to that path.
                select.push_str("WITH s AS MATERIALIZED (");
                select.push_str(&text[..end]);
                select.push_str(") SELECT s.id FROM s ORDER BY 1");
            } else {
                select.push_str(&text[..end]);
                if first_arm.is_some_and(|a| !a.ordered) {
                    select.push_str(" ORDER BY 1");
                }
            }
            window(&mut select);
            select.push_str(") ORDER BY r.id");
        } else {
            of_ids(&mut select);
            select.push_str(&text[..end]);
            select.push(')');
            tail(&mut select);
        }
        Ok(ListSql {
            select: SqlQuery {
                sql: select,
                params,
            },
            count,
        })
    }

    /// The statement text after `FROM scim_resources r` (or the id set), shared by the count
    /// and the page: a filter with an operand only index rows satisfy is answered from the
    /// index (its ids, then the page's resources by primary key). With the first arm, if any,
    /// and whether a count would be written differently ([`Translator::broad_elements`]).
    fn matches(
        &self,
        schemas: &SchemaRegistry,
        dialect: Dialect,
        for_count: bool,
    ) -> Result<(Sql, Option<IdSet>, bool), ScimError> {
        let mut sql = Sql::new(dialect, self.tenant, self.resource_type);
        let Some(f) = self.filter else {
            push_scope(&mut sql);
            return Ok((sql, None, false));
        };
        let mut tr = Translator::new(schemas, self.resource_type, &mut sql, for_count);
        let first_arm = tr.ids(f)?;
        if first_arm.is_none() {
            // `ids` wrote nothing: the filter is a predicate on each resource.
            push_scope(tr.sql);
            tr.sql.push(" AND (");
            tr.predicate(f)?;
            tr.sql.push(")");
        }
        let broad = tr.broad_elements;
        Ok((sql, first_arm, broad))
    }
}

/// ` WHERE` the tenant's resources of the type.
fn push_scope(sql: &mut Sql) {
    let (t, rt) = (sql.tenant(), sql.rtype());
    sql.push(" WHERE r.tenant = ");
    sql.ph(t);
    sql.push(" AND r.rtype = ");
    sql.ph(rt);
}

/// What `SortBy` orders by, resolved as it resolves it: where the value sits, its type and
/// whether its case counts.
struct SortTarget {
    key: String,
    /// A membership's side and sub-attribute, read from `scim_members`.
    membership: Option<(Side, Option<String>)>,
    datetime: bool,
    exact: bool,
}

impl SortTarget {
    fn new(path: &str, schemas: &SchemaRegistry, rtype: &str) -> Result<Self, ScimError> {
        // The same errors as the in-memory order.
        SortBy::new(path, schemas)?;
        let parsed: AttrPath = path.trim().parse()?;
        let (urn, name, sub) = (parsed.urn(), parsed.name(), parsed.sub_attribute());
        let (member, name, sub, kind, case_exact) = match schemas.resolve_parts(urn, name, sub) {
            Some(r) => {
                let member = r.extension.then(|| r.schema.map(|s| s.id())).flatten();
                let mut leaf = r.leaf();
                let mut sub = r.sub_attribute.map(|s| s.name());
                if r.attribute.kind() == AttrType::Complex
                    && sub.is_none()
                    && let Some(v) = r.attribute.sub_attribute("value")
                {
                    // A multi-valued complex attribute sorts by its `value` (SortBy::new has
                    // rejected a single-valued one).
                    (sub, leaf) = (Some(v.name()), v);
                }
                (
                    member,
                    r.attribute.name(),
                    sub,
                    Some(leaf.kind()),
                    leaf.case_exact(),
                )
            }
            None => {
                let member = urn.filter(|u| {
                    schemas
                        .schema(u)
                        .is_none_or(|s| schemas.is_extension(s.id()))
                });
                (member, name, sub, None, false)
            }
        };
        let membership = Side::of(rtype, member, name).map(|side| (side, sub.map(str::to_owned)));
        let mut parts = vec![name];
        parts.extend(sub);
        Ok(Self {
            key: path_key(member, &parts, Tag::Sort),
            membership,
            datetime: kind == Some(AttrType::DateTime),
            exact: case_exact || kind == Some(AttrType::Binary),
        })
    }

    /// The join to the resource's sort row, and the ORDER BY list: `SortBy`'s order of kinds
    /// (booleans, numbers, dateTimes, strings, then missing), each by its key, then the id.
    fn order_by(&self, sql: &mut Sql, order: SortOrder) -> (String, Cow<'static, str>) {
        let join = match &self.membership {
            // The first element (by id: the order a service lists rows in) and its value.
            Some((side, sub)) => {
                let (rows, elements) = (side.rows(sql, sub.as_deref()), side.rows(sql, None));
                format!(
                    " LEFT JOIN (SELECT x.* FROM ({rows}) x WHERE x.elem = (SELECT MIN(y.elem) \
                     FROM ({elements}) y WHERE y.id = x.id)) s ON s.id = r.id"
                )
            }
            None => {
                let p = sql.text(&self.key);
                format!(
                    " LEFT JOIN scim_index s ON s.tenant = r.tenant AND s.rtype = r.rtype AND \
                     s.id = r.id AND s.path = {p}"
                )
            }
        };
        let dir = match order {
            SortOrder::Ascending => "ASC",
            SortOrder::Descending => "DESC",
        };
        let nulls = match order {
            SortOrder::Ascending => "NULLS FIRST",
            SortOrder::Descending => "NULLS LAST",
        };
        let time = match self.datetime {
            true => "WHEN s.instant IS NOT NULL THEN 2 ",
            false => "",
        };
        let column = if self.exact { "s.exact" } else { "s.fold" };
        // Equal instants tie (then the id decides): their text must not order them.
        let text = match self.datetime {
            true => format!("CASE WHEN s.instant IS NULL THEN {column} END"),
            false => column.to_owned(),
        };
        let mut keys = format!(
            "CASE WHEN s.id IS NULL THEN 4 WHEN s.kind = 2 THEN 0 WHEN s.kind = 1 THEN 1 \
             {time}ELSE 3 END {dir}, s.bool_value {dir}, s.num {dir}, s.num_int {dir} {nulls}"
        );
        if self.datetime {
            keys.push_str(&format!(", s.instant {dir}"));
        }
        keys.push_str(&format!(", {text} {dir}, r.id ASC"));
        (join, Cow::Owned(keys))
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn list_sql(filter: &str, dialect: Dialect) -> ListSql {
        let f: Filter = filter.parse().unwrap();
        let mut req = ListRequest::new("t", "User");
        req.filter = Some(&f);
        req.to_sql(&SchemaRegistry::default(), dialect).unwrap()
    }

    const SETS: &str = "(e.id, e.elem) IN (";

    /// A valuePath starting from many elements (`type eq "work"`) probes each element in a
    /// page, which reads in id order and stops at its end, and reads the other condition's
    /// elements once in the count, which sees every match; both bind the same values.
    #[test]
    fn broad_value_paths_probe_in_pages_and_read_sets_in_counts() {
        for d in [Dialect::Sqlite, Dialect::Postgres] {
            let sql = list_sql(r#"emails[type eq "work" and value co "@example.com"]"#, d);
            assert!(sql.select.sql.contains("EXISTS (") && !sql.select.sql.contains(SETS));
            assert!(sql.count.sql.contains(SETS) && !sql.count.sql.contains("EXISTS ("));
            let page_values = &sql.select.params[..sql.count.params.len()];
            assert_eq!(page_values, &sql.count.params[..]);
        }
    }

    /// In a union nothing streams, so a page reads sets too; a selective anchor (`value eq`)
    /// probes in both.
    #[test]
    fn unions_read_sets_and_selective_anchors_probe() {
        let union = list_sql(
            r#"emails[type eq "work" and value co "@x"] or ims[type eq "xmpp" and value co "@y"]"#,
            Dialect::Sqlite,
        );
        assert!(union.select.sql.contains(SETS) && union.count.sql.contains(SETS));
        let selective = list_sql(
            r#"emails[value eq "b@example.com" and type eq "work"]"#,
            Dialect::Postgres,
        );
        for q in [&selective.select, &selective.count] {
            assert!(
                q.sql.contains("EXISTS (") && !q.sql.contains(SETS),
                "{}",
                q.sql
            );
        }
    }

    /// The filter is checked before it is translated, in the evaluator's order: with two
    /// type errors, the first one `bind` reports is the one `to_sql` reports, though the
    /// translator would write the operands in another order.
    #[test]
    fn errors_are_binds_in_its_order() {
        let schemas = SchemaRegistry::default();
        for text in [
            // The translator starts from `userName eq` (the likely most selective arm).
            r#"active gt true and userName eq 5"#,
            r#"emails[primary gt true] and externalId eq 5"#,
        ] {
            let f: Filter = text.parse().unwrap();
            let mut req = ListRequest::new("t", "User");
            req.filter = Some(&f);
            let expected = f.bind(&schemas).unwrap_err();
            for d in [Dialect::Sqlite, Dialect::Postgres] {
                let got = req.to_sql(&schemas, d).unwrap_err();
                assert_eq!(
                    (got.status, &got.detail),
                    (expected.status, &expected.detail)
                );
            }
        }
    }

    proptest! {
        /// Whatever the names and values, they reach the database as parameters: the text
        /// holds none of them, and every placeholder has its value.
        #[test]
        fn names_and_values_are_never_in_the_text(
            name in "zq[a-zA-Z0-9_]{1,12}",
            value in "zq[ -~]{0,12}",
            op in prop::sample::select(vec!["eq", "ne", "co", "sw", "ew", "gt", "le"]),
            vp in any::<bool>(),
            pg in any::<bool>(),
        ) {
            let lit = serde_json::Value::String(value.clone()).to_string();
            let text = match vp {
                true => format!("emails[{name} {op} {lit}] or {name}.{name} {op} {lit}"),
                false => format!("{name} {op} {lit} and not ({name} pr)"),
            };
            let f: Filter = text.parse().unwrap();
            let schemas = SchemaRegistry::default();
            let mut req = ListRequest::new("t", "User");
            req.filter = Some(&f);
            req.sort_by = Some(&name);
            let dialect = if pg { Dialect::Postgres } else { Dialect::Sqlite };
            let sql = req.to_sql(&schemas, dialect).unwrap();
            for q in [&sql.select, &sql.count] {
                let lower = q.sql.to_ascii_lowercase();
                prop_assert!(!lower.contains("zq"), "{}", q.sql);
                let marks = q.sql.matches(if pg { '$' } else { '?' }).count();
                prop_assert!(marks >= q.params.len().min(1));
                for n in 1..=q.params.len() {
                    let p = if pg { format!("${n}") } else { format!("?{n}") };
                    prop_assert!(q.sql.contains(&p), "{} unused in {}", p, q.sql);
                }
            }
        }
    }
}
