//! The undo log that makes a PATCH request atomic without copying the resource.
//!
//! Every mutation the applier makes is one of three primitive edits, and each records just
//! enough to invert itself: the previous value of one key, the length of an array before an
//! append, or the elements taken out of an array. On failure the log is replayed backwards, so
//! a request that fails costs what it touched, not the size of the resource.

use serde_json::{Map, Value};

/// Where an edited object or array sits: the resource root, an attribute (possibly inside an
/// extension object), or one element of a multi-valued attribute. Keys are the exact keys
/// present in the resource, so replay never needs case-insensitive lookups.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Place {
    pub(crate) ext: Option<String>,
    pub(crate) attr: Option<String>,
    pub(crate) index: Option<usize>,
}

impl Place {
    pub(crate) fn root() -> Self {
        Self::default()
    }

    /// The object holding top-level attributes: the root, or an extension object.
    pub(crate) fn holder(ext: Option<&str>) -> Self {
        Self {
            ext: ext.map(str::to_owned),
            ..Self::default()
        }
    }

    pub(crate) fn attr(ext: Option<&str>, attr: &str) -> Self {
        Self {
            ext: ext.map(str::to_owned),
            attr: Some(attr.to_owned()),
            index: None,
        }
    }

    #[must_use]
    pub(crate) fn element(&self, index: usize) -> Self {
        Self {
            index: Some(index),
            ..self.clone()
        }
    }

    /// The value at this place, if the resource still has that shape.
    pub(crate) fn locate<'v>(&self, root: &'v mut Value) -> Option<&'v mut Value> {
        let mut v = root;
        if let Some(ext) = &self.ext {
            v = v.as_object_mut()?.get_mut(ext)?;
        }
        if let Some(attr) = &self.attr {
            v = v.as_object_mut()?.get_mut(attr)?;
        }
        if let Some(i) = self.index {
            v = v.as_array_mut()?.get_mut(i)?;
        }
        Some(v)
    }

    /// [`locate`](Self::locate), read-only.
    pub(crate) fn peek<'v>(&self, root: &'v Value) -> Option<&'v Value> {
        let mut v = root;
        if let Some(ext) = &self.ext {
            v = v.get(ext)?;
        }
        if let Some(attr) = &self.attr {
            v = v.get(attr)?;
        }
        if let Some(i) = self.index {
            v = v.get(i)?;
        }
        Some(v)
    }

    pub(crate) fn object<'v>(&self, root: &'v mut Value) -> Option<&'v mut Map<String, Value>> {
        self.locate(root)?.as_object_mut()
    }

    pub(crate) fn array<'v>(&self, root: &'v mut Value) -> Option<&'v mut Vec<Value>> {
        self.locate(root)?.as_array_mut()
    }
}

/// One inverse edit.
#[derive(Debug)]
pub(crate) enum Undo {
    /// Restore `key` of the object at `place` to `old` (`None`: the key was absent).
    Key {
        place: Place,
        key: String,
        old: Option<Value>,
    },
    /// Put `key` back into the object at `place`, at position `index` among its keys (the
    /// key was removed).
    Restore {
        place: Place,
        key: String,
        index: usize,
        old: Value,
    },
    /// Restore the whole value at `place` (an element replaced in place).
    Value { place: Place, old: Value },
    /// The array at `place` had `len` elements before values were appended.
    Truncate { place: Place, len: usize },
    /// Elements taken out of the array at `place`, with their original indices, ascending.
    Reinsert {
        place: Place,
        removed: Vec<(usize, Value)>,
    },
}

/// The log of one request.
#[derive(Debug, Default)]
pub(crate) struct UndoLog {
    entries: Vec<Undo>,
}

