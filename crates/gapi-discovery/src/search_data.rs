//! The text that method search ranks: every method's id, HTTP verb, description, parameter
//! names and request-body field names for one version of each bundled API, as `scripts/make-search-index.py` extracts it
//! from the bundle (layout described there).
//!
//! Reading the same from the documents would mean decompressing and parsing ~50 MB of JSON on
//! the first search; this is one ~0.5 MB zstd frame that decompresses to ~4.4 MB of text.
//! Embedded with the `search-index` feature (the CLI's `gapi search` and `gapi mcp`).

use crate::bundle::BundleError;

/// The compressed index, embedded in the binary.
#[cfg(feature = "search-index")]
static SEARCH_INDEX: &[u8] = include_bytes!("../bundle/search-index.zst");

/// The search index as text (first line `gapi-search-index 2`, then `A` and `M` lines);
/// an error when the `search-index` feature is off.
pub fn search_index_text() -> Result<String, BundleError> {
    #[cfg(feature = "search-index")]
    {
        // ~3.7 MB of text; the bound only stops a corrupt frame from growing without end.
        let bytes = crate::frame::decode_plain(SEARCH_INDEX, 64 << 20)
            .map_err(BundleError::decompress("search-index", "2"))?;
        String::from_utf8(bytes).map_err(|_| BundleError::Corrupt("search index is not UTF-8"))
    }
    #[cfg(not(feature = "search-index"))]
    Err(BundleError::NotEmbedded {
        what: "the method search index",
        feature: "search-index",
    })
}

#[cfg(test)]
mod tests {
    #[test]
    #[cfg_attr(
        not(feature = "search-index"),
        ignore = "needs --features search-index"
    )]
    fn search_index_decompresses_to_its_header() {
        let text = super::search_index_text().unwrap();
        assert!(text.starts_with("gapi-search-index 2\n"), "{}", &text[..40]);
        assert!(text.lines().any(|l| l.starts_with("A\tdrive\tv3\t")));
    }
}
