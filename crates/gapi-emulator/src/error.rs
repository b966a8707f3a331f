//! Errors from starting or running the emulator (request-level errors are HTTP responses).

use std::net::SocketAddr;
use std::path::PathBuf;

/// Why the emulator could not start or save its state.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EmulatorError {
    /// The configured address is not a loopback address and `allow_remote` is off.
    #[error(
        "refusing to listen on {0}: it is not a loopback address (use 127.0.0.1 or [::1], or allow remote access explicitly)"
    )]
    NonLoopback(SocketAddr),
    /// Binding the listening socket failed (port in use, permission denied...).
    #[error("could not listen on {addr}: {source}")]
    Bind {
        /// The address that could not be bound.
        addr: SocketAddr,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The data directory could not be created, read, locked or written.
    #[error("emulator data directory {path}: {message}")]
    Data {
        /// The file or directory concerned.
        path: PathBuf,
        /// What went wrong and what to do about it.
        message: String,
    },
    /// The data directory's journal is damaged before its end (a line that does not match
    /// its checksum, a record missing or out of order): the emulator does not start rather
    /// than drop the records after it silently. [`crate::repair_journal`] keeps the good ones.
    #[error(
        "emulator data directory {dir}: line {line} of {path} is damaged ({why}); the {kept} records before it are good. To keep them and drop the {dropped} line(s) from line {line} on (a copy of the journal is kept), run: gapi emulator --data {dir} --repair-journal"
    )]
    DamagedJournal {
        /// The journal file.
        path: PathBuf,
        /// The data directory.
        dir: PathBuf,
        /// The first damaged line (1-based).
        line: usize,
        /// What is wrong with it.
        why: String,
        /// The good records before it.
        kept: usize,
        /// The lines a repair drops (the damaged one and every later one).
        dropped: usize,
    },
    /// Writing a file (such as client_secret.json) failed.
    #[error("could not write {path}: {source}")]
    Write {
        /// The file that could not be written.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
}
