//! Generated modules are rustfmt-clean as written (no formatter runs when they are made), for
//! Drive's chosen methods and for every method of APIs with varied schema shapes.

use std::io::Write;
use std::process::{Command, Stdio};

/// rustfmt's verdict on `text`: `None` when clean, else the formatted text.
fn rustfmt_diff(text: &str) -> Option<String> {
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2024", "--emit", "stdout", "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("rustfmt (part of the Rust toolchain) runs");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = text.to_string();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().expect("rustfmt finishes");
    writer
        .join()
        .expect("writer")
        .expect("rustfmt reads its input");
    assert!(
        out.status.success(),
        "rustfmt failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let formatted = String::from_utf8(out.stdout).expect("utf-8");
    (formatted != text).then_some(formatted)
}

fn first_difference(a: &str, b: &str) -> String {
    let (al, bl): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    for i in 0..al.len().max(bl.len()) {
        if al.get(i) != bl.get(i) {
            let from = i.saturating_sub(3);
            return format!(
                "line {}:\n--- generated\n{}\n--- rustfmt\n{}",
                i + 1,
                al[from..(i + 8).min(al.len())].join("\n"),
                bl[from..(i + 8).min(bl.len())].join("\n")
            );
        }
    }
    String::new()
}

/// Why the module of `methods` of `api` is not rustfmt-clean, if it is not.
fn problem(api: &str, methods: &[&str]) -> Option<String> {
    let text = gapi_codegen::Builder::new(api)
        .methods(methods.iter().copied())
        .generate()
        .unwrap_or_else(|e| panic!("{api}: {e}"));
    rustfmt_diff(&text).map(|formatted| {
        format!(
            "{api}: the module is not rustfmt-clean; {}",
            first_difference(&text, &formatted)
        )
    })
}

fn check(api: &str, methods: &[&str]) {
    if let Some(p) = problem(api, methods) {
        panic!("{p}");
    }
}

#[test]
fn drive_files_module_is_rustfmt_clean() {
    check("drive:v3", &["files.list", "files.get", "files.create"]);
}

#[test]
fn whole_apis_are_rustfmt_clean() {
    let problems: Vec<String> = [
        "drive:v3",
        "gmail:v1",
        "calendar:v3",
        "sheets:v4",
        "youtube:v3",
        "storage:v1",
        "bigquery:v2",
        "compute:v1",
        "container:v1",
        "dataproc:v1",
        "cloudresourcemanager:v3",
        "iam:v1",
        "pubsub:v1",
        "docs:v1",
        "slides:v1",
        "people:v1",
        "aiplatform:v1",
        "dialogflow:v3",
        "run:v2",
        "firestore:v1",
    ]
    .into_iter()
    .filter_map(|api| problem(api, &["*"]))
    .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}
