//! `POST /v1/token`: the RFC 8693 token exchange as Google's STS answers it. A form body
//! (`grant_type`, `audience`, `scope`, `requested_token_type`, `subject_token`,
//! `subject_token_type`, `options`) or the REST JSON body (`grantType`, `subjectToken`, ...).
//! The subject token (a JWT from the emulator's OIDC issuer) is checked as a workload identity
//! pool provider checks it: `iss` is the provider's issuer, the RS256 signature verifies with the
//! issuer's key, `aud` is one the provider allows, `exp`/`iat` hold, `sub` (mapped to
//! `google.subject`) is there and short enough. Errors are `{"error", "error_description"}`
//! with Google's codes (`invalid_request`, `unsupported_grant_type`, `invalid_target`,
//! `invalid_grant`, `invalid_scope`).

use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use super::Shared;
use super::issuer::{issuer_key, issuer_url};
use crate::framework::api_error::json_ok;
use crate::framework::body::{Params, SMALL_BODY_LIMIT, read_limited};
use crate::framework::crypto::JwtError;
use crate::framework::random;
use crate::framework::time::now_ms;
use crate::framework::tokens::AccessToken;
use crate::services::oauth::error::OAuthError;
use crate::world::federation::{MAX_SUBJECT_BYTES, PoolProvider, find};

/// The token-exchange grant.
pub(crate) const TOKEN_EXCHANGE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";
/// The one requested token type STS issues here.
pub(crate) const ACCESS_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:access_token";
/// Subject token types an OIDC provider takes.
const OIDC_TOKEN_TYPES: &[&str] = &[
    "urn:ietf:params:oauth:token-type:jwt",
    "urn:ietf:params:oauth:token-type:id_token",
];
/// The subject token type of a serialized, signed AWS GetCallerIdentity request.
const AWS_TOKEN_TYPE: &str = "urn:ietf:params:aws:token-type:aws4_request";
/// Longest federated token (Google's are one hour).
const MAX_LIFETIME_SECS: u64 = 3600;
/// Clock skew allowed on `iat` / `exp`.
const SKEW_SECS: i64 = 60;
/// Longest subject-token lifetime (`exp - iat`) accepted.
const MAX_SUBJECT_LIFETIME_SECS: i64 = 24 * 3600;
/// Google's answer to an audience of the wrong shape.
const BAD_AUDIENCE: &str = "Invalid value for \"audience\". This value should be the full resource name of the Identity Provider. See https://cloud.google.com/iam/docs/reference/sts/rest/v1/TopLevel/token for the list of possible formats.";
/// Google's answer to an audience naming no (enabled) provider.
const UNKNOWN_TARGET: &str = "The target service indicated by the \"audience\" parameters is invalid. This might either be because the pool or provider is disabled or deleted or because it doesn't exist.";

/// The request's fields, from a form or a JSON body (STS takes both, on every endpoint).
pub(super) struct StsRequest {
    fields: Params,
}

impl StsRequest {
    pub(super) fn parse(headers: &HeaderMap, bytes: &[u8]) -> Result<Self, OAuthError> {
        let is_json = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim_start().starts_with("application/json"));
        if !is_json {
            return Ok(Self {
                fields: Params::parse(bytes),
            });
        }
        let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(bytes) else {
            return Err(OAuthError::invalid_request(
                "Invalid JSON payload received: the body must be a JSON object.",
            ));
        };
        // The REST shape names fields in camelCase; map them onto the form's names.
        let mut pairs = Vec::new();
        for (key, value) in map {
            let Some(text) = value.as_str() else {
                return Err(OAuthError::invalid_request(format!(
                    "Invalid value for \"{key}\": expected a string."
                )));
            };
            pairs.push((snake_case(&key), text.to_owned()));
        }
        Ok(Self {
            fields: Params(pairs),
        })
    }

    fn get(&self, key: &str) -> Option<&str> {
        self.fields.non_empty(key)
    }

    pub(super) fn required(&self, key: &str) -> Result<&str, OAuthError> {
        self.get(key)
            .ok_or_else(|| OAuthError::invalid_request(format!("Missing required field: {key}.")))
    }
}

fn snake_case(camel: &str) -> String {
    let mut out = String::with_capacity(camel.len() + 4);
    for c in camel.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// `POST /v1/token`.
pub(crate) async fn token(
    State(state): State<Shared>,
    headers: HeaderMap,
    body: axum::body::Body,
) -> Response {
    let Ok(bytes) = read_limited(body, SMALL_BODY_LIMIT).await else {
        return OAuthError::invalid_request("The request body is too large.").into_response();
    };
    match exchange(&state, &headers, &bytes) {
        Ok(answer) => {
            let mut response = json_ok(&answer);
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                header::HeaderValue::from_static("no-store"),
            );
            response
        }
        Err(e) => e.into_response(),
    }
}

