//! Entry points for the fuzz targets (`crates/gapi-auth/fuzz`) and for the test that replays
//! their corpora on stable Rust (`tests/fuzz_corpus.rs`). Not part of the API: each function
//! feeds outside bytes to one of the crate's parsers and panics only when an invariant breaks
//! (a parser panic, a secret in `Debug` output, a round trip that changes the data).

use crate::credentials::Credentials;
use crate::files::client_secrets::ClientSecrets;
use crate::flow::loopback::{host_allowed, parse_head};
use crate::flow::paste::{LineSplitter, MAX_CODE_LEN, PastedLine, check_code};
use crate::flow::redirect::{RedirectParams, parse_pasted};
use crate::protocol::TokenClient;
use crate::protocol::endpoints::Endpoints;
use crate::protocol::timefmt;
use crate::protocol::token::{oauth_error, parse_token_response};
use crate::protocol::transport::RawResponse;
use crate::secret::State;

/// Stands in for a secret in a document: distinctive, so finding it in output means the
/// secret itself was echoed (a secret found by value could also be a field name or a date).
const MARKER: &str = "S3CRET-MARKER-7f3a9c";

/// `doc` with the string at `path` (top level or one object down) replaced by `marker`, as
/// JSON text; `None` when there is no string there.
fn with_marker(doc: &serde_json::Value, path: &[&str], marker: &str) -> Option<String> {
    let mut doc = doc.clone();
    let mut slot = &mut doc;
    for key in path {
        slot = slot.get_mut(*key)?;
    }
    if !slot.is_string() {
        return None;
    }
    *slot = serde_json::Value::String(marker.to_string());
    serde_json::to_string(&doc).ok()
}

fn assert_hidden(marker: &str, output: &str, what: &str) {
    assert!(!output.contains(marker), "{what} shows a secret: {output}");
}

/// The browser's request on the loopback redirect server: the head parser, the `Host` check
/// and the redirect's query. A code comes out only for a GET with an allowed `Host` on the
/// redirect path whose `state` matches.
pub fn loopback_request(data: &[u8]) {
    const PORT: u16 = 8085;
    const PATH: &str = "/";
    let state = State::new("fuzz-state-0123456789");
    let Some(req) = parse_head(data) else { return };
    let allowed = host_allowed(req.host.as_deref(), PORT);
    let Ok(url) = url::Url::parse(&format!("http://localhost{}", req.target)) else {
        return;
    };
    let params = RedirectParams::from_url(&url);
    let state_ok = params.check_state(&state).is_ok();
    let code = params.into_code();
    if let Err(e) = &code {
        // A redirect's error text is shown to the user: no control characters.
        assert!(!e.message().chars().any(char::is_control), "{e:?}");
    }
    if allowed && req.method == "GET" && url.path() == PATH && state_ok && code.is_ok() {
        let query: Vec<_> = url.query_pairs().collect();
        assert!(
            query
                .iter()
                .any(|(k, v)| k == "state" && v == state.secret())
        );
        assert!(query.iter().any(|(k, v)| k == "code" && !v.is_empty()));
    }
}

/// A `client_secret.json`: parsed or refused with a message, and the client secret never in
/// the `Debug` output or in an error.
pub fn client_secrets(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let checked = |text: &str, marker: Option<&str>| {
        let shown = match ClientSecrets::from_json(text) {
            Ok(secrets) => {
                let mut shown = format!("{secrets:?}");
                match secrets.endpoints() {
                    Ok(endpoints) => {
                        let client = TokenClient::new(
                            secrets.client_id.clone(),
                            secrets.client_secret.clone(),
                            endpoints,
                        );
                        if let Ok(client) = client {
                            shown.push_str(&format!("{client:?}"));
                        }
                    }
                    Err(e) => shown.push_str(&format!("{e} {e:?}")),
                }
                shown
            }
            Err(e) => format!("{e} {e:?}"),
        };
        if let Some(marker) = marker {
            assert_hidden(marker, &shown, "client secrets");
        }
    };
    checked(text, None);
    // The same document with its client secret replaced by a marker: the marker never shows.
    if let Ok(doc) = serde_json::from_str::<serde_json::Value>(text) {
        for section in ["installed", "web"] {
            if let Some(marked) = with_marker(&doc, &[section, "client_secret"], MARKER) {
                checked(&marked, Some(MARKER));
            }
        }
    }
}

