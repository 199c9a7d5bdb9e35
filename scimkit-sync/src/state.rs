//! The state file: the memberships last written to the target, so a target that lists no
//! members (Identity Center) need not be probed for them.
//!
//! Per group id: `members`, the user ids the target confirmed, and `pending`, the pairs a
//! write was about to change. The file is written through a temporary file and a rename (a
//! reader sees the old file or the new one, never half of one) before membership writes start
//! (with every planned pair pending), every second while they run, and at the end. A run
//! killed midway therefore leaves a file whose confirmed pairs are true and whose uncertain
//! pairs are marked: the next run sends, for each pending pair, the add or the remove the
//! source asks for; both are idempotent, so no probe is needed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::Error;

/// The file's content.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct State {
    /// The format, `1`.
    pub(crate) version: u32,
    /// The base URL the state describes; a state of another target is ignored.
    pub(crate) target: String,
    /// Per group id.
    pub(crate) groups: BTreeMap<String, GroupState>,
}

/// What is known of one group's members.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct GroupState {
    #[serde(default)]
    pub(crate) members: BTreeSet<String>,
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub(crate) pending: BTreeSet<String>,
}

impl State {
    /// Reads `path` for `target`: `None` when the file does not exist or describes another
    /// target; an unreadable file is an error (deleting it is the way to start afresh).
    pub(crate) fn load(path: &Path, target: &str) -> Result<Option<Self>, Error> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(state_error(path, e.to_string())),
        };
        let state: Self =
            serde_json::from_str(&text).map_err(|e| state_error(path, e.to_string()))?;
        Ok((state.version == 1 && state.target == target).then_some(state))
    }
}

fn state_error(path: &Path, message: String) -> Error {
    Error::State {
        path: path.to_owned(),
        message,
    }
}

/// The state in memory and the file it is flushed to (none: nothing is written).
#[derive(Debug)]
pub(crate) struct StateFile {
    path: Option<PathBuf>,
    pub(crate) state: State,
    last: Option<Instant>,
}

impl StateFile {
    pub(crate) fn new(path: Option<PathBuf>, state: State) -> Self {
        Self {
            path,
            state,
            last: None,
        }
    }

    /// Writes the file now: a temporary file beside it, synced, then renamed over it.
    pub(crate) fn flush(&mut self) -> Result<(), Error> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        let text = serde_json::to_vec(&self.state).map_err(|e| state_error(path, e.to_string()))?;
        let mut tmp = path.clone().into_os_string();
        tmp.push(".tmp");
        let tmp = PathBuf::from(tmp);
        let write = || -> std::io::Result<()> {
            use std::io::Write as _;
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(&text)?;
            f.sync_all()?;
            std::fs::rename(&tmp, path)
        };
        write().map_err(|e| state_error(path, e.to_string()))?;
        self.last = Some(Instant::now());
        Ok(())
    }

    /// Writes the file when the last write is more than a second old.
    pub(crate) fn flush_soon(&mut self) -> Result<(), Error> {
        if self
            .last
            .is_none_or(|t| t.elapsed() >= Duration::from_secs(1))
        {
            self.flush()?;
        }
        Ok(())
    }

    /// A membership write was confirmed: `added` and `removed` user ids of `group`.
    pub(crate) fn confirm(&mut self, group: &str, added: &[String], removed: &[String]) {
        let g = self.state.groups.entry(group.to_owned()).or_default();
        for u in added {
            g.pending.remove(u);
            g.members.insert(u.clone());
        }
        for u in removed {
            g.pending.remove(u);
            g.members.remove(u);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_other_target() {
        let dir = std::env::temp_dir().join(format!("scimkit-sync-state-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("state.json");
        let mut f = StateFile::new(
            Some(path.clone()),
            State {
                version: 1,
                target: "http://x".into(),
                groups: BTreeMap::new(),
            },
        );
        f.state
            .groups
            .entry("g".into())
            .or_default()
            .pending
            .insert("u".into());
        f.confirm("g", &["u".to_owned()], &[]);
        f.flush().unwrap();
        let back = State::load(&path, "http://x").unwrap().unwrap();
        assert_eq!(back, f.state);
        assert!(back.groups["g"].pending.is_empty());
        assert_eq!(State::load(&path, "http://y").unwrap(), None);
        std::fs::write(&path, "{").unwrap();
        assert!(State::load(&path, "http://x").is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
