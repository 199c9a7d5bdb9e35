//! `tags`: the SAML AttributeStatement carrying a user's AWS session tags.

use std::io::Write;

use scimkit::{AccessControlMapping, AttributeStatementBuilder, SchemaRegistry, ScimError};

use crate::{Failure, input, print};

pub(crate) const HELP: &str = "\
usage: scimkit tags --map KEY=EXPR [--map KEY=EXPR …] [--kind KIND] [FILE]

Evaluates IAM Identity Center's attributes for access control against the SCIM user in FILE,
or stdin when FILE is `-` or absent, and prints the SAML 2.0 AttributeStatement that passes
them to AWS as session tags.

EXPR is an Identity Center source, `${path:ATTRIBUTE}`: a SCIM attribute path or valuePath
(`title`, `name.givenName`, `emails[primary eq true].value`), `enterprise.` standing for the
Enterprise User extension (`enterprise.costCenter`). Names ignore case. A user without the
attribute, or with an empty value, gets no tag for that key, and stderr names the key:
`scimkit: no tag for KEY: REASON (source EXPR)`. A path that selects several values is an
error.

options:
  --map KEY=EXPR   a session tag and its source (repeatable, at most 50)
  --kind KIND      access-control (default): IAM Identity Center's
                     https://aws.amazon.com/SAML/Attributes/AccessControl:KEY attributes
                   principal-tag: AssumeRoleWithSAML's
                     https://aws.amazon.com/SAML/Attributes/PrincipalTag:KEY attributes

A mapping or a tag AWS would refuse (unknown attribute, `aws:` prefix, a value over 256
characters or with characters outside [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@], keys equal ignoring case)
prints the SCIM error body on stdout and exits 1.

example:
  $ scimkit tags --map 'CostCenter=${path:enterprise.costCenter}' examples/data/user.json";

/// `tags --map KEY=EXPR … [--kind KIND] [FILE]`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// A session tag and its source (repeatable); at least one, checked in `run` so that
    /// its absence is said as the help says it.
    #[arg(long = "map", value_name = "KEY=EXPR")]
    maps: Vec<String>,
    /// Which SAML attributes carry the tags.
    #[arg(long, value_parser = Kind::parse, default_value = "access-control")]
    kind: Kind,
    /// The user; stdin when absent or `-`.
    file: Option<String>,
}

/// Which SAML attributes carry the tags.
#[derive(Clone, Copy, Debug)]
enum Kind {
    AccessControl,
    PrincipalTag,
}

impl Kind {
    fn parse(name: &str) -> Result<Self, String> {
        match name {
            "access-control" => Ok(Self::AccessControl),
            "principal-tag" => Ok(Self::PrincipalTag),
            other => Err(format!(
                "--kind is access-control or principal-tag, not `{other}`"
            )),
        }
    }
}

impl Args {
    pub(crate) fn run(&self, out: &mut dyn Write) -> Result<(), Failure> {
        if self.maps.is_empty() {
            return Err(Failure::usage("expected at least one --map KEY=EXPR"));
        }
        run(&self.maps, self.kind, self.file.as_deref(), out)
    }
}

fn run(
    maps: &[String],
    kind: Kind,
    file: Option<&str>,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let mapping = AccessControlMapping::from_entries(maps.iter().map(String::as_str))
        .map_err(ScimError::from)?;
    let user = input::read_json(file)?;
    let report = mapping
        .evaluate_with_report(&user, &SchemaRegistry::default())
        .map_err(ScimError::from)?;
    for skipped in &report.skipped {
        eprintln!("scimkit: no tag for {skipped}");
    }
    let tags = report.tags;
    let builder = match kind {
        Kind::AccessControl => AttributeStatementBuilder::new().access_control_tags(tags),
        Kind::PrincipalTag => AttributeStatementBuilder::new().principal_tags(tags),
    };
    let statement = builder.build().map_err(ScimError::from)?;
    print(out, &statement.to_xml_string())
}
