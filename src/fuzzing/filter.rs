//! `filter_parse` and `path_parse`: parse → print → parse gives the same tree, and evaluation
//! never panics.

use arbitrary::Unstructured;

use super::{Outcome, bounded, bounded_scim, fixtures, make};
use crate::filter::Filter;
use crate::path::{AttrPath, PatchPath};

/// The input as UTF-8 text through the parser, and as bytes driving a generated tree through
/// the printer; either way the canonical form must parse back to the same tree, which must
/// evaluate on the sample user and group without panicking.
pub fn filter_parse(data: &[u8]) -> Outcome {
    if let Ok(text) = std::str::from_utf8(data) {
        match text.parse::<Filter>() {
            Ok(f) => round_trip(&f)?,
            Err(e) => bounded("filter error", &e.to_string())?,
        }
    }
    match make::filter(&mut Unstructured::new(data), false) {
        Ok(f) => round_trip(&f),
        Err(_) => Ok(()),
    }
}

fn round_trip(f: &Filter) -> Outcome {
    let printed = f.to_string();
    let back = printed
        .parse::<Filter>()
        .map_err(|e| format!("canonical form {printed:?} does not parse: {e}"))?;
    if &back != f {
        return Err(format!("{printed:?} parses to {back:?}, not {f:?}"));
    }
    if back.to_string() != printed {
        return Err(format!("printing {printed:?} again gives {back}"));
    }
    let fx = fixtures();
    for resource in [&fx.user, &fx.group] {
        if let Err(e) = f.matches(resource, &fx.registry) {
            bounded_scim("evaluation error", &e)?;
        }
    }
    Ok(())
}

/// Attribute paths and PATCH paths: printing a parsed path gives text that parses back to the
/// same path.
pub fn path_parse(data: &[u8]) -> Outcome {
    let Ok(text) = std::str::from_utf8(data) else {
        return Ok(());
    };
    match text.parse::<AttrPath>() {
        Ok(p) => {
            let back: AttrPath = p.to_string().parse().map_err(|e| format!("{p}: {e}"))?;
            if back != p || back.to_string() != text {
                return Err(format!("{text:?} prints as {p}, which parses to {back:?}"));
            }
            let parts = AttrPath::from_parts(p.urn(), p.name(), p.sub_attribute());
            if parts.as_ref() != Ok(&p) {
                return Err(format!("{text:?} rebuilt from its parts gives {parts:?}"));
            }
        }
        Err(e) => bounded("path error", &e.to_string())?,
    }
    match text.parse::<PatchPath>() {
        Ok(p) => {
            let printed = p.to_string();
            let back: PatchPath = printed.parse().map_err(|e| format!("{printed:?}: {e}"))?;
            if back != p || back.to_string() != printed {
                return Err(format!("{printed:?} parses to {back:?}, not {p:?}"));
            }
            if p.value_filter().is_none() && printed != text {
                return Err(format!("{text:?} prints as {printed:?}"));
            }
        }
        Err(e) => bounded("path error", &e.to_string())?,
    }
    Ok(())
}
