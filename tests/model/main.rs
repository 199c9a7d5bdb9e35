//! Typed models: RFC 7643/7644 example round trips, case-insensitive input, data preservation,
//! `schemas` consistency, IdP captures and generated round trips.

// Helpers and proptest strategies sit outside `#[test]` functions, where clippy's test
// allowances do not reach; failing loudly is what a test helper is for.
#![allow(clippy::unwrap_used, clippy::panic)]

mod case;
mod messages;
mod preserve;
mod props;
mod rfc;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The fixture `tests/data/resources/<name>.json`.
#[track_caller]
pub fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/tests/data/resources/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Reads `json` as `T` and writes it back.
#[track_caller]
pub fn through<T: DeserializeOwned + Serialize>(json: &Value) -> (T, Value) {
    let typed: T = serde_json::from_value(json.clone()).unwrap_or_else(|e| {
        panic!(
            "does not parse as {}: {e}\n{json:#}",
            std::any::type_name::<T>()
        )
    });
    let back = serde_json::to_value(&typed).unwrap();
    (typed, back)
}

/// Asserts that `json` reads as `T` and writes back as an equal JSON value.
#[track_caller]
pub fn round_trips<T: DeserializeOwned + Serialize>(json: &Value) -> T {
    let (typed, back) = through::<T>(json);
    assert_eq!(
        back,
        *json,
        "round trip through {}",
        std::any::type_name::<T>()
    );
    typed
}
