//! [`Authenticator`] for gapi's own OAuth credentials (`gapi_auth::Credentials`): a fresh token
//! per request (refreshed ahead of expiry, single-flight), a forced refresh after a 401.

use futures_util::future::BoxFuture;

use crate::auth::{Authenticator, Authorization, SecretString};
use crate::error::Error;

fn map_err(e: gapi_auth::Error) -> Error {
    if e.needs_login() {
        Error::auth_needs_login(e)
    } else {
        Error::auth(e)
    }
}

impl Authenticator for gapi_auth::Credentials {
    fn authorize<'a>(&'a self, force_refresh: bool) -> BoxFuture<'a, Result<Authorization, Error>> {
        Box::pin(async move {
            let token = if force_refresh {
                self.force_refresh().await
            } else {
                self.access_token().await
            }
            .map_err(map_err)?;
            Ok(Authorization::Bearer(SecretString::new(token.secret())))
        })
    }

    fn quota_project(&self) -> Option<String> {
        self.quota_project_id()
    }

    fn granted_scopes(&self) -> Option<Vec<String>> {
        Some(gapi_auth::Credentials::granted_scopes(self))
    }
}

#[cfg(test)]
mod tests {
    /// Token requests and API calls take one retry policy type: a policy made for one is a
    /// policy of the other (this would not compile with two types).
    #[test]
    fn one_retry_policy_type_for_tokens_and_calls() {
        let token: gapi_auth::RetryPolicy = gapi_auth::RetryPolicy::token_requests();
        let call: crate::RetryPolicy = token;
        assert_eq!(call.max_attempts, 3);
        let _flow = gapi_auth::InstalledFlow::new(
            gapi_auth::ClientSecrets::from_json(
                r#"{"installed":{"client_id":"c","client_secret":"s","auth_uri":"https://a/","token_uri":"https://t/"}}"#,
            )
            .unwrap(),
            ["openid"],
        )
        .retry_policy(crate::RetryPolicy::default().with_max_attempts(2));
    }
}
