//! Reading JSON documents from files or stdin.

use std::io::Read;

use scimkit::model::ResourceKind;
use scimkit::{ListResponse, ScimError};
use serde_json::Value;

use crate::Failure;

/// The most bytes read from one file or stdin: a guard, not a SCIM limit.
const MAX_INPUT: u64 = 64 << 20;

/// The text of `path`, or of stdin when `path` is `None` or `-`.
pub(crate) fn read_text(path: Option<&str>) -> Result<String, Failure> {
    let mut text = String::new();
    let (name, read) = match path {
        None | Some("-") => (
            "stdin",
            std::io::stdin()
                .lock()
                .take(MAX_INPUT + 1)
                .read_to_string(&mut text),
        ),
        Some(p) => (
            p,
            std::fs::File::open(p).and_then(|f| f.take(MAX_INPUT + 1).read_to_string(&mut text)),
        ),
    };
    read.map_err(|e| Failure::Io(format!("cannot read {name}: {e}")))?;
    if text.len() as u64 > MAX_INPUT {
        return Err(Failure::Io(format!(
            "{name} is larger than {} MiB",
            MAX_INPUT >> 20
        )));
    }
    Ok(text)
}

/// One JSON document from `path` (or stdin).
pub(crate) fn read_json(path: Option<&str>) -> Result<Value, Failure> {
    let text = read_text(path)?;
    serde_json::from_str(&text).map_err(|e| Failure::Scim(ScimError::from(e)))
}

/// The resources in `text`: a single resource, a JSON array of them, a ListResponse, or
/// several of these one after the other (JSON lines).
pub(crate) fn resources(text: &str) -> Result<Vec<Value>, Failure> {
    let mut out = Vec::new();
    for doc in serde_json::Deserializer::from_str(text).into_iter::<Value>() {
        match doc.map_err(ScimError::from)? {
            Value::Array(items) => out.extend(items),
            v if ResourceKind::of(&v) == ResourceKind::ListResponse => {
                let list: ListResponse = serde_json::from_value(v).map_err(ScimError::from)?;
                out.extend(list);
            }
            v => out.push(v),
        }
    }
    Ok(out)
}
