//! Decode benchmark: what reading the bundle's zstd frames costs, with the decoder gapi
//! embeds. Prints medians. Run: `cargo bench -p gapi-discovery --features all-apis,search-index
//! --bench decode`. `-- once WHAT` does one thing once, for `valgrind --tool=callgrind`
//! (instructions): WHAT is `first` (the first Drive v3 document of a process), `digest` (Drive
//! v3's method index digest, what a cold `gapi drive files list` decodes), `all` (every
//! document) or `search` (the search index).
//!
//! "first Drive v3" = the first document of a process (a featured API's frame: no dictionary
//! to prepare); "Drive v3 digest" = its method index digest (no dictionary); "every document" =
//! all 610 documents one after the other; "search index" = the 3.7 MB text of `gapi search`.

use std::hint::black_box;
use std::time::Instant;

use gapi_discovery::{bundle, method_index, search_data};
use gapi_testkit::timing::median_time;

fn every_document() -> usize {
    let mut total = 0;
    for e in bundle::entries() {
        let json = bundle::document_json(e.name, e.version)
            .expect("bundle readable")
            .expect("all-apis embeds every document");
        total += json.len();
    }
    total
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "once") {
        match args.get(i + 1).map(String::as_str) {
            Some("first") => drop(black_box(bundle::document_json("drive", "v3").unwrap())),
            Some("digest") => drop(black_box(method_index::digest_json("drive", "v3").unwrap())),
            Some("all") => drop(black_box(every_document())),
            Some("search") => drop(black_box(search_data::search_index_text().unwrap())),
            _ => panic!("once first|digest|all|search"),
        }
        return;
    }
    let t = Instant::now();
    let drive = bundle::document_json("drive", "v3")
        .expect("readable")
        .expect("embedded");
    let first = t.elapsed();
    black_box(drive);
    let digest = median_time(200, || {
        black_box(method_index::digest_json("drive", "v3").unwrap());
    });
    let doc = median_time(200, || {
        black_box(bundle::document_json("drive", "v3").unwrap());
    });
    let all = median_time(5, || {
        black_box(every_document());
    });
    let search = median_time(10, || {
        black_box(search_data::search_index_text().unwrap());
    });
    println!("first Drive v3 document in process: {first:>10.2?}");
    println!("Drive v3 method index digest:       {digest:>10.2?}");
    println!("Drive v3 document:                  {doc:>10.2?}");
    println!("every document (610):               {all:>10.2?}");
    println!("search index:                       {search:>10.2?}");
}
