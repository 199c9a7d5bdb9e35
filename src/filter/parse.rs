//! The filter grammar of RFC 7644 §3.4.2.2 (Figure 1, with erratum 5405: no nested valuePath).
//!
//! ```text
//! FILTER    = attrExp / logExp / valuePath / *1"not" "(" FILTER ")"
//! valuePath = attrPath "[" valFilter "]"
//! attrExp   = (attrPath SP "pr") / (attrPath SP compareOp SP compValue)
//! logExp    = FILTER SP ("and" / "or") SP FILTER
//! ```
//!
//! Precedence is `not` > `and` > `or`; chains fold to the left, iteratively, so only `(`,
//! `not (` and `[` recurse, each bounded by the depth limit.

use nom::Parser;
use nom::character::complete::{char, digit1, one_of};
use nom::combinator::{opt, recognize, verify};

use super::{CompValue, CompareOp, Filter};
use crate::filter::ErrorKind;
use crate::path::AttrPath;
use crate::path::parse::{
    CLASS, NAME, PErr, PResult, SPACE, STRING_STOP, attr_path, is_attr_name, is_name_char, ws,
};

/// The recursive part of the parser, with its limits and counters.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Grammar {
    pub(crate) max_depth: u32,
    pub(crate) max_terms: u32,
    /// `Compat::filter_value_path_sub_attribute`.
    pub(crate) entra_value_path: bool,
    terms: u32,
}

impl Default for Grammar {
    fn default() -> Self {
        Self::new(super::DEFAULT_MAX_DEPTH, super::DEFAULT_MAX_TERMS, false)
    }
}

/// Where a sub-filter is parsed: at the top, or inside a valuePath's brackets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Top,
    ValuePath,
}

impl Grammar {
    pub(crate) fn new(max_depth: u32, max_terms: u32, entra_value_path: bool) -> Self {
        Self {
            max_depth,
            max_terms,
            entra_value_path,
            terms: 0,
        }
    }

    /// A whole filter: the input must be consumed.
    #[inline]
    pub(crate) fn filter(&mut self, input: &str) -> Result<Filter, PErr> {
        let i = ws(input);
        if i.is_empty() {
            return Err(PErr::at(ErrorKind::Empty, input, input.len()));
        }
        let (rest, f) = self.or_expr(i, 0, Ctx::Top)?;
        match ws(rest) {
            "" => Ok(f),
            rest => Err(PErr::token(ErrorKind::ExpectedLogicalOperator, rest)),
        }
    }

