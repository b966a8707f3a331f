//! The JWT-bearer grant (`urn:ietf:params:oauth:grant-type:jwt-bearer`, RFC 7523) with which a
//! service account signs in: the assertion must be signed (RS256) by the robot's key, for this
//! emulator's token URL (or Google's), short-lived, with known scopes; `sub` (domain-wide
//! delegation) may name a test user of `example.com`, and the token then acts as that user.
//! A `target_audience` claim instead of `scope` asks for an identity token, as Google's does.

use base64::Engine as _;
use serde_json::{Value, json};

use super::Shared;
use super::error::OAuthError;
use super::scopes;
use crate::framework::body::Params;
use crate::framework::random;
use crate::framework::time::now_ms;
use crate::framework::tokens::AccessToken;
use crate::world::project::{DELEGATED_DOMAIN, ROBOT, ROBOT_CLIENT_ID};
use crate::world::robot_key::robot_key;
use crate::world::users::find_user;

/// The grant type.
pub(crate) const GRANT: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";
/// Google's token URL, accepted as `aud` beside the emulator's own.
const GOOGLE_TOKEN_URL: &str = "https://oauth2.googleapis.com/token";
/// Clock skew tolerated on `iat`/`exp`.
const SKEW_SECS: i64 = 300;
/// Longest assertion lifetime Google accepts.
const MAX_ASSERTION_SECS: i64 = 3600;

fn lifetime_error() -> OAuthError {
    OAuthError::invalid_grant(
        "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.",
    )
}

/// Verifies the assertion and returns the token response.
pub(crate) fn grant(state: &Shared, form: &Params) -> Result<Value, OAuthError> {
    let lifetime_ms =
        u64::try_from(state.core.config.token_lifetime.as_millis()).unwrap_or(u64::MAX);
    let assertion = form
        .non_empty("assertion")
        .ok_or_else(|| OAuthError::invalid_request("Missing required parameter: assertion"))?;
    let claims = verified_claims(assertion)?;
    let text = |k: &str| claims.get(k).and_then(Value::as_str);
    if !text("iss").is_some_and(|i| i.eq_ignore_ascii_case(ROBOT)) {
        return Err(OAuthError::invalid_grant(
            "Invalid grant: account not found",
        ));
    }
    let own = format!("{}/token", state.core.base_url);
    if !text("aud").is_some_and(|a| a == own || a == GOOGLE_TOKEN_URL) {
        return Err(OAuthError::invalid_grant(format!(
            "Invalid JWT: Failed audience check. The right audience is {own}"
        )));
    }
    let now = i64::try_from(now_ms() / 1000).unwrap_or(i64::MAX);
    let (Some(iat), Some(exp)) = (
        claims.get("iat").and_then(Value::as_i64),
        claims.get("exp").and_then(Value::as_i64),
    ) else {
        return Err(lifetime_error());
    };
    if iat > now + SKEW_SECS
        || exp <= now - SKEW_SECS
        || exp <= iat
        || exp - iat > MAX_ASSERTION_SECS
    {
        return Err(lifetime_error());
    }
    if let Some(audience) = text("target_audience") {
        let claims = json!({
            "aud": audience, "azp": ROBOT, "email": ROBOT, "email_verified": true,
            "exp": now + 3600, "iat": now, "iss": "https://accounts.google.com", "sub": ROBOT_CLIENT_ID,
        });
        // Signed with Google's key (the emulator's `/oauth2/v3/certs`), as Google does.
        return Ok(json!({"id_token": crate::framework::crypto::test_key().sign_jwt(&claims)}));
    }
    let scopes = scopes::split(text("scope").unwrap_or(""));
    if scopes.is_empty() {
        return Err(OAuthError::new(
            400,
            "invalid_scope",
            "Invalid OAuth scope or ID token audience provided.",
        ));
    }
    let unknown = scopes::unknown(&scopes);
    if !unknown.is_empty() {
        return Err(OAuthError::new(
            400,
            "invalid_scope",
            scopes::invalid_description(&unknown),
        ));
    }
    let email = match text("sub") {
        None => ROBOT.to_owned(),
        Some(s) if s.eq_ignore_ascii_case(ROBOT) => ROBOT.to_owned(),
        Some(s) => match find_user(s) {
            Some(u) if u.email.ends_with(&format!("@{DELEGATED_DOMAIN}")) => u.email.to_owned(),
            _ => {
                return Err(OAuthError::new(
                    401,
                    "unauthorized_client",
                    "Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.",
                ));
            }
        },
    };
    let token = format!("ya29.sa-{}", random::token(24));
    state.core.tokens.write().insert(
        token.clone(),
        AccessToken {
            client_id: ROBOT_CLIENT_ID.into(),
            email,
            scopes,
            expires_ms: now_ms() + lifetime_ms,
            offline: false,
        },
    );
    Ok(json!({
        "access_token": token,
        "expires_in": lifetime_ms / 1000,
        "token_type": "Bearer",
    }))
}

/// The claims of an RS256 JWT signed by the robot's key.
fn verified_claims(jwt: &str) -> Result<serde_json::Map<String, Value>, OAuthError> {
    let malformed = || {
        OAuthError::invalid_grant(
            "Invalid JWT: the assertion is not a compact JWS (header.payload.signature).",
        )
    };
    let mut parts = jwt.split('.');
    let (Some(h), Some(p), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(malformed());
    };
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let decode = |x: &str| b64.decode(x.trim_end_matches('=')).map_err(|_| malformed());
    let header: Value = serde_json::from_slice(&decode(h)?).map_err(|_| malformed())?;
    if header.get("alg").and_then(Value::as_str) != Some("RS256") {
        return Err(OAuthError::invalid_grant(
            "Invalid JWT: the algorithm must be RS256.",
        ));
    }
    let signature = decode(s)?;
    if !robot_key().verify(format!("{h}.{p}").as_bytes(), &signature) {
        return Err(OAuthError::invalid_grant("Invalid JWT Signature."));
    }
    match serde_json::from_slice(&decode(p)?) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(malformed()),
    }
}
