//! The emulator's shared state: what survives a restart (`Data`) and what does not (`Inner`).

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};

use serde::{Deserialize, Serialize};

use crate::config::EmulatorConfig;
use crate::discovery::DocCache;
use crate::drive::model::{UploadSession, UserDrive};
use crate::faults::FaultRule;
use crate::oauth::model::{AccessToken, AuthCode, DeviceAuth, Grant, PendingAuth, RefreshToken};
use crate::persist::Persister;
use crate::request_log::LoggedRequest;

/// Handle passed to every handler.
pub(crate) type Shared = Arc<AppState>;

/// Everything a request handler can reach.
pub(crate) struct AppState {
    pub config: EmulatorConfig,
    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub base_url: String,
    inner: Mutex<Inner>,
    pub persister: Option<Persister>,
    pub docs: DocCache,
}

/// Mutable state behind one lock (requests are short; one lock keeps the logic obvious).
pub(crate) struct Inner {
    pub data: Data,
    pub pending: HashMap<String, PendingAuth>,
    pub faults: Vec<FaultRule>,
    pub next_fault_id: u64,
    pub log: VecDeque<LoggedRequest>,
    pub next_log_id: u64,
    /// Set by handlers that changed `data`; the persistence layer saves and clears it.
    pub dirty: bool,
    /// Bumped on each save snapshot so a stale snapshot never overwrites a newer one.
    pub generation: u64,
    /// `iss` of ID tokens: the base URL.
    pub issuer: String,
}

/// The persisted part: grants, tokens, codes, files and upload sessions.
#[derive(Serialize, Deserialize, Default)]
pub(crate) struct Data {
    pub codes: HashMap<String, AuthCode>,
    pub access_tokens: HashMap<String, AccessToken>,
    pub refresh_tokens: HashMap<String, RefreshToken>,
    pub grants: HashMap<String, Grant>,
    pub devices: HashMap<String, DeviceAuth>,
    pub drives: BTreeMap<String, UserDrive>,
    pub uploads: HashMap<String, UploadSession>,
}

impl Data {
    /// A fresh state: no tokens, the seeded Drives.
    pub(crate) fn seeded() -> Self {
        Self {
            drives: crate::seed::seeded_drives(),
            ..Self::default()
        }
    }
}

impl AppState {
    pub(crate) fn new(
        config: EmulatorConfig,
        base_url: String,
        data: Data,
        persister: Option<Persister>,
    ) -> Self {
        Self {
            config,
            base_url: base_url.clone(),
            inner: Mutex::new(Inner {
                data,
                pending: HashMap::new(),
                faults: Vec::new(),
                next_fault_id: 1,
                log: VecDeque::new(),
                next_log_id: 1,
                dirty: false,
                generation: 0,
                issuer: base_url,
            }),
            persister,
            docs: DocCache::default(),
        }
    }

    /// Locks the state. A handler that panicked cannot leave it half-updated in a way that
    /// matters more than refusing service, so a poisoned lock is recovered.
    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Writes the persisted state if a handler changed it (no-op without a data dir).
    pub(crate) fn save_if_dirty(&self) {
        let Some(persister) = &self.persister else {
            return;
        };
        let snapshot = {
            let mut inner = self.lock();
            if !inner.dirty {
                return;
            }
            inner.dirty = false;
            inner.generation += 1;
            match serde_json::to_vec(&inner.data) {
                Ok(bytes) => (inner.generation, bytes),
                Err(e) => {
                    tracing::error!("could not serialize emulator state: {e}");
                    return;
                }
            }
        };
        if let Err(e) = persister.save(snapshot.0, &snapshot.1) {
            tracing::error!("{e}");
        }
    }
}
