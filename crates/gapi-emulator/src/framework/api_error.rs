//! Google's JSON error body for API calls:
//! `{"error":{"code","message","status","errors":[{"reason","message","domain",...}],"details"}}`.
//! The authentication errors are Google's word for word (clients and users read them); the
//! emulator's own explanation goes in a field of its own, `error.emulator_help`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// An API error answered in Google's shape.
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    pub code: u16,
    pub status: &'static str,
    pub reason: &'static str,
    pub message: String,
    /// `(location, locationType)`, e.g. `("pageSize", "parameter")`.
    pub location: Option<(String, &'static str)>,
    /// Rarely set parts, boxed to keep `Result<_, ApiError>` small.
    extra: Option<Box<Extra>>,
}

/// The parts of an [`ApiError`] only some errors have.
#[derive(Debug, Clone, Default)]
struct Extra {
    /// `errors[0].message` when Google words it apart from the top message.
    item_message: Option<&'static str>,
    /// `details[]` (google.rpc status details, e.g. an ErrorInfo).
    details: Vec<serde_json::Value>,
    /// The emulator's own hint, in `error.emulator_help` (never in Google's fields).
    help: Option<String>,
    /// `WWW-Authenticate` to send.
    www_authenticate: Option<String>,
    /// `Retry-After` seconds to send.
    retry_after: Option<u64>,
}

/// Google's top messages for the three authentication failures.
const MISSING_CREDENTIALS: &str = "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.";
const INVALID_CREDENTIALS: &str = "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.";
const REALM: &str = "Bearer realm=\"https://accounts.google.com/\"";

/// A google.rpc.ErrorInfo detail; `service` (e.g. `drive.googleapis.com`) when known.
fn error_info(reason: &str, service: Option<&str>) -> serde_json::Value {
    let mut info = json!({
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        "reason": reason,
        "domain": "googleapis.com",
    });
    if let Some(service) = service {
        info["metadata"] = json!({"service": service});
    }
    info
}

impl ApiError {
    pub(crate) fn new(
        code: u16,
        status: &'static str,
        reason: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Self {
            code,
            status,
            reason,
            message: message.into(),
            location: None,
            extra: None,
        }
    }

    fn extra_mut(&mut self) -> &mut Extra {
        self.extra.get_or_insert_with(Default::default)
    }

    /// Adds the emulator's own hint (`error.emulator_help`).
    pub(crate) fn help(mut self, help: impl Into<String>) -> Self {
        self.extra_mut().help = Some(help.into());
        self
    }

    /// Google's `errors[0].message`, `details[]` and `WWW-Authenticate` of an auth error.
    fn auth_parts(mut self, item: &'static str, info: serde_json::Value, www: String) -> Self {
        let extra = self.extra_mut();
        extra.item_message = Some(item);
        extra.details = vec![info];
        extra.www_authenticate = Some(www);
        self
    }

    /// Adds a google.rpc.ErrorInfo detail (`reason`, `service` as its metadata), for errors
    /// clients tell apart by reason (`EXPIRED_SYNC_TOKEN`).
    pub(crate) fn with_error_info(mut self, reason: &str, service: &str) -> Self {
        self.extra_mut()
            .details
            .push(error_info(reason, Some(service)));
        self
    }

    /// Names the offending parameter (or header).
    pub(crate) fn at(mut self, location: impl Into<String>, kind: &'static str) -> Self {
        self.location = Some((location.into(), kind));
        self
    }

    /// 400 `invalid`: a parameter has a bad value.
    pub(crate) fn invalid_param(param: &str, message: impl Into<String>) -> Self {
        Self::new(400, "INVALID_ARGUMENT", "invalid", message).at(param, "parameter")
    }

