//! Why a refresh failed, in words a user can act on. Every dead refresh token answers
//! `invalid_grant`; the reasons behind it differ: a consent screen in Testing mode ends refresh
//! tokens after 7 days (unless only name, email and profile were granted), an organisation's
//! re-authentication policy sends `error_subtype: invalid_rapt`, and a deleted or wrong OAuth
//! client answers `deleted_client` / `invalid_client` / `unauthorized_client`. The age of the
//! refresh token (stored next to it at login) tells the first case from the others.

use std::time::{Duration, SystemTime};

/// How long Google keeps the refresh tokens of an app whose consent screen is in Testing mode.
pub const TESTING_MODE_LIFETIME: Duration = Duration::from_secs(7 * 24 * 3600);

/// Refresh tokens this close to [`TESTING_MODE_LIFETIME`] (or older) count as "about 7 days".
const LIFETIME_SLACK: Duration = Duration::from_secs(3600);

/// Scopes whose grants Testing mode does not expire.
const IDENTITY_SCOPES: &[&str] = &[
    "openid",
    "email",
    "profile",
    "https://www.googleapis.com/auth/userinfo.email",
    "https://www.googleapis.com/auth/userinfo.profile",
];

/// The likely reason behind a failed refresh.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Cause {
    /// `invalid_grant` about 7 days after the refresh token was issued: Testing-mode consent
    /// screen.
    TestingModeExpiry,
    /// `invalid_grant` with `error_subtype: invalid_rapt`: the organisation requires signing
    /// in again.
    ReauthRequired,
    /// `invalid_grant` for another reason (revoked, password change, token limit, ...).
    GrantRevoked,
    /// `deleted_client`, `invalid_client` or `unauthorized_client`: the OAuth client is gone
    /// or wrong.
    ClientGone,
}

/// What a failed refresh means and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnosis {
    /// The likely reason.
    pub cause: Cause,
    /// One sentence saying what happened.
    pub summary: String,
    /// Other possible reasons, most likely first (empty when the cause is certain).
    pub possible_causes: Vec<String>,
    /// What to do, in order.
    pub fixes: Vec<String>,
    /// How old the refresh token was, when known.
    pub refresh_token_age: Option<Duration>,
}

impl Diagnosis {
    /// Whether logging in again with the same client fixes it (not when the client is gone).
    pub fn login_again_helps(&self) -> bool {
        self.cause != Cause::ClientGone
    }

    /// The summary, causes and fixes as lines of text.
    pub fn explanation(&self) -> String {
        let mut out = self.summary.clone();
        if !self.possible_causes.is_empty() {
            out.push_str("\nlikely causes:");
            for c in &self.possible_causes {
                out.push_str("\n  - ");
                out.push_str(c);
            }
        }
        if !self.fixes.is_empty() {
            out.push_str("\nto fix it:");
            for f in &self.fixes {
                out.push_str("\n  - ");
                out.push_str(f);
            }
        }
        out
    }
}

/// "7 days 2 hours", "3 hours", "5 minutes": an age for people.
pub(super) fn describe_age(age: Duration) -> String {
    let secs = age.as_secs();
    let (days, hours, minutes) = (secs / 86_400, secs % 86_400 / 3600, secs % 3600 / 60);
    let unit = |n: u64, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    match (days, hours) {
        (0, 0) => unit(minutes, "minute"),
        (0, h) => unit(h, "hour"),
        (d, 0) => unit(d, "day"),
        (d, h) => format!("{} {}", unit(d, "day"), unit(h, "hour")),
    }
}

/// What the token endpoint answered when it refused a refresh.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Refusal<'a> {
    /// The OAuth `error` code.
    pub code: &'a str,
    /// Google's `error_subtype`, when given.
    pub subtype: Option<&'a str>,
}

