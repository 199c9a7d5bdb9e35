//! The `scimkit` command, run as a process: every subcommand, success and failure, with its
//! stdout, stderr and exit code.

mod run;

mod check;
mod filter;
mod general;
mod patch;
mod sync;
mod tags;
