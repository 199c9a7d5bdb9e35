//! Fault injection (`Service::with_faults`) over loopback: throttling with `Retry-After` (in
//! Identity Center's shape for its tenants) and `/health` untouched, the per-tenant rate
//! limit, connections dropped before and after a write ran, and the shares over many
//! requests with a fixed seed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stderr
)]

#[macro_use]
mod common;

use std::time::Duration;

use common::{Kind, Server, Tenant};
use scimkit_server::Faults;
use serde_json::{Value, json};

fn faults(text: &str) -> Faults {
    text.parse().unwrap()
}

fn user(name: &str) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": name,
        "displayName": name,
        "name": {"givenName": "G", "familyName": "F"},
    })
}

/// `POST /Users` as sent, the connection error included.
async fn post_user(t: &Tenant, name: &str) -> reqwest::Result<reqwest::Response> {
    t.request(reqwest::Method::POST, "/Users")
        .header("content-type", "application/scim+json")
        .body(user(name).to_string())
        .send()
        .await
}

/// The users of a tenant whose `userName` is `name`, counted through the server's own filter
/// (with the faults off: a second server on the same database).
async fn count_users(s: &Server, t: &Tenant, name: &str) -> usize {
    let clean = scimkit_server::SqlStore::open(&s.db.url).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let root = format!("http://{}", listener.local_addr().unwrap());
    let service = std::sync::Arc::new(scimkit_server::Service::new(clean.clone(), root.clone()));
    let task = tokio::spawn(async move {
        axum::serve(listener, scimkit_server::router(service))
            .await
            .unwrap();
    });
    let f = format!(r#"userName eq "{name}""#);
    let r = reqwest::Client::new()
        .get(format!("{root}/{}/scim/v2/Users", t.id))
        .query(&[("filter", f.as_str())])
        .bearer_auth(&t.token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    task.abort();
    clean.close().await;
    body["Resources"].as_array().map_or(0, Vec::len)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn throttle_everything_but_health() {
    let s = Server::start_service(Kind::Sqlite, |svc| {
        svc.with_faults(faults("throttle=1,retry-after=7"))
    })
    .await
    .unwrap();
    let ic = s.tenant_of("identity-center", "strict", false).await;
    let rfc = s.tenant("strict", false).await;
    for path in ["/Users", "/Groups", "/ServiceProviderConfig", "/Users/x"] {
        let a = ic.get(path).await;
        assert_eq!(a.status, 429, "{path}: {}", a.text);
        assert_eq!(a.headers["retry-after"], "7");
        assert_eq!(a.headers["x-amzn-errortype"], "ThrottlingException");
        assert_eq!(a.headers["content-type"], "application/json");
        assert_eq!(a.body["status"], "429");
        assert!(a.body.get("schema").is_some() && a.body.get("scimType").is_none());
        let a = rfc.get(path).await;
        assert_eq!(a.status, 429, "{path}: {}", a.text);
        assert_eq!(a.headers["retry-after"], "7");
        assert_eq!(a.headers["content-type"], "application/scim+json");
        assert_eq!(
            a.body["schemas"],
            json!(["urn:ietf:params:scim:api:messages:2.0:Error"])
        );
    }
    // The request was not run.
    let a = rfc.post("/Users", &user("never")).await;
    assert_eq!(a.status, 429);
    assert_eq!(count_users(&s, &rfc, "never").await, 0);
    // /health has no faults; a wrong token is still 401.
    let h = reqwest::get(format!("{}/health", s.root)).await.unwrap();
    assert_eq!(h.status(), 200);
    let mut stranger = rfc.clone();
    stranger.token = "scimkit_0000000000000000_x".into();
    assert_eq!(stranger.get("/Users").await.status, 401);
    s.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn rate_limit_per_tenant() {
    let s = Server::start_service(Kind::Sqlite, |svc| svc.with_faults(faults("rate=5")))
        .await
        .unwrap();
    let t = s.tenant("strict", false).await;
    let other = s.tenant("strict", false).await;
    // A burst of 20 at once.
    let started = std::time::Instant::now();
    let mut burst = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let t = t.clone();
        burst.spawn(async move { t.get("/Users").await });
    }
    let (mut ok, mut limited) = (0, None);
    while let Some(a) = burst.join_next().await {
        let a = a.unwrap();
        match a.status.as_u16() {
            200 => ok += 1,
            429 => limited = Some(a),
            s => panic!("status {s}"),
        }
    }
    // The bucket holds one second (5), refilled at 5/s while the burst runs.
    let refilled = (started.elapsed().as_secs_f64() * 5.0).ceil();
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let most = 5 + refilled as usize;
    assert!(
        (5..=most).contains(&ok),
        "{ok} of 20 passed, at most {most}"
    );
    let limited = limited.expect("a burst past the bucket gets 429s");
    let wait: u64 = limited.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=2).contains(&wait), "Retry-After {wait}");
    // Another tenant has its own bucket.
    assert_eq!(other.get("/Users").await.status, 200);
    tokio::time::sleep(Duration::from_secs(wait)).await;
    assert_eq!(t.get("/Users").await.status, 200);
    s.finish().await;
}

async fn resets(kind: Kind) {
    let Some(s) = Server::start_service(kind, |svc| svc.with_faults(faults("reset-after=1"))).await
    else {
        return;
    };
    let t = s.tenant_of("identity-center", "strict", false).await;
    // The write ran and committed; the client sees a connection error, not an answer.
    let r = post_user(&t, "after").await;
    let e = r.expect_err("a dropped connection, not a response");
    assert!(!e.is_status() && !e.is_timeout(), "{e:?}");
    assert_eq!(count_users(&s, &t, "after").await, 1);
    s.finish().await;

    let Some(s) =
        Server::start_service(kind, |svc| svc.with_faults(faults("reset-before=1"))).await
    else {
        return;
    };
    let t = s.tenant("strict", false).await;
    let r = post_user(&t, "before").await;
    assert!(r.is_err(), "{r:?}");
    assert_eq!(count_users(&s, &t, "before").await, 0);
    // /health is never reset.
    let h = reqwest::get(format!("{}/health", s.root)).await.unwrap();
    assert_eq!(h.status(), 200);
    s.finish().await;
}
both!(resets, resets);

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn shares_over_a_thousand_requests() {
    let spec = "throttle=0.1,error=0.1,reset=0.1,seed=42";
    let s = Server::start_service(Kind::Sqlite, |svc| svc.with_faults(faults(spec)))
        .await
        .unwrap();
    let t = s.tenant("strict", false).await;
    let (mut ok, mut throttled, mut errors, mut resets) = (0_u32, 0_u64, 0_u64, 0_u64);
    for _ in 0..1000 {
        match t
            .request(reqwest::Method::GET, "/Users?count=1")
            .send()
            .await
        {
            Ok(r) => match r.status().as_u16() {
                200 => ok += 1,
                429 => {
                    assert!(r.headers().contains_key("retry-after"));
                    throttled += 1;
                }
                500 | 503 => errors += 1,
                other => panic!("status {other}"),
            },
            Err(_) => resets += 1,
        }
    }
    eprintln!("ok {ok}, 429 {throttled}, 5xx {errors}, reset {resets}");
    for (what, n, share) in [
        ("429", throttled, 0.1),
        ("5xx", errors, 0.1),
        ("resets", resets, 0.1),
        ("ok", u64::from(ok), 0.7),
    ] {
        let want = share * 1000.0;
        #[allow(clippy::cast_precision_loss)]
        let n = n as f64;
        assert!(
            (n - want).abs() < want * 0.3,
            "{what}: {n} of 1000, want about {want}"
        );
    }
    // Requests are drawn in order: the server's counts are the client's.
    let c = s.service.faults_injected().unwrap();
    assert_eq!(c.requests, 1000);
    assert_eq!(c.throttled, throttled);
    assert_eq!(c.errors, errors);
    assert_eq!(c.resets_before + c.resets_after, resets);
    assert!(c.resets_before > 0 && c.resets_after > 0, "{c:?}");
    s.finish().await;
}
