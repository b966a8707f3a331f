//! A bounded fault soak through the real `gapi` binary: for about 30 s (`GAPI_SOAK_SECS`; at
//! least 20 calls),
//! random list, get, upload and download calls run against the emulator while its
//! `/__emulator/faults` API injects 5xx and 429 answers, stalls, and connections dropped
//! part-way through a request or a response. The RNG is seeded (printed; `GAPI_SOAK_SEED`
//! replays a run).
//!
//! What must hold, whatever the faults:
//! * a call that exits 0 printed the whole, right answer (every listed file, the right
//!   metadata) and a download that exits 0 holds exactly the file's bytes;
//! * a call that fails exits with one of gapi's exit codes (1, 4, 5, 6) and an error message,
//!   and leaves no half output: stdout is empty or complete lines of JSON, a failed download
//!   leaves no file at the `-o` path;
//! * afterwards, no upload was stored twice and every stored upload holds exactly the bytes
//!   sent.

use crate::common;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use common::{Output, Setup, run};
use serde_json::{Value, json};

/// splitmix64: a small seeded generator, so a failing run can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn bytes(&mut self, len: usize) -> Vec<u8> {
        let mut v = Vec::with_capacity(len + 8);
        while v.len() < len {
            v.extend_from_slice(&self.next().to_le_bytes());
            if self.below(50) == 0 {
                // Bytes that look like multipart framing must survive too.
                v.extend_from_slice(b"\r\n--gapi_boundary\r\n\r\n");
            }
        }
        v.truncate(len);
        v
    }
}

/// Exit codes a failing call may use (see `src/exit.rs`): no panics (101), no signals.
const CLEAN_FAILURES: [i32; 4] = [1, 4, 5, 6];

#[derive(Debug, Default)]
struct Tally {
    ops: BTreeMap<&'static str, (u32, u32)>,
    faults: u32,
    problems: Vec<String>,
}

impl Tally {
    fn record(&mut self, op: &'static str, ok: bool) {
        let e = self.ops.entry(op).or_default();
        if ok {
            e.0 += 1;
        } else {
            e.1 += 1;
        }
    }
}

/// A random fault for requests matching `matcher`.
fn random_fault(rng: &mut Rng, matcher: Value) -> Value {
    let action = match rng.below(6) {
        0 => json!({"status": 500}),
        1 => json!({"status": 503, "retry_after": rng.below(2)}),
        2 => json!({"status": 429, "retry_after": 1}),
        3 => json!({"stall_ms": 100 + rng.below(700)}),
        4 => json!({"drop_after_bytes": rng.below(64 * 1024)}),
        _ => json!({"drop_after_bytes": rng.below(200)}),
    };
    json!({"match": matcher, "times": 1 + rng.below(2), "action": action})
}

/// Whether a failed call's stdout is "no half output": empty, or complete lines of JSON.
fn clean_partial_stdout(stdout: &str) -> bool {
    stdout.is_empty()
        || (stdout.ends_with('\n')
            && stdout
                .lines()
                .all(|l| serde_json::from_str::<Value>(l).is_ok()))
}

fn check_failure(tally: &mut Tally, what: &str, out: &Output) {
    if !CLEAN_FAILURES.contains(&out.code) {
        tally.problems.push(format!(
            "{what}: unclean exit {} (stderr: {})",
            out.code,
            out.stderr.trim()
        ));
    }
    if !out.stderr.contains("error") {
        tally.problems.push(format!(
            "{what}: failed (exit {}) without an error message",
            out.code
        ));
    }
    if !clean_partial_stdout(&out.stdout) {
        let head: String = out.stdout.chars().take(200).collect();
        tally.problems.push(format!(
            "{what}: exit {} left half output on stdout ({} bytes): {head:?}",
            out.code,
            out.stdout.len()
        ));
    }
}

/// A fingerprint of content (length and SipHash), to compare stored bytes with those sent.
fn sha(data: &[u8]) -> String {
    use std::hash::{DefaultHasher, Hasher};
    let mut h = DefaultHasher::new();
    h.write(data);
    format!("{}:{:016x}", data.len(), h.finish())
}

async fn faults_clear(setup: &Setup) {
    reqwest::Client::new()
        .delete(format!("{}/__emulator/faults", setup.base()))
        .send()
        .await
        .expect("clear faults");
}

