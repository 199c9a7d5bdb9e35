//! `--load-check`: concurrent clients on loopback doing mixed reads and PATCHes against one
//! large group for a bounded time; reports requests per second and checks that no update was
//! lost (the final membership equals the expected set).

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use scimkit::Compat;
use scimkit::provider::Profile;
use serde_json::{Value, json};

use super::{app, provider};

/// The load's shape.
pub(crate) struct Options {
    /// Concurrent clients.
    pub(crate) clients: usize,
    /// How long the clients run.
    pub(crate) seconds: u64,
    /// Members of the group at the start.
    pub(crate) members: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            clients: 8,
            seconds: 10,
            members: 10_000,
        }
    }
}

const TOKEN: &str = "load-check";

/// What one client did.
#[derive(Default)]
struct Tally {
    requests: u64,
    patches: u64,
    failures: u64,
    latencies: Vec<Duration>,
    /// Members this client added and did not remove.
    kept: BTreeSet<String>,
}

pub(crate) async fn run(o: Options, profile: Profile, compat: Compat) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let base = format!("http://{addr}/scim/v2");
    let state = app::App::new(provider(&base, profile, compat), TOKEN);
    tokio::spawn(async move { axum::serve(listener, app::router(state)).await });

    let http = reqwest::Client::new();
    let initial: Vec<String> = (0..o.members).map(|i| format!("seed-{i:05}")).collect();
    let members: Vec<Value> = initial.iter().map(|m| json!({"value": m})).collect();
    let created = http
        .post(format!("{base}/Groups?excludedAttributes=members"))
        .bearer_auth(TOKEN)
        .json(&json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
            "displayName": "Load", "members": members
        }))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if created.status() != 201 {
        return Err(format!("creating the group: {}", created.status()));
    }
    let group: Value = created.json().await.map_err(|e| e.to_string())?;
    let id = group["id"].as_str().unwrap_or_default().to_owned();
    let url = format!("{base}/Groups/{id}");

    println!(
        "load check: {} clients, {} s, one group of {} members at {url}",
        o.clients, o.seconds, o.members
    );
    let deadline = Instant::now() + Duration::from_secs(o.seconds);
    let started = Instant::now();
    let tasks: Vec<_> = (0..o.clients)
        .map(|c| tokio::spawn(client(c, http.clone(), base.clone(), url.clone(), deadline)))
        .collect();
    let mut total = Tally::default();
    for t in tasks {
        let t = t.await.map_err(|e| e.to_string())?;
        total.requests += t.requests;
        total.patches += t.patches;
        total.failures += t.failures;
        total.latencies.extend(t.latencies);
        total.kept.extend(t.kept);
    }
    let elapsed = started.elapsed().as_secs_f64();

    let last: Value = http
        .get(&url)
        .bearer_auth(TOKEN)
        .send()
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    let actual: BTreeSet<String> = last["members"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| m["value"].as_str().map(str::to_owned))
        .collect();
    let expected: BTreeSet<String> = initial.into_iter().chain(total.kept).collect();

    total.latencies.sort_unstable();
    let pct = |p: f64| {
        let n = total.latencies.len();
        let i = ((n as f64 * p) as usize).min(n.saturating_sub(1));
        total
            .latencies
            .get(i)
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    println!(
        "requests: {} ({} PATCH) in {elapsed:.1} s = {:.0} requests/s; latency p50 {:.2} ms, p99 {:.2} ms; failures: {}",
        total.requests,
        total.patches,
        total.requests as f64 / elapsed,
        pct(0.5),
        pct(0.99),
        total.failures
    );
    println!(
        "final membership: {} members, expected {}: {}",
        actual.len(),
        expected.len(),
        if actual == expected {
            "no update lost"
        } else {
            "MISMATCH"
        }
    );
    if actual != expected || total.failures > 0 {
        return Err("load check failed".to_owned());
    }
    Ok(())
}

/// One client: a fixed cycle of reads and PATCHes, each PATCH adding a member of its own and
/// every other one removing the previous (RFC style, then Entra style), until the deadline.
async fn client(
    c: usize,
    http: reqwest::Client,
    base: String,
    url: String,
    deadline: Instant,
) -> Tally {
    let mut t = Tally::default();
    let mut step = 0u64;
    while Instant::now() < deadline {
        step += 1;
        let member = format!("client-{c}-{step}");
        let request = match step % 5 {
            0 => http.get(format!("{url}?excludedAttributes=members")),
            1 => http.get(format!(
                "{base}/Groups?filter=displayName+eq+%22Load%22&excludedAttributes=members"
            )),
            2 => http.get(format!("{base}/ServiceProviderConfig")),
            3 => {
                t.kept.insert(member.clone());
                http.patch(format!("{url}?excludedAttributes=members")).json(&json!({
                    "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                    "Operations": [{"op": "add", "path": "members", "value": [{"value": member}]}]
                }))
            }
            _ => {
                // Remove the member added two steps ago on odd rounds.
                let previous = format!("client-{c}-{}", step - 1);
                if (step / 5) % 2 == 1 {
                    t.kept.remove(&previous);
                    http.patch(format!("{url}?excludedAttributes=members")).json(&json!({
                        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                        "Operations": [{"op": "remove", "path": format!("members[value eq \"{previous}\"]")}]
                    }))
                } else {
                    http.get(format!("{url}?attributes=displayName"))
                }
            }
        };
        let is_patch = matches!(step % 5, 3) || (step % 5 == 4 && (step / 5) % 2 == 1);
        let sent = Instant::now();
        let ok = match request.bearer_auth(TOKEN).send().await {
            Ok(r) => r.status().is_success() && r.bytes().await.is_ok(),
            Err(_) => false,
        };
        t.latencies.push(sent.elapsed());
        t.requests += 1;
        t.patches += u64::from(is_patch);
        t.failures += u64::from(!ok);
    }
    t
}
