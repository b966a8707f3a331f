//! The files a download keeps beside its target while it runs, made so that nobody else can
//! choose where the bytes go.
//!
//! The data goes to `<target>.<random>.part`, created exclusively (`O_EXCL`, so never through
//! an existing name, link or not) under a name nobody can guess in advance. The fixed-name
//! sidecar `<target>.part.meta` records that name, so a later run finds the partial file. Every
//! file found on disk rather than made in this run (the sidecar, the partial file it names) is
//! opened without following a symbolic link (`O_NOFOLLOW`), without blocking on a FIFO
//! (`O_NONBLOCK`), and used only when what was opened is a regular file owned by this user with
//! no other hard link (checked on the opened descriptor, so a swap after a look changes
//! nothing). The sidecar is replaced by renaming a new file over it, which replaces a link
//! rather than writing through it; the finished file is published without replacing anything
//! unless overwriting was asked for.
//!
//! Elsewhere than on Unix the same rules are kept as far as the platform allows: a link is
//! looked for before opening, and the owner is not checked.

use std::fs::{File, OpenOptions};
use std::io::{self, Read as _};
use std::path::{Path, PathBuf};

/// The largest sidecar read (real ones are a few hundred bytes).
const MAX_SIDECAR: u64 = 64 * 1024;
/// Random bytes in a partial file's name (shown as twice as many hex digits).
const RANDOM_BYTES: usize = 8;

/// `<target>.part.meta`: the sidecar recording which object and which partial file a download
/// of `target` left.
pub(crate) fn sidecar_path(target: &Path) -> PathBuf {
    let mut name = target.as_os_str().to_owned();
    name.push(".part.meta");
    PathBuf::from(name)
}

fn file_name(target: &Path) -> io::Result<String> {
    target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{} does not name a file", target.display()),
            )
        })
}

