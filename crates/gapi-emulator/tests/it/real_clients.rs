//! Google's own client libraries against the emulator (issue 9, section 1): Node's
//! `googleapis` 188 + `google-auth-library` 11.3.4 (and `jose`, a generic OIDC library) run
//! `tests/peers/node_emulator_client.mjs`; Python's `google-auth` + `google-auth-oauthlib` +
//! `google-api-python-client` run `tests/peers/python_emulator_client.py`. The scripts only
//! report what the clients returned or raised; this file judges.
//!
//! The peers come from `scripts/setup-test-deps.sh && . target/test-env.sh` (`scripts/test.sh`
//! does both). Without them these tests FAIL with a message saying so; they never skip.

use std::time::Duration;

use gapi_emulator::{DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, EmulatorConfig, RunningEmulator};
use gapi_testkit::emulator::*;
use gapi_testkit::peers;
use serde_json::{Value, json};

const IDENTITY: &str = "openid https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/userinfo.profile";

#[derive(Clone, Copy)]
enum Peer {
    Node,
    Python,
}

/// Runs one scenario of a peer script with `config` (plus the emulator's address and client)
/// and returns the JSON line it printed.
async fn run(peer: Peer, scenario: &str, emu: &RunningEmulator, config: Value) -> Value {
    let mut config = config;
    config["base"] = json!(emu.base_url());
    config["client_id"] = json!(DEFAULT_CLIENT_ID);
    config["client_secret"] = json!(DEFAULT_CLIENT_SECRET);
    let mut cmd = match peer {
        Peer::Node => peers::node_script(peers::peers_dir().join("node_emulator_client.mjs")),
        Peer::Python => peers::python_script(peers::peers_dir().join("python_emulator_client.py")),
    };
    cmd.arg(scenario).env("GAPI_EMU", config.to_string());
    peers::last_json_line(&peers::run(cmd).await)
}

fn ok<'a>(result: &'a Value, what: &str) -> &'a Value {
    let thrown = result["thrown"].as_bool().or(result["raised"].as_bool());
    assert_eq!(thrown, Some(false), "{what} failed: {result}");
    &result["value"]
}

fn alice() -> gapi_emulator::TestUser {
    *gapi_emulator::test_users()
        .iter()
        .find(|u| u.email == "alice@example.com")
        .expect("alice is a test user")
}

// ------------------------------------------------------------------ userinfo, tokeninfo, ID tokens

fn assert_userinfo_v2(v: &Value) {
    let user = alice();
    assert_eq!(v["id"], user.id, "{v}");
    assert_eq!(v["email"], user.email, "{v}");
    assert_eq!(v["verified_email"], true, "{v}");
    assert_eq!(v["name"], user.name, "{v}");
    assert_eq!(v["given_name"], "Alice", "{v}");
    assert_eq!(v["family_name"], "Example", "{v}");
    assert!(
        v["picture"].as_str().is_some_and(|p| p.starts_with("http")),
        "{v}"
    );
    assert!(v.get("sub").is_none(), "v2 has no OIDC sub: {v}");
}

fn assert_id_token_claims(claims: &Value, emu: &RunningEmulator) {
    assert_eq!(claims["iss"], emu.base_url(), "{claims}");
    assert_eq!(claims["aud"], DEFAULT_CLIENT_ID, "{claims}");
    assert_eq!(claims["sub"], alice().id, "{claims}");
    assert_eq!(claims["email"], "alice@example.com", "{claims}");
}

