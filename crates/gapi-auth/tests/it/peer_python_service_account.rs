//! gapi's service-account JWTs against Python google-auth (the reference implementation):
//! RS256 with PKCS#1 v1.5 is deterministic, so for the same key and claims gapi's grant
//! assertion, self-signed JWT and ID-token assertion equal google-auth's byte for byte; and
//! google-auth's `jwt.decode` verifies gapi's assertion (signature, `aud`, `iat`/`exp`).
//!
//! Needs the peers: `scripts/setup-test-deps.sh && . target/test-env.sh`. Without them these
//! tests FAIL saying so; they never skip silently.

use crate::google_mock;

use std::path::PathBuf;
use std::process::{Command, Stdio};

use gapi_auth::credentials::service_account::{ServiceAccount, ServiceAccountKey};
use google_mock::{KEY_ID, SA_EMAIL, key_json};

const TOKEN_URI: &str = "https://oauth2.googleapis.com/token";

fn python() -> PathBuf {
    let v = std::env::var_os("GAPI_TEST_PYTHON").filter(|v| !v.is_empty()).unwrap_or_else(|| {
        panic!("GAPI_TEST_PYTHON is not set: run `scripts/setup-test-deps.sh && . target/test-env.sh` first")
    });
    PathBuf::from(v)
}

fn key_file(dir: &tempfile::TempDir) -> PathBuf {
    let p = dir.path().join("key.json");
    std::fs::write(&p, key_json(TOKEN_URI)).unwrap();
    p
}

fn peer(key: &PathBuf, iat: i64, args: &[&str], stdin: &str) -> String {
    use std::io::Write as _;
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/google_auth_sa.py");
    let mut child = Command::new(python())
        .arg(script)
        .arg(key)
        .arg(iat.to_string())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run the Python peer");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "google-auth peer failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn creds(scopes: &[&str], subject: Option<&str>) -> ServiceAccount {
    let key = ServiceAccountKey::from_json(&key_json(TOKEN_URI)).unwrap();
    let mut b = ServiceAccount::builder(key).scopes(scopes.iter().copied());
    if let Some(s) = subject {
        b = b.subject(s);
    }
    b.build_provider().unwrap()
}

const IAT: i64 = 1_795_629_600;

#[test]
fn grant_assertion_equals_google_auth_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let key = key_file(&dir);
    let scopes = [
        "https://www.googleapis.com/auth/drive",
        "https://www.googleapis.com/auth/gmail.readonly",
    ];
    let ours = creds(&scopes, None).assertion(IAT).unwrap();
    let theirs = peer(&key, IAT, &["grant", &scopes.join(" ")], "");
    assert_eq!(ours.secret(), theirs);
    // With domain-wide delegation (and a non-ASCII subject, to exercise the escapes).
    let ours = creds(&scopes[..1], Some("zoë@example.com"))
        .assertion(IAT)
        .unwrap();
    let theirs = peer(&key, IAT, &["grant", scopes[0], "zoë@example.com"], "");
    assert_eq!(ours.secret(), theirs);
}

#[test]
fn self_signed_and_id_token_jwts_equal_google_auth() {
    let dir = tempfile::tempdir().unwrap();
    let key = key_file(&dir);
    let aud = "https://drive.googleapis.com/";
    let ours = creds(&[], None).self_signed_jwt(Some(aud), IAT).unwrap();
    assert_eq!(ours.secret(), peer(&key, IAT, &["selfsigned", aud], ""));

    // ID-token assertion: same claims google-auth's IDTokenCredentials signs.
    let k = ServiceAccountKey::from_json(&key_json(TOKEN_URI)).unwrap();
    let signer = k.signer().unwrap();
    let claims = gapi_auth::protocol::jwt::Claims::new()
        .set("iat", IAT)
        .set("exp", IAT + 3600)
        .set("iss", SA_EMAIL)
        .set("aud", TOKEN_URI)
        .set("target_audience", "https://svc.run.app");
    let ours = signer.encode(&claims).unwrap();
    assert_eq!(
        ours.secret(),
        peer(&key, IAT, &["idtoken", "https://svc.run.app"], "")
    );
}

#[test]
fn google_auth_jwt_decode_verifies_gapi_assertion() {
    let dir = tempfile::tempdir().unwrap();
    let key = key_file(&dir);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let ours = creds(
        &["https://www.googleapis.com/auth/drive"],
        Some("alice@example.com"),
    )
    .assertion(now)
    .unwrap();
    let out = peer(&key, now, &["verify", TOKEN_URI], ours.secret());
    let claims: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(claims["iss"], SA_EMAIL);
    assert_eq!(claims["sub"], "alice@example.com");
    assert_eq!(claims["aud"], TOKEN_URI);
    // A tampered assertion is refused by google-auth.
    let mut bad = ours.secret().to_string();
    bad.replace_range(bad.len() - 6.., "AAAAAA");
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/google_auth_sa.py");
    let out = Command::new(python())
        .arg(script)
        .arg(&key)
        .arg(now.to_string())
        .args(["verify", TOKEN_URI])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write as _;
            c.stdin.take().unwrap().write_all(bad.as_bytes())?;
            c.wait_with_output()
        })
        .unwrap();
    assert!(
        !out.status.success(),
        "a tampered signature must not verify"
    );
    let _ = KEY_ID;
}
