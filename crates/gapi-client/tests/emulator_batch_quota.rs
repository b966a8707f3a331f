//! `Batch` against the emulator's quota fault on batch parts (a seeded share of parts refused
//! with 403 `rateLimitExceeded`): failed parts go again until they succeed, every call ends
//! exactly once and in order, and creates are never made twice (counted in the Drive).

use std::time::Duration;

use futures_util::TryStreamExt;
use gapi_client::batch::{Batch, parts_limit};
use gapi_client::{PreparedRequest, RetryPolicy, Service, StaticToken};
use gapi_emulator::{Emulator, EmulatorConfig, RunningEmulator};
use serde_json::{Value, json};

async fn start() -> RunningEmulator {
    let _ = rustls::crypto::ring::default_provider().install_default();
    Emulator::start(EmulatorConfig {
        auto_approve: true,
        ..Default::default()
    })
    .await
    .expect("emulator starts")
}

async fn control(emu: &RunningEmulator, method: &str, path: &str, body: Value) -> Value {
    let c = reqwest::Client::new();
    let url = format!("{}/__emulator/{path}", emu.base_url());
    let req = match method {
        "GET" => c.get(url),
        "DELETE" => c.delete(url),
        _ => c.post(url).json(&body),
    };
    let resp = req.send().await.expect("control API reachable");
    assert!(
        resp.status().is_success(),
        "control {path}: {}",
        resp.status()
    );
    resp.json().await.unwrap_or(Value::Null)
}

async fn drive(emu: &RunningEmulator, email: &str) -> Service {
    let t = control(
        emu,
        "POST",
        "tokens/issue",
        json!({"email": email, "scopes": ["https://www.googleapis.com/auth/drive"]}),
    )
    .await;
    Service::builder()
        .bundled("drive", "v3")
        .endpoint(emu.base_url())
        .auth(StaticToken(t["access_token"].as_str().unwrap().to_string()))
        .retry_policy(
            RetryPolicy::default().with_delays(Duration::from_millis(2), Duration::from_millis(10)),
        )
        .build()
        .unwrap()
}

/// 30 % of the batch parts refused with 403 rateLimitExceeded, chosen by a seeded draw.
async fn quota_fault(emu: &RunningEmulator) {
    control(
        emu,
        "POST",
        "faults",
        json!({"match": {"batch_part": true}, "times": 100000, "action": {"status": 403, "reason": "rateLimitExceeded", "percent": 30, "seed": 7}}),
    )
    .await;
}

fn batch(svc: &Service) -> Batch {
    Batch::new(
        svc.transport(),
        url::Url::parse(&svc.batch_url().unwrap()).unwrap(),
    )
    .max_parts(parts_limit("drive").min(20))
    // Enough attempts that a 30 % refusal never exhausts them for these seeds.
    .retry_policy(
        RetryPolicy::default()
            .with_max_attempts(25)
            .with_delays(Duration::from_millis(1), Duration::from_millis(5)),
    )
}

async fn names_with_prefix(svc: &Service, prefix: &str) -> Vec<String> {
    let files: Vec<Value> = svc
        .method("files.list")
        .unwrap()
        .param("q", format!("name contains '{prefix}'"))
        .param("pageSize", 1000)
        .items("files")
        .try_collect()
        .await
        .unwrap();
    let mut names: Vec<String> = files
        .iter()
        .filter_map(|f| f["name"].as_str())
        .filter(|n| n.starts_with(prefix))
        .map(str::to_string)
        .collect();
    names.sort();
    names
}

