//! `scimkit sync` against a real server: scimkit-server's Identity Center profile on SQLite,
//! served on loopback from this test process, with the command run as a process.

// Helpers sit outside `#[test]` functions, where clippy's test allowances do not reach.
#![allow(clippy::expect_used)]

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Arc;

use scimkit_server::{Service, SqlStore, Store, TenantRecord, issue_token, router};
use serde_json::{Value, json};

use crate::run::{Run, binary};

/// A loopback Identity Center emulator and a scratch directory.
struct Target {
    base: String,
    token: String,
    dir: PathBuf,
    runtime: tokio::runtime::Runtime,
}

impl Target {
    fn start(faults: Option<&str>) -> Self {
        let runtime = tokio::runtime::Runtime::new().expect("a runtime");
        let dir = std::env::temp_dir().join(format!("scimkit-cli-sync-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).expect("a scratch directory");
        let (base, token) = runtime.block_on(async {
            let store = SqlStore::open("sqlite::memory:").await.expect("a store");
            let record = TenantRecord {
                id: "ic".into(),
                name: "IC".into(),
                profile: "identity-center".into(),
                compat: "strict".into(),
                accept_passwords: false,
            };
            store.create_tenant(&record).await.expect("a tenant");
            let (token, t) = issue_token("ic", "test").expect("a token");
            store.add_token(&t).await.expect("stored");
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("a port");
            let root = format!("http://{}", listener.local_addr().expect("an address"));
            let mut service = Service::new(store, root.clone());
            if let Some(f) = faults {
                service = service.with_faults(f.parse().expect("faults"));
            }
            let app = router(Arc::new(service));
            tokio::spawn(async move { axum::serve(listener, app).await.expect("serves") });
            (format!("{root}/ic/scim/v2"), token)
        });
        Self {
            base,
            token,
            dir,
            runtime,
        }
    }

    /// Writes the source: `n` users and groups of every third user.
    fn source(&self, n: usize, title: &str) -> String {
        let src = self.dir.join("source");
        std::fs::create_dir_all(&src).expect("a source directory");
        let users: Vec<String> = (0..n)
            .map(|i| {
                json!({"externalId": format!("e{i}"), "userName": format!("user{i}@example.org"),
                    "displayName": format!("User {i}"), "title": title,
                    "name": {"givenName": "U", "familyName": format!("N{i}")},
                    "emails": [{"value": format!("user{i}@example.org"), "type": "work"}]})
                .to_string()
            })
            .collect();
        let groups = [
            json!({"externalId": "g-all", "displayName": "Everyone",
                "members": (0..n).map(|i| json!({"value": format!("e{i}")})).collect::<Vec<_>>()}),
            json!({"externalId": "g-third", "displayName": "Thirds",
                "members": (0..n).step_by(3).map(|i| json!({"value": format!("e{i}")})).collect::<Vec<_>>()}),
        ];
        std::fs::write(src.join("users.jsonl"), users.join("\n") + "\n").expect("written");
        let groups: Vec<String> = groups.iter().map(Value::to_string).collect();
        std::fs::write(src.join("groups.jsonl"), groups.join("\n") + "\n").expect("written");
        src.display().to_string()
    }

    /// Runs `scimkit ARGS` with `SCIM_TOKEN` set to `token` (unset when `None`), off the
    /// runtime's threads so the server keeps serving.
    fn scimkit(&self, args: &[&str], token: Option<&str>) -> Run {
        let mut cmd = Command::new(binary());
        cmd.args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .env_remove("SCIM_TOKEN");
        if let Some(t) = token {
            cmd.env("SCIM_TOKEN", t);
        }
        let out = self.runtime.block_on(async move {
            tokio::task::spawn_blocking(move || cmd.output().expect("the command runs"))
                .await
                .expect("joined")
        });
        Run {
            code: out.status.code().expect("exited"),
            stdout: String::from_utf8(out.stdout).expect("UTF-8"),
            stderr: String::from_utf8(out.stderr).expect("UTF-8"),
        }
    }

    fn sync_json(&self, src: &str, extra: &[&str]) -> Value {
        let mut args = vec![
            "sync", "--source", src, "--url", &self.base, "--report", "json",
        ];
        args.extend_from_slice(extra);
        let run = self.scimkit(&args, Some(&self.token));
        run.code(0);
        run.json()
    }
}

impl Drop for Target {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[test]
fn sync_converges_then_writes_nothing() {
    let t = Target::start(Some("throttle=0.1,error=0.02,reset=0.02,seed=7"));
    let src = t.source(150, "Engineer");
    let state = t.dir.join("state.json").display().to_string();
    let first = t.sync_json(&src, &["--state", &state]);
    assert_eq!(first["users_created"], 150, "{first}");
    assert_eq!(first["groups_created"], 2, "{first}");
    assert_eq!(first["members_added"], 150 + 50, "{first}");
    assert!(first["requests"].as_u64() > Some(0) && first["writes"].as_u64() > Some(0));
    let again = t.sync_json(&src, &["--state", &state]);
    assert_eq!(
        again["writes"], 0,
        "a no-change resync writes nothing: {again}"
    );
    assert!(again["reads"].as_u64() > Some(0), "{again}");
    // A changed source converges in one run; the run after it writes nothing.
    let changed = t.source(150, "Manager");
    let third = t.sync_json(&changed, &["--state", &state]);
    assert_eq!(third["users_updated"], 150, "{third}");
    assert_eq!(t.sync_json(&changed, &["--state", &state])["writes"], 0);
}

#[test]
fn dry_run_prints_the_plan_and_writes_nothing() {
    let t = Target::start(None);
    let src = t.source(5, "Engineer");
    let run = t.scimkit(
        &["sync", "--source", &src, "--url", &t.base, "--dry-run"],
        Some(&t.token),
    );
    run.code(0);
    assert!(run.stdout.contains("dry run, nothing written"), "{run:?}");
    assert!(
        run.stdout.contains("user5@example.org") || run.stdout.contains("e4"),
        "{run:?}"
    );
    // Nothing was written: a real run still creates every user.
    assert_eq!(t.sync_json(&src, &[])["users_created"], 5);
}

#[test]
fn the_token_comes_from_the_environment_or_a_file_never_argv() {
    let t = Target::start(None);
    let src = t.source(2, "Engineer");
    let args = ["sync", "--source", src.as_str(), "--url", t.base.as_str()];
    t.scimkit(&args, None).code(2).error_line("SCIM_TOKEN");
    let file = t.dir.join("token");
    std::fs::write(&file, format!("{}\n", t.token)).expect("written");
    let file = file.display().to_string();
    let mut with_file = args.to_vec();
    with_file.extend(["--token-file", &file]);
    let run = t.scimkit(&with_file, None);
    run.code(0);
    assert!(run.stdout.contains("users: 2 created"), "{run:?}");
    assert!(!run.stdout.contains(&t.token) && !run.stderr.contains(&t.token));
    // A wrong token is the target refusing the reads: exit 3, and the token is not echoed.
    let run = t.scimkit(&args, Some("scimkit_0000000000000000_wrong"));
    run.code(3);
    assert!(!run.stderr.contains("wrong"), "{run:?}");
    t.scimkit(
        &["sync", "--source", &src, "--url", &t.base, "--token", "x"],
        Some(&t.token),
    )
    .code(2);
}

#[test]
fn deletions_stop_at_the_threshold_unless_forced() {
    let t = Target::start(None);
    t.sync_json(&t.source(20, "Engineer"), &[]);
    let fewer = t.source(10, "Engineer");
    let args = [
        "sync",
        "--source",
        fewer.as_str(),
        "--url",
        t.base.as_str(),
        "--delete",
    ];
    t.scimkit(&args, Some(&t.token))
        .code(4)
        .error_line("refusing to delete");
    let forced = t.sync_json(&fewer, &["--delete", "--force"]);
    assert_eq!(forced["users_deleted"], 10, "{forced}");
}

#[test]
fn a_bad_source_is_a_usage_error_with_its_line() {
    let t = Target::start(None);
    let src = t.dir.join("bad");
    std::fs::create_dir_all(&src).expect("a directory");
    std::fs::write(
        src.join("users.jsonl"),
        "{\"externalId\": \"e1\", \"userName\": \"a\"}\nnot json\n",
    )
    .expect("written");
    std::fs::write(src.join("groups.jsonl"), "").expect("written");
    let src = src.display().to_string();
    t.scimkit(
        &["sync", "--source", &src, "--url", &t.base],
        Some(&t.token),
    )
    .code(2)
    .error_line("users.jsonl:2");
}
