//! Typed SCIM resources and protocol messages (RFC 7643, RFC 7644).

mod meta;

pub use meta::Meta;
