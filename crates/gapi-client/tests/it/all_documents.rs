//! Every bundled document builds a service, and every method of every document prepares a
//! request (with made-up values for its required parameters) without panicking.

use crate::param_values;

use gapi_client::{NoAuth, Service};
use gapi_discovery::bundle::{self, BundleEntry};
use param_values::dummy;

/// Runs `each` over every bundled document on as many threads as the machine has, in
/// document order in the result: the two walks below are the slowest tests of the crate, and
/// the test harness would otherwise leave a core idle while one of them runs alone.
fn over_documents<T: Send>(each: impl Fn(&BundleEntry) -> T + Sync) -> Vec<T> {
    let entries = bundle::entries();
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut results: Vec<(usize, T)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let each = &each;
                scope.spawn(move || {
                    (t..entries.len())
                        .step_by(threads)
                        .map(|i| (i, each(&entries[i])))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

#[test]
fn every_bundled_document_builds_and_every_method_prepares() {
    assert_eq!(bundle::entries().len(), 610);
    let per_document = over_documents(|e| {
        let (mut prepared, mut failures) = (0usize, Vec::new());
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
        (prepared, failures)
    });
    let prepared: usize = per_document.iter().map(|(n, _)| n).sum();
    let failures: Vec<String> = per_document.into_iter().flat_map(|(_, f)| f).collect();
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
/// resolves back to itself, and a policy naming only it allows the request but in the few
/// cases counted here (templates that overlap with no certain winner; the figure is in
/// RELIABILITY.md).
#[test]
fn every_method_called_plainly_reaches_itself() {
    use gapi_client::policy::Policy;
    use gapi_client::route::{Reach, steering};
    #[derive(Default)]
    struct Tally {
        methods: usize,
        alone: usize,
        shared: usize,
        steered: Vec<String>,
        missing: Vec<String>,
        refused: Vec<String>,
    }
    let tallies = over_documents(|e| {
        let mut t = Tally::default();
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
                            t.steered.push(format!("{} {name}={v:?}: {why}", m.id));
                        }
                    }
                    call = call.param(name, value);
                }
            }
            let Ok(req) = call.prepare() else { continue };
            t.methods += 1;
            let verb = req.method.as_str();
            match svc.routes().resolve(verb, &req.url) {
                Reach::Methods(ids) if ids == [m.id.as_str()] => t.alone += 1,
                Reach::Methods(ids) if ids.contains(&m.id.as_str()) => t.shared += 1,
                other => t.missing.push(format!("{} {}: {other:?}", m.id, req.url)),
            }
            if let Err(err) = Policy::new().allow([m.id.as_str()]).check_reach(
                svc.routes(),
                &m.id,
                verb,
                &req.url,
            ) {
                t.refused.push(format!("{} {}: {err}", m.id, m.path));
            }
        }
        t
    });
    let (mut methods, mut alone, mut shared) = (0usize, 0usize, 0usize);
    let (mut steered, mut missing, mut refused) = (Vec::new(), Vec::new(), Vec::new());
    for t in tallies {
        methods += t.methods;
        alone += t.alone;
        shared += t.shared;
        steered.extend(t.steered);
        missing.extend(t.missing);
        refused.extend(t.refused);
    }
    if let Ok(f) = std::env::var("GAPI_REFUSED_OUT") {
        std::fs::write(f, refused.join("\n")).unwrap();
    }
    eprintln!(
        "{methods} methods: {alone} reach only themselves, {shared} also another method, {} not themselves; allowed alone: {} refused; {} plain values refused as steering",
        missing.len(),
        refused.len(),
        steered.len(),
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
    assert!(
        refused.len() <= 60,
        "{} methods refused under a policy allowing them:\n{}",
        refused.len(),
        refused[..refused.len().min(30)].join("\n")
    );
}
