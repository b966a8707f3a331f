//! Entry points for the fuzz targets (`crates/gapi-discovery/fuzz`) and for the test that
//! replays their corpora on stable Rust (`tests/it/fuzz_corpus.rs`). Not part of the API: each
//! function feeds outside bytes to a parser and panics only when an invariant breaks.

use crate::{Directory, Lazy, OrderedMap, RestDescription, RestResource};

/// A Discovery document (as fetched from a server or a cache): parsed or refused, never a
/// panic; every method listed can be looked up by its dotted path; every schema named can be
/// read; writing the model back gives a document that parses to the same model.
pub fn discovery_document(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = Directory::from_json(text);
    }
    let Ok(doc) = RestDescription::from_slice(data) else {
        return;
    };
    let _ = doc.base_url();
    let plain = names_are_plain(&doc.resources) && keys_are_plain(&doc.methods);
    for (path, method) in doc.all_methods().iter().take(200) {
        let _ = (method.http_method_or_get(), &method.parameter_order);
        if plain {
            assert!(
                doc.method(path).is_some(),
                "method {path} listed but not found"
            );
        }
    }
    for name in doc.schema_names().iter().take(200) {
        if let Some(schema) = doc.schema(name) {
            let _ = schema.type_name();
        }
    }
    let written = serde_json::to_string(&doc).expect("a parsed document serializes");
    let again = RestDescription::from_json(&written)
        .unwrap_or_else(|e| panic!("our own serialization does not parse: {e}\n{written}"));
    let rewritten = serde_json::to_string(&again).expect("serializes");
    assert_eq!(written, rewritten, "round trip");
}

/// A name a dotted path can reach: not empty, no dot.
fn plain_name(name: &str) -> bool {
    !name.is_empty() && !name.contains('.')
}

/// Whether the keys of `map` are plain and written once each.
fn keys_are_plain<V>(map: &OrderedMap<V>) -> bool {
    let mut seen = std::collections::HashSet::new();
    map.keys().all(|k| plain_name(k) && seen.insert(k))
}

/// Whether every resource and method name below `resources` is plain and unique.
fn names_are_plain(resources: &OrderedMap<Lazy<RestResource>>) -> bool {
    keys_are_plain(resources)
        && resources
            .values()
            .all(|r| keys_are_plain(&r.methods) && names_are_plain(&r.resources))
}
