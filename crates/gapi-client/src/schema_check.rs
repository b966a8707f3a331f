//! Request bodies checked against the method's schema before anything is sent: unknown
//! properties (with the closest valid name), wrong JSON types, read-only (output only)
//! fields and values outside an enum, each named by its JSON path (`body.parents[0]`).
//!
//! The check is deliberately lenient where Google's JSON mapping is: `null` is accepted
//! everywhere, 64-bit integers and numbers may be strings (`"123"`, `"NaN"`), a schema of type
//! `any` or an object without declared properties takes anything.

use std::collections::HashMap;

use gapi_discovery::{JsonSchema, RestDescription, RestMethod};
use serde_json::Value;

use crate::error::Error;
use crate::params::closest;

/// At most this many problems are reported at once (the first ones found, in body order).
const MAX_PROBLEMS: usize = 10;

/// One way a body does not match its schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where, as a JSON path from the body: `body`, `body.name`, `body.parents[0]`.
    pub path: String,
    /// What is wrong there.
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Checks `body` against the request schema of `method`; no request schema means nothing to
/// check. The error lists every problem found (up to ten), one per line.
pub fn check_request(
    doc: &RestDescription,
    method: &RestMethod,
    body: &Value,
) -> Result<(), Error> {
    let Some(request) = &method.request else {
        return Ok(());
    };
    let problems = problems(doc, &request.reference, body);
    if problems.is_empty() {
        return Ok(());
    }
    let lines: Vec<String> = problems.iter().map(|p| format!("  {p}")).collect();
    Err(Error::invalid_argument(format!(
        "the request body does not match {} (schema {}):\n{}",
        method.id,
        request.reference,
        lines.join("\n")
    )))
}

/// The problems of `body` against the schema named `schema` (empty when it matches, or when
/// the document has no such schema).
pub fn problems(doc: &RestDescription, schema: &str, body: &Value) -> Vec<Problem> {
    let mut checker = Checker::new(doc);
    let Some(root) = checker.named(schema) else {
        return Vec::new();
    };
    checker.value(&root, body, &mut "body".to_string());
    checker.problems
}

/// Walks a value and its schema, resolving `$ref`s through a per-check cache.
struct Checker<'d> {
    doc: &'d RestDescription,
    parsed: HashMap<String, Option<JsonSchema>>,
    problems: Vec<Problem>,
}

impl<'d> Checker<'d> {
    fn new(doc: &'d RestDescription) -> Self {
        Checker {
            doc,
            parsed: HashMap::new(),
            problems: Vec::new(),
        }
    }

    fn named(&mut self, name: &str) -> Option<JsonSchema> {
        if let Some(s) = self.parsed.get(name) {
            return s.clone();
        }
        let s = self.doc.schema(name);
        self.parsed.insert(name.to_string(), s.clone());
        s
    }

    fn problem(&mut self, path: &str, message: String) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(Problem {
                path: path.to_string(),
                message,
            });
        }
    }

    fn value(&mut self, schema: &JsonSchema, value: &Value, path: &mut String) {
        if self.problems.len() >= MAX_PROBLEMS || value.is_null() {
            return;
        }
        let resolved;
        let schema = match &schema.reference {
            Some(name) => match self.named(name) {
                Some(s) => {
                    resolved = s;
                    &resolved
                }
                None => return,
            },
            None => schema,
        };
        let ty = schema
            .type_
            .as_deref()
            .unwrap_or(if schema.properties.is_empty() {
                "any"
            } else {
                "object"
            });
        match ty {
            "object" => self.object(schema, value, path),
            "array" => match value {
                Value::Array(items) => {
                    if let Some(item) = &schema.items {
                        for (i, v) in items.iter().enumerate() {
                            let len = path.len();
                            path.push_str(&format!("[{i}]"));
                            self.value(item, v, path);
                            path.truncate(len);
                        }
                    }
                }
                other => self.problem(path, format!("expected an array, got {}", kind(other))),
            },
            "string" => self.string(schema, value, path),
            "integer" => self.integer(schema, value, path),
            "number" => match value {
                Value::Number(_) => {}
                Value::String(s) if s.parse::<f64>().is_ok() || is_special_float(s) => {}
                other => self.problem(path, format!("expected a number, got {}", kind(other))),
            },
            "boolean" if !value.is_boolean() => {
                self.problem(path, format!("expected true or false, got {}", kind(value)));
            }
            _ => {}
        }
    }

    fn object(&mut self, schema: &JsonSchema, value: &Value, path: &mut String) {
        let Value::Object(map) = value else {
            self.problem(path, format!("expected an object, got {}", kind(value)));
            return;
        };
        for (key, v) in map {
            let len = path.len();
            path.push('.');
            path.push_str(key);
            match schema.properties.get(key) {
                Some(prop) => {
                    if prop.read_only {
                        self.problem(
                            path,
                            "is read-only (output only): the server sets it; leave it out"
                                .to_string(),
                        );
                    } else {
                        self.value(prop, v, path);
                    }
                }
                None => match &schema.additional_properties {
                    Some(extra) => self.value(extra, v, path),
                    None if schema.properties.is_empty() => {}
                    None => {
                        let close = closest(key, schema.properties.keys());
                        let hint = match close.first() {
                            Some(c) => format!(" (did you mean `{c}`?)"),
                            None => {
                                let known: Vec<&str> = schema.properties.keys().take(12).collect();
                                format!("; known: {}", known.join(", "))
                            }
                        };
                        self.problem(path, format!("unknown property{hint}"));
                    }
                },
            }
            path.truncate(len);
        }
    }

    fn string(&mut self, schema: &JsonSchema, value: &Value, path: &str) {
        let text = match value {
            Value::String(s) => s.as_str(),
            // int64 and friends are strings in JSON, but a number is accepted too.
            Value::Number(n)
                if is_integer_format(schema.format.as_deref()) && n.is_i64() | n.is_u64() =>
            {
                return;
            }
            other => {
                self.problem(path, format!("expected a string, got {}", kind(other)));
                return;
            }
        };
        if !schema.enum_.is_empty() && !schema.enum_.iter().any(|e| e == text) {
            let close = closest(text, schema.enum_.iter().map(String::as_str));
            let list = if schema.enum_.len() <= 12 {
                format!("; one of: {}", schema.enum_.join(", "))
            } else {
                String::new()
            };
            let hint = match close.first() {
                Some(c) => format!(" (did you mean `{c}`?)"),
                None => String::new(),
            };
            self.problem(
                path,
                format!("{text:?} is not an allowed value{hint}{list}"),
            );
        }
    }

    fn integer(&mut self, schema: &JsonSchema, value: &Value, path: &str) {
        let ok = match value {
            Value::Number(n) => n.is_i64() || n.is_u64(),
            Value::String(s) => s.parse::<i128>().is_ok(),
            _ => false,
        };
        if !ok {
            let what = match schema.format.as_deref() {
                Some(f) => format!("an integer ({f})"),
                None => "an integer".to_string(),
            };
            self.problem(path, format!("expected {what}, got {}", kind(value)));
        }
    }
}

