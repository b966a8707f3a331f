//! The authorization-code flow over plain HTTP: PKCE, state, consent form, OOB, errors,
//! refresh rules, revoke, tokeninfo, expiry.

use gapi_emulator::{DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, WEB_CLIENT_ID};
use gapi_testkit::emulator::*;
use serde_json::Value;

#[tokio::test]
async fn s256_flow_with_auto_approve_yields_working_tokens() {
    let emu = start(true).await;
    let http = http();
    let t = tokens(
        &emu,
        &http,
        DRIVE_METADATA_READONLY,
        &[("access_type", "offline")],
    )
    .await;
    assert_eq!(t["token_type"], "Bearer");
    assert_eq!(t["scope"], DRIVE_METADATA_READONLY);
    assert!(t["expires_in"].as_u64().unwrap() > 3500);
    assert!(
        t["refresh_token"].as_str().is_some(),
        "offline gives a refresh token: {t}"
    );
    let r = http
        .get(format!("{}/drive/v3/files?pageSize=1", emu.base_url()))
        .bearer_auth(t["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn plain_pkce_and_method_omitted_mean_plain() {
    let emu = start(true).await;
    let http = http();
    let verifier = "plain-verifier-plain-verifier-plain-verifier-0123";
    for method in [Some("plain"), None] {
        let mut params = vec![
            ("redirect_uri", REDIRECT),
            ("scope", DRIVE),
            ("code_challenge", verifier),
        ];
        if let Some(m) = method {
            params.push(("code_challenge_method", m));
        }
        let r = http.get(auth_url(&emu, &params)).send().await.unwrap();
        let code = param(&location_params(&r), "code").unwrap().to_owned();
        assert_eq!(
            exchange(&emu, &http, &code, verifier).await.status(),
            200,
            "{method:?}"
        );
    }
}

#[tokio::test]
async fn code_is_single_use_and_replay_revokes_its_tokens() {
    let emu = start(true).await;
    let http = http();
    let (code, p) = code_for(&emu, &http, DRIVE, &[]).await;
    let first: Value = exchange(&emu, &http, &code, &p.verifier)
        .await
        .json()
        .await
        .unwrap();
    let again = exchange(&emu, &http, &code, &p.verifier).await;
    assert_eq!(again.status(), 400);
    let body: Value = again.json().await.unwrap();
    assert_eq!(body["error"], "invalid_grant");
    let r = http
        .get(format!("{}/tokeninfo", emu.base_url()))
        .query(&[("access_token", first["access_token"].as_str().unwrap())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400, "tokens of a replayed code are revoked");
}

#[tokio::test]
async fn wrong_or_missing_verifier_and_redirect_mismatch_fail() {
    let emu = start(true).await;
    let http = http();
    let (code, _) = code_for(&emu, &http, DRIVE, &[]).await;
    let wrong = pkce("other");
    let r = exchange(&emu, &http, &code, &wrong.verifier).await;
    assert_eq!(r.status(), 400);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"], "invalid_grant");
    assert_eq!(v["error_description"], "Invalid code verifier.");

    let (code, p) = code_for(&emu, &http, DRIVE, &[]).await;
    let r = http
        .post(format!("{}/token", emu.base_url()))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", "http://127.0.0.1:10/other"),
            ("client_id", DEFAULT_CLIENT_ID),
            ("client_secret", DEFAULT_CLIENT_SECRET),
            ("code_verifier", p.verifier.as_str()),
        ])
        .send()
        .await
        .unwrap();
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"], "redirect_uri_mismatch");

    let (code, _) = code_for(&emu, &http, DRIVE, &[]).await;
    let r = http
        .post(format!("{}/token", emu.base_url()))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", REDIRECT),
            ("client_id", DEFAULT_CLIENT_ID),
            ("client_secret", DEFAULT_CLIENT_SECRET),
        ])
        .send()
        .await
        .unwrap();
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error_description"], "Missing code verifier.");
}

