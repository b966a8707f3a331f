//! "Never silently wrong", the credential side, end to end against the emulator: a broken
//! token file is an error and never a switch to another account; a repeat login keeps the
//! refresh token; interrupted writes leave no secrets behind; a read-only folder still
//! refreshes; exit codes and hints tell the truth about client secrets, profiles and status.

use crate::common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::{Output, Setup, url_in};
use gapi_testkit::emulator::{DRIVE, issue};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};

/// Runs `gapi auth login --no-browser ...` acting as the browser for every consent URL it
/// prints (a login that asks again with prompt=consent prints two), until it exits.
async fn login_following(setup: &Setup, extra: &[&str]) -> (Output, Vec<String>) {
    let mut cmd = setup.gapi();
    cmd.args(["auth", "login", "--no-browser", "--client-secrets"])
        .arg(&setup.secrets)
        .args(extra);
    let mut child = cmd.spawn().expect("spawn gapi");
    let stderr = child.stderr.take().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let mut seen = String::new();
    let mut urls = Vec::new();
    tokio::time::timeout(Duration::from_secs(60), async {
        while let Ok(Some(line)) = lines.next_line().await {
            seen.push_str(&line);
            seen.push('\n');
            // The --remote-bootstrap command's URL is for another gapi, not for a browser.
            if line.contains("/o/oauth2/auth?") && !line.contains("--remote-bootstrap") {
                let url = url_in(&line);
                urls.push(url.clone());
                let resp = reqwest::get(url).await.expect("browser step");
                assert!(resp.status().is_success(), "consent: {}", resp.status());
            }
        }
    })
    .await
    .expect("login finished within 60 s");
    let status = child.wait().await.unwrap();
    let mut out = String::new();
    tokio::io::AsyncReadExt::read_to_string(&mut stdout, &mut out)
        .await
        .unwrap();
    (
        Output {
            code: status.code().unwrap_or(-1),
            stdout: out,
            stderr: seen,
        },
        urls,
    )
}

fn cred_file(setup: &Setup, profile: &str) -> PathBuf {
    setup
        .config_dir()
        .join("credentials")
        .join(format!("{profile}.json"))
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn adc_file(setup: &Setup) -> PathBuf {
    // common::gapi_in points CLOUDSDK_CONFIG here.
    setup
        .config_dir()
        .join("no-gcloud")
        .join("application_default_credentials.json")
}

/// Writes gcloud-style ADC for `email` (a grant minted by the emulator's control API).
async fn write_adc_for(setup: &Setup, email: &str, path: &Path) {
    let issued = issue(setup.base(), json!({"email": email, "scope": DRIVE})).await;
    let secrets = read_json(&setup.secrets);
    let adc = json!({
        "type": "authorized_user",
        "client_id": secrets["installed"]["client_id"],
        "client_secret": secrets["installed"]["client_secret"],
        "refresh_token": issued["refresh_token"],
        "token_uri": format!("{}/token", setup.base()),
    });
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, serde_json::to_vec(&adc).unwrap()).unwrap();
}

