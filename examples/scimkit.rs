//! The `scimkit` command: a demonstration of the crate on bundled sample data.
//!
//! ```sh
//! cargo run --example scimkit -- demo
//! ```
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

use scimkit::{SchemaRegistry, ScimError, ScimType};

const USAGE: &str = "usage: scimkit <command>

commands:
  demo    run a short demonstration on the bundled sample data
  help    print this message";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("demo") => demo(),
        Some("help" | "--help" | "-h") | None => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some(other) => {
            eprintln!("scimkit: unknown command `{other}`\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn demo() -> ExitCode {
    let schemas = SchemaRegistry::default();
    println!("== Schemas: attribute names are case-insensitive, the schema decides comparisons");
    for path in [
        "USERNAME",
        "emails.VALUE",
        "externalId",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter",
    ] {
        match schemas.attribute(path) {
            Some(a) => println!(
                "  {path:<72} -> {} ({:?}, caseExact={}, mutability={:?})",
                a.name(),
                a.kind(),
                a.case_exact(),
                a.mutability()
            ),
            None => println!("  {path:<72} -> unknown"),
        }
    }

    println!("\n== Errors: every failure is a SCIM error response");
    let err = ScimError::new(ScimType::InvalidFilter, "expected an operator at column 10");
    match serde_json::to_string_pretty(&err) {
        Ok(json) => println!("{json}"),
        Err(e) => {
            eprintln!("scimkit: {e}");
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}
