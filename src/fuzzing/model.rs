//! `model_deser`: reading any JSON as a model type never panics, and what it writes reads back
//! to the same JSON.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{Outcome, bounded_scim};
use crate::model::{
    BulkRequest, BulkResponse, ErrorResponse, Group, ListResponse, PatchOp, ResourceType,
    SearchRequest, ServiceProviderConfig, User,
};

/// The input as each model type; for each that reads, write → read → write is stable.
pub fn model_deser(data: &[u8]) -> Outcome {
    stable::<User>(data)?;
    stable::<Group>(data)?;
    stable::<ListResponse<Value>>(data)?;
    stable::<ListResponse<User>>(data)?;
    stable::<PatchOp>(data)?;
    stable::<ServiceProviderConfig>(data)?;
    stable::<ResourceType>(data)?;
    stable::<SearchRequest>(data)?;
    stable::<BulkRequest>(data)?;
    stable::<BulkResponse>(data)?;
    stable::<ErrorResponse>(data)?;
    // The other way in: a `Value` the caller already holds.
    if let Ok(v) = serde_json::from_slice::<Value>(data) {
        let _ = User::from_value(v.clone());
        let _ = Group::from_value(v);
    }
    Ok(())
}

fn stable<T: Serialize + DeserializeOwned>(data: &[u8]) -> Outcome {
    let what = std::any::type_name::<T>();
    let first = match serde_json::from_slice::<T>(data) {
        Ok(first) => first,
        Err(e) => return bounded_scim(what, &e.into()),
    };
    let written = serde_json::to_vec(&first).map_err(|e| format!("{what}: write: {e}"))?;
    let again: T = serde_json::from_slice(&written).map_err(|e| {
        let text = String::from_utf8_lossy(&written);
        format!("{what}: its own output {text} does not read back: {e}")
    })?;
    let rewritten = serde_json::to_vec(&again).map_err(|e| format!("{what}: write: {e}"))?;
    if rewritten != written {
        let (a, b) = (
            String::from_utf8_lossy(&written),
            String::from_utf8_lossy(&rewritten),
        );
        return Err(format!("{what}: {a} reads back and writes as {b}"));
    }
    Ok(())
}
