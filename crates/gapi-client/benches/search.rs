//! Method search benchmark: hit rates on the evaluation sets in `bench/` and search time.
//!
//! Run: `cargo bench -p gapi-client --bench search`. After `--`: `-v` lists every task not
//! ranked first; TSV paths (relative to the workspace root) replace the default sets (the
//! two dev sets and the seven held-out ones); `--full-documents` also times decompressing and
//! parsing every preferred document, what the first search would cost without the search
//! text; `--first-only` stops after the first search, for a profiler. Each set line is
//! `task<TAB>accepted ids`; a task hits at k when one of its accepted method ids is among
//! the first k results. Times: the first search of the process (it builds the index; also as
//! CPU time, which a busy machine does not inflate) and the median of every later search.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use gapi_client::method_search::search;
use gapi_testkit::timing::median;

struct Task {
    query: String,
    accepted: Vec<String>,
}

fn read_set(path: &Path) -> Vec<Task> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (query, ids) = l
                .split_once('\t')
                .unwrap_or_else(|| panic!("{}: no tab in {l:?}", path.display()));
            Task {
                query: query.to_string(),
                accepted: ids.split_whitespace().map(str::to_string).collect(),
            }
        })
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let verbose = args.iter().any(|a| a == "-v");
    // cargo runs benches in the crate's folder: paths are taken from the workspace root.
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let bench = root.join("bench");
    let mut sets: Vec<PathBuf> = args
        .iter()
        .filter(|a| !a.starts_with('-'))
        .map(|a| root.join(a))
        .collect();
    if sets.is_empty() {
        sets = vec![
            bench.join("search_eval_dev.tsv"),
            bench.join("search_eval_dev2.tsv"),
            bench.join("search_eval_heldout.tsv"),
            bench.join("search_eval_heldout2.tsv"),
            bench.join("search_eval_heldout3.tsv"),
            bench.join("search_eval_heldout4.tsv"),
            bench.join("search_eval_heldout5.tsv"),
            bench.join("search_eval_heldout6.tsv"),
            bench.join("search_eval_heldout7.tsv"),
        ];
    }
    let (t, cpu) = (Instant::now(), cpu_time());
    std::hint::black_box(search("list files", None, 5));
    let first = t.elapsed();
    let first_cpu = cpu_time().zip(cpu).map(|(b, a)| b - a);
    if args.iter().any(|a| a == "--first-only") {
        println!("first search (builds the index): {first:.0?}, {first_cpu:.0?} on the CPU");
        return;
    }

    // Every accepted id must exist, or a typo would count as a miss of the ranking.
    let everything: std::collections::HashSet<String> = search_all_ids();
    let mut times = Vec::new();
    for path in &sets {
        let tasks = read_set(path);
        let (mut top1, mut top5) = (0, 0);
        let mut apis = std::collections::BTreeSet::new();
        for task in &tasks {
            for id in &task.accepted {
                assert!(
                    everything.contains(id),
                    "{}: {id} is no indexed method id",
                    path.display()
                );
                apis.insert(id.split('.').next().unwrap_or("").to_string());
            }
            let t = Instant::now();
            let hits = search(&task.query, None, 5);
            times.push(t.elapsed());
            let rank = hits.iter().position(|h| task.accepted.contains(&h.id));
            top1 += usize::from(rank == Some(0));
            top5 += usize::from(rank.is_some());
            if verbose && rank != Some(0) {
                let got: Vec<&str> = hits.iter().map(|h| h.id.as_str()).collect();
                println!(
                    "  {} {:?} want {:?} got {got:?}",
                    rank.map(|r| format!("@{}", r + 1))
                        .unwrap_or_else(|| "MISS".into()),
                    task.query,
                    task.accepted
                );
            }
        }
        let n = tasks.len();
        println!(
            "{}: {n} tasks, {} APIs: top-1 {top1}/{n} ({:.0}%), top-5 {top5}/{n} ({:.0}%)",
            path.file_name().unwrap_or_default().to_string_lossy(),
            apis.len(),
            100.0 * top1 as f64 / n as f64,
            100.0 * top5 as f64 / n as f64,
        );
    }
    // Time again, repeatedly, so the median is not one cold pass.
    for _ in 0..5 {
        for path in &sets {
            for task in read_set(path) {
                let t = Instant::now();
                std::hint::black_box(search(&task.query, None, 5));
                times.push(t.elapsed());
            }
        }
    }
    let max = *times.iter().max().unwrap_or(&Duration::ZERO);
    let cpu = first_cpu
        .map(|c| format!(" ({c:.0?} on the CPU)"))
        .unwrap_or_default();
    println!(
        "first search (builds the index): {first:.0?}{cpu}; later searches: median {:.2?}, max {max:.2?} over {}",
        median(times.clone()),
        times.len()
    );
    if args.iter().any(|a| a == "--full-documents") {
        full_documents();
    }
}

/// Time this thread has run on a CPU (Linux), which a busy shared machine does not inflate.
fn cpu_time() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns = text.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

/// Every method id the index holds: a search per indexed API for its own name would miss
/// some, so list them from the bundled documents the index was made from.
fn search_all_ids() -> std::collections::HashSet<String> {
    let mut out = std::collections::HashSet::new();
    for e in gapi_discovery::bundle::entries() {
        if let Ok(doc) = gapi_client::service::bundled_document(e.name, e.version) {
            for (_, m) in doc.all_methods() {
                out.insert(m.id.clone());
            }
        }
    }
    out
}

/// What the first search would cost if it read the preferred documents themselves.
fn full_documents() {
    let (t, cpu) = (Instant::now(), cpu_time());
    let mut methods = 0;
    for e in gapi_discovery::bundle::entries()
        .iter()
        .filter(|e| e.preferred())
    {
        if let Ok(doc) = gapi_client::service::bundled_document(e.name, e.version) {
            methods += doc.all_methods().len();
        }
    }
    let cpu = cpu_time()
        .zip(cpu)
        .map(|(b, a)| format!(" ({:.0?} on the CPU)", b - a))
        .unwrap_or_default();
    println!(
        "decompressing and parsing every preferred document: {:.0?}{cpu} ({methods} methods)",
        t.elapsed()
    );
}
