//! `patch` and `diff`: PATCH requests applied and computed.

use std::io::Write;

use scimkit::{PatchOp, Patcher, SchemaRegistry, ScimError};

use crate::{Failure, Preset, input, write_json_pretty};

pub(crate) const PATCH_HELP: &str = "\
usage: scimkit [--compat PRESET] patch OPS_FILE [FILE]

Applies the PATCH request in OPS_FILE (a PatchOp body, RFC 7644 §3.5.2) to the resource in
FILE, or stdin when FILE is `-` or absent, and prints the resulting resource. Attribute names
in paths and values ignore case; the RFC 7643 schemas decide types, mutability and how values
compare.

The request applies completely or not at all: on failure, prints the SCIM error body on stdout
(400 invalidPath, noTarget, invalidValue, mutability …) and exits 1; no file is written.
`--compat entra` accepts Entra's deviations, such as `remove` with a `value` listing members.

example:
  $ scimkit --compat entra patch examples/data/entra-patch.json examples/data/group.json";

pub(crate) const DIFF_HELP: &str = "\
usage: scimkit diff OLD NEW

Prints the PATCH request (a PatchOp body) that turns the resource in OLD into the one in NEW:
removes first (elements of multi-valued attributes addressed by value,
`emails[value eq \"…\"]`), then replaces, then one add. Attribute names ignore case; readOnly
attributes (`id`, `meta`) and `schemas` are left out. Either file may be `-` for stdin.
Two equivalent resources give an empty `Operations` list.

example:
  $ scimkit diff examples/data/user.json examples/data/user-updated.json";

/// `patch OPS_FILE [FILE]`.
#[derive(Debug, clap::Args)]
pub(crate) struct PatchArgs {
    /// The PatchOp request.
    ops_file: String,
    /// The resource; stdin when absent or `-`.
    file: Option<String>,
}

impl PatchArgs {
    pub(crate) fn run(&self, preset: &Preset, out: &mut dyn Write) -> Result<(), Failure> {
        let ops = self.ops_file.as_str();
        let request: PatchOp = serde_json::from_value(input::read_json(Some(ops))?)
            .map_err(|e| ScimError::invalid_syntax(format!("{ops}: not a PatchOp request: {e}")))?;
        let mut resource = input::read_json(self.file.as_deref())?;
        let schemas = SchemaRegistry::default();
        Patcher::new(&schemas)
            .compat(preset.compat)
            .apply(&request, &mut resource)?;
        write_json_pretty(out, &resource)
    }
}

/// `diff OLD NEW`.
#[derive(Debug, clap::Args)]
pub(crate) struct DiffArgs {
    /// The resource as it is.
    old: String,
    /// The resource as it should become.
    new: String,
}

impl DiffArgs {
    pub(crate) fn run(&self, out: &mut dyn Write) -> Result<(), Failure> {
        if self.old == "-" && self.new == "-" {
            return Err(Failure::usage("only one of OLD and NEW can be stdin"));
        }
        let old = input::read_json(Some(&self.old))?;
        let new = input::read_json(Some(&self.new))?;
        let request = scimkit::diff::diff(&old, &new, &SchemaRegistry::default())?;
        write_json_pretty(out, &request)
    }
}
