//! Reading what a user pastes into the terminal during a login, safely: lines are cut from the
//! byte stream with a bound (a 300 MB paste is skipped as it streams by, never held), a line
//! that is not UTF-8 or is too long is reported as not understood (and reading goes on), and
//! a pasted code is checked here before anything is sent: a bounded length of URL-safe
//! characters. A pasted redirect URL must parse and carry `code` (or `error`) and `state`;
//! [`super::redirect::parse_pasted`] does that, calling [`check_code`] on the code it finds.

use tokio::io::{AsyncBufRead, AsyncBufReadExt};

use crate::error::{Error, ErrorKind, Result};

/// The longest line read as a pasted answer (bytes, line break excluded). A redirect URL with
/// its code, state and a long scope list is a few kilobytes; anything longer is not one.
pub(crate) const MAX_PASTE_LINE: usize = 16 * 1024;

/// The longest authorization code accepted from a paste (Google's are under 100 characters;
/// RFC 6749 sets no bound, other servers issue a few hundred).
pub(crate) const MAX_CODE_LEN: usize = 2048;

/// One line of the terminal, as the bounded reader saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PastedLine {
    /// A line of UTF-8 text (line break and a trailing `\r` removed).
    Text(String),
    /// A line that is not UTF-8 (a binary paste, another encoding).
    NotUtf8,
    /// A line longer than [`MAX_PASTE_LINE`] bytes; its bytes were skipped, not kept.
    TooLong,
}

impl PastedLine {
    /// What to tell the user about a line that could not be read as an answer.
    pub(crate) fn complaint(&self) -> Option<String> {
        match self {
            PastedLine::Text(_) => None,
            PastedLine::NotUtf8 => {
                Some("that line was not understood (it is not UTF-8 text)".to_string())
            }
            PastedLine::TooLong => Some(format!(
                "that line was not understood (longer than {MAX_PASTE_LINE} bytes: no address \
                 or code is that long)"
            )),
        }
    }
}

/// Cuts a byte stream into [`PastedLine`]s, holding at most `max` bytes of a line: the bytes
/// of a longer line are dropped as they come, and the line is reported as too long.
#[derive(Debug)]
pub(crate) struct LineSplitter {
    buf: Vec<u8>,
    max: usize,
    overflow: bool,
}

impl LineSplitter {
    /// A splitter keeping at most `max` bytes of one line.
    pub(crate) fn new(max: usize) -> Self {
        LineSplitter {
            buf: Vec::new(),
            max,
            overflow: false,
        }
    }

    /// Takes bytes from the front of `chunk`: returns how many were used and the line that
    /// ended in them, if one did (the rest of `chunk` is for the next call).
    pub(crate) fn feed(&mut self, chunk: &[u8]) -> (usize, Option<PastedLine>) {
        match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => {
                self.keep(&chunk[..i]);
                (i + 1, Some(self.take()))
            }
            None => {
                self.keep(chunk);
                (chunk.len(), None)
            }
        }
    }

    /// At end of input: the last line when it had no line break.
    pub(crate) fn finish(&mut self) -> Option<PastedLine> {
        (self.overflow || !self.buf.is_empty()).then(|| self.take())
    }

    fn keep(&mut self, bytes: &[u8]) {
        if self.overflow {
            return;
        }
        if self.buf.len() + bytes.len() > self.max {
            self.overflow = true;
            self.buf = Vec::new();
        } else {
            self.buf.extend_from_slice(bytes);
        }
    }

    fn take(&mut self) -> PastedLine {
        let overflow = std::mem::replace(&mut self.overflow, false);
        let mut bytes = std::mem::take(&mut self.buf);
        if overflow {
            return PastedLine::TooLong;
        }
        if bytes.last() == Some(&b'\r') {
            bytes.pop();
        }
        match String::from_utf8(bytes) {
            Ok(text) => PastedLine::Text(text),
            Err(_) => PastedLine::NotUtf8,
        }
    }
}

