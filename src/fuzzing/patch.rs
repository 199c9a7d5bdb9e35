//! `patch_apply`: any request on the sample user and group is all or nothing.

use arbitrary::Unstructured;
use serde_json::Value;

use super::{Outcome, bounded_scim, fixtures, make};
use crate::model::{Group, Op, PatchOp, PatchOperation, User};
use crate::{Compat, Patcher};

const PRESETS: &[fn() -> Compat] = &[
    Compat::strict,
    Compat::lenient,
    Compat::entra,
    Compat::okta,
    Compat::jumpcloud,
];

/// The input as a JSON request body, and as bytes driving a generated operation list; each is
/// applied to the sample user and group under a compatibility preset the bytes choose.
pub fn patch_apply(data: &[u8]) -> Outcome {
    let mut u = Unstructured::new(data);
    let compat = u.choose(PRESETS).map_or_else(|_| Compat::strict(), |p| p());
    if let Ok(op) = serde_json::from_slice::<PatchOp>(data) {
        check(&op, &compat)?;
    }
    match request(&mut u) {
        Ok(op) => check(&op, &compat),
        Err(_) => Ok(()),
    }
}

fn check(op: &PatchOp, compat: &Compat) -> Outcome {
    let fx = fixtures();
    let patcher = Patcher::new(&fx.registry).compat(*compat);
    for (resource, is_user) in [(&fx.user, true), (&fx.group, false)] {
        let before = bytes(resource);
        let mut r = resource.clone();
        match patcher.apply(op, &mut r) {
            Err(e) => {
                bounded_scim("PATCH error", &e)?;
                if bytes(&r) != before {
                    return Err(format!("failed with {e} but changed the resource to {r}"));
                }
            }
            Ok(outcome) => {
                if !outcome.changed && bytes(&r) != before {
                    return Err(format!("reported no change but gave {r}"));
                }
                typed(r, is_user)?;
            }
        }
    }
    Ok(())
}

/// The resource as written, to compare byte for byte (a `Value` comparison would let `-0.0`
/// equal `0`).
fn bytes(v: &Value) -> String {
    v.to_string()
}

/// A patched resource still reads as its model type.
fn typed(r: Value, is_user: bool) -> Outcome {
    let read = match is_user {
        true => User::from_value(r.clone()).map(drop),
        false => Group::from_value(r.clone()).map(drop),
    };
    read.map_err(|e| format!("the patched resource {r} no longer reads as its type: {e}"))
}

/// One to eight operations: paths from the samples' attributes (valuePaths included), values
/// shaped like SCIM attributes.
pub(super) fn request(u: &mut Unstructured<'_>) -> arbitrary::Result<PatchOp> {
    let n = u.int_in_range(1..=8)?;
    let mut ops = Vec::with_capacity(n);
    for _ in 0..n {
        let op = *u.choose(&[Op::Add, Op::Remove, Op::Replace])?;
        let path = match u.int_in_range(0..=5)? {
            0 => None,
            1 => Some(u.arbitrary::<String>()?),
            2 | 3 => {
                let attr = make::multi_path(u)?;
                let filter = make::filter(u, true)?;
                let sub = match u.ratio(1, 2)? {
                    true => format!(".{}", make::attr_path(u, true)?),
                    false => String::new(),
                };
                Some(format!("{attr}[{filter}]{sub}"))
            }
            _ => Some(make::attr_path(u, false)?.to_string()),
        };
        let value = match u.ratio(1, 6)? {
            true => None,
            false => Some(make::json(u, 0)?),
        };
        ops.push(PatchOperation::new(op, path, value));
    }
    Ok(PatchOp::new(ops))
}
