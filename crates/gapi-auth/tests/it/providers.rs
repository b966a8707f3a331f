//! The credential providers against a mock of Google's endpoints: service-account grants
//! (signature, claims, `kid`, delegation), self-signed JWTs, ID tokens, impersonation chains and
//! impersonation plus delegation, the metadata server, and identity federation.

use crate::google_mock;

use gapi_auth::credentials::external_account::{ExternalAccountBuilder, ExternalAuthorizedUser};
use gapi_auth::credentials::impersonated::{Impersonated, parse_chain};
use gapi_auth::credentials::metadata::{ComputeMetadata, MetadataClient, MetadataConfig};
use gapi_auth::credentials::service_account::{ServiceAccount, ServiceAccountKey};
use gapi_auth::{AccessToken, CredentialKind, Credentials, Provider};
use google_mock::*;
use serde_json::{Value, json};

fn sa(mock: &Mock) -> gapi_auth::credentials::service_account::ServiceAccountBuilder {
    let key = ServiceAccountKey::from_json(&key_json(&format!("{}/token", mock.base))).unwrap();
    ServiceAccount::builder(key)
}

#[tokio::test]
async fn service_account_grant_is_signed_and_cached() {
    let mock = start().await;
    let creds = sa(&mock)
        .scopes(["https://www.googleapis.com/auth/drive"])
        .build()
        .unwrap();
    assert_eq!(creds.access_token().await.unwrap().secret(), "sa-token-1");
    assert_eq!(creds.access_token().await.unwrap().secret(), "sa-token-1");
    let s = mock.state.lock().unwrap();
    assert_eq!(s.token_forms.len(), 1, "the second call used the cache");
    let form = &s.token_forms[0];
    assert_eq!(
        form["grant_type"],
        "urn:ietf:params:oauth:grant-type:jwt-bearer"
    );
    let (header, claims) = verify_jwt(&form["assertion"], &mock.public_key).unwrap();
    assert_eq!(header, json!({"typ": "JWT", "alg": "RS256", "kid": KEY_ID}));
    assert_eq!(claims["iss"], SA_EMAIL);
    assert_eq!(claims["aud"], format!("{}/token", mock.base));
    assert_eq!(claims["scope"], "https://www.googleapis.com/auth/drive");
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        3600
    );
    assert!(claims.get("sub").is_none());
    assert_eq!(creds.kind(), CredentialKind::ServiceAccount);
    assert_eq!(creds.project_id().as_deref(), Some("test-project"));
}

#[tokio::test]
async fn domain_wide_delegation_sends_sub_and_explains_refusal() {
    let mock = start().await;
    let creds = sa(&mock)
        .subject("alice@example.com")
        .build_provider()
        .unwrap();
    creds.fetch_token().await.unwrap();
    let assertion = mock.state.lock().unwrap().token_forms[0]["assertion"].clone();
    let (_, claims) = verify_jwt(&assertion, &mock.public_key).unwrap();
    assert_eq!(claims["sub"], "alice@example.com");
    assert_eq!(
        claims["scope"], "https://www.googleapis.com/auth/cloud-platform",
        "cloud-platform when no scopes are given"
    );
    assert_eq!(creds.account().as_deref(), Some("alice@example.com"));

    let refused = sa(&mock)
        .subject("nobody@elsewhere.com")
        .build_provider()
        .unwrap();
    let e = refused.fetch_token().await.unwrap_err();
    assert_eq!(e.oauth_error_code(), Some("unauthorized_client"));
    assert!(
        e.hint()
            .is_some_and(|h| h.contains("domain-wide delegation")),
        "{e:?}"
    );
}

