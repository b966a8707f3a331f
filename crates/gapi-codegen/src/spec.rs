//! The API excerpt a module carries (`gapi::typed::ApiSpec`): the chosen methods as the
//! Discovery document has them, less descriptions, and schema stubs holding only what paging
//! and download checks read.

use gapi_discovery::{INTEGRITY_FIELDS, JsonSchema, RestDescription, RestMethod};
use serde_json::{Map, Value, json};

/// The excerpt for `methods` (dotted paths) of `doc`, as pretty JSON.
pub fn excerpt(
    doc: &RestDescription,
    schemas: &std::collections::BTreeMap<String, JsonSchema>,
    methods: &[(String, &RestMethod)],
) -> String {
    let mut top = Map::new();
    for (k, v) in [
        ("name", &doc.name),
        ("version", &doc.version),
        ("rootUrl", &doc.root_url),
        ("servicePath", &doc.service_path),
        ("batchPath", &doc.batch_path),
    ] {
        top.insert(k.into(), Value::String(v.clone()));
    }
    let mut globals = Map::new();
    for (name, p) in doc.parameters.iter() {
        globals.insert(name.to_string(), param(p));
    }
    top.insert("parameters".into(), Value::Object(globals));
    let mut resources = Map::new();
    let mut top_methods = Map::new();
    let mut stubs = Map::new();
    for (dotted, m) in methods {
        let parts: Vec<&str> = dotted.split('.').collect();
        let (last, path) = parts.split_last().expect("a dotted path has a last part");
        let mut slot = &mut top_methods;
        let mut level = &mut resources;
        for r in path {
            let entry = level
                .entry(r.to_string())
                .or_insert_with(|| json!({"methods": {}, "resources": {}}));
            let obj = entry.as_object_mut().expect("a resource is an object");
            let (ms, rs) = split_two(obj);
            slot = ms;
            level = rs;
        }
        slot.insert(last.to_string(), method(m));
        stub(schemas, m, &mut stubs);
    }
    top.insert("resources".into(), Value::Object(resources));
    top.insert("methods".into(), Value::Object(top_methods));
    top.insert("schemas".into(), Value::Object(stubs));
    serde_json::to_string_pretty(&Value::Object(top)).expect("JSON values serialize")
}

fn split_two(obj: &mut Map<String, Value>) -> (&mut Map<String, Value>, &mut Map<String, Value>) {
    let mut methods = None;
    let mut resources = None;
    for (k, v) in obj.iter_mut() {
        match k.as_str() {
            "methods" => methods = v.as_object_mut(),
            "resources" => resources = v.as_object_mut(),
            _ => {}
        }
    }
    (
        methods.expect("made with methods"),
        resources.expect("made with resources"),
    )
}

fn param(p: &JsonSchema) -> Value {
    let mut o = Map::new();
    let mut put = |k: &str, v: Option<&String>| {
        if let Some(v) = v {
            o.insert(k.into(), Value::String(v.clone()));
        }
    };
    put("type", p.type_.as_ref());
    put("format", p.format.as_ref());
    put("location", p.location.as_ref());
    put("pattern", p.pattern.as_ref());
    put("minimum", p.minimum.as_ref());
    put("maximum", p.maximum.as_ref());
    if p.required {
        o.insert("required".into(), Value::Bool(true));
    }
    if p.repeated {
        o.insert("repeated".into(), Value::Bool(true));
    }
    if !p.enum_.is_empty() {
        o.insert("enum".into(), json!(p.enum_));
    }
    Value::Object(o)
}

fn method(m: &RestMethod) -> Value {
    let mut o = Map::new();
    o.insert("id".into(), json!(m.id));
    o.insert("path".into(), json!(m.path));
    o.insert("httpMethod".into(), json!(m.http_method_or_get()));
    let params: Map<String, Value> = m
        .parameters
        .iter()
        .map(|(n, p)| (n.to_string(), param(p)))
        .collect();
    o.insert("parameters".into(), Value::Object(params));
    if !m.parameter_order.is_empty() {
        o.insert("parameterOrder".into(), json!(m.parameter_order));
    }
    if let Some(r) = &m.request {
        o.insert("request".into(), json!({"$ref": r.reference}));
    }
    if let Some(r) = &m.response {
        o.insert("response".into(), json!({"$ref": r.reference}));
    }
    if !m.scopes.is_empty() {
        o.insert("scopes".into(), json!(m.scopes));
    }
    if m.supports_media_upload {
        o.insert("supportsMediaUpload".into(), Value::Bool(true));
    }
    if let Some(mu) = &m.media_upload {
        o.insert(
            "mediaUpload".into(),
            serde_json::to_value(mu).expect("the model serializes"),
        );
    }
    if m.supports_media_download {
        o.insert("supportsMediaDownload".into(), Value::Bool(true));
    }
    if m.use_media_download_service {
        o.insert("useMediaDownloadService".into(), Value::Bool(true));
    }
    if let Some(v) = &m.api_version {
        o.insert("apiVersion".into(), json!(v));
    }
    Value::Object(o)
}

/// Stubs of the request and response schemas: `pageToken` of a request (paging through the
/// body) and the integrity fields of a download's response.
fn stub(
    schemas: &std::collections::BTreeMap<String, JsonSchema>,
    m: &RestMethod,
    stubs: &mut Map<String, Value>,
) {
    let mut add = |name: &str, wanted: &[&str]| {
        let Some(s) = schemas.get(name) else { return };
        let entry = stubs
            .entry(name.to_string())
            .or_insert_with(|| json!({"type": "object", "properties": {}}));
        let props = entry["properties"]
            .as_object_mut()
            .expect("made with properties");
        for w in wanted {
            if let Some(p) = s.properties.get(w) {
                props.insert(w.to_string(), param(p));
            }
        }
    };
    if let Some(r) = &m.request
        && schemas
            .get(&r.reference)
            .is_some_and(|s| s.properties.contains_key("pageToken"))
    {
        add(&r.reference, &["pageToken"]);
    }
    if let Some(r) = &m.response
        && m.supports_media_download
    {
        add(&r.reference, INTEGRITY_FIELDS);
    }
}
