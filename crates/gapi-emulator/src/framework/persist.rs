//! Keeps the emulator's state in a data directory, guarded by a lock file against two
//! emulators sharing one directory:
//!
//! - `state.json`: a snapshot (every persistent store, by name, and the sequence number of the
//!   last change it holds), replaced atomically (temp file, fsync, rename);
//! - `journal.jsonl`: one line per saved request, appended and fsynced: the changes since the
//!   snapshot, as JSON paths into the stores (`["drive","drives","a@x","files","ID"]`) set or
//!   removed. Each line carries a checksum and a sequence number one above the line before;
//!   a torn last line (a crash mid-write) is detected, ignored with a warning and cut off,
//!   never a crash; damage anywhere else (a bad line, a record missing or out of order) stops
//!   the start with the command that keeps every good record before it ([`repair_journal`]);
//! - `blobs/<sha256>`: strings of 8 KiB and more (file contents, upload buffers), written once
//!   and referenced from the snapshot and journal, so a change to a file's name does not
//!   rewrite its content.
//!
//! At start, and whenever the journal outgrows the snapshot (and 8 MiB), the state is compacted:
//! a new snapshot, an empty journal, unreferenced blobs removed.
//!
//! A change is acknowledged only once it is on disk. When a save fails (a full disk, an I/O
//! error), the torn line is cut off the journal, every store is put back as it is on disk (so
//! memory never holds what the disk does not), and each request whose changes were taken back
//! is answered 503 by the router. `POST /__emulator/disk {"full": true}` makes writes fail as on
//! a full disk, to test exactly that.

use std::collections::HashSet;
use std::fs::{self, File};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::{Map, Value, json};

use crate::error::EmulatorError;

use super::random::sha256_hex;
use super::store::{CHANGE_SEQ, Persisted, TOKENS_STORE};

const STATE_FILE: &str = "state.json";
const JOURNAL_FILE: &str = "journal.jsonl";
const BLOB_DIR: &str = "blobs";
const LOCK_FILE: &str = ".lock";
/// Layout of `state.json` (`{"format", "seq", "stores"}`).
const FORMAT: &str = "gapi-emulator-state/3";
/// The layout before the journal: stores at the top level.
const FORMAT_2: &str = "gapi-emulator-state/2";
/// Strings at least this long go to `blobs/`.
const BLOB_MIN: usize = 8 * 1024;
/// The journal is compacted once it is larger than this and than the snapshot.
const COMPACT_MIN: u64 = 8 * 1024 * 1024;
/// Marker of a string kept in `blobs/`: `{"$gapi-blob": "<sha256>"}`.
const BLOB_KEY: &str = "$gapi-blob";
/// Diffs stop descending at this depth and replace the whole value.
const MAX_DIFF_DEPTH: usize = 16;

/// Owner of a data directory while the emulator runs.
pub(crate) struct Persister {
    dir: PathBuf,
    _lock: File,
    state: Mutex<Journal>,
    /// Changes numbered up to this are on disk or were taken back (`store::CHANGE_SEQ`).
    durable: AtomicU64,
    /// The highest change number a failed save took back (0: none).
    lost_max: AtomicU64,
    /// Writes fail as on a full disk (`POST /__emulator/disk`).
    disk_full: AtomicBool,
}

/// The saved state as last written, and the open journal. The mutex around it also keeps
/// saves in order.
struct Journal {
    /// Every store's JSON as on disk, blobs inline.
    latest: Map<String, Value>,
    file: File,
    /// The journal's length: where the last record written whole ends.
    len: u64,
    seq: u64,
    snapshot_len: u64,
    /// Ranges `(after, upto]` of change numbers that failed saves took back.
    lost: Vec<(u64, u64)>,
    /// Why nothing more can be written (a torn line that could not be cut off), if so.
    broken: Option<String>,
}

/// How many taken-back ranges are remembered; older ones are merged (which can only turn
/// an old request's answer into a 503, never into a false success).
const MAX_LOST_RANGES: usize = 1024;

