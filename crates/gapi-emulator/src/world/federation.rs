//! The seeded workload identity pools and their OIDC providers (fixed, as a project's IAM
//! configuration would be), the principals a federated token stands for, and the one IAM
//! binding federation needs: the `gapi-pool` principal set holds Workload Identity User on the
//! robot service account.
//!
//! | provider (`projects/123456789012/locations/global/workloadIdentityPools/…`) | trusts | allowed audiences |
//! |---|---|---|
//! | `gapi-pool/providers/emulator-oidc` | the emulator's issuer (`/oidc`) | the provider's resource name (Google's default) |
//! | `gapi-pool/providers/custom-audience` | the emulator's issuer | `https://gapi.example/workload` |
//! | `other-pool/providers/emulator-oidc` | the emulator's issuer | default; no IAM binding on the robot |
//! | `gapi-pool/providers/emulator-aws` | AWS account `111122223333` (the seeded keys [`AWS_KEYS`]) | `x-goog-cloud-target-resource`: the provider's name |

use super::project::{PROJECT_NUMBER, ROBOT};

/// The pool whose principals may act as the robot.
pub(crate) const POOL: &str = "gapi-pool";
/// A pool with no IAM binding (its tokens work, impersonating the robot does not).
pub(crate) const OTHER_POOL: &str = "other-pool";
/// The provider trusting the emulator's issuer with Google's default audiences.
pub(crate) const PROVIDER: &str = "emulator-oidc";
/// The provider whose allowed audience is configured.
pub(crate) const CUSTOM_AUDIENCE_PROVIDER: &str = "custom-audience";
/// That provider's allowed audience.
pub(crate) const CUSTOM_AUDIENCE: &str = "https://gapi.example/workload";
/// Longest `google.subject` Google accepts, in bytes.
pub(crate) const MAX_SUBJECT_BYTES: usize = 127;

/// A workload identity pool provider: OIDC (trusting the emulator's issuer) or AWS.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PoolProvider {
    pub pool: &'static str,
    pub provider: &'static str,
    /// `Some(account id)` for an AWS provider (subject tokens are signed GetCallerIdentity
    /// requests of that account's keys), `None` for OIDC.
    pub aws_account: Option<&'static str>,
    /// Configured allowed audiences; empty means Google's default (the provider's resource
    /// name, with or without `https:`).
    pub allowed_audiences: &'static [&'static str],
}

/// The AWS provider of [`POOL`].
pub(crate) const AWS_PROVIDER: &str = "emulator-aws";
/// The AWS account it trusts.
pub(crate) const AWS_ACCOUNT: &str = "111122223333";

/// A seeded AWS access key (public test material): the emulator plays AWS's
/// GetCallerIdentity, checking signatures against these.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AwsKey {
    pub access_key_id: &'static str,
    pub secret_access_key: &'static str,
    /// Required `x-amz-security-token` of temporary (`ASIA...`) credentials.
    pub session_token: Option<&'static str>,
    /// What GetCallerIdentity answers as `Arn`.
    pub arn: &'static str,
    pub account: &'static str,
}

/// The seeded keys: an IAM user's permanent key and a role session's temporary key.
pub(crate) static AWS_KEYS: [AwsKey; 2] = [
    AwsKey {
        access_key_id: "AKIAGAPIEMULATOR0001",
        secret_access_key: "gapiEmulatorPublicTestSecretKey/0001",
        session_token: None,
        arn: "arn:aws:iam::111122223333:user/gapi-ci",
        account: AWS_ACCOUNT,
    },
    AwsKey {
        access_key_id: "ASIAGAPIEMULATOR0002",
        secret_access_key: "gapiEmulatorPublicTestSecretKey/0002",
        session_token: Some("gapi-emulator-public-test-session-token-0002"),
        arn: "arn:aws:sts::111122223333:assumed-role/gapi-role/gapi-session",
        account: AWS_ACCOUNT,
    },
];

static PROVIDERS: [PoolProvider; 4] = [
    PoolProvider {
        pool: POOL,
        provider: PROVIDER,
        allowed_audiences: &[],
        aws_account: None,
    },
    PoolProvider {
        pool: POOL,
        provider: CUSTOM_AUDIENCE_PROVIDER,
        allowed_audiences: &[CUSTOM_AUDIENCE],
        aws_account: None,
    },
    PoolProvider {
        pool: OTHER_POOL,
        provider: PROVIDER,
        allowed_audiences: &[],
        aws_account: None,
    },
    PoolProvider {
        pool: POOL,
        provider: AWS_PROVIDER,
        allowed_audiences: &[],
        aws_account: Some(AWS_ACCOUNT),
    },
];

