//! The Discovery documents compiled into gapi, so Google APIs work offline: which ones is the
//! build's choice (cargo features).
//!
//! gapi knows the 610 documents that google-api-python-client 2.202.0 ships (made by
//! `scripts/make-discovery-bundle.py`): [`entries`] lists them all, each with its preferred
//! flag, whether or not its text is embedded. The text of a document is embedded when the
//! cargo feature named after its API is on (`drive`, `gmail`, ... : the preferred version of
//! the featured APIs, whose files sit in this crate) or with `all-apis` (every document; the
//! others come from the gapi-discovery-bundle-K crates). [`BundleEntry::embedded`] says which;
//! a document that is not embedded can be fetched from the Discovery service
//! (`gapi_client::DiscoveryFetcher`).
//!
//! Each document is its own zstd frame, so asking for one API decompresses only that document
//! (Drive v3: ~26 KB read, ~200 KB produced). The featured APIs' frames stand alone; the
//! others (`all-apis`) share a 200 KB dictionary, embedded only with them. Beside each
//! document sits its method index digest ([`crate::method_index`]). Where the frames are is
//! the generated table `src/catalog.rs`.

use std::sync::OnceLock;

use crate::catalog::{OWN, PARTS, ROWS, TEXT};

/// Where the frames of one document are.
#[derive(Clone, Copy)]
enum Frames {
    /// In this crate: `[digest frame, document frame]`, both empty when not embedded.
    Own([&'static [u8]; 2]),
    /// In `frames.bin` of gapi-discovery-bundle-`part`, at `at`: the digest frame, then the
    /// document frame.
    Part {
        part: u8,
        at: u32,
        digest_len: u32,
        doc_len: u32,
    },
}

/// One document gapi knows: which API and version it describes, and whether its text is
/// embedded in this build.
#[derive(Clone, Copy)]
pub struct BundleEntry {
    /// The API name as `build()` takes it, e.g. `drive`.
    pub name: &'static str,
    /// The API version, e.g. `v3`.
    pub version: &'static str,
    preferred: bool,
    raw_len: u32,
    digest_raw_len: u32,
    frames: Frames,
}

impl std::fmt::Debug for BundleEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BundleEntry")
            .field("name", &self.name)
            .field("version", &self.version)
            .field("preferred", &self.preferred)
            .field("embedded", &self.embedded())
            .finish()
    }
}

/// One row of the generated catalog (`src/catalog.rs`): integers only, so the table needs no
/// relocation when a program is loaded; [`entries`] turns the rows into [`BundleEntry`]s on
/// first use.
pub(crate) struct Row {
    name: (u16, u8),
    version: (u16, u8),
    preferred: bool,
    raw_len: u32,
    digest_raw_len: u32,
    /// 0: a featured API, `at` is its place in `catalog::OWN`; else the bundle crate.
    part: u8,
    at: u32,
    digest_len: u32,
    doc_len: u32,
}

/// A catalog row: name and version as (offset, length) in `catalog::TEXT`, then the fields of
/// [`Row`] in order.
#[allow(clippy::too_many_arguments)] // one row of a generated table
pub(crate) const fn row(
    name_at: u16,
    name_len: u8,
    version_at: u16,
    version_len: u8,
    preferred: bool,
    raw_len: u32,
    digest_raw_len: u32,
    part: u8,
    at: u32,
    digest_len: u32,
    doc_len: u32,
) -> Row {
    Row {
        name: (name_at, name_len),
        version: (version_at, version_len),
        preferred,
        raw_len,
        digest_raw_len,
        part,
        at,
        digest_len,
        doc_len,
    }
}

impl Row {
    /// The entry this row describes (a row pointing outside the catalog's text or its list of
    /// featured frames, which its tests rule out, gives empty names or no frames).
    fn entry(&self) -> BundleEntry {
        let text = |(at, len): (u16, u8)| {
            let at = usize::from(at);
            TEXT.get(at..at + usize::from(len)).unwrap_or_default()
        };
        let frames = match self.part {
            0 => Frames::Own(OWN.get(self.at as usize).copied().unwrap_or([&[], &[]])),
            part => Frames::Part {
                part,
                at: self.at,
                digest_len: self.digest_len,
                doc_len: self.doc_len,
            },
        };
        BundleEntry {
            name: text(self.name),
            version: text(self.version),
            preferred: self.preferred,
            raw_len: self.raw_len,
            digest_raw_len: self.digest_raw_len,
            frames,
        }
    }
}

/// The catalog as entries, made from its rows on first use.
fn all() -> &'static [BundleEntry] {
    static ENTRIES: OnceLock<Vec<BundleEntry>> = OnceLock::new();
    ENTRIES.get_or_init(|| ROWS.iter().map(Row::entry).collect())
}

