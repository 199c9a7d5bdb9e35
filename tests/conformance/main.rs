//! Conformance tests, one module per area, in one test binary.

#[cfg(feature = "saml")]
mod saml;
