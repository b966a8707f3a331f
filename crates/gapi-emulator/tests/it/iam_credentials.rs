//! The seeded service account from outside: its JSON key, the token endpoint's JWT-bearer
//! grant (signature, audience, lifetime, scope and domain-wide delegation checks) and the IAM
//! Credentials API (generateAccessToken, generateIdToken, signJwt, signBlob, the Token Creator
//! check and Google's 403 wording), with plain reqwest and ring.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use gapi_emulator::RunningEmulator;
use gapi_testkit::emulator;
use ring::signature::{KeyPair, RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_SHA256, RsaKeyPair};
use serde_json::{Value, json};

const ROBOT: &str = "robot@gapi-emulator.iam.gserviceaccount.com";
const CLOUD: &str = "https://www.googleapis.com/auth/cloud-platform";
const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

fn key_pair(key: &Value) -> RsaKeyPair {
    let pem = key["private_key"].as_str().unwrap();
    let b64: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    RsaKeyPair::from_pkcs8(&STANDARD.decode(b64).unwrap()).unwrap()
}

fn sign(pair: &RsaKeyPair, kid: &str, claims: &Value) -> String {
    let header = json!({"alg": "RS256", "typ": "JWT", "kid": kid});
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let mut sig = vec![0; pair.public().modulus_len()];
    pair.sign(
        &RSA_PKCS1_SHA256,
        &ring::rand::SystemRandom::new(),
        input.as_bytes(),
        &mut sig,
    )
    .unwrap();
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig))
}

fn verify(pair: &RsaKeyPair, message: &[u8], sig: &[u8]) -> bool {
    ring::signature::UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, pair.public_key().as_ref())
        .verify(message, sig)
        .is_ok()
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn claims(emu: &RunningEmulator, extra: Value) -> Value {
    let mut c = json!({
        "iss": ROBOT, "aud": format!("{}/token", emu.base_url()), "scope": emulator::DRIVE,
        "iat": now(), "exp": now() + 3600,
    });
    for (k, v) in extra.as_object().unwrap() {
        if v.is_null() {
            c.as_object_mut().unwrap().remove(k);
        } else {
            c[k] = v.clone();
        }
    }
    c
}

async fn token_request(emu: &RunningEmulator, assertion: &str) -> reqwest::Response {
    emulator::http()
        .post(format!("{}/token", emu.base_url()))
        .form(&[("grant_type", JWT_BEARER), ("assertion", assertion)])
        .send()
        .await
        .unwrap()
}

async fn oauth_error(r: reqwest::Response, status: u16, error: &str) -> String {
    assert_eq!(r.status().as_u16(), status);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"], error, "{v}");
    v["error_description"].as_str().unwrap().to_owned()
}

