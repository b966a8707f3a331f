//! The emulator's RSA signing key: RS256 JWTs and the public views of the key that Google
//! serves (a JWK Set at `/oauth2/v3/certs`, PEM X.509 certificates at `/oauth2/v1/certs`).
//!
//! ring signs with RSA but cannot generate RSA keys, so the emulator ships ONE fixed, PUBLIC
//! TEST key pair made by `keys/make-test-key.sh` (openssl): `keys/test-key.pk8` (PKCS#8 DER) and
//! `keys/test-cert.pem` (a self-signed certificate for it). Everyone can read the private key:
//! a signature made with it proves nothing outside tests.
//!
//! Any emulated service that signs tokens (ID tokens, service-account JWTs, IAM `signJwt`)
//! uses [`test_key`]; nothing here is specific to OAuth.

use std::sync::OnceLock;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ring::rand::SystemRandom;
use ring::signature::{
    KeyPair, RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_SHA256, RsaKeyPair, RsaPublicKeyComponents,
};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// The private key, PKCS#8 DER (public test material, see the module docs).
const KEY_PKCS8: &[u8] = include_bytes!("../../keys/test-key.pk8");
/// The self-signed certificate of that key, PEM.
const CERT_PEM: &str = include_str!("../../keys/test-cert.pem");

/// An RSA key pair with a key id, able to sign RS256 JWTs.
pub(crate) struct SigningKey {
    pair: RsaKeyPair,
    /// Modulus and exponent, big-endian without leading zeros.
    public: RsaPublicKeyComponents<Vec<u8>>,
    kid: String,
    rng: SystemRandom,
}

/// Why a JWT did not verify against the emulator's key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum JwtError {
    /// Not three base64url parts, or a part is not JSON.
    #[error("the token is not a well-formed JWT")]
    Malformed,
    /// The header names another algorithm or key.
    #[error("the token is not signed with RS256 by key {0}")]
    WrongKey(String),
    /// The signature does not match.
    #[error("the token's signature is invalid")]
    BadSignature,
}

/// The emulator's one signing key, parsed on first use.
pub(crate) fn test_key() -> &'static SigningKey {
    static KEY: OnceLock<SigningKey> = OnceLock::new();
    KEY.get_or_init(|| {
        // The bytes are fixed at compile time and checked by a unit test, so this cannot fail
        // at run time unless the committed key file is replaced by a bad one.
        let kid = hex_id(CERT_PEM.as_bytes());
        SigningKey::from_pkcs8(KEY_PKCS8, kid)
            .expect("keys/test-key.pk8 must be an RSA PKCS#8 DER key (run keys/make-test-key.sh)")
    })
}

/// The DER inside a PEM block (`-----BEGIN ...-----` lines dropped); empty when it is no base64.
pub(crate) fn pem_body(pem: &str) -> Vec<u8> {
    let b64: String = pem
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .map(str::trim)
        .collect();
    STANDARD.decode(b64).unwrap_or_default()
}

