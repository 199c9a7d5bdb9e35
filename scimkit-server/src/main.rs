//! `scimkit-server`: serves SCIM 2.0 from SQLite (a local file by default) or PostgreSQL.
//!
//! Lines scripts read (fixed): `base URL: <url>` for each tenant on start, and `token: <token>`
//! once when a tenant is created (at a first start on an empty database, or by
//! `tenant create`).
#![forbid(unsafe_code)]
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use axum::http::HeaderName;
use clap::{Args, Parser, Subcommand};
use scimkit_server::{
    Limits, ServeOptions, Service, SqlStore, Store, TenantRecord, base_url, issue_token, router,
    serve as serve_app, valid_tenant_id,
};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

/// Serve SCIM 2.0 (RFC 7643/7644) from SQLite or PostgreSQL, for many tenants.
///
/// Exit codes: 0 success (or a clean stop on SIGTERM/Ctrl-C), 1 a runtime failure (database,
/// address in use), 2 a usage error.
#[derive(Debug, Parser)]
#[command(name = "scimkit-server", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    serve: Serve,
}

#[derive(Debug, Args)]
struct Db {
    /// The database: a SQLite file path, `sqlite::memory:`, or `postgres://user:pass@host/db`.
    #[arg(
        long,
        env = "SCIMKIT_DATABASE",
        default_value = "scimkit.db",
        global = true
    )]
    database: String,
    /// Connections in the database pool (SQLite: readers; its writes go through one more).
    #[arg(
        long,
        env = "SCIMKIT_MAX_CONNECTIONS",
        default_value_t = 16,
        global = true
    )]
    max_connections: u32,
}

#[derive(Debug, Args)]
struct Serve {
    #[command(flatten)]
    db: Db,
    /// The address to listen on.
    #[arg(long, env = "SCIMKIT_BIND", default_value = "127.0.0.1")]
    bind: String,
    /// The port; 0 takes a free one (the `base URL:` lines say which).
    #[arg(long, env = "SCIMKIT_PORT", default_value_t = 8080)]
    port: u16,
    /// The URL clients reach this server at (behind a proxy); default `http://BIND:PORT`.
    #[arg(long, env = "SCIMKIT_PUBLIC_URL")]
    public_url: Option<String>,
    /// The profile of the tenant a first start creates: `rfc` or `identity-center` (AWS IAM
    /// Identity Center's limits: cursor paging with count at most 100, groups answered without
    /// members, only `eq`/`and` filters, at most 100 membership changes per PATCH, 204 on
    /// PatchGroup, its error bodies).
    #[arg(long, default_value = "rfc")]
    profile: String,
    /// The `Compat` preset of that tenant: strict, entra, okta, jumpcloud, lenient.
    #[arg(long, default_value = "strict")]
    compat: String,
    /// The largest request body, in bytes.
    #[arg(long, env = "SCIMKIT_MAX_BODY", default_value_t = 2 * 1024 * 1024)]
    max_body: usize,
    /// Seconds a request may take, body included.
    #[arg(long, env = "SCIMKIT_REQUEST_TIMEOUT", default_value_t = 30)]
    request_timeout: u64,
    /// Requests handled at once.
    #[arg(long, env = "SCIMKIT_MAX_CONCURRENT", default_value_t = 256)]
    max_concurrent: usize,
    /// Seconds a client may take to send a request's line and headers; past it the
    /// connection is closed (the body is covered by --request-timeout).
    #[arg(long, env = "SCIMKIT_HEADER_TIMEOUT", default_value_t = 10)]
    header_timeout: u64,
    /// Seconds an RFC 9865 cursor stays valid between pages (`cursorTimeout`).
    #[arg(long, env = "SCIMKIT_CURSOR_TIMEOUT", default_value_t = 600)]
    cursor_timeout: u64,
    /// The secret cursors are signed with (servers behind one load balancer share it);
    /// default a random one per process, so cursors do not survive a restart.
    #[arg(long, env = "SCIMKIT_CURSOR_SECRET", hide_env_values = true)]
    cursor_secret: Option<String>,
    /// Inject faults into every tenant's SCIM requests, for testing clients (never /health):
    /// `throttle=0.1,error=0.02,reset=0.02` are shares of requests answered 429 with
    /// Retry-After, answered 500/503, or whose connection is dropped (half before the request
    /// runs, half after it committed); `rate=N` limits each tenant to N requests/s (429 with
    /// Retry-After past it); also `reset-before=`, `reset-after=`, `retry-after=SECS`,
    /// `seed=N` (repeatable draws). Off by default.
    #[arg(long, env = "SCIMKIT_FAULTS", value_name = "SPEC")]
    faults: Option<scimkit_server::Faults>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve (the default).
    Serve(Serve),
    /// Manage tenants.
    #[command(subcommand)]
    Tenant(TenantCommand),
    /// Manage bearer tokens.
    #[command(subcommand)]
    Token(TokenCommand),
}

