//! Usage, help, global options and `demo`.

use crate::run::scimkit;

#[test]
fn no_arguments_prints_the_usage() {
    let run = scimkit(&[]);
    run.code(0);
    assert!(run.stdout.starts_with("scimkit: SCIM 2.0"));
    for cmd in [
        "filter parse",
        "filter match",
        "patch OPS_FILE",
        "diff OLD NEW",
        "check",
        "tags",
        "demo",
    ] {
        assert!(run.stdout.contains(cmd), "usage names `{cmd}`");
    }
    assert_eq!(scimkit(&["--help"]).stdout, run.stdout);
    assert_eq!(scimkit(&["help"]).stdout, run.stdout);
}

#[test]
fn every_subcommand_has_help() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["filter", "--help"],
            "usage: scimkit [--compat PRESET] filter parse FILTER\n",
        ),
        (
            &["filter", "parse", "--help"],
            "usage: scimkit [--compat PRESET] filter parse FILTER\n",
        ),
        (
            &["filter", "match", "-h"],
            "usage: scimkit [--compat PRESET] filter match FILTER [FILE]\n",
        ),
        (
            &["patch", "--help"],
            "usage: scimkit [--compat PRESET] patch OPS_FILE [FILE]\n",
        ),
        (&["diff", "--help"], "usage: scimkit diff OLD NEW\n"),
        (
            &["check", "--help"],
            "usage: scimkit [--compat PRESET] check --profile identity-center",
        ),
        (&["tags", "--help"], "usage: scimkit tags --map KEY=EXPR"),
        (&["demo", "--help"], "usage: scimkit demo\n"),
        (&["help", "diff"], "usage: scimkit diff OLD NEW\n"),
        (
            &["help", "filter", "match"],
            "usage: scimkit [--compat PRESET] filter match",
        ),
        (
            &["--compat", "entra", "patch", "--help"],
            "usage: scimkit [--compat PRESET] patch",
        ),
    ];
    for (args, start) in cases {
        let run = scimkit(args);
        run.code(0);
        assert!(run.stdout.starts_with(start), "{args:?}: {}", run.stdout);
    }
}

#[test]
fn usage_errors_exit_2_with_one_line() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["frobnicate"],
            "unknown command `frobnicate` (see `scimkit --help`)",
        ),
        (
            &["filter"],
            "expected `parse` or `match` (see `scimkit filter --help`)",
        ),
        (&["filter", "eval", "x"], "unknown filter command `eval`"),
        (
            &["filter", "parse"],
            "expected FILTER (see `scimkit filter parse --help`)",
        ),
        (
            &["filter", "parse", "a pr", "b pr"],
            "unexpected argument `b pr`",
        ),
        (
            &["filter", "parse", "--fix", "a pr"],
            "unknown option `--fix`",
        ),
        (
            &["--compat", "azure", "filter", "parse", "a pr"],
            "unknown --compat preset `azure`",
        ),
        (
            &["filter", "parse", "a pr", "--compat"],
            "--compat needs a value",
        ),
        (
            &[
                "filter",
                "parse",
                "a pr",
                "--compat=okta",
                "--compat",
                "entra",
            ],
            "--compat given more than once",
        ),
        (&["help", "frobnicate"], "unknown command `frobnicate`"),
        (&["help", "filter", "eval"], "unknown command `filter eval`"),
        (&["--frobnicate", "demo"], "unknown option `--frobnicate`"),
        (
            &[
                "check",
                "--profile",
                "identity-center",
                "--profile",
                "identity-center",
            ],
            "--profile given more than once (see `scimkit check --help`)",
        ),
        (&["tags", "--map"], "--map needs a value"),
        (
            &["diff", "old.json", "new.json", "third.json"],
            "unexpected argument `third.json` (see `scimkit diff --help`)",
        ),
        (&["demo", "extra"], "unexpected argument `extra`"),
    ];
    for (args, message) in cases {
        let run = scimkit(args);
        run.code(2);
        assert_eq!(run.stdout, "", "{args:?}");
        run.error_line(message);
    }
}

