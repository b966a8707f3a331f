//! Signing benchmark: the CPU a service-account credential spends per token. Prints medians
//! (and the fastest run, a floor on a busy machine). Run: `cargo bench -p gapi-auth --bench signing`.
//!
//! - "parse key": PEM → ring key pair, once per process (a cold CLI call pays it once);
//! - "assertion": the JWT-bearer grant's claims built and signed RS256 (one per token);
//! - "self-signed JWT": the bearer JWT sent without a token request (one per token);
//! - "RS256 only": the signature alone over a typical signing input.
//!
//! The key is the 2048-bit test key in `tests/data/test-sa-key.pem`, the size Google issues.
//! Target (issue 10): no more than a millisecond or two of CPU per token.

use std::time::{Duration, Instant};

use gapi_auth::credentials::service_account::{ServiceAccount, ServiceAccountKey};

const KEY_PEM: &str = include_str!("../tests/data/test-sa-key.pem");
const RUNS: usize = 500;

fn stats(mut v: Vec<Duration>) -> (Duration, Duration) {
    v.sort();
    (v[v.len() / 2], v[0])
}

fn time(runs: usize, mut f: impl FnMut()) -> (Duration, Duration) {
    for _ in 0..runs / 10 {
        f(); // warm-up
    }
    let mut v = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        f();
        v.push(t.elapsed());
    }
    stats(v)
}

fn report(name: &str, (median, fastest): (Duration, Duration)) {
    println!(
        "{name:<34} median {:>8.1} µs   fastest {:>8.1} µs",
        median.as_secs_f64() * 1e6,
        fastest.as_secs_f64() * 1e6
    );
}

fn main() {
    let key_json = serde_json::json!({
        "type": "service_account",
        "project_id": "bench",
        "private_key_id": "0123456789abcdef0123456789abcdef01234567",
        "private_key": KEY_PEM,
        "client_email": "bench@bench.iam.gserviceaccount.com",
        "client_id": "100000000000000000042",
        "token_uri": "https://oauth2.googleapis.com/token",
    })
    .to_string();
    let key = ServiceAccountKey::from_json(&key_json).expect("the bench key parses");
    let account = ServiceAccount::builder(key.clone())
        .scopes(["https://www.googleapis.com/auth/drive"])
        .build_provider()
        .expect("a service account");
    let subject = ServiceAccount::builder(key.clone())
        .scopes(["https://www.googleapis.com/auth/drive"])
        .subject("alice@example.com")
        .build_provider()
        .expect("a delegating service account");
    let jwt_account = ServiceAccount::builder(key.clone())
        .build_provider()
        .expect("a service account without scopes");
    let iat = 1_764_547_200; // fixed: the work per token does not depend on it

    println!("gapi-auth signing, {RUNS} runs each, 2048-bit RSA key");
    report(
        "parse key (once per process)",
        time(50, || {
            std::hint::black_box(key.signer().expect("signer"));
        }),
    );
    report(
        "assertion (claims + RS256)",
        time(RUNS, || {
            std::hint::black_box(account.assertion(iat).expect("assertion"));
        }),
    );
    report(
        "assertion with subject",
        time(RUNS, || {
            std::hint::black_box(subject.assertion(iat).expect("assertion"));
        }),
    );
    report(
        "self-signed JWT (aud)",
        time(RUNS, || {
            std::hint::black_box(
                jwt_account
                    .self_signed_jwt(Some("https://www.googleapis.com/"), iat)
                    .expect("self-signed JWT"),
            );
        }),
    );
    let input = [b'x'; 400];
    let signer = account.signer().clone();
    report(
        "RS256 signature only (400 B)",
        time(RUNS, || {
            std::hint::black_box(signer.sign(&input).expect("signature"));
        }),
    );
}