async fn batch_posts(emu: &RunningEmulator) -> usize {
    let log = control(emu, "GET", "requests", Value::Null).await;
    log["requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["method"] == "POST" && r["path"] == "/batch/drive/v3")
        .count()
}

#[tokio::test]
async fn refused_reads_are_sent_again_until_each_answers_in_order() {
    let emu = start().await;
    let svc = drive(&emu, "alice@example.com").await;
    let files = gapi_emulator::seeded_files("alice@example.com");
    // Every seeded file twice: 60 reads.
    let ids: Vec<String> = files.iter().chain(&files).map(|f| f.id.clone()).collect();
    let reqs: Vec<PreparedRequest> = ids
        .iter()
        .map(|id| {
            svc.method("files.get")
                .unwrap()
                .param("fileId", id.as_str())
                .prepare()
                .unwrap()
        })
        .collect();
    quota_fault(&emu).await;
    control(&emu, "DELETE", "requests", Value::Null).await;
    let out = batch(&svc)
        .max_concurrency(3)
        .rate(1000.0)
        .execute(&reqs)
        .await
        .unwrap();
    assert_eq!(out.len(), ids.len());
    for (id, r) in ids.iter().zip(&out) {
        let reply = r.as_ref().unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(
            reply.body["id"],
            id.as_str(),
            "answers are in request order"
        );
    }
    // Refused parts went again in later requests: more requests than 60 / 20.
    assert!(batch_posts(&emu).await > 3);
}

#[tokio::test]
async fn creates_are_sent_again_only_when_safe_and_never_twice() {
    let emu = start().await;
    let svc = drive(&emu, "carol@example.com").await;
    quota_fault(&emu).await;

    // POST without a request id: a refused part ends with its error, never sent again.
    let reqs: Vec<PreparedRequest> = (0..40)
        .map(|i| {
            svc.method("files.create")
                .unwrap()
                .body(json!({"name": format!("plain-{i:02}")}))
                .prepare()
                .unwrap()
        })
        .collect();
    let out = batch(&svc).execute(&reqs).await.unwrap();
    assert_eq!(out.len(), 40);
    let mut made = Vec::new();
    let mut refused = 0;
    for (i, r) in out.iter().enumerate() {
        match r {
            Ok(reply) => {
                assert_eq!(reply.body["name"], format!("plain-{i:02}"));
                made.push(format!("plain-{i:02}"));
            }
            Err(e) => {
                assert_eq!(
                    e.api().unwrap().reason.as_deref(),
                    Some("rateLimitExceeded"),
                    "{e}"
                );
                refused += 1;
            }
        }
    }
    assert!(refused > 0, "the fault refused some parts");
    assert_eq!(
        names_with_prefix(&svc, "plain-").await,
        made,
        "what succeeded exists once; nothing more"
    );

    // The caller knows a repeat is harmless here: every create ends made, each once.
    let reqs: Vec<PreparedRequest> = (0..40)
        .map(|i| {
            svc.method("files.create")
                .unwrap()
                .body(json!({"name": format!("safe-{i:02}")}))
                .prepare()
                .unwrap()
        })
        .collect();
    let out = batch(&svc)
        .retry_non_idempotent(true)
        .max_concurrency(2)
        .execute(&reqs)
        .await
        .unwrap();
    for (i, r) in out.iter().enumerate() {
        assert_eq!(r.as_ref().unwrap().body["name"], format!("safe-{i:02}"));
    }
    let want: Vec<String> = (0..40).map(|i| format!("safe-{i:02}")).collect();
    assert_eq!(names_with_prefix(&svc, "safe-").await, want);
}

#[tokio::test]
async fn a_batch_request_refused_whole_with_429_is_sent_again() {
    let emu = start().await;
    let svc = drive(&emu, "carol@example.com").await;
    // The first batch request itself is refused (before any part runs).
    control(
        &emu,
        "POST",
        "faults",
        json!({"match": {"path_prefix": "/batch/drive/v3", "batch_part": false}, "times": 1, "action": {"status": 429}}),
    )
    .await;
    let reqs: Vec<PreparedRequest> = (0..5)
        .map(|i| {
            svc.method("files.create")
                .unwrap()
                .body(json!({"name": format!("whole-{i}")}))
                .prepare()
                .unwrap()
        })
        .collect();
    let out = batch(&svc).execute(&reqs).await.unwrap();
    assert!(out.iter().all(Result::is_ok), "{out:?}");
    let want: Vec<String> = (0..5).map(|i| format!("whole-{i}")).collect();
    assert_eq!(names_with_prefix(&svc, "whole-").await, want);
}
