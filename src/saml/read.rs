//! [`StatementReader`]: the AWS attributes of SAML XML, read safely.

use std::borrow::Cow;

use quick_xml::escape::unescape;
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::name::{Namespace, ResolveResult};
use quick_xml::reader::NsReader;

use super::builder::{Assembler, check_xml_text};
use super::error::{SamlError, SamlErrorKind};
use super::tags::{truncate, truncate_to};
use super::{AWS_ATTRIBUTE_PREFIX, AttributeStatement, SAML_ASSERTION_NS, SAML_PROTOCOL_NS};

/// Reads the attributes of a SAML 2.0 `AttributeStatement`, `Assertion` or `Response`, checking
/// them by the same rules as [`AttributeStatementBuilder`](super::AttributeStatementBuilder).
///
/// - Elements are matched by namespace, whatever their prefix (`saml:`, `saml2:`, a default
///   namespace). Only `Assertion/AttributeStatement` is read: the statements directly inside
///   the document's one `Assertion` (the root, or a child of the `Response` root), or an
///   `AttributeStatement` root. A statement anywhere else, or a second `Assertion`, refuses the
///   document unless [`read_assertion`](Self::read_assertion) chooses one; an `Assertion`
///   without statement gives an empty statement. `EncryptedAttribute`s are skipped.
/// - The reader does not verify signatures. Verify the document's XML signature first, with
///   an XML-DSig library, on the same bytes; take the `ID` its `Reference URI="#…"` names, and
///   pass it to [`read_assertion`](Self::read_assertion). The reader then checks that exactly
///   one element carries that `ID`, that it is a top-level `Assertion`, and reads only that
///   assertion's statements, so attributes outside what the signature covers (a wrapped copy
///   in `samlp:Extensions`, a second assertion) are never returned. When the signature covers
///   the whole `Response`, [`read`](Self::read) gives the same guarantee for its single
///   `Assertion`.
/// - Attribute names are matched byte for byte, as AWS matches them: a misspelt
///   `…/Attributes/accessControl:Team` is not an AWS attribute and lands among
///   [`other_attributes`](AttributeStatement::other_attributes).
/// - An attribute value is the concatenation of its text and CDATA, comments ignored (so
///   `a<!---->b` is `ab`, not `a`). Whitespace is kept unless
///   [`trim_values`](Self::trim_values) is set, so the line break in `<AttributeValue>blue
///   </AttributeValue>` is refused as it would be by AWS.
/// - Hostile input is refused, never expanded: any `<!DOCTYPE` (and so any entity
///   declaration), documents longer than [`max_size`](Self::max_size) bytes (default 100,000:
///   AWS's limit on a base64-encoded response), and elements nested deeper than
///   [`max_depth`](Self::max_depth) (default 32).
///
/// ```
/// use scimkit::saml::{SamlErrorKind, StatementReader};
///
/// let xml = r#"<saml:AttributeStatement xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">
/// <saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/AccessControl:CostCenter">
/// <saml:AttributeValue>blue
/// </saml:AttributeValue>
/// </saml:Attribute>
/// </saml:AttributeStatement>"#;
///
/// let err = StatementReader::new().read(xml).unwrap_err();
/// assert!(matches!(err.kind(), SamlErrorKind::Tag(_)));
///
/// let statement = StatementReader::new().trim_values(true).read(xml)?;
/// assert_eq!(statement.access_control_value("costcenter").unwrap(), "blue");
/// # Ok::<(), scimkit::saml::SamlError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub struct StatementReader {
    trim_values: bool,
    max_size: usize,
    max_depth: usize,
}

impl Default for StatementReader {
    fn default() -> Self {
        Self::new()
    }
}

/// Where the reader is, relative to the attribute being collected.
enum State {
    Outside,
    /// Inside an `AttributeStatement` opened at this depth.
    Statement(usize),
    Attribute {
        name: String,
        values: Vec<String>,
    },
    Value {
        name: String,
        values: Vec<String>,
        text: String,
        /// Elements open inside the value.
        nested: usize,
    },
    /// Inside an element the reader skips (an `EncryptedAttribute`) until this depth closes.
    Skip(usize),
    /// Inside a statement of an assertion other than the one chosen, until this depth closes.
    Unselected(usize),
}

