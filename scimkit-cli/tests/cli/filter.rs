//! `filter parse` and `filter match`.

use serde_json::json;

use crate::run::{data, scimkit, scimkit_with};

#[test]
fn parse_prints_the_canonical_form() {
    let cases = [
        (
            r#"UserName EQ "bjensen" AND NOT (title pr)"#,
            r#"UserName eq "bjensen" and not (title pr)"#,
        ),
        ("(a pr or b pr) and c pr", "(a pr or b pr) and c pr"),
        ("(a pr and b pr) or c pr", "a pr and b pr or c pr"),
        (r#"emails[type eq "work"]"#, r#"emails[type eq "work"]"#),
        (
            "meta.lastModified gt \"2011-05-13T04:42:34Z\"",
            "meta.lastModified gt \"2011-05-13T04:42:34Z\"",
        ),
    ];
    for (input, canonical) in cases {
        let run = scimkit(&["filter", "parse", input]);
        run.code(0);
        assert_eq!(run.stdout, format!("{canonical}\n"), "{input}");
    }
}

#[test]
fn parse_errors_print_the_scim_error_with_the_column() {
    let run = scimkit(&["filter", "parse", "userName eq"]);
    run.code(1)
        .error_line("400 invalidFilter: expected a comparison value");
    let body = run.scim_error("400", "invalidFilter");
    assert!(
        body["detail"].as_str().unwrap().contains("at column 12"),
        "{body}"
    );

    // Entra's form needs its preset.
    let entra = r#"emails[type eq "work"].value eq "x""#;
    scimkit(&["filter", "parse", entra])
        .code(1)
        .scim_error("400", "invalidFilter");
    scimkit(&["--compat", "entra", "filter", "parse", entra]).code(0);
}

#[test]
fn parse_errors_never_echo_unbounded_input() {
    let long = format!("userName eq \"{}", "x".repeat(10_000));
    let run = scimkit(&["filter", "parse", &long]);
    run.code(1);
    assert!(
        run.stdout.len() < 1000 && run.stderr.len() < 1000,
        "{run:?}"
    );
}

#[test]
fn match_reads_a_file() {
    let filter = r#"USERNAME eq "ADA@EXAMPLE.ORG" and emails[type eq "work"]"#;
    let run = scimkit(&["filter", "match", filter, &data("user.json")]);
    run.code(0);
    let hits = run.json_lines();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["UserName"], "ada@example.org"); // printed as read

    let run = scimkit(&["filter", "match", "members pr", &data("user.json")]);
    run.code(0);
    assert_eq!(run.stdout, "");
}

#[test]
fn match_reads_arrays_list_responses_and_json_lines_from_stdin() {
    let a = json!({"userName": "a", "active": true});
    let b = json!({"userName": "b", "active": false});
    let c = json!({"userName": "c", "active": true});
    let inputs = [
        json!([a, b, c]).to_string(),
        json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
            "totalResults": 3,
            "Resources": [a, b, c]
        })
        .to_string(),
        format!("{a}\n{b}\n{c}\n"),
        format!("{}\n{c}", json!([a, b])),
    ];
    for stdin in inputs {
        for args in [
            &["filter", "match", "active eq true"][..],
            &["filter", "match", "active eq true", "-"],
        ] {
            let run = scimkit_with(args, &stdin);
            run.code(0);
            assert_eq!(run.json_lines(), [a.clone(), c.clone()], "{stdin}");
        }
    }
}

#[test]
fn match_errors() {
    // A comparison the schema forbids is a SCIM error about the filter.
    let run = scimkit_with(
        &["filter", "match", "active gt true"],
        r#"{"active": true}"#,
    );
    run.code(1).error_line("400 invalidFilter");
    run.scim_error("400", "invalidFilter");

    // Input that is not JSON is invalidSyntax.
    let run = scimkit_with(&["filter", "match", "title pr"], "{not json");
    run.code(1).error_line("400 invalidSyntax");
    run.scim_error("400", "invalidSyntax");

    // A file that cannot be read is an I/O error.
    let run = scimkit(&["filter", "match", "title pr", "/nonexistent/users.json"]);
    run.code(2)
        .error_line("cannot read /nonexistent/users.json");
    assert_eq!(run.stdout, "");

    let run = scimkit(&["filter", "match"]);
    run.code(2).error_line("expected FILTER");
}
