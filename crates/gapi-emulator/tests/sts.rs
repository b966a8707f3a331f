//! Workload identity federation from outside, with plain reqwest and ring: the emulator's own
//! OIDC issuer (discovery document, JWKS, subject tokens minted by the control API), the STS
//! token exchange (`POST /v1/token`) with its checks and Google's error codes, introspection of
//! the federated token, and impersonating the robot service account with it.

mod common;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use gapi_emulator::RunningEmulator;
use ring::signature::{RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_SHA256, RsaKeyPair};
use serde_json::{Value, json};

const ROBOT: &str = "robot@gapi-emulator.iam.gserviceaccount.com";
const CLOUD: &str = "https://www.googleapis.com/auth/cloud-platform";
const EXCHANGE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";
const ACCESS: &str = "urn:ietf:params:oauth:token-type:access_token";
const JWT: &str = "urn:ietf:params:oauth:token-type:jwt";
const POOL: &str = "projects/123456789012/locations/global/workloadIdentityPools/gapi-pool";
const OTHER_POOL: &str = "projects/123456789012/locations/global/workloadIdentityPools/other-pool";

fn audience(pool: &str, provider: &str) -> String {
    format!("//iam.googleapis.com/{pool}/providers/{provider}")
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// A subject token from the control API.
async fn mint(emu: &RunningEmulator, body: Value) -> String {
    let r = common::http()
        .post(format!("{}/__emulator/oidc/token", emu.base_url()))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["token_type"], JWT);
    v["id_token"].as_str().unwrap().to_string()
}

async fn exchange_form(emu: &RunningEmulator, form: &[(&str, &str)]) -> (u16, Value) {
    let r = common::http()
        .post(format!("{}/v1/token", emu.base_url()))
        .form(form)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap())
}

async fn exchange(emu: &RunningEmulator, aud: &str, subject: &str) -> (u16, Value) {
    exchange_form(
        emu,
        &[
            ("grant_type", EXCHANGE),
            ("audience", aud),
            ("scope", CLOUD),
            ("requested_token_type", ACCESS),
            ("subject_token", subject),
            ("subject_token_type", JWT),
        ],
    )
    .await
}

async fn oauth_error(answer: (u16, Value), error: &str) -> String {
    let (status, v) = answer;
    assert_eq!(status, 400, "{v}");
    assert_eq!(v["error"], error, "{v}");
    v["error_description"].as_str().unwrap().to_string()
}

async fn introspect(emu: &RunningEmulator, token: &str) -> Value {
    common::http()
        .post(format!("{}/v1/introspect", emu.base_url()))
        .form(&[("token", token)])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn generate_access_token(emu: &RunningEmulator, token: &str) -> (u16, Value) {
    let r = common::http()
        .post(format!(
            "{}/_/iamcredentials/v1/projects/-/serviceAccounts/{ROBOT}:generateAccessToken",
            emu.base_url()
        ))
        .bearer_auth(token)
        .json(&json!({"scope": [common::DRIVE], "lifetime": "600s"}))
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap())
}

fn jwt_part(jwt: &str, i: usize) -> Value {
    serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(jwt.split('.').nth(i).unwrap())
            .unwrap(),
    )
    .unwrap()
}

