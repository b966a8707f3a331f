//! Following a list method with a sync mechanism: every new or changed item once, across
//! restarts. Drive `changes.list`, Calendar `events.list`, Gmail `users.history.list` and
//! People `people.connections.list` are followed by their own tokens ([`SyncKind`]).
//!
//! A [`Follower`] reads one page per [`Follower::poll_once`] and waits between rounds in
//! [`Follower::next_batch`]. Its state (a small JSON file, [`FollowState`]) is written
//! atomically when the caller has handled a batch: at [`Follower::commit`], or at the next
//! poll. A restart from the file resumes after the last handled batch, so nothing is lost
//! and nothing handled is repeated. A token the API no longer accepts (Calendar's 410,
//! People's `EXPIRED_SYNC_TOKEN`) starts a full sync, whose items come again with
//! [`FollowBatch::resynced`] set; Gmail's too-old history id restarts from the mailbox's
//! current one (changes in between cannot be listed; `resynced` says so). Transient errors
//! (429, 5xx, network) are retried by the service's retry policy and then, in
//! `next_batch`, after a growing pause, without end.
//!
//! ```no_run
//! # async fn f(calendar: gapi_client::Service) -> gapi_client::Result<()> {
//! use gapi_client::follow::Follower;
//! let call = calendar.method("events.list")?.param("calendarId", "primary");
//! let mut follower = Follower::new(call)?.state_file("calendar.state")?;
//! loop {
//!     let batch = follower.next_batch().await?;
//!     for event in &batch.items {
//!         println!("{event}");
//!     }
//!     follower.commit()?; // handled: a restart goes on after this batch
//! }
//! # }
//! ```

mod kind;
mod state;

use std::path::PathBuf;
use std::time::Duration;

use serde_json::Value;

pub use kind::SyncKind;
pub use state::FollowState;

use crate::error::Error;
use crate::method_call::MethodCall;

/// One page of a followed list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FollowBatch {
    /// The new or changed items (deleted ones included, as the API marks them).
    pub items: Vec<Value>,
    /// The stored token was refused and the follower started again: the items of a full
    /// sync follow (Calendar, People), or changes since the refused token were skipped
    /// (Gmail).
    pub resynced: bool,
    /// The page ended a round: the next poll waits for new changes.
    pub round_done: bool,
}

/// Follows one list call; see the module documentation.
#[derive(Debug)]
#[must_use = "builder methods return the changed value; use it"]
pub struct Follower {
    call: MethodCall,
    kind: SyncKind,
    state: FollowState,
    path: Option<PathBuf>,
    /// `state` holds a batch's position that is not saved yet.
    dirty: bool,
    interval: Duration,
    max_backoff: Duration,
    skip_existing: bool,
    wait_first: bool,
    failures: u32,
}

impl Follower {
    /// A follower of `call` (its parameters stay; the tokens are the follower's). Errors for
    /// a method without a sync mechanism, and for parameters the API refuses next to a sync
    /// token (Calendar's `timeMin`, `q`, `orderBy`...).
    pub fn new(call: MethodCall) -> Result<Follower, Error> {
        let method_id = call.method().id.clone();
        let kind = SyncKind::for_method(&method_id).ok_or_else(|| {
            Error::invalid_argument(format!(
                "{method_id} has no sync mechanism to follow; these can be followed: {}",
                SyncKind::METHODS.join(", ")
            ))
        })?;
        for p in kind.refused_params() {
            if call.get_param(p).is_some() {
                return Err(Error::invalid_argument(format!(
                    "{method_id} cannot be followed with {p}: the API refuses it next to a sync token; leave it out"
                )));
            }
        }
        let mut call = call;
        for p in kind.token_params() {
            call = call.remove_param(p);
        }
        let scope = scope_of(&call, kind)?;
        Ok(Follower {
            state: FollowState {
                version: 1,
                method: method_id,
                scope,
                token: None,
                page_token: None,
            },
            call,
            kind,
            path: None,
            dirty: false,
            interval: Duration::from_secs(30),
            max_backoff: Duration::from_secs(300),
            skip_existing: false,
            wait_first: false,
            failures: 0,
        })
    }

    /// Keeps the state in `path`, resuming from it when it exists (it must belong to the
    /// same method and parameters).
    pub fn state_file(mut self, path: impl Into<PathBuf>) -> Result<Follower, Error> {
        let path = path.into();
        if let Some(saved) = FollowState::load(&path)? {
            if saved.method != self.state.method || saved.scope != self.state.scope {
                return Err(Error::invalid_argument(format!(
                    "the follow state {} is for {} {}, not {} {}; use another state file",
                    path.display(),
                    saved.method,
                    saved.scope,
                    self.state.method,
                    self.state.scope
                )));
            }
            self.state = saved;
        }
        self.path = Some(path);
        Ok(self)
    }

    /// Waits this long between rounds (default 30 s).
    pub fn interval(mut self, interval: Duration) -> Follower {
        self.interval = interval;
        self
    }

    /// Caps the pause after repeated transient errors (default 5 min).
    pub fn max_backoff(mut self, max: Duration) -> Follower {
        self.max_backoff = max.max(Duration::from_millis(1));
        self
    }