/// Where the document's assertions and statements sit: the checks against signature wrapping.
#[derive(Default)]
struct Places {
    root_is_response: bool,
    /// The top-level `Assertion` open now: its depth, and whether it is the one read.
    top: Option<(usize, bool)>,
    assertions: usize,
    /// Elements carrying the `ID` asked for, and whether a top-level `Assertion` is one.
    id_hits: usize,
    id_on_top: bool,
}

impl Places {
    /// Records an element opening at `depth`; `Ok(true)` for a statement that is in place but
    /// belongs to an assertion not chosen.
    fn open(
        &mut self,
        depth: usize,
        ns: Ns,
        local: &[u8],
        e: &BytesStart<'_>,
        want: Option<&str>,
    ) -> Result<bool, SamlError> {
        if depth == 1 {
            self.root_is_response = ns == Ns::Protocol && local == b"Response";
        }
        let has_id = match want {
            Some(id) => has_id(e, id)?,
            None => false,
        };
        self.id_hits += usize::from(has_id);
        if ns != Ns::Assertion {
            return Ok(false);
        }
        match local {
            b"Assertion" => {
                self.assertions += 1;
                if want.is_none() && self.assertions > 1 {
                    return Err(SamlErrorKind::MultipleAssertions.into());
                }
                if depth == 1 || (depth == 2 && self.root_is_response) {
                    self.id_on_top |= has_id;
                    self.top = Some((depth, want.is_none() || has_id));
                }
                Ok(false)
            }
            b"AttributeStatement" => match self.top {
                Some((d, selected)) if depth == d + 1 => Ok(!selected),
                _ if depth == 1 => Ok(want.is_some()),
                _ => Err(SamlErrorKind::MisplacedStatement.into()),
            },
            _ => Ok(false),
        }
    }

    fn close(&mut self, depth: usize) {
        if self.top.is_some_and(|(d, _)| d == depth) {
            self.top = None;
        }
    }
}

/// Whether `e` has an `ID` attribute equal to `id`.
fn has_id(e: &BytesStart<'_>, id: &str) -> Result<bool, SamlError> {
    for attr in e.attributes() {
        let attr = attr.map_err(|err| xml_error(err.to_string()))?;
        if attr.key.as_ref() == b"ID" {
            let value = attr
                .unescape_value()
                .map_err(|err| xml_error(err.to_string()))?;
            return Ok(value == id);
        }
    }
    Ok(false)
}

impl StatementReader {
    /// Default size bound in bytes: AWS refuses base64 SAML responses over 100,000 characters,
    /// which decode to less.
    pub const DEFAULT_MAX_SIZE: usize = 100_000;
    /// Default nesting bound. `Response` › `Assertion` › `AttributeStatement` › `Attribute` ›
    /// `AttributeValue` is 5 deep; signatures add a few more.
    pub const DEFAULT_MAX_DEPTH: usize = 32;

    /// Strict reading with the default bounds.
    pub const fn new() -> Self {
        Self {
            trim_values: false,
            max_size: Self::DEFAULT_MAX_SIZE,
            max_depth: Self::DEFAULT_MAX_DEPTH,
        }
    }

    /// Whether to strip leading and trailing XML whitespace (space, tab, CR, LF) from every
    /// value before it is checked. Off by default: AWS does not strip it.
    pub const fn trim_values(mut self, trim: bool) -> Self {
        self.trim_values = trim;
        self
    }

    /// The longest document accepted, in bytes.
    pub const fn max_size(mut self, bytes: usize) -> Self {
        self.max_size = bytes;
        self
    }

    /// The deepest element nesting accepted (the root element is depth 1).
    pub const fn max_depth(mut self, depth: usize) -> Self {
        self.max_depth = depth;
        self
    }

