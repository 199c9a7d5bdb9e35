//! The User resource (RFC 7643 §4.1) and its complex attributes.

use super::resource::value_conversions;
use std::fmt;

use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use super::multi::primary_or_first;
use super::resource::{Fields, is_urn, put, put_extra, read_resource, wire_schemas};
use super::{
    Email, EnterpriseUser, Entitlement, GroupRef, Im, Meta, PhoneNumber, Photo, Role,
    X509Certificate,
};
use crate::error::ScimError;
use crate::schema::{ENTERPRISE_USER_SCHEMA, SchemaRegistry, USER_SCHEMA};

/// A SCIM User (RFC 7643 §4.1), with the Enterprise User extension (§4.3) and the common
/// attributes (§3.1).
///
/// # Reading
/// Attribute names are case-insensitive (RFC 7643 §2.1): `{"USERNAME": "x"}` reads like
/// `{"userName": "x"}`, at every level, as the schema spells each name. Two names in one object
/// that differ only in case are rejected (`400 invalidSyntax` once converted into
/// [`ScimError`]). Attributes and extension objects the model does not know are kept in
/// [`extra`](Self::extra) and written back, so a service never drops data it did not model.
/// `null` is "unassigned" (RFC 7643 §2.5); for a multi-valued attribute, `null` and `[]` both
/// read as `Some(vec![])`, an explicit "no values" that is written back as `[]`.
///
/// # Writing
/// Names are camelCase, unassigned attributes are left out, `password` is never written, and
/// `schemas` lists the core URN and the URN of every extension present.
///
/// ```
/// use scimkit::User;
///
/// let user: User = serde_json::from_value(serde_json::json!({
///     "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
///     "USERNAME": "bjensen",
///     "Name": {"GIVENNAME": "Barbara"},
///     "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"Department": "Tour Operations"},
/// }))?;
/// assert_eq!(user.user_name, "bjensen");
/// assert_eq!(user.name.as_ref().and_then(|n| n.given_name.as_deref()), Some("Barbara"));
/// assert_eq!(user.enterprise().and_then(|e| e.department.as_deref()), Some("Tour Operations"));
///
/// let json = user.to_value();
/// assert_eq!(json["userName"], "bjensen");
/// assert_eq!(json["schemas"][1], "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct User {
    /// The schema URNs as declared. Writing adds the core URN and the URN of each extension
    /// present when missing.
    pub schemas: Vec<String>,
    /// The service provider's identifier (`id`, read-only).
    pub id: Option<String>,
    /// The provisioning client's identifier (`externalId`).
    pub external_id: Option<String>,
    /// Resource metadata (`meta`, read-only).
    pub meta: Option<Meta>,
    /// The unique identifier the user signs in with (`userName`; required). Empty means
    /// unassigned and is not written, as in a partial representation.
    pub user_name: String,
    /// The components of the user's name (`name`).
    pub name: Option<Name>,
    /// The name to display (`displayName`).
    pub display_name: Option<String>,
    /// The casual name (`nickName`).
    pub nick_name: Option<String>,
    /// A URL of the user's online profile (`profileUrl`).
    pub profile_url: Option<String>,
    /// The job title (`title`).
    pub title: Option<String>,
    /// The relation to the organization: `Employee`, `Contractor`… (`userType`).
    pub user_type: Option<String>,
    /// The preferred written or spoken language, as in HTTP `Accept-Language`
    /// (`preferredLanguage`, `en-US`).
    pub preferred_language: Option<String>,
    /// The default location for localization (`locale`, `en-US`).
    pub locale: Option<String>,
    /// The time zone, an IANA name (`timezone`, `America/Los_Angeles`).
    pub timezone: Option<String>,
    /// The administrative status (`active`).
    pub active: Option<bool>,
    /// The cleartext password (`password`, write-only): read from requests, never written. A
    /// client that must send one adds it to the JSON from [`to_value`](Self::to_value).
    pub password: Option<Password>,
    /// Email addresses (`emails`).
    pub emails: Option<Vec<Email>>,
    /// Phone numbers (`phoneNumbers`).
    pub phone_numbers: Option<Vec<PhoneNumber>>,
    /// Instant-messaging addresses (`ims`).
    pub ims: Option<Vec<Im>>,
    /// Photo URLs (`photos`).
    pub photos: Option<Vec<Photo>>,
    /// Physical mailing addresses (`addresses`).
    pub addresses: Option<Vec<Address>>,
    /// The groups the user belongs to (`groups`, read-only).
    pub groups: Option<Vec<GroupRef>>,
    /// Entitlements (`entitlements`).
    pub entitlements: Option<Vec<Entitlement>>,
    /// Roles (`roles`).
    pub roles: Option<Vec<Role>>,
    /// Certificates (`x509Certificates`).
    pub x509_certificates: Option<Vec<X509Certificate>>,
    /// The Enterprise User extension (RFC 7643 §4.3).
    pub enterprise: Option<EnterpriseUser>,
    /// Attributes and extension objects the model does not know, kept as sent (extension
    /// objects under their URN).
    pub extra: Map<String, Value>,
}