#[derive(Debug, Subcommand)]
enum TenantCommand {
    /// Create a tenant and issue its first token (prints `base URL:` and `token:`).
    Create {
        /// Its id, the path segment of its base URL: a-z, 0-9, `-`, `_`.
        name: String,
        /// `rfc` or `identity-center`.
        #[arg(long, default_value = "rfc")]
        profile: String,
        /// The `Compat` preset.
        #[arg(long, default_value = "strict")]
        compat: String,
        /// Refuse `password` (by default it is accepted and stored as an argon2 hash).
        #[arg(long)]
        refuse_passwords: bool,
        /// The URL the server is reached at, for the `base URL:` line.
        #[arg(
            long,
            env = "SCIMKIT_PUBLIC_URL",
            default_value = "http://127.0.0.1:8080"
        )]
        public_url: String,
        #[command(flatten)]
        db: Db,
    },
    /// List tenants.
    List {
        #[command(flatten)]
        db: Db,
    },
}

#[derive(Debug, Subcommand)]
enum TokenCommand {
    /// Issue a token for a tenant (printed once as `token: …`; only its hash is stored).
    Issue {
        /// The tenant.
        tenant: String,
        /// A note for people.
        #[arg(long, default_value = "issued by scimkit-server token issue")]
        label: String,
        #[command(flatten)]
        db: Db,
    },
    /// List a tenant's tokens (ids and labels; secrets are never stored).
    List {
        /// The tenant.
        tenant: String,
        #[command(flatten)]
        db: Db,
    },
    /// Revoke a token by id; it stops working at once, even on a running server.
    Revoke {
        /// The token id (`scimkit_{id}_…`, as `token list` shows).
        id: String,
        #[command(flatten)]
        db: Db,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("scimkit-server: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            None => serve(cli.serve).await,
            Some(Command::Serve(s)) => serve(s).await,
            Some(Command::Tenant(t)) => tenant(t).await,
            Some(Command::Token(t)) => token(t).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failed::Usage(e)) => {
            eprintln!("scimkit-server: {e}");
            ExitCode::from(2)
        }
        Err(Failed::Runtime(e)) => {
            eprintln!("scimkit-server: {e}");
            ExitCode::FAILURE
        }
    }
}

enum Failed {
    Usage(String),
    Runtime(String),
}

fn runtime(e: impl std::fmt::Display) -> Failed {
    Failed::Runtime(e.to_string())
}

async fn open(db: &Db) -> Result<SqlStore, Failed> {
    SqlStore::open_with(&db.database, db.max_connections)
        .await
        .map_err(|e| Failed::Runtime(format!("cannot open the database: {e}")))
}

fn record(
    name: &str,
    profile: &str,
    compat: &str,
    accept_passwords: bool,
) -> Result<TenantRecord, Failed> {
    if !valid_tenant_id(name) {
        return Err(Failed::Usage(format!(
            "`{name}` cannot be a tenant id: use 1-64 of a-z, 0-9, `-`, `_`"
        )));
    }
    let t = TenantRecord {
        id: name.to_owned(),
        name: name.to_owned(),
        profile: profile.to_owned(),
        compat: compat.to_owned(),
        accept_passwords,
    };
    // Checked now, not at the first request.
    scimkit_server::Tenant::new(t.clone(), "http://localhost")
        .map_err(|e| Failed::Usage(e.detail().unwrap_or("invalid tenant").to_owned()))?;
    Ok(t)
}

/// Creates a tenant and its first token; prints the two fixed lines.
async fn create_tenant(
    store: &SqlStore,
    t: &TenantRecord,
    public_url: &str,
    label: &str,
) -> Result<(), Failed> {
    store.create_tenant(t).await.map_err(|e| {
        Failed::Runtime(e.detail().unwrap_or("cannot create the tenant").to_owned())
    })?;
    let (text, token) = issue_token(&t.id, label).map_err(|e| runtime(e.status))?;
    store
        .add_token(&token)
        .await
        .map_err(|e| Failed::Runtime(e.detail().unwrap_or("cannot store the token").to_owned()))?;
    println!("base URL: {}", base_url(public_url, &t.id));
    println!("token: {text}");
    Ok(())
}

