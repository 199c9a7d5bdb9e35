//! Fuzz target `filter_cost`: the checks live in `scimkit::fuzzing::filter_cost`, shared with
//! `tests/fuzz_replay.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(violation) = scimkit::fuzzing::filter_cost(data) {
        panic!("filter_cost: {violation}");
    }
});
