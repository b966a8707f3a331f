//! The per-API method index: each bundled document digested at build time (`build.rs`) to
//! what a call needs, so making a service does not decompress and parse the whole document.
//!
//! A digest keeps every field of the model in document order except descriptions (of the
//! API, methods and parameters) and `schemas`: Drive v3 is 45 KB instead of 196 KB. A
//! [`RestDescription`] loaded from it ([`load`]) finds, checks and prepares any method
//! exactly as the full document does; its schemas are read from the full document the first
//! time one is asked for ([`RestDescription::schema`]), and it says
//! [`RestDescription::is_method_index`] so that help and `describe` read the full document.
//! The digests are made from the same bundle by the build, never by hand; the test
//! `method_index_matches_full_documents` compares every method of every bundled API.

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::bundle::{self, BundleError};
use crate::model::RestDescription;

/// `u32` triples (offset, compressed length, raw length) per bundle entry, then the frames.
static INDEX: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/method-index.bin"));

fn u32_at(bytes: &[u8], at: usize) -> Option<usize> {
    let b: [u8; 4] = bytes.get(at..at + 4)?.try_into().ok()?;
    Some(u32::from_le_bytes(b) as usize)
}

/// The digest of one bundled document as JSON text: `Ok(None)` when the document is not
/// bundled or has no digest (its shape was not one the build knew: use the full document).
pub fn digest_json(name: &str, version: &str) -> Result<Option<String>, BundleError> {
    let Some(i) = bundle::position(name, version) else {
        return Ok(None);
    };
    let count = bundle::entries().len();
    let corrupt = BundleError::Corrupt("method index does not match the bundle");
    let frames = INDEX.get(count * 12..).ok_or(corrupt)?;
    let field = |k: usize| {
        u32_at(INDEX, i * 12 + k * 4).ok_or(BundleError::Corrupt(
            "method index does not match the bundle",
        ))
    };
    let (offset, len, raw_len) = (field(0)?, field(1)?, field(2)?);
    if len == 0 {
        return Ok(None);
    }
    let frame = offset
        .checked_add(len)
        .and_then(|end| frames.get(offset..end))
        .ok_or(BundleError::Corrupt("method index frame out of range"))?;
    // Digests are compressed without the bundle's dictionary (preparing it costs more than
    // decompressing a digest).
    let bytes =
        zstd::bulk::decompress(frame, raw_len).map_err(|source| BundleError::Decompress {
            name: name.to_owned(),
            version: version.to_owned(),
            source,
        })?;
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| BundleError::Corrupt("method index digest is not UTF-8"))
}

/// The bundled document `name` `version` from its digest: every method, parameter, scope and
/// media detail, no descriptions, schemas read from the full document on first use.
/// `Ok(None)` when it is not bundled or has no digest (then parse the full document).
pub fn load(name: &str, version: &str) -> Result<Option<RestDescription>, BundleError> {
    let Some(entry) = bundle::entry(name, version) else {
        return Ok(None);
    };
    let Some(json) = digest_json(name, version)? else {
        return Ok(None);
    };
    // The build made this text from a document that parsed: failing here is a corrupt build.
    let mut doc = RestDescription::from_json(&json)
        .map_err(|_| BundleError::Corrupt("a method index digest does not parse"))?;
    doc.defer_schemas(entry.name, entry.version);
    Ok(Some(doc))
}

/// The `schemas` of the full bundled document (for a document loaded from its digest).
pub(crate) fn full_schemas(name: &str, version: &str) -> Option<Box<RawValue>> {
    #[derive(Deserialize)]
    struct OnlySchemas {
        #[serde(default)]
        schemas: Option<Box<RawValue>>,
    }
    let json = bundle::document_json(name, version).ok()??;
    serde_json::from_str::<OnlySchemas>(&json).ok()?.schemas
}
