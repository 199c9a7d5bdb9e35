//! Property tests: round trips and invariants.

#[cfg(feature = "saml")]
mod saml {
    use proptest::prelude::*;
    use scimkit::saml::StatementReader;
    use scimkit::{AttributeStatement, AttributeStatementBuilder, SessionTag, TagKey, TagValue};

    /// Characters of the STS tag alphabet, ASCII and not, all in NFC and not composing with
    /// their neighbours.
    const TAG_CHARS: &[char] = &[
        'a', 'Z', 'k', '0', '9', '_', '.', ':', '/', '=', '+', '-', '@', ' ', 'é', 'ß', 'İ', 'Ж',
        '日', '٣', 'Ⅻ', '½', '\u{a0}', '\u{3000}', '\u{2028}',
    ];

    fn tag_text(min: usize, max: usize) -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(TAG_CHARS), min..=max)
            .prop_map(|v| v.into_iter().collect())
    }

    fn tag() -> impl Strategy<Value = SessionTag> {
        (tag_text(1, 24), tag_text(0, 32))
            .prop_filter_map("reserved prefix", |(k, v)| SessionTag::new(&k, &v).ok())
    }

    /// Tags whose keys are distinct ignoring case, as AWS requires.
    fn tags(max: usize) -> impl Strategy<Value = Vec<SessionTag>> {
        prop::collection::vec(tag(), 0..=max).prop_map(|mut v| {
            let mut seen: Vec<TagKey> = Vec::new();
            v.retain(|t| {
                let fresh = !seen.iter().any(|k| k.eq_ignore_case(t.key()));
                seen.push(t.key().clone());
                fresh
            });
            v
        })
    }

    const NAME: &str = "[A-Za-z0-9_+=,.@-]{2,64}";
    /// XML 1.0 characters: everything but most C0 controls and U+FFFE/U+FFFF.
    const XML_TEXT: &str = "[^\u{0}-\u{8}\u{b}\u{c}\u{e}-\u{1f}\u{fffe}\u{ffff}]{0,24}";

    #[derive(Debug, Clone)]
    struct Input {
        principal: Vec<SessionTag>,
        transitive: Vec<bool>,
        access: Vec<SessionTag>,
        session_name: Option<String>,
        duration: Option<u32>,
        source: Option<String>,
        roles: Vec<String>,
        other: Vec<(String, Vec<String>)>,
    }

    fn input() -> impl Strategy<Value = Input> {
        (
            tags(25),
            prop::collection::vec(any::<bool>(), 25),
            tags(25),
            prop::option::of(NAME),
            prop::option::of(900u32..=43200),
            prop::option::of(NAME),
            prop::collection::vec("[A-Za-z0-9_+=,.@-]{1,64}", 0..3),
            prop::collection::vec(
                (
                    "[a-z][a-z0-9+.-]{0,8}:[!-~]{1,20}",
                    prop::collection::vec(XML_TEXT, 0..3),
                ),
                0..3,
            ),
        )
            .prop_map(
                |(principal, transitive, access, session_name, duration, source, roles, other)| {
                    Input {
                        principal,
                        transitive,
                        access,
                        session_name,
                        duration,
                        source,
                        roles,
                        other,
                    }
                },
            )
    }

    fn build(i: &Input) -> Result<AttributeStatement, scimkit::SamlError> {
        let mut b = AttributeStatementBuilder::new()
            .principal_tags(i.principal.iter().cloned())
            .access_control_tags(i.access.iter().cloned());
        for (t, keep) in i.principal.iter().zip(&i.transitive) {
            if *keep {
                b = b.transitive_tag_key(t.key().clone());
            }
        }
        if let Some(n) = &i.session_name {
            b = b.role_session_name(n);
        }
        if let Some(d) = i.duration {
            b = b.session_duration(d);
        }
        if let Some(s) = &i.source {
            b = b.source_identity(s);
        }
        for r in &i.roles {
            b = b.role(
                &format!("arn:aws:iam::123456789012:role/{r}"),
                "arn:aws:iam::123456789012:saml-provider/IdP",
            );
        }
        for (name, values) in &i.other {
            b = b.attribute(name, values.iter().cloned());
        }
        b.build()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// build → write → read gives back the same statement, standalone and embedded.
        #[test]
        fn build_write_read_round_trip(i in input()) {
            let other_names_are_aws = i
                .other
                .iter()
                .any(|(n, _)| n.starts_with("https://aws.amazon.com/SAML/Attributes/"));
            prop_assume!(!other_names_are_aws);
            let built = match build(&i) {
                Ok(s) => s,
                Err(e) => {
                    // The only input this generator can get wrong is an empty statement.
                    prop_assert!(matches!(e.kind(), scimkit::saml::SamlErrorKind::Empty), "{e}");
                    return Ok(());
                }
            };
            let xml = built.to_xml_string();
            prop_assert_eq!(&xml, &built.to_xml_string());
            let back = StatementReader::new().read(&xml).map_err(|e| TestCaseError::fail(format!("{e}\n{xml}")))?;
            prop_assert_eq!(&back, &built);

            let fragment = built.to_xml_fragment_string("saml2").unwrap();
            let doc = format!(
                "<saml2:Assertion xmlns:saml2=\"urn:oasis:names:tc:SAML:2.0:assertion\">{fragment}</saml2:Assertion>"
            );
            prop_assert_eq!(StatementReader::new().read(&doc).unwrap(), built);
        }

        /// Display re-parses to an equal key and value, and checking is idempotent.
        #[test]
        fn tag_text_round_trips(t in tag()) {
            prop_assert_eq!(&t.key().to_string().parse::<TagKey>().unwrap(), t.key());
            prop_assert_eq!(&TagValue::new(t.value().as_str()).unwrap(), t.value());
        }

        /// The reader never panics, whatever the bytes.
        #[test]
        fn reader_never_panics(s in "\\PC{0,200}") {
            let _ = StatementReader::new().read(&s);
            let doc = format!("<saml:AttributeStatement xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\">{s}</saml:AttributeStatement>");
            let _ = StatementReader::new().read(&doc);
        }
    }
}
