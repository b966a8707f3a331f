//! The batch wire format: the `multipart/mixed` body of `application/http` parts (request
//! line with the path and query relative to the host, the call's headers, its JSON body,
//! a `Content-ID`), and the answer's parts mapped back to request order by
//! `Content-ID: <response-...>`, each part's real status kept.

use http::Method;
use http::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use serde_json::Value;

use super::{BatchReply, BatchResult};
use crate::error::{ApiError, Error};
use crate::method_call::PreparedRequest;

/// Builds the `multipart/mixed` body of a batch.
pub(crate) fn encode_batch(
    requests: &[PreparedRequest],
    boundary: &str,
    id_base: &str,
) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    for (i, req) in requests.iter().enumerate() {
        out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        out.extend_from_slice(b"Content-Type: application/http\r\n");
        out.extend_from_slice(b"Content-Transfer-Encoding: binary\r\n");
        out.extend_from_slice(format!("Content-ID: <{id_base}+{i}>\r\n\r\n").as_bytes());
        let mut target = req.url.path().to_string();
        if let Some(q) = req.url.query() {
            target.push('?');
            target.push_str(q);
        }
        out.extend_from_slice(format!("{} {target} HTTP/1.1\r\n", req.method).as_bytes());
        let body = match &req.body {
            Some(b) => Some(serde_json::to_vec(b)?),
            None => None,
        };
        let mut has_type = false;
        for (name, value) in &req.headers {
            if is_hop_header(name) {
                continue;
            }
            has_type |= name == CONTENT_TYPE;
            out.extend_from_slice(title_case(name.as_str()).as_bytes());
            out.extend_from_slice(b": ");
            out.extend_from_slice(value.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
        match &body {
            Some(b) => {
                if !has_type {
                    out.extend_from_slice(b"Content-Type: application/json\r\n");
                }
                out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", b.len()).as_bytes());
                out.extend_from_slice(b);
                out.extend_from_slice(b"\r\n");
            }
            None => {
                if matches!(req.method, Method::POST | Method::PUT | Method::PATCH) {
                    out.extend_from_slice(b"Content-Length: 0\r\n");
                }
                out.extend_from_slice(b"\r\n");
            }
        }
    }
    out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    Ok(out)
}

/// `content-type` → `Content-Type`: names are case-insensitive, but some servers
/// (gcp-storage-emulator) only recognise the canonical spelling inside batch parts.
fn title_case(name: &str) -> String {
    name.split('-')
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

fn is_hop_header(name: &HeaderName) -> bool {
    matches!(
        name.as_str(),
        "host"
            | "content-length"
            | "authorization"
            | "connection"
            | "transfer-encoding"
            | "accept-encoding"
    )
}

/// One part of a multipart body: its headers and content.
#[derive(Debug)]
pub(crate) struct Part<'a> {
    headers: Vec<(String, String)>,
    content: &'a [u8],
}

impl Part<'_> {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Extracts `boundary` from a `multipart/...` content type.
pub(crate) fn boundary_of(content_type: &str) -> Option<String> {
    let mut params = content_type.split(';');
    let kind = params.next()?.trim();
    if !kind.to_ascii_lowercase().starts_with("multipart/") {
        return None;
    }
    params
        .filter_map(|p| p.split_once('='))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("boundary"))
        .map(|(_, v)| v.trim().trim_matches('"').to_string())
        .filter(|b| !b.is_empty())
}

/// Splits a multipart body (CRLF or bare LF line ends) into parts.
pub(crate) fn split_multipart<'a>(body: &'a [u8], boundary: &str) -> Result<Vec<Part<'a>>, Error> {
    let delimiter = format!("--{boundary}");
    let delim = delimiter.as_bytes();
    let mut parts = Vec::new();
    // The first delimiter may start the body or follow a preamble.
    let mut pos = if body.starts_with(delim) {
        0
    } else {
        find(body, &[b"\n", delim].concat(), 0)
            .map(|p| p + 1)
            .ok_or_else(|| batch_error("the batch response holds no parts".into()))?
    };
    loop {
        let after = pos + delim.len();
        if body[after..].starts_with(b"--") {
            break;
        }
        // Skip to the end of the delimiter line.
        let line_end = match find(body, b"\n", after) {
            Some(p) => p + 1,
            None => break,
        };
        let next = find(body, &[b"\n", delim].concat(), line_end).ok_or_else(|| {
            batch_error("the batch response is cut short (no closing boundary)".into())
        })?;
        let mut content = &body[line_end..next];
        if content.ends_with(b"\r") {
            content = &content[..content.len() - 1];
        }
        let (headers, rest) = split_part_headers(content);
        parts.push(Part {
            headers,
            content: rest,
        });
        pos = next + 1;
    }
    Ok(parts)
}