impl Journal {
    /// Remembers that the changes numbered in `(after, upto]` were taken back.
    fn note_lost(&mut self, after: u64, upto: u64) {
        if upto <= after {
            return;
        }
        match self.lost.last_mut() {
            Some(last) if after <= last.1 => last.1 = last.1.max(upto),
            _ => self.lost.push((after, upto)),
        }
        if self.lost.len() > MAX_LOST_RANGES {
            let second = self.lost.remove(1);
            self.lost[0].1 = second.1;
        }
    }

    /// Whether any change numbered in `first..=last` was taken back.
    fn took_back(&self, first: u64, last: u64) -> bool {
        self.lost.iter().any(|&(a, b)| first <= b && last > a)
    }
}

fn data_err(path: &Path, message: impl Into<String>) -> EmulatorError {
    EmulatorError::Data {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

fn invalid(path: &Path, why: &str) -> EmulatorError {
    data_err(
        path,
        format!("the saved state is not valid ({why}); move the file away to start fresh"),
    )
}

fn write_err(path: &Path) -> impl Fn(std::io::Error) -> EmulatorError + '_ {
    move |source| EmulatorError::Write {
        path: path.to_path_buf(),
        source,
    }
}

#[cfg(unix)]
fn private_dir(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let _ = fs::set_permissions(dir, fs::Permissions::from_mode(0o700));
}

#[cfg(not(unix))]
fn private_dir(_dir: &Path) {}

impl Persister {
    /// Creates (0700) and locks `dir`, loads its state if there is one, and compacts it.
    pub(crate) fn open(dir: &Path) -> Result<Self, EmulatorError> {
        fs::create_dir_all(dir.join(BLOB_DIR))
            .map_err(|e| data_err(dir, format!("cannot create the directory: {e}")))?;
        private_dir(dir);
        private_dir(&dir.join(BLOB_DIR));
        let lock_path = dir.join(LOCK_FILE);
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| data_err(&lock_path, format!("cannot open the lock file: {e}")))?;
        // std's file locks need Rust 1.89; the workspace builds with 1.95 (see DESIGN.md).
        #[allow(clippy::incompatible_msrv)]
        let locked = lock.try_lock();
        locked.map_err(|_| {
            data_err(
                dir,
                "another emulator is using this data directory; stop it or choose another --data directory",
            )
        })?;
        let (mut latest, seq) = load_snapshot(dir)?;
        let scan = scan_journal(dir, &mut latest, seq)?;
        if let Some(damage) = scan.damage {
            return Err(damage.into_error(dir));
        }
        let (seq, replayed) = (scan.seq, scan.changed);
        let journal_path = dir.join(JOURNAL_FILE);
        let needs_compaction = replayed
            || !dir.join(STATE_FILE).exists()
            || journal_path.metadata().is_ok_and(|m| m.len() > 0);
        let journal = Journal {
            latest,
            file: open_journal(&journal_path)?,
            len: 0,
            seq,
            snapshot_len: dir
                .join(STATE_FILE)
                .metadata()
                .map(|m| m.len())
                .unwrap_or(0),
            lost: Vec::new(),
            broken: None,
        };
        let persister = Self {
            dir: dir.to_path_buf(),
            _lock: lock,
            state: Mutex::new(journal),
            durable: AtomicU64::new(0),
            lost_max: AtomicU64::new(0),
            disk_full: AtomicBool::new(false),
        };
        if needs_compaction {
            let mut journal = persister.state.lock().unwrap_or_else(|e| e.into_inner());
            persister.compact(&mut journal)?;
        }
        Ok(persister)
    }

    /// The saved JSON of the store `name`, if the directory had one.
    pub(crate) fn loaded(&self, name: &str) -> Option<Value> {
        self.state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .latest
            .get(name)
            .cloned()
    }

    /// Makes writes fail as on a full disk (`true`) or work again (`false`).
    pub(crate) fn simulate_full_disk(&self, full: bool) {
        self.disk_full.store(full, Ordering::Release);
    }

    /// Fails as a full disk does, while one is simulated.
    fn check_space(&self, path: &Path) -> Result<(), EmulatorError> {
        if self.disk_full.load(Ordering::Acquire) {
            return Err(write_err(path)(full_disk()));
        }
        Ok(())
    }

    /// Makes the changes numbered `first..=last` (`store::REQUEST_CHANGE`) durable: appends
    /// the changes of the stores that changed since the last save, unless a save already
    /// covered them (one save covers every request whose changes it picked up: a group
    /// commit). `last == u64::MAX` saves whatever changed. An error means those changes are
    /// not on disk and no longer in memory either (see the module doc): the request must not
    /// be acknowledged.
    pub(crate) fn save(
        &self,
        stores: &[Arc<dyn Persisted>],
        (first, last): (u64, u64),
    ) -> Result<(), EmulatorError> {
        let everything = last == u64::MAX;
        let first = if first == 0 { last } else { first };
        if !everything
            && self.durable.load(Ordering::Acquire) >= last
            && first > self.lost_max.load(Ordering::Acquire)
        {
            return Ok(());
        }
        let mut journal = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if everything || self.durable.load(Ordering::Acquire) < last {
            let before = self.durable.load(Ordering::Acquire);
            match self.append(&mut journal, stores) {
                Ok(upto) => {
                    self.durable.fetch_max(upto, Ordering::AcqRel);
                }
                Err(e) => {
                    let taken_back = roll_back(&journal, stores);
                    journal.note_lost(before, taken_back);
                    self.lost_max.fetch_max(taken_back, Ordering::AcqRel);
                    self.durable.fetch_max(taken_back, Ordering::AcqRel);
                    tracing::error!("a change was not saved, and was undone: {e}");
                    return Err(e);
                }
            }
        }
        if !everything && journal.took_back(first, last) {
            return Err(data_err(
                &self.dir.join(JOURNAL_FILE),
                "an earlier save failed and undid this request's changes",
            ));
        }
        Ok(())
    }

    /// Writes what changed as one record; returns the number of the last change it holds
    /// (every change numbered up to it, and none after, is in it).
    fn append(
        &self,
        journal: &mut Journal,
        stores: &[Arc<dyn Persisted>],
    ) -> Result<u64, EmulatorError> {
        let journal_path = self.dir.join(JOURNAL_FILE);
        if let Some(why) = &journal.broken {
            return Err(data_err(&journal_path, why.clone()));
        }
        // Every store held at once: the values and the change number are of one moment.
        let (upto, changed) = {
            let held: Vec<_> = lock_order(stores)
                .map(|s| (s.name(), s.hold_read()))
                .collect();
            let upto = CHANGE_SEQ.load(Ordering::Acquire);
            let mut changed = Vec::new();
            for (name, store) in &held {
                match store.take_if_dirty() {
                    None => {}
                    Some(Ok(v)) => changed.push(((*name).to_owned(), v)),
                    Some(Err(e)) => {
                        return Err(data_err(
                            &self.dir,
                            format!("could not serialize the emulator's {name} state: {e}"),
                        ));
                    }
                }
            }
            (upto, changed)
        };
        let mut ops = Vec::new();
        let mut updated = Vec::new();
        for (name, value) in changed {
            match journal.latest.get(&name) {
                Some(old) => {
                    let mut path = vec![name.clone()];
                    diff(old, &value, &mut path, &mut ops, 0);
                }
                None => ops.push(json!({"p": [name.clone()], "v": value})),
            }
            updated.push((name, value));
        }
        if !ops.is_empty() {
            let mut ops = Value::Array(ops);
            self.externalize(&mut ops)?;
            let seq = journal.seq + 1;
            let payload = json!({"seq": seq, "ops": ops}).to_string();
            let line = format!("{} {payload}\n", checksum(&payload));
            self.write_record(journal, line.as_bytes())
                .map_err(write_err(&journal_path))?;
            journal.seq = seq;
            journal.len += line.len() as u64;
        }
        // On disk now: the memory of what is saved follows.
        journal.latest.extend(updated);
        if journal.len > COMPACT_MIN
            && journal.len > journal.snapshot_len
            && let Err(e) = self.compact(journal)
        {
            // The records are safe in the journal; compaction is tried again later.
            tracing::warn!("could not compact the emulator's saved state: {e}");
        }
        Ok(upto)
    }

    /// Appends one record and syncs it. When that fails the part written is cut off, so the
    /// journal still ends with the last record written whole; if even that fails, nothing
    /// more is written until a restart (which ignores a torn last line).
    fn write_record(&self, journal: &mut Journal, line: &[u8]) -> std::io::Result<()> {
        let written = if self.disk_full.load(Ordering::Acquire) {
            // As a full disk fails: part of the line is written, then ENOSPC.
            journal
                .file
                .write_all(&line[..line.len() / 2])
                .and_then(|()| Err(full_disk()))
        } else {
            journal
                .file
                .write_all(line)
                .and_then(|()| journal.file.sync_data())
        };
        if let Err(e) = written {
            if let Err(cut) = journal
                .file
                .set_len(journal.len)
                .and_then(|()| journal.file.sync_data())
            {
                journal.broken = Some(format!(
                    "a failed write ({e}) could not be cut off the journal ({cut}); restart the emulator, which ignores a torn last record"
                ));
            }
            return Err(e);
        }
        Ok(())
    }

    /// A new snapshot of `journal.latest`, an empty journal, unreferenced blobs removed.
    fn compact(&self, journal: &mut Journal) -> Result<(), EmulatorError> {
        self.check_space(&self.dir.join(STATE_FILE))?;
        let mut stores = Value::Object(journal.latest.clone());
        let used = self.externalize(&mut stores)?;
        let snapshot = json!({"format": FORMAT, "seq": journal.seq, "stores": stores});
        let bytes = serde_json::to_vec(&snapshot)
            .map_err(|e| data_err(&self.dir, format!("could not serialize the state: {e}")))?;
        write_atomically(&self.dir.join(STATE_FILE), &bytes)?;
        journal.snapshot_len = bytes.len() as u64;
        // Records up to `seq` are in the snapshot now; a crash before this truncation only
        // leaves records that the next start skips.
        let journal_path = self.dir.join(JOURNAL_FILE);
        journal
            .file
            .set_len(0)
            .and_then(|()| journal.file.sync_all())
            .map_err(write_err(&journal_path))?;
        journal.len = 0;
        if let Ok(entries) = fs::read_dir(self.dir.join(BLOB_DIR)) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if !used.contains(&name) {
                    let _ = fs::remove_file(entry.path());
                }
            }
        }
        Ok(())
    }

    /// Replaces long strings in `value` by blob markers, writing the blobs not yet on disk;
    /// returns the hashes referenced.
    fn externalize(&self, value: &mut Value) -> Result<HashSet<String>, EmulatorError> {
        let mut used = HashSet::new();
        let mut failure = None;
        walk_strings(value, &mut |s: &mut Value| {
            let Value::String(text) = s else {
                return;
            };
            if text.len() < BLOB_MIN {
                return;
            }
            let hash = sha256_hex(text.as_bytes());
            let path = self.dir.join(BLOB_DIR).join(&hash);
            if !used.contains(&hash)
                && !path.exists()
                && let Err(e) = self
                    .check_space(&path)
                    .and_then(|()| write_atomically(&path, text.as_bytes()))
            {
                failure = Some(e);
            }
            used.insert(hash.clone());
            *s = json!({ BLOB_KEY: hash });
        });
        match failure {
            Some(e) => Err(e),
            None => Ok(used),
        }
    }
}