    /// Starts from now: Calendar's and People's first full listing is read but not yielded
    /// (Drive and Gmail always start from now).
    pub fn skip_existing(mut self, yes: bool) -> Follower {
        self.skip_existing = yes;
        self
    }

    /// What is followed.
    pub fn kind(&self) -> SyncKind {
        self.kind
    }

    /// The current state (saved or not).
    pub fn state(&self) -> &FollowState {
        &self.state
    }

    /// Transient failures in a row (0 after a success).
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// Saves the state: the batches returned so far are handled. Called again by the next
    /// poll; a no-op when nothing changed or there is no state file.
    pub fn commit(&mut self) -> Result<(), Error> {
        if self.dirty
            && let Some(p) = &self.path
        {
            self.state.save(p)?;
        }
        self.dirty = false;
        Ok(())
    }

    /// Waits as needed and returns the next batch with items (or a resync): sleeps the
    /// interval after a round ended, and after a transient error a pause growing to
    /// `max_backoff`. Other errors end it.
    pub async fn next_batch(&mut self) -> Result<FollowBatch, Error> {
        loop {
            if self.wait_first {
                tokio::time::sleep(self.interval).await;
            }
            match self.poll_once().await {
                Ok(batch) => {
                    self.failures = 0;
                    self.wait_first = batch.round_done;
                    if batch.items.is_empty() && !batch.resynced {
                        continue;
                    }
                    return Ok(batch);
                }
                Err(e) if e.is_retryable() => {
                    self.failures += 1;
                    self.wait_first = false;
                    let pause = crate::retry::RetryPolicy::default()
                        .with_delays(Duration::from_secs(1), self.max_backoff)
                        .backoff(self.failures)
                        .max(Duration::from_millis(100).min(self.max_backoff));
                    tracing::warn!(
                        failures = self.failures,
                        ?pause,
                        "following {}: {e}; trying again",
                        self.state.method
                    );
                    tokio::time::sleep(pause).await;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Reads one page (no waiting), after saving the previous batch's state. A refused
    /// token is handled here (see [`FollowBatch::resynced`]).
    pub async fn poll_once(&mut self) -> Result<FollowBatch, Error> {
        self.commit()?;
        let mut resynced = false;
        if self.state.token.is_none() && self.state.page_token.is_none() {
            self.start().await?;
        }
        let page = loop {
            match self.request().execute().await {
                Ok(p) => break p,
                Err(e) if self.kind.is_expired(&e) && !resynced => {
                    tracing::info!(
                        "following {}: the token was refused ({e}); starting again",
                        self.state.method
                    );
                    resynced = true;
                    self.state.token = None;
                    self.state.page_token = None;
                    self.start().await?;
                    if self.kind == SyncKind::GmailHistory {
                        self.dirty = true;
                        return Ok(FollowBatch {
                            items: Vec::new(),
                            resynced,
                            round_done: true,
                        });
                    }
                }
                Err(e) => return Err(e),
            }
        };
        let full_sync = self.state.token.is_none();
        let items = match page.get(self.kind.items_field()) {
            Some(Value::Array(a)) => a.clone(),
            _ => Vec::new(),
        };
        let next_page = page
            .get("nextPageToken")
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty());
        let round_done = next_page.is_none();
        match (self.kind, next_page) {
            (SyncKind::DriveChanges, Some(t)) => self.state.token = Some(t.to_string()),
            (SyncKind::DriveChanges, None) => {
                self.state.token = Some(text(&page, "newStartPageToken", &self.state.method)?);
            }
            (_, Some(t)) => self.state.page_token = Some(t.to_string()),
            (kind, None) => {
                let field = if kind == SyncKind::GmailHistory {
                    "historyId"
                } else {
                    "nextSyncToken"
                };
                self.state.token = Some(text(&page, field, &self.state.method)?);
                self.state.page_token = None;
            }
        }
        self.dirty = true;
        let items = if full_sync && self.skip_existing && !resynced {
            Vec::new()
        } else {
            items
        };
        Ok(FollowBatch {
            items,
            resynced,
            round_done,
        })
    }

    /// Where a first round starts: Drive's start page token, Gmail's current history id
    /// (Calendar and People start with a full listing: nothing to fetch).
    async fn start(&mut self) -> Result<(), Error> {
        let service = self.call.service().clone();
        match self.kind {
            SyncKind::DriveChanges => {
                let mut c = service.method("changes.getStartPageToken")?;
                for p in [
                    "driveId",
                    "supportsAllDrives",
                    "supportsTeamDrives",
                    "teamDriveId",
                ] {
                    if let Some(v) = self.call.get_param(p) {
                        c = c.param(p, v.clone());
                    }
                }
                let answer = c.execute().await?;
                self.state.token = Some(text(
                    &answer,
                    "startPageToken",
                    "drive.changes.getStartPageToken",
                )?);
            }
            SyncKind::GmailHistory => {
                let user = self
                    .call
                    .get_param("userId")
                    .cloned()
                    .unwrap_or_else(|| "me".into());
                let answer = service
                    .method("users.getProfile")?
                    .param("userId", user)
                    .execute()
                    .await?;
                self.state.token = Some(text(&answer, "historyId", "gmail.users.getProfile")?);
            }
            SyncKind::CalendarEvents | SyncKind::PeopleConnections => {}
        }
        self.dirty = true;
        Ok(())
    }

    /// The next request from the state.
    fn request(&self) -> MethodCall {
        let mut c = self.call.clone();
        let s = &self.state;
        match self.kind {
            SyncKind::DriveChanges => {
                if let Some(t) = &s.token {
                    c = c.param("pageToken", t.as_str());
                }
            }
            SyncKind::GmailHistory => {
                if let Some(t) = &s.token {
                    c = c.param("startHistoryId", t.as_str());
                }
            }
            SyncKind::CalendarEvents => {
                if let Some(t) = &s.token {
                    c = c.param("syncToken", t.as_str());
                }
            }
            SyncKind::PeopleConnections => {
                c = c.param("requestSyncToken", true);
                if let Some(t) = &s.token {
                    c = c.param("syncToken", t.as_str());
                }
            }
        }
        if self.kind != SyncKind::DriveChanges
            && let Some(p) = &s.page_token
        {
            c = c.param("pageToken", p.as_str());
        }
        c
    }
}

fn text(v: &Value, field: &str, method: &str) -> Result<String, Error> {
    match v.get(field) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
        Some(Value::Number(n)) => Ok(n.to_string()),
        _ => Err(Error::invalid_argument(format!(
            "{method} answered without {field}, so it cannot be followed (are the `fields` of the call leaving it out?)"
        ))),
    }
}

/// The request's path and its other parameters, sorted: what a state file belongs to.
fn scope_of(call: &MethodCall, kind: SyncKind) -> Result<String, Error> {
    // The tokens (required by some methods) are placeholders here, left out of the scope.
    let req = match kind {
        SyncKind::DriveChanges => call.clone().param("pageToken", "0"),
        SyncKind::GmailHistory => call.clone().param("startHistoryId", "0"),
        _ => call.clone(),
    };
    let prepared = req.prepare()?;
    let skip = [
        "alt",
        "prettyPrint",
        "fields",
        "maxResults",
        "pageSize",
        "pageToken",
        "startHistoryId",
    ];
    let mut pairs: Vec<(String, String)> = prepared
        .url
        .query_pairs()
        .filter(|(k, _)| !skip.contains(&k.as_ref()))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.sort();
    let query: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
    Ok(if query.is_empty() {
        prepared.url.path().to_string()
    } else {
        format!("{}?{}", prepared.url.path(), query.join("&"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{NoAuth, build};

    #[test]
    fn only_sync_methods_with_allowed_parameters_can_be_followed() {
        let drive = build("drive", "v3", NoAuth).unwrap();
        let err = Follower::new(drive.method("files.list").unwrap()).unwrap_err();
        assert!(err.to_string().contains("calendar.events.list"), "{err}");
        let cal = build("calendar", "v3", NoAuth).unwrap();
        let call = cal
            .method("events.list")
            .unwrap()
            .param("calendarId", "primary")
            .param("timeMin", "2026-01-01T00:00:00Z");
        assert!(
            Follower::new(call)
                .unwrap_err()
                .to_string()
                .contains("timeMin")
        );
        let f = Follower::new(
            cal.method("events.list")
                .unwrap()
                .param("calendarId", "a@b.c")
                .param("syncToken", "x"),
        )
        .unwrap();
        assert_eq!(f.state().scope, "/calendar/v3/calendars/a%40b.c/events");
        assert_eq!(f.kind().items_field(), "items");
        assert!(
            f.request().get_param("syncToken").is_none(),
            "the caller's token is the follower's to set"
        );
    }

    #[test]
    fn state_files_are_checked_and_written_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.json");
        let gmail = build("gmail", "v1", NoAuth).unwrap();
        let mut f = Follower::new(
            gmail
                .method("users.history.list")
                .unwrap()
                .param("userId", "me"),
        )
        .unwrap()
        .state_file(&path)
        .unwrap();
        f.state.token = Some("42".into());
        f.dirty = true;
        f.commit().unwrap();
        let saved = FollowState::load(&path).unwrap().unwrap();
        assert_eq!(saved.token.as_deref(), Some("42"));
        assert_eq!(saved.scope, "/gmail/v1/users/me/history");
        let again = Follower::new(
            gmail
                .method("users.history.list")
                .unwrap()
                .param("userId", "me"),
        )
        .unwrap()
        .state_file(&path)
        .unwrap();
        assert_eq!(again.state().token.as_deref(), Some("42"));
        let other = Follower::new(
            gmail
                .method("users.history.list")
                .unwrap()
                .param("userId", "bob@example.com"),
        )
        .unwrap()
        .state_file(&path);
        assert!(
            other
                .unwrap_err()
                .to_string()
                .contains("use another state file")
        );
        std::fs::write(&path, "{not json").unwrap();
        assert!(FollowState::load(&path).is_err());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary files left behind");
    }
}