/// An `authorized_user` credentials file (ours, gcloud's ADC, Python google-auth's): parsed
/// or refused; what is parsed writes back to a file that parses to the same file, keeps the
/// refresh token, and no secret shows in `Debug` or in an error.
pub fn credentials_file(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let value = serde_json::from_str::<serde_json::Value>(text).ok();
    if let Ok(creds) = Credentials::from_authorized_user_json(text, None) {
        let written = creds.to_authorized_user_json().expect("user credentials");
        let again = Credentials::from_authorized_user_json(&written, None)
            .unwrap_or_else(|e| panic!("our own file does not parse: {e}\n{written}"));
        assert_eq!(
            written,
            again.to_authorized_user_json().expect("user credentials"),
            "round trip"
        );
        let before = value
            .as_ref()
            .and_then(|v| v.get("refresh_token"))
            .and_then(|s| s.as_str())
            .filter(|s| !s.is_empty());
        if let Some(rt) = before {
            let w: serde_json::Value = serde_json::from_str(&written).expect("JSON");
            assert_eq!(
                Some(rt),
                w["refresh_token"].as_str(),
                "the refresh token was lost"
            );
        }
    }
    // Each secret replaced by a marker: the marker never shows in Debug output or an error.
    let Some(doc) = value else { return };
    for key in ["client_secret", "refresh_token", "token"] {
        let Some(marked) = with_marker(&doc, &[key], MARKER) else {
            continue;
        };
        let shown = match Credentials::from_authorized_user_json(&marked, None) {
            Ok(creds) => format!("{creds:?}"),
            Err(e) => format!("{e} {e:?}"),
        };
        assert_hidden(MARKER, &shown, "credentials");
    }
}

/// A token endpoint's answer (first two bytes: the HTTP status, modulo 600) and the OAuth /
/// Google error bodies: a token response or an error, never a panic; tokens never in `Debug`
/// output; the credentials made from it write a file that parses again.
pub fn token_response(data: &[u8]) {
    let (status, body) = match data {
        [a, b, rest @ ..] => (u16::from_be_bytes([*a, *b]) % 600, rest),
        _ => (200, data),
    };
    let endpoints = Endpoints::google();
    let raw = RawResponse {
        status,
        body: body.to_vec(),
    };
    let err = oauth_error(&raw, &endpoints.token, "refreshing");
    let _ = (err.kind(), err.is_retryable(), err.hint());
    match parse_token_response(raw, &endpoints.token, "refreshing") {
        Ok(resp) => {
            let client = TokenClient::new("id", None, endpoints.clone()).expect("client");
            let creds = Credentials::from_token_response(client, resp, &["email".into()]);
            let written = creds.to_authorized_user_json().expect("user credentials");
            Credentials::from_authorized_user_json(&written, None)
                .unwrap_or_else(|e| panic!("credentials from a token response: {e}\n{written}"));
        }
        Err(e) => {
            let _ = (e.kind(), e.is_retryable());
        }
    }
    // The tokens replaced by markers: neither shows in `Debug` output nor in an error.
    let Ok(doc) = serde_json::from_slice::<serde_json::Value>(body) else {
        return;
    };
    for key in ["access_token", "refresh_token", "id_token"] {
        let Some(marked) = with_marker(&doc, &[key], MARKER) else {
            continue;
        };
        let raw = RawResponse {
            status,
            body: marked.into_bytes(),
        };
        let shown = match parse_token_response(raw, &endpoints.token, "refreshing") {
            Ok(resp) => format!("{resp:?}"),
            Err(e) => format!("{e} {e:?}"),
        };
        assert_hidden(MARKER, &shown, "token response");
    }
}

