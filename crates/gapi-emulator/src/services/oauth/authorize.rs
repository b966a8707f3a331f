//! `GET /o/oauth2/v2/auth` (and `/o/oauth2/auth`): validates the request, shows the consent page
//! (or approves at once with auto-approve), and `POST /o/oauth2/approve` takes the decision.

use axum::extract::State;
use axum::http::{Uri, header};
use axum::response::{IntoResponse, Redirect, Response};

use super::Shared;
use crate::framework::body::{Params, SMALL_BODY_LIMIT, read_limited};
use crate::framework::html;
use crate::framework::random;
use crate::framework::time::now_ms;
use crate::world::clients::{RedirectKind, find_client};
use crate::world::users::{TestUser, find_user, test_users};

use super::consent_page;
use super::model::{AuthCode, AuthRequest, Challenge, ChallengeMethod, PendingAuth, grant_key};
use super::pkce;
use super::scopes;

/// Authorization codes live this long (Google: about 10 minutes).
const CODE_LIFETIME_MS: u64 = 10 * 60 * 1000;
/// Unanswered consent pages are forgotten after this long.
const PENDING_LIFETIME_MS: u64 = 30 * 60 * 1000;
/// At most this many consent pages wait for an answer at once.
const MAX_PENDING: usize = 10_000;

/// `GET /o/oauth2/v2/auth`.
pub(crate) async fn authorize(State(state): State<Shared>, uri: Uri) -> Response {
    let params = Params::from_query(&uri);
    let request = match validate(&params) {
        Ok(r) => r,
        Err(response) => return response,
    };
    let hinted = request.login_hint.as_deref().and_then(find_user);
    let prompt_none = params
        .get("prompt")
        .is_some_and(|p| p.split_ascii_whitespace().any(|v| v == "none"));
    if state.core.config.auto_approve {
        let user = hinted.unwrap_or(&test_users()[0]);
        return approve_as(&state, &request, user);
    }
    if prompt_none {
        // No browser session exists here: a silent approval works only for a hinted user who
        // already granted every requested scope to this client.
        let granted = hinted.is_some_and(|u| {
            let inner = state.data.read();
            inner
                .grants
                .get(&grant_key(&request.client_id, u.email))
                .is_some_and(|g| request.scopes.iter().all(|s| g.scopes.contains(s)))
        });
        return match (hinted, granted) {
            (Some(u), true) => approve_as(&state, &request, u),
            (Some(_), false) => deny_with(&request, "consent_required"),
            (None, _) => deny_with(&request, "login_required"),
        };
    }
    let id = random::token(24);
    {
        let mut pending = state.pending.write();
        let now = now_ms();
        pending.retain(|_, p| now.saturating_sub(p.created_ms) < PENDING_LIFETIME_MS);
        if pending.len() >= MAX_PENDING {
            // A flood of unanswered requests must not grow memory without bound.
            let oldest = pending
                .iter()
                .min_by_key(|(_, p)| p.created_ms)
                .map(|(k, _)| k.clone());
            if let Some(k) = oldest {
                pending.remove(&k);
            }
        }
        pending.insert(
            id.clone(),
            PendingAuth {
                request: request.clone(),
                created_ms: now,
            },
        );
    }
    consent_page::consent(&request, &id, hinted)
}

/// `POST /o/oauth2/approve`: the consent form's answer (`request`, `user`, `decision`).
pub(crate) async fn approve(State(state): State<Shared>, body: axum::body::Body) -> Response {
    let bytes = match read_limited(body, SMALL_BODY_LIMIT).await {
        Ok(b) => b,
        Err(_) => return html::error_page("invalid_request", "The form is too large."),
    };
    let form = Params::parse(&bytes);
    let Some(id) = form.non_empty("request") else {
        return html::error_page("invalid_request", "The consent form lacks its request id.");
    };
    let Some(pending) = state.pending.write().remove(id) else {
        return html::error_page(
            "invalid_request",
            "This sign-in request is unknown, already answered or expired. Start the sign-in again from the app.",
        );
    };
    match form.get("decision") {
        Some("allow") => {
            let user = form
                .get("user")
                .and_then(find_user)
                .unwrap_or(&test_users()[0]);
            approve_as(&state, &pending.request, user)
        }
        Some("deny") => deny_with(&pending.request, "access_denied"),
        _ => html::error_page(
            "invalid_request",
            "The consent form must say decision=allow or decision=deny.",
        ),
    }
}

