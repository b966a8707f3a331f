//! Device authorization (RFC 8628): `POST /device/code`, and the `/device` page where the user
//! types the code and approves.

use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::{OAuthData, Shared};
use crate::framework::api_error::json_ok;
use crate::framework::body::{Params, SMALL_BODY_LIMIT, read_limited};
use crate::framework::html::{escape, page};
use crate::framework::random;
use crate::framework::time::now_ms;
use crate::world::clients::find_client;
use crate::world::users::{find_user, test_users};

use super::error::OAuthError;
use super::model::{DeviceAuth, DeviceStatus};
use super::scopes;

const DEVICE_CODE_LIFETIME_MS: u64 = 30 * 60 * 1000;

/// `POST /device/code` with `client_id` and `scope`.
pub(crate) async fn device_code(State(state): State<Shared>, body: axum::body::Body) -> Response {
    let bytes = match read_limited(body, SMALL_BODY_LIMIT).await {
        Ok(b) => b,
        Err(_) => {
            return OAuthError::invalid_request("The request body is too large.").into_response();
        }
    };
    let form = Params::parse(&bytes);
    let Some(client_id) = form.non_empty("client_id") else {
        return OAuthError::invalid_request("Missing required parameter: client_id")
            .into_response();
    };
    let Some(client) = find_client(client_id) else {
        return OAuthError::new(401, "invalid_client", "The OAuth client was not found.")
            .into_response();
    };
    if client.kind != crate::world::clients::ClientKind::Installed {
        return OAuthError::new(401, "invalid_client", "Invalid client type.").into_response();
    }
    let requested = scopes::split(form.get("scope").unwrap_or(""));
    if requested.is_empty() {
        return OAuthError::invalid_request("Missing required parameter: scope").into_response();
    }
    let unknown = scopes::unknown(&requested);
    if !unknown.is_empty() {
        return OAuthError::new(400, "invalid_scope", scopes::invalid_description(&unknown))
            .into_response();
    }
    let device_code = format!("AH-1{}", random::token(40));
    let user_code = random::user_code();
    let interval_ms = u64::try_from(state.core.config.device_poll_interval.as_millis())
        .unwrap_or(5000)
        .max(1000);
    {
        let mut inner = state.data.write();
        let now = now_ms();
        inner.devices.retain(|_, d| d.expires_ms > now);
        inner.devices.insert(
            device_code.clone(),
            DeviceAuth {
                client_id: client.id.to_owned(),
                user_code: user_code.clone(),
                scopes: requested.iter().map(|s| scopes::normalise(s)).collect(),
                expires_ms: now + DEVICE_CODE_LIFETIME_MS,
                interval_ms,
                last_poll_ms: None,
                status: DeviceStatus::Pending,
            },
        );
    }
    let verification = format!("{}/device", state.core.base_url);
    json_ok(&json!({
        "device_code": device_code,
        "user_code": user_code,
        "expires_in": DEVICE_CODE_LIFETIME_MS / 1000,
        "interval": interval_ms / 1000,
        "verification_url": verification,
        "verification_uri": verification,
        "verification_uri_complete": format!("{verification}?user_code={user_code}"),
    }))
}

/// `GET /device[?user_code=]`: the code entry and consent form.
pub(crate) async fn device_page(uri: Uri) -> Response {
    let params = Params::from_query(&uri);
    let prefill = params.get("user_code").unwrap_or("");
    let mut users = String::new();
    for (i, u) in test_users().iter().enumerate() {
        users.push_str(&format!(
            "<label><input type=\"radio\" name=\"user\" value=\"{email}\"{checked}> {name} &lt;{email}&gt;</label>\n",
            email = escape(u.email),
            name = escape(u.name),
            checked = if i == 0 { " checked" } else { "" },
        ));
    }
    let body = format!(
        "<h1>Connect a device</h1>\n<form method=\"post\" action=\"/device\">\n\
         <label>Enter the code shown on your device: <input name=\"user_code\" id=\"user_code\" value=\"{}\" autocomplete=\"off\"></label>\n\
         <fieldset><legend>Choose an account</legend>\n{users}</fieldset>\n\
         <button type=\"submit\" name=\"decision\" value=\"allow\" id=\"allow\">Allow</button>\n\
         <button type=\"submit\" name=\"decision\" value=\"deny\" id=\"deny\">Deny</button>\n</form>",
        escape(prefill)
    );
    page(StatusCode::OK, "Sign in - gapi emulator - device", &body)
}

/// `POST /device`: `user_code`, `user`, `decision`.
pub(crate) async fn device_submit(State(state): State<Shared>, body: axum::body::Body) -> Response {
    let Ok(bytes) = read_limited(body, SMALL_BODY_LIMIT).await else {
        return page(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Error",
            "<p>The form is too large.</p>",
        );
    };
    let form = Params::parse(&bytes);
    let user_code = form.get("user_code").unwrap_or("");
    let allow = match form.get("decision") {
        Some("allow") => true,
        Some("deny") => false,
        _ => {
            return page(
                StatusCode::BAD_REQUEST,
                "Error",
                "<p>The form must say decision=allow or decision=deny.</p>",
            );
        }
    };
    let email = form
        .get("user")
        .and_then(find_user)
        .unwrap_or(&test_users()[0])
        .email;
    let mut inner = state.data.write();
    match decide(&mut inner, user_code, email, allow) {
        Ok(()) if allow => page(
            StatusCode::OK,
            "Success - gapi emulator - device",
            "<h1>Success</h1><p>You are signed in on your device. You can close this window.</p>",
        ),
        Ok(()) => page(
            StatusCode::OK,
            "Denied - gapi emulator - device",
            "<h1>Access denied</h1><p>The device was not given access. You can close this window.</p>",
        ),
        Err(message) => page(
            StatusCode::BAD_REQUEST,
            "Error - gapi emulator - device",
            &format!(
                "<h1>That code did not work</h1><p id=\"error\">{}</p>",
                escape(&message)
            ),
        ),
    }
}

/// Records the user's decision for a pending device authorization (also used by the control API).
pub(crate) fn decide(
    inner: &mut OAuthData,
    user_code: &str,
    email: &str,
    allow: bool,
) -> Result<(), String> {
    let wanted: String = user_code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if wanted.is_empty() {
        return Err("Enter the code shown on your device.".to_owned());
    }
    let now = now_ms();
    let Some(record) = inner.devices.values_mut().find(|d| {
        d.user_code
            .chars()
            .filter(|c| *c != '-')
            .collect::<String>()
            == wanted
    }) else {
        return Err(format!(
            "Unknown code {user_code}: check the code on your device."
        ));
    };
    if record.expires_ms <= now {
        return Err("This code has expired; start again on your device.".to_owned());
    }
    if record.status != DeviceStatus::Pending {
        return Err("This code was already used.".to_owned());
    }
    record.status = if allow {
        DeviceStatus::Approved {
            email: email.to_owned(),
        }
    } else {
        DeviceStatus::Denied
    };
    Ok(())
}
