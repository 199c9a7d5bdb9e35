//! Fuzz target `path_parse`: the checks live in `scimkit::fuzzing::path_parse`, shared with
//! `tests/fuzz_replay.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(violation) = scimkit::fuzzing::path_parse(data) {
        panic!("path_parse: {violation}");
    }
});
