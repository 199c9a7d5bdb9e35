//! Provision a directory into AWS IAM Identity Center, or any SCIM 2.0 endpoint, with the
//! fewest requests, through throttling and faults.
//!
//! The engine behind `scimkit sync`, usable from Rust without the command:
//!
//! 1. a [`Source`] is read (`users.jsonl` and `groups.jsonl`, or values in memory) and checked;
//! 2. [`Engine::plan`] lists the target's users and groups (cursor paging, RFC 9865 and
//!    Identity Center's shape, or index paging), learns the memberships the plan needs
//!    ([`Memberships`]) and computes a [`Plan`] with the core's rules: users matched by
//!    `externalId`, then by `userName` (Identity Center's upsert rule), updates as the core's
//!    minimal PATCH (`scimkit::aws`, `scimkit::diff`), member changes at most 100 per request;
//! 3. [`Engine::apply`] sends it: users, groups, memberships, then deletions (only when asked,
//!    and refused past a threshold unless forced), with bounded concurrency that adapts to
//!    429s (AIMD, `Retry-After` honoured), jittered retries of 5xx and connection errors, and
//!    lost creates found again on their 409 and adopted; a [`Report`] says what it cost.
//!
//! ```no_run
//! use scimkit_sync::{Engine, Options, Source, Token};
//!
//! # async fn run() -> Result<(), scimkit_sync::Error> {
//! let source = Source::read_dir("directory")?;
//! let mut options = Options::new("https://scim.eu-west-1.amazonaws.com/abc/scim/v2",
//!     Token::new(std::env::var("SCIM_TOKEN").unwrap_or_default()));
//! options.state_file = Some("sync-state.json".into());
//! let engine = Engine::new(options)?;
//! let plan = engine.plan(&source).await?;
//! print!("{plan}");
//! let report = engine.apply(&plan).await?;
//! println!("{}", serde_json::to_string(&report).unwrap_or_default());
//! # Ok(()) }
//! ```
//!
//! A run killed midway converges on the next: every write is idempotent or recognised (a
//! create answered 409 is looked up and adopted), and the state file marks the memberships a
//! write was changing as uncertain, to be sent again as the source says.
#![forbid(unsafe_code)]

mod client;
mod error;
mod execute;
mod pace;
mod plan;
mod read;
mod report;
mod source;
mod state;

use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub use client::Token;
pub use error::Error;
pub use plan::{DeleteLimit, GroupChange, MembershipChange, Plan, Profile, Skip, UserChange};
pub use read::Memberships;
pub use report::{Failure, NoProgress, Phase, Progress, Report};
pub use source::Source;

use crate::client::{Client, RetryPolicy};
use crate::plan::DeletePolicy;
use crate::read::Snapshot;
use crate::state::{State, StateFile};

/// How to reach the target and what a run may do.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Options {
    /// The SCIM base URL (`…/scim/v2`, no trailing slash needed).
    pub url: String,
    /// The bearer token.
    pub token: Token,
    /// The target's rules (default: Identity Center's, which any RFC 7644 target accepts).
    pub profile: Profile,
    /// Delete target users and groups the source does not have (default: no).
    pub delete: bool,
    /// Go past [`max_deletes`](Self::max_deletes).
    pub force: bool,
    /// The safety threshold on deletions (default: a tenth of the target's users or groups).
    pub max_deletes: DeleteLimit,
    /// Where memberships come from when the target does not list them.
    pub memberships: Memberships,
    /// The state file (read before planning, written during and after the run); none by
    /// default.
    pub state_file: Option<PathBuf>,
    /// The most requests in flight (default 16); the engine starts at 8 or fewer and adapts.
    pub concurrency: usize,
    /// Attempts per request on 5xx and connection errors (default 6).
    pub attempts: u32,
    /// Attempts per request on 429 (default 30).
    pub throttle_attempts: u32,
    /// The first retry waits up to this, doubling up to [`max_backoff`](Self::max_backoff)
    /// (full jitter; default 100 ms).
    pub backoff: Duration,
    /// The longest wait between two attempts (default 10 s).
    pub max_backoff: Duration,
    /// The whole-request timeout (default 30 s).
    pub timeout: Duration,
}

impl Options {
    /// The defaults for `url` and `token`.
    pub fn new(url: impl Into<String>, token: Token) -> Self {
        Self {
            url: url.into(),
            token,
            profile: Profile::default(),
            delete: false,
            force: false,
            max_deletes: DeleteLimit::default(),
            memberships: Memberships::default(),
            state_file: None,
            concurrency: 16,
            attempts: 6,
            throttle_attempts: 30,
            backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
        }
    }
}

