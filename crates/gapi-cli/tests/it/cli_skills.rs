//! `gapi skills generate` (issue 19 §4): one SKILL.md per API and one for gapi, and every
//! command line in their `sh` blocks runs as printed: API calls with `--dry-run` (no
//! credentials, nothing sent), gapi's own commands as they are.

use crate::common;

/// The command lines in the ```sh blocks of a Markdown text.
fn sh_lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            inside = !inside && line.trim() == "```sh";
            continue;
        }
        if inside && !line.trim().is_empty() {
            out.push(line.trim().to_string());
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn every_printed_command_line_runs() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("skills");
    let mut cmd = common::gapi_in(&dir.path().join("config"));
    cmd.args(["skills", "generate", "-o"]).arg(&out_dir);
    let out = common::run(cmd).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_gapi"));
    let mut checked = 0;
    for api in [
        "drive", "gmail", "calendar", "sheets", "docs", "tasks", "people", "youtube", "storage",
        "bigquery", "pubsub", "compute", "gapi",
    ] {
        let text = std::fs::read_to_string(out_dir.join(api).join("SKILL.md"))
            .unwrap_or_else(|e| panic!("{api}/SKILL.md: {e}"));
        assert!(text.starts_with("---\nname: "), "{api}: front matter");
        let lines = sh_lines(&text);
        if api != "gapi" {
            // Docs has three methods in all; every other API here has more than ten.
            let least = if api == "docs" { 3 } else { 10 };
            assert!(
                (least..=20).contains(&lines.len()),
                "{api}: {} methods",
                lines.len()
            );
            assert!(
                text.contains("## Scopes") && text.contains("--read-only"),
                "{api}"
            );
        }
        for line in lines {
            assert!(line.starts_with("gapi "), "{api}: {line}");
            // An API call is checked with --dry-run; gapi's own commands run as they are.
            let own = ["gapi search ", "gapi describe ", "gapi auth policy show"]
                .iter()
                .any(|p| line.starts_with(p));
            let shell = if own || line.contains("--dry-run") {
                line.clone()
            } else {
                format!("{line} --dry-run")
            };
            // `gapi` in the line is the binary under test.
            let mut sh = tokio::process::Command::new("sh");
            sh.arg("-c")
                .arg(format!("gapi() {{ \"$GAPI_BIN\" \"$@\"; }}; {shell}"))
                .env("GAPI_BIN", bin)
                .env("GAPI_CONFIG_DIR", dir.path().join("config"))
                .env_remove("GAPI_PROFILE")
                .env_remove("GAPI_READ_ONLY");
            let out = common::run(sh).await;
            assert_eq!(out.code, 0, "{api}: `{shell}` failed: {}", out.stderr);
            checked += 1;
        }
    }
    assert!(checked >= 130, "only {checked} command lines");
}
