//! Decoding the bundle's zstd frames, in pure Rust (ruzstd: no C library to build).
//!
//! The frames are made by `scripts/make-discovery-bundle.py` and `make-search-index.py` with
//! Python's zstandard: one frame each, content size in the header, no checksum (zstandard's
//! default); the documents of `all-apis` and the directory with the shared dictionary, the
//! featured documents, digests and the search index without.
//! A frame that is corrupt, needs another dictionary, holds trailing bytes or would decode to
//! more than the caller's bound is an error, never a panic.

use std::io;
use std::sync::{Mutex, OnceLock};

use ruzstd::decoding::{BlockDecodingStrategy, Dictionary, FrameDecoder};

use crate::catalog::DICTIONARY;

/// The largest window a frame may ask for: the bundle's frames decode to at most a few MB
/// (zstd never needs a window larger than the content); the decoder's default is 128 MB.
const MAX_WINDOW: u64 = 32 << 20;

/// How much to decode between checks of the caller's bound.
const STEP: usize = 256 << 10;

/// Why a frame could not be decoded: corrupt data, the wrong dictionary, more than the bound.
fn invalid(e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e)
}

/// Decodes one frame made without a dictionary, refusing more than `limit` bytes of output.
pub(crate) fn decode_plain(frame: &[u8], limit: usize) -> io::Result<Vec<u8>> {
    let mut decoder = FrameDecoder::new();
    decoder.set_max_window_size(MAX_WINDOW);
    decode(&mut decoder, frame, limit)
}

/// Decodes one frame made with the bundle's shared dictionary (a frame without one decodes
/// too), refusing more than `limit` bytes of output. `None` when the embedded dictionary
/// cannot be read (a corrupt build).
pub(crate) fn decode_with_dictionary(frame: &[u8], limit: usize) -> Option<io::Result<Vec<u8>>> {
    // Prepared once per process, on first use: reading the 200 KB dictionary's tables costs
    // more than decoding many a document. The decoder is reset by every frame, so one that
    // a panicking thread left behind is still good: the lock's poison is ignored.
    static DECODER: OnceLock<Option<Mutex<FrameDecoder>>> = OnceLock::new();
    let decoder = DECODER
        .get_or_init(|| dictionary_decoder(DICTIONARY).map(Mutex::new))
        .as_ref()?;
    let mut decoder = decoder
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    Some(decode(&mut decoder, frame, limit))
}

/// A decoder holding this dictionary; `None` when it does not parse.
fn dictionary_decoder(dictionary: &[u8]) -> Option<FrameDecoder> {
    let dictionary = Dictionary::decode_dict(dictionary).ok()?;
    let mut decoder = FrameDecoder::new();
    decoder.set_max_window_size(MAX_WINDOW);
    decoder.add_dict(dictionary).ok()?;
    Some(decoder)
}