fn about_user(out: &Output) -> String {
    let v: Value = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", out.stdout, out.stderr));
    v["user"]["emailAddress"].as_str().unwrap_or("").to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_broken_profile_is_an_error_never_a_switch_to_adc() {
    let setup = Setup::new(true).await;
    common::login_loopback(&setup, &["--scope", "drive"]).await;
    write_adc_for(&setup, "bob@example.com", &adc_file(&setup)).await;
    let file = cred_file(&setup, "default");
    let good = std::fs::read(&file).unwrap();

    let ok = setup
        .api(&["drive", "about", "get", "--fields", "user"])
        .await;
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    assert_eq!(about_user(&ok), "alice@example.com");

    let broken: Vec<(&str, Vec<u8>)> = vec![
        ("truncated", good[..good.len() / 2].to_vec()),
        ("empty", Vec::new()),
        ("NUL bytes", vec![0u8; 64]),
        ("a JSON list", b"[1, 2]".to_vec()),
        (
            "another type",
            br#"{"type":"service_account","client_id":"x"}"#.to_vec(),
        ),
        ("no client_id", br#"{"type":"authorized_user"}"#.to_vec()),
    ];
    for (what, bytes) in &broken {
        std::fs::write(&file, bytes).unwrap();
        let out = setup
            .api(&["drive", "about", "get", "--fields", "user"])
            .await;
        assert_eq!(
            out.code, 3,
            "{what}: exit 3, got {}: {}",
            out.code, out.stderr
        );
        assert!(
            !out.stdout.contains("bob@example.com"),
            "{what}: ran as the ADC account"
        );
        assert!(
            out.stderr.contains(&file.display().to_string())
                && out.stderr.contains("cannot be used"),
            "{what}: the error names the file: {}",
            out.stderr
        );
        assert!(
            out.stderr
                .contains("hint: run `gapi auth login --client-secrets FILE`"),
            "{what}: the hint repairs it: {}",
            out.stderr
        );
        let status = setup.run(&["auth", "status", "--offline"]).await;
        assert_eq!(status.code, 3, "{what}: status too: {}", status.stderr);
    }
    // With GAPI_CLIENT_SECRETS set the hint is the exact command (no FILE placeholder).
    let mut cmd = setup.gapi();
    cmd.env("GAPI_CLIENT_SECRETS", &setup.secrets)
        .args(["auth", "print-access-token"]);
    let out = common::run(cmd).await;
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("hint: run `gapi auth login` to replace it"),
        "{}",
        out.stderr
    );
    // A directory where the file should be.
    std::fs::remove_file(&file).unwrap();
    std::fs::create_dir(&file).unwrap();
    let out = setup
        .api(&["drive", "about", "get", "--fields", "user"])
        .await;
    assert_eq!(out.code, 3, "a directory: {}", out.stderr);
    assert!(out.stderr.contains("directory"), "{}", out.stderr);
    assert!(out.stderr.contains("rm -r"), "{}", out.stderr);
    // A named profile that does not exist is an error, never ADC, even when it is `default`.
    std::fs::remove_dir(&file).unwrap();
    for args in [&["--profile", "work"][..], &["--profile", "default"][..]] {
        let mut all = vec!["drive", "about", "get", "--fields", "user"];
        all.extend_from_slice(args);
        let out = setup.api(&all).await;
        assert_eq!(out.code, 3, "{args:?}: {}", out.stderr);
        assert!(!out.stdout.contains("bob@"), "{args:?} ran as ADC");
    }
    let mut cmd = setup.gapi();
    cmd.env("GAPI_PROFILE", "default").args([
        "drive",
        "about",
        "get",
        "--endpoint",
        &format!("{}/", setup.base()),
    ]);
    let out = common::run(cmd).await;
    assert_eq!(out.code, 3, "GAPI_PROFILE names a profile: {}", out.stderr);

    // Nothing named, nothing stored: ADC, and -v and status say so.
    let out = setup
        .api(&["drive", "about", "get", "--fields", "user", "-v"])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(about_user(&out), "bob@example.com");
    assert!(
        out.stderr
            .contains("using credentials: Application Default Credentials from gcloud"),
        "-v names the source: {}",
        out.stderr
    );
    let status = setup.run(&["auth", "status", "--format", "json"]).await;
    assert_eq!(status.code, 0, "{}", status.stderr);
    let s: Value = serde_json::from_str(&status.stdout).unwrap();
    assert!(
        s["source"]
            .as_str()
            .unwrap()
            .contains(&adc_file(&setup).display().to_string()),
        "{s}"
    );
    // With the profile back, it wins again, and -v says so.
    std::fs::write(&file, &good).unwrap();
    let out = setup
        .api(&["drive", "about", "get", "--fields", "user", "-v"])
        .await;
    assert_eq!(about_user(&out), "alice@example.com");
    assert!(
        out.stderr.contains("using credentials: profile `default`"),
        "{}",
        out.stderr
    );
    // GOOGLE_APPLICATION_CREDENTIALS naming a missing file is an error, not a reason to try
    // the next source (no profile stored).
    std::fs::remove_file(&file).unwrap();
    let mut cmd = setup.gapi();
    let missing = setup.dir.path().join("no-such-adc.json");
    cmd.env("GOOGLE_APPLICATION_CREDENTIALS", &missing).args([
        "drive",
        "about",
        "get",
        "--endpoint",
        &format!("{}/", setup.base()),
    ]);
    let out = common::run(cmd).await;
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(
        out.stderr.contains("GOOGLE_APPLICATION_CREDENTIALS")
            && out.stderr.contains(&missing.display().to_string()),
        "{}",
        out.stderr
    );
    // A broken ADC file is an error naming it too.
    std::fs::write(adc_file(&setup), "{").unwrap();
    let out = setup.api(&["drive", "about", "get"]).await;
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(
        out.stderr.contains(&adc_file(&setup).display().to_string()),
        "{}",
        out.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn logging_in_again_keeps_the_refresh_token() {
    let setup = Setup::new(true).await;
    let file = cred_file(&setup, "default");
    let (first, urls) = login_following(&setup, &[]).await;
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_eq!(urls.len(), 1);
    let rt = read_json(&file)["refresh_token"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(!rt.is_empty());

    // Same user, same client: the emulator (like Google) issues no new refresh token.
    let (again, urls) = login_following(&setup, &[]).await;
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(
        urls.len(),
        1,
        "no second consent was needed: {}",
        again.stderr
    );
    assert_eq!(
        read_json(&file)["refresh_token"].as_str(),
        Some(rt.as_str()),
        "the working refresh token was kept"
    );
    // And it still works after the access token dies.
    setup.control("tokens/expire", json!({})).await;
    let about = setup
        .api(&["drive", "about", "get", "--fields", "user"])
        .await;
    assert_eq!(about.code, 0, "{}", about.stderr);

    // Another account whose grant already exists (so no refresh token comes): gapi must not
    // keep alice's refresh token for bob, nor save bob without one: it asks again with
    // prompt=consent by itself.
    let (bob_other, _) = login_following(
        &setup,
        &["--profile", "other", "--login-hint", "bob@example.com"],
    )
    .await;
    assert_eq!(bob_other.code, 0, "{}", bob_other.stderr);
    // With --prompt none gapi may show no second page: it fails, and nothing is replaced.
    let alice_file = std::fs::read(&file).unwrap();
    let (silent, urls) = login_following(
        &setup,
        &["--prompt", "none", "--login-hint", "bob@example.com"],
    )
    .await;
    assert_eq!(silent.code, 3, "{}", silent.stderr);
    assert_eq!(urls.len(), 1, "{}", silent.stderr);
    assert!(urls[0].contains("prompt=none"), "{}", urls[0]);
    assert!(
        silent.stderr.contains("--prompt consent"),
        "{}",
        silent.stderr
    );
    assert!(
        !silent.stderr.contains("to log in again"),
        "{}",
        silent.stderr
    );
    assert_eq!(
        std::fs::read(&file).unwrap(),
        alice_file,
        "the stored login is untouched"
    );
    let (bob, urls) = login_following(&setup, &["--login-hint", "bob@example.com"]).await;
    assert_eq!(bob.code, 0, "{}", bob.stderr);
    assert_eq!(urls.len(), 2, "asked again: {}", bob.stderr);
    assert!(!urls[0].contains("prompt=consent"), "{}", urls[0]);
    assert!(urls[1].contains("prompt=consent"), "{}", urls[1]);
    let stored = read_json(&file);
    let bob_rt = stored["refresh_token"].as_str().unwrap();
    assert!(
        !bob_rt.is_empty() && bob_rt != rt,
        "bob got his own refresh token"
    );
    setup.control("tokens/expire", json!({})).await;
    let about = setup
        .api(&["drive", "about", "get", "--fields", "user"])
        .await;
    assert_eq!(about.code, 0, "{}", about.stderr);
    assert_eq!(about_user(&about), "bob@example.com");

    // --prompt is passed through.
    let (forced, urls) = login_following(
        &setup,
        &["--prompt", "consent", "--login-hint", "bob@example.com"],
    )
    .await;
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert_eq!(urls.len(), 1);
    assert!(urls[0].contains("prompt=consent"), "{}", urls[0]);
    let (sel, urls) = login_following(
        &setup,
        &[
            "--prompt",
            "select_account",
            "--login-hint",
            "bob@example.com",
        ],
    )
    .await;
    assert_eq!(sel.code, 0, "{}", sel.stderr);
    assert!(urls[0].contains("prompt=select_account"), "{}", urls[0]);
    assert!(
        read_json(&file)["refresh_token"]
            .as_str()
            .is_some_and(|t| !t.is_empty())
    );
}

fn temp_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-"))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn stale_temp_files_go_on_the_next_write_and_revoke_removes_everything() {
    // Tokens that live 60 s are inside the refresh margin: every call refreshes and writes.
    let setup = Setup::with_config(gapi_emulator::EmulatorConfig {
        auto_approve: true,
        token_lifetime: Duration::from_secs(60),
        ..Default::default()
    })
    .await;
    common::login_loopback(&setup, &[]).await;
    // The second profile of the same account gets no refresh token at first: gapi asks again.
    let (keep, _) = login_following(&setup, &["--profile", "keep"]).await;
    assert_eq!(keep.code, 0, "{}", keep.stderr);
    let creds = setup.config_dir().join("credentials");
    let secret_copy = std::fs::read(cred_file(&setup, "default")).unwrap();
    // What a killed write leaves: a temp file holding the secrets.
    let ours = creds.join(".default.json.tmp-Ab12Cd");
    let legacy = creds.join(".tmp-Zz9Yy8.json");
    let other = creds.join(".keep.json.tmp-Qq1Ww2");
    for p in [&ours, &legacy, &other] {
        std::fs::write(p, &secret_copy).unwrap();
    }
    let old = std::time::SystemTime::now() - Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&legacy)
        .unwrap()
        .set_modified(old)
        .unwrap();
    let out = setup.run(&["auth", "print-access-token"]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let left = temp_files(&creds);
    assert_eq!(
        left,
        vec![".keep.json.tmp-Qq1Ww2".to_string()],
        "only the other profile's temp file stays"
    );

    std::fs::write(&ours, &secret_copy).unwrap();
    let out = setup.run(&["auth", "revoke"]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let mut names: Vec<String> = std::fs::read_dir(&creds)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        vec![".keep.json.tmp-Qq1Ww2", "keep.json", "keep.json.lock"],
        "revoke removed every file of the profile and nothing else"
    );
    // A broken profile can still be removed by revoke.
    std::fs::write(cred_file(&setup, "keep"), "{").unwrap();
    let out = setup.run(&["auth", "revoke", "--profile", "keep"]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        std::fs::read_dir(&creds).unwrap().next().is_none(),
        "nothing of profile keep is left"
    );
}

/// Runs `gapi ARGS` with the config folder mounted read-only (a private mount namespace as
/// root; plain permissions otherwise).
async fn run_read_only(setup: &Setup, args: &[&str]) -> Output {
    let dir = setup.config_dir();
    let is_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    if is_root {
        let mut cmd = setup.gapi();
        let script = "mount --bind -o ro \"$1\" \"$1\" && shift && exec \"$@\"";
        let mut unshare = tokio::process::Command::new("unshare");
        unshare
            .args(["-m", "sh", "-c", script, "sh"])
            .arg(&dir)
            .arg(env!("CARGO_BIN_EXE_gapi"))
            .args(args);
        // Same environment as setup.gapi().
        let std_cmd = cmd.as_std_mut();
        for (k, v) in std_cmd.get_envs() {
            match v {
                Some(v) => unshare.env(k, v),
                None => unshare.env_remove(k),
            };
        }
        unshare
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        common::run(unshare).await
    } else {
        use std::os::unix::fs::PermissionsExt;
        let creds = dir.join("credentials");
        let set = |mode| std::fs::set_permissions(&creds, std::fs::Permissions::from_mode(mode));
        set(0o500).unwrap();
        let out = setup.run(args).await;
        set(0o700).unwrap();
        out
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_read_only_config_folder_still_refreshes_with_one_warning() {
    let setup = Setup::with_config(gapi_emulator::EmulatorConfig {
        auto_approve: true,
        token_lifetime: Duration::from_secs(60),
        ..Default::default()
    })
    .await;
    common::login_loopback(&setup, &[]).await;
    let before = std::fs::read(cred_file(&setup, "default")).unwrap();
    let out = run_read_only(&setup, &["auth", "print-access-token"]).await;
    assert_eq!(out.code, 0, "refresh works read-only: {}", out.stderr);
    let token = out.stdout.trim();
    let info = reqwest::get(format!("{}/tokeninfo?access_token={token}", setup.base()))
        .await
        .unwrap();
    assert!(
        info.status().is_success(),
        "the printed token is the refreshed, valid one"
    );
    assert_eq!(
        out.stderr.matches("could not be saved").count()
            + out.stderr.matches("cannot be saved").count(),
        1,
        "one warning: {}",
        out.stderr
    );
    assert!(!out.stderr.contains("log in again"), "{}", out.stderr);
    assert_eq!(std::fs::read(cred_file(&setup, "default")).unwrap(), before);
    // A login whose credentials cannot be saved (an I/O problem) exits 1, not 3.
    let not_a_dir = setup.dir.path().join("config-is-a-file");
    std::fs::write(&not_a_dir, "x").unwrap();
    let mut cmd = common::gapi_in(&not_a_dir);
    cmd.args(["auth", "login", "--no-browser", "--client-secrets"])
        .arg(&setup.secrets);
    let mut child = cmd.spawn().unwrap();
    let (line, _) = common::wait_for_line(&mut child, "/o/oauth2/auth?").await;
    reqwest::get(url_in(&line)).await.unwrap();
    let status = child.wait().await.unwrap();
    assert_eq!(status.code(), Some(1), "I/O problems are exit 1");
}

#[tokio::test(flavor = "multi_thread")]
async fn client_secrets_problems_are_usage_errors_and_nothing_hangs() {
    let setup = Setup::new(true).await;
    let dir = setup.dir.path();
    let login = |path: &Path| {
        let mut cmd = setup.gapi();
        cmd.args([
            "auth",
            "login",
            "--no-browser",
            "--timeout",
            "5",
            "--client-secrets",
        ])
        .arg(path);
        cmd
    };
    // Missing, a directory, a FIFO (would block a plain read), /dev/zero (endless), 2 MiB.
    let fifo = dir.join("fifo.json");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let big = dir.join("big.json");
    std::fs::write(&big, vec![b' '; 2 << 20]).unwrap();
    for (what, path) in [
        ("missing", dir.join("missing.json")),
        ("directory", dir.to_path_buf()),
        ("fifo", fifo.clone()),
        ("device", PathBuf::from("/dev/zero")),
        ("too big", big.clone()),
    ] {
        let started = std::time::Instant::now();
        let out = common::run(login(&path)).await;
        assert_eq!(out.code, 2, "{what}: {}", out.stderr);
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{what} took too long"
        );
        assert!(
            !out.stderr.contains("/o/oauth2/auth?"),
            "{what}: refused before consent"
        );
        assert!(
            !out.stderr.contains("chmod"),
            "{what}: no chmod advice: {}",
            out.stderr
        );
        assert!(
            !out.stderr.contains("log in again"),
            "{what}: {}",
            out.stderr
        );
    }
    // Not JSON: 2, and the login failure does not say "log in again".
    let bad = dir.join("bad.json");
    std::fs::write(&bad, "{").unwrap();
    let out = common::run(login(&bad)).await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(!out.stderr.contains("log in again"), "{}", out.stderr);
    // A plain-http token endpoint off loopback: refused before the user is sent to consent.
    let secrets = read_json(&setup.secrets);
    let mut evil = secrets.clone();
    evil["installed"]["token_uri"] = json!("http://token.example.com/token");
    let evil_path = dir.join("evil.json");
    std::fs::write(&evil_path, serde_json::to_vec(&evil).unwrap()).unwrap();
    let out = common::run(login(&evil_path)).await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("not encrypted"), "{}", out.stderr);
    assert!(!out.stderr.contains("/o/oauth2/auth?"), "{}", out.stderr);
    // A byte order mark is fine; a "web" client is warned about.
    let mut bom = b"\xef\xbb\xbf".to_vec();
    let mut web = secrets.clone();
    web["web"] = web["installed"].take();
    web.as_object_mut().unwrap().remove("installed");
    bom.extend(serde_json::to_vec(&web).unwrap());
    let bom_path = dir.join("bom.json");
    std::fs::write(&bom_path, bom).unwrap();
    let mut cmd = setup.gapi();
    cmd.args(["auth", "login", "--no-browser", "--client-secrets"])
        .arg(&bom_path);
    let mut child = cmd.spawn().unwrap();
    let (line, seen) = common::wait_for_line(&mut child, "/o/oauth2/auth?").await;
    assert!(seen.contains("\"web\" OAuth client"), "{seen}");
    reqwest::get(url_in(&line)).await.unwrap();
    assert!(child.wait().await.unwrap().success());
    // Profile names are checked before the user is asked anything.
    for name in ["../x", "a/b", "..", ".hidden", "a b"] {
        let out = setup
            .run(&[
                "auth",
                "login",
                "--no-browser",
                "--profile",
                name,
                "--client-secrets",
                setup.secrets.to_str().unwrap(),
            ])
            .await;
        assert_eq!(out.code, 2, "{name}: {}", out.stderr);
        assert!(
            !out.stderr.contains("/o/oauth2/auth?"),
            "{name}: {}",
            out.stderr
        );
        let out = setup
            .api(&["drive", "about", "get", "--profile", name])
            .await;
        assert_eq!(out.code, 2, "{name}: {}", out.stderr);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn status_fails_for_a_dead_grant_or_an_unreachable_server() {
    let setup = Setup::new(true).await;
    common::login_loopback(&setup, &[]).await;
    let ok = setup.run(&["auth", "status"]).await;
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    assert!(
        ok.stdout.contains("source:      profile `default`"),
        "{}",
        ok.stdout
    );
    // An access token the server dropped but a live grant: still fine (refreshed).
    setup.control("tokens/expire", json!({})).await;
    let ok = setup.run(&["auth", "status"]).await;
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    // Revoked at the server: 3, and the hint is to log in.
    setup.control("tokens/revoke", json!({})).await;
    let dead = setup.run(&["auth", "status", "--format", "json"]).await;
    assert_eq!(dead.code, 3, "{}", dead.stderr);
    let v: Value = serde_json::from_str(&dead.stdout).unwrap();
    assert!(v["tokeninfo_error"].is_string(), "{v}");
    assert!(
        dead.stderr.contains("hint: run `gapi auth login"),
        "{}",
        dead.stderr
    );
    // Unreachable token server: 6.
    let file = cred_file(&setup, "default");
    let mut stored = read_json(&file);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    stored["token_uri"] = json!(format!("http://127.0.0.1:{port}/token"));
    stored["expiry"] = json!("2000-01-01T00:00:00Z");
    std::fs::write(&file, serde_json::to_vec(&stored).unwrap()).unwrap();
    let gone = setup.run(&["auth", "status"]).await;
    assert_eq!(gone.code, 6, "{}", gone.stderr);
}
