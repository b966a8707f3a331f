//! `--jq`: the response, or each item of `--page-all`, filtered by a jq program.

use crate::common;

use common::{Setup, gapi_in, run};

#[tokio::test(flavor = "multi_thread")]
async fn jq_filters_the_response_and_each_paged_item() {
    let setup = Setup::new(true).await;
    common::login_loopback(&setup, &["--scope", "drive.readonly"]).await;

    let out = setup
        .api(&[
            "drive",
            "files",
            "list",
            "-p",
            "pageSize=3",
            "--jq",
            ".files | length",
        ])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "3\n");

    let all = setup
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
    assert_eq!(all.code, 0, "{}", all.stderr);
    let names: Vec<String> = all
        .stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["name"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert!(names.len() > 14, "several pages");

    let out = setup
        .api(&[
            "drive",
            "files",
            "list",
            "-p",
            "pageSize=7",
            "--page-all",
            "--jq",
            ".name",
        ])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let got: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(got, names, "one raw string per item, in order");

    let out = setup
        .api(&[
            "drive",
            "files",
            "list",
            "-p",
            "pageSize=2",
            "--jq",
            "{n: .files[0].name}",
        ])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(out.stdout.trim()).unwrap();
    assert_eq!(v["n"], serde_json::json!(names[0]));
}

#[tokio::test]
async fn a_bad_program_is_a_usage_error_before_any_request() {
    let dir = tempfile::tempdir().unwrap();
    // No credentials and an unreachable endpoint: only the jq check can answer first.
    for bad in [".files[", "nosuchfilter(1)"] {
        let mut cmd = gapi_in(dir.path());
        cmd.args([
            "drive",
            "files",
            "list",
            "--jq",
            bad,
            "--endpoint",
            "http://127.0.0.1:9/",
        ]);
        let out = run(cmd).await;
        assert_eq!(out.code, 2, "{bad}: {}", out.stderr);
        assert!(out.stderr.contains("--jq"), "{}", out.stderr);
    }
}

/// Creates a Drive file with this name and description; returns its id.
async fn create_file(setup: &Setup, name: &str, description: &str) -> String {
    let body = serde_json::json!({"name": name, "description": description}).to_string();
    let out = setup
        .api(&["drive", "files", "create", "--json", &body, "--jq", ".id"])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.stdout.trim().to_string()
}

/// A program that fails, however it fails (an error, a stack jaq overflows, a halt), ends
/// with a clear error, exit 1, and nothing of the response printed: never an abort (134)
/// with half a line on stdout.
#[tokio::test(flavor = "multi_thread")]
async fn a_failing_program_is_a_clean_error_that_prints_nothing() {
    let setup = Setup::new(true).await;
    common::login_loopback(&setup, &["--scope", "drive"]).await;
    // Server data that jq's parser would recurse into 30,000 levels deep.
    let deep = create_file(&setup, "deep", &"[".repeat(30_000)).await;
    let fetch_deep = format!("fileId={deep}");
    let cases: [(&str, &[&str], &str); 6] = [
        (
            "endless recursion",
            &["drive", "about", "get", "--fields", "user"],
            ".user.emailAddress, (def f: 1 + f; f)",
        ),
        (
            "recursion through limit",
            &["drive", "about", "get", "--fields", "user"],
            ".user.emailAddress, (def f: [limit(1; f)]; f)",
        ),
        (
            "a deep reduce",
            &["drive", "about", "get", "--fields", "user"],
            ".user.emailAddress, (reduce range(1000000) as $i (null; [.]) | tojson)",
        ),
        (
            "fromjson of server data",
            &[
                "drive",
                "files",
                "get",
                "-p",
                &fetch_deep,
                "--fields",
                "name,description",
            ],
            ".name, (.description | fromjson)",
        ),
        (
            "a runtime error after a result",
            &["drive", "about", "get", "--fields", "user"],
            r#".user.emailAddress, error("boom")"#,
        ),
        (
            "halt_error",
            &["drive", "about", "get", "--fields", "user"],
            r#".user.emailAddress, ("stopped here\n" | halt_error)"#,
        ),
    ];
    for (what, call, program) in cases {
        let mut args = call.to_vec();
        args.extend(["--jq", program]);
        let out = setup.api(&args).await;
        assert_eq!(out.code, 1, "{what}: exit 1, not an abort: {}", out.stderr);
        assert_eq!(out.stdout, "", "{what}: nothing printed");
        assert!(out.stderr.contains("error: --jq"), "{what}: {}", out.stderr);
        assert!(
            !out.stderr.contains("fatal runtime error") && !out.stderr.contains("overflowed"),
            "{what}: {}",
            out.stderr
        );
    }
    // `halt_error` says its message and that gapi exits 1 (not jq's 5: "the API answered 5xx").
    let out = setup
        .api(&[
            "drive",
            "about",
            "get",
            "--fields",
            "user",
            "--jq",
            r#""stopped here\n" | halt_error"#,
        ])
        .await;
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.starts_with("stopped here\n"), "{}", out.stderr);
    assert!(out.stderr.contains("exits 1"), "{}", out.stderr);
    // With -o: no file for a failed program, and an existing one (--force) left as it was.
    let fresh = setup.dir.path().join("fresh.txt");
    let kept = setup.dir.path().join("kept.txt");
    std::fs::write(&kept, "keep me").unwrap();
    for (path, force) in [(&fresh, false), (&kept, true)] {
        let mut args = vec![
            "drive",
            "about",
            "get",
            "--fields",
            "user",
            "--jq",
            r#".user, error("boom")"#,
            "-o",
            path.to_str().unwrap(),
        ];
        if force {
            args.push("--force");
        }
        let out = setup.api(&args).await;
        assert_eq!(out.code, 1, "{}", out.stderr);
    }
    assert!(!fresh.exists(), "no file for a failed program");
    assert_eq!(std::fs::read_to_string(&kept).unwrap(), "keep me");
    // fromjson still reads ordinary server text.
    let ok = create_file(&setup, "json", r#"{"a": [1, 2]}"#).await;
    let out = setup
        .api(&[
            "drive",
            "files",
            "get",
            "-p",
            &format!("fileId={ok}"),
            "--fields",
            "description",
            "--jq",
            ".description | fromjson | .a | add",
        ])
        .await;
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (0, "3\n"),
        "{}",
        out.stderr
    );
}