impl UndoLog {
    pub(crate) fn push(&mut self, undo: Undo) {
        self.entries.push(undo);
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether an edit after the first `from` may have changed the array at `place` (an
    /// attribute) other than by appending to it: what invalidates an index of its values.
    pub(crate) fn touched_since(&self, from: usize, place: &Place) -> bool {
        let entries = self.entries.get(from..).unwrap_or_default();
        entries.iter().any(|e| match e {
            // Appends leave the indexed positions as they were.
            Undo::Truncate { .. } => false,
            Undo::Key { place: p, key, .. } if p.attr.is_none() => {
                place.attr.as_ref() == Some(key) || place.ext.as_ref() == Some(key)
            }
            Undo::Restore { place: p, key, .. } if p.attr.is_none() => {
                place.attr.as_ref() == Some(key) || place.ext.as_ref() == Some(key)
            }
            Undo::Key { place: p, .. }
            | Undo::Restore { place: p, .. }
            | Undo::Value { place: p, .. }
            | Undo::Reinsert { place: p, .. } => p.attr == place.attr,
        })
    }

    /// Undoes every edit after the first `keep`, newest first.
    pub(crate) fn rollback_to(&mut self, root: &mut Value, keep: usize) {
        while self.entries.len() > keep {
            let Some(undo) = self.entries.pop() else {
                break;
            };
            revert(root, undo);
        }
    }
}

fn revert(root: &mut Value, undo: Undo) {
    // Each edit was made at exactly this place, and later edits are already undone, so the
    // shape is the one the edit saw; a missing place can only mean a bug, and is skipped.
    match undo {
        Undo::Key { place, key, old } => {
            if let Some(obj) = place.object(root) {
                match old {
                    Some(v) => {
                        obj.insert(key, v);
                    }
                    None => {
                        remove_ordered(obj, &key);
                    }
                }
            }
        }
        Undo::Restore {
            place,
            key,
            index,
            old,
        } => {
            if let Some(obj) = place.object(root) {
                insert_at(obj, index, key, old);
            }
        }
        Undo::Value { place, old } => {
            if let Some(slot) = place.locate(root) {
                *slot = old;
            }
        }
        Undo::Truncate { place, len } => {
            if let Some(arr) = place.array(root) {
                arr.truncate(len);
            }
        }
        Undo::Reinsert { place, removed } => {
            if let Some(arr) = place.array(root) {
                reinsert(arr, removed);
            }
        }
    }
}

/// Removes `key`, keeping the order of the other keys, and returns its position and value.
/// `Map::remove` would do under serde_json's `preserve_order` (an `IndexMap` then) what
/// `swap_remove` does, moving the last key into the gap; `retain` keeps the order under both
/// maps, and `shift_remove` exists only with the feature, which another crate may enable.
pub(crate) fn remove_ordered(obj: &mut Map<String, Value>, key: &str) -> Option<(usize, Value)> {
    let index = obj.keys().position(|k| k == key)?;
    let mut old = None;
    obj.retain(|k, v| {
        if old.is_none() && k == key {
            old = Some(std::mem::take(v));
            return false;
        }
        true
    });
    old.map(|v| (index, v))
}

/// Inserts `key` at position `index` among the keys (at the end when past it). Without
/// `preserve_order` the map is sorted and the position is that of the key anyway.
fn insert_at(obj: &mut Map<String, Value>, index: usize, key: String, value: Value) {
    let mut at = 0;
    let mut tail = Vec::new();
    obj.retain(|k, v| {
        at += 1;
        if at <= index {
            return true;
        }
        tail.push((k.clone(), std::mem::take(v)));
        false
    });
    obj.insert(key, value);
    obj.extend(tail);
}

/// Merges the removed elements back at their original indices in one pass.
fn reinsert(arr: &mut Vec<Value>, removed: Vec<(usize, Value)>) {
    let kept = std::mem::take(arr);
    let mut out = Vec::with_capacity(kept.len() + removed.len());
    let mut kept = kept.into_iter();
    for (index, value) in removed {
        while out.len() < index {
            match kept.next() {
                Some(v) => out.push(v),
                None => break,
            }
        }
        out.push(value);
    }
    out.extend(kept);
    *arr = out;
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reinsert_restores_order() {
        let mut arr = vec![json!(1), json!(3), json!(5)];
        reinsert(
            &mut arr,
            vec![(0, json!(0)), (2, json!(2)), (4, json!(4)), (6, json!(6))],
        );
        assert_eq!(arr, (0..7).map(|i| json!(i)).collect::<Vec<_>>());
    }

    /// Under either map (sorted, or insertion-ordered with `preserve_order`), a key removed
    /// and put back sits where it was.
    #[test]
    fn removed_keys_return_to_their_position() {
        let before = json!({"z": 1, "b": 2, "y": 3, "a": 4});
        let mut v = before.clone();
        let obj = v.as_object_mut().unwrap();
        let (i, old) = remove_ordered(obj, "b").unwrap();
        let (j, older) = remove_ordered(obj, "z").unwrap();
        assert!(remove_ordered(obj, "q").is_none());
        insert_at(obj, j, "z".to_owned(), older);
        insert_at(obj, i, "b".to_owned(), old);
        assert_eq!(serde_json::to_string(&v).unwrap(), before.to_string());
    }

    #[test]
    fn rollback_replays_backwards() {
        let before = json!({"a": 1, "ext": {"m": [1, 2, 3]}});
        let mut v = before.clone();
        let mut log = UndoLog::default();
        let obj = v.as_object_mut().unwrap();
        let old = obj.insert("a".to_owned(), json!(2));
        log.push(Undo::Key {
            place: Place::root(),
            key: "a".to_owned(),
            old,
        });
        let arr = Place::attr(Some("ext"), "m");
        let taken = arr.array(&mut v).unwrap().remove(1);
        log.push(Undo::Reinsert {
            place: arr.clone(),
            removed: vec![(1, taken)],
        });
        arr.array(&mut v).unwrap().push(json!(9));
        log.push(Undo::Truncate { place: arr, len: 2 });
        assert_eq!(v, json!({"a": 2, "ext": {"m": [1, 3, 9]}}));
        log.rollback_to(&mut v, 0);
        assert_eq!(v, before);
        assert!(log.is_empty());
    }
}
