//! AWS-sourced external accounts (`credential_source.environment_id` = `aws1`): the subject
//! token is a signed AWS STS `GetCallerIdentity` request (Signature Version 4, HMAC-SHA256 with
//! ring), serialized as Google's STS expects and as Python google-auth's `aws.Credentials`
//! builds it: percent-encoded compact JSON `{"headers":[{"key","value"}...],"method","url"}`
//! with sorted keys, the headers `Authorization`, `host`, `x-amz-date`,
//! `x-amz-security-token` (temporary credentials) and `x-goog-cloud-target-resource` (the
//! workload identity provider, not signed, as google-auth sends it).
//!
//! Credentials and region come, as in google-auth, from `AWS_ACCESS_KEY_ID` /
//! `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN` and `AWS_REGION` / `AWS_DEFAULT_REGION`, else
//! from the EC2 instance metadata service at the file's `region_url` and `url` (with an IMDSv2
//! session token from `imdsv2_session_token_url` when the file names one).

use std::sync::Arc;
use std::time::SystemTime;

use ring::hmac;
use serde_json::Value;
use url::Url;

use crate::error::{Error, ErrorKind, Result};
use crate::protocol::google_api::clip;
use crate::secret::Assertion;

/// The subject token type of a serialized AWS request.
pub const AWS_TOKEN_TYPE: &str = "urn:ietf:params:aws:token-type:aws4_request";
/// google-auth's default regional verification URL (`{region}` is replaced).
pub const DEFAULT_VERIFICATION_URL: &str =
    "https://sts.{region}.amazonaws.com?Action=GetCallerIdentity&Version=2011-06-15";
/// IMDSv2 session token lifetime google-auth asks for (seconds).
const IMDSV2_TTL_SECS: &str = "300";

/// Reads an environment variable (swappable for tests and embedding apps).
pub type EnvLookup = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// The process environment.
pub fn process_env() -> EnvLookup {
    Arc::new(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
}

/// AWS security credentials (the secret and the session token never reach `Debug`).
#[derive(Clone)]
pub struct AwsSecurityCredentials {
    /// `AKIA...` / `ASIA...`.
    pub access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
}

impl std::fmt::Debug for AwsSecurityCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AwsSecurityCredentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"<redacted>")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

impl AwsSecurityCredentials {
    /// Credentials from their parts.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        AwsSecurityCredentials {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
        }
    }
}

/// Where an AWS credential configuration finds region and credentials.
#[derive(Debug, Clone)]
pub(crate) struct AwsSource {
    /// The regional GetCallerIdentity URL (`{region}` placeholder allowed).
    pub verification_url: String,
    /// The metadata URL answering the availability zone (`us-east-2b`).
    pub region_url: Option<String>,
    /// The metadata URL of the security credentials (role name, then `/role`).
    pub credentials_url: Option<String>,
    /// The IMDSv2 session token URL.
    pub imdsv2_session_token_url: Option<String>,
}

/// Checks `environment_id` (`aws1` only, as google-auth).
pub(crate) fn check_environment_id(id: &str) -> Result<()> {
    let version = id.strip_prefix("aws").filter(|v| !v.is_empty());
    match version.map(str::parse::<u32>) {
        Some(Ok(1)) => Ok(()),
        Some(Ok(v)) => Err(Error::new(
            ErrorKind::Config,
            format!("AWS credential_source environment_id version {v} is not supported (aws1 is)"),
        )),
        _ => Err(Error::new(
            ErrorKind::Config,
            format!("credential_source.environment_id `{id}` is not an AWS one (expected aws1)"),
        )),
    }
}

impl AwsSource {
    /// The serialized, signed GetCallerIdentity request for the provider `audience`.
    pub(crate) async fn subject_token(
        &self,
        http: &reqwest::Client,
        env: &EnvLookup,
        audience: &str,
    ) -> Result<Assertion> {
        let region = match env("AWS_REGION").or_else(|| env("AWS_DEFAULT_REGION")) {
            Some(r) => r,
            None => self.region_from_metadata(http).await?,
        };
        let creds = match (env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY")) {
            (Some(id), Some(secret)) => {
                AwsSecurityCredentials::new(id, secret, env("AWS_SESSION_TOKEN"))
            }
            _ => self.credentials_from_metadata(http).await?,
        };
        let url = self.verification_url.replace("{region}", &region);
        signed_request(&creds, &region, &url, audience, SystemTime::now())
    }

