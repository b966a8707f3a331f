//! Request throughput against gapi-emulator's Drive v3 over keep-alive:
//! sequential `files.list` through gapi, the same request with a bare reqwest client (the
//! ceiling), and 64 concurrent callers. Run: `cargo bench -p gapi-client --bench throughput`.
//! Python baseline (google-api-python-client, sequential): ~660 requests/s on the reference machine.

use std::time::{Duration, Instant};

use gapi_client::{Service, StaticToken};
use gapi_emulator::{Emulator, EmulatorConfig};

const N: usize = 3000;

fn rate(n: usize, d: Duration) -> f64 {
    n as f64 / d.as_secs_f64()
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let emu = Emulator::start(EmulatorConfig {
        auto_approve: true,
        ..Default::default()
    })
    .await
    .expect("emulator starts");
    let base = emu.base_url();
    let http = reqwest::Client::new();
    let issued: serde_json::Value = http
        .post(format!("{base}/__emulator/tokens/issue"))
        .json(&serde_json::json!({}))
        .send()
        .await
        .expect("token")
        .json()
        .await
        .expect("token JSON");
    let token = issued["access_token"]
        .as_str()
        .expect("access_token")
        .to_string();
    let svc = Service::builder()
        .bundled("drive", "v3")
        .endpoint(&base)
        .auth(StaticToken(token.clone()))
        .build()
        .expect("drive builds");
    let call = || {
        svc.method("files.list")
            .expect("method")
            .param("pageSize", 5)
            .param("orderBy", "modifiedByMeTime desc")
    };

    // Warm up the connection.
    for _ in 0..50 {
        call().execute().await.expect("files.list");
    }
    let t = Instant::now();
    for _ in 0..N {
        std::hint::black_box(call().execute().await.expect("files.list"));
    }
    let gapi_seq = t.elapsed();

    let url = call().prepare().expect("prepares").url;
    let t = Instant::now();
    for _ in 0..N {
        let v: serde_json::Value = http
            .get(url.clone())
            .bearer_auth(&token)
            .send()
            .await
            .expect("send")
            .json()
            .await
            .expect("json");
        std::hint::black_box(v);
    }
    let bare_seq = t.elapsed();

    let t = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..64 {
        let svc = svc.clone();
        tasks.push(tokio::spawn(async move {
            for _ in 0..N / 64 {
                svc.method("files.list")
                    .expect("method")
                    .param("pageSize", 5)
                    .execute()
                    .await
                    .expect("files.list");
            }
        }));
    }
    for t in tasks {
        t.await.expect("task");
    }
    let gapi_conc = t.elapsed();

    println!(
        "sequential files.list via gapi:    {:>8.0} req/s  (python ~660 req/s)",
        rate(N, gapi_seq)
    );
    println!(
        "sequential, bare reqwest:          {:>8.0} req/s  (gapi at {:.0}% of it)",
        rate(N, bare_seq),
        100.0 * bare_seq.as_secs_f64() / gapi_seq.as_secs_f64()
    );
    println!(
        "64 concurrent callers via gapi:    {:>8.0} req/s",
        rate(N / 64 * 64, gapi_conc)
    );
    emu.shutdown().await;
}
