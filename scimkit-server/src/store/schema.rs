//! The database schema: the core's layout ([`scimkit::sql::MIGRATIONS`]) and the server's
//! own tables, each migration applied once, in order, in one transaction.

use scimkit::sql::{Dialect, MIGRATIONS};

use super::db::{Db, Param};

/// The server's tables: tenants, tokens (hashes only) and password hashes.
const SERVER: &[(u32, &str)] = &[(
    1,
    "CREATE TABLE scimkit_tenants (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        profile TEXT NOT NULL,
        compat TEXT NOT NULL,
        accept_passwords BIGINT NOT NULL,
        created TEXT NOT NULL
    );
    CREATE TABLE scimkit_tokens (
        id TEXT PRIMARY KEY,
        tenant TEXT NOT NULL,
        hash TEXT NOT NULL,
        created TEXT NOT NULL,
        label TEXT NOT NULL
    );
    CREATE INDEX scimkit_tokens_tenant ON scimkit_tokens (tenant);
    CREATE TABLE scimkit_secrets (
        tenant TEXT NOT NULL,
        rtype TEXT NOT NULL,
        id TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        PRIMARY KEY (tenant, rtype, id)
    )",
)];

/// Brings the database up to date.
pub(crate) async fn migrate(db: &Db) -> Result<(), sqlx::Error> {
    let dialect = db.dialect();
    let mut tx = db.begin().await?;
    if dialect == Dialect::Postgres {
        // Two servers starting on one empty database: the second waits for the first.
        tx.raw("SELECT pg_advisory_xact_lock(7309311337)").await?;
    }
    tx.raw(
        "CREATE TABLE IF NOT EXISTS scimkit_migrations (
            component TEXT NOT NULL,
            version BIGINT NOT NULL,
            PRIMARY KEY (component, version)
        )",
    )
    .await?;
    let applied = tx
        .rows(&db.stmt(
            "SELECT component, version FROM scimkit_migrations",
            Vec::new(),
        ))
        .await?;
    let done = |component: &str, version: u32| {
        applied
            .iter()
            .any(|r| r.text(0).as_deref() == Some(component) && r.int(1) == i64::from(version))
    };
    let mut steps: Vec<(&str, u32, Vec<&str>)> = Vec::new();
    for m in MIGRATIONS {
        steps.push(("layout", m.version, m.statements(dialect).collect()));
    }
    for (version, sql) in SERVER {
        let statements = sql.split(';').map(str::trim).filter(|s| !s.is_empty());
        steps.push(("server", *version, statements.collect()));
    }
    for (component, version, statements) in steps {
        if done(component, version) {
            continue;
        }
        for s in statements {
            tx.raw(s).await?;
        }
        tx.execute(&db.stmt(
            "INSERT INTO scimkit_migrations (component, version) VALUES ($1, $2)",
            vec![Param::from(component), Param::from(i64::from(version))],
        ))
        .await?;
    }
    tx.commit().await
}
