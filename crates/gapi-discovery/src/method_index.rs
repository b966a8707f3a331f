//! The per-API method index: each bundled document digested when the bundle is made
//! (`scripts/make-discovery-bundle.py`, checked in beside the document), so making a service
//! does not decompress and parse the whole document.
//!
//! A digest keeps every field of the model in document order except descriptions (of the
//! API, methods and parameters) and `schemas`: Drive v3 is 45 KB instead of 196 KB. A
//! [`RestDescription`] loaded from it ([`load`]) finds, checks and prepares any method
//! exactly as the full document does; its schemas are read from the full document the first
//! time one is asked for ([`RestDescription::schema`]), and it says
//! [`RestDescription::is_method_index`] so that help and `describe` read the full document.
//! The digests are made from the same documents by the bundle maker, never by hand; the test
//! `method_index_matches_full_documents` compares every method of every bundled API.

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::bundle::{self, BundleError};
use crate::model::RestDescription;

/// The digest of one bundled document as JSON text: `Ok(None)` when the document is not
/// embedded or has no digest (its shape was not one the bundle maker knew: use the full
/// document).
pub fn digest_json(name: &str, version: &str) -> Result<Option<String>, BundleError> {
    let Some(entry) = bundle::entry(name, version) else {
        return Ok(None);
    };
    let (frame, raw_len) = entry.digest_frame()?;
    if frame.is_empty() {
        return Ok(None);
    }
    // Digests are compressed without the bundle's dictionary (preparing it costs more than
    // decompressing a digest).
    let bytes = crate::frame::decode_plain(frame, raw_len)
        .map_err(BundleError::decompress(name, version))?;
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| BundleError::Corrupt("method index digest is not UTF-8"))
}

/// The bundled document `name` `version` from its digest: every method, parameter, scope and
/// media detail, no descriptions, schemas read from the full document on first use.
/// `Ok(None)` when it is not embedded or has no digest (then parse the full document).
pub fn load(name: &str, version: &str) -> Result<Option<RestDescription>, BundleError> {
    let Some(entry) = bundle::entry(name, version) else {
        return Ok(None);
    };
    let Some(json) = digest_json(name, version)? else {
        return Ok(None);
    };
    // The bundle maker made this text from a document that parsed: failing here is a corrupt
    // build.
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