    /// `valFilter "]"`, the input starting just after a valuePath's `[` at nesting `depth`.
    pub(crate) fn bracketed<'a>(&mut self, open: &'a str, depth: u32) -> PResult<'a, Filter> {
        let depth = self.deeper(open, depth)?;
        let i = &open[1..];
        let (rest, f) = self.or_expr(i, depth, Ctx::ValuePath)?;
        match ws(rest).strip_prefix(']') {
            Some(rest) => Ok((rest, f)),
            None => Err(PErr::token(ErrorKind::ExpectedCloseBracket, ws(rest))),
        }
    }

    fn deeper(&self, i: &str, depth: u32) -> Result<u32, PErr> {
        match depth.checked_add(1) {
            Some(d) if d <= self.max_depth => Ok(d),
            _ => Err(PErr::token(ErrorKind::TooDeep, i)),
        }
    }

    /// `FILTER` as factors joined by `and` and `or`, in one loop: `and` binds tighter, and both
    /// fold to the left. The operands built so far stay boxed, so the loop moves pointers, and
    /// `factor` has one call site.
    fn or_expr<'a>(&mut self, mut i: &'a str, depth: u32, ctx: Ctx) -> PResult<'a, Filter> {
        let mut ors: Option<Box<Filter>> = None;
        let mut ands: Option<Box<Filter>> = None;
        loop {
            let (rest, f) = self.factor(i, depth, ctx)?;
            let term = match ands.take() {
                None => f,
                Some(left) => Filter::And(left, Box::new(f)),
            };
            let Some((word, after)) = logical(rest) else {
                let f = match ors {
                    None => term,
                    Some(left) => Filter::Or(left, Box::new(term)),
                };
                return Ok((rest, f));
            };
            match word {
                Logical::And => ands = Some(Box::new(term)),
                Logical::Or => {
                    ors = Some(Box::new(match ors.take() {
                        None => term,
                        Some(left) => Filter::Or(left, Box::new(term)),
                    }));
                }
            }
            i = after;
        }
    }

    /// `"(" FILTER ")"`, `"not" "(" FILTER ")"`, or an attribute expression.
    fn factor<'a>(&mut self, i: &'a str, depth: u32, ctx: Ctx) -> PResult<'a, Filter> {
        let i = ws(i);
        if let Some(inner) = i.strip_prefix('(') {
            return self.parenthesized(i, inner, depth, ctx);
        }
        if let Some(inner) = keyword_open_paren(i, "not") {
            let (rest, f) = self.parenthesized(i, inner, depth, ctx)?;
            return Ok((rest, Filter::Not(Box::new(f))));
        }
        self.attr_exp(i, depth, ctx)
    }

    /// `FILTER ")"`, after the `(` or `not (` that starts at `open`.
    fn parenthesized<'a>(
        &mut self,
        open: &'a str,
        i: &'a str,
        depth: u32,
        ctx: Ctx,
    ) -> PResult<'a, Filter> {
        let depth = self.deeper(open, depth)?;
        let (rest, f) = self.or_expr(i, depth, ctx)?;
        match ws(rest).strip_prefix(')') {
            Some(rest) => Ok((rest, f)),
            None => Err(PErr::token(ErrorKind::ExpectedCloseParen, ws(rest))),
        }
    }

    /// `attrPath SP "pr"`, `attrPath SP compareOp SP compValue`, or `attrPath "[" … "]"`.
    fn attr_exp<'a>(&mut self, i: &'a str, depth: u32, ctx: Ctx) -> PResult<'a, Filter> {
        self.terms += 1;
        if self.terms > self.max_terms {
            return Err(PErr::token(ErrorKind::TooManyTerms, i));
        }
        let (rest, path) = attr_path(i)?;
        if ctx == Ctx::ValuePath && !path.is_plain() {
            return Err(PErr::at(ErrorKind::UnexpectedSubAttribute, i, path.len()));
        }
        if rest.starts_with('[') {
            if ctx == Ctx::ValuePath {
                return Err(PErr::token(ErrorKind::NestedValuePath, rest));
            }
            if path.sub_attribute().is_some() {
                return Err(PErr::at(ErrorKind::UnexpectedSubAttribute, i, path.len()));
            }
            let (rest, f) = self.bracketed(rest, depth)?;
            return self.after_value_path(rest, path, f);
        }
        let not = is_not(&path);
        self.condition(rest, path).map_err(|e| {
            // `not userName pr`: the RFC's `not` takes a parenthesized filter.
            match e.kind == ErrorKind::ExpectedOperator && not {
                true => PErr::token(ErrorKind::ExpectedOpenParen, ws(rest)),
                false => e,
            }
        })
    }

    /// What follows an attribute path: `SP "pr"` or `SP compareOp SP compValue`.
    fn condition<'a>(&mut self, i: &'a str, path: AttrPath) -> PResult<'a, Filter> {
        let (rest, op) = operator(i)?;
        let Some(op) = op else {
            return Ok((rest, Filter::Present(path)));
        };
        let (rest, value) = comp_value(rest)?;
        Ok((rest, Filter::Compare(path, op, value)))
    }

    /// Microsoft Entra ID's `emails[type eq "work"].value eq "x"`: with the switch on, read as
    /// `emails[type eq "work" and value eq "x"]` (one and the same element).
    fn after_value_path<'a>(
        &mut self,
        i: &'a str,
        path: AttrPath,
        f: Filter,
    ) -> PResult<'a, Filter> {
        let Some(after_dot) = i.strip_prefix('.') else {
            return Ok((i, Filter::ValuePath(path, Box::new(f))));
        };
        if !self.entra_value_path {
            return Err(PErr::token(ErrorKind::ValuePathSubAttribute, i));
        }
        self.terms += 1;
        if self.terms > self.max_terms {
            return Err(PErr::token(ErrorKind::TooManyTerms, i));
        }
        let name_len = after_dot
            .bytes()
            .take_while(|&b| is_name_char(b) || b == b'$')
            .count();
        let name = &after_dot[..name_len];
        if !is_attr_name(name) {
            return Err(PErr::token(ErrorKind::ExpectedSubAttribute, after_dot));
        }
        let sub = AttrPath::from_raw(name, 0, 0)
            .ok_or_else(|| PErr::at(ErrorKind::TooLong, after_dot, name_len))?;
        let (rest, cond) = self.condition(&after_dot[name_len..], sub)?;
        let inner = Filter::And(Box::new(f), Box::new(cond));
        Ok((rest, Filter::ValuePath(path, Box::new(inner))))
    }
}

fn is_not(path: &AttrPath) -> bool {
    path.as_str().eq_ignore_ascii_case("not")
}

/// The two logical operators of `logExp`.
#[derive(Clone, Copy)]
enum Logical {
    And,
    Or,
}

