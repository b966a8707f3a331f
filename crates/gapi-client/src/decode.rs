//! Responses decoded into the caller's types, with errors that name the field:
//! `files[3].size: expected u64, got string "16"` instead of serde_json's bare
//! "invalid type ... at line 1 column 873". Google sends 64-bit integers as JSON strings, the
//! most common trap of hand-written types, so that mistake also names the helper that reads
//! them ([`crate::typed::int64`]).

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::Error;

/// Decodes JSON bytes into `T`; an empty (or all-blank) body decodes as `{}`. `what` names
/// the call in the error (`drive.files.list`).
pub fn from_slice<T: DeserializeOwned>(what: &str, bytes: &[u8]) -> Result<T, Error> {
    let bytes: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        bytes
    };
    let mut de = serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Ok(v) => Ok(v),
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            if inner.is_syntax() || inner.is_eof() {
                return Err(Error::decode(
                    what,
                    std::any::type_name::<T>(),
                    String::new(),
                    format!("the response is not JSON ({inner}); use alt=media for media"),
                ));
            }
            Err(failure::<T>(what, "", &path, &inner.to_string()))
        }
    }
}

/// Decodes an already parsed JSON value into `T`; `prefix` is the value's own path in the
/// response (`files[3]` for an item of a page), put before the path of the failing field.
pub fn from_value<T: DeserializeOwned>(
    what: &str,
    prefix: &str,
    value: &Value,
) -> Result<T, Error> {
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(v) => Ok(v),
        Err(e) => {
            let path = e.path().to_string();
            Err(failure::<T>(
                what,
                prefix,
                &path,
                &e.into_inner().to_string(),
            ))
        }
    }
}

fn failure<T>(what: &str, prefix: &str, path: &str, message: &str) -> Error {
    let path = match (prefix, path) {
        (p, ".") => p.to_string(),
        ("", q) => q.to_string(),
        (p, q) if q.starts_with('[') => format!("{p}{q}"),
        (p, q) => format!("{p}.{q}"),
    };
    Error::decode(what, std::any::type_name::<T>(), path, reword(message))
}

/// serde's "invalid type: string \"16\", expected u64 at line 1 column 9" becomes
/// "expected u64, got string \"16\"", with the int64 advice when a number came as a string.
pub(crate) fn reword(message: &str) -> String {
    let message = strip_position(message);
    let reworded = ["invalid type: ", "invalid value: "]
        .iter()
        .find_map(|lead| message.strip_prefix(lead))
        .and_then(|rest| rest.rsplit_once(", expected "))
        .map(|(got, expected)| (got.to_string(), expected.to_string()));
    let Some((got, expected)) = reworded else {
        return message.to_string();
    };
    let mut out = format!("expected {expected}, got {got}");
    if is_number_in_a_string(&got) && expects_integer(&expected) {
        out.push_str(
            "; Google sends 64-bit integers (int64, uint64) as JSON strings: read the field with \
             #[serde(with = \"gapi::typed::int64\")] (or as a String)",
        );
    }
    out
}

fn strip_position(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(i) if message[i..].contains(" column ") => &message[..i],
        _ => message,
    }
}

fn is_number_in_a_string(got: &str) -> bool {
    got.strip_prefix("string \"")
        .and_then(|s| s.strip_suffix('"'))
        .is_some_and(|s| s.parse::<i128>().is_ok())
}

fn expects_integer(expected: &str) -> bool {
    [
        "i64", "u64", "i32", "u32", "i128", "u128", "integer", "usize", "isize",
    ]
    .iter()
    .any(|t| expected.contains(t))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Page {
        files: Vec<File>,
    }
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct File {
        size: Option<u64>,
        name: String,
    }

    #[test]
    fn an_int64_string_names_the_field_and_the_helper() {
        let body = br#"{"files": [{"name": "a", "size": null}, {"name": "b", "size": "16"}]}"#;
        let err = from_slice::<Page>("drive.files.list", body).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains(r#"files[1].size: expected u64, got string "16""#),
            "{text}"
        );
        assert!(text.contains("gapi::typed::int64"), "{text}");
        assert!(text.contains("drive.files.list"), "{text}");
        assert!(!text.contains("line "), "{text}");
        assert_eq!(err.json_path(), Some("files[1].size"));
        assert!(err.is_json());
    }

    #[test]
    fn other_mistakes_name_the_field_without_the_int64_advice() {
        let err = from_slice::<Page>("m", br#"{"files": [{"size": 1}]}"#).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("files[0]: missing field `name`"), "{text}");
        let err = from_slice::<Page>("m", br#"{"files": [{"name": 5}]}"#).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("files[0].name: expected a string, got integer `5`"),
            "{text}"
        );
        assert!(!text.contains("int64"), "{text}");
        let err = from_slice::<Page>("m", b"<html>").unwrap_err();
        assert!(err.to_string().contains("not JSON"), "{err}");
    }

    #[test]
    fn values_carry_their_prefix() {
        let v = serde_json::json!({"name": "x", "size": "7"});
        let err = from_value::<File>("m", "files[3]", &v).unwrap_err();
        assert_eq!(err.json_path(), Some("files[3].size"));
        let ok: File = from_value("m", "", &serde_json::json!({"name": "x", "size": 7})).unwrap();
        assert_eq!(ok.size, Some(7));
        let empty: std::collections::HashMap<String, String> = from_slice("m", b" ").unwrap();
        assert!(empty.is_empty());
    }
}
