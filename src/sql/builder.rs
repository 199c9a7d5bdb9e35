//! SQL text with numbered placeholders and the values bound to them.

use std::collections::HashMap;

use super::{Dialect, SqlValue};

/// A statement being written: text, and the values its placeholders stand for. The tenant and
/// the resource type are always parameters 1 and 2; equal text parameters are bound once.
#[derive(Debug)]
pub(super) struct Sql {
    dialect: Dialect,
    text: String,
    params: Vec<SqlValue>,
    texts: HashMap<String, usize>,
}

impl Sql {
    pub(super) fn new(dialect: Dialect, tenant: &str, resource_type: &str) -> Self {
        let mut sql = Self {
            dialect,
            text: String::new(),
            params: Vec::new(),
            texts: HashMap::new(),
        };
        sql.text(tenant.to_owned());
        sql.text(resource_type.to_owned());
        sql
    }

    pub(super) fn dialect(&self) -> Dialect {
        self.dialect
    }

    pub(super) fn push(&mut self, s: &str) {
        self.text.push_str(s);
    }

    /// The placeholder of parameter `n` (1-based): `?n` on SQLite, `$n` on PostgreSQL.
    fn placeholder(&self, n: usize) -> String {
        match self.dialect {
            Dialect::Sqlite => format!("?{n}"),
            Dialect::Postgres => format!("${n}"),
        }
    }

    pub(super) fn tenant(&self) -> String {
        self.placeholder(1)
    }

    pub(super) fn rtype(&self) -> String {
        self.placeholder(2)
    }

    /// Binds `v` and returns its placeholder.
    pub(super) fn bind(&mut self, v: SqlValue) -> String {
        self.params.push(v);
        self.placeholder(self.params.len())
    }

    /// Binds a text value (once per distinct text) and returns its placeholder.
    pub(super) fn text(&mut self, s: String) -> String {
        if let Some(&n) = self.texts.get(&s) {
            return self.placeholder(n);
        }
        let n = self.params.len() + 1;
        self.texts.insert(s.clone(), n);
        self.bind(SqlValue::Text(s))
    }

    /// The text written so far, leaving the bound values (for a second statement over the
    /// same predicate).
    pub(super) fn take_text(&mut self) -> String {
        std::mem::take(&mut self.text)
    }

    pub(super) fn params(&self) -> &[SqlValue] {
        &self.params
    }

    pub(super) fn finish(self) -> (String, Vec<SqlValue>) {
        (self.text, self.params)
    }
}
