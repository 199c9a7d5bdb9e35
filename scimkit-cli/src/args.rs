//! A small command-line parser: positionals, `--name VALUE` / `--name=VALUE` options and flags.
//!
//! Hand-written to keep the crate's dev-dependencies small; the command has few options.

use crate::Failure;

/// The options and flags one subcommand accepts, besides the global ones.
pub(crate) struct Spec {
    /// Options that take a value (`--kind access-control`).
    pub(crate) options: &'static [&'static str],
    /// Options without a value (`--fix`).
    pub(crate) flags: &'static [&'static str],
}

/// Options every subcommand accepts.
const GLOBAL_OPTIONS: &[&str] = &["--compat"];

/// The parsed arguments of one subcommand.
#[derive(Debug, Default)]
pub(crate) struct Parsed {
    pub(crate) positional: Vec<String>,
    options: Vec<(&'static str, String)>,
    flags: Vec<&'static str>,
    pub(crate) help: bool,
}

impl Parsed {
    /// Parses `args` by `spec`; `-` is a positional (stdin) and `--` ends the options.
    pub(crate) fn parse(args: &[String], spec: &Spec) -> Result<Self, Failure> {
        let mut parsed = Self::default();
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            if arg == "--" {
                parsed.positional.extend(iter.by_ref().cloned());
                break;
            }
            if arg == "-h" || arg == "--help" {
                parsed.help = true;
                continue;
            }
            if !arg.starts_with('-') || arg == "-" {
                parsed.positional.push(arg.clone());
                continue;
            }
            let (name, inline) = match arg.split_once('=') {
                Some((n, v)) => (n, Some(v.to_owned())),
                None => (arg.as_str(), None),
            };
            if let Some(&flag) = spec.flags.iter().find(|f| **f == name) {
                if inline.is_some() {
                    return Err(Failure::usage(format!("{flag} takes no value")));
                }
                parsed.flags.push(flag);
            } else if let Some(&option) = GLOBAL_OPTIONS
                .iter()
                .chain(spec.options)
                .find(|o| **o == name)
            {
                let value = match inline {
                    Some(v) => v,
                    None => iter
                        .next()
                        .cloned()
                        .ok_or_else(|| Failure::usage(format!("{option} needs a value")))?,
                };
                parsed.options.push((option, value));
            } else {
                return Err(Failure::usage(format!("unknown option `{name}`")));
            }
        }
        Ok(parsed)
    }

    /// The value of a single-valued option; giving it twice is a usage error.
    pub(crate) fn option<'a>(&'a self, name: &'a str) -> Result<Option<&'a str>, Failure> {
        let mut values = self.options(name);
        let first = values.next();
        if values.next().is_some() {
            return Err(Failure::usage(format!("{name} given more than once")));
        }
        Ok(first)
    }

    /// Every value of a repeatable option, in order.
    pub(crate) fn options<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.options
            .iter()
            .filter(move |(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether a flag was given.
    pub(crate) fn flag(&self, name: &str) -> bool {
        self.flags.contains(&name)
    }
}
