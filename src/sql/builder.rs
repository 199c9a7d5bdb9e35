//! SQL text with numbered placeholders and the values bound to them.

use std::collections::HashMap;
use std::fmt;

use super::{Dialect, SqlValue};

/// Above this many parameters, equal texts are found through a map rather than a scan.
const SCAN_LIMIT: usize = 24;

/// The placeholder of parameter `n` (1-based): `?n` on SQLite, `$n` on PostgreSQL. A value, so
/// writing one allocates nothing.
#[derive(Debug, Clone, Copy)]
pub(super) struct Ph {
    dialect: Dialect,
    n: usize,
}

impl Ph {
    fn write_to(self, out: &mut String) {
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
/// the resource type are always parameters 1 and 2; equal text parameters are bound once.
#[derive(Debug)]
pub(super) struct Sql {
    dialect: Dialect,
    text: String,
    params: Vec<SqlValue>,
    /// Built once the parameters outgrow a scan.
    texts: Option<HashMap<String, usize>>,
}

impl Sql {
    pub(super) fn new(dialect: Dialect, tenant: &str, resource_type: &str) -> Self {
        let mut sql = Self {
            dialect,
            text: String::with_capacity(512),
            params: Vec::with_capacity(8),
            texts: None,
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

    /// Binds a text value (once per distinct text) and returns its placeholder.
    pub(super) fn text(&mut self, s: &str) -> Ph {
        match self.bound(s) {
            Some(n) => self.placeholder(n),
            None => self.bind_new_text(s.to_owned()),
        }
    }

    /// [`text`](Self::text) for a value already owned.
    pub(super) fn text_owned(&mut self, s: String) -> Ph {
        match self.bound(&s) {
            Some(n) => self.placeholder(n),
            None => self.bind_new_text(s),
        }
    }

    /// The parameter already holding text `s`.
    fn bound(&mut self, s: &str) -> Option<usize> {
        if self.texts.is_none() && self.params.len() > SCAN_LIMIT {
            let map = self.params.iter().enumerate().filter_map(|(i, p)| match p {
                SqlValue::Text(t) => Some((t.clone(), i + 1)),
                _ => None,
            });
            // The first binding of a text wins, as in the scan.
            let mut texts = HashMap::new();
            for (t, n) in map {
                texts.entry(t).or_insert(n);
            }
            self.texts = Some(texts);
        }
        match &self.texts {
            Some(map) => map.get(s).copied(),
            None => self
                .params
                .iter()
                .position(|p| matches!(p, SqlValue::Text(t) if t == s))
                .map(|i| i + 1),
        }
    }

    fn bind_new_text(&mut self, s: String) -> Ph {
        if let Some(map) = &mut self.texts {
            map.insert(s.clone(), self.params.len() + 1);
        }
        self.bind(SqlValue::Text(s))
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
