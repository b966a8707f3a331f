//! Exact wire shapes of issue 9 section 1, with plain reqwest (as curl would see them):
//! userinfo v2 vs v3, tokeninfo from header / body / query on every path, `invalid_scope` at
//! the authorization endpoint, Google's auth error bodies, the ID-token keys, Drive's
//! `md5Checksum` and media `ETag`, and the refresh-token lifecycle rules.
//! (The same behaviour through Google's own clients: `real_clients.rs`.)

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use gapi_emulator::{DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, EmulatorConfig, RunningEmulator};
use gapi_testkit::emulator::*;
use serde_json::{Value, json};

const IDENTITY: &str = "openid https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/userinfo.profile";

async fn refresh(emu: &RunningEmulator, refresh_token: &str) -> (u16, Value) {
    let r = http()
        .post(format!("{}/token", emu.base_url()))
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("client_id", DEFAULT_CLIENT_ID),
            ("client_secret", DEFAULT_CLIENT_SECRET),
        ])
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

// ------------------------------------------------------------------ userinfo

#[tokio::test]
async fn userinfo_v2_and_v3_have_their_own_shapes() {
    let emu = start(true).await;
    let token = issued_token(&emu, "bob@example.com", IDENTITY).await;
    let get = |path: &str| {
        http()
            .get(format!("{}{path}", emu.base_url()))
            .bearer_auth(&token)
            .send()
    };
    let v2: Value = get("/oauth2/v2/userinfo")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let me: Value = get("/userinfo/v2/me").await.unwrap().json().await.unwrap();
    assert_eq!(
        v2, me,
        "both v2 paths of the oauth2 v2 document answer alike"
    );
    let keys: Vec<&str> = v2.as_object().unwrap().keys().map(String::as_str).collect();
    for key in [
        "id",
        "email",
        "verified_email",
        "name",
        "given_name",
        "family_name",
        "picture",
    ] {
        assert!(keys.contains(&key), "v2 has {key}: {v2}");
    }
    assert_eq!(v2["given_name"], "Bob");
    assert_eq!(v2["family_name"], "Example");
    let v3: Value = get("/oauth2/v3/userinfo")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v3["sub"], v2["id"], "{v3}");
    assert_eq!(v3["email_verified"], true);
    assert_eq!(v3["picture"], v2["picture"]);
    assert!(
        v3.get("id").is_none() && v3.get("verified_email").is_none(),
        "{v3}"
    );

    // Only the email scope: no profile fields, in either shape.
    let email_only = issued_token(&emu, "bob@example.com", "email").await;
    let v2: Value = http()
        .get(format!("{}/oauth2/v2/userinfo", emu.base_url()))
        .bearer_auth(&email_only)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v2["email"], "bob@example.com");
    assert!(v2.get("name").is_none(), "{v2}");
    emu.shutdown().await;
}

// ------------------------------------------------------------------ tokeninfo

#[tokio::test]
async fn tokeninfo_reads_header_body_and_query_on_every_path() {
    let emu = start(true).await;
    let token = issued_token(&emu, "alice@example.com", DRIVE).await;
    for path in [
        "/tokeninfo",
        "/oauth2/v3/tokeninfo",
        "/oauth2/v2/tokeninfo",
        "/oauth2/v1/tokeninfo",
    ] {
        let url = format!("{}{path}", emu.base_url());
        let answers = [
            http().post(&url).bearer_auth(&token).send().await.unwrap(),
            http()
                .post(&url)
                .form(&[("access_token", &token)])
                .send()
                .await
                .unwrap(),
            http()
                .get(&url)
                .query(&[("access_token", &token)])
                .send()
                .await
                .unwrap(),
            http()
                .post(&url)
                .query(&[("access_token", &token)])
                .send()
                .await
                .unwrap(),
        ];
        for (i, r) in answers.into_iter().enumerate() {
            assert_eq!(r.status(), 200, "{path} way {i}");
            let v: Value = r.json().await.unwrap();
            assert!(
                v["scope"].as_str().unwrap().contains("auth/drive"),
                "{path}: {v}"
            );
            if path == "/oauth2/v2/tokeninfo" || path == "/oauth2/v1/tokeninfo" {
                // The oauth2 v2 document's Tokeninfo schema: numbers, issued_to/audience.
                assert_eq!(v["issued_to"], DEFAULT_CLIENT_ID, "{v}");
                assert_eq!(v["audience"], DEFAULT_CLIENT_ID, "{v}");
                assert!(v["expires_in"].is_u64(), "{v}");
                assert_eq!(v["verified_email"], true, "{v}");
            } else {
                assert_eq!(v["aud"], DEFAULT_CLIENT_ID, "{v}");
                assert!(v["expires_in"].is_string(), "v3 sends strings: {v}");
                assert_eq!(v["email_verified"], "true", "{v}");
            }
        }
    }
    let r = http()
        .post(format!("{}/oauth2/v3/tokeninfo", emu.base_url()))
        .bearer_auth("ya29.unknown")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"], "invalid_token", "{v}");
    emu.shutdown().await;
}

