//! Build benchmark: building the Drive v3 service, and building every bundled service.
//! Prints medians. Run: `cargo bench -p gapi-client --bench build`.
//! Python baselines on the reference machine: 1.28 ms (Drive v3) and 0.80 s (all 610).

use std::time::{Duration, Instant};

use gapi_client::{NoAuth, Service};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let _ = gapi_discovery::bundle::entries(); // index parsing is a one-time process cost
    // Drive v3, from the bundle (decompress + parse) each time.
    let mut drive = Vec::new();
    for _ in 0..200 {
        let t = Instant::now();
        let s = Service::builder()
            .bundled("drive", "v3")
            .auth(NoAuth)
            .build()
            .expect("drive builds");
        std::hint::black_box(&s);
        drive.push(t.elapsed());
    }
    let drive_med = median(drive);
    // Method lookup + prepare of files.list.
    let svc = gapi_client::build("drive", "v3", NoAuth).expect("drive builds");
    let mut prep = Vec::new();
    for _ in 0..2000 {
        let t = Instant::now();
        let r = svc
            .method("files.list")
            .and_then(|m| {
                m.param("pageSize", 5)
                    .param("orderBy", "modifiedByMeTime desc")
                    .prepare()
            })
            .expect("prepares");
        std::hint::black_box(&r);
        prep.push(t.elapsed());
    }
    // Decompression alone, and decompression + parse of the model, for all documents.
    let t = Instant::now();
    let mut raw = 0usize;
    for e in gapi_discovery::bundle::entries() {
        raw += gapi_discovery::bundle::document_json(e.name, e.version)
            .ok()
            .flatten()
            .map(|s| s.len())
            .unwrap_or(0);
    }
    let decompress_all = t.elapsed();
    let t = Instant::now();
    for _ in 0..200 {
        std::hint::black_box(gapi_discovery::bundle::document_json("drive", "v3").ok());
    }
    let decompress_drive = t.elapsed() / 200;
    // Parsing drive v3: skimming only, the model, a generic Value.
    let json = gapi_discovery::bundle::document_json("drive", "v3").ok().flatten().unwrap_or_default();
    let time = |f: &dyn Fn()| {
        let mut v = Vec::new();
        for _ in 0..200 {
            let t = Instant::now();
            f();
            v.push(t.elapsed());
        }
        median(v)
    };
    let skim = time(&|| {
        std::hint::black_box(serde_json::from_str::<serde::de::IgnoredAny>(&json).ok());
    });
    let model = time(&|| {
        std::hint::black_box(gapi_discovery::RestDescription::from_json(&json).ok());
    });
    let value = time(&|| {
        std::hint::black_box(serde_json::from_str::<serde_json::Value>(&json).ok());
    });
    println!("parse drive v3 ({} KB): skim {skim:?}, model {model:?}, serde_json::Value {value:?}", json.len() >> 10);
    // All 610.
    let mut all = Vec::new();
    for _ in 0..7 {
        let t = Instant::now();
        for e in gapi_discovery::bundle::entries() {
            let s = Service::builder()
                .bundled(e.name, e.version)
                .auth(NoAuth)
                .build()
                .expect("builds");
            std::hint::black_box(&s);
        }
        all.push(t.elapsed());
    }
    println!(
        "decompress drive v3 only: {:?}; decompress all ({} MB raw): {:?}",
        decompress_drive,
        raw >> 20,
        decompress_all
    );
    println!(
        "build drive v3 (bundled, decompress + parse): median {:?}  (python 1.28 ms)",
        drive_med
    );
    println!(
        "files.list prepare (lookup + cast + URL):     median {:?}",
        median(prep)
    );
    println!(
        "build all {} bundled services:               median {:?}  (python 0.80 s)",
        gapi_discovery::bundle::entries().len(),
        median(all)
    );
}
