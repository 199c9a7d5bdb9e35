//! Durability of the real binary, on a SQLite file and on a fresh PostgreSQL database: a write
//! load from a few clients, the server killed with SIGKILL in the middle of it, restarted on
//! the same database; every create that was answered `201` is there, and nothing is half
//! written (every listed user is whole and readable, `totalResults` counts them, and no index,
//! uniqueness or member row outlives its resource).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use common::{Database, Kind};
use serde_json::{Value, json};

/// Starts the binary on `db`; returns the child, the base URL and (first start) the token.
fn start(db: &str, first: bool) -> (Child, String, Option<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_scimkit-server"))
        .args(["--port", "0", "--database", db])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let base = lines.next().unwrap().unwrap();
    let base = base.strip_prefix("base URL: ").unwrap().to_owned();
    // Only a first start, on an empty database, prints a token; a restart prints none, and
    // reading on would wait for a line that never comes.
    let token = first.then(|| {
        let line = lines.next().unwrap().unwrap();
        line.strip_prefix("token: ").unwrap().to_owned()
    });
    (child, base, token)
}

async fn durability(kind: Kind) {
    let Some(db) = Database::new(kind).await else {
        return;
    };
    let (mut child, base, token) = start(&db.url, true);
    let token = token.expect("a first start prints the token");
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let mut clients = Vec::new();
    for c in 0..4 {
        let (http, base, token, stop) = (http.clone(), base.clone(), token.clone(), stop.clone());
        clients.push(tokio::spawn(async move {
            let mut acknowledged = Vec::new();
            for n in 0.. {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let body = json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                    "userName": format!("c{c}n{n}@example.com"), "displayName": format!("C{c} N{n}"),
                    "emails": [{"value": format!("c{c}n{n}@example.com"), "type": "work"}]});
                let r = http
                    .post(format!("{base}/Users"))
                    .bearer_auth(&token)
                    .header("content-type", "application/scim+json")
                    .body(body.to_string())
                    .send()
                    .await;
                let Ok(r) = r else { break };
                if r.status() != 201 {
                    break;
                }
                let Ok(v) = r.json::<Value>().await else { break };
                acknowledged.push(v["id"].as_str().unwrap().to_owned());
            }
            acknowledged
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    child.kill().unwrap(); // SIGKILL on unix
    child.wait().unwrap();
    stop.store(true, Ordering::Relaxed);
    let mut acknowledged = Vec::new();
    for c in clients {
        acknowledged.extend(c.await.unwrap());
    }
    assert!(
        acknowledged.len() >= 8,
        "the load ran: {} creates",
        acknowledged.len()
    );

    let (mut child, base, _) = start(&db.url, false);
    let get = |path: String| {
        let (http, token) = (http.clone(), token.clone());
        async move {
            let r = http.get(path).bearer_auth(&token).send().await.unwrap();
            let status = r.status();
            (status, r.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    for id in &acknowledged {
        let (status, user) = get(format!("{base}/Users/{id}")).await;
        assert_eq!(status, 200, "an acknowledged create survived: {id}");
        assert!(user["userName"].is_string() && user["emails"][0]["value"].is_string());
    }
    let (status, list) = get(format!("{base}/Users?count=100000")).await;
    assert_eq!(status, 200);
    let listed = list["Resources"].as_array().cloned().unwrap_or_default();
    assert_eq!(list["totalResults"], listed.len());
    assert!(listed.len() >= acknowledged.len());
    for u in &listed {
        let id = u["id"].as_str().unwrap();
        let (status, whole) = get(format!("{base}/Users/{id}")).await;
        assert_eq!(status, 200);
        assert_eq!(&whole, u, "listed and read alike");
        let name = whole["userName"].as_str().unwrap();
        let f = common::filter(&format!("userName eq \"{name}\""));
        let (_, found) = get(format!("{base}/Users{f}")).await;
        assert_eq!(found["totalResults"], 1, "indexed: {name}");
    }
    for table in ["scim_index", "scim_unique"] {
        let orphans = db
            .count(
                &format!(
                    "SELECT count(*) FROM {table} i WHERE NOT EXISTS (SELECT 1 FROM \
                     scim_resources r WHERE r.tenant = i.tenant AND r.rtype = i.rtype \
                     AND r.id = i.id)"
                ),
                &[],
            )
            .await;
        assert_eq!(orphans, 0, "{table} rows without a resource");
    }
    let unindexed = db
        .count(
            "SELECT count(*) FROM scim_resources r WHERE NOT EXISTS (SELECT 1 FROM \
             scim_unique u WHERE u.tenant = r.tenant AND u.rtype = r.rtype AND u.id = r.id)",
            &[],
        )
        .await;
    assert_eq!(unindexed, 0, "every user holds its userName claim");
    child.kill().unwrap();
    child.wait().unwrap();
    db.drop_db().await;
}

both!(killed_mid_load, durability);