/// RS256 with an arbitrary key (the robot's, which the issuer does not trust).
fn sign_with_robot_key(emu: &RunningEmulator, header: &Value, claims: &Value) -> String {
    let pem = emu.service_account_key_json()["private_key"]
        .as_str()
        .unwrap()
        .to_string();
    let b64: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let pair = RsaKeyPair::from_pkcs8(&STANDARD.decode(b64).unwrap()).unwrap();
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

#[tokio::test]
async fn the_issuer_publishes_its_keys_and_its_tokens_verify_with_them() {
    let emu = common::start(false).await;
    let http = common::http();
    let base = emu.base_url();
    let config: Value = http
        .get(format!("{base}/oidc/.well-known/openid-configuration"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(config["issuer"], format!("{base}/oidc"));
    let jwks: Value = http
        .get(config["jwks_uri"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let key = &jwks["keys"][0];
    assert_eq!(key["kty"], "RSA");

    let token = mint(&emu, json!({"sub": "ci-job-7"})).await;
    let header = jwt_part(&token, 0);
    let claims = jwt_part(&token, 1);
    assert_eq!(header["kid"], key["kid"]);
    assert_eq!(claims["iss"], format!("{base}/oidc"));
    assert_eq!(claims["sub"], "ci-job-7");
    assert_eq!(
        claims["aud"],
        format!("https://iam.googleapis.com/{POOL}/providers/emulator-oidc")
    );
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        3600
    );
    // The signature verifies with the published n and e, and not with Google's keys.
    let n = URL_SAFE_NO_PAD.decode(key["n"].as_str().unwrap()).unwrap();
    let e = URL_SAFE_NO_PAD.decode(key["e"].as_str().unwrap()).unwrap();
    let (input, sig) = token.rsplit_once('.').unwrap();
    let sig = URL_SAFE_NO_PAD.decode(sig).unwrap();
    let public = ring::signature::RsaPublicKeyComponents { n: &n, e: &e };
    assert!(
        public
            .verify(&RSA_PKCS1_2048_8192_SHA256, input.as_bytes(), &sig)
            .is_ok()
    );
    let google: Value = http
        .get(format!("{base}/oauth2/v3/certs"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_ne!(google["keys"][0]["kid"], key["kid"]);

    // A URL-sourced configuration reads it with GET, as text or JSON.
    let text = http
        .get(format!(
            "{base}/__emulator/oidc/token?sub=url-job&format=text"
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(jwt_part(&text, 1)["sub"], "url-job");
    let r = http
        .get(format!("{base}/__emulator/oidc/token"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400, "sub is required");

    let providers: Value = http
        .get(format!("{base}/__emulator/sts/providers"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        providers["providers"][0]["audience"],
        audience(POOL, "emulator-oidc")
    );
    assert_eq!(
        providers["bindings"][0]["member"],
        format!("principalSet://iam.googleapis.com/{POOL}/*")
    );
}

#[tokio::test]
async fn a_good_subject_token_is_a_federated_token_that_may_act_as_the_robot() {
    let emu = common::start(false).await;
    let subject = mint(&emu, json!({"sub": "ci-job-7"})).await;
    let (status, v) = exchange(&emu, &audience(POOL, "emulator-oidc"), &subject).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["issued_token_type"], ACCESS);
    assert_eq!(v["token_type"], "Bearer");
    assert!(v["expires_in"].as_u64().unwrap() > 3000);
    let federated = v["access_token"].as_str().unwrap();

    let info = introspect(&emu, federated).await;
    assert_eq!(info["active"], true);
    assert_eq!(
        info["username"],
        format!("principal://iam.googleapis.com/{POOL}/subject/ci-job-7")
    );
    assert_eq!(info["sub"], "ci-job-7");
    assert_eq!(info["scope"], CLOUD);
    assert_eq!(
        introspect(&emu, "ya29.nope").await,
        json!({"active": false})
    );

    // Workload Identity User on the robot: generateAccessToken answers the robot's token...
    let (status, v) = generate_access_token(&emu, federated).await;
    assert_eq!(status, 200, "{v}");
    let robot = v["accessToken"].as_str().unwrap();
    let info = introspect(&emu, robot).await;
    assert_eq!(info["username"], ROBOT);
    let about: Value = common::http()
        .get(format!("{}/drive/v3/about?fields=user", emu.base_url()))
        .bearer_auth(robot)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(about["user"]["emailAddress"], ROBOT);
    // ...but that role does not carry signJwt.
    let r = common::http()
        .post(format!(
            "{}/_/iamcredentials/v1/projects/-/serviceAccounts/{ROBOT}:signJwt",
            emu.base_url()
        ))
        .bearer_auth(federated)
        .json(&json!({"payload": "{\"sub\":\"x\"}"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);

    // A principal of the other pool gets a token but holds no role on the robot.
    let subject = mint(&emu, json!({"sub": "ci-job-7", "aud": format!("https://iam.googleapis.com/{OTHER_POOL}/providers/emulator-oidc")})).await;
    let (status, v) = exchange(&emu, &audience(OTHER_POOL, "emulator-oidc"), &subject).await;
    assert_eq!(status, 200, "{v}");
    let other = v["access_token"].as_str().unwrap();
    assert_eq!(
        introspect(&emu, other).await["username"],
        format!("principal://iam.googleapis.com/{OTHER_POOL}/subject/ci-job-7")
    );
    let (status, v) = generate_access_token(&emu, other).await;
    assert_eq!(status, 403, "{v}");
    assert_eq!(v["error"]["details"][0]["reason"], "IAM_PERMISSION_DENIED");
}

#[tokio::test]
async fn audiences_follow_the_provider_configuration() {
    let emu = common::start(false).await;
    // Google's default: the provider's name with `//` or `https:`.
    let name = format!("{POOL}/providers/emulator-oidc");
    let subject = mint(
        &emu,
        json!({"sub": "w", "aud": format!("//iam.googleapis.com/{name}")}),
    )
    .await;
    assert_eq!(
        exchange(&emu, &audience(POOL, "emulator-oidc"), &subject)
            .await
            .0,
        200
    );
    // Any other audience is refused.
    let subject = mint(&emu, json!({"sub": "w", "aud": "x"})).await;
    let d = oauth_error(
        exchange(&emu, &audience(POOL, "emulator-oidc"), &subject).await,
        "invalid_grant",
    )
    .await;
    assert!(d.contains("audience"), "{d}");
    // A provider with a configured allowed audience takes that one, and not the default.
    let custom = audience(POOL, "custom-audience");
    let subject = mint(
        &emu,
        json!({"sub": "w", "aud": "https://gapi.example/workload"}),
    )
    .await;
    assert_eq!(exchange(&emu, &custom, &subject).await.0, 200);
    let subject = mint(&emu, json!({"sub": "w", "aud": format!("https://iam.googleapis.com/{POOL}/providers/custom-audience")})).await;
    oauth_error(exchange(&emu, &custom, &subject).await, "invalid_grant").await;
}

#[tokio::test]
async fn bad_subject_tokens_are_invalid_grant() {
    let emu = common::start(false).await;
    let aud = audience(POOL, "emulator-oidc");
    // Expired (issued two hours ago for one hour).
    let expired = mint(&emu, json!({"sub": "w", "issued_at": now() - 7200})).await;
    let d = oauth_error(exchange(&emu, &aud, &expired).await, "invalid_grant").await;
    assert!(d.contains("expired"), "{d}");
    // Issued in the future.
    let future = mint(&emu, json!({"sub": "w", "issued_at": now() + 600})).await;
    oauth_error(exchange(&emu, &aud, &future).await, "invalid_grant").await;
    // Tampered claims: the signature no longer matches.
    let good = mint(&emu, json!({"sub": "w"})).await;
    let mut claims = jwt_part(&good, 1);
    claims["sub"] = json!("someone-else");
    let parts: Vec<&str> = good.split('.').collect();
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(claims.to_string()),
        parts[2]
    );
    let d = oauth_error(exchange(&emu, &aud, &forged).await, "invalid_grant").await;
    assert!(d.contains("signature"), "{d}");
    // Right claims and kid, signed with a key the issuer does not hold.
    let header = jwt_part(&good, 0);
    let other_key = sign_with_robot_key(&emu, &header, &jwt_part(&good, 1));
    let d = oauth_error(exchange(&emu, &aud, &other_key).await, "invalid_grant").await;
    assert!(d.contains("signature"), "{d}");
    // Another issuer.
    let mut claims = jwt_part(&good, 1);
    claims["iss"] = json!("https://token.actions.githubusercontent.com");
    let d = oauth_error(
        exchange(&emu, &aud, &sign_with_robot_key(&emu, &header, &claims)).await,
        "invalid_grant",
    )
    .await;
    assert!(d.contains("issuer"), "{d}");
    // Not a JWT at all.
    oauth_error(exchange(&emu, &aud, "not-a-jwt").await, "invalid_grant").await;
    // A subject Google would not map (longer than 127 bytes).
    let long = mint(&emu, json!({"sub": "s".repeat(128)})).await;
    let d = oauth_error(exchange(&emu, &aud, &long).await, "invalid_grant").await;
    assert!(d.contains("127"), "{d}");
}

#[tokio::test]
async fn bad_requests_get_googles_error_codes() {
    let emu = common::start(false).await;
    let subject = mint(&emu, json!({"sub": "w"})).await;
    let aud = audience(POOL, "emulator-oidc");
    // Unknown provider, unknown pool, another project.
    for unknown in [
        audience(POOL, "nope"),
        audience(
            "projects/123456789012/locations/global/workloadIdentityPools/nope",
            "emulator-oidc",
        ),
        audience(
            "projects/1/locations/global/workloadIdentityPools/gapi-pool",
            "emulator-oidc",
        ),
    ] {
        let d = oauth_error(exchange(&emu, &unknown, &subject).await, "invalid_target").await;
        assert!(d.contains("pool or provider"), "{d}");
    }
    // An audience that is no provider name.
    let d = oauth_error(exchange(&emu, "projects/123456789012/locations/global/workloadIdentityPools/gapi-pool/providers/emulator-oidc", &subject).await, "invalid_request").await;
    assert!(d.starts_with("Invalid value for \"audience\""), "{d}");
    let base = [
        ("grant_type", EXCHANGE),
        ("audience", aud.as_str()),
        ("scope", CLOUD),
        ("requested_token_type", ACCESS),
        ("subject_token", subject.as_str()),
        ("subject_token_type", JWT),
    ];
    let with = |key: &str, value: &'static str| -> Vec<(&'static str, &str)> {
        base.iter()
            .map(|&(k, v)| if k == key { (k, value) } else { (k, v) })
            .collect()
    };
    let d = oauth_error(
        exchange_form(
            &emu,
            &with("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
        )
        .await,
        "unsupported_grant_type",
    )
    .await;
    assert!(d.contains("jwt-bearer"), "{d}");
    oauth_error(
        exchange_form(
            &emu,
            &with(
                "requested_token_type",
                "urn:ietf:params:oauth:token-type:id_token",
            ),
        )
        .await,
        "invalid_request",
    )
    .await;
    oauth_error(
        exchange_form(
            &emu,
            &with(
                "subject_token_type",
                "urn:ietf:params:oauth:token-type:saml2",
            ),
        )
        .await,
        "invalid_request",
    )
    .await;
    oauth_error(
        exchange_form(&emu, &with("scope", "")).await,
        "invalid_scope",
    )
    .await;
    oauth_error(
        exchange_form(&emu, &with("subject_token", "")).await,
        "invalid_request",
    )
    .await;
    oauth_error(exchange_form(&emu, &base[1..]).await, "invalid_request").await;
    // options: google-auth's percent-encoded JSON is taken, junk is not.
    let mut form = base.to_vec();
    form.push(("options", "%7B%22userProject%22%3A%20%22123%22%7D"));
    assert_eq!(exchange_form(&emu, &form).await.0, 200);
    form.pop();
    form.push(("options", "{nope"));
    oauth_error(exchange_form(&emu, &form).await, "invalid_request").await;
    // The `id_token` subject token type is an OIDC token too.
    assert_eq!(
        exchange_form(
            &emu,
            &with(
                "subject_token_type",
                "urn:ietf:params:oauth:token-type:id_token"
            )
        )
        .await
        .0,
        200
    );
}

#[tokio::test]
async fn the_rest_json_body_is_accepted_too() {
    let emu = common::start(false).await;
    let subject = mint(&emu, json!({"sub": "json-job"})).await;
    let r = common::http()
        .post(format!("{}/_/sts/v1/token", emu.base_url()))
        .json(&json!({
            "grantType": EXCHANGE,
            "audience": audience(POOL, "emulator-oidc"),
            "scope": CLOUD,
            "requestedTokenType": ACCESS,
            "subjectToken": subject,
            "subjectTokenType": JWT,
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    let info = introspect(&emu, v["access_token"].as_str().unwrap()).await;
    assert_eq!(info["sub"], "json-job");
}
