//! `alt=media` downloads, with a single `Range` (206 + `Content-Range`, 416 when unsatisfiable).

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::IntoResponse;

use crate::framework::api_error::{ApiError, ApiResult};

use super::model::DriveFile;

/// Parses `bytes=a-b`, `bytes=a-`, `bytes=-n` against `len`. `Ok(None)`: serve everything
/// (no header, or a form we ignore such as several ranges). `Err(())`: unsatisfiable.
pub(crate) fn parse_range(value: &str, len: u64) -> Result<Option<(u64, u64)>, ()> {
    let Some(spec) = value.trim().strip_prefix("bytes=") else {
        return Ok(None);
    };
    if spec.contains(',') {
        return Ok(None);
    }
    let Some((start, end)) = spec.trim().split_once('-') else {
        return Ok(None);
    };
    let (start, end) = (start.trim(), end.trim());
    let range = if start.is_empty() {
        let Ok(n) = end.parse::<u64>() else {
            return Ok(None);
        };
        if n == 0 || len == 0 {
            return Err(());
        }
        (len.saturating_sub(n), len - 1)
    } else {
        let Ok(s) = start.parse::<u64>() else {
            return Ok(None);
        };
        let e = if end.is_empty() {
            len.saturating_sub(1)
        } else {
            match end.parse::<u64>() {
                Ok(e) if e >= s => e.min(len.saturating_sub(1)),
                _ => return Ok(None),
            }
        };
        if s >= len {
            return Err(());
        }
        (s, e)
    };
    Ok(Some(range))
}

/// The content of `file`, whole or the requested range.
pub(crate) fn send(file: &DriveFile, headers: &HeaderMap) -> ApiResult {
    let Some(content) = file.content.clone().filter(|_| !file.is_google_type()) else {
        return Err(ApiError::new(
            403,
            "PERMISSION_DENIED",
            "fileNotDownloadable",
            "Only files with binary content can be downloaded. Use Export with Docs Editors files.",
        )
        .at("alt", "parameter"));
    };
    let len = content.len() as u64;
    // Drive's media ETag: changes with the content, so a resumed download can tell.
    let etag = HeaderValue::from_str(&format!("\"{}\"", super::model::md5_hex(&content)))
        .unwrap_or(HeaderValue::from_static("\"0\""));
    let mime = HeaderValue::from_str(&file.mime_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let range = headers
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .map(|v| parse_range(v, len))
        .unwrap_or(Ok(None));
    match range {
        Ok(None) => Ok((
            [
                (header::CONTENT_TYPE, mime),
                (header::ACCEPT_RANGES, HeaderValue::from_static("bytes")),
                (header::ETAG, etag),
            ],
            content,
        )
            .into_response()),
        Ok(Some((start, end))) => {
            let (s, e) = (start as usize, end as usize);
            let part = content.slice(s..=e);
            Ok((
                StatusCode::PARTIAL_CONTENT,
                [
                    (header::CONTENT_TYPE, mime),
                    (header::ACCEPT_RANGES, HeaderValue::from_static("bytes")),
                    (header::ETAG, etag),
                    (
                        header::CONTENT_RANGE,
                        HeaderValue::from_str(&format!("bytes {start}-{end}/{len}"))
                            .unwrap_or(HeaderValue::from_static("bytes */0")),
                    ),
                ],
                part,
            )
                .into_response())
        }
        Err(()) => {
            let mut response = ApiError::new(
                416,
                "OUT_OF_RANGE",
                "requestedRangeNotSatisfiable",
                format!("Request range not satisfiable: the file has {len} bytes."),
            )
            .into_response();
            if let Ok(v) = HeaderValue::from_str(&format!("bytes */{len}")) {
                response.headers_mut().insert(header::CONTENT_RANGE, v);
            }
            Ok(response)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_range;

    #[test]
    fn ranges() {
        assert_eq!(parse_range("bytes=0-9", 100), Ok(Some((0, 9))));
        assert_eq!(parse_range("bytes=90-", 100), Ok(Some((90, 99))));
        assert_eq!(parse_range("bytes=-10", 100), Ok(Some((90, 99))));
        assert_eq!(parse_range("bytes=95-200", 100), Ok(Some((95, 99))));
        assert_eq!(parse_range("bytes=100-", 100), Err(()));
        assert_eq!(parse_range("bytes=5-1", 100), Ok(None));
        assert_eq!(parse_range("bytes=0-1,5-6", 100), Ok(None));
        assert_eq!(parse_range("items=0-1", 100), Ok(None));
    }
}
