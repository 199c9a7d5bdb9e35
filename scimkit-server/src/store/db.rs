//! The driver glue: one pool over SQLite or PostgreSQL, statements written once with `$n`
//! placeholders, values bound (never formatted in), rows read by column.
//!
//! SQLite takes one writer at a time; a write that starts as a reader and upgrades can fail
//! with `SQLITE_BUSY` however long it waits. So writers on a SQLite file go through the one
//! connection kept for writes, with group commit ([`Writer`]); an in-memory database (one
//! connection) queues them on an async mutex. Readers never wait for writers (WAL).

use std::borrow::Cow;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use scimkit::ScimError;
use scimkit::sql::{Dialect, SqlQuery, SqlValue};
use serde_json::Value;
use sqlx::postgres::{PgPoolOptions, PgRow};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{PgPool, Postgres, Row as _, Sqlite, SqlitePool, Transaction};
use tokio::sync::{Mutex, OwnedMutexGuard};

use super::writer::{WriteTx, Writer};

/// A value for a placeholder; `None` binds SQL `NULL`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Param {
    Text(Option<String>),
    Int(Option<i64>),
    Real(Option<f64>),
    Bool(Option<bool>),
}

impl From<&str> for Param {
    fn from(s: &str) -> Self {
        Self::Text(Some(s.to_owned()))
    }
}

impl From<String> for Param {
    fn from(s: String) -> Self {
        Self::Text(Some(s))
    }
}

impl From<&String> for Param {
    fn from(s: &String) -> Self {
        Self::Text(Some(s.clone()))
    }
}

impl From<Option<String>> for Param {
    fn from(s: Option<String>) -> Self {
        Self::Text(s)
    }
}

impl From<i64> for Param {
    fn from(n: i64) -> Self {
        Self::Int(Some(n))
    }
}

impl From<SqlValue> for Param {
    fn from(v: SqlValue) -> Self {
        match v {
            SqlValue::Text(s) => Self::Text(Some(s)),
            SqlValue::Int(n) => Self::Int(Some(n)),
            SqlValue::Real(x) => Self::Real(Some(x)),
            SqlValue::Bool(b) => Self::Bool(Some(b)),
        }
    }
}

/// A statement and its values.
#[derive(Debug, Clone)]
pub(crate) struct Stmt {
    pub(crate) sql: String,
    pub(crate) params: Vec<Param>,
}

impl Stmt {
    /// `sql` with `$1…` placeholders, rewritten to `?1…` for SQLite.
    pub(crate) fn new(dialect: Dialect, sql: &str, params: Vec<Param>) -> Self {
        Self {
            sql: placeholders(dialect, sql).into_owned(),
            params,
        }
    }

    /// What the core's translator wrote (already in the dialect).
    pub(crate) fn translated(q: SqlQuery) -> Self {
        Self {
            sql: q.sql,
            params: q.params.into_iter().map(Param::from).collect(),
        }
    }
}

fn placeholders(dialect: Dialect, sql: &str) -> Cow<'_, str> {
    match dialect {
        Dialect::Postgres => Cow::Borrowed(sql),
        // `$n` placeholders become `?n`; a `$` not followed by a digit (`'$.displayName'`) stays.
        // When they appear as `$1, $2, …` in order, each once, they become bare `?`: SQLite
        // numbers those itself, and sqlx looks a numbered one's name up by a linear walk, so a
        // 600-value insert spent more time naming its parameters than writing its rows.
        Dialect::Sqlite => {
            let bare = in_order(sql);
            let mut out = String::with_capacity(sql.len());
            let mut chars = sql.chars().peekable();
            while let Some(c) = chars.next() {
                if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
                    out.push('?');
                    if bare {
                        while chars.peek().is_some_and(char::is_ascii_digit) {
                            chars.next();
                        }
                    }
                } else {
                    out.push(c);
                }
            }
            Cow::Owned(out)
        }
    }
}

/// Whether the `$n` placeholders of `sql` are `$1, $2, …` in order of appearance, each once.
fn in_order(sql: &str) -> bool {
    let bytes = sql.as_bytes();
    let mut next = 1_usize;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'$' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
            let start = i + 1;
            i = start;
            while bytes.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if sql[start..i].parse::<usize>().ok() != Some(next) {
                return false;
            }
            next += 1;
        } else {
            i += 1;
        }
    }
    true
}

