//! Fuzz target `model_deser`: the checks live in `scimkit::fuzzing::model_deser`, shared with
//! `tests/fuzz_replay.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(violation) = scimkit::fuzzing::model_deser(data) {
        panic!("model_deser: {violation}");
    }
});
