//! The `scimkit` example command, run as a process: every subcommand, success and failure,
//! with its stdout, stderr and exit code.
#![cfg(feature = "saml")]

mod run;

mod check;
mod filter;
mod general;
mod patch;
mod tags;