/// Checks an authorization request. Errors about the client or the redirect URI are pages
/// (never redirects, so an attacker cannot bounce users through us); the rest are redirects.
/// The error is the finished response, returned at once, so boxing it would buy nothing.
#[allow(clippy::result_large_err)]
fn validate(params: &Params) -> Result<AuthRequest, Response> {
    let Some(client_id) = params.non_empty("client_id") else {
        return Err(html::error_page(
            "invalid_request",
            "Missing required parameter: client_id",
        ));
    };
    let Some(client) = find_client(client_id) else {
        return Err(html::error_page(
            "invalid_client",
            &format!("The OAuth client was not found. (client_id={client_id})"),
        ));
    };
    let Some(redirect_uri) = params.non_empty("redirect_uri") else {
        return Err(html::error_page(
            "invalid_request",
            "Missing required parameter: redirect_uri",
        ));
    };
    let Some(redirect_kind) = client.redirect_kind(redirect_uri) else {
        return Err(html::error_page(
            "redirect_uri_mismatch",
            &format!(
                "The redirect URI in the request, {redirect_uri}, does not match the ones authorized for the OAuth client."
            ),
        ));
    };
    match params.get("response_type") {
        Some("code") => {}
        None | Some("") => {
            return Err(html::error_page(
                "invalid_request",
                "Missing required parameter: response_type",
            ));
        }
        Some(other) => {
            return Err(html::error_page(
                "unsupported_response_type",
                &format!(
                    "Invalid response_type: {other}. Installed apps must use response_type=code."
                ),
            ));
        }
    }
    let mut request = AuthRequest {
        client_id: client_id.to_owned(),
        redirect_uri: redirect_uri.to_owned(),
        redirect_kind,
        scopes: Vec::new(),
        state: params.get("state").map(str::to_owned),
        challenge: None,
        offline: false,
        prompt_consent: false,
        login_hint: params.non_empty("login_hint").map(str::to_owned),
        include_granted_scopes: params.get("include_granted_scopes") == Some("true"),
    };
    let fail = |request: &AuthRequest, error: &str, description: &str| {
        Err(redirect_error(request, error, Some(description)))
    };
    let scope_list = scopes::split(params.get("scope").unwrap_or(""));
    if scope_list.is_empty() {
        return fail(
            &request,
            "invalid_request",
            "Missing required parameter: scope",
        );
    }
    let unknown = scopes::unknown(&scope_list);
    if !unknown.is_empty() {
        return fail(
            &request,
            "invalid_scope",
            &scopes::invalid_description(&unknown),
        );
    }
    request.scopes = scope_list.iter().map(|s| scopes::normalise(s)).collect();
    let method = match params.get("code_challenge_method") {
        None => None,
        Some("S256") => Some(ChallengeMethod::S256),
        Some("plain") => Some(ChallengeMethod::Plain),
        Some(other) => {
            return fail(
                &request,
                "invalid_request",
                &format!("Invalid code_challenge_method: {other} (use S256)"),
            );
        }
    };
    match (params.get("code_challenge"), method) {
        (Some(c), m) => {
            if !pkce::well_formed(c) {
                return fail(
                    &request,
                    "invalid_request",
                    "Invalid code_challenge: it must be 43-128 characters of [A-Za-z0-9-._~]",
                );
            }
            request.challenge = Some(Challenge {
                value: c.to_owned(),
                // Google treats a challenge without a method as `plain`.
                method: m.unwrap_or(ChallengeMethod::Plain),
            });
        }
        (None, Some(_)) => {
            return fail(
                &request,
                "invalid_request",
                "code_challenge_method was given without code_challenge",
            );
        }
        (None, None) => {}
    }
    match params.get("access_type") {
        None | Some("online") => {}
        Some("offline") => request.offline = true,
        Some(other) => {
            return fail(
                &request,
                "invalid_request",
                &format!("Invalid access_type: {other} (use online or offline)"),
            );
        }
    }
    if let Some(prompt) = params.get("prompt") {
        let values: Vec<&str> = prompt.split_ascii_whitespace().collect();
        if let Some(bad) = values
            .iter()
            .find(|v| !matches!(**v, "none" | "consent" | "select_account"))
        {
            return fail(
                &request,
                "invalid_request",
                &format!("Invalid prompt: {bad}"),
            );
        }
        if values.contains(&"none") && values.len() > 1 {
            return fail(
                &request,
                "invalid_request",
                "prompt=none cannot be combined with other values",
            );
        }
        request.prompt_consent = values.contains(&"consent");
    }
    Ok(request)
}

