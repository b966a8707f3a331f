//! `gapi mcp --upstream URL`: relays tool calls to MCP servers that speak streamable HTTP
//! (MCP 2025-06-18), such as the ones Google hosts for Workspace, adding
//! `Authorization: Bearer` from the profile's credentials (any kind gapi loads: a user
//! login, the keyring, a service account with `--subject`, impersonation, the metadata
//! server). A token is refreshed by the credentials when it expires, and once more when an
//! upstream answers 401.
//!
//! Upstream tools keep their names; when a name is taken (by gapi's own tools or an earlier
//! upstream) it is prefixed `upstreamN_` (N: the upstream's place on the command line).
//! The profile's policy applies to them by tool name: `--allow`/`--deny` patterns match the
//! name the agent sees, and read-only lets only tools annotated `readOnlyHint` through.
//!
//! Errors say what to do: an upstream that cannot be reached, one that refuses the token
//! (401/403, with the scope it asks for as a `gapi auth login --add-scope` command), one
//! that does not answer MCP.
//!
//! A session the upstream has ended (it answers 404 to a request carrying its
//! `Mcp-Session-Id`: restarted, or expired) is started again as the spec says: a fresh
//! `initialize` without a session id, then the request once more. A 404 to the first
//! `initialize` still means the URL is no MCP endpoint.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use gapi_client::{Authenticator, Authorization};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::sync::Mutex;

/// The protocol version gapi asks upstreams for.
const PROTOCOL_VERSION: &str = "2025-06-18";

/// One upstream MCP server and its session.
pub struct Upstream {
    url: url::Url,
    http: reqwest::Client,
    auth: Arc<dyn Authenticator>,
    /// `Mcp-Session-Id` and the negotiated protocol version, once initialized.
    session: Mutex<Option<String>>,
    version: Mutex<String>,
    next_id: AtomicU64,
    /// Held while a session is started again, so concurrent calls that all met the ended
    /// session start one new session between them.
    restart: Mutex<()>,
}

/// The upstream answered 404 to a request carrying this session id: the session ended.
#[derive(Debug)]
struct SessionEnded {
    url: String,
    session: String,
}

impl std::fmt::Display for SessionEnded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the upstream MCP server {} ended gapi's session (HTTP 404), also after starting a \
             new one; restart `gapi mcp`, and check the server",
            self.url
        )
    }
}

impl std::error::Error for SessionEnded {}

/// An upstream tool as the agent sees it.
pub struct RelayedTool {
    /// The name the agent calls (the upstream's, prefixed on a clash).
    pub name: String,
    /// The upstream's own name.
    pub upstream_name: String,
    /// Which upstream serves it.
    pub upstream: usize,
    /// The tool's definition as the upstream listed it, with `name` set to [`Self::name`].
    pub definition: Value,
    /// Whether the upstream annotated it `readOnlyHint: true`.
    pub read_only: bool,
}

/// Every upstream and the tools they serve.
pub struct Relay {
    /// The upstreams, in command-line order.
    pub upstreams: Vec<Upstream>,
    /// Their tools.
    pub tools: Vec<RelayedTool>,
}

