//! Growth cases for the `provider` area.

/// Cases of this area.
pub(crate) const CASES: &[crate::Case] = &[];
