//! The OIDC identity provider the emulator runs itself, at `{base}/oidc`: its discovery
//! document (`/oidc/.well-known/openid-configuration`), its keys (`/oidc/jwks`) and, on the
//! loopback-only control API, the subject tokens it issues (`/__emulator/oidc/token`), as a
//! CI system (GitHub Actions, GitLab, Kubernetes) issues them to its workloads.
//!
//! Its key is NOT the emulator's Google key: a Google ID token from the emulator is no subject
//! token, as it would not be at Google. The key (`keys/oidc-issuer-test-key.pem`) is public test
//! material.

use std::sync::OnceLock;

use axum::extract::State;
use axum::http::{Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::Shared;
use crate::framework::Core;
use crate::framework::api_error::{ApiError, ApiResult, json_ok};
use crate::framework::body::{Params, body_object};
use crate::framework::crypto::{SigningKey, hex_id, pem_body};
use crate::framework::time::now_ms;
use crate::world::federation::default_provider;

/// The issuer's PKCS#8 PEM key (public test material, see the module docs).
const ISSUER_KEY_PEM: &str = include_str!("../../../keys/oidc-issuer-test-key.pem");
/// Longest subject token the control API mints (Google rejects longer-lived ones).
const MAX_LIFETIME_SECS: i64 = 24 * 3600;

/// The issuer's signing key, parsed once.
pub(crate) fn issuer_key() -> &'static SigningKey {
    static KEY: OnceLock<SigningKey> = OnceLock::new();
    KEY.get_or_init(|| {
        let der = pem_body(ISSUER_KEY_PEM);
        // A fixed file checked by the unit test below: failing here is a build defect.
        SigningKey::from_pkcs8(&der, hex_id(&der))
            .expect("keys/oidc-issuer-test-key.pem is a PKCS#8 RSA key")
    })
}

/// The issuer URL (`iss` of its tokens): `{base}/oidc`.
pub(crate) fn issuer_url(core: &Core) -> String {
    format!("{}/oidc", core.base_url)
}

/// `GET /oidc/.well-known/openid-configuration`.
pub(crate) async fn openid_configuration(State(state): State<Shared>) -> Response {
    let iss = issuer_url(&state.core);
    json_ok(&json!({
        "issuer": iss,
        "jwks_uri": format!("{iss}/jwks"),
        "response_types_supported": ["id_token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "claims_supported": ["sub", "aud", "exp", "iat", "iss"],
    }))
}

/// `GET /oidc/jwks`: the issuer's JWK Set.
pub(crate) async fn jwks() -> Response {
    json_ok(&issuer_key().jwks())
}

/// `POST /__emulator/oidc/token` with `{"sub": S, "aud"?: A, "lifetime_secs"?: N,
/// "issued_at"?: T, "claims"?: {...}}`: a subject token for `sub`, `{"id_token": JWT, ...}`.
pub(crate) async fn mint_post(State(state): State<Shared>, body: axum::body::Body) -> ApiResult {
    let map = body_object(body).await?;
    let request = MintRequest::from_json(&map)?;
    Ok(json_ok(&request.answer(&state.core)))
}

/// `GET /__emulator/oidc/token?sub=S[&aud=A][&lifetime_secs=N][&format=text]`: the same, for a
/// URL-sourced credential configuration (`format=text` answers the bare token).
pub(crate) async fn mint_get(State(state): State<Shared>, uri: Uri) -> Response {
    let params = Params::from_query(&uri);
    let request = match MintRequest::from_params(&params) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let answer = request.answer(&state.core);
    if params.get("format") == Some("text") {
        let token = answer["id_token"].as_str().unwrap_or_default().to_owned();
        return ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], token).into_response();
    }
    json_ok(&answer)
}

struct MintRequest {
    sub: String,
    aud: Option<String>,
    lifetime: i64,
    issued_at: Option<i64>,
    claims: Map<String, Value>,
}

impl MintRequest {
    fn from_json(map: &Map<String, Value>) -> Result<Self, ApiError> {
        let text = |k: &str| -> Result<Option<String>, ApiError> {
            match map.get(k) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(ApiError::bad_request(format!("{k} must be a string"))),
            }
        };
        let int = |k: &str| -> Result<Option<i64>, ApiError> {
            match map.get(k) {
                None | Some(Value::Null) => Ok(None),
                Some(v) => v
                    .as_i64()
                    .map(Some)
                    .ok_or_else(|| ApiError::bad_request(format!("{k} must be an integer"))),
            }
        };
        let claims = match map.get("claims") {
            None | Some(Value::Null) => Map::new(),
            Some(Value::Object(m)) => m.clone(),
            Some(_) => return Err(ApiError::bad_request("claims must be a JSON object")),
        };
        Self::new(
            text("sub")?,
            text("aud")?,
            int("lifetime_secs")?,
            int("issued_at")?,
            claims,
        )
    }

    fn from_params(params: &Params) -> Result<Self, ApiError> {
        let int = |k: &str| -> Result<Option<i64>, ApiError> {
            params
                .non_empty(k)
                .map(|v| {
                    v.parse()
                        .map_err(|_| ApiError::bad_request(format!("{k} must be an integer")))
                })
                .transpose()
        };
        Self::new(
            params.non_empty("sub").map(str::to_owned),
            params.non_empty("aud").map(str::to_owned),
            int("lifetime_secs")?,
            int("issued_at")?,
            Map::new(),
        )
    }

    fn new(
        sub: Option<String>,
        aud: Option<String>,
        lifetime: Option<i64>,
        issued_at: Option<i64>,
        claims: Map<String, Value>,
    ) -> Result<Self, ApiError> {
        let sub = sub.filter(|s| !s.is_empty()).ok_or_else(|| {
            ApiError::bad_request("sub is required: the workload's subject, e.g. \"ci-job-1\"")
        })?;
        let lifetime = lifetime.unwrap_or(3600);
        if !(1..=MAX_LIFETIME_SECS).contains(&lifetime) {
            return Err(ApiError::bad_request(format!(
                "lifetime_secs must be between 1 and {MAX_LIFETIME_SECS}"
            )));
        }
        Ok(MintRequest {
            sub,
            aud,
            lifetime,
            issued_at,
            claims,
        })
    }

    fn answer(self, core: &Core) -> Value {
        let now = i64::try_from(now_ms() / 1000).unwrap_or(i64::MAX);
        let iat = self.issued_at.unwrap_or(now);
        let aud = self
            .aud
            .unwrap_or_else(|| default_provider().default_token_audience());
        let mut claims = self.claims;
        claims.insert("iss".into(), json!(issuer_url(core)));
        claims.insert("sub".into(), json!(self.sub));
        claims.insert("aud".into(), json!(aud));
        claims.insert("iat".into(), json!(iat));
        claims.insert("exp".into(), json!(iat + self.lifetime));
        let token = issuer_key().sign_jwt(&Value::Object(claims));
        json!({
            "id_token": token,
            "token_type": "urn:ietf:params:oauth:token-type:jwt",
            "expires_in": (iat + self.lifetime - now).max(0),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_issuer_key_is_not_the_google_key() {
        let key = issuer_key();
        let jwt = key.sign_jwt(&json!({"sub": "w"}));
        assert_eq!(key.verify_jwt(&jwt).unwrap()["sub"], "w");
        assert!(
            crate::framework::crypto::test_key()
                .verify_jwt(&jwt)
                .is_err()
        );
        assert_ne!(key.kid(), crate::framework::crypto::test_key().kid());
    }
}
