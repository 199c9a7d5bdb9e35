//! `demo`: a tour of the crate on the bundled sample data (`examples/data/`).

use std::io::Write;

use scimkit::{AttributeStatementBuilder, Compat, Filter, SchemaRegistry, ScimError};
use serde_json::Value;

use crate::args::{Parsed, Spec};
use crate::{Command, Failure, positionals};

pub(crate) const DEMO: Command = Command {
    name: "demo",
    help: "\
usage: scimkit demo

Runs a short demonstration on the bundled sample data (examples/data/): a JumpCloud-style user
with mixed-case attribute names and a group. It matches a filter, and prints the user's
session-tag AttributeStatement.",
    spec: Spec {
        options: &[],
        flags: &[],
    },
    run,
};

const USER: &str = include_str!("../data/user.json");
const GROUP: &str = include_str!("../data/group.json");

fn run(args: &Parsed, _compat: &Compat, out: &mut dyn Write) -> Result<(), Failure> {
    positionals(args, 0, 0, "")?;
    let user: Value = serde_json::from_str(USER).map_err(ScimError::from)?;
    let group: Value = serde_json::from_str(GROUP).map_err(ScimError::from)?;
    let schemas = SchemaRegistry::default();

    writeln!(
        out,
        "Sample data: examples/data/user.json, a JumpCloud-style user whose attribute names are\n\
         mixed-case (\"UserName\", \"Emails\", \"CostCenter\"), and examples/data/group.json.\n"
    )?;

    let text = r#"USERNAME eq "ADA@example.org" and emails[type eq "work" and primary eq true] and urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter eq "Blue""#;
    let filter: Filter = text.parse().map_err(ScimError::from)?;
    writeln!(out, "== 1. Filter (RFC 7644 §3.4.2.2)")?;
    writeln!(out, "input:     {text}")?;
    writeln!(out, "canonical: {filter}")?;
    writeln!(
        out,
        "user:  {}   (names ignore case; userName and costCenter compare ignoring case)",
        verdict(filter.matches(&user, &schemas)?)
    )?;
    writeln!(out, "group: {}", verdict(filter.matches(&group, &schemas)?))?;
    let bad = "userName eq";
    if let Err(e) = bad.parse::<Filter>() {
        let body = serde_json::to_string(&ScimError::from(e)).map_err(ScimError::from)?;
        writeln!(out, "`{bad}` -> {body}")?;
    }

    writeln!(
        out,
        "\n== 2. AWS session tags: the user's AttributeStatement"
    )?;
    let statement = AttributeStatementBuilder::new()
        .access_control("CostCenter", "blue")
        .access_control("Department", "Engineering")
        .build()
        .map_err(ScimError::from)?;
    writeln!(out, "{}", statement.to_xml_string())?;
    Ok(())
}

fn verdict(matched: bool) -> &'static str {
    if matched { "matches" } else { "no match" }
}
