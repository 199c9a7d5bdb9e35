//! `demo`: a tour of the crate on the bundled sample data (`examples/data/`).

use std::io::Write;

use scimkit::aws::IdentityCenter;
use scimkit::{
    AccessControlMapping, AttributeStatementBuilder, Compat, Filter, PatchOp, Patcher,
    SchemaRegistry, ScimError,
};
use serde_json::Value;

use crate::{Failure, write_json_line, write_json_pretty};

pub(crate) const HELP: &str = "\
usage: scimkit demo

Runs a short demonstration on the bundled sample data (examples/data/): a JumpCloud-style user
with mixed-case attribute names, and a group. It matches a filter, applies a PATCH as Microsoft
Entra ID sends it, computes the PATCH for a JumpCloud-style PUT, checks the user against AWS IAM
Identity Center, and prints the session-tag AttributeStatement of the user's attributes for
access control.";

// Copies of `examples/data/` (a test keeps them equal), inside the package so that it builds
// from crates.io.
const USER: &str = include_str!("../data/user.json");
const USER_UPDATED: &str = include_str!("../data/user-updated.json");
const GROUP: &str = include_str!("../data/group.json");
const ENTRA_PATCH: &str = include_str!("../data/entra-patch.json");

fn json(text: &str) -> Result<Value, Failure> {
    Ok(serde_json::from_str(text).map_err(ScimError::from)?)
}

/// `demo`: no arguments.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {}

impl Args {
    pub(crate) fn run(&self, out: &mut dyn Write) -> Result<(), Failure> {
        run(out)
    }
}

fn run(out: &mut dyn Write) -> Result<(), Failure> {
    let user = json(USER)?;
    let group = json(GROUP)?;
    let schemas = SchemaRegistry::default();

    writeln!(
        out,
        "Sample data (examples/data/): user.json, a JumpCloud-style user whose attribute names are\n\
         mixed-case (\"UserName\", \"Emails\", \"CostCenter\"), and group.json.\n"
    )?;

    let text = r#"USERNAME EQ "ADA@example.org" AND emails[type eq "work" and primary eq true] and (urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter eq "Blue")"#;
    let filter: Filter = text.parse().map_err(ScimError::from)?;
    writeln!(out, "== 1. Filter (RFC 7644 §3.4.2.2)")?;
    writeln!(out, "input:     {text}")?;
    writeln!(out, "canonical: {filter}")?;
    writeln!(
        out,
        "user.json:  {} (names ignore case; userName and costCenter compare ignoring case)",
        verdict(filter.matches(&user, &schemas)?)
    )?;
    writeln!(
        out,
        "group.json: {}",
        verdict(filter.matches(&group, &schemas)?)
    )?;
    if let Err(e) = "userName eq".parse::<Filter>() {
        write!(out, "`userName eq` -> ")?;
        write_json_line(out, &ScimError::from(e))?;
    }

    writeln!(
        out,
        "\n== 2. PATCH as Microsoft Entra ID sends it (entra-patch.json)"
    )?;
    writeln!(out, "{}", ENTRA_PATCH.trim_end())?;
    let request: PatchOp = serde_json::from_str(ENTRA_PATCH).map_err(ScimError::from)?;
    let mut strict = group.clone();
    if let Err(e) = Patcher::new(&schemas).apply(&request, &mut strict) {
        write!(
            out,
            "strict RFC 7644 refuses it, and the group is untouched: "
        )?;
        write_json_line(out, &e)?;
    }
    let mut patched = group.clone();
    Patcher::new(&schemas)
        .compat(Compat::entra())
        .apply(&request, &mut patched)?;
    writeln!(out, "with Compat::entra() the group becomes:")?;
    write_json_pretty(out, &patched)?;

    writeln!(
        out,
        "\n== 3. Diff: JumpCloud PUTs the whole user (user-updated.json); as one PATCH request:"
    )?;
    let updated = json(USER_UPDATED)?;
    write_json_pretty(out, &scimkit::diff::diff(&user, &updated, &schemas)?)?;

    writeln!(
        out,
        "\n== 4. AWS IAM Identity Center check of user.json (JumpCloud profile)"
    )?;
    let checked = IdentityCenter::jumpcloud().normalize_user(&user);
    for finding in &checked.findings {
        writeln!(out, "{finding}")?;
    }
    writeln!(
        out,
        "accepted: {}; kept phone: {}",
        checked.is_accepted(),
        checked.resource["phoneNumbers"][0]["value"]
    )?;

    writeln!(
        out,
        "\n== 5. AWS session tags: Identity Center's attributes for access control, from user.json"
    )?;
    let entries = [
        "CostCenter=${path:enterprise.costCenter}",
        "Department=${path:enterprise.department}",
        "Email=${path:emails[primary eq true].value}",
    ];
    for entry in entries {
        writeln!(out, "{entry}")?;
    }
    let tags = AccessControlMapping::from_entries(entries)
        .and_then(|m| m.evaluate(&user, &schemas))
        .map_err(ScimError::from)?;
    let statement = AttributeStatementBuilder::new()
        .access_control_tags(tags)
        .build()
        .map_err(ScimError::from)?;
    writeln!(out, "{}", statement.to_xml_string())?;
    Ok(())
}

fn verdict(matched: bool) -> &'static str {
    if matched { "matches" } else { "no match" }
}