#[tokio::test]
async fn self_signed_jwt_needs_no_request() {
    let mock = start().await;
    let creds = sa(&mock)
        .self_signed_jwt(Some("https://drive.googleapis.com/".into()))
        .build_provider()
        .unwrap();
    let t = creds.fetch_token().await.unwrap();
    let (_, claims) = verify_jwt(t.access_token.secret(), &mock.public_key).unwrap();
    assert_eq!(claims["aud"], "https://drive.googleapis.com/");
    assert_eq!(claims["iss"], SA_EMAIL);
    assert_eq!(claims["sub"], SA_EMAIL);
    assert!(t.expires_at.is_some());
    assert!(mock.state.lock().unwrap().token_forms.is_empty());
    assert!(
        sa(&mock)
            .subject("a@example.com")
            .self_signed_jwt(None)
            .build()
            .is_err(),
        "delegation needs the token endpoint"
    );
}

#[tokio::test]
async fn service_account_id_token() {
    let mock = start().await;
    let creds = sa(&mock).build_provider().unwrap();
    let id = creds.id_token("https://my-service.run.app").await.unwrap();
    let claims = gapi_auth::protocol::jwt::unverified_claims(id.secret()).unwrap();
    assert_eq!(claims["aud"], "https://my-service.run.app");
    let form = mock.state.lock().unwrap().token_forms[0].clone();
    let (_, c) = verify_jwt(&form["assertion"], &mock.public_key).unwrap();
    assert_eq!(c["target_audience"], "https://my-service.run.app");
    assert!(c.get("scope").is_none());
}

