//! SCIM schemas: attribute characteristics (RFC 7643 §2, §7) and the [`SchemaRegistry`] that
//! filters, PATCH and the models consult.
//!
//! A characteristic that a schema representation leaves out takes the RFC 7643 §2.2 default,
//! applied by the accessors ([`Attribute::case_exact`], [`Attribute::mutability`]…); the
//! representation itself keeps what was written, so a schema read from a service provider's
//! `/Schemas` endpoint serializes back unchanged.

mod builtin;
mod compare;
mod registry;

use serde::{Deserialize, Serialize};

use crate::model::Meta;

pub use builtin::{ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA};
pub use compare::compare_numbers;
pub use registry::{Resolved, SchemaRegistry};

/// The schema URN of a schema representation (RFC 7643 §7).
pub const SCHEMA_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Schema";

/// An attribute's data type (RFC 7643 §2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum AttrType {
    /// A sequence of characters (the default).
    #[default]
    String,
    /// `true` or `false`.
    Boolean,
    /// A real number with at least one digit after the decimal point.
    Decimal,
    /// A whole number.
    Integer,
    /// An `xsd:dateTime` instant (`2008-01-23T04:56:22Z`).
    DateTime,
    /// A URI for a resource (`$ref`).
    Reference,
    /// Base64-encoded bytes.
    Binary,
    /// An object of sub-attributes.
    Complex,
}

/// When an attribute may be changed (RFC 7643 §7 `mutability`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Mutability {
    /// Assigned by the service provider; clients cannot change it.
    ReadOnly,
    /// Clients may change it (the default).
    #[default]
    ReadWrite,
    /// May be set once (at creation or when unassigned), never changed afterwards.
    Immutable,
    /// May be written, never returned (passwords).
    WriteOnly,
}

/// When an attribute is returned in a response (RFC 7643 §7 `returned`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Returned {
    /// Always, whatever `attributes`/`excludedAttributes` say.
    Always,
    /// Never.
    Never,
    /// Unless excluded (the default).
    #[default]
    Default,
    /// Only when named in `attributes`.
    Request,
}

/// How a service provider enforces uniqueness of an attribute's values (RFC 7643 §7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Uniqueness {
    /// No uniqueness (the default).
    #[default]
    None,
    /// Unique within the service provider's current set of resources of this type.
    Server,
    /// Globally unique.
    Global,
}

/// An attribute definition (RFC 7643 §7), as found in a schema representation.
///
/// ```
/// use scimkit::schema::{AttrType, Mutability};
/// use scimkit::SchemaRegistry;
///
/// let schemas = SchemaRegistry::default();
/// let user_name = schemas.attribute("USERNAME").unwrap();
/// assert_eq!(user_name.name(), "userName");
/// assert_eq!(user_name.kind(), AttrType::String);
/// assert!(!user_name.case_exact());
/// assert_eq!(schemas.attribute("id").unwrap().mutability(), Mutability::ReadOnly);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attribute {
    name: String,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    kind: Option<AttrType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    multi_valued: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    required: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    canonical_values: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    case_exact: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mutability: Option<Mutability>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    returned: Option<Returned>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    uniqueness: Option<Uniqueness>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reference_types: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sub_attributes: Option<Vec<Self>>,
}

impl Attribute {
    /// A single-valued attribute of the given type with every other characteristic at its
    /// default; refine it with the `with_*` methods.
    pub fn new(name: impl Into<String>, kind: AttrType) -> Self {
        Self {
            name: name.into(),
            kind: Some(kind),
            multi_valued: None,
            description: None,
            required: None,
            canonical_values: None,
            case_exact: None,
            mutability: None,
            returned: None,
            uniqueness: None,
            reference_types: None,
            sub_attributes: None,
        }
    }

    /// Sets `multiValued`.
    #[must_use]
    pub fn with_multi_valued(mut self, multi_valued: bool) -> Self {
        self.multi_valued = Some(multi_valued);
        self
    }

    /// Sets `required`.
    #[must_use]
    pub fn with_required(mut self, required: bool) -> Self {
        self.required = Some(required);
        self
    }

    /// Sets `caseExact`.
    #[must_use]
    pub fn with_case_exact(mut self, case_exact: bool) -> Self {
        self.case_exact = Some(case_exact);
        self
    }

    /// Sets `mutability`.
    #[must_use]
    pub fn with_mutability(mut self, mutability: Mutability) -> Self {
        self.mutability = Some(mutability);
        self
    }

    /// Sets `returned`.
    #[must_use]
    pub fn with_returned(mut self, returned: Returned) -> Self {
        self.returned = Some(returned);
        self
    }

    /// Sets `uniqueness`.
    #[must_use]
    pub fn with_uniqueness(mut self, uniqueness: Uniqueness) -> Self {
        self.uniqueness = Some(uniqueness);
        self
    }

    /// Sets `subAttributes` (for a `complex` attribute).
    #[must_use]
    pub fn with_sub_attributes(mut self, sub_attributes: Vec<Self>) -> Self {
        self.sub_attributes = Some(sub_attributes);
        self
    }