/// `($1, $2, …), (…)`: `rows` tuples of `width` placeholders, numbered from `first`.
pub(crate) fn tuples(rows: usize, width: usize, first: usize) -> String {
    let mut out = String::with_capacity(rows * width * 5);
    for r in 0..rows {
        if r > 0 {
            out.push_str(", ");
        }
        out.push('(');
        for c in 0..width {
            if c > 0 {
                out.push_str(", ");
            }
            out.push('$');
            out.push_str(&(first + r * width + c).to_string());
        }
        out.push(')');
    }
    out
}

/// `$first, $first+1, …` (`n` of them), for `IN (…)`.
pub(crate) fn list(n: usize, first: usize) -> String {
    debug_assert!(first > 0);
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

macro_rules! bind_all {
    ($q:expr, $params:expr) => {{
        let mut q = $q;
        for p in $params {
            q = match p {
                Param::Text(v) => q.bind(v.clone()),
                Param::Int(v) => q.bind(*v),
                Param::Real(v) => q.bind(*v),
                Param::Bool(v) => q.bind(*v),
            };
        }
        q
    }};
}

/// A database failure: logged in full, answered as a bare `500` (no SQL or value reaches the
/// client).
pub(crate) fn failure(e: &sqlx::Error) -> ScimError {
    tracing::error!(error = %e, "database error");
    ScimError::with_status(
        500,
        "the service's database failed; the request was not applied",
    )
}

/// Whether `e` is a unique-constraint violation.
pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

/// A row of either database.
pub(crate) enum Row {
    Sqlite(SqliteRow),
    Postgres(PgRow),
}

impl Row {
    pub(crate) fn text(&self, i: usize) -> Option<String> {
        match self {
            Self::Sqlite(r) => r.try_get(i).ok().flatten(),
            Self::Postgres(r) => r.try_get(i).ok().flatten(),
        }
    }

    pub(crate) fn int(&self, i: usize) -> i64 {
        match self {
            Self::Sqlite(r) => r.try_get(i).unwrap_or_default(),
            Self::Postgres(r) => r.try_get(i).unwrap_or_default(),
        }
    }

    /// A JSON column: text on SQLite, `JSONB` on PostgreSQL.
    pub(crate) fn json(&self, i: usize) -> Result<Value, ScimError> {
        let bad = |e: &dyn std::fmt::Display| {
            tracing::error!(error = %e, "stored resource unreadable");
            ScimError::with_status(500, "a stored resource could not be read")
        };
        match self {
            Self::Sqlite(r) => {
                let s: String = r.try_get(i).map_err(|e| bad(&e))?;
                serde_json::from_str(&s).map_err(|e| bad(&e))
            }
            Self::Postgres(r) => r.try_get::<Value, _>(i).map_err(|e| bad(&e)),
        }
    }
}

/// The pool.
#[derive(Debug, Clone)]
pub(crate) enum Db {
    Sqlite {
        pool: SqlitePool,
        /// The connection kept for writes (a file); `None` for an in-memory database.
        writer: Option<Writer>,
        /// Where writers queue on an in-memory database.
        queue: Arc<Mutex<()>>,
    },
    Postgres(PgPool),
}

/// A transaction, holding SQLite's writer turn while it lives (a reading one holds none).
pub(crate) enum Tx {
    Sqlite(Transaction<'static, Sqlite>, Option<OwnedMutexGuard<()>>),
    /// A write on a SQLite file: a savepoint on the writer's connection.
    Write(WriteTx),
    Postgres(Transaction<'static, Postgres>),
}

impl Db {
    /// Connects to `url`: `postgres://…`, `sqlite://PATH`, `sqlite::memory:`, or a bare
    /// path (a SQLite file, created if missing).
    pub(crate) async fn open(url: &str, max_connections: u32) -> Result<Self, sqlx::Error> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = PgPoolOptions::new()
                .max_connections(max_connections)
                .acquire_timeout(Duration::from_secs(10))
                // Statements are prepared and cached; after five runs PostgreSQL may switch to
                // a generic plan, blind to the bound values, which for `member_fold IN (…)` on
                // a 100,000-member group scanned the whole group. Plans per execution keep
                // every lookup on the index its values select.
                .after_connect(|conn, _| {
                    Box::pin(async move {
                        sqlx::query("SET plan_cache_mode = force_custom_plan")
                            .execute(&mut *conn)
                            .await
                            .map(drop)
                    })
                })
                .connect(url)
                .await?;
            return Ok(Self::Postgres(pool));
        }
        let memory = url == ":memory:" || url == "sqlite::memory:" || url.contains("mode=memory");
        let options = if memory {
            // One shared in-memory database per store, not one per connection.
            SqliteConnectOptions::from_str(&format!(
                "sqlite:file:scimkit-{}?mode=memory&cache=shared",
                uuid::Uuid::new_v4().simple()
            ))?
        } else if url.starts_with("sqlite:") {
            SqliteConnectOptions::from_str(url)?
        } else {
            SqliteConnectOptions::new().filename(url)
        };
        // WAL with synchronous = FULL: a commit returns only once the WAL is on disk, so an
        // acknowledged write survives a crash or power loss (NORMAL could lose the last
        // commits on power loss). Readers proceed beside the writer.
        let options = options
            .create_if_missing(true)
            .journal_mode(if memory {
                SqliteJournalMode::Memory
            } else {
                SqliteJournalMode::Wal
            })
            .synchronous(SqliteSynchronous::Full)
            // Statement journals (a multi-row insert inside a transaction keeps one) and sort
            // files in memory: on disk each was a file created, written and unlinked per
            // statement, most of a write's system time.
            .pragma("temp_store", "memory")
            // Pages read through a mapping, not a pread each (writes still go through the WAL).
            .pragma("mmap_size", "268435456")
            // Checkpoints run beside the writer (store/writer.rs), not inside a commit.
            .pragma("wal_autocheckpoint", if memory { "1000" } else { "0" })
            // A WAL that grew under a burst is cut back once it has been checkpointed.
            .pragma("journal_size_limit", "67108864")
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            // One connection for a shared-cache memory database: its table locks answer
            // SQLITE_LOCKED, which no busy timeout waits out, to a reader beside a writer.
            .max_connections(if memory { 1 } else { max_connections })
            // An idle shared-cache memory database vanishes with its last connection.
            .min_connections(u32::from(memory))
            .idle_timeout(if memory {
                None
            } else {
                Some(Duration::from_secs(600))
            })
            .max_lifetime(if memory {
                None
            } else {
                Some(Duration::from_secs(1800))
            })
            .connect_with(options.clone())
            .await?;
        let writer = if memory {
            None
        } else {
            Some(Writer::open(&options).await?)
        };
        Ok(Self::Sqlite {
            pool,
            writer,
            queue: Arc::new(Mutex::new(())),
        })
    }

    pub(crate) fn dialect(&self) -> Dialect {
        match self {
            Self::Sqlite { .. } => Dialect::Sqlite,
            Self::Postgres(_) => Dialect::Postgres,
        }
    }

    /// A statement in this dialect.
    pub(crate) fn stmt(&self, sql: &str, params: Vec<Param>) -> Stmt {
        Stmt::new(self.dialect(), sql, params)
    }

    pub(crate) async fn begin(&self) -> Result<Tx, sqlx::Error> {
        match self {
            Self::Sqlite {
                writer: Some(w), ..
            } => Ok(Tx::Write(w.begin().await?)),
            Self::Sqlite { pool, queue, .. } => {
                let turn = queue.clone().lock_owned().await;
                Ok(Tx::Sqlite(pool.begin().await?, Some(turn)))
            }
            Self::Postgres(pool) => Ok(Tx::Postgres(pool.begin().await?)),
        }
    }

    /// A read-only transaction: one snapshot for every statement of a request (the count
    /// and the page of a list agree), never waiting for writers.
    pub(crate) async fn begin_read(&self) -> Result<Tx, sqlx::Error> {
        match self {
            // Deferred and only reading: in WAL it reads a snapshot and never upgrades.
            Self::Sqlite { pool, .. } => Ok(Tx::Sqlite(pool.begin().await?, None)),
            // One statement, not BEGIN then SET TRANSACTION: a lookup is a few round trips.
            Self::Postgres(pool) => Ok(Tx::Postgres(
                pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .await?,
            )),
        }
    }

    pub(crate) async fn rows(&self, s: &Stmt) -> Result<Vec<Row>, sqlx::Error> {
        Ok(match self {
            Self::Sqlite { pool, .. } => bind_all!(sqlx::query(&s.sql), &s.params)
                .fetch_all(pool)
                .await?
                .into_iter()
                .map(Row::Sqlite)
                .collect(),
            Self::Postgres(pool) => bind_all!(sqlx::query(&s.sql), &s.params)
                .fetch_all(pool)
                .await?
                .into_iter()
                .map(Row::Postgres)
                .collect(),
        })
    }

    /// Runs a statement outside a transaction (one statement is atomic by itself).
    pub(crate) async fn execute(&self, s: &Stmt) -> Result<u64, sqlx::Error> {
        match self {
            Self::Sqlite { .. } => {
                let mut tx = self.begin().await?;
                let n = tx.execute(s).await?;
                tx.commit().await?;
                Ok(n)
            }
            Self::Postgres(pool) => Ok(bind_all!(sqlx::query(&s.sql), &s.params)
                .execute(pool)
                .await?
                .rows_affected()),
        }
    }

    pub(crate) async fn close(&self) {
        match self {
            Self::Sqlite { pool, writer, .. } => {
                if let Some(w) = writer {
                    w.close().await;
                }
                pool.close().await;
            }
            Self::Postgres(pool) => pool.close().await,
        }
    }
}

impl Tx {
    pub(crate) async fn rows(&mut self, s: &Stmt) -> Result<Vec<Row>, sqlx::Error> {
        Ok(match self {
            Self::Sqlite(tx, _) => bind_all!(sqlx::query(&s.sql), &s.params)
                .fetch_all(&mut **tx)
                .await?
                .into_iter()
                .map(Row::Sqlite)
                .collect(),
            Self::Write(tx) => bind_all!(sqlx::query(&s.sql), &s.params)
                .fetch_all(tx.conn()?)
                .await?
                .into_iter()
                .map(Row::Sqlite)
                .collect(),
            Self::Postgres(tx) => bind_all!(sqlx::query(&s.sql), &s.params)
                .fetch_all(&mut **tx)
                .await?
                .into_iter()
                .map(Row::Postgres)
                .collect(),
        })
    }

    pub(crate) async fn execute(&mut self, s: &Stmt) -> Result<u64, sqlx::Error> {
        Ok(match self {
            Self::Sqlite(tx, _) => bind_all!(sqlx::query(&s.sql), &s.params)
                .execute(&mut **tx)
                .await?
                .rows_affected(),
            Self::Write(tx) => bind_all!(sqlx::query(&s.sql), &s.params)
                .execute(tx.conn()?)
                .await?
                .rows_affected(),
            Self::Postgres(tx) => bind_all!(sqlx::query(&s.sql), &s.params)
                .execute(&mut **tx)
                .await?
                .rows_affected(),
        })
    }

    /// Runs `sql` as is: no parameters (migrations).
    pub(crate) async fn raw(&mut self, sql: &str) -> Result<(), sqlx::Error> {
        match self {
            Self::Sqlite(tx, _) => sqlx::query(sql).execute(&mut **tx).await.map(drop),
            Self::Write(tx) => sqlx::query(sql).execute(tx.conn()?).await.map(drop),
            Self::Postgres(tx) => sqlx::query(sql).execute(&mut **tx).await.map(drop),
        }
    }

    pub(crate) async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Self::Sqlite(tx, _turn) => tx.commit().await,
            Self::Write(tx) => tx.commit().await,
            Self::Postgres(tx) => tx.commit().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_rewrite_only_numbered() {
        let s = placeholders(
            Dialect::Sqlite,
            "SELECT json_extract(r, '$.a') WHERE x = $1 AND y = $12",
        );
        assert_eq!(s, "SELECT json_extract(r, '$.a') WHERE x = ?1 AND y = ?12");
        let s = placeholders(
            Dialect::Sqlite,
            "INSERT INTO t VALUES ($1, $2), ($3, '$.a', $4)",
        );
        assert_eq!(s, "INSERT INTO t VALUES (?, ?), (?, '$.a', ?)");
        let s = placeholders(Dialect::Sqlite, "WHERE a = $1 AND b = $1");
        assert_eq!(s, "WHERE a = ?1 AND b = ?1");
        let s = placeholders(Dialect::Sqlite, "WHERE a = $2 AND b = $1");
        assert_eq!(s, "WHERE a = ?2 AND b = ?1");
        assert_eq!(tuples(2, 2, 3), "($3, $4), ($5, $6)");
        assert_eq!(list(3, 2), "$2, $3, $4");
    }
}
