//! Build benchmark: building the Drive v3 service, and building every bundled service.
//! Prints medians. Run: `cargo bench -p gapi-client --bench build`.
//! Python baselines on the reference machine: 1.28 ms (Drive v3) and 0.80 s (all 610).
//!
//! "cold" = decompress the API's method index digest from the bundle and parse it (what the
//! first build of an API in a process costs once the bundle is open, as Python's number is
//! `build_from_document` on text already in memory); "first in process" adds the one-time
//! opening of the bundle (its index and the zstd dictionary); "full document" = decompress and
//! parse the whole document, as `describe` and help do; "warm" = build again in the same
//! process (parsed documents are shared through a small cache, like reqwest shares a
//! connection pool).

use std::time::Instant;

use gapi_client::service::bundled_document;
use gapi_client::{NoAuth, Service};
use gapi_testkit::timing::median_time;

fn build_from_index(api: &str, version: &str) -> Service {
    let doc = gapi_discovery::method_index::load(api, version)
        .expect("bundle readable")
        .expect("digest bundled");
    Service::builder()
        .document(doc)
        .auth(NoAuth)
        .build()
        .expect("builds")
}

fn main() {
    // Before anything else touches the bundle: the first build pays for opening it.
    let t = Instant::now();
    std::hint::black_box(build_from_index("drive", "v3"));
    let first = t.elapsed();
    let t = Instant::now();
    let client = gapi_client::HttpClient::new().expect("HTTP client");
    let client_setup = t.elapsed();
    std::hint::black_box(client);
    let t = Instant::now();
    let plain = gapi_client::HttpClient::plain_http().expect("plain HTTP client");
    let plain_setup = t.elapsed();
    std::hint::black_box(plain);
    let entries = gapi_discovery::bundle::entries(); // index parsing: a one-time process cost
    let json = gapi_discovery::bundle::document_json("drive", "v3")
        .ok()
        .flatten()
        .unwrap_or_default();

    let decompress = median_time(200, || {
        std::hint::black_box(gapi_discovery::bundle::document_json("drive", "v3").ok());
    });
    let skim = median_time(200, || {
        std::hint::black_box(serde_json::from_str::<serde::de::IgnoredAny>(&json).ok());
    });
    let parse = median_time(200, || {
        std::hint::black_box(gapi_discovery::RestDescription::from_json(&json).ok());
    });
    let value = median_time(200, || {
        std::hint::black_box(serde_json::from_str::<serde_json::Value>(&json).ok());
    });
    let index_cold = median_time(200, || {
        std::hint::black_box(build_from_index("drive", "v3"));
    });
    let index_decompress = median_time(200, || {
        std::hint::black_box(gapi_discovery::method_index::digest_json("drive", "v3").ok());
    });
    let index_call = median_time(200, || {
        let s = build_from_index("drive", "v3");
        let r = s.method("files.list").and_then(|m| {
            m.param("pageSize", 5)
                .param("orderBy", "modifiedByMeTime desc")
                .prepare()
        });
        std::hint::black_box(r.ok());
    });
    let cold = median_time(200, || {
        let doc = bundled_document("drive", "v3").expect("drive v3 bundled");
        let s = Service::builder()
            .document(doc)
            .auth(NoAuth)
            .build()
            .expect("builds");
        std::hint::black_box(&s);
    });
    let cold_call = median_time(200, || {
        let doc = bundled_document("drive", "v3").expect("drive v3 bundled");
        let s = Service::builder()
            .document(doc)
            .auth(NoAuth)
            .build()
            .expect("builds");
        let r = s.method("files.list").and_then(|m| {
            m.param("pageSize", 5)
                .param("orderBy", "modifiedByMeTime desc")
                .prepare()
        });
        std::hint::black_box(r.ok());
    });
    let warm = median_time(2000, || {
        let s = Service::builder()
            .bundled("drive", "v3")
            .auth(NoAuth)
            .build()
            .expect("drive builds");
        std::hint::black_box(&s);
    });
    let svc = gapi_client::build("drive", "v3", NoAuth).expect("drive builds");
    let prepare = median_time(2000, || {
        let r = svc
            .method("files.list")
            .and_then(|m| {
                m.param("pageSize", 5)
                    .param("orderBy", "modifiedByMeTime desc")
                    .prepare()
            })
            .expect("prepares");
        std::hint::black_box(&r);
    });
    let all_index = median_time(5, || {
        for e in entries {
            std::hint::black_box(build_from_index(e.name, e.version));
        }
    });
    let all_cold = median_time(5, || {
        for e in entries {
            let doc = bundled_document(e.name, e.version).expect("bundled");
            let s = Service::builder()
                .document(doc)
                .auth(NoAuth)
                .build()
                .expect("builds");
            std::hint::black_box(&s);
        }
    });
    let all_decompress = median_time(5, || {
        for e in entries {
            std::hint::black_box(gapi_discovery::bundle::document_json(e.name, e.version).ok());
        }
    });

    println!(
        "HTTP client creation (once per process): with system roots {client_setup:?}, plain-HTTP endpoint {plain_setup:?}"
    );
    let digest_len = gapi_discovery::method_index::digest_json("drive", "v3")
        .ok()
        .flatten()
        .map_or(0, |d| d.len());
    println!(
        "drive v3 document: {} KB, its method index digest {} KB",
        json.len() >> 10,
        digest_len >> 10
    );
    println!("build drive v3, cold, method index          {index_cold:?}   (python 1.28 ms)");
    println!("  of which decompressing the digest         {index_decompress:?}");
    println!("  the first in this process (opens bundle)  {first:?}");
    println!("build drive v3 + files.list prepare, cold   {index_call:?}");
    println!("build drive v3, cold, full document         {cold:?}");
    println!("  decompress only                           {decompress:?}");
    println!("  parse: skim {skim:?}, gapi model {parse:?}, serde_json::Value {value:?}");
    println!("  + files.list prepare                      {cold_call:?}");
    println!("build drive v3, warm (same process)        {warm:?}");
    println!("files.list lookup + cast + URL             {prepare:?}");
    println!(
        "build all {} services, cold, method index  {all_index:?}   (python 0.80 s)",
        entries.len()
    );
    println!("build all services, cold, full documents  {all_cold:?}");
    println!("  of which decompression                  {all_decompress:?}");
}
