//! Fuzz target `filter_parse`: the checks live in `scimkit::fuzzing::filter_parse`, shared with
//! `tests/fuzz_replay.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(violation) = scimkit::fuzzing::filter_parse(data) {
        panic!("filter_parse: {violation}");
    }
});
