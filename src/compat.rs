//! Compatibility switches for identity providers that deviate from RFC 7643/7644.
//!
//! Strict RFC behaviour is the default. Each known deviation is one named switch, off unless a
//! caller turns it on, either one at a time or through a preset per identity provider.
//!
//! ```
//! use scimkit::Compat;
//!
//! let strict = Compat::strict();
//! assert!(!strict.string_booleans);
//!
//! let entra = Compat::entra();
//! assert!(entra.string_booleans && entra.filter_value_path_sub_attribute);
//!
//! // Switches can also be set one by one.
//! let mut mine = Compat::strict();
//! mine.remove_with_value = true;
//! assert_ne!(mine, strict);
//! ```

/// A set of named compatibility switches, each off in [`Compat::strict`].
///
/// The struct is `#[non_exhaustive]`: start from a preset and set fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct Compat {
    /// Filters: accept Microsoft Entra ID's `emails[type eq "work"].value eq "x"`, a comparison
    /// on a sub-attribute after a valuePath, read as a condition on one and the same element.
    pub filter_value_path_sub_attribute: bool,
    /// PATCH: accept booleans sent as strings (`"value": "False"`, `"primary": "True"`) where the
    /// schema says boolean (Entra ID).
    pub string_booleans: bool,
    /// PATCH: accept `remove` with a `path` naming a multi-valued attribute (such as `members`)
    /// and a `value` list of the elements to remove, instead of a valuePath filter.
    pub remove_with_value: bool,
    /// PATCH: accept `add`/`replace` without `path` whose value object has dotted
    /// (`"name.givenName"`) or URN-qualified keys.
    pub dotted_keys_in_value: bool,
    /// PATCH: `add`/`replace` on `emails[type eq "work"].value` when no element matches creates
    /// the element (`{"type": "work", "value": …}`) instead of failing with `noTarget`.
    pub create_on_missing_value_path: bool,
    /// PATCH: accept a request whose `Operations` array is empty (a no-op).
    pub empty_operations: bool,
}

impl Compat {
    /// RFC 7643/7644 as written: every switch off.
    pub const fn strict() -> Self {
        Self {
            filter_value_path_sub_attribute: false,
            string_booleans: false,
            remove_with_value: false,
            dotted_keys_in_value: false,
            create_on_missing_value_path: false,
            empty_operations: false,
        }
    }

    /// Every switch on: the most lenient reading, for tools that inspect payloads from any IdP.
    pub const fn lenient() -> Self {
        Self {
            filter_value_path_sub_attribute: true,
            string_booleans: true,
            remove_with_value: true,
            dotted_keys_in_value: true,
            create_on_missing_value_path: true,
            empty_operations: true,
        }
    }

    /// Microsoft Entra ID (Azure AD) provisioning: string booleans (`"value": "False"`),
    /// `emails[type eq "work"].value` in filters and as PATCH paths that create the element
    /// when none matches, no-path values with dotted or URN-qualified keys, group members
    /// removed with `remove`, `path: "members"` and a `value` list (the form Microsoft's SCIM
    /// provisioning documentation shows for "remove member from group"), and the empty
    /// `Operations` array the Microsoft SCIM Validator sends.
    pub const fn entra() -> Self {
        Self {
            filter_value_path_sub_attribute: true,
            string_booleans: true,
            remove_with_value: true,
            dotted_keys_in_value: true,
            create_on_missing_value_path: true,
            empty_operations: true,
        }
    }

    /// Okta provisioning. Okta's documented PATCH payloads are RFC 7644 form (a no-path
    /// `replace` of `{"id", "displayName"}` whose `id` is the group's own, `members[value eq
    /// "…"]` removals, `replace` of `members` with `[]`), which the strict applier accepts, so
    /// every switch is off; the preset exists so a service can name its IdP.
    pub const fn okta() -> Self {
        Self::strict()
    }

    /// JumpCloud provisioning: group members removed with `remove`, `path: "members"` and a
    /// `value` list of `{"value": id}` objects (the form in public JumpCloud fixtures).
    pub const fn jumpcloud() -> Self {
        Self {
            filter_value_path_sub_attribute: false,
            string_booleans: false,
            remove_with_value: true,
            dotted_keys_in_value: false,
            create_on_missing_value_path: false,
            empty_operations: false,
        }
    }

    /// The preset with this name (`strict`, `lenient`, `entra`, `okta`, `jumpcloud`), ignoring
    /// ASCII case.
    pub fn preset(name: &str) -> Option<Self> {
        [
            ("strict", Self::strict()),
            ("lenient", Self::lenient()),
            ("entra", Self::entra()),
            ("okta", Self::okta()),
            ("jumpcloud", Self::jumpcloud()),
        ]
        .into_iter()
        .find_map(|(n, c)| n.eq_ignore_ascii_case(name).then_some(c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_strict() {
        assert_eq!(Compat::default(), Compat::strict());
        assert_ne!(Compat::lenient(), Compat::strict());
    }

    #[test]
    fn presets_by_name() {
        assert_eq!(Compat::preset("Entra"), Some(Compat::entra()));
        assert_eq!(Compat::preset("jumpcloud"), Some(Compat::jumpcloud()));
        assert_eq!(Compat::preset("okta"), Some(Compat::okta()));
        assert_eq!(Compat::preset("other"), None);
        assert!(Compat::jumpcloud().remove_with_value);
    }
}
