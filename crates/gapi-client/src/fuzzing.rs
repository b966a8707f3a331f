//! Entry points for the fuzz targets (`crates/gapi-client/fuzz`) and for the test that replays
//! their corpora on stable Rust (`tests/fuzz_corpus.rs`). Not part of the API: each function
//! feeds outside bytes to one of the crate's parsers and panics only when an invariant breaks.

use std::borrow::Cow;

use http::header::{HeaderMap, HeaderValue, RETRY_AFTER};

use crate::error::ApiError;

/// The path template expander: any template and any values; a successful expansion never
/// contains a raw space, `{` or `}`.
pub fn uri_template(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (template, value) = text.split_once('\u{0}').unwrap_or((&text, "v/a l%ue"));
    if let Ok(out) = crate::uri_template::expand(template, |_| Some(Cow::Borrowed(value))) {
        assert!(
            !out.contains(' ') && !out.contains('{') && !out.contains('}'),
            "{out}"
        );
    }
    let _ = crate::uri_template::variables(template);
}

/// Parameter casting: arbitrary schema fields (type, format, pattern, enum, bounds) and
/// values, as a Discovery document and a command line could give them.
pub fn param_cast(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.split('\u{0}');
    let ty = parts.next().unwrap_or("string");
    let format = parts.next().unwrap_or("");
    let pattern = parts.next().unwrap_or("");
    let min = parts.next().unwrap_or("");
    let value = parts.next().unwrap_or("");
    let schema = serde_json::json!({
        "type": ty, "format": format, "pattern": pattern, "minimum": min, "maximum": min,
        "repeated": value.len().is_multiple_of(2),
        "enum": if value.len().is_multiple_of(3) { vec![value] } else { vec![] },
    });
    if let Ok(schema) = gapi_discovery::JsonSchema::from_json(&schema.to_string()) {
        let _ = crate::params::cast("p", &schema, &value.into());
        let _ = crate::params::cast("p", &schema, &vec![value, ty].into());
    }
}

/// A batch response: the first line is the `Content-Type` (its boundary), the rest the body;
/// three requests are expected. Every request gets exactly one answer or one error.
#[cfg(feature = "batch")]
pub fn batch_response(data: &[u8]) {
    let (head, body) = match data.iter().position(|b| *b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (&b"multipart/mixed; boundary=batch_x"[..], data),
    };
    let content_type = String::from_utf8_lossy(head);
    let Some(boundary) = crate::batch::boundary_of(&content_type) else {
        return;
    };
    assert!(!boundary.is_empty());
    let Ok(parts) = crate::batch::split_multipart(body, &boundary) else {
        return;
    };
    let results = crate::batch::map_responses(parts, 3, "id");
    assert_eq!(results.len(), 3);
}

/// A Google API error body (the first two bytes are the status, the next line a
/// `Retry-After` value): a message always comes out, never a panic.
pub fn api_error(data: &[u8]) {
    let (code, rest) = match data {
        [a, b, rest @ ..] => (u16::from_be_bytes([*a, *b]) % 1000, rest),
        _ => (500, data),
    };
    let (retry_after, body) = match rest.iter().position(|b| *b == b'\n') {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (&b""[..], rest),
    };
    let mut headers = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_bytes(retry_after) {
        let _ = crate::retry::parse_retry_after(&v);
        headers.insert(RETRY_AFTER, v);
    }
    let err = ApiError::from_parts(code, &headers, None, body);
    assert!(!err.message.is_empty());
    let _ = err.to_string();
}

/// `Content-Range` of a download's 206 and `Range` of a resumable upload's 308: a parsed range
/// is one the header really states.
#[cfg(feature = "media")]
pub fn content_range(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Some((start, total)) = crate::media::download::parse_content_range(&text) {
        assert!(text.contains(&start.to_string()));
        if let Some(total) = total {
            assert!(text.contains(&total.to_string()));
        }
    }
    if let Ok(held) = crate::media::resumable::parse_range_end(&text) {
        assert!(held >= 1, "a Range header names at least one byte");
        assert!(text.contains(&(held - 1).to_string()));
    }
}

/// The `multipart/related` framing of an upload (the first line is the metadata, the rest the
/// media), as the emulator's fuzz target parses it back.
#[cfg(feature = "media")]
pub fn multipart_upload_body(boundary: &str, metadata: &[u8], media: &[u8]) -> Vec<u8> {
    let (prefix, suffix) =
        crate::media::upload::multipart_framing(boundary, metadata, "application/octet-stream");
    [&prefix[..], media, &suffix[..]].concat()
}