#[tokio::test]
async fn node_clients_read_userinfo_tokeninfo_and_verify_id_tokens() {
    let emu = start(true).await;
    let tokens = issue(
        &emu,
        json!({"email": "alice@example.com", "scope": IDENTITY}),
    )
    .await;
    let out = run(
        Peer::Node,
        "identity",
        &emu,
        json!({"access_token": tokens["access_token"], "id_token": tokens["id_token"]}),
    )
    .await;

    // oauth2('v2').userinfo.get() and userinfo.v2.me.get(): the v2 shape.
    assert_userinfo_v2(ok(&out["userinfo_v2"], "userinfo.get"));
    assert_userinfo_v2(ok(&out["userinfo_v2_me"], "userinfo.v2.me.get"));
    // v3: the OIDC shape.
    let v3 = ok(&out["userinfo_v3"], "v3 userinfo");
    assert_eq!(v3["sub"], alice().id, "{v3}");
    assert_eq!(v3["email_verified"], true, "{v3}");
    assert_eq!(v3["family_name"], "Example", "{v3}");
    assert!(v3.get("id").is_none(), "{v3}");

    // getTokenInfo(): the token in the Authorization header of an empty POST, on every path.
    for path in ["/tokeninfo", "/oauth2/v3/tokeninfo", "/oauth2/v2/tokeninfo"] {
        let info = ok(&out["token_info"][path], path);
        // v2 answers the oauth2 v2 document's Tokeninfo schema (audience), v3 OIDC (aud).
        let audience = if path == "/oauth2/v2/tokeninfo" {
            "audience"
        } else {
            "aud"
        };
        assert_eq!(info[audience], DEFAULT_CLIENT_ID, "{path}: {info}");
        assert_eq!(info["email"], "alice@example.com", "{path}: {info}");
        assert!(
            info["scopes"]
                .as_array()
                .is_some_and(|s| s.iter().any(|s| s == "openid")),
            "{path}: {info}"
        );
        assert!(
            info["expiry_date"].as_f64().is_some_and(|e| e > 0.0),
            "{path}: {info}"
        );
    }
    let method = ok(&out["tokeninfo_method"], "oauth2.tokeninfo");
    assert_eq!(
        method["audience"], DEFAULT_CLIENT_ID,
        "v2 tokeninfo shape: {method}"
    );
    assert_eq!(method["email"], "alice@example.com", "{method}");

    // verifyIdToken with the PEM certificates; jose with discovery + the JWK Set.
    let payload = ok(&out["verify_id_token"], "verifyIdToken");
    assert_id_token_claims(payload, &emu);
    let wrong = &out["verify_wrong_audience"];
    assert_eq!(
        wrong["thrown"], true,
        "another audience is refused: {wrong}"
    );
    assert!(
        wrong["message"].as_str().unwrap().contains("audience"),
        "{wrong}"
    );
    let config = &ok(&out["openid_configuration"], "openid-configuration")["body"];
    assert_eq!(config["issuer"], emu.base_url(), "{config}");
    assert_eq!(
        config["jwks_uri"],
        format!("{}/oauth2/v3/certs", emu.base_url())
    );
    let jose = ok(&out["jose"], "jose jwtVerify");
    assert_eq!(jose["protectedHeader"]["alg"], "RS256", "{jose}");
    assert_id_token_claims(&jose["payload"], &emu);
    emu.shutdown().await;
}

#[tokio::test]
async fn python_clients_read_userinfo_tokeninfo_and_verify_id_tokens() {
    let emu = start(true).await;
    let tokens = issue(
        &emu,
        json!({"email": "alice@example.com", "scope": IDENTITY}),
    )
    .await;
    // An emulator that signs as Google's issuer, for verify_oauth2_token itself.
    let as_google = start_with(EmulatorConfig {
        id_token_issuer: Some("https://accounts.google.com".into()),
        ..Default::default()
    })
    .await;
    let google_tokens = issue(
        &as_google,
        json!({"email": "alice@example.com", "scope": IDENTITY}),
    )
    .await;
    let out = run(
        Peer::Python,
        "identity",
        &emu,
        json!({
            "access_token": tokens["access_token"],
            "id_token": tokens["id_token"],
            "google_issuer_id_token": google_tokens["id_token"],
        }),
    )
    .await;
    assert_userinfo_v2(ok(&out["userinfo_v2"], "userinfo().get()"));
    assert_userinfo_v2(ok(&out["userinfo_v2_me"], "userinfo().v2().me().get()"));
    let info = ok(&out["tokeninfo_method"], "tokeninfo()");
    assert_eq!(info["audience"], DEFAULT_CLIENT_ID, "{info}");
    assert_eq!(info["verified_email"], true, "{info}");

    // verify_token (the core of verify_oauth2_token) with the PEM and with the JWK Set.
    assert_id_token_claims(ok(&out["verify_token_pem"], "verify_token PEM"), &emu);
    assert_id_token_claims(ok(&out["verify_token_jwks"], "verify_token JWKS"), &emu);
    let wrong = &out["verify_wrong_audience"];
    assert_eq!(wrong["raised"], true, "{wrong}");
    assert!(
        wrong["message"].as_str().unwrap().contains("audience"),
        "{wrong}"
    );
    // verify_oauth2_token hard-codes Google's issuers: the signature (fetched from the
    // emulator) passes and only the emulator's issuer is refused, by name.
    let strict = &out["verify_oauth2_token"];
    assert_eq!(strict["raised"], true, "{strict}");
    assert!(
        strict["message"].as_str().unwrap().contains("Wrong issuer"),
        "only the issuer differs: {strict}"
    );
    // Signed as accounts.google.com (the emulator's key: the test sends Google's certificate
    // URL to this emulator's /oauth2/v1/certs, whose keys are the same), it is accepted.
    let google = ok(
        &out["verify_oauth2_token_google_issuer"],
        "verify_oauth2_token, iss accounts.google.com",
    );
    assert_eq!(google["iss"], "https://accounts.google.com", "{google}");
    assert_eq!(google["email"], "alice@example.com", "{google}");
    as_google.shutdown().await;
    emu.shutdown().await;
}