/// The `frames.bin` of gapi-discovery-bundle-`k`, empty when `all-apis` is off.
fn part_bytes(k: u8) -> &'static [u8] {
    match k {
        #[cfg(feature = "all-apis")]
        1 => gapi_discovery_bundle_1::FRAMES,
        #[cfg(feature = "all-apis")]
        2 => gapi_discovery_bundle_2::FRAMES,
        _ => &[],
    }
}

impl BundleEntry {
    /// Size of the decompressed JSON document in bytes.
    pub fn raw_len(&self) -> usize {
        self.raw_len as usize
    }

    /// Whether this is the version to use when none is named.
    pub fn preferred(&self) -> bool {
        self.preferred
    }

    /// The cargo feature that embeds this document: its API's name for the preferred version
    /// of a featured API (`drive`), else `all-apis`.
    pub fn feature(&self) -> &'static str {
        match self.frames {
            Frames::Own(_) => self.name,
            Frames::Part { .. } => "all-apis",
        }
    }

    /// Whether the document's text is compiled into this build (its API's cargo feature, or
    /// `all-apis`); when not, [`document_json`] says `None` and the document can be fetched.
    pub fn embedded(&self) -> bool {
        !self.doc_frame().is_empty()
    }

    /// The document frame (empty when not embedded).
    fn doc_frame(&self) -> &'static [u8] {
        self.frames().map(|(_, doc)| doc).unwrap_or_default()
    }

    /// `(digest frame, document frame)`, both empty when not embedded; `Err` when the catalog
    /// points outside the embedded bytes (a corrupt build).
    fn frames(&self) -> Result<(&'static [u8], &'static [u8]), BundleError> {
        match self.frames {
            Frames::Own([digest, doc]) => Ok((digest, doc)),
            Frames::Part {
                part,
                at,
                digest_len,
                doc_len,
            } => {
                let bytes = part_bytes(part);
                if bytes.is_empty() {
                    return Ok((&[], &[]));
                }
                let (at, digest_len, doc_len) =
                    (at as usize, digest_len as usize, doc_len as usize);
                let mid = at + digest_len;
                match (bytes.get(at..mid), bytes.get(mid..mid + doc_len)) {
                    (Some(digest), Some(doc)) if !doc.is_empty() => Ok((digest, doc)),
                    _ => Err(BundleError::Corrupt(
                        "a catalog entry points outside its part",
                    )),
                }
            }
        }
    }

    /// The method index digest frame and its decompressed size (empty: no digest, or not
    /// embedded).
    pub(crate) fn digest_frame(&self) -> Result<(&'static [u8], usize), BundleError> {
        Ok((self.frames()?.0, self.digest_raw_len as usize))
    }
}

/// Why a bundled document could not be read.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    /// The embedded bytes do not follow the layout this code expects.
    #[error("the bundled discovery documents are corrupt ({0}); rebuild gapi")]
    Corrupt(&'static str),
    /// A frame did not decode: corrupt, made with another dictionary, or not the size the
    /// catalog says.
    #[error("could not decompress the bundled discovery document {name}:{version}: {source}")]
    Decompress {
        /// API name of the document.
        name: String,
        /// API version of the document.
        version: String,
        /// What the zstd decoder said (`InvalidData`).
        #[source]
        source: std::io::Error,
    },
    /// This build does not embed what was asked for.
    #[error(
        "{what} is not embedded in this build (enable the `{feature}` feature of gapi or gapi-discovery)"
    )]
    NotEmbedded {
        /// What was asked for: `the Discovery directory`, `the method search index`.
        what: &'static str,
        /// The cargo feature that embeds it.
        feature: &'static str,
    },
}

/// Where an entry sits in [`entries`].
fn position(name: &str, version: &str) -> Option<usize> {
    all()
        .binary_search_by(|e| (e.name, e.version).cmp(&(name, version)))
        .ok()
}

impl BundleError {
    /// The error for a frame of `name:version` that did not decode (for `map_err`).
    pub(crate) fn decompress<'a>(
        name: &'a str,
        version: &'a str,
    ) -> impl FnOnce(std::io::Error) -> BundleError + 'a {
        move |source| BundleError::Decompress {
            name: name.to_owned(),
            version: version.to_owned(),
            source,
        }
    }
}

/// How a frame was compressed: on its own (a featured document in this crate) or with the
/// dictionary shared by the gapi-discovery-bundle-K crates' documents and the directory.
#[derive(Clone, Copy)]
enum Coding {
    Plain,
    Dictionary,
}

