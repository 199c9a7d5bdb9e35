//! The XML writer: one line, fixed attribute order, every value escaped, nothing added to values.
//!
//! Text is written by hand rather than through `quick_xml::Writer` so that the escaping of
//! `\t`, `\n` and `\r` is exact: in attribute values they become character references (XML
//! attribute-value normalization would otherwise turn them into spaces), and `\r` in text too
//! (line-end normalization would drop it).

use super::{
    ACCESS_CONTROL_PREFIX, AttributeStatement, NAME_FORMAT_URI, PRINCIPAL_TAG_PREFIX, ROLE,
    ROLE_SESSION_NAME, SAML_ASSERTION_NS, SESSION_DURATION, SOURCE_IDENTITY, SessionTag,
    TRANSITIVE_TAG_KEYS,
};

/// Writes `statement` with element names `prefix:…` (bare when `prefix` is empty), declaring
/// the namespace when `declare` is set.
pub(super) fn write_statement(
    statement: &AttributeStatement,
    out: &mut String,
    prefix: &str,
    declare: bool,
) {
    let p = Prefix(prefix);
    out.push('<');
    p.push(out, "AttributeStatement");
    if declare {
        if prefix.is_empty() {
            out.push_str(" xmlns=\"");
        } else {
            out.push_str(" xmlns:");
            out.push_str(prefix);
            out.push_str("=\"");
        }
        out.push_str(SAML_ASSERTION_NS);
        out.push('"');
    }
    out.push('>');

    if !statement.roles.is_empty() {
        attribute(out, p, &[ROLE], statement.roles.iter().map(|r| r.as_str()));
    }
    if let Some(name) = &statement.role_session_name {
        attribute(out, p, &[ROLE_SESSION_NAME], [name.as_str()]);
    }
    if let Some(seconds) = statement.session_duration {
        attribute(out, p, &[SESSION_DURATION], [seconds.to_string().as_str()]);
    }
    if let Some(id) = &statement.source_identity {
        attribute(out, p, &[SOURCE_IDENTITY], [id.as_str()]);
    }
    tags(out, p, PRINCIPAL_TAG_PREFIX, &statement.principal_tags);
    if !statement.transitive_tag_keys.is_empty() {
        let keys = statement.transitive_tag_keys.iter().map(|k| k.as_str());
        attribute(out, p, &[TRANSITIVE_TAG_KEYS], keys);
    }
    tags(out, p, ACCESS_CONTROL_PREFIX, &statement.access_control);
    for a in &statement.other {
        attribute(out, p, &[a.name()], a.values().iter().map(String::as_str));
    }

    out.push_str("</");
    p.push(out, "AttributeStatement");
    out.push('>');
}

#[derive(Clone, Copy)]
struct Prefix<'a>(&'a str);

impl Prefix<'_> {
    fn push(self, out: &mut String, local: &str) {
        if !self.0.is_empty() {
            out.push_str(self.0);
            out.push(':');
        }
        out.push_str(local);
    }
}

fn tags(out: &mut String, p: Prefix<'_>, name_prefix: &str, tags: &[SessionTag]) {
    for t in tags {
        attribute(
            out,
            p,
            &[name_prefix, t.key().as_str()],
            [t.value().as_str()],
        );
    }
}

/// One `<Attribute>` whose `Name` is the concatenation of `name`, with one `<AttributeValue>`
/// per value.
fn attribute<'v>(
    out: &mut String,
    p: Prefix<'_>,
    name: &[&str],
    values: impl IntoIterator<Item = &'v str>,
) {
    out.push('<');
    p.push(out, "Attribute");
    out.push_str(" Name=\"");
    for part in name {
        escape_attr(out, part);
    }
    out.push_str("\" NameFormat=\"");
    out.push_str(NAME_FORMAT_URI);
    out.push_str("\">");
    for v in values {
        out.push('<');
        p.push(out, "AttributeValue");
        out.push('>');
        escape_text(out, v);
        out.push_str("</");
        p.push(out, "AttributeValue");
        out.push('>');
    }
    out.push_str("</");
    p.push(out, "Attribute");
    out.push('>');
}

/// Escapes element content: `&`, `<`, `>` (for `]]>`) and `\r` (lost to line-end normalization).
pub(super) fn escape_text(out: &mut String, s: &str) {
    escape(out, s, false);
}

/// Escapes a double-quoted attribute value: also both quotes, tab and line feed.
pub(super) fn escape_attr(out: &mut String, s: &str) {
    escape(out, s, true);
}

fn escape(out: &mut String, s: &str, attr: bool) {
    let mut last = 0;
    for (i, b) in s.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'\r' => "&#13;",
            b'"' if attr => "&quot;",
            b'\'' if attr => "&apos;",
            b'\t' if attr => "&#9;",
            b'\n' if attr => "&#10;",
            _ => continue,
        };
        out.push_str(&s[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&s[last..]);
}

/// An XML `NCName` limited to ASCII: a letter or `_`, then letters, digits, `_`, `-`, `.`.
pub(super) fn is_ncname(s: &str) -> bool {
    let mut bytes = s.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn esc(s: &str, attr: bool) -> String {
        let mut out = String::new();
        escape(&mut out, s, attr);
        out
    }

    #[test]
    fn escaping() {
        assert_eq!(esc(r#"<&"'>"#, false), r#"&lt;&amp;"'&gt;"#);
        assert_eq!(esc(r#"<&"'>"#, true), "&lt;&amp;&quot;&apos;&gt;");
        assert_eq!(esc("a\tb\nc\rd", true), "a&#9;b&#10;c&#13;d");
        assert_eq!(esc("a\tb\nc\rd", false), "a\tb\nc&#13;d");
        assert_eq!(esc("Ünïcødé 日本 😀", true), "Ünïcødé 日本 😀");
        assert_eq!(esc("", true), "");
        assert_eq!(esc("]]>", false), "]]&gt;");
    }

    #[test]
    fn ncname() {
        for ok in ["saml", "saml2", "_x", "a-b.c"] {
            assert!(is_ncname(ok), "{ok}");
        }
        for bad in ["", "1x", "a:b", "-a", "a b", "é"] {
            assert!(!is_ncname(bad), "{bad}");
        }
    }
}