// ------------------------------------------------------------------ error bodies

fn assert_google_errors(no_token: &Value, bad: &Value, narrow: &Value) {
    // Node's GaxiosError and Python's HttpError both carry the body.
    let (status, body, www) = (
        &no_token["status"],
        &no_token["data"],
        &no_token["www_authenticate"],
    );
    assert_eq!(status, 401, "{no_token}");
    assert_eq!(body["error"]["status"], "UNAUTHENTICATED", "{body}");
    assert!(body["error"]["message"].as_str().unwrap().starts_with(
        "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential."
    ), "{body}");
    assert_eq!(body["error"]["errors"][0]["reason"], "required", "{body}");
    assert_eq!(
        body["error"]["errors"][0]["message"], "Login Required.",
        "{body}"
    );
    assert_eq!(
        body["error"]["details"][0]["reason"], "CREDENTIALS_MISSING",
        "{body}"
    );
    assert_eq!(
        www, "Bearer realm=\"https://accounts.google.com/\"",
        "{no_token}"
    );

    let (status, body, www) = (&bad["status"], &bad["data"], &bad["www_authenticate"]);
    assert_eq!(status, 401, "{bad}");
    assert_eq!(body["error"]["status"], "UNAUTHENTICATED", "{body}");
    assert!(body["error"]["message"].as_str().unwrap().starts_with(
        "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential."
    ), "{body}");
    assert_eq!(body["error"]["errors"][0]["reason"], "authError", "{body}");
    assert_eq!(
        body["error"]["errors"][0]["message"], "Invalid Credentials",
        "{body}"
    );
    assert_eq!(
        body["error"]["details"][0]["reason"], "ACCESS_TOKEN_TYPE_UNSUPPORTED",
        "{body}"
    );
    assert!(
        www.as_str().unwrap().contains("error=\"invalid_token\""),
        "{bad}"
    );

    let (status, body, www) = (
        &narrow["status"],
        &narrow["data"],
        &narrow["www_authenticate"],
    );
    assert_eq!(status, 403, "{narrow}");
    assert_eq!(body["error"]["status"], "PERMISSION_DENIED", "{body}");
    assert_eq!(
        body["error"]["message"], "Request had insufficient authentication scopes.",
        "{body}"
    );
    assert_eq!(
        body["error"]["errors"][0]["reason"], "insufficientPermissions",
        "{body}"
    );
    assert_eq!(
        body["error"]["errors"][0]["message"], "Insufficient Permission",
        "{body}"
    );
    assert_eq!(
        body["error"]["details"][0]["reason"], "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
        "{body}"
    );
    let www = www.as_str().unwrap();
    assert!(www.contains("error=\"insufficient_scope\""), "{www}");
    assert!(
        www.contains("scope=\"https://www.googleapis.com/auth/drive"),
        "names the scopes the method takes: {www}"
    );
    for e in [no_token, bad, narrow] {
        let help = if e.get("data").is_some() {
            &e["data"]
        } else {
            &e["content"]
        };
        assert!(
            help["error"]["emulator_help"]
                .as_str()
                .is_some_and(|h| !h.is_empty()),
            "the emulator's own hint is in a field of its own: {e}"
        );
    }
}