#[tokio::test]
async fn client_authentication_basic_and_errors() {
    let emu = start(true).await;
    let http = http();
    let (code, p) = code_for(&emu, &http, DRIVE, &[]).await;
    let r = http
        .post(format!("{}/token", emu.base_url()))
        .basic_auth(DEFAULT_CLIENT_ID, Some(DEFAULT_CLIENT_SECRET))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", REDIRECT),
            ("code_verifier", p.verifier.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "HTTP Basic client auth works");

    let r = http
        .post(format!("{}/token", emu.base_url()))
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", "x"),
            ("client_id", DEFAULT_CLIENT_ID),
            ("client_secret", "wrong"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"], "invalid_client");

    let r = http
        .post(format!("{}/token", emu.base_url()))
        .form(&[
            ("grant_type", "password"),
            ("client_id", DEFAULT_CLIENT_ID),
            ("client_secret", DEFAULT_CLIENT_SECRET),
        ])
        .send()
        .await
        .unwrap();
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"], "unsupported_grant_type");

    let r = http
        .post(format!("{}/token", emu.base_url()))
        .form(&[
            ("grant_type", "authorization_code"),
            ("client_id", DEFAULT_CLIENT_ID),
        ])
        .send()
        .await
        .unwrap();
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"], "invalid_request");
    assert_eq!(v["error_description"], "client_secret is missing.");
}

#[tokio::test]
async fn consent_form_allow_as_bob_and_deny() {
    let emu = start(false).await;
    let http = http();
    let p = pkce("form");
    let url = auth_url(
        &emu,
        &[
            ("redirect_uri", REDIRECT),
            ("scope", DRIVE_METADATA_READONLY),
            ("code_challenge", &p.challenge),
            ("code_challenge_method", "S256"),
            ("state", "s1"),
            ("login_hint", "bob@example.com"),
        ],
    );
    let page = http.get(&url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("<title>Sign in - gapi emulator</title>"),
        "{html}"
    );
    assert!(html.contains("id=\"allow\"") && html.contains("id=\"deny\""));
    assert!(
        html.contains("See information about your Google Drive files"),
        "scopes in words"
    );
    assert!(
        html.contains("value=\"bob@example.com\" checked"),
        "login_hint preselects bob"
    );
    assert!(
        !html.contains(&p.challenge),
        "the page carries only a request id"
    );
    let request_id = html
        .split("name=\"request\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    let r = http
        .post(format!("{}/o/oauth2/approve", emu.base_url()))
        .form(&[
            ("request", request_id.as_str()),
            ("user", "bob@example.com"),
            ("decision", "allow"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
    let q = location_params(&r);
    assert_eq!(param(&q, "state"), Some("s1"));
    let code = param(&q, "code").unwrap().to_owned();
    let t: Value = exchange(&emu, &http, &code, &p.verifier)
        .await
        .json()
        .await
        .unwrap();
    let info: Value = http
        .get(format!("{}/tokeninfo", emu.base_url()))
        .query(&[("access_token", t["access_token"].as_str().unwrap())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info["email"], "bob@example.com");
    assert_eq!(info["aud"], DEFAULT_CLIENT_ID);
    assert_eq!(info["scope"], DRIVE_METADATA_READONLY);

    // The same request id cannot be used twice.
    let r = http
        .post(format!("{}/o/oauth2/approve", emu.base_url()))
        .form(&[("request", request_id.as_str()), ("decision", "allow")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);

    let html = http.get(&url).send().await.unwrap().text().await.unwrap();
    let id = html
        .split("name=\"request\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    let r = http
        .post(format!("{}/o/oauth2/approve", emu.base_url()))
        .form(&[("request", id.as_str()), ("decision", "deny")])
        .send()
        .await
        .unwrap();
    let q = location_params(&r);
    assert_eq!(param(&q, "error"), Some("access_denied"));
    assert_eq!(param(&q, "state"), Some("s1"));
    assert_eq!(param(&q, "code"), None);
}

#[tokio::test]
async fn oob_pages_carry_the_code_in_the_title() {
    let emu = start(true).await;
    let http = http();
    for (uri, copy_text) in [
        ("urn:ietf:wg:oauth:2.0:oob", true),
        ("urn:ietf:wg:oauth:2.0:oob:auto", false),
    ] {
        let html = http
            .get(auth_url(&emu, &[("redirect_uri", uri), ("scope", DRIVE)]))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let code = html
            .split("<title>Success code=")
            .nth(1)
            .and_then(|s| s.split("</title>").next())
            .unwrap();
        assert!(code.starts_with("4/"), "{code}");
        assert_eq!(html.contains("id=\"code\""), copy_text);
        let r = http
            .post(format!("{}/token", emu.base_url()))
            .form(&[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("redirect_uri", uri),
                ("client_id", DEFAULT_CLIENT_ID),
                ("client_secret", DEFAULT_CLIENT_SECRET),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }
    let denied = start(false).await;
    let html = http
        .get(auth_url(
            &denied,
            &[
                ("redirect_uri", "urn:ietf:wg:oauth:2.0:oob"),
                ("scope", DRIVE),
            ],
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let id = html
        .split("name=\"request\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    let html = http
        .post(format!("{}/o/oauth2/approve", denied.base_url()))
        .form(&[("request", id.as_str()), ("decision", "deny")])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("<title>Denied error=access_denied</title>"),
        "{html}"
    );
}

#[tokio::test]
async fn bad_client_redirect_or_response_type_are_error_pages_not_redirects() {
    let emu = start(true).await;
    let http = http();
    let cases: Vec<Vec<(&str, &str)>> = vec![
        vec![("client_id", "nope"), ("redirect_uri", REDIRECT)],
        vec![
            ("client_id", WEB_CLIENT_ID),
            ("redirect_uri", "http://127.0.0.1:9999/elsewhere"),
        ],
        vec![
            ("client_id", DEFAULT_CLIENT_ID),
            ("redirect_uri", "https://evil.example/cb"),
        ],
        vec![
            ("client_id", DEFAULT_CLIENT_ID),
            ("redirect_uri", REDIRECT),
            ("response_type", "token"),
        ],
    ];
    for params in cases {
        let mut url = url::Url::parse(&format!("{}/o/oauth2/auth", emu.base_url())).unwrap();
        url.query_pairs_mut().append_pair("scope", DRIVE);
        if !params.iter().any(|(k, _)| *k == "response_type") {
            url.query_pairs_mut().append_pair("response_type", "code");
        }
        for (k, v) in &params {
            url.query_pairs_mut().append_pair(k, v);
        }
        let r = http.get(url.as_str()).send().await.unwrap();
        assert_eq!(r.status(), 400, "{params:?}");
        assert!(r.headers().get("location").is_none());
        let html = r.text().await.unwrap();
        assert!(html.contains("Error 400"), "{html}");
    }
    let text = http
        .get(format!(
            "{}/o/oauth2/auth?client_id={WEB_CLIENT_ID}&redirect_uri=http%3A%2F%2F127.0.0.1%3A9999%2Felsewhere&response_type=code&scope=x",
            emu.base_url()
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(text.contains("redirect_uri_mismatch"));
    // The web client's registered URI works.
    let r = http
        .get(format!(
            "{}/o/oauth2/auth?client_id={WEB_CLIENT_ID}&redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2Fcallback&response_type=code&scope={DRIVE}",
            emu.base_url()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
}

#[tokio::test]
async fn bad_scope_or_challenge_method_redirect_back_with_error() {
    let emu = start(true).await;
    let http = http();
    let r = http
        .get(auth_url(
            &emu,
            &[
                ("redirect_uri", REDIRECT),
                ("scope", "not-a-scope"),
                ("state", "z"),
            ],
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
    let q = location_params(&r);
    assert_eq!(param(&q, "error"), Some("invalid_scope"));
    assert_eq!(param(&q, "state"), Some("z"));
    let p = pkce("m");
    let r = http
        .get(auth_url(
            &emu,
            &[
                ("redirect_uri", REDIRECT),
                ("scope", DRIVE),
                ("code_challenge", &p.challenge),
                ("code_challenge_method", "S512"),
            ],
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(
        param(&location_params(&r), "error"),
        Some("invalid_request")
    );
}

#[tokio::test]
async fn refresh_tokens_follow_googles_offline_and_consent_rules() {
    let emu = start(true).await;
    let http = http();
    let online = tokens(&emu, &http, DRIVE, &[]).await;
    assert!(
        online.get("refresh_token").is_none(),
        "online access: no refresh token"
    );
    let first = tokens(&emu, &http, DRIVE, &[("access_type", "offline")]).await;
    let rt = first["refresh_token"]
        .as_str()
        .expect("first offline consent gets one")
        .to_owned();
    let repeat = tokens(&emu, &http, DRIVE, &[("access_type", "offline")]).await;
    assert!(
        repeat.get("refresh_token").is_none(),
        "repeat consent without prompt=consent: none"
    );
    let forced = tokens(
        &emu,
        &http,
        DRIVE,
        &[("access_type", "offline"), ("prompt", "consent")],
    )
    .await;
    assert!(
        forced["refresh_token"].as_str().is_some(),
        "prompt=consent issues a new one"
    );

    let refresh = |token: String| {
        let http = http.clone();
        let url = format!("{}/token", emu.base_url());
        async move {
            http.post(url)
                .form(&[
                    ("grant_type", "refresh_token"),
                    ("refresh_token", token.as_str()),
                    ("client_id", DEFAULT_CLIENT_ID),
                    ("client_secret", DEFAULT_CLIENT_SECRET),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    let r = refresh(rt.clone()).await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert!(v["access_token"].as_str().is_some());
    assert!(
        v.get("refresh_token").is_none(),
        "Google does not rotate refresh tokens"
    );

    // Revoking (by refresh token) kills the whole grant.
    let r = http
        .post(format!("{}/revoke", emu.base_url()))
        .form(&[("token", rt.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = refresh(rt.clone()).await;
    assert_eq!(r.status(), 400);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"], "invalid_grant");
    let r = http
        .get(format!("{}/drive/v3/files", emu.base_url()))
        .bearer_auth(first["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    google_error(r, 401, "authError").await;
    // Unknown token at /revoke.
    let r = http
        .post(format!("{}/revoke?token=nope", emu.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    // After revocation the next offline consent issues a refresh token again.
    let again = tokens(&emu, &http, DRIVE, &[("access_type", "offline")]).await;
    assert!(again["refresh_token"].as_str().is_some());
}

#[tokio::test]
async fn include_granted_scopes_unions_previous_grants() {
    let emu = start(true).await;
    let http = http();
    tokens(&emu, &http, DRIVE_METADATA_READONLY, &[]).await;
    let t = tokens(
        &emu,
        &http,
        DRIVE_FILE,
        &[("include_granted_scopes", "true")],
    )
    .await;
    let scopes: Vec<&str> = t["scope"].as_str().unwrap().split(' ').collect();
    assert!(
        scopes.contains(&DRIVE_FILE) && scopes.contains(&DRIVE_METADATA_READONLY),
        "{scopes:?}"
    );
}

#[tokio::test]
async fn expired_tokens_get_401_and_tokeninfo_rejects_them() {
    let emu = start_with(gapi_emulator::EmulatorConfig {
        auto_approve: true,
        token_lifetime: std::time::Duration::from_secs(1),
        ..Default::default()
    })
    .await;
    let http = http();
    let t = tokens(&emu, &http, DRIVE, &[]).await;
    assert_eq!(t["expires_in"], 1);
    let token = t["access_token"].as_str().unwrap().to_owned();
    // Expire it through the control API rather than waiting.
    let r = http
        .post(format!("{}/__emulator/tokens/expire", emu.base_url()))
        .json(&serde_json::json!({"access_token": token}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = http
        .get(format!("{}/drive/v3/files", emu.base_url()))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let challenge = r.headers()["www-authenticate"].to_str().unwrap().to_owned();
    assert!(challenge.contains("invalid_token"), "{challenge}");
    let v = google_error(r, 401, "authError").await;
    assert_eq!(v["error"]["status"], "UNAUTHENTICATED");
    assert_eq!(v["error"]["errors"][0]["location"], "Authorization");
    let r = http
        .get(format!("{}/tokeninfo?access_token={token}", emu.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"], "invalid_token");
}

#[tokio::test]
async fn identity_scopes_give_an_id_token_and_userinfo() {
    use base64::Engine;
    let emu = start(true).await;
    let http = http();
    let t = tokens(
        &emu,
        &http,
        "openid email",
        &[("login_hint", "bob@example.com")],
    )
    .await;
    let id_token = t["id_token"]
        .as_str()
        .expect("an id_token for openid email");
    let payload = id_token.split('.').nth(1).unwrap();
    let claims: Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(claims["email"], "bob@example.com");
    assert_eq!(claims["aud"], DEFAULT_CLIENT_ID);
    assert_eq!(claims["iss"], emu.base_url());
    let info: Value = http
        .get(format!("{}/oauth2/v3/userinfo", emu.base_url()))
        .bearer_auth(t["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info["email"], "bob@example.com");
    let drive_only = tokens(&emu, &http, DRIVE, &[]).await;
    assert!(drive_only.get("id_token").is_none());
    let r = http
        .get(format!("{}/oauth2/v3/userinfo", emu.base_url()))
        .bearer_auth(drive_only["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    google_error(r, 403, "insufficientPermissions").await;
}
