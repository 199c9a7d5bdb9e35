//! Usage errors: what clap could not parse, said as the command's one `scimkit: …` line.
//!
//! clap's own report spans several lines (the error, the usage, a hint) and names arguments by
//! their placeholders; scripts read this command's stderr as one line, so the parts clap
//! records about an error (`ContextKind`) are put into the command's own phrases here.

use std::ffi::OsString;
use std::io::Write;

use clap::CommandFactory;
use clap::error::{ContextKind, ContextValue, Error, ErrorKind};

use crate::{Cli, Failure, print};

/// Handles a parse error: the help or version it asks for is printed (a success); anything
/// else becomes a [`Failure::Usage`] in the command's words.
pub(crate) fn from_clap(e: &Error, args: &[OsString], out: &mut dyn Write) -> Result<(), Failure> {
    match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            print(out, e.render().to_string().trim_end())
        }
        _ => Err(Failure::Usage(message(e, &subcommand_path(args)))),
    }
}

/// The help to point a usage error at: `scimkit filter parse --help` for an error in
/// `scimkit filter parse …`, `scimkit --help` outside any command or in `help`.
pub(crate) fn help_hint(args: &[OsString]) -> String {
    let path = subcommand_path(args);
    match path.first().map(String::as_str) {
        None | Some("help") => "scimkit --help".to_owned(),
        Some(_) => format!("scimkit {} --help", path.join(" ")),
    }
}

/// The subcommands `args` (the program's name first) select, outermost first: `["filter",
/// "parse"]`. Read as clap reads them: an option is skipped, with the next word when it takes
/// a value not attached by `=`; the first other word names a subcommand or ends the walk.
fn subcommand_path(args: &[OsString]) -> Vec<String> {
    let root = Cli::command();
    let mut at = &root;
    let mut path = Vec::new();
    let mut words = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(word) = words.next() {
        if word == "--" {
            break;
        }
        if let Some(long) = word.strip_prefix("--") {
            let takes_value = at
                .get_arguments()
                .chain(root.get_arguments())
                .any(|a| a.get_long() == Some(long) && a.get_action().takes_values());
            if takes_value {
                words.next();
            }
        } else if !word.starts_with('-') || word == "-" {
            let Some(sub) = at.find_subcommand(word.as_ref()) else {
                break;
            };
            path.push(sub.get_name().to_owned());
            at = sub;
        }
    }
    path
}

/// The one-line message for a parse error in the command `path` names.
fn message(e: &Error, path: &[String]) -> String {
    let context = |kind| e.get(kind).map(ContextValue::to_string).unwrap_or_default();
    // clap names an option with its placeholder (`--compat <PRESET>`); the message names the
    // option alone.
    let option = || {
        let arg = context(ContextKind::InvalidArg);
        let name = arg.split([' ', '=']).next().unwrap_or_default();
        name.to_owned()
    };
    match e.kind() {
        ErrorKind::InvalidSubcommand => {
            let within: String = path.iter().map(|w| format!("{w} ")).collect();
            let name = context(ContextKind::InvalidSubcommand);
            format!("unknown {within}command `{name}`")
        }
        ErrorKind::MissingSubcommand => {
            let names: Vec<String> = command_at(path)
                .get_subcommands()
                .map(|c| format!("`{}`", c.get_name()))
                .collect();
            format!("expected {}", names.join(" or "))
        }
        ErrorKind::UnknownArgument => {
            let arg = context(ContextKind::InvalidArg);
            if arg.starts_with('-') && arg != "-" {
                format!("unknown option `{}`", option())
            } else {
                format!("unexpected argument `{arg}`")
            }
        }
        // `--compat` last, with no value after it.
        ErrorKind::InvalidValue if context(ContextKind::InvalidValue).is_empty() => {
            format!("{} needs a value", option())
        }
        // `--fix=yes`.
        ErrorKind::TooManyValues if e.get(ContextKind::InvalidValue).is_some() => {
            format!("{} takes no value", option())
        }
        ErrorKind::ArgumentConflict
            if e.get(ContextKind::PriorArg).map(ContextValue::to_string)
                == e.get(ContextKind::InvalidArg).map(ContextValue::to_string) =>
        {
            format!("{} given more than once", option())
        }
        // A positional is missing: name all the command takes, as `diff` needs OLD and NEW.
        ErrorKind::MissingRequiredArgument => {
            let names: Vec<String> = command_at(path)
                .get_positionals()
                .filter(|a| a.is_required_set())
                .map(|a| match a.get_value_names() {
                    Some([name, ..]) => name.to_string(),
                    _ => a.get_id().as_str().to_ascii_uppercase(),
                })
                .collect();
            if names.is_empty() {
                format!("expected {}", context(ContextKind::InvalidArg))
            } else {
                format!("expected {}", names.join(" and "))
            }
        }
        // Our own checks, run by clap on a value (`--compat azure`): their message as it is.
        ErrorKind::ValueValidation => match std::error::Error::source(e) {
            Some(source) => source.to_string(),
            None => first_line(e),
        },
        ErrorKind::InvalidUtf8 => "an argument is not valid UTF-8".to_owned(),
        _ => first_line(e),
    }
}

/// The command `path` names, below the root.
fn command_at(path: &[String]) -> clap::Command {
    let mut at = Cli::command();
    for word in path {
        match at.find_subcommand(word) {
            Some(sub) => at = sub.clone(),
            None => break,
        }
    }
    at
}

/// clap's own message, when no phrase of ours fits: its first line, without `error: `.
fn first_line(e: &Error) -> String {
    let text = e.render().to_string();
    let line = text.lines().next().unwrap_or_default();
    line.strip_prefix("error: ").unwrap_or(line).to_owned()
}
