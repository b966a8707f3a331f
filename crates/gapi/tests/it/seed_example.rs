//! The seed's complete example (`examples/list_drive_files.rs`) run as a user would, against
//! the emulator: loopback login (this test plays the browser), then the five newest files.

use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};

#[tokio::test(flavor = "multi_thread")]
async fn list_drive_files_example_prints_the_five_newest() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let emulator = gapi_emulator::Emulator::start(gapi_emulator::EmulatorConfig {
        auto_approve: true,
        ..Default::default()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let secrets = dir.path().join("client_secret.json");
    emulator.write_client_secrets(&secrets).unwrap();

    let bin = gapi_testkit::process::example_binary("list_drive_files");
    assert!(bin.exists(), "{} is built by `cargo test`", bin.display());
    let mut child = tokio::process::Command::new(&bin)
        .arg(&secrets)
        .env("GAPI_ENDPOINT", format!("{}/", emulator.base_url()))
        .env_remove("BROWSER")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let url = tokio::time::timeout(Duration::from_secs(30), async {
        while let Ok(Some(line)) = lines.next_line().await {
            if line.contains("/o/oauth2/auth?")
                && let Some(i) = line.find("http")
            {
                return line[i..].trim().to_string();
            }
        }
        panic!("the example printed no authorization URL");
    })
    .await
    .unwrap();
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    // Play the browser: the emulator approves and redirects to the example's loopback server.
    assert!(reqwest::get(url).await.unwrap().status().is_success());
    let out = tokio::time::timeout(Duration::from_secs(30), child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("pretty JSON on stdout");
    let names: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    let mut seeded = gapi_emulator::seeded_files("alice@example.com");
    seeded.sort_by(|a, b| b.modified_by_me_time.cmp(&a.modified_by_me_time));
    let expected: Vec<String> = seeded.into_iter().take(5).map(|f| f.name).collect();
    assert_eq!(names, expected);
}