/// Diagnoses a failed refresh from the token endpoint's error, when the refresh token was
/// obtained and what it grants. `None` when the error is not one of the cases above.
pub(crate) fn diagnose_refresh_failure(
    err: &Refusal<'_>,
    obtained: Option<SystemTime>,
    scopes: &[String],
    now: SystemTime,
) -> Option<Diagnosis> {
    let age = obtained.and_then(|t| now.duration_since(t).ok());
    let aged = age.map(|a| format!(" (it was issued {} ago)", describe_age(a)));
    let code = err.code;
    match code {
        "deleted_client" | "invalid_client" | "unauthorized_client" => {
            let summary = match code {
                "deleted_client" => "the OAuth client was deleted (deleted_client)".to_string(),
                "invalid_client" => {
                    "the OAuth client is unknown or its secret is wrong (invalid_client)"
                        .to_string()
                }
                _ => "this OAuth client may not use this refresh token (unauthorized_client)"
                    .to_string(),
            };
            Some(Diagnosis {
                cause: Cause::ClientGone,
                summary,
                possible_causes: vec![
                    "the client was deleted in the Google Cloud console (Google Auth Platform > \
                     Clients), or its project was shut down"
                        .into(),
                    "its secret was reset, or the stored client id/secret belong to another client"
                        .into(),
                ],
                fixes: vec![
                    "download the client_secret.json of an existing Desktop-app client (or \
                     create one) and log in with it"
                        .into(),
                ],
                refresh_token_age: age,
            })
        }
        "invalid_grant" if err.subtype == Some("invalid_rapt") => Some(Diagnosis {
            cause: Cause::ReauthRequired,
            summary: "your organisation requires you to sign in again (a Google Workspace \
                      re-authentication or session-length policy; error_subtype invalid_rapt)"
                .into(),
            possible_causes: Vec::new(),
            fixes: vec![
                "log in again with the same client and scopes; this happens again whenever the \
                 policy's session length runs out"
                    .into(),
            ],
            refresh_token_age: age,
        }),
        "invalid_grant" => {
            let identity_only =
                !scopes.is_empty() && scopes.iter().all(|s| IDENTITY_SCOPES.contains(&s.as_str()));
            let testing_age = TESTING_MODE_LIFETIME - LIFETIME_SLACK;
            if !identity_only && age.is_some_and(|a| a >= testing_age) {
                return Some(Diagnosis {
                    cause: Cause::TestingModeExpiry,
                    summary: format!(
                        "the refresh token expired{}: Google ends the refresh tokens of apps \
                         whose OAuth consent screen is in Testing mode after 7 days",
                        aged.unwrap_or_default()
                    ),
                    possible_causes: Vec::new(),
                    fixes: vec![
                        "publish the app: Google Cloud console > Google Auth Platform > \
                         Audience > Publish app (refresh tokens then last; unverified apps show \
                         a warning on the consent page)"
                            .into(),
                        "or keep it in Testing and log in again at least once a week".into(),
                    ],
                    refresh_token_age: age,
                });
            }
            let mut causes = vec![
                "access was revoked at https://myaccount.google.com/connections (or by an \
                 administrator)"
                    .to_string(),
                "the account's password was changed and the grant includes Gmail scopes".into(),
                "more than 100 refresh tokens were issued for this client and account, so the \
                 oldest ones stopped working"
                    .into(),
                "the refresh token went unused for 6 months".into(),
            ];
            if age.is_none() && !identity_only {
                causes.push(
                    "the consent screen is in Testing mode, which ends refresh tokens after 7 \
                     days (this login does not record when its token was issued)"
                        .into(),
                );
            }
            Some(Diagnosis {
                cause: Cause::GrantRevoked,
                summary: format!(
                    "the refresh token is no longer valid (invalid_grant){}",
                    aged.unwrap_or_default()
                ),
                possible_causes: causes,
                fixes: vec!["log in again with the same client and scopes".into()],
                refresh_token_age: age,
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err<'a>(code: &'a str, subtype: Option<&'a str>) -> Refusal<'a> {
        Refusal { code, subtype }
    }

    const DAY: Duration = Duration::from_secs(86_400);

    fn drive() -> Vec<String> {
        vec!["https://www.googleapis.com/auth/drive.readonly".into()]
    }

    #[test]
    fn seven_days_means_testing_mode() {
        let now = SystemTime::now();
        let d = diagnose_refresh_failure(
            &err("invalid_grant", None),
            Some(now - 7 * DAY),
            &drive(),
            now,
        )
        .unwrap();
        assert_eq!(d.cause, Cause::TestingModeExpiry);
        let text = d.explanation();
        assert!(
            text.contains("Testing mode") && text.contains("7 days ago"),
            "{text}"
        );
        assert!(text.contains("Publish app"), "{text}");
    }

    #[test]
    fn younger_tokens_list_the_other_causes() {
        let now = SystemTime::now();
        let d = diagnose_refresh_failure(
            &err("invalid_grant", None),
            Some(now - 2 * DAY),
            &drive(),
            now,
        )
        .unwrap();
        assert_eq!(d.cause, Cause::GrantRevoked);
        let text = d.explanation();
        assert!(
            text.contains("2 days ago") && text.contains("myaccount.google.com"),
            "{text}"
        );
        assert!(
            text.contains("100 refresh tokens") && !text.contains("Testing"),
            "{text}"
        );
        // Identity-only grants do not expire in Testing mode.
        let id = vec!["openid".to_string(), "email".to_string()];
        let d =
            diagnose_refresh_failure(&err("invalid_grant", None), Some(now - 8 * DAY), &id, now)
                .unwrap();
        assert_eq!(d.cause, Cause::GrantRevoked);
        // Unknown age: Testing mode is one of the possibilities.
        let d = diagnose_refresh_failure(&err("invalid_grant", None), None, &drive(), now).unwrap();
        assert!(d.explanation().contains("Testing mode"));
    }

    #[test]
    fn rapt_and_client_errors() {
        let now = SystemTime::now();
        let d = diagnose_refresh_failure(
            &err("invalid_grant", Some("invalid_rapt")),
            None,
            &drive(),
            now,
        )
        .unwrap();
        assert_eq!(d.cause, Cause::ReauthRequired);
        assert!(d.login_again_helps());
        for code in ["deleted_client", "invalid_client", "unauthorized_client"] {
            let d = diagnose_refresh_failure(&err(code, None), None, &drive(), now).unwrap();
            assert_eq!(d.cause, Cause::ClientGone);
            assert!(!d.login_again_helps());
            assert!(d.summary.contains(code));
        }
        assert!(
            diagnose_refresh_failure(&err("invalid_scope", None), None, &drive(), now).is_none()
        );
    }

    #[test]
    fn ages_read_well() {
        assert_eq!(
            describe_age(Duration::from_secs(7 * 86_400 + 7200)),
            "7 days 2 hours"
        );
        assert_eq!(describe_age(Duration::from_secs(3600)), "1 hour");
        assert_eq!(describe_age(Duration::from_secs(120)), "2 minutes");
    }
}
