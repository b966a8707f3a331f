//! ID tokens for `openid` / `email` / `profile` grants, and the `userinfo` endpoint.
//!
//! The emulator has no RSA key, so its ID tokens are HS256 JWTs keyed with the client secret
//! (verifiable by the app that owns the secret; `/oauth2/v1/certs` stays empty). Clients that
//! only read the claims (the usual case for installed apps) see Google's claim names.

use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::framework::api_error::{ApiError, json_ok};
use crate::framework::caller::Caller;
use crate::framework::time::now_ms;
use crate::framework::users::TestUser;

const EMAIL: &str = "https://www.googleapis.com/auth/userinfo.email";
const PROFILE: &str = "https://www.googleapis.com/auth/userinfo.profile";

/// Whether the granted scopes ask for identity (so an ID token is returned).
pub(crate) fn wants_identity(scopes: &[String]) -> bool {
    scopes
        .iter()
        .any(|s| s == "openid" || s == EMAIL || s == PROFILE)
}

fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut block = [0u8; 64];
    if key.len() > 64 {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let ipad: Vec<u8> = block.iter().map(|b| b ^ 0x36).collect();
    let opad: Vec<u8> = block.iter().map(|b| b ^ 0x5c).collect();
    let inner = Sha256::new()
        .chain_update(&ipad)
        .chain_update(message)
        .finalize();
    Sha256::new()
        .chain_update(&opad)
        .chain_update(inner)
        .finalize()
        .into()
}

/// An HS256 ID token for `user`, issued by the emulator to `client_id`.
pub(crate) fn make(
    issuer: &str,
    client_id: &str,
    client_secret: &str,
    user: &TestUser,
    scopes: &[String],
    lifetime_secs: u64,
) -> String {
    let iat = now_ms() / 1000;
    let mut claims = json!({
        "iss": issuer,
        "azp": client_id,
        "aud": client_id,
        "sub": user.id,
        "iat": iat,
        "exp": iat + lifetime_secs,
    });
    if scopes.iter().any(|s| s == EMAIL) {
        claims["email"] = json!(user.email);
        claims["email_verified"] = json!(true);
    }
    if scopes.iter().any(|s| s == PROFILE) {
        claims["name"] = json!(user.name);
        claims["given_name"] = json!(user.name.split(' ').next().unwrap_or(user.name));
    }
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT","kid":"gapi-emulator"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    let signing_input = format!("{header}.{payload}");
    let signature = URL_SAFE_NO_PAD.encode(hmac_sha256(
        client_secret.as_bytes(),
        signing_input.as_bytes(),
    ));
    format!("{signing_input}.{signature}")
}

/// `GET /oauth2/v3/userinfo` (and v2): the signed-in user, for tokens with an identity scope.
pub(crate) async fn userinfo(caller: Result<Caller, ApiError>) -> Response {
    let caller = match caller {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    if !wants_identity(&caller.scopes) {
        return ApiError::insufficient_scope().into_response();
    }
    let Some(user) = crate::framework::users::find_user(&caller.email) else {
        return ApiError::unauthenticated("Unknown user.").into_response();
    };
    let mut info = json!({"sub": user.id});
    if caller.scopes.iter().any(|s| s == EMAIL) {
        info["email"] = json!(user.email);
        info["email_verified"] = json!(true);
    }
    if caller.scopes.iter().any(|s| s == PROFILE) {
        info["name"] = json!(user.name);
        info["given_name"] = json!(user.name.split(' ').next().unwrap_or(user.name));
    }
    json_ok(&info)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc4231_case_2() {
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        let hex: String = mac.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