fn exchange(state: &Shared, headers: &HeaderMap, bytes: &[u8]) -> Result<Value, OAuthError> {
    let request = StsRequest::parse(headers, bytes)?;
    let grant = request.required("grant_type")?;
    if grant != TOKEN_EXCHANGE {
        return Err(OAuthError::new(
            400,
            "unsupported_grant_type",
            format!("Unsupported grant type: {grant}. The grant type must be {TOKEN_EXCHANGE}."),
        ));
    }
    let requested = request.required("requested_token_type")?;
    if requested != ACCESS_TOKEN_TYPE {
        return Err(OAuthError::invalid_request(format!(
            "Invalid value for \"requested_token_type\": {requested}. The only supported value is {ACCESS_TOKEN_TYPE}."
        )));
    }
    let subject_token = request.required("subject_token")?;
    let subject_token_type = request.required("subject_token_type")?;
    let provider = target(request.required("audience")?)?;
    let scopes: Vec<String> = request
        .get("scope")
        .map(|s| s.split_whitespace().map(str::to_owned).collect())
        .unwrap_or_default();
    if scopes.is_empty() {
        return Err(OAuthError::new(
            400,
            "invalid_scope",
            "Scope(s) must be provided.",
        ));
    }
    if let Some(options) = request.get("options") {
        check_options(options)?;
    }
    let subject = if subject_token_type == AWS_TOKEN_TYPE {
        super::aws::verify(provider, subject_token)?
    } else if OIDC_TOKEN_TYPES.contains(&subject_token_type) && provider.aws_account.is_none() {
        verify_oidc(state, provider, subject_token)?
    } else {
        let takes = if provider.aws_account.is_some() {
            AWS_TOKEN_TYPE.to_string()
        } else {
            OIDC_TOKEN_TYPES.join(" or ")
        };
        return Err(OAuthError::invalid_request(format!(
            "Invalid value for \"subject_token_type\": {subject_token_type}. This provider takes {takes}."
        )));
    };
    let principal = provider.principal(&subject);
    let lifetime_ms = u64::try_from(state.core.config.token_lifetime.as_millis())
        .unwrap_or(u64::MAX)
        .min(MAX_LIFETIME_SECS * 1000);
    let token = format!("ya29.d.sts-{}", random::token(24));
    state.core.tokens.write().insert(
        token.clone(),
        AccessToken {
            client_id: provider.name(),
            email: principal,
            scopes,
            expires_ms: now_ms() + lifetime_ms,
            offline: false,
        },
    );
    Ok(json!({
        "access_token": token,
        "issued_token_type": ACCESS_TOKEN_TYPE,
        "token_type": "Bearer",
        "expires_in": lifetime_ms / 1000,
    }))
}

/// The provider an `audience` names:
/// `//iam.googleapis.com/projects/N/locations/global/workloadIdentityPools/P/providers/Q`
/// (a workforce pool's `//iam.googleapis.com/locations/global/workforcePools/P/providers/Q` is
/// well formed too, but none is seeded).
fn target(audience: &str) -> Result<&'static PoolProvider, OAuthError> {
    let bad = || OAuthError::invalid_request(BAD_AUDIENCE);
    let unknown = || OAuthError::new(400, "invalid_target", UNKNOWN_TARGET);
    let rest = audience
        .strip_prefix("//iam.googleapis.com/")
        .ok_or_else(bad)?;
    let parts: Vec<&str> = rest.split('/').collect();
    match parts.as_slice() {
        [
            "projects",
            project,
            "locations",
            "global",
            "workloadIdentityPools",
            pool,
            "providers",
            provider,
        ] if [project, pool, provider].iter().all(|s| !s.is_empty()) => {
            find(project, pool, provider).ok_or_else(unknown)
        }
        [
            "locations",
            "global",
            "workforcePools",
            pool,
            "providers",
            provider,
        ] if !pool.is_empty() && !provider.is_empty() => Err(unknown()),
        _ => Err(bad()),
    }
}

