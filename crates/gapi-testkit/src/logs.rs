//! Capturing what one test logs through `tracing`, to assert that a warning is given or that
//! no secret is ever written.
//!
//! The subscriber is the test thread's default (`tracing::subscriber::set_default`), not the
//! process's: every test of a binary can capture its own log, in parallel, without
//! `set_global_default` failing for the second one. Hence it sees what runs on the test's
//! thread: the whole of a `#[tokio::test]` (current-thread runtime, spawned tasks included),
//! not `spawn_blocking` work or a multi-thread runtime's workers.

use std::io::Write;
use std::sync::{Arc, Mutex};

use tracing::Level;
use tracing::subscriber::DefaultGuard;

/// The log of the current thread from [`LogCapture::start`] until it is dropped.
pub struct LogCapture {
    buffer: Buffer,
    _guard: DefaultGuard,
}

impl LogCapture {
    /// Captures events at `level` and more severe, without colours.
    pub fn start(level: Level) -> Self {
        let buffer = Buffer::default();
        let writer = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(level)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        let guard = tracing::subscriber::set_default(subscriber);
        Self {
            buffer,
            _guard: guard,
        }
    }

    /// What was logged so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.buffer.0.lock().unwrap_or_else(|e| e.into_inner()))
            .into_owned()
    }
}

/// The shared byte buffer the subscriber writes to.
#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captures_this_threads_events_at_the_level_asked() {
        let capture = LogCapture::start(Level::WARN);
        tracing::warn!("the grant is narrower: missing drive");
        tracing::info!("below the level");
        let other = std::thread::spawn(|| tracing::warn!("another thread")).join();
        assert!(other.is_ok());
        let text = capture.text();
        assert!(
            text.contains("the grant is narrower: missing drive"),
            "{text}"
        );
        assert!(!text.contains("below the level"), "{text}");
        assert!(!text.contains("another thread"), "{text}");
    }
}
