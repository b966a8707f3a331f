//! A mock of Google's credential endpoints for the provider tests: the token endpoint
//! (JWT-bearer grants whose signatures it verifies, token exchange, refresh with Basic auth),
//! IAM Credentials, and a metadata server. It records every request it was sent.
#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine as _;
use serde_json::{Value, json};

pub const KEY_PEM: &str = include_str!("../../data/test-sa-key.pem");
pub const SA_EMAIL: &str = "robot@test-project.iam.gserviceaccount.com";
pub const KEY_ID: &str = "0123456789abcdef0123456789abcdef01234567";

#[derive(Default)]
pub struct Recorded {
    pub token_forms: Vec<HashMap<String, String>>,
    pub token_headers: Vec<HeaderMap>,
    pub iam_calls: Vec<(String, String, Value)>, // (target:method, bearer, body)
    pub metadata_paths: Vec<String>,
    pub next: usize,
    pub deny_iam: bool,
    pub metadata_unflavored: bool,
}

#[derive(Clone)]
pub struct Mock {
    pub base: String,
    pub state: Arc<Mutex<Recorded>>,
    pub public_key: Arc<Vec<u8>>,
}

type S = (Arc<Mutex<Recorded>>, Arc<Vec<u8>>);

fn b64d(s: &str) -> Vec<u8> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(s)
        .unwrap()
}

/// Verifies an RS256 JWT with `key` and returns (header, claims).
pub fn verify_jwt(jwt: &str, key: &[u8]) -> Result<(Value, Value), String> {
    let parts: Vec<&str> = jwt.split('.').collect();
    if parts.len() != 3 {
        return Err("not three segments".into());
    }
    let input = format!("{}.{}", parts[0], parts[1]);
    ring::signature::UnparsedPublicKey::new(&ring::signature::RSA_PKCS1_2048_8192_SHA256, key)
        .verify(input.as_bytes(), &b64d(parts[2]))
        .map_err(|_| "bad signature".to_string())?;
    Ok((
        serde_json::from_slice(&b64d(parts[0])).unwrap(),
        serde_json::from_slice(&b64d(parts[1])).unwrap(),
    ))
}