    /// Reads `xml` and returns the attributes it carries: those of the `AttributeStatement`
    /// root, or of the statements directly inside the one `Assertion` (the root, or a child of
    /// the `Response` root).
    ///
    /// A document with more than one `Assertion` is [`SamlErrorKind::MultipleAssertions`]
    /// (choose one with [`read_assertion`](Self::read_assertion)); an `AttributeStatement`
    /// anywhere else (in `samlp:Extensions`, an `Advice`, a foreign element) is
    /// [`SamlErrorKind::MisplacedStatement`]. Both are `400 invalidSyntax`.
    pub fn read(&self, xml: &str) -> Result<AttributeStatement, SamlError> {
        self.read_selected(xml, None)
    }

    /// Reads the attributes of the top-level `Assertion` whose `ID` is `assertion_id`: the
    /// one a verified signature's `Reference URI="#…"` names. Statements of other top-level
    /// assertions are ignored.
    ///
    /// Refused, as `400 invalidSyntax`: [`SamlErrorKind::AssertionId`] when no element, or
    /// more than one, has that `ID`, or when the one that has it is not a top-level
    /// `Assertion`; [`SamlErrorKind::MisplacedStatement`] as for [`read`](Self::read).
    ///
    /// ```
    /// use scimkit::saml::{SamlErrorKind, StatementReader};
    ///
    /// let ns = r#"xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion""#;
    /// let attr = |v: &str| format!(r#"<saml:AttributeStatement><saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/AccessControl:Team"><saml:AttributeValue>{v}</saml:AttributeValue></saml:Attribute></saml:AttributeStatement>"#);
    /// let xml = format!(
    ///     r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" {ns}><saml:Assertion ID="_signed">{}</saml:Assertion><saml:Assertion ID="_other">{}</saml:Assertion></samlp:Response>"#,
    ///     attr("blue"),
    ///     attr("admins"),
    /// );
    /// let err = StatementReader::new().read(&xml).unwrap_err();
    /// assert!(matches!(err.kind(), SamlErrorKind::MultipleAssertions));
    ///
    /// let statement = StatementReader::new().read_assertion(&xml, "_signed")?;
    /// assert_eq!(statement.access_control_value("Team").unwrap(), "blue");
    /// # Ok::<(), scimkit::saml::SamlError>(())
    /// ```
    pub fn read_assertion(
        &self,
        xml: &str,
        assertion_id: &str,
    ) -> Result<AttributeStatement, SamlError> {
        self.read_selected(xml, Some(assertion_id))
    }

