//! The `scimkit` command: SCIM filters, PATCH requests, diffs, Identity Center checks and AWS
//! session tags from the shell, built only on the crate's public API.
//!
//! ```sh
//! cargo run -p scimkit-cli -- demo
//! cargo run -p scimkit-cli -- filter match 'emails[type eq "work"]' examples/data/user.json
//! cargo run -p scimkit-cli -- help
//! cargo install --path scimkit-cli     # the `scimkit` binary
//! ```
//!
//! Exit codes: 0 success, 1 a SCIM error about the input (its RFC 7644 §3.12 error body is
//! printed on stdout), 2 a usage or I/O error. Errors are one line on stderr.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod args;
mod check;
mod demo;
mod filter;
mod input;
mod patch;
mod tags;

use std::io::{self, Write};
use std::process::ExitCode;

use scimkit::{Compat, ScimError};

use crate::args::{Parsed, Spec};

const USAGE: &str = "\
scimkit: SCIM 2.0 filters, PATCH requests and AWS session tags from the shell

usage: scimkit [--compat PRESET] <command> [args]

commands:
  filter parse FILTER          print a filter's canonical form
  filter match FILTER [FILE]   print the resources that match, one JSON line each
  patch OPS_FILE [FILE]        apply a PATCH request to a resource and print the result
  diff OLD NEW                 print the PATCH request that turns OLD into NEW
  check --profile identity-center [--fix] [FILE]
                               list what AWS IAM Identity Center would reject or drop
  tags --map KEY=EXPR … [FILE] print the SAML AttributeStatement of a user's session tags
  demo                         a short demonstration on the bundled sample data
  help [COMMAND]               print this message, or a command's help

global options:
  --compat PRESET   identity-provider compatibility: strict (default), entra, okta, jumpcloud
                    or lenient
  -h, --help        print help

FILE is a path, or `-` or nothing for stdin.
exit codes: 0 success; 1 the input is in error: a SCIM error (its JSON body on stdout) or a
            resource Identity Center would reject; 2 a usage or I/O error.";

/// Why a command failed; decides the exit code and what is printed.
#[derive(Debug)]
pub(crate) enum Failure {
    /// Bad arguments (exit 2).
    Usage(String),
    /// A file or stream could not be read or written (exit 2).
    Io(String),
    /// A SCIM error about the input (exit 1): its error body goes to stdout.
    Scim(ScimError),
    /// The input is valid SCIM that the target would refuse (exit 1); the details are on
    /// stdout already.
    Rejected(String),
    /// stdout was closed early (`| head`): stop quietly.
    BrokenPipe,
}

impl Failure {
    pub(crate) fn usage(message: impl Into<String>) -> Self {
        Self::Usage(message.into())
    }
}

impl From<ScimError> for Failure {
    fn from(e: ScimError) -> Self {
        Self::Scim(e)
    }
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        if e.kind() == io::ErrorKind::BrokenPipe {
            Self::BrokenPipe
        } else {
            Self::Io(format!("cannot write output: {e}"))
        }
    }
}

/// A subcommand: its name, help text, options and body.
pub(crate) struct Command {
    pub(crate) name: &'static str,
    pub(crate) help: &'static str,
    pub(crate) spec: Spec,
    pub(crate) run: fn(&Parsed, &Compat, &mut dyn Write) -> Result<(), Failure>,
}

const COMMANDS: &[&Command] = &[
    &filter::PARSE,
    &filter::MATCH,
    &patch::PATCH,
    &patch::DIFF,
    &check::CHECK,
    &tags::TAGS,
    &demo::DEMO,
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let (context, result) = run(&args, &mut out);
    let result = result.and_then(|()| out.flush().map_err(Failure::from));
    match result {
        Ok(()) | Err(Failure::BrokenPipe) => ExitCode::SUCCESS,
        Err(Failure::Usage(m)) => {
            let hint = context.map_or_else(
                || "scimkit --help".to_owned(),
                |c| format!("scimkit {c} --help"),
            );
            eprintln!("scimkit: {m} (see `{hint}`)");
            ExitCode::from(2)
        }
        Err(Failure::Rejected(m)) => {
            eprintln!("scimkit: {m}");
            ExitCode::from(1)
        }
        Err(Failure::Io(m)) => {
            eprintln!("scimkit: {m}");
            ExitCode::from(2)
        }
        Err(Failure::Scim(e)) => {
            let body = serde_json::to_string(&e).unwrap_or_default();
            // The error body is the command's output; a failed write changes nothing now.
            let _ = writeln!(out, "{body}").and_then(|()| out.flush());
            eprintln!("scimkit: {}", one_line(&e.to_string()));
            ExitCode::from(1)
        }
    }
}