impl Relay {
    /// Connects to every upstream (initialize, tools/list); `taken` are the names already
    /// in use (gapi's own tools).
    pub async fn connect(
        urls: &[String],
        auth: Arc<dyn Authenticator>,
        profile: &str,
        taken: &[&str],
    ) -> anyhow::Result<Relay> {
        let http = reqwest::Client::builder()
            .build()
            .map_err(|e| anyhow::anyhow!("cannot build the HTTP client: {e}"))?;
        let mut upstreams = Vec::new();
        let mut tools: Vec<RelayedTool> = Vec::new();
        for (i, raw) in urls.iter().enumerate() {
            let url = url::Url::parse(raw)
                .map_err(|e| crate::exit::usage(format!("--upstream {raw:?} is not a URL: {e}")))?;
            if !matches!(url.scheme(), "https" | "http") {
                return Err(crate::exit::usage(format!(
                    "--upstream {raw} must be an https:// URL (http:// for a local server)"
                )));
            }
            let up = Upstream {
                url,
                http: http.clone(),
                auth: auth.clone(),
                session: Mutex::new(None),
                version: Mutex::new(PROTOCOL_VERSION.to_string()),
                next_id: AtomicU64::new(1),
                restart: Mutex::new(()),
            };
            up.initialize(profile).await?;
            for mut def in up.list_tools(profile).await? {
                let Some(own) = def.get("name").and_then(Value::as_str).map(str::to_string) else {
                    continue;
                };
                let clash = taken.contains(&own.as_str()) || tools.iter().any(|t| t.name == own);
                let name = if clash {
                    format!("upstream{}_{own}", i + 1)
                } else {
                    own.clone()
                };
                def["name"] = json!(name);
                let read_only = def["annotations"]["readOnlyHint"] == json!(true);
                tools.push(RelayedTool {
                    name,
                    upstream_name: own,
                    upstream: i,
                    definition: def,
                    read_only,
                });
            }
            upstreams.push(up);
        }
        Ok(Relay { upstreams, tools })
    }

    /// The relayed tool called `name`, if any.
    pub fn tool(&self, name: &str) -> Option<&RelayedTool> {
        self.tools.iter().find(|t| t.name == name)
    }

    /// Calls a relayed tool; the upstream's `CallToolResult` as JSON.
    pub async fn call(
        &self,
        tool: &RelayedTool,
        arguments: Value,
        profile: &str,
    ) -> anyhow::Result<Value> {
        let up = &self.upstreams[tool.upstream];
        up.request(
            "tools/call",
            json!({"name": tool.upstream_name, "arguments": arguments}),
            profile,
        )
        .await
    }
}

impl Upstream {
    async fn initialize(&self, profile: &str) -> anyhow::Result<()> {
        let init = self
            .request_once(
                "initialize",
                json!({"protocolVersion": PROTOCOL_VERSION, "capabilities": {},
                       "clientInfo": {"name": "gapi", "version": env!("CARGO_PKG_VERSION")}}),
                profile,
            )
            .await?;
        if let Some(v) = init.get("protocolVersion").and_then(Value::as_str) {
            *self.version.lock().await = v.to_string();
        }
        self.post(
            &json!({"jsonrpc": "2.0", "method": "notifications/initialized"}),
            profile,
        )
        .await?;
        Ok(())
    }

    async fn list_tools(&self, profile: &str) -> anyhow::Result<Vec<Value>> {
        let mut out = Vec::new();
        let mut cursor: Option<String> = None;
        // A bound on pages, against an upstream that repeats its cursor.
        for _ in 0..100 {
            let params = match &cursor {
                Some(c) => json!({"cursor": c}),
                None => json!({}),
            };
            let page = self.request("tools/list", params, profile).await?;
            out.extend(page["tools"].as_array().cloned().unwrap_or_default());
            cursor = page["nextCursor"].as_str().map(str::to_string);
            if cursor.is_none() {
                break;
            }
        }
        Ok(out)
    }

    /// One JSON-RPC request; its `result`, or an error naming the upstream. When the
    /// upstream has ended the session (404), a new one is started and the request sent once
    /// more.
    async fn request(&self, method: &str, params: Value, profile: &str) -> anyhow::Result<Value> {
        let err = match self.request_once(method, params.clone(), profile).await {
            Ok(result) => return Ok(result),
            Err(e) => e,
        };
        let Some(ended) = err
            .downcast_ref::<SessionEnded>()
            .map(|s| s.session.clone())
        else {
            return Err(err);
        };
        {
            let _one = self.restart.lock().await;
            // Another call may have started the new session already.
            if self.session.lock().await.as_deref() == Some(ended.as_str()) {
                tracing::info!(
                    "the upstream MCP server {} ended the session: starting a new one",
                    self.url
                );
                *self.session.lock().await = None;
                *self.version.lock().await = PROTOCOL_VERSION.to_string();
                self.initialize(profile).await?;
            }
        }
        self.request_once(method, params, profile).await
    }

