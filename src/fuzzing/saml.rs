//! `saml_read` and `saml_build`: the reader is bounded and total; what the builder accepts is
//! written as XML that reads back to the same statement.

use arbitrary::Unstructured;

use super::{Outcome, bounded, make};
use crate::saml::{
    ACCESS_CONTROL_PREFIX, AWS_ATTRIBUTE_PREFIX, AttributeStatement, AttributeStatementBuilder,
    PRINCIPAL_TAG_PREFIX, SAML_ASSERTION_NS, StatementReader,
};

/// The round trips below may exceed the default size bound with 50 long tags: that bound is
/// for hostile input, not for the statement just built.
const ROUND_TRIP_MAX: usize = 1 << 20;

/// Any UTF-8 text through the reader (strict and trimming); a statement it accepts is written
/// and read back unchanged.
pub fn saml_read(data: &[u8]) -> Outcome {
    let Ok(xml) = std::str::from_utf8(data) else {
        return Ok(());
    };
    for reader in [
        StatementReader::new(),
        StatementReader::new().trim_values(true),
    ] {
        match reader.read(xml) {
            Ok(st) => read_back(&st)?,
            Err(e) => bounded("SAML error", &e.to_string())?,
        }
    }
    Ok(())
}

/// Builder calls chosen by the input; a statement that builds is written standalone and as
/// fragments inside an `Assertion`, and each reads back to the same statement.
pub fn saml_build(data: &[u8]) -> Outcome {
    let mut u = Unstructured::new(data);
    let Ok(builder) = steps(&mut u) else {
        return Ok(());
    };
    match builder.build() {
        Ok(st) => read_back(&st),
        Err(e) => bounded("SAML error", &e.to_string()),
    }
}

fn read_back(st: &AttributeStatement) -> Outcome {
    let reader = StatementReader::new().max_size(ROUND_TRIP_MAX);
    let standalone = st.to_xml_string();
    let fragment = |prefix: &str| st.to_xml_fragment_string(prefix).map_err(|e| e.to_string());
    let prefixed = format!(
        r#"<saml2:Assertion xmlns:saml2="{SAML_ASSERTION_NS}">{}</saml2:Assertion>"#,
        fragment("saml2")?
    );
    let default_ns = format!(
        r#"<Assertion xmlns="{SAML_ASSERTION_NS}">{}</Assertion>"#,
        fragment("")?
    );
    for xml in [standalone, prefixed, default_ns] {
        match reader.read(&xml) {
            Ok(back) if &back == st => {}
            Ok(back) => return Err(format!("{xml} reads back as {back:?}, not {st:?}")),
            Err(e) => return Err(format!("{xml} does not read back: {e}")),
        }
    }
    Ok(())
}

const KEYS: &[&str] = &[
    "CostCenter",
    "Department",
    "team",
    "TEAM",
    "a",
    "aws:x",
    "k=v+@/.:-_",
];
const VALUES: &[&str] = &["blue", "", " ", "a b", "Ünïcödé", "x\n", "<&>", "1234"];

fn key(u: &mut Unstructured<'_>) -> arbitrary::Result<String> {
    match u.int_in_range(0..=2)? {
        0 => u.arbitrary(),
        1 => make::ident(u),
        _ => Ok(make::pick(u, KEYS)?.to_owned()),
    }
}

fn value(u: &mut Unstructured<'_>) -> arbitrary::Result<String> {
    match u.ratio(1, 2)? {
        true => u.arbitrary(),
        false => Ok(make::pick(u, VALUES)?.to_owned()),
    }
}

fn steps(u: &mut Unstructured<'_>) -> arbitrary::Result<AttributeStatementBuilder> {
    let mut b = AttributeStatementBuilder::new();
    for _ in 0..u.int_in_range(1..=60)? {
        b = match u.int_in_range(0..=8)? {
            0 | 1 => b.access_control(key(u)?.as_str(), value(u)?.as_str()),
            2 | 3 => b.principal_tag(key(u)?.as_str(), value(u)?.as_str()),
            4 => b.transitive_tag_key(key(u)?.as_str()),
            5 => {
                let account = u.int_in_range(0..=2u64)? * 111_111_111_111;
                let role = format!("arn:aws:iam::{account:012}:role/{}", make::ident(u)?);
                let idp = format!(
                    "arn:aws:iam::{account:012}:saml-provider/{}",
                    make::ident(u)?
                );
                b.role(&role, &idp)
            }
            6 => match u.ratio(1, 2)? {
                true => b.role_session_name(&make::ident(u)?),
                false => b.source_identity(&value(u)?),
            },
            7 => b.session_duration(u.int_in_range(800..=44_000)?),
            _ => {
                let name = match u.int_in_range(0..=3)? {
                    0 => format!("{AWS_ATTRIBUTE_PREFIX}{}", key(u)?),
                    1 => format!("{ACCESS_CONTROL_PREFIX}{}", key(u)?),
                    2 => format!("{PRINCIPAL_TAG_PREFIX}{}", key(u)?),
                    _ => format!("urn:example:{}", make::ident(u)?),
                };
                let values = (0..u.int_in_range(0..=3)?)
                    .map(|_| value(u))
                    .collect::<arbitrary::Result<Vec<_>>>()?;
                b.attribute(&name, values)
            }
        };
    }
    Ok(b)
}
