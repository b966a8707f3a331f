//! A stored message in each of Gmail's formats (`full`, `metadata`, `minimal`, `raw`), all
//! built from its raw bytes, and the attachment ids that `attachments.get` resolves.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE;
use serde_json::{Value, json};

use super::mime::{self, Part};
use super::model::StoredMessage;
use crate::framework::api_error::ApiError;
use crate::framework::body::Params;

/// `format` of `messages.get`, `threads.get`, `drafts.get`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Full,
    Metadata,
    Minimal,
    Raw,
}

impl Format {
    /// Reads `format` (default `full`); `allow_raw` is false for threads (no `raw` there).
    pub(crate) fn from_params(params: &Params, allow_raw: bool) -> Result<Self, ApiError> {
        match params.get("format").map(str::to_ascii_lowercase).as_deref() {
            None | Some("full") => Ok(Self::Full),
            Some("metadata") => Ok(Self::Metadata),
            Some("minimal") => Ok(Self::Minimal),
            Some("raw") if allow_raw => Ok(Self::Raw),
            Some(other) => Err(ApiError::invalid_param(
                "format",
                format!("Invalid value for format: {other}"),
            )),
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Full => "FULL",
            Self::Metadata => "METADATA",
            Self::Minimal => "MINIMAL",
            Self::Raw => "RAW",
        }
    }
}

/// base64url with padding, as Gmail writes `raw` and `data`.
pub(crate) fn b64url(bytes: &[u8]) -> String {
    URL_SAFE.encode(bytes)
}

/// The id `attachments.get` takes for a part of a message.
pub(crate) fn attachment_id(message_id: &str, part_id: &str) -> String {
    format!(
        "ANGjdJ{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(format!("{message_id}:{part_id}:gapi-emulator-attachment"))
    )
}

/// The part of `message_id` an attachment id names, if it is one of this message's.
pub(crate) fn attachment_part(message_id: &str, attachment_id: &str) -> Option<String> {
    let text = attachment_id.strip_prefix("ANGjdJ")?;
    let decoded = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text)
        .ok()?;
    let decoded = String::from_utf8(decoded).ok()?;
    let rest = decoded.strip_prefix(&format!("{message_id}:"))?;
    rest.strip_suffix(":gapi-emulator-attachment")
        .map(str::to_owned)
}

fn headers_json(headers: &[(String, String)], only: Option<&[String]>) -> Value {
    Value::Array(
        headers
            .iter()
            .filter(|(k, _)| only.is_none_or(|o| o.iter().any(|x| x.eq_ignore_ascii_case(k))))
            .map(|(k, v)| json!({"name": k, "value": v}))
            .collect(),
    )
}

fn part_json(message_id: &str, part: &Part) -> Value {
    let mut body = json!({"size": part.body.len()});
    if part.children.is_empty() {
        if part.is_attachment {
            body["attachmentId"] = json!(attachment_id(message_id, &part.part_id));
        } else if !part.body.is_empty() {
            body["data"] = json!(b64url(&part.body));
        }
    } else {
        body = json!({"size": 0});
    }
    let mut v = json!({
        "partId": part.part_id,
        "mimeType": part.mime_type,
        "filename": part.filename,
        "headers": headers_json(&part.headers, None),
        "body": body,
    });
    if !part.children.is_empty() {
        v["parts"] = Value::Array(
            part.children
                .iter()
                .map(|c| part_json(message_id, c))
                .collect(),
        );
    }
    v
}

/// A message in `format`; `metadata_headers` limits the headers of `metadata`.
pub(crate) fn message_json(
    m: &StoredMessage,
    format: Format,
    metadata_headers: &[String],
) -> Value {
    let mut v = json!({
        "id": m.id,
        "threadId": m.thread_id,
        "labelIds": m.label_ids,
        "snippet": m.index.snippet,
        "sizeEstimate": m.raw.len(),
        "historyId": m.history_id.to_string(),
        "internalDate": m.internal_ms.to_string(),
    });
    match format {
        Format::Minimal => {}
        Format::Raw => v["raw"] = json!(b64url(&m.raw)),
        Format::Full | Format::Metadata => {
            let Some(root) = mime::parse(&m.raw) else {
                v["payload"] = json!({"partId": "", "mimeType": "text/plain", "filename": "", "headers": [], "body": {"size": 0}});
                return v;
            };
            if format == Format::Full {
                v["payload"] = part_json(&m.id, &root);
            } else {
                let only = (!metadata_headers.is_empty()).then_some(metadata_headers);
                v["payload"] = json!({
                    "mimeType": root.mime_type,
                    "headers": headers_json(&root.headers, only),
                });
            }
        }
    }
    v
}

/// `{id, threadId, labelIds}`: what `send`, `modify`, `trash` and `untrash` answer.
pub(crate) fn message_ref(m: &StoredMessage) -> Value {
    json!({"id": m.id, "threadId": m.thread_id, "labelIds": m.label_ids})
}

/// `metadataHeaders` (repeated, or comma-separated as some clients send it).
pub(crate) fn metadata_headers(params: &Params) -> Vec<String> {
    params
        .0
        .iter()
        .filter(|(k, _)| k == "metadataHeaders")
        .flat_map(|(_, v)| v.split(','))
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attachment_ids_round_trip() {
        let id = attachment_id("18c0", "1.2");
        assert_eq!(attachment_part("18c0", &id).as_deref(), Some("1.2"));
        assert_eq!(attachment_part("other", &id), None);
        assert_eq!(attachment_part("18c0", "garbage"), None);
    }
}
