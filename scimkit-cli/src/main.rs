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
#![forbid(unsafe_code)]
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod check;
mod demo;
mod filter;
mod input;
mod patch;
mod sync;
mod tags;
mod usage;

use std::ffi::OsString;
use std::io::{self, Write};
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};
use scimkit::{Compat, ScimError};

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
  sync --source DIR --url BASE_URL [options]
                               provision a directory into IAM Identity Center or any SCIM
                               2.0 endpoint (token from SCIM_TOKEN or --token-file)
  demo                         a short demonstration on the bundled sample data
  help [COMMAND]               print this message, or a command's help

global options:
  --compat PRESET   identity-provider compatibility: strict (default), entra, okta, jumpcloud
                    or lenient
  -h, --help        print help
  -V, --version     print the version

FILE is a path, or `-` or nothing for stdin.
exit codes: 0 success; 1 the input is in error: a SCIM error (its JSON body on stdout) or a
            resource Identity Center would reject; 2 a usage or I/O error.";

/// The command line: the global options and one subcommand.
///
/// The help texts are written by hand (`override_help`), so that each says what its command
/// reads, prints and exits with; clap parses and reports what it got wrong.
#[derive(Debug, Parser)]
#[command(
    name = "scimkit",
    version,
    override_help = USAGE,
    disable_help_subcommand = true
)]
struct Cli {
    /// The identity provider's compatibility preset (`--compat entra`), before or after the
    /// subcommand.
    #[arg(long, global = true, value_name = "PRESET", value_parser = Preset::parse)]
    compat: Option<Preset>,
    /// What to do; none prints the usage.
    #[command(subcommand)]
    command: Option<Command>,
}

/// The subcommands. Each lives in its own module, with its arguments as a clap `Args` struct
/// whose `run` does the work; a new one (`sync`, issue 16) is one more variant here, one more
/// arm in [`Command::run`] and one more line in [`USAGE`].
#[derive(Debug, Subcommand)]
enum Command {
    /// `filter parse` and `filter match`.
    #[command(
        subcommand,
        override_help = filter::HELP,
        subcommand_required = true,
        arg_required_else_help = false
    )]
    Filter(filter::Command),
    /// `patch OPS_FILE [FILE]`.
    #[command(override_help = patch::PATCH_HELP)]
    Patch(patch::PatchArgs),
    /// `diff OLD NEW`.
    #[command(override_help = patch::DIFF_HELP)]
    Diff(patch::DiffArgs),
    /// `check --profile identity-center [--fix] [FILE]`.
    #[command(override_help = check::HELP)]
    Check(check::Args),
    /// `tags --map KEY=EXPR … [FILE]`.
    #[command(override_help = tags::HELP)]
    Tags(tags::Args),
    /// `sync --source DIR --url BASE_URL …`.
    #[command(override_help = sync::HELP)]
    Sync(sync::Args),
    /// `demo`.
    #[command(override_help = demo::HELP)]
    Demo(demo::Args),
    /// `help [COMMAND]`.
    #[command(override_help = USAGE)]
    Help(HelpArgs),
}

impl Command {
    fn run(&self, preset: &Preset, out: &mut dyn Write) -> Result<(), Failure> {
        match self {
            Self::Filter(c) => c.run(preset, out),
            Self::Patch(a) => a.run(preset, out),
            Self::Diff(a) => a.run(out),
            Self::Check(a) => a.run(preset, out),
            Self::Tags(a) => a.run(out),
            Self::Sync(a) => a.run(out),
            Self::Demo(a) => a.run(out),
            Self::Help(a) => a.run(out),
        }
    }
}

/// A `--compat` preset: the core's switches, and the name they were chosen by (`check` reads
/// `jumpcloud` as a profile too).
#[derive(Clone, Debug)]
struct Preset {
    name: String,
    compat: Compat,
}

impl Preset {
    fn parse(name: &str) -> Result<Self, String> {
        let compat =
            Compat::preset(name).ok_or_else(|| format!("unknown --compat preset `{name}`"))?;
        Ok(Self {
            name: name.to_ascii_lowercase(),
            compat,
        })
    }

    fn strict() -> Self {
        Self {
            name: "strict".to_owned(),
            compat: Compat::strict(),
        }
    }

    fn is(&self, name: &str) -> bool {
        self.name == name
    }
}

/// `help [COMMAND]`: the usage, or one command's help.
#[derive(Debug, clap::Args)]
struct HelpArgs {
    /// The command's words (`filter match`).
    #[arg(value_name = "COMMAND")]
    command: Vec<String>,
}

impl HelpArgs {
    fn run(&self, out: &mut dyn Write) -> Result<(), Failure> {
        let mut cmd = Cli::command();
        cmd.build();
        let mut at = &mut cmd;
        for word in &self.command {
            at = match at.find_subcommand_mut(word) {
                Some(sub) if sub.get_name() != "help" => sub,
                _ => {
                    let name = self.command.join(" ");
                    return Err(Failure::usage(format!("unknown command `{name}`")));
                }
            };
        }
        print(out, at.render_help().to_string().trim_end())
    }
}

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
    /// A command with exit codes of its own (`sync`): the code and one line for stderr.
    Exit(u8, String),
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

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().collect();
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let result = run(&args, &mut out).and_then(|()| out.flush().map_err(Failure::from));
    match result {
        Ok(()) | Err(Failure::BrokenPipe) => ExitCode::SUCCESS,
        Err(Failure::Usage(m)) => {
            eprintln!("scimkit: {m} (see `{}`)", usage::help_hint(&args));
            ExitCode::from(2)
        }
        Err(Failure::Rejected(m)) => {
            eprintln!("scimkit: {m}");
            ExitCode::from(1)
        }
        Err(Failure::Exit(code, m)) => {
            eprintln!("scimkit: {}", one_line(&m));
            ExitCode::from(code)
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

/// Parses `args` (the program's name first) and runs the command they name.
fn run(args: &[OsString], out: &mut dyn Write) -> Result<(), Failure> {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => return usage::from_clap(&e, args, out),
    };
    let preset = cli.compat.unwrap_or_else(Preset::strict);
    match &cli.command {
        None => print(out, USAGE),
        Some(command) => command.run(&preset, out),
    }
}

fn print(out: &mut dyn Write, text: &str) -> Result<(), Failure> {
    Ok(writeln!(out, "{text}")?)
}

/// Writes a JSON value on one line.
pub(crate) fn write_json_line(
    out: &mut dyn Write,
    value: &impl serde::Serialize,
) -> Result<(), Failure> {
    print(out, &serde_json::to_string(value).map_err(ScimError::from)?)
}

/// Writes a JSON value indented, for reading.
pub(crate) fn write_json_pretty(
    out: &mut dyn Write,
    value: &impl serde::Serialize,
) -> Result<(), Failure> {
    print(
        out,
        &serde_json::to_string_pretty(value).map_err(ScimError::from)?,
    )
}

/// Keeps a message on one line of stderr.
fn one_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}
