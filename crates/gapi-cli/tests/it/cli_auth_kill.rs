//! SIGKILL during refresh writes: `gapi` is killed at random points while it refreshes and
//! saves a token (tokens live 60 s, inside the refresh margin, so every run refreshes; the
//! emulator's control API also expires them server-side). After every kill the token file
//! must parse and hold the refresh token; after the next successful run no temp file is left.
//! Two processes run at once each round (they contend for the profile lock). Bounded: it
//! stops at 200 kills (a hard stop at 240 s, for a heavily loaded machine, fails the test instead of running on).

use crate::common;

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::Setup;
use serde_json::{Value, json};

const MIN_KILLS: usize = 200;
const PER_ROUND: usize = 2;
const HARD_STOP: Duration = Duration::from_secs(240);

/// A small xorshift generator: the kill points need spread, not quality.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn temp_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-"))
        .collect()
}

fn check_file(path: &Path, refresh_token: &str, round: usize) -> String {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("round {round}: file gone: {e}"));
    let v: Value = serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("round {round}: the token file does not parse: {e}"));
    assert_eq!(v["type"], "authorized_user", "round {round}");
    assert_eq!(
        v["refresh_token"].as_str(),
        Some(refresh_token),
        "round {round}: the refresh token was lost"
    );
    v["token"].as_str().unwrap_or_default().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn sigkill_during_refresh_writes_never_corrupts_or_loses_the_token() {
    let setup = Setup::with_config(gapi_emulator::EmulatorConfig {
        auto_approve: true,
        token_lifetime: Duration::from_secs(60),
        ..Default::default()
    })
    .await;
    common::login_loopback(&setup, &[]).await;
    let creds_dir = setup.config_dir().join("credentials");
    let file = creds_dir.join("default.json");
    let v: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    let refresh_token = v["refresh_token"].as_str().unwrap().to_string();

    // How long one refreshing run takes here, to spread kill points over its whole life.
    let mut runs = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        let out = setup.run(&["auth", "print-access-token"]).await;
        assert_eq!(out.code, 0, "{}", out.stderr);
        runs.push(started.elapsed().as_micros() as u64);
    }
    runs.sort_unstable();
    let run_us = runs[2];

    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    let mut rng = Rng(seed);
    let (mut kills, mut rounds, mut changed, mut temps_seen, mut clean_runs) = (0, 0, 0, 0, 0);
    let loop_start = Instant::now();
    while kills < MIN_KILLS && loop_start.elapsed() < HARD_STOP {
        rounds += 1;
        let before = check_file(&file, &refresh_token, rounds);
        // Mostly token printing (local expiry); sometimes an API call after the server
        // expired every token (401, forced refresh).
        let api = rng.below(4) == 0;
        if api {
            setup.control("tokens/expire", json!({})).await;
        }
        // Two processes at once per round: they contend for the profile lock, and each is
        // killed at its own point (start-up, refresh request, write, exit), half of the
        // points in the last part of a run, where the token is written.
        let mut victims = Vec::new();
        for _ in 0..PER_ROUND {
            let mut cmd = setup.gapi();
            if api {
                cmd.args(["drive", "about", "get", "--fields", "user"])
                    .args(["--endpoint", &format!("{}/", setup.base())]);
            } else {
                cmd.args(["auth", "print-access-token"]);
            }
            cmd.stdout(Stdio::null()).stderr(Stdio::null());
            let delay = if rng.below(2) == 0 {
                rng.below(run_us)
            } else {
                run_us * 7 / 10 + rng.below(run_us * 6 / 10)
            };
            victims.push((cmd.spawn().unwrap(), Duration::from_micros(delay)));
        }
        let outcomes = futures_util::future::join_all(victims.into_iter().map(
            |(mut child, delay)| async move {
                tokio::time::sleep(delay).await;
                let sent = child.start_kill().is_ok();
                let status = child.wait().await.unwrap();
                use std::os::unix::process::ExitStatusExt;
                sent && status.signal() == Some(9)
            },
        ))
        .await;
        kills += outcomes.iter().filter(|k| **k).count();
        let after = check_file(&file, &refresh_token, rounds);
        if after != before {
            changed += 1;
        }
        if !temp_files(&creds_dir).is_empty() {
            temps_seen += 1;
        }
        // Every tenth round, a run to completion must succeed and leave no temp file.
        if rounds % 10 == 0 {
            let out = setup.run(&["auth", "print-access-token"]).await;
            assert_eq!(out.code, 0, "round {rounds}: {}", out.stderr);
            clean_runs += 1;
            let left = temp_files(&creds_dir);
            assert!(left.is_empty(), "round {rounds}: temp files left: {left:?}");
            check_file(&file, &refresh_token, rounds);
        }
    }
    let out = setup.run(&["auth", "print-access-token"]).await;
    assert_eq!(out.code, 0, "final run: {}", out.stderr);
    let token = out.stdout.trim();
    let info = reqwest::get(format!("{}/tokeninfo?access_token={token}", setup.base()))
        .await
        .unwrap();
    assert!(info.status().is_success(), "the final token is valid");
    assert!(temp_files(&creds_dir).is_empty());
    check_file(&file, &refresh_token, rounds + 1);
    let elapsed = loop_start.elapsed();
    eprintln!(
        "sigkill loop: {kills} kills in {rounds} rounds ({changed} rounds wrote a new token \
         before ending, {temps_seen} ended mid-write leaving a temp file), {clean_runs} clean \
         runs, {:.1} s, one run ~{} ms",
        elapsed.as_secs_f64(),
        run_us / 1000
    );
    assert!(kills >= MIN_KILLS, "only {kills} kills");
    assert!(
        changed > 0 && changed < rounds,
        "kill points spread over the run: {changed} of {rounds} saved first"
    );
}
