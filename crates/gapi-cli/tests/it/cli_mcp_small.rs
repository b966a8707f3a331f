//! `gapi mcp` keeps answers small (issue 19 §1): a list method called without `fields` asks
//! only for a default mask and says so in `_gapi_note`; given `fields` are sent as they are.
//! Driven by the official MCP Python SDK against the emulator.

use crate::common;

use common::Setup;
use serde_json::{Value, json};

async fn mcp_session(setup: &Setup, calls: Value) -> Value {
    let python = std::env::var("GAPI_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/python/mcp_calls.py");
    let mut cmd = tokio::process::Command::new(&python);
    cmd.arg(script)
        .arg(calls.to_string())
        .arg(env!("CARGO_BIN_EXE_gapi"))
        .args(["mcp", "--endpoint", &format!("{}/", setup.base())])
        .env("GAPI_CONFIG_DIR", setup.config_dir())
        .env_remove("GAPI_PROFILE")
        .env_remove("GAPI_ENDPOINT")
        .env_remove("GAPI_READ_ONLY")
        .env("CLOUDSDK_CONFIG", setup.config_dir().join("no-gcloud"))
        .kill_on_drop(true);
    let out = tokio::time::timeout(std::time::Duration::from_secs(120), cmd.output())
        .await
        .expect("the MCP session finished")
        .unwrap_or_else(|e| panic!("could not run {python}: {e}; source target/test-env.sh"));
    assert!(
        out.status.success(),
        "{python} {script} failed (is PyPI mcp installed? source target/test-env.sh): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the client printed JSON")
}

#[tokio::test(flavor = "multi_thread")]
async fn list_methods_get_a_default_field_mask_unless_fields_are_given() {
    let setup = Setup::new(true).await;
    common::login_loopback(&setup, &["--scope", "drive"]).await;
    let out = mcp_session(
        &setup,
        json!([
            ["call_method", {"api": "drive", "method": "files.list"}],
            ["call_method", {"api": "drive", "method": "files.list",
                             "params": {"fields": "files(id,name,size,parents)"}}],
            ["call_method", {"api": "drive", "method": "about.get", "params": {"fields": "user"}}],
        ]),
    )
    .await;
    let results = out["results"].as_array().unwrap();
    let trimmed: Value = serde_json::from_str(results[0]["text"].as_str().unwrap()).unwrap();
    let note = trimmed["_gapi_note"].as_str().unwrap_or_default();
    assert!(
        note.contains("nextPageToken,files(id,name,kind,mimeType")
            && note.contains("params.fields"),
        "{trimmed}"
    );
    let files = trimmed["files"].as_array().unwrap();
    assert!(!files.is_empty(), "{trimmed}");
    for f in files {
        for key in f.as_object().unwrap().keys() {
            assert!(
                [
                    "id",
                    "name",
                    "kind",
                    "mimeType",
                    "modifiedTime",
                    "createdTime"
                ]
                .contains(&key.as_str())
                    || note.contains(key.as_str()),
                "{key} was not asked for: {f}"
            );
        }
    }
    // Given fields are sent as given (no note, the fields asked for come back).
    let given: Value = serde_json::from_str(results[1]["text"].as_str().unwrap()).unwrap();
    assert!(given.get("_gapi_note").is_none(), "{given}");
    let first = &given["files"][0];
    assert!(
        first.get("parents").is_some() && first.get("mimeType").is_none(),
        "{given}"
    );
    // A method that is not a list is left alone.
    let about: Value = serde_json::from_str(results[2]["text"].as_str().unwrap()).unwrap();
    assert!(
        about.get("_gapi_note").is_none() && about.get("user").is_some(),
        "{about}"
    );
}
