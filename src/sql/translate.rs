//! A bound [`Filter`] as an SQL predicate over the search index: a walk of the filter tree
//! that asks the evaluator's own resolution ([`Site`], [`How`]) what each comparison reads and
//! how it compares, and answers with conditions on the precomputed keys.

use std::fmt::Write as _;

use crate::error::ScimError;
use crate::filter::{CompValue, CompareOp, Filter, How, Site, is_null_test};
use crate::schema::{Attribute, SchemaRegistry};

use super::builder::Sql;
use super::index::kind;
use super::keys::{Tag, fold, instant_key, int_key_of, path_key, prefix_successor};
use super::membership::Side;
use super::{Dialect, SqlValue};

/// Where the names of a (sub)filter are looked up.
#[derive(Clone, Copy)]
enum Ctx<'a> {
    /// The resource: the subject is `r.id`.
    Root,
    /// One element of a multi-valued attribute (a valuePath's inner filter): the subject is
    /// the element row `e`.
    Element {
        member: Option<&'a str>,
        key: &'a str,
        parent: Option<&'a Attribute>,
    },
}

/// A sub-attribute name no membership row keeps (no attribute name holds U+0000).
const NOT_KEPT: &str = "\u{0}";

/// The rows one comparison reads.
enum Source {
    /// Index paths, each optionally restricted to rows that stand for a non-object element (a
    /// scalar element is its own `value`).
    Index(Vec<(String, bool)>),
    /// A subquery with the index's columns (memberships, from `scim_members`).
    Derived(String),
}

pub(super) struct Translator<'a, 'q> {
    pub(super) schemas: &'a SchemaRegistry,
    /// The resource type queried (`members` of a Group and `groups` of a User are rows).
    pub(super) resource_type: &'a str,
    pub(super) sql: &'q mut Sql,
}

