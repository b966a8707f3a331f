//! Every bundled document builds a service, and every method of every document prepares a
//! request (with made-up values for its required parameters) without panicking.

use gapi_client::{NoAuth, ParamValue, Service};
use gapi_discovery::{JsonSchema, bundle};
use regex_syntax::hir::{Class, Hir, HirKind};

/// A value that satisfies the parameter's type, enum and (anchored) pattern.
fn dummy(schema: &JsonSchema) -> ParamValue {
    if let Some(e) = schema.enum_.first() {
        return ParamValue::Str(e.clone());
    }
    if let Some(p) = &schema.pattern
        && let Ok(hir) = regex_syntax::parse(p)
    {
        let mut s = String::new();
        generate(&hir, &mut s);
        return ParamValue::Str(s);
    }
    match (schema.type_name(), schema.format.as_deref()) {
        ("boolean", _) => ParamValue::Bool(true),
        ("integer" | "number", _) => {
            ParamValue::Str(schema.minimum.clone().unwrap_or_else(|| "1".into()))
        }
        (_, Some("int64" | "uint64" | "int32" | "uint32")) => ParamValue::Str("1".into()),
        _ => ParamValue::Str("x/y z".into()),
    }
}

fn generate(h: &Hir, out: &mut String) {
    match h.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(l) => out.push_str(&String::from_utf8_lossy(&l.0)),
        HirKind::Class(Class::Unicode(c)) => {
            let pick = c
                .iter()
                .flat_map(|r| (r.start()..=r.end()).take(200))
                .find(|ch| ch.is_ascii_alphanumeric())
                .or_else(|| c.iter().next().map(|r| r.start()));
            if let Some(ch) = pick {
                out.push(ch);
            }
        }
        HirKind::Class(Class::Bytes(c)) => {
            let pick = c
                .iter()
                .flat_map(|r| r.start()..=r.end())
                .find(|b| b.is_ascii_alphanumeric());
            if let Some(b) = pick.or_else(|| c.iter().next().map(|r| r.start())) {
                out.push(b as char);
            }
        }
        HirKind::Repetition(r) => {
            // At least one repetition when allowed: empty path values are refused.
            let n = if r.min == 0 && r.max != Some(0) {
                1
            } else {
                r.min.min(64)
            };
            for _ in 0..n {
                generate(&r.sub, out);
            }
        }
        HirKind::Capture(c) => generate(&c.sub, out),
        HirKind::Concat(v) => v.iter().for_each(|x| generate(x, out)),
        HirKind::Alternation(v) => {
            if let Some(first) = v.first() {
                generate(first, out)
            }
        }
    }
}

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
