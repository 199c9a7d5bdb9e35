//! Growth cases for the `projection` area.

/// Cases of this area.
pub(crate) const CASES: &[crate::Case] = &[];
