//! sqlx glue shared by `tests/sql_diff.rs` and `benches/sql.rs`: binding the `SqlValue`s of a
//! translated query, and running its page and count statements.

/// A query with every value of `$params` bound, in order.
macro_rules! bind_all {
    ($q:expr, $params:expr) => {{
        let mut q = $q;
        for p in $params {
            q = match p {
                SqlValue::Text(s) => q.bind(s.clone()),
                SqlValue::Int(i) => q.bind(*i),
                SqlValue::Real(f) => q.bind(*f),
                SqlValue::Bool(b) => q.bind(*b),
            };
        }
        q
    }};
}

/// The page's ids and the count, from one connection of either kind.
macro_rules! fetch {
    ($c:expr, $sql:expr) => {{
        let rows = bind_all!(sqlx::query(&$sql.select.sql), &$sql.select.params)
            .fetch_all(&mut *$c)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", $sql.select.sql));
        let total = bind_all!(sqlx::query(&$sql.count.sql), &$sql.count.params)
            .fetch_one(&mut *$c)
            .await
            .unwrap()
            .get(0);
        (rows.iter().map(|r| r.get(0)).collect(), total)
    }};
}