/// Reads the next line of `input` with the [`MAX_PASTE_LINE`] bound; `None` at end of input.
pub(crate) fn read_line_blocking(
    input: &mut dyn std::io::BufRead,
    splitter: &mut LineSplitter,
) -> std::io::Result<Option<PastedLine>> {
    loop {
        let chunk = match input.fill_buf() {
            Ok(chunk) => chunk,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok(splitter.finish());
        }
        let (used, line) = splitter.feed(chunk);
        input.consume(used);
        if line.is_some() {
            return Ok(line);
        }
    }
}

/// [`read_line_blocking`] for an async reader.
pub(crate) async fn read_line<R: AsyncBufRead + Unpin + ?Sized>(
    input: &mut R,
    splitter: &mut LineSplitter,
) -> std::io::Result<Option<PastedLine>> {
    loop {
        let chunk = input.fill_buf().await?;
        if chunk.is_empty() {
            return Ok(splitter.finish());
        }
        let (used, line) = splitter.feed(chunk);
        input.consume(used);
        if line.is_some() {
            return Ok(line);
        }
    }
}

/// Whether `c` may appear in a pasted authorization code: RFC 3986 unreserved characters,
/// plus `/`, `+` and `=` (Google's `4/...` codes, base64).
fn code_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~' | '/' | '+' | '=')
}

/// Checks a pasted code before it is sent anywhere: 1 to [`MAX_CODE_LEN`] URL-safe
/// characters. The error names what was wrong, never the text itself.
pub(crate) fn check_code(code: &str) -> Result<()> {
    let not_a_code = |why: String| {
        Err(Error::new(
            ErrorKind::Config,
            format!("that is not an authorization code: {why}"),
        )
        .with_hint(
            "paste the whole address the browser ended on (it starts with http://localhost or \
             http://127.0.0.1), or only the code",
        ))
    };
    if code.is_empty() {
        return not_a_code("it is empty".to_string());
    }
    if code.len() > MAX_CODE_LEN {
        return not_a_code(format!(
            "it is {} characters long (at most {MAX_CODE_LEN})",
            code.len()
        ));
    }
    if let Some(bad) = code.chars().find(|&c| !code_char(c)) {
        let shown = if bad.is_ascii_graphic() {
            format!("`{bad}`")
        } else {
            format!("U+{:04X}", bad as u32)
        };
        return not_a_code(format!(
            "it contains {shown} (a code has only letters, digits and - . _ ~ / + =)"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], max: usize, chunk: usize) -> Vec<PastedLine> {
        let mut s = LineSplitter::new(max);
        let mut out = Vec::new();
        for piece in input.chunks(chunk.max(1)) {
            let mut rest = piece;
            while !rest.is_empty() {
                let (used, line) = s.feed(rest);
                rest = &rest[used..];
                out.extend(line);
            }
        }
        out.extend(s.finish());
        out
    }

    #[test]
    fn lines_are_cut_with_a_bound_whatever_the_chunks() {
        let input = b"abc\r\n\xff\xfe\nxxxxxxxxxxxx\nok\nlast";
        for chunk in [1, 2, 3, 5, 64] {
            assert_eq!(
                lines(input, 8, chunk),
                [
                    PastedLine::Text("abc".into()),
                    PastedLine::NotUtf8,
                    PastedLine::TooLong,
                    PastedLine::Text("ok".into()),
                    PastedLine::Text("last".into()),
                ],
                "chunk {chunk}"
            );
        }
        assert!(lines(b"", 8, 1).is_empty());
        assert_eq!(lines(b"\n", 8, 1), [PastedLine::Text(String::new())]);
    }

    #[test]
    fn codes_are_checked_before_sending() {
        assert!(check_code("4/0AeanS0bXyZ-_.~+=").is_ok());
        for bad in [
            "".to_string(),
            "a\0b".to_string(),
            "a b".to_string(),
            "a%2Fb".to_string(),
            "x".repeat(MAX_CODE_LEN + 1),
            "code\u{1b}[2K".to_string(),
        ] {
            let e = check_code(&bad).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Config);
            assert!(e.message().len() < 200, "short, without the text: {e}");
        }
    }
}
