//! One service's piece of state behind its own lock, which knows by itself when it changed.
//!
//! A [`Store`] is created through [`crate::framework::Core::persistent`] (saved under `--data`,
//! loaded at start) or [`crate::framework::Core::volatile`] (memory only). Reading takes
//! [`Store::read`]; changing takes [`Store::write`], whose guard marks the store dirty the first
//! time it is dereferenced mutably, so persistence never depends on a handler remembering to
//! set a flag. Locks are short (no `.await` while one is held); when a handler needs two stores
//! it takes its own service's store first and the shared token table last.

use std::cell::Cell;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

use serde::Serialize;
use serde::de::DeserializeOwned;

/// The name of the shared token table's store: the one store every lock order takes last.
pub(crate) const TOKENS_STORE: &str = "tokens";

/// Numbers every change to a persistent store, so a request knows whether its own changes are
/// saved yet (see [`REQUEST_CHANGE`]).
pub(crate) static CHANGE_SEQ: AtomicU64 = AtomicU64::new(0);

tokio::task_local! {
    /// The numbers of the first and the last change the current request made to a persistent
    /// store (`(0, 0)`: none). The router sets it up around each request and saves before
    /// answering when they are not yet durable; requests that changed nothing never wait for
    /// the disk. A request any of whose changes a failed save took back is answered 503.
    pub(crate) static REQUEST_CHANGE: Cell<(u64, u64)>;
}

/// A service's state of type `T`.
pub(crate) struct Store<T> {
    name: &'static str,
    value: RwLock<T>,
    dirty: AtomicBool,
    seed: fn() -> T,
    /// Saved under `--data` (changes are numbered and waited for).
    persistent: bool,
}

/// Write access that marks the store dirty on the first mutable dereference.
pub(crate) struct WriteGuard<'a, T> {
    guard: RwLockWriteGuard<'a, T>,
    dirty: &'a AtomicBool,
    persistent: bool,
}

impl<T> Deref for WriteGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.guard
    }
}

impl<T> DerefMut for WriteGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.dirty.store(true, Ordering::Release);
        if self.persistent {
            let seq = CHANGE_SEQ.fetch_add(1, Ordering::AcqRel) + 1;
            let _ = REQUEST_CHANGE.try_with(|c| {
                let (first, _) = c.get();
                c.set((if first == 0 { seq } else { first }, seq));
            });
        }
        &mut self.guard
    }
}

impl<T> Store<T> {
    pub(crate) fn new(name: &'static str, value: T, seed: fn() -> T, persistent: bool) -> Self {
        Self {
            name,
            value: RwLock::new(value),
            dirty: AtomicBool::new(false),
            seed,
            persistent,
        }
    }

    /// Shared read access. A handler that panicked while holding the lock cannot leave the
    /// state in a way that matters more than refusing service, so poison is ignored.
    pub(crate) fn read(&self) -> RwLockReadGuard<'_, T> {
        self.value.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Exclusive access; changing the value through the guard marks the store dirty.
    pub(crate) fn write(&self) -> WriteGuard<'_, T> {
        WriteGuard {
            guard: self.value.write().unwrap_or_else(|e| e.into_inner()),
            dirty: &self.dirty,
            persistent: self.persistent,
        }
    }

    /// Clears the changed flag, saying whether it was set.
    pub(crate) fn take_dirty(&self) -> bool {
        self.dirty.swap(false, Ordering::AcqRel)
    }

    /// Whether the store changed since it was last saved.
    #[cfg(test)]
    pub(crate) fn is_dirty(&self) -> bool {
        self.dirty.load(Ordering::Acquire)
    }

    /// Marks the store changed (for a value loaded fresh from its seed).
    pub(crate) fn mark_dirty(&self) {
        self.dirty.store(true, Ordering::Release);
    }
}

/// What the framework needs of every store: `POST /__emulator/reset` puts it back to its seed.
pub(crate) trait Resettable: Send + Sync {
    /// Back to the seed.
    fn reset(&self);
}

impl<T: Send + Sync> Resettable for Store<T> {
    fn reset(&self) {
        *self.write() = (self.seed)();
    }
}