/// Splits a part's own headers from the inner HTTP message. Tolerates servers
/// (gcp-storage-emulator) that omit the blank line before the status line.
fn split_part_headers(data: &[u8]) -> (Vec<(String, String)>, &[u8]) {
    if data.starts_with(b"HTTP/") {
        return (Vec::new(), data);
    }
    let mut line_start = 0;
    while let Some(end) = find(data, b"\n", line_start) {
        let next = end + 1;
        if data[next..].starts_with(b"HTTP/") {
            // Only when the header block has no blank line before the status line.
            let block = &data[..next];
            if find(block, b"\n\n", 0).is_none() && find(block, b"\n\r\n", 0).is_none() {
                let (headers, _) = split_headers(block);
                return (headers, &data[next..]);
            }
            break;
        }
        line_start = next;
    }
    split_headers(data)
}

/// Splits `Name: value` lines (up to the first blank line) from what follows.
fn split_headers(data: &[u8]) -> (Vec<(String, String)>, &[u8]) {
    let mut headers = Vec::new();
    let mut pos = 0;
    while pos < data.len() {
        let end = find(data, b"\n", pos).unwrap_or(data.len());
        let line = &data[pos..end];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        pos = (end + 1).min(data.len());
        if line.is_empty() {
            return (headers, &data[pos..]);
        }
        let text = String::from_utf8_lossy(line);
        if let Some((k, v)) = text.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    (headers, &data[data.len()..])
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if from > haystack.len() || needle.is_empty() {
        return None;
    }
    haystack[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// Turns the response parts into one result per request, by `Content-ID`
/// (`<response-{id_base}+{i}>`), else by position when the server sent none.
pub(crate) fn map_responses(parts: Vec<Part<'_>>, count: usize, id_base: &str) -> Vec<BatchResult> {
    let mut slots: Vec<Option<BatchResult>> = (0..count).map(|_| None).collect();
    for (position, part) in parts.iter().enumerate() {
        let index = part
            .header("Content-ID")
            .and_then(|id| parse_content_id(id, id_base))
            .unwrap_or(position);
        if index < count && slots[index].is_none() {
            slots[index] = Some(parse_inner_response(part.content));
        }
    }
    slots
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            s.unwrap_or_else(|| {
                Err(batch_error(format!(
                    "the batch response has no answer for request {i}"
                )))
            })
        })
        .collect()
}

fn parse_content_id(id: &str, id_base: &str) -> Option<usize> {
    let id = id.trim().trim_start_matches('<').trim_end_matches('>');
    let id = id.strip_prefix("response-").unwrap_or(id);
    let n = id.strip_prefix(id_base)?.strip_prefix('+')?;
    n.parse().ok()
}

/// Parses one inner `HTTP/1.1 200 OK` message into the call's result.
fn parse_inner_response(data: &[u8]) -> BatchResult {
    let line_end = find(data, b"\n", 0).unwrap_or(data.len());
    let status_line = String::from_utf8_lossy(&data[..line_end]);
    let status: u16 = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| {
            batch_error(format!(
                "unreadable status line in a batch part: {:?}",
                status_line.trim()
            ))
        })?;
    let rest = &data[(line_end + 1).min(data.len())..];
    let (header_lines, body) = split_headers(rest);
    let mut headers = HeaderMap::new();
    for (k, v) in header_lines {
        if let (Ok(k), Ok(v)) = (
            HeaderName::from_bytes(k.as_bytes()),
            HeaderValue::from_str(&v),
        ) {
            headers.append(k, v);
        }
    }
    if (200..300).contains(&status) {
        let body = if body.iter().all(u8::is_ascii_whitespace) {
            Value::Object(Default::default())
        } else {
            serde_json::from_slice(body).map_err(Error::from)?
        };
        return Ok(BatchReply {
            status,
            headers,
            body,
        });
    }
    Err(Error::from_api(ApiError::from_parts(
        status, &headers, None, body,
    )))
}

pub(crate) fn batch_error(msg: String) -> Error {
    Error::from(std::io::Error::new(std::io::ErrorKind::InvalidData, msg))
}