/// The error a full disk gives (`ENOSPC`).
fn full_disk() -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::StorageFull,
        "No space left on device (simulated by POST /__emulator/disk)",
    )
}

/// The stores in the order locks are taken: the services' first, the shared token table last.
fn lock_order(stores: &[Arc<dyn Persisted>]) -> impl Iterator<Item = &Arc<dyn Persisted>> {
    stores
        .iter()
        .filter(|s| s.name() != TOKENS_STORE)
        .chain(stores.iter().filter(|s| s.name() == TOKENS_STORE))
}

/// Puts every store back as it is on disk, holding all their locks at once (the service
/// stores first, the token table last, as handlers take them) so that no change slips in
/// half way. Returns the number of the last change taken back: every change numbered up to
/// it and not yet durable is undone, every later one is made on the restored state.
fn roll_back(journal: &Journal, stores: &[Arc<dyn Persisted>]) -> u64 {
    let mut held: Vec<_> = lock_order(stores).map(|s| (s.name(), s.hold())).collect();
    for (name, store) in &mut held {
        if let Err(e) = store.restore(journal.latest.get(*name)) {
            tracing::error!("could not put the emulator's {name} state back as saved: {e}");
        }
    }
    CHANGE_SEQ.load(Ordering::Acquire)
}

/// Calls `f` on every string value (not keys) of `value`.
fn walk_strings(value: &mut Value, f: &mut impl FnMut(&mut Value)) {
    match value {
        Value::String(_) => f(value),
        Value::Array(items) => items.iter_mut().for_each(|v| walk_strings(v, f)),
        Value::Object(map) => map.values_mut().for_each(|v| walk_strings(v, f)),
        _ => {}
    }
}

