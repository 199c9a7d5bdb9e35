//! `sync --source DIR --url BASE_URL`: provision a directory into IAM Identity Center or any
//! SCIM 2.0 endpoint, through the `scimkit-sync` engine.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use scimkit_sync::{
    DeleteLimit, Engine, Error, Memberships, Options, Phase, Profile, Progress, Report, Source,
    Token,
};

use crate::{Failure, print, write_json_line};

pub(crate) const HELP: &str = "\
usage: scimkit sync --source DIR --url BASE_URL [options]

Makes the SCIM endpoint at BASE_URL hold the users and groups of DIR, with the fewest requests:
users matched by externalId, then userName (Identity Center's upsert rule), updates as minimal
PATCHes, at most 100 membership changes per request, creates whose answer was lost found again
and adopted. Concurrency adapts to 429s (Retry-After honoured); 5xx and dropped connections are
retried with jittered backoff. A run that is killed converges on the next one.

DIR holds users.jsonl (one SCIM User per line, each with an externalId) and groups.jsonl (one
SCIM Group per line, members as {\"value\": \"<the user's externalId>\"}).

The bearer token is read from the SCIM_TOKEN environment variable or from --token-file, never
from the command line.

options:
  --source DIR            the directory to provision (required)
  --url BASE_URL          the SCIM base URL, e.g. https://scim.us-east-1.amazonaws.com/ID/scim/v2
                          (required)
  --token-file PATH       read the token from PATH (default: $SCIM_TOKEN)
  --profile PROFILE       identity-center (default; valid RFC 7644 requests too) or rfc
  --memberships HOW       how memberships are learned when the target does not list them:
                          auto (default), listed, state, probe-users or probe-groups
  --state FILE            keep what was synced in FILE, so a resync probes no memberships
  --delete                delete target users and groups the source does not have
  --max-deletes N|P%      the safety threshold on deletions (default 10%)
  --force                 delete past the threshold
  --concurrency N         the most requests in flight (default 16)
  --dry-run               print the plan and send only reads
  --report FORMAT         text (default) or json: one JSON object with requests, reads,
                          writes, retries, throttled, the counts and the failures

A progress bar shows on stderr when it is a terminal.

exit codes: 0 the target holds the source; 1 some writes failed or were skipped (the report
            lists them); 2 a usage, source or I/O error; 3 the target could not be read (not
            reachable, 401, errors past the retries); 4 the deletions exceed the threshold
            (nothing was written).

example:
  $ SCIM_TOKEN=… scimkit sync --source ./directory --url http://127.0.0.1:8080/default/scim/v2";

/// `sync --source DIR --url BASE_URL …`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[arg(long, value_name = "DIR")]
    source: PathBuf,
    #[arg(long, value_name = "BASE_URL")]
    url: String,
    #[arg(long, value_name = "PATH")]
    token_file: Option<PathBuf>,
    #[arg(long, value_name = "PROFILE", value_parser = parse_profile)]
    profile: Option<Profile>,
    #[arg(long, value_name = "HOW", value_parser = parse_memberships)]
    memberships: Option<Memberships>,
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
    #[arg(long)]
    delete: bool,
    #[arg(long, value_name = "N|P%", value_parser = parse_limit)]
    max_deletes: Option<DeleteLimit>,
    #[arg(long)]
    force: bool,
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    concurrency: Option<u16>,
    #[arg(long)]
    dry_run: bool,
    #[arg(long, value_name = "FORMAT", value_parser = ["text", "json"])]
    report: Option<String>,
}

fn parse_profile(s: &str) -> Result<Profile, String> {
    match s {
        "identity-center" => Ok(Profile::default()),
        "rfc" => Ok(Profile::Rfc),
        other => Err(format!(
            "unknown profile `{other}` (identity-center or rfc)"
        )),
    }
}

fn parse_memberships(s: &str) -> Result<Memberships, String> {
    Ok(match s {
        "auto" => Memberships::Auto,
        "listed" => Memberships::Listed,
        "state" => Memberships::State,
        "probe-users" => Memberships::ProbeUsers,
        "probe-groups" => Memberships::ProbeGroups,
        other => {
            return Err(format!(
                "unknown way `{other}` (auto, listed, state, probe-users, probe-groups)"
            ));
        }
    })
}

fn parse_limit(s: &str) -> Result<DeleteLimit, String> {
    let bad = || format!("`{s}` is neither a count nor a share such as 10%");
    match s.strip_suffix('%') {
        Some(p) => {
            let share: f64 = p.trim().parse().map_err(|_| bad())?;
            if (0.0..=100.0).contains(&share) {
                Ok(DeleteLimit::Share(share / 100.0))
            } else {
                Err(bad())
            }
        }
        None => s.trim().parse().map(DeleteLimit::Count).map_err(|_| bad()),
    }
}

impl Args {
    pub(crate) fn run(&self, out: &mut dyn Write) -> Result<(), Failure> {
        let token = self.token()?;
        let source = Source::read_dir(&self.source).map_err(|e| failure(&e))?;
        let mut options = Options::new(self.url.clone(), token);
        if let Some(p) = &self.profile {
            options.profile = p.clone();
        }
        if let Some(m) = self.memberships {
            options.memberships = m;
        }
        if let Some(l) = self.max_deletes {
            options.max_deletes = l;
        }
        if let Some(c) = self.concurrency {
            options.concurrency = usize::from(c);
        }
        options.state_file.clone_from(&self.state);
        options.delete = self.delete;
        options.force = self.force;
        let bar = Bar::new();
        let engine = Engine::new(options)
            .map_err(|e| failure(&e))?
            .with_progress(bar.clone());
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(|e| Failure::Io(format!("cannot start the runtime: {e}")))?;
        let outcome = runtime.block_on(async {
            let plan = engine.plan(&source).await?;
            if self.dry_run {
                return Ok((Some(plan.to_string()), engine.report(&plan)));
            }
            engine.apply(&plan).await.map(|r| (None, r))
        });
        bar.finish();
        let (plan, report) = outcome.map_err(|e| failure(&e))?;
        if let (Some(plan), false) = (plan, self.report.as_deref() == Some("json")) {
            print(out, plan.trim_end())?;
        }
        if self.report.as_deref() == Some("json") {
            write_json_line(out, &report)?;
        } else {
            print(out, &text(&report))?;
        }
        if report.is_clean() {
            Ok(())
        } else {
            Err(Failure::Exit(
                1,
                format!(
                    "{} writes failed and {} resources were skipped (see the report)",
                    report.failures.len(),
                    report.skipped.len()
                ),
            ))
        }
    }

    /// The token from `--token-file` or `SCIM_TOKEN`, never from argv (it would show in `ps`
    /// and shell history).
    fn token(&self) -> Result<Token, Failure> {
        let text = match &self.token_file {
            Some(path) => std::fs::read_to_string(path).map_err(|e| {
                Failure::Io(format!(
                    "cannot read the token file {}: {e}",
                    path.display()
                ))
            })?,
            None => std::env::var("SCIM_TOKEN").map_err(|_| {
                Failure::usage("no token: set SCIM_TOKEN or pass --token-file PATH")
            })?,
        };
        let token = text.trim();
        if token.is_empty() {
            return Err(Failure::usage("the token is empty"));
        }
        Ok(Token::new(token))
    }
}

/// An engine error as the command's exit code and one line.
fn failure(e: &Error) -> Failure {
    let code = match e {
        Error::Target { .. } => 3,
        Error::DeleteThreshold { .. } => 4,
        _ => 2,
    };
    Failure::Exit(code, e.to_string())
}

/// The report for a person.
fn text(r: &Report) -> String {
    let mut s = format!(
        "{}users: {} created, {} updated, {} deleted; groups: {} created, {} updated, {} \
         deleted; memberships: {} added, {} removed\n\
         requests: {} ({} reads, {} writes), {} retries, {} throttled (429); {:.1} s",
        if r.dry_run {
            "dry run, nothing written\n"
        } else {
            ""
        },
        r.users_created,
        r.users_updated,
        r.users_deleted,
        r.groups_created,
        r.groups_updated,
        r.groups_deleted,
        r.members_added,
        r.members_removed,
        r.requests,
        r.reads,
        r.writes,
        r.retries,
        r.throttled,
        Duration::from_millis(r.elapsed_ms).as_secs_f64(),
    );
    for f in &r.failures {
        let status = f.status.map(|s| format!(" ({s})")).unwrap_or_default();
        s.push_str(&format!("\nfailed: {}{status}: {}", f.what, f.detail));
    }
    for k in &r.skipped {
        s.push_str(&format!("\nskipped: {}: {}", k.what, k.reason));
    }
    s
}

/// The progress bar on stderr, drawn only on a terminal.
#[derive(Debug, Clone)]
struct Bar(Option<ProgressBar>);

impl Bar {
    fn new() -> Arc<Self> {
        Arc::new(Self(std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new_spinner();
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        })))
    }

    fn finish(&self) {
        if let Some(b) = &self.0 {
            b.finish_and_clear();
        }
    }
}

impl Progress for Bar {
    fn phase(&self, phase: Phase, total: Option<u64>) {
        let Some(b) = &self.0 else { return };
        match (phase, total) {
            (Phase::Writing, Some(n)) => {
                b.set_length(n);
                b.set_position(0);
                if let Ok(style) =
                    ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({eta})")
                {
                    b.set_style(style.progress_chars("=> "));
                }
                b.set_message("writing");
            }
            _ => b.set_message("reading the target"),
        }
    }

    fn advance(&self, n: u64) {
        if let Some(b) = &self.0 {
            b.inc(n);
        }
    }
}
