//! A strict, bounded parser for `multipart/related` (uploads) and `multipart/mixed` (batch)
//! bodies held in memory.

use bytes::Bytes;

/// One part: its headers (names lower-cased) and its body.
#[derive(Debug, Clone)]
pub(crate) struct Part {
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

impl Part {
    /// First value of a header (name lower-case).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The `boundary` parameter of a multipart content type.
pub(crate) fn boundary(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (k, v) = param.split_once('=')?;
        if !k.trim().eq_ignore_ascii_case("boundary") {
            return None;
        }
        let v = v.trim().trim_matches('"');
        (!v.is_empty() && v.len() <= 200).then(|| v.to_owned())
    })
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || from > hay.len() {
        return None;
    }
    hay[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// Splits `body` into parts (at most `max_parts`).
pub(crate) fn parse(body: &Bytes, boundary: &str, max_parts: usize) -> Result<Vec<Part>, String> {
    let delimiter = format!("--{boundary}");
    let delim = delimiter.as_bytes();
    let mut pos = find(body, delim, 0).ok_or("the body does not contain the boundary")?;
    let mut parts = Vec::new();
    loop {
        pos += delim.len();
        if body.get(pos..pos + 2) == Some(b"--") {
            return Ok(parts);
        }
        // Skip transport padding up to the end of the delimiter line.
        let line_end = find(body, b"\n", pos).ok_or("a delimiter line is not terminated")?;
        pos = line_end + 1;
        let (headers_end, body_start) =
            match (find(body, b"\r\n\r\n", pos), find(body, b"\n\n", pos)) {
                (Some(a), Some(b)) if b < a => (b, b + 2),
                (Some(a), _) => (a, a + 4),
                (None, Some(b)) => (b, b + 2),
                (None, None) if body.get(pos..pos + 2) == Some(b"\r\n") => (pos, pos + 2),
                (None, None) => return Err("a part has no end of headers".into()),
            };
        let header_text = String::from_utf8_lossy(&body[pos..headers_end.max(pos)]);
        let mut headers = Vec::new();
        for line in header_text.lines() {
            let line = line.trim_end_matches('\r');
            if line.is_empty() {
                continue;
            }
            let (k, v) = line
                .split_once(':')
                .ok_or_else(|| format!("malformed part header: {line}"))?;
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
        }
        let next = find(body, delim, body_start).ok_or("the closing boundary is missing")?;
        let mut end = next;
        if end >= body_start + 2 && &body[end - 2..end] == b"\r\n" {
            end -= 2;
        } else if end > body_start && body[end - 1] == b'\n' {
            end -= 1;
        }
        parts.push(Part {
            headers,
            body: body.slice(body_start..end.max(body_start)),
        });
        if parts.len() > max_parts {
            return Err(format!("too many parts (at most {max_parts})"));
        }
        pos = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_related_upload() {
        let body = Bytes::from_static(
            b"--xyz\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n{\"name\":\"a\"}\r\n--xyz\r\nContent-Type: text/plain\r\n\r\nhello\r\n--xyz--\r\n",
        );
        let parts = parse(&body, "xyz", 10).unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(&parts[0].body[..], b"{\"name\":\"a\"}");
        assert_eq!(parts[1].header("content-type"), Some("text/plain"));
        assert_eq!(&parts[1].body[..], b"hello");
        assert_eq!(
            boundary("multipart/related; boundary=\"xyz\""),
            Some("xyz".into())
        );
        assert!(
            parse(
                &Bytes::from_static(b"--xyz\r\nContent-Type: a\r\n\r\nno end"),
                "xyz",
                10
            )
            .is_err()
        );
        assert!(parse(&Bytes::from_static(b"garbage"), "xyz", 10).is_err());
    }

    #[test]
    fn random_bodies_never_panic() {
        let mut seed = 0x1234_5678_9abc_def1u64;
        let pieces: [&[u8]; 8] = [
            b"--b",
            b"\r\n",
            b"\n",
            b"--",
            b"Content-Type: x",
            b":",
            b"body",
            b"\r\n\r\n",
        ];
        for _ in 0..20_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let mut body = Vec::new();
            for i in 0..(seed % 12) {
                body.extend_from_slice(pieces[((seed >> (i * 4)) % 8) as usize]);
            }
            let _ = parse(&Bytes::from(body), "b", 5);
        }
    }
}