/// Puts the blobs' strings back in place of their markers.
fn internalize(dir: &Path, value: &mut Value) -> Result<(), EmulatorError> {
    match value {
        Value::Object(map) if map.len() == 1 && map.contains_key(BLOB_KEY) => {
            let hash = map.get(BLOB_KEY).and_then(Value::as_str).unwrap_or("");
            if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(invalid(dir, "a blob reference is malformed"));
            }
            let path = dir.join(BLOB_DIR).join(hash);
            let bytes = fs::read(&path)
                .map_err(|e| invalid(&path, &format!("a referenced blob cannot be read: {e}")))?;
            if sha256_hex(&bytes) != hash {
                return Err(invalid(&path, "a blob does not match its checksum"));
            }
            let text =
                String::from_utf8(bytes).map_err(|_| invalid(&path, "a blob is not UTF-8 text"))?;
            *value = Value::String(text);
            Ok(())
        }
        Value::Object(map) => map.values_mut().try_for_each(|v| internalize(dir, v)),
        Value::Array(items) => items.iter_mut().try_for_each(|v| internalize(dir, v)),
        _ => Ok(()),
    }
}

/// 16 hex characters of SHA-256: enough to tell a torn or damaged line.
fn checksum(payload: &str) -> String {
    sha256_hex(payload.as_bytes())[..16].to_owned()
}

