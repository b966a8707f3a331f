//! API calls through the CLI: dry runs, help, argument errors, scopes, the demo.

use crate::common;

use common::{Setup, gapi_in, run};
use gapi_testkit::emulator::{DRIVE_READONLY, issued_token};

#[tokio::test]
async fn dry_run_prints_one_request_object_without_credentials() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = gapi_in(dir.path());
    cmd.args([
        "drive",
        "files",
        "list",
        "-p",
        "pageSize=5",
        "-p",
        "orderBy=modifiedByMeTime desc",
        "--dry-run",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("one JSON object");
    assert_eq!(v["method"], "GET");
    let url = url::Url::parse(v["url"].as_str().unwrap()).unwrap();
    assert_eq!(url.path(), "/drive/v3/files");
    let q: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    assert!(q.contains(&("pageSize".into(), "5".into())));
    assert!(q.contains(&("orderBy".into(), "modifiedByMeTime desc".into())));
    assert!(
        v["headers"]["user-agent"]
            .as_str()
            .unwrap()
            .starts_with("gapi/")
    );
    assert!(v["body"].is_null());
}

#[tokio::test]
async fn bad_parameters_exit_2_with_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = gapi_in(dir.path());
    cmd.args(["drive", "files", "list", "-p", "pageSise=5", "--dry-run"]);
    let out = run(cmd).await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("pageSize"),
        "suggests the close name: {}",
        out.stderr
    );

    let mut cmd = gapi_in(dir.path());
    cmd.args(["drive", "files", "list", "-p", "pageSize=12x", "--dry-run"]);
    let out = run(cmd).await;
    assert_eq!(out.code, 2, "{}", out.stderr);

    let mut cmd = gapi_in(dir.path());
    cmd.args(["drive", "filez", "list"]);
    let out = run(cmd).await;
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("files"), "{}", out.stderr);
}

#[tokio::test]
async fn help_lists_resources_and_parameters() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = gapi_in(dir.path());
    cmd.args(["drive", "--help"]);
    let out = run(cmd).await;
    assert_eq!(out.code, 0);
    assert!(
        out.stdout.contains("files") && out.stdout.contains("Resources"),
        "{}",
        out.stdout
    );

    let mut cmd = gapi_in(dir.path());
    cmd.args(["drive", "files", "list", "--help"]);
    let out = run(cmd).await;
    assert_eq!(out.code, 0);
    assert!(
        out.stdout.contains("orderBy") && out.stdout.contains("pageSize (integer"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("https://www.googleapis.com/auth/drive.metadata.readonly")
    );
}