/// What the framework needs of a store saved under `--data`, whatever its type.
pub(crate) trait Persisted: Resettable {
    /// Key of the store in the saved state (`oauth`, `drive`, ...).
    fn name(&self) -> &'static str;
    /// Takes the store's lock for reading, for a save: nothing changes it (and no change is
    /// numbered in it) until the guard is dropped. Callers holding several take the shared
    /// token table last, as handlers do.
    fn hold_read(&self) -> Box<dyn HeldRead + '_>;
    /// Takes the store's lock for a rollback, in the same order as [`Persisted::hold_read`].
    fn hold(&self) -> Box<dyn Held + '_>;
}

/// A persistent store locked for a save (see [`Persisted::hold_read`]).
pub(crate) trait HeldRead {
    /// If the store changed since the last call, clears the flag and returns its JSON.
    fn take_if_dirty(&self) -> Option<Result<serde_json::Value, serde_json::Error>>;
}

struct ReadStore<'a, T> {
    guard: RwLockReadGuard<'a, T>,
    store: &'a Store<T>,
}

impl<T: Serialize> HeldRead for ReadStore<'_, T> {
    fn take_if_dirty(&self) -> Option<Result<serde_json::Value, serde_json::Error>> {
        if !self.store.take_dirty() {
            return None;
        }
        Some(serde_json::to_value(&*self.guard))
    }
}

/// A persistent store locked for a rollback (see [`Persisted::hold`]).
pub(crate) trait Held {
    /// Puts back `saved` (the store's JSON as last written; its seed when `None`), without
    /// counting it as a change: the store is then as it is on disk.
    fn restore(&mut self, saved: Option<&serde_json::Value>) -> Result<(), serde_json::Error>;
}

struct HeldStore<'a, T> {
    guard: RwLockWriteGuard<'a, T>,
    store: &'a Store<T>,
}

impl<T: DeserializeOwned> Held for HeldStore<'_, T> {
    fn restore(&mut self, saved: Option<&serde_json::Value>) -> Result<(), serde_json::Error> {
        *self.guard = match saved {
            Some(v) => T::deserialize(v)?,
            None => (self.store.seed)(),
        };
        // As on disk now, unless it had no saved value (its seed is then still to be written).
        self.store.dirty.store(saved.is_none(), Ordering::Release);
        Ok(())
    }
}

impl<T: Serialize + DeserializeOwned + Send + Sync> Persisted for Store<T> {
    fn name(&self) -> &'static str {
        self.name
    }

    fn hold_read(&self) -> Box<dyn HeldRead + '_> {
        Box::new(ReadStore {
            guard: self.read(),
            store: self,
        })
    }

    fn hold(&self) -> Box<dyn Held + '_> {
        Box::new(HeldStore {
            guard: self.value.write().unwrap_or_else(|e| e.into_inner()),
            store: self,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn take(store: &Store<Vec<u32>>) -> Option<serde_json::Value> {
        store.hold_read().take_if_dirty().map(Result::unwrap)
    }

    #[test]
    fn only_mutable_access_marks_dirty() {
        let store = Store::new("t", vec![1u32], Vec::new, true);
        assert!(take(&store).is_none());
        {
            let guard = store.write();
            assert_eq!(guard.len(), 1);
        }
        assert!(
            take(&store).is_none(),
            "a read through write() is not a change"
        );
        store.write().push(2);
        assert_eq!(take(&store), Some(serde_json::json!([1, 2])));
        assert!(take(&store).is_none(), "the flag is cleared once saved");
        store.reset();
        assert!(store.read().is_empty());
        assert!(take(&store).is_some());
    }

    #[test]
    fn a_rollback_puts_back_the_saved_value_without_counting_a_change() {
        let store = Store::new("t", vec![1u32], || vec![9], true);
        store.write().push(2);
        let before = CHANGE_SEQ.load(Ordering::Acquire);
        store.hold().restore(Some(&serde_json::json!([1]))).unwrap();
        assert_eq!(*store.read(), vec![1]);
        assert!(!store.is_dirty(), "as on disk");
        assert!(CHANGE_SEQ.load(Ordering::Acquire) >= before);
        store.hold().restore(None).unwrap();
        assert_eq!(*store.read(), vec![9], "no saved value: the seed");
        assert!(store.is_dirty(), "the seed is still to be written");
    }
}
