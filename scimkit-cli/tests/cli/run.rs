//! Running the `scimkit` binary.

// Helpers sit outside `#[test]` functions, where clippy's test allowances do not reach.
#![allow(clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

/// What one run of the command produced.
#[derive(Debug)]
pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl Run {
    /// Asserts the exit code, and that stderr is empty on success.
    #[track_caller]
    pub(crate) fn code(&self, code: i32) -> &Self {
        assert_eq!(self.code, code, "exit code; {self:#?}");
        if code == 0 {
            assert_eq!(self.stderr, "", "stderr of a success");
        }
        self
    }

    /// Asserts stderr is exactly one line starting `scimkit: ` and containing `needle`.
    #[track_caller]
    pub(crate) fn error_line(&self, needle: &str) -> &Self {
        assert!(
            self.stderr.starts_with("scimkit: ") && self.stderr.lines().count() == 1,
            "one stderr line: {self:#?}"
        );
        assert!(
            self.stderr.contains(needle),
            "stderr has `{needle}`: {self:#?}"
        );
        self
    }

    /// Asserts stdout is the SCIM error body with this status and scimType.
    #[track_caller]
    pub(crate) fn scim_error(&self, status: &str, scim_type: &str) -> Value {
        let body: Value = serde_json::from_str(&self.stdout).expect("stdout is JSON");
        assert_eq!(
            body["schemas"],
            serde_json::json!(["urn:ietf:params:scim:api:messages:2.0:Error"])
        );
        assert_eq!(body["status"], status, "{body}");
        assert_eq!(body["scimType"], scim_type, "{body}");
        body
    }

    /// stdout read as one JSON document.
    #[track_caller]
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).expect("stdout is JSON")
    }

    /// stdout read as JSON lines.
    #[track_caller]
    pub(crate) fn json_lines(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).expect("a JSON line"))
            .collect()
    }
}

/// The `scimkit` binary Cargo built for this test run.
pub(crate) fn binary() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_scimkit"))
}

/// A bundled sample file's path.
pub(crate) fn data(name: &str) -> String {
    format!("{}/data/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Runs `scimkit ARGS` with `stdin` as its standard input.
pub(crate) fn scimkit_with(args: &[&str], stdin: &str) -> Run {
    let mut child = Command::new(binary())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the command starts");
    let mut pipe = child.stdin.take().expect("stdin is piped");
    // The command may exit before reading (a usage error); a closed pipe is fine then.
    let _ = pipe.write_all(stdin.as_bytes());
    drop(pipe);
    let out = child.wait_with_output().expect("the command runs");
    Run {
        code: out.status.code().expect("exited, not signalled"),
        stdout: String::from_utf8(out.stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("UTF-8 stderr"),
    }
}

/// Runs `scimkit ARGS` with empty standard input.
pub(crate) fn scimkit(args: &[&str]) -> Run {
    scimkit_with(args, "")
}

/// Writes `contents` to a file of this test process's own, and returns its path.
pub(crate) fn temp_file(name: &str, contents: &str) -> String {
    let path = std::env::temp_dir().join(format!("scimkit-cli-{}-{name}", std::process::id()));
    std::fs::write(&path, contents).expect("the temporary directory is writable");
    path.to_string_lossy().into_owned()
}
