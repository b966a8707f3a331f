//! `POST /token`: authorization_code, refresh_token and device_code grants.

use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;

use super::Shared;
use crate::framework::body::{Params, SMALL_BODY_LIMIT, read_limited};
use crate::framework::time::now_ms;
use crate::world::clients::{OAuthClient, find_client};

use super::error::OAuthError;
use super::model::{DeviceStatus, grant_key};
use super::{pkce, tokens};

const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// `POST /token`.
pub(crate) async fn token(
    State(state): State<Shared>,
    headers: HeaderMap,
    body: axum::body::Body,
) -> Response {
    match handle(&state, &headers, body).await {
        Ok(json) => (
            [
                (header::CONTENT_TYPE, "application/json; charset=utf-8"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            json.to_string(),
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

async fn handle(
    state: &Shared,
    headers: &HeaderMap,
    body: axum::body::Body,
) -> Result<serde_json::Value, OAuthError> {
    let bytes = read_limited(body, SMALL_BODY_LIMIT)
        .await
        .map_err(|_| OAuthError::invalid_request("The request body is too large."))?;
    let form = parse_body(headers, &bytes)?;
    if form.non_empty("grant_type") == Some(super::jwt_bearer::GRANT) {
        return super::jwt_bearer::grant(state, &form);
    }
    let client = authenticate(headers, &form)?;
    let lifetime_ms =
        u64::try_from(state.core.config.token_lifetime.as_millis()).unwrap_or(u64::MAX);
    match form.non_empty("grant_type") {
        None => Err(OAuthError::invalid_request(
            "Missing required parameter: grant_type",
        )),
        Some("authorization_code") => exchange_code(state, client, &form, lifetime_ms),
        Some("refresh_token") => refresh(state, client, &form, lifetime_ms),
        Some(DEVICE_GRANT) => device(state, client, &form, lifetime_ms),
        Some(other) => Err(OAuthError::new(
            400,
            "unsupported_grant_type",
            format!("Invalid grant_type: {other}"),
        )),
    }
}

/// Form-encoded (the standard) or JSON (Google accepts it too).
fn parse_body(headers: &HeaderMap, bytes: &[u8]) -> Result<Params, OAuthError> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().starts_with("application/json"));
    if !is_json {
        return Ok(Params::parse(bytes));
    }
    let value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| OAuthError::invalid_request(format!("Invalid JSON body: {e}")))?;
    let Some(map) = value.as_object() else {
        return Err(OAuthError::invalid_request(
            "The JSON body must be an object.",
        ));
    };
    Ok(Params(
        map.iter()
            .filter_map(|(k, v)| {
                let text = match v {
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Number(n) => n.to_string(),
                    serde_json::Value::Bool(b) => b.to_string(),
                    _ => return None,
                };
                Some((k.clone(), text))
            })
            .collect(),
    ))
}

/// `client_secret_basic` or `client_secret_post`.
fn authenticate(headers: &HeaderMap, form: &Params) -> Result<&'static OAuthClient, OAuthError> {
    let basic = match headers.get(header::AUTHORIZATION) {
        Some(value) => {
            let text = value.to_str().unwrap_or("");
            let Some(encoded) = text
                .strip_prefix("Basic ")
                .or_else(|| text.strip_prefix("basic "))
            else {
                return Err(OAuthError::new(
                    401,
                    "invalid_client",
                    "Unsupported Authorization scheme at the token endpoint (use Basic or client_secret_post).",
                ));
            };
            let decoded = base64::engine::general_purpose::STANDARD
                .decode(encoded.trim())
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .ok_or_else(|| {
                    OAuthError::new(401, "invalid_client", "Malformed Basic credentials.")
                })?;
            let (id, secret) = decoded.split_once(':').ok_or_else(|| {
                OAuthError::new(401, "invalid_client", "Malformed Basic credentials.")
            })?;
            // RFC 6749 2.3.1: both parts are form-urlencoded.
            let dec = |s: &str| -> String {
                form_urlencoded::parse(format!("x={s}").as_bytes())
                    .next()
                    .map(|(_, v)| v.into_owned())
                    .unwrap_or_default()
            };
            Some((dec(id), dec(secret)))
        }
        None => None,
    };
    let (id, secret) = match (basic, form.non_empty("client_id")) {
        (Some((id, secret)), form_id) => {
            if form_id.is_some_and(|f| f != id) {
                return Err(OAuthError::invalid_request(
                    "client_id in the body differs from the Basic credentials.",
                ));
            }
            (id, Some(secret))
        }
        (None, Some(id)) => (id.to_owned(), form.get("client_secret").map(str::to_owned)),
        (None, None) => {
            return Err(OAuthError::invalid_request(
                "Could not determine client ID from request.",
            ));
        }
    };
    let Some(client) = find_client(&id) else {
        return Err(OAuthError::new(
            401,
            "invalid_client",
            "The OAuth client was not found.",
        ));
    };
    match secret {
        None => Err(OAuthError::invalid_request("client_secret is missing.")),
        Some(s) if s == client.secret => Ok(client),
        Some(_) => Err(OAuthError::new(401, "invalid_client", "Unauthorized")),
    }
}

fn exchange_code(
    state: &Shared,
    client: &OAuthClient,
    form: &Params,
    lifetime_ms: u64,
) -> Result<serde_json::Value, OAuthError> {
    let code = form
        .non_empty("code")
        .ok_or_else(|| OAuthError::invalid_request("Missing required parameter: code"))?;
    let mut inner = state.data.write();
    let Some(record) = inner.codes.get(code).cloned() else {
        return Err(OAuthError::invalid_grant("Malformed auth code."));
    };
    if record.used {
        // A replayed code: revoke what it produced (RFC 6749 4.1.2).
        for t in &record.issued {
            state.core.tokens.write().0.remove(t);
            inner.refresh_tokens.remove(t);
        }
        return Err(OAuthError::invalid_grant(
            "Bad Request: the code was already used.",
        ));
    }
    if record.expires_ms <= now_ms() {
        return Err(OAuthError::invalid_grant(
            "Bad Request: the code has expired.",
        ));
    }
    if record.client_id != client.id {
        return Err(OAuthError::invalid_grant(
            "Bad Request: the code was issued to another client.",
        ));
    }
    match form.get("redirect_uri") {
        None => {
            return Err(OAuthError::invalid_request(
                "Missing parameter: redirect_uri",
            ));
        }
        Some(uri) if uri != record.redirect_uri => {
            return Err(OAuthError::new(400, "redirect_uri_mismatch", "Bad Request"));
        }
        Some(_) => {}
    }
    if let Some(challenge) = &record.challenge {
        match form.get("code_verifier") {
            None => return Err(OAuthError::invalid_grant("Missing code verifier.")),
            Some(v) if !pkce::verify(challenge, v) => {
                return Err(OAuthError::invalid_grant("Invalid code verifier."));
            }
            Some(_) => {}
        }
    }
    let first_refresh = !inner
        .grants
        .get(&grant_key(&record.client_id, &record.email))
        .is_some_and(|g| g.refresh_issued);
    let refresh = record.offline && (record.prompt_consent || first_refresh);
    tokens::signed_in(&mut inner, &record.client_id, &record.email);
    let issued = tokens::issue(
        &state.core,
        &mut inner,
        lifetime_ms,
        &record.client_id,
        &record.email,
        &record.scopes,
        record.offline,
        refresh,
    );
    if let Some(c) = inner.codes.get_mut(code) {
        c.used = true;
        c.issued.push(issued.access_token.clone());
        if let Some(rt) = &issued.refresh_token {
            c.issued.push(rt.clone());
        }
    }
    Ok(issued.to_json())
}

fn refresh(
    state: &Shared,
    client: &OAuthClient,
    form: &Params,
    lifetime_ms: u64,
) -> Result<serde_json::Value, OAuthError> {
    let rt = form
        .non_empty("refresh_token")
        .ok_or_else(|| OAuthError::invalid_request("Missing required parameter: refresh_token"))?;
    let mut inner = state.data.write();
    let Some(record) = inner.refresh_tokens.get(rt).cloned() else {
        return Err(OAuthError::token_expired_or_revoked());
    };
    if record.expired(state.core.config.refresh_token_lifetime, now_ms()) {
        inner.refresh_tokens.remove(rt);
        return Err(OAuthError::token_expired_or_revoked());
    }
    if record.client_id != client.id {
        return Err(OAuthError::new(
            401,
            "unauthorized_client",
            "Unauthorized: the refresh token belongs to another client.",
        ));
    }
    if inner
        .grants
        .get(&grant_key(&record.client_id, &record.email))
        .is_some_and(|g| g.reauth_required)
    {
        return Err(OAuthError::invalid_rapt());
    }
    let scopes = match form.non_empty("scope") {
        None => record.scopes.clone(),
        Some(requested) => {
            let requested: Vec<String> = super::scopes::split(requested)
                .iter()
                .map(|s| super::scopes::normalise(s))
                .collect();
            if let Some(extra) = requested.iter().find(|s| !record.scopes.contains(s)) {
                return Err(OAuthError::new(
                    400,
                    "invalid_scope",
                    format!("The refresh token was not granted the scope {extra}."),
                ));
            }
            requested
        }
    };
    let issued = tokens::issue(
        &state.core,
        &mut inner,
        lifetime_ms,
        &record.client_id,
        &record.email,
        &scopes,
        true,
        false,
    );
    Ok(issued.to_json())
}

fn device(
    state: &Shared,
    client: &OAuthClient,
    form: &Params,
    lifetime_ms: u64,
) -> Result<serde_json::Value, OAuthError> {
    let device_code = form
        .non_empty("device_code")
        .ok_or_else(|| OAuthError::invalid_request("Missing required parameter: device_code"))?;
    let mut inner = state.data.write();
    let now = now_ms();
    let Some(record) = inner.devices.get_mut(device_code) else {
        return Err(OAuthError::invalid_grant("Malformed auth code."));
    };
    if record.client_id != client.id {
        return Err(OAuthError::invalid_grant(
            "The device code was issued to another client.",
        ));
    }
    if record.expires_ms <= now {
        return Err(OAuthError::new(
            400,
            "expired_token",
            "Expired device code.",
        ));
    }
    match record.status.clone() {
        DeviceStatus::Denied => {
            inner.devices.remove(device_code);
            Err(OAuthError::new(403, "access_denied", "Forbidden"))
        }
        DeviceStatus::Pending => {
            let too_fast = record
                .last_poll_ms
                .is_some_and(|last| now.saturating_sub(last) < record.interval_ms);
            record.last_poll_ms = Some(now);
            if too_fast {
                record.interval_ms += 5000;
                Err(OAuthError::new(403, "slow_down", "Forbidden"))
            } else {
                Err(OAuthError::new(
                    428,
                    "authorization_pending",
                    "Precondition Required",
                ))
            }
        }
        DeviceStatus::Approved { email } => {
            let record = inner.devices.remove(device_code);
            let scopes = record.map(|r| r.scopes).unwrap_or_default();
            tokens::signed_in(&mut inner, client.id, &email);
            let issued = tokens::issue(
                &state.core,
                &mut inner,
                lifetime_ms,
                client.id,
                &email,
                &scopes,
                true,
                true,
            );
            Ok(issued.to_json())
        }
    }
}