/// `options`: a JSON object (google-auth sends it percent-encoded once more, which Google
/// accepts, so both are taken); `userProject` is the only member read, and only for
/// workforce pools, so here it is merely checked.
fn check_options(options: &str) -> Result<(), OAuthError> {
    let parsed = serde_json::from_str::<Value>(options).ok().or_else(|| {
        let decoded = form_urlencoded::parse(format!("o={options}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())?;
        serde_json::from_str::<Value>(&decoded).ok()
    });
    match parsed {
        Some(Value::Object(map)) => match map.get("userProject") {
            None | Some(Value::String(_)) => Ok(()),
            Some(_) => Err(OAuthError::invalid_request(
                "Invalid value for \"options\": userProject must be a string.",
            )),
        },
        _ => Err(OAuthError::invalid_request(
            "Invalid value for \"options\": it must be a JSON object.",
        )),
    }
}

/// Checks an OIDC subject token for `provider` and returns its `sub`.
fn verify_oidc(state: &Shared, provider: &PoolProvider, jwt: &str) -> Result<String, OAuthError> {
    let unparsable = || OAuthError::invalid_grant("Unable to parse the ID Token.");
    let claims = unverified_claims(jwt).ok_or_else(unparsable)?;
    let expected_issuer = issuer_url(&state.core);
    let iss = claims["iss"].as_str().unwrap_or_default();
    if iss != expected_issuer {
        return Err(OAuthError::invalid_grant(format!(
            "The issuer in ID Token {iss} does not match the expected ones: {expected_issuer}."
        )));
    }
    match issuer_key().verify_jwt(jwt) {
        Ok(_) => {}
        Err(JwtError::Malformed) => return Err(unparsable()),
        Err(JwtError::WrongKey(_) | JwtError::BadSignature) => {
            return Err(OAuthError::invalid_grant("Invalid JWT signature."));
        }
    }
    let audiences: Vec<&str> = match &claims["aud"] {
        Value::String(s) => vec![s.as_str()],
        Value::Array(list) => list.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if !audiences.iter().any(|a| provider.accepts_audience(a)) {
        return Err(OAuthError::invalid_grant(
            "The audience in ID Token does not match the expected values.",
        ));
    }
    let now = i64::try_from(now_ms() / 1000).unwrap_or(i64::MAX);
    let (Some(iat), Some(exp)) = (claims["iat"].as_i64(), claims["exp"].as_i64()) else {
        return Err(OAuthError::invalid_grant(
            "The ID Token must carry the iat and exp claims.",
        ));
    };
    if exp + SKEW_SECS <= now {
        return Err(OAuthError::invalid_grant(format!(
            "The ID Token expired at {exp}: get a new one from the identity provider."
        )));
    }
    if iat > now + SKEW_SECS {
        return Err(OAuthError::invalid_grant(format!(
            "The ID Token was issued in the future (iat {iat})."
        )));
    }
    if exp - iat > MAX_SUBJECT_LIFETIME_SECS {
        return Err(OAuthError::invalid_grant(
            "The ID Token's lifetime (exp - iat) must not exceed 24 hours.",
        ));
    }
    let sub = claims["sub"].as_str().unwrap_or_default();
    if sub.is_empty() {
        return Err(OAuthError::invalid_grant(
            "The mapped attribute google.subject is empty: the ID Token has no sub claim.",
        ));
    }
    if sub.len() > MAX_SUBJECT_BYTES {
        return Err(OAuthError::invalid_grant(format!(
            "The size of mapped attribute google.subject exceeds the {MAX_SUBJECT_BYTES} bytes limit."
        )));
    }
    Ok(sub.to_owned())
}

/// The claims of a compact JWT, unverified (the issuer must be known before its key is).
fn unverified_claims(jwt: &str) -> Option<Value> {
    let mut parts = jwt.split('.');
    let (Some(_), Some(claims), Some(_), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let bytes = URL_SAFE_NO_PAD.decode(claims).ok()?;
    serde_json::from_slice::<Value>(&bytes)
        .ok()
        .filter(Value::is_object)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audiences_parse_as_google_names_them() {
        let ok = "//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/gapi-pool/providers/emulator-oidc";
        assert!(target(ok).is_ok());
        let e =
            target("projects/1/locations/global/workloadIdentityPools/p/providers/q").unwrap_err();
        assert_eq!(e.error, "invalid_request");
        let e = target("//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/nope/providers/emulator-oidc").unwrap_err();
        assert_eq!(e.error, "invalid_target");
        let e = target("//iam.googleapis.com/locations/global/workforcePools/w/providers/q")
            .unwrap_err();
        assert_eq!(e.error, "invalid_target");
    }

    #[test]
    fn options_are_json_plain_or_percent_encoded() {
        assert!(check_options(r#"{"userProject":"123"}"#).is_ok());
        assert!(check_options("%7B%22userProject%22%3A%20%22123%22%7D").is_ok());
        assert!(check_options("not json").is_err());
        assert!(check_options(r#"{"userProject":1}"#).is_err());
    }

    #[test]
    fn camel_case_fields_map_to_the_form_names() {
        assert_eq!(snake_case("subjectTokenType"), "subject_token_type");
        assert_eq!(snake_case("grantType"), "grant_type");
    }
}
