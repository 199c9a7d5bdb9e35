//! [`Error`]: why a sync could not run or could not finish. Failures of single requests that
//! the run survives are not errors: they are [`Failure`](crate::Failure)s in the report.

use std::path::PathBuf;

/// Why reading the source, reading the target or running the plan failed.
///
/// No variant ever holds the bearer token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A source file could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A line of a source file is not what the source format says.
    #[error("{}:{line}: {message}", path.display())]
    Source {
        /// The file (`users.jsonl` or `groups.jsonl`); `<memory>` for values given in memory.
        path: PathBuf,
        /// The line, from 1 (the index from 1 for values given in memory).
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The options cannot work (a base URL that is not `http(s)://`, a zero limit).
    #[error("invalid options: {0}")]
    Options(String),
    /// The target answered a read in a way the sync cannot go on from (a list that is not a
    /// SCIM ListResponse, 401, a request that kept failing after its retries).
    #[error("{method} {path}: {message}")]
    Target {
        /// `GET`, `POST`…
        method: String,
        /// The path below the base URL, with its query (never a header).
        path: String,
        /// The final HTTP status, when there was an answer.
        status: Option<u16>,
        /// What went wrong.
        message: String,
    },
    /// The plan deletes more than the safety threshold allows and `force` is not set; nothing
    /// was written.
    #[error("refusing to delete {planned} {kind} (the limit is {limit}); set `force` to go on")]
    DeleteThreshold {
        /// `users` or `groups`.
        kind: &'static str,
        /// Deletions planned.
        planned: usize,
        /// Deletions allowed.
        limit: usize,
    },
    /// The state file could not be read or written.
    #[error("state file {}: {message}", path.display())]
    State {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}
