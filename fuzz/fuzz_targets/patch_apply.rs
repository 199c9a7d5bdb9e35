//! Fuzz target `patch_apply`: the checks live in `scimkit::fuzzing::patch_apply`, shared with
//! `tests/fuzz_replay.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(violation) = scimkit::fuzzing::patch_apply(data) {
        panic!("patch_apply: {violation}");
    }
});
