//! The figures of the README: request counts of an initial sync, a no-change resync under
//! each membership source, beside ssosync's design, and throughput under a rate limit, all
//! against the Identity Center emulator in this process.
//!
//! ```sh
//! cargo run --release -p scimkit-sync --example figures -- [USERS GROUPS PER_USER [RATE RATE_USERS]]
//! ```
//! (defaults: 10000 500 5, and a rate limit of 100 requests a second for 1500 users).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr,
    missing_docs
)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::Instant;

use common::{Emulator, directory, source};
use scimkit_sync::{Engine, Memberships, Report};

async fn run(engine: &Engine, src: &scimkit_sync::Source) -> Report {
    let plan = engine.plan(src).await.unwrap();
    engine.apply(&plan).await.unwrap()
}

#[tokio::main(flavor = "multi_thread", worker_threads = 4)]
async fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| a.parse().unwrap())
        .collect();
    let arg = |i: usize, d: usize| args.get(i).copied().unwrap_or(d);
    let (u, g, k) = (arg(0, 10_000), arg(1, 500), arg(2, 5));
    let (rate, rate_users) = (arg(3, 100), arg(4, 1500));

    let emu = Emulator::start(None).await;
    let (users, groups) = directory(u, g, k);
    let m: usize = groups
        .iter()
        .map(|x| x["members"].as_array().unwrap().len())
        .sum();
    let src = source(&users, &groups);
    let t = Instant::now();
    let first = run(&emu.engine(), &src).await;
    let secs = t.elapsed().as_secs_f64();
    assert!(first.failures.is_empty(), "{:?}", first.failures);
    let pages = 2; // one empty page of users, one of groups
    let bound = u + g + m.div_ceil(100) + pages;
    println!("| figure | value |\n|---|---|");
    println!(
        "| initial sync, U={u} G={g} M={m} | {} requests ({} reads, {} writes) in {secs:.1} s; bound U+G+⌈M/100⌉+pages = {bound}; ratio {:.3} |",
        first.requests,
        first.reads,
        first.writes,
        first.requests as f64 / bound as f64
    );
    let list_pages = u.div_ceil(100) + g.div_ceil(100);
    let mut resync = Vec::new();
    for mode in [
        Memberships::State,
        Memberships::ProbeGroups,
        Memberships::ProbeUsers,
    ] {
        let mut o = emu.options();
        o.memberships = mode;
        let engine = Engine::new(o).unwrap();
        let t = Instant::now();
        let r = run(&engine, &src).await;
        assert_eq!(r.writes, 0, "{mode:?}: {r:?}");
        println!(
            "| no-change resync, memberships from {mode:?} | {} reads, 0 writes, {:.1} s |",
            r.reads,
            t.elapsed().as_secs_f64()
        );
        resync.push(r.reads);
    }
    let ssosync = (u * g + list_pages) as u64;
    println!(
        "| ssosync's design (a probe per user × group, plus list pages) | {ssosync} reads per resync; ours {:.5} (state file), {:.4} (per-group probes), {:.3} (per-user probes) of it |",
        resync[0] as f64 / ssosync as f64,
        resync[1] as f64 / ssosync as f64,
        resync[2] as f64 / ssosync as f64
    );
    println!(
        "| initial sync beside ssosync's design | ssosync ≥ U+G+M+U×G = {}; ours {} ({:.4}) |",
        u + g + m + u * g,
        first.requests,
        first.requests as f64 / (u + g + m + u * g) as f64
    );
    emu.stop().await;

    // Faults: 10% throttled, 1% 5xx, 1% dropped connections.
    let emu = Emulator::start(Some("throttle=0.1,error=0.01,reset=0.01,seed=16")).await;
    let t = Instant::now();
    let r = run(&emu.engine(), &src).await;
    assert!(r.failures.is_empty(), "{:?}", r.failures);
    emu.assert_matches(&users, &groups).await;
    println!(
        "| initial sync through faults (10% 429, 1% 5xx, 1% reset) | {} requests ({} retries, {} 429s) in {:.1} s; ratio to the bound {:.3} |",
        r.requests,
        r.retries,
        r.throttled,
        t.elapsed().as_secs_f64(),
        r.requests as f64 / bound as f64
    );
    emu.stop().await;

    // A rate limit.
    let emu = Emulator::start(Some(&format!("rate={rate}"))).await;
    let (users, groups) = directory(rate_users, (rate_users / 20).max(1), 3);
    let src = source(&users, &groups);
    let t = Instant::now();
    let r = run(&emu.engine(), &src).await;
    let secs = t.elapsed().as_secs_f64();
    assert!(r.failures.is_empty(), "{:?}", r.failures);
    let answered = r.requests - r.throttled;
    // What the limit allowed: its rate for the run's time, plus the full bucket it starts with.
    let allowed = rate as f64 * (secs + 1.0);
    println!(
        "| throughput under rate={rate}/s, {rate_users} users | {answered} requests answered in {secs:.1} s ({:.1}/s), {:.0}% of the {allowed:.0} the limit allowed; {} 429s ({:.1}% of requests) |",
        answered as f64 / secs,
        100.0 * answered as f64 / allowed,
        r.throttled,
        100.0 * r.throttled as f64 / r.requests as f64
    );
    emu.stop().await;
}
