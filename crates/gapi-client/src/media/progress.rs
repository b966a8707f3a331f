//! Progress reporting for uploads and downloads: a cheap-to-clone callback
//! `Fn(bytes_done, total)` that callers (e.g. the CLI's progress bar) plug in.

use std::fmt;
use std::sync::Arc;

/// A progress callback receiving `(bytes_done, total)`; `total` is `None`
/// when the size is unknown (a stream of unknown length).
#[derive(Clone, Default)]
pub struct Progress(Option<Arc<ProgressFn>>);

/// The callback type behind [`Progress`]: `(bytes_done, total)`.
pub type ProgressFn = dyn Fn(u64, Option<u64>) + Send + Sync;

impl Progress {
    /// Wraps a callback.
    pub fn new(callback: impl Fn(u64, Option<u64>) + Send + Sync + 'static) -> Self {
        Progress(Some(Arc::new(callback)))
    }

    /// No reporting.
    pub fn none() -> Self {
        Progress(None)
    }

    /// Reports that `done` bytes out of `total` are transferred.
    pub fn report(&self, done: u64, total: Option<u64>) {
        if let Some(callback) = &self.0 {
            callback(done, total);
        }
    }
}

impl fmt::Debug for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() {
            "Progress(callback)"
        } else {
            "Progress(none)"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[test]
    fn reports_to_the_callback() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink = seen.clone();
        let p = Progress::new(move |done, total| sink.lock().unwrap().push((done, total)));
        p.report(1, Some(2));
        p.clone().report(2, None);
        Progress::none().report(3, None);
        assert_eq!(*seen.lock().unwrap(), vec![(1, Some(2)), (2, None)]);
    }
}
