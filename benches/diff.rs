//! Benchmarks of diff and plan (filled in with the PATCH rendering).

fn main() {}
