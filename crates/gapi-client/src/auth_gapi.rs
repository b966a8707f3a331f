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
