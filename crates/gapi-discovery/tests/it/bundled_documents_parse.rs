//! Every bundled document parses into the model, and every method has a path and a verb.

use gapi_discovery::{RestDescription, bundle};

#[test]
#[cfg_attr(not(feature = "all-apis"), ignore = "needs --features all-apis")]
fn every_bundled_document_parses() {
    let mut methods = 0usize;
    let mut failures = Vec::new();
    for e in bundle::entries() {
        let json = bundle::document_json(e.name, e.version)
            .expect("bundle readable")
            .expect("listed entry exists");
        match RestDescription::from_json(&json) {
            Ok(doc) => {
                assert!(
                    !doc.root_url.is_empty(),
                    "{}:{} has no rootUrl",
                    e.name,
                    e.version
                );
                for (path, m) in doc.all_methods() {
                    assert!(
                        !m.path.is_empty(),
                        "{}:{} {path} has no path",
                        e.name,
                        e.version
                    );
                    methods += 1;
                }
                // Schemas are lazy: check they parse too.
                for name in doc.schema_names().iter().take(3) {
                    assert!(
                        doc.schema(name).is_some(),
                        "{}:{} schema {name}",
                        e.name,
                        e.version
                    );
                }
            }
            Err(err) => failures.push(format!("{}:{}: {err}", e.name, e.version)),
        }
    }
    assert!(
        failures.is_empty(),
        "documents that failed to parse:\n{}",
        failures.join("\n")
    );
    assert!(methods > 10_000, "only {methods} methods found");
}
