//! Part 1 of the Google Discovery documents that `gapi-discovery` embeds with its `all-apis`
//! feature: data only, located by gapi-discovery's catalog. Depend on `gapi-discovery` (or
//! `gapi`) with `all-apis`, not on this crate; its version is pinned exactly by them.
#![no_std]
#![deny(missing_docs)]

/// Per document (sorted by name and version): its method index digest as a zstd frame, then
/// the document as a zstd frame compressed with gapi-discovery's dictionary. Made by
/// `scripts/make-discovery-bundle.py`.
pub static FRAMES: &[u8] = include_bytes!("../frames.bin");
