//! A GCE-style metadata server at the emulator's base, so `GCE_METADATA_HOST=<host:port>`
//! (and `GCE_METADATA_IP` for detection) works for gapi and Python google-auth:
//! `GET /` answers as GCE's does for detection; `/computeMetadata/v1/...` requires the
//! `Metadata-Flavor: Google` header (403 with Google's wording otherwise) and every answer
//! carries it. The instance's service account is the seeded robot; its tokens go into the
//! shared access-token table, so the emulated APIs accept them.
//!
//! Identity tokens carry GCE's claims (`iss` `https://accounts.google.com`, `aud`, `azp`,
//! `sub`, and with `format=full` `email` / `email_verified`; one hour) and are signed RS256 with
//! the emulator's Google key (`framework::crypto::test_key`), so they verify against the
//! emulator's `/oauth2/v3/certs` and `/oauth2/v1/certs` as GCE's verify against Google's.

use std::collections::HashMap;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::json;

use crate::framework::Ctx;
use crate::framework::crypto::test_key;
use crate::framework::random;
use crate::framework::service::Service;
use crate::framework::time::now_ms;
use crate::framework::tokens::AccessToken;
use crate::world::project::{PROJECT_ID, PROJECT_NUMBER, ROBOT, ROBOT_CLIENT_ID};

/// The instance's service account: the seeded robot.
const INSTANCE_SERVICE_ACCOUNT: &str = ROBOT;
/// The scope of tokens asked for without `?scopes=`.
const DEFAULT_SCOPE: &str = "https://www.googleapis.com/auth/cloud-platform";

type Shared = Ctx;

/// The metadata service.
pub(crate) fn service(core: &Ctx) -> Service {
    let routes = Router::new()
        .route("/", get(root))
        .route("/computeMetadata/v1/{*path}", get(metadata))
        .with_state(core.clone());
    Service::new("metadata", routes)
}

fn flavored(status: StatusCode, content_type: &str, body: String) -> Response {
    (
        status,
        [
            ("metadata-flavor", "Google"),
            ("content-type", content_type),
        ],
        body,
    )
        .into_response()
}

async fn root() -> Response {
    flavored(
        StatusCode::OK,
        "application/text",
        "computeMetadata/\n".into(),
    )
}

async fn metadata(
    State(core): State<Shared>,
    Path(path): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    if headers.get("metadata-flavor").and_then(|v| v.to_str().ok()) != Some("Google") {
        return flavored(
            StatusCode::FORBIDDEN,
            "text/html; charset=UTF-8",
            "Missing Metadata-Flavor:Google header.".into(),
        );
    }
    let text = |s: &str| flavored(StatusCode::OK, "application/text", s.to_string());
    let path = path.trim_end_matches('/');
    if path == "project/project-id" {
        return text(PROJECT_ID);
    }
    if path == "project/numeric-project-id" {
        return text(PROJECT_NUMBER);
    }
    if path == "instance/service-accounts" {
        return text(&format!("default/\n{INSTANCE_SERVICE_ACCOUNT}/\n"));
    }
    let Some(rest) = path.strip_prefix("instance/service-accounts/") else {
        return not_found();
    };
    let (account, what) = rest.split_once('/').unwrap_or((rest, ""));
    if account != "default" && account != INSTANCE_SERVICE_ACCOUNT {
        return not_found();
    }
    match what {
        "email" => text(INSTANCE_SERVICE_ACCOUNT),
        "aliases" => text("default"),
        "scopes" => text(&format!("{DEFAULT_SCOPE}\n")),
        "" if q.get("recursive").map(String::as_str) == Some("true") => flavored(
            StatusCode::OK,
            "application/json",
            json!({"aliases": ["default"], "email": INSTANCE_SERVICE_ACCOUNT, "scopes": [DEFAULT_SCOPE]})
                .to_string(),
        ),
        "token" => {
            let scopes: Vec<String> = q
                .get("scopes")
                .map(|s| {
                    s.split(',')
                        .map(|p| p.trim().to_string())
                        .filter(|p| !p.is_empty())
                        .collect()
                })
                .filter(|v: &Vec<String>| !v.is_empty())
                .unwrap_or_else(|| vec![DEFAULT_SCOPE.to_string()]);
            let lifetime = core.config.token_lifetime.as_secs();
            let token = format!("ya29.gce-{}", random::token(24));
            core.tokens.write().insert(
                token.clone(),
                AccessToken {
                    client_id: "metadata-server".into(),
                    email: INSTANCE_SERVICE_ACCOUNT.into(),
                    scopes,
                    expires_ms: now_ms() + lifetime * 1000,
                    offline: false,
                },
            );
            flavored(
                StatusCode::OK,
                "application/json",
                json!({"access_token": token, "expires_in": lifetime, "token_type": "Bearer"})
                    .to_string(),
            )
        }
        "identity" => {
            let Some(audience) = q.get("audience").filter(|a| !a.is_empty()) else {
                return flavored(
                    StatusCode::BAD_REQUEST,
                    "text/html; charset=UTF-8",
                    "non-empty audience parameter required".into(),
                );
            };
            let full = q.get("format").map(String::as_str) == Some("full");
            text(&identity_token(audience, full))
        }
        _ => not_found(),
    }
}

/// The numeric id of the instance's service account (`sub` and `azp` of its ID tokens).
const INSTANCE_ACCOUNT_ID: &str = ROBOT_CLIENT_ID;
/// How long an identity token lives, as GCE's.
const ID_TOKEN_LIFETIME_SECS: u64 = 3600;

/// An identity token for `audience` as GCE's metadata server mints it (`full`: with the
/// account's email), signed with the emulator's Google key.
fn identity_token(audience: &str, full: bool) -> String {
    let iat = now_ms() / 1000;
    let mut claims = json!({
        "aud": audience, "azp": INSTANCE_ACCOUNT_ID,
        "exp": iat + ID_TOKEN_LIFETIME_SECS, "iat": iat,
        "iss": "https://accounts.google.com", "sub": INSTANCE_ACCOUNT_ID,
    });
    if full {
        claims["email"] = json!(INSTANCE_SERVICE_ACCOUNT);
        claims["email_verified"] = json!(true);
    }
    test_key().sign_jwt(&claims)
}

fn not_found() -> Response {
    flavored(
        StatusCode::NOT_FOUND,
        "text/html; charset=UTF-8",
        "<!DOCTYPE html>\n<html lang=en>\n  <title>Error 404 (Not Found)!!1</title>\n".into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_tokens_verify_with_the_emulators_google_key() {
        let jwt = identity_token("https://svc.example", true);
        let claims = test_key()
            .verify_jwt(&jwt)
            .expect("signed by the emulator's key");
        assert_eq!(claims["aud"], "https://svc.example");
        assert_eq!(claims["iss"], "https://accounts.google.com");
        assert_eq!(claims["email"], INSTANCE_SERVICE_ACCOUNT);
        assert_eq!(claims["email_verified"], true);
        assert_eq!(
            claims["exp"].as_u64().unwrap() - claims["iat"].as_u64().unwrap(),
            3600
        );
        let standard = test_key().verify_jwt(&identity_token("a", false)).unwrap();
        assert!(standard.get("email").is_none(), "{standard}");
        assert_eq!(standard["sub"], INSTANCE_ACCOUNT_ID);
    }
}
