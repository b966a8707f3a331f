//! `gapi mcp` driven by the official MCP Python SDK (PyPI `mcp`, from $GAPI_TEST_PYTHON) as
//! the client, against the emulator: three tools, real calls, Google's errors as tool errors,
//! `--read-only` and `--page-limit` enforced.

mod common;

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
