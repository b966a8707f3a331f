//! `gapi <api> --batch FILE|-`: NDJSON calls sent as multipart/mixed batches to the emulator's
//! Drive batch endpoint, NDJSON results in input order.

use crate::common;

use common::Setup;

fn lines(stdout: &str) -> Vec<serde_json::Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l:?}: {e}")))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn batch_answers_every_line_in_order_and_failed_calls_are_lines() {
    let setup = Setup::new(true).await;
    common::login_loopback(&setup, &["--scope", "drive"]).await;
    let ids = setup
        .api(&[
            "drive",
            "files",
            "list",
            "-p",
            "pageSize=3",
            "--jq",
            ".files[].id",
        ])
        .await;
    assert_eq!(ids.code, 0, "{}", ids.stderr);
    let ids: Vec<&str> = ids.stdout.lines().collect();
    assert_eq!(ids.len(), 3);

    let input = [
        format!(
            r#"{{"method": "files.get", "params": {{"fileId": "{}", "fields": "id"}}}}"#,
            ids[0]
        ),
        r#"{"method": "files.get", "params": {"fileId": "no-such-file"}}"#.to_string(),
        "not json".to_string(),
        format!(
            r#"{{"method": "drive.files.get", "params": {{"fileId": "{}", "fields": "id"}}}}"#,
            ids[1]
        ),
        r#"{"method": "files.create", "body": {"nmae": "x"}}"#.to_string(),
        r#"{"method": "files.list", "params": {"pageSize": 1, "fields": "files(id)"}}"#.to_string(),
        String::new(),
        format!(
            r#"{{"method": "files.get", "params": {{"fileId": "{}", "fields": "id"}}}}"#,
            ids[2]
        ),
        format!(
            r#"{{"method": "files.delete", "params": {{"fileId": "{}"}}}}"#,
            ids[2]
        ),
    ]
    .join("\n");
    let file = setup.dir.path().join("calls.ndjson");
    std::fs::write(&file, input).unwrap();
    let out = setup
        .api(&["drive", "--batch", file.to_str().unwrap()])
        .await;
    assert_eq!(out.code, 4, "a 404 among the calls: {}", out.stderr);
    let got = lines(&out.stdout);
    assert_eq!(
        got.len(),
        8,
        "one line per non-empty input line: {}",
        out.stdout
    );
    assert_eq!(got[0]["status"], 200);
    assert_eq!(got[0]["body"]["id"], ids[0]);
    assert_eq!(got[1]["status"], 404);
    assert_eq!(got[1]["body"]["error"]["code"], 404);
    assert!(got[2]["status"].is_null() && got[2]["error"].as_str().unwrap().contains("not JSON"));
    assert_eq!(got[3]["body"]["id"], ids[1]);
    assert!(
        got[4]["error"].as_str().unwrap().contains("body.nmae"),
        "{}",
        got[4]
    );
    assert_eq!(got[5]["body"]["files"].as_array().unwrap().len(), 1);
    assert_eq!(got[6]["body"]["id"], ids[2]);
    // A delete's part is answered 204 with no body: the line says 204, not 200.
    assert_eq!(got[7]["status"], 204, "{}", got[7]);
    assert_eq!(got[7]["body"], serde_json::json!({}));
    let gone = setup
        .api(&["drive", "files", "get", "-p", &format!("fileId={}", ids[2])])
        .await;
    assert_eq!(gone.code, 4, "the batched delete happened: {}", gone.stdout);
}