/// `@csv` and `@tsv` write what jq writes: read back by Python's csv module, tricky names
/// (quotes, commas, newlines, tabs, Unicode) come back exactly.
#[tokio::test(flavor = "multi_thread")]
async fn csv_and_tsv_rows_read_back_exactly() {
    let setup = Setup::new(true).await;
    common::login_loopback(&setup, &["--scope", "drive"]).await;
    let names = [
        "plain",
        "a,b",
        "say \"hi\"",
        "two\nlines",
        "tab\there",
        "back\\slash",
        "é中🙂 \u{202e}",
    ];
    let mut ids = Vec::new();
    for name in names {
        ids.push(create_file(&setup, name, "d").await);
    }
    let mut csv = String::new();
    let mut tsv = String::new();
    for id in &ids {
        let get = |program: &'static str| {
            let fetch = format!("fileId={id}");
            let setup = &setup;
            async move {
                let out = setup
                    .api(&["drive", "files", "get", "-p", &fetch, "--jq", program])
                    .await;
                assert_eq!(out.code, 0, "{}", out.stderr);
                out.stdout
            }
        };
        csv.push_str(&get("[.name, .id, 1.5, true, null] | @csv").await);
        tsv.push_str(&get("[.name, .id, 7, false, null] | @tsv").await);
    }
    let python = std::env::var("GAPI_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let mut cmd = tokio::process::Command::new(&python);
    cmd.args([
        "-c",
        "import csv, json, sys; print(json.dumps(list(csv.reader(sys.stdin, strict=True))))",
    ])
    .stdin(std::process::Stdio::piped())
    .stdout(std::process::Stdio::piped());
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("{python}: {e}; source target/test-env.sh"));
    let mut stdin = child.stdin.take().unwrap();
    tokio::io::AsyncWriteExt::write_all(&mut stdin, csv.as_bytes())
        .await
        .unwrap();
    drop(stdin);
    let out = child.wait_with_output().await.unwrap();
    assert!(out.status.success());
    let rows: Vec<Vec<String>> = serde_json::from_slice(&out.stdout).unwrap();
    let want: Vec<Vec<String>> = names
        .iter()
        .zip(&ids)
        .map(|(n, id)| {
            vec![
                n.to_string(),
                id.clone(),
                "1.5".into(),
                "true".into(),
                String::new(),
            ]
        })
        .collect();
    assert_eq!(rows, want, "CSV as Python reads it:\n{csv}");
    // TSV: one line per row; tab, newline, CR and backslash escaped as jq does.
    let lines: Vec<&str> = tsv.lines().collect();
    assert_eq!(lines.len(), names.len(), "{tsv}");
    assert_eq!(lines[0], format!("plain\t{}\t7\tfalse\t", ids[0]));
    assert_eq!(lines[3], format!("two\\nlines\t{}\t7\tfalse\t", ids[3]));
    assert_eq!(lines[4], format!("tab\\there\t{}\t7\tfalse\t", ids[4]));
    assert_eq!(lines[5], format!("back\\\\slash\t{}\t7\tfalse\t", ids[5]));
    assert_eq!(lines[6], format!("é中🙂 \u{202e}\t{}\t7\tfalse\t", ids[6]));
}

/// `$ENV` is gapi's environment.
#[tokio::test(flavor = "multi_thread")]
async fn env_names_the_environment() {
    let setup = Setup::new(true).await;
    common::login_loopback(&setup, &["--scope", "drive"]).await;
    let mut cmd = setup.gapi();
    cmd.args([
        "drive",
        "about",
        "get",
        "--fields",
        "user",
        "--jq",
        r#"[$ENV.GAPI_TEST_JQ_VALUE, ($ENV | type)] | @tsv"#,
        "--endpoint",
        &format!("{}/", setup.base()),
    ])
    .env("GAPI_TEST_JQ_VALUE", "from the environment");
    let out = run(cmd).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "from the environment\tobject\n");
}
