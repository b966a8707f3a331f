//! One method described compactly as JSON, for an agent that found it by searching.

use gapi_discovery::{JsonSchema, RestDescription, RestMethod};
use serde_json::{Map, Value, json};

use super::summary;
use crate::error::Error;

/// A method described compactly as JSON: verb, path, parameters, scopes and the request and
/// response schemas as trees of property types (two levels deep, `$ref` names beyond).
pub fn describe(doc: &RestDescription, dotted: &str) -> Result<Value, Error> {
    let m: &RestMethod = doc.method(dotted).ok_or_else(|| {
        Error::invalid_argument(format!(
            "{}:{} has no method {dotted:?}",
            doc.name, doc.version
        ))
    })?;
    let mut params = Map::new();
    for (name, p) in m.parameters.iter() {
        params.insert(name.to_string(), param_json(p));
    }
    let schema = |name: &str| -> Value {
        match doc.schema(name) {
            Some(s) => json!({"name": name, "properties": properties(&s, 2)}),
            None => json!({"name": name}),
        }
    };
    let mut out = json!({
        "api": format!("{}:{}", doc.name, doc.version),
        "method": dotted,
        "id": m.id,
        "httpMethod": m.http_method_or_get(),
        "path": m.path,
        "description": m.description.trim(),
        "parameters": params,
        "required": m.parameter_order,
        "scopes": m.scopes,
    });
    if let Some(r) = &m.request {
        out["request"] = schema(&r.reference);
    }
    if let Some(r) = &m.response {
        out["response"] = schema(&r.reference);
    }
    if m.supports_media_upload {
        out["mediaUpload"] = json!(true);
    }
    if m.supports_media_download {
        out["mediaDownload"] = json!(true);
    }
    Ok(out)
}

fn param_json(p: &JsonSchema) -> Value {
    let mut v = json!({"type": p.type_name()});
    if let Some(f) = &p.format {
        v["format"] = json!(f);
    }
    if p.required {
        v["required"] = json!(true);
    }
    if p.repeated {
        v["repeated"] = json!(true);
    }
    if let Some(l) = &p.location {
        v["location"] = json!(l);
    }
    if !p.enum_.is_empty() {
        v["enum"] = json!(p.enum_);
    }
    if let Some(d) = &p.default {
        v["default"] = json!(d);
    }
    let d = summary(p.description.as_deref().unwrap_or(""));
    if !d.is_empty() {
        v["description"] = json!(d);
    }
    v
}

/// The type of a schema in one word: `string`, `integer(int32)`, `File`, `array<string>`.
pub fn type_label(s: &JsonSchema) -> String {
    if let Some(r) = &s.reference {
        return r.clone();
    }
    let base = s.type_name();
    match base {
        "array" => format!(
            "array<{}>",
            s.items
                .as_deref()
                .map(type_label)
                .unwrap_or_else(|| "any".into())
        ),
        "object" if s.additional_properties.is_some() => format!(
            "map<string, {}>",
            s.additional_properties
                .as_deref()
                .map(type_label)
                .unwrap_or_default()
        ),
        _ => match &s.format {
            Some(f) => format!("{base}({f})"),
            None => base.to_string(),
        },
    }
}

/// A schema's properties as `{name: {type, readOnly?, enum?, properties?}}`, `depth` levels.
fn properties(s: &JsonSchema, depth: usize) -> Value {
    let mut out = Map::new();
    for (name, p) in s.properties.iter() {
        let mut v = json!({"type": type_label(p)});
        if p.read_only {
            v["readOnly"] = json!(true);
        }
        if !p.enum_.is_empty() {
            v["enum"] = json!(p.enum_);
        }
        if depth > 1 && p.reference.is_none() && !p.properties.is_empty() {
            v["properties"] = properties(p, depth - 1);
        }
        out.insert(name.to_string(), v);
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describe_is_compact_and_typed() {
        let doc = crate::service::cached_bundled_document("drive", "v3").unwrap();
        let d = describe(&doc, "files.create").unwrap();
        assert_eq!(d["httpMethod"], "POST");
        assert_eq!(d["request"]["name"], "File");
        assert_eq!(
            d["request"]["properties"]["parents"]["type"],
            "array<string>"
        );
        assert_eq!(d["request"]["properties"]["exportLinks"]["readOnly"], true);
        assert_eq!(d["parameters"]["supportsAllDrives"]["type"], "boolean");
        assert!(describe(&doc, "files.nope").is_err());
    }
}
