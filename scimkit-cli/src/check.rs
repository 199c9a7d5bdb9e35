//! `check --profile identity-center`: what AWS IAM Identity Center would reject or drop.

use std::io::Write;

use scimkit::aws::{IdentityCenter, Normalized};
use scimkit::model::ResourceKind;

use crate::{Failure, Preset, input, write_json_pretty};

pub(crate) const HELP: &str = "\
usage: scimkit [--compat PRESET] check --profile identity-center [--fix] [FILE]

Checks each user or group in FILE, or stdin when FILE is `-` or absent (a resource, an array,
a ListResponse or JSON lines), against what AWS IAM Identity Center stores: unsupported
attributes (password, photos, ims, entitlements, x509Certificates, groups), one value only for
emails, phoneNumbers and addresses, the required userName, displayName, name.givenName and
name.familyName, string lengths and characters. A resource whose `schemas` lists the Group
schema is checked as a group, any other as a user.

Prints one line per finding: `PATH: ACTION (rule N): DETAIL`, where ACTION is dropped,
truncated, normalized, warned or rejected, and N numbers the rule in scimkit's Identity Center
reference. Exits 1 when Identity Center would reject a resource.

options:
  --profile identity-center   the target to check against (required)
  --fix                       print the resources as Identity Center would store them
                              instead, and the findings on stderr
  --compat jumpcloud          keep the work phone, as JumpCloud syncs only that one

example:
  $ scimkit --compat jumpcloud check --profile identity-center examples/data/user.json";

/// `check --profile identity-center [--fix] [FILE]`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The target to check against; required, and checked in `run` so that its absence is
    /// said as the help says it.
    #[arg(long, value_parser = Profile::parse)]
    profile: Option<Profile>,
    /// Print the resources as the target would store them (findings on stderr).
    #[arg(long)]
    fix: bool,
    /// The resources; stdin when absent or `-`.
    file: Option<String>,
}

/// The targets `check` knows.
#[derive(Clone, Copy, Debug)]
enum Profile {
    IdentityCenter,
}

impl Profile {
    fn parse(name: &str) -> Result<Self, String> {
        match name {
            "identity-center" => Ok(Self::IdentityCenter),
            other => Err(format!(
                "unknown profile `{other}` (the one profile is identity-center)"
            )),
        }
    }
}

impl Args {
    pub(crate) fn run(&self, preset: &Preset, out: &mut dyn Write) -> Result<(), Failure> {
        let Some(Profile::IdentityCenter) = self.profile else {
            return Err(Failure::usage("expected --profile identity-center"));
        };
        run(preset, self.fix, self.file.as_deref(), out)
    }
}

fn run(preset: &Preset, fix: bool, file: Option<&str>, out: &mut dyn Write) -> Result<(), Failure> {
    let profile = if preset.is("jumpcloud") {
        IdentityCenter::jumpcloud()
    } else {
        IdentityCenter::new()
    };
    let resources = input::resources(&input::read_text(file)?)?;
    let several = resources.len() > 1;
    let mut rejected = 0;
    let mut results = Vec::with_capacity(resources.len());
    for resource in &resources {
        let checked: Normalized = if ResourceKind::of(resource) == ResourceKind::Group {
            profile.normalize_group(resource)
        } else {
            profile.normalize_user(resource)
        };
        rejected += usize::from(!checked.is_accepted());
        results.push(checked);
    }
    let fix = fix && rejected == 0;
    for (i, checked) in results.iter().enumerate() {
        let prefix = if several {
            format!("#{}: ", i + 1)
        } else {
            String::new()
        };
        for finding in &checked.findings {
            if fix {
                eprintln!("scimkit: {prefix}{finding}");
            } else {
                writeln!(out, "{prefix}{finding}")?;
            }
        }
        if fix {
            write_json_pretty(out, &checked.resource)?;
        }
    }
    if rejected > 0 {
        let what = if several {
            format!("{rejected} of {} resources", resources.len())
        } else {
            "the resource".to_owned()
        };
        return Err(Failure::Rejected(format!(
            "Identity Center would reject {what} (see the `rejected` findings)"
        )));
    }
    Ok(())
}
