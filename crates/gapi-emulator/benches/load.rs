//! Load benchmark (not a timed test): 64 concurrent `files.list` clients and 16 concurrent
//! uploads against one emulator, in memory and with a data directory; requests/s and latency
//! percentiles per kind of request.
//!
//! Run: `cargo bench -p gapi-emulator --bench load` (release profile). `LOAD_SECS` sets the
//! length of each run (default 5), `LOAD_UPLOAD_KIB` the size of each upload (default 64).
//! The recorded numbers live in crates/gapi-emulator/BENCHMARKS.md.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use gapi_emulator::{Emulator, EmulatorConfig};

const LISTERS: usize = 64;
const UPLOADERS: usize = 16;

async fn token(http: &reqwest::Client, base: &str, email: &str, scope: &str) -> String {
    let v: serde_json::Value = http
        .post(format!("{base}/__emulator/tokens/issue"))
        .json(&serde_json::json!({"email": email, "scope": scope}))
        .send()
        .await
        .expect("issue token")
        .json()
        .await
        .expect("token JSON");
    v["access_token"].as_str().expect("access_token").to_owned()
}

/// Sends requests made by `make` until `stop`, returning each one's latency.
async fn run_loop(
    stop: Arc<AtomicBool>,
    make: impl Fn() -> reqwest::RequestBuilder,
) -> (Vec<Duration>, usize) {
    let mut latencies = Vec::new();
    let mut errors = 0;
    while !stop.load(Ordering::Relaxed) {
        let t = Instant::now();
        match make().send().await {
            Ok(r) if r.status().is_success() => {
                let _ = r.bytes().await;
                latencies.push(t.elapsed());
            }
            _ => errors += 1,
        }
    }
    (latencies, errors)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn report(label: &str, mut all: Vec<Duration>, errors: usize, secs: f64) {
    all.sort();
    println!(
        "{label:<34} {:>8.0} req/s  p50 {:>7.2} ms  p99 {:>7.2} ms  max {:>7.2} ms  ({} requests, {errors} errors)",
        all.len() as f64 / secs,
        percentile(&all, 0.50).as_secs_f64() * 1e3,
        percentile(&all, 0.99).as_secs_f64() * 1e3,
        all.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
        all.len(),
    );
}

async fn scenario(label: &str, config: EmulatorConfig, secs: u64, upload_kib: usize) {
    let emu = Emulator::start(config).await.expect("start");
    let base = emu.base_url();
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(LISTERS + UPLOADERS)
        .build()
        .expect("client");
    let reader = token(
        &http,
        &base,
        "alice@example.com",
        "https://www.googleapis.com/auth/drive.metadata.readonly",
    )
    .await;
    let writer = token(
        &http,
        &base,
        "bob@example.com",
        "https://www.googleapis.com/auth/drive",
    )
    .await;
    let stop = Arc::new(AtomicBool::new(false));
    let list_url = format!(
        "{base}/drive/v3/files?pageSize=10&orderBy=modifiedByMeTime%20desc&fields=files(id,name)"
    );
    let upload_url = format!("{base}/upload/drive/v3/files?uploadType=media&fields=id");
    let payload = bytes::Bytes::from(vec![0x5au8; upload_kib * 1024]);
    let mut lists = Vec::new();
    for _ in 0..LISTERS {
        let (http, url, token, stop) =
            (http.clone(), list_url.clone(), reader.clone(), stop.clone());
        lists.push(tokio::spawn(async move {
            run_loop(stop, || http.get(&url).bearer_auth(&token)).await
        }));
    }
    let mut uploads = Vec::new();
    for _ in 0..UPLOADERS {
        let (http, url, token, stop, payload) = (
            http.clone(),
            upload_url.clone(),
            writer.clone(),
            stop.clone(),
            payload.clone(),
        );
        uploads.push(tokio::spawn(async move {
            run_loop(stop, || {
                http.post(&url)
                    .bearer_auth(&token)
                    .header("content-type", "application/octet-stream")
                    .body(payload.clone())
            })
            .await
        }));
    }
    let started = Instant::now();
    tokio::time::sleep(Duration::from_secs(secs)).await;
    stop.store(true, Ordering::Relaxed);
    let collect = async |tasks: Vec<tokio::task::JoinHandle<(Vec<Duration>, usize)>>| {
        let mut all = Vec::new();
        let mut errors = 0;
        for t in tasks {
            let (l, e) = t.await.expect("task");
            all.extend(l);
            errors += e;
        }
        (all, errors)
    };
    let (list_lat, list_err) = collect(lists).await;
    let (up_lat, up_err) = collect(uploads).await;
    let secs = started.elapsed().as_secs_f64();
    report(
        &format!("{label}: files.list x{LISTERS}"),
        list_lat,
        list_err,
        secs,
    );
    report(
        &format!("{label}: upload {upload_kib} KiB x{UPLOADERS}"),
        up_lat,
        up_err,
        secs,
    );
    emu.shutdown().await;
}

fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let secs = std::env::var("LOAD_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let upload_kib = std::env::var("LOAD_UPLOAD_KIB")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(64);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        scenario("in memory", EmulatorConfig::default(), secs, upload_kib).await;
        let dir = tempfile::tempdir().expect("temp dir");
        scenario(
            "--data",
            EmulatorConfig {
                data_dir: Some(dir.path().join("data")),
                ..Default::default()
            },
            secs,
            upload_kib,
        )
        .await;
    });
}
