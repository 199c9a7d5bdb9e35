//! The value type shared by most multi-valued attributes (RFC 7643 §2.4).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One value of a multi-valued attribute, with the default sub-attributes of RFC 7643 §2.4:
/// `value`, `display`, `type`, `primary` and `$ref`.
///
/// `emails`, `phoneNumbers`, `ims`, `photos`, `entitlements`, `roles`, `x509Certificates`,
/// a user's `groups` and a group's `members` all have this shape; the aliases ([`Email`],
/// [`Member`]…) name each use. Sub-attributes the model does not know are kept in
/// [`extra`](Self::extra) and written back.
///
/// ```
/// use scimkit::model::Email;
///
/// let email = Email::new("bjensen@example.com").with_type("work").with_primary(true);
/// assert_eq!(
///     serde_json::to_value(&email)?,
///     serde_json::json!({"value": "bjensen@example.com", "type": "work", "primary": true}),
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MultiValue {
    /// The value: an email address, a phone number, a URL, the `id` of a group or member…
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// A human-readable name, mostly for display.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
    /// A label for the value's function (`work`, `home`, `mobile`; `direct`/`indirect` for a
    /// user's groups; `User`/`Group` for a group's members).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Whether this is the preferred value; at most one value of an attribute is primary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary: Option<bool>,
    /// The URI of the resource the value refers to (`$ref`), for references such as members.
    #[serde(rename = "$ref", default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Sub-attributes the model does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl MultiValue {
    /// A value with no other sub-attribute.
    pub fn new(value: impl Into<String>) -> Self {
        Self {
            value: Some(value.into()),
            ..Self::default()
        }
    }

    /// Sets `type`.
    #[must_use]
    pub fn with_type(mut self, kind: impl Into<String>) -> Self {
        self.kind = Some(kind.into());
        self
    }

    /// Sets `primary`.
    #[must_use]
    pub fn with_primary(mut self, primary: bool) -> Self {
        self.primary = Some(primary);
        self
    }

    /// Sets `display`.
    #[must_use]
    pub fn with_display(mut self, display: impl Into<String>) -> Self {
        self.display = Some(display.into());
        self
    }

    /// Sets `$ref`.
    #[must_use]
    pub fn with_ref(mut self, reference: impl Into<String>) -> Self {
        self.reference = Some(reference.into());
        self
    }

    /// Whether `primary` is `true`.
    pub fn is_primary(&self) -> bool {
        self.primary == Some(true)
    }
}

/// Picks the primary value of a multi-valued attribute, else its first value.
pub(crate) fn primary_or_first<T>(
    values: Option<&[T]>,
    is_primary: impl Fn(&T) -> bool,
) -> Option<&T> {
    let values = values?;
    values
        .iter()
        .find(|v| is_primary(v))
        .or_else(|| values.first())
}

/// An email address of a user (`emails`, RFC 7643 §4.1.2); canonical types `work`, `home`,
/// `other`.
pub type Email = MultiValue;
/// A phone number of a user (`phoneNumbers`, RFC 7643 §4.1.2), preferably a `tel:` URI
/// (RFC 3966); canonical types `work`, `home`, `mobile`, `fax`, `pager`, `other`.
pub type PhoneNumber = MultiValue;
/// An instant-messaging address of a user (`ims`, RFC 7643 §4.1.2).
pub type Im = MultiValue;
/// The URL of an image of a user (`photos`, RFC 7643 §4.1.2); types `photo`, `thumbnail`.
pub type Photo = MultiValue;
/// An entitlement of a user (`entitlements`, RFC 7643 §4.1.2).
pub type Entitlement = MultiValue;
/// A role of a user (`roles`, RFC 7643 §4.1.2).
pub type Role = MultiValue;
/// A DER certificate of a user, base64-encoded (`x509Certificates`, RFC 7643 §4.1.2).
pub type X509Certificate = MultiValue;
/// A group a user belongs to (`groups`, RFC 7643 §4.1.2; read-only): `value` is the group's
/// `id`, `type` is `direct` or `indirect`.
pub type GroupRef = MultiValue;
/// A member of a group (`members`, RFC 7643 §4.2): `value` is the member's `id`, `type` is
/// `User` or `Group`.
pub type Member = MultiValue;
