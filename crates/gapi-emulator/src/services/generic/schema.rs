//! Request bodies checked against the method's request schema, as Google's front end does:
//! unknown members and values of the wrong type are 400 `INVALID_ARGUMENT`.

use std::collections::HashMap;

use gapi_discovery::model::JsonSchema;
use serde_json::Value;

/// How deep `$ref`s are followed (recursive schemas are common).
const MAX_DEPTH: usize = 64;

/// Checks `value` against `schema`; the error is Google's message.
pub(crate) fn check(
    value: &Value,
    schema: &JsonSchema,
    schemas: &HashMap<String, JsonSchema>,
) -> Result<(), String> {
    walk(value, schema, schemas, "", 0)
}

fn at(path: &str) -> String {
    if path.is_empty() {
        String::new()
    } else {
        format!(" at '{path}'")
    }
}

fn join(path: &str, member: &str) -> String {
    if path.is_empty() {
        member.to_owned()
    } else {
        format!("{path}.{member}")
    }
}

fn walk(
    value: &Value,
    schema: &JsonSchema,
    schemas: &HashMap<String, JsonSchema>,
    path: &str,
    depth: usize,
) -> Result<(), String> {
    if depth > MAX_DEPTH || value.is_null() {
        return Ok(());
    }
    if let Some(name) = &schema.reference {
        return match schemas.get(name) {
            Some(s) => walk(value, s, schemas, path, depth + 1),
            None => Ok(()),
        };
    }
    let wrong = |expected: &str| {
        Err(format!(
            "Invalid JSON payload received. Invalid value{}: expected {expected}, got {}.",
            at(path),
            kind(value)
        ))
    };
    match schema.type_name() {
        "any" => Ok(()),
        "string" => match value {
            Value::String(s) => {
                if !schema.enum_.is_empty() && !schema.enum_.iter().any(|e| e == s) {
                    return Err(format!(
                        "Invalid JSON payload received. Invalid value{} (enum), \"{s}\": expected one of {}.",
                        at(path),
                        schema.enum_.join(", ")
                    ));
                }
                Ok(())
            }
            // int64 and friends are strings in JSON, and Google accepts numbers for them.
            Value::Number(_) if schema.format.is_some() => Ok(()),
            _ => wrong("a string"),
        },
        "integer" | "number" => match value {
            Value::Number(_) => Ok(()),
            Value::String(s) if s.trim().parse::<f64>().is_ok() => Ok(()),
            _ => wrong("a number"),
        },
        "boolean" => match value {
            Value::Bool(_) => Ok(()),
            _ => wrong("a boolean"),
        },
        "array" => match value {
            Value::Array(items) => {
                if let Some(item) = &schema.items {
                    for (i, v) in items.iter().enumerate() {
                        walk(v, item, schemas, &format!("{path}[{i}]"), depth + 1)?;
                    }
                }
                Ok(())
            }
            _ => wrong("a list"),
        },
        "object" => match value {
            Value::Object(map) => {
                for (k, v) in map {
                    match schema.properties.get(k) {
                        Some(s) => walk(v, s, schemas, &join(path, k), depth + 1)?,
                        None => match &schema.additional_properties {
                            Some(s) => walk(v, s, schemas, &join(path, k), depth + 1)?,
                            None if schema.properties.is_empty() => {}
                            None => {
                                return Err(format!(
                                    "Invalid JSON payload received. Unknown name \"{k}\"{}: Cannot find field.",
                                    at(path)
                                ));
                            }
                        },
                    }
                }
                Ok(())
            }
            _ => wrong("an object"),
        },
        _ => Ok(()),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unknown_members_and_wrong_types_are_refused() {
        let schema: JsonSchema = serde_json::from_value(json!({
            "type": "object",
            "properties": {
                "title": {"type": "string"},
                "count": {"type": "integer"},
                "tags": {"type": "array", "items": {"type": "string"}},
                "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                "child": {"$ref": "Child"}
            }
        }))
        .unwrap();
        let child: JsonSchema = serde_json::from_value(json!({
            "type": "object", "properties": {"x": {"type": "boolean"}}
        }))
        .unwrap();
        let schemas = HashMap::from([("Child".to_owned(), child)]);
        let ok = json!({"title": "t", "count": "3", "tags": ["a"], "labels": {"k": "v"}, "child": {"x": true}});
        assert!(check(&ok, &schema, &schemas).is_ok());
        let e = check(&json!({"titel": "t"}), &schema, &schemas).unwrap_err();
        assert!(e.contains("Unknown name \"titel\""), "{e}");
        let e = check(&json!({"child": {"x": "yes"}}), &schema, &schemas).unwrap_err();
        assert!(e.contains("'child.x'"), "{e}");
        assert!(check(&json!({"tags": "a"}), &schema, &schemas).is_err());
    }
}
