//! The checks the fuzz targets run (`fuzz/fuzz_targets/*.rs`), shared with the replay test
//! (`tests/fuzz_replay.rs`) so every corpus file and past crash is re-checked by `cargo test`
//! without a fuzzer.
//!
//! Each check takes the fuzzer's raw bytes and returns `Err(description)` when an invariant
//! breaks; a panic inside the crate is a finding too. Not a stable API: it exists for the
//! crate's own tests and is compiled only with the `fuzzing` feature.

mod cost;
mod filter;
mod make;
mod model;
mod patch;
mod provider;
#[cfg(feature = "saml")]
mod saml;

use std::sync::OnceLock;

use serde_json::Value;

use crate::{SchemaRegistry, ScimError};

pub use cost::{filter_cost, sort_order};
pub use filter::{filter_parse, path_parse};
pub use model::model_deser;
pub use patch::patch_apply;
pub use provider::provider;
#[cfg(feature = "saml")]
pub use saml::{saml_build, saml_read};

/// What a check returns: `Err` describes the broken invariant.
pub type Outcome = Result<(), String>;

/// A fuzz target's check.
pub type Check = fn(&[u8]) -> Outcome;

/// Every target, by the name of its `fuzz/fuzz_targets/<name>.rs` and corpus directory.
pub const TARGETS: &[(&str, Check)] = &[
    ("filter_parse", filter_parse),
    ("path_parse", path_parse),
    ("patch_apply", patch_apply),
    ("model_deser", model_deser),
    ("provider", provider),
    ("filter_cost", filter_cost),
    ("sort_order", sort_order),
    #[cfg(feature = "saml")]
    ("saml_read", saml_read),
    #[cfg(feature = "saml")]
    ("saml_build", saml_build),
];

/// Longest error message accepted: errors must never echo unbounded input.
const MAX_DETAIL: usize = 1024;

/// The RFC 7643 §8.3 enterprise user and §8.4 group, and the default registry, built once.
struct Fixtures {
    registry: SchemaRegistry,
    user: Value,
    group: Value,
}

fn fixtures() -> &'static Fixtures {
    static FIXTURES: OnceLock<Fixtures> = OnceLock::new();
    FIXTURES.get_or_init(|| Fixtures {
        registry: SchemaRegistry::default(),
        user: serde_json::from_str(include_str!(
            "../../tests/data/resources/rfc7643-8.3-enterprise-user.json"
        ))
        .unwrap_or_default(),
        group: serde_json::from_str(include_str!(
            "../../tests/data/resources/rfc7643-8.4-group.json"
        ))
        .unwrap_or_default(),
    })
}

/// A message that may be shown to a client must stay short whatever the input.
fn bounded(what: &str, message: &str) -> Outcome {
    match message.len() <= MAX_DETAIL {
        true => Ok(()),
        false => {
            let start: String = message.chars().take(200).collect();
            Err(format!(
                "{what}: {}-byte error message {start:?}…",
                message.len()
            ))
        }
    }
}

fn bounded_scim(what: &str, e: &ScimError) -> Outcome {
    bounded(what, e.detail.as_deref().unwrap_or(""))
}