/// `projects/N/locations/global/workloadIdentityPools/P` of `pool`.
pub(crate) fn pool_name(pool: &str) -> String {
    format!("projects/{PROJECT_NUMBER}/locations/global/workloadIdentityPools/{pool}")
}

impl PoolProvider {
    /// `projects/N/locations/global/workloadIdentityPools/P/providers/Q`.
    pub(crate) fn name(&self) -> String {
        format!("{}/providers/{}", pool_name(self.pool), self.provider)
    }

    /// The `audience` an STS request names: `//iam.googleapis.com/<name>`.
    pub(crate) fn sts_audience(&self) -> String {
        format!("//iam.googleapis.com/{}", self.name())
    }

    /// The audiences a subject token's `aud` may hold.
    pub(crate) fn accepts_audience(&self, aud: &str) -> bool {
        if self.allowed_audiences.is_empty() {
            let name = self.name();
            aud == format!("//iam.googleapis.com/{name}")
                || aud == format!("https://iam.googleapis.com/{name}")
        } else {
            self.allowed_audiences.contains(&aud)
        }
    }

    /// The audience a subject token gets when the control API is not told one: the first one
    /// this provider accepts (`https://iam.googleapis.com/<name>` by default, as GitHub
    /// Actions' tokens for Google carry).
    pub(crate) fn default_token_audience(&self) -> String {
        match self.allowed_audiences.first() {
            Some(a) => (*a).to_string(),
            None => format!("https://iam.googleapis.com/{}", self.name()),
        }
    }

    /// `principal://iam.googleapis.com/<pool>/subject/<sub>`: whom a token for `sub` stands for.
    pub(crate) fn principal(&self, sub: &str) -> String {
        format!(
            "principal://iam.googleapis.com/{}/subject/{sub}",
            pool_name(self.pool)
        )
    }
}

/// The seeded provider `pool`/`provider` (`projects/N/...` matched exactly, project by number).
pub(crate) fn find(project: &str, pool: &str, provider: &str) -> Option<&'static PoolProvider> {
    if project != PROJECT_NUMBER {
        return None;
    }
    PROVIDERS
        .iter()
        .find(|p| p.pool == pool && p.provider == provider)
}

/// Every seeded provider.
pub(crate) fn all() -> &'static [PoolProvider] {
    &PROVIDERS
}

/// The provider the control API mints for by default.
pub(crate) fn default_provider() -> &'static PoolProvider {
    &PROVIDERS[0]
}

/// `principalSet://iam.googleapis.com/<pool>/*`: every identity of `pool`.
pub(crate) fn principal_set(pool: &str) -> String {
    format!("principalSet://iam.googleapis.com/{}/*", pool_name(pool))
}

/// Whether the federated `principal` holds `roles/iam.workloadIdentityUser` on the service
/// account `target` (which grants `getAccessToken` and `getOpenIdToken`): the seed binds
/// [`POOL`]'s principal set on the robot.
pub(crate) fn is_workload_identity_user(principal: &str, target: &str) -> bool {
    let Some(rest) = principal.strip_prefix("principal://iam.googleapis.com/") else {
        return false;
    };
    let Some((pool, subject)) = rest.split_once("/subject/") else {
        return false;
    };
    target.eq_ignore_ascii_case(ROBOT) && pool == pool_name(POOL) && !subject.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_audiences_are_the_resource_name_with_or_without_https() {
        let p = find(PROJECT_NUMBER, POOL, PROVIDER).unwrap();
        assert!(p.accepts_audience(&p.sts_audience()));
        assert!(p.accepts_audience(&p.default_token_audience()));
        assert!(!p.accepts_audience("https://gapi.example/workload"));
        let c = find(PROJECT_NUMBER, POOL, CUSTOM_AUDIENCE_PROVIDER).unwrap();
        assert!(c.accepts_audience(CUSTOM_AUDIENCE));
        assert!(!c.accepts_audience(&c.sts_audience()));
        assert!(find("gapi-emulator", POOL, PROVIDER).is_none());
    }

    #[test]
    fn only_the_gapi_pool_may_act_as_the_robot() {
        let p = find(PROJECT_NUMBER, POOL, PROVIDER).unwrap();
        assert!(is_workload_identity_user(&p.principal("w1"), ROBOT));
        assert!(!is_workload_identity_user(&p.principal("w1"), "x@y.z"));
        let other = find(PROJECT_NUMBER, OTHER_POOL, PROVIDER).unwrap();
        assert!(!is_workload_identity_user(&other.principal("w1"), ROBOT));
        assert!(!is_workload_identity_user("alice@example.com", ROBOT));
        assert!(principal_set(POOL).ends_with("/workloadIdentityPools/gapi-pool/*"));
    }
}
