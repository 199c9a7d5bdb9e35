//! Differences between resources as SCIM PATCH requests.

pub(crate) mod compute;