#[tokio::test(flavor = "multi_thread")]
async fn fault_soak_never_corrupts_duplicates_or_half_prints() {
    let seed = std::env::var("GAPI_SOAK_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(1)
        });
    let secs: u64 = std::env::var("GAPI_SOAK_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30);
    eprintln!("fault soak: seed {seed} for {secs} s (replay with GAPI_SOAK_SEED={seed})");
    let mut rng = Rng(seed);

    let setup = Setup::new(true).await;
    common::login_loopback(&setup, &["--scope", "drive"]).await;
    let base = setup.base();
    let endpoint = format!("{base}/");
    let work = setup.dir.path().join("soak");
    std::fs::create_dir_all(&work).unwrap();

    // A folder for the uploads, and the reference listing of everything else.
    let out = setup
        .api(&[
            "drive",
            "files",
            "create",
            "--json",
            r#"{"name":"soak uploads","mimeType":"application/vnd.google-apps.folder"}"#,
        ])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let folder: Value = serde_json::from_str(&out.stdout).unwrap();
    let folder = folder["id"].as_str().unwrap().to_string();
    let list_q = format!("q=not '{folder}' in parents");
    let list_args = [
        "drive",
        "files",
        "list",
        "-p",
        &list_q,
        "-p",
        "pageSize=4",
        "-p",
        "fields=nextPageToken,files(id,name)",
        "--page-all",
    ];
    let out = setup
        .api(&[&list_args[..], &["--format", "ndjson"]].concat())
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let mut reference: Vec<String> = out.stdout.lines().map(str::to_string).collect();
    reference.sort();
    assert!(reference.len() > 8, "several pages to list");

    // A file to download and get, made without faults.
    let size = 1_500_000 + rng.below(500_000) as usize;
    let original = rng.bytes(size);
    let src = work.join("original.bin");
    std::fs::write(&src, &original).unwrap();
    let out = setup
        .api(&[
            "drive",
            "files",
            "create",
            "--upload",
            src.to_str().unwrap(),
            "-p",
            "uploadType=resumable",
            "--json",
            &json!({"name": "soak original.bin", "parents": [folder]}).to_string(),
        ])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let created: Value = serde_json::from_str(&out.stdout).unwrap();
    let original_id = created["id"].as_str().unwrap().to_string();

    let mut tally = Tally::default();
    let mut uploads: BTreeMap<String, (String, bool)> = BTreeMap::new(); // name -> (sha, exit 0)
    let start = Instant::now();
    let mut n = 0u32;
    // About `secs` seconds, but at least MIN_CALLS calls (a loaded machine is slower), and
    // never more than three times `secs`.
    const MIN_CALLS: u32 = 20;
    while (start.elapsed() < Duration::from_secs(secs) || n < MIN_CALLS)
        && start.elapsed() < Duration::from_secs(3 * secs)
    {
        n += 1;
        faults_clear(&setup).await;
        let op = match rng.below(5) {
            0 => "list-ndjson",
            1 => "list-json",
            2 => "get",
            3 => "upload",
            _ => "download",
        };
        let matcher = match op {
            "list-ndjson" | "list-json" | "get" => {
                json!({"method": "GET", "path_prefix": "/drive/v3/files"})
            }
            "upload" => json!({"path_prefix": "/upload/drive/v3/files"}),
            _ => json!({"method": "GET", "path_prefix": format!("/drive/v3/files/{original_id}")}),
        };
        for _ in 0..rng.below(3) {
            setup
                .control("faults", random_fault(&mut rng, matcher.clone()))
                .await;
            tally.faults += 1;
        }
        let what = format!("op {n} {op} (seed {seed})");
        match op {
            "list-ndjson" | "list-json" => {
                let format = if op == "list-json" { "json" } else { "ndjson" };
                let out = setup
                    .api(&[&list_args[..], &["--format", format]].concat())
                    .await;
                tally.record(op, out.code == 0);
                if out.code != 0 {
                    check_failure(&mut tally, &what, &out);
                    continue;
                }
                let mut got: Vec<String> = if format == "ndjson" {
                    out.stdout.lines().map(str::to_string).collect()
                } else {
                    match serde_json::from_str::<Value>(&out.stdout) {
                        Ok(Value::Array(items)) => items.iter().map(Value::to_string).collect(),
                        other => {
                            tally
                                .problems
                                .push(format!("{what}: exit 0 but not a JSON array: {other:?}"));
                            continue;
                        }
                    }
                };
                got.sort();
                if got != reference {
                    tally.problems.push(format!(
                        "{what}: exit 0 but listed {} items, not the {} there are",
                        got.len(),
                        reference.len()
                    ));
                }
            }
            "get" => {
                let out = setup
                    .api(&[
                        "drive",
                        "files",
                        "get",
                        "-p",
                        &format!("fileId={original_id}"),
                    ])
                    .await;
                tally.record(op, out.code == 0);
                if out.code != 0 {
                    check_failure(&mut tally, &what, &out);
                    continue;
                }
                match serde_json::from_str::<Value>(&out.stdout) {
                    Ok(v)
                        if v["id"] == original_id.as_str() && v["name"] == "soak original.bin" => {}
                    other => tally
                        .problems
                        .push(format!("{what}: exit 0, wrong metadata {other:?}")),
                }
            }
            "upload" => {
                let name = format!("soak-{n}.bin");
                let resumable = rng.below(2) == 0;
                let size = if resumable {
                    300_000 + rng.below(1_200_000) as usize
                } else {
                    1 + rng.below(200_000) as usize
                };
                let data = rng.bytes(size);
                let path = work.join(&name);
                std::fs::write(&path, &data).unwrap();
                let meta = json!({"name": name, "parents": [folder]}).to_string();
                let protocol = if resumable {
                    "uploadType=resumable"
                } else {
                    "uploadType=multipart"
                };
                let out = setup
                    .api(&[
                        "drive",
                        "files",
                        "create",
                        "--upload",
                        path.to_str().unwrap(),
                        "-p",
                        protocol,
                        "--json",
                        &meta,
                    ])
                    .await;
                tally.record(op, out.code == 0);
                uploads.insert(name.clone(), (sha(&data), out.code == 0));
                if out.code != 0 {
                    check_failure(&mut tally, &what, &out);
                    continue;
                }
                match serde_json::from_str::<Value>(&out.stdout) {
                    Ok(v) if v["name"] == name.as_str() && v["id"].is_string() => {}
                    other => tally
                        .problems
                        .push(format!("{what}: exit 0, wrong answer {other:?}")),
                }
            }
            _ => {
                let dst = work.join(format!("download-{n}.bin"));
                let mut cmd = setup.gapi();
                cmd.args(["drive", "files", "get", "--endpoint", &endpoint])
                    .args([
                        "-p",
                        &format!("fileId={original_id}"),
                        "-p",
                        "alt=media",
                        "-o",
                    ])
                    .arg(&dst);
                let out = run(cmd).await;
                tally.record(op, out.code == 0);
                if out.code != 0 {
                    check_failure(&mut tally, &what, &out);
                    if dst.exists() {
                        tally.problems.push(format!(
                            "{what}: failed (exit {}) but left {} ({} bytes) looking complete",
                            out.code,
                            dst.display(),
                            std::fs::metadata(&dst).map(|m| m.len()).unwrap_or(0)
                        ));
                    }
                    continue;
                }
                match std::fs::read(&dst) {
                    Ok(back) if back == original => {}
                    Ok(back) => {
                        let first_bad = back.iter().zip(&original).position(|(a, b)| a != b);
                        tally.problems.push(format!(
                            "{what}: exit 0 but {} bytes differ from the {} sent (first difference at {first_bad:?})",
                            back.len(),
                            original.len()
                        ));
                    }
                    Err(e) => tally
                        .problems
                        .push(format!("{what}: exit 0 but no file: {e}")),
                }
            }
        }
    }
    faults_clear(&setup).await;

    // Afterwards, without faults: no upload stored twice, every stored upload exact.
    let q = format!("q='{folder}' in parents");
    let out = setup
        .api(&[
            "drive",
            "files",
            "list",
            "-p",
            &q,
            "-p",
            "fields=nextPageToken,files(id,name)",
            "--page-all",
            "--format",
            "ndjson",
        ])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let mut stored: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in out.stdout.lines() {
        let f: Value = serde_json::from_str(line).unwrap();
        if f["id"] == original_id.as_str() {
            continue;
        }
        stored
            .entry(f["name"].as_str().unwrap().to_string())
            .or_default()
            .push(f["id"].as_str().unwrap().to_string());
    }
    let mut duplicates = 0;
    let mut corrupted = 0;
    let mut done_but_failed = 0;
    for (name, (want, exit_ok)) in &uploads {
        let ids = stored.get(name).cloned().unwrap_or_default();
        if ids.len() > 1 {
            duplicates += ids.len() - 1;
            tally
                .problems
                .push(format!("{name} stored {} times (seed {seed})", ids.len()));
        }
        if *exit_ok && ids.is_empty() {
            tally
                .problems
                .push(format!("{name}: upload exited 0 but nothing is stored"));
        }
        if !*exit_ok && !ids.is_empty() {
            done_but_failed += 1;
        }
        for id in ids {
            let dst = work.join(format!("check-{id}.bin"));
            let mut cmd = setup.gapi();
            cmd.args(["drive", "files", "get", "--endpoint", &endpoint])
                .args(["-p", &format!("fileId={id}"), "-p", "alt=media", "-o"])
                .arg(&dst);
            let out = run(cmd).await;
            assert_eq!(out.code, 0, "fault-free download of {name}: {}", out.stderr);
            if sha(&std::fs::read(&dst).unwrap()) != *want {
                corrupted += 1;
                tally.problems.push(format!(
                    "{name}: stored bytes differ from the upload (seed {seed})"
                ));
            }
        }
    }
    let summary = format!(
        "fault soak, seed {seed}: {n} calls in {:.1} s with {} faults; per op (ok, failed) {:?}; \
         {} uploads, {duplicates} duplicates, {corrupted} corrupted, {done_but_failed} stored \
         although the call failed",
        start.elapsed().as_secs_f64(),
        tally.faults,
        tally.ops,
        uploads.len()
    );
    eprintln!("{summary}");
    assert!(n >= MIN_CALLS, "too few calls to mean anything: {summary}");
    assert!(
        tally.problems.is_empty(),
        "{summary}\n{} problems:\n{}",
        tally.problems.len(),
        tally.problems.join("\n")
    );
}