fn fake_id_token(aud: &str, email: &str) -> String {
    let e = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    format!(
        "{}.{}.c2ln",
        e.encode(br#"{"alg":"RS256","typ":"JWT"}"#),
        e.encode(json!({"aud": aud, "email": email, "exp": 4_000_000_000u64}).to_string())
    )
}

async fn token(
    State((st, key)): State<S>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let mut s = st.lock().unwrap();
    s.token_forms.push(form.clone());
    s.token_headers.push(headers.clone());
    s.next += 1;
    let n = s.next;
    match form.get("grant_type").map(String::as_str) {
        Some("urn:ietf:params:oauth:grant-type:jwt-bearer") => {
            let assertion = form.get("assertion").cloned().unwrap_or_default();
            // Assertions signed by the test key are verified; IAM-signed ones carry "iam" as signature.
            let claims = if assertion.ends_with(".iam-signed") {
                let p: Vec<&str> = assertion.split('.').collect();
                serde_json::from_slice::<Value>(&b64d(p[1])).unwrap()
            } else {
                match verify_jwt(&assertion, &key) {
                    Ok((_, c)) => c,
                    Err(e) => {
                        return (StatusCode::BAD_REQUEST, Json(json!({"error": "invalid_grant", "error_description": e}))).into_response();
                    }
                }
            };
            if let Some(aud) = claims.get("target_audience").and_then(Value::as_str) {
                return Json(json!({"id_token": fake_id_token(aud, claims["iss"].as_str().unwrap())})).into_response();
            }
            if claims.get("sub").and_then(Value::as_str) == Some("nobody@elsewhere.com") {
                return (StatusCode::UNAUTHORIZED, Json(json!({"error": "unauthorized_client", "error_description": "Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested."}))).into_response();
            }
            Json(json!({"access_token": format!("sa-token-{n}"), "expires_in": 3599, "token_type": "Bearer"})).into_response()
        }
        Some("urn:ietf:params:oauth:grant-type:token-exchange") => {
            if form.get("subject_token").map(String::as_str) != Some("the-subject-token") {
                return (StatusCode::BAD_REQUEST, Json(json!({"error": "invalid_grant", "error_description": "bad subject token"}))).into_response();
            }
            Json(json!({"access_token": format!("sts-token-{n}"), "expires_in": 3600, "token_type": "Bearer", "issued_token_type": "urn:ietf:params:oauth:token-type:access_token"})).into_response()
        }
        Some("refresh_token") => {
            Json(json!({"access_token": format!("wf-token-{n}"), "expires_in": 3600, "refresh_token": format!("rotated-{n}")})).into_response()
        }
        _ => (StatusCode::BAD_REQUEST, Json(json!({"error": "unsupported_grant_type"}))).into_response(),
    }
}

async fn iam(
    State((st, _)): State<S>,
    Path(rest): Path<String>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    let bearer = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .trim_start_matches("Bearer ")
        .to_string();
    let mut s = st.lock().unwrap();
    s.iam_calls.push((rest.clone(), bearer, body.clone()));
    if s.deny_iam {
        return (StatusCode::FORBIDDEN, Json(json!({"error": {"code": 403, "message": "Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).", "status": "PERMISSION_DENIED"}}))).into_response();
    }
    let (target, method) = rest.split_once(':').unwrap_or((&rest, ""));
    match method {
        "generateAccessToken" => Json(json!({"accessToken": format!("impersonated-{target}"), "expireTime": "2099-01-01T00:00:00Z"})).into_response(),
        "generateIdToken" => Json(json!({"token": fake_id_token(body["audience"].as_str().unwrap_or(""), target)})).into_response(),
        "signJwt" => {
            let e = base64::engine::general_purpose::URL_SAFE_NO_PAD;
            let payload = body["payload"].as_str().unwrap_or("{}");
            Json(json!({"keyId": "k", "signedJwt": format!("{}.{}.iam-signed", e.encode(br#"{"alg":"RS256"}"#), e.encode(payload))})).into_response()
        }
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

fn flavored(s: &Recorded, status: StatusCode, body: String) -> Response {
    if s.metadata_unflavored {
        return (status, body).into_response();
    }
    (status, [("metadata-flavor", "Google")], body).into_response()
}

async fn metadata(
    State((st, _)): State<S>,
    Path(path): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let mut s = st.lock().unwrap();
    let query: Vec<String> = q.iter().map(|(k, v)| format!("{k}={v}")).collect();
    s.metadata_paths.push(format!("{path}?{}", query.join("&")));
    if headers.get("metadata-flavor").and_then(|v| v.to_str().ok()) != Some("Google") {
        return (
            StatusCode::FORBIDDEN,
            "Missing Metadata-Flavor:Google header.",
        )
            .into_response();
    }
    match path.as_str() {
        "project/project-id" => flavored(&s, StatusCode::OK, "test-project".into()),
        "instance/service-accounts/default/email" => flavored(&s, StatusCode::OK, SA_EMAIL.into()),
        "instance/service-accounts/default/token" => flavored(
            &s,
            StatusCode::OK,
            json!({"access_token": "gce-token", "expires_in": 3599, "token_type": "Bearer"})
                .to_string(),
        ),
        "instance/service-accounts/default/identity" => {
            let aud = q.get("audience").cloned().unwrap_or_default();
            flavored(&s, StatusCode::OK, fake_id_token(&aud, SA_EMAIL))
        }
        _ => flavored(&s, StatusCode::NOT_FOUND, "not found".into()),
    }
}

async fn root(State((st, _)): State<S>) -> Response {
    let s = st.lock().unwrap();
    flavored(&s, StatusCode::OK, String::new())
}

async fn subject(headers: HeaderMap) -> Response {
    if headers.get("x-test").and_then(|v| v.to_str().ok()) != Some("yes") {
        return (StatusCode::FORBIDDEN, "need x-test").into_response();
    }
    Json(json!({"value": "the-subject-token"})).into_response()
}

pub async fn start() -> Mock {
    let signer = gapi_auth::protocol::jwt::RsaSigner::from_pem(
        &gapi_auth::PrivateKeyPem::new(KEY_PEM),
        None,
    )
    .unwrap();
    let public_key = Arc::new(signer.public_key_der());
    let state = Arc::new(Mutex::new(Recorded::default()));
    let app = Router::new()
        .route("/", get(root))
        .route("/token", post(token))
        .route("/subject", get(subject))
        .route("/v1/projects/-/serviceAccounts/{rest}", post(iam))
        .route("/computeMetadata/v1/{*path}", get(metadata))
        .with_state((state.clone(), public_key.clone()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Mock {
        base,
        state,
        public_key,
    }
}

pub fn key_json(token_uri: &str) -> String {
    json!({
        "type": "service_account",
        "project_id": "test-project",
        "private_key_id": KEY_ID,
        "private_key": KEY_PEM,
        "client_email": SA_EMAIL,
        "client_id": "1234567890",
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": token_uri,
        "universe_domain": "googleapis.com"
    })
    .to_string()
}
