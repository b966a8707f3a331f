//! AWS subject tokens (`urn:ietf:params:aws:token-type:aws4_request`): a serialized, SigV4-signed
//! AWS STS `GetCallerIdentity` request (`{"url", "method", "headers": [{"key", "value"}],
//! "body"?}`, percent-encoded or not). Google forwards it to AWS, which checks the signature
//! and answers the caller's ARN; the emulator plays AWS here, checking the signature against
//! its seeded key pairs (PUBLIC TEST values, `crate::world::federation::AWS_KEYS`) with ring's HMAC-SHA256, then the request's
//! shape, its date (AWS allows 15 minutes), the session token of temporary keys, the account
//! the provider trusts, and the `x-goog-cloud-target-resource` header naming the provider.
//! The federated subject is the ARN (Google's default mapping `google.subject=assertion.arn`).

use ring::hmac;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::framework::time::now_ms;
use crate::services::oauth::error::OAuthError;
use crate::world::federation::{AWS_KEYS, AwsKey, PoolProvider};

/// How far `x-amz-date` may be from now (AWS's limit).
const MAX_SKEW_SECS: i64 = 15 * 60;

fn grant(description: impl Into<String>) -> OAuthError {
    OAuthError::invalid_grant(description)
}

/// Checks an AWS subject token for `provider`; returns the caller's ARN.
pub(crate) fn verify(provider: &PoolProvider, token: &str) -> Result<String, OAuthError> {
    let Some(account) = provider.aws_account else {
        return Err(OAuthError::invalid_request(
            "Invalid value for \"subject_token_type\": this provider is not an AWS provider.",
        ));
    };
    let request = parse(token).ok_or_else(|| {
        grant("The AWS subject token is not a serialized GetCallerIdentity request (percent-encoded JSON with url, method and headers).")
    })?;
    let url = url::Url::parse(&request.url)
        .map_err(|_| grant("The AWS subject token's url is not a URL."))?;
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    let region = host
        .strip_prefix("sts.")
        .and_then(|h| h.strip_suffix(".amazonaws.com"))
        .filter(|r| !r.is_empty() && !r.contains('.'));
    let action = url
        .query_pairs()
        .any(|(k, v)| k == "Action" && v == "GetCallerIdentity");
    let (true, Some(region), true) = (url.scheme() == "https", region, action) else {
        return Err(grant(
            "The AWS subject token must be a request to https://sts.<region>.amazonaws.com?Action=GetCallerIdentity&Version=2011-06-15.",
        ));
    };
    if request.method != "POST" {
        return Err(grant("The AWS GetCallerIdentity request must be a POST."));
    }
    let target = request
        .header("x-goog-cloud-target-resource")
        .unwrap_or_default();
    if !provider.accepts_audience(target) {
        return Err(grant(format!(
            "The x-goog-cloud-target-resource header of the AWS request must name the provider {}.",
            provider.sts_audience()
        )));
    }
    let host_header = request.header("host").unwrap_or_default();
    if !host_header.eq_ignore_ascii_case(&host) {
        return Err(grant(
            "The AWS request's host header does not match its url.",
        ));
    }
    let auth = request
        .header("authorization")
        .and_then(Authorization::parse)
        .ok_or_else(|| {
            grant("The AWS request has no valid AWS4-HMAC-SHA256 Authorization header.")
        })?;
    let amz_date = request.header("x-amz-date").unwrap_or_default();
    let at = parse_amz_date(amz_date)
        .ok_or_else(|| grant("The AWS request has no valid x-amz-date header."))?;
    let now = i64::try_from(now_ms() / 1000).unwrap_or(i64::MAX);
    if (now - at).abs() > MAX_SKEW_SECS {
        return Err(grant(format!(
            "The AWS request is signed at {amz_date}, more than 15 minutes from now: Signature expired."
        )));
    }
    let (date, scope_region, service) = (&auth.scope[0], &auth.scope[1], &auth.scope[2]);
    if !amz_date.starts_with(date.as_str()) || scope_region != region || service != "sts" {
        return Err(grant(
            "The AWS credential scope does not match the request's date, region or service.",
        ));
    }
    for required in ["host", "x-amz-date"] {
        if !auth.signed_headers.iter().any(|h| h == required) {
            return Err(grant(format!(
                "The AWS signature must cover the {required} header."
            )));
        }
    }
    let Some(key) = AWS_KEYS
        .iter()
        .find(|k| k.access_key_id == auth.access_key_id)
    else {
        return Err(grant(
            "AWS GetCallerIdentity failed: The security token included in the request is invalid.",
        ));
    };
    if let Some(expected) = key.session_token {
        let signed = auth
            .signed_headers
            .iter()
            .any(|h| h == "x-amz-security-token");
        if !signed || request.header("x-amz-security-token") != Some(expected) {
            return Err(grant(
                "AWS GetCallerIdentity failed: The security token included in the request is invalid.",
            ));
        }
    }
    let expected = signature(key, &request, &url, &auth, amz_date)
        .ok_or_else(|| grant("The AWS request names a signed header it does not carry."))?;
    // A test emulator: no timing side channel to guard against.
    if expected != auth.signature {
        return Err(grant(
            "AWS GetCallerIdentity failed: The request signature we calculated does not match the signature you provided.",
        ));
    }
    if key.account != account {
        return Err(grant(format!(
            "The AWS account {} is not the one this provider trusts.",
            key.account
        )));
    }
    Ok(key.arn.to_string())
}

