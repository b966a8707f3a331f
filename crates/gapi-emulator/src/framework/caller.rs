//! The bearer-token extractor shared by every API service: `caller: Caller` in a handler's
//! arguments authenticates the request (`Authorization: Bearer` or `access_token=`) against the
//! token verifiers services registered (self-signed JWTs, say), then the shared token table,
//! and answers Google's 401 when it cannot; scope checks answer Google's 403.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};

use super::Ctx;
use super::api_error::ApiError;
use super::body::Params;
use super::time::now_ms;

/// The authenticated caller of an API request.
#[derive(Debug, Clone)]
pub(crate) struct Caller {
    pub email: String,
    pub client_id: String,
    pub scopes: Vec<String>,
}

/// A service's own kind of bearer token: `None` when `token` is not of its kind (the next
/// verifier, and last the shared token table, decide), else the caller it stands for or
/// Google's 401. `service` names the API in the errors' ErrorInfo. Registered with
/// `Service::with_token_verifier`, so the framework never names a service.
pub(crate) type TokenVerifier =
    fn(token: &str, service: Option<&str>) -> Option<Result<Caller, ApiError>>;

impl Caller {
    /// Whether the token carries `scope`.
    pub(crate) fn has(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }

    /// 403 unless the token carries one of `scopes` (a method's Discovery `scopes`).
    pub(crate) fn require_any(&self, scopes: &[&str]) -> Result<(), ApiError> {
        if scopes.iter().any(|s| self.has(s)) {
            Ok(())
        } else {
            Err(ApiError::insufficient_scope_for(scopes, None))
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        let core = parts.extensions.get::<Ctx>().cloned().ok_or_else(|| {
            ApiError::new(
                500,
                "INTERNAL",
                "backendError",
                "The emulator's context is missing.",
            )
        })?;
        let service = service_of(parts.uri.path());
        authenticate_for(
            &core,
            &parts.headers,
            &Params::from_parts(parts),
            service.as_deref(),
        )
    }
}

/// `drive.googleapis.com` for `/drive/v3/...` (and `/upload/drive/...`): the API a path
/// belongs to, for the ErrorInfo of authentication errors.
pub(crate) fn service_of(path: &str) -> Option<String> {
    let mut segments = path.trim_start_matches('/').split('/');
    let mut first = segments.next()?;
    if first == "upload" || first == "batch" {
        first = segments.next()?;
    }
    let first = match first {
        "userinfo" => "oauth2",
        other => other,
    };
    (!first.is_empty() && first.chars().all(|c| c.is_ascii_alphanumeric()))
        .then(|| format!("{first}.googleapis.com"))
}

/// Reads the bearer token (`Authorization: Bearer` or `access_token=`) and checks it.
pub(crate) fn authenticate(
    core: &Ctx,
    headers: &HeaderMap,
    params: &Params,
) -> Result<Caller, ApiError> {
    authenticate_for(core, headers, params, None)
}

/// [`authenticate`], naming `service` in the errors' ErrorInfo.
pub(crate) fn authenticate_for(
    core: &Ctx,
    headers: &HeaderMap,
    params: &Params,
    service: Option<&str>,
) -> Result<Caller, ApiError> {
    let from_header = match headers.get(header::AUTHORIZATION) {
        Some(v) => {
            let text = v.to_str().unwrap_or("");
            let token = text
                .strip_prefix("Bearer ")
                .or_else(|| text.strip_prefix("bearer "))
                .map(str::trim);
            match token {
                Some(t) if !t.is_empty() => Some(t.to_owned()),
                _ => {
                    return Err(ApiError::invalid_credentials(
                        "ACCESS_TOKEN_TYPE_UNSUPPORTED",
                        service,
                        "The Authorization header is not `Bearer <access token>`.",
                    ));
                }
            }
        }
        None => None,
    };
    let Some(token) = from_header.or_else(|| params.non_empty("access_token").map(str::to_owned))
    else {
        return Err(ApiError::missing_credentials(
            service,
            "No access token: send `Authorization: Bearer <access token>` (or `access_token=`).",
        ));
    };
    for verify in core.token_verifiers() {
        if let Some(verdict) = verify(&token, service) {
            return verdict;
        }
    }
    let tokens = core.tokens.read();
    let Some(record) = tokens.0.get(&token) else {
        return Err(ApiError::invalid_credentials(
            "ACCESS_TOKEN_TYPE_UNSUPPORTED",
            service,
            "The access token is unknown or was revoked: get a new one (refresh or sign in again).",
        ));
    };
    if record.expires_ms <= now_ms() {
        return Err(ApiError::invalid_credentials(
            "ACCESS_TOKEN_EXPIRED",
            service,
            "The access token expired: refresh it.",
        ));
    }
    Ok(Caller {
        email: record.email.clone(),
        client_id: record.client_id.clone(),
        scopes: record.scopes.clone(),
    })
}
