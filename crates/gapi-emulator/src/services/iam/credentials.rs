//! The four IAM Credentials methods, each answering Google's shapes and errors: the caller's
//! bearer token must carry `cloud-platform` (or `iam`), and the caller must hold the Token
//! Creator role on the first link of `delegates`, each delegate on the next, the last on the
//! target; otherwise Google's 403 `IAM_PERMISSION_DENIED`.

use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use serde_json::{Map, Value, json};

use crate::framework::Ctx;
use crate::framework::api_error::{ApiError, json_ok};
use crate::framework::body::{Params, SMALL_BODY_LIMIT, json_object, read_limited};
use crate::framework::caller::authenticate;
use crate::framework::random;
use crate::framework::time::now_ms;
use crate::framework::tokens::AccessToken;
use crate::world::project::{ROBOT, ROBOT_CLIENT_ID, is_service_account, may_act_as};
use crate::world::robot_key::robot_key;

/// Scopes that let a token call the IAM Credentials API.
const IAM_SCOPES: &[&str] = &[
    "https://www.googleapis.com/auth/cloud-platform",
    "https://www.googleapis.com/auth/iam",
];
/// Longest access token generateAccessToken grants (Google's default limit).
const MAX_LIFETIME_SECS: u64 = 3600;

/// Serves `verb` on the service account `account` (`-`-project path already taken apart).
pub(crate) async fn handle(core: &Ctx, account: &str, verb: &str, request: Request) -> Response {
    match serve(core, account, verb, request).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

enum Failure {
    Api(ApiError),
    Denied(&'static str),
}

impl From<ApiError> for Failure {
    fn from(e: ApiError) -> Self {
        Failure::Api(e)
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        match self {
            Failure::Api(e) => e.into_response(),
            Failure::Denied(permission) => denied(permission),
        }
    }
}

/// Google's 403 for a missing IAM permission (also for an account that does not exist).
fn denied(permission: &str) -> Response {
    let body = json!({"error": {
        "code": 403,
        "message": format!("Permission '{permission}' denied on resource (or it may not exist)."),
        "status": "PERMISSION_DENIED",
        "details": [{
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            "reason": "IAM_PERMISSION_DENIED",
            "domain": "iam.googleapis.com",
            "metadata": {"permission": permission},
        }],
    }});
    (
        axum::http::StatusCode::FORBIDDEN,
        crate::framework::api_error::json_body(&body),
    )
        .into_response()
}

fn invalid(message: impl Into<String>) -> Failure {
    Failure::Api(ApiError::new(
        400,
        "INVALID_ARGUMENT",
        "badRequest",
        message,
    ))
}

async fn serve(
    core: &Ctx,
    account: &str,
    verb: &str,
    request: Request,
) -> Result<Response, Failure> {
    let (parts, body) = request.into_parts();
    let caller = authenticate(core, &parts.headers, &Params::from_parts(&parts))?;
    caller.require_any(IAM_SCOPES)?;
    let bytes = read_limited(body, SMALL_BODY_LIMIT)
        .await
        .map_err(|_| ApiError::too_large(SMALL_BODY_LIMIT))?;
    let body = json_object(&bytes)?;
    let permission = match verb {
        "generateAccessToken" => "iam.serviceAccounts.getAccessToken",
        "generateIdToken" => "iam.serviceAccounts.getOpenIdToken",
        "signJwt" => "iam.serviceAccounts.signJwt",
        _ => "iam.serviceAccounts.signBlob",
    };
    check_chain(&caller.email, &delegates(&body)?, account, permission)?;
    match verb {
        "generateAccessToken" => generate_access_token(core, &body),
        "generateIdToken" => generate_id_token(&body),
        "signJwt" => sign_jwt(&body),
        _ => sign_blob(&body),
    }
}

/// `delegates[]`: `projects/-/serviceAccounts/EMAIL` (or a bare email) → emails.
fn delegates(body: &Map<String, Value>) -> Result<Vec<String>, Failure> {
    let Some(list) = body.get("delegates").filter(|d| !d.is_null()) else {
        return Ok(Vec::new());
    };
    let Some(items) = list.as_array() else {
        return Err(invalid(
            "Invalid value at 'delegates': expected a list of strings.",
        ));
    };
    items
        .iter()
        .map(|item| {
            let text = item.as_str().ok_or_else(|| {
                invalid("Invalid value at 'delegates': expected a list of strings.")
            })?;
            Ok(text.rsplit('/').next().unwrap_or(text).to_owned())
        })
        .collect()
}

/// Each principal must hold the Token Creator role on the next: caller → delegates… → target.
fn check_chain(
    caller: &str,
    delegates: &[String],
    target: &str,
    permission: &'static str,
) -> Result<(), Failure> {
    let mut principal = caller;
    for link in delegates.iter().map(String::as_str).chain([target]) {
        if !is_service_account(link) || !may_act_as(principal, link, permission) {
            return Err(Failure::Denied(permission));
        }
        principal = link;
    }
    Ok(())
}

fn generate_access_token(core: &Ctx, body: &Map<String, Value>) -> Result<Response, Failure> {
    let scopes: Vec<String> = body
        .get("scope")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    if scopes.is_empty() {
        return Err(invalid("Scope required."));
    }
    let lifetime = match body.get("lifetime").and_then(Value::as_str) {
        None => MAX_LIFETIME_SECS,
        Some(text) => parse_duration(text).ok_or_else(|| {
            invalid(format!(
                "Invalid value at 'lifetime' (type.googleapis.com/google.protobuf.Duration), \"{text}\""
            ))
        })?,
    };
    if lifetime == 0 || lifetime > MAX_LIFETIME_SECS {
        return Err(invalid(format!(
            "The lifetime requested is not valid: it must be between 1s and {MAX_LIFETIME_SECS}s."
        )));
    }
    let expires_ms = now_ms() + lifetime * 1000;
    let token = format!("ya29.iam-{}", random::token(24));
    core.tokens.write().insert(
        token.clone(),
        AccessToken {
            client_id: ROBOT_CLIENT_ID.into(),
            email: ROBOT.into(),
            scopes,
            expires_ms,
            offline: false,
        },
    );
    Ok(json_ok(
        &json!({"accessToken": token, "expireTime": expire_time(expires_ms)}),
    ))
}

/// Google's `expireTime`: RFC 3339 in whole seconds (`2026-12-01T12:00:00Z`), which clients
/// such as google-auth parse with exactly that pattern.
fn expire_time(ms: u64) -> String {
    let at = std::time::UNIX_EPOCH + std::time::Duration::from_millis(ms);
    humantime::format_rfc3339_seconds(at).to_string()
}

/// `"3600s"` / `"1.5s"` → whole seconds.
fn parse_duration(text: &str) -> Option<u64> {
    let number = text.strip_suffix('s')?;
    let secs: f64 = number.parse().ok()?;
    (secs.is_finite() && secs >= 0.0).then_some(secs.ceil() as u64)
}

fn generate_id_token(body: &Map<String, Value>) -> Result<Response, Failure> {
    let Some(audience) = body
        .get("audience")
        .and_then(Value::as_str)
        .filter(|a| !a.is_empty())
    else {
        return Err(invalid("Audience required."));
    };
    let iat = now_ms() / 1000;
    let mut claims = json!({
        "aud": audience, "azp": ROBOT_CLIENT_ID, "exp": iat + 3600, "iat": iat,
        "iss": "https://accounts.google.com", "sub": ROBOT_CLIENT_ID,
    });
    if body.get("includeEmail").and_then(Value::as_bool) == Some(true) {
        claims["email"] = json!(ROBOT);
        claims["email_verified"] = json!(true);
    }
    // Google signs these with its own key (verifiable with `/oauth2/v3/certs`), not the account's.
    Ok(json_ok(
        &json!({"token": crate::framework::crypto::test_key().sign_jwt(&claims)}),
    ))
}

fn sign_jwt(body: &Map<String, Value>) -> Result<Response, Failure> {
    let Some(payload) = body.get("payload").and_then(Value::as_str) else {
        return Err(invalid("Payload required."));
    };
    let claims: Value = serde_json::from_str(payload)
        .ok()
        .filter(Value::is_object)
        .ok_or_else(|| invalid("Payload is not a valid JSON object."))?;
    let key = robot_key();
    Ok(json_ok(
        &json!({"keyId": key.key_id, "signedJwt": key.sign_jwt(&claims)}),
    ))
}

fn sign_blob(body: &Map<String, Value>) -> Result<Response, Failure> {
    let b64 = base64::engine::general_purpose::STANDARD;
    let payload = body
        .get("payload")
        .and_then(Value::as_str)
        .and_then(|p| b64.decode(p).ok())
        .ok_or_else(|| invalid("Payload required: the bytes to sign, base64-encoded."))?;
    let key = robot_key();
    Ok(json_ok(
        &json!({"keyId": key.key_id, "signedBlob": b64.encode(key.sign(&payload))}),
    ))
}
