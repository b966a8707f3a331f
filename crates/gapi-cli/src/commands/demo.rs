//! `gapi demo`: the seed's complete example, narrated, against the built-in emulator.
//!
//! Starts the emulator, writes its client_secret.json, runs the installed-app flow exactly as
//! the seed does (loopback redirect), builds Drive v3 from the emulator's Discovery document,
//! and prints the five files the test user modified most recently. stdout gets only the JSON;
//! stderr tells the story.

use std::process::ExitCode;
use std::time::{Duration, Instant, SystemTime};

use anyhow::Context;
use gapi_auth::{ClientSecrets, InstalledFlow, LocalServer};
use gapi_emulator::{Emulator, EmulatorConfig};

use crate::cli::DemoArgs;

/// The seed's scope: read-only access to file metadata.
const SCOPE: &str = "https://www.googleapis.com/auth/drive.metadata.readonly";
/// How long to wait for a person to click Allow.
const CONSENT_TIMEOUT: Duration = Duration::from_secs(300);

fn say(step: &str, text: &str) {
    eprintln!("[{step}] {text}");
}

/// True when opening a browser can reach a person: `$BROWSER`, or a desktop session.
fn browser_available() -> bool {
    let set = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty());
    if set("BROWSER") {
        return true;
    }
    if cfg!(any(target_os = "macos", target_os = "windows")) {
        return true;
    }
    set("DISPLAY") || set("WAYLAND_DISPLAY")
}

/// Shows a URL with the `state` value hidden (it guards this login against forgery).
fn redacted(url: &url::Url) -> String {
    let mut shown = url.clone();
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| {
            let v = if matches!(k.as_ref(), "state" | "code") {
                "[redacted]".into()
            } else {
                v.into_owned()
            };
            (k.into_owned(), v)
        })
        .collect();
    shown.query_pairs_mut().clear().extend_pairs(pairs);
    shown.to_string()
}

/// Runs the demo.
pub async fn run(args: DemoArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let browser = !args.headless && browser_available();

    say(
        "1/6",
        "starting the local Google emulator (OAuth, Discovery, Drive v3) on 127.0.0.1",
    );
    let emulator = Emulator::start(EmulatorConfig {
        auto_approve: !browser,
        ..Default::default()
    })
    .await
    .context("could not start the emulator")?;
    let base = emulator.base_url();
    say("1/6", &format!("emulator listening at {base}"));

    let dir = tempfile::tempdir().context("could not create a temporary folder")?;
    let secrets_path = dir.path().join("client_secret.json");
    emulator.write_client_secrets(&secrets_path)?;
    let secrets = ClientSecrets::from_file(&secrets_path)?;
    say(
        "2/6",
        &format!(
            "read {} (\"installed\" client {}, client secret [redacted])",
            secrets_path.display(),
            secrets.client_id
        ),
    );

    let flow = InstalledFlow::new(secrets, [SCOPE]);
    say(
        "3/6",
        &format!("authorizing: scope {SCOPE}, loopback redirect, PKCE (S256) and state"),
    );
    let mut server = LocalServer::new()
        .timeout(CONSENT_TIMEOUT)
        .open_browser(browser);
    server = server.on_url(Box::new(move |url: &url::Url| {
        say("3/6", &format!("authorization URL: {}", redacted(url)));
        if browser {
            say("3/6", "opened it in your browser: pick a test user and click Allow (waiting up to 5 minutes)");
        } else {
            say("3/6", "no browser here (or --headless): the emulator approves as alice@example.com by itself");
            // Act as the browser: follow the emulator's redirect back to our loopback server.
            let url = url.clone();
            tokio::spawn(async move {
                let client = reqwest::Client::new();
                if let Err(e) = client.get(url).send().await {
                    eprintln!("[3/6] the automatic approval failed: {e}");
                }
            });
        }
    }));
    let creds = flow.run_local_server(server).await?;
    let expires_in = creds
        .expiry()
        .and_then(|e| e.duration_since(SystemTime::now()).ok())
        .map(|d| format!("{} s", d.as_secs()))
        .unwrap_or_else(|| "unknown time".into());
    say(
        "4/6",
        &format!(
            "redirect received on the loopback server, state checked, code exchanged at {base}/token: \
             access token [redacted] (valid {expires_in}), refresh token {}",
            if creds.has_refresh_token() {
                "[redacted]"
            } else {
                "none"
            }
        ),
    );

    let doc_url = format!("{base}/discovery/v1/apis/drive/v3/rest");
    let doc = reqwest::get(&doc_url)
        .await
        .and_then(|r| r.error_for_status())
        .with_context(|| format!("could not fetch {doc_url}"))?
        .text()
        .await?;
    let drive = gapi_client::Service::builder()
        .document(doc.as_str())
        .auth(creds)
        .build()?;
    say(
        "5/6",
        &format!(
            "built Drive v3 from its Discovery document ({doc_url}, {} bytes)",
            doc.len()
        ),
    );

    let call = drive
        .method("files.list")?
        .param("pageSize", 5)
        .param("orderBy", "modifiedByMeTime desc");
    let prepared = call.prepare()?;
    say("6/6", &format!("{} {}", prepared.method, prepared.url));
    let files = call.execute().await?;
    let count = files["files"].as_array().map(Vec::len).unwrap_or(0);
    println!("{}", serde_json::to_string_pretty(&files)?);
    say(
        "done",
        &format!(
            "{count} files, newest first; whole demo took {} ms",
            started.elapsed().as_millis()
        ),
    );
    emulator.shutdown().await;
    Ok(ExitCode::SUCCESS)
}