async fn serve(o: Serve) -> Result<(), Failed> {
    let store = open(&o.db).await?;
    let listener = tokio::net::TcpListener::bind((o.bind.as_str(), o.port))
        .await
        .map_err(|e| Failed::Runtime(format!("cannot listen on {}:{}: {e}", o.bind, o.port)))?;
    let addr = listener.local_addr().map_err(runtime)?;
    let public_url = o
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{addr}"));
    let tenants = store.tenants().await.map_err(|e| runtime(e.status))?;
    if tenants.is_empty() {
        let first = record("default", &o.profile, &o.compat, true)?;
        create_tenant(&store, &first, &public_url, "created at first start").await?;
    } else {
        for t in &tenants {
            println!("base URL: {}", base_url(&public_url, &t.id));
        }
    }
    let limits = Limits {
        max_body: o.max_body,
        request_timeout: Duration::from_secs(o.request_timeout.max(1)),
        max_concurrent: o.max_concurrent.max(1),
    };
    let mut service = Service::new(store.clone(), public_url)
        .with_limits(limits)
        .with_cursor_timeout(Duration::from_secs(o.cursor_timeout.max(1)));
    if let Some(secret) = &o.cursor_secret {
        service = service.with_cursor_secret(secret.as_bytes());
    }
    if let Some(faults) = o.faults.filter(|f| !f.is_none()) {
        tracing::warn!(%faults, "injecting faults into SCIM requests");
        service = service.with_faults(faults);
    }
    let service = Arc::new(service);
    let request_id = HeaderName::from_static("x-request-id");
    // The span names the request by id, method and path: never its query (filters hold
    // people's names), headers (the token) or body.
    let trace = TraceLayer::new_for_http().make_span_with(|r: &axum::http::Request<_>| {
        let id = r
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        tracing::info_span!("request", id = %id, method = %r.method(), path = %r.uri().path())
    });
    let app = router(service)
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(trace)
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid));
    tracing::info!(%addr, "serving");
    let options =
        ServeOptions::default().with_header_timeout(Duration::from_secs(o.header_timeout.max(1)));
    serve_app(listener, app, stop_signal(), options)
        .await
        .map_err(runtime)?;
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Ctrl-C or SIGTERM: stop accepting, let in-flight requests finish.
async fn stop_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("stopping: finishing in-flight requests");
}

async fn tenant(c: TenantCommand) -> Result<(), Failed> {
    match c {
        TenantCommand::Create {
            name,
            profile,
            compat,
            refuse_passwords,
            public_url,
            db,
        } => {
            let t = record(&name, &profile, &compat, !refuse_passwords)?;
            let store = open(&db).await?;
            create_tenant(&store, &t, &public_url, "created by tenant create").await
        }
        TenantCommand::List { db } => {
            let store = open(&db).await?;
            for t in store.tenants().await.map_err(|e| runtime(e.status))? {
                println!(
                    "{}\tprofile={}\tcompat={}\tpasswords={}",
                    t.id,
                    t.profile,
                    t.compat,
                    if t.accept_passwords {
                        "accepted"
                    } else {
                        "refused"
                    }
                );
            }
            Ok(())
        }
    }
}

async fn token(c: TokenCommand) -> Result<(), Failed> {
    match c {
        TokenCommand::Issue { tenant, label, db } => {
            let store = open(&db).await?;
            if !store
                .tenants()
                .await
                .map_err(|e| runtime(e.status))?
                .iter()
                .any(|t| t.id == tenant)
            {
                return Err(Failed::Usage(format!("no tenant `{tenant}`")));
            }
            let (text, record) = issue_token(&tenant, &label).map_err(|e| runtime(e.status))?;
            store
                .add_token(&record)
                .await
                .map_err(|e| runtime(e.status))?;
            println!("token: {text}");
            Ok(())
        }
        TokenCommand::List { tenant, db } => {
            let store = open(&db).await?;
            for t in store.tokens(&tenant).await.map_err(|e| runtime(e.status))? {
                println!("{}\t{}\t{}", t.id, t.created, t.label);
            }
            Ok(())
        }
        TokenCommand::Revoke { id, db } => {
            let store = open(&db).await?;
            if store
                .revoke_token(&id)
                .await
                .map_err(|e| runtime(e.status))?
            {
                println!("revoked: {id}");
                Ok(())
            } else {
                Err(Failed::Usage(format!("no token `{id}`")))
            }
        }
    }
}
