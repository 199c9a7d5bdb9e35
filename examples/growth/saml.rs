//! Growth cases for the `saml` area.

/// Cases of this area.
pub(crate) const CASES: &[crate::Case] = &[];
