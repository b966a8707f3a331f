//! `gapi auth ...` end to end against the emulator: loopback, console and device logins, the
//! stored file, refresh past expiry, status, revoke.

use crate::common;

use std::os::unix::fs::PermissionsExt;
use std::process::Stdio;

use common::{Setup, url_in, wait_for_line};
use tokio::io::AsyncWriteExt;

#[tokio::test(flavor = "multi_thread")]
async fn loopback_login_then_list_refresh_status_revoke() {
    let setup = Setup::new(true).await;
    common::login_loopback(&setup, &["--scope", "drive.readonly"]).await;

    let file = setup.config_dir().join("credentials/default.json");
    let meta = std::fs::metadata(&file).expect("credentials file written");
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    let stored: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(stored["type"], "authorized_user");
    assert!(
        stored["refresh_token"]
            .as_str()
            .is_some_and(|t| !t.is_empty())
    );

    // The seed's call, with the stored credentials.
    let out = setup
        .api(&[
            "drive",
            "files",
            "list",
            "-p",
            "pageSize=5",
            "-p",
            "orderBy=modifiedByMeTime desc",
        ])
        .await;
    assert_eq!(out.code, 0, "stderr: {}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let names = common::file_names(&v);
    assert_eq!(names, common::newest_five("alice@example.com"));

    // An access token the server no longer accepts: the next API call gets a 401, refreshes
    // once, retries, and persists the new token, which print-access-token then prints.
    let first = setup.run(&["auth", "print-access-token"]).await;
    assert_eq!(first.code, 0, "{}", first.stderr);
    setup.control("tokens/expire", serde_json::json!({})).await;
    let about = setup
        .api(&["drive", "about", "get", "--fields", "user"])
        .await;
    assert_eq!(about.code, 0, "401 -> refresh -> retry: {}", about.stderr);
    let second = setup.run(&["auth", "print-access-token"]).await;
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert_ne!(
        first.stdout.trim(),
        second.stdout.trim(),
        "the token was refreshed and stored"
    );
    let info = reqwest::get(format!(
        "{}/tokeninfo?access_token={}",
        setup.base(),
        second.stdout.trim()
    ))
    .await
    .unwrap();
    assert!(
        info.status().is_success(),
        "the printed token is valid at the server"
    );

    let status = setup.run(&["auth", "status", "--format", "json"]).await;
    assert_eq!(status.code, 0, "{}", status.stderr);
    let s: serde_json::Value = serde_json::from_str(&status.stdout).unwrap();
    assert_eq!(s["account"], "alice@example.com");
    assert!(s["scopes"].to_string().contains("drive.readonly"));
    assert!(
        !status.stdout.contains(second.stdout.trim()),
        "status never prints the token"
    );

    let revoke = setup.run(&["auth", "revoke"]).await;
    assert_eq!(revoke.code, 0, "{}", revoke.stderr);
    assert!(!file.exists(), "revoke deletes the credentials file");
    let after = setup.run(&["auth", "print-access-token"]).await;
    assert_eq!(
        after.code, 3,
        "no credentials is an auth error: {}",
        after.stderr
    );
    assert!(after.stderr.contains("gapi auth login"), "{}", after.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn print_access_token_refreshes_a_token_past_its_expiry() {
    // Tokens live 2 s: well inside the refresh margin, and dead by the time we ask.
    let setup = Setup::with_config(gapi_emulator::EmulatorConfig {
        auto_approve: true,
        token_lifetime: std::time::Duration::from_secs(2),
        ..Default::default()
    })
    .await;
    common::login_loopback(&setup, &[]).await;
    let stored: serde_json::Value = serde_json::from_slice(
        &std::fs::read(setup.config_dir().join("credentials/default.json")).unwrap(),
    )
    .unwrap();
    let old = stored["token"].as_str().unwrap().to_string();
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    let dead = reqwest::get(format!("{}/tokeninfo?access_token={old}", setup.base()))
        .await
        .unwrap();
    assert!(
        !dead.status().is_success(),
        "the login's token has expired at the server"
    );
    let out = setup.run(&["auth", "print-access-token"]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let fresh = out.stdout.trim();
    assert_ne!(fresh, old);
    let info = reqwest::get(format!("{}/tokeninfo?access_token={fresh}", setup.base()))
        .await
        .unwrap();
    assert!(info.status().is_success(), "the printed token is valid");
}

#[tokio::test(flavor = "multi_thread")]
async fn console_login_reads_the_code_from_stdin() {
    let setup = Setup::new(true).await;
    let mut cmd = setup.gapi();
    cmd.args(["auth", "login", "--console", "--client-secrets"])
        .arg(&setup.secrets)
        .stdin(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let (line, _) = wait_for_line(&mut child, "/o/oauth2/auth?").await;
    let url = url_in(&line);
    assert!(
        url.contains("redirect_uri=urn%3Aietf%3Awg%3Aoauth%3A2.0%3Aoob"),
        "{url}"
    );
    // The OOB page carries the code in its title.
    let page = reqwest::get(url).await.unwrap().text().await.unwrap();
    let title_start = page
        .find("<title>Success code=")
        .expect("an oob success page")
        + "<title>Success code=".len();
    let code = &page[title_start..page[title_start..].find("</title>").unwrap() + title_start];
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(format!("{code}\n").as_bytes())
        .await
        .unwrap();
    drop(stdin);
    let status = child.wait().await.unwrap();
    assert!(status.success());
    assert!(setup.config_dir().join("credentials/default.json").exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn device_login_polls_until_approved() {
    let setup = Setup::new(false).await;
    let mut cmd = setup.gapi();
    cmd.args(["auth", "login", "--device", "--client-secrets"])
        .arg(&setup.secrets);
    let mut child = cmd.spawn().unwrap();
    let (_, seen) = wait_for_line(&mut child, "code").await;
    // Find the user code the CLI showed and approve it through the emulator's control API.
    let user_code = seen
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .find(|w| w.len() >= 8 && w.contains('-') && w.chars().any(|c| c.is_ascii_uppercase()))
        .unwrap_or_else(|| panic!("no user code in: {seen}"))
        .to_string();
    setup
        .control(
            "device/approve",
            serde_json::json!({"user_code": user_code}),
        )
        .await;
    let status = tokio::time::timeout(std::time::Duration::from_secs(30), child.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(status.success());
    assert!(setup.config_dir().join("credentials/default.json").exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn denied_consent_ends_with_an_auth_error() {
    let setup = Setup::new(false).await;
    let mut cmd = setup.gapi();
    cmd.args([
        "auth",
        "login",
        "--no-browser",
        "--timeout",
        "20",
        "--client-secrets",
    ])
    .arg(&setup.secrets);
    let mut child = cmd.spawn().unwrap();
    let (line, _) = wait_for_line(&mut child, "/o/oauth2/auth?").await;
    // Act as the user: load the consent page, press Deny.
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::limited(5))
        .build()
        .unwrap();
    let page = http
        .get(url_in(&line))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let form = page_form(&page);
    let mut fields = form.hidden;
    fields.push(("decision".into(), "deny".into()));
    fields.push(("user".into(), "alice@example.com".into()));
    let action = format!("{}{}", setup.base(), form.action);
    let _ = http.post(action).form(&fields).send().await.unwrap();
    let out = child.wait_with_output().await.unwrap();
    assert_eq!(out.status.code(), Some(3), "access denied is an auth error");
}

struct Form {
    action: String,
    hidden: Vec<(String, String)>,
}

/// Pulls the form action and hidden inputs out of the consent page.
fn page_form(page: &str) -> Form {
    let attr = |tag: &str, name: &str| -> Option<String> {
        let key = format!("{name}=\"");
        let start = tag.find(&key)? + key.len();
        Some(tag[start..start + tag[start..].find('"')?].replace("&amp;", "&"))
    };
    let form_tag = &page[page.find("<form").expect("a form")..];
    let form_tag = &form_tag[..form_tag.find('>').unwrap()];
    let action = attr(form_tag, "action").unwrap_or_else(|| "/o/oauth2/approve".into());
    let mut hidden = Vec::new();
    for piece in page.split("<input").skip(1) {
        let tag = &piece[..piece.find('>').unwrap_or(piece.len())];
        if tag.contains("type=\"hidden\"")
            && let (Some(n), Some(v)) = (attr(tag, "name"), attr(tag, "value"))
        {
            hidden.push((n, v));
        }
    }
    Form { action, hidden }
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_redirect_uris_get_the_librarys_checked_error() {
    let setup = Setup::new(true).await;
    let secrets = setup.secrets.to_str().unwrap();
    for (uri, why) in [
        (
            "http://example.com/cb",
            "the host is not a loopback address",
        ),
        ("https://127.0.0.1/cb", "the scheme must be http"),
        ("http://127.0.0.1/cb?x=1", "must not have a query"),
        ("not a url", "cannot be served locally"),
    ] {
        let out = setup
            .run(&[
                "auth",
                "login",
                "--no-browser",
                "--timeout",
                "5",
                "--redirect-uri",
                uri,
                "--client-secrets",
                secrets,
            ])
            .await;
        assert_eq!(out.code, 2, "{uri}: a usage error: {}", out.stderr);
        assert!(
            out.stderr.contains(&format!(
                "the redirect URI `{uri}` cannot be served locally"
            )) && out.stderr.contains(why)
                && out.stderr.contains("http://127.0.0.1[:PORT][/path]"),
            "{uri}: {}",
            out.stderr
        );
        assert!(!setup.config_dir().join("credentials/default.json").exists());
    }
    let out = setup
        .run(&[
            "auth",
            "login",
            "--no-browser",
            "--port",
            "8123",
            "--redirect-uri",
            "http://127.0.0.1:9123/cb",
            "--client-secrets",
            secrets,
        ])
        .await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("differ"), "{}", out.stderr);
}