#[tokio::test]
async fn no_credentials_is_an_auth_error_naming_the_login_command() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = gapi_in(dir.path());
    cmd.args([
        "drive",
        "files",
        "list",
        "--endpoint",
        "http://127.0.0.1:9/",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(out.stderr.contains("gapi auth login"), "{}", out.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn demo_prints_the_five_newest_files() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = gapi_in(dir.path());
    cmd.args(["demo", "--headless"]);
    let out = run(cmd).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value =
        serde_json::from_str(&out.stdout).expect("stdout is the JSON response");
    let names = common::file_names(&v);
    assert_eq!(names, common::newest_five("alice@example.com"));
    for step in ["[1/6]", "[3/6]", "[4/6]", "[6/6]"] {
        assert!(out.stderr.contains(step), "narrates {step}: {}", out.stderr);
    }
    assert!(
        !out.stderr.contains("emulator-client-secret"),
        "the client secret is redacted"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn page_all_ndjson_streams_every_item() {
    let setup = Setup::new(true).await;
    common::login_loopback(&setup, &["--scope", "drive.readonly"]).await;
    // Count the files page by page with plain HTTP and a token from the emulator's control API.
    let access = issued_token(setup.base(), "alice@example.com", DRIVE_READONLY).await;
    let mut total = 0;
    let mut next: Option<String> = None;
    loop {
        let mut u = format!(
            "{}/drive/v3/files?pageSize=7&fields=files(id),nextPageToken",
            setup.base()
        );
        if let Some(t) = &next {
            u.push_str(&format!("&pageToken={t}"));
        }
        let page: serde_json::Value = reqwest::Client::new()
            .get(u)
            .bearer_auth(&access)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        total += page["files"].as_array().unwrap().len();
        match page["nextPageToken"].as_str() {
            Some(t) => next = Some(t.to_string()),
            None => break,
        }
    }
    assert!(total > 14, "at least three pages exist");

    let out = setup
        .api(&[
            "drive",
            "files",
            "list",
            "-p",
            "pageSize=7",
            "--page-all",
            "--format",
            "ndjson",
        ])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<serde_json::Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(lines.len(), total);
    assert!(lines.iter().all(|f| f["id"].is_string()));

    let out = setup
        .api(&[
            "drive",
            "files",
            "list",
            "-p",
            "pageSize=7",
            "--page-all",
            "--page-limit",
            "2",
        ])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let all: serde_json::Value = serde_json::from_str(&out.stdout).expect("one JSON document");
    assert_eq!(all.as_array().unwrap().len(), 14, "two pages of seven");
}

#[tokio::test(flavor = "multi_thread")]
async fn emulator_command_serves_and_writes_client_secrets() {
    use tokio::io::AsyncBufReadExt;
    let dir = tempfile::tempdir().unwrap();
    let secrets = dir.path().join("secret.json");
    let mut cmd = gapi_in(dir.path());
    cmd.args([
        "emulator",
        "--addr",
        "127.0.0.1:0",
        "--auto-approve",
        "--write-client-secrets",
    ])
    .arg(&secrets);
    let mut child = cmd.spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = tokio::io::BufReader::new(stdout).lines();
    let base = tokio::time::timeout(std::time::Duration::from_secs(20), lines.next_line())
        .await
        .expect("the emulator prints its URL")
        .unwrap()
        .expect("a line");
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    let dir_list = reqwest::get(format!("{base}/discovery/v1/apis"))
        .await
        .unwrap();
    assert_eq!(dir_list.status(), 200);
    let written: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&secrets).unwrap()).unwrap();
    assert_eq!(written["installed"]["token_uri"], format!("{base}/token"));
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&secrets).unwrap().permissions().mode() & 0o777,
        0o600
    );
    child.kill().await.unwrap();

    let mut cmd = gapi_in(dir.path());
    cmd.args(["emulator", "--addr", "0.0.0.0:0"]);
    let out = run(cmd).await;
    assert_ne!(out.code, 0, "a non-loopback address needs --allow-remote");
    assert!(
        out.stderr.contains("--allow-remote") || out.stderr.contains("loopback"),
        "{}",
        out.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_response_cut_off_mid_body_is_retried() {
    let setup = Setup::new(true).await;
    common::login_loopback(&setup, &["--scope", "drive.readonly"]).await;
    setup
        .control(
            "faults",
            serde_json::json!({"match": {"method": "GET", "path_prefix": "/drive/v3/files"},
                "times": 1, "action": {"drop_after_bytes": 40}}),
        )
        .await;
    let out = setup
        .api(&["drive", "files", "list", "-p", "pageSize=3"])
        .await;
    assert_eq!(out.code, 0, "the cut-off GET is sent again: {}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("whole JSON");
    assert_eq!(v["files"].as_array().map(Vec::len), Some(3));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_page_all_stream_never_prints_half_a_document() {
    let setup = Setup::new(true).await;
    common::login_loopback(&setup, &["--scope", "drive.readonly"]).await;
    // Every later page is cut off, more often than the retry budget allows.
    setup
        .control(
            "faults",
            serde_json::json!({"match": {"method": "GET", "path_prefix": "/drive/v3/files", "query_contains": "pageToken"},
                "times": 1000, "action": {"drop_after_bytes": 30}}),
        )
        .await;
    let args = |format: &'static str| {
        [
            "drive",
            "files",
            "list",
            "-p",
            "pageSize=7",
            "--page-all",
            "--format",
            format,
        ]
    };
    let (a, b) = (args("json"), args("ndjson"));
    let (json, ndjson) = tokio::join!(setup.api(&a), setup.api(&b));
    assert_eq!(json.code, 6, "a network failure: {}", json.stderr);
    assert_eq!(
        json.stdout, "",
        "no half JSON document on stdout: {:?}",
        json.stdout
    );
    assert_eq!(ndjson.code, 6, "{}", ndjson.stderr);
    assert!(ndjson.stdout.ends_with('\n'), "{:?}", ndjson.stdout);
    let lines: Vec<&str> = ndjson.stdout.lines().collect();
    assert_eq!(lines.len(), 7, "the first page, whole lines only");
    for l in lines {
        serde_json::from_str::<serde_json::Value>(l).expect("every line is whole JSON");
    }
}

/// The requests the emulator saw since the last call (control calls excluded), then cleared.
async fn requests_since(setup: &Setup) -> Vec<serde_json::Value> {
    let url = format!("{}/__emulator/requests", setup.base());
    let http = reqwest::Client::new();
    let log: serde_json::Value = http.get(&url).send().await.unwrap().json().await.unwrap();
    http.delete(&url).send().await.unwrap();
    log["requests"].as_array().cloned().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn local_problems_are_found_before_any_request() {
    let setup = Setup::new(true).await;
    common::login_loopback(&setup, &["--scope", "drive"]).await;
    requests_since(&setup).await;
    let dir = setup.dir.path();
    let existing = dir.join("existing.json");
    std::fs::write(&existing, "keep me").unwrap();
    let no_dir = dir.join("no/such/dir/x.json");
    // A link to a missing file is something at the name: it is never written through.
    let dangling = dir.join("dangling.json");
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.join("gone.json"), &dangling).unwrap();
    let mut cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec!["-o".into(), no_dir.display().to_string()],
            "does not exist",
        ),
        (vec!["-o".into(), dir.display().to_string()], "is a folder"),
        (
            vec!["-o".into(), existing.display().to_string()],
            "pass --force to overwrite",
        ),
        (
            vec!["--upload".into(), dir.display().to_string()],
            "is a folder",
        ),
        (
            vec![
                "--upload".into(),
                dir.join("missing.bin").display().to_string(),
            ],
            "cannot read --upload file",
        ),
    ];
    if cfg!(unix) {
        cases.push((
            vec!["-o".into(), dangling.display().to_string()],
            "pass --force to overwrite",
        ));
        cases.push((
            vec![
                "-o".into(),
                dangling.display().to_string(),
                "--force".into(),
            ],
            "which does not exist; remove the link",
        ));
    }
    for (extra, needle) in cases {
        let mut args: Vec<String> = ["drive", "files", "create", "--json", r#"{"name":"x"}"#]
            .map(String::from)
            .to_vec();
        args.extend(extra.clone());
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = setup.api(&refs).await;
        assert_eq!(out.code, 2, "{extra:?}: {}", out.stderr);
        assert!(out.stderr.contains(needle), "{extra:?}: {}", out.stderr);
        let seen = requests_since(&setup).await;
        assert!(
            seen.is_empty(),
            "{extra:?}: no request may be sent: {seen:?}"
        );
    }
    assert_eq!(std::fs::read_to_string(&existing).unwrap(), "keep me");
    assert!(
        !dir.join("gone.json").exists(),
        "nothing written through the link"
    );
    let out = setup
        .api(&["drive", "files", "create", "--json", "{nope"])
        .await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(requests_since(&setup).await.is_empty());

    // With --force the existing file is replaced, by the JSON answer of one create.
    let out = setup
        .api(&[
            "drive",
            "files",
            "create",
            "--json",
            r#"{"name":"forced"}"#,
            "--force",
            "-o",
        ])
        .await;
    assert_eq!(out.code, 2, "-o needs a value: {}", out.stderr);
    let mut cmd = setup.gapi();
    cmd.args([
        "drive",
        "files",
        "create",
        "--json",
        r#"{"name":"forced"}"#,
        "--force",
        "-o",
    ])
    .arg(&existing)
    .args(["--endpoint", &format!("{}/", setup.base())]);
    let out = run(cmd).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let created: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&existing).unwrap()).unwrap();
    assert_eq!(created["name"], "forced");
    let posts = requests_since(&setup)
        .await
        .into_iter()
        .filter(|r| r["method"] == "POST" && r["path"] == "/drive/v3/files")
        .count();
    assert_eq!(posts, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn downloads_follow_the_same_overwrite_rule_and_are_checked() {
    let setup = Setup::new(true).await;
    common::login_loopback(&setup, &["--scope", "drive"]).await;
    let src = setup.dir.path().join("src.bin");
    std::fs::write(&src, b"some bytes to download").unwrap();
    let out = setup
        .api(&[
            "drive",
            "files",
            "create",
            "--upload",
            src.to_str().unwrap(),
        ])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let id = serde_json::from_str::<serde_json::Value>(&out.stdout).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let dst = setup.dir.path().join("dst.bin");
    std::fs::write(&dst, b"old").unwrap();
    let get = |force: bool| {
        let mut cmd = setup.gapi();
        cmd.args(["drive", "files", "get", "-p", &format!("fileId={id}"), "-o"])
            .arg(&dst)
            .args(["--endpoint", &format!("{}/", setup.base())]);
        if force {
            cmd.arg("--force");
        }
        run(cmd)
    };
    let out = get(false).await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("pass --force to overwrite"),
        "{}",
        out.stderr
    );
    assert_eq!(std::fs::read(&dst).unwrap(), b"old");
    let out = get(true).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(std::fs::read(&dst).unwrap(), b"some bytes to download");
    assert!(out.stderr.contains("sha256 checked"), "{}", out.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_scope_hint_names_a_scope_that_can_do_the_job_after_arguments_are_checked() {
    let setup = Setup::new(true).await;
    common::login_loopback(&setup, &["--scope", "drive.readonly"]).await;
    // A bad argument is a usage error even when the scopes would not do either.
    let out = setup
        .api(&["drive", "files", "create", "-p", "bogus=1"])
        .await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("bogus"), "{}", out.stderr);
    // A write with a read-only grant: the hint is drive.file, never drive.appdata.
    let out = setup
        .api(&["drive", "files", "create", "--json", r#"{"name":"x"}"#])
        .await;
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("gapi auth login --add-scope drive.file"),
        "{}",
        out.stderr
    );
    assert!(
        !out.stderr.contains("--add-scope drive.appdata"),
        "{}",
        out.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn anonymous_errors_do_not_talk_about_refreshing() {
    let setup = Setup::new(true).await;
    let out = setup.api(&["--anonymous", "drive", "files", "list"]).await;
    assert_ne!(out.code, 0, "{}", out.stderr);
    assert!(!out.stderr.contains("refresh"), "{}", out.stderr);
    assert!(!out.stderr.contains("log in again"), "{}", out.stderr);
    assert!(out.stderr.contains("without credentials"), "{}", out.stderr);
}

/// `-p` grouping is the library's: the CLI's dry run shows the URL `params_from_args` and
/// the typed builder make for the same values (repeated parameters, `{+name}` paths), and
/// refuses what the library refuses, with its words.
#[tokio::test]
async fn cli_and_library_make_the_same_url_from_the_same_parameters() {
    common::init();
    let dir = tempfile::tempdir().unwrap();
    let cli_url = |api: &'static str, words: &'static [&'static str], params: Vec<String>| {
        let mut cmd = gapi_in(dir.path());
        cmd.arg(api).args(words);
        for p in &params {
            cmd.args(["-p", p]);
        }
        cmd.arg("--dry-run");
        async move {
            let out = run(cmd).await;
            (out.code, out.stdout, out.stderr)
        }
    };
    // A repeated query parameter, with a value holding `!`, `:` and a space.
    let args = [
        "spreadsheetId=s1",
        "ranges=A1:B2",
        "majorDimension=ROWS",
        "ranges=Sheet 2!C3",
    ];
    let sheets = gapi_client::build("sheets", "v4", gapi_client::NoAuth).unwrap();
    let from_args = sheets
        .method("spreadsheets.values.batchGet")
        .unwrap()
        .params_from_args(args)
        .unwrap()
        .prepare()
        .unwrap()
        .url;
    let typed = sheets
        .method("spreadsheets.values.batchGet")
        .unwrap()
        .param("spreadsheetId", "s1")
        .param("ranges", vec!["A1:B2", "Sheet 2!C3"])
        .param("majorDimension", "ROWS")
        .prepare()
        .unwrap()
        .url;
    let (code, stdout, stderr) = cli_url(
        "sheets:v4",
        &["spreadsheets", "values", "batchGet"],
        args.iter().map(|s| s.to_string()).collect(),
    )
    .await;
    assert_eq!(code, 0, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["url"], from_args.as_str());
    let q: Vec<(String, String)> = typed.query_pairs().into_owned().collect();
    let ranges: Vec<&str> = q
        .iter()
        .filter(|(k, _)| k == "ranges")
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(ranges, ["A1:B2", "Sheet 2!C3"], "{typed}");
    let got: Vec<(String, String)> = url::Url::parse(v["url"].as_str().unwrap())
        .unwrap()
        .query_pairs()
        .into_owned()
        .collect();
    let mut got_sorted = got.clone();
    let mut want_sorted = q.clone();
    got_sorted.sort();
    want_sorted.sort();
    assert_eq!(
        got_sorted, want_sorted,
        "same query pairs as the typed builder"
    );

    // A `{+topic}` path: reserved expansion keeps the slashes, escapes the space.
    let pubsub = gapi_client::build("pubsub", "v1", gapi_client::NoAuth).unwrap();
    let lib = pubsub
        .method("projects.topics.get")
        .unwrap()
        .param("topic", "projects/p/topics/t one")
        .prepare()
        .unwrap()
        .url;
    let (code, stdout, stderr) = cli_url(
        "pubsub:v1",
        &["projects", "topics", "get"],
        vec!["topic=projects/p/topics/t one".into()],
    )
    .await;
    assert_eq!(code, 0, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["url"], lib.as_str());
    assert!(
        lib.path().ends_with("/v1/projects/p/topics/t%20one"),
        "{lib}"
    );

    // What the library refuses, the CLI refuses with the library's message (exit 2).
    for bad in [
        vec!["spreadsheetId=s1".to_string(), "rangez=A1".to_string()],
        vec![
            "spreadsheetId=s1".to_string(),
            "majorDimension=ROWS".to_string(),
            "majorDimension=COLUMNS".to_string(),
        ],
        vec!["spreadsheetId".to_string()],
    ] {
        let err = sheets
            .method("spreadsheets.values.batchGet")
            .unwrap()
            .params_from_args(&bad)
            .and_then(|c| c.prepare())
            .unwrap_err()
            .to_string();
        let (code, _, stderr) = cli_url(
            "sheets:v4",
            &["spreadsheets", "values", "batchGet"],
            bad.clone(),
        )
        .await;
        assert_eq!(code, 2, "{bad:?}: {stderr}");
        assert!(
            stderr.contains(&err),
            "{bad:?}: CLI said {stderr:?}, library {err:?}"
        );
    }
}

#[tokio::test]
async fn search_ranks_methods_for_a_task_in_plain_words() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = gapi_in(dir.path());
    cmd.args(["search", "send", "an", "email"]);
    let out = run(cmd).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let rows: Vec<&str> = out.stdout.lines().collect();
    assert!(
        rows[0].trim_start().starts_with("#  METHOD"),
        "{}",
        out.stdout
    );
    assert!(
        rows[1]
            .trim_start()
            .starts_with("1  gmail.users.messages.send ")
            && rows[1].contains(" POST "),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("Call one: gapi gmail users messages send")
    );

    let mut cmd = gapi_in(dir.path());
    cmd.args([
        "search",
        "list files in my drive",
        "--limit",
        "3",
        "--format",
        "json",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let methods = v["methods"].as_array().unwrap();
    assert_eq!(methods.len(), 3, "{v}");
    assert_eq!(methods[0]["id"], "drive.files.list", "{v}");
    assert_eq!(methods[0]["rank"], 1);
    assert_eq!(methods[0]["command"], "gapi drive files list");

    // Narrowed to one API; a version that is not the preferred one is searched too.
    let mut cmd = gapi_in(dir.path());
    cmd.args([
        "search", "--api", "drive:v2", "list", "files", "--format", "json",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["methods"][0]["api"], "drive:v2", "{v}");
    assert_eq!(
        v["methods"][0]["command"], "gapi drive:v2 files list",
        "{v}"
    );

    // Mistakes are usage errors that say what was wrong.
    for (args, says) in [
        (
            &["search", "--api", "nosuchapi", "files"][..],
            "no API named",
        ),
        (&["search", "--api", "drive:v9", "files"], "v2, v3"),
        (&["search", "--limit", "0", "files"], "--limit"),
        (&["search"], "WORDS"),
    ] {
        let mut cmd = gapi_in(dir.path());
        cmd.args(args);
        let out = run(cmd).await;
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains(says), "{args:?}: {}", out.stderr);
    }
}

/// `gapi search ... | head -1`: a reader that goes away is no reason to panic.
#[tokio::test]
async fn search_into_a_closed_pipe_exits_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = gapi_in(dir.path());
    cmd.args([
        "search", "list", "files", "--limit", "1000", "--format", "json",
    ]);
    let mut child = cmd.spawn().unwrap();
    // Close the read end before gapi has built its index and printed anything.
    drop(child.stdout.take());
    let out = tokio::time::timeout(std::time::Duration::from_secs(60), child.wait_with_output())
        .await
        .expect("gapi finished")
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}