#[tokio::test]
async fn node_clients_get_googles_error_bodies() {
    let emu = start(true).await;
    let narrow = issued_token(&emu, "alice@example.com", IDENTITY).await;
    let out = run(Peer::Node, "errors", &emu, json!({"narrow_token": narrow})).await;
    for case in ["no_token", "bad_token", "narrow_scope"] {
        assert_eq!(out[case]["thrown"], true, "{case}: {}", out[case]);
    }
    assert_google_errors(&out["no_token"], &out["bad_token"], &out["narrow_scope"]);
    emu.shutdown().await;
}

#[tokio::test]
async fn python_clients_get_googles_error_bodies() {
    let emu = start(true).await;
    let narrow = issued_token(&emu, "alice@example.com", IDENTITY).await;
    let out = run(
        Peer::Python,
        "errors",
        &emu,
        json!({"narrow_token": narrow}),
    )
    .await;
    let mut cases = Vec::new();
    for case in ["no_token", "bad_token", "narrow_scope"] {
        let e = &out[case];
        assert_eq!(e["type"], "HttpError", "{case}: {e}");
        let mut shaped = e.clone();
        shaped["data"] = e["content"].clone();
        cases.push(shaped);
    }
    assert_google_errors(&cases[0], &cases[1], &cases[2]);
    // With credentials, google-auth answers the 401 by refreshing (and, without a refresh
    // token, says so) instead of surfacing the body.
    assert_eq!(
        out["bad_token_with_credentials"]["type"], "RefreshError",
        "{out}"
    );
    // HttpError's reason is the error message, error_details the errors[] list.
    assert_eq!(
        out["narrow_scope"]["reason"],
        "Request had insufficient authentication scopes."
    );
    emu.shutdown().await;
}

// ------------------------------------------------------------------ Drive

#[tokio::test]
async fn node_googleapis_drive_md5_export_ids_trash_changes_permissions() {
    let emu = start(true).await;
    let token = issued_token(&emu, "alice@example.com", DRIVE).await;
    let bob = issued_token(&emu, "bob@example.com", DRIVE).await;
    let out = run(
        Peer::Node,
        "drive",
        &emu,
        json!({"access_token": token, "bob_token": bob}),
    )
    .await;

    assert_eq!(out["created"]["md5Checksum"], out["expected_md5"], "{out}");
    assert_eq!(out["got_md5"], out["expected_md5"]);
    assert_eq!(out["media"]["body"], "hello from googleapis\n");
    assert!(
        out["media"]["etag"]
            .as_str()
            .is_some_and(|e| e.starts_with('"')),
        "ETag on media: {}",
        out["media"]
    );

    let name = out["doc"]["name"].as_str().unwrap();
    let plain = ok(&out["exports"]["text/plain"], "export text/plain");
    assert!(
        plain["content_type"]
            .as_str()
            .unwrap()
            .starts_with("text/plain"),
        "{plain}"
    );
    assert!(
        plain["text_start"].as_str().unwrap().contains(name),
        "{plain}"
    );
    let html = ok(&out["exports"]["text/html"], "export text/html");
    assert!(
        html["text_start"].as_str().unwrap().contains("<html"),
        "{html}"
    );
    let pdf = ok(&out["exports"]["application/pdf"], "export PDF");
    assert!(
        pdf["text_start"].as_str().unwrap().starts_with("%PDF-"),
        "{pdf}"
    );
    assert_eq!(
        out["export_unsupported"]["status"], 400,
        "{}",
        out["export_unsupported"]
    );
    assert_eq!(
        out["export_binary"]["status"], 403,
        "{}",
        out["export_binary"]
    );
    assert_eq!(
        out["export_binary"]["data"]["error"]["errors"][0]["reason"],
        "fileNotExportable"
    );

    let generated = &out["generated"];
    assert_eq!(generated["kind"], "drive#generatedIds");
    assert_eq!(generated["space"], "drive");
    assert_eq!(generated["ids"].as_array().unwrap().len(), 3, "{generated}");
    let with_id = ok(&out["create_with_id"], "create with a generated id");
    assert_eq!(with_id["id"], generated["ids"][0]);

    let perm = &out["permission_created"];
    assert_eq!(perm["kind"], "drive#permission");
    assert_eq!(perm["role"], "reader");
    let listed = out["permissions_after_create"]["permissions"]
        .as_array()
        .unwrap();
    assert!(
        listed
            .iter()
            .any(|p| p["role"] == "owner" && p["emailAddress"] == "alice@example.com"),
        "{listed:?}"
    );
    assert!(
        listed
            .iter()
            .any(|p| p["id"] == perm["id"] && p["emailAddress"] == "bob@example.com"),
        "{listed:?}"
    );
    assert_eq!(
        ok(&out["bob_sees"], "bob reads the shared file")["id"],
        out["created"]["id"]
    );
    let after = out["permissions_after_delete"]["permissions"]
        .as_array()
        .unwrap();
    assert!(!after.iter().any(|p| p["id"] == perm["id"]), "{after:?}");
    assert_eq!(out["bob_sees_after_delete"]["status"], 404);

    let changes = &out["changes"];
    assert_eq!(changes["kind"], "drive#changeList");
    assert!(changes["newStartPageToken"].as_str().is_some(), "{changes}");
    let items = changes["changes"].as_array().unwrap();
    assert!(
        items
            .iter()
            .any(|c| c["fileId"] == out["created"]["id"] && c["changeType"] == "file"),
        "the created file is a change: {changes}"
    );

    let trashed = out["trashed_before"]["files"].as_array().unwrap();
    assert!(trashed.iter().any(|f| f["id"] == out["created"]["id"]));
    assert_eq!(
        out["trashed_after"]["files"],
        json!([]),
        "emptyTrash empties it"
    );
    assert_eq!(out["get_after_empty"]["status"], 404);
    emu.shutdown().await;
}

