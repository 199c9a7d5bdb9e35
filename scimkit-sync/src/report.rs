//! [`Report`]: what a run sent and did, and [`Progress`], what a progress bar listens to.

use serde::Serialize;

use crate::Memberships;
use crate::plan::Skip;

/// What a run did. `requests` counts every HTTP request sent, retries included, and equals
/// `reads + writes`.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[non_exhaustive]
pub struct Report {
    /// Every request sent (`reads + writes`), retries included.
    pub requests: u64,
    /// `GET` requests sent, retries included.
    pub reads: u64,
    /// `POST`, `PATCH` and `DELETE` requests sent, retries included.
    pub writes: u64,
    /// Requests sent again after a 429, a 5xx or a connection error.
    pub retries: u64,
    /// 429 answers.
    pub throttled: u64,
    /// Users created (a create whose answer was lost and that was adopted counts here).
    pub users_created: u64,
    /// Users changed by PATCH.
    pub users_updated: u64,
    /// Users deleted.
    pub users_deleted: u64,
    /// Groups created.
    pub groups_created: u64,
    /// Groups changed by PATCH (`displayName`, `externalId`).
    pub groups_updated: u64,
    /// Groups deleted.
    pub groups_deleted: u64,
    /// Memberships added (in group creates and PATCHes).
    pub members_added: u64,
    /// Memberships removed.
    pub members_removed: u64,
    /// How memberships were learned.
    pub memberships_from: Option<Memberships>,
    /// Writes that failed after their retries, or that the target refused.
    pub failures: Vec<Failure>,
    /// What the plan left out.
    pub skipped: Vec<Skip>,
    /// Whether nothing was written (`--dry-run`).
    pub dry_run: bool,
    /// Wall-clock time of the run, in milliseconds.
    pub elapsed_ms: u64,
}

impl Report {
    /// Whether every planned write succeeded and nothing was skipped.
    pub fn is_clean(&self) -> bool {
        self.failures.is_empty() && self.skipped.is_empty()
    }
}

/// A write that did not happen.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct Failure {
    /// What (`create user e-17`, `members of Admins`).
    pub what: String,
    /// The final HTTP status, when there was one.
    pub status: Option<u16>,
    /// Why (the target's `detail`, or the transport error).
    pub detail: String,
}

/// The stages of a run, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Phase {
    /// Listing the target's users and groups, and learning memberships.
    Reading,
    /// Sending the plan's writes; the total is [`Plan::write_count`](crate::Plan::write_count).
    Writing,
}

/// Receives progress; a command drives a progress bar from it. Every method has an empty
/// default, and calls come from the tasks sending requests (hence `Send + Sync`).
pub trait Progress: Send + Sync {
    /// A phase starts; `total` is the work it expects (writes for [`Phase::Writing`]), if known.
    fn phase(&self, phase: Phase, total: Option<u64>) {
        let _ = (phase, total);
    }

    /// `n` units of the current phase are done (a write request, successful or not).
    fn advance(&self, n: u64) {
        let _ = n;
    }
}

/// A [`Progress`] that ignores everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {}
