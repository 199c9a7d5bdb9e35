//! Fuzz target `provider`: the checks live in `scimkit::fuzzing::provider`, shared with
//! `tests/fuzz_replay.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(violation) = scimkit::fuzzing::provider(data) {
        panic!("provider: {violation}");
    }
});