#[tokio::test]
async fn python_api_client_drive_md5_download_export_ids_permissions_changes_trash() {
    let emu = start(true).await;
    let token = issued_token(&emu, "alice@example.com", DRIVE).await;
    let out = run(Peer::Python, "drive", &emu, json!({"access_token": token})).await;
    assert_eq!(out["created"]["md5Checksum"], out["expected_md5"], "{out}");
    assert_eq!(out["created"]["size"], "720000");
    // MediaIoBaseDownload: three 256 KiB Range requests, the whole content back.
    assert_eq!(out["download"]["md5"], out["expected_md5"]);
    assert_eq!(out["download"]["chunks"], 3, "{}", out["download"]);
    assert_eq!(
        out["export_text"].as_str().unwrap().trim_end(),
        out["doc"]["name"].as_str().unwrap()
    );
    let csv = &out["export_csv_of_a_doc"];
    assert_eq!(csv["status"], 400, "a Doc has no CSV form: {csv}");
    assert_eq!(
        csv["content"]["error"]["message"],
        "The requested conversion is not supported."
    );
    assert_eq!(out["create_with_id"]["id"], out["generated"]["ids"][1]);
    assert_eq!(
        out["reuse_id"]["status"], 400,
        "a generated id is used once: {}",
        out["reuse_id"]
    );
    assert_eq!(
        out["permission"],
        json!({"id": "anyoneWithLink", "type": "anyone", "role": "reader"})
    );
    let listed = out["permissions"]["permissions"].as_array().unwrap();
    assert_eq!(listed.len(), 2, "owner + anyone: {listed:?}");
    assert_eq!(
        out["permissions_after_delete"]["permissions"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(out["get_after_empty"]["status"], 404);
    // pageSize=1: one change per page, then newStartPageToken; the emptied file is `removed`.
    let changes = out["changes"].as_array().unwrap();
    assert_eq!(
        out["change_pages"].as_u64().unwrap() as usize,
        changes.len().max(1)
    );
    let created = &out["created"]["id"];
    assert!(
        changes
            .iter()
            .any(|c| &c["fileId"] == created && c["removed"] == true),
        "{created}: {changes:?}"
    );
    assert!(
        changes
            .iter()
            .any(|c| c["fileId"] == out["create_with_id"]["id"] && c["removed"] == false),
        "{changes:?}"
    );
    emu.shutdown().await;
}

// ------------------------------------------------------------------ lifecycle

#[tokio::test]
async fn both_clients_see_testing_mode_refresh_tokens_die() {
    let emu = start_with(EmulatorConfig {
        auto_approve: true,
        refresh_token_lifetime: Some(Duration::from_secs(1)),
        ..Default::default()
    })
    .await;
    let drive = issue(&emu, json!({"scope": DRIVE, "offline": true})).await;
    let identity = issue(
        &emu,
        json!({"scope": "openid email profile", "offline": true}),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(1300)).await;

    let node = run(
        Peer::Node,
        "refresh",
        &emu,
        json!({"refresh_token": drive["refresh_token"]}),
    )
    .await;
    let dead = &node["refresh"];
    assert_eq!(dead["thrown"], true, "{dead}");
    assert_eq!(dead["data"]["error"], "invalid_grant", "{dead}");
    assert_eq!(
        dead["data"]["error_description"],
        "Token has been expired or revoked."
    );
    let py = run(
        Peer::Python,
        "refresh",
        &emu,
        json!({"refresh_token": drive["refresh_token"]}),
    )
    .await;
    assert_eq!(py["refresh"]["type"], "RefreshError", "{py}");
    assert!(
        py["refresh"]["message"]
            .as_str()
            .unwrap()
            .contains("invalid_grant"),
        "{py}"
    );

    // Only name, email and profile: exempt, as Google does.
    let node = run(
        Peer::Node,
        "refresh",
        &emu,
        json!({"refresh_token": identity["refresh_token"]}),
    )
    .await;
    ok(&node["refresh"], "identity-only grant still refreshes");
    let py = run(
        Peer::Python,
        "refresh",
        &emu,
        json!({"refresh_token": identity["refresh_token"]}),
    )
    .await;
    ok(&py["refresh"], "identity-only grant still refreshes");
    emu.shutdown().await;
}

#[tokio::test]
async fn both_clients_see_invalid_rapt_on_demand() {
    let emu = start(true).await;
    let drive = issue(&emu, json!({"scope": DRIVE, "offline": true})).await;
    let r = http()
        .post(format!("{}/__emulator/tokens/reauth", emu.base_url()))
        .json(&json!({"token": drive["refresh_token"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let node = run(
        Peer::Node,
        "refresh",
        &emu,
        json!({"refresh_token": drive["refresh_token"]}),
    )
    .await;
    assert_eq!(node["refresh"]["data"]["error"], "invalid_grant", "{node}");
    assert_eq!(
        node["refresh"]["data"]["error_subtype"], "invalid_rapt",
        "{node}"
    );
    // google-auth recognises the subtype and says re-authentication is needed.
    let py = run(
        Peer::Python,
        "refresh",
        &emu,
        json!({"refresh_token": drive["refresh_token"]}),
    )
    .await;
    assert_eq!(py["refresh"]["type"], "RefreshError", "{py}");
    assert!(
        py["refresh"]["message"]
            .as_str()
            .unwrap()
            .contains("Reauthentication is needed"),
        "{py}"
    );
    emu.shutdown().await;
}

// ------------------------------------------------------------------ scopes at the authorization endpoint

#[tokio::test]
async fn python_oauthlib_gets_invalid_scope_for_a_typo() {
    let emu = start(true).await;
    let out = run(
        Peer::Python,
        "scope",
        &emu,
        json!({"scope_sets": {
            "typo": ["https://www.googleapis.com/auth/drive.readonly.metadata"],
            "real": ["https://www.googleapis.com/auth/drive.metadata.readonly", "openid", "https://www.googleapis.com/auth/userinfo.email"],
            "calendar": ["https://www.googleapis.com/auth/calendar.events"],
        }}),
    )
    .await;
    let typo = &out["typo"];
    assert_eq!(typo["status"], 302, "{typo}");
    assert!(
        typo["location"]
            .as_str()
            .unwrap()
            .contains("error=invalid_scope"),
        "{typo}"
    );
    assert_eq!(
        typo["fetch_token"]["type"], "InvalidScopeError",
        "oauthlib raises it: {typo}"
    );
    for label in ["real", "calendar"] {
        let good = &out[label];
        ok(&good["fetch_token"], label);
    }
    emu.shutdown().await;
}
