//! What every emulated service stands on: the shared context ([`Core`]), per-service stores
//! with their own locks, the bearer-token extractor, Google's error bodies, request parsing,
//! persistence, batch and the router that puts the services together.
//!
//! The framework knows no service: services (under `crate::services`) depend on it, never the
//! other way round.

pub(crate) mod api_error;
pub(crate) mod batch;
pub(crate) mod body;
pub(crate) mod caller;
pub(crate) mod conn;
pub(crate) mod crypto;
pub(crate) mod dispatch;
pub(crate) mod fields;
pub(crate) mod html;
pub(crate) mod method_scopes;
pub(crate) mod multipart;
pub(crate) mod persist;
pub(crate) mod random;
pub(crate) mod router;
pub(crate) mod service;
pub(crate) mod store;
pub(crate) mod time;
pub(crate) mod tokens;

use std::sync::{Arc, Mutex};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::config::EmulatorConfig;
use caller::TokenVerifier;
use persist::Persister;
use store::{Persisted, Resettable, Store};
use tokens::AccessTokens;

/// The context every service and extractor reaches (also a request extension).
pub(crate) type Ctx = Arc<Core>;

/// Settings, the base URL, the shared access-token table, and the registry of stores.
pub(crate) struct Core {
    /// The emulator's settings.
    pub config: EmulatorConfig,
    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub base_url: String,
    /// Access tokens, whoever minted them (OAuth today; metadata, IAM, STS later). The bearer
    /// extractor checks requests against it.
    pub tokens: Arc<Store<AccessTokens>>,
    persister: Option<Persister>,
    persisted: Mutex<Vec<Arc<dyn Persisted>>>,
    resettable: Mutex<Vec<Arc<dyn Resettable>>>,
    load_errors: Mutex<Vec<String>>,
    /// API name → the service that owns it (set while the router is built).
    api_owners: Mutex<std::collections::HashMap<&'static str, &'static str>>,
    /// Services' own kinds of bearer token, asked before the token table (set while the
    /// router is built).
    token_verifiers: Mutex<Vec<TokenVerifier>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Core {
    /// A context; stores created later load their part of the state `persister` loaded.
    pub(crate) fn new(
        config: EmulatorConfig,
        base_url: String,
        persister: Option<Persister>,
    ) -> Ctx {
        let tokens = Arc::new(Store::new(
            store::TOKENS_STORE,
            AccessTokens::default(),
            Default::default,
            true,
        ));
        let core = Arc::new(Self {
            config,
            base_url,
            tokens: tokens.clone(),
            persister,
            persisted: Mutex::new(Vec::new()),
            resettable: Mutex::new(Vec::new()),
            load_errors: Mutex::new(Vec::new()),
            api_owners: Mutex::new(Default::default()),
            token_verifiers: Mutex::new(Vec::new()),
        });
        core.load_into(&tokens);
        core.register_persisted(tokens);
        core
    }

    /// A store saved under `--data` as `name`: loaded from the saved state if there is one,
    /// else `seed()`. `name` must be unique across services.
    pub(crate) fn persistent<T>(&self, name: &'static str, seed: fn() -> T) -> Arc<Store<T>>
    where
        T: Serialize + DeserializeOwned + Send + Sync + 'static,
    {
        let store = Arc::new(Store::new(name, seed(), seed, true));
        self.load_into(&store);
        self.register_persisted(store.clone());
        store
    }

    /// A store kept in memory only (consent pages waiting, fault rules, the request log);
    /// reset with the rest.
    pub(crate) fn volatile<T: Send + Sync + 'static>(&self, seed: fn() -> T) -> Arc<Store<T>> {
        let store = Arc::new(Store::new("volatile", seed(), seed, false));
        lock(&self.resettable).push(store.clone());
        store
    }

    fn register_persisted<T>(&self, store: Arc<Store<T>>)
    where
        T: Serialize + DeserializeOwned + Send + Sync + 'static,
    {
        lock(&self.persisted).push(store.clone());
        lock(&self.resettable).push(store);
    }

    /// Replaces the seed with the saved value, or marks the seed to be written.
    fn load_into<T: Serialize + DeserializeOwned + Send + Sync>(&self, store: &Store<T>) {
        let Some(persister) = &self.persister else {
            return;
        };
        let name = Persisted::name(store);
        match persister.loaded(name) {
            Some(value) => match serde_json::from_value::<T>(value) {
                Ok(v) => {
                    *store.write() = v;
                    // Loading is not a change.
                    let _ = store.take_dirty();
                }
                Err(e) => lock(&self.load_errors).push(format!("{name}: {e}")),
            },
            None => store.mark_dirty(),
        }
    }

    /// Records that `service` owns the API `api`.
    pub(crate) fn own_api(&self, api: &'static str, service: &'static str) {
        lock(&self.api_owners).insert(api, service);
    }

    /// The service that owns the API `api`, if any.
    pub(crate) fn api_owner(&self, api: &str) -> Option<&'static str> {
        lock(&self.api_owners).get(api).copied()
    }

    /// Makes every API accept the bearer tokens `verify` recognizes.
    pub(crate) fn accept_tokens_of(&self, verify: TokenVerifier) {
        lock(&self.token_verifiers).push(verify);
    }

    /// The registered token verifiers, in registration order.
    pub(crate) fn token_verifiers(&self) -> Vec<TokenVerifier> {
        lock(&self.token_verifiers).clone()
    }

    /// Errors met while loading saved state (a service's part that no longer parses).
    pub(crate) fn load_errors(&self) -> Vec<String> {
        lock(&self.load_errors).clone()
    }

    /// Whether the state is kept in a data directory.
    pub(crate) fn is_persistent(&self) -> bool {
        self.persister.is_some()
    }

    /// Every store back to its seed.
    pub(crate) fn reset_all(&self) {
        let stores = lock(&self.resettable).clone();
        for store in stores {
            store.reset();
        }
    }

    /// Writes the stores that changed since the last save (no-op without a data dir).
    pub(crate) fn save_if_dirty(&self) -> Result<(), crate::error::EmulatorError> {
        self.save_through((0, u64::MAX))
    }

    /// Makes the changes numbered `first..=last` durable (see `store::REQUEST_CHANGE`),
    /// writing what changed unless a save already covered them. An error means they are
    /// neither on disk nor in memory any more: the request must not be acknowledged.
    pub(crate) fn save_through(
        &self,
        changes: (u64, u64),
    ) -> Result<(), crate::error::EmulatorError> {
        let Some(persister) = &self.persister else {
            return Ok(());
        };
        let stores = lock(&self.persisted).clone();
        persister.save(&stores, changes)
    }

    /// Makes the data directory's writes fail as on a full disk, or work again; false when
    /// there is no data directory.
    pub(crate) fn simulate_full_disk(&self, full: bool) -> bool {
        match &self.persister {
            Some(p) => {
                p.simulate_full_disk(full);
                true
            }
            None => false,
        }
    }
}