/// The snapshot's stores and sequence number (empty for a fresh directory). Also reads the
/// two earlier layouts.
fn load_snapshot(dir: &Path) -> Result<(Map<String, Value>, u64), EmulatorError> {
    let path = dir.join(STATE_FILE);
    let mut file = match fs::read(&path) {
        Ok(bytes) => match serde_json::from_slice::<Value>(&bytes) {
            Ok(Value::Object(map)) => map,
            Ok(_) => return Err(invalid(&path, "not a JSON object")),
            Err(e) => return Err(invalid(&path, &e.to_string())),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((Map::new(), 0)),
        Err(e) => return Err(data_err(&path, format!("cannot read: {e}"))),
    };
    let (mut stores, seq) = match file.remove("format") {
        Some(Value::String(f)) if f == FORMAT => {
            let seq = file.get("seq").and_then(Value::as_u64).unwrap_or(0);
            match file.remove("stores") {
                Some(Value::Object(s)) => (s, seq),
                _ => return Err(invalid(&path, "it has no stores")),
            }
        }
        Some(Value::String(f)) if f == FORMAT_2 => (file, 0),
        None => (migrate_flat(file), 0),
        Some(_) => {
            return Err(invalid(
                &path,
                "it was written by another version of the emulator",
            ));
        }
    };
    let mut wrapped = Value::Object(std::mem::take(&mut stores));
    internalize(dir, &mut wrapped)?;
    let Value::Object(stores) = wrapped else {
        return Ok((Map::new(), seq));
    };
    Ok((stores, seq))
}

/// The layout before services had their own stores: one flat object.
fn migrate_flat(mut flat: Map<String, Value>) -> Map<String, Value> {
    let mut take = |keys: &[&str]| {
        let mut m = Map::new();
        for k in keys {
            if let Some(v) = flat.remove(*k) {
                m.insert((*k).to_owned(), v);
            }
        }
        m
    };
    let oauth = take(&["codes", "refresh_tokens", "grants", "devices"]);
    let tokens = take(&["access_tokens"]);
    let drive = take(&["drives", "uploads"]);
    let mut stores = Map::new();
    if !oauth.is_empty() {
        stores.insert("oauth".into(), Value::Object(oauth));
    }
    if let Some(t) = tokens.into_iter().next() {
        stores.insert("tokens".into(), t.1);
    }
    if !drive.is_empty() {
        stores.insert("drive".into(), Value::Object(drive));
    }
    stores
}

/// What reading the journal found.
struct Scan {
    /// The last sequence number applied (the snapshot's if none).
    seq: u64,
    /// Whether anything was replayed or a torn last line cut off.
    changed: bool,
    /// The first damaged line, if any.
    damage: Option<Damage>,
}

/// The first damaged line of a journal: what is wrong, and what a repair keeps and drops.
struct Damage {
    line: usize,
    why: String,
    /// Records before it (all good).
    kept: usize,
    /// Lines from it to the end.
    dropped: usize,
    /// Where it starts: the journal is cut here to repair it.
    offset: u64,
}

impl Damage {
    fn into_error(self, dir: &Path) -> EmulatorError {
        EmulatorError::DamagedJournal {
            path: dir.join(JOURNAL_FILE),
            dir: dir.to_path_buf(),
            line: self.line,
            why: self.why,
            kept: self.kept,
            dropped: self.dropped,
        }
    }
}

/// Applies the journal's records after `seq` to `stores`, stopping at the first damaged line:
/// one that does not match its checksum or cannot be applied, or a record whose sequence
/// number is not one above the record before it (a record missing or out of order). A torn
/// last line is a crash's doing and is only warned about.
fn scan_journal(
    dir: &Path,
    stores: &mut Map<String, Value>,
    snapshot_seq: u64,
) -> Result<Scan, EmulatorError> {
    let path = dir.join(JOURNAL_FILE);
    let mut scan = Scan {
        seq: snapshot_seq,
        changed: false,
        damage: None,
    };
    let file = match File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(scan),
        Err(e) => return Err(data_err(&path, format!("cannot read: {e}"))),
    };
    let mut lines = std::io::BufReader::new(file).split(b'\n').peekable();
    let mut number = 0;
    let mut offset = 0u64;
    let mut records = 0;
    let mut previous: Option<u64> = None;
    while let Some(line) = lines.next() {
        number += 1;
        let line = line.map_err(|e| data_err(&path, format!("cannot read: {e}")))?;
        let last = lines.peek().is_none();
        let start = offset;
        offset += line.len() as u64 + 1;
        let problem = match parse_record(&line) {
            None if last => {
                tracing::warn!(
                    "{}: the last record (line {number}) is incomplete, probably cut off by a crash; ignoring it",
                    path.display()
                );
                scan.changed = true;
                break;
            }
            None => Some("it does not match its checksum".to_string()),
            Some((record_seq, ops)) => match previous {
                Some(p) if record_seq != p + 1 => Some(format!(
                    "record {record_seq} follows record {p}: {}",
                    if record_seq > p + 1 {
                        "records are missing"
                    } else {
                        "records are out of order"
                    }
                )),
                None if record_seq > snapshot_seq + 1 => Some(format!(
                    "the journal starts at record {record_seq}, the snapshot ends at {snapshot_seq}: records are missing"
                )),
                _ => {
                    previous = Some(record_seq);
                    if record_seq <= scan.seq {
                        records += 1;
                        continue;
                    }
                    let applied = ops.into_iter().try_for_each(|mut op| {
                        internalize(dir, &mut op).map_err(|e| e.to_string())?;
                        apply(stores, &op)
                    });
                    match applied {
                        Ok(()) => {
                            scan.seq = record_seq;
                            scan.changed = true;
                            records += 1;
                            None
                        }
                        Err(why) => Some(format!("it cannot be applied: {why}")),
                    }
                }
            },
        };
        if let Some(why) = problem {
            let rest = lines
                .filter(|l| l.as_ref().is_ok_and(|l| !l.is_empty()))
                .count();
            scan.damage = Some(Damage {
                line: number,
                why,
                kept: records,
                dropped: rest + 1,
                offset: start,
            });
            break;
        }
    }
    Ok(scan)
}

