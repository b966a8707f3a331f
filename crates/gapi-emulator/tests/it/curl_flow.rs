//! Runs tests/curl-flow.sh (curl + openssl only) against a started emulator: the issue's
//! "done when" for the emulator.

use gapi_emulator::seeded_files;
use gapi_testkit::emulator::*;
use serde_json::Value;

#[tokio::test]
async fn curl_script_runs_the_pkce_flow_and_lists_newest_files() {
    let emu = start(true).await;
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/curl-flow.sh");
    let output = tokio::process::Command::new("sh")
        .arg(script)
        .arg(emu.base_url())
        .output()
        .await
        .expect("sh runs (the script needs curl and openssl)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "script failed\nstdout: {stdout}\nstderr: {stderr}"
    );
    assert!(!stderr.contains("ya29."), "the token is never printed");
    let v: Value = serde_json::from_str(stdout.trim()).expect("the script prints the JSON list");
    let mut seeded = seeded_files("alice@example.com");
    seeded.sort_by(|a, b| b.modified_by_me_time.cmp(&a.modified_by_me_time));
    let got: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    let want: Vec<&str> = seeded.iter().take(5).map(|f| f.name.as_str()).collect();
    assert_eq!(got, want);
}
