//! Growth cases for the `patch` area.

/// Cases of this area.
pub(crate) const CASES: &[crate::Case] = &[];