/// What [`repair_journal`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct JournalRepair {
    /// The records kept (every one before the first damaged line).
    pub kept: usize,
    /// The lines dropped (the damaged one and every one after it).
    pub dropped: usize,
    /// Where the journal as it was before the repair is kept (`None`: nothing to repair).
    pub original: Option<PathBuf>,
}

/// Repairs the journal of the data directory `dir` (no emulator may be using it): keeps every
/// record before the first damaged one, drops that one and all after it, and keeps a copy of
/// the journal as it was beside it (`journal.jsonl.damaged-<seconds since 1970>`). The state
/// snapshot must be valid; a journal without damage is left as it is.
pub fn repair_journal(dir: &Path) -> Result<JournalRepair, EmulatorError> {
    let lock_path = dir.join(LOCK_FILE);
    let lock = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|e| data_err(&lock_path, format!("cannot open the lock file: {e}")))?;
    #[allow(clippy::incompatible_msrv)]
    let locked = lock.try_lock();
    locked.map_err(|_| {
        data_err(
            dir,
            "an emulator is using this data directory; stop it before repairing its journal",
        )
    })?;
    let (mut stores, seq) = load_snapshot(dir)?;
    let scan = scan_journal(dir, &mut stores, seq)?;
    let Some(damage) = scan.damage else {
        return Ok(JournalRepair {
            kept: 0,
            dropped: 0,
            original: None,
        });
    };
    let path = dir.join(JOURNAL_FILE);
    let bytes = fs::read(&path).map_err(|e| data_err(&path, format!("cannot read: {e}")))?;
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let original = dir.join(format!("{JOURNAL_FILE}.damaged-{secs}"));
    write_atomically(&original, &bytes)?;
    let cut = usize::try_from(damage.offset)
        .unwrap_or(bytes.len())
        .min(bytes.len());
    write_atomically(&path, &bytes[..cut])?;
    Ok(JournalRepair {
        kept: damage.kept,
        dropped: damage.dropped,
        original: Some(original),
    })
}

