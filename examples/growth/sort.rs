//! Growth cases for the `sort` area.

/// Cases of this area.
pub(crate) const CASES: &[crate::Case] = &[];