pub(crate) fn random_id() -> String {
    let mut raw = [0u8; 12];
    let _ = getrandom::fill(&mut raw);
    raw.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use url::Url;

    fn prepared(method: Method, url: &str, body: Option<Value>) -> PreparedRequest {
        PreparedRequest {
            method: method.clone(),
            url: Url::parse(url).unwrap(),
            headers: HeaderMap::new(),
            body,
            method_id: "x.y".into(),
            idempotent: !matches!(method, Method::POST | Method::PATCH),
            media_upload: None,
            supports_media_download: false,
            download_url: None,
            download_metadata_url: None,
        }
    }

    #[test]
    fn encodes_parts_with_relative_targets() {
        let reqs = vec![
            prepared(
                Method::GET,
                "https://h/drive/v3/files/a?alt=json&fields=id",
                None,
            ),
            prepared(
                Method::POST,
                "https://h/drive/v3/files",
                Some(serde_json::json!({"name": "n"})),
            ),
        ];
        let body = String::from_utf8(encode_batch(&reqs, "B", "id").unwrap()).unwrap();
        assert!(
            body.starts_with("--B\r\nContent-Type: application/http\r\n"),
            "{body}"
        );
        assert!(body.contains("Content-ID: <id+0>\r\n\r\nGET /drive/v3/files/a?alt=json&fields=id HTTP/1.1\r\n\r\n"), "{body}");
        assert!(body.contains("Content-ID: <id+1>\r\n\r\nPOST /drive/v3/files HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 12\r\n\r\n{\"name\":\"n\"}\r\n"), "{body}");
        assert!(body.ends_with("--B--\r\n"));
    }

    #[test]
    fn parses_a_google_style_response_out_of_order() {
        let body = "--batch_x\r\nContent-Type: application/http\r\nContent-ID: <response-id+1>\r\n\r\n\
                    HTTP/1.1 404 Not Found\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n\
                    {\"error\":{\"code\":404,\"message\":\"File not found: b.\",\"errors\":[{\"reason\":\"notFound\"}]}}\r\n\
                    --batch_x\r\nContent-Type: application/http\r\nContent-ID: <response-id+0>\r\n\r\n\
                    HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{\"id\":\"a\"}\r\n--batch_x--\r\n";
        let parts = split_multipart(body.as_bytes(), "batch_x").unwrap();
        assert_eq!(parts.len(), 2);
        let results = map_responses(parts, 3, "id");
        assert_eq!(results[0].as_ref().unwrap().body["id"], "a");
        assert_eq!(results[0].as_ref().unwrap().status, 200);
        let err = results[1].as_ref().unwrap_err();
        assert!(err.is_not_found());
        assert_eq!(err.api().unwrap().reason.as_deref(), Some("notFound"));
        assert!(results[2].is_err(), "a missing answer is an error");
    }

    #[test]
    fn parses_parts_without_content_id_and_with_lf_only() {
        let body = "preamble\n--b\nContent-Type: application/http\n\nHTTP/1.1 204 No Content\n\n\n--b\n\nHTTP/1.1 200 OK\n\n{\"k\":1}\n--b--";
        let parts = split_multipart(body.as_bytes(), "b").unwrap();
        let results = map_responses(parts, 2, "zz");
        let deleted = results[0].as_ref().unwrap();
        assert_eq!(
            (deleted.status, &deleted.body),
            (204, &serde_json::json!({}))
        );
        assert_eq!(results[1].as_ref().unwrap().body["k"], 1);
        assert_eq!(results[1].as_ref().unwrap().status, 200);
    }

    #[test]
    fn tolerates_a_missing_blank_line_before_the_status_line() {
        let body = "--b\r\nContent-Type: application/http\r\nHTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n\r\n{\"error\":{\"code\":404,\"message\":\"gone\"}}\r\n\r\n--b--";
        let parts = split_multipart(body.as_bytes(), "b").unwrap();
        let results = map_responses(parts, 1, "i");
        assert!(
            results[0].as_ref().unwrap_err().is_not_found(),
            "{:?}",
            results[0]
        );
    }

    #[test]
    fn inner_header_names_are_title_case() {
        let mut req = prepared(Method::PATCH, "https://h/x", Some(serde_json::json!({})));
        req.headers
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        req.headers.insert(
            HeaderName::from_static("x-goog-api-version"),
            HeaderValue::from_static("2"),
        );
        let body = String::from_utf8(encode_batch(&[req], "B", "id").unwrap()).unwrap();
        assert!(
            body.contains("\r\nContent-Type: application/json\r\n"),
            "{body}"
        );
        assert!(body.contains("\r\nX-Goog-Api-Version: 2\r\n"), "{body}");
        assert_eq!(
            body.matches("Content-Type: application/json").count(),
            1,
            "{body}"
        );
    }

    #[test]
    fn finds_boundaries() {
        assert_eq!(
            boundary_of("multipart/mixed; boundary=batch_abc").as_deref(),
            Some("batch_abc")
        );
        assert_eq!(
            boundary_of("multipart/mixed; charset=x; boundary=\"q r\"").as_deref(),
            Some("q r")
        );
        assert_eq!(boundary_of("application/json"), None);
    }

    #[test]
    fn garbage_does_not_panic() {
        for junk in [
            "",
            "--b",
            "--b\r\n",
            "--b\r\nX: y\r\n\r\nHTTP/1.1",
            "\n--b\n\n\n--b--",
            "--b--",
        ] {
            if let Ok(parts) = split_multipart(junk.as_bytes(), "b") {
                let _ = map_responses(parts, 1, "i");
            }
        }
    }
}
