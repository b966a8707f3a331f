//! The Discovery documents compiled into gapi, so every Google API works offline.
//!
//! The bundle holds the 610 documents that google-api-python-client 2.202.0 ships (made by
//! `scripts/make-discovery-bundle.py`). Each document is its own zstd frame, compressed with a
//! dictionary shared by all of them, so asking for one API decompresses only that document
//! (Drive v3: ~15 KB read, ~200 KB produced) and never touches the other 10 MB.
//!
//! Layout (little-endian `u32` lengths):
//! `b"GAPIDSC1"`, then `index`, `dictionary`, `directory frame`, each as `len, bytes`, then the
//! document frames. Index lines are
//! `name \t version \t offset \t compressed_len \t raw_len \t preferred`, sorted by name then
//! version; offsets count from the first document frame; `preferred` is 1 on the version that
//! `build(api)` picks when none is named, so that choice needs no directory.

use std::sync::OnceLock;

/// The raw bundle bytes, embedded in the binary (mapped lazily by the OS, not read at start-up).
static BUNDLE: &[u8] = include_bytes!("../bundle/discovery.bundle");

const MAGIC: &[u8; 8] = b"GAPIDSC1";

/// One document in the bundle: which API and version it describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BundleEntry {
    /// The API name as `build()` takes it, e.g. `drive`.
    pub name: &'static str,
    /// The API version, e.g. `v3`.
    pub version: &'static str,
    offset: usize,
    len: usize,
    raw_len: usize,
    preferred: bool,
}

impl BundleEntry {
    /// Size of the decompressed JSON document in bytes.
    pub fn raw_len(&self) -> usize {
        self.raw_len
    }

    /// Whether this is the version to use when none is named.
    pub fn preferred(&self) -> bool {
        self.preferred
    }
}

/// Why the bundle could not be read; only a corrupt build can cause it.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    /// The embedded bytes do not follow the layout this code expects.
    #[error("the bundled discovery documents are corrupt ({0}); rebuild gapi")]
    Corrupt(&'static str),
    /// zstd refused a frame.
    #[error("could not decompress the bundled discovery document {name}:{version}: {source}")]
    Decompress {
        /// API name of the document.
        name: String,
        /// API version of the document.
        version: String,
        /// What zstd said.
        #[source]
        source: std::io::Error,
    },
}

/// The index above as a table, written by `build.rs` from the same bundle (the test
/// `index_table_matches_the_bundle_index` checks it against [`parse_index`]).
static ENTRIES: &[BundleEntry] = include!(concat!(env!("OUT_DIR"), "/bundle-entries.rs"));

struct Parsed {
    dictionary: &'static [u8],
    directory: &'static [u8],
    frames: &'static [u8],
}

fn take_section(bytes: &'static [u8]) -> Result<(&'static [u8], &'static [u8]), BundleError> {
    let len_bytes: [u8; 4] = bytes
        .get(..4)
        .and_then(|b| b.try_into().ok())
        .ok_or(BundleError::Corrupt("truncated section length"))?;
    let len = u32::from_le_bytes(len_bytes) as usize;
    let rest = &bytes[4..];
    if rest.len() < len {
        return Err(BundleError::Corrupt("truncated section"));
    }
    Ok(rest.split_at(len))
}

#[cfg(test)]
fn parse_index(text: &'static str, frames_len: usize) -> Result<Vec<BundleEntry>, BundleError> {
    let mut entries = Vec::with_capacity(640);
    for line in text.lines() {
        let mut fields = line.split('\t');
        let mut next = || {
            fields
                .next()
                .ok_or(BundleError::Corrupt("short index line"))
        };
        let name = next()?;
        let version = next()?;
        let num = |s: &str| {
            s.parse::<usize>()
                .map_err(|_| BundleError::Corrupt("bad number in index"))
        };
        let offset = num(next()?)?;
        let len = num(next()?)?;
        let raw_len = num(next()?)?;
        let preferred = next()? == "1";
        if offset.checked_add(len).is_none_or(|end| end > frames_len) {
            return Err(BundleError::Corrupt("frame out of range"));
        }
        entries.push(BundleEntry {
            name,
            version,
            offset,
            len,
            raw_len,
            preferred,
        });
    }
    Ok(entries)
}

