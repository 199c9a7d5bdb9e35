//! Replays every committed fuzz input — the seed corpora (`fuzz/corpus/<target>/`) and the
//! minimized crashes of past findings (`fuzz/regressions/<target>/`) — through the checks the
//! fuzz targets run (`scimkit::fuzzing`), so a fixed bug stays fixed without the fuzzer.
//!
//! The files are read at run time: `fuzz/` is not part of the published package, where this
//! test then finds nothing to replay.
#![cfg(feature = "fuzzing")]
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use scimkit::fuzzing::{Check, TARGETS};

fn inputs(kind: &str, target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join(kind)
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| entries.filter_map(|e| Some(e.ok()?.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.is_file());
    files.sort();
    files
}

/// Runs `check` on every file; a panic or a broken invariant names the file.
fn replay(kind: &str, target: &str, check: Check) -> usize {
    let files = inputs(kind, target);
    let mut failures = Vec::new();
    for file in &files {
        // A fuzzer running meanwhile may replace its own corpus files: skip what vanished.
        let Ok(data) = std::fs::read(file) else {
            continue;
        };
        match std::panic::catch_unwind(|| check(&data)) {
            Ok(Ok(())) => {}
            Ok(Err(violation)) => failures.push(format!("{}: {violation}", file.display())),
            Err(_) => failures.push(format!("{}: panicked", file.display())),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    files.len()
}

fn check_of(target: &str) -> Check {
    TARGETS
        .iter()
        .find(|(name, _)| *name == target)
        .map(|(_, check)| *check)
        .unwrap()
}

#[test]
fn every_target_has_a_fuzz_target_and_a_seed_corpus() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    if !root.exists() {
        return; // the published package
    }
    for (target, _) in TARGETS {
        let source = root.join("fuzz_targets").join(format!("{target}.rs"));
        assert!(source.is_file(), "{} is missing", source.display());
        assert!(
            !inputs("corpus", target).is_empty(),
            "no seeds for {target}"
        );
    }
}

macro_rules! replay_tests {
    ($($target:ident),* $(,)?) => {$(
        #[test]
        fn $target() {
            let target = stringify!($target);
            let check = check_of(target);
            replay("corpus", target, check);
            replay("regressions", target, check);
        }
    )*};
}

replay_tests!(
    filter_parse,
    path_parse,
    patch_apply,
    model_deser,
    provider,
    filter_cost,
    sort_order
);
#[cfg(feature = "saml")]
replay_tests!(saml_read, saml_build);