impl Default for User {
    /// A user with no attribute set but `schemas` (the core User URN).
    fn default() -> Self {
        Self {
            schemas: vec![USER_SCHEMA.to_owned()],
            id: None,
            external_id: None,
            meta: None,
            user_name: String::new(),
            name: None,
            display_name: None,
            nick_name: None,
            profile_url: None,
            title: None,
            user_type: None,
            preferred_language: None,
            locale: None,
            timezone: None,
            active: None,
            password: None,
            emails: None,
            phone_numbers: None,
            ims: None,
            photos: None,
            addresses: None,
            groups: None,
            entitlements: None,
            roles: None,
            x509_certificates: None,
            enterprise: None,
            extra: Map::new(),
        }
    }
}

/// The components of a user's name (RFC 7643 §4.1.1 `name`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Name {
    /// The full name, formatted for display (`Ms. Barbara J Jensen, III`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formatted: Option<String>,
    /// The family (last) name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family_name: Option<String>,
    /// The given (first) name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given_name: Option<String>,
    /// The middle name(s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub middle_name: Option<String>,
    /// The honorific prefix (`Ms.`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub honorific_prefix: Option<String>,
    /// The honorific suffix (`III`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub honorific_suffix: Option<String>,
    /// Sub-attributes the model does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Name {
    /// A name from its given and family parts.
    pub fn new(given_name: impl Into<String>, family_name: impl Into<String>) -> Self {
        Self {
            given_name: Some(given_name.into()),
            family_name: Some(family_name.into()),
            ..Self::default()
        }
    }
}

/// A physical mailing address (RFC 7643 §4.1.2 `addresses`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Address {
    /// The full address, formatted for display; may contain newlines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formatted: Option<String>,
    /// The street address, with house number and street name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street_address: Option<String>,
    /// The city or locality.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locality: Option<String>,
    /// The state or region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The zip code or postal code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    /// The country, as an ISO 3166-1 alpha-2 code (`US`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// `work`, `home` or `other`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Whether this is the preferred address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary: Option<bool>,
    /// Sub-attributes the model does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A write-only password (RFC 7643 §4.1.1 `password`). Its `Debug` output hides the text, and
/// a [`User`] never writes it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Password(String);

impl Password {
    /// The cleartext.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

impl From<String> for Password {
    fn from(s: String) -> Self {
        Self(s)
    }
}

impl From<&str> for Password {
    fn from(s: &str) -> Self {
        Self(s.to_owned())
    }
}

impl User {
    /// A user with this `userName` and the core schema URN.
    pub fn new(user_name: impl Into<String>) -> Self {
        Self {
            user_name: user_name.into(),
            ..Self::default()
        }
    }

    /// Reads a user from JSON, with attribute names as `registry` spells them (custom
    /// extensions registered there are canonicalized too; they stay in [`extra`](Self::extra)).
    ///
    /// Errors are `400 invalidSyntax`.
    pub fn from_value_with(value: Value, registry: &SchemaRegistry) -> Result<Self, ScimError> {
        let fields = read_resource(value, registry, USER_SCHEMA)?;
        Ok(Self::from_fields(fields)?)
    }

    /// Reads a user from JSON with the standard schemas (see [`User`] for the rules).
    pub fn from_value(value: Value) -> Result<Self, ScimError> {
        Self::from_value_with(value, SchemaRegistry::standard())
    }