#[tokio::test(flavor = "multi_thread")]
async fn batch_splits_at_the_drive_limit_and_reads_stdin() {
    let setup = Setup::new(true).await;
    common::login_loopback(&setup, &["--scope", "drive"]).await;
    let id = setup
        .api(&[
            "drive",
            "files",
            "list",
            "-p",
            "pageSize=1",
            "--jq",
            ".files[0].id",
        ])
        .await
        .stdout
        .trim()
        .to_string();
    // 250 calls: the emulator refuses a batch of more than 100 parts, as Drive does.
    let input: String = (0..250)
        .map(|_| format!("{{\"method\": \"files.get\", \"params\": {{\"fileId\": \"{id}\", \"fields\": \"id\"}}}}\n"))
        .collect();
    let mut cmd = setup.gapi();
    cmd.args([
        "drive",
        "--batch",
        "-",
        "--endpoint",
        &format!("{}/", setup.base()),
    ])
    .stdin(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    tokio::io::AsyncWriteExt::write_all(&mut stdin, input.as_bytes())
        .await
        .unwrap();
    drop(stdin);
    let out = child.wait_with_output().await.unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got = lines(&stdout);
    assert_eq!(got.len(), 250);
    assert!(
        got.iter()
            .all(|l| l["status"] == 200 && l["body"]["id"] == id.as_str())
    );
}

#[tokio::test]
async fn batch_dry_run_prints_each_request() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.ndjson");
    std::fs::write(&file, "{\"method\":\"files.get\",\"params\":{\"fileId\":\"a\"}}\n{\"method\":\"files.delete\",\"params\":{\"fileId\":\"b\"}}\n").unwrap();
    let mut cmd = common::gapi_in(dir.path());
    cmd.args([
        "drive",
        "--batch",
        file.to_str().unwrap(),
        "--dry-run",
        "--read-only",
    ]);
    let out = common::run(cmd).await;
    assert_eq!(
        out.code, 2,
        "the DELETE line is refused by --read-only: {}",
        out.stderr
    );
    let got = lines(&out.stdout);
    assert_eq!(got[0]["method"], "GET");
    assert!(
        got[0]["url"]
            .as_str()
            .unwrap()
            .ends_with("/drive/v3/files/a?alt=json&prettyPrint=false"),
        "{}",
        got[0]
    );
    assert!(
        got[1]["error"].as_str().unwrap().contains("read-only"),
        "{}",
        got[1]
    );
}