fn parse_record(line: &[u8]) -> Option<(u64, Vec<Value>)> {
    let text = std::str::from_utf8(line).ok()?;
    let (sum, payload) = text.split_once(' ')?;
    if checksum(payload) != sum {
        return None;
    }
    let record: Value = serde_json::from_str(payload).ok()?;
    let seq = record.get("seq")?.as_u64()?;
    let ops = record.get("ops")?.as_array()?.clone();
    Some((seq, ops))
}

/// `{"p": [path], "v": value}` sets, `{"p": [path], "d": true}` removes.
fn apply(stores: &mut Map<String, Value>, op: &Value) -> Result<(), String> {
    let path: Vec<&str> = op
        .get("p")
        .and_then(Value::as_array)
        .ok_or("an operation has no path")?
        .iter()
        .map(|p| p.as_str().ok_or("a path element is not a string"))
        .collect::<Result<_, _>>()?;
    let (last, parents) = path.split_last().ok_or("an operation has an empty path")?;
    let mut map = stores;
    for p in parents {
        let entry = map
            .entry((*p).to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
        if !entry.is_object() {
            *entry = Value::Object(Map::new());
        }
        map = entry.as_object_mut().ok_or("unreachable")?;
    }
    if op.get("d").is_some() {
        map.remove(*last);
    } else {
        map.insert(
            (*last).to_owned(),
            op.get("v").cloned().unwrap_or(Value::Null),
        );
    }
    Ok(())
}

/// The operations that turn `old` into `new` (objects descended into, anything else
/// replaced).
fn diff(old: &Value, new: &Value, path: &mut Vec<String>, ops: &mut Vec<Value>, depth: usize) {
    match (old, new) {
        (Value::Object(a), Value::Object(b)) if depth < MAX_DIFF_DEPTH => {
            for (k, vb) in b {
                match a.get(k) {
                    Some(va) if va == vb => {}
                    Some(va) => {
                        path.push(k.clone());
                        diff(va, vb, path, ops, depth + 1);
                        path.pop();
                    }
                    None => {
                        let mut p = path.clone();
                        p.push(k.clone());
                        ops.push(json!({"p": p, "v": vb}));
                    }
                }
            }
            for k in a.keys().filter(|k| !b.contains_key(*k)) {
                let mut p = path.clone();
                p.push(k.clone());
                ops.push(json!({"p": p, "d": true}));
            }
        }
        _ if old == new => {}
        _ => ops.push(json!({"p": path.clone(), "v": new})),
    }
}

fn open_journal(path: &Path) -> Result<File, EmulatorError> {
    let mut options = File::options();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).map_err(write_err(path))
}