    fn read_selected(
        &self,
        xml: &str,
        want: Option<&str>,
    ) -> Result<AttributeStatement, SamlError> {
        if xml.len() > self.max_size {
            return Err(SamlErrorKind::TooLarge {
                len: xml.len(),
                max: self.max_size,
            }
            .into());
        }
        let mut reader = NsReader::from_str(xml);
        let config = reader.config_mut();
        config.expand_empty_elements = true;
        config.check_comments = true;
        config.check_end_names = true;

        let mut parts = Assembler::default();
        let mut state = State::Outside;
        let mut depth = 0usize;
        let mut seen_root = false;
        let mut places = Places::default();
        loop {
            let pos = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
            // The namespace is classified at once: the resolver's answer borrows the reader.
            let next = reader
                .read_resolved_event()
                .map(|(ns, event)| (Ns::of(&ns), event));
            let (ns, event) = next.map_err(|e| {
                let at = usize::try_from(reader.error_position()).unwrap_or(pos);
                xml_error(e.to_string()).at(at)
            })?;
            match event {
                Event::DocType(_) => return Err(SamlError::from(SamlErrorKind::DocType).at(pos)),
                Event::Start(e) => {
                    depth += 1;
                    if depth > self.max_depth {
                        return Err(SamlError::from(SamlErrorKind::TooDeep {
                            max: self.max_depth,
                        })
                        .at(pos));
                    }
                    let local = e.local_name();
                    let local = local.as_ref();
                    let in_assertion_ns = ns == Ns::Assertion;
                    if depth == 1 {
                        if seen_root {
                            return Err(xml_error("more than one root element").at(pos));
                        }
                        seen_root = true;
                        if ns == Ns::Undeclared {
                            let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                            return Err(xml_error(format!(
                                "the prefix of {:?} is not bound to a namespace (xmlns)",
                                truncate(&name)
                            ))
                            .at(pos));
                        }
                        let ok = (in_assertion_ns
                            && matches!(local, b"AttributeStatement" | b"Assertion"))
                            || (ns == Ns::Protocol && local == b"Response");
                        if !ok {
                            let found = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                            return Err(SamlError::from(SamlErrorKind::NotSaml {
                                found: truncate(&found).into(),
                            })
                            .at(pos));
                        }
                    }
                    let unselected = places
                        .open(depth, ns, local, &e, want)
                        .map_err(|err| err.at(pos))?;
                    state = if unselected && matches!(state, State::Outside) {
                        State::Unselected(depth)
                    } else {
                        self.open(state, depth, in_assertion_ns, local, &e)
                            .map_err(|err| err.at(pos))?
                    };
                }
                Event::End(_) => {
                    places.close(depth);
                    state = self
                        .close(state, depth, &mut parts)
                        .map_err(|err| err.at(pos))?;
                    depth = depth.saturating_sub(1);
                }
                Event::Text(t) => {
                    if let State::Value { text, .. } = &mut state {
                        text.push_str(&t.xml10_content().map_err(|e| xml_error(e.to_string()))?);
                    }
                }
                Event::CData(t) => {
                    if let State::Value { text, .. } = &mut state {
                        text.push_str(&t.xml10_content().map_err(|e| xml_error(e.to_string()))?);
                    }
                }
                Event::GeneralRef(r) => {
                    let c = resolve_ref(&r).map_err(|err| err.at(pos))?;
                    if let State::Value { text, .. } = &mut state {
                        text.push(c);
                    }
                }
                Event::Eof => break,
                Event::Empty(_) | Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
            }
        }
        if !seen_root || depth != 0 {
            return Err(xml_error("unexpected end of document").at(xml.len()));
        }
        if let Some(id) = want
            && (places.id_hits != 1 || !places.id_on_top)
        {
            return Err(SamlErrorKind::AssertionId {
                id: truncate(id).into(),
                found: places.id_hits,
            }
            .into());
        }
        parts.finish()
    }

    /// The state after an element opens at `depth`.
    fn open(
        &self,
        state: State,
        depth: usize,
        in_assertion_ns: bool,
        local: &[u8],
        e: &BytesStart<'_>,
    ) -> Result<State, SamlError> {
        Ok(match state {
            State::Outside if in_assertion_ns && local == b"AttributeStatement" => {
                State::Statement(depth)
            }
            State::Statement(_) if in_assertion_ns && local == b"Attribute" => State::Attribute {
                name: name_attribute(e)?,
                values: Vec::new(),
            },
            State::Statement(_) => {
                if in_assertion_ns && local == b"EncryptedAttribute" {
                    State::Skip(depth)
                } else {
                    return Err(structure("unexpected element in saml:AttributeStatement"));
                }
            }
            State::Attribute { name, values } if in_assertion_ns && local == b"AttributeValue" => {
                State::Value {
                    name,
                    values,
                    text: String::new(),
                    nested: 0,
                }
            }
            State::Attribute { .. } => {
                return Err(structure("unexpected element in saml:Attribute"));
            }
            State::Value {
                name,
                values,
                text,
                nested,
            } => {
                // AWS values are plain text; other attributes may carry elements (a NameID),
                // whose text is kept.
                if name.starts_with(AWS_ATTRIBUTE_PREFIX) {
                    return Err(
                        structure("element inside an AWS attribute's AttributeValue")
                            .in_attribute(&name),
                    );
                }
                State::Value {
                    name,
                    values,
                    text,
                    nested: nested + 1,
                }
            }
            other @ (State::Outside | State::Skip(_) | State::Unselected(_)) => other,
        })
    }

