//! The password a write receives (RFC 7643 §4.1.1): handed to the service to hash, never left
//! in the resource it stores.

use serde_json::Value;

use crate::model::Password;

/// What a write produced, with the cleartext `password` the request set taken out of the
/// resource: a service stores `value` as it is and hashes `password`, so the cleartext never
/// reaches the store by accident.
///
/// Returned by [`create_written`](super::Provider::create_written),
/// [`replace_written`](super::Provider::replace_written) and
/// [`patch_written`](super::Provider::patch_written).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Written<T> {
    /// The resource to store (`POST`, `PUT`), or the PATCH outcome (the resource is patched
    /// in place). Holds no `password`.
    pub value: T,
    /// The password the request set, to hash; `None` when it set none. Its `Debug` output
    /// hides the text.
    pub password: Option<Password>,
}

impl<T> Written<T> {
    pub(super) fn new(value: T, password: Option<Password>) -> Self {
        Self { value, password }
    }
}

/// Removes the top-level `password` (any case) from `resource`, returning it when it is a
/// string.
pub(super) fn take_password(resource: &mut Value) -> Option<Password> {
    let obj = resource.as_object_mut()?;
    let key = obj
        .keys()
        .find(|k| k.eq_ignore_ascii_case("password"))?
        .clone();
    match obj.remove(&key)? {
        Value::String(s) => Some(Password::from(s)),
        _ => None,
    }
}
