//! Partial responses: the `fields` parameter (`files(id,name),nextPageToken`, `a/b`, `*`).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::framework::api_error::ApiError;

/// A parsed selection: everything, or named members with their own selections.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Selection {
    All,
    Some(BTreeMap<String, Selection>),
}

fn invalid(text: &str, why: &str) -> ApiError {
    ApiError::invalid_param("fields", format!("Invalid field selection {text}: {why}"))
}

/// Parses a `fields` value.
pub(crate) fn parse(text: &str) -> Result<Selection, ApiError> {
    let chars: Vec<char> = text.chars().collect();
    let mut pos = 0;
    let sel = parse_list(&chars, &mut pos, 0).map_err(|why| invalid(text, &why))?;
    if pos != chars.len() {
        return Err(invalid(text, "unbalanced parentheses"));
    }
    Ok(sel)
}

fn parse_list(chars: &[char], pos: &mut usize, depth: usize) -> Result<Selection, String> {
    if depth > 16 {
        return Err("nested too deeply".into());
    }
    let mut map: BTreeMap<String, Selection> = BTreeMap::new();
    loop {
        while chars.get(*pos).is_some_and(|c| c.is_whitespace()) {
            *pos += 1;
        }
        // One item: name(/name)* optionally followed by (sub-list).
        let mut path = Vec::new();
        loop {
            let start = *pos;
            while chars.get(*pos).is_some_and(|c| {
                c.is_alphanumeric() || matches!(c, '_' | '*' | '-' | '.' | '@' | '$')
            }) {
                *pos += 1;
            }
            if start == *pos {
                return Err("expected a field name".into());
            }
            path.push(chars[start..*pos].iter().collect::<String>());
            if chars.get(*pos) == Some(&'/') {
                *pos += 1;
            } else {
                break;
            }
        }
        let leaf = if chars.get(*pos) == Some(&'(') {
            *pos += 1;
            let sub = parse_list(chars, pos, depth + 1)?;
            if chars.get(*pos) != Some(&')') {
                return Err("missing ')'".into());
            }
            *pos += 1;
            sub
        } else {
            Selection::All
        };
        insert(&mut map, &path, leaf);
        while chars.get(*pos).is_some_and(|c| c.is_whitespace()) {
            *pos += 1;
        }
        match chars.get(*pos) {
            Some(',') => *pos += 1,
            _ => break,
        }
    }
    Ok(Selection::Some(map))
}

fn insert(map: &mut BTreeMap<String, Selection>, path: &[String], leaf: Selection) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    if rest.is_empty() {
        match map.get_mut(first) {
            Some(existing) => merge(existing, leaf),
            None => {
                map.insert(first.clone(), leaf);
            }
        }
        return;
    }
    let entry = map
        .entry(first.clone())
        .or_insert_with(|| Selection::Some(BTreeMap::new()));
    if let Selection::Some(sub) = entry {
        insert(sub, rest, leaf);
    }
}

fn merge(existing: &mut Selection, other: Selection) {
    match (existing, other) {
        (Selection::All, _) => {}
        (e, Selection::All) => *e = Selection::All,
        (Selection::Some(a), Selection::Some(b)) => {
            for (k, v) in b {
                match a.get_mut(&k) {
                    Some(x) => merge(x, v),
                    None => {
                        a.insert(k, v);
                    }
                }
            }
        }
    }
}

/// Keeps only the selected members of `value`.
pub(crate) fn apply(value: &Value, sel: &Selection) -> Value {
    match (value, sel) {
        (_, Selection::All) => value.clone(),
        (Value::Array(items), _) => Value::Array(items.iter().map(|v| apply(v, sel)).collect()),
        (Value::Object(obj), Selection::Some(map)) => {
            let mut out = Map::new();
            if map.contains_key("*") {
                for (k, v) in obj {
                    out.insert(k.clone(), v.clone());
                }
            }
            for (k, sub) in map {
                if k == "*" {
                    continue;
                }
                if let Some(v) = obj.get(k) {
                    out.insert(k.clone(), apply(v, sub));
                }
            }
            Value::Object(out)
        }
        (other, _) => other.clone(),
    }
}

/// Checks the top-level names of a selection against the fields a resource has.
pub(crate) fn check_names(sel: &Selection, known: &[&str], context: &str) -> Result<(), ApiError> {
    if let Selection::Some(map) = sel {
        for name in map.keys() {
            if name != "*" && !known.contains(&name.as_str()) {
                return Err(ApiError::invalid_param(
                    "fields",
                    format!("Invalid field selection {name}{context}"),
                ));
            }
        }
    }
    Ok(())
}

/// Middleware for a service's routes: a successful JSON answer to a request with `fields`
/// keeps only the selected members (Google's partial responses), so handlers answer whole
/// resources and never deal with `fields` themselves. A malformed `fields` is a 400.
pub(crate) async fn partial_response(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let params = super::body::Params::from_query(request.uri());
    let Some(text) = params.non_empty("fields").map(str::to_owned) else {
        return next.run(request).await;
    };
    let selection = match parse(&text) {
        Ok(s) => s,
        Err(e) => return e.into_response(),
    };
    let response = next.run(request).await;
    let is_json = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !response.status().is_success() || !is_json {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(v) => {
            let mut out = super::api_error::json_ok(&apply(&v, &selection));
            *out.status_mut() = parts.status;
            out
        }
        Err(_) => axum::response::Response::from_parts(parts, axum::body::Body::from(bytes)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn selects_nested_and_paths() {
        let v = json!({"kind": "k", "nextPageToken": "t", "files": [
            {"id": "1", "name": "a", "mimeType": "x", "owners": [{"emailAddress": "e", "me": true}]}
        ]});
        let s = parse("files(id,name,owners/emailAddress),nextPageToken").unwrap();
        assert_eq!(
            apply(&v, &s),
            json!({"nextPageToken": "t", "files": [{"id": "1", "name": "a", "owners": [{"emailAddress": "e"}]}]})
        );
        assert_eq!(apply(&v, &parse("*").unwrap()), v);
        assert!(parse("files(id").is_err());
        assert!(parse("").is_err());
        assert!(parse("a,,b").is_err());
    }

    #[test]
    fn random_input_never_panics() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let alphabet: Vec<char> = "name contains = != < > ( ) ' \\ and or not in parents trashed true , / * files(id) \u{8800}%\u{0}".chars().collect();
        for _ in 0..20_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 40) as usize;
            let text: String = (0..len)
                .map(|i| alphabet[((seed >> (i % 8 * 8)) as usize + i * 7) % alphabet.len()])
                .collect();
            let _ = parse(&text);
        }
    }
}