/// `SP ("and" / "or")` after optional whitespace, any case, ending at a word boundary.
fn logical(i: &str) -> Option<(Logical, &str)> {
    let i = ws(i);
    let b = i.as_bytes();
    // `| 0x20` lowercases ASCII letters, and maps no other byte onto a lowercase letter.
    let (word, len) = match b {
        [b'a' | b'A', y, z, ..] if [y | 0x20, z | 0x20] == *b"nd" => (Logical::And, 3),
        [b'o' | b'O', y, ..] if y | 0x20 == b'r' => (Logical::Or, 2),
        _ => return None,
    };
    let boundary = b.get(len).is_none_or(|&c| !is_name_char(c) && c != b'.');
    boundary.then(|| (word, &i[len..]))
}

/// `not` followed by optional whitespace and `(`: returns the input after the `(`.
fn keyword_open_paren<'a>(i: &'a str, word: &str) -> Option<&'a str> {
    let head = i.get(..word.len())?;
    if !head.eq_ignore_ascii_case(word) {
        return None;
    }
    ws(&i[word.len()..]).strip_prefix('(')
}

/// The operator spelled by two letters, any case: `Some(None)` for `pr`.
#[inline]
fn op_word(a: u8, b: u8) -> Option<Option<CompareOp>> {
    // `| 0x20` lowercases ASCII letters, and maps no other byte onto a lowercase letter.
    Some(Some(match [a | 0x20, b | 0x20] {
        [b'p', b'r'] => return Some(None),
        [b'e', b'q'] => CompareOp::Eq,
        [b'n', b'e'] => CompareOp::Ne,
        [b'c', b'o'] => CompareOp::Co,
        [b's', b'w'] => CompareOp::Sw,
        [b'e', b'w'] => CompareOp::Ew,
        [b'g', b't'] => CompareOp::Gt,
        [b'g', b'e'] => CompareOp::Ge,
        [b'l', b't'] => CompareOp::Lt,
        [b'l', b'e'] => CompareOp::Le,
        _ => return None,
    }))
}

/// The commonest filter, `attrName op "string"` (an IdP's lookup of one user or group), read in
/// one pass without the grammar's layers. `None` for anything else, which the grammar then
/// reads; where this answers, the grammar gives the same tree (a unit proptest holds them equal).
/// Not inlined: the grammar's path through `FilterParser::parse` measured faster without it.
#[inline(never)]
pub(crate) fn simple_comparison(input: &str) -> Option<Filter> {
    let b = input.as_bytes();
    let class = |i: usize| b.get(i).map_or(0, |&c| CLASS[usize::from(c)]);
    let spaces = |mut i: usize| {
        while class(i) & SPACE != 0 {
            i += 1;
        }
        i
    };
    let start = spaces(0);
    if !b.get(start)?.is_ascii_alphabetic() {
        return None;
    }
    let mut end = start;
    while class(end) & NAME != 0 {
        end += 1;
    }
    // A space must follow the name: `.`, `:`, `$`, `[` or a quote send it to the grammar.
    let at_op = spaces(end);
    let op = op_word(*b.get(at_op)?, *b.get(at_op + 1)?)??;
    let at_value = spaces(at_op + 2);
    if at_op == end || at_value == at_op + 2 || b.get(at_value) != Some(&b'"') {
        return None;
    }
    let body = &input[at_value + 1..];
    let len = body
        .bytes()
        .position(|c| CLASS[usize::from(c)] & STRING_STOP != 0)?;
    // An escape or a control character goes to the grammar's string reader.
    if body.as_bytes()[len] != b'"' || spaces(at_value + 2 + len) != b.len() {
        return None;
    }
    let path = AttrPath::plain(&input[start..end]);
    Some(Filter::Compare(
        path,
        op,
        CompValue::String(body[..len].to_owned()),
    ))
}

/// `SP compareOp` (`Some`) or `SP "pr"` (`None`), any case.
fn operator(i: &str) -> PResult<'_, Option<CompareOp>> {
    let word = ws(i);
    let op = match word.as_bytes() {
        [a, b, ..] if word.len() < i.len() => op_word(*a, *b),
        _ => None,
    };
    // RFC 7644's own examples print `members[value eq"2819c223…"]` (§3.5.2.2, §3.5.2.3): a
    // quoted value may follow a comparison operator without the SP, since it cannot be part of
    // the operator. `pr` takes no value, so `pr"x"` stays an error.
    match (op, word.as_bytes().get(2)) {
        (Some(op), next)
            if !next.is_some_and(|&c| is_name_char(c) || (c == b'"' && op.is_none())) =>
        {
            Ok((&word[2..], op))
        }
        _ => Err(PErr::token(ErrorKind::ExpectedOperator, word)),
    }
}

