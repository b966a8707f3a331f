//! `--jq`: the response, or each item of `--page-all`, filtered by a jq program.

mod common;

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
