//! `check --profile identity-center`: what AWS IAM Identity Center would reject or drop.

use std::io::Write;

use scimkit::Compat;
use scimkit::aws::{IdentityCenter, Normalized};
use scimkit::model::ResourceKind;

use crate::args::{Parsed, Spec};
use crate::{Command, Failure, input, positionals, write_json_pretty};

pub(crate) const CHECK: Command = Command {
    name: "check",
    help: "\
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
  $ scimkit --compat jumpcloud check --profile identity-center examples/data/user.json",
    spec: Spec {
        options: &["--profile"],
        flags: &["--fix"],
    },
    run,
};

fn run(args: &Parsed, _compat: &Compat, out: &mut dyn Write) -> Result<(), Failure> {
    let pos = positionals(args, 0, 1, "")?;
    match args.option("--profile")? {
        Some("identity-center") => {}
        Some(other) => {
            return Err(Failure::usage(format!(
                "unknown profile `{other}` (the one profile is identity-center)"
            )));
        }
        None => return Err(Failure::usage("expected --profile identity-center")),
    }
    let profile = match args.option("--compat")? {
        Some(p) if p.eq_ignore_ascii_case("jumpcloud") => IdentityCenter::jumpcloud(),
        _ => IdentityCenter::new(),
    };
    let resources = input::resources(&input::read_text(pos.first().copied())?)?;
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
    let fix = args.flag("--fix") && rejected == 0;
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