fn is_integer_format(format: Option<&str>) -> bool {
    matches!(format, Some("int64" | "uint64" | "int32" | "uint32"))
}

fn is_special_float(s: &str) -> bool {
    matches!(s, "NaN" | "Infinity" | "-Infinity")
}

/// How a JSON value is named in messages.
fn kind(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) if s.chars().count() > 30 => "a string".into(),
        Value::String(s) => format!("the string {s:?}"),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn drive() -> std::sync::Arc<RestDescription> {
        crate::service::cached_bundled_document("drive", "v3").unwrap()
    }

    fn check(body: Value) -> Vec<String> {
        problems(&drive(), "File", &body)
            .into_iter()
            .map(|p| p.to_string())
            .collect()
    }

    #[test]
    fn a_valid_file_passes() {
        let body = json!({"name": "a.txt", "parents": ["root"], "starred": true,
            "appProperties": {"k": "v"}, "contentHints": {"indexableText": "x"},
            "description": null, "copyRequiresWriterPermission": false});
        assert_eq!(check(body), Vec::<String>::new());
    }

    #[test]
    fn unknown_properties_name_the_closest_one() {
        assert_eq!(
            check(json!({"nmae": "x"})),
            ["body.nmae: unknown property (did you mean `name`?)"]
        );
        let nested = check(json!({"contentHints": {"indexableTxt": "x"}}));
        assert_eq!(
            nested,
            ["body.contentHints.indexableTxt: unknown property (did you mean `indexableText`?)"]
        );
    }

    #[test]
    fn wrong_types_read_only_and_enums_are_found_with_their_paths() {
        // serde_json maps iterate in key order, so problems come sorted by property.
        let got = check(json!({"starred": "yes", "parents": "root", "exportLinks": {}}));
        assert_eq!(
            got,
            [
                "body.exportLinks: is read-only (output only): the server sets it; leave it out",
                "body.parents: expected an array, got the string \"root\"",
                "body.starred: expected true or false, got the string \"yes\"",
            ]
        );
        let got = check(json!({"parents": [1]}));
        assert_eq!(
            got,
            ["body.parents[0]: expected a string, got the number 1"]
        );
        let doc = RestDescription::from_json(
            r#"{"schemas": {"Job": {"type": "object", "properties": {
                "state": {"type": "string", "enum": ["RUNNING", "DONE"]},
                "count": {"type": "integer", "format": "int32"},
                "big": {"type": "string", "format": "int64"},
                "labels": {"type": "object", "additionalProperties": {"type": "integer"}}}}}}"#,
        )
        .unwrap();
        let got: Vec<String> = problems(
            &doc,
            "Job",
            &json!({"state": "DOEN", "count": 1.5, "big": 7, "labels": {"a": 1, "b": "x"}}),
        )
        .iter()
        .map(|p| p.to_string())
        .collect();
        assert_eq!(
            got,
            [
                "body.count: expected an integer (int32), got the number 1.5",
                "body.labels.b: expected an integer, got the string \"x\"",
                "body.state: \"DOEN\" is not an allowed value (did you mean `DONE`?); one of: RUNNING, DONE",
            ]
        );
    }

    #[test]
    fn check_request_reports_through_the_method() {
        let doc = drive();
        let m = doc.method("files.create").unwrap();
        let err = check_request(&doc, m, &json!({"nmae": "x"}))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("drive.files.create") && err.contains("body.nmae"),
            "{err}"
        );
        assert!(check_request(&doc, doc.method("files.list").unwrap(), &json!(1)).is_ok());
    }
}