    /// The state after the element at `depth` closes.
    fn close(&self, state: State, depth: usize, parts: &mut Assembler) -> Result<State, SamlError> {
        Ok(match state {
            State::Value {
                name,
                mut values,
                text,
                nested: 0,
            } => {
                let text = if self.trim_values {
                    text.trim_matches([' ', '\t', '\r', '\n']).to_owned()
                } else {
                    text
                };
                values.push(text);
                State::Attribute { name, values }
            }
            State::Value {
                name,
                values,
                text,
                nested,
            } => State::Value {
                name,
                values,
                text,
                nested: nested - 1,
            },
            State::Attribute { name, values } => {
                parts.add(&name, values)?;
                State::Statement(depth - 1)
            }
            State::Statement(d) if d == depth => State::Outside,
            State::Skip(d) if d == depth => State::Statement(d - 1),
            State::Unselected(d) if d == depth => State::Outside,
            other => other,
        })
    }
}

/// The namespaces the reader tells apart.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ns {
    Assertion,
    Protocol,
    /// A prefix with no `xmlns:` declaration in scope.
    Undeclared,
    Other,
}

impl Ns {
    fn of(ns: &ResolveResult<'_>) -> Self {
        match ns {
            ResolveResult::Bound(Namespace(n)) if *n == SAML_ASSERTION_NS.as_bytes() => {
                Self::Assertion
            }
            ResolveResult::Bound(Namespace(n)) if *n == SAML_PROTOCOL_NS.as_bytes() => {
                Self::Protocol
            }
            ResolveResult::Unknown(_) => Self::Undeclared,
            _ => Self::Other,
        }
    }
}

/// quick-xml's messages quote names and text from the document (`expected `</a>`, but
/// `</…>``): the message is cut so a hostile document is never echoed whole.
fn xml_error(message: impl Into<String>) -> SamlError {
    let message = message.into();
    SamlErrorKind::Xml {
        message: truncate_to(&message, 200).into_owned(),
    }
    .into()
}

fn structure(reason: &'static str) -> SamlError {
    SamlErrorKind::Structure { reason }.into()
}

/// The five predefined entities and character references; anything else is an undeclared
/// entity, since no DTD is ever read.
fn resolve_ref(r: &BytesRef<'_>) -> Result<char, SamlError> {
    if let Some(c) = r.resolve_char_ref().map_err(|e| xml_error(e.to_string()))? {
        check_xml_text(c.encode_utf8(&mut [0; 4]))?;
        return Ok(c);
    }
    match r.as_ref() {
        b"amp" => Ok('&'),
        b"lt" => Ok('<'),
        b"gt" => Ok('>'),
        b"quot" => Ok('"'),
        b"apos" => Ok('\''),
        other => Err(xml_error(format!(
            "undeclared entity &{};",
            truncate(&String::from_utf8_lossy(other))
        ))),
    }
}

/// The unprefixed `Name` attribute, with XML attribute-value normalization: literal tab, CR
/// and LF become spaces before references are resolved.
fn name_attribute(e: &BytesStart<'_>) -> Result<String, SamlError> {
    let mut name = None;
    // Every attribute is visited so that a repeated one is reported as malformed.
    for attr in e.attributes() {
        let attr = attr.map_err(|err| xml_error(err.to_string()))?;
        if attr.key.as_ref() != b"Name" {
            continue;
        }
        let raw = std::str::from_utf8(&attr.value).map_err(|err| xml_error(err.to_string()))?;
        let raw: Cow<'_, str> = if raw.contains(['\t', '\r', '\n']) {
            Cow::Owned(raw.replace("\r\n", " ").replace(['\t', '\r', '\n'], " "))
        } else {
            Cow::Borrowed(raw)
        };
        name = Some(
            unescape(&raw)
                .map_err(|err| xml_error(err.to_string()))?
                .into_owned(),
        );
    }
    name.ok_or_else(|| structure("saml:Attribute without a Name"))
}
