//! SQL text with numbered placeholders and the values bound to them.

use std::collections::HashMap;
use std::fmt;

use super::{Dialect, SqlValue};

/// Above this many names, an equal one is found through a map rather than a scan.
const SCAN_LIMIT: usize = 24;

/// The placeholder of parameter `n` (1-based): `?n` on SQLite, `$n` on PostgreSQL. A value, so
/// writing one allocates nothing.
#[derive(Debug, Clone, Copy)]
pub(super) struct Ph {
    dialect: Dialect,
    n: usize,
}

impl Ph {
    pub(super) fn write_to(self, out: &mut String) {
        out.push(match self.dialect {
            Dialect::Sqlite => '?',
            Dialect::Postgres => '$',
        });
        let mut digits = [0u8; 20];
        let (mut n, mut i) = (self.n, digits.len());
        loop {
            i -= 1;
            // `n % 10` is below 10.
            digits[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        for &d in &digits[i..] {
            out.push(char::from(d));
        }
    }
}

impl fmt::Display for Ph {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mark = match self.dialect {
            Dialect::Sqlite => '?',
            Dialect::Postgres => '$',
        };
        write!(f, "{mark}{}", self.n)
    }
}

/// A statement being written: text, and the values its placeholders stand for. The tenant and
/// the resource type are always parameters 1 and 2; equal names (paths, the tenant, a
/// resource type) are bound once, values as they come.
#[derive(Debug)]
pub(super) struct Sql {
    dialect: Dialect,
    text: String,
    params: Vec<SqlValue>,
    /// The parameters holding names ([`text`](Self::text)), scanned for an equal one: a
    /// statement names few paths, and values (most of the parameters) are never looked up.
    names: Vec<usize>,
    /// Built once the names outgrow a scan.
    map: Option<HashMap<String, usize>>,
}

impl Sql {
    pub(super) fn new(dialect: Dialect, tenant: &str, resource_type: &str) -> Self {
        let mut sql = Self {
            dialect,
            text: String::with_capacity(512),
            params: Vec::with_capacity(8),
            names: Vec::with_capacity(4),
            map: None,
        };
        sql.text(tenant);
        sql.text(resource_type);
        sql
    }

    pub(super) fn dialect(&self) -> Dialect {
        self.dialect
    }

    pub(super) fn push(&mut self, s: &str) {
        self.text.push_str(s);
    }

    /// Appends a placeholder.
    pub(super) fn ph(&mut self, p: Ph) {
        p.write_to(&mut self.text);
    }

    fn placeholder(&self, n: usize) -> Ph {
        Ph {
            dialect: self.dialect,
            n,
        }
    }

    pub(super) fn tenant(&self) -> Ph {
        self.placeholder(1)
    }

    pub(super) fn rtype(&self) -> Ph {
        self.placeholder(2)
    }

    /// Binds `v` and returns its placeholder.
    pub(super) fn bind(&mut self, v: SqlValue) -> Ph {
        self.params.push(v);
        self.placeholder(self.params.len())
    }

    /// Binds a value from the request (a text, as it comes) and returns its placeholder.
    pub(super) fn value(&mut self, s: String) -> Ph {
        self.bind(SqlValue::Text(s))
    }

    /// Binds a name (an index path, the tenant, a resource type) once per distinct text and
    /// returns its placeholder.
    pub(super) fn text(&mut self, s: &str) -> Ph {
        if let Some(n) = self.bound(s) {
            return self.placeholder(n);
        }
        let ph = self.bind(SqlValue::Text(s.to_owned()));
        self.names.push(ph.n);
        if let Some(map) = &mut self.map {
            map.insert(s.to_owned(), ph.n);
        }
        ph
    }

    /// The parameter already holding name `s`.
    fn bound(&mut self, s: &str) -> Option<usize> {
        if self.map.is_none() && self.names.len() > SCAN_LIMIT {
            let mut map = HashMap::with_capacity(self.names.len() * 2);
            for &n in &self.names {
                if let SqlValue::Text(t) = &self.params[n - 1] {
                    map.entry(t.clone()).or_insert(n);
                }
            }
            self.map = Some(map);
        }
        match &self.map {
            Some(map) => map.get(s).copied(),
            None => self
                .names
                .iter()
                .copied()
                .find(|&n| matches!(&self.params[n - 1], SqlValue::Text(t) if t == s)),
        }
    }

    /// The length of the text written so far (to split a statement later).
    pub(super) fn len(&self) -> usize {
        self.text.len()
    }

    pub(super) fn text_from(&self, start: usize) -> &str {
        &self.text[start..]
    }

    pub(super) fn params(&self) -> &[SqlValue] {
        &self.params
    }

    pub(super) fn finish(self) -> (String, Vec<SqlValue>) {
        (self.text, self.params)
    }
}