/// `SP compValue`, where `compValue = false / null / true / number / string` (JSON, RFC 8259),
/// with the literal names in any case (ABNF strings are case-insensitive).
fn comp_value(i: &str) -> PResult<'_, CompValue> {
    let v = ws(i);
    if v.is_empty() || (v.len() == i.len() && !v.starts_with('"')) {
        return Err(PErr::token(ErrorKind::ExpectedValue, v));
    }
    let (rest, value) = match v.as_bytes()[0] {
        b'"' => super::lex::string(v)?,
        b'-' | b'0'..=b'9' => number(v)?,
        _ => {
            let len = v.bytes().take_while(u8::is_ascii_alphabetic).count();
            let value = match &v[..len] {
                w if w.eq_ignore_ascii_case("true") => CompValue::Bool(true),
                w if w.eq_ignore_ascii_case("false") => CompValue::Bool(false),
                w if w.eq_ignore_ascii_case("null") => CompValue::Null,
                _ => return Err(PErr::token(ErrorKind::ExpectedValue, v)),
            };
            (&v[len..], value)
        }
    };
    // A value ends at whitespace, `)`, `]` or the end: `eq 12abc` and `eq "a"b` are errors.
    match rest.bytes().next() {
        None | Some(b')' | b']') => Ok((rest, value)),
        Some(b) if b.is_ascii_whitespace() => Ok((rest, value)),
        Some(_) if matches!(value, CompValue::Number(_)) => Err(PErr::at(
            ErrorKind::InvalidNumber,
            v,
            v.len() - rest.len() + 1,
        )),
        Some(_) => Err(PErr::token(ErrorKind::ExpectedLogicalOperator, rest)),
    }
}

/// A JSON number: `[ "-" ] ( "0" / 1-9 *DIGIT ) [ "." 1*DIGIT ] [ ("e" / "E") [ "+" / "-" ] 1*DIGIT ]`,
/// written with nom's combinators as the RFC 8259 grammar reads. A fraction or exponent
/// without digits is left unread (so `1.` fails where it stops). Numbers are rare in filters,
/// so this stays declarative where the hot tokens are scanned by hand.
fn number(i: &str) -> PResult<'_, CompValue> {
    let int = verify(digit1, |d: &str| d == "0" || !d.starts_with('0'));
    let frac = (char('.'), digit1);
    let exp = (one_of("eE"), opt(one_of("+-")), digit1);
    let lexeme = recognize((opt(char('-')), int, opt(frac), opt(exp))).parse(i);
    let invalid = || PErr::token(ErrorKind::InvalidNumber, i);
    let (rest, text): (&str, &str) = lexeme.map_err(|_: nom::Err<PErr>| invalid())?;
    let n = super::lex::number(text).ok_or_else(invalid)?;
    Ok((rest, CompValue::Number(n)))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Inputs near the fast path's edges: names, separators, operators and values it must
    /// take, and ones it must leave to the grammar.
    fn near_simple() -> impl Strategy<Value = String> {
        let ws = prop::sample::select(vec!["", " ", "  ", "\t", "\r\n", " \n "]);
        let name = prop::sample::select(vec![
            "userName",
            "a",
            "not",
            "and",
            "or",
            "x-y_1",
            "1abc",
            "emails.value",
            "urn:a:b:c",
            "$ref",
            "pr",
            "members[value",
            "_a",
            "é",
        ]);
        let op = prop::sample::select(vec![
            "eq", "EQ", "Ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "pr", "xx", "eqq", "e",
        ]);
        let value = prop::sample::select(vec![
            "\"bjensen\"",
            "\"\"",
            "\"a b\"",
            "\"a\\\"b\"",
            "\"a\u{1}\"",
            "\"é\"",
            "\"unterminated",
            "true",
            "12",
            "null",
            "\"x\"y",
        ]);
        let tail = prop::sample::select(vec!["", " ", " and b pr", ")", "]", "\"", " or"]);
        (
            ws.clone(),
            name,
            ws.clone(),
            op,
            ws.clone(),
            value,
            tail,
            ws,
        )
            .prop_map(|(a, n, b, o, c, v, t, d)| format!("{a}{n}{b}{o}{c}{v}{t}{d}"))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]
        #[test]
        fn simple_comparison_agrees_with_the_grammar(input in near_simple()) {
            if let Some(fast) = simple_comparison(&input) {
                prop_assert_eq!(Grammar::default().filter(&input), Ok(fast));
            }
        }
    }

    #[test]
    fn simple_comparison_takes_the_common_lookups() {
        for input in [
            r#"userName eq "bjensen""#,
            " externalId EQ \"00u1\" ",
            "displayName\teq\t\"Tour Guides\"",
            r#"not eq "x""#,
        ] {
            assert!(simple_comparison(input).is_some(), "{input}");
        }
        for input in [
            r#"userName eq"bjensen""#,
            r#"name.givenName eq "b""#,
            r#"userName eq "a\"b""#,
            r#"userName pr"#,
            r#"userName eq "b" and x pr"#,
        ] {
            assert!(simple_comparison(input).is_none(), "{input}");
        }
    }
}
