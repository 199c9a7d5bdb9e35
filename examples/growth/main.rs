//! Growth checks: runs one workload at one input size, so that `.ci/growth.sh` can count the
//! instructions it takes under callgrind at n, 2n, 4n and 8n and check that each doubling of the
//! input about doubles the cost (a cost that grows as a product of sizes shows as 4×).
//!
//! ```text
//! cargo build --release --all-features --example growth
//! target/release/examples/growth --list            # case names and their base sizes
//! valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*growth::measured*' \
//!     --callgrind-out-file=/dev/null target/release/examples/growth CASE N
//! ```
//!
//! Each case builds its input outside [`measured`] and runs the operation under test inside
//! it, so only the operation is counted. Cases live in one module per area.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr
)]

mod filter;
mod patch;
mod projection;
mod provider;
mod saml;
mod sort;

/// A growth case: its name, the base size `n` the check starts from, and the function that
/// builds an input of size `n` and runs the operation under [`measured`].
pub(crate) type Case = (&'static str, usize, fn(usize));

/// Runs `f` and returns its result. The only function callgrind counts: keep it out of line.
#[inline(never)]
pub(crate) fn measured<R>(f: impl FnOnce() -> R) -> R {
    std::hint::black_box(f())
}

/// The harness's own check: summing `n` numbers is linear, so its ratios read 2.00.
fn linear(n: usize) {
    let v: Vec<u64> = (0..n as u64).collect();
    measured(|| v.iter().sum::<u64>());
}

fn cases() -> Vec<Case> {
    [
        &[("harness-linear", 10_000, linear as fn(usize))][..],
        filter::CASES,
        sort::CASES,
        projection::CASES,
        saml::CASES,
        patch::CASES,
        provider::CASES,
    ]
    .concat()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let first = args.next().unwrap_or_else(|| "--list".to_owned());
    let cases = cases();
    if first == "--list" {
        for (name, base, _) in &cases {
            println!("{name} {base}");
        }
        return;
    }
    let Some((_, base, run)) = cases.iter().find(|c| c.0 == first) else {
        eprintln!("unknown case {first}; --list names them");
        std::process::exit(2);
    };
    let n = args
        .next()
        .map_or(*base, |s| s.parse().expect("N is a number"));
    run(n);
}
