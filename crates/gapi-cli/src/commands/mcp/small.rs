//! Keeps `describe_method` and `call_method` answers small, so one call does not flood the
//! agent's context: a list method called without `fields` gets a default field mask (the
//! page token and a few identifying fields of each item), and any answer over
//! [`MAX_ANSWER_BYTES`] of JSON is cut down (whole list items dropped from the end, else
//! long strings shortened and deep members summarized) with a `_gapi_note` saying what was
//! left out and how to get it.

use gapi_discovery::{JsonSchema, RestDescription, RestMethod};
use serde_json::{Map, Value, json};

/// The most JSON text one tool answer carries (about 6,000 tokens).
pub const MAX_ANSWER_BYTES: usize = 24 * 1024;

/// Item fields worth showing first, in this order, when they exist in the item schema.
const IDENTIFYING: &[&str] = &[
    "id",
    "name",
    "title",
    "displayName",
    "summary",
    "kind",
    "mimeType",
    "status",
    "state",
    "email",
    "emailAddress",
    "primaryEmail",
    "threadId",
    "snippet",
    "modifiedTime",
    "updateTime",
    "updated",
    "createTime",
    "created",
    "start",
    "end",
    "resourceName",
    "selfLink",
];

/// The most item fields a default mask names.
const DEFAULT_ITEM_FIELDS: usize = 8;

/// A default `fields` mask for a list method (one whose response has `nextPageToken` and an
/// array of objects): `nextPageToken,files(id,name,...)`. None for other methods, or when no
/// identifying field is known.
pub fn default_fields(doc: &RestDescription, method: &RestMethod) -> Option<String> {
    let response = doc.schema(&method.response.as_ref()?.reference)?;
    if !response.properties.contains_key("nextPageToken") {
        return None;
    }
    let (list, item) = response.properties.iter().find_map(|(name, p)| {
        let item = p.items.as_deref()?;
        let item = resolve(doc, item)?;
        (p.type_name() == "array" && !item.properties.is_empty()).then_some((name, item))
    })?;
    let picked: Vec<&str> = IDENTIFYING
        .iter()
        .copied()
        .filter(|f| item.properties.contains_key(f))
        .take(DEFAULT_ITEM_FIELDS)
        .collect();
    if picked.is_empty() {
        return None;
    }
    Some(format!("nextPageToken,{list}({})", picked.join(",")))
}

/// A schema itself, or the named schema it refers to.
fn resolve(doc: &RestDescription, s: &JsonSchema) -> Option<JsonSchema> {
    match &s.reference {
        Some(r) => doc.schema(r),
        None => Some(s.clone()),
    }
}

/// Adds a note to an answer (an object; anything else is wrapped as `{"result": ...}`).
pub fn with_note(v: Value, note: String) -> Value {
    let mut obj = match v {
        Value::Object(m) => m,
        other => {
            let mut m = Map::new();
            m.insert("result".into(), other);
            m
        }
    };
    let note = match obj.get("_gapi_note").and_then(Value::as_str) {
        Some(old) => format!("{old} {note}"),
        None => note,
    };
    obj.insert("_gapi_note".into(), json!(note));
    Value::Object(obj)
}

fn size(v: &Value) -> usize {
    serde_json::to_string(v).map(|s| s.len()).unwrap_or(0)
}

/// `v` within [`MAX_ANSWER_BYTES`]: unchanged when it fits; else its list items dropped from
/// the end (whole items), else long strings shortened and deep members summarized, with a
/// note saying how to get the rest (`more` says how for this tool).
pub fn cap(v: Value, more: &str) -> Value {
    cap_at(v, MAX_ANSWER_BYTES, more)
}

fn cap_at(mut v: Value, max: usize, more: &str) -> Value {
    let total = size(&v);
    if total <= max {
        return v;
    }
    // A list: keep as many whole items as fit.
    if let Some(key) = crate::output::list_items(&v).map(|(k, _)| k.to_string()) {
        let items = v[&key].as_array().cloned().unwrap_or_default();
        let n = items.len();
        v[&key] = json!([]);
        let mut kept = Vec::new();
        let mut used = size(&v) + 400;
        for item in &items {
            let s = size(item) + 1;
            if used + s > max {
                break;
            }
            used += s;
            kept.push(item.clone());
        }
        if !kept.is_empty() {
            let k = kept.len();
            v[&key] = Value::Array(kept);
            return with_note(
                v,
                format!(
                    "Answer cut to {max} bytes: {k} of the {n} items of \"{key}\" are shown \
                     ({total} bytes in all). {more}"
                ),
            );
        }
        // Not even one item fits whole: prune them below.
        v[&key] = Value::Array(items);
    }
    // Anything else: shorten strings, then summarize members below a depth until it fits.
    for depth in (1..=6).rev() {
        let shrunk = prune(&v, depth, 400);
        if size(&shrunk) + 400 <= max {
            return with_note(
                shrunk,
                format!(
                    "Answer cut to {max} bytes ({total} in all): long strings shortened and \
                     members deeper than {depth} levels summarized as \"…\". {more}"
                ),
            );
        }
    }
    with_note(
        json!({"members": v.as_object().map(|m| m.keys().cloned().collect::<Vec<_>>())}),
        format!("Answer of {total} bytes is too large to show. {more}"),
    )
}

/// `v` with strings longer than `text` characters shortened and containers below `depth`
/// replaced by a summary string.
fn prune(v: &Value, depth: usize, text: usize) -> Value {
    match v {
        Value::String(s) if s.chars().count() > text => Value::String(format!(
            "{}… ({} characters)",
            s.chars().take(text).collect::<String>(),
            s.chars().count()
        )),
        Value::Object(m) if depth == 0 => json!(format!("… ({} members)", m.len())),
        Value::Array(a) if depth == 0 => json!(format!("… ({} items)", a.len())),
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, x)| (k.clone(), prune(x, depth - 1, text)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(|x| prune(x, depth - 1, text)).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_big_list_keeps_whole_items_and_says_how_to_get_more() {
        let items: Vec<Value> = (0..1000)
            .map(|i| json!({"id": format!("id-{i}"), "name": "x".repeat(50)}))
            .collect();
        let v = json!({"files": items, "nextPageToken": "t"});
        let out = cap_at(v, 10_000, "Pass params.fields.");
        assert!(size(&out) <= 10_000, "{}", size(&out));
        let kept = out["files"].as_array().unwrap();
        assert!(!kept.is_empty() && kept.len() < 1000);
        assert_eq!(
            kept[0]["name"].as_str().unwrap().len(),
            50,
            "items are whole"
        );
        assert_eq!(out["nextPageToken"], "t");
        let note = out["_gapi_note"].as_str().unwrap();
        assert!(
            note.contains("of the 1000 items") && note.contains("params.fields"),
            "{note}"
        );
    }

    #[test]
    fn a_big_object_is_pruned_and_a_small_one_is_untouched() {
        let small = json!({"a": 1});
        assert_eq!(cap_at(small.clone(), 100, ""), small);
        let deep = json!({"text": "y".repeat(50_000), "tree": {"a": {"b": {"c": {"d": "x".repeat(300)}}}}});
        let out = cap_at(deep, 2_000, "More.");
        assert!(size(&out) <= 2_000, "{}", size(&out));
        assert!(out["_gapi_note"].as_str().unwrap().contains("More."));
        assert!(out["text"].as_str().unwrap().contains("50000 characters"));
    }
}