async fn file_names(emu: &RunningEmulator, token: &str) -> Vec<String> {
    let r = emulator::http()
        .get(format!("{}/drive/v3/files?pageSize=100", emu.base_url()))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_key_file_is_the_consoles_shape_and_written_0600() {
    let emu = emulator::start(false).await;
    let key = emu.service_account_key_json();
    for field in [
        "type",
        "project_id",
        "private_key_id",
        "private_key",
        "client_email",
        "client_id",
        "auth_uri",
        "token_uri",
        "auth_provider_x509_cert_url",
        "client_x509_cert_url",
        "universe_domain",
    ] {
        assert!(
            key[field].as_str().is_some_and(|s| !s.is_empty()),
            "{field}"
        );
    }
    assert_eq!(key["type"], "service_account");
    assert_eq!(key["client_email"], ROBOT);
    assert_eq!(key["token_uri"], format!("{}/token", emu.base_url()));
    assert!(
        key["private_key"]
            .as_str()
            .unwrap()
            .starts_with("-----BEGIN PRIVATE KEY-----")
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("key.json");
    emu.write_service_account_key(&path).unwrap();
    let written: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(written, key);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
}

#[tokio::test]
async fn jwt_bearer_grant_gives_the_robot_its_own_empty_drive_and_delegation_to_alice() {
    let emu = emulator::start(false).await;
    let key = emu.service_account_key_json();
    let pair = key_pair(&key);
    let kid = key["private_key_id"].as_str().unwrap();

    let r = token_request(&emu, &sign(&pair, kid, &claims(&emu, json!({})))).await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["token_type"], "Bearer");
    assert!(v["expires_in"].as_u64().unwrap() > 0);
    let robot_token = v["access_token"].as_str().unwrap();
    assert!(file_names(&emu, robot_token).await.is_empty());

    // Google's own token URL is an accepted audience too; `sub` acts for alice.
    let as_alice = claims(
        &emu,
        json!({"aud": "https://oauth2.googleapis.com/token", "sub": "alice@example.com"}),
    );
    let r = token_request(&emu, &sign(&pair, kid, &as_alice)).await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    let alice_files = file_names(&emu, v["access_token"].as_str().unwrap()).await;
    assert!(!alice_files.is_empty());

    let outsider = claims(&emu, json!({"sub": "mallory@evil.example.org"}));
    let r = token_request(&emu, &sign(&pair, kid, &outsider)).await;
    oauth_error(r, 401, "unauthorized_client").await;
}

#[tokio::test]
async fn jwt_bearer_grant_refuses_bad_assertions() {
    let emu = emulator::start(false).await;
    let key = emu.service_account_key_json();
    let pair = key_pair(&key);
    let kid = key["private_key_id"].as_str().unwrap();

    // A signature over different claims.
    let good = sign(&pair, kid, &claims(&emu, json!({})));
    let other = sign(
        &pair,
        kid,
        &claims(&emu, json!({"sub": "alice@example.com"})),
    );
    let (head_payload, _) = other.rsplit_once('.').unwrap();
    let (_, good_sig) = good.rsplit_once('.').unwrap();
    let forged = format!("{head_payload}.{good_sig}");
    let d = oauth_error(token_request(&emu, &forged).await, 400, "invalid_grant").await;
    assert_eq!(d, "Invalid JWT Signature.");

    let wrong_aud = claims(&emu, json!({"aud": "https://example.com/token"}));
    let d = oauth_error(
        token_request(&emu, &sign(&pair, kid, &wrong_aud)).await,
        400,
        "invalid_grant",
    )
    .await;
    assert!(d.contains("audience"), "{d}");

    for bad in [
        json!({"exp": now() + 7200}),
        json!({"iat": now() - 7200, "exp": now() - 3700}),
        json!({"exp": null}),
    ] {
        let d = oauth_error(
            token_request(&emu, &sign(&pair, kid, &claims(&emu, bad.clone()))).await,
            400,
            "invalid_grant",
        )
        .await;
        assert!(d.contains("short-lived"), "{bad}: {d}");
    }

    for scope in [json!(null), json!("https://evil.example/scope")] {
        let r = token_request(
            &emu,
            &sign(&pair, kid, &claims(&emu, json!({"scope": scope}))),
        )
        .await;
        oauth_error(r, 400, "invalid_scope").await;
    }
    let stranger = claims(&emu, json!({"iss": "someone@else.iam.gserviceaccount.com"}));
    oauth_error(
        token_request(&emu, &sign(&pair, kid, &stranger)).await,
        400,
        "invalid_grant",
    )
    .await;
    oauth_error(token_request(&emu, "not.a-jwt").await, 400, "invalid_grant").await;
}

async fn iam(emu: &RunningEmulator, token: &str, verb: &str, body: Value) -> reqwest::Response {
    emulator::http()
        .post(format!(
            "{}/_/iamcredentials/v1/projects/-/serviceAccounts/{ROBOT}:{verb}",
            emu.base_url()
        ))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn assert_denied(r: reqwest::Response, permission: &str) {
    assert_eq!(r.status(), 403);
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        v["error"]["message"],
        format!("Permission '{permission}' denied on resource (or it may not exist)."),
        "{v}"
    );
    assert_eq!(v["error"]["status"], "PERMISSION_DENIED");
    assert_eq!(v["error"]["details"][0]["reason"], "IAM_PERMISSION_DENIED");
    assert_eq!(
        v["error"]["details"][0]["@type"],
        "type.googleapis.com/google.rpc.ErrorInfo"
    );
}

#[tokio::test]
async fn generate_access_token_needs_the_token_creator_role() {
    let emu = emulator::start(false).await;
    let http = emulator::http();
    let alice = emulator::issued_token(&emu, "alice@example.com", CLOUD).await;
    let bob = emulator::issued_token(&emu, "bob@example.com", CLOUD).await;

    let r = iam(
        &emu,
        &alice,
        "generateAccessToken",
        json!({"scope": [emulator::DRIVE], "lifetime": "600s"}),
    )
    .await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    let expire = v["expireTime"].as_str().unwrap();
    // Whole seconds, as Google answers and google-auth parses (`%Y-%m-%dT%H:%M:%SZ`).
    assert_eq!(expire.len(), 20, "{expire}");
    assert!(expire.ends_with('Z') && expire.contains('T'), "{expire}");
    let robot = v["accessToken"].as_str().unwrap();
    assert!(
        file_names(&emu, robot).await.is_empty(),
        "the robot's own Drive"
    );

    // google-auth sends `"delegates": null`.
    let r = iam(
        &emu,
        &alice,
        "generateAccessToken",
        json!({"scope": [emulator::DRIVE], "delegates": null}),
    )
    .await;
    assert_eq!(r.status(), 200);
    let body = json!({"scope": [emulator::DRIVE]});
    assert_denied(
        iam(&emu, &bob, "generateAccessToken", body.clone()).await,
        "iam.serviceAccounts.getAccessToken",
    )
    .await;
    // The robot holds no role on itself, so a chain through it fails.
    let chained = json!({"scope": [emulator::DRIVE], "delegates": [format!("projects/-/serviceAccounts/{ROBOT}")]});
    assert_denied(
        iam(&emu, &alice, "generateAccessToken", chained).await,
        "iam.serviceAccounts.getAccessToken",
    )
    .await;
    // An account that does not exist answers the same.
    let r = http
        .post(format!("{}/v1/projects/-/serviceAccounts/ghost@gapi-emulator.iam.gserviceaccount.com:generateAccessToken", emu.base_url()))
        .bearer_auth(&alice)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_denied(r, "iam.serviceAccounts.getAccessToken").await;

    let r = iam(
        &emu,
        &alice,
        "generateAccessToken",
        json!({"scope": [emulator::DRIVE], "lifetime": "7200s"}),
    )
    .await;
    assert_eq!(r.status(), 400);
    let r = iam(&emu, &alice, "generateAccessToken", json!({})).await;
    assert_eq!(r.status(), 400);

    let drive_only = emulator::issued_token(&emu, "alice@example.com", emulator::DRIVE).await;
    let r = iam(&emu, &drive_only, "generateAccessToken", body.clone()).await;
    assert_eq!(r.status(), 403, "a token without cloud-platform");
    let r = http
        .post(format!(
            "{}/v1/projects/-/serviceAccounts/{ROBOT}:generateAccessToken",
            emu.base_url()
        ))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn id_tokens_verify_with_googles_key_and_signatures_with_the_robots() {
    let emu = emulator::start(false).await;
    let http = emulator::http();
    let key = emu.service_account_key_json();
    let pair = key_pair(&key);
    let alice = emulator::issued_token(&emu, "alice@example.com", CLOUD).await;
    let bob = emulator::issued_token(&emu, "bob@example.com", CLOUD).await;

    let r = iam(
        &emu,
        &alice,
        "generateIdToken",
        json!({"audience": "https://my.app", "includeEmail": true}),
    )
    .await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    let jwt = v["token"].as_str().unwrap();
    // Signed by Google's key (the emulator's JWKS), not the robot's, as Google does.
    let jwks: Value = http
        .get(format!("{}/oauth2/v3/certs", emu.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let jwk = &jwks["keys"][0];
    let google = ring::signature::RsaPublicKeyComponents {
        n: URL_SAFE_NO_PAD.decode(jwk["n"].as_str().unwrap()).unwrap(),
        e: URL_SAFE_NO_PAD.decode(jwk["e"].as_str().unwrap()).unwrap(),
    };
    let (input, sig) = jwt.rsplit_once('.').unwrap();
    let sig = URL_SAFE_NO_PAD.decode(sig).unwrap();
    assert!(
        google
            .verify(&RSA_PKCS1_2048_8192_SHA256, input.as_bytes(), &sig)
            .is_ok()
    );
    assert!(!verify(&pair, input.as_bytes(), &sig));
    let header: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(input.split('.').next().unwrap())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(header["kid"], jwk["kid"]);
    let claims: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(input.split('.').nth(1).unwrap())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(claims["aud"], "https://my.app");
    assert_eq!(claims["email"], ROBOT);

    let payload = json!({"iss": ROBOT, "sub": ROBOT, "aud": "x", "exp": now() + 60}).to_string();
    let r = iam(&emu, &alice, "signJwt", json!({"payload": payload})).await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["keyId"], key["private_key_id"]);
    let signed = v["signedJwt"].as_str().unwrap();
    let (input, sig) = signed.rsplit_once('.').unwrap();
    assert!(verify(
        &pair,
        input.as_bytes(),
        &URL_SAFE_NO_PAD.decode(sig).unwrap()
    ));
    let r = iam(&emu, &alice, "signJwt", json!({"payload": "not json"})).await;
    assert_eq!(r.status(), 400);

    let r = iam(
        &emu,
        &alice,
        "signBlob",
        json!({"payload": STANDARD.encode(b"blob bytes")}),
    )
    .await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    let sig = STANDARD.decode(v["signedBlob"].as_str().unwrap()).unwrap();
    assert!(verify(&pair, b"blob bytes", &sig));
    assert!(!verify(&pair, b"other bytes", &sig));

    assert_denied(
        iam(&emu, &bob, "generateIdToken", json!({"audience": "a"})).await,
        "iam.serviceAccounts.getOpenIdToken",
    )
    .await;
    assert_denied(
        iam(&emu, &bob, "signJwt", json!({"payload": "{}"})).await,
        "iam.serviceAccounts.signJwt",
    )
    .await;
    assert_denied(
        iam(&emu, &bob, "signBlob", json!({"payload": "AA=="})).await,
        "iam.serviceAccounts.signBlob",
    )
    .await;
}

#[tokio::test]
async fn the_served_iamcredentials_document_routes_to_the_emulator() {
    let emu = emulator::start(false).await;
    let http = emulator::http();
    let doc: Value = http
        .get(format!(
            "{}/discovery/v1/apis/iamcredentials/v1/rest",
            emu.base_url()
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let root = doc["rootUrl"].as_str().unwrap();
    let path = doc["resources"]["projects"]["resources"]["serviceAccounts"]["methods"]["generateAccessToken"]["path"]
        .as_str()
        .unwrap();
    let url = format!(
        "{root}{}{}",
        doc["servicePath"].as_str().unwrap_or(""),
        path.replace("{+name}", &format!("projects/-/serviceAccounts/{ROBOT}"))
    );
    assert!(url.starts_with(&emu.base_url()), "{url}");
    let alice = emulator::issued_token(&emu, "alice@example.com", CLOUD).await;
    let r = http
        .post(&url)
        .bearer_auth(&alice)
        .json(&json!({"scope": [emulator::DRIVE]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{url}");
}

#[tokio::test]
async fn a_self_signed_jwt_with_a_scope_claim_is_a_bearer_token() {
    let emu = emulator::start(false).await;
    let key = emu.service_account_key_json();
    let pair = key_pair(&key);
    let kid = key["private_key_id"].as_str().unwrap();
    let jwt = |extra: Value| {
        let mut c = json!({"iss": ROBOT, "sub": ROBOT, "scope": emulator::DRIVE, "iat": now(), "exp": now() + 3600});
        for (k, v) in extra.as_object().unwrap() {
            if v.is_null() {
                c.as_object_mut().unwrap().remove(k);
            } else {
                c[k] = v.clone();
            }
        }
        sign(&pair, kid, &c)
    };
    assert!(
        file_names(&emu, &jwt(json!({}))).await.is_empty(),
        "the robot's Drive"
    );

    let get = |token: String| {
        let url = format!("{}/drive/v3/files", emu.base_url());
        async move {
            emulator::http()
                .get(url)
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
        }
    };
    // Forged: claims for someone else under the robot's signature.
    let good = jwt(json!({}));
    let other = jwt(json!({"sub": "alice@example.com"}));
    let forged = format!(
        "{}.{}",
        other.rsplit_once('.').unwrap().0,
        good.rsplit_once('.').unwrap().1
    );
    for bad in [
        forged,
        jwt(json!({"sub": "alice@example.com"})),
        jwt(json!({"exp": now() - 10, "iat": now() - 100})),
        jwt(json!({"exp": now() + 7200})),
        jwt(json!({"scope": null, "aud": "https://www.googleapis.com/"})),
    ] {
        let r = get(bad).await;
        let v = emulator::google_error(r, 401, "authError").await;
        assert!(
            v["error"]["emulator_help"]
                .as_str()
                .unwrap()
                .contains("self-signed JWT"),
            "{v}"
        );
    }
    // The scope claim is honoured: drive.readonly cannot create a file.
    let ro = jwt(json!({"scope": emulator::DRIVE_READONLY}));
    let r = emulator::http()
        .post(format!("{}/drive/v3/files", emu.base_url()))
        .bearer_auth(ro)
        .json(&json!({"name": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}