/// The policy check: a method of a bundled API called under a policy with any path values
/// (`api:version NUL method NUL mode NUL value NUL value...`; an unknown API or method picks
/// one by the name's bytes; mode `allow`, `read-only` or `resource`). Invariants: a request
/// the policy lets through has no steering path value, its path holds no dot segment however
/// often decoded, and every reading of it reaches only allowed methods or certainly goes to
/// one; the whole input resolved as a raw path never panics.
pub fn policy_route(data: &[u8]) {
    use std::cell::RefCell;
    use std::collections::HashMap;

    use crate::policy::Policy;
    use crate::route::{Reach, steering};
    use crate::service::Service;

    const APIS: &[(&str, &str)] = &[
        ("drive", "v3"),
        ("secretmanager", "v1"),
        ("storage", "v1"),
        ("firestore", "v1"),
    ];
    thread_local! {
        static SERVICES: RefCell<HashMap<(usize, String, u8), Service>> = RefCell::default();
    }
    let text = String::from_utf8_lossy(data);
    let mut parts = text.split('\u{0}');
    let (api_name, method_name, mode_name) = (
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
    );
    let by_bytes = |s: &str, n: usize| s.bytes().map(usize::from).sum::<usize>() % n.max(1);
    let api = APIS
        .iter()
        .position(|(a, v)| api_name == format!("{a}:{v}"))
        .unwrap_or_else(|| by_bytes(api_name, APIS.len()));
    let (name, version) = APIS[api];
    let Ok(doc) = crate::service::cached_method_index(name, version) else {
        return;
    };
    let methods: Vec<(String, &gapi_discovery::RestMethod)> = doc
        .all_methods()
        .into_iter()
        .filter(|(_, m)| {
            m.parameters
                .values()
                .any(|p| p.location.as_deref() == Some("path"))
        })
        .collect();
    if methods.is_empty() {
        return;
    }
    let (dotted, m) = methods
        .iter()
        .find(|(d, _)| d == method_name)
        .unwrap_or_else(|| &methods[by_bytes(method_name, methods.len())]);
    let mode: u8 = match mode_name {
        "allow" => 0,
        "read-only" => 1,
        "resource" => 2,
        other => (by_bytes(other, 3)) as u8,
    };
    let resource =
        m.id.rsplit_once('.')
            .map_or(m.id.clone(), |(r, _)| format!("{r}."));
    let policy = match mode {
        0 => Policy::new().allow([m.id.clone()]),
        1 => Policy::new().read_only(true).allow([m.id.clone()]),
        _ => Policy::new().allow([format!("{resource}*")]),
    };
    let svc = SERVICES.with(|cache| {
        cache
            .borrow_mut()
            .entry((api, m.id.clone(), mode))
            .or_insert_with(|| {
                Service::builder()
                    .document(doc.clone())
                    .policy(policy)
                    .build()
                    .expect("a bundled document builds")
            })
            .clone()
    });
    let Ok(mut call) = svc.method(dotted) else {
        return;
    };
    let mut given = Vec::new();
    for (pname, schema) in m.parameters.iter() {
        if schema.location.as_deref() == Some("path") {
            let value = parts.next().unwrap_or("x").to_string();
            given.push((pname.to_string(), value.clone()));
            call = call.param(pname, value);
        } else if schema.required {
            call = call.param(pname, "1");
        }
    }
    if m.request.is_some() {
        call = call.body(serde_json::json!({}));
    }
    // The whole input as a raw path: resolving never panics, however odd.
    if let Ok(url) = url::Url::parse(&format!("{}{}", svc.base_url(), text)) {
        let _ = svc.routes().resolve("GET", &url);
    }
    let Ok(req) = call.prepare() else {
        return;
    };
    let verb = req.method.as_str();
    let allowed = |id: &str| {
        (mode != 1 || verb == "GET")
            && match mode {
                2 => id.starts_with(&resource),
                _ => id == m.id,
            }
    };
    for (pname, value) in &given {
        let reserved = m.path.contains(&format!("{{+{pname}}}"));
        assert!(
            steering(value, reserved).is_none(),
            "{} let {pname}={value:?} through",
            m.id
        );
    }
    let mut path = req.url.path().to_string();
    for _ in 0..6 {
        assert!(
            !path
                .split(['/', '\\'])
                .any(|s| s.trim() == "." || s.trim() == ".."),
            "{} sent a dot segment: {}",
            m.id,
            req.url
        );
        path = percent_encoding::percent_decode_str(&path)
            .decode_utf8_lossy()
            .into_owned();
    }
    assert!(
        matches!(svc.routes().resolve(verb, &req.url), Reach::Methods(_)),
        "{} sent {} which reaches no method",
        m.id,
        req.url
    );
    let readings = svc
        .routes()
        .readings(verb, &req.url)
        .expect("an allowed URL is inside the API");
    for r in readings {
        assert!(
            r.methods.iter().all(|id| allowed(id)) || r.winner.is_some_and(allowed),
            "{} sent {verb} {} reaching {:?} (winner {:?})",
            m.id,
            req.url,
            r.methods,
            r.winner
        );
    }
}
