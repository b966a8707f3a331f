//! The method index (digests made by `scripts/make-discovery-bundle.py`) says exactly what the
//! full documents say, for every method of every bundled API, descriptions aside.

use gapi_discovery::{JsonSchema, OrderedMap, RestDescription, RestResource, bundle, method_index};
use serde_json::Value;

/// A parameter map as JSON, descriptions removed (the index leaves them out).
fn params(p: &OrderedMap<JsonSchema>) -> Value {
    let mut p = p.clone();
    for (_, s) in p.0.iter_mut() {
        s.description = None;
        s.enum_descriptions.clear();
    }
    serde_json::to_value(&p).unwrap()
}

/// Everything the model holds about one document, descriptions removed, resources parsed.
fn normalized(doc: &RestDescription) -> Value {
    fn resource(path: &str, r: &RestResource, out: &mut Vec<Value>) {
        out.push(serde_json::json!({"resource": path, "deprecated": r.deprecated}));
        for (name, sub) in r.resources.iter() {
            resource(&format!("{path}.{name}"), sub, out);
        }
    }
    let mut resources = Vec::new();
    for (name, r) in doc.resources.iter() {
        resource(name, r, &mut resources);
    }
    let methods: Vec<Value> = doc
        .all_methods()
        .into_iter()
        .map(|(dotted, m)| {
            let mut m = m.clone();
            m.description.clear();
            let p = params(&m.parameters);
            m.parameters = OrderedMap::default();
            serde_json::json!({"method": dotted, "model": m, "parameters": p})
        })
        .collect();
    serde_json::json!({
        "id": doc.id, "name": doc.name, "version": doc.version, "revision": doc.revision,
        "title": doc.title, "documentationLink": doc.documentation_link,
        "rootUrl": doc.root_url, "servicePath": doc.service_path, "baseUrl": doc.base_url,
        "batchPath": doc.batch_path, "mtlsRootUrl": doc.mtls_root_url,
        "parameters": params(&doc.parameters), "auth": doc.auth,
        "resources": resources, "methods": methods,
        "clashes": doc.method_resource_clashes(),
    })
}

#[test]
#[cfg_attr(not(feature = "all-apis"), ignore = "needs --features all-apis")]
fn method_index_matches_full_documents() {
    let mut methods = 0usize;
    let mut digested = 0usize;
    for e in bundle::entries() {
        let id = format!("{}:{}", e.name, e.version);
        let json = bundle::document_json(e.name, e.version).unwrap().unwrap();
        let full = RestDescription::from_json(&json).unwrap();
        let Some(index) = method_index::load(e.name, e.version).unwrap() else {
            panic!("{id} has no digest: every bundled document should have one");
        };
        digested += 1;
        assert!(index.is_method_index() && !full.is_method_index(), "{id}");
        let (a, b) = (normalized(&full), normalized(&index));
        if a != b {
            let (a, b) = (a.to_string(), b.to_string());
            let at = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
            panic!(
                "{id}: the index differs from the full document near\n  full:  {}\n  index: {}",
                &a[at.saturating_sub(80)..(at + 80).min(a.len())],
                &b[at.saturating_sub(80)..(at + 80).min(b.len())]
            );
        }
        methods += full.all_methods().len();
        // The schemas come from the full document, unchanged.
        assert_eq!(
            index.schemas_json().map(|r| r.get()),
            full.schemas_json().map(|r| r.get()),
            "{id} schemas"
        );
        // Index documents are smaller: no descriptions, no schemas.
        let digest = method_index::digest_json(e.name, e.version)
            .unwrap()
            .unwrap();
        assert!(digest.len() < json.len(), "{id}");
    }
    assert_eq!(digested, 610);
    assert!(methods > 28_000, "{methods} methods compared");
}

#[test]
#[cfg_attr(not(feature = "all-apis"), ignore = "needs --features all-apis")]
fn an_index_document_serializes_with_its_schemas() {
    let index = method_index::load("drive", "v3").unwrap().unwrap();
    assert!(index.method("files.list").unwrap().description.is_empty());
    assert_eq!(index.method("files.list").unwrap().http_method, "GET");
    let again: RestDescription =
        serde_json::from_str(&serde_json::to_string(&index).unwrap()).unwrap();
    assert!(again.schema("File").is_some());
    assert!(!again.is_method_index());
    assert!(method_index::load("drive", "v999").unwrap().is_none());
}
