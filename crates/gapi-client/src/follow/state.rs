//! A follower's state: the token where the next request starts, in a small JSON file written
//! atomically (temporary file in the same folder, fsync, rename), so a crash leaves the old
//! state or the new one, never half of either.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// Where a follower stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowState {
    /// The format version (1).
    pub version: u32,
    /// The method followed (`calendar.events.list`).
    pub method: String,
    /// What is followed: the request's path and its other parameters, so a state file is not
    /// used for another calendar or mailbox.
    pub scope: String,
    /// The token of the next round: Drive's page token, Calendar's and People's sync token,
    /// Gmail's start history id. `None` before the first round.
    pub token: Option<String>,
    /// The page token inside a round, when the last page read had a next one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_token: Option<String>,
}

impl FollowState {
    /// Reads a state file; `Ok(None)` when it does not exist.
    pub fn load(path: &Path) -> Result<Option<FollowState>, Error> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(Error::invalid_argument(format!(
                    "cannot read the follow state {}: {e}",
                    path.display()
                )));
            }
        };
        let state: FollowState = serde_json::from_str(&text).map_err(|e| {
            Error::invalid_argument(format!(
                "the follow state {} is not a state file ({e}); remove it to start from now",
                path.display()
            ))
        })?;
        if state.version != 1 {
            return Err(Error::invalid_argument(format!(
                "the follow state {} has version {}, this program reads version 1",
                path.display(),
                state.version
            )));
        }
        Ok(Some(state))
    }

    /// Writes the state atomically.
    pub fn save(&self, path: &Path) -> Result<(), Error> {
        let io = |e: std::io::Error| {
            Error::invalid_argument(format!(
                "cannot write the follow state {}: {e}",
                path.display()
            ))
        };
        let mut text = serde_json::to_vec_pretty(self)?;
        text.push(b'\n');
        gapi_retry::atomic_file::write_atomic(path, ".tmp-", &text).map_err(io)
    }
}