/// A key id as Google's look: the first 20 bytes of the SHA-256 of `bytes`, in hex.
pub(crate) fn hex_id(bytes: &[u8]) -> String {
    Sha256::digest(bytes)[..20]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl SigningKey {
    /// A key from its PKCS#8 DER and the id its JWTs name; `None` when the DER is no RSA key.
    pub(crate) fn from_pkcs8(der: &[u8], kid: String) -> Option<Self> {
        let pair = RsaKeyPair::from_pkcs8(der).ok()?;
        Some(SigningKey {
            public: RsaPublicKeyComponents::from(pair.public_key()),
            pair,
            kid,
            rng: SystemRandom::new(),
        })
    }

    /// Whether `signature` is this key's RS256 signature of `message` (checked with the public
    /// key's components only, as a verifier holding the certificate would).
    pub(crate) fn verify_rs256(&self, message: &[u8], signature: &[u8]) -> bool {
        self.public
            .verify(&RSA_PKCS1_2048_8192_SHA256, message, signature)
            .is_ok()
    }

    /// The key id (`kid`) that JWT headers and both certificate endpoints name.
    pub(crate) fn kid(&self) -> &str {
        &self.kid
    }

    /// An RSASSA-PKCS1-v1_5 SHA-256 signature of `message`.
    pub(crate) fn sign_rs256(&self, message: &[u8]) -> Vec<u8> {
        let mut signature = vec![0u8; self.pair.public().modulus_len()];
        // ring fails here only when the RNG (used for blinding) fails: nothing sensible is
        // left to do then.
        self.pair
            .sign(&RSA_PKCS1_SHA256, &self.rng, message, &mut signature)
            .expect("RSA signing failed: the system random number generator is unavailable");
        signature
    }

    /// A compact JWT `{"alg":"RS256","kid":KID,"typ":"JWT"}.claims.signature`.
    pub(crate) fn sign_jwt(&self, claims: &Value) -> String {
        let header = json!({"alg": "RS256", "kid": self.kid, "typ": "JWT"});
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let signature = URL_SAFE_NO_PAD.encode(self.sign_rs256(signing_input.as_bytes()));
        format!("{signing_input}.{signature}")
    }

    /// Checks a JWT signed by this key and returns its claims (no time or audience checks:
    /// callers decide those).
    pub(crate) fn verify_jwt(&self, jwt: &str) -> Result<Value, JwtError> {
        let mut parts = jwt.split('.');
        let (Some(h), Some(c), Some(s), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(JwtError::Malformed);
        };
        let decode_json = |part: &str| -> Result<Value, JwtError> {
            let bytes = URL_SAFE_NO_PAD
                .decode(part)
                .map_err(|_| JwtError::Malformed)?;
            serde_json::from_slice(&bytes).map_err(|_| JwtError::Malformed)
        };
        let header = decode_json(h)?;
        if header["alg"] != "RS256" || header["kid"].as_str().is_some_and(|k| k != self.kid) {
            return Err(JwtError::WrongKey(self.kid.clone()));
        }
        let signature = URL_SAFE_NO_PAD.decode(s).map_err(|_| JwtError::Malformed)?;
        if !self.verify_rs256(format!("{h}.{c}").as_bytes(), &signature) {
            return Err(JwtError::BadSignature);
        }
        decode_json(c)
    }

    /// The public key as a JWK Set, as Google's `/oauth2/v3/certs` serves it.
    pub(crate) fn jwks(&self) -> Value {
        json!({"keys": [{
            "kty": "RSA",
            "alg": "RS256",
            "use": "sig",
            "kid": self.kid,
            "n": URL_SAFE_NO_PAD.encode(&self.public.n),
            "e": URL_SAFE_NO_PAD.encode(&self.public.e),
        }]})
    }

    /// `{kid: "-----BEGIN CERTIFICATE-----..."}`, as Google's `/oauth2/v1/certs` serves it.
    pub(crate) fn pem_certificates(&self) -> Value {
        json!({ self.kid.as_str(): CERT_PEM })
    }

    /// The private key as PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), for the service-account
    /// key files a test hands to a client. Public test material, see the module docs.
    #[allow(dead_code)] // for the service-account key files of the credentials services
    pub(crate) fn private_key_pem(&self) -> String {
        let body = STANDARD.encode(KEY_PKCS8);
        let mut pem = String::from("-----BEGIN PRIVATE KEY-----\n");
        for line in body.as_bytes().chunks(64) {
            pem.push_str(&String::from_utf8_lossy(line));
            pem.push('\n');
        }
        pem.push_str("-----END PRIVATE KEY-----\n");
        pem
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_and_verifies_a_jwt() {
        let key = test_key();
        let jwt = key.sign_jwt(&json!({"sub": "1", "aud": "x"}));
        assert_eq!(key.verify_jwt(&jwt).unwrap()["sub"], "1");
        let header: Value = serde_json::from_slice(
            &URL_SAFE_NO_PAD
                .decode(jwt.split('.').next().unwrap())
                .unwrap(),
        )
        .unwrap();
        assert_eq!(header["alg"], "RS256");
        assert_eq!(header["kid"], key.kid());
    }

    #[test]
    fn rejects_a_tampered_jwt() {
        let key = test_key();
        let jwt = key.sign_jwt(&json!({"sub": "1"}));
        let mut parts: Vec<&str> = jwt.split('.').collect();
        let forged = URL_SAFE_NO_PAD.encode(json!({"sub": "2"}).to_string());
        parts[1] = &forged;
        assert_eq!(
            key.verify_jwt(&parts.join(".")),
            Err(JwtError::BadSignature)
        );
        assert_eq!(key.verify_jwt("a.b"), Err(JwtError::Malformed));
    }

    #[test]
    fn jwks_and_pem_name_the_same_key() {
        let key = test_key();
        let jwks = key.jwks();
        assert_eq!(jwks["keys"][0]["kid"], key.kid());
        assert_eq!(jwks["keys"][0]["e"], "AQAB");
        assert_eq!(
            URL_SAFE_NO_PAD
                .decode(jwks["keys"][0]["n"].as_str().unwrap())
                .unwrap()
                .len(),
            256
        );
        let pem = key.pem_certificates();
        assert!(
            pem[key.kid()]
                .as_str()
                .unwrap()
                .starts_with("-----BEGIN CERTIFICATE-----")
        );
        assert!(key.private_key_pem().contains("BEGIN PRIVATE KEY"));
    }
}
