//! Sequential `files.list` over one keep-alive connection against a fixed-response hyper
//! server on 127.0.0.1 (not the emulator, whose own work would be the ceiling): gapi's
//! `Service` beside a bare hyper client sending the same request and parsing the same JSON.
//! What is left between the two is the client's own cost per call. Two reqwest rows between
//! them separate reqwest's own cost from gapi's: reqwest as gapi configures it (gapi's
//! `HttpClient`: gzip, connect/read timeouts, TCP_NODELAY) and reqwest with its defaults,
//! each sending the same URL and token and parsing into a `serde_json::Value`.
//!
//!     cargo bench -p gapi-client --bench keepalive            # 5 rounds of 4000 calls each
//!     ROUNDS=9 CALLS=10000 cargo bench -p gapi-client --bench keepalive
//!
//! The server runs on a thread and runtime of its own; both clients run on one current-thread
//! runtime, in alternating rounds (so a noisy neighbour hits both alike), and the medians of
//! the rounds are compared.

use std::convert::Infallible;
use std::time::Instant;

use bytes::Bytes;
use gapi_client::{Service, StaticToken};
use gapi_testkit::timing::median;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Request, Response};

/// A Drive `files.list` page of five files, as the server answers every request.
fn page() -> Bytes {
    let files: Vec<serde_json::Value> = (0..5)
        .map(|i| {
            serde_json::json!({
                "kind": "drive#file",
                "id": format!("1AbCdEfGhIjKlMnOpQrStUvWxYz{i:05}"),
                "name": format!("Quarterly report {i}.pdf"),
                "mimeType": "application/pdf",
                "modifiedTime": "2026-11-30T12:34:56.789Z",
            })
        })
        .collect();
    let page = serde_json::json!({
        "kind": "drive#fileList",
        "nextPageToken": "~!!~AI9FV7Q",
        "incompleteSearch": false,
        "files": files,
    });
    Bytes::from(serde_json::to_vec(&page).expect("a JSON value serializes"))
}

/// Serves `body` to every request on 127.0.0.1 (keep-alive, TCP_NODELAY) from a thread of
/// its own; returns the port.
fn serve(body: Bytes) -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let port = listener.local_addr().expect("local address").port();
    listener.set_nonblocking(true).expect("non-blocking");
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("server runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let _ = stream.set_nodelay(true);
                let body = body.clone();
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |_req: Request<Incoming>| {
                        let body = body.clone();
                        async move {
                            Ok::<_, Infallible>(
                                Response::builder()
                                    .header("content-type", "application/json; charset=UTF-8")
                                    .body(Full::new(body))
                                    .expect("a fixed response"),
                            )
                        }
                    });
                    let io = hyper_util::rt::TokioIo::new(stream);
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(io, service)
                        .await;
                });
            }
        });
    });
    port
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let rounds = env_usize("ROUNDS", 5).max(1);
    let calls = env_usize("CALLS", 4000).max(1);
    let port = serve(page());
    let token = "ya29.a0AfB_byC-fixed-benchmark-token-0123456789abcdefghijklmnopqrstuvwxyz";

    let drive = Service::builder()
        .bundled("drive", "v3")
        .endpoint(format!("http://127.0.0.1:{port}/"))
        .auth(StaticToken(token.to_string()))
        .build()?;
    let call = drive
        .method("files.list")?
        .param("pageSize", 5)
        .param("orderBy", "modifiedByMeTime desc");
    let uri: hyper::Uri = call.prepare()?.url.as_str().parse()?;

    // The bare client: one HTTP/1.1 connection, the same URL, token and JSON parse.
    let stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await?;
    stream.set_nodelay(true)?;
    let (mut sender, conn) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream)).await?;
    tokio::spawn(conn);
    let authority = uri.authority().map(|a| a.to_string()).unwrap_or_default();
    let bearer = format!("Bearer {token}");
    let path = uri
        .path_and_query()
        .map(|p| p.to_string())
        .unwrap_or_default();
    let mut bare = async || -> Result<serde_json::Value, Box<dyn std::error::Error>> {
        let req = Request::get(path.as_str())
            .header(hyper::header::HOST, authority.as_str())
            .header(hyper::header::AUTHORIZATION, bearer.as_str())
            .body(Full::new(Bytes::new()))?;
        let resp = sender.send_request(req).await?;
        let body = resp.into_body().collect().await?.to_bytes();
        Ok(serde_json::from_slice(&body)?)
    };

    // reqwest alone: as gapi configures it, and with reqwest's defaults.
    let url = call.prepare()?.url.as_str().to_string();
    let gapi_reqwest = gapi_client::HttpClient::plain_http()?
        .reqwest_client()
        .clone();
    let default_reqwest = reqwest::Client::new();
    let via_reqwest =
        async |client: &reqwest::Client| -> Result<serde_json::Value, Box<dyn std::error::Error>> {
            let resp = client
                .get(url.as_str())
                .header(reqwest::header::AUTHORIZATION, bearer.as_str())
                .send()
                .await?;
            let body = resp.bytes().await?;
            Ok(serde_json::from_slice(&body)?)
        };

    // Warm up all (connections, pools, the document's `files` resource).
    for _ in 0..200 {
        call.execute().await?;
        via_reqwest(&gapi_reqwest).await?;
        via_reqwest(&default_reqwest).await?;
        bare().await?;
    }
    let mut rates: [Vec<f64>; 4] = Default::default();
    for _ in 0..rounds {
        let t0 = Instant::now();
        for _ in 0..calls {
            std::hint::black_box(call.execute().await?);
        }
        rates[0].push(calls as f64 / t0.elapsed().as_secs_f64());
        for (i, client) in [(1, &gapi_reqwest), (2, &default_reqwest)] {
            let t0 = Instant::now();
            for _ in 0..calls {
                std::hint::black_box(via_reqwest(client).await?);
            }
            rates[i].push(calls as f64 / t0.elapsed().as_secs_f64());
        }
        let t0 = Instant::now();
        for _ in 0..calls {
            std::hint::black_box(bare().await?);
        }
        rates[3].push(calls as f64 / t0.elapsed().as_secs_f64());
    }
    let m: Vec<f64> = rates.iter().map(|r| median(r.clone())).collect();
    println!(
        "fixed-response hyper server on 127.0.0.1, {rounds} rounds of {calls} sequential files.list calls (medians)"
    );
    let names = [
        "gapi Service sequential files.list",
        "reqwest as gapi configures it     ",
        "reqwest with its defaults         ",
        "bare hyper client, same request   ",
    ];
    for (i, name) in names.iter().enumerate() {
        println!(
            "{name}: {:6.0} req/s  {:5.1}% of bare hyper  (rounds: {:.0?})",
            m[i],
            m[i] / m[3] * 100.0,
            rates[i]
        );
    }
    println!(
        "gapi / bare hyper: {:.1}%   gapi / reqwest as configured: {:.1}%",
        m[0] / m[3] * 100.0,
        m[0] / m[1] * 100.0
    );
    Ok(())
}
