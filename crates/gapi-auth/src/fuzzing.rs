//! Entry points for the fuzz targets (`crates/gapi-auth/fuzz`) and for the test that replays
//! their corpora on stable Rust (`tests/fuzz_corpus.rs`). Not part of the API: each function
//! feeds outside bytes to one of the crate's parsers and panics only when an invariant breaks
//! (a parser panic, a secret in `Debug` output, a round trip that changes the data).

use crate::credentials::Credentials;
use crate::flow::loopback::{RedirectParams, host_allowed, parse_head};
use crate::protocol::TokenClient;
use crate::protocol::token::{oauth_error, parse_token_response};
use crate::protocol::transport::RawResponse;
use crate::secret::State;
use crate::secrets::ClientSecrets;
use crate::{Endpoints, timefmt};

/// Whether `secret` is distinctive enough to look for in output: long, and written exactly
/// once in the input (so finding it in output means the secret itself was echoed).
fn traceable(input: &str, secret: &str) -> bool {
    secret.len() >= 12 && input.matches(secret).count() == 1
}

fn assert_hidden(input: &str, secret: &str, output: &str, what: &str) {
    if traceable(input, secret) {
        assert!(!output.contains(secret), "{what} shows a secret: {output}");
    }
}

/// The string value of `key` anywhere at the top two levels of a JSON document.
fn json_strings(v: &serde_json::Value, key: &str) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(s) = v.get(key).and_then(|s| s.as_str()) {
        out.push(s.to_string());
    }
    if let Some(obj) = v.as_object() {
        for inner in obj.values() {
            if let Some(s) = inner.get(key).and_then(|s| s.as_str()) {
                out.push(s.to_string());
            }
        }
    }
    out
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
    let secrets_in_input = serde_json::from_str::<serde_json::Value>(text)
        .map(|v| json_strings(&v, "client_secret"))
        .unwrap_or_default();
    match ClientSecrets::from_json(text) {
        Ok(secrets) => {
            let shown = format!("{secrets:?}");
            for s in &secrets_in_input {
                assert_hidden(text, s, &shown, "ClientSecrets Debug");
            }
            match secrets.endpoints() {
                Ok(endpoints) => {
                    let _ = TokenClient::new(
                        secrets.client_id.clone(),
                        secrets.client_secret.clone(),
                        endpoints,
                    );
                }
                Err(e) => {
                    for s in &secrets_in_input {
                        assert_hidden(text, s, &format!("{e} {e:?}"), "endpoint error");
                    }
                }
            }
        }
        Err(e) => {
            for s in &secrets_in_input {
                assert_hidden(text, s, &format!("{e} {e:?}"), "client secrets error");
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
    let mut secrets = Vec::new();
    if let Some(v) = &value {
        for key in ["client_secret", "refresh_token", "token"] {
            secrets.extend(v.get(key).and_then(|s| s.as_str()).map(str::to_string));
        }
    }
    match Credentials::from_authorized_user_json(text, None) {
        Ok(creds) => {
            let shown = format!("{creds:?}");
            for s in &secrets {
                assert_hidden(text, s, &shown, "Credentials Debug");
            }
            let written = creds.to_authorized_user_json();
            let again = Credentials::from_authorized_user_json(&written, None)
                .unwrap_or_else(|e| panic!("our own file does not parse: {e}\n{written}"));
            assert_eq!(written, again.to_authorized_user_json(), "round trip");
            let kept = |key: &str| {
                let v = value
                    .as_ref()
                    .and_then(|v| v.get(key))
                    .and_then(|s| s.as_str());
                let w: serde_json::Value = serde_json::from_str(&written).expect("JSON");
                let w = w.get(key).and_then(|s| s.as_str()).map(str::to_string);
                (v.filter(|s| !s.is_empty()).map(str::to_string), w)
            };
            let (before, after) = kept("refresh_token");
            if let Some(rt) = before {
                assert_eq!(Some(rt), after, "the refresh token was lost");
            }
        }
        Err(e) => {
            for s in &secrets {
                assert_hidden(text, s, &format!("{e} {e:?}"), "credentials error");
            }
        }
    }
}

/// A token endpoint's answer (first two bytes: the HTTP status, modulo 600) and the OAuth / Google error
/// bodies: a token response or an error, never a panic; tokens never in `Debug` output; the
/// credentials made from it write a file that parses again.
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
    let text = String::from_utf8_lossy(body);
    let tokens = serde_json::from_slice::<serde_json::Value>(body)
        .map(|v| {
            let mut t = json_strings(&v, "access_token");
            t.extend(json_strings(&v, "refresh_token"));
            t
        })
        .unwrap_or_default();
    let err = oauth_error(&raw, &endpoints.token, "refreshing");
    let _ = (err.kind(), err.is_retryable(), err.hint());
    match parse_token_response(raw, &endpoints.token, "refreshing") {
        Ok(resp) => {
            for t in &tokens {
                assert_hidden(&text, t, &format!("{resp:?}"), "TokenResponse Debug");
            }
            let client = TokenClient::new("id", None, endpoints).expect("client");
            let creds = Credentials::from_token_response(client, resp, &["email".into()]);
            let written = creds.to_authorized_user_json();
            Credentials::from_authorized_user_json(&written, None)
                .unwrap_or_else(|e| panic!("credentials from a token response: {e}\n{written}"));
        }
        Err(e) => {
            let _ = (e.kind(), e.is_retryable());
        }
    }
}

/// An expiry timestamp as found in credentials files: what parses formats to a string that
/// parses to the same time.
pub fn expiry(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Some(t) = timefmt::parse_expiry(&text) {
        let shown = timefmt::format_expiry(t);
        assert_eq!(timefmt::parse_expiry(&shown), Some(t), "{shown}");
    }
}
