//! Signed JWTs (RS256, RFC 7515/7519) for service accounts.
//!
//! Segments are serialized exactly as Python google-auth's `jwt.encode` does (`json.dumps`
//! with its default `", "` / `": "` separators, ASCII-only escapes, keys in insertion order),
//! and RSASSA-PKCS1-v1_5 is deterministic, so for the same key and claims gapi's JWT equals
//! google-auth's byte for byte.

use std::fmt::Write as _;
use std::sync::Arc;

use base64::Engine as _;
use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair};
use rustls_pki_types::pem::PemObject as _;
use rustls_pki_types::{PrivatePkcs1KeyDer, PrivatePkcs8KeyDer};

use crate::error::{Error, ErrorKind, Result};
use crate::secret::{Assertion, PrivateKeyPem};

/// One claim or header value: JWTs here hold only strings and integers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A JSON string.
    Str(String),
    /// A JSON integer (seconds since the epoch, mostly).
    Int(i64),
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Str(s.to_string())
    }
}
impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Str(s)
    }
}
impl From<i64> for Value {
    fn from(n: i64) -> Self {
        Value::Int(n)
    }
}

/// An ordered JSON object (order matters for byte equality with google-auth).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Claims(Vec<(String, Value)>);

impl Claims {
    /// An empty object.
    pub fn new() -> Self {
        Claims(Vec::new())
    }

    /// Sets `key` (replacing its value in place if present, as a Python dict update does).
    pub fn set(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.insert(key, value);
        self
    }

    /// In-place [`Claims::set`].
    pub fn insert(&mut self, key: &str, value: impl Into<Value>) {
        let value = value.into();
        match self.0.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = value,
            None => self.0.push((key.to_string(), value)),
        }
    }

    /// The value of `key`, if set.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Serializes as Python's `json.dumps(dict)` would.
    pub fn to_python_json(&self) -> String {
        let mut out = String::from("{");
        for (i, (k, v)) in self.0.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            push_py_str(&mut out, k);
            out.push_str(": ");
            match v {
                Value::Str(s) => push_py_str(&mut out, s),
                Value::Int(n) => {
                    let _ = write!(out, "{n}");
                }
            }
        }
        out.push('}');
        out
    }
}

/// A JSON string literal with `ensure_ascii=True` escapes (lowercase hex, UTF-16 surrogates).
fn push_py_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// An RSA private key that signs RS256. Cheap to clone; `Debug` shows only the key id.
#[derive(Clone)]
pub struct RsaSigner {
    key: Arc<RsaKeyPair>,
    key_id: Option<String>,
}

impl std::fmt::Debug for RsaSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RsaSigner")
            .field("key_id", &self.key_id)
            .field("key", &"[redacted]")
            .finish()
    }
}

impl RsaSigner {
    /// Parses a PEM private key: PKCS#8 (`BEGIN PRIVATE KEY`, as Google's key files hold) or
    /// PKCS#1 (`BEGIN RSA PRIVATE KEY`).
    pub fn from_pem(pem: &PrivateKeyPem, key_id: Option<String>) -> Result<Self> {
        let bytes = pem.secret().as_bytes();
        let key = if let Ok(der) = PrivatePkcs8KeyDer::from_pem_slice(bytes) {
            RsaKeyPair::from_pkcs8(der.secret_pkcs8_der()).map_err(|e| bad_key(&e.to_string()))?
        } else if let Ok(der) = PrivatePkcs1KeyDer::from_pem_slice(bytes) {
            RsaKeyPair::from_der(der.secret_pkcs1_der()).map_err(|e| bad_key(&e.to_string()))?
        } else {
            return Err(bad_key(
                "no \"-----BEGIN PRIVATE KEY-----\" (PKCS#8) or RSA PRIVATE KEY block",
            ));
        };
        Ok(RsaSigner {
            key: Arc::new(key),
            key_id,
        })
    }

    /// The key id sent as the JWT header's `kid` (a key file's `private_key_id`).
    pub fn key_id(&self) -> Option<&str> {
        self.key_id.as_deref()
    }

    /// The public key as a DER `RSAPublicKey` (for verifying in tests and emulators).
    pub fn public_key_der(&self) -> Vec<u8> {
        use ring::signature::KeyPair as _;
        self.key.public_key().as_ref().to_vec()
    }

    /// RSASSA-PKCS1-v1_5 with SHA-256 over `message`.
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        let rng = ring::rand::SystemRandom::new();
        let mut sig = vec![0u8; self.key.public().modulus_len()];
        self.key
            .sign(&RSA_PKCS1_SHA256, &rng, message, &mut sig)
            .map_err(|_| Error::new(ErrorKind::Config, "signing with the private key failed"))?;
        Ok(sig)
    }

    /// A signed JWT: header `{"typ": "JWT", "alg": "RS256", "kid": ...}` then `claims`.
    pub fn encode(&self, claims: &Claims) -> Result<Assertion> {
        let mut header = Claims::new().set("typ", "JWT").set("alg", "RS256");
        if let Some(kid) = &self.key_id {
            header.insert("kid", kid.as_str());
        }
        let signing_input = format!(
            "{}.{}",
            b64(header.to_python_json().as_bytes()),
            b64(claims.to_python_json().as_bytes())
        );
        let sig = self.sign(signing_input.as_bytes())?;
        Ok(Assertion::new(format!("{signing_input}.{}", b64(&sig))))
    }
}

fn bad_key(detail: &str) -> Error {
    Error::new(
        ErrorKind::Config,
        format!("the private key is not a usable RSA key: {detail}"),
    )
    .with_hint("download a new JSON key for the service account from the Cloud Console")
}

/// The claims of a JWT, decoded without checking the signature (only for reading `exp` or an
/// email for display, never for trust decisions).
pub fn unverified_claims(token: &str) -> Option<serde_json::Map<String, serde_json::Value>> {
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    match serde_json::from_slice(&bytes).ok()? {
        serde_json::Value::Object(m) => Some(m),
        _ => None,
    }
}

/// Seconds since the Unix epoch, now.
pub(crate) fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_json_format() {
        let c = Claims::new()
            .set("iat", 1)
            .set("iss", "a\"b\\c\u{e9}\u{1F600}\n")
            .set("iat", 2);
        assert_eq!(
            c.to_python_json(),
            r#"{"iat": 2, "iss": "a\"b\\c\u00e9\ud83d\ude00\n"}"#
        );
    }

    #[test]
    fn rejects_garbage_keys_without_echoing_them() {
        let e =
            RsaSigner::from_pem(&PrivateKeyPem::new("-----BEGIN SECRET-----zz"), None).unwrap_err();
        assert!(!e.to_string().contains("zz"), "{e}");
        assert!(e.to_string().contains("PKCS#8"), "{e}");
    }
}
