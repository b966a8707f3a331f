//! Emulator benchmarks (not timed tests): start-up time, and `files.list` requests per second
//! over keep-alive, sequential on one connection and with 4 concurrent connections.
//!
//! Run: `cargo bench -p gapi-emulator --bench emulator` (release profile). Results go to stdout;
//! the recorded numbers live in crates/gapi-emulator/BENCHMARKS.md.

use std::time::Instant;

use gapi_emulator::{Emulator, EmulatorConfig};
use gapi_testkit::timing::median;

async fn token(http: &reqwest::Client, base: &str) -> String {
    let v: serde_json::Value = http
        .post(format!("{base}/__emulator/tokens/issue"))
        .json(&serde_json::json!({"email": "alice@example.com", "scope": "https://www.googleapis.com/auth/drive.metadata.readonly"}))
        .send()
        .await
        .expect("issue token")
        .json()
        .await
        .expect("token JSON");
    v["access_token"].as_str().expect("access_token").to_owned()
}

async fn list_loop(http: reqwest::Client, url: String, token: String, n: usize) {
    for _ in 0..n {
        let r = http
            .get(&url)
            .bearer_auth(&token)
            .send()
            .await
            .expect("request");
        assert_eq!(r.status(), 200);
        let _ = r.bytes().await.expect("body");
    }
}

fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        // Start-up: bind + seed + ready to answer, in-process.
        let mut startups = Vec::new();
        for _ in 0..20 {
            let t = Instant::now();
            let emu = Emulator::start(EmulatorConfig::default())
                .await
                .expect("start");
            let http = reqwest::Client::new();
            let r = http
                .get(format!(
                    "{}/discovery/v1/apis/drive/v3/rest",
                    emu.base_url()
                ))
                .send()
                .await
                .expect("ready");
            assert_eq!(r.status(), 200);
            startups.push(t.elapsed());
            emu.shutdown().await;
        }
        println!(
            "start-up to first discovery answer (median of 20): {:?}",
            median(startups)
        );

        let emu = Emulator::start(EmulatorConfig::default())
            .await
            .expect("start");
        let base = emu.base_url();
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(8)
            .build()
            .expect("client");
        let token = token(&http, &base).await;
        let url = format!(
            "{base}/drive/v3/files?pageSize=5&orderBy=modifiedByMeTime%20desc&fields=files(id,name)"
        );
        list_loop(http.clone(), url.clone(), token.clone(), 200).await; // warm-up

        let n = 3000;
        let t = Instant::now();
        list_loop(http.clone(), url.clone(), token.clone(), n).await;
        let secs = t.elapsed().as_secs_f64();
        println!(
            "files.list sequential, 1 keep-alive connection: {:.0} requests/s ({n} requests)",
            n as f64 / secs
        );

        let per = 1500;
        let t = Instant::now();
        let tasks: Vec<_> = (0..4)
            .map(|_| tokio::spawn(list_loop(http.clone(), url.clone(), token.clone(), per)))
            .collect();
        for task in tasks {
            task.await.expect("task");
        }
        let secs = t.elapsed().as_secs_f64();
        println!(
            "files.list, 4 concurrent keep-alive connections: {:.0} requests/s ({} requests)",
            (4 * per) as f64 / secs,
            4 * per
        );
        emu.shutdown().await;
    });
}
