//! `patch` and `diff`: PATCH requests applied and computed.

use std::io::Write;

use scimkit::{Compat, PatchOp, Patcher, SchemaRegistry, ScimError};

use crate::args::{Parsed, Spec};
use crate::{Command, Failure, input, positionals, write_json_pretty};

pub(crate) const PATCH: Command = Command {
    name: "patch",
    help: "\
usage: scimkit [--compat PRESET] patch OPS_FILE [FILE]

Applies the PATCH request in OPS_FILE (a PatchOp body, RFC 7644 §3.5.2) to the resource in
FILE, or stdin when FILE is `-` or absent, and prints the resulting resource. Attribute names
in paths and values ignore case; the RFC 7643 schemas decide types, mutability and how values
compare.

The request applies completely or not at all: on failure, prints the SCIM error body on stdout
(400 invalidPath, noTarget, invalidValue, mutability …) and exits 1; no file is written.
`--compat entra` accepts Entra's deviations, such as `remove` with a `value` listing members.

example:
  $ scimkit --compat entra patch examples/data/entra-patch.json examples/data/group.json",
    spec: Spec {
        options: &[],
        flags: &[],
    },
    run: patch,
};

pub(crate) const DIFF: Command = Command {
    name: "diff",
    help: "\
usage: scimkit diff OLD NEW

Prints the PATCH request (a PatchOp body) that turns the resource in OLD into the one in NEW:
removes first (elements of multi-valued attributes addressed by value,
`emails[value eq \"…\"]`), then replaces, then one add. Attribute names ignore case; readOnly
attributes (`id`, `meta`) and `schemas` are left out. Either file may be `-` for stdin.
Two equivalent resources give an empty `Operations` list.

example:
  $ scimkit diff examples/data/user.json examples/data/user-updated.json",
    spec: Spec {
        options: &[],
        flags: &[],
    },
    run: diff,
};

fn patch(args: &Parsed, compat: &Compat, out: &mut dyn Write) -> Result<(), Failure> {
    let pos = positionals(args, 1, 2, "OPS_FILE")?;
    let request: PatchOp =
        serde_json::from_value(input::read_json(Some(pos[0]))?).map_err(|e| {
            ScimError::invalid_syntax(format!("{}: not a PatchOp request: {e}", pos[0]))
        })?;
    let mut resource = input::read_json(pos.get(1).copied())?;
    let schemas = SchemaRegistry::default();
    Patcher::new(&schemas)
        .compat(*compat)
        .apply(&request, &mut resource)?;
    write_json_pretty(out, &resource)
}

fn diff(args: &Parsed, _compat: &Compat, out: &mut dyn Write) -> Result<(), Failure> {
    let pos = positionals(args, 2, 2, "OLD and NEW")?;
    if pos[0] == "-" && pos[1] == "-" {
        return Err(Failure::usage("only one of OLD and NEW can be stdin"));
    }
    let old = input::read_json(Some(pos[0]))?;
    let new = input::read_json(Some(pos[1]))?;
    let request = scimkit::diff::diff(&old, &new, &SchemaRegistry::default())?;
    write_json_pretty(out, &request)
}
