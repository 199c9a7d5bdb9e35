//! Fuzz target `sort_order`: the checks live in `scimkit::fuzzing::sort_order`, shared with
//! `tests/fuzz_replay.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(violation) = scimkit::fuzzing::sort_order(data) {
        panic!("sort_order: {violation}");
    }
});