    async fn imdsv2_token(&self, http: &reqwest::Client) -> Result<Option<String>> {
        let Some(url) = &self.imdsv2_session_token_url else {
            return Ok(None);
        };
        let text = metadata_call(
            http.put(url.as_str())
                .header("X-aws-ec2-metadata-token-ttl-seconds", IMDSV2_TTL_SECS),
            "the AWS IMDSv2 session token",
        )
        .await?;
        Ok(Some(text))
    }

    async fn region_from_metadata(&self, http: &reqwest::Client) -> Result<String> {
        let Some(url) = &self.region_url else {
            return Err(Error::new(
                ErrorKind::Config,
                "cannot determine the AWS region: set AWS_REGION or give credential_source.region_url",
            ));
        };
        let token = self.imdsv2_token(http).await?;
        let mut req = http.get(url.as_str());
        if let Some(t) = &token {
            req = req.header("X-aws-ec2-metadata-token", t);
        }
        let zone = metadata_call(req, "the AWS region").await?;
        // `us-east-2b` → `us-east-2`, as google-auth does.
        let mut region = zone.trim().to_string();
        region.pop();
        if region.is_empty() {
            return Err(Error::new(
                ErrorKind::InvalidResponse,
                format!(
                    "the AWS availability zone `{}` names no region",
                    clip(&zone)
                ),
            ));
        }
        Ok(region)
    }

    async fn credentials_from_metadata(
        &self,
        http: &reqwest::Client,
    ) -> Result<AwsSecurityCredentials> {
        let Some(url) = &self.credentials_url else {
            return Err(Error::new(
                ErrorKind::Config,
                "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or give credential_source.url",
            ));
        };
        let token = self.imdsv2_token(http).await?;
        let with_token = |req: reqwest::RequestBuilder| match &token {
            Some(t) => req.header("X-aws-ec2-metadata-token", t),
            None => req,
        };
        let role = metadata_call(with_token(http.get(url.as_str())), "the AWS role name").await?;
        let role = role.trim();
        let text = metadata_call(
            with_token(http.get(format!("{}/{role}", url.trim_end_matches('/')))),
            "the AWS security credentials",
        )
        .await?;
        let v: Value = serde_json::from_str(&text).map_err(|_| {
            Error::new(
                ErrorKind::InvalidResponse,
                "the AWS security credentials are not JSON",
            )
        })?;
        let field = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
        match (field("AccessKeyId"), field("SecretAccessKey")) {
            (Some(id), Some(secret)) => Ok(AwsSecurityCredentials::new(id, secret, field("Token"))),
            _ => Err(Error::new(
                ErrorKind::InvalidResponse,
                "the AWS security credentials lack AccessKeyId or SecretAccessKey",
            )),
        }
    }
}

async fn metadata_call(req: reqwest::RequestBuilder, what: &str) -> Result<String> {
    let resp = req.send().await.map_err(|e| {
        Error::new(
            ErrorKind::Transport,
            format!("could not fetch {what}: {}", e.without_url()),
        )
        .retryable(true)
    })?;
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap_or_default();
    if status != 200 {
        return Err(Error::new(
            ErrorKind::InvalidResponse,
            format!("fetching {what} answered HTTP {status}: {}", clip(&text)),
        )
        .with_status(status));
    }
    Ok(text)
}

/// `20261201T132000Z` and `20261201`.
fn amz_dates(at: SystemTime) -> (String, String) {
    let text = humantime::format_rfc3339_seconds(at).to_string();
    let compact: String = text.chars().filter(|c| *c != '-' && *c != ':').collect();
    let date = compact[..8].to_string();
    (compact, date)
}

/// RFC 3986 percent-encoding of everything but unreserved characters (and `/` when `slash`),
/// as Python's `urllib.parse.quote` (with `safe="-_.~"` for SigV4 query parts).
fn quote(text: &str, slash: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) || (slash && b == b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The SigV4 canonical query: pairs encoded, sorted by key then value.
fn canonical_query(query: Option<&str>) -> String {
    let mut pairs: Vec<(String, String)> = form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .map(|(k, v)| (quote(&k, false), quote(&v, false)))
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

fn hmac_sha256(key: &[u8], msg: &str) -> Vec<u8> {
    hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), msg.as_bytes())
        .as_ref()
        .to_vec()
}