/// Decodes exactly one frame from `frame` into a new vector of at most `limit` bytes.
fn decode(decoder: &mut FrameDecoder, frame: &[u8], limit: usize) -> io::Result<Vec<u8>> {
    let mut input = frame;
    decoder.reset(&mut input).map_err(invalid)?;
    let declared = usize::try_from(decoder.content_size()).unwrap_or(usize::MAX);
    if declared > limit {
        return Err(invalid(format!(
            "the frame declares {declared} bytes, more than the {limit} expected"
        )));
    }
    let mut out = Vec::with_capacity(declared);
    loop {
        decoder
            .decode_blocks(&mut input, BlockDecodingStrategy::UptoBytes(STEP))
            .map_err(invalid)?;
        decoder.collect_to_writer(&mut out)?;
        if out.len() > limit {
            return Err(invalid(format!(
                "the frame decodes to more than the {limit} bytes expected"
            )));
        }
        if decoder.is_finished() {
            break;
        }
    }
    decoder.collect_to_writer(&mut out)?;
    if out.len() > limit {
        return Err(invalid(format!(
            "the frame decodes to more than the {limit} bytes expected"
        )));
    }
    // The header's content size (0: not given) is checked as libzstd does: with no checksum
    // in the frames, it is what catches a frame that decodes, but to the wrong length.
    if declared != 0 && out.len() != declared {
        return Err(invalid(format!(
            "the frame decodes to {} bytes, its header says {declared}",
            out.len()
        )));
    }
    if !input.is_empty() {
        return Err(invalid(format!(
            "{} bytes follow the end of the frame",
            input.len()
        )));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Frames of the checked-in bundle, as Python's zstandard made them (read here whatever the
    // features: the files are always in the crate).
    const DICT: &[u8] = include_bytes!("../bundle/dictionary.zdict");
    /// The directory (with the dictionary), and oauth2 v2's document and digest (without).
    const DOC: &[u8] = include_bytes!("../bundle/directory.zst");
    const FEATURED: &[u8] = include_bytes!("../bundle/apis/oauth2.v2.json.zst");
    const DIGEST: &[u8] = include_bytes!("../bundle/apis/oauth2.v2.index.zst");
    /// The directory's decompressed size (its frame header says it).
    const DOC_LEN: usize = 313_137;

    fn with_dict(frame: &[u8], limit: usize) -> io::Result<Vec<u8>> {
        decode(&mut dictionary_decoder(DICT).unwrap(), frame, limit)
    }

    fn raw_len(version: &str) -> (usize, usize) {
        let e = crate::bundle::entry("oauth2", version).unwrap();
        (e.raw_len(), e.digest_frame().map(|(_, n)| n).unwrap_or(0))
    }

    #[test]
    fn decodes_the_bundles_frames_as_python_zstandard_made_them() {
        let doc = with_dict(DOC, 1 << 20).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&doc).unwrap();
        assert_eq!(v["kind"], "discovery#directoryList");
        assert_eq!(doc.len(), DOC_LEN);
        let featured = decode_plain(FEATURED, 1 << 20).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&featured).unwrap();
        assert_eq!(
            (v["name"].as_str(), v["version"].as_str()),
            (Some("oauth2"), Some("v2"))
        );
        assert_eq!(featured.len(), raw_len("v2").0);
        let digest = decode_plain(DIGEST, 1 << 20).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&digest).unwrap();
        assert_eq!(v["name"], "oauth2");
        // One decoder, many frames: the dictionary is set up again for each.
        let mut decoder = dictionary_decoder(DICT).unwrap();
        for _ in 0..3 {
            assert_eq!(decode(&mut decoder, DOC, 1 << 20).unwrap(), doc);
            assert_eq!(decode(&mut decoder, DIGEST, 1 << 20).unwrap(), digest);
            assert_eq!(decode(&mut decoder, FEATURED, 1 << 20).unwrap(), featured);
        }
    }

    /// The frames carry no checksum (zstandard's default), which is why the decoder is built
    /// without ruzstd's `hash` feature; the header's content size is checked instead.
    #[test]
    fn the_bundles_frames_have_no_checksum_and_give_their_size() {
        for frame in [DOC, FEATURED, DIGEST] {
            let descriptor = frame[4];
            assert_eq!(descriptor & 0b100, 0, "checksum flag");
            assert_ne!(
                descriptor >> 6 | descriptor >> 5 & 1,
                0,
                "content size given"
            );
        }
    }

    #[test]
    fn every_truncated_frame_is_an_error() {
        // The directory (26 KB of frame, 313 KB of text) is cut at every 7th byte and near
        // its end; the two small frames at every byte.
        let cuts = (0..DOC.len()).step_by(7).chain(DOC.len() - 16..DOC.len());
        for n in cuts {
            assert!(
                with_dict(&DOC[..n], 1 << 20).is_err(),
                "directory cut at {n}"
            );
        }
        for n in 0..FEATURED.len() {
            assert!(
                decode_plain(&FEATURED[..n], 1 << 20).is_err(),
                "document cut at {n}"
            );
        }
        for n in 0..DIGEST.len() {
            assert!(
                decode_plain(&DIGEST[..n], 1 << 20).is_err(),
                "digest cut at {n}"
            );
        }
    }

    /// Every byte of the small frames (every 23rd of the directory's, and its first 512)
    /// changed three ways: the decoder never panics (a panic fails this test), and where a
    /// change still decodes, it is to the header's size or an error.
    #[test]
    fn corrupt_frames_are_errors_never_panics() {
        let mut errors = 0;
        for (frame, dict, step) in [(DOC, true, 23), (FEATURED, false, 1), (DIGEST, false, 1)] {
            let bytes = (0..frame.len())
                .step_by(step)
                .chain(0..512.min(frame.len()));
            for i in bytes {
                for mask in [0x01u8, 0x80, 0xff] {
                    let mut bad = frame.to_vec();
                    bad[i] ^= mask;
                    let got = if dict {
                        with_dict(&bad, 1 << 20)
                    } else {
                        decode_plain(&bad, 1 << 20)
                    };
                    match got {
                        Err(e) => {
                            assert_eq!(e.kind(), io::ErrorKind::InvalidData, "{e}");
                            errors += 1;
                        }
                        // A changed literal can still decode (there is no checksum), to the
                        // size the header gives.
                        Ok(out) => assert!(out.len() <= 1 << 20, "byte {i}"),
                    }
                }
            }
        }
        assert!(errors > 1000, "only {errors} corruptions were refused");
    }

    #[test]
    fn a_frame_is_refused_past_its_bound_with_trailing_bytes_or_without_its_dictionary() {
        let e = with_dict(DOC, DOC_LEN - 1).unwrap_err();
        assert!(e.to_string().contains("more than"), "{e}");
        let mut trailing = DOC.to_vec();
        trailing.extend_from_slice(b"junk");
        let e = with_dict(&trailing, 1 << 20).unwrap_err();
        assert!(e.to_string().contains("follow the end of the frame"), "{e}");
        let e = decode_plain(DOC, 1 << 20).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidData, "{e}");
        assert!(decode_plain(b"not a zstd frame at all", 1 << 20).is_err());
        assert!(decode_plain(&[], 1 << 20).is_err());
        assert!(dictionary_decoder(b"not a dictionary").is_none());
        assert!(dictionary_decoder(&[]).is_none());
    }
}