/// Decompresses a frame, refusing more than `limit` bytes.
fn decompress(
    frame: &[u8],
    coding: Coding,
    limit: usize,
    name: &str,
    version: &str,
) -> Result<String, BundleError> {
    let bytes = match coding {
        Coding::Plain => crate::frame::decode_plain(frame, limit),
        Coding::Dictionary => crate::frame::decode_with_dictionary(frame, limit)
            .ok_or(BundleError::Corrupt("unreadable dictionary"))?,
    }
    .map_err(BundleError::decompress(name, version))?;
    String::from_utf8(bytes).map_err(|_| BundleError::Corrupt("document is not UTF-8"))
}

/// Every document gapi knows, embedded or not ([`BundleEntry::embedded`]), sorted by name then
/// version: the same list in every build, so a name can be checked and a preferred version
/// chosen without the document.
///
/// Three entries are aliases that Python's `build()` also accepts (`admin:directoryv1` is
/// `admin:directory_v1`); they share one compressed frame.
pub fn entries() -> &'static [BundleEntry] {
    all()
}

/// Finds the catalog entry for an API and version, if gapi knows that document (embedded or
/// not: see [`BundleEntry::embedded`]).
pub fn entry(name: &str, version: &str) -> Option<&'static BundleEntry> {
    position(name, version).map(|i| &all()[i])
}

/// The decompressed JSON text of one embedded document, or `None` when this build does not
/// embed it (unknown, or its API's feature is off).
pub fn document_json(name: &str, version: &str) -> Result<Option<String>, BundleError> {
    let Some(e) = entry(name, version) else {
        return Ok(None);
    };
    let (_, frame) = e.frames()?;
    if frame.is_empty() {
        return Ok(None);
    }
    let coding = match e.frames {
        Frames::Own(_) => Coding::Plain,
        Frames::Part { .. } => Coding::Dictionary,
    };
    decompress(frame, coding, e.raw_len(), name, version).map(Some)
}

/// The versions gapi knows of one API (embedded or not), in sorted order.
pub fn versions(name: &str) -> impl Iterator<Item = &'static str> {
    let entries = all();
    let start = entries.partition_point(|e| e.name < name);
    entries[start..]
        .iter()
        .take_while(move |e| e.name == name)
        .map(|e| e.version)
}

/// The version of an API to use when none is named: the one Google's directory prefers, else
/// the highest stable version known (embedded or not).
pub fn preferred_version(name: &str) -> Option<&'static str> {
    let entries = all();
    let start = entries.partition_point(|e| e.name < name);
    let mut versions = entries[start..].iter().take_while(|e| e.name == name);
    versions.find(|e| e.preferred).map(|e| e.version)
}

/// The Discovery directory (`discovery#directoryList`) of every document gapi knows, embedded
/// with `all-apis`.
///
/// Entries come from Google's own directory where the Python wheel carries it (so `preferred`
/// is Google's choice); other documents are listed with a preferred version chosen by rule.
pub fn directory_json() -> Result<String, BundleError> {
    #[cfg(feature = "all-apis")]
    {
        static DIRECTORY: &[u8] = include_bytes!("../bundle/directory.zst");
        // The directory is small (~300 KB); 4 MB is a generous upper bound for its size.
        decompress(DIRECTORY, Coding::Dictionary, 4 << 20, "directory", "v1")
    }
    #[cfg(not(feature = "all-apis"))]
    Err(BundleError::NotEmbedded {
        what: "the Discovery directory",
        feature: "all-apis",
    })
}