/// An expiry timestamp as found in credentials files: what parses formats to a string that
/// parses to the same time (to the microsecond).
pub fn expiry(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Some(t) = timefmt::parse_expiry(&text) {
        // Written with microseconds, as Python google-auth does: finer digits may go.
        let shown = timefmt::format_expiry(t);
        let back = timefmt::parse_expiry(&shown).unwrap_or_else(|| panic!("{shown} unreadable"));
        let gap = t.duration_since(back).or_else(|_| back.duration_since(t));
        assert!(gap.is_ok_and(|g| g.as_micros() < 1), "{text} -> {shown}");
    }
}

/// What a user pastes into a headless or console login (first byte: the chunk size the bytes
/// arrive in and whether the flow is out-of-band): lines are cut with the bound whatever the
/// chunks, and a line is either refused with a short printable message or yields a code of
/// at most `MAX_CODE_LEN` URL-safe characters, with this login's `state` when it came in a
/// URL, and a loopback redirect URI when it names one. Nothing else could reach the token
/// endpoint.
pub fn paste(data: &[u8]) {
    const MAX_LINE: usize = 4096;
    let Some((&mode, input)) = data.split_first() else {
        return;
    };
    let chunk = usize::from(mode & 0x3f) + 1;
    let oob = mode & 0x40 != 0;
    let state = State::new("fuzz-state-0123456789");
    let mut splitter = LineSplitter::new(MAX_LINE);
    let mut lines = Vec::new();
    for piece in input.chunks(chunk) {
        let mut rest = piece;
        while !rest.is_empty() {
            let (used, line) = splitter.feed(rest);
            assert!(used > 0 && used <= rest.len(), "progress");
            rest = &rest[used..];
            lines.extend(line);
        }
    }
    lines.extend(splitter.finish());
    let breaks = input.iter().filter(|&&b| b == b'\n').count();
    assert!(
        lines.len() == breaks || lines.len() == breaks + 1,
        "{} lines for {breaks} line breaks",
        lines.len()
    );
    for line in lines {
        let text = match line {
            PastedLine::Text(text) => text,
            other => {
                assert!(other.complaint().is_some());
                continue;
            }
        };
        assert!(text.len() <= MAX_LINE && !text.contains('\n'), "{text:?}");
        match parse_pasted(&text, &state, oob) {
            Ok(pasted) => {
                let code = pasted.code.secret();
                assert!(
                    check_code(code).is_ok() && code.len() <= MAX_CODE_LEN,
                    "{code:?}"
                );
                if let Some(uri) = pasted.redirect_uri {
                    let url = url::Url::parse(&uri).expect("a redirect URI parses");
                    assert_eq!(url.scheme(), "http", "{uri}");
                    assert!(url.query().is_none(), "{uri}");
                }
                if text.contains("://") || text.contains("code=") {
                    // URL parsing drops ASCII tabs and line breaks anywhere (WHATWG), as a
                    // browser's address bar does.
                    let parsed: String =
                        text.chars().filter(|c| !matches!(c, '\t' | '\r')).collect();
                    assert!(
                        parsed.contains(state.secret()),
                        "a URL without this state: {text}"
                    );
                }
            }
            Err(e) => {
                // Said by the login itself (re-prompt) without the escaping of the CLI: no
                // character a terminal would act on, and never the pasted text at length. The
                // hint (data since errors print once) is held to the same rule.
                let shown = format!("{e}\n{}", e.hint().unwrap_or_default());
                assert!(
                    !shown.chars().any(|c| c.is_control() && c != '\n'
                        || matches!(c as u32, 0x200b..=0x200f | 0x202a..=0x202e | 0x2066..=0x2069)),
                    "{shown:?}"
                );
                assert!(shown.len() < 1200, "{shown}");
            }
        }
    }
}