    /// Sets `description`.
    #[must_use]
    pub fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// The attribute's name, as the schema spells it.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The data type (`string` when unspecified).
    pub fn kind(&self) -> AttrType {
        self.kind.unwrap_or_default()
    }

    /// Whether the attribute holds an array of values.
    pub fn multi_valued(&self) -> bool {
        self.multi_valued.unwrap_or(false)
    }

    /// The human-readable description, if any.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// Whether a value is required.
    pub fn required(&self) -> bool {
        self.required.unwrap_or(false)
    }

    /// Whether string comparisons respect case. Unspecified, it is `false` but for `binary`
    /// (RFC 7643 §2.3.6).
    pub fn case_exact(&self) -> bool {
        self.case_exact
            .unwrap_or(matches!(self.kind(), AttrType::Binary))
    }

    /// When the attribute may change (`readWrite` when unspecified).
    pub fn mutability(&self) -> Mutability {
        self.mutability.unwrap_or_default()
    }

    /// When the attribute is returned (`default` when unspecified).
    pub fn returned(&self) -> Returned {
        self.returned.unwrap_or_default()
    }

    /// How uniqueness is enforced (`none` when unspecified).
    pub fn uniqueness(&self) -> Uniqueness {
        self.uniqueness.unwrap_or_default()
    }

    /// The suggested canonical values (`["work", "home", "other"]`).
    pub fn canonical_values(&self) -> &[String] {
        self.canonical_values.as_deref().unwrap_or_default()
    }

    /// The resource types a `reference` may point to (`["User", "Group"]`, `["external"]`).
    pub fn reference_types(&self) -> &[String] {
        self.reference_types.as_deref().unwrap_or_default()
    }

    /// The sub-attributes of a `complex` attribute.
    pub fn sub_attributes(&self) -> &[Self] {
        self.sub_attributes.as_deref().unwrap_or_default()
    }

    /// The sub-attribute with this name, ignoring ASCII case (RFC 7643 §2.1).
    pub fn sub_attribute(&self, name: &str) -> Option<&Self> {
        find(self.sub_attributes(), name)
    }
}

/// A schema (RFC 7643 §7): a URN and the attributes it defines.
///
/// It is also the resource that a service provider's `/Schemas` endpoint returns, and
/// serializes as one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Schema {
    #[serde(default = "schema_schemas")]
    schemas: Vec<String>,
    id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(default)]
    attributes: Vec<Attribute>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    meta: Option<Meta>,
}

fn schema_schemas() -> Vec<String> {
    vec![SCHEMA_SCHEMA.to_owned()]
}

impl Schema {
    /// A schema with this URN and these attributes.
    pub fn new(id: impl Into<String>, attributes: Vec<Attribute>) -> Self {
        Self {
            schemas: schema_schemas(),
            id: id.into(),
            name: None,
            description: None,
            attributes,
            meta: None,
        }
    }

    /// Sets the human-readable name (`"User"`).
    #[must_use]
    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Sets the description.
    #[must_use]
    pub fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Sets `meta` (`resourceType: "Schema"`, `location`).
    #[must_use]
    pub fn with_meta(mut self, meta: Meta) -> Self {
        self.meta = Some(meta);
        self
    }

    /// The schema URN (`urn:ietf:params:scim:schemas:core:2.0:User`).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The human-readable name, if any.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The description, if any.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// The top-level attributes the schema defines.
    pub fn attributes(&self) -> &[Attribute] {
        &self.attributes
    }

    /// The `meta` of the schema representation, if any.
    pub fn meta(&self) -> Option<&Meta> {
        self.meta.as_ref()
    }

    /// The top-level attribute with this name, ignoring ASCII case (RFC 7643 §2.1).
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        find(&self.attributes, name)
    }
}

/// Whether a value is unassigned (RFC 7643 §2.5): `null`, an empty string, an empty array and
/// an empty object all mean "no value".
///
/// ```
/// use scimkit::schema::is_unassigned;
/// use serde_json::json;
///
/// assert!(is_unassigned(&json!(null)) && is_unassigned(&json!("")) && is_unassigned(&json!([])));
/// assert!(!is_unassigned(&json!(false)) && !is_unassigned(&json!(0)));
/// ```
pub fn is_unassigned(v: &serde_json::Value) -> bool {
    use serde_json::Value;
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// Case-insensitive lookup by name: a linear scan, since schemas hold a few dozen attributes and
/// this allocates nothing. Names are mostly written as defined, so an exact pass (lengths, then
/// bytes) comes first; folding case byte by byte is for the names it misses.
fn find<'a>(attributes: &'a [Attribute], name: &str) -> Option<&'a Attribute> {
    let exact = attributes.iter().find(|a| a.name == name);
    exact.or_else(|| {
        attributes
            .iter()
            .find(|a| a.name.eq_ignore_ascii_case(name))
    })
}
