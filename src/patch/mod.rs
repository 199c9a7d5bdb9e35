//! PATCH (RFC 7644 §3.5.2): an atomic, schema-aware applier.

mod ops;
mod target;
mod undo;
mod value;