/// A sync engine for one target. Its counters run from creation: a report after
/// [`plan`](Self::plan) and [`apply`](Self::apply) counts both.
pub struct Engine {
    options: Options,
    client: Arc<Client>,
    progress: Arc<dyn Progress>,
    started: Instant,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl Engine {
    /// An engine for `options`; invalid options are [`Error::Options`].
    pub fn new(options: Options) -> Result<Self, Error> {
        if options.concurrency == 0 || options.attempts == 0 || options.throttle_attempts == 0 {
            return Err(Error::Options(
                "concurrency and attempts must be at least 1".to_owned(),
            ));
        }
        let retry = RetryPolicy {
            attempts: options.attempts,
            throttle_attempts: options.throttle_attempts,
            base: options.backoff,
            cap: options.max_backoff,
        };
        let client = Client::new(
            &options.url,
            options.token.clone(),
            options.concurrency,
            retry,
            options.timeout,
        )?;
        Ok(Self {
            options,
            client: Arc::new(client),
            progress: Arc::new(NoProgress),
            started: Instant::now(),
        })
    }

    /// Reports progress to `progress`.
    #[must_use]
    pub fn with_progress(mut self, progress: Arc<dyn Progress>) -> Self {
        self.progress = progress;
        self
    }

    /// Reads the target and computes what [`apply`](Self::apply) would write. Only `GET`
    /// requests are sent.
    pub async fn plan(&self, source: &Source) -> Result<Plan, Error> {
        self.progress.phase(Phase::Reading, None);
        let state = match &self.options.state_file {
            Some(p) => State::load(p, self.client.base())?,
            None => None,
        };
        let (users, groups) = tokio::join!(
            read::list_all(&self.client, "Users"),
            read::list_all(&self.client, "Groups")
        );
        let mut snapshot = Snapshot {
            users: users?,
            groups: groups?,
            ..Snapshot::default()
        };
        let needed = plan::match_groups(source, &snapshot)
            .into_iter()
            .flatten()
            .filter_map(read::id_of)
            .map(str::to_owned)
            .collect();
        let from = read::learn_members(
            &self.client,
            &mut snapshot,
            &needed,
            self.options.memberships,
            state.as_ref(),
        )
        .await?;
        let policy = DeletePolicy {
            delete: self.options.delete,
            limit: self.options.max_deletes,
        };
        Ok(plan::compute(
            source,
            &snapshot,
            &self.options.profile,
            policy,
            from,
        ))
    }

    /// Sends the plan's writes. A plan past the deletion threshold is refused before any
    /// write ([`Error::DeleteThreshold`]) unless [`Options::force`] is set. Writes that fail
    /// after their retries are [`Failure`]s in the report, not errors.
    pub async fn apply(&self, plan: &Plan) -> Result<Report, Error> {
        if let (Some((kind, planned, limit)), false) = (plan.over_threshold, self.options.force) {
            return Err(Error::DeleteThreshold {
                kind,
                planned,
                limit,
            });
        }
        self.progress
            .phase(Phase::Writing, Some(plan.write_count() as u64));
        let mut state = State {
            version: 1,
            target: self.client.base().to_owned(),
            groups: Default::default(),
        };
        for (gid, members) in &plan.known {
            state.groups.entry(gid.clone()).or_default().members =
                members.iter().cloned().collect();
        }
        let ctx = execute::Ctx {
            client: Arc::clone(&self.client),
            profile: Arc::new(self.options.profile.clone()),
            progress: Arc::clone(&self.progress),
            tally: Arc::default(),
            state: Arc::new(Mutex::new(StateFile::new(
                self.options.state_file.clone(),
                state,
            ))),
        };
        execute::run(&ctx, plan).await?;
        let mut report = self.report(plan);
        let t = &ctx.tally;
        let n = |a: &std::sync::atomic::AtomicU64| a.load(Ordering::Relaxed);
        report.users_created = n(&t.users_created);
        report.users_updated = n(&t.users_updated);
        report.users_deleted = n(&t.users_deleted);
        report.groups_created = n(&t.groups_created);
        report.groups_updated = n(&t.groups_updated);
        report.groups_deleted = n(&t.groups_deleted);
        report.members_added = n(&t.members_added);
        report.members_removed = n(&t.members_removed);
        report.failures = t.failures.lock().map(|f| f.clone()).unwrap_or_default();
        report.dry_run = false;
        Ok(report)
    }

    /// The report of what was sent so far, for `plan` (a dry run: reads only, nothing
    /// written).
    pub fn report(&self, plan: &Plan) -> Report {
        let c = &self.client.counters;
        let reads = c.reads.load(Ordering::Relaxed);
        let writes = c.writes.load(Ordering::Relaxed);
        Report {
            requests: reads + writes,
            reads,
            writes,
            retries: c.retries.load(Ordering::Relaxed),
            throttled: c.throttled.load(Ordering::Relaxed),
            memberships_from: Some(plan.memberships_from),
            skipped: plan.skipped.clone(),
            dry_run: true,
            elapsed_ms: u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX),
            ..Report::default()
        }
    }
}