    /// 400 `badRequest`: the request as a whole is malformed.
    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self::new(400, "INVALID_ARGUMENT", "badRequest", message)
    }

    /// 401 for a request without credentials, as Google words it; `service` names the API
    /// in the ErrorInfo when known.
    pub(crate) fn missing_credentials(service: Option<&str>, help: impl Into<String>) -> Self {
        Self::new(401, "UNAUTHENTICATED", "required", MISSING_CREDENTIALS)
            .at("Authorization", "header")
            .help(help)
            .auth_parts(
                "Login Required.",
                error_info("CREDENTIALS_MISSING", service),
                REALM.to_owned(),
            )
    }

    /// 401 for an unknown, revoked, malformed or expired token, as Google words it.
    /// `info_reason` is the ErrorInfo reason (`ACCESS_TOKEN_EXPIRED`,
    /// `ACCESS_TOKEN_TYPE_UNSUPPORTED`); `help` says which case it was.
    pub(crate) fn invalid_credentials(
        info_reason: &str,
        service: Option<&str>,
        help: impl Into<String>,
    ) -> Self {
        Self::new(401, "UNAUTHENTICATED", "authError", INVALID_CREDENTIALS)
            .at("Authorization", "header")
            .help(help)
            .auth_parts(
                "Invalid Credentials",
                error_info(info_reason, service),
                format!("{REALM}, error=\"invalid_token\""),
            )
    }

    /// 403 for a token without a scope that allows the call; `accepted` are the scopes that
    /// would (named in `WWW-Authenticate`, as Google does).
    pub(crate) fn insufficient_scope_for(accepted: &[&str], service: Option<&str>) -> Self {
        Self::new(
            403,
            "PERMISSION_DENIED",
            "insufficientPermissions",
            "Request had insufficient authentication scopes.",
        )
        .help(format!(
            "The access token's scopes do not allow this call; it needs one of: {}. Sign in again asking for one of them.",
            accepted.join(" ")
        ))
        .auth_parts(
            "Insufficient Permission",
            error_info("ACCESS_TOKEN_SCOPE_INSUFFICIENT", service),
            format!(
                "{REALM}, error=\"insufficient_scope\", scope=\"{}\"",
                accepted.join(" ")
            ),
        )
    }

    /// 404 for a file the user cannot see.
    pub(crate) fn file_not_found(id: &str) -> Self {
        Self::new(
            404,
            "NOT_FOUND",
            "notFound",
            format!("File not found: {id}."),
        )
        .at("fileId", "parameter")
    }

    /// 404 for a path the emulator does not serve.
    pub(crate) fn no_route(method: &str, path: &str) -> Self {
        Self::new(
            404,
            "NOT_FOUND",
            "notFound",
            format!("The emulator does not serve {method} {path}."),
        )
    }

    /// 413 for bodies over the limit.
    pub(crate) fn too_large(limit: usize) -> Self {
        Self::new(
            413,
            "INVALID_ARGUMENT",
            "uploadTooLarge",
            format!("The request body is larger than the emulator's limit of {limit} bytes."),
        )
    }

    /// An injected fault with the given status; `reason` (one of Google's quota and backend
    /// reasons) replaces the status's usual one.
    pub(crate) fn injected_with(code: u16, retry_after: Option<u64>, reason: Option<&str>) -> Self {
        let mut e = Self::injected(code, retry_after);
        let (r, message): (&'static str, &str) = match reason {
            Some("rateLimitExceeded") => ("rateLimitExceeded", "Rate Limit Exceeded"),
            Some("userRateLimitExceeded") => ("userRateLimitExceeded", "User Rate Limit Exceeded"),
            Some("quotaExceeded") => ("quotaExceeded", "Quota exceeded"),
            Some("dailyLimitExceeded") => ("dailyLimitExceeded", "Daily Limit Exceeded"),
            Some("backendError") => ("backendError", "Backend Error"),
            _ => return e,
        };
        e.reason = r;
        e.message = format!("{message} (injected by the emulator)");
        e
    }

    /// An injected fault with the given status.
    pub(crate) fn injected(code: u16, retry_after: Option<u64>) -> Self {
        let (status, reason, message) = match code {
            429 => (
                "RESOURCE_EXHAUSTED",
                "rateLimitExceeded",
                "Rate Limit Exceeded (injected by the emulator)",
            ),
            500 => (
                "INTERNAL",
                "backendError",
                "Backend Error (injected by the emulator)",
            ),
            502 => (
                "UNAVAILABLE",
                "backendError",
                "Bad Gateway (injected by the emulator)",
            ),
            503 => (
                "UNAVAILABLE",
                "backendError",
                "The service is currently unavailable (injected by the emulator).",
            ),
            504 => (
                "DEADLINE_EXCEEDED",
                "backendError",
                "Deadline exceeded (injected by the emulator).",
            ),
            403 => (
                "PERMISSION_DENIED",
                "userRateLimitExceeded",
                "User Rate Limit Exceeded (injected by the emulator)",
            ),
            401 => (
                "UNAUTHENTICATED",
                "authError",
                "Invalid Credentials (injected by the emulator)",
            ),
            _ => ("UNKNOWN", "injectedFault", "Injected fault"),
        };
        let mut e = Self::new(code, status, reason, message);
        e.extra_mut().retry_after = retry_after;
        e
    }

    /// The JSON body.
    pub(crate) fn body(&self) -> serde_json::Value {
        let mut item = json!({
            "message": self.extra.as_ref().and_then(|x| x.item_message).unwrap_or(&self.message),
            "domain": "global",
            "reason": self.reason,
        });
        if let Some((location, kind)) = &self.location {
            item["location"] = json!(location);
            item["locationType"] = json!(kind);
        }
        let mut error = json!({
            "code": self.code,
            "message": self.message,
            "errors": [item],
            "status": self.status,
        });
        if let Some(extra) = &self.extra {
            if !extra.details.is_empty() {
                error["details"] = json!(extra.details);
            }
            if let Some(help) = &extra.help {
                error["emulator_help"] = json!(help);
            }
        }
        json!({ "error": error })
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, json_body(&self.body())).into_response();
        let headers = response.headers_mut();
        if let Some(secs) = self.extra.as_ref().and_then(|x| x.retry_after) {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        let www = self
            .extra
            .as_ref()
            .and_then(|x| x.www_authenticate.clone())
            .or_else(|| (self.code == 401).then(|| format!("{REALM}, error=\"invalid_token\"")));
        if let Some(value) = www.and_then(|w| HeaderValue::from_str(&w).ok()) {
            headers.insert(header::WWW_AUTHENTICATE, value);
        }
        response
    }
}

/// A JSON response body with Google's content type.
pub(crate) fn json_body(value: &serde_json::Value) -> impl IntoResponse + use<> {
    let text = serde_json::to_string(value).unwrap_or_else(|_| "{}".to_owned());
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=UTF-8"),
        )],
        text,
    )
}

/// 200 with a JSON body.
pub(crate) fn json_ok(value: &serde_json::Value) -> Response {
    json_body(value).into_response()
}

/// Result type of API handlers.
pub(crate) type ApiResult = Result<Response, ApiError>;
