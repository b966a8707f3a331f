//! A policy (`--allow`, `--read-only`, `GAPI_READ_ONLY`) means what it says in every entry:
//! flags before and after the API name, the environment, each `--batch` line and `gapi mcp`'s
//! `call_method`. It is judged on the request that would be sent (its URL resolved back to a
//! method), so path values cannot steer an allowed method's request to another method; a
//! refused call sends nothing (the emulator's request log, which counts every request it
//! gets, stays empty) and exits 2 naming the rule.

mod common;

use std::process::Stdio;

use common::Setup;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// The requests the emulator got since the last call (its control calls excluded), then
/// cleared.
async fn requests_since(setup: &Setup) -> Vec<Value> {
    let url = format!("{}/__emulator/requests", setup.base());
    let http = reqwest::Client::new();
    let log: Value = http.get(&url).send().await.unwrap().json().await.unwrap();
    http.delete(&url).send().await.unwrap();
    log["requests"].as_array().cloned().unwrap_or_default()
}

fn endpoint(setup: &Setup) -> String {
    format!("{}/", setup.base())
}

/// `(API words with their -p values, the policy flags)` of calls whose path values steer an
/// allowed method's request to another method.
fn steering_calls() -> Vec<(Vec<&'static str>, Vec<&'static str>)> {
    let secret_get = vec!["--allow", "secretmanager.projects.secrets.versions.get"];
    let permissions = vec!["--allow", "drive.permissions.get"];
    let files_get = vec!["--allow", "drive.files.get"];
    let get_versions = ["secretmanager", "projects", "secrets", "versions", "get"];
    let perm = ["drive", "permissions", "get", "-p", "fileId=F"];
    let with = |words: &[&'static str], more: &[&'static str]| [words, more].concat();
    vec![
        (
            with(
                &get_versions,
                &["-p", "name=projects/p/secrets/s/versions/latest:access"],
            ),
            secret_get.clone(),
        ),
        (
            with(
                &get_versions,
                &["-p", "name=projects/p/secrets/s/versions/latest%3Aaccess"],
            ),
            secret_get.clone(),
        ),
        (
            with(
                &get_versions,
                &["-p", "name=projects/p/secrets/s/versions/latest?:access"],
            ),
            secret_get,
        ),
        (with(&perm, &["-p", "permissionId=.."]), permissions.clone()),
        (
            with(&perm, &["-p", "permissionId=%2e%2e"]),
            permissions.clone(),
        ),
        (
            with(&perm, &["-p", "permissionId=..%2F..%2Fabout"]),
            permissions.clone(),
        ),
        (with(&perm, &["-p", "permissionId=x#"]), permissions),
        (
            vec!["drive", "files", "get", "-p", "fileId=generateIds"],
            files_get,
        ),
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn steering_path_values_are_refused_in_every_position_and_nothing_is_sent() {
    let setup = Setup::new(true).await;
    let ep = endpoint(&setup);
    let base = ["--anonymous", "--endpoint", ep.as_str()];
    requests_since(&setup).await;
    for (words, policy) in steering_calls() {
        // Flags after the API words, then the same flags before the API name.
        let after = [&words[..], &policy[..], &base[..]].concat();
        let before = [&policy[..], &words[..], &base[..]].concat();
        let dry = [&after[..], &["--dry-run"][..]].concat();
        for args in [after, before, dry] {
            let out = setup.run(&args).await;
            assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
            assert!(out.stdout.is_empty(), "{args:?} printed {}", out.stdout);
            let sent = requests_since(&setup).await;
            assert!(sent.is_empty(), "{args:?} sent {sent:?}");
        }
        let out = setup
            .run(&[&words[..], &policy[..], &base[..]].concat())
            .await;
        assert!(
            out.stderr.contains("refused by the policy")
                && (out.stderr.contains("path rule") || out.stderr.contains("allow-list")),
            "the rule is named: {}",
            out.stderr
        );
    }
    // The counter counts: the same methods with plain values are sent.
    for args in [
        &[
            "secretmanager",
            "projects",
            "secrets",
            "versions",
            "get",
            "-p",
            "name=projects/p/secrets/s/versions/latest",
            "--allow",
            "secretmanager.projects.secrets.versions.get",
        ][..],
        &[
            "drive",
            "permissions",
            "get",
            "-p",
            "fileId=F",
            "-p",
            "permissionId=P",
            "--allow",
            "drive.permissions.get",
        ][..],
    ] {
        let out = setup.run(&[args, &base[..]].concat()).await;
        assert_ne!(out.code, 2, "{args:?}: {}", out.stderr);
        assert_eq!(requests_since(&setup).await.len(), 1, "{args:?} was sent");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn gapi_read_only_in_the_environment_refuses_writes_and_lets_reads_go() {
    let setup = Setup::new(true).await;
    let ep = endpoint(&setup);
    let delete = [
        "drive",
        "files",
        "delete",
        "-p",
        "fileId=x",
        "--anonymous",
        "--endpoint",
        ep.as_str(),
    ];
    let list = ["drive", "files", "list", "--anonymous", "--endpoint", &ep];
    requests_since(&setup).await;
    for on in ["1", "true", "yes", "on"] {
        let mut cmd = setup.gapi();
        cmd.args(delete).env("GAPI_READ_ONLY", on);
        let out = common::run(cmd).await;
        assert_eq!(out.code, 2, "GAPI_READ_ONLY={on}: {}", out.stderr);
        assert!(out.stderr.contains("read-only rule"), "{}", out.stderr);
        assert!(requests_since(&setup).await.is_empty(), "{on}: sent");
        let mut cmd = setup.gapi();
        cmd.args(list).env("GAPI_READ_ONLY", on);
        let out = common::run(cmd).await;
        assert_ne!(
            out.code, 2,
            "GAPI_READ_ONLY={on} lets a GET go: {}",
            out.stderr
        );
        assert_eq!(requests_since(&setup).await.len(), 1, "{on}");
    }
    for off in ["0", "false", "no", "off"] {
        let mut cmd = setup.gapi();
        cmd.args(delete).env("GAPI_READ_ONLY", off);
        let out = common::run(cmd).await;
        assert_ne!(out.code, 2, "GAPI_READ_ONLY={off}: {}", out.stderr);
        assert_eq!(requests_since(&setup).await.len(), 1, "{off}: sent");
    }
    // The flag before the API name never lets the write through.
    let out = setup
        .run(&[&["--read-only"][..], &delete[..]].concat())
        .await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(requests_since(&setup).await.is_empty());
}

fn ndjson(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l:?}: {e}")))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn each_batch_line_is_judged_on_its_url() {
    let setup = Setup::new(true).await;
    let ep = endpoint(&setup);
    let file = setup.dir.path().join("calls.ndjson");
    let lines = [
        json!({"method": "permissions.get", "params": {"fileId": "F", "permissionId": "P"}}),
        json!({"method": "permissions.get", "params": {"fileId": "F", "permissionId": ".."}}),
        json!({"method": "drive.permissions.get", "params": {"fileId": "F", "permissionId": "%2e%2e"}}),
        json!({"method": "files.get", "params": {"fileId": "generateIds"}}),
        json!({"method": "files.delete", "params": {"fileId": "F"}}),
    ];
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(&file, &text).unwrap();
    let args = |more: &[&'static str]| -> Vec<String> {
        [
            &[
                "drive",
                "--batch",
                file.to_str().unwrap(),
                "--anonymous",
                "--endpoint",
                ep.as_str(),
                "--read-only",
                "--allow",
                "drive.permissions.get",
                "--allow",
                "drive.files.get",
                "--allow",
                "drive.files.delete",
            ][..],
            more,
        ]
        .concat()
        .into_iter()
        .map(String::from)
        .collect()
    };
    requests_since(&setup).await;
    let out = setup
        .run(&args(&[]).iter().map(String::as_str).collect::<Vec<_>>())
        .await;
    assert_ne!(out.code, 0, "{}", out.stderr);
    let got = ndjson(&out.stdout);
    assert_eq!(got.len(), 5, "{}", out.stdout);
    assert!(
        got[0]["status"].is_u64(),
        "the plain line was sent: {}",
        got[0]
    );
    for (i, rule) in [
        (1, "path rule"),
        (2, "path rule"),
        (3, "drive.files.generateIds"),
        (4, "read-only rule"),
    ] {
        assert!(got[i]["status"].is_null(), "line {i}: {}", got[i]);
        let err = got[i]["error"].as_str().unwrap();
        assert!(
            err.contains("refused by the policy") && err.contains(rule),
            "line {i}: {err}"
        );
    }
    // The emulator logs the batch and each part it carried: one part, the plain line.
    let sent = requests_since(&setup).await;
    let paths: Vec<&str> = sent.iter().filter_map(|r| r["path"].as_str()).collect();
    assert_eq!(
        paths,
        ["/batch/drive/v3", "/drive/v3/files/F/permissions/P"],
        "{sent:?}"
    );

    // Only refused lines: no request at all, and exit 2.
    std::fs::write(&file, text.lines().skip(1).collect::<Vec<_>>().join("\n")).unwrap();
    let out = setup
        .run(&args(&[]).iter().map(String::as_str).collect::<Vec<_>>())
        .await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(requests_since(&setup).await.is_empty());
}

/// A raw MCP client over the server's stdio: initialize, then one request at a time.
struct Mcp {
    child: tokio::process::Child,
    stdin: tokio::process::ChildStdin,
    lines: tokio::io::Lines<BufReader<tokio::process::ChildStdout>>,
    next_id: u64,
}

impl Mcp {
    async fn start(setup: &Setup, flags: &[&str], env: &[(&str, &str)]) -> Mcp {
        Mcp::start_after(setup, &[], flags, env).await
    }

    /// `gapi BEFORE... mcp FLAGS...`: global options may stand before the command name too.
    async fn start_after(
        setup: &Setup,
        before: &[&str],
        flags: &[&str],
        env: &[(&str, &str)],
    ) -> Mcp {
        let mut cmd = setup.gapi();
        cmd.args(before)
            .arg("mcp")
            .args(["--anonymous", "--endpoint", &endpoint(setup)])
            .args(flags)
            .env_remove("GAPI_READ_ONLY")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("gapi mcp starts");
        let stdin = child.stdin.take().unwrap();
        let lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut mcp = Mcp {
            child,
            stdin,
            lines,
            next_id: 1,
        };
        let init = mcp
            .request(
                "initialize",
                json!({"protocolVersion": "2025-06-18", "capabilities": {},
                       "clientInfo": {"name": "cli_policy", "version": "1"}}),
            )
            .await;
        assert_eq!(init["result"]["serverInfo"]["name"], "gapi", "{init}");
        let instructions = init["result"]["instructions"].as_str().unwrap_or("");
        assert!(
            instructions.contains("\"changes nothing\", not \"sends nothing\""),
            "the server tells the agent what read-only means: {instructions}"
        );
        mcp.send(json!({"jsonrpc": "2.0", "method": "notifications/initialized"}))
            .await;
        mcp
    }

    async fn send(&mut self, msg: Value) {
        let mut line = msg.to_string();
        line.push('\n');
        self.stdin.write_all(line.as_bytes()).await.unwrap();
        self.stdin.flush().await.unwrap();
    }

    async fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
            .await;
        loop {
            let line =
                tokio::time::timeout(std::time::Duration::from_secs(60), self.lines.next_line())
                    .await
                    .expect("the server answers")
                    .unwrap()
                    .unwrap_or_else(|| {
                        panic!("the server closed stdout before answering {method}")
                    });
            let v: Value = serde_json::from_str(&line).unwrap();
            if v["id"] == id {
                return v;
            }
        }
    }

    async fn call(&mut self, arguments: Value) -> Value {
        let v = self
            .request(
                "tools/call",
                json!({"name": "call_method", "arguments": arguments}),
            )
            .await;
        v["result"].clone()
    }

    async fn stop(mut self) {
        drop(self.stdin);
        let _ = tokio::time::timeout(std::time::Duration::from_secs(30), self.child.wait()).await;
    }
}

fn text_of(result: &Value) -> String {
    result["content"][0]["text"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn mcp_call_method_is_judged_on_its_url_and_reads_gapi_read_only() {
    let setup = Setup::new(true).await;
    requests_since(&setup).await;
    let mut mcp = Mcp::start(&setup, &["--allow", "drive.permissions.get"], &[]).await;
    for pid in ["..", "%2e%2e", "..%2F..%2Fabout", "P?x=1"] {
        let r = mcp
            .call(json!({"api": "drive", "method": "permissions.get",
                         "params": {"fileId": "F", "permissionId": pid}}))
            .await;
        assert_eq!(r["isError"], true, "{pid}: {r}");
        assert!(
            text_of(&r).contains("refused by the policy") && text_of(&r).contains("path rule"),
            "{pid}: {r}"
        );
    }
    assert!(
        requests_since(&setup).await.is_empty(),
        "refused calls sent nothing"
    );
    let r = mcp
        .call(json!({"api": "drive", "method": "permissions.get",
                     "params": {"fileId": "F", "permissionId": "P"}}))
        .await;
    assert!(!text_of(&r).contains("refused by the policy"), "{r}");
    assert_eq!(
        requests_since(&setup).await.len(),
        1,
        "the plain call was sent"
    );
    mcp.stop().await;

    // GAPI_READ_ONLY=1 alone makes the server read-only.
    let mut mcp = Mcp::start(&setup, &[], &[("GAPI_READ_ONLY", "1")]).await;
    let tools = mcp.request("tools/list", json!({})).await;
    let call_tool = tools["result"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "call_method")
        .cloned()
        .unwrap();
    assert_eq!(
        call_tool["annotations"]["readOnlyHint"], true,
        "{call_tool}"
    );
    let r = mcp
        .call(json!({"api": "drive", "method": "files.delete", "params": {"fileId": "F"}}))
        .await;
    assert_eq!(r["isError"], true, "{r}");
    assert!(text_of(&r).contains("read-only rule"), "{r}");
    assert!(requests_since(&setup).await.is_empty());
    let r = mcp
        .call(json!({"api": "drive", "method": "files.list"}))
        .await;
    assert!(!text_of(&r).contains("refused by the policy"), "{r}");
    assert_eq!(requests_since(&setup).await.len(), 1);
    mcp.stop().await;
}

#[tokio::test]
async fn help_says_read_only_means_changes_nothing_not_sends_nothing() {
    let dir = tempfile::tempdir().unwrap();
    for args in [&["mcp", "--help"][..], &["--help"][..]] {
        let mut cmd = common::gapi_in(dir.path());
        cmd.args(args);
        let out = common::run(cmd).await;
        assert_eq!(out.code, 0, "{}", out.stderr);
        let text = out.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            text.contains("changes nothing") && text.contains("sends nothing"),
            "{args:?}: {text}"
        );
    }
}

/// `--read-only` and `--allow` are global options: before the API name (or `mcp`) they are
/// enforced exactly as after it, in a single call, a `--batch` line and `gapi mcp` (once, a
/// flag before the name was an unknown argument: exit 2 for the wrong reason).
#[tokio::test(flavor = "multi_thread")]
async fn policy_flags_before_the_api_name_are_enforced() {
    let setup = Setup::new(true).await;
    let ep = endpoint(&setup);
    let target = ["--anonymous", "--endpoint", ep.as_str()];
    let delete = ["drive", "files", "delete", "-p", "fileId=F"];
    requests_since(&setup).await;
    let out = setup
        .run(&[&["--read-only"][..], &target, &delete].concat())
        .await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("read-only rule"), "{}", out.stderr);
    assert!(requests_since(&setup).await.is_empty(), "nothing was sent");

    let out = setup
        .run(&[&["--allow", "drive.files.get"][..], &target, &delete].concat())
        .await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("refused by the policy"),
        "{}",
        out.stderr
    );
    assert!(requests_since(&setup).await.is_empty(), "nothing was sent");
    // An allowed method is sent (the emulator then wants credentials): the flag was read,
    // not refused as an unknown argument.
    let out = setup
        .run(
            &[
                &["--allow", "drive.files.list"][..],
                &target,
                &["drive", "files", "list"],
            ]
            .concat(),
        )
        .await;
    assert_ne!(out.code, 2, "{}", out.stderr);
    assert_eq!(requests_since(&setup).await.len(), 1);

    // A --batch line.
    let file = setup.dir.path().join("delete.ndjson");
    std::fs::write(
        &file,
        format!(
            "{}\n",
            json!({"method": "files.delete", "params": {"fileId": "F"}})
        ),
    )
    .unwrap();
    let out = setup
        .run(
            &[
                &["--read-only"][..],
                &target,
                &["drive", "--batch", file.to_str().unwrap()],
            ]
            .concat(),
        )
        .await;
    let got = ndjson(&out.stdout);
    assert_eq!(got.len(), 1, "{}{}", out.stdout, out.stderr);
    let err = got[0]["error"].as_str().unwrap_or_default();
    assert!(err.contains("read-only rule"), "{}", got[0]);
    assert!(requests_since(&setup).await.is_empty(), "nothing was sent");

    // gapi mcp.
    let mut mcp = Mcp::start_after(&setup, &["--read-only"], &[], &[]).await;
    let r = mcp
        .call(json!({"api": "drive", "method": "files.delete", "params": {"fileId": "F"}}))
        .await;
    assert_eq!(r["isError"], true, "{r}");
    assert!(text_of(&r).contains("read-only rule"), "{r}");
    assert!(requests_since(&setup).await.is_empty());
    mcp.stop().await;
}
