//! `gapi mcp --upstream URL` (issue 19 §3) against a real MCP server no one here wrote: the
//! official MCP Python SDK's `MCPServer` serving streamable HTTP on 127.0.0.1, whose own
//! bearer-token middleware checks each token with the emulator's tokeninfo. The agent side
//! is the same SDK's stdio client. Upstream tools are served beside gapi's own, called with
//! the profile's token; the profile's policy applies to them by tool name; a refused token,
//! an unreachable upstream and one that is not MCP are errors saying what to do.

use crate::common;

use std::process::Stdio;

use common::Setup;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};

const DRIVE: &str = "https://www.googleapis.com/auth/drive";

/// The Python SDK's streamable-HTTP server, requiring `scope`; its URL.
async fn upstream(setup: &Setup, scope: &str) -> (tokio::process::Child, String) {
    upstream_on(setup, scope, None).await
}

/// [`upstream`] on a chosen port (a restarted server), or any free one.
async fn upstream_on(
    setup: &Setup,
    scope: &str,
    port: Option<u16>,
) -> (tokio::process::Child, String) {
    let python = std::env::var("GAPI_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/python/mcp_upstream.py");
    let mut child = tokio::process::Command::new(&python)
        .arg(script)
        .arg(format!("{}/tokeninfo", setup.base()))
        .arg(scope)
        .args(port.map(|p| p.to_string()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap_or_else(|e| panic!("could not run {python}: {e}; source target/test-env.sh"));
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let port = tokio::time::timeout(std::time::Duration::from_secs(60), lines.next_line())
        .await
        .expect("the upstream prints its port")
        .unwrap()
        .expect("the upstream started (is PyPI mcp installed? source target/test-env.sh)");
    (child, format!("http://127.0.0.1:{}/mcp", port.trim()))
}

/// Tool calls through `gapi mcp ARGS` with the Python SDK's stdio client.
async fn session(setup: &Setup, args: &[&str], calls: Value) -> Value {
    let python = std::env::var("GAPI_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/python/mcp_calls.py");
    let mut cmd = tokio::process::Command::new(&python);
    cmd.arg(script)
        .arg(calls.to_string())
        .arg(env!("CARGO_BIN_EXE_gapi"))
        .arg("mcp")
        .args(args)
        .env("GAPI_CONFIG_DIR", setup.config_dir())
        .env_remove("GAPI_PROFILE")
        .env_remove("GAPI_READ_ONLY")
        .env("CLOUDSDK_CONFIG", setup.config_dir().join("no-gcloud"))
        .kill_on_drop(true);
    let out = tokio::time::timeout(std::time::Duration::from_secs(120), cmd.output())
        .await
        .expect("the MCP session finished")
        .unwrap();
    assert!(
        out.status.success(),
        "the MCP session failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the client printed JSON")
}

fn text(r: &Value) -> &str {
    r["text"].as_str().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn upstream_tools_are_relayed_with_the_profiles_token_and_obey_its_policy() {
    let setup = Setup::new(true).await;
    common::login_loopback(&setup, &["--scope", "drive"]).await;
    let (_server, url) = upstream(&setup, DRIVE).await;
    let calls = json!([
        ["search_files", {"query": "report"}],
        ["whoami", {}],
        ["create_file", {"name": "notes.txt"}],
        ["search_methods", {"query": "list files in my drive", "limit": 1}],
    ]);
    let out = session(&setup, &["--upstream", &url], calls.clone()).await;
    assert_eq!(
        out["tools"],
        json!([
            "call_method",
            "create_file",
            "describe_method",
            "search_files",
            "search_methods",
            "whoami"
        ]),
        "{out}"
    );
    let r = &out["results"];
    assert_eq!(text(&r[0]), "files matching report: report.pdf", "{out}");
    assert!(
        text(&r[1]).split_whitespace().any(|s| s == DRIVE),
        "the upstream saw the profile's token (its tokeninfo scopes): {out}"
    );
    assert_eq!(text(&r[2]), "created notes.txt", "{out}");
    assert!(
        text(&r[3]).contains("drive"),
        "gapi's own tools stay: {out}"
    );

    // Two upstreams with the same tool names: the second's are prefixed, both are served.
    let (_second, url2) = upstream(&setup, DRIVE).await;
    let out = session(
        &setup,
        &["--upstream", &url, "--upstream", &url2],
        json!([["upstream2_search_files", {"query": "two"}], ["search_files", {"query": "one"}]]),
    )
    .await;
    let tools = out["tools"].as_array().unwrap();
    assert_eq!(tools.len(), 9, "{out}");
    assert!(tools.contains(&json!("upstream2_create_file")), "{out}");
    assert_eq!(
        text(&out["results"][0]),
        "files matching two: report.pdf",
        "{out}"
    );
    assert_eq!(
        text(&out["results"][1]),
        "files matching one: report.pdf",
        "{out}"
    );

    // Tokens the server stops accepting mid-session (expired at the emulator, still fresh
    // to gapi): the upstream answers 401, gapi refreshes once and the call goes through.
    let expire = format!("{}/__emulator/tokens/expire", setup.base());
    let out = session(
        &setup,
        &["--upstream", &url],
        json!([["whoami", {}], ["__post", {"url": expire}], ["search_files", {"query": "q"}]]),
    )
    .await;
    let r = &out["results"];
    assert_eq!(r[1]["status"], 200, "{out}");
    assert_eq!(r[2]["is_error"], false, "{out}");
    assert_eq!(text(&r[2]), "files matching q: report.pdf", "{out}");

    // The profile's policy applies by tool name, whatever the server's flags.
    let set = setup
        .run(&["auth", "policy", "set", "--read-only", "--deny", "whoami"])
        .await;
    assert_eq!(set.code, 0, "{}", set.stderr);
    let out = session(&setup, &["--upstream", &url, "--allow", "*"], calls).await;
    let r = &out["results"];
    assert_eq!(r[0]["is_error"], false, "{out}");
    assert_eq!(text(&r[0]), "files matching report: report.pdf");
    assert_eq!(r[1]["is_error"], true, "{out}");
    assert!(
        text(&r[1]).contains("deny-list") && text(&r[1]).contains("Nothing was sent"),
        "{out}"
    );
    assert_eq!(r[2]["is_error"], true, "{out}");
    assert!(text(&r[2]).contains("read-only rule"), "{out}");
}

/// How many initialize requests the upstream process at `url` has received.
async fn initializations(url: &str) -> u64 {
    let base = url.trim_end_matches("/mcp");
    // A server just started may not listen yet: a few tries.
    for _ in 0..100 {
        if let Ok(r) = reqwest::get(format!("{base}/initializations")).await {
            return r.text().await.unwrap().trim().parse().expect("a count");
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the upstream at {url} never answered");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_session_the_upstream_ended_is_started_again_once() {
    // MCP 2025-06-18, streamable HTTP: a 404 to a request carrying Mcp-Session-Id means the
    // session ended; the client starts a new one (initialize without the id) and retries.
    // Here the upstream process is restarted between two tool calls: the new process knows
    // no earlier session and answers the second call 404.
    let setup = Setup::new(true).await;
    common::login_loopback(&setup, &["--scope", "drive"]).await;
    let (mut first, url) = upstream(&setup, DRIVE).await;
    let port: u16 = url
        .trim_start_matches("http://127.0.0.1:")
        .trim_end_matches("/mcp")
        .parse()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (ready, go) = (dir.path().join("ready"), dir.path().join("go"));
    let calls = json!([
        ["search_files", {"query": "before"}],
        ["__pause", {"ready": ready, "go": go}],
        ["search_files", {"query": "after"}],
        ["whoami", {}],
    ]);
    let restart = async {
        tokio::time::timeout(std::time::Duration::from_secs(60), async {
            while !ready.exists() {
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
        })
        .await
        .expect("the client paused between the two calls");
        assert_eq!(
            initializations(&url).await,
            1,
            "the first process saw gapi start"
        );
        first.kill().await.unwrap();
        let (second, again) = upstream_on(&setup, DRIVE, Some(port)).await;
        assert_eq!(again, url);
        // Listening (it printed its port before serving), and a new process.
        assert_eq!(initializations(&url).await, 0);
        std::fs::write(&go, b"").unwrap();
        second
    };
    let args = ["--upstream", url.as_str()];
    let (out, _second) = tokio::join!(session(&setup, &args, calls), restart);
    let r = &out["results"];
    assert_eq!(text(&r[0]), "files matching before: report.pdf", "{out}");
    assert_eq!(r[1]["went_on"], true, "{out}");
    assert_eq!(r[2]["is_error"], false, "{out}");
    assert_eq!(text(&r[2]), "files matching after: report.pdf", "{out}");
    assert_eq!(r[3]["is_error"], false, "{out}");
    assert_eq!(
        initializations(&url).await,
        1,
        "one new session for the restarted process, kept for the next call: {out}"
    );
}

/// `gapi mcp ARGS` run alone: it must fail at start; its stderr.
async fn fails_to_start(setup: &Setup, args: &[&str]) -> String {
    let mut cmd = setup.gapi();
    cmd.arg("mcp").args(args);
    let out = common::run(cmd).await;
    assert_ne!(out.code, 0, "{args:?} started: {}", out.stderr);
    out.stderr
}

#[tokio::test(flavor = "multi_thread")]
async fn upstream_errors_say_what_to_do() {
    let setup = Setup::new(true).await;
    common::login_loopback(&setup, &["--scope", "drive.readonly"]).await;
    // The token lacks the scope the upstream requires: 403, and the way to add a scope.
    let (_server, url) = upstream(&setup, DRIVE).await;
    let err = fails_to_start(&setup, &["--upstream", &url]).await;
    assert!(
        err.contains("refused gapi's credentials")
            && err.contains("403")
            && err.contains("gapi auth login --add-scope"),
        "{err}"
    );
    // The scope named at start and missing from the login: refused before any request, with
    // the command that adds it.
    let err = fails_to_start(&setup, &["--upstream", &url, "--upstream-scope", "drive"]).await;
    assert!(
        err.contains("were granted none of the scopes") && err.contains("--add-scope drive"),
        "{err}"
    );
    // No token at all: 401 (tried twice, the second after a refresh), named as such.
    let err = fails_to_start(&setup, &["--upstream", &url, "--anonymous"]).await;
    assert!(
        err.contains("refused gapi's credentials") && err.contains("401"),
        "{err}"
    );
    // Nothing listening.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let err = fails_to_start(
        &setup,
        &["--upstream", &format!("http://127.0.0.1:{closed}/mcp")],
    )
    .await;
    assert!(
        err.contains("cannot reach the upstream MCP server"),
        "{err}"
    );
    // A server that is not MCP (the emulator's Drive API).
    let not_mcp = format!("{}/drive/v3/about", setup.base());
    let err = fails_to_start(&setup, &["--upstream", &not_mcp, "--anonymous"]).await;
    assert!(
        err.contains("does not answer as an MCP server")
            || err.contains("refused gapi's credentials"),
        "{err}"
    );
    let not_mcp = format!("{}/", setup.base());
    let err = fails_to_start(&setup, &["--upstream", &not_mcp, "--anonymous"]).await;
    assert!(err.contains("does not answer as an MCP server"), "{err}");
}