/// Runs the command named by `args`; returns the command's name for usage hints.
fn run(args: &[String], out: &mut dyn Write) -> (Option<&'static str>, Result<(), Failure>) {
    // Only global options may come before the command's name.
    let mut start = 0;
    let mut help = false;
    while let Some(arg) = args.get(start) {
        match arg.as_str() {
            "--compat" => start += 2,
            "-h" | "--help" => {
                help = true;
                start += 1;
            }
            a if a.starts_with("--compat=") => start += 1,
            _ => break,
        }
    }
    let Some(word) = args.get(start) else {
        return (None, print(out, USAGE));
    };
    let rest = args.get(start + 1..).unwrap_or_default();
    let (name, rest) = match word.as_str() {
        "help" => return (None, help_for(out, rest)),
        "filter" => match subcommand_index(rest) {
            Some(i) if matches!(rest[i].as_str(), "parse" | "match") => {
                let mut rest = rest.to_vec();
                let sub = rest.remove(i);
                (format!("filter {sub}"), rest)
            }
            Some(i) => {
                let m = format!("unknown filter command `{}`", rest[i]);
                return (Some("filter"), Err(Failure::usage(m)));
            }
            None if help || rest.iter().any(|a| a == "-h" || a == "--help") => {
                return (None, print(out, filter::HELP));
            }
            None => {
                return (
                    Some("filter"),
                    Err(Failure::usage("expected `parse` or `match`")),
                );
            }
        },
        other => (other.to_owned(), rest.to_vec()),
    };
    let Some(cmd) = COMMANDS.iter().find(|c| c.name == name) else {
        return (
            None,
            Err(Failure::usage(format!("unknown command `{name}`"))),
        );
    };
    let mut all = args[..start].to_vec();
    all.extend(rest);
    let result = Parsed::parse(&all, &cmd.spec).and_then(|parsed| {
        if parsed.help {
            return print(out, cmd.help);
        }
        let compat = match parsed.option("--compat")? {
            None => Compat::strict(),
            Some(p) => Compat::preset(p)
                .ok_or_else(|| Failure::usage(format!("unknown --compat preset `{p}`")))?,
        };
        (cmd.run)(&parsed, &compat, out)
    });
    (Some(cmd.name), result)
}

/// Where the first word that is not an option (nor a `--compat` value) is.
fn subcommand_index(args: &[String]) -> Option<usize> {
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        match arg.as_str() {
            "--compat" => i += 2,
            a if a.starts_with('-') => i += 1,
            _ => return Some(i),
        }
    }
    None
}

fn help_for(out: &mut dyn Write, rest: &[String]) -> Result<(), Failure> {
    let name = rest.join(" ");
    if name.is_empty() {
        return print(out, USAGE);
    }
    if name == "filter" {
        return print(out, filter::HELP);
    }
    match COMMANDS.iter().find(|c| c.name == name) {
        Some(c) => print(out, c.help),
        None => Err(Failure::usage(format!("unknown command `{name}`"))),
    }
}

fn print(out: &mut dyn Write, text: &str) -> Result<(), Failure> {
    Ok(writeln!(out, "{text}")?)
}

/// The positional arguments, checked against `min..=max` in number.
pub(crate) fn positionals<'a>(
    parsed: &'a Parsed,
    min: usize,
    max: usize,
    what: &str,
) -> Result<Vec<&'a str>, Failure> {
    let n = parsed.positional.len();
    if n < min {
        return Err(Failure::usage(format!("expected {what}")));
    }
    if n > max {
        let extra = &parsed.positional[max];
        return Err(Failure::usage(format!("unexpected argument `{extra}`")));
    }
    Ok(parsed.positional.iter().map(String::as_str).collect())
}

/// Writes a JSON value on one line.
pub(crate) fn write_json_line(
    out: &mut dyn Write,
    value: &impl serde::Serialize,
) -> Result<(), Failure> {
    let text = serde_json::to_string(value).map_err(ScimError::from)?;
    Ok(writeln!(out, "{text}")?)
}

/// Writes a JSON value indented, for reading.
pub(crate) fn write_json_pretty(
    out: &mut dyn Write,
    value: &impl serde::Serialize,
) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(value).map_err(ScimError::from)?;
    Ok(writeln!(out, "{text}")?)
}

/// Keeps a message on one line of stderr.
fn one_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}