fn folder(target: &Path) -> &Path {
    match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

fn random_hex() -> io::Result<String> {
    let mut bytes = [0u8; RANDOM_BYTES];
    getrandom::fill(&mut bytes).map_err(|e| io::Error::other(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The partial file of `target` named `name` (as a sidecar records it), when `name` is one this
/// module makes: `<target's name>.<16 hex digits>.part`, in the target's folder. Anything else
/// (another folder, another file's name) is not looked at.
pub(crate) fn part_named(target: &Path, name: &str) -> Option<PathBuf> {
    let own = file_name(target).ok()?;
    let middle = name
        .strip_prefix(own.as_str())?
        .strip_prefix('.')?
        .strip_suffix(".part")?;
    let ok = middle.len() == 2 * RANDOM_BYTES
        && middle
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    ok.then(|| folder(target).join(name))
}

/// Creates a new partial file for `target` under a random name, exclusively: it never opens
/// anything that was there before. Returns its name (for the sidecar), path and handle
/// (appending).
pub(crate) fn create_part(target: &Path) -> io::Result<(String, PathBuf, File)> {
    let own = file_name(target)?;
    let mut last = None;
    for _ in 0..16 {
        let name = format!("{own}.{}.part", random_hex()?);
        let path = folder(target).join(&name);
        let mut opts = OpenOptions::new();
        opts.read(true).append(true).create_new(true);
        no_follow(&mut opts);
        match opts.open(&path) {
            Ok(file) => return Ok((name, path, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::other("no free name for a partial download")))
}

/// Opens a file found on disk (not made in this run) for reading, and appending when `append`:
/// refused unless it is a regular file of this user's with one link (see the module doc).
pub(crate) fn open_own(path: &Path, append: bool) -> io::Result<File> {
    #[cfg(not(unix))]
    if std::fs::symlink_metadata(path)?.file_type().is_symlink() {
        return Err(refusal(path, "is a symbolic link"));
    }
    let mut opts = OpenOptions::new();
    opts.read(true).append(append);
    no_follow(&mut opts);
    let file = opts.open(path).map_err(|e| {
        if is_link_refusal(&e) {
            refusal(path, "is a symbolic link")
        } else {
            e
        }
    })?;
    check_own_regular(path, &file.metadata()?, current_user())?;
    Ok(file)
}

/// Reads a sidecar found on disk: [`open_own`], and at most 64 KiB.
pub(crate) fn read_sidecar(path: &Path) -> io::Result<Vec<u8>> {
    let file = open_own(path, false)?;
    let mut bytes = Vec::new();
    file.take(MAX_SIDECAR + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_SIDECAR {
        return Err(refusal(path, "is too large for a download sidecar"));
    }
    Ok(bytes)
}

/// Writes `bytes` as the new content of `path` without opening what is there: a new file under
/// a random name beside it, created exclusively, renamed over it (a link at `path` is
/// replaced, not followed): `gapi_retry::atomic_file`.
pub(crate) fn replace_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let prefix = format!(".{}.tmp-", file_name(path)?);
    gapi_retry::atomic_file::write_atomic(path, &prefix, bytes)
}

/// Gives the finished `part` its final name `target`. Without `overwrite` nothing at `target`
/// (a file, a link, even a dangling one) is ever replaced: the file is hard-linked there, which
/// fails when the name is taken, and the partial name removed; where hard links are not
/// supported, a look then a rename. With `overwrite`, a rename (a link at `target` is replaced
/// itself, its destination untouched).
pub(crate) fn publish(part: &Path, target: &Path, overwrite: bool) -> io::Result<()> {
    if overwrite {
        return std::fs::rename(part, target);
    }
    match std::fs::hard_link(part, target) {
        Ok(()) => std::fs::remove_file(part),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(e),
        Err(_) => {
            if std::fs::symlink_metadata(target).is_ok() {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!("{} exists", target.display()),
                ));
            }
            std::fs::rename(part, target)
        }
    }
}

/// Removes a file by name, if there (removing a link removes the link only); errors are
/// ignored, this only tidies up.
pub(crate) fn remove_quietly(path: &Path) {
    if let Err(e) = std::fs::remove_file(path)
        && e.kind() != io::ErrorKind::NotFound
    {
        tracing::debug!("could not remove {}: {e}", path.display());
    }
}

fn refusal(path: &Path, why: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::PermissionDenied,
        format!(
            "{} {why}; a download only continues its own partial files",
            path.display()
        ),
    )
}

#[cfg(unix)]
fn no_follow(opts: &mut OpenOptions) {
    use rustix::fs::OFlags;
    use std::os::unix::fs::OpenOptionsExt as _;
    opts.custom_flags((OFlags::NOFOLLOW | OFlags::NONBLOCK).bits() as i32);
}

#[cfg(not(unix))]
fn no_follow(_opts: &mut OpenOptions) {}

/// `O_NOFOLLOW` on a link fails with `ELOOP` (Linux, macOS) or `EMLINK` (FreeBSD).
fn is_link_refusal(e: &io::Error) -> bool {
    #[cfg(unix)]
    {
        let code = e.raw_os_error();
        code == Some(rustix::io::Errno::LOOP.raw_os_error())
            || code == Some(rustix::io::Errno::MLINK.raw_os_error())
    }
    #[cfg(not(unix))]
    {
        let _ = e;
        false
    }
}

/// The user whose files a download may continue: the effective uid (`None`: not checked).
fn current_user() -> Option<u32> {
    #[cfg(unix)]
    {
        Some(rustix::process::geteuid().as_raw())
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// A regular file, owned by `user` (when known), with no other hard link.
fn check_own_regular(path: &Path, meta: &std::fs::Metadata, user: Option<u32>) -> io::Result<()> {
    if !meta.is_file() {
        return Err(refusal(path, "is not a regular file"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        if let Some(uid) = user
            && meta.uid() != uid
        {
            return Err(refusal(path, "belongs to another user"));
        }
        if meta.nlink() != 1 {
            return Err(refusal(path, "has other hard links"));
        }
    }
    #[cfg(not(unix))]
    let _ = user;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    #[test]
    fn part_names_are_random_exclusive_and_recognised() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("report.pdf");
        let (a, pa, _fa) = create_part(&target).unwrap();
        let (b, pb, _fb) = create_part(&target).unwrap();
        assert_ne!(a, b, "each start gets its own name");
        assert_eq!(part_named(&target, &a), Some(pa));
        assert_eq!(part_named(&target, &b), Some(pb));
        for bad in [
            "report.pdf.part",
            "other.pdf.0123456789abcdef.part",
            "report.pdf.0123456789ABCDEF.part",
            "report.pdf.0123456789abcde.part",
            "report.pdf.../../etc/passwd.part",
            "report.pdf.0123456789abcdef.part/x",
        ] {
            assert_eq!(part_named(&target, bad), None, "{bad}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn only_own_regular_single_link_files_are_opened() {
        use std::os::unix::fs::MetadataExt as _;
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "precious").unwrap();
        let own = dir.path().join("own");
        std::fs::write(&own, "mine").unwrap();
        assert!(open_own(&own, true).is_ok());
        assert_eq!(read_sidecar(&own).unwrap(), b"mine");

        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        let e = open_own(&link, true).unwrap_err();
        assert!(e.to_string().contains("symbolic link"), "{e}");

        let hard = dir.path().join("hard");
        std::fs::hard_link(&victim, &hard).unwrap();
        let e = open_own(&hard, true).unwrap_err();
        assert!(e.to_string().contains("hard links"), "{e}");

        let fifo = dir.path().join("fifo");
        rustix::fs::mkfifoat(rustix::fs::CWD, &fifo, rustix::fs::Mode::from(0o600)).unwrap();
        let e = open_own(&fifo, false).unwrap_err();
        assert!(e.to_string().contains("not a regular file"), "{e}");
        assert!(open_own(dir.path(), false).is_err(), "a folder");

        // Another user's file (the uid is injected: tests need not run as root to show it).
        let meta = std::fs::metadata(&own).unwrap();
        assert!(check_own_regular(&own, &meta, Some(meta.uid())).is_ok());
        let e = check_own_regular(&own, &meta, Some(meta.uid() + 1)).unwrap_err();
        assert!(e.to_string().contains("another user"), "{e}");

        let big = dir.path().join("big");
        std::fs::write(&big, vec![b' '; MAX_SIDECAR as usize + 1]).unwrap();
        assert!(read_sidecar(&big).is_err());
        assert_eq!(std::fs::read(&victim).unwrap(), b"precious");
    }

    #[cfg(unix)]
    #[test]
    fn replacing_and_publishing_never_write_through_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "precious").unwrap();
        let meta = dir.path().join("x.part.meta");
        std::os::unix::fs::symlink(&victim, &meta).unwrap();
        replace_file(&meta, b"{}").unwrap();
        assert_eq!(std::fs::read(&meta).unwrap(), b"{}");
        assert!(!std::fs::symlink_metadata(&meta).unwrap().is_symlink());

        let target = dir.path().join("x");
        std::os::unix::fs::symlink(dir.path().join("gone"), &target).unwrap();
        let (_, part, mut f) = create_part(&target).unwrap();
        f.write_all(b"data").unwrap();
        let e = publish(&part, &target, false).unwrap_err();
        assert_eq!(
            e.kind(),
            io::ErrorKind::AlreadyExists,
            "a dangling link is taken"
        );
        assert!(!dir.path().join("gone").exists());
        publish(&part, &target, true).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"data");
        assert!(!dir.path().join("gone").exists(), "the link was replaced");
        assert_eq!(std::fs::read(&victim).unwrap(), b"precious");

        let (_, part, _) = create_part(&target).unwrap();
        let fresh = dir.path().join("fresh");
        publish(&part, &fresh, false).unwrap();
        assert!(fresh.exists() && !part.exists());
    }
}