    /// The JSON representation (see [`User`] for the rules).
    pub fn to_value(&self) -> Value {
        // Every member is a string, number, boolean or JSON value with string keys, which
        // serde_json always represents; no failure can occur.
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// The Enterprise User extension, if set.
    pub fn enterprise(&self) -> Option<&EnterpriseUser> {
        self.enterprise.as_ref()
    }

    /// The Enterprise User extension, created empty if not set.
    pub fn enterprise_mut(&mut self) -> &mut EnterpriseUser {
        self.enterprise.get_or_insert_with(EnterpriseUser::default)
    }

    /// The object of an extension the model does not know, by URN (ignoring ASCII case).
    pub fn extension(&self, urn: &str) -> Option<&Value> {
        self.extra
            .iter()
            .find_map(|(k, v)| k.eq_ignore_ascii_case(urn).then_some(v))
    }

    /// Sets the object of an extension the model does not know; writing lists its URN in
    /// `schemas`.
    pub fn set_extension(&mut self, urn: impl Into<String>, value: Value) {
        self.extra.insert(urn.into(), value);
    }

    /// The primary email address, else the first one.
    pub fn primary_email(&self) -> Option<&str> {
        primary_or_first(self.emails.as_deref(), Email::is_primary)?
            .value
            .as_deref()
    }

    /// Adds an email address.
    pub fn add_email(&mut self, email: Email) {
        self.emails.get_or_insert_with(Vec::new).push(email);
    }

    /// The schema URNs this user is written with: [`schemas`](Self::schemas) plus the core URN
    /// and the URN of each extension present, when missing.
    pub fn effective_schemas(&self) -> Vec<&str> {
        let present = self
            .enterprise
            .as_ref()
            .map(|_| ENTERPRISE_USER_SCHEMA)
            .into_iter()
            .chain(extension_keys(&self.extra));
        wire_schemas(&self.schemas, USER_SCHEMA, present)
    }

    fn from_fields(mut f: Fields) -> Result<Self, serde_json::Error> {
        let enterprise = match f.0.remove(ENTERPRISE_USER_SCHEMA) {
            None | Some(Value::Null) => None,
            Some(v) => Some(EnterpriseUser::from_fields(Fields(
                serde_json::from_value(v).map_err(|e| {
                    serde::de::Error::custom(format!("`{ENTERPRISE_USER_SCHEMA}`: {e}"))
                })?,
            ))?),
        };
        Ok(Self {
            schemas: f.take_schemas()?,
            id: f.take("id")?,
            external_id: f.take("externalId")?,
            meta: f.take("meta")?,
            user_name: f.take("userName")?.unwrap_or_default(),
            name: f.take("name")?,
            display_name: f.take("displayName")?,
            nick_name: f.take("nickName")?,
            profile_url: f.take("profileUrl")?,
            title: f.take("title")?,
            user_type: f.take("userType")?,
            preferred_language: f.take("preferredLanguage")?,
            locale: f.take("locale")?,
            timezone: f.take("timezone")?,
            active: f.take("active")?,
            password: f.take("password")?,
            emails: f.take_multi("emails")?,
            phone_numbers: f.take_multi("phoneNumbers")?,
            ims: f.take_multi("ims")?,
            photos: f.take_multi("photos")?,
            addresses: f.take_multi("addresses")?,
            groups: f.take_multi("groups")?,
            entitlements: f.take_multi("entitlements")?,
            roles: f.take_multi("roles")?,
            x509_certificates: f.take_multi("x509Certificates")?,
            enterprise,
            extra: f.rest(),
        })
    }
}

/// The keys of `extra` that hold extension objects.
pub(crate) fn extension_keys(extra: &Map<String, Value>) -> impl Iterator<Item = &str> {
    extra
        .iter()
        .filter(|(k, v)| is_urn(k) && v.is_object())
        .map(|(k, _)| k.as_str())
}

impl Serialize for User {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        let schemas = self.effective_schemas();
        put(&mut m, "schemas", (!schemas.is_empty()).then_some(&schemas))?;
        put(&mut m, "id", self.id.as_ref())?;
        put(&mut m, "externalId", self.external_id.as_ref())?;
        put(
            &mut m,
            "userName",
            (!self.user_name.is_empty()).then_some(&self.user_name),
        )?;
        put(&mut m, "name", self.name.as_ref())?;
        put(&mut m, "displayName", self.display_name.as_ref())?;
        put(&mut m, "nickName", self.nick_name.as_ref())?;
        put(&mut m, "profileUrl", self.profile_url.as_ref())?;
        put(&mut m, "title", self.title.as_ref())?;
        put(&mut m, "userType", self.user_type.as_ref())?;
        put(
            &mut m,
            "preferredLanguage",
            self.preferred_language.as_ref(),
        )?;
        put(&mut m, "locale", self.locale.as_ref())?;
        put(&mut m, "timezone", self.timezone.as_ref())?;
        put(&mut m, "active", self.active.as_ref())?;
        put(&mut m, "emails", self.emails.as_ref())?;
        put(&mut m, "phoneNumbers", self.phone_numbers.as_ref())?;
        put(&mut m, "ims", self.ims.as_ref())?;
        put(&mut m, "photos", self.photos.as_ref())?;
        put(&mut m, "addresses", self.addresses.as_ref())?;
        put(&mut m, "groups", self.groups.as_ref())?;
        put(&mut m, "entitlements", self.entitlements.as_ref())?;
        put(&mut m, "roles", self.roles.as_ref())?;
        put(&mut m, "x509Certificates", self.x509_certificates.as_ref())?;
        put(&mut m, ENTERPRISE_USER_SCHEMA, self.enterprise.as_ref())?;
        let registry = SchemaRegistry::standard();
        put_extra(&mut m, &self.extra, |k| {
            k.eq_ignore_ascii_case(ENTERPRISE_USER_SCHEMA)
                || registry.resolve_parts(Some(USER_SCHEMA), k, None).is_some()
        })?;
        put(&mut m, "meta", self.meta.as_ref())?;
        m.end()
    }
}

impl<'de> Deserialize<'de> for User {
    /// Reads names case-insensitively by the standard schemas (see [`User`]).
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let fields = read_resource(d, SchemaRegistry::standard(), USER_SCHEMA)?;
        Self::from_fields(fields).map_err(serde::de::Error::custom)
    }
}

value_conversions!(User);