/// How many gapi-discovery-bundle-K crates the catalog names (for the tests).
#[doc(hidden)]
pub fn part_count() -> u8 {
    PARTS
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::DICTIONARY;

    /// A frame that does not decode is a typed error naming the document, not a panic.
    #[test]
    fn a_corrupt_frame_is_a_typed_error() {
        let frame = include_bytes!("../bundle/apis/oauth2.v2.json.zst");
        let mut bad = frame.to_vec();
        bad.truncate(frame.len() - 10);
        match decompress(&bad, Coding::Plain, 1 << 20, "oauth2", "v2") {
            Err(BundleError::Decompress {
                name,
                version,
                source,
            }) => {
                assert_eq!((name.as_str(), version.as_str()), ("oauth2", "v2"));
                assert_eq!(source.kind(), std::io::ErrorKind::InvalidData);
            }
            other => panic!("{other:?}"),
        }
        // A frame needing the dictionary, in a build without it (no `all-apis`), is a
        // corrupt build, said as such.
        let directory = include_bytes!("../bundle/directory.zst");
        let got = decompress(directory, Coding::Dictionary, 4 << 20, "directory", "v1");
        if DICTIONARY.is_empty() {
            assert!(
                matches!(got, Err(BundleError::Corrupt("unreadable dictionary"))),
                "{got:?}"
            );
        } else {
            assert!(got.is_ok(), "{got:?}");
        }
    }

    /// A featured document's frame is compressed without the dictionary, so a build that
    /// embeds a few APIs carries no dictionary: only `all-apis` embeds it.
    #[test]
    fn featured_documents_need_no_dictionary() {
        assert_eq!(DICTIONARY.is_empty(), !cfg!(feature = "all-apis"));
        let frame = include_bytes!("../bundle/apis/drive.v3.json.zst");
        let json = crate::frame::decode_plain(frame, entry("drive", "v3").unwrap().raw_len())
            .expect("drive v3's frame decodes without the dictionary");
        let doc: serde_json::Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(
            (doc["name"].as_str(), doc["version"].as_str()),
            (Some("drive"), Some("v3"))
        );
    }

    #[test]
    fn the_catalog_lists_all_python_documents_in_every_build() {
        assert_eq!(
            entries().len(),
            610,
            "google-api-python-client 2.202.0 ships 610"
        );
        assert!(
            entries()
                .windows(2)
                .all(|w| (w[0].name, w[0].version) < (w[1].name, w[1].version))
        );
        assert_eq!(preferred_version("drive"), Some("v3"));
        assert_eq!(preferred_version("no-such-api"), None);
        let v: Vec<_> = versions("drive").collect();
        assert_eq!(v, ["v2", "v3"]);
    }

    #[test]
    fn every_catalog_entry_points_inside_its_part() {
        // Every row's name and version lie inside the catalog's text and every featured row
        // names one of the featured frames (`Row::entry` would give "" or no frames).
        for r in ROWS.iter() {
            for (at, len) in [r.name, r.version] {
                let (at, len) = (usize::from(at), usize::from(len));
                assert!(len > 0 && at + len <= TEXT.len(), "{}", r.raw_len);
            }
            if r.part == 0 {
                assert!((r.at as usize) < OWN.len(), "{}", r.raw_len);
            }
        }
        assert_eq!(entry("drive", "v3").unwrap().raw_len(), 195_590);
        for e in entries() {
            assert!(e.frames().is_ok(), "{e:?}");
            if let Frames::Part { part, .. } = e.frames {
                assert!((1..=PARTS).contains(&part), "{e:?}");
            }
        }
    }

    #[test]
    fn unknown_document_is_none() {
        assert!(document_json("drive", "v999").unwrap().is_none());
        assert!(document_json("", "").unwrap().is_none());
    }

    /// What is embedded follows the features: the featured API's preferred version with its
    /// feature, every document with `all-apis`, nothing else.
    #[test]
    fn embedded_documents_follow_the_features() {
        assert_eq!(
            entry("drive", "v3").unwrap().embedded(),
            cfg!(feature = "drive")
        );
        assert_eq!(
            document_json("drive", "v3").unwrap().is_some(),
            cfg!(feature = "drive")
        );
        // Drive v2 is not the preferred version: only all-apis embeds it.
        assert_eq!(
            entry("drive", "v2").unwrap().embedded(),
            cfg!(feature = "all-apis")
        );
        assert_eq!(
            entry("dataflow", "v1b3").unwrap().embedded(),
            cfg!(feature = "all-apis")
        );
        let embedded = entries().iter().filter(|e| e.embedded()).count();
        if cfg!(feature = "all-apis") {
            assert_eq!(embedded, 610);
        } else {
            for e in entries() {
                if let Frames::Part { .. } = e.frames {
                    assert!(!e.embedded(), "{e:?} without all-apis");
                }
            }
        }
        assert_eq!(directory_json().is_ok(), cfg!(feature = "all-apis"));
    }

    #[test]
    #[cfg_attr(not(feature = "all-apis"), ignore = "needs --features all-apis")]
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
    #[cfg_attr(not(feature = "all-apis"), ignore = "needs --features all-apis")]
    fn aliases_resolve_to_the_same_document() {
        let a = document_json("admin", "directory_v1").unwrap().unwrap();
        let b = document_json("admin", "directoryv1").unwrap().unwrap();
        assert_eq!(a, b);
        let c = document_json("admin", "reportsv1").unwrap().unwrap();
        assert_eq!(c, document_json("admin", "reports_v1").unwrap().unwrap());
    }

    #[test]
    #[cfg_attr(not(feature = "all-apis"), ignore = "needs --features all-apis")]
    fn every_document_decompresses_to_its_raw_length() {
        for e in entries() {
            let json = document_json(e.name, e.version).unwrap().unwrap();
            assert_eq!(json.len(), e.raw_len(), "{e:?}");
        }
    }

    #[test]
    #[cfg_attr(not(feature = "all-apis"), ignore = "needs --features all-apis")]
    fn every_api_has_one_preferred_version_matching_the_directory() {
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
    #[cfg_attr(not(feature = "all-apis"), ignore = "needs --features all-apis")]
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
