//! Fuzz target `saml_build`: the checks live in `scimkit::fuzzing::saml_build`, shared with
//! `tests/fuzz_replay.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(violation) = scimkit::fuzzing::saml_build(data) {
        panic!("saml_build: {violation}");
    }
});