#[test]
fn version_and_help_everywhere() {
    let run = scimkit(&["--version"]);
    run.code(0);
    assert_eq!(
        run.stdout,
        format!("scimkit {}\n", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(scimkit(&["-V"]).stdout, run.stdout);
    // The usage documents the exit codes.
    let usage = scimkit(&["-h"]);
    usage.code(0);
    assert!(
        usage.stdout.contains("exit codes: 0 success; 1 "),
        "{}",
        usage.stdout
    );
    assert!(usage.stdout.contains("2 a usage or I/O error."));
    // `help COMMAND` prints what `COMMAND --help` does.
    for cmd in [&["patch"][..], &["filter"], &["filter", "parse"], &["tags"]] {
        let mut help = vec!["help"];
        help.extend(cmd);
        let mut flag = cmd.to_vec();
        flag.push("--help");
        assert_eq!(scimkit(&help).stdout, scimkit(&flag).stdout, "{cmd:?}");
    }
}

#[test]
fn compat_presets_are_accepted_before_or_after_the_command() {
    let entra = r#"emails[type eq "work"].value eq "ada@example.org""#;
    for args in [
        vec!["--compat", "entra", "filter", "parse", entra],
        vec!["filter", "parse", entra, "--compat=ENTRA"],
        vec!["filter", "--compat", "entra", "parse", entra],
    ] {
        let run = scimkit(&args);
        run.code(0);
        assert_eq!(
            run.stdout,
            "emails[type eq \"work\" and value eq \"ada@example.org\"]\n"
        );
    }
    for preset in ["strict", "okta", "jumpcloud", "lenient"] {
        scimkit(&["--compat", preset, "filter", "parse", "title pr"]).code(0);
    }
}

#[test]
fn demo_runs_every_part() {
    let run = scimkit(&["demo"]);
    run.code(0);
    for part in [
        "== 1. Filter",
        "user.json:  matches",
        "group.json: no match",
        "== 2. PATCH as Microsoft Entra ID sends it",
        "strict RFC 7644 refuses it, and the group is untouched",
        "\"displayName\": \"Engineering (AWS)\"",
        "== 3. Diff",
        "\"path\": \"phoneNumbers\"",
        "== 4. AWS IAM Identity Center check",
        "photos: dropped (rule 19)",
        "accepted: true; kept phone: \"tel:+1-555-555-0199\"",
        "== 5. AWS session tags",
        "AccessControl:CostCenter",
        "<saml:AttributeValue>ada@example.org</saml:AttributeValue>",
    ] {
        assert!(
            run.stdout.contains(part),
            "demo shows `{part}`:\n{}",
            run.stdout
        );
    }
}

#[test]
fn a_closed_stdout_is_not_an_error() {
    // `scimkit demo | head -0`: the command stops quietly when its reader goes away.
    let mut child = std::process::Command::new(crate::run::binary())
        .arg("demo")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn the_readme_shows_the_demos_real_output() {
    // The workspace's README, where the command is introduced.
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    let start = readme
        .find("Its output:\n\n```text\n")
        .expect("the README shows the demo")
        + 21;
    let len = readme[start..].find("\n```\n").unwrap() + 1;
    assert_eq!(
        &readme[start..start + len],
        scimkit(&["demo"]).stdout,
        "paste `scimkit demo` into the README"
    );
}

#[test]
fn the_embedded_sample_data_is_the_repositorys() {
    // `demo` embeds `scimkit-cli/data/`; the README and the help texts point at
    // `examples/data/`. They must not drift apart.
    let root = env!("CARGO_MANIFEST_DIR");
    for name in [
        "user.json",
        "user-updated.json",
        "group.json",
        "entra-patch.json",
    ] {
        let ours = std::fs::read_to_string(format!("{root}/data/{name}")).unwrap();
        let repo = std::fs::read_to_string(format!("{root}/../examples/data/{name}")).unwrap();
        assert_eq!(
            ours, repo,
            "scimkit-cli/data/{name} differs from examples/data/{name}"
        );
    }
}