fn parse() -> Result<Parsed, BundleError> {
    let rest = BUNDLE
        .strip_prefix(MAGIC.as_slice())
        .ok_or(BundleError::Corrupt("bad magic"))?;
    // The index section is read at build time into ENTRIES.
    let (_index, rest) = take_section(rest)?;
    let (dictionary, rest) = take_section(rest)?;
    let (directory, frames) = take_section(rest)?;
    if ENTRIES.iter().any(|e| {
        e.offset
            .checked_add(e.len)
            .is_none_or(|end| end > frames.len())
    }) {
        return Err(BundleError::Corrupt("frame out of range"));
    }
    Ok(Parsed {
        dictionary,
        directory,
        frames,
    })
}

fn parsed() -> Result<&'static Parsed, BundleError> {
    static PARSED: OnceLock<Result<Parsed, String>> = OnceLock::new();
    match PARSED.get_or_init(|| parse().map_err(|e| e.to_string())) {
        Ok(p) => Ok(p),
        Err(_) => Err(BundleError::Corrupt("see the first error")),
    }
}

/// Where an entry sits in [`entries`] (the method index is kept in the same order).
pub(crate) fn position(name: &str, version: &str) -> Option<usize> {
    entries()
        .binary_search_by(|e| (e.name, e.version).cmp(&(name, version)))
        .ok()
}

fn decompress(
    p: &Parsed,
    frame: &[u8],
    capacity: usize,
    name: &str,
    version: &str,
) -> Result<String, BundleError> {
    let err = |source| BundleError::Decompress {
        name: name.to_owned(),
        version: version.to_owned(),
        source,
    };
    // Digested once per process, on first use: loading the 200 KB dictionary costs more than
    // decompressing many a document.
    static DICTIONARY: OnceLock<Option<zstd::dict::DecoderDictionary<'static>>> = OnceLock::new();
    let dictionary = DICTIONARY
        .get_or_init(|| zstd::dict::DecoderDictionary::try_copy(p.dictionary).ok())
        .as_ref()
        .ok_or(BundleError::Corrupt("unreadable dictionary"))?;
    let mut decoder =
        zstd::bulk::Decompressor::with_prepared_dictionary(dictionary).map_err(err)?;
    let bytes = decoder.decompress(frame, capacity).map_err(err)?;
    String::from_utf8(bytes).map_err(|_| BundleError::Corrupt("document is not UTF-8"))
}

/// Every bundled (API, version) pair, sorted by name then version.
///
/// Three entries are aliases that Python's `build()` also accepts (`admin:directoryv1` is
/// `admin:directory_v1`); they share one compressed frame.
pub fn entries() -> &'static [BundleEntry] {
    if parsed().is_ok() { ENTRIES } else { &[] }
}

/// Finds the bundle entry for an API and version, if gapi ships that document.
pub fn entry(name: &str, version: &str) -> Option<&'static BundleEntry> {
    let entries = entries();
    entries
        .binary_search_by(|e| (e.name, e.version).cmp(&(name, version)))
        .ok()
        .map(|i| &entries[i])
}

/// The decompressed JSON text of one bundled document, or `None` when it is not bundled.
pub fn document_json(name: &str, version: &str) -> Result<Option<String>, BundleError> {
    let p = parsed()?;
    let Some(e) = entry(name, version) else {
        return Ok(None);
    };
    let frame = &p.frames[e.offset..e.offset + e.len];
    decompress(p, frame, e.raw_len, name, version).map(Some)
}