#[test]
fn keys_never_show_in_debug_or_errors() {
    let key =
        ServiceAccountKey::from_json(&key_json("https://oauth2.googleapis.com/token")).unwrap();
    let creds = ServiceAccount::builder(key.clone())
        .build_provider()
        .unwrap();
    for text in [
        format!("{key:?}"),
        format!("{creds:?}"),
        format!("{:?}", creds.signer()),
    ] {
        assert!(!text.contains("PRIVATE KEY"), "{text}");
        assert!(!text.contains("MII"), "{text}");
    }
    // A broken key: the message names the problem, not the bytes.
    let broken = key_json("https://x").replace("MII", "XXX");
    let e = ServiceAccount::builder(ServiceAccountKey::from_json(&broken).unwrap())
        .build()
        .unwrap_err();
    assert!(!e.to_string().contains("XXX"), "{e}");
    let e = ServiceAccountKey::from_json(r#"{"type":"authorized_user"}"#).unwrap_err();
    assert!(e.to_string().contains("service_account"), "{e}");
    let e = ServiceAccountKey::from_json(r#"{"type":"service_account","client_email":"a@b"}"#)
        .unwrap_err();
    assert!(e.to_string().contains("private_key"), "{e}");
}

#[cfg(unix)]
#[test]
fn world_readable_key_file_is_warned_about() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("key.json");
    std::fs::write(&p, key_json("https://oauth2.googleapis.com/token")).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
    let w = gapi_auth::store::file_warnings(&p);
    assert!(w.iter().any(|m| m.contains("chmod 600")), "{w:?}");
    assert!(ServiceAccountKey::from_file(&p).is_ok());
}

fn impersonate(
    mock: &Mock,
    chain: &str,
) -> gapi_auth::credentials::impersonated::ImpersonatedBuilder {
    let source = Credentials::from_access_token(AccessToken::new("user-token")).unwrap();
    let (target, delegates) = parse_chain(chain).unwrap();
    Impersonated::builder(source, target, delegates)
        .iam_endpoint(format!("{}/v1/", mock.base))
        .token_uri(format!("{}/token", mock.base))
}

#[tokio::test]
async fn impersonation_through_a_delegation_chain() {
    let mock = start().await;
    let creds = impersonate(
        &mock,
        "a@p.iam.gserviceaccount.com,target@p.iam.gserviceaccount.com",
    )
    .scopes(["https://www.googleapis.com/auth/drive"])
    .lifetime(std::time::Duration::from_secs(600))
    .build_provider()
    .unwrap();
    let t = creds.fetch_token().await.unwrap();
    assert_eq!(
        t.access_token.secret(),
        "impersonated-target@p.iam.gserviceaccount.com"
    );
    assert!(t.expires_at.is_some());
    let s = mock.state.lock().unwrap();
    let (path, bearer, body) = &s.iam_calls[0];
    assert_eq!(path, "target@p.iam.gserviceaccount.com:generateAccessToken");
    assert_eq!(bearer, "user-token");
    assert_eq!(
        body,
        &json!({"delegates": ["projects/-/serviceAccounts/a@p.iam.gserviceaccount.com"],
                "scope": ["https://www.googleapis.com/auth/drive"], "lifetime": "600s"})
    );
}

#[tokio::test]
async fn impersonation_plus_delegation_signs_with_iam_then_grants() {
    let mock = start().await;
    let creds = impersonate(&mock, "target@p.iam.gserviceaccount.com")
        .subject("alice@example.com")
        .scopes(["https://www.googleapis.com/auth/gmail.readonly"])
        .build_provider()
        .unwrap();
    let t = creds.fetch_token().await.unwrap();
    assert!(t.access_token.secret().starts_with("sa-token-"));
    let s = mock.state.lock().unwrap();
    let (path, _, body) = &s.iam_calls[0];
    assert_eq!(path, "target@p.iam.gserviceaccount.com:signJwt");
    let payload: Value = serde_json::from_str(body["payload"].as_str().unwrap()).unwrap();
    assert_eq!(payload["sub"], "alice@example.com");
    assert_eq!(payload["iss"], "target@p.iam.gserviceaccount.com");
    assert_eq!(payload["aud"], format!("{}/token", mock.base));
    assert_eq!(
        payload["scope"],
        "https://www.googleapis.com/auth/gmail.readonly"
    );
    assert_eq!(
        s.token_forms[0]["grant_type"],
        "urn:ietf:params:oauth:grant-type:jwt-bearer"
    );
    assert!(s.token_forms[0]["assertion"].ends_with(".iam-signed"));
}

#[tokio::test]
async fn impersonation_denied_names_the_role() {
    let mock = start().await;
    mock.state.lock().unwrap().deny_iam = true;
    let creds = impersonate(&mock, "target@p.iam.gserviceaccount.com")
        .build_provider()
        .unwrap();
    let e = creds.fetch_token().await.unwrap_err();
    assert_eq!(e.status(), Some(403));
    assert!(e.to_string().contains("PERMISSION_DENIED"), "{e}");
    assert!(
        e.hint()
            .is_some_and(|h| h.contains("roles/iam.serviceAccountTokenCreator")),
        "{e:?}"
    );
}

#[tokio::test]
async fn impersonated_id_token() {
    let mock = start().await;
    let creds = impersonate(&mock, "target@p.iam.gserviceaccount.com")
        .build_provider()
        .unwrap();
    let id = creds.id_token("aud-1").await.unwrap();
    assert_eq!(
        gapi_auth::protocol::jwt::unverified_claims(id.secret()).unwrap()["aud"],
        "aud-1"
    );
    let s = mock.state.lock().unwrap();
    assert_eq!(
        s.iam_calls[0].0,
        "target@p.iam.gserviceaccount.com:generateIdToken"
    );
    assert_eq!(s.iam_calls[0].2["includeEmail"], true);
}

fn metadata_config(mock: &Mock) -> MetadataConfig {
    let host = mock.base.trim_start_matches("http://").to_string();
    MetadataConfig::from_env_fn(move |k| match k {
        "GCE_METADATA_HOST" | "GCE_METADATA_IP" => Some(host.clone()),
        _ => None,
    })
    .unwrap()
}

#[tokio::test]
async fn metadata_server_tokens_identity_and_project() {
    let mock = start().await;
    let client = MetadataClient::new(metadata_config(&mock)).unwrap();
    assert!(client.is_available().await);
    assert_eq!(client.project_id().await.unwrap(), "test-project");
    assert_eq!(client.email("default").await.unwrap(), SA_EMAIL);
    let creds = ComputeMetadata::new(client.clone()).scopes(["a", "b"]);
    let t = creds.fetch_token().await.unwrap();
    assert_eq!(t.access_token.secret(), "gce-token");
    assert!(t.expires_at.is_some());
    let id = creds.id_token("https://svc").await.unwrap();
    assert_eq!(
        gapi_auth::protocol::jwt::unverified_claims(id.secret()).unwrap()["aud"],
        "https://svc"
    );
    let paths = mock.state.lock().unwrap().metadata_paths.clone();
    assert!(
        // Short names are expanded, as for every credential type.
        paths.contains(
            &"instance/service-accounts/default/token?scopes=https://www.googleapis.com/auth/a,https://www.googleapis.com/auth/b"
                .to_string()
        ),
        "{paths:?}"
    );
    assert!(
        paths.iter().any(
            |p| p.starts_with("instance/service-accounts/default/identity?")
                && p.contains("format=full")
        ),
        "{paths:?}"
    );
}

#[tokio::test]
async fn an_answer_without_metadata_flavor_is_refused() {
    let mock = start().await;
    mock.state.lock().unwrap().metadata_unflavored = true;
    let client = MetadataClient::new(metadata_config(&mock)).unwrap();
    assert!(!client.is_available().await);
    let e = ComputeMetadata::new(client)
        .fetch_token()
        .await
        .unwrap_err();
    assert!(e.to_string().contains("Metadata-Flavor"), "{e}");
}

#[tokio::test]
async fn no_metadata_server_is_detected_quickly() {
    // A closed port on loopback: refused at once.
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap().to_string();
    drop(l);
    let config = MetadataConfig::from_env_fn(move |k| match k {
        "GCE_METADATA_HOST" | "GCE_METADATA_IP" => Some(addr.clone()),
        "GCE_METADATA_TIMEOUT" => Some("1".into()),
        _ => None,
    })
    .unwrap();
    let started = std::time::Instant::now();
    assert!(!MetadataClient::new(config).unwrap().is_available().await);
    assert!(started.elapsed() < std::time::Duration::from_secs(3));
}

fn external(mock: &Mock, source: Value, impersonate: bool) -> Value {
    let mut v = json!({
        "type": "external_account",
        "audience": "//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/pool/providers/prov",
        "subject_token_type": "urn:ietf:params:oauth:token-type:jwt",
        "token_url": format!("{}/token", mock.base),
        "credential_source": source,
    });
    if impersonate {
        v["service_account_impersonation_url"] = json!(format!(
            "{}/v1/projects/-/serviceAccounts/{SA_EMAIL}:generateAccessToken",
            mock.base
        ));
    }
    v
}

#[tokio::test]
async fn identity_pool_file_source_exchanges_at_sts() {
    let mock = start().await;
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("token.txt");
    std::fs::write(&f, "the-subject-token\n").unwrap();
    let creds = ExternalAccountBuilder::from_json(external(&mock, json!({"file": f}), false))
        .unwrap()
        .scopes(["https://www.googleapis.com/auth/devstorage.read_only"])
        .build_provider()
        .unwrap();
    let t = creds.fetch_token().await.unwrap();
    assert!(t.access_token.secret().starts_with("sts-token-"));
    let form = mock.state.lock().unwrap().token_forms[0].clone();
    assert_eq!(
        form["grant_type"],
        "urn:ietf:params:oauth:grant-type:token-exchange"
    );
    assert_eq!(
        form["requested_token_type"],
        "urn:ietf:params:oauth:token-type:access_token"
    );
    assert_eq!(
        form["subject_token_type"],
        "urn:ietf:params:oauth:token-type:jwt"
    );
    assert_eq!(
        form["scope"],
        "https://www.googleapis.com/auth/devstorage.read_only"
    );
    assert!(form["audience"].contains("workloadIdentityPools/pool"));
}

#[tokio::test]
async fn identity_pool_url_source_json_format_then_impersonation() {
    let mock = start().await;
    let source = json!({"url": format!("{}/subject", mock.base), "headers": {"x-test": "yes"},
                        "format": {"type": "json", "subject_token_field_name": "value"}});
    let creds = ExternalAccountBuilder::from_json(external(&mock, source, true))
        .unwrap()
        .build_provider()
        .unwrap();
    assert_eq!(creds.account().as_deref(), Some(SA_EMAIL));
    let t = creds.fetch_token().await.unwrap();
    assert_eq!(t.access_token.secret(), format!("impersonated-{SA_EMAIL}"));
    let s = mock.state.lock().unwrap();
    assert_eq!(
        s.token_forms[0]["scope"],
        "https://www.googleapis.com/auth/cloud-platform"
    );
    let (path, bearer, body) = &s.iam_calls[0];
    assert_eq!(path, &format!("{SA_EMAIL}:generateAccessToken"));
    assert!(bearer.starts_with("sts-token-"));
    assert_eq!(body["lifetime"], "3600s");
}

#[cfg(unix)]
#[tokio::test]
async fn executable_source_runs_only_when_allowed() {
    let mock = start().await;
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("token.sh");
    std::fs::write(
        &script,
        "#!/bin/sh\n[ \"$GOOGLE_EXTERNAL_ACCOUNT_INTERACTIVE\" = 0 ] || exit 3\n\
         echo '{\"version\":1,\"success\":true,\"token_type\":\"urn:ietf:params:oauth:token-type:jwt\",\"id_token\":\"the-subject-token\",\"expiration_time\":4000000000}'\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o700)).unwrap();
    let cfg = external(
        &mock,
        json!({"executable": {"command": script, "timeout_millis": 5000}}),
        false,
    );
    let denied = ExternalAccountBuilder::from_json(cfg.clone())
        .unwrap()
        .allow_executables(false)
        .build_provider()
        .unwrap();
    let e = denied.fetch_token().await.unwrap_err();
    assert!(e.to_string().contains("executable"), "{e}");
    assert!(
        e.hint()
            .unwrap()
            .contains("GOOGLE_EXTERNAL_ACCOUNT_ALLOW_EXECUTABLES=1")
    );
    assert!(
        mock.state.lock().unwrap().token_forms.is_empty(),
        "nothing was sent"
    );
    let allowed = ExternalAccountBuilder::from_json(cfg)
        .unwrap()
        .allow_executables(true)
        .build_provider()
        .unwrap();
    assert!(
        allowed
            .fetch_token()
            .await
            .unwrap()
            .access_token
            .secret()
            .starts_with("sts-token-")
    );
}

#[tokio::test]
async fn aws_sources_need_aws1_and_a_verification_url() {
    // (AWS-sourced exchanges themselves: tests/peer_python_aws.rs, against the emulator.)
    let mock = start().await;
    for (source, words) in [
        (
            json!({"environment_id": "aws1"}),
            "regional_cred_verification_url",
        ),
        (
            json!({"environment_id": "aws2", "regional_cred_verification_url": "https://sts.{region}.amazonaws.com"}),
            "version 2",
        ),
    ] {
        let e = ExternalAccountBuilder::from_json(external(&mock, source, false))
            .unwrap()
            .build()
            .unwrap_err();
        assert!(e.to_string().contains(words), "{e}");
    }
}

#[tokio::test]
async fn external_account_authorized_user_refreshes_with_basic_auth() {
    let mock = start().await;
    let creds = ExternalAuthorizedUser::from_json(
        json!({"type": "external_account_authorized_user", "audience": "//iam.googleapis.com/locations/global/workforcePools/p/providers/q",
               "client_id": "cid", "client_secret": "csecret", "refresh_token": "rt-1",
               "token_url": format!("{}/token", mock.base)}),
        None,
    )
    .unwrap();
    assert!(
        creds
            .fetch_token()
            .await
            .unwrap()
            .access_token
            .secret()
            .starts_with("wf-token-")
    );
    creds.fetch_token().await.unwrap();
    let s = mock.state.lock().unwrap();
    assert_eq!(s.token_forms[0]["refresh_token"], "rt-1");
    assert_eq!(
        s.token_forms[1]["refresh_token"], "rotated-1",
        "a rotated refresh token is used"
    );
    use base64::Engine as _;
    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode("cid:csecret")
    );
    assert_eq!(s.token_headers[0]["authorization"].to_str().unwrap(), basic);
}