struct SignedRequest {
    url: String,
    method: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl SignedRequest {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn parse(token: &str) -> Option<SignedRequest> {
    let value = serde_json::from_str::<Value>(token).ok().or_else(|| {
        let decoded = percent_decode(token);
        serde_json::from_str::<Value>(&decoded).ok()
    })?;
    let headers = value
        .get("headers")?
        .as_array()?
        .iter()
        .map(|h| {
            Some((
                h.get("key")?.as_str()?.to_string(),
                h.get("value")?.as_str()?.to_string(),
            ))
        })
        .collect::<Option<Vec<_>>>()?;
    Some(SignedRequest {
        url: value.get("url")?.as_str()?.to_string(),
        method: value.get("method")?.as_str()?.to_string(),
        headers,
        body: value
            .get("body")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
    })
}

/// `%XX` decoding only (`+` stays a plus: it is no form encoding).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Some(b) = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

struct Authorization {
    access_key_id: String,
    /// date, region, service, `aws4_request`.
    scope: Vec<String>,
    signed_headers: Vec<String>,
    signature: String,
}

impl Authorization {
    fn parse(text: &str) -> Option<Self> {
        let rest = text.strip_prefix("AWS4-HMAC-SHA256 ")?;
        let mut credential = None;
        let mut signed = None;
        let mut signature = None;
        for part in rest.split(',') {
            let (k, v) = part.trim().split_once('=')?;
            match k {
                "Credential" => credential = Some(v),
                "SignedHeaders" => signed = Some(v),
                "Signature" => signature = Some(v),
                _ => {}
            }
        }
        let mut credential = credential?.split('/');
        let access_key_id = credential.next()?.to_string();
        let scope: Vec<String> = credential.map(str::to_string).collect();
        if scope.len() != 4 || scope[3] != "aws4_request" {
            return None;
        }
        Some(Authorization {
            access_key_id,
            scope,
            signed_headers: signed?.split(';').map(str::to_ascii_lowercase).collect(),
            signature: signature?.to_string(),
        })
    }
}

/// `20261201T120000Z` → Unix seconds.
fn parse_amz_date(text: &str) -> Option<i64> {
    if text.len() != 16 || !text.ends_with('Z') || text.as_bytes()[8] != b'T' {
        return None;
    }
    let rfc3339 = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &text[0..4],
        &text[4..6],
        &text[6..8],
        &text[9..11],
        &text[11..13],
        &text[13..15]
    );
    let at = humantime::parse_rfc3339(&rfc3339).ok()?;
    i64::try_from(at.duration_since(std::time::UNIX_EPOCH).ok()?.as_secs()).ok()
}

fn hmac_sha256(key: &[u8], msg: &str) -> Vec<u8> {
    hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), msg.as_bytes())
        .as_ref()
        .to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// RFC 3986 encoding of all but unreserved characters (SigV4's canonical query).
fn aws_quote(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The SigV4 signature the request should carry, computed as AWS does; `None` when a signed
/// header is missing.
fn signature(
    key: &AwsKey,
    request: &SignedRequest,
    url: &url::Url,
    auth: &Authorization,
    amz_date: &str,
) -> Option<String> {
    let mut query: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| (aws_quote(&k), aws_quote(&v)))
        .collect();
    query.sort();
    let query = query
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let mut canonical_headers = String::new();
    for name in &auth.signed_headers {
        let value = request.header(name)?;
        canonical_headers.push_str(&format!("{name}:{}\n", value.trim()));
    }
    let path = match url.path() {
        "" => "/",
        p => p,
    };
    let canonical_request = format!(
        "{}\n{path}\n{query}\n{canonical_headers}\n{}\n{}",
        request.method,
        auth.signed_headers.join(";"),
        hex(&Sha256::digest(request.body.as_bytes()))
    );
    let scope = auth.scope.join("/");
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex(&Sha256::digest(canonical_request.as_bytes()))
    );
    let mut signing_key = hmac_sha256(
        format!("AWS4{}", key.secret_access_key).as_bytes(),
        &auth.scope[0],
    );
    for part in &auth.scope[1..] {
        signing_key = hmac_sha256(&signing_key, part);
    }
    Some(hex(&hmac_sha256(&signing_key, &string_to_sign)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_percent_decoding() {
        assert_eq!(parse_amz_date("19700101T000100Z"), Some(60));
        assert_eq!(parse_amz_date("1970-01-01"), None);
        assert_eq!(percent_decode("%7B%22a%22%7D+%2"), "{\"a\"}+%2");
    }

    #[test]
    fn authorization_headers_parse() {
        let a = Authorization::parse("AWS4-HMAC-SHA256 Credential=AKID/20261201/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc").unwrap();
        assert_eq!(a.access_key_id, "AKID");
        assert_eq!(a.scope[1], "us-east-1");
        assert_eq!(a.signed_headers, ["host", "x-amz-date"]);
        assert!(Authorization::parse("Bearer x").is_none());
    }
}
