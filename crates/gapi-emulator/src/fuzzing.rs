//! Entry points for the fuzz targets (`crates/gapi-emulator/fuzz`) and for the test that
//! replays their corpora on stable Rust (`tests/it/fuzz_corpus.rs`). Not part of the API: each
//! function feeds a client's bytes to one of the emulator's parsers and panics only when an
//! invariant breaks. The parsers are reached through the `use` lines below.

use crate::framework::{batch, fields, multipart};
use crate::services::drive::{download, model, query, upload};

use bytes::Bytes;
use serde_json::{Value, json};

fn sample_file() -> model::DriveFile {
    serde_json::from_value(json!({
        "id": "f1", "name": "Quarterly report.txt", "mime_type": "text/plain",
        "parents": ["root"], "trashed": false, "starred": true,
        "created_ms": 1_700_000_000_000u64, "modified_ms": 1_750_000_000_000u64,
        "modified_by_me_ms": null, "viewed_by_me_ms": null, "description": "d",
        "content": "aGVsbG8=", "version": 3, "app_client": null,
        "properties": {"k": "v"}, "app_properties": {}, "original_filename": null,
    }))
    .expect("sample file")
}

/// Drive's `q` search language: parsed or refused with a 400, never a panic; a parsed
/// query evaluates on a file.
pub fn drive_query(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(q) = query::parse(&text) {
        let ctx = query::Ctx {
            owner_email: "alice@example.com",
            root_id: "root",
        };
        let _ = q.matches(&sample_file(), &ctx);
    }
}

/// Whether `part` keeps only members (and array items) that `whole` has.
fn is_selection_of(part: &Value, whole: &Value) -> bool {
    match (part, whole) {
        (Value::Object(p), Value::Object(w)) => p
            .iter()
            .all(|(k, v)| w.get(k).is_some_and(|wv| is_selection_of(v, wv))),
        (Value::Array(p), Value::Array(w)) => {
            p.len() == w.len() && p.iter().zip(w).all(|(a, b)| is_selection_of(a, b))
        }
        _ => part == whole,
    }
}

/// The `fields` partial-response selector: parsed or refused, never a panic; applying
/// it to a file keeps a part of the file and invents nothing.
pub fn drive_fields(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let Ok(sel) = fields::parse(&text) else {
        return;
    };
    let _ = fields::check_names(&sel, model::FILE_FIELDS, "");
    let user = &crate::world::users::test_users()[0];
    let file = sample_file().to_json(user, "http://127.0.0.1:1");
    let whole = json!({"kind": "drive#fileList", "files": [file.clone(), file.clone()]});
    for value in [&file, &whole] {
        let out = fields::apply(value, &sel);
        assert!(is_selection_of(&out, value), "{text}: {out}");
    }
}

/// A multipart body (`multipart/related` upload, `multipart/mixed` batch); the first line
/// is the boundary. Parts come out within bounds and each batch part parses or is refused.
/// `frame` is a client's framing of an upload (metadata, media): the emulator must read
/// back exactly the bytes the client framed.
pub fn multipart(data: &[u8], frame: impl Fn(&str, &[u8], &[u8]) -> Vec<u8>) {
    let (first, body) = match data.iter().position(|b| *b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (&b"b"[..], data),
    };
    let content_type = format!(
        "multipart/related; boundary={}",
        String::from_utf8_lossy(first)
    );
    if let Some(boundary) = multipart::boundary(&content_type) {
        let body = Bytes::copy_from_slice(body);
        if let Ok(parts) = multipart::parse(&body, &boundary, 20) {
            assert!(parts.len() <= 20);
            for part in &parts {
                let _ = batch::parse_part(part);
            }
        }
    }
    // Round trip: split the input into metadata and media around the first NUL byte.
    let (metadata, media) = match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (&b"{}"[..], data),
    };
    let boundary = "gapi_boundary_fuzz";
    let delimiter = format!("--{boundary}");
    let holds = |b: &[u8]| {
        b.windows(delimiter.len())
            .any(|w| w == delimiter.as_bytes())
    };
    if holds(metadata) || holds(media) {
        return;
    }
    let framed = Bytes::from(frame(boundary, metadata, media));
    let parts = multipart::parse(&framed, boundary, 2)
        .unwrap_or_else(|e| panic!("a client's upload body is refused: {e}"));
    assert_eq!(parts.len(), 2);
    assert_eq!(&parts[0].body[..], metadata, "metadata changed");
    assert_eq!(&parts[1].body[..], media, "media changed");
}

/// `Range` of a download (the first 8 bytes are the file's length) and `Content-Range` of
/// an upload chunk: a range that is served lies inside the file; a chunk range is ordered.
pub fn range(data: &[u8]) {
    let (len, rest) = match data {
        [a, b, c, d, e, f, g, h, rest @ ..] => {
            let raw = u64::from_le_bytes([*a, *b, *c, *d, *e, *f, *g, *h]);
            // Mostly small files, sometimes huge ones.
            (if raw & 1 == 0 { raw % 4096 } else { raw }, rest)
        }
        _ => (10, data),
    };
    let text = String::from_utf8_lossy(rest);
    if let Ok(Some((start, end))) = download::parse_range(&text, len) {
        assert!(
            start <= end && end < len,
            "{text} on {len} bytes: {start}-{end}"
        );
    }
    if let Ok(upload::ChunkRange::Bytes { first, last, total }) =
        upload::parse_content_range(Some(&text))
    {
        assert!(first <= last && total.is_none_or(|t| last < t), "{text}");
    }
}
