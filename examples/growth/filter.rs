//! Growth cases for the `filter` area.

/// Cases of this area.
pub(crate) const CASES: &[crate::Case] = &[];
