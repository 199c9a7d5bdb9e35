//! The full size: 10,000 users, 500 groups and 50,000 memberships synced into the
//! emulator while 10% of requests are answered 429 and 2% 5xx or a dropped connection; then a
//! no-change resync. `#[ignore]`d: `.ci/run` runs it in release (`cargo test --release -p
//! scimkit-sync --test full_size -- --ignored`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stderr
)]

mod common;

use std::time::Instant;

use common::{Emulator, directory, source};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "full size: run in release by .ci/run"]
async fn ten_thousand_users_through_faults() {
    // 10% throttled; 2% answered 5xx or dropped (half of the drops after the write committed).
    let emu = Emulator::start(Some("throttle=0.1,error=0.01,reset=0.01,seed=16")).await;
    let (users, groups) = directory(10_000, 500, 5);
    let m: usize = groups
        .iter()
        .map(|g| g["members"].as_array().unwrap().len())
        .sum();
    assert_eq!(m, 50_000);
    let src = source(&users, &groups);
    let t = Instant::now();
    let engine = emu.engine();
    let plan = engine.plan(&src).await.unwrap();
    let report = engine.apply(&plan).await.unwrap();
    eprintln!(
        "initial: {} in {:?}; injected {:?}",
        serde_json::to_string(&report).unwrap(),
        t.elapsed(),
        emu.injected()
    );
    assert!(report.failures.is_empty(), "{:?}", report.failures);
    emu.assert_matches(&users, &groups).await;

    let t = Instant::now();
    let engine = emu.engine();
    let plan = engine.plan(&src).await.unwrap();
    let again = engine.apply(&plan).await.unwrap();
    eprintln!(
        "resync: {} in {:?}",
        serde_json::to_string(&again).unwrap(),
        t.elapsed()
    );
    assert_eq!(again.writes, 0);
    emu.stop().await;
}
