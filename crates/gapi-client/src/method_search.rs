//! Finding methods by words across every bundled API, and describing one method compactly:
//! what an agent (the CLI's MCP server) needs instead of one tool per method.
//!
//! The index holds one line per method of each API's preferred bundled version (about
//! 300 documents), built on first use and kept for the process.

use std::sync::OnceLock;

use gapi_discovery::{JsonSchema, RestDescription, RestMethod};
use serde_json::{Map, Value, json};

use crate::error::Error;

/// One method in the search index.
#[derive(Debug, Clone)]
pub struct MethodEntry {
    /// `drive:v3`.
    pub api: String,
    /// The dotted path inside the API, `files.list`.
    pub method: String,
    /// The method id, `drive.files.list`.
    pub id: String,
    /// `GET`, `POST`, ...
    pub http_method: String,
    /// The first sentence of the description.
    pub summary: String,
}

fn index() -> &'static [MethodEntry] {
    static INDEX: OnceLock<Vec<MethodEntry>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut out = Vec::new();
        for e in gapi_discovery::bundle::entries()
            .iter()
            .filter(|e| e.preferred())
        {
            let Ok(doc) = crate::service::bundled_document(e.name, e.version) else {
                continue;
            };
            for (dotted, m) in doc.all_methods() {
                out.push(MethodEntry {
                    api: format!("{}:{}", e.name, e.version),
                    method: dotted,
                    id: m.id.clone(),
                    http_method: m.http_method_or_get().to_string(),
                    summary: summary(&m.description),
                });
            }
        }
        out
    })
}

/// The first sentence (or line) of a description, at most 160 characters.
pub fn summary(description: &str) -> String {
    let line = description.trim().lines().next().unwrap_or("");
    let end = line.find(". ").map(|i| i + 1).unwrap_or(line.len());
    let s = &line[..end];
    if s.chars().count() > 160 {
        format!("{}...", s.chars().take(157).collect::<String>())
    } else {
        s.to_string()
    }
}

/// Methods matching the words of `query`, best first: every word must appear in the method
/// id or its summary (case-insensitive); words in the id count more. `api` limits the search
/// to one API name (`drive`) or `name:version`.
pub fn search(query: &str, api: Option<&str>, limit: usize) -> Vec<MethodEntry> {
    let words: Vec<String> = query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let mut scored: Vec<(usize, &MethodEntry)> = index()
        .iter()
        .filter(|e| match api {
            None => true,
            Some(a) if a.contains(':') => e.api == a,
            Some(a) => e.api.split(':').next() == Some(a),
        })
        .filter_map(|e| {
            let id = e.id.to_lowercase();
            let text = e.summary.to_lowercase();
            let mut score = 0;
            for w in &words {
                if id.split('.').any(|part| part == w) {
                    score += 4;
                } else if id.contains(w.as_str()) {
                    score += 3;
                } else if text.contains(w.as_str()) {
                    score += 1;
                } else {
                    return None;
                }
            }
            Some((score, e))
        })
        .collect();
    // Best score first; then shorter ids (the more general method) first.
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.id.len().cmp(&b.1.id.len())));
    scored
        .into_iter()
        .take(limit)
        .map(|(_, e)| e.clone())
        .collect()
}

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
    fn search_finds_drive_files_list_first() {
        let hits = search("drive files list", None, 5);
        assert_eq!(hits[0].id, "drive.files.list", "{hits:?}");
        assert_eq!(hits[0].api, "drive:v3");
        let only = search("list", Some("drive"), 50);
        assert!(!only.is_empty() && only.iter().all(|h| h.api == "drive:v3"));
        assert!(search("zzzqqq", None, 5).is_empty());
    }

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
