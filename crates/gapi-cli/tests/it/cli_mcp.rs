//! `gapi mcp` driven by the official MCP Python SDK (PyPI `mcp`, from $GAPI_TEST_PYTHON) as
//! the client, against the emulator: three tools, real calls, Google's errors as tool errors,
//! `--read-only` and `--page-limit` enforced.

use crate::common;

use common::Setup;

async fn drive_mcp(setup: &Setup, flags: &[&str]) -> serde_json::Value {
    let python = std::env::var("GAPI_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/python/mcp_client.py");
    let mut cmd = tokio::process::Command::new(&python);
    cmd.arg(script)
        .arg(env!("CARGO_BIN_EXE_gapi"))
        .arg(format!("{}/", setup.base()))
        .args(flags)
        .env("GAPI_CONFIG_DIR", setup.config_dir())
        .env_remove("GAPI_PROFILE")
        .env_remove("GAPI_ENDPOINT")
        .env_remove("GAPI_READ_ONLY")
        .env("CLOUDSDK_CONFIG", setup.config_dir().join("no-gcloud"))
        .kill_on_drop(true);
    let out = tokio::time::timeout(std::time::Duration::from_secs(120), cmd.output())
        .await
        .expect("the MCP session finished")
        .unwrap_or_else(|e| {
            panic!("could not run {python}: {e}; set GAPI_TEST_PYTHON (target/test-env.sh)")
        });
    assert!(
        out.status.success(),
        "{python} {script} failed (is PyPI mcp installed? source target/test-env.sh): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the client printed JSON")
}