/// Writes `bytes` to `path` so that readers see the old or the new content, never a mix:
/// a 0600 temp file in the same directory, fsync, rename, fsync of the directory.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), EmulatorError> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let io = write_err(path);
    let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(&io)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(fs::Permissions::from_mode(0o600))
            .map_err(&io)?;
    }
    tmp.write_all(bytes).map_err(&io)?;
    tmp.as_file().sync_all().map_err(&io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    if let Ok(d) = File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diffs_replay_to_the_new_value() {
        let old =
            json!({"drives": {"a": {"files": {"1": {"name": "x"}, "2": {"name": "y"}}}}, "n": 1});
        let new =
            json!({"drives": {"a": {"files": {"1": {"name": "z"}, "3": {"name": "w"}}}}, "n": 1});
        let mut ops = Vec::new();
        diff(&old, &new, &mut vec!["drive".into()], &mut ops, 0);
        assert_eq!(ops.len(), 3, "{ops:?}");
        let mut stores = Map::new();
        stores.insert("drive".into(), old);
        for op in &ops {
            apply(&mut stores, op).unwrap();
        }
        assert_eq!(stores["drive"], new);
    }

    #[test]
    fn records_with_a_bad_checksum_are_rejected() {
        let payload = json!({"seq": 1, "ops": []}).to_string();
        let line = format!("{} {payload}", checksum(&payload));
        assert_eq!(parse_record(line.as_bytes()).unwrap().0, 1);
        assert!(parse_record(&line.as_bytes()[..line.len() - 3]).is_none());
        assert!(parse_record(b"").is_none());
    }

    #[test]
    fn the_flat_layout_is_migrated() {
        let flat =
            json!({"codes": {}, "access_tokens": {"t": 1}, "drives": {"a": 1}, "uploads": {}});
        let Value::Object(flat) = flat else {
            unreachable!()
        };
        let stores = migrate_flat(flat);
        assert_eq!(stores["tokens"], json!({"t": 1}));
        assert_eq!(stores["drive"]["drives"], json!({"a": 1}));
        assert!(stores["oauth"].get("codes").is_some());
    }
}
