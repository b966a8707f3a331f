//! Workload identity federation from outside, with plain reqwest and ring: the emulator's own
//! OIDC issuer (discovery document, JWKS, subject tokens minted by the control API), the STS
//! token exchange (`POST /v1/token`) with its checks and Google's error codes, introspection of
//! the federated token, impersonating the robot service account with it, and AWS-sourced subject
//! tokens (SigV4-signed GetCallerIdentity requests, signed here with ring's HMAC).

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use gapi_emulator::RunningEmulator;
use gapi_testkit::emulator;
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
    let v = emulator::control(emu, "oidc/token", body).await;
    assert_eq!(v["token_type"], JWT);
    v["id_token"].as_str().unwrap().to_string()
}

async fn exchange_form(emu: &RunningEmulator, form: &[(&str, &str)]) -> (u16, Value) {
    let r = emulator::http()
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
    emulator::http()
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
    let r = emulator::http()
        .post(format!(
            "{}/_/iamcredentials/v1/projects/-/serviceAccounts/{ROBOT}:generateAccessToken",
            emu.base_url()
        ))
        .bearer_auth(token)
        .json(&json!({"scope": [emulator::DRIVE], "lifetime": "600s"}))
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
    let emu = emulator::start(false).await;
    let http = emulator::http();
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
    let emu = emulator::start(false).await;
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

    // Drive takes no federated token (Google's 401, as for an API without federation support),
    // even one with a Drive scope.
    let (_, v) = exchange_form(
        &emu,
        &[
            ("grant_type", EXCHANGE),
            ("audience", &audience(POOL, "emulator-oidc")),
            ("scope", emulator::DRIVE),
            ("requested_token_type", ACCESS),
            ("subject_token", &subject),
            ("subject_token_type", JWT),
        ],
    )
    .await;
    let r = emulator::http()
        .get(format!("{}/drive/v3/about?fields=user", emu.base_url()))
        .bearer_auth(v["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);

    // Workload Identity User on the robot: generateAccessToken answers the robot's token...
    let (status, v) = generate_access_token(&emu, federated).await;
    assert_eq!(status, 200, "{v}");
    let robot = v["accessToken"].as_str().unwrap();
    let info = introspect(&emu, robot).await;
    assert_eq!(info["username"], ROBOT);
    let about: Value = emulator::http()
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
    let r = emulator::http()
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
    let emu = emulator::start(false).await;
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
    let emu = emulator::start(false).await;
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
    let emu = emulator::start(false).await;
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
    let emu = emulator::start(false).await;
    let subject = mint(&emu, json!({"sub": "json-job"})).await;
    let r = emulator::http()
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

/// A SigV4-signed GetCallerIdentity request for `region`, serialized as Google's STS takes it
/// (plain JSON here; the emulator also takes google-auth's percent-encoded form, tested in
/// gapi-auth's peer_python_aws).
fn aws_subject(
    key: &Value,
    region: &str,
    scope_region: &str,
    amz_date: &str,
    target: &str,
) -> String {
    use sha2::{Digest, Sha256};
    let hmac = |k: &[u8], m: &str| {
        ring::hmac::sign(
            &ring::hmac::Key::new(ring::hmac::HMAC_SHA256, k),
            m.as_bytes(),
        )
        .as_ref()
        .to_vec()
    };
    let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
    let host = format!("sts.{region}.amazonaws.com");
    let token = key["session_token"].as_str();
    let mut headers = vec![("host", host.clone()), ("x-amz-date", amz_date.to_string())];
    if let Some(t) = token {
        headers.push(("x-amz-security-token", t.to_string()));
    }
    let canonical: String = headers.iter().map(|(k, v)| format!("{k}:{v}\n")).collect();
    let names = headers
        .iter()
        .map(|(k, _)| *k)
        .collect::<Vec<_>>()
        .join(";");
    let request = format!(
        "POST\n/\nAction=GetCallerIdentity&Version=2011-06-15\n{canonical}\n{names}\n{}",
        hex(&Sha256::digest(b""))
    );
    let scope = format!("{}/{scope_region}/sts/aws4_request", &amz_date[..8]);
    let to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex(&Sha256::digest(request.as_bytes()))
    );
    let secret = key["secret_access_key"].as_str().unwrap();
    let mut k = hmac(format!("AWS4{secret}").as_bytes(), &amz_date[..8]);
    for part in [scope_region, "sts", "aws4_request"] {
        k = hmac(&k, part);
    }
    let auth = format!(
        "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={names}, Signature={}",
        key["access_key_id"].as_str().unwrap(),
        hex(&hmac(&k, &to_sign))
    );
    let mut list = vec![json!({"key": "Authorization", "value": auth})];
    for (k, v) in headers {
        list.push(json!({"key": k, "value": v}));
    }
    list.push(json!({"key": "x-goog-cloud-target-resource", "value": target}));
    json!({
        "url": format!("https://{host}?Action=GetCallerIdentity&Version=2011-06-15"),
        "method": "POST",
        "headers": list,
    })
    .to_string()
}

fn amz_date(at: std::time::SystemTime) -> String {
    humantime::format_rfc3339_seconds(at)
        .to_string()
        .chars()
        .filter(|c| *c != '-' && *c != ':')
        .collect()
}

#[tokio::test]
async fn aws_signed_requests_are_checked_as_aws_would() {
    let emu = emulator::start(false).await;
    let seeded: Value = emulator::http()
        .get(format!("{}/__emulator/sts/providers", emu.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let aud = audience(POOL, "emulator-aws");
    let now = amz_date(std::time::SystemTime::now());
    let aws = |subject: String| {
        let aud = aud.clone();
        let emu = &emu;
        async move {
            exchange_form(
                emu,
                &[
                    ("grant_type", EXCHANGE),
                    ("audience", &aud),
                    ("scope", CLOUD),
                    ("requested_token_type", ACCESS),
                    ("subject_token", &subject),
                    (
                        "subject_token_type",
                        "urn:ietf:params:aws:token-type:aws4_request",
                    ),
                ],
            )
            .await
        }
    };
    for key in seeded["aws_keys"].as_array().unwrap() {
        let (status, v) = aws(aws_subject(key, "us-east-1", "us-east-1", &now, &aud)).await;
        assert_eq!(status, 200, "{v}");
        assert_eq!(
            introspect(&emu, v["access_token"].as_str().unwrap()).await["username"],
            format!(
                "principal://iam.googleapis.com/{POOL}/subject/{}",
                key["arn"].as_str().unwrap()
            )
        );
    }
    let key = &seeded["aws_keys"][0];
    // A wrong secret.
    let mut wrong = key.clone();
    wrong["secret_access_key"] = json!("not-the-secret");
    let d = oauth_error(
        aws(aws_subject(&wrong, "us-east-1", "us-east-1", &now, &aud)).await,
        "invalid_grant",
    )
    .await;
    assert!(d.contains("signature"), "{d}");
    // Signed 20 minutes ago.
    let stale = amz_date(std::time::SystemTime::now() - std::time::Duration::from_secs(1200));
    let d = oauth_error(
        aws(aws_subject(key, "us-east-1", "us-east-1", &stale, &aud)).await,
        "invalid_grant",
    )
    .await;
    assert!(d.contains("expired"), "{d}");
    // The credential scope names another region than the URL.
    oauth_error(
        aws(aws_subject(key, "us-east-1", "eu-west-1", &now, &aud)).await,
        "invalid_grant",
    )
    .await;
    // Meant for another provider.
    let d = oauth_error(
        aws(aws_subject(
            key,
            "us-east-1",
            "us-east-1",
            &now,
            &audience(POOL, "emulator-oidc"),
        ))
        .await,
        "invalid_grant",
    )
    .await;
    assert!(d.contains("x-goog-cloud-target-resource"), "{d}");
    // The temporary key without its session token.
    let mut no_session = seeded["aws_keys"][1].clone();
    no_session["session_token"] = Value::Null;
    let d = oauth_error(
        aws(aws_subject(
            &no_session,
            "us-east-1",
            "us-east-1",
            &now,
            &aud,
        ))
        .await,
        "invalid_grant",
    )
    .await;
    assert!(d.contains("security token"), "{d}");
    // Not a serialized request.
    oauth_error(aws("junk".into()).await, "invalid_grant").await;
    // An OIDC token at the AWS provider, an AWS request at an OIDC provider.
    let oidc = mint(&emu, json!({"sub": "w"})).await;
    oauth_error(exchange(&emu, &aud, &oidc).await, "invalid_request").await;
    let d = oauth_error(
        exchange_form(
            &emu,
            &[
                ("grant_type", EXCHANGE),
                ("audience", &audience(POOL, "emulator-oidc")),
                ("scope", CLOUD),
                ("requested_token_type", ACCESS),
                (
                    "subject_token",
                    &aws_subject(key, "us-east-1", "us-east-1", &now, &aud),
                ),
                (
                    "subject_token_type",
                    "urn:ietf:params:aws:token-type:aws4_request",
                ),
            ],
        )
        .await,
        "invalid_request",
    )
    .await;
    assert!(d.contains("not an AWS provider"), "{d}");
}
