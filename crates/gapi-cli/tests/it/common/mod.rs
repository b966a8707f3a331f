//! Shared helpers for the CLI tests: an emulator per test, a private config folder, and the
//! `gapi` binary run as a child process with a clean environment.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use gapi_emulator::{Emulator, EmulatorConfig, RunningEmulator};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// An emulator plus a private gapi config folder and a client_secret.json for it.
pub struct Setup {
    pub emulator: RunningEmulator,
    pub dir: tempfile::TempDir,
    pub secrets: PathBuf,
}

impl Setup {
    pub async fn new(auto_approve: bool) -> Setup {
        Self::with_config(EmulatorConfig {
            auto_approve,
            ..Default::default()
        })
        .await
    }

    pub async fn with_config(config: EmulatorConfig) -> Setup {
        init();
        let emulator = Emulator::start(config).await.expect("emulator starts");
        let dir = tempfile::tempdir().expect("temp dir");
        let secrets = dir.path().join("client_secret.json");
        emulator
            .write_client_secrets(&secrets)
            .expect("write client secrets");
        Setup {
            emulator,
            dir,
            secrets,
        }
    }

    pub fn base(&self) -> String {
        self.emulator.base_url()
    }

    pub fn config_dir(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    /// `gapi` with this setup's config folder and no way to reach a real browser.
    pub fn gapi(&self) -> Command {
        gapi_in(&self.config_dir())
    }

    /// Runs `gapi ARGS` in this setup and waits for it.
    pub async fn run(&self, args: &[&str]) -> Output {
        let mut cmd = self.gapi();
        cmd.args(args);
        run(cmd).await
    }

    /// Runs `gapi ARGS --endpoint <emulator>/`: an API call that goes to this emulator.
    pub async fn api(&self, args: &[&str]) -> Output {
        let mut cmd = self.gapi();
        cmd.args(args)
            .args(["--endpoint", &format!("{}/", self.base())]);
        run(cmd).await
    }

    /// POSTs `body` to this emulator's control API `/__emulator/<path>` (a 200 with JSON).
    pub async fn control(&self, path: &str, body: serde_json::Value) -> serde_json::Value {
        gapi_testkit::emulator::control(self.base(), path, body).await
    }
}

/// reqwest needs a rustls crypto provider chosen before its first client.
pub fn init() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// The `gapi` binary with `GAPI_CONFIG_DIR` set and browser/display variables removed.
pub fn gapi_in(config: &Path) -> Command {
    init();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gapi"));
    cmd.env("GAPI_CONFIG_DIR", config)
        .env_remove("BROWSER")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("GAPI_PROFILE")
        .env_remove("GAPI_ENDPOINT")
        .env_remove("GAPI_CLIENT_SECRETS")
        .env_remove("GOOGLE_APPLICATION_CREDENTIALS")
        .env("CLOUDSDK_CONFIG", config.join("no-gcloud"))
        .env("NO_COLOR", "1")
        .kill_on_drop(true)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// Output of a finished command.
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub async fn run(mut cmd: Command) -> Output {
    let out = tokio::time::timeout(Duration::from_secs(60), cmd.output())
        .await
        .expect("gapi finished within 60 s")
        .expect("gapi ran");
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Reads the child's stderr until a line contains `needle`; returns that line and the lines
/// read so far. The rest of stderr keeps flowing into a background task.
pub async fn wait_for_line(child: &mut Child, needle: &str) -> (String, String) {
    let stderr = child.stderr.take().expect("stderr piped");
    let mut lines = BufReader::new(stderr).lines();
    let mut seen = String::new();
    let found = tokio::time::timeout(Duration::from_secs(30), async {
        while let Ok(Some(line)) = lines.next_line().await {
            seen.push_str(&line);
            seen.push('\n');
            if line.contains(needle) {
                return Some(line);
            }
        }
        None
    })
    .await;
    let line = match found {
        Ok(Some(line)) => line,
        other => panic!("no stderr line containing {needle:?} ({other:?}); stderr so far:\n{seen}"),
    };
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    (line, seen)
}

/// The first http(s) URL in a line of text.
pub fn url_in(line: &str) -> String {
    let start = line.find("http").expect("a URL in the line");
    line[start..].split_whitespace().next().unwrap().to_string()
}

/// The five most recently modified (by the user) seeded files, as the emulator lists them.
pub fn newest_five(email: &str) -> Vec<String> {
    let mut files: Vec<_> = gapi_emulator::seeded_files(email);
    files.sort_by(|a, b| b.modified_by_me_time.cmp(&a.modified_by_me_time));
    files.into_iter().take(5).map(|f| f.name).collect()
}

/// Logs in with the loopback flow, acting as the browser with plain reqwest.
pub async fn login_loopback(setup: &Setup, extra: &[&str]) {
    let mut cmd = setup.gapi();
    cmd.args(["auth", "login", "--no-browser", "--client-secrets"])
        .arg(&setup.secrets)
        .args(extra);
    let mut child = cmd.spawn().expect("spawn gapi");
    let (line, _) = wait_for_line(&mut child, "/o/oauth2/auth?").await;
    // The emulator auto-approves and redirects to gapi's loopback server.
    let resp = reqwest::get(url_in(&line)).await.expect("browser step");
    assert!(
        resp.status().is_success(),
        "success page: {}",
        resp.status()
    );
    let page = resp.text().await.unwrap();
    assert!(
        !page.contains("code="),
        "the success page must not show the code"
    );
    let status = child.wait().await.unwrap();
    assert!(status.success(), "gapi auth login failed: {status}");
}

/// The `name` of each file in a `files.list` response.
pub fn file_names(list: &serde_json::Value) -> Vec<String> {
    list["files"]
        .as_array()
        .expect("a files array")
        .iter()
        .map(|f| f["name"].as_str().expect("a name").to_string())
        .collect()
}
