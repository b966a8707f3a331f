//! Self-signed JWTs as bearer tokens (Google's "JWT access" for service accounts): an RS256 JWT
//! signed by the robot's key, `iss` = `sub` = the robot, short-lived, with a `scope` claim, is
//! accepted on API calls as the robot with those scopes. The `aud`-only form (no `scope`
//! claim) is refused with a 401 saying so: the emulator cannot tell which API's scopes it
//! would stand for.

use base64::Engine as _;
use serde_json::Value;

use crate::framework::api_error::ApiError;
use crate::framework::caller::Caller;
use crate::framework::time::now_ms;
use crate::world::project::{ROBOT, ROBOT_CLIENT_ID};
use crate::world::robot_key::robot_key;

/// Tolerated clock skew.
const SKEW_SECS: i64 = 300;

/// The IAM service's token verifier (see [`crate::framework::caller::TokenVerifier`]): `None`
/// when `token` is not a JWT (so the shared token table decides); otherwise the caller it
/// stands for, or Google's 401. `service` names the API in the errors' ErrorInfo.
pub(crate) fn caller(token: &str, service: Option<&str>) -> Option<Result<Caller, ApiError>> {
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let header: Value = serde_json::from_slice(&b64.decode(h).ok()?).ok()?;
    header.get("alg")?;
    Some(check(h, p, s).map_err(|why| {
        ApiError::invalid_credentials(
            "ACCESS_TOKEN_TYPE_UNSUPPORTED",
            service,
            format!("The self-signed JWT {why}."),
        )
    }))
}

fn refused(why: &str) -> String {
    why.to_owned()
}

fn check(h: &str, p: &str, s: &str) -> Result<Caller, String> {
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let signature = b64
        .decode(s)
        .map_err(|_| refused("has a malformed signature"))?;
    if !robot_key().verify(format!("{h}.{p}").as_bytes(), &signature) {
        return Err(refused("is not signed by a known service account key"));
    }
    let claims: Value = b64
        .decode(p)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or_else(|| refused("has malformed claims"))?;
    let text = |k: &str| claims.get(k).and_then(Value::as_str);
    if !text("iss").is_some_and(|i| i.eq_ignore_ascii_case(ROBOT))
        || text("sub").is_some_and(|s| !s.eq_ignore_ascii_case(ROBOT))
    {
        return Err(refused(
            "must have iss and sub equal to the service account's email",
        ));
    }
    let now = i64::try_from(now_ms() / 1000).unwrap_or(i64::MAX);
    let (Some(iat), Some(exp)) = (
        claims.get("iat").and_then(Value::as_i64),
        claims.get("exp").and_then(Value::as_i64),
    ) else {
        return Err(refused("needs iat and exp"));
    };
    if iat > now + SKEW_SECS || exp <= now || exp <= iat || exp - iat > 3600 {
        return Err(refused(
            "expired or lives longer than an hour (check iat and exp)",
        ));
    }
    let scopes: Vec<String> = text("scope")
        .unwrap_or("")
        .split_ascii_whitespace()
        .map(str::to_owned)
        .collect();
    if scopes.is_empty() {
        return Err(refused(
            "has no scope claim: the emulator accepts self-signed JWTs with a scope claim only",
        ));
    }
    Ok(Caller {
        email: ROBOT.to_owned(),
        client_id: ROBOT_CLIENT_ID.to_owned(),
        scopes,
    })
}
