//! Bounded reads of the small local files gapi trusts (client secrets, credentials): a FIFO, a
//! device, a directory or a file over the size limit is refused instead of hanging or reading
//! gigabytes, and a leading UTF-8 byte order mark is dropped (editors on Windows add one).

use std::fmt;
use std::io::Read;
use std::path::Path;

/// The largest client secrets or credentials file gapi reads (real ones are under 4 KiB).
pub(crate) const MAX_SMALL_FILE: u64 = 1024 * 1024;

/// Why a small file could not be read.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// Nothing exists at the path (not even a dangling symlink).
    NotFound(std::io::Error),
    /// Something exists but is not a regular file (directory, FIFO, socket, device).
    NotRegular(&'static str),
    /// A regular file over [`MAX_SMALL_FILE`] bytes.
    TooLarge(u64),
    /// The bytes are not UTF-8.
    NotUtf8,
    /// Any other I/O error (permissions, a read failing half way).
    Io(std::io::Error),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NotFound(e) | ReadError::Io(e) => write!(f, "{e}"),
            ReadError::NotRegular(what) => write!(f, "it is {what}, not a regular file"),
            ReadError::TooLarge(n) => write!(
                f,
                "it is {n} bytes, larger than the {MAX_SMALL_FILE} bytes such a file can be"
            ),
            ReadError::NotUtf8 => f.write_str("it is not UTF-8 text"),
        }
    }
}

impl ReadError {
    /// The crate's error for a file that could not be read: `"{context}: {why}"` (I/O errors
    /// keep their source, so a missing file is still told apart by callers).
    pub(crate) fn into_error(self, context: impl Into<String>) -> crate::error::Error {
        use crate::error::{Error, ErrorKind};
        match self {
            ReadError::NotFound(e) | ReadError::Io(e) => Error::io(context, e),
            other => Error::new(ErrorKind::Io, format!("{}: {other}", context.into())),
        }
    }
}

/// Reads a credentials-like file as [`read_small_text`] does, errors saying `context`.
pub(crate) fn read_small_file(
    path: &Path,
    context: impl Into<String>,
) -> crate::error::Result<String> {
    read_small_text(path).map_err(|e| e.into_error(context))
}

fn kind_of(meta: &std::fs::Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    if t.is_file() {
        return None;
    }
    if t.is_dir() {
        return Some("a directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a named pipe (FIFO)");
        }
        if t.is_socket() {
            return Some("a socket");
        }
        if t.is_char_device() || t.is_block_device() {
            return Some("a device");
        }
    }
    Some("not a regular file")
}

/// True when something (a file, a directory, even a dangling symlink) exists at `path`.
pub(crate) fn something_exists(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

/// Opens `path` for reading without waiting for a writer should it have become a FIFO since it
/// was looked at (`O_NONBLOCK`; no effect on the regular file it should be).
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        opts.custom_flags(libc::O_NONBLOCK);
    }
    opts.open(path)
}

/// Reads `path` as UTF-8 text of at most [`MAX_SMALL_FILE`] bytes, without a leading BOM.
pub(crate) fn read_small_text(path: &Path) -> Result<String, ReadError> {
    let meta = std::fs::metadata(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound && !something_exists(path) {
            ReadError::NotFound(e)
        } else {
            ReadError::Io(e)
        }
    })?;
    if let Some(what) = kind_of(&meta) {
        return Err(ReadError::NotRegular(what));
    }
    if meta.len() > MAX_SMALL_FILE {
        return Err(ReadError::TooLarge(meta.len()));
    }
    let file = open_nonblocking(path).map_err(ReadError::Io)?;
    // The path may have been swapped between the two looks: check what was opened.
    let opened = file.metadata().map_err(ReadError::Io)?;
    if let Some(what) = kind_of(&opened) {
        return Err(ReadError::NotRegular(what));
    }
    let mut bytes = Vec::with_capacity(opened.len().min(MAX_SMALL_FILE) as usize);
    file.take(MAX_SMALL_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > MAX_SMALL_FILE {
        return Err(ReadError::TooLarge(bytes.len() as u64));
    }
    let text = String::from_utf8(bytes).map_err(|_| ReadError::NotUtf8)?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_odd_files_and_strips_bom() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.json");
        std::fs::write(&p, "\u{feff}{}").unwrap();
        assert_eq!(read_small_text(&p).unwrap(), "{}");
        assert!(matches!(
            read_small_text(dir.path()),
            Err(ReadError::NotRegular("a directory"))
        ));
        let big = dir.path().join("big.json");
        std::fs::write(&big, vec![b' '; MAX_SMALL_FILE as usize + 1]).unwrap();
        assert!(matches!(read_small_text(&big), Err(ReadError::TooLarge(_))));
        assert!(matches!(
            read_small_text(&dir.path().join("none")),
            Err(ReadError::NotFound(_))
        ));
        #[cfg(unix)]
        {
            let link = dir.path().join("dangling.json");
            std::os::unix::fs::symlink(dir.path().join("gone"), &link).unwrap();
            assert!(something_exists(&link));
            assert!(matches!(read_small_text(&link), Err(ReadError::Io(_))));
            assert!(matches!(
                read_small_text(Path::new("/dev/null")),
                Err(ReadError::NotRegular("a device"))
            ));
        }
        std::fs::write(&p, [0xff, 0xfe]).unwrap();
        assert!(matches!(read_small_text(&p), Err(ReadError::NotUtf8)));
    }
}
