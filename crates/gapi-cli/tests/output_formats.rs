//! Tables and CSV through the real `gapi` binary against the emulator: server data cannot
//! drive the terminal, nested fields are shown, `--page-all` keeps one aligned table.

mod common;

use common::Setup;

async fn logged_in() -> Setup {
    let setup = Setup::new(true).await;
    common::login_loopback(&setup, &["--scope", "drive"]).await;
    setup
}

#[tokio::test(flavor = "multi_thread")]
async fn about_table_shows_nested_fields_instead_of_blank_lines() {
    let setup = logged_in().await;
    let out = setup
        .api(&[
            "drive",
            "about",
            "get",
            "-p",
            "fields=user,storageQuota",
            "--format",
            "table",
        ])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.lines().all(|l| !l.trim().is_empty()),
        "no blank lines: {:?}",
        out.stdout
    );
    let line = out
        .stdout
        .lines()
        .find(|l| l.starts_with("user.emailAddress"))
        .unwrap_or_else(|| panic!("user.emailAddress shown:\n{}", out.stdout));
    assert!(line.trim_end().ends_with("alice@example.com"), "{line}");
    assert!(
        out.stdout.lines().any(|l| l.starts_with("storageQuota.")),
        "{}",
        out.stdout
    );

    let out = setup
        .api(&[
            "drive",
            "about",
            "get",
            "-p",
            "fields=user,storageQuota",
            "--format",
            "csv",
        ])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let mut lines = out.stdout.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let row: Vec<&str> = lines.next().unwrap().split(',').collect();
    let at = header
        .iter()
        .position(|h| *h == "user.emailAddress")
        .expect("CSV column");
    assert_eq!(row[at], "alice@example.com");
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_file_names_are_escaped_in_tables_and_exact_in_csv() {
    let setup = logged_in().await;
    let name = "report\u{1b}]0;owned\u{7}\u{1b}[2J\u{202e}fdp.exe\nsecond line";
    let body = serde_json::json!({ "name": name }).to_string();
    let out = setup
        .api(&["drive", "files", "create", "--json", &body])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let q = "name contains 'report'";
    let out = setup
        .api(&[
            "drive",
            "files",
            "list",
            "-p",
            &format!("q={q}"),
            "--format",
            "table",
        ])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        !out.stdout
            .chars()
            .any(|c| (c.is_control() && c != '\n') || c == '\u{202e}'),
        "raw control characters reach the terminal: {:?}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains(r"report\x1b]0;owned\x07\x1b[2J\u202efdp.exe\nsecond line"),
        "{}",
        out.stdout
    );
    let out = setup
        .api(&[
            "drive",
            "files",
            "list",
            "-p",
            &format!("q={q}"),
            "--format",
            "csv",
        ])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains(&format!("\"{name}\"")),
        "CSV is exact: {:?}",
        out.stdout
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn page_all_table_is_one_aligned_table_and_an_empty_list_has_a_header() {
    let setup = logged_in().await;
    let out = setup
        .api(&[
            "drive",
            "files",
            "list",
            "-p",
            "pageSize=3",
            "-p",
            "fields=nextPageToken,files(id,name,mimeType)",
            "--page-all",
            "--format",
            "table",
        ])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(lines.len() > 7, "several pages: {}", out.stdout);
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("ID")).count(),
        1,
        "{}",
        out.stdout
    );
    // Display columns (every character here is one column wide; `…` is three bytes).
    let column = |l: &str, at: usize| -> (String, String) {
        (l.chars().take(at).collect(), l.chars().skip(at).collect())
    };
    let mime_at = lines[0].chars().count() - "MIMETYPE".len();
    for l in &lines[1..] {
        let (before, after) = column(l, mime_at);
        assert!(
            before.ends_with("  ") && !after.starts_with(' '),
            "misaligned:\n{}",
            out.stdout
        );
    }
    let out = setup
        .api(&[
            "drive",
            "files",
            "list",
            "-p",
            "q=name = 'no such file anywhere'",
            "--format",
            "table",
        ])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let header = out.stdout.lines().next().unwrap_or_default();
    assert!(
        header.starts_with("ID") && header.contains("NAME"),
        "{:?}",
        out.stdout
    );
    let out = setup
        .api(&[
            "drive",
            "files",
            "list",
            "-p",
            "q=name = 'no such file anywhere'",
            "--format",
            "csv",
            "--page-all",
        ])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.starts_with("id,name"), "{:?}", out.stdout);
}

/// Runs `cmd` with its stdout closed before gapi writes a byte (the reader of `| head -c1`
/// gone): gapi must end quietly, with success or the conventional SIGPIPE, never a panic.
async fn assert_quiet_on_closed_stdout(mut cmd: tokio::process::Command, what: &str) {
    cmd.stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().expect("gapi starts");
    drop(child.stdout.take());
    let out = child.wait_with_output().await.expect("gapi ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("panicked") && !stderr.contains("failed printing"),
        "{what}: {stderr}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert!(
            out.status.success() || out.status.signal() == Some(libc::SIGPIPE),
            "{what}: {:?} {stderr}",
            out.status
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_closed_stdout_ends_gapi_quietly() {
    let setup = logged_in().await;
    let endpoint = format!("{}/", setup.base());
    let mut dry = setup.gapi();
    dry.args(["drive", "files", "list", "--dry-run"]);
    assert_quiet_on_closed_stdout(dry, "--dry-run").await;
    let mut call = setup.gapi();
    call.args(["drive", "files", "list", "--endpoint", &endpoint]);
    assert_quiet_on_closed_stdout(call, "a call").await;
    let mut pages = setup.gapi();
    pages.args([
        "drive",
        "files",
        "list",
        "--page-all",
        "--format",
        "ndjson",
        "--endpoint",
        &endpoint,
    ]);
    assert_quiet_on_closed_stdout(pages, "--page-all").await;
}