    /// One JSON-RPC request, sent once.
    async fn request_once(
        &self,
        method: &str,
        params: Value,
        profile: &str,
    ) -> anyhow::Result<Value> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let msg = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        let answer = self
            .post(&msg, profile)
            .await?
            .ok_or_else(|| self.not_mcp(&format!("no answer to {method}")))?;
        let messages = answer;
        let reply = messages
            .into_iter()
            .find(|m| m.get("id") == Some(&json!(id)))
            .ok_or_else(|| self.not_mcp(&format!("no answer with the id of {method}")))?;
        if let Some(err) = reply.get("error") {
            anyhow::bail!(
                "the upstream MCP server {} answered {method} with an error: {}",
                self.url,
                err
            );
        }
        reply
            .get("result")
            .cloned()
            .ok_or_else(|| self.not_mcp("an answer without result or error"))
    }

    fn not_mcp(&self, what: &str) -> anyhow::Error {
        anyhow::anyhow!(
            "{} does not answer as an MCP server over streamable HTTP ({what}); check the \
             --upstream URL (Google's hosted servers end in /mcp)",
            self.url
        )
    }

    /// POSTs one message; the JSON-RPC messages of the answer (JSON or an SSE stream), or
    /// None for 202 Accepted. Sends the bearer token, refreshed once after a 401.
    async fn post(&self, msg: &Value, profile: &str) -> anyhow::Result<Option<Vec<Value>>> {
        let mut refreshed = false;
        loop {
            let mut req = self
                .http
                .post(self.url.clone())
                .header("content-type", "application/json")
                .header("accept", "application/json, text/event-stream")
                .header("mcp-protocol-version", self.version.lock().await.as_str())
                .body(msg.to_string());
            let sent_session = self.session.lock().await.clone();
            if let Some(s) = &sent_session {
                req = req.header("mcp-session-id", s);
            }
            match self.auth.authorize(refreshed).await? {
                Authorization::Bearer(token) => {
                    req = req.header("authorization", format!("Bearer {}", token.secret()));
                }
                Authorization::ApiKey(key) => req = req.header("x-goog-api-key", key.secret()),
                Authorization::None => {}
            }
            let resp = req.send().await.map_err(|e| {
                anyhow::anyhow!(
                    "cannot reach the upstream MCP server {}: {}; check the URL and your network",
                    self.url,
                    e.without_url()
                )
            })?;
            let status = resp.status();
            if status == StatusCode::UNAUTHORIZED && !refreshed {
                refreshed = true;
                continue;
            }
            if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
                return Err(self.refused(status, resp.headers(), profile));
            }
            if status == StatusCode::NOT_FOUND
                && let Some(session) = sent_session
            {
                return Err(SessionEnded {
                    url: self.url.to_string(),
                    session,
                }
                .into());
            }
            if let Some(s) = resp
                .headers()
                .get("mcp-session-id")
                .and_then(|v| v.to_str().ok())
            {
                *self.session.lock().await = Some(s.to_string());
            }
            if status == StatusCode::ACCEPTED {
                return Ok(None);
            }
            if !status.is_success() {
                return Err(self.not_mcp(&format!("HTTP {status}")));
            }
            let kind = resp
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_ascii_lowercase();
            let body = resp
                .text()
                .await
                .map_err(|e| anyhow::anyhow!("reading the answer of {}: {e}", self.url))?;
            let messages = if kind.starts_with("text/event-stream") {
                sse_messages(&body)
            } else if kind.starts_with("application/json") {
                match serde_json::from_str::<Value>(&body) {
                    Ok(Value::Array(a)) => a,
                    Ok(v) => vec![v],
                    Err(_) => return Err(self.not_mcp("JSON that does not parse")),
                }
            } else {
                return Err(self.not_mcp(&format!("content type {kind:?}")));
            };
            if messages
                .iter()
                .any(|m| m.get("jsonrpc") != Some(&json!("2.0")))
            {
                return Err(self.not_mcp("a message that is not JSON-RPC 2.0"));
            }
            return Ok(Some(messages));
        }
    }

    /// A 401/403 as an error the agent (or its person) can act on: the scope the upstream
    /// asks for (`WWW-Authenticate: Bearer scope="..."`), as a login command.
    fn refused(
        &self,
        status: StatusCode,
        headers: &reqwest::header::HeaderMap,
        profile: &str,
    ) -> anyhow::Error {
        let challenge = headers
            .get("www-authenticate")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let scope = auth_param(challenge, "scope");
        let error = auth_param(challenge, "error");
        let profile_flag = if profile == gapi_auth::DEFAULT_PROFILE {
            String::new()
        } else {
            format!(" --profile {profile}")
        };
        let what = match &scope {
            Some(s) => format!(
                "; it asks for the scope {s}: run `gapi auth login{profile_flag} {}`",
                s.split_whitespace()
                    .map(|s| format!("--add-scope {s}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
            None if status == StatusCode::UNAUTHORIZED => format!(
                "; the token was refused even after a refresh: log in again (`gapi auth \
                 login{profile_flag}`), or use credentials this server accepts"
            ),
            None => format!(
                "; log in with the scope it needs: `gapi auth login{profile_flag} --add-scope SCOPE`"
            ),
        };
        anyhow::anyhow!(
            "the upstream MCP server {} refused gapi's credentials (HTTP {status}{}){what}",
            self.url,
            error.map(|e| format!(", {e}")).unwrap_or_default()
        )
    }
}

/// The value of `name="..."` (or `name=token`) in a `WWW-Authenticate` challenge.
fn auth_param(challenge: &str, name: &str) -> Option<String> {
    let lower = challenge.to_ascii_lowercase();
    let at = lower.find(&format!("{name}="))?;
    // Only a whole parameter name (not `error_description` for `error`).
    if at > 0 && !matches!(lower.as_bytes()[at - 1], b' ' | b',') {
        return None;
    }
    let rest = &challenge[at + name.len() + 1..];
    let value = match rest.strip_prefix('"') {
        Some(q) => q.split('"').next().unwrap_or(""),
        None => rest.split([',', ' ']).next().unwrap_or(""),
    };
    Some(value.to_string()).filter(|v| !v.is_empty())
}

/// The JSON messages in an SSE body (`data:` lines, joined per event).
fn sse_messages(body: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut data = String::new();
    for line in body.lines().chain(std::iter::once("")) {
        if line.is_empty() {
            if !data.is_empty() {
                if let Ok(v) = serde_json::from_str(&data) {
                    out.push(v);
                }
                data.clear();
            }
        } else if let Some(d) = line.strip_prefix("data:") {
            if !data.is_empty() {
                data.push('\n');
            }
            data.push_str(d.strip_prefix(' ').unwrap_or(d));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sse_and_challenges_are_read() {
        let body = "event: message\ndata: {\"jsonrpc\":\"2.0\",\ndata: \"id\":1}\n\n: ping\n\ndata: {\"a\":2}\n";
        let m = sse_messages(body);
        assert_eq!(m, vec![json!({"jsonrpc": "2.0", "id": 1}), json!({"a": 2})]);
        let c = r#"Bearer error="insufficient_scope", error_description="x", scope="https://www.googleapis.com/auth/drive.readonly""#;
        assert_eq!(
            auth_param(c, "error").as_deref(),
            Some("insufficient_scope")
        );
        assert_eq!(
            auth_param(c, "scope").as_deref(),
            Some("https://www.googleapis.com/auth/drive.readonly")
        );
        assert_eq!(auth_param("Bearer error_description=\"x\"", "error"), None);
    }
}