#[tokio::test(flavor = "multi_thread")]
async fn mcp_server_answers_the_python_sdk() {
    let setup = Setup::new(true).await;
    common::login_loopback(&setup, &["--scope", "drive"]).await;
    let v = drive_mcp(&setup, &["--page-limit", "3"]).await;
    assert_eq!(v["server"], "gapi");
    assert_eq!(
        v["tools"],
        serde_json::json!(["call_method", "describe_method", "search_methods"])
    );

    let search = &v["search"];
    assert_eq!(search["is_error"], false, "{search}");
    assert_eq!(
        search["structured"]["methods"][0]["method"], "files.list",
        "{search}"
    );
    assert_eq!(search["structured"]["methods"][0]["api"], "drive:v3");

    let d = &v["describe"]["structured"];
    assert_eq!(d["httpMethod"], "POST", "{d}");
    assert_eq!(d["request"]["name"], "File");

    let list = &v["list"];
    assert_eq!(list["is_error"], false, "{list}");
    assert_eq!(
        list["structured"]["files"].as_array().unwrap().len(),
        2,
        "{list}"
    );

    let pages = &v["pages"]["structured"];
    assert_eq!(pages["pages"], 3, "bounded by --page-limit: {pages}");
    assert_eq!(pages["items"].as_array().unwrap().len(), 3);
    assert_eq!(pages["truncated"], true);

    let missing = &v["missing"];
    assert_eq!(missing["is_error"], true, "{missing}");
    assert_eq!(missing["structured"]["error"]["code"], 404, "{missing}");
    assert_eq!(
        missing["structured"]["error"]["reason"], "notFound",
        "{missing}"
    );

    let bad = &v["bad_body"];
    assert_eq!(bad["is_error"], true);
    assert!(bad["text"].as_str().unwrap().contains("body.nmae"), "{bad}");

    // Without --read-only the delete reaches the API (and the file does not exist).
    assert_eq!(
        v["delete"]["structured"]["error"]["code"], 404,
        "{}",
        v["delete"]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn mcp_read_only_refuses_writes_before_any_request() {
    let setup = Setup::new(true).await;
    common::login_loopback(&setup, &["--scope", "drive"]).await;
    let v = drive_mcp(&setup, &["--read-only", "--allow", "drive.files.*"]).await;
    let delete = &v["delete"];
    assert_eq!(delete["is_error"], true, "{delete}");
    assert!(
        delete["text"].as_str().unwrap().contains("read-only"),
        "{delete}"
    );
    assert!(
        delete["structured"]["error"].get("code").is_none(),
        "never sent: {delete}"
    );
    assert_eq!(
        v["list"]["is_error"], false,
        "GETs still work: {}",
        v["list"]
    );
}

/// Runs `gapi mcp FLAGS` against the setup's emulator, writes `lines` to its stdin raw (after
/// the initialize handshake), closes stdin and returns every message it wrote.
async fn raw_session(setup: &Setup, flags: &[&str], lines: &[String]) -> Vec<serde_json::Value> {
    let mut cmd = setup.gapi();
    cmd.arg("mcp")
        .args(flags)
        .args(["--endpoint", &format!("{}/", setup.base())])
        .env_remove("GAPI_READ_ONLY")
        .stdin(std::process::Stdio::piped());
    let mut child = cmd.spawn().expect("spawn gapi mcp");
    let mut stdin = child.stdin.take().unwrap();
    let mut input = String::from(
        r#"{"jsonrpc":"2.0","id":"init","method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}
{"jsonrpc":"2.0","method":"notifications/initialized"}
"#,
    );
    for l in lines {
        input.push_str(l);
        input.push('\n');
    }
    tokio::io::AsyncWriteExt::write_all(&mut stdin, input.as_bytes())
        .await
        .unwrap();
    drop(stdin);
    let out = tokio::time::timeout(std::time::Duration::from_secs(60), child.wait_with_output())
        .await
        .expect("gapi mcp ends when stdin ends")
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l:?}: {e}")))
        .collect()
}

/// The answer to request `id`.
fn answer(messages: &[serde_json::Value], id: serde_json::Value) -> &serde_json::Value {
    messages
        .iter()
        .find(|m| m["id"] == id)
        .unwrap_or_else(|| panic!("no answer to id {id}: {messages:?}"))
}

fn tool_call(id: u32, name: serde_json::Value, arguments: serde_json::Value) -> String {
    serde_json::json!({"jsonrpc": "2.0", "id": id, "method": "tools/call",
        "params": {"name": name, "arguments": arguments}})
    .to_string()
}

/// JSON-RPC's codes for protocol errors: a line that is not JSON is answered -32700 (id
/// null), JSON that is not a request object -32600, params that are not an object or a
/// tools/call whose params do not fit or name no tool -32602 (with its id); arguments
/// that do not fit a tool's schema are a tool result with isError (MCP 2025-11-25), naming
/// each problem. The server keeps answering afterwards.
#[tokio::test(flavor = "multi_thread")]
async fn mcp_answers_protocol_errors_as_json_rpc_says() {
    let setup = Setup::new(true).await;
    let lines = [
        "this is not json".to_string(),
        r#"{"jsonrpc":"2.0","id":3,"method":"tools/call"}"#.to_string(),
        tool_call(4, serde_json::json!(5), serde_json::json!({})),
        tool_call(
            5,
            serde_json::json!("describe_method"),
            serde_json::json!("x"),
        ),
        tool_call(6, serde_json::json!("no_such_tool"), serde_json::json!({})),
        tool_call(
            7,
            serde_json::json!("search_methods"),
            serde_json::json!({"query": 5, "limit": "3", "extra": true}),
        ),
        tool_call(
            8,
            serde_json::json!("call_method"),
            serde_json::json!({"api": "drive"}),
        ),
        r#"{"jsonrpc":"2.0","id":10,"method":"tools/list","params":5}"#.to_string(),
        "[1, 2]".to_string(),
        r#"{"id":11,"method":"tools/list"}"#.to_string(),
        r#"{"jsonrpc":"2.0","id":9,"method":"tools/list"}"#.to_string(),
    ];
    let got = raw_session(&setup, &["--anonymous"], &lines).await;
    let parse = got
        .iter()
        .find(|m| m["error"]["code"] == -32700)
        .unwrap_or_else(|| panic!("a -32700 answer: {got:?}"));
    assert!(parse["id"].is_null(), "{parse}");
    for id in [3, 4, 5, 6, 10] {
        let a = answer(&got, id.into());
        assert_eq!(a["error"]["code"], -32602, "id {id}: {a}");
    }
    // Not a request object: -32600, with the id when there is one (JSON-RPC requires it).
    assert_eq!(answer(&got, 11.into())["error"]["code"], -32600);
    assert!(
        got.iter()
            .any(|m| m["error"]["code"] == -32600 && m["id"].is_null()),
        "the array is answered with id null: {got:?}"
    );
    assert!(
        got.iter().all(|m| m.get("id").is_some()),
        "every answer has an id member: {got:?}"
    );
    let bad_args = answer(&got, 7.into());
    assert_eq!(bad_args["result"]["isError"], true, "{bad_args}");
    let text = bad_args["result"]["content"][0]["text"].as_str().unwrap();
    for says in [
        "\"query\" must be a string",
        "\"limit\" must be an integer",
        "\"extra\"",
    ] {
        assert!(text.contains(says), "{says}: {text}");
    }
    let missing = answer(&got, 8.into());
    assert_eq!(missing["result"]["isError"], true, "{missing}");
    assert!(
        missing["result"]["content"][0]["text"]
            .as_str()
            .unwrap()
            .contains("\"method\" is required"),
        "{missing}"
    );
    let list = answer(&got, 9.into());
    assert_eq!(
        list["result"]["tools"].as_array().unwrap().len(),
        3,
        "{list}"
    );
}

/// `call_method` never pulls media into a tool result: a download (alt=media, or a method
/// that only returns media) and an upload are refused before any request, as a tool error
/// that tells the agent which command does it.
#[tokio::test(flavor = "multi_thread")]
async fn mcp_refuses_media_before_sending_anything() {
    let setup = Setup::new(true).await;
    common::login_loopback(&setup, &["--scope", "drive"]).await;
    // A file with content: what alt=media would pull into memory whole.
    let content = setup.dir.path().join("data.bin");
    std::fs::write(&content, vec![7u8; 1 << 20]).unwrap();
    let created = setup
        .api(&[
            "drive",
            "files",
            "create",
            "--upload",
            content.to_str().unwrap(),
            "--jq",
            ".id",
        ])
        .await;
    assert_eq!(created.code, 0, "{}", created.stderr);
    let id = created.stdout.trim().to_string();
    let log = format!("{}/__emulator/requests", setup.base());
    reqwest::Client::new().delete(&log).send().await.unwrap();
    let call = |n: u32, method: &str, params: serde_json::Value| {
        tool_call(
            n,
            serde_json::json!("call_method"),
            serde_json::json!({"api": "drive", "method": method, "params": params}),
        )
    };
    let lines = [
        call(
            2,
            "files.get",
            serde_json::json!({"fileId": id, "alt": "media"}),
        ),
        call(
            3,
            "files.export",
            serde_json::json!({"fileId": id, "mimeType": "text/plain"}),
        ),
        call(
            4,
            "files.create",
            serde_json::json!({"uploadType": "media"}),
        ),
    ];
    let got = raw_session(&setup, &[], &lines).await;
    for (n, says) in [(2, "-o FILE"), (3, "-o FILE"), (4, "--upload FILE")] {
        let a = answer(&got, n.into());
        assert_eq!(a["result"]["isError"], true, "{a}");
        let text = a["result"]["content"][0]["text"].as_str().unwrap();
        assert!(text.contains("Nothing was sent"), "{text}");
        assert!(text.contains(says), "{text}");
    }
    assert!(
        answer(&got, 2.into())["result"]["content"][0]["text"]
            .as_str()
            .unwrap()
            .contains(&format!("gapi drive files get -p fileId={id} -o FILE")),
        "the command to run instead: {got:?}"
    );
    let seen: serde_json::Value = reqwest::get(&log).await.unwrap().json().await.unwrap();
    let sent: Vec<&serde_json::Value> = seen["requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| !r["path"].as_str().unwrap_or("").starts_with("/__emulator"))
        .collect();
    assert!(sent.is_empty(), "no request at all: {sent:?}");
}