#[tokio::test]
async fn tokeninfo_decodes_our_id_tokens() {
    let emu = start(true).await;
    let t = issue(&emu, json!({"scope": IDENTITY})).await;
    let r = http()
        .get(format!("{}/oauth2/v3/tokeninfo", emu.base_url()))
        .query(&[("id_token", t["id_token"].as_str().unwrap())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["aud"], DEFAULT_CLIENT_ID);
    assert_eq!(v["email"], "alice@example.com");
    assert_eq!(v["alg"], "RS256");
    emu.shutdown().await;
}

// ------------------------------------------------------------------ scopes

#[tokio::test]
async fn unknown_scopes_are_refused_at_the_authorization_endpoint() {
    let emu = start(true).await;
    let typo = "https://www.googleapis.com/auth/drive.readonly.metadata";
    let r = http()
        .get(auth_url(
            &emu,
            &[("redirect_uri", REDIRECT), ("scope", typo), ("state", "s1")],
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
    let q = location_params(&r);
    assert_eq!(param(&q, "error"), Some("invalid_scope"));
    assert_eq!(param(&q, "state"), Some("s1"));
    assert!(param(&q, "code").is_none());
    let description = param(&q, "error_description").unwrap();
    assert!(
        description.contains("Some requested scopes were invalid"),
        "{description}"
    );
    assert!(description.contains(typo), "{description}");
    // Real scopes of any bundled API, and the three OpenID names, pass.
    for scope in [
        "https://www.googleapis.com/auth/calendar.events.readonly",
        "https://www.googleapis.com/auth/cloud-platform",
        "https://www.googleapis.com/auth/youtube.readonly",
        "https://mail.google.com/",
        "openid email profile",
    ] {
        let r = http()
            .get(auth_url(
                &emu,
                &[("redirect_uri", REDIRECT), ("scope", scope)],
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 302, "{scope}");
        let q = location_params(&r);
        assert!(param(&q, "code").is_some(), "{scope}: {q:?}");
    }
    emu.shutdown().await;
}

// ------------------------------------------------------------------ error bodies

#[tokio::test]
async fn auth_errors_are_googles_word_for_word() {
    let emu = start(true).await;
    let url = format!("{}/drive/v3/files", emu.base_url());

    let r = http().get(&url).send().await.unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(
        r.headers()["www-authenticate"],
        "Bearer realm=\"https://accounts.google.com/\""
    );
    let v: Value = r.json().await.unwrap();
    let e = &v["error"];
    assert_eq!(e["code"], 401);
    assert_eq!(
        e["message"],
        "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project."
    );
    assert_eq!(e["status"], "UNAUTHENTICATED");
    assert_eq!(
        e["errors"],
        json!([{"message": "Login Required.", "domain": "global", "reason": "required", "location": "Authorization", "locationType": "header"}])
    );
    assert_eq!(
        e["details"][0]["@type"],
        "type.googleapis.com/google.rpc.ErrorInfo"
    );
    assert_eq!(e["details"][0]["reason"], "CREDENTIALS_MISSING");
    assert_eq!(e["details"][0]["domain"], "googleapis.com");
    assert_eq!(
        e["details"][0]["metadata"]["service"],
        "drive.googleapis.com"
    );
    assert!(e["emulator_help"].as_str().is_some(), "{v}");

    for bad in ["ya29.not-a-token", ""] {
        let r = http()
            .get(&url)
            .header("authorization", format!("Bearer {bad}"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401, "{bad:?}");
        assert_eq!(
            r.headers()["www-authenticate"],
            "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\""
        );
        let v: Value = r.json().await.unwrap();
        let e = &v["error"];
        assert_eq!(
            e["message"],
            "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project."
        );
        assert_eq!(
            e["errors"],
            json!([{"message": "Invalid Credentials", "domain": "global", "reason": "authError", "location": "Authorization", "locationType": "header"}])
        );
        assert_eq!(e["status"], "UNAUTHENTICATED");
        let help = e["emulator_help"].as_str().unwrap();
        let expected = if bad.is_empty() {
            "not `Bearer"
        } else {
            "unknown"
        };
        assert!(help.contains(expected), "{v}");
    }

    // An expired token: same body, its own hint and ErrorInfo reason.
    let expiring = issued_token(&emu, "alice@example.com", DRIVE).await;
    http()
        .post(format!("{}/__emulator/tokens/expire", emu.base_url()))
        .json(&json!({"access_token": expiring}))
        .send()
        .await
        .unwrap();
    let r = http()
        .get(&url)
        .bearer_auth(&expiring)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["errors"][0]["reason"], "authError");
    assert_eq!(v["error"]["details"][0]["reason"], "ACCESS_TOKEN_EXPIRED");
    assert!(
        v["error"]["emulator_help"]
            .as_str()
            .unwrap()
            .contains("expired"),
        "{v}"
    );

    let narrow = issued_token(&emu, "alice@example.com", IDENTITY).await;
    let r = http().get(&url).bearer_auth(&narrow).send().await.unwrap();
    assert_eq!(r.status(), 403);
    let www = r.headers()["www-authenticate"].to_str().unwrap().to_owned();
    assert!(
        www.starts_with(
            "Bearer realm=\"https://accounts.google.com/\", error=\"insufficient_scope\", scope=\""
        ),
        "{www}"
    );
    for scope in [DRIVE, DRIVE_READONLY, DRIVE_METADATA_READONLY] {
        assert!(www.contains(scope), "names {scope}: {www}");
    }
    let v: Value = r.json().await.unwrap();
    let e = &v["error"];
    assert_eq!(e["code"], 403);
    assert_eq!(
        e["message"],
        "Request had insufficient authentication scopes."
    );
    assert_eq!(e["status"], "PERMISSION_DENIED");
    assert_eq!(
        e["errors"],
        json!([{"message": "Insufficient Permission", "domain": "global", "reason": "insufficientPermissions"}])
    );
    assert_eq!(e["details"][0]["reason"], "ACCESS_TOKEN_SCOPE_INSUFFICIENT");
    emu.shutdown().await;
}

// ------------------------------------------------------------------ ID tokens and keys

#[tokio::test]
async fn id_tokens_are_rs256_with_published_keys() {
    let emu = start(true).await;
    let t = issue(&emu, json!({"scope": IDENTITY})).await;
    let id_token = t["id_token"].as_str().unwrap();
    let header: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(id_token.split('.').next().unwrap())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(header["alg"], "RS256");
    let kid = header["kid"].as_str().unwrap();

    let jwks: Value = http()
        .get(format!("{}/oauth2/v3/certs", emu.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(jwks["keys"][0]["kid"], kid);
    assert_eq!(jwks["keys"][0]["kty"], "RSA");
    assert_eq!(jwks["keys"][0]["alg"], "RS256");
    let r = http()
        .get(format!("{}/oauth2/v1/certs", emu.base_url()))
        .send()
        .await
        .unwrap();
    assert!(
        r.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("max-age=")
    );
    let pem: Value = r.json().await.unwrap();
    assert!(
        pem[kid]
            .as_str()
            .unwrap()
            .starts_with("-----BEGIN CERTIFICATE-----\n")
    );

    let config: Value = http()
        .get(format!(
            "{}/.well-known/openid-configuration",
            emu.base_url()
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let base = emu.base_url();
    assert_eq!(config["issuer"], base);
    assert_eq!(
        config["authorization_endpoint"],
        format!("{base}/o/oauth2/v2/auth")
    );
    assert_eq!(config["token_endpoint"], format!("{base}/token"));
    assert_eq!(
        config["userinfo_endpoint"],
        format!("{base}/oauth2/v3/userinfo")
    );
    assert_eq!(config["revocation_endpoint"], format!("{base}/revoke"));
    assert_eq!(
        config["device_authorization_endpoint"],
        format!("{base}/device/code")
    );
    assert_eq!(config["jwks_uri"], format!("{base}/oauth2/v3/certs"));
    assert_eq!(
        config["id_token_signing_alg_values_supported"],
        json!(["RS256"])
    );
    emu.shutdown().await;
}

// ------------------------------------------------------------------ Drive md5 + ETag

#[tokio::test]
async fn drive_media_has_md5_and_an_etag_that_revalidates() {
    let emu = start(true).await;
    let token = issued_token(&emu, "alice@example.com", DRIVE).await;
    let body = b"md5 me please".to_vec();
    let r = http()
        .post(format!(
            "{}/upload/drive/v3/files?uploadType=media&fields=id,md5Checksum",
            emu.base_url()
        ))
        .bearer_auth(&token)
        .header("content-type", "text/plain")
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let f: Value = r.json().await.unwrap();
    // md5("md5 me please"), computed with `printf 'md5 me please' | md5sum`.
    assert_eq!(f["md5Checksum"], "3a8a0599298e789df9b33561a6afd89f");
    let url = format!(
        "{}/drive/v3/files/{}?alt=media",
        emu.base_url(),
        f["id"].as_str().unwrap()
    );
    let r = http().get(&url).bearer_auth(&token).send().await.unwrap();
    let etag = r.headers()["etag"].to_str().unwrap().to_owned();
    assert_eq!(etag, "\"3a8a0599298e789df9b33561a6afd89f\"");
    // A range request carries the same ETag (the client's safe resume compares it).
    let r = http()
        .get(&url)
        .bearer_auth(&token)
        .header("range", "bytes=0-2")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 206);
    assert_eq!(r.headers()["etag"].to_str().unwrap(), etag);
    emu.shutdown().await;
}

// ------------------------------------------------------------------ lifecycle

#[tokio::test]
async fn testing_mode_refresh_tokens_expire_unless_identity_only() {
    let emu = start_with(EmulatorConfig {
        auto_approve: true,
        refresh_token_lifetime: Some(Duration::from_secs(1)),
        ..Default::default()
    })
    .await;
    let drive = issue(&emu, json!({"scope": DRIVE, "offline": true})).await;
    let ident = issue(
        &emu,
        json!({"scope": "openid email profile", "offline": true}),
    )
    .await;
    let (status, _) = refresh(&emu, drive["refresh_token"].as_str().unwrap()).await;
    assert_eq!(status, 200, "young tokens refresh");
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let (status, v) = refresh(&emu, drive["refresh_token"].as_str().unwrap()).await;
    assert_eq!(status, 400);
    assert_eq!(
        v,
        json!({"error": "invalid_grant", "error_description": "Token has been expired or revoked."})
    );
    let (status, v) = refresh(&emu, ident["refresh_token"].as_str().unwrap()).await;
    assert_eq!(status, 200, "identity-only grants are exempt: {v}");
    let status: Value = http()
        .get(format!("{}/__emulator/status", emu.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(status["refresh_token_lifetime_secs"], 1, "{status}");
    emu.shutdown().await;
}

#[tokio::test]
async fn the_101st_refresh_token_silently_revokes_the_oldest() {
    let emu = start(true).await;
    let mut tokens = Vec::new();
    for _ in 0..101 {
        let t = issue(&emu, json!({"scope": DRIVE, "offline": true})).await;
        tokens.push(t["refresh_token"].as_str().unwrap().to_owned());
    }
    let (status, v) = refresh(&emu, &tokens[0]).await;
    assert_eq!(status, 400, "the oldest is gone");
    assert_eq!(v["error_description"], "Token has been expired or revoked.");
    for t in [&tokens[1], &tokens[100]] {
        let (status, v) = refresh(&emu, t).await;
        assert_eq!(status, 200, "{v}");
    }
    // Another client or another user has its own 100.
    let bob = issue(
        &emu,
        json!({"email": "bob@example.com", "scope": DRIVE, "offline": true}),
    )
    .await;
    let (status, _) = refresh(&emu, bob["refresh_token"].as_str().unwrap()).await;
    assert_eq!(status, 200);
    let (status, _) = refresh(&emu, &tokens[1]).await;
    assert_eq!(status, 200);
    emu.shutdown().await;
}

#[tokio::test]
async fn invalid_rapt_on_demand_until_the_user_signs_in_again() {
    let emu = start(true).await;
    let t = issue(&emu, json!({"scope": DRIVE, "offline": true})).await;
    let rt = t["refresh_token"].as_str().unwrap();
    let r = http()
        .post(format!("{}/__emulator/tokens/reauth", emu.base_url()))
        .json(&json!({"token": rt}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    for _ in 0..2 {
        let (status, v) = refresh(&emu, rt).await;
        assert_eq!(status, 400);
        assert_eq!(v["error"], "invalid_grant");
        assert_eq!(v["error_subtype"], "invalid_rapt");
        assert!(v["error_description"].as_str().is_some());
    }
    // A new sign-in (code flow) of the same user and client clears it.
    tokens(&emu, &http(), DRIVE, &[("access_type", "offline")]).await;
    let (status, v) = refresh(&emu, rt).await;
    assert_eq!(status, 200, "{v}");
    // Unknown token: 404 from the control API, nothing changed.
    let r = http()
        .post(format!("{}/__emulator/tokens/reauth", emu.base_url()))
        .json(&json!({"token": "1//nope"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    emu.shutdown().await;
}

// ------------------------------------------------------------------ documented but not emulated

#[tokio::test]
async fn documented_drive_paths_answer_501_never_a_bare_404() {
    let emu = start(true).await;
    let token = issued_token(&emu, "alice@example.com", DRIVE).await;
    let file = gapi_emulator::seeded_files("alice@example.com")[0]
        .id
        .clone();
    for (method, path, id) in [
        (
            "GET",
            format!("/drive/v3/files/{file}/revisions"),
            "drive.revisions.list",
        ),
        (
            "POST",
            format!("/drive/v3/files/{file}/comments"),
            "drive.comments.create",
        ),
        ("GET", "/drive/v3/drives".to_owned(), "drive.drives.list"),
    ] {
        let r = http()
            .request(method.parse().unwrap(), format!("{}{path}", emu.base_url()))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 501, "{method} {path}");
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["error"]["status"], "UNIMPLEMENTED");
        assert!(v["error"]["message"].as_str().unwrap().contains(id), "{v}");
    }
    let r = http()
        .get(format!("{}/drive/v3/no-such-thing", emu.base_url()))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404, "a path no document names stays 404");
    emu.shutdown().await;
}

#[tokio::test]
async fn drive_sharing_and_trash_refuse_what_drive_refuses() {
    let emu = start(true).await;
    let alice = issued_token(&emu, "alice@example.com", DRIVE).await;
    let bob = issued_token(&emu, "bob@example.com", DRIVE).await;
    let narrow = issued_token(&emu, "alice@example.com", DRIVE_FILE).await;
    let file = gapi_emulator::seeded_files("alice@example.com")[0]
        .id
        .clone();
    let perms = format!("{}/drive/v3/files/{file}/permissions", emu.base_url());
    let owner = "01234567890123456781";
    let r = http()
        .delete(format!("{perms}/{owner}"))
        .bearer_auth(&alice)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = http()
        .post(&perms)
        .bearer_auth(&alice)
        .json(&json!({"type": "user", "role": "writer", "emailAddress": "bob@example.com"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // Bob can read it now, but not share it further.
    let r = http()
        .get(format!(
            "{}/drive/v3/files/{file}?fields=id,ownedByMe",
            emu.base_url()
        ))
        .bearer_auth(&bob)
        .send()
        .await
        .unwrap();
    let v: Value = r.json().await.unwrap();
    assert_eq!(v, json!({"id": file, "ownedByMe": false}));
    let r = http()
        .post(&perms)
        .bearer_auth(&bob)
        .json(&json!({"type": "anyone", "role": "reader"}))
        .send()
        .await
        .unwrap();
    google_error(r, 403, "insufficientFilePermissions").await;
    let r = http()
        .post(&perms)
        .bearer_auth(&alice)
        .json(&json!({"type": "user", "role": "owner", "emailAddress": "bob@example.com"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "no ownership transfer");
    // emptyTrash needs the full drive scope.
    let r = http()
        .delete(format!("{}/drive/v3/files/trash", emu.base_url()))
        .bearer_auth(&narrow)
        .send()
        .await
        .unwrap();
    let v = google_error(r, 403, "insufficientPermissions").await;
    assert_eq!(
        v["error"]["details"][0]["reason"],
        "ACCESS_TOKEN_SCOPE_INSUFFICIENT"
    );
    let r = http()
        .get(format!("{}/drive/v3/changes", emu.base_url()))
        .bearer_auth(&alice)
        .send()
        .await
        .unwrap();
    google_error(r, 400, "required").await;
    emu.shutdown().await;
}
