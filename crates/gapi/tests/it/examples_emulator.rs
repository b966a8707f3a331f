//! Every example of `crates/gapi/examples/` run as a user runs it, against the emulator started
//! here: in a directory of its own holding what the example reads (client_secret.json, a
//! service-account key, report.csv), `GAPI_ENDPOINT` pointing Drive calls at the emulator,
//! `HOME` and gcloud's directory inside it, and this test playing the browser when the
//! example prints an authorization URL.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use gapi::auth::{Credentials, LoadOptions};
use gapi_emulator::{Emulator, EmulatorConfig, RunningEmulator};
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, BufReader};

const ROBOT: &str = "robot@gapi-emulator.iam.gserviceaccount.com";

async fn emulator() -> RunningEmulator {
    let _ = rustls::crypto::ring::default_provider().install_default();
    Emulator::start(EmulatorConfig {
        auto_approve: true,
        ..Default::default()
    })
    .await
    .expect("the emulator starts")
}

/// What one run of an example did.
struct Run {
    success: bool,
    stdout: String,
    stderr: String,
    /// How many authorization URLs it printed (each one visited, as a browser would).
    consents: usize,
}

/// Runs example `name` in `dir` with `env`, playing the browser for every authorization URL.
async fn run_example(
    name: &str,
    emu: &RunningEmulator,
    dir: &Path,
    args: &[&str],
    env: &[(&str, &Path)],
) -> Run {
    let bin = gapi_testkit::process::example_binary(name);
    assert!(bin.exists(), "{} is built by `cargo test`", bin.display());
    let mut cmd = tokio::process::Command::new(&bin);
    cmd.args(args)
        .current_dir(dir)
        .env("GAPI_ENDPOINT", format!("{}/", emu.base_url()))
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join(".config"))
        .env("CLOUDSDK_CONFIG", dir.join("gcloud"))
        .env_remove("GOOGLE_APPLICATION_CREDENTIALS")
        .env_remove("BROWSER")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("the example starts");
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let browser = tokio::spawn(async move {
        let (mut text, mut consents) = (String::new(), 0);
        while let Ok(Some(line)) = lines.next_line().await {
            if line.contains("/o/oauth2/auth?")
                && let Some(i) = line.find("http")
            {
                consents += 1;
                let page = reqwest::get(line[i..].trim()).await.expect("consent page");
                assert!(page.status().is_success(), "consent: {}", page.status());
            }
            text.push_str(&line);
            text.push('\n');
        }
        (text, consents)
    });
    let out = tokio::time::timeout(Duration::from_secs(60), child.wait_with_output())
        .await
        .expect("the example ends")
        .unwrap();
    let (stderr, consents) = browser.await.unwrap();
    Run {
        success: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr,
        consents,
    }
}

/// The Drive service the emulator's service account sees, for setting up and checking.
fn robot_drive(emu: &RunningEmulator) -> gapi::Service {
    let key = emu.service_account_key_json().to_string();
    let opts = LoadOptions {
        scopes: vec!["drive".into()],
        ..Default::default()
    };
    gapi::Service::builder()
        .bundled("drive", "v3")
        .auth(Credentials::from_json(&key, &opts).unwrap())
        .endpoint(emu.base_url())
        .build()
        .unwrap()
}

fn alice_file_names() -> Vec<String> {
    let mut names: Vec<String> = gapi_emulator::seeded_files("alice@example.com")
        .into_iter()
        .map(|f| f.name)
        .collect();
    names.sort();
    names
}