/// Issues a code for `user` and delivers it the way the redirect URI asks.
pub(crate) fn approve_as(state: &Shared, request: &AuthRequest, user: &TestUser) -> Response {
    let code = format!("4/0A{}", random::token(42));
    let scopes = {
        let mut inner = state.data.write();
        let mut scopes = request.scopes.clone();
        if request.include_granted_scopes
            && let Some(grant) = inner.grants.get(&grant_key(&request.client_id, user.email))
        {
            for s in &grant.scopes {
                if !scopes.contains(s) {
                    scopes.push(s.clone());
                }
            }
        }
        let now = now_ms();
        inner.codes.retain(|_, c| c.expires_ms > now);
        inner.codes.insert(
            code.clone(),
            AuthCode {
                client_id: request.client_id.clone(),
                email: user.email.to_owned(),
                redirect_uri: request.redirect_uri.clone(),
                scopes: scopes.clone(),
                challenge: request.challenge.clone(),
                offline: request.offline,
                prompt_consent: request.prompt_consent,
                expires_ms: now + CODE_LIFETIME_MS,
                used: false,
                issued: Vec::new(),
            },
        );
        scopes
    };
    match request.redirect_kind {
        RedirectKind::Http => {
            let mut pairs: Vec<(&str, &str)> = Vec::new();
            if let Some(s) = &request.state {
                pairs.push(("state", s));
            }
            let scope = scopes.join(" ");
            pairs.push(("code", &code));
            pairs.push(("scope", &scope));
            pairs.push(("authuser", "0"));
            pairs.push((
                "prompt",
                if request.prompt_consent {
                    "consent"
                } else {
                    "none"
                },
            ));
            redirect_with(&request.redirect_uri, &pairs)
        }
        RedirectKind::Oob => consent_page::oob_success(&code, false),
        RedirectKind::OobAuto => consent_page::oob_success(&code, true),
    }
}

/// Sends `error` back to the app (redirect, or the OOB "Denied" page).
fn deny_with(request: &AuthRequest, error: &str) -> Response {
    redirect_error(request, error, None)
}

fn redirect_error(request: &AuthRequest, error: &str, description: Option<&str>) -> Response {
    match request.redirect_kind {
        RedirectKind::Http => {
            let mut pairs: Vec<(&str, &str)> = vec![("error", error)];
            if let Some(d) = description {
                pairs.push(("error_description", d));
            }
            if let Some(s) = &request.state {
                pairs.push(("state", s));
            }
            redirect_with(&request.redirect_uri, &pairs)
        }
        RedirectKind::Oob | RedirectKind::OobAuto => {
            consent_page::oob_denied(error, description.unwrap_or(""))
        }
    }
}

/// 302 to `uri` with `pairs` appended to its query.
fn redirect_with(uri: &str, pairs: &[(&str, &str)]) -> Response {
    let Ok(mut url) = url::Url::parse(uri) else {
        return html::error_page("invalid_request", "The redirect URI is not a valid URL.");
    };
    {
        let mut q = url.query_pairs_mut();
        for (k, v) in pairs {
            q.append_pair(k, v);
        }
    }
    let mut response = Redirect::to(url.as_str()).into_response();
    *response.status_mut() = axum::http::StatusCode::FOUND;
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    response
}
