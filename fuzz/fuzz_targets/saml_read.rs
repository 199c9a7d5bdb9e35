//! Fuzz target `saml_read`: the checks live in `scimkit::fuzzing::saml_read`, shared with
//! `tests/fuzz_replay.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(violation) = scimkit::fuzzing::saml_read(data) {
        panic!("saml_read: {violation}");
    }
});
