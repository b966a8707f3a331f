//! Sequential and concurrent `files.list` throughput against the emulator, for gapi's Service
//! and for a bare reqwest client sending the same request (the ceiling).
//!
//!     cargo bench -p gapi --bench throughput            # starts its own emulator
//!     EMU=http://127.0.0.1:PORT TOKEN=... cargo bench -p gapi --bench throughput
//!
//! Prints requests per second; bench/run.sh runs it beside the Python client.

use std::sync::Arc;
use std::time::Instant;

use futures_util::StreamExt;
use gapi_client::{Service, StaticToken};

const SEQUENTIAL: usize = 5000;
const CONCURRENT_TOTAL: usize = 20000;
const CONCURRENCY: usize = 64;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    // Keep the emulator alive for the whole run when we start it ourselves.
    let mut _own = None;
    let (emu, token) = match (std::env::var("EMU"), std::env::var("TOKEN")) {
        (Ok(e), Ok(t)) => (e, t),
        _ => {
            let running = gapi_emulator::Emulator::start(Default::default()).await?;
            let base = running.base_url();
            let v: serde_json::Value = reqwest::Client::new()
                .post(format!("{base}/__emulator/tokens/issue"))
                .json(&serde_json::json!({"email": "alice@example.com",
                    "scopes": ["https://www.googleapis.com/auth/drive.readonly"]}))
                .send()
                .await?
                .json()
                .await?;
            _own = Some(running);
            (
                base,
                v["access_token"].as_str().unwrap_or_default().to_string(),
            )
        }
    };
    let drive = Service::builder()
        .bundled("drive", "v3")
        .endpoint(format!("{emu}/"))
        .auth(StaticToken(token.clone()))
        .build()?;
    let call = drive
        .method("files.list")?
        .param("pageSize", 5)
        .param("orderBy", "modifiedByMeTime desc");
    let url = call.prepare()?.url;

    for _ in 0..200 {
        call.execute().await?;
    }
    let t0 = Instant::now();
    for _ in 0..SEQUENTIAL {
        call.execute().await?;
    }
    let gapi_seq = SEQUENTIAL as f64 / t0.elapsed().as_secs_f64();

    let bare = reqwest::Client::new();
    for _ in 0..200 {
        bare.get(url.clone())
            .bearer_auth(&token)
            .send()
            .await?
            .bytes()
            .await?;
    }
    let t0 = Instant::now();
    for _ in 0..SEQUENTIAL {
        let body = bare
            .get(url.clone())
            .bearer_auth(&token)
            .send()
            .await?
            .bytes()
            .await?;
        let _: serde_json::Value = serde_json::from_slice(&body)?;
    }
    let bare_seq = SEQUENTIAL as f64 / t0.elapsed().as_secs_f64();

    let call = Arc::new(call);
    let t0 = Instant::now();
    let results: Vec<_> = futures_util::stream::iter(0..CONCURRENT_TOTAL)
        .map(|_| {
            let call = call.clone();
            async move { call.execute().await }
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    let failures = results.iter().filter(|r| r.is_err()).count();
    let gapi_conc = CONCURRENT_TOTAL as f64 / t0.elapsed().as_secs_f64();

    println!("gapi sequential files.list:   {gapi_seq:.0} req/s ({SEQUENTIAL} calls)");
    println!("bare reqwest sequential:      {bare_seq:.0} req/s (same URL, token, JSON parse)");
    println!(
        "gapi / bare:                  {:.0}%",
        gapi_seq / bare_seq * 100.0
    );
    println!(
        "gapi {CONCURRENCY}-concurrent files.list: {gapi_conc:.0} req/s ({CONCURRENT_TOTAL} calls, {failures} failed)"
    );
    Ok(())
}
