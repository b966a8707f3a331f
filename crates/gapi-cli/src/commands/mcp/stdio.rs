//! The stdio front of `gapi mcp`: reads the client's JSON-RPC lines before rmcp does and
//! answers the protocol errors rmcp drops or misreports, as JSON-RPC 2.0 and MCP say:
//!
//! - a line that is not JSON: `-32700` (parse error) with id `null` (rmcp ignores it, so
//!   the client would wait for an answer that never comes);
//! - JSON that is not a request object (an array, a number, a request without
//!   `"jsonrpc": "2.0"`): `-32600` (invalid request) with its id when it has one (rmcp
//!   answers without any `id` member, which JSON-RPC requires);
//! - a request whose params are not an object (MCP's params are always objects): `-32602`
//!   (invalid params) with the request's id (rmcp answers `-32600` without an id);
//! - a `tools/call` request whose params are not an object with a string `name` and an
//!   object `arguments`: `-32602` with the request's id (rmcp answers `-32601`, "method not
//!   found", for a method it does have).
//!
//! Every other line goes to rmcp unchanged; its answers and ours reach stdout as whole lines.

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, DuplexStream};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// A line longer than this is not read (rmcp's own limit for one message).
const MAX_LINE: usize = 16 << 20;

/// JSON-RPC 2.0: invalid JSON was received.
const PARSE_ERROR: i64 = -32700;
/// JSON-RPC 2.0: invalid method parameters.
const INVALID_PARAMS: i64 = -32602;
/// JSON-RPC 2.0: the JSON sent is not a valid request object.
const INVALID_REQUEST: i64 = -32600;

/// The pipes rmcp reads and writes, and the task that writes stdout.
pub struct Front {
    /// What rmcp reads: the client's lines that passed.
    pub reader: DuplexStream,
    /// Where rmcp writes its messages.
    pub writer: DuplexStream,
    /// Ends once rmcp and the reader are done and everything is on stdout.
    pub output: JoinHandle<std::io::Result<()>>,
}

impl Front {
    /// Starts reading stdin and writing stdout.
    pub fn start() -> Front {
        let (mut to_rmcp, reader) = tokio::io::duplex(1 << 16);
        let (writer, from_rmcp) = tokio::io::duplex(1 << 16);
        let (answers, mut answered) = mpsc::unbounded_channel::<Vec<u8>>();
        tokio::spawn(async move {
            let mut stdin = tokio::io::BufReader::new(tokio::io::stdin());
            let mut line = Vec::new();
            loop {
                line.clear();
                let Ok(read) = read_line(&mut stdin, &mut line).await else {
                    break;
                };
                let passed = match read {
                    Read::Eof => break,
                    Read::TooLong => answers.send(error_line(
                        Value::Null,
                        PARSE_ERROR,
                        format!(
                            "Parse error: the line is longer than {} MiB",
                            MAX_LINE >> 20
                        ),
                    )),
                    Read::Line => match check(&line) {
                        Verdict::Pass => {
                            let sent = async {
                                to_rmcp.write_all(&line).await?;
                                to_rmcp.write_all(b"\n").await?;
                                to_rmcp.flush().await
                            };
                            if sent.await.is_err() {
                                break;
                            }
                            Ok(())
                        }
                        Verdict::Skip => Ok(()),
                        Verdict::Answer(answer) => answers.send(answer),
                    },
                };
                if passed.is_err() {
                    break;
                }
            }
            // rmcp sees the end of input and stops; the answers channel closes with us.
            let _ = to_rmcp.shutdown().await;
        });
        let output = tokio::spawn(async move {
            let mut stdout = tokio::io::stdout();
            let mut from_rmcp = tokio::io::BufReader::new(from_rmcp);
            let mut rmcp_open = true;
            let mut ours_open = true;
            let mut buf = Vec::new();
            while rmcp_open || ours_open {
                tokio::select! {
                    read = from_rmcp.read_until(b'\n', &mut buf), if rmcp_open => {
                        if read? == 0 {
                            rmcp_open = false;
                        } else {
                            stdout.write_all(&buf).await?;
                            stdout.flush().await?;
                        }
                        buf.clear();
                    }
                    answer = answered.recv(), if ours_open => match answer {
                        Some(answer) => {
                            stdout.write_all(&answer).await?;
                            stdout.flush().await?;
                        }
                        None => ours_open = false,
                    },
                }
            }
            Ok(())
        });
        Front {
            reader,
            writer,
            output,
        }
    }
}

enum Read {
    Line,
    TooLong,
    Eof,
}

/// Reads one line (without its `\n` or `\r\n`) into `line`, never holding more than
/// [`MAX_LINE`] bytes: a longer line is skipped to its end.
async fn read_line(
    r: &mut (impl AsyncBufReadExt + Unpin),
    line: &mut Vec<u8>,
) -> std::io::Result<Read> {
    let mut too_long = false;
    loop {
        let available = r.fill_buf().await?;
        if available.is_empty() {
            return Ok(match (too_long, line.is_empty()) {
                (true, _) => Read::TooLong,
                (false, true) => Read::Eof,
                (false, false) => Read::Line,
            });
        }
        let (chunk, done) = match available.iter().position(|&b| b == b'\n') {
            Some(i) => (&available[..i], i + 1),
            None => (available, available.len()),
        };
        let end = done > chunk.len();
        if !too_long && line.len() + chunk.len() <= MAX_LINE {
            line.extend_from_slice(chunk);
        } else {
            too_long = true;
            line.clear();
        }
        r.consume(done);
        if end {
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            return Ok(if too_long { Read::TooLong } else { Read::Line });
        }
    }
}

