//! Every bundled document builds a service, and every method of every document prepares a
//! request (with made-up values for its required parameters) without panicking.

#[path = "support/param_values.rs"]
mod param_values;

use gapi_client::{NoAuth, Service};
use gapi_discovery::bundle;
use param_values::dummy;

#[test]
fn every_bundled_document_builds_and_every_method_prepares() {
    let mut prepared = 0usize;
    let mut failures = Vec::new();
    let entries = bundle::entries();
    assert_eq!(entries.len(), 610);
    for e in entries {
        let svc = Service::builder()
            .bundled(e.name, e.version)
            .auth(NoAuth)
            .build()
            .unwrap_or_else(|err| panic!("{}:{} does not build: {err}", e.name, e.version));
        for (path, m) in svc.document().all_methods() {
            let mut call = svc
                .method(&path)
                .unwrap_or_else(|err| panic!("{}:{} {path}: {err}", e.name, e.version));
            for (name, schema) in m.parameters.iter() {
                if schema.required {
                    call = call.param(name, dummy(schema));
                }
            }
            if m.request.is_some() {
                call = call.body(serde_json::json!({}));
            }
            match call.prepare() {
                Ok(req) => {
                    assert!(req.url.as_str().starts_with(svc.root_url()), "{}", req.url);
                    assert!(
                        !req.url.path().contains('{'),
                        "unexpanded template in {}",
                        req.url
                    );
                    prepared += 1;
                }
                Err(err) => failures.push(format!("{}:{} {path}: {err}", e.name, e.version)),
            }
        }
    }
    // Every method of every document prepares with values that satisfy its declared types.
    assert!(
        failures.is_empty(),
        "{} of {} methods failed to prepare:\n{}",
        failures.len(),
        prepared,
        failures
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(prepared > 25_000, "only {prepared} methods prepared");
    eprintln!(
        "{prepared} methods prepared, {} failures: {:?}",
        failures.len(),
        failures.iter().take(5).collect::<Vec<_>>()
    );
}

/// A policy allowing exactly one method lets that method through when it is called with
/// plain values: every method of every bundled document, prepared with valid made-up values,
/// resolves back to itself, and (the figure in RELIABILITY.md) to no other method but in the
/// few documents whose templates overlap.
#[test]
fn every_method_called_plainly_reaches_itself() {
    use gapi_client::route::{Reach, steering};
    let (mut methods, mut alone, mut steered) = (0usize, 0usize, Vec::new());
    let mut missing = Vec::new();
    let mut shared = Vec::new();
    for e in bundle::entries() {
        let svc = Service::builder()
            .bundled(e.name, e.version)
            .auth(NoAuth)
            .build()
            .unwrap();
        for (path, m) in svc.document().all_methods() {
            let mut call = svc.method(&path).unwrap();
            for (name, schema) in m.parameters.iter() {
                if schema.required {
                    let value = dummy(schema);
                    if schema.location.as_deref() == Some("path")
                        && let gapi_client::ParamValue::Str(v) = &value
                    {
                        let reserved = m.path.contains(&format!("{{+{name}}}"));
                        if let Some(why) = steering(v, reserved) {
                            steered.push(format!("{} {name}={v:?}: {why}", m.id));
                        }
                    }
                    call = call.param(name, value);
                }
            }
            let Ok(req) = call.prepare() else { continue };
            methods += 1;
            match svc.routes().resolve(req.method.as_str(), &req.url) {
                Reach::Methods(ids) if ids == [m.id.as_str()] => alone += 1,
                Reach::Methods(ids) if ids.contains(&m.id.as_str()) => {
                    shared.push(format!("{} {} {} -> {}", m.id, m.path, req.url.path(), ids.join(" ")))
                }
                other => missing.push(format!("{} {}: {other:?}", m.id, req.url)),
            }
        }
    }
    if let Ok(f) = std::env::var("GAPI_SHARED_OUT") {
        std::fs::write(f, shared.join("\n")).unwrap();
    }
    eprintln!(
        "{methods} methods: {alone} reach only themselves, {} also another method, {} not themselves; {} plain values refused as steering; e.g. {:?}",
        shared.len(),
        missing.len(),
        steered.len(),
        shared.iter().take(10).collect::<Vec<_>>()
    );
    assert!(
        missing.is_empty(),
        "{} methods do not reach themselves:\n{}",
        missing.len(),
        missing[..missing.len().min(30)].join("\n")
    );
    assert!(
        steered.is_empty(),
        "plain values refused:\n{}",
        steered[..steered.len().min(30)].join("\n")
    );
    assert!(methods > 25_000, "{methods}");
}