#[tokio::test(flavor = "multi_thread")]
async fn pages_upload_download_lists_every_page_and_downloads_what_it_uploaded() {
    let emu = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    emu.write_client_secrets(&dir.path().join("client_secret.json"))
        .unwrap();
    let report: String = (0..2000).map(|i| format!("{i},row {i},\u{e9}\n")).collect();
    std::fs::write(dir.path().join("report.csv"), &report).unwrap();

    let run = run_example("pages_upload_download", &emu, dir.path(), &[], &[]).await;
    assert!(run.success, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.consents, 1);
    let mut listed: Vec<String> = run
        .stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<String>(l).ok())
        .collect();
    listed.sort();
    // 30 files at 10 a page: three pages, every file once.
    assert_eq!(listed, alice_file_names());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("copy.csv")).unwrap(),
        report
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn service_account_example_lists_the_robots_files() {
    let emu = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("service_account.json");
    emu.write_service_account_key(&key).unwrap();
    robot_drive(&emu)
        .method("files.create")
        .unwrap()
        .body(serde_json::json!({ "name": "quarterly.txt" }))
        .execute()
        .await
        .unwrap();

    let run = run_example("service_account", &emu, dir.path(), &[], &[]).await;
    assert!(run.success, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.consents, 0, "a service account needs no browser");
    let list: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(list["files"][0]["name"], "quarterly.txt", "{list:#}");
}

#[tokio::test(flavor = "multi_thread")]
async fn application_default_example_runs_as_google_application_credentials_says() {
    let emu = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("key.json");
    emu.write_service_account_key(&key).unwrap();

    let env = [("GOOGLE_APPLICATION_CREDENTIALS", key.as_path())];
    let run = run_example("application_default", &emu, dir.path(), &[], &env).await;
    assert!(run.success, "{}{}", run.stdout, run.stderr);
    let about: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(about["user"]["emailAddress"], ROBOT, "{about:#}");

    // Without it (and no gcloud file, no metadata server) it fails saying so, not panicking.
    let run = run_example("application_default", &emu, dir.path(), &[], &[]).await;
    assert!(!run.success);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn batch_example_creates_three_folders_in_one_request() {
    let emu = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    emu.write_service_account_key(&dir.path().join("service_account.json"))
        .unwrap();

    let run = run_example("batch", &emu, dir.path(), &[], &[]).await;
    assert!(run.success, "{}{}", run.stdout, run.stderr);
    let created: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(created.len(), 3, "{}", run.stdout);
    for (line, year) in created.iter().zip(["2024", "2025", "2026"]) {
        assert!(line.starts_with(&format!("created \"{year}\"")), "{line}");
    }
    let folders = robot_drive(&emu)
        .method("files.list")
        .unwrap()
        .param("q", "mimeType = 'application/vnd.google-apps.folder'")
        .param("orderBy", "name")
        .items("files")
        .collect_all()
        .await
        .unwrap();
    let names: Vec<&str> = folders.iter().filter_map(|f| f["name"].as_str()).collect();
    assert_eq!(names, ["2024", "2025", "2026"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn persist_login_example_signs_in_once_then_reuses_token_json() {
    let emu = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    emu.write_client_secrets(&dir.path().join("client_secret.json"))
        .unwrap();

    let first = run_example("persist_login", &emu, dir.path(), &[], &[]).await;
    assert!(first.success, "{}{}", first.stdout, first.stderr);
    assert_eq!(first.consents, 1);
    let token = dir.path().join("token.json");
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&token).unwrap()).unwrap();
    assert_eq!(saved["type"], "authorized_user");

    let second = run_example("persist_login", &emu, dir.path(), &[], &[]).await;
    assert!(second.success, "{}{}", second.stdout, second.stderr);
    assert_eq!(second.consents, 0, "the second run opens no browser");
    let a: Value = serde_json::from_str(&first.stdout).unwrap();
    let b: Value = serde_json::from_str(&second.stdout).unwrap();
    assert_eq!(a, b);
}

#[tokio::test(flavor = "multi_thread")]
async fn typed_drive_example_prints_the_five_newest_through_the_typed_module() {
    let emu = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    emu.write_client_secrets(&dir.path().join("client_secret.json"))
        .unwrap();

    let run = run_example("typed_drive", &emu, dir.path(), &[], &[]).await;
    assert!(run.success, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.consents, 1);
    let names: Vec<&str> = run
        .stdout
        .lines()
        .map(|l| l.split_once("  ").expect("id  name").1)
        .collect();
    let mut seeded = gapi_emulator::seeded_files("alice@example.com");
    seeded.sort_by(|a, b| b.modified_by_me_time.cmp(&a.modified_by_me_time));
    let newest: Vec<String> = seeded.into_iter().take(5).map(|f| f.name).collect();
    assert_eq!(names, newest);
}
