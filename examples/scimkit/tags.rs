//! `tags`: the SAML AttributeStatement carrying AWS session tags.

use std::io::Write;

use scimkit::{AttributeStatementBuilder, Compat, ScimError};

use crate::args::{Parsed, Spec};
use crate::{Command, Failure, positionals, print};

pub(crate) const TAGS: Command = Command {
    name: "tags",
    help: "\
usage: scimkit tags --map KEY=VALUE [--map KEY=VALUE …] [--kind KIND]

Prints the SAML 2.0 AttributeStatement that passes the tags to AWS, checked against AWS's
rules: at most 50 tags, keys up to 128 and values up to 256 characters from
[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@], no `aws:` prefix, keys unique ignoring case.

options:
  --map KEY=VALUE   a session tag (repeatable)
  --kind KIND       access-control (default): IAM Identity Center's
                      https://aws.amazon.com/SAML/Attributes/AccessControl:KEY attributes
                    principal-tag: AssumeRoleWithSAML's
                      https://aws.amazon.com/SAML/Attributes/PrincipalTag:KEY attributes

A tag AWS would refuse prints the SCIM error body (400 invalidValue) on stdout and exits 1.

example:
  $ scimkit tags --map CostCenter=blue",
    spec: Spec {
        options: &["--map", "--kind"],
        flags: &[],
    },
    run,
};

/// Which SAML attributes carry the tags.
#[derive(Clone, Copy)]
enum Kind {
    AccessControl,
    PrincipalTag,
}

fn run(args: &Parsed, _compat: &Compat, out: &mut dyn Write) -> Result<(), Failure> {
    positionals(args, 0, 0, "")?;
    let kind = match args.option("--kind")? {
        None | Some("access-control") => Kind::AccessControl,
        Some("principal-tag") => Kind::PrincipalTag,
        Some(other) => {
            return Err(Failure::usage(format!(
                "--kind is access-control or principal-tag, not `{other}`"
            )));
        }
    };
    let mut builder = AttributeStatementBuilder::new();
    let mut any = false;
    for map in args.options("--map") {
        let Some((key, value)) = map.split_once('=') else {
            return Err(Failure::usage(format!(
                "--map takes KEY=VALUE, not `{map}`"
            )));
        };
        builder = match kind {
            Kind::AccessControl => builder.access_control(key, value),
            Kind::PrincipalTag => builder.principal_tag(key, value),
        };
        any = true;
    }
    if !any {
        return Err(Failure::usage("expected at least one --map KEY=VALUE"));
    }
    let statement = builder.build().map_err(ScimError::from)?;
    print(out, &statement.to_xml_string())
}