enum Verdict {
    /// For rmcp.
    Pass,
    /// Blank: nothing to answer.
    Skip,
    /// Answered here with this line.
    Answer(Vec<u8>),
}

/// What to do with one line from the client.
fn check(line: &[u8]) -> Verdict {
    if line.iter().all(u8::is_ascii_whitespace) {
        return Verdict::Skip;
    }
    let message: Value = match serde_json::from_slice(line) {
        Ok(v) => v,
        Err(e) => {
            return Verdict::Answer(error_line(
                Value::Null,
                PARSE_ERROR,
                format!("Parse error: {e}"),
            ));
        }
    };
    let Value::Object(fields) = &message else {
        return Verdict::Answer(error_line(
            Value::Null,
            INVALID_REQUEST,
            format!(
                "Invalid Request: a message is one JSON object, not {} (MCP has no batches)",
                kind(&message)
            ),
        ));
    };
    // Answers and notifications without an id are rmcp's to handle (nothing to answer).
    let (Some(id), Some(method)) = (
        fields.get("id").filter(|id| !id.is_null()),
        fields.get("method"),
    ) else {
        return Verdict::Pass;
    };
    let invalid = |code: i64, what: String| Verdict::Answer(error_line(id.clone(), code, what));
    if fields.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
        return invalid(
            INVALID_REQUEST,
            "Invalid Request: \"jsonrpc\" must be \"2.0\"".into(),
        );
    }
    let Some(method) = method.as_str() else {
        return invalid(
            INVALID_REQUEST,
            format!(
                "Invalid Request: \"method\" must be a string, not {}",
                kind(method)
            ),
        );
    };
    match fields.get("params") {
        None | Some(Value::Null) | Some(Value::Object(_)) => {}
        Some(other) => {
            return invalid(
                INVALID_PARAMS,
                format!(
                    "Invalid params: {method} takes an object, not {}",
                    kind(other)
                ),
            );
        }
    }
    if method != "tools/call" {
        return Verdict::Pass;
    }
    let problem = match fields.get("params") {
        None | Some(Value::Null) => {
            Some("tools/call needs params {\"name\", \"arguments\"}".into())
        }
        Some(Value::Object(p)) => match (p.get("name"), p.get("arguments")) {
            (None, _) => Some("params.name (the tool's name) is missing".to_string()),
            (Some(name), _) if !name.is_string() => {
                Some(format!("params.name must be a string, not {name}"))
            }
            (_, Some(args)) if !(args.is_object() || args.is_null()) => Some(format!(
                "params.arguments must be an object, not {}",
                kind(args)
            )),
            _ => None,
        },
        // Not an object: answered above.
        Some(_) => None,
    };
    match problem {
        Some(p) => Verdict::Answer(error_line(
            id.clone(),
            INVALID_PARAMS,
            format!("Invalid params: {p}"),
        )),
        None => Verdict::Pass,
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A JSON-RPC error response, as one line.
fn error_line(id: Value, code: i64, message: String) -> Vec<u8> {
    let mut line = json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
        .to_string()
        .into_bytes();
    line.push(b'\n');
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(line: &str) -> Option<Value> {
        match check(line.as_bytes()) {
            Verdict::Answer(a) => Some(serde_json::from_slice(&a).unwrap()),
            _ => None,
        }
    }

    #[test]
    fn only_protocol_errors_are_answered_here() {
        let a = answer("{not json").unwrap();
        assert_eq!(a["error"]["code"], PARSE_ERROR);
        assert!(a["id"].is_null());
        for bad in [
            r#"{"jsonrpc":"2.0","id":7,"method":"tools/call"}"#,
            r#"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":[]}"#,
            r#"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"arguments":{}}}"#,
            r#"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":5}}"#,
            r#"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"x","arguments":"y"}}"#,
            r#"{"jsonrpc":"2.0","id":7,"method":"tools/list","params":5}"#,
        ] {
            let a = answer(bad).expect(bad);
            assert_eq!(a["error"]["code"], INVALID_PARAMS, "{bad}");
            assert_eq!(a["id"], 7, "{bad}");
        }
        for (bad, id) in [
            (r#"[1, 2]"#, Value::Null),
            (r#"5"#, Value::Null),
            (r#"{"id":8,"method":"tools/list"}"#, json!(8)),
            (r#"{"jsonrpc":"2.0","id":"a","method":5}"#, json!("a")),
        ] {
            let a = answer(bad).expect(bad);
            assert_eq!(a["error"]["code"], INVALID_REQUEST, "{bad}");
            assert_eq!(a["id"], id, "{bad}");
        }
        for good in [
            r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x","arguments":{"a":1}}}"#,
            r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x"}}"#,
            r#"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#,
            r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
        ] {
            assert!(answer(good).is_none(), "{good}");
        }
        assert!(matches!(check(b"  "), Verdict::Skip));
    }

    #[tokio::test]
    async fn lines_are_bounded() {
        let long = vec![b'x'; MAX_LINE + 10];
        let mut input = long.clone();
        input.extend_from_slice(b"\n{\"a\":1}\r\nlast");
        let mut r = tokio::io::BufReader::new(&input[..]);
        let mut line = Vec::new();
        assert!(matches!(
            read_line(&mut r, &mut line).await.unwrap(),
            Read::TooLong
        ));
        line.clear();
        assert!(matches!(
            read_line(&mut r, &mut line).await.unwrap(),
            Read::Line
        ));
        assert_eq!(line, b"{\"a\":1}");
        line.clear();
        assert!(matches!(
            read_line(&mut r, &mut line).await.unwrap(),
            Read::Line
        ));
        assert_eq!(line, b"last");
        line.clear();
        assert!(matches!(
            read_line(&mut r, &mut line).await.unwrap(),
            Read::Eof
        ));
    }
}
