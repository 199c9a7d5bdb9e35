//! Filter grammar (RFC 7644 §3.4.2.2): every RFC example with its canonical form, grammar
//! corners, every invalid form with its position, and the resource limits.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // helpers outside #[test]

use scimkit::filter::ErrorKind;
use scimkit::{CompValue, CompareOp, Compat, Filter, FilterParser, ScimError, ScimType};

#[track_caller]
fn canonical(input: &str) -> String {
    let f: Filter = input.parse().unwrap_or_else(|e| panic!("{input:?}: {e}"));
    let out = f.to_string();
    assert_eq!(
        out.parse::<Filter>().unwrap(),
        f,
        "{input:?} -> {out:?} re-parses differently"
    );
    out
}

#[test]
fn rfc7644_examples_parse_to_their_canonical_form() {
    // Every example filter of RFC 7644 §3.4.2.2, with its canonical printing.
    let table = [
        (r#"userName eq "bjensen""#, r#"userName eq "bjensen""#),
        (
            r#"name.familyName co "O'Malley""#,
            r#"name.familyName co "O'Malley""#,
        ),
        (r#"userName sw "J""#, r#"userName sw "J""#),
        (
            r#"urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J""#,
            r#"urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J""#,
        ),
        ("title pr", "title pr"),
        (
            r#"meta.lastModified gt "2011-05-13T04:42:34Z""#,
            r#"meta.lastModified gt "2011-05-13T04:42:34Z""#,
        ),
        (
            r#"meta.lastModified ge "2011-05-13T04:42:34Z""#,
            r#"meta.lastModified ge "2011-05-13T04:42:34Z""#,
        ),
        (
            r#"meta.lastModified lt "2011-05-13T04:42:34Z""#,
            r#"meta.lastModified lt "2011-05-13T04:42:34Z""#,
        ),
        (
            r#"meta.lastModified le "2011-05-13T04:42:34Z""#,
            r#"meta.lastModified le "2011-05-13T04:42:34Z""#,
        ),
        (
            r#"title pr and userType eq "Employee""#,
            r#"title pr and userType eq "Employee""#,
        ),
        (
            r#"title pr or userType eq "Intern""#,
            r#"title pr or userType eq "Intern""#,
        ),
        (
            r#"schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User""#,
            r#"schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User""#,
        ),
        (
            r#"userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")"#,
            r#"userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")"#,
        ),
        (
            r#"userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")"#,
            r#"userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")"#,
        ),
        (
            r#"userType eq "Employee" and (emails.type eq "work")"#,
            r#"userType eq "Employee" and emails.type eq "work""#,
        ),
        (
            r#"userType eq "Employee" and emails[type eq "work" and value co "@example.com"]"#,
            r#"userType eq "Employee" and emails[type eq "work" and value co "@example.com"]"#,
        ),
        (
            r#"emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]"#,
            r#"emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]"#,
        ),
        // §3.4.3 and §3.5.2 examples.
        (r#"displayName sw "smith""#, r#"displayName sw "smith""#),
        (
            r#"members[value eq "2819c223-7f76-453a-919d-413861904646"]"#,
            r#"members[value eq "2819c223-7f76-453a-919d-413861904646"]"#,
        ),
        // Corners: case of keywords, literals, spacing, grouping, precedence.
        (r#"userName EQ "bjensen""#, r#"userName eq "bjensen""#),
        (
            "title PR AND NOT (active Eq TRUE) Or x Ne NULL",
            "title pr and not (active eq true) or x ne null",
        ),
        ("  (  ( title pr ) )  ", "title pr"),
        ("not(title pr)", "not (title pr)"),
        ("a pr or b pr and c pr", "a pr or b pr and c pr"),
        ("(a pr or b pr) and c pr", "(a pr or b pr) and c pr"),
        ("a pr and (b pr and c pr)", "a pr and (b pr and c pr)"),
        ("a pr or (b pr or c pr)", "a pr or (b pr or c pr)"),
        ("(a pr and b pr) or c pr", "a pr and b pr or c pr"),
        ("a pr\tand\nb pr", "a pr and b pr"),
        (
            "never pr and origin pr or notes pr",
            "never pr and origin pr or notes pr",
        ),
        ("not pr", "not pr"),
        (
            r#"userName eq "a and b or not (c)""#,
            r#"userName eq "a and b or not (c)""#,
        ),
        ("members.$ref pr", "members.$ref pr"),
        ("x-y_z9 pr", "x-y_z9 pr"),
        ("age gt -1.5e+3", "age gt -1500.0"),
        ("age ge 0", "age ge 0"),
        ("age le 18446744073709551615", "age le 18446744073709551615"),
        ("age le -9223372036854775808", "age le -9223372036854775808"),
        ("age lt 1E2", "age lt 100.0"),
        ("a eq 0.5)".trim_end_matches(')'), "a eq 0.5"),
        (
            r#"x eq "tab\there \"q\" \\ \/ \b\f\n\r""#,
            r#"x eq "tab\there \"q\" \\ / \u0008\u000c\n\r""#,
        ),
        (r#"x eq "\u00e9\u00E9 \ud83d\ude00""#, r#"x eq "éé 😀""#),
        (r#"x eq "é😀""#, r#"x eq "é😀""#),
        (r#"x eq """#, r#"x eq """#),
        (
            r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "26118915""#,
            r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "26118915""#,
        ),
        (
            r#"emails[not (type eq "work")]"#,
            r#"emails[not (type eq "work")]"#,
        ),
        (
            r#"emails[(type eq "work" or type eq "home") and primary eq true]"#,
            r#"emails[(type eq "work" or type eq "home") and primary eq true]"#,
        ),
    ];
    for (input, expected) in table {
        assert_eq!(canonical(input), expected, "{input:?}");
    }
}

#[test]
fn trees_have_the_documented_shape() {
    let f: Filter = "a pr or b pr and not (c pr)".parse().unwrap();
    let Filter::Or(a, and) = &f else {
        panic!("{f:?}")
    };
    assert!(matches!(&**a, Filter::Present(p) if p.name() == "a"));
    let Filter::And(b, not) = &**and else {
        panic!("{and:?}")
    };
    assert!(matches!(&**b, Filter::Present(_)));
    assert!(matches!(&**not, Filter::Not(_)));

    // Chains fold to the left.
    let f: Filter = "a pr and b pr and c pr".parse().unwrap();
    let Filter::And(ab, c) = &f else { panic!() };
    assert!(matches!(&**ab, Filter::And(..)));
    assert!(matches!(&**c, Filter::Present(p) if p.name() == "c"));

    let f: Filter =
        r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq 7"#
            .parse()
            .unwrap();
    let Filter::Compare(p, op, v) = &f else {
        panic!()
    };
    assert_eq!(
        p.urn(),
        Some("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")
    );
    assert_eq!((p.name(), p.sub_attribute()), ("manager", Some("value")));
    assert_eq!((*op, v), (CompareOp::Eq, &CompValue::Number(7.into())));

    for (input, value) in [
        ("x eq true", CompValue::Bool(true)),
        ("x eq False", CompValue::Bool(false)),
        ("x eq null", CompValue::Null),
        ("x eq -0", CompValue::Number(0.into())),
        ("x eq 12", CompValue::Number(12.into())),
        ("x eq -12", CompValue::Number((-12).into())),
        (r#"x eq "y""#, CompValue::String("y".to_owned())),
    ] {
        let f: Filter = input.parse().unwrap();
        assert!(
            matches!(&f, Filter::Compare(_, CompareOp::Eq, v) if *v == value),
            "{input}"
        );
    }
    let ops = ["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"];
    for op in ops {
        let f: Filter = format!(r#"x {} "1""#, op.to_uppercase()).parse().unwrap();
        let Filter::Compare(_, parsed, _) = &f else {
            panic!()
        };
        assert_eq!(parsed.as_str(), op);
    }
}

#[test]
fn invalid_filters_report_kind_and_position() {
    use ErrorKind::*;
    // (input, kind, span start, span end)
    let table: &[(&str, ErrorKind, usize, usize)] = &[
        ("", Empty, 0, 0),
        ("   ", Empty, 0, 3),
        (r#"eq "x""#, ExpectedOperator, 3, 6),
        (r#"userName eq"#, ExpectedValue, 11, 11),
        (r#"userName eq "#, ExpectedValue, 12, 12),
        (r#"userName eq bjensen"#, ExpectedValue, 12, 19),
        (r#"userName is "x""#, ExpectedOperator, 9, 11),
        (r#"userName"#, ExpectedOperator, 8, 8),
        (r#"userName eqx "x""#, ExpectedOperator, 9, 12),
        // `eq"x"` is valid (RFC 7644 §3.5.2.2 prints it so); `pr` takes no value.
        (r#"title pr"x""#, ExpectedOperator, 6, 11),
        (r#"userName pr and"#, ExpectedAttribute, 15, 15),
        (r#"userName pr or "#, ExpectedAttribute, 15, 15),
        (r#"1name pr"#, InvalidAttributePath, 0, 5),
        (r#"user@name pr"#, ExpectedOperator, 4, 9),
        (r#"urn:x pr"#, InvalidAttributePath, 0, 5),
        (r#"a:b pr"#, InvalidAttributePath, 0, 3),
        (r#"name.given.x pr"#, InvalidAttributePath, 0, 12),
        (r#"name. pr"#, InvalidAttributePath, 0, 5),
        (r#"name.1x pr"#, InvalidAttributePath, 0, 7),
        (r#"na$me pr"#, InvalidAttributePath, 0, 5),
        (r#"userName eq "bjensen"#, InvalidString, 12, 20),
        ("userName eq \"a\u{1}b\"", InvalidString, 14, 15),
        (r#"userName eq "a\x""#, InvalidEscape, 14, 16),
        (r#"userName eq "a\u12""#, InvalidEscape, 14, 19),
        (r#"userName eq "\ud800""#, InvalidEscape, 13, 19),
        (r#"userName eq "\ud800\u0041""#, InvalidEscape, 13, 25),
        (r#"userName eq "\udc00""#, InvalidEscape, 13, 19),
        (r#"userName eq "\'""#, InvalidEscape, 13, 15),
        ("age gt 01", InvalidNumber, 7, 9),
        ("age gt 1.", InvalidNumber, 7, 9),
        ("age gt .5", ExpectedValue, 7, 9),
        ("age gt +1", ExpectedValue, 7, 9),
        ("age gt -", InvalidNumber, 7, 8),
        ("age gt 1e", InvalidNumber, 7, 9),
        ("age gt 1e999", InvalidNumber, 7, 12),
        ("age gt 12abc", InvalidNumber, 7, 10),
        (r#"a eq "x"b pr"#, ExpectedLogicalOperator, 8, 9),
        ("a eq truex", ExpectedValue, 5, 10),
        ("not a pr", ExpectedOpenParen, 4, 5),
        ("not (a pr", ExpectedCloseParen, 9, 9),
        ("(a pr", ExpectedCloseParen, 5, 5),
        ("(a pr))", ExpectedLogicalOperator, 6, 7),
        ("a pr)", ExpectedLogicalOperator, 4, 5),
        ("a pr b pr", ExpectedLogicalOperator, 5, 6),
        ("a pr andb pr", ExpectedLogicalOperator, 5, 9),
        ("emails[type pr", ExpectedCloseBracket, 14, 14),
        ("emails[type pr or]", ExpectedAttribute, 17, 18),
        ("emails[]", ExpectedAttribute, 7, 8),
        (r#"emails[addresses[type pr]]"#, NestedValuePath, 16, 17),
        (r#"emails.value[type pr]"#, UnexpectedSubAttribute, 0, 12),
        (
            r#"emails[name.givenName pr]"#,
            UnexpectedSubAttribute,
            7,
            21,
        ),
        (
            r#"emails[type eq "work"].value eq "x""#,
            ValuePathSubAttribute,
            22,
            28,
        ),
        ("()", ExpectedAttribute, 1, 2),
        ("a pr and ()", ExpectedAttribute, 10, 11),
    ];
    let mut wrong = Vec::new();
    for &(input, kind, start, end) in table {
        let err = input.parse::<Filter>().expect_err(input);
        if (err.kind(), err.span().start, err.span().end) != (kind, start, end) {
            wrong.push(format!(
                "{input:?}: {:?} {:?} {err}",
                err.kind(),
                err.span()
            ));
        }
        assert_eq!(err.scim_type(), ScimType::InvalidFilter);
        let scim = ScimError::from(err);
        assert_eq!(
            (scim.status, scim.scim_type),
            (400, Some(ScimType::InvalidFilter)),
            "{input:?}"
        );
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn error_messages_are_one_line_and_bounded() {
    let err = "userName is \"x\"".parse::<Filter>().unwrap_err();
    assert_eq!(
        err.to_string(),
        "expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le or pr) at column 10, found `is`"
    );
    assert_eq!(err.expected(), ErrorKind::ExpectedOperator.description());
    assert_eq!(err.found(), "is");

    let long = format!("userName eq {}", "x".repeat(10_000));
    let err = long.parse::<Filter>().unwrap_err();
    assert!(err.to_string().len() < 200, "{err}");
    assert!(!err.to_string().contains('\n'));
}

#[test]
fn entra_value_path_sub_attribute_is_a_compat_switch() {
    let input = r#"emails[type eq "work"].value eq "bjensen@example.com""#;
    let strict = input.parse::<Filter>().unwrap_err();
    assert_eq!(strict.kind(), ErrorKind::ValuePathSubAttribute);
    let f = Filter::parse_with(input, &Compat::entra()).unwrap();
    assert_eq!(
        f.to_string(),
        r#"emails[type eq "work" and value eq "bjensen@example.com"]"#
    );
    assert_eq!(f.to_string().parse::<Filter>().unwrap(), f);

    let f = Filter::parse_with(
        r#"emails[type eq "work" or type eq "home"].value pr and x pr"#,
        &Compat::entra(),
    )
    .unwrap();
    assert_eq!(
        f.to_string(),
        r#"emails[(type eq "work" or type eq "home") and value pr] and x pr"#
    );
    let err = Filter::parse_with(r#"emails[type pr]. pr"#, &Compat::entra()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ExpectedSubAttribute);
    let err = Filter::parse_with(r#"emails[type pr].value"#, &Compat::entra()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ExpectedOperator);
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    for unit in ["(", "not (", "not(", "emails[", "( not ("] {
        let input = unit.repeat(100_000);
        let err = input.parse::<Filter>().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::TooLong, "{unit}");
        let mut p = FilterParser::new();
        p.max_len(usize::MAX);
        let err = p.parse(&input).unwrap_err();
        let expected = if unit == "emails[" {
            ErrorKind::NestedValuePath
        } else {
            ErrorKind::TooDeep
        };
        assert_eq!(err.kind(), expected, "{unit}");
    }
    // Exactly at the limit parses, and prints and drops fine.
    let at_limit = format!("{}a pr{}", "not (".repeat(64), ")".repeat(64));
    let f: Filter = at_limit.parse().unwrap();
    assert_eq!(f.to_string(), at_limit);
    let over = format!("({at_limit})");
    assert_eq!(
        over.parse::<Filter>().unwrap_err().kind(),
        ErrorKind::TooDeep
    );
    let mut p = FilterParser::new();
    p.max_depth(2);
    assert!(p.parse("((a pr))").is_ok());
    assert_eq!(p.parse("(((a pr)))").unwrap_err().span().start, 2);
    assert_eq!(
        p.parse("a[(b pr)]").map(|f| f.to_string()).unwrap(),
        "a[b pr]"
    );
    assert_eq!(
        p.parse("a[((b pr))]").unwrap_err().kind(),
        ErrorKind::TooDeep
    );
}

#[test]
fn term_and_length_limits() {
    let chain = vec!["a pr"; 1024].join(" or ");
    let f: Filter = chain.parse().unwrap();
    assert_eq!(f.to_string(), chain);
    let over = format!("{chain} or b pr");
    let err = over.parse::<Filter>().unwrap_err();
    assert_eq!(
        (err.kind(), err.span().start),
        (ErrorKind::TooManyTerms, chain.len() + 4)
    );

    let mut p = FilterParser::new();
    p.max_terms(2).max_len(20);
    assert!(p.parse("a pr and b pr").is_ok());
    assert_eq!(
        p.parse("a pr and b pr and c").unwrap_err().kind(),
        ErrorKind::TooManyTerms
    );
    assert_eq!(
        p.parse("a pr and bbbbbbbbbbbbbbbbbbbbbbbbb pr")
            .unwrap_err()
            .kind(),
        ErrorKind::TooLong
    );

    // Long chains (far past the default limit) parse, print and drop without recursion.
    let mut p = FilterParser::new();
    p.max_terms(u32::MAX).max_len(usize::MAX);
    let long = vec!["a pr"; 200_000].join(" and ");
    let f = p.parse(&long).unwrap();
    assert_eq!(f.to_string().len(), long.len());
    drop(f);
}

#[test]
fn hand_built_deep_trees_drop_without_overflow() {
    let mut f: Filter = "a pr".parse().unwrap();
    for i in 0..200_000 {
        f = match i % 4 {
            0 => Filter::Not(Box::new(f)),
            1 => Filter::And(Box::new("b pr".parse().unwrap()), Box::new(f)),
            2 => Filter::Or(Box::new(f), Box::new("c pr".parse().unwrap())),
            // Two inner children: one waits while the other is taken apart.
            _ => Filter::And(Box::new(f), Box::new("not (d pr)".parse().unwrap())),
        };
    }
    drop(f);
}
