//! A bound [`Filter`] as an SQL predicate over the search index: a walk of the filter tree
//! that asks the evaluator's own resolution ([`Site`], [`How`]) what each comparison reads and
//! how it compares, and answers with conditions on the precomputed keys.

use crate::error::ScimError;
use crate::filter::{CompValue, CompareOp, Filter, How, Site, is_null_test};
use crate::schema::{Attribute, SchemaRegistry, Uniqueness};

use super::builder::{Ph, Sql};
use super::index::kind;
use super::keys::{Tag, fold, instant_key, int_key_of, path_key_into, prefix_successor};
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
    /// Index paths (one or two, bound), each optionally restricted to rows that stand for a
    /// non-object element (a scalar element is its own `value`).
    Index([Option<(Ph, bool)>; 2]),
    /// A subquery with the index's columns (memberships, from `scim_members`).
    Derived(String),
}

/// A condition on one index row `x`, its values already bound: written when the statement
/// around it is, so building it allocates nothing.
#[derive(Clone, Copy)]
enum Cond {
    /// Any row (`1 = 1`).
    Any,
    /// No row (`1 = 0`): what `How::new` lets through and the evaluator never matches.
    Never,
    /// A present value: `x.kind <= OBJECT`.
    Present,
    /// `col IS NOT NULL`.
    NotNull(&'static str),
    /// `col op p`.
    Cmp(&'static str, &'static str, Ph),
    /// `col >= lo AND col < hi`.
    Range(&'static str, Ph, Ph),
    /// A substring test by function: `sw` without a successor, `ew`, `co`.
    Func(Substring, &'static str, Ph),
    /// A number against an integer literal: exact over integers, else doubles.
    IntOrNum(&'static str, Ph, Ph),
}

#[derive(Clone, Copy)]
enum Substring {
    Starts,
    Ends,
    Contains,
}

pub(super) struct Translator<'a, 'q> {
    pub(super) schemas: &'a SchemaRegistry,
    /// The resource type queried (`members` of a Group and `groups` of a User are rows).
    pub(super) resource_type: &'a str,
    pub(super) sql: &'q mut Sql,
    /// A buffer for index paths, reused across comparisons.
    scratch: String,
    /// What a condition at the root tests: `r.id`, or `q.id` inside an id set ([`Self::ids`]).
    subject: &'static str,
    /// Write a root comparison's id subquery alone, without `subject IN (…)` around it.
    bare: bool,
    /// Sites already resolved ([`Self::root_site`]).
    sites: [Option<(&'a crate::AttrPath, bool, Site<'a>)>; MEMO],
    /// Inside a valuePath that starts from many elements: test each element's other
    /// conditions against their rows' `(id, elem)` set, read once, not by a probe per element.
    element_sets: bool,
    /// Writing an arm of [`Self::ids`] that a page reads in id order and stops reading at
    /// the page's end: its probes then cost the page, not every match, so a page keeps them.
    stream: bool,
    /// Written for a count, which reads every match: element sets even in a streamed arm.
    for_count: bool,
    /// A streamed arm would read element sets in a count: its text differs from the page's.
    pub(super) broad_elements: bool,
}

impl<'a, 'q> Translator<'a, 'q> {
    pub(super) fn new(
        schemas: &'a SchemaRegistry,
        resource_type: &'a str,
        sql: &'q mut Sql,
        for_count: bool,
    ) -> Self {
        Self {
            schemas,
            resource_type,
            sql,
            scratch: String::new(),
            subject: "r.id",
            bare: false,
            sites: [None; MEMO],
            element_sets: false,
            stream: false,
            for_count,
            broad_elements: false,
        }
    }

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
                self.exists(ctx, &source, Cond::Present);
                Ok(())
            }
            Filter::Compare(path, op, comp) if is_null_test(*op, comp) => {
                let site = self.site(ctx, path, false)?;
                let source = self.source(ctx, &site, &[]);
                if *op == CompareOp::Eq {
                    self.sql.push("NOT ");
                }
                self.exists(ctx, &source, Cond::Present);
                Ok(())
            }
            Filter::Compare(path, op, comp) => {
                let site = self.site(ctx, path, true)?;
                let how = How::new(path, site.leaf(), *op, comp)?;
                let cond = self.condition(&how, *op, comp);
                if !site.value_of_objects() {
                    let source = self.source(ctx, &site, &[]);
                    self.holds(ctx, &source, cond, *op);
                    return Ok(());
                }
                // No definition: the `value`s of objects when the data holds objects.
                let marker = self.marker(ctx, &site);
                let of_objects = self.source(ctx, &site, &["value"]);
                let plain = self.source(ctx, &site, &[]);
                self.sql.push("((");
                self.exists(ctx, &marker, Cond::Any);
                self.sql.push(" AND ");
                self.holds(ctx, &of_objects, cond, *op);
                self.sql.push(") OR (NOT ");
                self.exists(ctx, &marker, Cond::Any);
                self.sql.push(" AND ");
                self.holds(ctx, &plain, cond, *op);
                self.sql.push("))");
                Ok(())
            }
            Filter::ValuePath(path, inner) => {
                let Ctx::Root = ctx else {
                    return Err(ScimError::invalid_filter(
                        "a valuePath inside a valuePath has no SQL translation",
                    ));
                };
                let site = self.root_site(path, false)?;
                let inner_ctx = Ctx::Element {
                    member: site.member(),
                    key: site.name(),
                    parent: site.attr(),
                };
                let side = Side::of(self.resource_type, site.member(), site.name());
                let bare = std::mem::take(&mut self.bare);
                if !bare {
                    self.sql.push(self.subject);
                    self.sql.push(" IN (");
                }
                let close = if bare { ")" } else { "))" };
                if let Some((source, cond, rank, rest)) = self.anchor(inner_ctx, inner)? {
                    // The anchor's own condition holds on its rows: only the rest is checked.
                    self.sql.push("SELECT e.id FROM (");
                    self.rows(&source, cond, "x.id, x.elem", false);
                    self.sql.push(") e");
                    if !rest.is_empty() {
                        self.sql.push(" WHERE (");
                        // A selective anchor (an `eq` on a value, a `sw`) yields few
                        // elements: probe each; otherwise read each condition's rows once.
                        self.in_elements(rank >= BROAD_RANK, |t| {
                            t.balanced(inner_ctx, &rest, " AND ")
                        })?;
                        self.sql.push(")");
                    }
                    if !bare {
                        self.sql.push(")");
                    }
                    return Ok(());
                }
                if let Some(side) = side {
                    let rows = side.rows(self.sql, None);
                    self.sql.push("SELECT e.id FROM (");
                    self.sql.push(&rows);
                    self.sql.push(") e WHERE (");
                } else {
                    path_key_into(
                        &mut self.scratch,
                        site.member(),
                        &[site.name()],
                        Tag::Elements,
                    );
                    let p = self.sql.text(&self.scratch);
                    let (t, rt) = (self.sql.tenant(), self.sql.rtype());
                    self.sql
                        .push("SELECT e.id FROM scim_index e WHERE e.tenant = ");
                    self.sql.ph(t);
                    self.sql.push(" AND e.rtype = ");
                    self.sql.ph(rt);
                    self.sql.push(" AND e.path = ");
                    self.sql.ph(p);
                    self.sql.push(" AND (");
                }
                // Every element is visited: read each condition's rows once.
                self.in_elements(true, |t| t.node(inner_ctx, inner))?;
                self.sql.push(close);
                Ok(())
            }
        }
    }

    /// Writes `SELECT …` of the distinct ids of the resources `f` matches, read from the index
    /// alone, when `f` is an `and` (or a single condition) with at least one operand that holds
    /// only where an index row does (an [arm](Self::is_arm)); returns `None`, having written
    /// nothing, otherwise.
    ///
    /// The arms' id sets are intersected before any resource is touched: on SQLite as
    /// `a INTERSECT b … ORDER BY 1` (the text ends so), which it runs as a merge of index ranges already in id order; on
    /// PostgreSQL as `SELECT DISTINCT q.id FROM (a) q WHERE q.id IN (b) …`, which it runs as
    /// merge semi-joins. The other operands are tested on each id of the first arm. Every id
    /// an arm yields is a stored resource's (rows are written and deleted with their
    /// resource), so the set is exactly the resources `f` matches.
    pub(super) fn ids(&mut self, f: &'a Filter) -> Result<Option<IdSet>, ScimError> {
        let operands = match f {
            Filter::And(..) => chain(f, true),
            f => vec![f],
        };
        let (mut arms, mut rest) = (Vec::new(), Vec::new());
        for o in operands {
            match self.is_arm(o)? {
                Some(rank) => arms.push((rank, o)),
                None => rest.push(o),
            }
        }
        // The likely most selective first: the one the others are tested against.
        arms.sort_by_key(|(rank, _)| *rank);
        if arms.len() > MAX_ARMS {
            rest.extend(arms.drain(MAX_ARMS..).map(|(_, o)| o));
        }
        let Some(&(first_rank, first)) = arms.first() else {
            return Ok(None);
        };
        match self.sql.dialect() {
            Dialect::Sqlite if arms.len() > 1 => {
                for (i, (_, a)) in arms.iter().enumerate() {
                    if i > 0 {
                        self.sql.push(" INTERSECT ");
                    }
                    if i == 0 && !rest.is_empty() {
                        self.sql.push("SELECT q.id FROM (");
                        self.streamed_arm(a)?;
                        self.sql.push(") q");
                        self.rest(&rest)?;
                    } else {
                        self.streamed_arm(a)?;
                    }
                }
                // Ordered, SQLite merges the arms (unordered, it builds a temporary b-tree).
                self.sql.push(" ORDER BY 1");
                return Ok(Some(IdSet {
                    rank: first_rank,
                    ordered: true,
                }));
            }
            _ => {
                self.sql.push("SELECT DISTINCT q.id FROM (");
                self.streamed_arm(first)?;
                self.sql.push(") q");
                if arms.len() > 1 || !rest.is_empty() {
                    self.sql.push(" WHERE ");
                }
                for (i, (_, a)) in arms.iter().enumerate().skip(1) {
                    if i > 1 {
                        self.sql.push(" AND ");
                    }
                    self.sql.push("q.id IN (");
                    self.streamed_arm(a)?;
                    self.sql.push(")");
                }
                if !rest.is_empty() {
                    if arms.len() > 1 {
                        self.sql.push(" AND ");
                    }
                    self.sql.push("(");
                    self.with_subject(|t| t.balanced(Ctx::Root, &rest, " AND "))?;
                    self.sql.push(")");
                }
            }
        }
        Ok(Some(IdSet {
            rank: first_rank,
            ordered: false,
        }))
    }

    /// ` WHERE (rest)` on the ids `q.id`.
    fn rest(&mut self, rest: &[&'a Filter]) -> Result<(), ScimError> {
        if rest.is_empty() {
            return Ok(());
        }
        self.sql.push(" WHERE (");
        self.with_subject(|t| t.balanced(Ctx::Root, rest, " AND "))?;
        self.sql.push(")");
        Ok(())
    }

    /// Runs `write` with [`element_sets`](Self::element_sets) as `sets`, unless it writes a
    /// page's [streamed](Self::stream) arm.
    fn in_elements(
        &mut self,
        sets: bool,
        write: impl FnOnce(&mut Self) -> Result<(), ScimError>,
    ) -> Result<(), ScimError> {
        self.broad_elements |= sets && self.stream;
        let sets = sets && (self.for_count || !self.stream);
        let before = std::mem::replace(&mut self.element_sets, sets);
        let out = write(self);
        self.element_sets = before;
        out
    }

    fn with_subject(
        &mut self,
        write: impl FnOnce(&mut Self) -> Result<(), ScimError>,
    ) -> Result<(), ScimError> {
        let before = std::mem::replace(&mut self.subject, "q.id");
        let out = write(self);
        self.subject = before;
        out
    }

    /// Whether `f` at the root is an arm: a condition that holds only where the resource has
    /// an index row of its own (a comparison other than `ne` and `eq null`, `pr`, a valuePath,
    /// or an `or` of arms), so its ids are a subquery of `scim_index` alone. Memberships are
    /// not: their rows name members that need not be resources of the type queried. With a
    /// rank: lower ones likely select fewer resources.
    fn is_arm(&mut self, f: &'a Filter) -> Result<Option<u8>, ScimError> {
        let own =
            |site: &Site<'a>| Side::of(self.resource_type, site.member(), site.name()).is_none();
        Ok(match f {
            Filter::Compare(path, op, comp) if *op != CompareOp::Ne && !is_null_test(*op, comp) => {
                let site = self.root_site(path, true)?;
                (own(&site) && !site.value_of_objects()).then(|| rank(*op, comp, site.leaf()))
            }
            Filter::Present(path) => {
                let site = self.root_site(path, false)?;
                own(&site).then_some(6)
            }
            Filter::ValuePath(path, _) => {
                let site = self.root_site(path, false)?;
                own(&site).then_some(4)
            }
            Filter::Or(..) => {
                let operands = chain(f, false);
                if operands.len() > MAX_ARMS {
                    return Ok(None);
                }
                let mut worst = Some(0);
                for o in operands {
                    worst = match (worst, self.is_arm(o)?) {
                        (Some(w), Some(r)) => Some(w.max(r)),
                        _ => None,
                    };
                    if worst.is_none() {
                        break;
                    }
                }
                worst.map(|w| w.max(7))
            }
            _ => None,
        })
    }

    /// Writes the id subquery of an [arm](Self::is_arm).
    fn arm(&mut self, f: &'a Filter) -> Result<(), ScimError> {
        if let Filter::Or(..) = f {
            // A union is read whole before its ids are ordered: nothing in it streams.
            let stream = std::mem::replace(&mut self.stream, false);
            self.sql.push("SELECT u.id FROM (");
            for (i, o) in chain(f, false).into_iter().enumerate() {
                if i > 0 {
                    self.sql.push(" UNION ");
                }
                self.arm(o)?;
            }
            self.sql.push(") u");
            self.stream = stream;
            return Ok(());
        }
        self.bare = true;
        let out = self.node(Ctx::Root, f);
        self.bare = false;
        out
    }

    /// [`arm`](Self::arm), read by the page in id order ([`stream`](Self::stream)).
    fn streamed_arm(&mut self, f: &'a Filter) -> Result<(), ScimError> {
        self.stream = true;
        let out = self.arm(f);
        self.stream = false;
        out
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

    /// The site of `path` in the resource, resolved once: [`Self::is_arm`] and the writing of
    /// the arm both ask (the memo is kept for the first few paths only, so it stays a scan).
    fn root_site(&mut self, path: &'a crate::AttrPath, cmp: bool) -> Result<Site<'a>, ScimError> {
        let mut free = None;
        for slot in &mut self.sites {
            match slot {
                Some((p, c, site)) if std::ptr::eq(*p, path) && *c == cmp => return Ok(*site),
                Some(_) => {}
                None => {
                    free = Some(slot);
                    break;
                }
            }
        }
        let site = Site::in_resource(self.schemas, path, cmp)?;
        if let Some(slot) = free {
            *slot = Some((path, cmp, site));
        }
        Ok(site)
    }

    fn site(
        &mut self,
        ctx: Ctx<'a>,
        path: &'a crate::AttrPath,
        cmp: bool,
    ) -> Result<Site<'a>, ScimError> {
        match ctx {
            Ctx::Root => self.root_site(path, cmp),
            Ctx::Element { parent, .. } => Site::in_element(parent, path, cmp),
        }
    }

    /// Binds the index path of `parts` (under `member`) and returns its placeholder.
    fn path(&mut self, member: Option<&str>, parts: &[&str], tag: Tag) -> Ph {
        path_key_into(&mut self.scratch, member, parts, tag);
        self.sql.text(&self.scratch)
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
        // At most: the element's attribute, the name, a sub-attribute and one extra (`value`).
        let mut parts: [&str; 4] = [""; 4];
        let mut len = 0;
        let member = match ctx {
            Ctx::Root => site.member(),
            Ctx::Element { member, key, .. } => {
                parts[0] = key;
                len = 1;
                member
            }
        };
        for p in std::iter::once(site.name())
            .chain(site.sub_attribute())
            .chain(extra.iter().copied())
        {
            if let Some(slot) = parts.get_mut(len) {
                *slot = p;
                len += 1;
            }
        }
        let first = self.path(member, &parts[..len], Tag::Values);
        let mut paths = [Some((first, false)), None];
        if let Ctx::Element { key, .. } = ctx
            && extra.is_empty()
            && site.sub_attribute().is_none()
            && site.name().eq_ignore_ascii_case("value")
        {
            // A scalar element is its own `value`.
            paths[1] = Some((self.path(member, &[key], Tag::Values), true));
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
        let p = match ctx {
            Ctx::Root => self.path(site.member(), &[site.name()], Tag::HoldsObjects),
            Ctx::Element { member, key, .. } => {
                self.path(member, &[key, site.name()], Tag::HoldsObjects)
            }
        };
        Source::Index([Some((p, false)), None])
    }

    /// Some value at `source` satisfies `cond`; for `ne`, also true when no value is
    /// assigned (RFC 7643 §2.5: unassigned is null, which is `ne` any value).
    fn holds(&mut self, ctx: Ctx<'a>, source: &Source, cond: Cond, op: CompareOp) {
        if op != CompareOp::Ne {
            self.exists(ctx, source, cond);
            return;
        }
        self.sql.push("(");
        self.exists(ctx, source, cond);
        self.sql.push(" OR NOT ");
        self.exists(ctx, source, Cond::Any);
        self.sql.push(")");
    }

    /// The subject has a row at `source` satisfying `cond`. At the root this is a set
    /// membership the planner drives from the index (`r.id IN (SELECT …)`); in an element, a
    /// probe of that element's rows.
    fn exists(&mut self, ctx: Ctx<'a>, source: &Source, cond: Cond) {
        match ctx {
            Ctx::Root => {
                if std::mem::take(&mut self.bare) {
                    self.rows(source, cond, "x.id", false);
                    return;
                }
                self.sql.push(self.subject);
                self.sql.push(" IN (");
                self.rows(source, cond, "x.id", false);
            }
            // Index rows are never NULL in `id` or `elem`: `IN` is two-valued here.
            Ctx::Element { .. } if self.element_sets && matches!(source, Source::Index(_)) => {
                self.sql.push("(e.id, e.elem) IN (");
                self.rows(source, cond, "x.id, x.elem", false);
            }
            Ctx::Element { .. } => {
                self.sql.push("EXISTS (");
                self.rows(source, cond, "1", true);
            }
        }
        self.sql.push(")");
    }

    /// `SELECT {cols}` of the rows at `source` satisfying `cond` (and, for `in_element`,
    /// belonging to the element `e`).
    fn rows(&mut self, source: &Source, cond: Cond, cols: &str, in_element: bool) {
        self.sql.push("SELECT ");
        self.sql.push(cols);
        match source {
            Source::Derived(rows) => {
                self.sql.push(" FROM (");
                self.sql.push(rows);
                self.sql.push(") x WHERE ");
            }
            Source::Index(paths) => {
                let (t, rt) = (self.sql.tenant(), self.sql.rtype());
                self.sql.push(" FROM scim_index x WHERE x.tenant = ");
                self.sql.ph(t);
                self.sql.push(" AND x.rtype = ");
                self.sql.ph(rt);
                match paths {
                    [Some((p, false)), None] => {
                        self.sql.push(" AND x.path = ");
                        self.sql.ph(*p);
                    }
                    // `path = a OR (path = b AND non-object)`, written so that both planners
                    // probe the index once per path (an `OR` of paths is not an index key).
                    [Some((a, false)), Some((b, true))] => {
                        self.sql.push(" AND x.path IN (");
                        self.sql.ph(*a);
                        self.sql.push(", ");
                        self.sql.ph(*b);
                        self.sql.push(") AND (x.path = ");
                        self.sql.ph(*a);
                        self.sql.push(" OR x.kind <= 3)");
                    }
                    other => {
                        self.sql.push(" AND (");
                        for (i, (p, non_object)) in other.iter().flatten().enumerate() {
                            if i > 0 {
                                self.sql.push(" OR ");
                            }
                            self.sql.push("(x.path = ");
                            self.sql.ph(*p);
                            self.sql.push(if *non_object {
                                " AND x.kind <= 3)"
                            } else {
                                ")"
                            });
                        }
                        self.sql.push(")");
                    }
                }
                self.sql.push(" AND ");
            }
        }
        if in_element {
            self.sql.push("x.id = e.id AND x.elem = e.elem AND ");
        }
        self.cond(cond);
    }

    /// Writes `cond`.
    fn cond(&mut self, cond: Cond) {
        let pg = self.sql.dialect() == Dialect::Postgres;
        let sql = &mut *self.sql;
        match cond {
            Cond::Any => sql.push("1 = 1"),
            Cond::Never => sql.push("1 = 0"),
            Cond::Present => sql.push(PRESENT),
            Cond::NotNull(col) => {
                sql.push(col);
                sql.push(" IS NOT NULL");
            }
            Cond::Cmp(col, op, p) => {
                sql.push(col);
                sql.push(" ");
                sql.push(op);
                sql.push(" ");
                sql.ph(p);
            }
            Cond::Range(col, lo, hi) => {
                sql.push("(");
                sql.push(col);
                sql.push(" >= ");
                sql.ph(lo);
                sql.push(" AND ");
                sql.push(col);
                sql.push(" < ");
                sql.ph(hi);
                sql.push(")");
            }
            Cond::Func(f, col, p) => {
                let (open, mid, close) = match (f, pg) {
                    (Substring::Starts, true) => ("left(", ", length(", ")) = "),
                    (Substring::Starts, false) => ("substr(", ", 1, length(", ")) = "),
                    (Substring::Ends, true) => ("right(", ", length(", ")) = "),
                    (Substring::Ends, false) => ("substr(", ", -length(", ")) = "),
                    (Substring::Contains, true) => ("strpos(", ", ", ") > 0"),
                    (Substring::Contains, false) => ("instr(", ", ", ") > 0"),
                };
                sql.push(open);
                sql.push(col);
                sql.push(mid);
                sql.ph(p);
                sql.push(close);
                if !matches!(f, Substring::Contains) {
                    sql.ph(p);
                }
            }
            Cond::IntOrNum(o, k, f) => {
                sql.push("((x.num_int IS NOT NULL AND x.num_int ");
                sql.push(o);
                sql.push(" ");
                sql.ph(k);
                sql.push(") OR (x.num_int IS NULL AND x.num ");
                sql.push(o);
                sql.push(" ");
                sql.ph(f);
                sql.push("))");
            }
        }
    }

    /// The rows (`id`, `elem`) of a comparison every element matching a valuePath's inner
    /// filter must satisfy (an operand of its top `and` that holds only where a row does), so
    /// the database starts from that comparison's index rather than from every element; its
    /// [`rank`]; and the other operands.
    #[allow(clippy::type_complexity)]
    fn anchor(
        &mut self,
        ctx: Ctx<'a>,
        inner: &'a Filter,
    ) -> Result<Option<(Source, Cond, u8, Vec<&'a Filter>)>, ScimError> {
        let mut operands = match inner {
            Filter::And(..) => chain(inner, true),
            f => vec![f],
        };
        // The eligible operand likely to select the fewest elements.
        let mut best: Option<(u8, usize)> = None;
        for (i, operand) in operands.iter().copied().enumerate() {
            let r = match operand {
                Filter::Compare(path, op, comp)
                    if *op != CompareOp::Ne && !is_null_test(*op, comp) =>
                {
                    let site = self.site(ctx, path, true)?;
                    if site.value_of_objects() {
                        continue;
                    }
                    rank(*op, comp, site.leaf())
                }
                Filter::Present(_) => 6,
                _ => continue,
            };
            if best.is_none_or(|(b, _)| r < b) {
                best = Some((r, i));
            }
        }
        let Some((rank, i)) = best else {
            return Ok(None);
        };
        let (site, cond) = match operands.remove(i) {
            Filter::Compare(path, op, comp) => {
                let site = self.site(ctx, path, true)?;
                let how = How::new(path, site.leaf(), *op, comp)?;
                let cond = self.condition(&how, *op, comp);
                (site, cond)
            }
            Filter::Present(path) => (self.site(ctx, path, false)?, Cond::Present),
            _ => return Ok(None),
        };
        let source = self.source(ctx, &site, &[]);
        Ok(Some((source, cond, rank, operands)))
    }

    /// The condition on one index row `x` for `value op comp`, as `How` compares.
    fn condition(&mut self, how: &How, op: CompareOp, comp: &CompValue) -> Cond {
        match (how, comp) {
            (How::Str { case_exact }, CompValue::String(c)) => {
                self.text_condition(*case_exact, op, c)
            }
            (How::Untyped, CompValue::String(c)) => self.text_condition(false, op, c),
            (How::DateTime(t), _) => {
                let p = self.sql.value(instant_key(t));
                Cond::Cmp("x.instant", sql_op(op), p)
            }
            (How::Bool | How::Untyped, CompValue::Bool(b)) => {
                let p = self.sql.bind(SqlValue::Bool(*b));
                Cond::Cmp("x.bool_value", sql_op(op), p)
            }
            (How::Number | How::Untyped, CompValue::Number(n)) => {
                let o = sql_op(op);
                let f = self.sql.bind(SqlValue::Real(n.as_f64().unwrap_or(0.0)));
                let int = n
                    .as_i64()
                    .map(i128::from)
                    .or_else(|| n.as_u64().map(i128::from));
                match int {
                    Some(i) => Cond::IntOrNum(o, self.sql.value(int_key_of(i)), f),
                    None => Cond::Cmp("x.num", o, f),
                }
            }
            _ => Cond::Never,
        }
    }

    fn text_condition(&mut self, case_exact: bool, op: CompareOp, c: &str) -> Cond {
        let (col, key) = match case_exact {
            true => ("x.exact", c.to_owned()),
            false => ("x.fold", fold(c)),
        };
        if key.is_empty() && matches!(op, CompareOp::Co | CompareOp::Sw | CompareOp::Ew) {
            return Cond::NotNull(col);
        }
        let next = match op {
            CompareOp::Sw => prefix_successor(&key),
            _ => None,
        };
        let p = self.sql.value(key);
        match op {
            CompareOp::Sw => match next {
                Some(next) => Cond::Range(col, p, self.sql.value(next)),
                None => Cond::Func(Substring::Starts, col, p),
            },
            CompareOp::Ew => Cond::Func(Substring::Ends, col, p),
            CompareOp::Co => Cond::Func(Substring::Contains, col, p),
            _ => Cond::Cmp(col, sql_op(op), p),
        }
    }
}

/// [`Cond::Present`]: a row standing for a value, not for an empty object or a marker.
const PRESENT: &str = "x.kind <= 4";
// `PRESENT` and the non-object test of `rows` (`x.kind <= 3`) spell these kinds.
const _: () = assert!(kind::OBJECT == 4 && kind::ARRAY == 3);

/// What [`Translator::ids`] wrote.
#[derive(Debug, Clone, Copy)]
pub(super) struct IdSet {
    /// The [`rank`] of the arm the set is read from.
    pub(super) rank: u8,
    /// The text ends with `ORDER BY 1`.
    pub(super) ordered: bool,
}

/// At most this many id sets are combined in one `INTERSECT` or `UNION` (SQLite allows 500
/// terms in a compound `SELECT`); further arms are tested as predicates.
const MAX_ARMS: usize = 64;

/// How many resolved sites a translator keeps ([`Translator::root_site`]): in place, so the
/// memo costs no allocation.
const MEMO: usize = 8;

/// The [`rank`] from which a comparison likely holds for many rows (`eq` on a boolean or a
/// canonical value, ranges, `co`, `pr`).
const BROAD_RANK: u8 = 3;

/// The [`rank`] of `co` and `ew`, which read every value of a path.
pub(super) const SCAN_RANK: u8 = 5;

/// How selective a comparison likely is, lowest first, from its operator and the attribute's
/// definition alone (the translator knows no statistics): `eq` on a unique attribute, `eq`,
/// `sw` (an index range), `eq` on a boolean or an attribute with canonical values (`type`),
/// other ranges, `co`/`ew` (every value of the path is read). `pr` is 6, a valuePath 4, an
/// `or` 7.
fn rank(op: CompareOp, comp: &CompValue, leaf: Option<&Attribute>) -> u8 {
    let few_values = matches!(comp, CompValue::Bool(_))
        || leaf.is_some_and(|a| !a.canonical_values().is_empty());
    match op {
        CompareOp::Eq if leaf.is_some_and(|a| a.uniqueness() != Uniqueness::None) => 0,
        CompareOp::Eq if !few_values => 1,
        CompareOp::Sw => 2,
        CompareOp::Eq => 3,
        CompareOp::Co | CompareOp::Ew => SCAN_RANK,
        _ => 4,
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
