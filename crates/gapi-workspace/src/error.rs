//! The one error type of the helpers: what was wrong with the input (and what to do), what the
//! API answered, or which local file could not be read or written.

use std::path::PathBuf;

/// Everything a helper can fail with. The message says what was wrong and what to do.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input cannot be used as given (an address without `@`, a bad time, a range...).
    #[error("{0}")]
    Invalid(String),
    /// A message is larger than Gmail accepts (36,700,160 bytes, after MIME encoding).
    #[error(
        "the message is {size} bytes after MIME encoding (attachments grow by a third in base64); Gmail accepts at most {limit} bytes (35 MiB): share large files as Drive links instead"
    )]
    TooLarge {
        /// The size of the encoded message.
        size: u64,
        /// Gmail's limit.
        limit: u64,
    },
    /// A call to the API failed (after the client's retries).
    #[error(transparent)]
    Api(#[from] gapi_client::Error),
    /// The API answered something this helper cannot use (a missing member).
    #[error("unexpected answer from {method}: {what}")]
    Response {
        /// The method called (`gmail.users.messages.get`).
        method: String,
        /// What was missing or wrong.
        what: String,
    },
    /// A local file or folder could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// CSV text that cannot be read (or written).
    #[error("CSV: {0}")]
    Csv(String),
}

/// The result alias of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An input error with its explanation.
    pub(crate) fn invalid(msg: impl Into<String>) -> Error {
        Error::Invalid(msg.into())
    }

    /// An I/O error on `path`.
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// An answer missing what the helper needs.
    pub(crate) fn response(method: &str, what: impl Into<String>) -> Error {
        Error::Response {
            method: method.to_string(),
            what: what.into(),
        }
    }

    /// The client error inside, when the API call failed (for its status and reason).
    pub fn api(&self) -> Option<&gapi_client::Error> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }
}