/// The versions bundled for one API, in the bundle's (sorted) order.
pub fn versions(name: &str) -> impl Iterator<Item = &'static str> {
    let entries = entries();
    let start = entries.partition_point(|e| e.name < name);
    entries[start..]
        .iter()
        .take_while(move |e| e.name == name)
        .map(|e| e.version)
}

/// The version of an API to use when none is named: the one Google's directory prefers, else
/// the highest stable version bundled.
pub fn preferred_version(name: &str) -> Option<&'static str> {
    let entries = entries();
    let start = entries.partition_point(|e| e.name < name);
    let mut versions = entries[start..].iter().take_while(|e| e.name == name);
    versions.find(|e| e.preferred).map(|e| e.version)
}

/// The Discovery directory (`discovery#directoryList`) of every bundled document.
///
/// Entries come from Google's own directory where the Python wheel carries it (so `preferred`
/// is Google's choice); other documents are listed with a preferred version chosen by rule.
pub fn directory_json() -> Result<String, BundleError> {
    let p = parsed()?;
    // The directory is small (~300 KB); 4 MB is a generous upper bound for its size.
    decompress(p, p.directory, 4 << 20, "directory", "v1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundle_lists_all_python_documents() {
        let entries = entries();
        assert_eq!(
            entries.len(),
            610,
            "google-api-python-client 2.202.0 ships 610"
        );
        assert!(
            entries
                .windows(2)
                .all(|w| (w[0].name, w[0].version) < (w[1].name, w[1].version))
        );
    }

    #[test]
    fn index_table_matches_the_bundle_index() {
        let rest = BUNDLE.strip_prefix(MAGIC.as_slice()).unwrap();
        let (index, rest) = take_section(rest).unwrap();
        let (_, rest) = take_section(rest).unwrap();
        let (_, frames) = take_section(rest).unwrap();
        let parsed = parse_index(std::str::from_utf8(index).unwrap(), frames.len()).unwrap();
        assert_eq!(parsed, ENTRIES);
    }

    #[test]
    fn drive_v3_decompresses_to_its_document() {
        let json = document_json("drive", "v3")
            .unwrap()
            .expect("drive v3 is bundled");
        let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(doc["name"], "drive");
        assert_eq!(doc["version"], "v3");
        assert!(doc["resources"]["files"]["methods"]["list"].is_object());
    }

    #[test]
    fn aliases_resolve_to_the_same_document() {
        let a = document_json("admin", "directory_v1").unwrap().unwrap();
        let b = document_json("admin", "directoryv1").unwrap().unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn unknown_document_is_none() {
        assert!(document_json("drive", "v999").unwrap().is_none());
        assert!(document_json("", "").unwrap().is_none());
    }

    #[test]
    fn versions_lists_every_version_of_an_api() {
        let v: Vec<_> = versions("drive").collect();
        assert_eq!(v, ["v2", "v3"]);
    }

    #[test]
    fn every_api_has_one_preferred_version_matching_the_directory() {
        assert_eq!(preferred_version("drive"), Some("v3"));
        assert_eq!(preferred_version("no-such-api"), None);
        let dir: serde_json::Value = serde_json::from_str(&directory_json().unwrap()).unwrap();
        for item in dir["items"].as_array().unwrap() {
            let (name, version) = (
                item["name"].as_str().unwrap(),
                item["version"].as_str().unwrap(),
            );
            let preferred = item["preferred"].as_bool().unwrap();
            assert_eq!(
                preferred_version(name) == Some(version),
                preferred,
                "{name}:{version}"
            );
        }
    }

    #[test]
    fn directory_marks_preferred_versions() {
        let dir: serde_json::Value = serde_json::from_str(&directory_json().unwrap()).unwrap();
        let items = dir["items"].as_array().unwrap();
        assert_eq!(items.len(), 610);
        let drive_v3 = items
            .iter()
            .find(|i| i["id"] == "drive:v3")
            .expect("drive:v3 listed");
        assert_eq!(drive_v3["preferred"], true);
    }
}