impl<'a> Translator<'a, '_> {
    /// Appends the predicate of `f` (already bound, so it type-checks) for the resource `r`.
    pub(super) fn predicate(&mut self, f: &'a Filter) -> Result<(), ScimError> {
        self.node(Ctx::Root, f)
    }

    fn node(&mut self, ctx: Ctx<'a>, f: &'a Filter) -> Result<(), ScimError> {
        match f {
            Filter::And(..) | Filter::Or(..) => {
                let is_and = matches!(f, Filter::And(..));
                let operands = chain(f, is_and);
                self.balanced(ctx, &operands, if is_and { " AND " } else { " OR " })
            }
            Filter::Not(inner) => {
                self.sql.push("NOT (");
                self.node(ctx, inner)?;
                self.sql.push(")");
                Ok(())
            }
            Filter::Present(path) => {
                let site = self.site(ctx, path, false)?;
                let source = self.source(ctx, &site, &[]);
                self.exists(ctx, &source, &format!("x.kind <= {}", kind::OBJECT));
                Ok(())
            }
            Filter::Compare(path, op, comp) if is_null_test(*op, comp) => {
                let site = self.site(ctx, path, false)?;
                let source = self.source(ctx, &site, &[]);
                if *op == CompareOp::Eq {
                    self.sql.push("NOT ");
                }
                self.exists(ctx, &source, &format!("x.kind <= {}", kind::OBJECT));
                Ok(())
            }
            Filter::Compare(path, op, comp) => {
                let site = self.site(ctx, path, true)?;
                let how = How::new(path, site.leaf(), *op, comp)?;
                let cond = self.condition(&how, *op, comp);
                if !site.value_of_objects() {
                    let source = self.source(ctx, &site, &[]);
                    self.holds(ctx, &source, &cond, *op);
                    return Ok(());
                }
                // No definition: the `value`s of objects when the data holds objects.
                let marker = self.marker(ctx, &site);
                let of_objects = self.source(ctx, &site, &["value"]);
                let plain = self.source(ctx, &site, &[]);
                self.sql.push("((");
                self.exists(ctx, &marker, "1 = 1");
                self.sql.push(" AND ");
                self.holds(ctx, &of_objects, &cond, *op);
                self.sql.push(") OR (NOT ");
                self.exists(ctx, &marker, "1 = 1");
                self.sql.push(" AND ");
                self.holds(ctx, &plain, &cond, *op);
                self.sql.push("))");
                Ok(())
            }
            Filter::ValuePath(path, inner) => {
                let Ctx::Root = ctx else {
                    return Err(ScimError::invalid_filter(
                        "a valuePath inside a valuePath has no SQL translation",
                    ));
                };
                let site = Site::in_resource(self.schemas, path, false)?;
                let inner_ctx = Ctx::Element {
                    member: site.member(),
                    key: site.name(),
                    parent: site.attr(),
                };
                let side = Side::of(self.resource_type, site.member(), site.name());
                if let Some((rows, rest)) = self.anchor(inner_ctx, inner)? {
                    // The anchor's own condition holds on its rows: only the rest is checked.
                    self.sql
                        .push(&format!("r.id IN (SELECT e.id FROM ({rows}) e"));
                    if !rest.is_empty() {
                        self.sql.push(" WHERE (");
                        self.balanced(inner_ctx, &rest, " AND ")?;
                        self.sql.push(")");
                    }
                    self.sql.push(")");
                    return Ok(());
                }
                if let Some(side) = side {
                    let rows = side.rows(self.sql, None);
                    self.sql
                        .push(&format!("r.id IN (SELECT e.id FROM ({rows}) e WHERE ("));
                } else {
                    let elements = path_key(site.member(), &[site.name()], Tag::Elements);
                    let p = self.sql.text(elements);
                    self.sql.push(&format!(
                        "r.id IN (SELECT e.id FROM scim_index e WHERE e.tenant = {t} AND \
                         e.rtype = {rt} AND e.path = {p} AND (",
                        t = self.sql.tenant(),
                        rt = self.sql.rtype(),
                    ));
                }
                self.node(inner_ctx, inner)?;
                self.sql.push("))");
                Ok(())
            }
        }
    }

    /// `a AND b AND …` as a balanced tree of parentheses, so a long chain nests only
    /// log₂(n) deep (SQLite limits expression depth to 1000).
    fn balanced(&mut self, ctx: Ctx<'a>, ops: &[&'a Filter], word: &str) -> Result<(), ScimError> {
        if let [one] = ops {
            return self.node(ctx, one);
        }
        let (left, right) = ops.split_at(ops.len() / 2);
        self.sql.push("(");
        self.balanced(ctx, left, word)?;
        self.sql.push(word);
        self.balanced(ctx, right, word)?;
        self.sql.push(")");
        Ok(())
    }

    fn site(
        &self,
        ctx: Ctx<'a>,
        path: &'a crate::AttrPath,
        cmp: bool,
    ) -> Result<Site<'a>, ScimError> {
        match ctx {
            Ctx::Root => Site::in_resource(self.schemas, path, cmp),
            Ctx::Element { parent, .. } => Site::in_element(parent, path, cmp),
        }
    }

    /// The index paths holding the values the evaluator visits at `site`, with `extra` path
    /// parts (a `value` read inside objects) after the site's own.
    fn source(&mut self, ctx: Ctx<'a>, site: &Site<'a>, extra: &[&str]) -> Source {
        // A membership: the element's attribute, then the sub-attribute read in it.
        let (side, sub) = match ctx {
            Ctx::Root => (
                Side::of(self.resource_type, site.member(), site.name()),
                site.sub_attribute().or(extra.first().copied()),
            ),
            Ctx::Element { member, key, .. } => (
                Side::of(self.resource_type, member, key),
                Some(site.name()).filter(|_| site.sub_attribute().is_none() && extra.is_empty()),
            ),
        };
        if let Some(side) = side {
            let deeper = match ctx {
                Ctx::Root => site.sub_attribute().is_some() && !extra.is_empty(),
                Ctx::Element { .. } => site.sub_attribute().is_some() || !extra.is_empty(),
            };
            // Members' sub-attributes are strings: nothing is kept below them.
            let sub = if deeper { Some(NOT_KEPT) } else { sub };
            return Source::Derived(side.rows(self.sql, sub));
        }
        let mut parts: Vec<&str> = Vec::with_capacity(4);
        let member = match ctx {
            Ctx::Root => site.member(),
            Ctx::Element { member, key, .. } => {
                parts.push(key);
                member
            }
        };
        parts.push(site.name());
        parts.extend(site.sub_attribute());
        parts.extend_from_slice(extra);
        let mut paths = vec![(path_key(member, &parts, Tag::Values), false)];
        if let Ctx::Element { key, .. } = ctx
            && extra.is_empty()
            && site.sub_attribute().is_none()
            && site.name().eq_ignore_ascii_case("value")
        {
            // A scalar element is its own `value`.
            paths.push((path_key(member, &[key], Tag::Values), true));
        }
        Source::Index(paths)
    }

    /// The "holds objects" marker of `site` (an attribute without definition).
    fn marker(&mut self, ctx: Ctx<'a>, site: &Site<'a>) -> Source {
        match ctx {
            // Members are objects; their sub-attributes are strings.
            Ctx::Root => {
                if let Some(side) = Side::of(self.resource_type, site.member(), site.name()) {
                    return Source::Derived(side.rows(self.sql, None));
                }
            }
            Ctx::Element { member, key, .. } => {
                if let Some(side) = Side::of(self.resource_type, member, key) {
                    return Source::Derived(side.rows(self.sql, Some(NOT_KEPT)));
                }
            }
        }
        let (member, parts) = match ctx {
            Ctx::Root => (site.member(), vec![site.name()]),
            Ctx::Element { member, key, .. } => (member, vec![key, site.name()]),
        };
        Source::Index(vec![(path_key(member, &parts, Tag::HoldsObjects), false)])
    }

    /// Some value at `source` satisfies `cond`; for `ne`, also true when no value is
    /// assigned (RFC 7643 §2.5: unassigned is null, which is `ne` any value).
    fn holds(&mut self, ctx: Ctx<'a>, source: &Source, cond: &str, op: CompareOp) {
        if op != CompareOp::Ne {
            self.exists(ctx, source, cond);
            return;
        }
        self.sql.push("(");
        self.exists(ctx, source, cond);
        self.sql.push(" OR NOT ");
        self.exists(ctx, source, "1 = 1");
        self.sql.push(")");
    }

    /// The subject has a row at `source` satisfying `cond`. At the root this is a set
    /// membership the planner drives from the index (`r.id IN (SELECT …)`); in an element, a
    /// probe of that element's rows.
    fn exists(&mut self, ctx: Ctx<'a>, source: &Source, cond: &str) {
        let text = match ctx {
            Ctx::Root => format!("r.id IN ({})", self.rows(source, cond, "x.id")),
            Ctx::Element { .. } => {
                let cond = format!("x.id = e.id AND x.elem = e.elem AND {cond}");
                format!("EXISTS ({})", self.rows(source, &cond, "1"))
            }
        };
        self.sql.push(&text);
    }

    /// `SELECT {cols}` of the rows at `source` satisfying `cond`.
    fn rows(&mut self, source: &Source, cond: &str, cols: &str) -> String {
        let (t, rt) = (self.sql.tenant(), self.sql.rtype());
        let source = match source {
            Source::Index(paths) => paths,
            Source::Derived(rows) => return format!("SELECT {cols} FROM ({rows}) x WHERE {cond}"),
        };
        let mut paths = String::new();
        for (i, (path, non_object)) in source.iter().enumerate() {
            let p = self.sql.text(path.clone());
            if i > 0 {
                paths.push_str(" OR ");
            }
            match non_object {
                false => {
                    let _ = write!(paths, "x.path = {p}");
                }
                true => {
                    let _ = write!(paths, "(x.path = {p} AND x.kind <= {})", kind::ARRAY);
                }
            }
        }
        format!(
            "SELECT {cols} FROM scim_index x WHERE x.tenant = {t} AND x.rtype = {rt} AND \
             ({paths}) AND {cond}"
        )
    }

    /// The rows (`id`, `elem`) of a comparison every element matching a valuePath's inner
    /// filter must satisfy (an operand of its top `and` that holds only where a row does), so
    /// the database starts from that comparison's index rather than from every element; and
    /// the other operands.
    fn anchor(
        &mut self,
        ctx: Ctx<'a>,
        inner: &'a Filter,
    ) -> Result<Option<(String, Vec<&'a Filter>)>, ScimError> {
        let mut operands = match inner {
            Filter::And(..) => chain(inner, true),
            f => vec![f],
        };
        for (i, operand) in operands.iter().copied().enumerate() {
            let (site, cond) = match operand {
                Filter::Compare(path, op, comp)
                    if *op != CompareOp::Ne && !is_null_test(*op, comp) =>
                {
                    let site = self.site(ctx, path, true)?;
                    if site.value_of_objects() {
                        continue;
                    }
                    let how = How::new(path, site.leaf(), *op, comp)?;
                    (site, self.condition(&how, *op, comp))
                }
                Filter::Present(path) => (
                    self.site(ctx, path, false)?,
                    format!("x.kind <= {}", kind::OBJECT),
                ),
                _ => continue,
            };
            let source = self.source(ctx, &site, &[]);
            let rows = self.rows(&source, &cond, "x.id, x.elem");
            operands.remove(i);
            return Ok(Some((rows, operands)));
        }
        Ok(None)
    }

    /// The condition on one index row `x` for `value op comp`, as `How` compares.
    fn condition(&mut self, how: &How, op: CompareOp, comp: &CompValue) -> String {
        match (how, comp) {
            (How::Str { case_exact }, CompValue::String(c)) => {
                self.text_condition(*case_exact, op, c)
            }
            (How::Untyped, CompValue::String(c)) => self.text_condition(false, op, c),
            (How::DateTime(t), _) => {
                let p = self.sql.text(instant_key(t));
                format!("x.instant {} {p}", sql_op(op))
            }
            (How::Bool | How::Untyped, CompValue::Bool(b)) => {
                let p = self.sql.bind(SqlValue::Bool(*b));
                format!("x.bool_value {} {p}", sql_op(op))
            }
            (How::Number | How::Untyped, CompValue::Number(n)) => {
                let o = sql_op(op);
                let f = self.sql.bind(SqlValue::Real(n.as_f64().unwrap_or(0.0)));
                let int = n
                    .as_i64()
                    .map(i128::from)
                    .or_else(|| n.as_u64().map(i128::from));
                match int {
                    Some(i) => {
                        let k = self.sql.text(int_key_of(i));
                        format!(
                            "((x.num_int IS NOT NULL AND x.num_int {o} {k}) OR \
                             (x.num_int IS NULL AND x.num {o} {f}))"
                        )
                    }
                    None => format!("x.num {o} {f}"),
                }
            }
            // What `How::new` lets through and the evaluator never matches.
            _ => "1 = 0".to_owned(),
        }
    }

    fn text_condition(&mut self, case_exact: bool, op: CompareOp, c: &str) -> String {
        let (col, key) = match case_exact {
            true => ("x.exact", c.to_owned()),
            false => ("x.fold", fold(c)),
        };
        if key.is_empty() && matches!(op, CompareOp::Co | CompareOp::Sw | CompareOp::Ew) {
            return format!("{col} IS NOT NULL");
        }
        let pg = self.sql.dialect() == Dialect::Postgres;
        match op {
            CompareOp::Sw => match prefix_successor(&key) {
                Some(next) => {
                    let (p, n) = (self.sql.text(key), self.sql.text(next));
                    format!("({col} >= {p} AND {col} < {n})")
                }
                None => {
                    let p = self.sql.text(key);
                    match pg {
                        true => format!("left({col}, length({p})) = {p}"),
                        false => format!("substr({col}, 1, length({p})) = {p}"),
                    }
                }
            },
            CompareOp::Ew => {
                let p = self.sql.text(key);
                match pg {
                    true => format!("right({col}, length({p})) = {p}"),
                    false => format!("substr({col}, -length({p})) = {p}"),
                }
            }
            CompareOp::Co => {
                let p = self.sql.text(key);
                match pg {
                    true => format!("strpos({col}, {p}) > 0"),
                    false => format!("instr({col}, {p}) > 0"),
                }
            }
            _ => {
                let p = self.sql.text(key);
                format!("{col} {} {p}", sql_op(op))
            }
        }
    }
}

fn sql_op(op: CompareOp) -> &'static str {
    match op {
        CompareOp::Eq => "=",
        CompareOp::Ne => "<>",
        CompareOp::Gt => ">",
        CompareOp::Ge => ">=",
        CompareOp::Lt => "<",
        CompareOp::Le => "<=",
        // Substring operators have their own forms (`text_condition`).
        CompareOp::Co | CompareOp::Sw | CompareOp::Ew => "=",
    }
}

/// The operands of an `and` (`is_and`) or `or` chain, left to right, without recursion.
fn chain(f: &Filter, is_and: bool) -> Vec<&Filter> {
    let mut rights = Vec::new();
    let mut node = f;
    while let (Filter::And(l, r), true) | (Filter::Or(l, r), false) = (node, is_and) {
        rights.push(&**r);
        node = l;
    }
    rights.push(node);
    rights.reverse();
    rights
}
