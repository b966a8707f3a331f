//! Builds the per-API method index (`$OUT_DIR/method-index.bin`) from the bundled documents.
//!
//! A call needs a method's path, HTTP method, parameters (types, locations, enums, patterns),
//! scopes and media details, not the descriptions and schemas that make up four fifths of a
//! document. For every document of `bundle/discovery.bundle` this script keeps exactly the
//! fields the model (`src/model.rs`) reads, minus descriptions and `schemas`, in document
//! order, and compresses each digest on its own (zstd, no dictionary). So building a
//! service decompresses ~10 KB and parses ~45 KB (Drive v3) instead of 15 KB -> 200 KB; the
//! full document is still read when descriptions or schemas are asked for
//! (`src/method_index.rs`). The test `method_index_matches_full_documents` compares every
//! method of every bundled API with the full parse.
//!
//! It also writes the bundle's index as a Rust table (`$OUT_DIR/bundle-entries.rs`), so
//! naming an API costs a binary search instead of parsing 610 lines of text at start-up.
//!
//! Output layout of the method index (little-endian `u32`s): one `offset, compressed_len, raw_len` triple per
//! bundle index line, in the bundle's order (`compressed_len` 0: no digest, use the full
//! document), then the frames.

#[path = "src/ordered_map.rs"]
#[allow(dead_code)]
mod ordered_map;

use std::collections::HashMap;
use std::path::PathBuf;

use ordered_map::OrderedMap;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

type Raw = Option<Box<RawValue>>;

/// The top of a document: the model's fields minus `description` and `schemas`.
#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
struct Doc {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Raw,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Raw,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    version: Raw,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    revision: Raw,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    title: Raw,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    documentation_link: Raw,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    root_url: Raw,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    service_path: Raw,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    base_url: Raw,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    batch_path: Raw,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mtls_root_url: Raw,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    parameters: Option<OrderedMap<Param>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    auth: Raw,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    resources: Option<OrderedMap<Resource>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    methods: Option<OrderedMap<Method>>,
}

#[derive(Deserialize, Serialize)]
struct Resource {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    methods: Option<OrderedMap<Method>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    resources: Option<OrderedMap<Resource>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    deprecated: Raw,
}

/// A method: every model field but `description`.
#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
struct Method {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Raw,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    path: Raw,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    flat_path: Raw,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    http_method: Raw,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    parameters: Option<OrderedMap<Param>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    parameter_order: Raw,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    request: Raw,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    response: Raw,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    scopes: Raw,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    supports_media_upload: Raw,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    media_upload: Raw,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    supports_media_download: Raw,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    use_media_download_service: Raw,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    supports_subscription: Raw,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    api_version: Raw,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    deprecated: Raw,
}

/// A parameter: every `JsonSchema` field but `description` and `enumDescriptions`.
#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
struct Param {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Raw,
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    type_: Raw,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    format: Raw,
    #[serde(default, rename = "$ref", skip_serializing_if = "Option::is_none")]
    reference: Raw,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    properties: Raw,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    additional_properties: Raw,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    items: Raw,
    #[serde(default, rename = "enum", skip_serializing_if = "Option::is_none")]
    enum_: Raw,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    enum_deprecated: Raw,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    required: Raw,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pattern: Raw,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    repeated: Raw,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    default: Raw,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    location: Raw,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    minimum: Raw,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    maximum: Raw,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    read_only: Raw,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    deprecated: Raw,
}

fn section(bytes: &[u8]) -> (&[u8], &[u8]) {
    let len = u32::from_le_bytes(bytes[..4].try_into().expect("4 bytes")) as usize;
    bytes[4..].split_at(len)
}

/// The digest of one document, or `None` if its shape is not one this script knows (the
/// full document is then used at run time, so nothing is lost).
fn digest(json: &[u8]) -> Option<Vec<u8>> {
    let doc: Doc = serde_json::from_slice(json).ok()?;
    serde_json::to_vec(&doc).ok()
}

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let bundle_path = manifest.join("bundle/discovery.bundle");
    println!("cargo:rerun-if-changed=bundle/discovery.bundle");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/ordered_map.rs");
    let bundle = std::fs::read(&bundle_path).expect("bundle/discovery.bundle is readable");
    let rest = bundle
        .strip_prefix(b"GAPIDSC1".as_slice())
        .expect("bundle magic");
    let (index, rest) = section(rest);
    let (dictionary, rest) = section(rest);
    let (_directory, frames) = section(rest);
    let index = std::str::from_utf8(index).expect("bundle index is UTF-8");

    let mut decompressor =
        zstd::bulk::Decompressor::with_dictionary(dictionary).expect("bundle dictionary");
    // Level 19 as the bundle, but without its dictionary: digesting the 200 KB dictionary
    // costs a call more than the few KB it would save on a digest.
    let mut compressor = zstd::bulk::Compressor::new(19).expect("zstd compressor");

    let mut entries = String::from("&[\n");
    let mut table = Vec::new();
    let mut out_frames: Vec<u8> = Vec::new();
    // Aliases share one full frame, so they share one digest too.
    let mut done: HashMap<usize, (u32, u32, u32)> = HashMap::new();
    for line in index.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        let num = |i: usize| f[i].parse::<usize>().expect("bundle index number");
        let (offset, len, raw_len) = (num(2), num(3), num(4));
        entries.push_str(&format!(
            "BundleEntry {{ name: {:?}, version: {:?}, offset: {offset}, len: {len}, raw_len: {raw_len}, preferred: {} }},\n",
            f[0],
            f[1],
            f[5] == "1"
        ));
        let triple = *done.entry(offset).or_insert_with(|| {
            let json = decompressor
                .decompress(&frames[offset..offset + len], raw_len)
                .expect("bundled frame decompresses");
            match digest(&json) {
                Some(d) => {
                    let frame = compressor.compress(&d).expect("digest compresses");
                    let at = out_frames.len() as u32;
                    out_frames.extend_from_slice(&frame);
                    (at, frame.len() as u32, d.len() as u32)
                }
                None => (0, 0, 0),
            }
        });
        table.push(triple);
    }
    let mut out = Vec::with_capacity(table.len() * 12 + out_frames.len());
    for (a, b, c) in table {
        out.extend_from_slice(&a.to_le_bytes());
        out.extend_from_slice(&b.to_le_bytes());
        out.extend_from_slice(&c.to_le_bytes());
    }
    out.extend_from_slice(&out_frames);
    entries.push_str("]\n");
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets it"));
    std::fs::write(out_dir.join("method-index.bin"), out).expect("OUT_DIR is writable");
    std::fs::write(out_dir.join("bundle-entries.rs"), entries).expect("OUT_DIR is writable");
}
