//! Where a resource has a method and a sub-resource of the same name, both stay reachable:
//! the path ending at the name is the method, a longer path goes into the resource.

use gapi_discovery::{RestDescription, Target, bundle};

/// A dotted path to some method inside the resource `path` (depth first).
fn some_method_below(doc: &RestDescription, path: &str) -> Option<String> {
    let parts: Vec<&str> = path.split('.').collect();
    // The resource itself: walk the resources by name (lookup would stop at the method).
    let mut res = doc.resources.get(parts[0])?.get();
    for p in &parts[1..] {
        res = res.resources.get(p)?.get();
    }
    fn first(prefix: String, r: &gapi_discovery::RestResource) -> Option<String> {
        if let Some((name, _)) = r.methods.iter().next() {
            return Some(format!("{prefix}.{name}"));
        }
        r.resources
            .iter()
            .find_map(|(n, sub)| first(format!("{prefix}.{n}"), sub))
    }
    first(path.to_string(), res)
}

#[test]
#[cfg_attr(not(feature = "all-apis"), ignore = "needs --features all-apis")]
fn every_method_shadowed_by_a_resource_and_every_resource_below_it_are_reachable() {
    let mut clashes = 0;
    for e in bundle::entries() {
        let json = bundle::document_json(e.name, e.version).unwrap().unwrap();
        let doc = RestDescription::from_json(&json).unwrap();
        for path in doc.method_resource_clashes() {
            clashes += 1;
            let parts: Vec<&str> = path.split('.').collect();
            let found = doc.lookup(&parts).unwrap();
            let Target::Method(m) = found.target else {
                panic!(
                    "{}:{} {path}: the method is not reachable",
                    e.name, e.version
                );
            };
            assert!(m.id.ends_with(parts.last().unwrap()), "{path}: {}", m.id);
            let below = some_method_below(&doc, &path)
                .unwrap_or_else(|| panic!("{path}: the resource has no methods"));
            let below_parts: Vec<&str> = below.split('.').collect();
            let found = doc.lookup(&below_parts).unwrap();
            match found.target {
                Target::Method(m) => assert!(
                    m.id.ends_with(&below_parts[parts.len()..].join(".")),
                    "{below}: reached {}",
                    m.id
                ),
                _ => panic!("{}:{} {below}: not a method", e.name, e.version),
            }
            assert_eq!(doc.method(&below).map(|m| &m.id), Some(&m_id(&doc, &below)));
        }
    }
    // The issue counted 25 such places in the bundle; a new bundle may change the number,
    // but zero would mean this test checks nothing.
    assert_eq!(clashes, 25, "method/resource clashes in the bundle");
}

fn m_id(doc: &RestDescription, dotted: &str) -> String {
    match doc
        .lookup(&dotted.split('.').collect::<Vec<_>>())
        .unwrap()
        .target
    {
        Target::Method(m) => m.id.clone(),
        _ => String::new(),
    }
}