/// The output flags apply to each result line: `--jq` runs on it, `--format csv|table` makes
/// rows of the lines, `-o FILE` gets the whole output (and an existing FILE needs --force);
/// a line asking for media is an unusable line, never sent.
#[tokio::test(flavor = "multi_thread")]
async fn batch_honours_jq_format_and_output_for_each_line() {
    let setup = Setup::new(true).await;
    common::login_loopback(&setup, &["--scope", "drive"]).await;
    let ids = setup
        .api(&[
            "drive",
            "files",
            "list",
            "-p",
            "pageSize=2",
            "--jq",
            ".files[].id",
        ])
        .await;
    assert_eq!(ids.code, 0, "{}", ids.stderr);
    let ids: Vec<String> = ids.stdout.lines().map(str::to_string).collect();
    let get = |id: &str| {
        format!(r#"{{"method": "files.get", "params": {{"fileId": "{id}", "fields": "id,name"}}}}"#)
    };
    let file = setup.dir.path().join("calls.ndjson");
    std::fs::write(&file, [get(&ids[0]), get(&ids[1])].join("\n")).unwrap();
    let calls = file.to_str().unwrap();

    // --jq: the program's results for each line, in order.
    let out = setup
        .api(&[
            "drive",
            "--batch",
            calls,
            "--jq",
            "[.status, .body.id] | @tsv",
        ])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, format!("200\t{}\n200\t{}\n", ids[0], ids[1]));

    // A line the program fails on is reported with its line number; the others still print.
    let program = format!(
        r#"if .body.id == "{}" then error("no") else .body.id end"#,
        ids[1]
    );
    let out = setup
        .api(&["drive", "--batch", calls, "--jq", &program])
        .await;
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(out.stdout, format!("{}\n", ids[0]));
    assert!(out.stderr.contains("--batch line 2"), "{}", out.stderr);

    // --format csv and table: one header, one row per line.
    let out = setup
        .api(&["drive", "--batch", calls, "--format", "csv"])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let rows: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(rows[0], "status,body.id,body.name", "{}", out.stdout);
    assert_eq!(rows.len(), 3, "{}", out.stdout);
    assert!(
        rows[1].starts_with(&format!("200,{},", ids[0])),
        "{}",
        out.stdout
    );
    let out = setup
        .api(&["drive", "--batch", calls, "--format", "table"])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.starts_with("STATUS"), "{}", out.stdout);
    assert_eq!(out.stdout.lines().count(), 3, "{}", out.stdout);

    // -o FILE: the whole output there, nothing on stdout; an existing FILE needs --force.
    let dest = setup.dir.path().join("results.ndjson");
    let dest_arg = dest.to_str().unwrap();
    let out = setup
        .api(&["drive", "--batch", calls, "-o", dest_arg])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "");
    let written = std::fs::read_to_string(&dest).unwrap();
    let got = lines(&written);
    assert_eq!(got.len(), 2, "{written}");
    assert_eq!(got[1]["body"]["id"], ids[1].as_str());
    let out = setup
        .api(&[
            "drive",
            "--batch",
            calls,
            "-o",
            dest_arg,
            "--jq",
            ".body.name",
        ])
        .await;
    assert_eq!(out.code, 2, "exists without --force: {}", out.stderr);
    assert_eq!(
        std::fs::read_to_string(&dest).unwrap(),
        written,
        "untouched"
    );
    let out = setup
        .api(&[
            "drive", "--batch", calls, "-o", dest_arg, "--force", "--jq", ".body.id",
        ])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        std::fs::read_to_string(&dest).unwrap(),
        format!("{}\n{}\n", ids[0], ids[1])
    );
    let leftovers: Vec<_> = std::fs::read_dir(setup.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".gapi-batch-"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary files left");

    // A line asking for media is unusable: never sent.
    let media = format!(
        r#"{{"method": "files.get", "params": {{"fileId": "{}", "alt": "media"}}}}"#,
        ids[0]
    );
    std::fs::write(&file, media).unwrap();
    let out = setup.api(&["drive", "--batch", calls]).await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    let got = lines(&out.stdout);
    assert!(got[0]["status"].is_null(), "{}", out.stdout);
    assert!(
        got[0]["error"]
            .as_str()
            .unwrap()
            .contains("media cannot travel in a batch"),
        "{}",
        out.stdout
    );
}

/// Flags a batch cannot honour are refused before anything is sent (exit 2): no credentials
/// here and an unreachable endpoint, so only the local check can answer.
#[tokio::test]
async fn batch_refuses_flags_it_cannot_honour_before_sending() {
    let dir = tempfile::tempdir().unwrap();
    let calls = dir.path().join("c.ndjson");
    std::fs::write(&calls, "{\"method\":\"files.list\"}\n").unwrap();
    let existing = dir.path().join("out.ndjson");
    std::fs::write(&existing, "keep").unwrap();
    let calls = calls.to_str().unwrap();
    let cases: [(&[&str], &str); 7] = [
        (&["--upload", calls], "--upload"),
        (&["--page-all"], "--page-all"),
        (&["--page-limit", "2"], "--page-all"),
        (&["-p", "pageSize=1"], "-p"),
        (&["--params", "{}"], "--params"),
        (&["--json", "{}"], "--json"),
        (&["-o", existing.to_str().unwrap()], "--force"),
    ];
    for (flags, says) in cases {
        let mut cmd = common::gapi_in(dir.path());
        cmd.args(["drive", "--batch", calls])
            .args(flags)
            .args(["--endpoint", "http://127.0.0.1:9/"]);
        let out = common::run(cmd).await;
        assert_eq!(out.code, 2, "{flags:?}: {}", out.stderr);
        assert!(out.stderr.contains(says), "{flags:?}: {}", out.stderr);
        assert_eq!(out.stdout, "", "{flags:?}");
    }
    assert_eq!(std::fs::read_to_string(&existing).unwrap(), "keep");
}