fn sha256(bytes: &[u8]) -> ring::digest::Digest {
    ring::digest::digest(&ring::digest::SHA256, bytes)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The signed GetCallerIdentity request for `url`, serialized (see the module docs), at time
/// `at`: deterministic, so equal to google-auth's for the same inputs.
pub fn signed_request(
    creds: &AwsSecurityCredentials,
    region: &str,
    url: &str,
    target_resource: &str,
    at: SystemTime,
) -> Result<Assertion> {
    let parsed = Url::parse(url).map_err(|e| {
        Error::new(
            ErrorKind::Config,
            format!("regional_cred_verification_url `{url}` is not a URL ({e})"),
        )
    })?;
    let host = match (parsed.scheme(), parsed.host_str()) {
        ("https", Some(h)) => h.to_string(),
        _ => {
            return Err(Error::new(
                ErrorKind::Config,
                format!("regional_cred_verification_url `{url}` must be an https URL"),
            ));
        }
    };
    let service = host.split('.').next().unwrap_or_default();
    let service = service.strip_suffix("-fips").unwrap_or(service);
    let (amz_date, date) = amz_dates(at);
    let mut signed: Vec<(&str, &str)> = vec![("host", &host), ("x-amz-date", &amz_date)];
    if let Some(t) = &creds.session_token {
        signed.push(("x-amz-security-token", t));
    }
    signed.sort();
    let canonical_headers: String = signed.iter().map(|(k, v)| format!("{k}:{v}\n")).collect();
    let signed_names = signed.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(";");
    let path = match parsed.path() {
        "" => "/",
        p => p,
    };
    let canonical_request = format!(
        "POST\n{path}\n{}\n{canonical_headers}\n{signed_names}\n{}",
        canonical_query(parsed.query()),
        hex(sha256(b"").as_ref())
    );
    let scope = format!("{date}/{region}/{service}/aws4_request");
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex(sha256(canonical_request.as_bytes()).as_ref())
    );
    let mut key = hmac_sha256(format!("AWS4{}", creds.secret_access_key).as_bytes(), &date);
    for part in [region, service, "aws4_request"] {
        key = hmac_sha256(&key, part);
    }
    let signature = hex(&hmac_sha256(&key, &string_to_sign));
    let authorization = format!(
        "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed_names}, Signature={signature}",
        creds.access_key_id
    );
    // google-auth's header order: Authorization, host, x-amz-date, the session token, then the
    // target resource (added after signing).
    let mut headers = vec![
        ("Authorization", authorization.as_str()),
        ("host", host.as_str()),
        ("x-amz-date", amz_date.as_str()),
    ];
    if let Some(t) = &creds.session_token {
        headers.push(("x-amz-security-token", t));
    }
    headers.push(("x-goog-cloud-target-resource", target_resource));
    let s = |v: &str| serde_json::to_string(v).unwrap_or_default();
    let headers_json: Vec<String> = headers
        .iter()
        .map(|(k, v)| format!("{{\"key\":{},\"value\":{}}}", s(k), s(v)))
        .collect();
    let json = format!(
        "{{\"headers\":[{}],\"method\":\"POST\",\"url\":{}}}",
        headers_json.join(","),
        s(url)
    );
    Ok(Assertion::new(quote(&json, true)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_ids() {
        assert!(check_environment_id("aws1").is_ok());
        assert!(check_environment_id("aws2").is_err());
        assert!(check_environment_id("azure1").is_err());
        assert!(check_environment_id("aws").is_err());
    }

    #[test]
    fn the_signature_matches_the_aws_documentation_example() {
        // AWS's documented signing-key derivation example (secret, 20120215, us-east-1, iam).
        let mut key = hmac_sha256(b"AWS4wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215");
        for part in ["us-east-1", "iam", "aws4_request"] {
            key = hmac_sha256(&key, part);
        }
        assert_eq!(
            hex(&key),
            "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"
        );
    }

    #[test]
    fn serialization_is_google_auths_shape() {
        let creds = AwsSecurityCredentials::new("AKID", "secret", Some("tok".into()));
        let at = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_795_629_600);
        let token = signed_request(
            &creds,
            "us-east-1",
            "https://sts.us-east-1.amazonaws.com?Action=GetCallerIdentity&Version=2011-06-15",
            "//iam.googleapis.com/x",
            at,
        )
        .unwrap();
        let decoded: String = form_urlencoded::parse(format!("t={}", token.secret()).as_bytes())
            .next()
            .unwrap()
            .1
            .into_owned();
        let v: Value = serde_json::from_str(&decoded).unwrap();
        assert_eq!(v["method"], "POST");
        assert_eq!(v["headers"][0]["key"], "Authorization");
        assert_eq!(v["headers"][2]["value"], "20261125T180000Z");
        assert_eq!(v["headers"][4]["key"], "x-goog-cloud-target-resource");
        let auth = v["headers"][0]["value"].as_str().unwrap();
        assert!(auth.contains("SignedHeaders=host;x-amz-date;x-amz-security-token"));
        assert!(auth.contains("Credential=AKID/20261125/us-east-1/sts/aws4_request"));
        assert!(!format!("{creds:?}").contains("secret\""));
    }
}
